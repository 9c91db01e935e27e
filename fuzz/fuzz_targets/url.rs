//! `FtpUrl::parse` on arbitrary text. Invariants: no panic; an error is
//! an invalid argument whose text never holds the URL's user information
//! (so never a password); an accepted URL formats (`to_url_string`) to a
//! URL that parses to the same parts, and that text is a fixed point.

#![no_main]

use ftp::url::FtpUrl;
use ftp::ErrorKind;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    match FtpUrl::parse(&text) {
        Ok(u) => {
            let formatted = u.to_url_string();
            let again = FtpUrl::parse(&formatted)
                .unwrap_or_else(|e| panic!("{formatted:?} does not parse: {e}"));
            assert_eq!(again, u, "{text:?} -> {formatted:?}");
            assert_eq!(again.to_url_string(), formatted);
            assert_eq!(u.path(), u.segments.join("/"));
        }
        Err(e) => {
            assert_eq!(e.kind(), ErrorKind::InvalidArgument);
            // The password, when there is one, is never quoted (checked for
            // passwords with a letter no message of the parser holds).
            if let Some((_, rest)) = text.split_once("://") {
                let auth = rest.split('/').next().unwrap_or("");
                if let Some((info, _)) = auth.rsplit_once('@') {
                    if let Some((_, pass)) = info.split_once(':') {
                        if pass.contains(['Q', 'Z', 'J', 'K']) {
                            assert!(!e.to_string().contains(pass), "{e} shows {pass:?}");
                        }
                    }
                }
            }
        }
    }
});
