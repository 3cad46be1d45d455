//! The client behind the connection: its address and scheme, believing
//! `X-Forwarded-For` and `X-Forwarded-Proto` only from `TRUSTED_PROXIES`.

use std::net::{IpAddr, Ipv6Addr, SocketAddr};

use axum::{
    extract::{ConnectInfo, Request},
    http::HeaderMap,
};
use ipnet::IpNet;

/// Where a request came from when the connection's peer is unknown: an
/// address no proxy list can contain by accident, so nothing it claims in
/// `X-Forwarded-*` is believed.
pub const UNKNOWN_PEER: IpAddr = IpAddr::V6(Ipv6Addr::UNSPECIFIED);

/// True when `ip` is one of the configured proxies. The unknown peer never is.
fn is_trusted(ip: IpAddr, trusted: &[IpNet]) -> bool {
    ip != UNKNOWN_PEER && trusted.iter().any(|net| net.contains(&ip))
}

/// One `X-Forwarded-For` entry: an address, or an address with a port as
/// some proxies write it (`1.2.3.4:5678`, `[2001:db8::1]:443`).
fn parse_hop(entry: &str) -> Option<IpAddr> {
    let entry = entry.trim();
    entry
        .parse::<IpAddr>()
        .or_else(|_| entry.parse::<SocketAddr>().map(|s| s.ip()))
        .ok()
        .map(|ip| ip.to_canonical())
}

/// The address of the person on the other end, canonical (an IPv4-mapped
/// IPv6 peer such as `::ffff:10.0.0.1`, as a server listening on `[::]`
/// sees IPv4 clients, is the IPv4 address). `X-Forwarded-For` is read only
/// when the peer is a trusted proxy; the list is walked from the right, past
/// every trusted hop, so a client cannot forge its own entry. The walk stops
/// at the first entry that does not parse: what lies left of it was written
/// by someone we cannot vouch for, so the last hop we could read is used.
pub fn client_ip(peer: IpAddr, headers: &HeaderMap, trusted: &[IpNet]) -> IpAddr {
    let peer = peer.to_canonical();
    if !is_trusted(peer, trusted) {
        return peer;
    }
    let entries: Vec<&str> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .collect();
    let mut last = peer;
    for entry in entries.iter().rev() {
        match parse_hop(entry) {
            Some(ip) if is_trusted(ip, trusted) => last = ip,
            Some(ip) => return ip,
            None => return last,
        }
    }
    last
}

/// The scheme the client used: `X-Forwarded-Proto` from a trusted proxy, else
/// plain `http` (Palaver itself does not terminate TLS).
pub fn request_is_https(peer: IpAddr, headers: &HeaderMap, trusted: &[IpNet]) -> bool {
    is_trusted(peer.to_canonical(), trusted)
        && headers
            .get("x-forwarded-proto")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(',').next())
            .is_some_and(|proto| proto.trim().eq_ignore_ascii_case("https"))
}

/// The connection's peer, or [`UNKNOWN_PEER`] (never a trusted proxy).
pub fn peer_ip(req: &Request) -> IpAddr {
    req.extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map_or(UNKNOWN_PEER, |ConnectInfo(addr)| addr.ip())
}

#[cfg(test)]
pub(super) mod tests {
    use axum::http::HeaderValue;

    use super::*;

    /// A header map of `pairs`, repeated names appended (also for http.rs).
    pub(in crate::server) fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(*k, HeaderValue::from_static(v));
        }
        h
    }

    fn nets(list: &[&str]) -> Vec<IpNet> {
        list.iter().map(|s| s.parse().unwrap()).collect()
    }

    #[test]
    fn forwarded_for_is_ignored_from_untrusted_peers() {
        let h = headers(&[("x-forwarded-for", "1.2.3.4")]);
        let peer: IpAddr = "9.9.9.9".parse().unwrap();
        assert_eq!(client_ip(peer, &h, &nets(&["10.0.0.0/8"])), peer);
        assert_eq!(client_ip(peer, &h, &[]), peer);
    }

    #[test]
    fn forwarded_for_walks_past_trusted_hops_from_the_right() {
        // The client wrote "6.6.6.6" itself; the proxy appended the real peer.
        let h = headers(&[("x-forwarded-for", "6.6.6.6, 1.2.3.4, 10.0.0.2")]);
        let peer: IpAddr = "10.0.0.1".parse().unwrap();
        let ip = client_ip(peer, &h, &nets(&["10.0.0.0/8"]));
        assert_eq!(ip, "1.2.3.4".parse::<IpAddr>().unwrap());
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn forwarded_for_stops_at_the_first_entry_it_cannot_read() {
        let trusted = nets(&["10.0.0.0/8"]);
        // The client forged "6.6.6.6"; a proxy wrote a garbled entry: the
        // forged one must not be believed.
        let h = headers(&[("x-forwarded-for", "6.6.6.6, not-an-ip, 10.0.0.2")]);
        assert_eq!(client_ip(ip("10.0.0.1"), &h, &trusted), ip("10.0.0.2"));
        // Entries with ports are addresses all the same.
        let h = headers(&[("x-forwarded-for", "6.6.6.6, 1.2.3.4:5678")]);
        assert_eq!(client_ip(ip("10.0.0.1"), &h, &trusted), ip("1.2.3.4"));
        let h = headers(&[("x-forwarded-for", "[2001:db8::7]:443")]);
        assert_eq!(client_ip(ip("10.0.0.1"), &h, &trusted), ip("2001:db8::7"));
    }

    #[test]
    fn mapped_ipv4_peers_are_ipv4_for_proxies_and_limits() {
        // A server on [::] sees its IPv4 proxy as ::ffff:10.0.0.1.
        let trusted = nets(&["10.0.0.0/8"]);
        let h = headers(&[
            ("x-forwarded-for", "1.2.3.4"),
            ("x-forwarded-proto", "https"),
        ]);
        assert_eq!(
            client_ip(ip("::ffff:10.0.0.1"), &h, &trusted),
            ip("1.2.3.4")
        );
        assert!(request_is_https(ip("::ffff:10.0.0.1"), &h, &trusted));
        assert_eq!(client_ip(ip("::ffff:9.9.9.9"), &h, &trusted), ip("9.9.9.9"));
    }

    #[test]
    fn an_unknown_peer_is_never_a_trusted_proxy() {
        let everything = nets(&["0.0.0.0/0", "::/0"]);
        let h = headers(&[
            ("x-forwarded-for", "1.2.3.4"),
            ("x-forwarded-proto", "https"),
        ]);
        assert_eq!(client_ip(UNKNOWN_PEER, &h, &everything), UNKNOWN_PEER);
        assert!(!request_is_https(UNKNOWN_PEER, &h, &everything));
    }

    #[test]
    fn forwarded_proto_counts_only_from_trusted_peers() {
        let h = headers(&[("x-forwarded-proto", "https")]);
        let trusted = nets(&["127.0.0.1/32"]);
        assert!(request_is_https("127.0.0.1".parse().unwrap(), &h, &trusted));
        assert!(!request_is_https("8.8.8.8".parse().unwrap(), &h, &trusted));
        assert!(!request_is_https(
            "127.0.0.1".parse().unwrap(),
            &HeaderMap::new(),
            &trusted
        ));
    }
}
