//! A cheap check, without a round trip, that an idle control connection
//! is still usable: what a pool asks before handing out a session that
//! waited idle (the server may have closed it meanwhile).

use super::Session;
use nix::poll::{poll, PollFd, PollFlags, PollTimeout};
use std::os::fd::AsFd;

impl Session {
    /// False when the idle control connection can no longer be used: not
    /// connected, a transfer still open, or the server has closed it or
    /// sent something unasked (a 421 before closing: on an idle connection
    /// every reply was already read, so pending bytes mean the server is
    /// going away). On a TLS connection pending bytes alone do not count
    /// (they may be TLS records such as session tickets); its end still
    /// does. One `poll` with a zero timeout, plus a `peek` when readable:
    /// no bytes are sent or consumed.
    pub fn idle_connection_alive(&mut self) -> bool {
        let open = self.transfer_open() || self.owed_replies > 0;
        let Some(ctl) = self.control.as_mut() else {
            return false;
        };
        if open || ctl.reader.buffered() > 0 {
            return false;
        }
        let stream = ctl.reader.get_ref();
        let tcp = stream.tcp();
        let mut fds = [PollFd::new(tcp.as_fd(), PollFlags::POLLIN)];
        match poll(&mut fds, PollTimeout::ZERO) {
            Ok(0) => true,
            Ok(_) => {
                let revents = fds[0].revents().unwrap_or(PollFlags::empty());
                if revents.intersects(PollFlags::POLLERR | PollFlags::POLLHUP | PollFlags::POLLNVAL)
                {
                    return false;
                }
                let mut byte = [0u8; 1];
                match tcp.peek(&mut byte) {
                    Ok(0) | Err(_) => false,
                    Ok(_) => stream.is_tls(),
                }
            }
            Err(_) => false,
        }
    }
}
