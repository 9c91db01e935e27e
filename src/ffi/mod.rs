//! The C API: the only place with `extern "C"`, raw pointers and `unsafe`.

//!
//! Every exported function goes through [`boundary`]: one NULL check path and
//! one panic boundary. The core (`crate::session` ...) knows nothing of C.

#![allow(non_camel_case_types)]

pub mod boundary;
pub mod callbacks;
pub mod cancel;
pub mod commands;
pub mod constants;
pub mod entries;
pub mod fd_transfers;
pub mod features;
pub mod files;
pub mod handle;
pub mod mirror;
pub mod pool;
pub mod pool_handle;
pub mod pool_settings;
pub mod progress;
pub mod proxy;
pub mod result;
pub mod settings;
pub mod strings;
pub mod tls;
pub mod transfer_handle;
pub mod transfers;
pub mod url;
pub mod version;
pub mod wholefile;
