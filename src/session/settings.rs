//! The per-session settings.

use crate::encoding::Encoding;
use std::time::Duration;

/// What a session is configured to do.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The session timeout; `None` blocks without limit.
    pub timeout: Option<Duration>,
    /// Local host and port to connect from.
    pub source: Option<(String, u16)>,
    /// The text encoding of commands, replies and text transfers.
    pub encoding: Encoding,
    /// Passive (true) or active data connections.
    pub passive: bool,
    /// Use the address of a 227 reply instead of the server's own address.
    pub trust_pasv_address: bool,
    /// When `retr_to_fd` / `stor_from_fd` use splice and sendfile.
    pub zero_copy: ZeroCopy,
    /// The server's clock minus ours, in seconds, when known (0: assume
    /// they agree): Unix listings' dates without a year are placed
    /// relative to the server's "now".
    pub server_clock_offset: i64,
    /// The proxy of the connections opened from the next connect on.
    pub proxy: Option<crate::proxy::ProxyUrl>,
    /// The bound on opening the control connection (`None`: the session
    /// timeout).
    pub connect_timeout: Option<Duration>,
    /// The resolver hook (Rust only; `None`: the system's resolver).
    pub resolver: Option<crate::connect::Resolver>,
    /// Active mode: the address announced and the local ports to use.
    pub active: ActiveAddress,
    /// The netrc file consulted for logins without credentials (`None`:
    /// no netrc).
    pub netrc: Option<NetrcFile>,
    /// How `connect_url` changes into the URL's directory.
    pub url_cwd: UrlCwd,
}

/// Active mode behind NAT: what PORT/EPRT announce and where we listen.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ActiveAddress {
    /// The host or address announced (resolved at each transfer; `None`:
    /// the control connection's local address).
    pub host: Option<String>,
    /// The local port range to listen on, inclusive (`None`: any).
    pub ports: Option<(u16, u16)>,
}

/// The netrc file a session reads at logins without credentials.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NetrcFile {
    /// Where it is.
    pub path: std::path::PathBuf,
    /// A missing file is an error (`true`) or means no entries (`false`,
    /// for the default location).
    pub required: bool,
}

/// How `Session::connect_url` changes into the URL's directory.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum UrlCwd {
    /// One CWD per path segment, as RFC 1738 says (the default).
    #[default]
    EachSegment,
    /// One CWD with the whole directory path.
    Once,
    /// No CWD: the caller uses [`crate::Session::url_path`] itself.
    None,
}

/// When the descriptor transfers move bytes inside the kernel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ZeroCopy {
    /// splice into pipes and regular files (not O_APPEND; not for files
    /// announced as at most 64 KiB); sendfile from regular files unless the
    /// server is on loopback (where plain writes were measured faster).
    #[default]
    Auto,
    /// As `Auto`, and sendfile towards loopback servers too.
    Always,
    /// Always through a buffer.
    Never,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            timeout: None,
            source: None,
            encoding: Encoding::Utf8,
            passive: true,
            trust_pasv_address: false,
            zero_copy: ZeroCopy::Auto,
            server_clock_offset: 0,
            proxy: None,
            connect_timeout: None,
            resolver: None,
            active: ActiveAddress::default(),
            netrc: None,
            url_cwd: UrlCwd::EachSegment,
        }
    }
}
