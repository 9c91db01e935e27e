//! The URL parser against a table of valid and invalid URLs: the parts
//! each valid one gives, and the part each invalid one's error names.

use ftp::error::Error;
use ftp::url::{FtpUrl, Security};

use Security::{Explicit as E, Implicit as I, Plain as P};

/// (url, security, user, password, host, port, segments)
type Good = (
    &'static str,
    Security,
    Option<&'static str>,
    Option<&'static str>,
    &'static str,
    u16,
    &'static [&'static str],
);

const GOOD: &[Good] = &[
    (
        "ftp://example.com/pub/file.txt",
        P,
        None,
        None,
        "example.com",
        21,
        &["pub", "file.txt"],
    ),
    ("FTP://example.com", P, None, None, "example.com", 21, &[]),
    ("ftp://example.com/", P, None, None, "example.com", 21, &[]),
    ("ftp://example.com:", P, None, None, "example.com", 21, &[]),
    (
        "ftp://u@h:2121/d/",
        P,
        Some("u"),
        None,
        "h",
        2121,
        &["d", ""],
    ),
    (
        "ftp://user:secret@127.0.0.1:2121/a%20b",
        P,
        Some("user"),
        Some("secret"),
        "127.0.0.1",
        2121,
        &["a b"],
    ),
    (
        "ftp://us%40er:p%3Aa%2Fss@h/x",
        P,
        Some("us@er"),
        Some("p:a/ss"),
        "h",
        21,
        &["x"],
    ),
    (
        "ftp://u:p@ss@h/x",
        P,
        Some("u"),
        Some("p@ss"),
        "h",
        21,
        &["x"],
    ),
    (
        "ftp://u:p:q@h/x",
        P,
        Some("u"),
        Some("p:q"),
        "h",
        21,
        &["x"],
    ),
    ("ftp://u:@h/x", P, Some("u"), Some(""), "h", 21, &["x"]),
    ("ftp://:pw@h/x", P, None, Some("pw"), "h", 21, &["x"]),
    ("ftp://@h/x", P, None, None, "h", 21, &["x"]),
    ("ftp://[::1]/f", P, None, None, "::1", 21, &["f"]),
    (
        "ftp://me:pw@[::1]:2121/dir/f",
        P,
        Some("me"),
        Some("pw"),
        "::1",
        2121,
        &["dir", "f"],
    ),
    (
        "ftp://[2001:db8::7]:21/",
        P,
        None,
        None,
        "2001:db8::7",
        21,
        &[],
    ),
    (
        "ftp://[fe80::1%25eth0]/x",
        P,
        None,
        None,
        "fe80::1%eth0",
        21,
        &["x"],
    ),
    (
        "ftp://[::ffff:127.0.0.1]/x",
        P,
        None,
        None,
        "::ffff:127.0.0.1",
        21,
        &["x"],
    ),
    (
        "ftp://h//abs/path",
        P,
        None,
        None,
        "h",
        21,
        &["", "abs", "path"],
    ),
    (
        "ftp://h/%2Fetc/motd",
        P,
        None,
        None,
        "h",
        21,
        &["/etc", "motd"],
    ),
    ("ftp://h/a%2Fb/c", P, None, None, "h", 21, &["a/b", "c"]),
    ("ftp://h/%c3%a9t%C3%A9", P, None, None, "h", 21, &["été"]),
    ("ftp://h/été", P, None, None, "h", 21, &["été"]),
    ("ftp://h:65535/x", P, None, None, "h", 65535, &["x"]),
    ("ftp://h:1/x", P, None, None, "h", 1, &["x"]),
    ("ftp://h:00021/x", P, None, None, "h", 21, &["x"]),
    ("ftp://h/x;type=i", P, None, None, "h", 21, &["x"]),
    ("ftp://h/x;type=A", P, None, None, "h", 21, &["x"]),
    ("ftp://h/d/;type=d", P, None, None, "h", 21, &["d", ""]),
    ("ftp://h/;type=i", P, None, None, "h", 21, &[]),
    ("ftp://h/x;TYPE=a", P, None, None, "h", 21, &["x"]),
    (
        "ftp://h/FILE.TXT;1",
        P,
        None,
        None,
        "h",
        21,
        &["FILE.TXT;1"],
    ),
    (
        "ftp://h/a;b/c;type=i",
        P,
        None,
        None,
        "h",
        21,
        &["a;b", "c"],
    ),
    ("ftp://h/x%3Btype=i", P, None, None, "h", 21, &["x;type=i"]),
    ("ftp://h/a//b", P, None, None, "h", 21, &["a", "", "b"]),
    (
        "ftp://my-host.example_1.org/x",
        P,
        None,
        None,
        "my-host.example_1.org",
        21,
        &["x"],
    ),
    ("ftp://10.0.0.1/", P, None, None, "10.0.0.1", 21, &[]),
    ("ftp://h/%23%3F", P, None, None, "h", 21, &["#?"]),
    ("ftp://h/~user/x", P, None, None, "h", 21, &["~user", "x"]),
    ("ftps://h/x", I, None, None, "h", 990, &["x"]),
    ("ftps://h:2990", I, None, None, "h", 2990, &[]),
    ("FTPS://u:p@h/", I, Some("u"), Some("p"), "h", 990, &[]),
    ("FTPES://h/x", E, None, None, "h", 21, &["x"]),
    (
        "ftpes://u@[::1]:2121/a/b/",
        E,
        Some("u"),
        None,
        "::1",
        2121,
        &["a", "b", ""],
    ),
];

/// (url, text the error must contain)
const BAD: &[(&str, &str)] = &[
    ("http://example.com/x", "unsupported URL scheme 'http://'"),
    ("sftp://example.com/x", "only ftp://, ftpes:// and ftps://"),
    ("ftps//example.com/x", "lacks a scheme"),
    ("example.com/x", "lacks a scheme"),
    ("://h/x", "bad scheme"),
    ("f t p://h/x", "space or control"),
    ("ft%70://h/x", "bad scheme"),
    ("ftps:///x", "no host"),
    ("ftp:///x", "no host"),
    ("ftp://u@/x", "no host"),
    ("ftp://u:secret@:21/x", "no host"),
    ("ftp://h:0/x", "bad port"),
    ("ftp://h:65536/x", "bad port"),
    ("ftp://h:99999999999999999999/x", "bad port"),
    ("ftp://h:21a/x", "bad port"),
    ("ftp://h:+21/x", "bad port"),
    ("ftp://h:-1/x", "bad port"),
    ("ftp://::1/x", "more than one ':'"),
    ("ftps://::1/x", "more than one ':'"),
    ("ftp://[::1/x", "unterminated '['"),
    ("ftp://[]/x", "empty IPv6"),
    ("ftp://[::1]x/x", "after ']'"),
    ("ftp://[::1;]/x", "bad IPv6 address"),
    ("ftp://[example.com]/x", "bad IPv6 address"),
    ("ftp://[::1%25]/x", "bad IPv6 zone"),
    ("ftp://[::1]:x/", "bad port"),
    ("ftp://h%20x/", "bad character in the URL's host"),
    ("ftp://h!/", "bad character in the URL's host"),
    ("ftp://1.2.3/", "bad IPv4 address"),
    ("ftp://1.2.3.256/", "bad IPv4 address"),
    ("ftp://h/a%2", "bad %-escape in the URL's path"),
    ("ftp://h/a%zz", "bad %-escape in the URL's path"),
    ("ftp://h/a%00b", "bad %-escape in the URL's path"),
    ("ftp://h/a%ff", "path is not UTF-8"),
    ("ftp://u%4:p@h/x", "bad %-escape in the URL's user name"),
    ("ftp://u%ff@h/x", "user name is not UTF-8"),
    ("ftp://u:p%@h/x", "bad %-escape in the URL's password"),
    ("ftp://u:p%fe@h/x", "password is not UTF-8"),
    ("ftp://h/a b", "space or control"),
    ("ftp://h/a\r\nDELE x", "space or control"),
    ("ftp://h/a\x7f", "space or control"),
    ("ftp://h/x;type=x", "bad ';type='"),
    ("ftp://h/x;type=", "bad ';type='"),
    ("ftp://h/x;type=ii", "bad ';type='"),
    ("ftp://h/x?y", "'?' in the URL"),
    ("ftp://h/x#frag", "'#' in the URL"),
    ("ftp://u:pa#ss@h/x", "'#' in the URL"),
];

#[test]
fn valid_urls_give_their_parts() {
    for &(url, sec, user, pass, host, port, segs) in GOOD {
        let u = FtpUrl::parse(url).unwrap_or_else(|e| panic!("{url}: {e}"));
        assert_eq!(u.security, sec, "{url}");
        assert_eq!(u.user.as_deref(), user, "{url}");
        assert_eq!(u.password.as_deref(), pass, "{url}");
        assert_eq!(u.host, host, "{url}");
        assert_eq!(u.port, port, "{url}");
        assert_eq!(u.segments, segs, "{url}");
        let again = FtpUrl::parse(&u.to_url_string()).unwrap();
        assert_eq!(again, u, "{url} -> {}", u.to_url_string());
    }
}

#[test]
fn invalid_urls_name_the_wrong_part() {
    for &(url, needle) in BAD {
        match FtpUrl::parse(url) {
            Err(Error::InvalidArgument(why)) => {
                assert!(why.contains(needle), "{url:?}: {why:?} lacks {needle:?}");
                assert!(!why.contains("secret") && !why.contains("pa#ss"), "{why}");
            }
            other => panic!("{url:?}: {other:?}"),
        }
    }
}

#[test]
fn the_table_is_large_enough() {
    assert!(GOOD.len() + BAD.len() >= 60, "{}", GOOD.len() + BAD.len());
}

#[test]
fn helpers_split_directory_and_file() {
    let u = FtpUrl::parse("ftp://h/%2Fpub/sub/f.txt").unwrap();
    assert_eq!(u.dir_segments(), ["/pub", "sub"]);
    assert_eq!(u.file_name(), "f.txt");
    assert_eq!(u.path(), "/pub/sub/f.txt");
    assert_eq!(u.login_user(), "anonymous");
    let d = FtpUrl::parse("ftp://bob@h/a/b/").unwrap();
    assert_eq!(
        (d.dir_segments(), d.file_name()),
        (&["a".to_string(), "b".into()][..], "")
    );
    assert_eq!(d.login_user(), "bob");
    assert_eq!(
        FtpUrl::parse("ftps://u:p%40@[::1]:21/x%20y")
            .unwrap()
            .to_url_string(),
        "ftps://u:p%40@[::1]:21/x%20y"
    );
}

#[test]
fn debug_hides_the_password() {
    let u = FtpUrl::parse("ftp://u:secret@h/x").unwrap();
    let text = format!("{u:?}");
    assert!(!text.contains("secret") && text.contains("***"), "{text}");
}
