//! `ftp_has_feature`: what the server advertises (FEAT).

use super::boundary::{out_ptr, with_session};
use super::handle::ftp_session;
use super::result::ftp_result;
use super::strings::{arg, to_cstring};
use std::ffi::c_char;

/// Whether the server advertises feature `name` in its FEAT reply
/// (RFC 2389; case-insensitive, e.g. "MLST", "UTF8", "MDTM", "HASH",
/// "REST"): `*has` receives the answer. `*params_out` (NULL ok) receives
/// the feature's parameters as the server sent them ("" when it has none,
/// e.g. "type*;size*;modify*;" for MLST, "STREAM" for REST; NULL when
/// `*has` is false), owned by the session and valid until the next call.
///
/// FEAT is sent at most once per connection: the first call asks the
/// server, later ones answer from the cache (and leave `ftp_last_response`
/// empty). On a UTF-8 session `ftp_login` already asked (to decide on
/// `OPTS UTF8 ON`), so after it every call answers from the cache. The
/// cache is forgotten on a new connection and after AUTH TLS, since
/// servers advertise differently once the channel is secured. A server
/// that refuses FEAT (4xx/5xx) or answers with a single line advertises
/// nothing: `*has` is false, not an error. Failures to read the reply are
/// errors as for any command.
#[no_mangle]
pub extern "C" fn ftp_has_feature(
    s: *mut ftp_session,
    name: *const c_char,
    has: *mut bool,
    params_out: *mut *const c_char,
) -> ftp_result {
    if !params_out.is_null() {
        // SAFETY: params_out is valid when non-NULL (contract).
        unsafe { *params_out = std::ptr::null() };
    }
    if !has.is_null() {
        // SAFETY: has is valid when non-NULL (contract).
        unsafe { *has = false };
    }
    with_session(s, |s| {
        // SAFETY: name is NULL or a C string.
        let name = unsafe { arg(name, "name") }?;
        let has = out_ptr(has, "has")?;
        let Some(params) = s.core.feature(name)? else {
            return Ok(());
        };
        s.feature_out = to_cstring(params.as_bytes());
        // SAFETY: has checked non-NULL; params_out valid when non-NULL.
        unsafe {
            *has = true;
            if !params_out.is_null() {
                *params_out = s.feature_out.as_ptr();
            }
        }
        Ok(())
    })
}
