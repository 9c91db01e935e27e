//! libftp: an FTP client engine with Python ftplib's feature set.
//!
//! The Rust core ([`Session`] and the modules below) knows nothing of C; the
//! C API lives in the `ffi` module, the only place with `unsafe` code but
//! for two documented exceptions: `tls/resume.rs` (`SSL_set_session`) and
//! `sys.rs` (two system calls no wrapper crate offers).

#![forbid(unsafe_op_in_unsafe_fn)]

pub mod cancel;
pub mod command;
pub mod connect;
pub mod data;
pub mod debug;
pub mod encoding;
pub mod error;
pub mod features;
pub mod files;
pub mod line_reader;
pub mod listing;
pub mod mirror;
pub mod netrc;
pub mod parse;
pub mod pool;
pub mod progress;
pub mod proxy;
pub mod reply;
pub mod reply_reader;
pub mod session;
pub mod stream;
mod sys;
pub mod tls;
pub mod url;
pub mod zerocopy;

mod ffi;

pub use cancel::CancelToken;
pub use data::DataConn;
pub use encoding::Encoding;
pub use error::{Error, ErrorKind, Result};
pub use features::Features;
pub use files::{FileOptions, HashAlgo, RetryPolicy};
pub use listing::{Entry, EntryType, Fact, Format, MlsdEntry, Mtime};
pub use mirror::{Direction, MirrorOptions, MirrorReport};
pub use pool::{Pool, PooledSession};
pub use progress::{Progress, ProgressInfo, ProgressSink};
pub use reply::Reply;
pub use session::{ListMethod, Session, Settings, ZeroCopy};
pub use url::FtpUrl;

/// The library version (from Cargo.toml).
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
