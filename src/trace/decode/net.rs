//! Decoders: the net family (sockets, polling, epoll, eventfd, System V IPC, POSIX message
//! queues), byte for byte as strace 6.1 prints them. See the module docs of `decode` for the
//! two-phase pattern.
//!
//! Values carried from entry to exit (the caller's `*addrlen` before the kernel overwrote it,
//! printed as `[110 => 16]`) travel in [`Decoder::carried`](super::Decoder::carried): read at
//! entry, kept by the tracer with the call in progress, given back at exit.

use core::fmt::{self, Write};

use super::common::{
    abbrev, fetch, fetch_bytes, lookup_name, print_array, print_fd, print_num_i32, xflags, xlat_known, xval, Xlat,
};
use super::file::{print_iov, print_open_modes};
use super::process::{print_sigset_at, print_timespec, print_timespec_at, print_timeval_at};
use super::{DecodeFn, Decoder, Phase, Ret};
use crate::trace::out::Out;
use crate::trace::{TraceOpts, XlatStyle};

// ---------------------------------------------------------------------------------------------
// Values carried from entry to exit
// ---------------------------------------------------------------------------------------------

/// A value read at entry and needed at exit (see `Decoder::carried`): at entry what `read`
/// returns is carried; at exit the carried value comes back. A decoder run once after the call
/// without an entry phase reads the value as it is then.
pub(super) fn carry(d: &mut Decoder, read: impl FnOnce() -> Option<[u64; 3]>) -> Option<[u64; 3]> {
    match d.phase {
        Phase::Entry => {
            d.carried = read();
            d.carried
        }
        Phase::Exit => d.carried.or_else(|| if d.active() { read() } else { None }),
    }
}

// ---------------------------------------------------------------------------------------------
// Small printers
// ---------------------------------------------------------------------------------------------

/// Reads exactly `buf.len()` bytes of the program's memory.
fn read_exact(addr: usize, buf: &mut [u8]) -> bool {
    if addr == 0 {
        return false;
    }
    matches!(crate::sys::read_mem(addr, buf), Ok(n) if n == buf.len())
}

fn read_i32(addr: usize) -> Option<i32> {
    let mut b = [0u8; 4];
    read_exact(addr, &mut b).then(|| i32::from_ne_bytes(b))
}

fn read_u64(addr: usize) -> Option<u64> {
    let mut b = [0u8; 8];
    read_exact(addr, &mut b).then(|| u64::from_ne_bytes(b))
}

fn u32_at(b: &[u8], off: usize) -> u32 {
    u32::from_ne_bytes([b[off], b[off + 1], b[off + 2], b[off + 3]])
}

fn u64_at(b: &[u8], off: usize) -> u64 {
    let mut x = [0u8; 8];
    x.copy_from_slice(&b[off..off + 8]);
    u64::from_ne_bytes(x)
}

fn u16_at(b: &[u8], off: usize) -> u16 {
    u16::from_ne_bytes([b[off], b[off + 1]])
}

/// Bytes always in `\xNN` form (strace's QUOTE_FORCE_HEX, used for raw network fields).
fn hex_quoted(o: &mut Out, b: &[u8]) {
    o.byte(b'"');
    for c in b {
        let _ = write!(o, "\\x{c:02x}");
    }
    o.byte(b'"');
}

/// A fixed buffer to format short texts (addresses, interface names) before quoting them.
struct Small<const N: usize> {
    b: [u8; N],
    n: usize,
}

impl<const N: usize> Small<N> {
    fn new() -> Self {
        Small { b: [0; N], n: 0 }
    }
    fn bytes(&self) -> &[u8] {
        &self.b[..self.n]
    }
}

impl<const N: usize> Write for Small<N> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        let k = s.len().min(N - self.n);
        self.b[self.n..self.n + k].copy_from_slice(&s.as_bytes()[..k]);
        self.n += k;
        Ok(())
    }
}

fn comment_addr(o: &mut Out, a: usize) {
    let _ = write!(o, " /* {a:#x} */");
}

// ---------------------------------------------------------------------------------------------
// Constants
// ---------------------------------------------------------------------------------------------

const ADDRFAMS: Xlat = &[
    (0, "AF_UNSPEC"),
    (1, "AF_UNIX"),
    (2, "AF_INET"),
    (3, "AF_AX25"),
    (4, "AF_IPX"),
    (5, "AF_APPLETALK"),
    (6, "AF_NETROM"),
    (7, "AF_BRIDGE"),
    (8, "AF_ATMPVC"),
    (9, "AF_X25"),
    (10, "AF_INET6"),
    (11, "AF_ROSE"),
    (12, "AF_DECnet"),
    (13, "AF_NETBEUI"),
    (14, "AF_SECURITY"),
    (15, "AF_KEY"),
    (16, "AF_NETLINK"),
    (17, "AF_PACKET"),
    (18, "AF_ASH"),
    (19, "AF_ECONET"),
    (20, "AF_ATMSVC"),
    (21, "AF_RDS"),
    (22, "AF_SNA"),
    (23, "AF_IRDA"),
    (24, "AF_PPPOX"),
    (25, "AF_WANPIPE"),
    (26, "AF_LLC"),
    (27, "AF_IB"),
    (28, "AF_MPLS"),
    (29, "AF_CAN"),
    (30, "AF_TIPC"),
    (31, "AF_BLUETOOTH"),
    (32, "AF_IUCV"),
    (33, "AF_RXRPC"),
    (34, "AF_ISDN"),
    (35, "AF_PHONET"),
    (36, "AF_IEEE802154"),
    (37, "AF_CAIF"),
    (38, "AF_ALG"),
    (39, "AF_NFC"),
    (40, "AF_VSOCK"),
    (41, "AF_KCM"),
    (42, "AF_QIPCRTR"),
    (43, "AF_SMC"),
    (44, "AF_XDP"),
    (45, "AF_MCTP"),
];

const SOCK_TYPES: Xlat = &[
    (1, "SOCK_STREAM"),
    (2, "SOCK_DGRAM"),
    (3, "SOCK_RAW"),
    (4, "SOCK_RDM"),
    (5, "SOCK_SEQPACKET"),
    (6, "SOCK_DCCP"),
    (10, "SOCK_PACKET"),
];

const SOCK_FLAGS: Xlat = &[(0x80000, "SOCK_CLOEXEC"), (0x800, "SOCK_NONBLOCK")];

const INET_PROTOCOLS: Xlat = &[
    (0, "IPPROTO_IP"),
    (1, "IPPROTO_ICMP"),
    (2, "IPPROTO_IGMP"),
    (4, "IPPROTO_IPIP"),
    (6, "IPPROTO_TCP"),
    (8, "IPPROTO_EGP"),
    (12, "IPPROTO_PUP"),
    (17, "IPPROTO_UDP"),
    (22, "IPPROTO_IDP"),
    (29, "IPPROTO_TP"),
    (33, "IPPROTO_DCCP"),
    (41, "IPPROTO_IPV6"),
    (43, "IPPROTO_ROUTING"),
    (44, "IPPROTO_FRAGMENT"),
    (46, "IPPROTO_RSVP"),
    (47, "IPPROTO_GRE"),
    (50, "IPPROTO_ESP"),
    (51, "IPPROTO_AH"),
    (58, "IPPROTO_ICMPV6"),
    (59, "IPPROTO_NONE"),
    (60, "IPPROTO_DSTOPTS"),
    (92, "IPPROTO_MTP"),
    (94, "IPPROTO_BEETPH"),
    (98, "IPPROTO_ENCAP"),
    (103, "IPPROTO_PIM"),
    (108, "IPPROTO_COMP"),
    (115, "IPPROTO_L2TP"),
    (132, "IPPROTO_SCTP"),
    (135, "IPPROTO_MH"),
    (136, "IPPROTO_UDPLITE"),
    (137, "IPPROTO_MPLS"),
    (143, "IPPROTO_ETHERNET"),
    (255, "IPPROTO_RAW"),
    (262, "IPPROTO_MPTCP"),
];

const NETLINK_PROTOCOLS: Xlat = &[
    (0, "NETLINK_ROUTE"),
    (1, "NETLINK_UNUSED"),
    (2, "NETLINK_USERSOCK"),
    (3, "NETLINK_FIREWALL"),
    (4, "NETLINK_SOCK_DIAG"),
    (5, "NETLINK_NFLOG"),
    (6, "NETLINK_XFRM"),
    (7, "NETLINK_SELINUX"),
    (8, "NETLINK_ISCSI"),
    (9, "NETLINK_AUDIT"),
    (10, "NETLINK_FIB_LOOKUP"),
    (11, "NETLINK_CONNECTOR"),
    (12, "NETLINK_NETFILTER"),
    (13, "NETLINK_IP6_FW"),
    (14, "NETLINK_DNRTMSG"),
    (15, "NETLINK_KOBJECT_UEVENT"),
    (16, "NETLINK_GENERIC"),
    (18, "NETLINK_SCSITRANSPORT"),
    (19, "NETLINK_ECRYPTFS"),
    (20, "NETLINK_RDMA"),
    (21, "NETLINK_CRYPTO"),
    (22, "NETLINK_SMC"),
];

const ETH_PROTOCOLS: Xlat = &[
    (0x0001, "ETH_P_802_3"),
    (0x0002, "ETH_P_AX25"),
    (0x0003, "ETH_P_ALL"),
    (0x0004, "ETH_P_802_2"),
    (0x0005, "ETH_P_SNAP"),
    (0x0060, "ETH_P_LOOP"),
    (0x0800, "ETH_P_IP"),
    (0x0806, "ETH_P_ARP"),
    (0x8035, "ETH_P_RARP"),
    (0x8100, "ETH_P_8021Q"),
    (0x86DD, "ETH_P_IPV6"),
    (0x8847, "ETH_P_MPLS_UC"),
    (0x888E, "ETH_P_PAE"),
    (0x88A8, "ETH_P_8021AD"),
    (0x88CC, "ETH_P_LLDP"),
];

const ARPHRD: Xlat = &[
    (0, "ARPHRD_NETROM"),
    (1, "ARPHRD_ETHER"),
    (2, "ARPHRD_EETHER"),
    (3, "ARPHRD_AX25"),
    (768, "ARPHRD_TUNNEL"),
    (769, "ARPHRD_TUNNEL6"),
    (772, "ARPHRD_LOOPBACK"),
    (776, "ARPHRD_SIT"),
    (778, "ARPHRD_IPGRE"),
    (801, "ARPHRD_IEEE80211"),
    (0xfffe, "ARPHRD_NONE"),
    (0xffff, "ARPHRD_VOID"),
];

const PACKET_TYPES: Xlat = &[
    (0, "PACKET_HOST"),
    (1, "PACKET_BROADCAST"),
    (2, "PACKET_MULTICAST"),
    (3, "PACKET_OTHERHOST"),
    (4, "PACKET_OUTGOING"),
    (5, "PACKET_LOOPBACK"),
    (6, "PACKET_USER"),
    (7, "PACKET_KERNEL"),
];

const SHUT: Xlat = &[(0, "SHUT_RD"), (1, "SHUT_WR"), (2, "SHUT_RDWR")];

const MSG_FLAGS: Xlat = &[
    (0x1, "MSG_OOB"),
    (0x2, "MSG_PEEK"),
    (0x4, "MSG_DONTROUTE"),
    (0x8, "MSG_CTRUNC"),
    (0x10, "MSG_PROBE"),
    (0x20, "MSG_TRUNC"),
    (0x40, "MSG_DONTWAIT"),
    (0x80, "MSG_EOR"),
    (0x100, "MSG_WAITALL"),
    (0x200, "MSG_FIN"),
    (0x400, "MSG_SYN"),
    (0x800, "MSG_CONFIRM"),
    (0x1000, "MSG_RST"),
    (0x2000, "MSG_ERRQUEUE"),
    (0x4000, "MSG_NOSIGNAL"),
    (0x8000, "MSG_MORE"),
    (0x10000, "MSG_WAITFORONE"),
    (0x20000, "MSG_SENDPAGE_NOTLAST"),
    (0x40000, "MSG_BATCH"),
    (0x4000000, "MSG_ZEROCOPY"),
    (0x20000000, "MSG_FASTOPEN"),
    (0x40000000, "MSG_CMSG_CLOEXEC"),
    (0x80000000, "MSG_CMSG_COMPAT"),
];

const SOCKET_LEVELS: Xlat = &[
    (0, "SOL_IP"),
    (1, "SOL_SOCKET"),
    (6, "SOL_TCP"),
    (17, "SOL_UDP"),
    (41, "SOL_IPV6"),
    (58, "SOL_ICMPV6"),
    (132, "SOL_SCTP"),
    (136, "SOL_UDPLITE"),
    (255, "SOL_RAW"),
    (256, "SOL_IPX"),
    (257, "SOL_AX25"),
    (258, "SOL_ATALK"),
    (259, "SOL_NETROM"),
    (260, "SOL_ROSE"),
    (261, "SOL_DECNET"),
    (262, "SOL_X25"),
    (263, "SOL_PACKET"),
    (264, "SOL_ATM"),
    (265, "SOL_AAL"),
    (266, "SOL_IRDA"),
    (267, "SOL_NETBEUI"),
    (268, "SOL_LLC"),
    (269, "SOL_DCCP"),
    (270, "SOL_NETLINK"),
    (271, "SOL_TIPC"),
    (272, "SOL_RXRPC"),
    (273, "SOL_PPPOL2TP"),
    (274, "SOL_BLUETOOTH"),
    (275, "SOL_PNPIPE"),
    (276, "SOL_RDS"),
    (277, "SOL_IUCV"),
    (278, "SOL_CAIF"),
    (279, "SOL_ALG"),
    (280, "SOL_NFC"),
    (281, "SOL_KCM"),
    (282, "SOL_TLS"),
    (283, "SOL_XDP"),
    (284, "SOL_MPTCP"),
    (285, "SOL_MCTP"),
    (286, "SOL_SMC"),
];

/// SOL_SOCKET options common to get and set.
const SO_OPTIONS: Xlat = &[
    (1, "SO_DEBUG"),
    (2, "SO_REUSEADDR"),
    (3, "SO_TYPE"),
    (4, "SO_ERROR"),
    (5, "SO_DONTROUTE"),
    (6, "SO_BROADCAST"),
    (7, "SO_SNDBUF"),
    (8, "SO_RCVBUF"),
    (9, "SO_KEEPALIVE"),
    (10, "SO_OOBINLINE"),
    (11, "SO_NO_CHECK"),
    (12, "SO_PRIORITY"),
    (13, "SO_LINGER"),
    (14, "SO_BSDCOMPAT"),
    (15, "SO_REUSEPORT"),
    (16, "SO_PASSCRED"),
    (17, "SO_PEERCRED"),
    (18, "SO_RCVLOWAT"),
    (19, "SO_SNDLOWAT"),
    (20, "SO_RCVTIMEO_OLD"),
    (21, "SO_SNDTIMEO_OLD"),
    (22, "SO_SECURITY_AUTHENTICATION"),
    (23, "SO_SECURITY_ENCRYPTION_TRANSPORT"),
    (24, "SO_SECURITY_ENCRYPTION_NETWORK"),
    (25, "SO_BINDTODEVICE"),
    (28, "SO_PEERNAME"),
    (29, "SO_TIMESTAMP_OLD"),
    (30, "SO_ACCEPTCONN"),
    (31, "SO_PEERSEC"),
    (32, "SO_SNDBUFFORCE"),
    (33, "SO_RCVBUFFORCE"),
    (34, "SO_PASSSEC"),
    (35, "SO_TIMESTAMPNS_OLD"),
    (36, "SO_MARK"),
    (37, "SO_TIMESTAMPING_OLD"),
    (38, "SO_PROTOCOL"),
    (39, "SO_DOMAIN"),
    (40, "SO_RXQ_OVFL"),
    (41, "SO_WIFI_STATUS"),
    (42, "SO_PEEK_OFF"),
    (43, "SO_NOFCS"),
    (44, "SO_LOCK_FILTER"),
    (45, "SO_SELECT_ERR_QUEUE"),
    (46, "SO_BUSY_POLL"),
    (47, "SO_MAX_PACING_RATE"),
    (48, "SO_BPF_EXTENSIONS"),
    (49, "SO_INCOMING_CPU"),
    (50, "SO_ATTACH_BPF"),
    (51, "SO_ATTACH_REUSEPORT_CBPF"),
    (52, "SO_ATTACH_REUSEPORT_EBPF"),
    (53, "SO_CNX_ADVICE"),
    (55, "SO_MEMINFO"),
    (56, "SO_INCOMING_NAPI_ID"),
    (57, "SO_COOKIE"),
    (59, "SO_PEERGROUPS"),
    (60, "SO_ZEROCOPY"),
    (61, "SO_TXTIME"),
    (62, "SO_BINDTOIFINDEX"),
    (63, "SO_TIMESTAMP_NEW"),
    (64, "SO_TIMESTAMPNS_NEW"),
    (65, "SO_TIMESTAMPING_NEW"),
    (66, "SO_RCVTIMEO_NEW"),
    (67, "SO_SNDTIMEO_NEW"),
    (69, "SO_PREFER_BUSY_POLL"),
    (70, "SO_BUSY_POLL_BUDGET"),
    (71, "SO_NETNS_COOKIE"),
    (72, "SO_BUF_LOCK"),
    (73, "SO_RESERVE_MEM"),
    (74, "SO_TXREHASH"),
    (75, "SO_RCVMARK"),
];
const SO_GET_ONLY: Xlat = &[(26, "SO_GET_FILTER")];
const SO_SET_ONLY: Xlat = &[(26, "SO_ATTACH_FILTER"), (27, "SO_DETACH_FILTER"), (68, "SO_DETACH_REUSEPORT_BPF")];

const IP_OPTIONS: Xlat = &[
    (1, "IP_TOS"),
    (2, "IP_TTL"),
    (3, "IP_HDRINCL"),
    (4, "IP_OPTIONS"),
    (5, "IP_ROUTER_ALERT"),
    (6, "IP_RECVOPTS"),
    (7, "IP_RETOPTS"),
    (8, "IP_PKTINFO"),
    (9, "IP_PKTOPTIONS"),
    (10, "IP_MTU_DISCOVER"),
    (11, "IP_RECVERR"),
    (12, "IP_RECVTTL"),
    (13, "IP_RECVTOS"),
    (14, "IP_MTU"),
    (15, "IP_FREEBIND"),
    (16, "IP_IPSEC_POLICY"),
    (17, "IP_XFRM_POLICY"),
    (18, "IP_PASSSEC"),
    (19, "IP_TRANSPARENT"),
    (20, "IP_ORIGDSTADDR"),
    (21, "IP_MINTTL"),
    (22, "IP_NODEFRAG"),
    (23, "IP_CHECKSUM"),
    (24, "IP_BIND_ADDRESS_NO_PORT"),
    (25, "IP_RECVFRAGSIZE"),
    (26, "IP_RECVERR_RFC4884"),
    (32, "IP_MULTICAST_IF"),
    (33, "IP_MULTICAST_TTL"),
    (34, "IP_MULTICAST_LOOP"),
    (35, "IP_ADD_MEMBERSHIP"),
    (36, "IP_DROP_MEMBERSHIP"),
    (37, "IP_UNBLOCK_SOURCE"),
    (38, "IP_BLOCK_SOURCE"),
    (39, "IP_ADD_SOURCE_MEMBERSHIP"),
    (40, "IP_DROP_SOURCE_MEMBERSHIP"),
    (41, "IP_MSFILTER"),
    (42, "MCAST_JOIN_GROUP"),
    (43, "MCAST_BLOCK_SOURCE"),
    (44, "MCAST_UNBLOCK_SOURCE"),
    (45, "MCAST_LEAVE_GROUP"),
    (46, "MCAST_JOIN_SOURCE_GROUP"),
    (47, "MCAST_LEAVE_SOURCE_GROUP"),
    (48, "MCAST_MSFILTER"),
    (49, "IP_MULTICAST_ALL"),
    (50, "IP_UNICAST_IF"),
];

const IPV6_OPTIONS: Xlat = &[
    (1, "IPV6_ADDRFORM"),
    (2, "IPV6_2292PKTINFO"),
    (3, "IPV6_2292HOPOPTS"),
    (4, "IPV6_2292DSTOPTS"),
    (5, "IPV6_2292RTHDR"),
    (6, "IPV6_2292PKTOPTIONS"),
    (7, "IPV6_CHECKSUM"),
    (8, "IPV6_2292HOPLIMIT"),
    (9, "IPV6_NEXTHOP"),
    (10, "IPV6_AUTHHDR"),
    (11, "IPV6_FLOWINFO"),
    (16, "IPV6_UNICAST_HOPS"),
    (17, "IPV6_MULTICAST_IF"),
    (18, "IPV6_MULTICAST_HOPS"),
    (19, "IPV6_MULTICAST_LOOP"),
    (20, "IPV6_ADD_MEMBERSHIP"),
    (21, "IPV6_DROP_MEMBERSHIP"),
    (22, "IPV6_ROUTER_ALERT"),
    (23, "IPV6_MTU_DISCOVER"),
    (24, "IPV6_MTU"),
    (25, "IPV6_RECVERR"),
    (26, "IPV6_V6ONLY"),
    (27, "IPV6_JOIN_ANYCAST"),
    (28, "IPV6_LEAVE_ANYCAST"),
    (29, "IPV6_MULTICAST_ALL"),
    (30, "IPV6_ROUTER_ALERT_ISOLATE"),
    (31, "IPV6_RECVERR_RFC4884"),
    (32, "IPV6_FLOWLABEL_MGR"),
    (33, "IPV6_FLOWINFO_SEND"),
    (34, "IPV6_IPSEC_POLICY"),
    (35, "IPV6_XFRM_POLICY"),
    (36, "IPV6_HDRINCL"),
    (42, "MCAST_JOIN_GROUP"),
    (43, "MCAST_BLOCK_SOURCE"),
    (44, "MCAST_UNBLOCK_SOURCE"),
    (45, "MCAST_LEAVE_GROUP"),
    (46, "MCAST_JOIN_SOURCE_GROUP"),
    (47, "MCAST_LEAVE_SOURCE_GROUP"),
    (48, "MCAST_MSFILTER"),
    (49, "IPV6_RECVPKTINFO"),
    (50, "IPV6_PKTINFO"),
    (51, "IPV6_RECVHOPLIMIT"),
    (52, "IPV6_HOPLIMIT"),
    (53, "IPV6_RECVHOPOPTS"),
    (54, "IPV6_HOPOPTS"),
    (55, "IPV6_RTHDRDSTOPTS"),
    (56, "IPV6_RECVRTHDR"),
    (57, "IPV6_RTHDR"),
    (58, "IPV6_RECVDSTOPTS"),
    (59, "IPV6_DSTOPTS"),
    (60, "IPV6_RECVPATHMTU"),
    (61, "IPV6_PATHMTU"),
    (62, "IPV6_DONTFRAG"),
    (66, "IPV6_RECVTCLASS"),
    (67, "IPV6_TCLASS"),
    (70, "IPV6_AUTOFLOWLABEL"),
    (72, "IPV6_ADDR_PREFERENCES"),
    (73, "IPV6_MINHOPCOUNT"),
    (74, "IPV6_ORIGDSTADDR"),
    (75, "IPV6_TRANSPARENT"),
    (76, "IPV6_UNICAST_IF"),
    (77, "IPV6_RECVFRAGSIZE"),
    (78, "IPV6_FREEBIND"),
];

const TCP_OPTIONS: Xlat = &[
    (1, "TCP_NODELAY"),
    (2, "TCP_MAXSEG"),
    (3, "TCP_CORK"),
    (4, "TCP_KEEPIDLE"),
    (5, "TCP_KEEPINTVL"),
    (6, "TCP_KEEPCNT"),
    (7, "TCP_SYNCNT"),
    (8, "TCP_LINGER2"),
    (9, "TCP_DEFER_ACCEPT"),
    (10, "TCP_WINDOW_CLAMP"),
    (11, "TCP_INFO"),
    (12, "TCP_QUICKACK"),
    (13, "TCP_CONGESTION"),
    (14, "TCP_MD5SIG"),
    (15, "TCP_COOKIE_TRANSACTIONS"),
    (16, "TCP_THIN_LINEAR_TIMEOUTS"),
    (17, "TCP_THIN_DUPACK"),
    (18, "TCP_USER_TIMEOUT"),
    (19, "TCP_REPAIR"),
    (20, "TCP_REPAIR_QUEUE"),
    (21, "TCP_QUEUE_SEQ"),
    (22, "TCP_REPAIR_OPTIONS"),
    (23, "TCP_FASTOPEN"),
    (24, "TCP_TIMESTAMP"),
    (25, "TCP_NOTSENT_LOWAT"),
    (26, "TCP_CC_INFO"),
    (27, "TCP_SAVE_SYN"),
    (28, "TCP_SAVED_SYN"),
    (29, "TCP_REPAIR_WINDOW"),
    (30, "TCP_FASTOPEN_CONNECT"),
    (31, "TCP_ULP"),
    (32, "TCP_MD5SIG_EXT"),
    (33, "TCP_FASTOPEN_KEY"),
    (34, "TCP_FASTOPEN_NO_COOKIE"),
    (35, "TCP_ZEROCOPY_RECEIVE"),
    (36, "TCP_INQ"),
    (37, "TCP_TX_DELAY"),
];

const UDP_OPTIONS: Xlat = &[
    (1, "UDP_CORK"),
    (100, "UDP_ENCAP"),
    (101, "UDP_NO_CHECK6_TX"),
    (102, "UDP_NO_CHECK6_RX"),
    (103, "UDP_SEGMENT"),
    (104, "UDP_GRO"),
];

const NETLINK_OPTIONS: Xlat = &[
    (1, "NETLINK_ADD_MEMBERSHIP"),
    (2, "NETLINK_DROP_MEMBERSHIP"),
    (3, "NETLINK_PKTINFO"),
    (4, "NETLINK_BROADCAST_ERROR"),
    (5, "NETLINK_NO_ENOBUFS"),
    (6, "NETLINK_RX_RING"),
    (7, "NETLINK_TX_RING"),
    (8, "NETLINK_LISTEN_ALL_NSID"),
    (9, "NETLINK_LIST_MEMBERSHIPS"),
    (10, "NETLINK_CAP_ACK"),
    (11, "NETLINK_EXT_ACK"),
    (12, "NETLINK_GET_STRICT_CHK"),
];

const SCM_TYPES: Xlat = &[
    (1, "SCM_RIGHTS"),
    (2, "SCM_CREDENTIALS"),
    (3, "SCM_SECURITY"),
    (4, "SCM_PIDFD"),
    (29, "SO_TIMESTAMP_OLD"),
    (35, "SO_TIMESTAMPNS_OLD"),
    (37, "SO_TIMESTAMPING_OLD"),
    (63, "SO_TIMESTAMP_NEW"),
    (64, "SO_TIMESTAMPNS_NEW"),
    (65, "SO_TIMESTAMPING_NEW"),
];

const IP_CMSG_TYPES: Xlat = &[
    (1, "IP_TOS"),
    (2, "IP_TTL"),
    (4, "IP_RECVOPTS"),
    (7, "IP_RETOPTS"),
    (8, "IP_PKTINFO"),
    (11, "IP_RECVERR"),
    (20, "IP_ORIGDSTADDR"),
    (23, "IP_CHECKSUM"),
];

const POLL_FLAGS: Xlat = &[
    (0x1, "POLLIN"),
    (0x2, "POLLPRI"),
    (0x4, "POLLOUT"),
    (0x8, "POLLERR"),
    (0x10, "POLLHUP"),
    (0x20, "POLLNVAL"),
    (0x40, "POLLRDNORM"),
    (0x80, "POLLRDBAND"),
    (0x100, "POLLWRNORM"),
    (0x200, "POLLWRBAND"),
    (0x400, "POLLMSG"),
    (0x1000, "POLLREMOVE"),
    (0x2000, "POLLRDHUP"),
    (0x8000, "POLL_BUSY_LOOP"),
];

const EPOLL_EVENTS: Xlat = &[
    (0x1, "EPOLLIN"),
    (0x2, "EPOLLPRI"),
    (0x4, "EPOLLOUT"),
    (0x8, "EPOLLERR"),
    (0x10, "EPOLLHUP"),
    (0x20, "EPOLLNVAL"),
    (0x40, "EPOLLRDNORM"),
    (0x80, "EPOLLRDBAND"),
    (0x100, "EPOLLWRNORM"),
    (0x200, "EPOLLWRBAND"),
    (0x400, "EPOLLMSG"),
    (0x2000, "EPOLLRDHUP"),
    (0x10000000, "EPOLLEXCLUSIVE"),
    (0x20000000, "EPOLLWAKEUP"),
    (0x40000000, "EPOLLONESHOT"),
    (0x80000000, "EPOLLET"),
];

const EPOLL_CTL: Xlat = &[(1, "EPOLL_CTL_ADD"), (2, "EPOLL_CTL_DEL"), (3, "EPOLL_CTL_MOD")];
const EPOLL_CREATE_FLAGS: Xlat = &[(0x80000, "EPOLL_CLOEXEC")];

const IPC_CREATE_FLAGS: Xlat = &[(0o1000, "IPC_CREAT"), (0o2000, "IPC_EXCL"), (0o4000, "IPC_NOWAIT")];
const SHM_CREATE_FLAGS: Xlat =
    &[(0o1000, "IPC_CREAT"), (0o2000, "IPC_EXCL"), (0o4000, "SHM_HUGETLB"), (0o10000, "SHM_NORESERVE")];
const IPC_NOWAIT_FLAG: Xlat = &[(0o4000, "IPC_NOWAIT")];
const MSGRCV_FLAGS: Xlat =
    &[(0o10000, "MSG_NOERROR"), (0o20000, "MSG_EXCEPT"), (0o40000, "MSG_COPY"), (0o4000, "IPC_NOWAIT")];
const SEM_FLAGS: Xlat = &[(0x1000, "SEM_UNDO"), (0o4000, "IPC_NOWAIT")];
const SHMAT_FLAGS: Xlat =
    &[(0o10000, "SHM_RDONLY"), (0o20000, "SHM_RND"), (0o40000, "SHM_REMAP"), (0o100000, "SHM_EXEC")];
const MSGCTL_CMDS: Xlat = &[
    (0, "IPC_RMID"),
    (1, "IPC_SET"),
    (2, "IPC_STAT"),
    (3, "IPC_INFO"),
    (11, "MSG_STAT"),
    (12, "MSG_INFO"),
    (13, "MSG_STAT_ANY"),
];
const SEMCTL_CMDS: Xlat = &[
    (0, "IPC_RMID"),
    (1, "IPC_SET"),
    (2, "IPC_STAT"),
    (3, "IPC_INFO"),
    (11, "GETPID"),
    (12, "GETVAL"),
    (13, "GETALL"),
    (14, "GETNCNT"),
    (15, "GETZCNT"),
    (16, "SETVAL"),
    (17, "SETALL"),
    (18, "SEM_STAT"),
    (19, "SEM_INFO"),
    (20, "SEM_STAT_ANY"),
];
const SHMCTL_CMDS: Xlat = &[
    (0, "IPC_RMID"),
    (1, "IPC_SET"),
    (2, "IPC_STAT"),
    (3, "IPC_INFO"),
    (11, "SHM_LOCK"),
    (12, "SHM_UNLOCK"),
    (13, "SHM_STAT"),
    (14, "SHM_INFO"),
    (15, "SHM_STAT_ANY"),
];

// ---------------------------------------------------------------------------------------------
// Socket addresses
// ---------------------------------------------------------------------------------------------

/// Largest address read (struct sockaddr_storage).
const SOCKADDR_MAX: usize = 128;

/// A socket address of the program's, `len` bytes at `a` (strace's decode_sockaddr): the
/// address itself when `len < 2` or unreadable, `{sa_family=AF_INET, sin_port=htons(80),
/// sin_addr=inet_addr("127.0.0.1")}` and so on for each common family, `sa_data="..."` for
/// others and for lengths too short for the family's structure.
pub fn print_sockaddr(out: &mut Out, opts: &TraceOpts, a: usize, len: i32) {
    if len < 2 {
        out.ptr(a);
        return;
    }
    let len = (len as usize).min(SOCKADDR_MAX);
    let mut buf = [0u8; SOCKADDR_MAX + 1];
    if a == 0 {
        out.s("NULL");
        return;
    }
    if out.no_deref || !read_exact(a, &mut buf[..len]) {
        out.hex(a as u64);
        return;
    }
    print_sockaddr_data(out, opts, &buf, len);
}

/// A socket address already read: `buf` holds `len` bytes followed by zeros.
fn print_sockaddr_data(o: &mut Out, opts: &TraceOpts, buf: &[u8; SOCKADDR_MAX + 1], len: usize) {
    let family = u16_at(buf, 0);
    o.s("{sa_family=");
    xval(o, opts, family as u64, ADDRFAMS, Some("AF_???"));
    if len > 2 {
        o.s(", ");
        let min_len = match family {
            1 => 3,
            2 => 16,
            10 => 24,
            16 => 12,
            17 => 20,
            _ => usize::MAX,
        };
        if len < min_len {
            o.s("sa_data=");
            o.quoted(&buf[2..len], opts);
        } else {
            match family {
                1 => sockaddr_un(o, opts, buf, len),
                2 => sockaddr_in(o, opts, buf),
                10 => sockaddr_in6(o, opts, buf, len),
                16 => sockaddr_nl(o, buf),
                _ => sockaddr_ll(o, opts, buf, len),
            }
        }
    }
    o.byte(b'}');
}

fn sockaddr_un(o: &mut Out, opts: &TraceOpts, buf: &[u8; SOCKADDR_MAX + 1], len: usize) {
    // sizeof(struct sockaddr_un) is 110.
    let un_len = len.min(110);
    let path_len = un_len - 2;
    let path = &buf[2..];
    o.s("sun_path=");
    if path[0] != 0 {
        // Up to the NUL within path_len + 1 bytes (the copy is NUL-padded past `len`).
        let lim = path_len + 1;
        let n = path[..lim].iter().position(|&c| c == 0).unwrap_or(lim);
        o.quoted(&path[..n], opts);
    } else {
        o.byte(b'@');
        o.quoted(&path[1..path_len], opts);
    }
}

/// A network-order port: `htons(80)`; raw `"\x00\x50"`; verbose both.
fn net_port(o: &mut Out, opts: &TraceOpts, b: &[u8]) {
    let port = u16::from_be_bytes([b[0], b[1]]);
    match opts.xlat {
        XlatStyle::Abbrev => {
            let _ = write!(o, "htons({port})");
        }
        XlatStyle::Raw => hex_quoted(o, &b[..2]),
        XlatStyle::Verbose => {
            hex_quoted(o, &b[..2]);
            let _ = write!(o, " /* htons({port}) */");
        }
    }
}

fn inet4_text(b: &[u8]) -> Small<16> {
    let mut s = Small::<16>::new();
    let _ = write!(s, "{}.{}.{}.{}", b[0], b[1], b[2], b[3]);
    s
}

/// An IPv4 address field: `sin_addr=inet_addr("127.0.0.1")`.
fn inet_addr_field(o: &mut Out, opts: &TraceOpts, name: &str, b: &[u8]) {
    o.s(name);
    o.byte(b'=');
    let text = inet4_text(b);
    if opts.xlat != XlatStyle::Abbrev {
        hex_quoted(o, &b[..4]);
    }
    if opts.xlat == XlatStyle::Raw {
        return;
    }
    if opts.xlat == XlatStyle::Verbose {
        o.s(" /* ");
    }
    o.s("inet_addr(");
    o.quoted(text.bytes(), opts);
    o.byte(b')');
    if opts.xlat == XlatStyle::Verbose {
        o.s(" */");
    }
}

/// glibc's inet_ntop(AF_INET6): the longest run of two or more zero groups as `::`, embedded
/// IPv4 for mapped and compatible addresses.
fn inet6_text(a: &[u8]) -> Small<48> {
    let mut w = [0u16; 8];
    for (i, x) in w.iter_mut().enumerate() {
        *x = u16::from_be_bytes([a[2 * i], a[2 * i + 1]]);
    }
    let (mut best_base, mut best_len) = (usize::MAX, 0);
    let (mut cur_base, mut cur_len) = (usize::MAX, 0);
    for (i, &x) in w.iter().enumerate() {
        if x == 0 {
            if cur_base == usize::MAX {
                cur_base = i;
                cur_len = 1;
            } else {
                cur_len += 1;
            }
        } else if cur_base != usize::MAX {
            if best_base == usize::MAX || cur_len > best_len {
                best_base = cur_base;
                best_len = cur_len;
            }
            cur_base = usize::MAX;
        }
    }
    if cur_base != usize::MAX && (best_base == usize::MAX || cur_len > best_len) {
        best_base = cur_base;
        best_len = cur_len;
    }
    if best_base != usize::MAX && best_len < 2 {
        best_base = usize::MAX;
    }
    let mut s = Small::<48>::new();
    let mut i = 0;
    while i < 8 {
        if best_base != usize::MAX && i >= best_base && i < best_base + best_len {
            if i == best_base {
                let _ = s.write_str(":");
            }
            i += 1;
            continue;
        }
        if i != 0 {
            let _ = s.write_str(":");
        }
        if i == 6
            && best_base == 0
            && (best_len == 6 || (best_len == 7 && w[7] != 1) || (best_len == 5 && w[5] == 0xffff))
        {
            let _ = write!(s, "{}.{}.{}.{}", a[12], a[13], a[14], a[15]);
            return s;
        }
        let _ = write!(s, "{:x}", w[i]);
        i += 1;
    }
    if best_base != usize::MAX && best_base + best_len == 8 {
        let _ = s.write_str(":");
    }
    s
}

/// An IPv6 address field: `inet_pton(AF_INET6, "::1", &sin6_addr)`; raw
/// `sin6_addr="\x00..."`; verbose `sin6_addr="\x00..." /* inet_pton(AF_INET6, "::1") */`.
fn inet6_addr_field(o: &mut Out, opts: &TraceOpts, name: &str, b: &[u8]) {
    let text = inet6_text(b);
    if opts.xlat != XlatStyle::Abbrev {
        o.s(name);
        o.byte(b'=');
        hex_quoted(o, &b[..16]);
    }
    if opts.xlat == XlatStyle::Raw {
        return;
    }
    if opts.xlat == XlatStyle::Verbose {
        o.s(" /* ");
    }
    o.s("inet_pton(AF_INET6, ");
    o.quoted(text.bytes(), opts);
    if opts.xlat == XlatStyle::Abbrev {
        o.s(", &");
        o.s(name);
    }
    o.byte(b')');
    if opts.xlat == XlatStyle::Verbose {
        o.s(" */");
    }
}

fn sockaddr_in(o: &mut Out, opts: &TraceOpts, buf: &[u8; SOCKADDR_MAX + 1]) {
    o.s("sin_port=");
    net_port(o, opts, &buf[2..4]);
    o.s(", ");
    inet_addr_field(o, opts, "sin_addr", &buf[4..8]);
}

fn sockaddr_in6(o: &mut Out, opts: &TraceOpts, buf: &[u8; SOCKADDR_MAX + 1], len: usize) {
    o.s("sin6_port=");
    net_port(o, opts, &buf[2..4]);
    o.s(", sin6_flowinfo=");
    let flow = u32::from_be_bytes([buf[4], buf[5], buf[6], buf[7]]);
    match opts.xlat {
        XlatStyle::Abbrev => {
            let _ = write!(o, "htonl({flow})");
        }
        XlatStyle::Raw => hex_quoted(o, &buf[4..8]),
        XlatStyle::Verbose => {
            hex_quoted(o, &buf[4..8]);
            let _ = write!(o, " /* htonl({flow}) */");
        }
    }
    o.s(", ");
    let a = &buf[8..24];
    inet6_addr_field(o, opts, "sin6_addr", a);
    if len <= 24 {
        return;
    }
    o.s(", sin6_scope_id=");
    let scope = u32_at(buf, 24);
    let link_local = (a[0] == 0xfe && a[1] & 0xc0 == 0x80) || (a[0] == 0xff && a[1] & 0x0f == 0x02);
    if link_local {
        ifindex(o, opts, scope);
    } else {
        o.u64(scope as u64);
    }
}

fn sockaddr_nl(o: &mut Out, buf: &[u8; SOCKADDR_MAX + 1]) {
    let pad = u16_at(buf, 2);
    if pad != 0 {
        let _ = write!(o, "nl_pad={pad:#x}, ");
    }
    let groups = u32_at(buf, 8);
    let _ = write!(o, "nl_pid={}, nl_groups=", u32_at(buf, 4) as i32);
    // C's %#08x: zero has no 0x prefix.
    if groups == 0 {
        o.s("00000000");
    } else {
        let _ = write!(o, "{groups:#08x}");
    }
}

fn sockaddr_ll(o: &mut Out, opts: &TraceOpts, buf: &[u8; SOCKADDR_MAX + 1], len: usize) {
    o.s("sll_protocol=");
    if opts.xlat != XlatStyle::Abbrev {
        hex_quoted(o, &buf[2..4]);
    }
    if opts.xlat != XlatStyle::Raw {
        if opts.xlat == XlatStyle::Verbose {
            o.s(" /* ");
        }
        o.s("htons(");
        let proto = u16::from_be_bytes([buf[2], buf[3]]) as u64;
        xval(o, &abbrev(opts), proto, ETH_PROTOCOLS, Some("ETH_P_???"));
        o.byte(b')');
        if opts.xlat == XlatStyle::Verbose {
            o.s(" */");
        }
    }
    o.s(", sll_ifindex=");
    ifindex(o, opts, u32_at(buf, 4));
    o.s(", sll_hatype=");
    xval(o, opts, u16_at(buf, 8) as u64, ARPHRD, Some("ARPHRD_???"));
    o.s(", sll_pkttype=");
    xval(o, opts, buf[10] as u64, PACKET_TYPES, Some("PACKET_???"));
    let halen = buf[11] as usize;
    let _ = write!(o, ", sll_halen={halen}");
    if halen != 0 {
        let oob = len.saturating_sub(12);
        o.s(", sll_addr=[");
        for i in 0..halen {
            if i > 0 {
                o.s(", ");
            }
            if i >= oob {
                o.s("...");
                break;
            }
            let _ = write!(o, "{:#x}", buf[12 + i]);
        }
        o.byte(b']');
    }
}

/// An interface index: `if_nametoindex("lo")` when the index names an interface, else the
/// number; raw the number; verbose `1 /* if_nametoindex("lo") */`.
fn ifindex(o: &mut Out, opts: &TraceOpts, idx: u32) {
    let name = if opts.xlat == XlatStyle::Raw { None } else { if_name(idx) };
    match name {
        None => o.u64(idx as u64),
        Some((b, n)) => {
            if opts.xlat == XlatStyle::Verbose {
                o.u64(idx as u64);
                o.s(" /* ");
            }
            o.s("if_nametoindex(");
            o.quoted(&b[..n], opts);
            o.byte(b')');
            if opts.xlat == XlatStyle::Verbose {
                o.s(" */");
            }
        }
    }
}

/// if_indextoname without libc: SIOCGIFNAME on a short-lived datagram socket. The socket is the
/// one side effect a decoder has on the program (a descriptor number is taken for the duration
/// of two system calls).
fn if_name(idx: u32) -> Option<([u8; 16], usize)> {
    if idx == 0 {
        return None;
    }
    const SIOCGIFNAME: usize = 0x8910;
    let fd = crate::arch::syscall6(
        libc::SYS_socket as usize,
        [libc::AF_INET as usize, (libc::SOCK_DGRAM | libc::SOCK_CLOEXEC) as usize, 0, 0, 0, 0],
    );
    if fd < 0 {
        return None;
    }
    // struct ifreq: the name, then the union whose first int is ifr_ifindex.
    let mut ifr = [0u8; 40];
    ifr[16..20].copy_from_slice(&(idx as i32).to_ne_bytes());
    let r =
        crate::arch::syscall6(libc::SYS_ioctl as usize, [fd as usize, SIOCGIFNAME, ifr.as_mut_ptr() as usize, 0, 0, 0]);
    crate::arch::syscall6(libc::SYS_close as usize, [fd as usize, 0, 0, 0, 0, 0]);
    if r != 0 {
        return None;
    }
    let mut name = [0u8; 16];
    name.copy_from_slice(&ifr[..16]);
    let n = name.iter().position(|&c| c == 0).unwrap_or(16);
    Some((name, n))
}

// ---------------------------------------------------------------------------------------------
// Socket calls
// ---------------------------------------------------------------------------------------------

/// SOCK_STREAM|SOCK_CLOEXEC: the type in the low four bits, then the flags.
fn sock_type(o: &mut Out, opts: &TraceOpts, v: u32) {
    let t = (v & 0xf) as u64;
    if let Some(name) = lookup_name(SOCK_TYPES, t) {
        xlat_known(o, opts, t, Some(name));
        let rest = (v & !0xf) as u64;
        if rest == 0 {
            return;
        }
        o.byte(b'|');
        xflags(o, opts, rest, SOCK_FLAGS, Some("SOCK_???"));
    } else {
        xflags(o, opts, v as u64, SOCK_FLAGS, Some("SOCK_???"));
    }
}

fn socket(d: &mut Decoder) {
    let family = d.args[0] as u64;
    d.with(|o, opts, v| xval(o, opts, v as u64, ADDRFAMS, Some("AF_???")));
    d.with(|o, opts, v| sock_type(o, opts, v as u32));
    d.with(|o, opts, v| match family {
        2 | 10 => xval(o, opts, v as u64, INET_PROTOCOLS, Some("IPPROTO_???")),
        16 => xval(o, opts, v as u64, NETLINK_PROTOCOLS, Some("NETLINK_???")),
        17 => {
            o.s("htons(");
            xval(o, opts, (v as u16).swap_bytes() as u64, ETH_PROTOCOLS, Some("ETH_P_???"));
            o.byte(b')');
        }
        _ => o.u64(v as u64),
    });
    d.ret_kind = Ret::Fd;
}

/// `[3, 4]` (a descriptor pair the kernel wrote, cut at -s like any array), the address when
/// the call failed.
fn fd_pair(o: &mut Out, opts: &TraceOpts, a: usize, failed: bool) {
    if failed {
        o.ptr(a);
        return;
    }
    print_array(o, opts, a, 2, 4, |o, cur, _| match read_i32(cur) {
        Some(fd) => {
            print_fd(o, fd, opts);
            true
        }
        None => false,
    });
}

fn socketpair(d: &mut Decoder) {
    d.with(|o, opts, v| xval(o, opts, v as u64, ADDRFAMS, Some("AF_???")));
    d.with(|o, opts, v| sock_type(o, opts, v as u32));
    d.with(|o, _, v| o.u64(v as u64));
    d.split();
    let failed = d.failed();
    d.with(|o, opts, v| fd_pair(o, opts, v, failed));
}

fn bind_connect(d: &mut Decoder) {
    d.fd(0);
    let len = d.args[2] as i32;
    d.with(|o, opts, v| print_sockaddr(o, opts, v, len));
    d.int(2);
}

fn listen(d: &mut Decoder) {
    d.fd(0);
    d.int(1);
}

fn shutdown(d: &mut Decoder) {
    d.fd(0);
    d.with(|o, opts, v| xval(o, opts, v as u32 as u64, SHUT, Some("SHUT_???")));
}

/// `[16]`, or `[110 => 16]` when the kernel changed the caller's length.
fn len_change(o: &mut Out, before: i32, after: i32) {
    if before != after {
        let _ = write!(o, "[{before} => {after}]");
    } else {
        let _ = write!(o, "[{after}]");
    }
}

/// The (address, length) output pair of accept, getsockname, getpeername, recvfrom at exit.
fn sockname_out(o: &mut Out, opts: &TraceOpts, a: usize, lenp: usize, ulen: i32, failed: bool) {
    match (failed, read_i32(lenp)) {
        (false, Some(rlen)) => {
            print_sockaddr(o, opts, a, ulen.min(rlen));
            o.s(", ");
            len_change(o, ulen, rlen);
        }
        _ => {
            o.ptr(a);
            let _ = write!(o, ", [{ulen}]");
        }
    }
}

/// accept, accept4, getsockname, getpeername.
fn sockname(d: &mut Decoder, with_flags: bool) {
    d.fd(0);
    let (a, lenp) = (d.args[1], d.args[2]);
    let deref = d.opts.deref;
    let read = || if deref && a != 0 && lenp != 0 { read_i32(lenp).map(|v| [v as u32 as u64, 0, 0]) } else { None };
    match carry(d, read) {
        Some(v) => {
            d.split();
            let failed = d.failed();
            let ulen = v[0] as u32 as i32;
            d.extra(|o, opts| sockname_out(o, opts, a, lenp, ulen, failed));
        }
        None => {
            d.ptr(1);
            d.ptr(2);
        }
    }
    if with_flags {
        let flags = d.args[3] as u32 as u64;
        d.extra(|o, opts| xflags(o, opts, flags, SOCK_FLAGS, Some("SOCK_???")));
    }
}

fn accept(d: &mut Decoder) {
    sockname(d, false);
    d.ret_kind = Ret::Fd;
}

fn accept4(d: &mut Decoder) {
    sockname(d, true);
    d.ret_kind = Ret::Fd;
}

fn getsockname(d: &mut Decoder) {
    sockname(d, false);
}

fn msg_flags(o: &mut Out, opts: &TraceOpts, v: usize) {
    xflags(o, opts, v as u32 as u64, MSG_FLAGS, Some("MSG_???"));
}

fn sendto(d: &mut Decoder) {
    d.fd(0);
    let len = d.args[2];
    d.buf(1, len);
    d.ulong(2);
    d.with(msg_flags);
    let alen = d.args[5] as i32;
    d.with(|o, opts, v| print_sockaddr(o, opts, v, alen));
    d.with(|o, _, v| o.i64(v as i32 as i64));
}

fn recvfrom(d: &mut Decoder) {
    d.fd(0);
    let (a, lenp) = (d.args[4], d.args[5]);
    let deref = d.opts.deref;
    let read = || if deref && a != 0 && lenp != 0 { read_i32(lenp).map(|v| [v as u32 as u64, 0, 0]) } else { None };
    let kept = carry(d, read);
    d.split();
    let (failed, ret) = (d.failed(), d.ret);
    let len = d.args[2];
    d.with(|o, opts, v| {
        if failed {
            o.ptr(v);
        } else {
            o.mem_str(v, (ret as usize).min(len), opts);
        }
    });
    d.ulong(2);
    d.with(msg_flags);
    let rlen = if d.opts.deref && a != 0 && lenp != 0 { read_i32(lenp) } else { None };
    match rlen {
        None => {
            d.ptr(4);
            d.ptr(5);
        }
        Some(rlen) => {
            let ulen = kept.map_or(rlen, |v| v[0] as u32 as i32);
            d.extra(|o, opts| sockname_out(o, opts, a, lenp, ulen, failed));
        }
    }
}

// ----- msghdr -----

/// struct msghdr as read from the program.
struct MsgHdr {
    name: usize,
    namelen: u32,
    iov: usize,
    iovlen: u64,
    control: usize,
    controllen: u64,
    flags: u32,
}

fn read_msghdr(a: usize) -> Option<MsgHdr> {
    let mut b = [0u8; 56];
    if !read_exact(a, &mut b) {
        return None;
    }
    Some(MsgHdr {
        name: u64_at(&b, 0) as usize,
        namelen: u32_at(&b, 8),
        iov: u64_at(&b, 16) as usize,
        iovlen: u64_at(&b, 24),
        control: u64_at(&b, 32) as usize,
        controllen: u64_at(&b, 40),
        flags: u32_at(&b, 48),
    })
}

fn msghdr_fields(o: &mut Out, opts: &TraceOpts, m: &MsgHdr, user_namelen: Option<i32>, data: u64) {
    let namelen = m.namelen as i32;
    let eff = match user_namelen {
        Some(u) if namelen > u => u,
        _ => namelen,
    };
    o.s("{msg_name=");
    print_sockaddr(o, opts, m.name, eff);
    o.s(", msg_namelen=");
    if let Some(u) = user_namelen.filter(|u| *u != namelen) {
        let _ = write!(o, "{u} => ");
    }
    o.i64(namelen as i64);
    o.s(", msg_iov=");
    let shown = if data == u64::MAX { usize::MAX } else { data as usize };
    print_iov(o, opts, m.iov, m.iovlen as usize, Some(shown));
    let _ = write!(o, ", msg_iovlen={}", m.iovlen);
    if m.controllen != 0 {
        o.s(", msg_control=");
        msg_control(o, opts, m.control, m.controllen);
    }
    let _ = write!(o, ", msg_controllen={}, msg_flags=", m.controllen);
    msg_flags(o, opts, m.flags as usize);
    o.byte(b'}');
}

/// The address, or the structure.
fn msghdr(o: &mut Out, opts: &TraceOpts, a: usize, user_namelen: Option<i32>, data: u64) {
    match read_msghdr(a).filter(|_| !o.no_deref) {
        Some(m) => msghdr_fields(o, opts, &m, user_namelen, data),
        None => o.ptr(a),
    }
}

/// Control messages: `[{cmsg_len=20, cmsg_level=SOL_SOCKET, cmsg_type=SCM_RIGHTS,
/// cmsg_data=[3]}]`.
fn msg_control(o: &mut Out, opts: &TraceOpts, a: usize, in_len: u64) {
    const HDR: usize = 16;
    // strace caps at net.core.optmem_max (20480 by default); a stack buffer caps lower.
    let mut buf = [0u8; 2048];
    let control_len = (in_len.min(buf.len() as u64)) as usize;
    if control_len < HDR || !read_exact(a, &mut buf[..control_len]) {
        o.ptr(a);
        return;
    }
    let mut off = 0;
    let mut left = control_len;
    o.byte(b'[');
    while left >= HDR {
        let cmsg_len = u64_at(&buf, off);
        let level = u32_at(&buf, off + 8) as i32;
        let ty = u32_at(&buf, off + 12) as i32;
        if off != 0 {
            o.s(", ");
        }
        let _ = write!(o, "{{cmsg_len={cmsg_len}, cmsg_level=");
        xval(o, opts, level as u32 as u64, SOCKET_LEVELS, Some("SOL_???"));
        o.s(", cmsg_type=");
        let len = cmsg_len.min(left as u64) as usize;
        let data_len = len.saturating_sub(HDR);
        cmsg_data(o, opts, level, ty, &buf[off + HDR..off + HDR + data_len]);
        o.byte(b'}');
        if len < HDR {
            left -= HDR;
            break;
        }
        let step = ((cmsg_len + 7) & !7) as usize;
        if cmsg_len.saturating_add(7) >= left as u64 || step >= left {
            left = 0;
            break;
        }
        off += step;
        left -= step;
    }
    if left != 0 {
        o.s(", ...");
        comment_addr(o, a + (control_len - left));
    } else if (control_len as u64) < in_len {
        o.s(", ...");
    }
    o.byte(b']');
}

fn cmsg_data(o: &mut Out, opts: &TraceOpts, level: i32, ty: i32, data: &[u8]) {
    match level {
        libc::SOL_SOCKET => {
            xval(o, opts, ty as u32 as u64, SCM_TYPES, Some("SCM_???"));
            match ty {
                libc::SCM_RIGHTS if data.len() >= 4 => {
                    o.s(", cmsg_data=");
                    local_array(o, opts, data.len() / 4, |o, i| print_fd(o, u32_at(data, 4 * i) as i32, opts));
                }
                libc::SCM_CREDENTIALS if data.len() >= 12 => {
                    let _ = write!(
                        o,
                        ", cmsg_data={{pid={}, uid={}, gid={}}}",
                        u32_at(data, 0) as i32,
                        u32_at(data, 4) as i32,
                        u32_at(data, 8) as i32
                    );
                }
                3 if !data.is_empty() => {
                    o.s(", cmsg_data=");
                    o.quoted(data, opts);
                }
                _ => {}
            }
        }
        libc::SOL_IP => {
            xval(o, opts, ty as u32 as u64, IP_CMSG_TYPES, Some("IP_???"));
            match ty {
                libc::IP_TTL | 23 if data.len() >= 4 => {
                    o.s(", cmsg_data=");
                    local_array(o, opts, data.len() / 4, |o, i| o.u64(u32_at(data, 4 * i) as u64));
                }
                libc::IP_TOS | 4 | 7 if !data.is_empty() => {
                    o.s(", cmsg_data=");
                    local_array(o, opts, data.len(), |o, i| {
                        let _ = write!(o, "{:#x}", data[i]);
                    });
                }
                libc::IP_PKTINFO if data.len() >= 12 => {
                    o.s(", cmsg_data={ipi_ifindex=");
                    ifindex(o, opts, u32_at(data, 0));
                    o.s(", ");
                    inet_addr_field(o, opts, "ipi_spec_dst", &data[4..8]);
                    o.s(", ");
                    inet_addr_field(o, opts, "ipi_addr", &data[8..12]);
                    o.byte(b'}');
                }
                _ => {}
            }
        }
        _ => o.hex(ty as u32 as u64),
    }
}

/// An array already in local memory, cut at -s like [`array`].
fn local_array(o: &mut Out, opts: &TraceOpts, n: usize, mut elem: impl FnMut(&mut Out, usize)) {
    o.byte(b'[');
    for i in 0..n {
        if i > 0 {
            o.s(", ");
            if !opts.verbose && i >= opts.string_limit {
                o.s("...");
                break;
            }
        }
        elem(o, i);
    }
    o.byte(b']');
}

fn sendmsg(d: &mut Decoder) {
    d.fd(0);
    d.with(|o, opts, v| msghdr(o, opts, v, None, u64::MAX));
    d.with(msg_flags);
}

fn recvmsg(d: &mut Decoder) {
    d.fd(0);
    let a = d.args[1];
    let deref = d.opts.deref;
    match carry(d, || read_msghdr(a).filter(|_| deref).map(|m| [m.namelen as u64, 0, 0])) {
        Some(v) => {
            d.split();
            let namelen = v[0] as u32 as i32;
            let (failed, ret) = (d.failed(), d.ret);
            d.with(|o, opts, v| {
                if failed {
                    let _ = write!(o, "{{msg_namelen={namelen}}}");
                } else {
                    msghdr(o, opts, v, Some(namelen), ret as u64);
                }
            });
        }
        None => d.ptr(1),
    }
    d.with(msg_flags);
}

/// An array of struct mmsghdr: `count` of them; `lens` of them with msg_len; each message's
/// data cut at its msg_len when `use_len`.
fn mmsgvec(o: &mut Out, opts: &TraceOpts, a: usize, count: u64, lens: u64, use_len: bool) {
    print_array(o, opts, a, count, 64, |o, cur, i| {
        let Some(m) = read_msghdr(cur) else {
            return false;
        };
        let Some(len) = read_u64(cur + 56).map(|v| v as u32) else {
            return false;
        };
        o.s("{msg_hdr=");
        msghdr_fields(o, opts, &m, None, if use_len { len as u64 } else { u64::MAX });
        if (i as u64) < lens {
            let _ = write!(o, ", msg_len={len}");
        }
        o.byte(b'}');
        true
    });
}

fn sendmmsg(d: &mut Decoder) {
    d.fd(0);
    d.split();
    let (failed, ret) = (d.failed(), d.ret);
    let vlen = d.args[2] as u32 as u64;
    d.with(|o, opts, v| mmsgvec(o, opts, v, vlen, if failed { 0 } else { ret as u64 }, false));
    d.with(|o, _, v| o.u64(v as u32 as u64));
    d.with(msg_flags);
}

/// The timeout as recvmmsg saw it at entry, kept as (kind, sec, nsec): kind 0 NULL, 1
/// unreadable (sec holds the address), 2 a value.
fn timespec_at_entry(a: usize) -> [u64; 3] {
    let mut b = [0u8; 16];
    if a == 0 {
        [0, 0, 0]
    } else if read_exact(a, &mut b) {
        [2, u64_at(&b, 0), u64_at(&b, 8)]
    } else {
        [1, a as u64, 0]
    }
}

fn recvmmsg(d: &mut Decoder) {
    d.fd(0);
    let ts = d.args[4];
    match carry(d, || Some(timespec_at_entry(ts))) {
        Some(t) => {
            d.split();
            let (failed, ret) = (d.failed(), d.ret);
            d.with(|o, opts, v| {
                if failed {
                    o.ptr(v);
                } else {
                    mmsgvec(o, opts, v, ret as u64, ret as u64, true);
                }
            });
            d.with(|o, _, v| o.u64(v as u32 as u64));
            d.with(msg_flags);
            d.extra(|o, _| match t[0] {
                0 => o.s("NULL"),
                1 => o.hex(t[1]),
                _ => print_timespec(o, [t[1] as i64, t[2] as i64]),
            });
        }
        None => {
            d.ptr(1);
            d.with(|o, _, v| o.u64(v as u32 as u64));
            d.with(msg_flags);
            d.with(|o, _, v| print_timespec_at(o, v, false));
        }
    }
    if d.phase == Phase::Exit && !d.failed() {
        if d.ret == 0 {
            d.ret_note = Some(" (Timeout)");
        } else if ts != 0 {
            d.note(|o| {
                o.s(" (left ");
                print_timespec_at(o, ts, false);
                o.byte(b')');
            });
        }
    }
}

// ----- socket options -----

fn sockopt_name(o: &mut Out, opts: &TraceOpts, level: u32, name: u32, get: bool) {
    let v = name as u64;
    let (common, extra, dflt): (Xlat, Xlat, &str) = match level {
        1 => (SO_OPTIONS, if get { SO_GET_ONLY } else { SO_SET_ONLY }, "SO_???"),
        0 => (IP_OPTIONS, &[], "IP_???"),
        41 => (IPV6_OPTIONS, &[], "IPV6_???"),
        6 => (TCP_OPTIONS, &[], "TCP_???"),
        17 => (UDP_OPTIONS, &[], "UDP_???"),
        270 => (NETLINK_OPTIONS, &[], "NETLINK_???"),
        _ => {
            o.u64(v);
            return;
        }
    };
    if extra.iter().any(|(k, _)| *k == v) {
        xval(o, opts, v, extra, Some(dflt));
    } else {
        xval(o, opts, v, common, Some(dflt));
    }
}

fn sockopt_head(d: &mut Decoder, get: bool) {
    d.fd(0);
    d.with(|o, opts, v| xval(o, opts, v as u32 as u64, SOCKET_LEVELS, Some("SOL_??")));
    let level = d.args[1] as u32;
    d.with(|o, opts, v| sockopt_name(o, opts, level, v as u32, get));
}

fn linger(o: &mut Out, a: usize, len: usize) {
    let mut b = [0u8; 8];
    let len = len.min(8);
    if !fetch_bytes(o, a, false, &mut b[..len]) {
        return;
    }
    o.byte(b'{');
    if len >= 4 {
        let _ = write!(o, "l_onoff={}", u32_at(&b, 0) as i32);
    }
    if len >= 8 {
        let _ = write!(o, ", l_linger={}", u32_at(&b, 4) as i32);
    }
    o.byte(b'}');
}

fn setsockopt(d: &mut Decoder) {
    sockopt_head(d, false);
    let (level, name, len) = (d.args[1] as u32, d.args[2] as u32, d.args[4] as i32);
    d.with(|o, opts, a| {
        if a == 0 {
            o.s("NULL");
        } else if level == 1 && name == 13 {
            if len < 8 {
                o.hex(a as u64);
            } else {
                linger(o, a, 8);
            }
        } else if level == 1 && name == 25 {
            o.mem_str(a, len.max(0) as usize, opts);
        } else if len < 4 {
            o.hex(a as u64);
        } else {
            print_num_i32(o, a, false);
        }
    });
    d.with(|o, _, v| o.i64(v as i32 as i64));
}

fn getsockopt_value(o: &mut Out, opts: &TraceOpts, level: u32, name: u32, a: usize, ulen: i32, rlen: i32) {
    if ulen <= 0 || rlen <= 0 || a == 0 {
        o.ptr(a);
        return;
    }
    match (level, name) {
        (1, 13) => linger(o, a, rlen as usize),
        (1, 17) => {
            let mut b = [0u8; 12];
            let n = (rlen as usize).min(12);
            if !fetch_bytes(o, a, false, &mut b[..n]) {
                return;
            }
            o.byte(b'{');
            if n >= 4 {
                let _ = write!(o, "pid={}", u32_at(&b, 0) as i32);
            }
            if n >= 8 {
                let _ = write!(o, ", uid={}", u32_at(&b, 4) as i32);
            }
            if n >= 12 {
                let _ = write!(o, ", gid={}", u32_at(&b, 8) as i32);
            }
            o.byte(b'}');
        }
        (1, 4) => match read_i32(a) {
            Some(0) => o.s("[0]"),
            Some(e) => match crate::trace::errno::lookup(e) {
                Some((name, _)) => {
                    let _ = write!(o, "[{name}]");
                }
                None => {
                    let _ = write!(o, "[{e}]");
                }
            },
            None => o.ptr(a),
        },
        (270, _) => print_num_i32(o, a, false),
        _ if rlen == 4 => print_num_i32(o, a, false),
        _ => {
            let shown = (rlen as usize).min(opts.string_limit);
            let mut b = [0u8; 256];
            let n = shown.min(b.len());
            if !fetch_bytes(o, a, false, &mut b[..n]) {
                return;
            }
            hex_quoted(o, &b[..n]);
            if (rlen as usize) > n {
                o.s("...");
            }
        }
    }
}

fn getsockopt(d: &mut Decoder) {
    sockopt_head(d, true);
    let (level, name, a, lenp) = (d.args[1] as u32, d.args[2] as u32, d.args[3], d.args[4]);
    let deref = d.opts.deref;
    let read = || if deref && lenp != 0 { read_i32(lenp).map(|v| [v as u32 as u64, 0, 0]) } else { None };
    match carry(d, read) {
        Some(v) => {
            d.split();
            let ulen = v[0] as u32 as i32;
            let failed = d.failed();
            d.extra(|o, opts| match (failed, read_i32(lenp)) {
                (false, Some(rlen)) => {
                    getsockopt_value(o, opts, level, name, a, ulen, rlen);
                    o.s(", ");
                    len_change(o, ulen, rlen);
                }
                _ => {
                    o.ptr(a);
                    let _ = write!(o, ", [{ulen}]");
                }
            });
        }
        None => {
            d.ptr(3);
            d.ptr(4);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// poll, select
// ---------------------------------------------------------------------------------------------

fn pollfds(o: &mut Out, opts: &TraceOpts, a: usize, n: u32) {
    print_array(o, opts, a, n as u64, 8, |o, cur, _| {
        let mut b = [0u8; 8];
        if !read_exact(cur, &mut b) {
            return false;
        }
        let fd = u32_at(&b, 0) as i32;
        o.s("{fd=");
        print_fd(o, fd, opts);
        if fd >= 0 {
            o.s(", events=");
            xflags(o, opts, u16_at(&b, 4) as u64, POLL_FLAGS, Some("POLL???"));
        }
        o.byte(b'}');
        true
    });
}

/// The note after poll's result: the descriptors with events, then the time left (ppoll).
fn poll_note(d: &mut Decoder, pts: usize, tv: bool) {
    if d.failed() {
        return;
    }
    if d.ret == 0 {
        d.ret_note = Some(" (Timeout)");
        return;
    }
    if !d.opts.deref {
        // strace reads the returned events only for calls it follows pointers of.
        return;
    }
    let (start, nfds) = (d.args[0], d.args[1] as u32);
    let opts = d.opts;
    d.note(|o| poll_note_text(o, opts, start, nfds, pts, tv));
}

fn poll_note_text(o: &mut Out, opts: &TraceOpts, start: usize, nfds: u32, pts: usize, tv: bool) {
    o.s(" (");
    let body = o.len();
    if start != 0 && nfds != 0 && start.checked_add(8 * nfds as usize).is_some() {
        let mut printed = 0usize;
        for i in 0..nfds as usize {
            let cur = start + 8 * i;
            let mut b = [0u8; 8];
            let first = o.len() == body;
            if !read_exact(cur, &mut b) {
                o.s(if first { "[" } else { ", " });
                o.hex(cur as u64);
                break;
            }
            let revents = u16_at(&b, 6);
            if revents == 0 {
                continue;
            }
            o.s(if first { "[" } else { ", " });
            if !opts.verbose && printed + 1 > opts.string_limit {
                o.s("...");
                break;
            }
            let _ = write!(o, "{{fd={}, revents=", u32_at(&b, 0) as i32);
            xflags(o, opts, revents as u64, POLL_FLAGS, None);
            o.byte(b'}');
            printed += 1;
        }
        if o.len() != body {
            o.byte(b']');
        }
    }
    finish_note_with_time_left(o, body, pts, tv);
}

/// The end of poll's and select's result notes: the time left (for calls with a timeout), then
/// `)`; no note at all when nothing followed its opening (`body` is where the note's text starts).
fn finish_note_with_time_left(o: &mut Out, body: usize, pts: usize, tv: bool) {
    if pts != 0 {
        o.s(if o.len() == body { "left " } else { ", left " });
        if tv {
            print_timeval_at(o, pts, false);
        } else {
            print_timespec_at(o, pts, false);
        }
    }
    if o.len() == body {
        o.truncate(0);
    } else {
        o.byte(b')');
    }
}

fn poll(d: &mut Decoder) {
    let n = d.args[1] as u32;
    d.with(|o, opts, v| pollfds(o, opts, v, n));
    d.uint(1);
    d.int(2);
    if d.phase == Phase::Exit {
        poll_note(d, 0, false);
    }
}

fn ppoll(d: &mut Decoder) {
    let n = d.args[1] as u32;
    d.with(|o, opts, v| pollfds(o, opts, v, n));
    d.uint(1);
    d.with(|o, _, v| print_timespec_at(o, v, false));
    let size = d.args[4];
    d.with(|o, opts, v| print_sigset_at(o, opts, v, size, 8, false));
    d.ulong(4);
    if d.phase == Phase::Exit {
        let pts = d.args[2];
        poll_note(d, pts, false);
    }
}

/// select's fd_set length for `nfds` (strace clamps it and rounds to longs).
fn fdset_bytes(nfds: i32) -> (usize, usize) {
    let n = nfds.clamp(0, 1024 * 1024) as usize;
    (n, (n.div_ceil(8) + 7) & !7)
}

/// Calls `f` for each descriptor set in the program's fd_set of `size` bytes, below `nfds`;
/// false (and no calls) if any of it is unreadable.
fn fdset_each(a: usize, size: usize, nfds: usize, mut f: impl FnMut(usize) -> bool) -> bool {
    let mut chunk = [0u8; 512];
    let mut off = 0;
    while off < size {
        let n = (size - off).min(chunk.len());
        if !read_exact(a + off, &mut chunk[..n]) {
            return false;
        }
        off += n;
    }
    off = 0;
    while off < size {
        let n = (size - off).min(chunk.len());
        if !read_exact(a + off, &mut chunk[..n]) {
            return false;
        }
        for (k, &byte) in chunk[..n].iter().enumerate() {
            if byte == 0 {
                continue;
            }
            for bit in 0..8 {
                let fd = (off + k) * 8 + bit;
                if fd >= nfds {
                    return true;
                }
                if byte & (1 << bit) != 0 && !f(fd) {
                    return true;
                }
            }
        }
        off += n;
    }
    true
}

fn fdset_arg(o: &mut Out, opts: &TraceOpts, a: usize, nfds: i32) {
    let (n, size) = fdset_bytes(nfds);
    if size == 0 || a == 0 || o.no_deref {
        o.ptr(a);
        return;
    }
    let start = o.len();
    o.byte(b'[');
    let mut first = true;
    let ok = fdset_each(a, size, n, |fd| {
        if !first {
            o.byte(b' ');
        }
        first = false;
        print_fd(o, fd as i32, opts);
        true
    });
    if ok {
        o.byte(b']');
    } else {
        o.truncate(start);
        o.hex(a as u64);
    }
}

fn select_note(d: &mut Decoder, tv: bool) {
    if d.failed() {
        return;
    }
    if d.ret == 0 {
        d.ret_note = Some(" (Timeout)");
        return;
    }
    let (args, ret) = (d.args, d.ret);
    d.note(|o| select_note_text(o, args, ret, tv));
}

fn select_note_text(o: &mut Out, args: [usize; 6], ret: isize, tv: bool) {
    let (n, size) = fdset_bytes(args[0] as i32);
    let mut ready = ret as i64;
    o.s(" (");
    let body = o.len();
    let mut sep = "";
    for i in 0..3 {
        if ready <= 0 {
            break;
        }
        let a = args[i + 1];
        if a == 0 || size == 0 {
            continue;
        }
        let mut first = true;
        fdset_each(a, size, n, |fd| {
            if first {
                let _ = write!(o, "{sep}{} [{fd}", ["in", "out", "except"][i]);
                first = false;
                sep = ", ";
            } else {
                let _ = write!(o, " {fd}");
            }
            ready -= 1;
            ready != 0
        });
        // strace closes the bracket after every set read once anything was written.
        if o.len() != body {
            o.byte(b']');
        }
    }
    finish_note_with_time_left(o, body, args[4], tv);
}

fn select(d: &mut Decoder) {
    d.int(0);
    let nfds = d.args[0] as i32;
    for _ in 0..3 {
        d.with(|o, opts, v| fdset_arg(o, opts, v, nfds));
    }
    d.with(|o, _, v| print_timeval_at(o, v, false));
    if d.phase == Phase::Exit {
        select_note(d, true);
    }
}

fn pselect6(d: &mut Decoder) {
    d.int(0);
    let nfds = d.args[0] as i32;
    for _ in 0..3 {
        d.with(|o, opts, v| fdset_arg(o, opts, v, nfds));
    }
    d.with(|o, _, v| print_timespec_at(o, v, false));
    d.with(|o, opts, a| {
        let mut b = [0u8; 16];
        if fetch_bytes(o, a, false, &mut b) {
            let (set, len) = (u64_at(&b, 0) as usize, u64_at(&b, 8));
            o.s("{sigmask=");
            print_sigset_at(o, opts, set, len as usize, 8, false);
            let _ = write!(o, ", sigsetsize={len}}}");
        }
    });
    if d.phase == Phase::Exit {
        select_note(d, false);
    }
}

// ---------------------------------------------------------------------------------------------
// epoll, eventfd
// ---------------------------------------------------------------------------------------------

fn epoll_event_fields(o: &mut Out, opts: &TraceOpts, b: &[u8]) {
    o.s("{events=");
    xflags(o, opts, u32_at(b, 0) as u64, EPOLL_EVENTS, Some("EPOLL???"));
    // struct epoll_event is packed on x86-64: the data follows the events directly.
    let data = u64_at(b, 4);
    let _ = write!(o, ", data={{u32={}, u64={}}}}}", data as u32, data);
}

fn epoll_event(o: &mut Out, opts: &TraceOpts, a: usize) {
    let mut b = [0u8; 12];
    if fetch_bytes(o, a, false, &mut b) {
        epoll_event_fields(o, opts, &b);
    }
}

fn epoll_create(d: &mut Decoder) {
    d.int(0);
    d.ret_kind = Ret::Fd;
}

fn epoll_create1(d: &mut Decoder) {
    d.with(|o, opts, v| xflags(o, opts, v as u32 as u64, EPOLL_CREATE_FLAGS, Some("EPOLL_???")));
    d.ret_kind = Ret::Fd;
}

fn epoll_ctl(d: &mut Decoder) {
    d.fd(0);
    d.with(|o, opts, v| xval(o, opts, v as u32 as u64, EPOLL_CTL, Some("EPOLL_CTL_???")));
    d.fd(2);
    d.with(epoll_event);
}

/// epoll_wait's output: `ret` events, or the address when the call failed.
fn epoll_events_out(d: &mut Decoder) {
    let (failed, ret) = (d.failed(), d.ret);
    d.with(|o, opts, a| {
        if failed {
            o.ptr(a);
        } else {
            print_array(o, opts, a, ret as u64, 12, |o, cur, _| {
                let mut b = [0u8; 12];
                if !read_exact(cur, &mut b) {
                    return false;
                }
                epoll_event_fields(o, opts, &b);
                true
            });
        }
    });
}

fn epoll_wait(d: &mut Decoder) {
    d.fd(0);
    d.split();
    epoll_events_out(d);
    d.int(2);
    d.int(3);
}

fn epoll_pwait(d: &mut Decoder) {
    d.fd(0);
    d.split();
    epoll_events_out(d);
    d.int(2);
    d.int(3);
    let size = d.args[5];
    d.with(|o, opts, v| print_sigset_at(o, opts, v, size, 8, false));
    d.ulong(5);
}

fn epoll_pwait2(d: &mut Decoder) {
    d.fd(0);
    d.split();
    epoll_events_out(d);
    d.int(2);
    d.with(|o, _, v| print_timespec_at(o, v, false));
    let size = d.args[5];
    d.with(|o, opts, v| print_sigset_at(o, opts, v, size, 8, false));
    d.ulong(5);
}

// ---------------------------------------------------------------------------------------------
// System V IPC, POSIX message queues
// ---------------------------------------------------------------------------------------------

fn ipc_key(o: &mut Out, opts: &TraceOpts, v: usize) {
    xval(o, opts, v as u32 as u64, &[(0, "IPC_PRIVATE")], None);
}

/// `IPC_CREAT|0600`: the flags above the permission bits, then the mode (always).
fn ipc_flags_mode(o: &mut Out, opts: &TraceOpts, v: u32, names: Xlat) {
    let flags = (v & !0o777) as u64;
    if flags != 0 {
        xflags(o, opts, flags, names, Some("IPC_???"));
        o.byte(b'|');
    }
    o.octal((v & 0o777) as u64);
}

fn msgget(d: &mut Decoder) {
    d.with(ipc_key);
    d.with(|o, opts, v| ipc_flags_mode(o, opts, v as u32, IPC_CREATE_FLAGS));
}

fn semget(d: &mut Decoder) {
    d.with(ipc_key);
    d.int(1);
    d.with(|o, opts, v| ipc_flags_mode(o, opts, v as u32, IPC_CREATE_FLAGS));
}

fn shmget(d: &mut Decoder) {
    d.with(ipc_key);
    d.ulong(1);
    d.with(|o, opts, v| ipc_flags_mode(o, opts, v as u32, SHM_CREATE_FLAGS));
}

/// `{mtype=1, mtext="abc\0"}` (mtext `len` bytes, cut at -s), or the address.
fn msgbuf(o: &mut Out, opts: &TraceOpts, a: usize, len: usize) {
    if let Some(t) = fetch::<i64>(o, a, false) {
        let _ = write!(o, "{{mtype={t}, mtext=");
        o.mem_str(a + 8, len, opts);
        o.byte(b'}');
    }
}

fn msgsnd(d: &mut Decoder) {
    d.int(0);
    let len = d.args[2];
    d.with(|o, opts, v| msgbuf(o, opts, v, len));
    d.ulong(2);
    d.with(|o, opts, v| xflags(o, opts, v as u32 as u64, IPC_NOWAIT_FLAG, Some("MSG_???")));
}

fn msgrcv(d: &mut Decoder) {
    d.int(0);
    d.split();
    let failed = d.failed();
    let len = d.args[2];
    d.with(|o, opts, v| {
        if failed {
            o.ptr(v);
        } else {
            msgbuf(o, opts, v, len);
        }
    });
    d.ulong(2);
    d.long(3);
    d.with(|o, opts, v| xflags(o, opts, v as u32 as u64, MSGRCV_FLAGS, Some("MSG_???")));
}

/// An IPC ctl command: `IPC_STAT`, `IPC_64|IPC_STAT`.
fn ipc_cmd(o: &mut Out, opts: &TraceOpts, v: u32, names: Xlat, dflt: &str) {
    let mut c = v;
    if c & 0x100 != 0 {
        xval(o, opts, 0x100, &[(0x100, "IPC_64")], None);
        o.byte(b'|');
        c &= !0x100;
    }
    xval(o, opts, c as u64, names, Some(dflt));
}

/// `struct ipc_perm` fields as strace prints them.
fn ipc_perm(o: &mut Out, b: &[u8]) {
    let _ = write!(o, "{{uid={}, gid={}, mode=", u32_at(b, 4) as i32, u32_at(b, 8) as i32,);
    o.octal(u16_at(b, 20) as u64);
    let _ = write!(o, ", key={}, cuid={}, cgid={}}}", u32_at(b, 0) as i32, u32_at(b, 12) as i32, u32_at(b, 16) as i32);
}

fn msqid_ds(o: &mut Out, a: usize) {
    let mut b = [0u8; 120];
    if !fetch_bytes(o, a, false, &mut b) {
        return;
    }
    o.s("{msg_perm=");
    ipc_perm(o, &b);
    let _ = write!(
        o,
        ", msg_stime={}, msg_rtime={}, msg_ctime={}, msg_qnum={}, msg_qbytes={}, msg_lspid={}, msg_lrpid={}}}",
        u64_at(&b, 48) as i64,
        u64_at(&b, 56) as i64,
        u64_at(&b, 64) as i64,
        u64_at(&b, 80),
        u64_at(&b, 88),
        u32_at(&b, 96) as i32,
        u32_at(&b, 100) as i32,
    );
}

fn shmid_ds(o: &mut Out, a: usize) {
    let mut b = [0u8; 112];
    if !fetch_bytes(o, a, false, &mut b) {
        return;
    }
    o.s("{shm_perm=");
    ipc_perm(o, &b);
    let _ = write!(
        o,
        ", shm_segsz={}, shm_cpid={}, shm_lpid={}, shm_nattch={}, shm_atime={}, shm_dtime={}, shm_ctime={}}}",
        u64_at(&b, 48),
        u32_at(&b, 80) as i32,
        u32_at(&b, 84) as i32,
        u64_at(&b, 88),
        u64_at(&b, 56) as i64,
        u64_at(&b, 64) as i64,
        u64_at(&b, 72) as i64,
    );
}

/// msgctl and shmctl: a structure read back at exit for the STAT commands, the address
/// otherwise.
fn ipc_ctl(d: &mut Decoder, names: Xlat, dflt: &'static str, stat: &[u32], print: fn(&mut Out, usize)) {
    d.int(0);
    d.with(|o, opts, v| ipc_cmd(o, opts, v as u32, names, dflt));
    let cmd = d.args[1] as u32 & !0x100;
    if stat.contains(&cmd) {
        d.split();
        let failed = d.failed();
        d.with(|o, _, a| {
            if failed || a == 0 {
                o.ptr(a);
            } else {
                print(o, a);
            }
        });
    } else {
        d.ptr(2);
    }
}

fn msgctl(d: &mut Decoder) {
    ipc_ctl(d, MSGCTL_CMDS, "MSG_???", &[2, 11, 13], msqid_ds);
}

fn shmctl(d: &mut Decoder) {
    ipc_ctl(d, SHMCTL_CMDS, "SHM_???", &[2, 13, 15], shmid_ds);
}

fn semctl(d: &mut Decoder) {
    d.int(0);
    d.int(1);
    d.with(|o, opts, v| ipc_cmd(o, opts, v as u32, SEMCTL_CMDS, "SEM_???"));
    d.ptr(3);
}

fn sembufs(o: &mut Out, opts: &TraceOpts, a: usize, n: u64) {
    print_array(o, opts, a, n, 6, |o, cur, _| {
        let mut b = [0u8; 6];
        if !read_exact(cur, &mut b) {
            return false;
        }
        let _ = write!(o, "{{sem_num={}, sem_op={}, sem_flg=", u16_at(&b, 0), u16_at(&b, 2) as i16);
        xflags(o, opts, u16_at(&b, 4) as u64, SEM_FLAGS, Some("SEM_???"));
        o.byte(b'}');
        true
    });
}

fn semop(d: &mut Decoder) {
    d.int(0);
    let n = d.args[2] as u32 as u64;
    d.with(|o, opts, v| sembufs(o, opts, v, n));
    d.uint(2);
}

fn semtimedop(d: &mut Decoder) {
    semop(d);
    d.with(|o, _, v| print_timespec_at(o, v, false));
}

fn shmat(d: &mut Decoder) {
    d.int(0);
    d.ptr(1);
    d.with(|o, opts, v| xflags(o, opts, v as u32 as u64, SHMAT_FLAGS, Some("SHM_???")));
    d.ret_kind = Ret::Hex;
}

fn shmdt(d: &mut Decoder) {
    d.ptr(0);
}

fn mq_open(d: &mut Decoder) {
    d.path(0);
    let flags = d.args[1] as u32;
    d.with(|o, opts, v| print_open_modes(o, opts, v as u32 as u64));
    if flags & 0o100 != 0 {
        d.with(|o, _, v| o.octal(v as u32 as u64));
        d.with(|o, _, a| {
            let mut b = [0u8; 32];
            if fetch_bytes(o, a, false, &mut b) {
                let _ = write!(
                    o,
                    "{{mq_flags={}, mq_maxmsg={}, mq_msgsize={}, mq_curmsgs={}}}",
                    u64_at(&b, 0) as i64,
                    u64_at(&b, 8) as i64,
                    u64_at(&b, 16) as i64,
                    u64_at(&b, 24) as i64
                );
            }
        });
    }
    d.ret_kind = Ret::Fd;
}

fn mq_unlink(d: &mut Decoder) {
    d.path(0);
}

/// The calls this family decodes.
pub fn lookup(nr: usize) -> Option<DecodeFn> {
    let f: DecodeFn = match nr as libc::c_long {
        libc::SYS_socket => socket,
        libc::SYS_socketpair => socketpair,
        libc::SYS_bind | libc::SYS_connect => bind_connect,
        libc::SYS_listen => listen,
        libc::SYS_shutdown => shutdown,
        libc::SYS_accept => accept,
        libc::SYS_accept4 => accept4,
        libc::SYS_getsockname | libc::SYS_getpeername => getsockname,
        libc::SYS_sendto => sendto,
        libc::SYS_recvfrom => recvfrom,
        libc::SYS_sendmsg => sendmsg,
        libc::SYS_recvmsg => recvmsg,
        libc::SYS_sendmmsg => sendmmsg,
        libc::SYS_recvmmsg => recvmmsg,
        libc::SYS_setsockopt => setsockopt,
        libc::SYS_getsockopt => getsockopt,
        libc::SYS_poll => poll,
        libc::SYS_ppoll => ppoll,
        libc::SYS_select => select,
        libc::SYS_pselect6 => pselect6,
        libc::SYS_epoll_create => epoll_create,
        libc::SYS_epoll_create1 => epoll_create1,
        libc::SYS_epoll_ctl => epoll_ctl,
        libc::SYS_epoll_wait => epoll_wait,
        libc::SYS_epoll_pwait => epoll_pwait,
        libc::SYS_epoll_pwait2 => epoll_pwait2,
        libc::SYS_msgget => msgget,
        libc::SYS_msgsnd => msgsnd,
        libc::SYS_msgrcv => msgrcv,
        libc::SYS_msgctl => msgctl,
        libc::SYS_semget => semget,
        libc::SYS_semop => semop,
        libc::SYS_semtimedop => semtimedop,
        libc::SYS_semctl => semctl,
        libc::SYS_shmget => shmget,
        libc::SYS_shmat => shmat,
        libc::SYS_shmdt => shmdt,
        libc::SYS_shmctl => shmctl,
        libc::SYS_mq_open => mq_open,
        libc::SYS_mq_unlink => mq_unlink,
        _ => return None,
    };
    Some(f)
}

#[cfg(test)]
mod tests {
    //! Every expected line is what strace 6.1 printed for the same call (C programs making these
    //! calls, run under `strace`, `strace -X raw`, `-X verbose`, `-s N`, `-xx`); descriptor
    //! numbers, ports and addresses are filled in from the calls made here.

    use super::*;
    use crate::trace::decode::{self, Phase};
    use crate::trace::{append_result, TraceOpts, XlatStyle};
    use libc::c_long;
    use std::mem::{size_of, zeroed};

    fn opts() -> TraceOpts {
        TraceOpts::default()
    }

    fn xlat(x: XlatStyle) -> TraceOpts {
        TraceOpts { xlat: x, ..TraceOpts::default() }
    }

    /// The exit half and the result (as `render_line` assembles them).
    fn finish(
        mut line: Out,
        nr: c_long,
        args: [usize; 6],
        ret: isize,
        o: &TraceOpts,
        carried: Option<[u64; 3]>,
    ) -> String {
        let outcome = decode::decode_with(&mut line, nr as usize, args, ret, Phase::Exit, o, carried);
        let mut rbuf = [0u8; 2 * decode::NOTE_MAX];
        let mut r = Out::new(&mut rbuf);
        decode::write_result(&mut r, ret, &outcome, o);
        append_result(&mut line, 0, r.as_bytes(), o.align);
        String::from_utf8_lossy(line.as_bytes()).into_owned()
    }

    /// Entry phase, the call itself, exit phase: as a tracer sees a call.
    fn traced(nr: c_long, args: [usize; 6], o: &TraceOpts) -> (String, isize) {
        let mut buf = vec![0u8; 64 * 1024];
        let mut line = Out::new(&mut buf);
        let entry = decode::decode(&mut line, nr as usize, args, 0, Phase::Entry, o);
        let ret = crate::arch::syscall6(nr as usize, args);
        (finish(line, nr, args, ret, o, entry.carried), ret)
    }

    /// Both phases over a call that is not made, with the given result.
    fn line(nr: c_long, args: [usize; 6], ret: isize, o: &TraceOpts) -> String {
        let mut buf = vec![0u8; 64 * 1024];
        let mut l = Out::new(&mut buf);
        let entry = decode::decode(&mut l, nr as usize, args, 0, Phase::Entry, o);
        finish(l, nr, args, ret, o, entry.carried)
    }

    fn p<T>(x: &T) -> usize {
        x as *const T as usize
    }

    fn pm<T>(x: &mut T) -> usize {
        x as *mut T as usize
    }

    /// `text` padded as strace pads before ` = ` (column 40).
    fn pad(call: &str, result: &str) -> String {
        format!("{call:<39} = {result}")
    }

    fn sun(path: &[u8]) -> (libc::sockaddr_un, usize) {
        // SAFETY: sockaddr_un is plain data; all-zero is a valid value.
        let mut a: libc::sockaddr_un = unsafe { zeroed() };
        a.sun_family = libc::AF_UNIX as u16;
        for (i, c) in path.iter().enumerate() {
            a.sun_path[i] = *c as libc::c_char;
        }
        (a, 2 + path.len())
    }

    fn sin(port: u16, addr: [u8; 4]) -> libc::sockaddr_in {
        libc::sockaddr_in {
            sin_family: libc::AF_INET as u16,
            sin_port: port.to_be(),
            sin_addr: libc::in_addr { s_addr: u32::from_ne_bytes(addr) },
            sin_zero: [0; 8],
        }
    }

    fn sin6(port: u16, flow: u32, addr: [u8; 16], scope: u32) -> libc::sockaddr_in6 {
        libc::sockaddr_in6 {
            sin6_family: libc::AF_INET6 as u16,
            sin6_port: port.to_be(),
            sin6_flowinfo: flow.to_be(),
            sin6_addr: libc::in6_addr { s6_addr: addr },
            sin6_scope_id: scope,
        }
    }

    fn loopback6() -> [u8; 16] {
        let mut a = [0u8; 16];
        a[15] = 1;
        a
    }

    fn fe80_1() -> [u8; 16] {
        let mut a = [0u8; 16];
        a[0] = 0xfe;
        a[1] = 0x80;
        a[15] = 1;
        a
    }

    fn sock(domain: i32, ty: i32) -> i32 {
        // SAFETY: plain socket creation.
        let fd = unsafe { libc::socket(domain, ty, 0) };
        assert!(fd >= 0);
        fd
    }

    fn pair(ty: i32) -> [i32; 2] {
        let mut sv = [0i32; 2];
        // SAFETY: sv has room for the two descriptors.
        assert_eq!(unsafe { libc::socketpair(libc::AF_UNIX, ty, 0, sv.as_mut_ptr()) }, 0);
        sv
    }

    fn close(fds: &[i32]) {
        for &fd in fds {
            // SAFETY: closing descriptors this test opened.
            unsafe { libc::close(fd) };
        }
    }

    /// Stores through a reference whose address an argument array already holds.
    fn set(x: &mut u32, v: u32) {
        // SAFETY: `x` is a valid, exclusive reference.
        unsafe { core::ptr::write_volatile(x, v) };
    }

    fn a6(v: [usize; 6]) -> [usize; 6] {
        v
    }

    #[test]
    fn socket_constants() {
        let o = opts();
        let s = libc::SYS_socket;
        assert_eq!(
            line(s, [2, 0x80001, 0, 0, 0, 0], 3, &o),
            "socket(AF_INET, SOCK_STREAM|SOCK_CLOEXEC, IPPROTO_IP) = 3"
        );
        assert_eq!(line(s, [2, 1, 6, 0, 0, 0], 4, &o), "socket(AF_INET, SOCK_STREAM, IPPROTO_TCP) = 4");
        assert_eq!(line(s, [1, 2, 0, 0, 0, 0], 5, &o), pad("socket(AF_UNIX, SOCK_DGRAM, 0)", "5"));
        assert_eq!(line(s, [10, 2, 17, 0, 0, 0], 7, &o), "socket(AF_INET6, SOCK_DGRAM, IPPROTO_UDP) = 7");
        assert_eq!(line(s, [16, 3, 0, 0, 0, 0], 8, &o), "socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE) = 8");
        assert_eq!(line(s, [16, 3, 15, 0, 0, 0], 9, &o), "socket(AF_NETLINK, SOCK_RAW, NETLINK_KOBJECT_UEVENT) = 9");
        assert_eq!(
            line(s, [16, 2, 99, 0, 0, 0], -93, &o),
            "socket(AF_NETLINK, SOCK_DGRAM, 0x63 /* NETLINK_??? */) = -1 EPROTONOSUPPORT (Protocol not supported)"
        );
        assert_eq!(line(s, [17, 3, 0x300, 0, 0, 0], 11, &o), "socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL)) = 11");
        assert_eq!(
            line(s, [123, 1, 0, 0, 0, 0], -97, &o),
            "socket(0x7b /* AF_??? */, SOCK_STREAM, 0) = -1 EAFNOSUPPORT (Address family not supported by protocol)"
        );
        assert_eq!(
            line(s, [2, 77, 0, 0, 0, 0], -22, &o),
            "socket(AF_INET, 0x4d /* SOCK_??? */, IPPROTO_IP) = -1 EINVAL (Invalid argument)"
        );
        assert_eq!(
            line(s, [2, 0x802, 1, 0, 0, 0], -13, &o),
            "socket(AF_INET, SOCK_DGRAM|SOCK_NONBLOCK, IPPROTO_ICMP) = -1 EACCES (Permission denied)"
        );
        assert_eq!(
            line(s, [2, 0x101, 0, 0, 0, 0], -22, &o),
            "socket(AF_INET, SOCK_STREAM|0x100 /* SOCK_??? */, IPPROTO_IP) = -1 EINVAL (Invalid argument)"
        );
        assert_eq!(
            line(s, [2, 0x80801, 0, 0, 0, 0], 3, &o),
            "socket(AF_INET, SOCK_STREAM|SOCK_CLOEXEC|SOCK_NONBLOCK, IPPROTO_IP) = 3"
        );
        let raw = xlat(XlatStyle::Raw);
        assert_eq!(line(s, [2, 0x80001, 0, 0, 0, 0], 3, &raw), pad("socket(0x2, 0x1|0x80000, 0)", "3"));
        assert_eq!(line(s, [17, 3, 0x300, 0, 0, 0], 11, &raw), pad("socket(0x11, 0x3, htons(0x3))", "11"));
        assert_eq!(
            line(s, [2, 0x100, 0, 0, 0, 0], -22, &raw),
            pad("socket(0x2, 0x100, 0)", "-1 EINVAL (Invalid argument)")
        );
        let v = xlat(XlatStyle::Verbose);
        assert_eq!(
            line(s, [2, 0x80001, 0, 0, 0, 0], 3, &v),
            "socket(0x2 /* AF_INET */, 0x1 /* SOCK_STREAM */|0x80000 /* SOCK_CLOEXEC */, 0 /* IPPROTO_IP */) = 3"
        );
        assert_eq!(
            line(s, [17, 3, 0x300, 0, 0, 0], 11, &v),
            "socket(0x11 /* AF_PACKET */, 0x3 /* SOCK_RAW */, htons(0x3 /* ETH_P_ALL */)) = 11"
        );
        assert_eq!(
            line(s, [2, 0x101, 0, 0, 0, 0], -22, &v),
            "socket(0x2 /* AF_INET */, 0x1 /* SOCK_STREAM */|0x100 /* SOCK_??? */, 0 /* IPPROTO_IP */) = -1 EINVAL (Invalid argument)"
        );
    }

    #[test]
    fn socketpair_listen_shutdown() {
        let o = opts();
        let mut sv = [0i32; 2];
        let (l, r) = traced(libc::SYS_socketpair, [1, 1, 0, pm(&mut sv), 0, 0], &o);
        assert_eq!(r, 0);
        assert_eq!(l, format!("socketpair(AF_UNIX, SOCK_STREAM, 0, [{}, {}]) = 0", sv[0], sv[1]));
        let (l, _) = traced(libc::SYS_socketpair, [1, 1, 0, 0x10, 0, 0], &o);
        assert_eq!(l, "socketpair(AF_UNIX, SOCK_STREAM, 0, 0x10) = -1 EFAULT (Bad address)");
        let mut bad = [7i32; 2];
        let (l, _) = traced(libc::SYS_socketpair, [99, 1, 0, pm(&mut bad), 0, 0], &o);
        assert_eq!(
            l,
            format!(
                "socketpair(0x63 /* AF_??? */, SOCK_STREAM, 0, {:#x}) = -1 EAFNOSUPPORT (Address family not supported by protocol)",
                pm(&mut bad)
            )
        );
        assert_eq!(line(libc::SYS_listen, [3, 5, 0, 0, 0, 0], 0, &o), pad("listen(3, 5)", "0"));
        assert_eq!(
            line(libc::SYS_listen, [usize::MAX, usize::MAX, 0, 0, 0, 0], -9, &o),
            pad("listen(-1, -1)", "-1 EBADF (Bad file descriptor)")
        );
        let (l, _) = traced(libc::SYS_shutdown, a6([sv[0] as usize, 1, 0, 0, 0, 0]), &o);
        assert_eq!(l, pad(&format!("shutdown({}, SHUT_WR)", sv[0]), "0"));
        assert_eq!(
            line(libc::SYS_shutdown, [7, 7, 0, 0, 0, 0], -22, &o),
            pad("shutdown(7, 0x7 /* SHUT_??? */)", "-1 EINVAL (Invalid argument)")
        );
        assert_eq!(
            line(libc::SYS_shutdown, [4, 1, 0, 0, 0, 0], 0, &xlat(XlatStyle::Verbose)),
            pad("shutdown(4, 0x1 /* SHUT_WR */)", "0")
        );
        close(&sv);
    }

    #[test]
    fn sockaddr_unix_and_inet() {
        let o = opts();
        let c = libc::SYS_connect;
        let b = libc::SYS_bind;
        let (u, _) = sun(b"/tmp/neteng/s");
        let up = p(&u);
        assert_eq!(
            line(b, [5, up, 110, 0, 0, 0], 0, &o),
            r#"bind(5, {sa_family=AF_UNIX, sun_path="/tmp/neteng/s"}, 110) = 0"#
        );
        assert_eq!(
            line(b, [5, up, 16, 0, 0, 0], -98, &o),
            r#"bind(5, {sa_family=AF_UNIX, sun_path="/tmp/neteng/s"}, 16) = -1 EADDRINUSE (Address already in use)"#
        );
        let (ab, _) = sun(b"\0abs\0x");
        assert_eq!(line(b, [6, p(&ab), 6, 0, 0, 0], 0, &o), r#"bind(6, {sa_family=AF_UNIX, sun_path=@"abs"}, 6) = 0"#);
        assert_eq!(
            line(b, [6, p(&ab), 8, 0, 0, 0], -22, &o),
            r#"bind(6, {sa_family=AF_UNIX, sun_path=@"abs\0x"}, 8) = -1 EINVAL (Invalid argument)"#
        );
        let (e, _) = sun(b"");
        assert_eq!(line(b, [6, p(&e), 2, 0, 0, 0], 0, &o), pad("bind(6, {sa_family=AF_UNIX}, 2)", "0"));

        let a = sin(80, [127, 0, 0, 1]);
        assert_eq!(
            line(c, [4, p(&a), 16, 0, 0, 0], 0, &o),
            r#"connect(4, {sa_family=AF_INET, sin_port=htons(80), sin_addr=inet_addr("127.0.0.1")}, 16) = 0"#
        );
        assert_eq!(
            line(c, [5, p(&a), 200, 0, 0, 0], -22, &o),
            r#"connect(5, {sa_family=AF_INET, sin_port=htons(80), sin_addr=inet_addr("127.0.0.1")}, 200) = -1 EINVAL (Invalid argument)"#
        );
        let z = sin(0, [0, 0, 0, 0]);
        assert_eq!(
            line(c, [5, p(&z), 8, 0, 0, 0], -22, &o),
            r#"connect(5, {sa_family=AF_INET, sa_data="\0\0\0\0\0\0"}, 8) = -1 EINVAL (Invalid argument)"#
        );
        let t = sin(0x8c00, [0, 0, 0, 0]);
        assert_eq!(
            line(b, [4, p(&t), 3, 0, 0, 0], -22, &o),
            r#"bind(4, {sa_family=AF_INET, sa_data="\214"}, 3) = -1 EINVAL (Invalid argument)"#
        );
        assert_eq!(
            line(c, [5, p(&z), 0, 0, 0, 0], -22, &o),
            pad(&format!("connect(5, {:#x}, 0)", p(&z)), "-1 EINVAL (Invalid argument)")
        );
        assert_eq!(line(c, [5, 0, 0, 0, 0, 0], -22, &o), pad("connect(5, NULL, 0)", "-1 EINVAL (Invalid argument)"));
        assert_eq!(line(c, [4, 0x10, 16, 0, 0, 0], -14, &o), pad("connect(4, 0x10, 16)", "-1 EFAULT (Bad address)"));
        let mut unk: libc::sockaddr = sin(0, [0; 4]).into_sockaddr();
        unk.sa_family = 123;
        unk.sa_data[..3].copy_from_slice(&[b'a' as libc::c_char, b'b' as libc::c_char, b'c' as libc::c_char]);
        assert_eq!(
            line(c, [5, p(&unk), 16, 0, 0, 0], -22, &o),
            r#"connect(5, {sa_family=0x7b /* AF_??? */, sa_data="abc\0\0\0\0\0\0\0\0\0\0\0"}, 16) = -1 EINVAL (Invalid argument)"#
        );

        let raw = xlat(XlatStyle::Raw);
        let l = sin(0xa607, [127, 0, 0, 1]);
        assert_eq!(
            line(c, [4, p(&l), 16, 0, 0, 0], 0, &raw),
            r#"connect(4, {sa_family=0x2, sin_port="\xa6\x07", sin_addr="\x7f\x00\x00\x01"}, 16) = 0"#
        );
        assert_eq!(line(b, [6, p(&ab), 6, 0, 0, 0], 0, &raw), r#"bind(6, {sa_family=0x1, sun_path=@"abs"}, 6) = 0"#);
        let v = xlat(XlatStyle::Verbose);
        let l = sin(39035, [127, 0, 0, 1]);
        assert_eq!(
            line(c, [4, p(&l), 16, 0, 0, 0], 0, &v),
            r#"connect(4, {sa_family=0x2 /* AF_INET */, sin_port="\x98\x7b" /* htons(39035) */, sin_addr="\x7f\x00\x00\x01" /* inet_addr("127.0.0.1") */}, 16) = 0"#
        );
        let xx = TraceOpts { hex_strings: 2, ..TraceOpts::default() };
        assert_eq!(
            line(b, [3, p(&sin(0, [127, 0, 0, 1])), 16, 0, 0, 0], 0, &xx),
            r#"bind(3, {sa_family=AF_INET, sin_port=htons(0), sin_addr=inet_addr("\x31\x32\x37\x2e\x30\x2e\x30\x2e\x31")}, 16) = 0"#
        );
        assert_eq!(
            line(b, [5, up, 110, 0, 0, 0], 0, &xx),
            r#"bind(5, {sa_family=AF_UNIX, sun_path="\x2f\x74\x6d\x70\x2f\x6e\x65\x74\x65\x6e\x67\x2f\x73"}, 110) = 0"#
        );
        // -s does not cut socket addresses.
        let s2 = TraceOpts { string_limit: 2, ..TraceOpts::default() };
        assert_eq!(
            line(b, [5, up, 110, 0, 0, 0], 0, &s2),
            r#"bind(5, {sa_family=AF_UNIX, sun_path="/tmp/neteng/s"}, 110) = 0"#
        );
    }

    trait IntoSockaddr {
        fn into_sockaddr(self) -> libc::sockaddr;
    }

    impl IntoSockaddr for libc::sockaddr_in {
        fn into_sockaddr(self) -> libc::sockaddr {
            // SAFETY: both are 16-byte plain-data socket address layouts.
            unsafe { core::mem::transmute(self) }
        }
    }

    #[test]
    fn sockaddr_inet6_netlink_packet() {
        let o = opts();
        let c = libc::SYS_connect;
        let a = sin6(80, 0, loopback6(), 0);
        assert_eq!(
            line(c, [7, p(&a), 28, 0, 0, 0], 0, &o),
            r#"connect(7, {sa_family=AF_INET6, sin6_port=htons(80), sin6_flowinfo=htonl(0), inet_pton(AF_INET6, "::1", &sin6_addr), sin6_scope_id=0}, 28) = 0"#
        );
        let ll = sin6(80, 5, fe80_1(), 1);
        assert_eq!(
            line(c, [7, p(&ll), 28, 0, 0, 0], -101, &o),
            r#"connect(7, {sa_family=AF_INET6, sin6_port=htons(80), sin6_flowinfo=htonl(5), inet_pton(AF_INET6, "fe80::1", &sin6_addr), sin6_scope_id=if_nametoindex("lo")}, 28) = -1 ENETUNREACH (Network is unreachable)"#
        );
        assert_eq!(
            line(c, [7, p(&ll), 24, 0, 0, 0], -101, &o),
            r#"connect(7, {sa_family=AF_INET6, sin6_port=htons(80), sin6_flowinfo=htonl(5), inet_pton(AF_INET6, "fe80::1", &sin6_addr)}, 24) = -1 ENETUNREACH (Network is unreachable)"#
        );
        assert_eq!(
            line(c, [7, p(&ll), 20, 0, 0, 0], -22, &o),
            r#"connect(7, {sa_family=AF_INET6, sa_data="\0P\0\0\0\5\376\200\0\0\0\0\0\0\0\0\0\0"}, 20) = -1 EINVAL (Invalid argument)"#
        );
        let raw = xlat(XlatStyle::Raw);
        assert_eq!(
            line(c, [7, p(&ll), 28, 0, 0, 0], -101, &raw),
            r#"connect(7, {sa_family=0xa, sin6_port="\x00\x50", sin6_flowinfo="\x00\x00\x00\x05", sin6_addr="\xfe\x80\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x01", sin6_scope_id=1}, 28) = -1 ENETUNREACH (Network is unreachable)"#
        );
        let v = xlat(XlatStyle::Verbose);
        assert_eq!(
            line(c, [7, p(&ll), 28, 0, 0, 0], -101, &v),
            r#"connect(7, {sa_family=0xa /* AF_INET6 */, sin6_port="\x00\x50" /* htons(80) */, sin6_flowinfo="\x00\x00\x00\x05" /* htonl(5) */, sin6_addr="\xfe\x80\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x01" /* inet_pton(AF_INET6, "fe80::1") */, sin6_scope_id=1 /* if_nametoindex("lo") */}, 28) = -1 ENETUNREACH (Network is unreachable)"#
        );

        // SAFETY: sockaddr_nl is plain data.
        let mut nl: libc::sockaddr_nl = unsafe { zeroed() };
        nl.nl_family = libc::AF_NETLINK as u16;
        nl.nl_groups = 5;
        assert_eq!(
            line(libc::SYS_bind, [8, p(&nl), 12, 0, 0, 0], 0, &o),
            "bind(8, {sa_family=AF_NETLINK, nl_pid=0, nl_groups=0x000005}, 12) = 0"
        );
        nl.nl_groups = 0;
        nl.nl_pid = 12809;
        assert_eq!(
            line(libc::SYS_bind, [8, p(&nl), 12, 0, 0, 0], 0, &o),
            "bind(8, {sa_family=AF_NETLINK, nl_pid=12809, nl_groups=00000000}, 12) = 0"
        );

        // SAFETY: sockaddr_ll is plain data.
        let mut sll: libc::sockaddr_ll = unsafe { zeroed() };
        sll.sll_family = libc::AF_PACKET as u16;
        sll.sll_protocol = 0x0800u16.to_be();
        sll.sll_ifindex = 1;
        sll.sll_halen = 6;
        sll.sll_addr[..6].copy_from_slice(&[1, 2, 3, 4, 5, 6]);
        assert_eq!(
            line(c, [5, p(&sll), 20, 0, 0, 0], -22, &o),
            "connect(5, {sa_family=AF_PACKET, sll_protocol=htons(ETH_P_IP), sll_ifindex=if_nametoindex(\"lo\"), sll_hatype=ARPHRD_NETROM, sll_pkttype=PACKET_HOST, sll_halen=6, sll_addr=[0x1, 0x2, 0x3, 0x4, 0x5, 0x6]}, 20) = -1 EINVAL (Invalid argument)"
        );
        assert_eq!(
            line(c, [5, p(&sll), 20, 0, 0, 0], -22, &raw),
            r#"connect(5, {sa_family=0x11, sll_protocol="\x08\x00", sll_ifindex=1, sll_hatype=0, sll_pkttype=0, sll_halen=6, sll_addr=[0x1, 0x2, 0x3, 0x4, 0x5, 0x6]}, 20) = -1 EINVAL (Invalid argument)"#
        );
        assert_eq!(
            line(c, [5, p(&sll), 20, 0, 0, 0], -22, &v),
            r#"connect(5, {sa_family=0x11 /* AF_PACKET */, sll_protocol="\x08\x00" /* htons(ETH_P_IP) */, sll_ifindex=1 /* if_nametoindex("lo") */, sll_hatype=0 /* ARPHRD_NETROM */, sll_pkttype=0 /* PACKET_HOST */, sll_halen=6, sll_addr=[0x1, 0x2, 0x3, 0x4, 0x5, 0x6]}, 20) = -1 EINVAL (Invalid argument)"#
        );
        sll.sll_protocol = 0x1234u16.to_be();
        sll.sll_ifindex = 77;
        sll.sll_hatype = 1;
        sll.sll_pkttype = 9;
        sll.sll_halen = 0;
        assert_eq!(
            line(c, [3, p(&sll), 20, 0, 0, 0], -97, &o),
            "connect(3, {sa_family=AF_PACKET, sll_protocol=htons(0x1234 /* ETH_P_??? */), sll_ifindex=77, sll_hatype=ARPHRD_ETHER, sll_pkttype=0x9 /* PACKET_??? */, sll_halen=0}, 20) = -1 EAFNOSUPPORT (Address family not supported by protocol)"
        );
        sll.sll_halen = 8;
        sll.sll_addr = [0; 8];
        assert_eq!(
            line(c, [3, p(&sll), 18, 0, 0, 0], -97, &o),
            r#"connect(3, {sa_family=AF_PACKET, sa_data="\0224M\0\0\0\1\0\t\10\0\0\0\0\0\0"}, 18) = -1 EAFNOSUPPORT (Address family not supported by protocol)"#
        );
    }

    #[test]
    fn inet6_text_forms() {
        let t = |a: [u8; 16]| String::from_utf8(inet6_text(&a).bytes().to_vec()).unwrap();
        assert_eq!(t([0; 16]), "::");
        assert_eq!(t(loopback6()), "::1");
        assert_eq!(t(fe80_1()), "fe80::1");
        let mut m = [0u8; 16];
        m[10] = 0xff;
        m[11] = 0xff;
        m[12..].copy_from_slice(&[127, 0, 0, 1]);
        assert_eq!(t(m), "::ffff:127.0.0.1");
        let mut g = [0u8; 16];
        g[..4].copy_from_slice(&[0x20, 0x01, 0x0d, 0xb8]);
        g[7] = 1;
        g[15] = 2;
        assert_eq!(t(g), "2001:db8:0:1::2");
    }

    fn getsockname_native(fd: i32) -> (libc::sockaddr_in, usize) {
        // SAFETY: plain data out-parameters.
        let mut a: libc::sockaddr_in = unsafe { zeroed() };
        let mut l = size_of::<libc::sockaddr_in>() as libc::socklen_t;
        // SAFETY: a and l are valid for the call.
        assert_eq!(unsafe { libc::getsockname(fd, pm(&mut a) as *mut libc::sockaddr, &mut l) }, 0);
        (a, l as usize)
    }

    #[test]
    fn accept_getsockname_getpeername() {
        let o = opts();
        let srv = sock(libc::AF_INET, libc::SOCK_STREAM);
        let a = sin(0, [127, 0, 0, 1]);
        // SAFETY: binding/listening a socket this test owns.
        unsafe {
            assert_eq!(libc::bind(srv, p(&a) as *const libc::sockaddr, 16), 0);
            assert_eq!(libc::listen(srv, 5), 0);
        }
        // SAFETY: plain data.
        let mut got: libc::sockaddr_in = unsafe { zeroed() };
        let mut len: u32 = 16;
        let (l, _) = traced(libc::SYS_getsockname, [srv as usize, pm(&mut got), pm(&mut len), 0, 0, 0], &o);
        let port = u16::from_be(got.sin_port);
        assert_eq!(
            l,
            format!(
                r#"getsockname({srv}, {{sa_family=AF_INET, sin_port=htons({port}), sin_addr=inet_addr("127.0.0.1")}}, [16]) = 0"#
            )
        );
        let cli = sock(libc::AF_INET, libc::SOCK_STREAM);
        // SAFETY: connecting to the listener above.
        assert_eq!(unsafe { libc::connect(cli, pm(&mut got) as *const libc::sockaddr, 16) }, 0);
        let (cl, _) = getsockname_native(cli);
        let cport = u16::from_be(cl.sin_port);
        // SAFETY: plain data.
        let mut peer: libc::sockaddr_in = unsafe { zeroed() };
        let mut plen: u32 = 16;
        let (l, acc) = traced(libc::SYS_accept, [srv as usize, pm(&mut peer), pm(&mut plen), 0, 0, 0], &o);
        assert!(acc > 0);
        assert_eq!(
            l,
            format!(
                r#"accept({srv}, {{sa_family=AF_INET, sin_port=htons({cport}), sin_addr=inet_addr("127.0.0.1")}}, [16]) = {acc}"#
            )
        );
        plen = 16;
        let (l, _) = traced(libc::SYS_getpeername, [cli as usize, pm(&mut peer), pm(&mut plen), 0, 0, 0], &o);
        assert_eq!(
            l,
            format!(
                r#"getpeername({cli}, {{sa_family=AF_INET, sin_port=htons({port}), sin_addr=inet_addr("127.0.0.1")}}, [16]) = 0"#
            )
        );
        // Nothing pending on a non-blocking listener.
        // SAFETY: fcntl on our own descriptor.
        unsafe { libc::fcntl(srv, libc::F_SETFL, libc::O_NONBLOCK) };
        let (l, _) = traced(libc::SYS_accept4, [srv as usize, 0, 0, 0x800, 0, 0], &o);
        assert_eq!(
            l,
            format!("accept4({srv}, NULL, NULL, SOCK_NONBLOCK)   = -1 EAGAIN (Resource temporarily unavailable)")
        );
        plen = 16;
        let (l, _) = traced(libc::SYS_accept4, [srv as usize, pm(&mut peer), pm(&mut plen), 0x80800, 0, 0], &o);
        assert_eq!(
            l,
            format!(
                "accept4({srv}, {:#x}, [16], SOCK_CLOEXEC|SOCK_NONBLOCK) = -1 EAGAIN (Resource temporarily unavailable)",
                pm(&mut peer)
            )
        );
        assert_eq!(
            line(libc::SYS_accept, [usize::MAX, 0, 0, 0, 0, 0], -9, &o),
            pad("accept(-1, NULL, NULL)", "-1 EBADF (Bad file descriptor)")
        );
        assert_eq!(
            line(libc::SYS_accept4, [3, 0, 0, 0x8000000, 0, 0], -22, &o),
            "accept4(3, NULL, NULL, 0x8000000 /* SOCK_??? */) = -1 EINVAL (Invalid argument)"
        );
        assert_eq!(
            line(libc::SYS_accept4, [3, 0, 0, 0x8000800, 0, 0], -22, &o),
            "accept4(3, NULL, NULL, SOCK_NONBLOCK|0x8000000) = -1 EINVAL (Invalid argument)"
        );
        assert_eq!(
            line(libc::SYS_accept4, [3, 0, 0, 0x8000800, 0, 0], -22, &xlat(XlatStyle::Verbose)),
            "accept4(3, NULL, NULL, 0x8000800 /* SOCK_NONBLOCK|0x8000000 */) = -1 EINVAL (Invalid argument)"
        );
        close(&[srv, cli, acc as i32]);
    }

    #[test]
    fn unix_names_and_datagrams() {
        let o = opts();
        let pid = std::process::id();
        let path = format!("/tmp/selftrace-net-{pid}");
        let cpath = std::ffi::CString::new(path.clone()).unwrap();
        // SAFETY: removing a leftover of an earlier run.
        unsafe { libc::unlink(cpath.as_ptr()) };
        let tx = sock(libc::AF_UNIX, libc::SOCK_DGRAM);
        let (ta, _) = sun(path.as_bytes());
        // SAFETY: binding our own socket.
        assert_eq!(unsafe { libc::bind(tx, p(&ta) as *const libc::sockaddr, 110) }, 0);
        let rx = sock(libc::AF_UNIX, libc::SOCK_DGRAM);
        let name = format!("\0nt{pid}");
        let (ra, rlen) = sun(name.as_bytes());
        // SAFETY: binding our own socket.
        assert_eq!(unsafe { libc::bind(rx, p(&ra) as *const libc::sockaddr, rlen as u32) }, 0);
        let shown = &name[1..];

        let msg = b"x\0y";
        let (l, _) = traced(libc::SYS_sendto, [tx as usize, msg.as_ptr() as usize, 3, 0, p(&ra), rlen], &o);
        assert_eq!(l, format!(r#"sendto({tx}, "x\0y", 3, 0, {{sa_family=AF_UNIX, sun_path=@"{shown}"}}, {rlen}) = 3"#));
        let mut buf = [0u8; 64];
        // SAFETY: plain data.
        let mut from: libc::sockaddr_un = unsafe { zeroed() };
        let mut fl: u32 = 110;
        let args = [rx as usize, pm(&mut buf), 64, 0x40, pm(&mut from), pm(&mut fl)];
        let (l, _) = traced(libc::SYS_recvfrom, args, &o);
        assert_eq!(
            l,
            format!(
                r#"recvfrom({rx}, "x\0y", 64, MSG_DONTWAIT, {{sa_family=AF_UNIX, sun_path="{path}"}}, [110 => {}]) = 3"#,
                path.len() + 3
            )
        );
        set(&mut fl, 110);
        let (l, _) = traced(libc::SYS_recvfrom, args, &o);
        assert_eq!(
            l,
            format!(
                "recvfrom({rx}, {:#x}, 64, MSG_DONTWAIT, {:#x}, [110]) = -1 EAGAIN (Resource temporarily unavailable)",
                pm(&mut buf),
                pm(&mut from)
            )
        );
        // Truncated: the caller's 4 bytes bound what is shown, the kernel's length follows.
        // SAFETY: sending to our own socket.
        unsafe { libc::sendto(tx, msg.as_ptr().cast(), 3, 0, p(&ra) as *const libc::sockaddr, rlen as u32) };
        set(&mut fl, 4);
        let (l, _) = traced(libc::SYS_recvfrom, args, &o);
        assert_eq!(
            l,
            format!(
                r#"recvfrom({rx}, "x\0y", 64, MSG_DONTWAIT, {{sa_family=AF_UNIX, sun_path="{}"}}, [4 => {}]) = 3"#,
                &path[..2],
                path.len() + 3
            )
        );
        let s8 = TraceOpts { string_limit: 2, ..TraceOpts::default() };
        // SAFETY: as above.
        unsafe { libc::sendto(tx, msg.as_ptr().cast(), 3, 0, p(&ra) as *const libc::sockaddr, rlen as u32) };
        let args0 = [rx as usize, pm(&mut buf), 64, 0, 0, 0];
        let (l, _) = traced(libc::SYS_recvfrom, args0, &s8);
        assert_eq!(l, format!(r#"recvfrom({rx}, "x\0"..., 64, 0, NULL, NULL) = 3"#));
        fl = 110;
        let (l, _) = traced(libc::SYS_getsockname, [rx as usize, pm(&mut from), pm(&mut fl), 0, 0, 0], &o);
        assert_eq!(l, format!(r#"getsockname({rx}, {{sa_family=AF_UNIX, sun_path=@"{shown}"}}, [110 => {rlen}]) = 0"#));
        close(&[tx, rx]);
        // SAFETY: removing the file bound above.
        unsafe { libc::unlink(cpath.as_ptr()) };
        assert_eq!(
            line(libc::SYS_sendto, [4, b"hello".as_ptr() as usize, 5, 0x4000, 0, 0], 5, &o),
            r#"sendto(4, "hello", 5, MSG_NOSIGNAL, NULL, 0) = 5"#
        );
        assert_eq!(
            line(libc::SYS_sendto, [4, b"hello".as_ptr() as usize, 5, 0x4000, 0, 0], 5, &xlat(XlatStyle::Raw)),
            pad(r#"sendto(4, "hello", 5, 0x4000, NULL, 0)"#, "5")
        );
        assert_eq!(
            line(libc::SYS_sendto, [3, b"a".as_ptr() as usize, 1, 0x80000000, 0, 0], 1, &o),
            r#"sendto(3, "a", 1, MSG_CMSG_COMPAT, NULL, 0) = 1"#
        );
    }

    #[test]
    fn sendmsg_recvmsg_with_rights() {
        let o = opts();
        let sv = pair(libc::SOCK_DGRAM);
        let (s0, s1) = (sv[0], sv[1]);
        let iov = [
            libc::iovec { iov_base: b"hello".as_ptr() as *mut _, iov_len: 5 },
            libc::iovec { iov_base: b"world!".as_ptr() as *mut _, iov_len: 6 },
        ];
        // SAFETY: plain data.
        let mut m: libc::msghdr = unsafe { zeroed() };
        m.msg_iov = iov.as_ptr() as *mut _;
        m.msg_iovlen = 2;
        let (l, _) = traced(libc::SYS_sendmsg, [s0 as usize, p(&m), 0, 0, 0, 0], &o);
        assert_eq!(
            l,
            format!(
                r#"sendmsg({s0}, {{msg_name=NULL, msg_namelen=0, msg_iov=[{{iov_base="hello", iov_len=5}}, {{iov_base="world!", iov_len=6}}], msg_iovlen=2, msg_controllen=0, msg_flags=0}}, 0) = 11"#
            )
        );
        #[repr(C, align(8))]
        struct Ctl([u8; 32]);
        let mut ctl = Ctl([0; 32]);
        ctl.0[..8].copy_from_slice(&24u64.to_ne_bytes());
        ctl.0[8..12].copy_from_slice(&1i32.to_ne_bytes());
        ctl.0[12..16].copy_from_slice(&1i32.to_ne_bytes());
        ctl.0[16..20].copy_from_slice(&0i32.to_ne_bytes());
        ctl.0[20..24].copy_from_slice(&1i32.to_ne_bytes());
        m.msg_control = pm(&mut ctl) as *mut _;
        m.msg_controllen = 24;
        m.msg_iovlen = 1;
        let (l, _) = traced(libc::SYS_sendmsg, [s0 as usize, p(&m), 0x40, 0, 0, 0], &o);
        assert_eq!(
            l,
            format!(
                r#"sendmsg({s0}, {{msg_name=NULL, msg_namelen=0, msg_iov=[{{iov_base="hello", iov_len=5}}], msg_iovlen=1, msg_control=[{{cmsg_len=24, cmsg_level=SOL_SOCKET, cmsg_type=SCM_RIGHTS, cmsg_data=[0, 1]}}], msg_controllen=24, msg_flags=0}}, MSG_DONTWAIT) = 5"#
            )
        );
        let mut b1 = [0u8; 3];
        let mut b2 = [0u8; 64];
        let riov = [
            libc::iovec { iov_base: pm(&mut b1) as *mut _, iov_len: 3 },
            libc::iovec { iov_base: pm(&mut b2) as *mut _, iov_len: 64 },
        ];
        // SAFETY: plain data.
        let mut r: libc::msghdr = unsafe { zeroed() };
        r.msg_iov = riov.as_ptr() as *mut _;
        r.msg_iovlen = 2;
        let (l, _) = traced(libc::SYS_recvmsg, [s1 as usize, pm(&mut r), 0, 0, 0, 0], &o);
        assert_eq!(
            l,
            format!(
                r#"recvmsg({s1}, {{msg_name=NULL, msg_namelen=0, msg_iov=[{{iov_base="hel", iov_len=3}}, {{iov_base="loworld!", iov_len=64}}], msg_iovlen=2, msg_controllen=0, msg_flags=0}}, 0) = 11"#
            )
        );
        let mut rctl = Ctl([0; 32]);
        r.msg_control = pm(&mut rctl) as *mut _;
        r.msg_controllen = 32;
        let (l, _) = traced(libc::SYS_recvmsg, [s1 as usize, pm(&mut r), 0x40000000, 0, 0, 0], &o);
        let f0 = i32::from_ne_bytes(rctl.0[16..20].try_into().unwrap());
        let f1 = i32::from_ne_bytes(rctl.0[20..24].try_into().unwrap());
        assert_eq!(
            l,
            format!(
                r#"recvmsg({s1}, {{msg_name=NULL, msg_namelen=0, msg_iov=[{{iov_base="hel", iov_len=3}}, {{iov_base="lo", iov_len=64}}], msg_iovlen=2, msg_control=[{{cmsg_len=24, cmsg_level=SOL_SOCKET, cmsg_type=SCM_RIGHTS, cmsg_data=[{f0}, {f1}]}}], msg_controllen=24, msg_flags=MSG_CMSG_CLOEXEC}}, MSG_CMSG_CLOEXEC) = 5"#
            )
        );
        let (l, _) = traced(libc::SYS_recvmsg, [s1 as usize, pm(&mut r), 0x40, 0, 0, 0], &o);
        assert_eq!(
            l,
            format!("recvmsg({s1}, {{msg_namelen=0}}, MSG_DONTWAIT) = -1 EAGAIN (Resource temporarily unavailable)")
        );
        let (l, _) = traced(libc::SYS_sendmsg, [s0 as usize, 0x10, 0, 0, 0, 0], &o);
        assert_eq!(l, pad(&format!("sendmsg({s0}, 0x10, 0)"), "-1 EFAULT (Bad address)"));
        let (l, _) = traced(libc::SYS_recvmsg, [s1 as usize, 0x10, 0, 0, 0, 0], &o);
        assert_eq!(l, pad(&format!("recvmsg({s1}, 0x10, 0)"), "-1 EFAULT (Bad address)"));

        let u = sock(libc::AF_INET, libc::SOCK_DGRAM);
        let dst = sin(9, [127, 0, 0, 1]);
        // SAFETY: plain data.
        let mut m2: libc::msghdr = unsafe { zeroed() };
        m2.msg_name = p(&dst) as *mut _;
        m2.msg_namelen = 16;
        m2.msg_iov = iov.as_ptr() as *mut _;
        m2.msg_iovlen = 1;
        m2.msg_flags = libc::MSG_EOR;
        let (l, _) = traced(libc::SYS_sendmsg, [u as usize, p(&m2), 0, 0, 0, 0], &o);
        assert_eq!(
            l,
            format!(
                r#"sendmsg({u}, {{msg_name={{sa_family=AF_INET, sin_port=htons(9), sin_addr=inet_addr("127.0.0.1")}}, msg_namelen=16, msg_iov=[{{iov_base="hello", iov_len=5}}], msg_iovlen=1, msg_controllen=0, msg_flags=MSG_EOR}}, 0) = 5"#
            )
        );
        close(&[s0, s1, u, f0, f1]);
    }

    #[test]
    fn sendmmsg_recvmmsg() {
        let o = opts();
        let sv = pair(libc::SOCK_DGRAM);
        let (s0, s1) = (sv[0], sv[1]);
        let iov = [
            libc::iovec { iov_base: b"hello".as_ptr() as *mut _, iov_len: 5 },
            libc::iovec { iov_base: b"world!".as_ptr() as *mut _, iov_len: 6 },
        ];
        // SAFETY: plain data.
        let mut mm: [libc::mmsghdr; 2] = unsafe { zeroed() };
        mm[0].msg_hdr.msg_iov = p(&iov[0]) as *mut _;
        mm[0].msg_hdr.msg_iovlen = 1;
        mm[1].msg_hdr.msg_iov = p(&iov[1]) as *mut _;
        mm[1].msg_hdr.msg_iovlen = 1;
        let (l, _) = traced(libc::SYS_sendmmsg, [s0 as usize, pm(&mut mm), 2, 0, 0, 0], &o);
        assert_eq!(
            l,
            format!(
                r#"sendmmsg({s0}, [{{msg_hdr={{msg_name=NULL, msg_namelen=0, msg_iov=[{{iov_base="hello", iov_len=5}}], msg_iovlen=1, msg_controllen=0, msg_flags=0}}, msg_len=5}}, {{msg_hdr={{msg_name=NULL, msg_namelen=0, msg_iov=[{{iov_base="world!", iov_len=6}}], msg_iovlen=1, msg_controllen=0, msg_flags=0}}, msg_len=6}}], 2, 0) = 2"#
            )
        );
        let mut b3 = [0u8; 3];
        let mut b64 = [0u8; 64];
        let riov = [
            libc::iovec { iov_base: pm(&mut b3) as *mut _, iov_len: 3 },
            libc::iovec { iov_base: pm(&mut b64) as *mut _, iov_len: 64 },
        ];
        // SAFETY: plain data.
        let mut rm: [libc::mmsghdr; 2] = unsafe { zeroed() };
        rm[0].msg_hdr.msg_iov = p(&riov[1]) as *mut _;
        rm[0].msg_hdr.msg_iovlen = 1;
        rm[1].msg_hdr.msg_iov = p(&riov[0]) as *mut _;
        rm[1].msg_hdr.msg_iovlen = 1;
        let (l, _) = traced(libc::SYS_recvmmsg, [s1 as usize, pm(&mut rm), 2, 0x40, 0, 0], &o);
        assert_eq!(
            l,
            format!(
                r#"recvmmsg({s1}, [{{msg_hdr={{msg_name=NULL, msg_namelen=0, msg_iov=[{{iov_base="hello", iov_len=64}}], msg_iovlen=1, msg_controllen=0, msg_flags=0}}, msg_len=5}}, {{msg_hdr={{msg_name=NULL, msg_namelen=0, msg_iov=[{{iov_base="wor", iov_len=3}}], msg_iovlen=1, msg_controllen=0, msg_flags=MSG_TRUNC}}, msg_len=3}}], 2, MSG_DONTWAIT, NULL) = 2"#
            )
        );
        let ts = libc::timespec { tv_sec: 0, tv_nsec: 1000 };
        let (l, _) = traced(libc::SYS_recvmmsg, [s1 as usize, pm(&mut rm), 2, 0x40, p(&ts), 0], &o);
        assert_eq!(
            l,
            format!(
                "recvmmsg({s1}, {:#x}, 2, MSG_DONTWAIT, {{tv_sec=0, tv_nsec=1000}}) = -1 EAGAIN (Resource temporarily unavailable)",
                pm(&mut rm)
            )
        );
        close(&sv);
    }

    #[test]
    fn sockopts() {
        let o = opts();
        let u = sock(libc::AF_INET6, libc::SOCK_DGRAM);
        let one: i32 = 1;
        let (l, _) = traced(libc::SYS_setsockopt, [u as usize, 1, 2, p(&one), 4, 0], &o);
        assert_eq!(l, format!("setsockopt({u}, SOL_SOCKET, SO_REUSEADDR, [1], 4) = 0"));
        let (l, _) = traced(libc::SYS_setsockopt, [u as usize, 41, 26, p(&one), 4, 0], &o);
        assert_eq!(l, format!("setsockopt({u}, SOL_IPV6, IPV6_V6ONLY, [1], 4) = 0"));
        let (l, _) = traced(libc::SYS_setsockopt, [u as usize, 1, 2, p(&one), 2, 0], &o);
        assert_eq!(
            l,
            format!("setsockopt({u}, SOL_SOCKET, SO_REUSEADDR, {:#x}, 2) = -1 EINVAL (Invalid argument)", p(&one))
        );
        let (l, _) = traced(libc::SYS_setsockopt, [u as usize, 1, 2, 0x10, 4, 0], &o);
        assert_eq!(l, format!("setsockopt({u}, SOL_SOCKET, SO_REUSEADDR, 0x10, 4) = -1 EFAULT (Bad address)"));
        let (l, _) = traced(libc::SYS_setsockopt, [u as usize, 1, 8, 0, 4, 0], &o);
        assert_eq!(l, format!("setsockopt({u}, SOL_SOCKET, SO_RCVBUF, NULL, 4) = -1 EFAULT (Bad address)"));
        let big: i64 = 4096;
        let (l, _) = traced(libc::SYS_setsockopt, [u as usize, 1, 8, p(&big), 8, 0], &o);
        assert_eq!(l, format!("setsockopt({u}, SOL_SOCKET, SO_RCVBUF, [4096], 8) = 0"));
        let lg = libc::linger { l_onoff: 1, l_linger: 5 };
        let (l, _) = traced(libc::SYS_setsockopt, [u as usize, 1, 13, p(&lg), 8, 0], &o);
        assert_eq!(l, format!("setsockopt({u}, SOL_SOCKET, SO_LINGER, {{l_onoff=1, l_linger=5}}, 8) = 0"));
        let (l, _) = traced(libc::SYS_setsockopt, [u as usize, 999, 1, p(&one), 4, 0], &o);
        assert_eq!(
            l,
            format!("setsockopt({u}, 0x3e7 /* SOL_?? */, 1, [1], 4) = -1 ENOPROTOOPT (Protocol not available)")
        );
        let (l, _) = traced(libc::SYS_setsockopt, [u as usize, 1, 25, c"nonexist".as_ptr() as usize, 9, 0], &o);
        assert_eq!(
            l,
            format!(r#"setsockopt({u}, SOL_SOCKET, SO_BINDTODEVICE, "nonexist\0", 9) = -1 ENODEV (No such device)"#)
        );
        assert_eq!(
            line(libc::SYS_setsockopt, [4, 6, 1, p(&one), 4, 0], 0, &o),
            "setsockopt(4, SOL_TCP, TCP_NODELAY, [1], 4) = 0"
        );
        assert_eq!(
            line(libc::SYS_setsockopt, [7, 0, 1, p(&one), 4, 0], 0, &o),
            pad("setsockopt(7, SOL_IP, IP_TOS, [1], 4)", "0")
        );
        assert_eq!(
            line(libc::SYS_setsockopt, [7, 0, 1, p(&one), 4, 0], 0, &xlat(XlatStyle::Raw)),
            pad("setsockopt(7, 0, 0x1, [1], 4)", "0")
        );
        assert_eq!(
            line(libc::SYS_setsockopt, [3, 1, 2, p(&one), 4, 0], 0, &xlat(XlatStyle::Verbose)),
            "setsockopt(3, 0x1 /* SOL_SOCKET */, 0x2 /* SO_REUSEADDR */, [1], 4) = 0"
        );

        let mut v: i32 = 0;
        let mut vl: u32 = 4;
        let (l, _) = traced(libc::SYS_getsockopt, [u as usize, 1, 8, pm(&mut v), pm(&mut vl), 0], &o);
        assert_eq!(l, format!("getsockopt({u}, SOL_SOCKET, SO_RCVBUF, [{v}], [4]) = 0"));
        let (l, _) = traced(libc::SYS_getsockopt, [u as usize, 1, 3, pm(&mut v), pm(&mut vl), 0], &o);
        assert_eq!(l, format!("getsockopt({u}, SOL_SOCKET, SO_TYPE, [2], [4]) = 0"));
        let (l, _) = traced(libc::SYS_getsockopt, [u as usize, 1, 8, 0, pm(&mut vl), 0], &o);
        assert_eq!(l, format!("getsockopt({u}, SOL_SOCKET, SO_RCVBUF, NULL, [4]) = -1 EFAULT (Bad address)"));
        let (l, _) = traced(libc::SYS_getsockopt, [u as usize, 1, 9999, pm(&mut v), pm(&mut vl), 0], &o);
        assert_eq!(
            l,
            format!(
                "getsockopt({u}, SOL_SOCKET, 0x270f /* SO_??? */, {:#x}, [4]) = -1 ENOPROTOOPT (Protocol not available)",
                pm(&mut v)
            )
        );
        let mut b = [0u8; 32];
        let mut bl: u32 = 8;
        let (l, _) = traced(libc::SYS_getsockopt, [u as usize, 1, 8, pm(&mut b), pm(&mut bl), 0], &o);
        let got = i32::from_ne_bytes(b[..4].try_into().unwrap());
        assert_eq!(l, format!("getsockopt({u}, SOL_SOCKET, SO_RCVBUF, [{got}], [8 => 4]) = 0"));
        bl = 2;
        let (l, _) = traced(libc::SYS_getsockopt, [u as usize, 1, 8, pm(&mut b), pm(&mut bl), 0], &o);
        assert_eq!(l, format!(r#"getsockopt({u}, SOL_SOCKET, SO_RCVBUF, "\x{:02x}\x{:02x}", [2]) = 0"#, b[0], b[1]));
        bl = 32;
        let (l, _) = traced(libc::SYS_getsockopt, [u as usize, 1, 13, pm(&mut b), pm(&mut bl), 0], &o);
        assert_eq!(l, format!("getsockopt({u}, SOL_SOCKET, SO_LINGER, {{l_onoff=1, l_linger=5}}, [32 => 8]) = 0"));
        let (l, _) = traced(libc::SYS_getsockopt, [u as usize, 1, 8, pm(&mut b), 0, 0], &o);
        assert_eq!(
            l,
            format!("getsockopt({u}, SOL_SOCKET, SO_RCVBUF, {:#x}, NULL) = -1 EFAULT (Bad address)", pm(&mut b))
        );
        let x = sock(libc::AF_UNIX, libc::SOCK_STREAM);
        bl = 32;
        let (l, _) = traced(libc::SYS_getsockopt, [x as usize, 1, 17, pm(&mut b), pm(&mut bl), 0], &o);
        assert_eq!(l, format!("getsockopt({x}, SOL_SOCKET, SO_PEERCRED, {{pid=0, uid=-1, gid=-1}}, [32 => 12]) = 0"));
        bl = 32;
        let (l, _) = traced(libc::SYS_getsockopt, [x as usize, 1, 4, pm(&mut b), pm(&mut bl), 0], &o);
        assert_eq!(l, format!("getsockopt({x}, SOL_SOCKET, SO_ERROR, [0], [32 => 4]) = 0"));
        close(&[u, x]);
    }

    #[test]
    fn poll_and_ppoll_notes() {
        let o = opts();
        let sv = pair(libc::SOCK_STREAM);
        let (s0, s1) = (sv[0], sv[1]);
        // SAFETY: writing to our own socket.
        unsafe { libc::write(s0, b"x".as_ptr().cast(), 1) };
        let fds = [
            libc::pollfd { fd: s1, events: libc::POLLIN | libc::POLLPRI, revents: 0 },
            libc::pollfd { fd: s0, events: libc::POLLOUT, revents: 0 },
            libc::pollfd { fd: -1, events: libc::POLLIN, revents: 0 },
        ];
        let (l, _) = traced(libc::SYS_poll, [p(&fds), 3, 1000, 0, 0, 0], &o);
        assert_eq!(
            l,
            format!("poll([{{fd={s1}, events=POLLIN|POLLPRI}}, {{fd={s0}, events=POLLOUT}}, {{fd=-1}}], 3, 1000) = 2 ([{{fd={s1}, revents=POLLIN}}, {{fd={s0}, revents=POLLOUT}}])")
        );
        let (l, _) = traced(libc::SYS_poll, [p(&fds), 0, 0, 0, 0, 0], &o);
        assert_eq!(l, pad("poll([], 0, 0)", "0 (Timeout)"));
        let q = [libc::pollfd { fd: s0, events: libc::POLLIN, revents: 0 }];
        let (l, _) = traced(libc::SYS_poll, [p(&q), 1, 0, 0, 0, 0], &o);
        assert_eq!(l, pad(&format!("poll([{{fd={s0}, events=POLLIN}}], 1, 0)"), "0 (Timeout)"));
        let (l, _) = traced(libc::SYS_poll, [0x10, 1, 0, 0, 0, 0], &o);
        assert_eq!(l, pad("poll(0x10, 1, 0)", "-1 EFAULT (Bad address)"));
        let s1o = TraceOpts { string_limit: 1, ..TraceOpts::default() };
        let (l, _) = traced(libc::SYS_poll, [p(&fds), 3, 0, 0, 0, 0], &s1o);
        assert_eq!(
            l,
            format!("poll([{{fd={s1}, events=POLLIN|POLLPRI}}, ...], 3, 0) = 2 ([{{fd={s1}, revents=POLLIN}}, ...])")
        );
        let (l, _) = traced(libc::SYS_poll, [p(&fds), 2, 0, 0, 0, 0], &xlat(XlatStyle::Verbose));
        assert_eq!(
            l,
            format!("poll([{{fd={s1}, events=0x3 /* POLLIN|POLLPRI */}}, {{fd={s0}, events=0x4 /* POLLOUT */}}], 2, 0) = 2 ([{{fd={s1}, revents=0x1 /* POLLIN */}}, {{fd={s0}, revents=0x4 /* POLLOUT */}}])")
        );
        let (l, _) = traced(libc::SYS_poll, [p(&fds), 2, 0, 0, 0, 0], &xlat(XlatStyle::Raw));
        assert_eq!(
            l,
            format!("poll([{{fd={s1}, events=0x3}}, {{fd={s0}, events=0x4}}], 2, 0) = 2 ([{{fd={s1}, revents=0x1}}, {{fd={s0}, revents=0x4}}])")
        );

        let t0 = libc::timespec { tv_sec: 0, tv_nsec: 0 };
        let usr1: u64 = 1 << (libc::SIGUSR1 - 1);
        let (l, _) = traced(libc::SYS_ppoll, [p(&fds), 2, p(&t0), p(&usr1), 8, 0], &o);
        assert_eq!(
            l,
            format!("ppoll([{{fd={s1}, events=POLLIN|POLLPRI}}, {{fd={s0}, events=POLLOUT}}], 2, {{tv_sec=0, tv_nsec=0}}, [USR1], 8) = 2 ([{{fd={s1}, revents=POLLIN}}, {{fd={s0}, revents=POLLOUT}}], left {{tv_sec=0, tv_nsec=0}})")
        );
        let t1 = libc::timespec { tv_sec: 0, tv_nsec: 1000 };
        let (l, _) = traced(libc::SYS_ppoll, [p(&q), 1, p(&t1), 0, 8, 0], &o);
        assert_eq!(
            l,
            format!("ppoll([{{fd={s0}, events=POLLIN}}], 1, {{tv_sec=0, tv_nsec=1000}}, NULL, 8) = 0 (Timeout)")
        );
        let (l, _) = traced(libc::SYS_ppoll, [0x10, 1, 0, 0, 8, 0], &o);
        assert_eq!(l, pad("ppoll(0x10, 1, NULL, NULL, 8)", "-1 EFAULT (Bad address)"));
        // glibc's sigfillset leaves out the two signals it reserves.
        let full: u64 = !(3 << 31);
        let mixed: u64 = 1 | 2 | (1 << 31) | (1 << 33) | (1 << 39) | (1 << 63);
        let (l, _) = traced(libc::SYS_ppoll, [p(&q), 1, p(&t0), p(&full), 8, 0], &o);
        assert_eq!(
            l,
            format!("ppoll([{{fd={s0}, events=POLLIN}}], 1, {{tv_sec=0, tv_nsec=0}}, ~[RTMIN RT_1], 8) = 0 (Timeout)")
        );
        let (l, _) = traced(libc::SYS_ppoll, [p(&q), 1, p(&t0), p(&mixed), 8, 0], &o);
        assert_eq!(
            l,
            format!("ppoll([{{fd={s0}, events=POLLIN}}], 1, {{tv_sec=0, tv_nsec=0}}, [HUP INT RTMIN RT_2 RT_8 RT_32], 8) = 0 (Timeout)")
        );
        // An unreadable element after readable ones.
        // SAFETY: an anonymous mapping of two pages whose second page is then made PROT_NONE (not
        // unmapped: another test's thread could map a freed page again).
        let (l, want) = unsafe {
            let pg = libc::mmap(
                core::ptr::null_mut(),
                8192,
                libc::PROT_READ | libc::PROT_WRITE,
                libc::MAP_PRIVATE | libc::MAP_ANONYMOUS,
                -1,
                0,
            ) as usize;
            libc::mprotect((pg + 4096) as *mut _, 4096, libc::PROT_NONE);
            let arr = (pg + 4096 - 16) as *mut libc::pollfd;
            *arr = fds[0];
            *arr.add(1) = fds[1];
            let r = traced(libc::SYS_poll, [arr as usize, 3, 0, 0, 0, 0], &o).0;
            libc::munmap(pg as *mut _, 8192);
            (
                r,
                format!(
                    "poll([{{fd={s1}, events=POLLIN|POLLPRI}}, {{fd={s0}, events=POLLOUT}}, ... /* {:#x} */], 3, 0) = -1 EFAULT (Bad address)",
                    pg + 4096
                ),
            )
        };
        assert_eq!(l, want);
        close(&sv);
    }

    #[test]
    fn select_and_pselect6_notes() {
        let o = opts();
        let sv = pair(libc::SOCK_STREAM);
        let (s0, s1) = (sv[0], sv[1]);
        // SAFETY: writing to our own socket.
        unsafe { libc::write(s0, b"x".as_ptr().cast(), 1) };
        let n = s0.max(s1) as usize + 1;
        let set = |fds: &[i32]| {
            // SAFETY: fd_set is plain data; FD_SET on descriptors below FD_SETSIZE.
            unsafe {
                let mut s: libc::fd_set = zeroed();
                for &f in fds {
                    libc::FD_SET(f, &mut s);
                }
                s
            }
        };
        let mut r = set(&[s1]);
        let mut w = set(&[s0]);
        let tv = libc::timeval { tv_sec: 0, tv_usec: 0 };
        let (l, _) = traced(libc::SYS_select, [n, pm(&mut r), pm(&mut w), 0, p(&tv), 0], &o);
        assert_eq!(
            l,
            format!("select({n}, [{s1}], [{s0}], NULL, {{tv_sec=0, tv_usec=0}}) = 2 (in [{s1}], out [{s0}], left {{tv_sec=0, tv_usec=0}})")
        );
        let mut r = set(&[s0]);
        let tv = libc::timeval { tv_sec: 0, tv_usec: 100 };
        let (l, _) = traced(libc::SYS_select, [n, pm(&mut r), 0, 0, p(&tv), 0], &o);
        assert_eq!(l, format!("select({n}, [{s0}], NULL, NULL, {{tv_sec=0, tv_usec=100}}) = 0 (Timeout)"));
        let mut r = set(&[s1, s0]);
        let (l, _) = traced(libc::SYS_select, [n, pm(&mut r), 0, 0, 0, 0], &o);
        let (lo, hi) = (s0.min(s1), s0.max(s1));
        assert_eq!(l, pad(&format!("select({n}, [{lo} {hi}], NULL, NULL, NULL)"), &format!("1 (in [{s1}])")));
        let (l, _) = traced(libc::SYS_select, [usize::MAX, 0, 0, 0, 0, 0], &o);
        assert_eq!(l, pad("select(-1, NULL, NULL, NULL, NULL)", "-1 EINVAL (Invalid argument)"));
        let (l, _) = traced(libc::SYS_select, [n, 0x10, 0, 0, 0, 0], &o);
        assert_eq!(l, pad(&format!("select({n}, 0x10, NULL, NULL, NULL)"), "-1 EFAULT (Bad address)"));

        let mut r = set(&[s1]);
        let ts = libc::timespec { tv_sec: 0, tv_nsec: 0 };
        let usr1: u64 = 1 << (libc::SIGUSR1 - 1);
        let sig = [p(&usr1), 8];
        let (l, _) = traced(libc::SYS_pselect6, [n, pm(&mut r), 0, 0, p(&ts), p(&sig)], &o);
        assert_eq!(
            l,
            format!("pselect6({n}, [{s1}], NULL, NULL, {{tv_sec=0, tv_nsec=0}}, {{sigmask=[USR1], sigsetsize=8}}) = 1 (in [{s1}], left {{tv_sec=0, tv_nsec=0}})")
        );
        let mut r = set(&[s0]);
        let ts = libc::timespec { tv_sec: 0, tv_nsec: 10 };
        let nosig = [0usize, 8];
        let (l, _) = traced(libc::SYS_pselect6, [n, pm(&mut r), 0, 0, p(&ts), p(&nosig)], &o);
        assert_eq!(
            l,
            format!("pselect6({n}, [{s0}], NULL, NULL, {{tv_sec=0, tv_nsec=10}}, {{sigmask=NULL, sigsetsize=8}}) = 0 (Timeout)")
        );
        let ts = libc::timespec { tv_sec: 0, tv_nsec: 10 };
        let (l, _) = traced(libc::SYS_pselect6, [0, 0, 0, 0, p(&ts), 0], &o);
        assert_eq!(l, "pselect6(0, NULL, NULL, NULL, {tv_sec=0, tv_nsec=10}, NULL) = 0 (Timeout)");
        close(&sv);
    }

    #[test]
    fn epoll_and_eventfd() {
        let o = opts();
        let sv = pair(libc::SOCK_STREAM);
        let (s0, s1) = (sv[0], sv[1]);
        // SAFETY: writing to our own socket.
        unsafe { libc::write(s0, b"x".as_ptr().cast(), 1) };
        let (l, ep) = traced(libc::SYS_epoll_create1, [0x80000, 0, 0, 0, 0, 0], &o);
        assert_eq!(l, pad("epoll_create1(EPOLL_CLOEXEC)", &ep.to_string()));
        let (l, ep2) = traced(libc::SYS_epoll_create, [5, 0, 0, 0, 0, 0], &o);
        assert_eq!(l, pad("epoll_create(5)", &ep2.to_string()));
        let (l, _) = traced(libc::SYS_epoll_create1, [7, 0, 0, 0, 0, 0], &o);
        assert_eq!(l, pad("epoll_create1(0x7 /* EPOLL_??? */)", "-1 EINVAL (Invalid argument)"));
        let ev = libc::epoll_event { events: (libc::EPOLLIN | libc::EPOLLET) as u32, u64: 0x1_0000_0004 };
        let (l, _) = traced(libc::SYS_epoll_ctl, [ep as usize, 1, s1 as usize, p(&ev), 0, 0], &o);
        assert_eq!(
            l,
            format!(
                "epoll_ctl({ep}, EPOLL_CTL_ADD, {s1}, {{events=EPOLLIN|EPOLLET, data={{u32=4, u64=4294967300}}}}) = 0"
            )
        );
        let (l, _) = traced(libc::SYS_epoll_ctl, [ep as usize, 2, s1 as usize, 0, 0, 0], &o);
        assert_eq!(l, pad(&format!("epoll_ctl({ep}, EPOLL_CTL_DEL, {s1}, NULL)"), "0"));
        let (l, _) = traced(libc::SYS_epoll_ctl, [ep as usize, 1, s1 as usize, p(&ev), 0, 0], &o);
        assert!(l.ends_with("= 0"), "{l}");
        let (l, _) = traced(libc::SYS_epoll_ctl, [ep as usize, 7, s0 as usize, p(&ev), 0, 0], &o);
        assert_eq!(
            l,
            format!("epoll_ctl({ep}, 0x7 /* EPOLL_CTL_??? */, {s0}, {{events=EPOLLIN|EPOLLET, data={{u32=4, u64=4294967300}}}}) = -1 EINVAL (Invalid argument)")
        );
        let (l, _) = traced(libc::SYS_epoll_ctl, [ep as usize, 1, s0 as usize, 0x10, 0, 0], &o);
        assert_eq!(l, pad(&format!("epoll_ctl({ep}, EPOLL_CTL_ADD, {s0}, 0x10)"), "-1 EFAULT (Bad address)"));
        let all = libc::epoll_event { events: 0x7fff_ffff, u64: 0 };
        assert_eq!(
            line(libc::SYS_epoll_ctl, [5, 3, 4, p(&all), 0, 0], -22, &o),
            "epoll_ctl(5, EPOLL_CTL_MOD, 4, {events=EPOLLIN|EPOLLPRI|EPOLLOUT|EPOLLERR|EPOLLHUP|EPOLLNVAL|EPOLLRDNORM|EPOLLRDBAND|EPOLLWRNORM|EPOLLWRBAND|EPOLLMSG|EPOLLRDHUP|EPOLLEXCLUSIVE|EPOLLWAKEUP|EPOLLONESHOT|0xfffd800, data={u32=0, u64=0}}) = -1 EINVAL (Invalid argument)"
        );
        // SAFETY: plain data.
        let mut out: [libc::epoll_event; 4] = unsafe { zeroed() };
        let (l, _) = traced(libc::SYS_epoll_wait, [ep as usize, pm(&mut out), 4, 100, 0, 0], &o);
        assert_eq!(l, format!("epoll_wait({ep}, [{{events=EPOLLIN, data={{u32=4, u64=4294967300}}}}], 4, 100) = 1"));
        let usr1: u64 = 1 << (libc::SIGUSR1 - 1);
        let (l, _) = traced(libc::SYS_epoll_pwait, [ep2 as usize, pm(&mut out), 4, 0, p(&usr1), 8], &o);
        assert_eq!(l, pad(&format!("epoll_pwait({ep2}, [], 4, 0, [USR1], 8)"), "0"));
        let t0 = libc::timespec { tv_sec: 0, tv_nsec: 0 };
        let (l, _) = traced(libc::SYS_epoll_pwait2, [ep2 as usize, pm(&mut out), 4, p(&t0), 0, 8], &o);
        assert_eq!(l, format!("epoll_pwait2({ep2}, [], 4, {{tv_sec=0, tv_nsec=0}}, NULL, 8) = 0"));
        let (l, _) = traced(libc::SYS_epoll_wait, [usize::MAX, 0x10, 4, 0, 0, 0], &o);
        assert_eq!(l, pad("epoll_wait(-1, 0x10, 4, 0)", "-1 EBADF (Bad file descriptor)"));
        let (l, _) = traced(libc::SYS_epoll_wait, [ep2 as usize, 0x10, 4, 0, 0, 0], &o);
        assert_eq!(l, pad(&format!("epoll_wait({ep2}, [], 4, 0)"), "0"));

        let (l, e1) = traced(libc::SYS_eventfd2, [3, 0x80800, 0, 0, 0, 0], &o);
        assert_eq!(l, pad("eventfd2(3, EFD_CLOEXEC|EFD_NONBLOCK)", &e1.to_string()));
        let (l, e2) = traced(libc::SYS_eventfd, [5, 0, 0, 0, 0, 0], &o);
        assert_eq!(l, pad("eventfd(5)", &e2.to_string()));
        assert_eq!(
            line(libc::SYS_eventfd2, [0, 0x80801, 0, 0, 0, 0], 4, &o),
            "eventfd2(0, EFD_SEMAPHORE|EFD_CLOEXEC|EFD_NONBLOCK) = 4"
        );
        close(&[s0, s1, ep as i32, ep2 as i32, e1 as i32, e2 as i32]);
    }

    #[test]
    fn sysv_ipc() {
        let o = opts();
        let (l, q) = traced(libc::SYS_msgget, [0, 0o1600, 0, 0, 0, 0], &o);
        assert!(q >= 0);
        assert_eq!(l, pad("msgget(IPC_PRIVATE, IPC_CREAT|0600)", &q.to_string()));
        #[repr(C)]
        struct Msg {
            t: i64,
            d: [u8; 8],
        }
        let mut mb = Msg { t: 1, d: *b"abc\0\0\0\0\0" };
        let (l, _) = traced(libc::SYS_msgsnd, [q as usize, pm(&mut mb), 4, 0o4000, 0, 0], &o);
        assert_eq!(l, format!(r#"msgsnd({q}, {{mtype=1, mtext="abc\0"}}, 4, IPC_NOWAIT) = 0"#));
        let (l, _) = traced(libc::SYS_msgrcv, [q as usize, pm(&mut mb), 8, 0, 0o14000, 0], &o);
        assert_eq!(l, format!(r#"msgrcv({q}, {{mtype=1, mtext="abc\0\0\0\0\0"}}, 8, 0, MSG_NOERROR|IPC_NOWAIT) = 4"#));
        let (l, _) = traced(libc::SYS_msgrcv, [q as usize, pm(&mut mb), 8, 0, 0o4000, 0], &o);
        assert_eq!(
            l,
            format!("msgrcv({q}, {:#x}, 8, 0, IPC_NOWAIT) = -1 ENOMSG (No message of desired type)", pm(&mut mb))
        );
        let (l, _) = traced(libc::SYS_msgctl, [q as usize, 0, 0, 0, 0, 0], &o);
        assert_eq!(l, pad(&format!("msgctl({q}, IPC_RMID, NULL)"), "0"));
        assert_eq!(
            line(libc::SYS_msgctl, [0, 99, 0, 0, 0, 0], -22, &o),
            pad("msgctl(0, 0x63 /* MSG_??? */, NULL)", "-1 EINVAL (Invalid argument)")
        );
        assert_eq!(
            line(libc::SYS_msgget, [1, 0, 0, 0, 0, 0], -2, &o),
            pad("msgget(0x1, 000)", "-1 ENOENT (No such file or directory)")
        );
        assert_eq!(
            line(libc::SYS_msgget, [1, 0o4000 | 0o777 | 0o1000000, 0, 0, 0, 0], -2, &o),
            pad("msgget(0x1, IPC_NOWAIT|0x40000|0777)", "-1 ENOENT (No such file or directory)")
        );
        assert_eq!(
            line(libc::SYS_msgget, [0x1234, 0o3644, 0, 0, 0, 0], 1, &o),
            pad("msgget(0x1234, IPC_CREAT|IPC_EXCL|0644)", "1")
        );
        assert_eq!(
            line(libc::SYS_msgrcv, [0, 0x10, 4, 0xffff_fffb, 0x40000, 0], -22, &o),
            "msgrcv(0, 0x10, 4, 4294967291, 0x40000 /* MSG_??? */) = -1 EINVAL (Invalid argument)"
        );

        let (l, s) = traced(libc::SYS_semget, [0, 2, 0o1600, 0, 0, 0], &o);
        assert_eq!(l, pad("semget(IPC_PRIVATE, 2, IPC_CREAT|0600)", &s.to_string()));
        let sb: [libc::sembuf; 2] = [
            libc::sembuf { sem_num: 0, sem_op: 1, sem_flg: 0 },
            libc::sembuf { sem_num: 1, sem_op: -1, sem_flg: (libc::IPC_NOWAIT | libc::SEM_UNDO) as i16 },
        ];
        let (l, _) = traced(libc::SYS_semop, [s as usize, p(&sb[0]), 1, 0, 0, 0], &o);
        assert_eq!(l, format!("semop({s}, [{{sem_num=0, sem_op=1, sem_flg=0}}], 1) = 0"));
        let (l, _) = traced(libc::SYS_semtimedop, [s as usize, p(&sb[1]), 1, 0, 0, 0], &o);
        assert_eq!(
            l,
            format!("semtimedop({s}, [{{sem_num=1, sem_op=-1, sem_flg=SEM_UNDO|IPC_NOWAIT}}], 1, NULL) = -1 EAGAIN (Resource temporarily unavailable)")
        );
        let (l, _) = traced(libc::SYS_semctl, [s as usize, 0, 12, 0, 0, 0], &o);
        assert_eq!(l, pad(&format!("semctl({s}, 0, GETVAL, NULL)"), "1"));
        let (l, _) = traced(libc::SYS_semctl, [s as usize, 0, 16, 5, 0, 0], &o);
        assert_eq!(l, pad(&format!("semctl({s}, 0, SETVAL, 0x5)"), "0"));
        let (l, _) = traced(libc::SYS_semctl, [s as usize, 0, 0, 0, 0, 0], &o);
        assert_eq!(l, pad(&format!("semctl({s}, 0, IPC_RMID, NULL)"), "0"));
        let bad = libc::sembuf { sem_num: 0, sem_op: 0, sem_flg: 0x2000 };
        assert_eq!(
            line(libc::SYS_semop, [0, p(&bad), 1, 0, 0, 0], -22, &o),
            "semop(0, [{sem_num=0, sem_op=0, sem_flg=0x2000 /* SEM_??? */}], 1) = -1 EINVAL (Invalid argument)"
        );
        assert_eq!(
            line(libc::SYS_semop, [0, 0x10, 1, 0, 0, 0], -14, &o),
            pad("semop(0, 0x10, 1)", "-1 EFAULT (Bad address)")
        );

        let (l, m) = traced(libc::SYS_shmget, [0, 4096, 0o1600, 0, 0, 0], &o);
        assert_eq!(l, pad("shmget(IPC_PRIVATE, 4096, IPC_CREAT|0600)", &m.to_string()));
        let (l, at) = traced(libc::SYS_shmat, [m as usize, 0, 0o10000, 0, 0, 0], &o);
        assert_eq!(l, pad(&format!("shmat({m}, NULL, SHM_RDONLY)"), &format!("{at:#x}")));
        let (l, _) = traced(libc::SYS_shmdt, [at as usize, 0, 0, 0, 0, 0], &o);
        assert_eq!(l, pad(&format!("shmdt({at:#x})"), "0"));
        let (l, _) = traced(libc::SYS_shmctl, [m as usize, 0, 0, 0, 0, 0], &o);
        assert_eq!(l, pad(&format!("shmctl({m}, IPC_RMID, NULL)"), "0"));
        assert_eq!(
            line(libc::SYS_shmctl, [0, 0x102, 0, 0, 0, 0], -22, &o),
            pad("shmctl(0, IPC_64|IPC_STAT, NULL)", "-1 EINVAL (Invalid argument)")
        );
        assert_eq!(
            line(libc::SYS_shmget, [5, 10, 0o11000, 0, 0, 0], 1, &o),
            "shmget(0x5, 10, IPC_CREAT|SHM_NORESERVE|000) = 1"
        );
        assert_eq!(
            line(libc::SYS_shmat, [1, 0x1000, 0o160000, 0, 0, 0], 0x1000, &o),
            "shmat(1, 0x1000, SHM_RND|SHM_REMAP|SHM_EXEC) = 0x1000"
        );
        assert_eq!(
            line(libc::SYS_semctl, [0, 0, 99, 0, 0, 0], -22, &o),
            pad("semctl(0, 0, 0x63 /* SEM_??? */, NULL)", "-1 EINVAL (Invalid argument)")
        );
        assert_eq!(
            line(libc::SYS_semget, [5, 1, 0x7fff_ffff, 0, 0, 0], 1, &o),
            "semget(0x5, 1, IPC_CREAT|IPC_EXCL|IPC_NOWAIT|0x7ffff000|0777) = 1"
        );
    }

    #[test]
    fn ipc_stat_structures() {
        let o = opts();
        // SAFETY: creating a private queue and segment this test removes.
        let (q, m) = unsafe { (libc::msgget(0, 0o1600), libc::shmget(0, 4096, 0o1600)) };
        assert!(q >= 0 && m >= 0);
        // SAFETY: plain data.
        let mut md: libc::msqid_ds = unsafe { zeroed() };
        let (l, _) = traced(libc::SYS_msgctl, [q as usize, 2, pm(&mut md), 0, 0, 0], &o);
        assert_eq!(
            l,
            format!(
                "msgctl({q}, IPC_STAT, {{msg_perm={{uid={}, gid={}, mode=0600, key=0, cuid={}, cgid={}}}, msg_stime=0, msg_rtime=0, msg_ctime={}, msg_qnum=0, msg_qbytes={}, msg_lspid=0, msg_lrpid=0}}) = 0",
                md.msg_perm.uid, md.msg_perm.gid, md.msg_perm.cuid, md.msg_perm.cgid, md.msg_ctime, md.msg_qbytes
            )
        );
        // SAFETY: plain data.
        let mut sd: libc::shmid_ds = unsafe { zeroed() };
        let (l, _) = traced(libc::SYS_shmctl, [m as usize, 2, pm(&mut sd), 0, 0, 0], &o);
        assert_eq!(
            l,
            format!(
                "shmctl({m}, IPC_STAT, {{shm_perm={{uid={}, gid={}, mode=0600, key=0, cuid={}, cgid={}}}, shm_segsz=4096, shm_cpid={}, shm_lpid=0, shm_nattch=0, shm_atime=0, shm_dtime=0, shm_ctime={}}}) = 0",
                sd.shm_perm.uid, sd.shm_perm.gid, sd.shm_perm.cuid, sd.shm_perm.cgid, sd.shm_cpid, sd.shm_ctime
            )
        );
        // SAFETY: removing what this test created.
        unsafe {
            libc::msgctl(q, libc::IPC_RMID, core::ptr::null_mut());
            libc::shmctl(m, libc::IPC_RMID, core::ptr::null_mut());
        }
    }

    #[test]
    fn mq_open_unlink() {
        let o = opts();
        let name = format!("selftrace-net-{}\0", std::process::id());
        let shown = &name[..name.len() - 1];
        let (l, fd) = traced(libc::SYS_mq_open, [name.as_ptr() as usize, 0o102, 0o600, 0, 0, 0], &o);
        assert!(fd >= 0, "{l}");
        // The name holds the pid, whose width decides whether the line is padded.
        assert_eq!(l, pad(&format!(r#"mq_open("{shown}", O_RDWR|O_CREAT, 0600, NULL)"#), &fd.to_string()));
        let (l, fd2) = traced(libc::SYS_mq_open, [name.as_ptr() as usize, 0, 0, 0, 0, 0], &o);
        assert_eq!(l, pad(&format!(r#"mq_open("{shown}", O_RDONLY)"#), &fd2.to_string()));
        let attr: [i64; 8] = [0, 4, 16, 0, 0, 0, 0, 0];
        let (l, _) = traced(libc::SYS_mq_open, [name.as_ptr() as usize, 0o302, 0o600, p(&attr), 0, 0], &o);
        assert_eq!(
            l,
            format!(
                r#"mq_open("{shown}", O_RDWR|O_CREAT|O_EXCL, 0600, {{mq_flags=0, mq_maxmsg=4, mq_msgsize=16, mq_curmsgs=0}}) = -1 EEXIST (File exists)"#
            )
        );
        let (l, _) = traced(libc::SYS_mq_unlink, [name.as_ptr() as usize, 0, 0, 0, 0, 0], &o);
        assert_eq!(l, pad(&format!(r#"mq_unlink("{shown}")"#), "0"));
        close(&[fd as i32, fd2 as i32]);
    }

    #[test]
    fn hex_strings_whole_string() {
        let o = TraceOpts { hex_strings: 1, ..TraceOpts::default() };
        let (ab, _) = sun(b"\0abs\0x");
        assert_eq!(
            line(libc::SYS_bind, [6, p(&ab), 8, 0, 0, 0], -22, &o),
            r#"bind(6, {sa_family=AF_UNIX, sun_path=@"\x61\x62\x73\x00\x78"}, 8) = -1 EINVAL (Invalid argument)"#
        );
        assert_eq!(
            line(libc::SYS_bind, [6, p(&ab), 6, 0, 0, 0], 0, &o),
            r#"bind(6, {sa_family=AF_UNIX, sun_path=@"abs"}, 6) = 0"#
        );
        let msg = b"x\0y";
        assert_eq!(
            line(libc::SYS_sendto, [5, msg.as_ptr() as usize, 3, 0, p(&ab), 6], 3, &o),
            r#"sendto(5, "\x78\x00\x79", 3, 0, {sa_family=AF_UNIX, sun_path=@"abs"}, 6) = 3"#
        );
    }

    #[test]
    fn xlat_styles_of_sets_keys_and_modes() {
        let usr1: u64 = 1 << (libc::SIGUSR1 - 1);
        let full: u64 = !(3 << 31);
        let mixed: u64 = 1 | 2 | (1 << 33) | (1 << 39) | (1 << 63);
        let (raw, v) = (xlat(XlatStyle::Raw), xlat(XlatStyle::Verbose));
        assert_eq!(
            line(libc::SYS_epoll_pwait, [8, 0x10, 4, 0, p(&usr1), 8], 0, &raw),
            pad("epoll_pwait(8, [], 4, 0, [10], 8)", "0")
        );
        assert_eq!(
            line(libc::SYS_epoll_pwait, [8, 0x10, 4, 0, p(&usr1), 8], 0, &v),
            "epoll_pwait(8, [], 4, 0, [10 /* USR1 */], 8) = 0"
        );
        assert_eq!(
            line(libc::SYS_epoll_pwait, [8, 0x10, 4, 0, p(&full), 8], 0, &v),
            "epoll_pwait(8, [], 4, 0, ~[32 /* RTMIN */ 33 /* RT_1 */], 8) = 0"
        );
        assert_eq!(
            line(libc::SYS_epoll_pwait, [8, 0x10, 4, 0, p(&mixed), 8], 0, &raw),
            "epoll_pwait(8, [], 4, 0, [1 2 34 40 64], 8) = 0"
        );
        assert_eq!(
            line(libc::SYS_epoll_pwait, [8, 0x10, 4, 0, p(&usr1), 4], -22, &opts()),
            format!("epoll_pwait(8, 0x10, 4, 0, {:#x}, 4) = -1 EINVAL (Invalid argument)", p(&usr1))
        );
        assert_eq!(line(libc::SYS_msgget, [0, 0o1600, 0, 0, 0, 0], 3, &raw), pad("msgget(0, 0x200|0600)", "3"));
        assert_eq!(
            line(libc::SYS_shmget, [0, 4096, 0o5600, 0, 0, 0], -12, &v),
            "shmget(0 /* IPC_PRIVATE */, 4096, 0xa00 /* IPC_CREAT|SHM_HUGETLB */|0600) = -1 ENOMEM (Cannot allocate memory)"
        );
        assert_eq!(
            line(libc::SYS_shmctl, [3, 0x102, 0, 0, 0, 0], -22, &v),
            "shmctl(3, 0x100 /* IPC_64 */|0x2 /* IPC_STAT */, NULL) = -1 EINVAL (Invalid argument)"
        );
        let name = b"neteng\0";
        assert_eq!(
            line(libc::SYS_mq_open, [name.as_ptr() as usize, 0o102, 0o600, 0, 0, 0], 6, &v),
            r#"mq_open("neteng", 0x42 /* O_RDWR|O_CREAT */, 0600, NULL) = 6"#
        );
        assert_eq!(
            line(libc::SYS_mq_open, [name.as_ptr() as usize, 0, 0, 0, 0, 0], 8, &v),
            pad(r#"mq_open("neteng", 0 /* O_RDONLY */)"#, "8")
        );
        assert_eq!(
            line(libc::SYS_mq_open, [name.as_ptr() as usize, 0o302, 0o600, 0, 0, 0], 7, &opts()),
            r#"mq_open("neteng", O_RDWR|O_CREAT|O_EXCL, 0600, NULL) = 7"#
        );
    }

    #[test]
    fn arrays_cut_at_string_limit() {
        let s1 = TraceOpts { string_limit: 1, ..TraceOpts::default() };
        let fds = [3i32, 4];
        assert_eq!(
            line(libc::SYS_socketpair, [1, 1, 0, p(&fds), 0, 0], 0, &s1),
            "socketpair(AF_UNIX, SOCK_STREAM, 0, [3, ...]) = 0"
        );
        let v1 = TraceOpts { verbose: true, ..s1 };
        assert_eq!(
            line(libc::SYS_socketpair, [1, 1, 0, p(&fds), 0, 0], 0, &v1),
            "socketpair(AF_UNIX, SOCK_STREAM, 0, [3, 4]) = 0"
        );
        // An unreadable element is shown even past the -s cut.
        let s2 = TraceOpts { string_limit: 2, ..TraceOpts::default() };
        // SAFETY: an anonymous mapping of two pages whose second page is then made PROT_NONE (not
        // unmapped: another test's thread could map a freed page again).
        unsafe {
            let pg = libc::mmap(
                core::ptr::null_mut(),
                8192,
                libc::PROT_READ | libc::PROT_WRITE,
                libc::MAP_PRIVATE | libc::MAP_ANONYMOUS,
                -1,
                0,
            ) as usize;
            libc::mprotect((pg + 4096) as *mut _, 4096, libc::PROT_NONE);
            let arr = (pg + 4096 - 16) as *mut libc::pollfd;
            *arr = libc::pollfd { fd: 4, events: libc::POLLIN, revents: 0 };
            *arr.add(1) = libc::pollfd { fd: 3, events: libc::POLLOUT, revents: 0 };
            assert_eq!(
                line(libc::SYS_poll, [arr as usize, 3, 0, 0, 0, 0], -14, &s2),
                format!(
                    "poll([{{fd=4, events=POLLIN}}, {{fd=3, events=POLLOUT}}, ... /* {:#x} */], 3, 0) = -1 EFAULT (Bad address)",
                    pg + 4096
                )
            );
            libc::munmap(pg as *mut _, 8192);
        }
    }
}
