//! Directory listings as entries: the parsers of every listing format, one
//! file each, and what they share.
//!
//! - [`entry`]: [`Entry`], what every parser produces;
//! - [`dates`]: calendar arithmetic (time-vals, month names, the year of
//!   a Unix date that has none);
//! - [`mlsd`]: RFC 3659 MLSD/MLST lines.

pub mod dates;
pub mod entry;
pub mod mlsd;

pub use entry::{Entry, EntryType, Format, Line, ListContext, Mtime, Skip};
pub use mlsd::{parse_mlsd_line, Fact, MlsdEntry};
