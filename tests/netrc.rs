//! The netrc parser and lookups (our own cases, modelled on the kinds of
//! case Python's netrc tests cover) and the permission rule.

use ftp::error::Error;
use ftp::netrc::{Entry, Netrc};
use std::os::unix::fs::PermissionsExt;

fn parse(text: &str) -> Netrc {
    Netrc::parse(text).unwrap_or_else(|e| panic!("{text:?}: {e}"))
}

fn login_of<'a>(n: &'a Netrc, host: &str) -> (&'a str, &'a str, &'a str) {
    let e = n
        .find(host, None)
        .unwrap_or_else(|| panic!("no entry for {host}"));
    (&e.login, &e.account, &e.password)
}

fn fails(text: &str, needle: &str) {
    match Netrc::parse(text) {
        Err(Error::InvalidArgument(why)) => {
            assert!(why.contains(needle), "{text:?}: {why}");
            assert!(!why.contains("topsecret"), "{why}");
        }
        other => panic!("{text:?}: {other:?}"),
    }
}

#[test]
fn machines_and_the_default() {
    let n = parse(
        "machine host1.test login log1 password pass1 account acct1\n\
         default login log2 password pass2\n",
    );
    assert_eq!(login_of(&n, "host1.test"), ("log1", "acct1", "pass1"));
    assert_eq!(login_of(&n, "HOST1.test"), ("log1", "acct1", "pass1"));
    assert_eq!(login_of(&n, "other.test"), ("log2", "", "pass2"));
    assert_eq!(n.entries.len(), 2);
    assert_eq!(n.entries[1].machine, None);
}

#[test]
fn words_may_be_spread_over_lines_and_user_means_login() {
    let n = parse("machine\nh\n\tuser\n  u1 password\n p1");
    assert_eq!(login_of(&n, "h"), ("u1", "", "p1"));
}

#[test]
fn quoted_words_and_backslash_escapes() {
    let n = parse(
        "machine h1 login \"with space\" password \"quote\\\"d\\\\back\"\n\
         machine h2 login a\\ b password pa\\\"ss\n\
         machine h3 login \"\" password \"#not a comment\"\n",
    );
    assert_eq!(login_of(&n, "h1"), ("with space", "", "quote\"d\\back"));
    assert_eq!(login_of(&n, "h2"), ("a b", "", "pa\"ss"));
    assert_eq!(login_of(&n, "h3"), ("", "", "#not a comment"));
}

#[test]
fn comments_where_keywords_go() {
    let n = parse(
        "# a comment line\n\
         machine h1 login u1 # trailing comment password wrong\n\
         \tpassword p1\n\
         #machine h2 login hidden password hidden\n\
         machine h3 login u3 password #p3 # a password may start with '#'\n",
    );
    assert_eq!(login_of(&n, "h1"), ("u1", "", "p1"));
    assert!(n.find("h2", None).is_none());
    assert_eq!(login_of(&n, "h3"), ("u3", "", "#p3"));
}

#[test]
fn macros_are_skipped_up_to_the_blank_line() {
    let n = parse(
        "macdef init\ncd /pub\nmachine fake login no password no\n   \n\
         machine h login u password p\n\
         macdef last\nbin\nget x",
    );
    assert_eq!(n.entries.len(), 1);
    assert_eq!(login_of(&n, "h"), ("u", "", "p"));
}

#[test]
fn lookups_by_login() {
    let n = parse(
        "machine h login a password pa\n\
         machine h login b password pb\n\
         default login c password pc\n",
    );
    let pw = |host: &str, login: Option<&str>| n.find(host, login).map(|e| e.password.clone());
    assert_eq!(pw("h", Some("b")).as_deref(), Some("pb"));
    assert_eq!(pw("h", Some("a")).as_deref(), Some("pa"));
    // As Python's authenticators: the last entry of the host.
    assert_eq!(pw("h", None).as_deref(), Some("pb"));
    assert_eq!(pw("h", Some("c")).as_deref(), Some("pc"));
    assert_eq!(pw("h", Some("zed")), None);
    assert_eq!(pw("x", None).as_deref(), Some("pc"));
    let no_default = parse("machine h login a password pa");
    assert_eq!(no_default.find("x", None), None);
}

#[test]
fn empty_and_comment_only_files() {
    assert_eq!(parse("").entries, Vec::<Entry>::new());
    assert_eq!(parse("  \n# only\n\n").entries, Vec::<Entry>::new());
}

#[test]
fn errors_name_the_line_and_never_a_word() {
    fails(
        "# first\nbogus topsecret",
        "line 2: unexpected word (want machine",
    );
    fails(
        "machine h login u password p\nbogus topsecret",
        "line 2: unexpected word in an entry",
    );
    fails(
        "machine h login u\n\npassword topsecret extra",
        "line 3: unexpected word in an entry",
    );
    fails("machine h login", "line 1: 'login' lacks its value");
    fails("machine", "'machine' lacks its value");
    fails("macdef", "'macdef' lacks its value");
}

/// Writes `text` into a fresh file with `mode` and loads it.
fn load(name: &str, text: &str, mode: u32) -> ftp::error::Result<Netrc> {
    let dir = std::env::temp_dir().join(format!("ftp-netrc-t-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("netrc");
    std::fs::write(&path, text).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).unwrap();
    let r = Netrc::load(&path);
    std::fs::remove_dir_all(&dir).unwrap();
    r
}

#[test]
fn the_permission_rule() {
    let secret = "machine h login bob password topsecret\n";
    assert!(load("private", secret, 0o600).is_ok());
    assert!(load("owner-only", secret, 0o400).is_ok());
    for (name, mode) in [("group", 0o640), ("others", 0o604), ("wide", 0o666)] {
        let e = load(name, secret, mode).unwrap_err();
        let text = e.to_string();
        assert!(text.contains("group or others may access it"), "{text}");
        assert!(!text.contains("topsecret"), "{text}");
    }
    // Nothing to protect: anonymous passwords, or no password at all.
    assert!(load("anon", "default login anonymous password me@x\n", 0o644).is_ok());
    assert!(load("nopass", "machine h login bob\n", 0o644).is_ok());
    let e = load("bad", "machine h login bob\nbogus", 0o600).unwrap_err();
    assert!(e.to_string().contains("netrc: netrc line 2"), "{e}");
}

#[test]
fn a_missing_file_is_an_io_error() {
    let e = Netrc::load(std::path::Path::new("/nonexistent/netrc")).unwrap_err();
    assert!(matches!(e, Error::Io { .. }), "{e:?}");
    assert!(e.to_string().contains("/nonexistent/netrc"), "{e}");
}

#[test]
fn debug_hides_passwords() {
    let n = parse("machine h login u password topsecret");
    assert!(!format!("{n:?}").contains("topsecret"));
}
