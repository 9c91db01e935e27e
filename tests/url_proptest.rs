//! Property tests of the URL parser: it never panics, and what it accepts
//! round-trips through a rebuilt URL and through its own formatter.

use ftp::url::{FtpUrl, Security};
use proptest::prelude::*;

/// Percent-encodes everything but unreserved characters.
fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

proptest! {
    #[test]
    fn never_panics(s in any::<String>()) {
        let _ = FtpUrl::parse(&s);
    }

    #[test]
    fn never_panics_on_url_like_text(s in "(ftp|ftps|ftpes|FTP|x)://[a-z@:%0-9\\[\\]/.fF;=]{0,30}") {
        let _ = FtpUrl::parse(&s);
    }

    /// Whatever parses formats back to a URL that parses to the same parts.
    #[test]
    fn parse_then_format_round_trips(s in "(ftp|ftps|ftpes)://([a-zA-Z%0-9:@;]{0,8}@)?([a-z0-9.-]{1,8}|\\[[0-9a-f:]{2,12}\\])(:[0-9]{0,5})?(/[a-zA-Z0-9%;=/._~é-]{0,20})?") {
        if let Ok(u) = FtpUrl::parse(&s) {
            let text = u.to_url_string();
            let again = FtpUrl::parse(&text).unwrap();
            prop_assert_eq!(again, u, "{} -> {}", s, text);
        }
    }

    #[test]
    fn encoded_parts_come_back(
        user in "[^\0]{1,12}",
        pass in "[^\0]{0,12}",
        host in "[a-z][a-z0-9.-]{0,15}",
        port in 1u16..,
        path in "[^\0]{0,20}",
        scheme in 0..3usize,
    ) {
        let name = ["ftp", "ftpes", "ftps"][scheme];
        let url = format!("{name}://{}:{}@{host}:{port}/{}", enc(&user), enc(&pass), enc(&path));
        let u = FtpUrl::parse(&url).unwrap();
        prop_assert_eq!(u.user.as_deref(), Some(user.as_str()));
        prop_assert_eq!(u.password.as_deref(), Some(pass.as_str()));
        prop_assert_eq!(&u.host, &host);
        prop_assert_eq!(u.port, port);
        prop_assert_eq!(u.path(), path);
        prop_assert_eq!(u.security, [Security::Plain, Security::Explicit, Security::Implicit][scheme]);
    }
}
