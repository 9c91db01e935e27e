//! FEAT (RFC 2389): asked at most once per connection, and again after
//! AUTH TLS (servers advertise differently before and after).

use super::Session;
use crate::error::Result;
use crate::features::Features;

impl Session {
    /// The features the server advertises. FEAT is sent the first time on
    /// a connection (and again after `auth`, a reconnect or a close; a
    /// UTF-8 session's [`Session::login`] asks it); later
    /// calls answer from the cache without talking to the server (and then
    /// leave no last reply). A server that refuses FEAT (4xx/5xx) or
    /// answers with a single line advertises nothing: not an error. I/O
    /// failures, EOF and timeouts are errors as for any reply.
    pub fn features(&mut self) -> Result<&Features> {
        if self.features.is_none() {
            self.begin()?;
            self.send_line("FEAT")?;
            let reply = self.read_reply()?;
            self.features = Some(Features::parse(&reply));
        } else {
            self.last_reply = None;
        }
        Ok(self.features.get_or_insert_with(Features::none))
    }

    /// Forgets what the server advertised (and what was asked of it on
    /// that basis): on a new connection, a close, and after AUTH TLS.
    pub(crate) fn forget_features(&mut self) {
        self.features = None;
        self.mlst_facts_requested = false;
    }

    /// The parameters of feature `name` if the server advertises it
    /// (case-insensitive; "" when it has none). See [`Session::features`].
    pub fn feature(&mut self, name: &str) -> Result<Option<String>> {
        Ok(self.features()?.get(name).map(str::to_owned))
    }
}
