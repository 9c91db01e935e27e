//! Directory listings as entries: the parsers of every listing format, one
//! file each, and what they share.
//!
//! - [`entry`] holds [`Entry`], what every parser produces;
//! - [`dates`] does calendar arithmetic (time-vals, month names, the year
//!   of a Unix date that has none);
//! - [`mlsd`] splits RFC 3659 MLSD/MLST lines into facts
//!   ([`parse_mlsd_line`]);
//! - [`mlsd_entry`] reads MLSD/MLST lines as entries ([`parse_mlsd`]);
//! - [`detect`] reads one LIST line in whatever format
//!   ([`parse_list_line`]), trying in turn the parsers of
//!   [`eplf`] (EPLF, `+facts<TAB>name`), [`unix`] (`ls -l`: vsftpd,
//!   ProFTPD, Pure-FTPd, pyftpdlib...), [`netware`] (Novell NetWare),
//!   [`dos`] (Windows/IIS) and [`vms`] (OpenVMS);
//! - `ls_date` reads the date columns of `ls`-style listings and `tokens`
//!   holds the byte helpers the parsers share.
//!
//! Shared behaviour: every line gives exactly one [`Line`] and no input
//! makes a parser panic; `raw` is the line exactly as given (a lone trailing
//! CR is ignored for parsing); names are decoded with the session encoding;
//! a size too large for a u64, or a date that does not exist, leaves that
//! field None rather than losing the entry; only MLSD/MLST, EPLF (and
//! `ls --full-time` with its zone) give UTC times.

pub mod dates;
pub mod detect;
pub mod dos;
pub mod entry;
pub mod eplf;
mod ls_date;
pub mod mlsd;
pub mod mlsd_entry;
pub mod netware;
mod tokens;
pub mod unix;
pub mod vms;

pub use detect::parse_list_line;
pub use entry::{Entry, EntryType, Format, Line, ListContext, Mtime, Skip};
pub use mlsd::{parse_mlsd_line, Fact, MlsdEntry};
pub use mlsd_entry::parse_mlsd;
