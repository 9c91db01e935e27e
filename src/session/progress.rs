//! Progress reports and keepalive during the session's own transfers.
//!
//! Both ride on the transfer loops: after each block, and after each empty
//! wait slice of a data connection (at most [`crate::cancel::SLICE`]), the
//! loop calls [`Session::tick`] with the byte count. A tick costs a clock
//! read (no system call) when progress or keepalive is on, nothing else.
//!
//! **Keepalive NOOPs.** While a transfer runs longer than the keepalive
//! interval, a tick sends `NOOP` on the control connection (in the TLS
//! stream under TLS) once per interval, and counts it in `noops_owed`. No
//! reply is read during the transfer. Afterwards every reply is accounted
//! for, whatever order the server sends them in (during the transfer,
//! before the final reply, or only after it):
//!
//! - while NOOPs are owed, a `200` reply is a NOOP's (a transfer's final
//!   reply is never 200) and is consumed by `read_reply` without being
//!   returned, so the final reply (226, 426 ...) is never confused with one;
//! - once the final reply is read, [`Session::drain_noop_replies`] reads
//!   the replies still owed, one per NOOP (any reply then counts).
//!
//! After the data, while the server has not sent the final reply yet (a
//! server still storing a large upload), NOOPs go on once per interval
//! (for at most the session timeout; then the final reply is awaited as
//! usual), with the same accounting.
//!
//! So neither the final reply nor a later command's reply can be a stale
//! NOOP reply. A drain stopped by a cancel leaves them owed; the next call
//! reads them first (`begin`).

use super::Session;
use crate::error::{Error, Result};
use crate::progress::{path_of_command, Progress, ProgressInfo, ProgressSink, Throttle};
use socket2::{SockRef, TcpKeepalive};
use std::fmt;
use std::net::TcpStream;
use std::time::{Duration, Instant};

/// The session's progress and keepalive settings and the state of the
/// transfer in progress.
#[derive(Default)]
pub(crate) struct Monitor {
    sink: Option<ProgressSink>,
    interval: Duration,
    keepalive: Option<Duration>,
    /// Given by `set_progress_info` for the next transfer.
    next_info: Option<ProgressInfo>,
    run: Option<Run>,
    /// Why a tick stopped the transfer (the loops see only "stop").
    halted: Option<Error>,
    /// Keepalive NOOPs sent whose replies were not read yet.
    pub(crate) noops_owed: u32,
}

impl fmt::Debug for Monitor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Monitor")
            .field("sink", &self.sink.is_some())
            .field("interval", &self.interval)
            .field("keepalive", &self.keepalive)
            .field("noops_owed", &self.noops_owed)
            .finish()
    }
}

/// The transfer being watched.
struct Run {
    path: String,
    offset: u64,
    total: Option<u64>,
    started: Instant,
    /// When progress is reported (a sink is set).
    throttle: Option<Throttle>,
    /// When the next keepalive NOOP is due (keepalive on).
    next_noop: Option<Instant>,
}

impl Monitor {
    /// Forgets the transfer in progress and the NOOPs owed (the control
    /// connection is gone or new).
    pub(crate) fn reset_connection(&mut self) {
        self.run = None;
        self.halted = None;
        self.noops_owed = 0;
    }
}

/// Turns TCP keepalive on with `interval` (at least 1 s, the kernel's
/// unit) as idle time and probe interval, or off with `None`.
pub(crate) fn apply_tcp_keepalive(tcp: &TcpStream, interval: Option<Duration>) -> Result<()> {
    let sock = SockRef::from(tcp);
    let set = match interval {
        Some(i) => {
            let i = i.max(Duration::from_secs(1));
            sock.set_tcp_keepalive(&TcpKeepalive::new().with_time(i).with_interval(i))
        }
        None => sock.set_keepalive(false),
    };
    set.map_err(|e| Error::from_io("setting TCP keepalive", e))
}

impl Session {
    /// Reports the progress of every transfer this session runs itself to
    /// `sink` (`None`: no reports): at the start (0 bytes), at most once per
    /// `interval` in between (`Duration::ZERO`: whenever bytes moved), and
    /// at the end (all the bytes). A sink that returns an error stops the
    /// transfer like a failing data callback: the data connection is
    /// ended, the final reply read, the session stays usable and the
    /// error is returned. Transfers handed out by [`Session::ntransfercmd`]
    /// are the caller's to watch and are not reported.
    pub fn set_progress(&mut self, sink: Option<ProgressSink>, interval: Duration) {
        self.monitor.sink = sink;
        self.monitor.interval = interval;
    }

    /// Whether a progress callback is set (whole-file calls then ask SIZE
    /// for the total when nothing else tells it).
    pub(crate) fn reports_progress(&self) -> bool {
        self.monitor.sink.is_some()
    }

    /// Gives the next transfer started by this session's transfer methods
    /// the path and total to report (see [`ProgressInfo`]); that transfer
    /// takes it, whether it succeeds or not.
    pub fn set_progress_info(&mut self, info: ProgressInfo) {
        self.monitor.next_info = Some(info);
    }

    /// Keeps connections alive (`None`: off, the default): TCP keepalive
    /// with this interval (at least 1 s) on the control connection and on
    /// every data connection, and, while one of the session's own
    /// transfers runs longer than `interval`, a `NOOP` on the control
    /// connection every `interval`, whose replies are all read after the
    /// data (see the module's documentation). Applies to the control
    /// connection at once when connected.
    pub fn set_keepalive(&mut self, interval: Option<Duration>) -> Result<()> {
        if interval == Some(Duration::ZERO) {
            return Err(Error::InvalidArgument(
                "a zero keepalive interval is not allowed (use None for off)".into(),
            ));
        }
        self.monitor.keepalive = interval;
        if let Some(tcp) = self.control_tcp() {
            apply_tcp_keepalive(tcp, interval)?;
        }
        Ok(())
    }

    /// The keepalive interval in force (`None`: off).
    pub fn keepalive(&self) -> Option<Duration> {
        self.monitor.keepalive
    }

    /// TCP keepalive on a new socket of this session, when on.
    pub(crate) fn keep_socket_alive(&self, tcp: &TcpStream) -> Result<()> {
        match self.monitor.keepalive {
            Some(i) => apply_tcp_keepalive(tcp, Some(i)),
            None => Ok(()),
        }
    }

    /// Takes what [`Session::set_progress_info`] gave for this transfer.
    pub(crate) fn take_progress_info(&mut self) -> Option<ProgressInfo> {
        self.monitor.next_info.take()
    }

    /// Starts watching a transfer whose data connection is open: the first
    /// report (0 bytes). `announced`: the 150 reply's size; `local_total`:
    /// an upload's file size when known. An error from the sink stops the
    /// transfer.
    pub(crate) fn start_run(
        &mut self,
        info: Option<ProgressInfo>,
        cmd: &str,
        rest: Option<u64>,
        announced: Option<u64>,
        local_total: Option<u64>,
    ) -> Result<()> {
        self.monitor.halted = None;
        let reporting = self.monitor.sink.is_some();
        if !reporting && self.monitor.keepalive.is_none() {
            self.monitor.run = None;
            return Ok(());
        }
        let info = info.unwrap_or_default();
        let now = Instant::now();
        self.monitor.run = Some(Run {
            path: info
                .path
                .unwrap_or_else(|| path_of_command(cmd).to_string()),
            offset: rest.unwrap_or(0),
            // After REST, servers differ on what the 150 announces (vsftpd
            // the whole file, ProFTPD what is left): unknown rather than
            // perhaps wrong, unless the caller knew it (SIZE).
            total: info
                .total
                .or(announced.filter(|_| rest.unwrap_or(0) == 0))
                .or(local_total),
            started: now,
            throttle: reporting.then(|| Throttle::new(self.monitor.interval, now)),
            next_noop: self.monitor.keepalive.map(|i| now + i),
        });
        self.report(0, now)
    }

    /// Called by the transfer loops after each block and each empty wait
    /// slice with the bytes moved so far: sends a keepalive NOOP and
    /// reports progress when due. `false` stops the transfer; the reason
    /// is then kept for [`Session::take_halt`].
    #[inline]
    pub(crate) fn tick(&mut self, bytes: u64) -> bool {
        if self.monitor.run.is_none() {
            return true;
        }
        match self.tick_slow(bytes) {
            Ok(()) => true,
            Err(e) => {
                self.monitor.halted = Some(e);
                false
            }
        }
    }

    /// [`Session::tick`] with the reason as an error.
    pub(crate) fn tick_result(&mut self, bytes: u64) -> Result<()> {
        if self.tick(bytes) {
            Ok(())
        } else {
            Err(self.take_halt().unwrap_or_else(stopped))
        }
    }

    fn tick_slow(&mut self, bytes: u64) -> Result<()> {
        let now = Instant::now();
        let Some(run) = self.monitor.run.as_mut() else {
            return Ok(());
        };
        if let (Some(next), Some(interval)) = (run.next_noop, self.monitor.keepalive) {
            if now >= next {
                run.next_noop = Some(now + interval);
                self.send_keepalive_noop()?;
            }
        }
        let due = self
            .monitor
            .run
            .as_mut()
            .and_then(|r| r.throttle.as_mut())
            .is_some_and(|t| t.due(now, bytes));
        if due {
            self.report(bytes, now)?;
        }
        Ok(())
    }

    /// Why the last tick said stop, if it did.
    pub(crate) fn take_halt(&mut self) -> Option<Error> {
        self.monitor.halted.take()
    }

    /// The last report (all the bytes), when the data went through; the
    /// transfer is no longer watched afterwards. An error from the sink
    /// stops the transfer.
    pub(crate) fn end_run(&mut self, bytes: u64) -> Result<()> {
        let result = self.report(bytes, Instant::now());
        self.monitor.run = None;
        result
    }

    /// The last report of a transfer stopped on purpose once it had all it
    /// needed (a part of a segmented download, ended by its callback):
    /// `bytes` moved from `offset` of `path` (of `total` bytes) in `elapsed`.
    pub(crate) fn report_complete(
        &mut self,
        path: &str,
        offset: u64,
        bytes: u64,
        total: Option<u64>,
        elapsed: Duration,
    ) -> Result<()> {
        match self.monitor.sink.as_mut() {
            Some(sink) => sink(&Progress {
                path,
                bytes,
                offset,
                total,
                elapsed,
            }),
            None => Ok(()),
        }
    }

    /// Stops watching (a failed transfer: no last report).
    pub(crate) fn forget_run(&mut self) {
        self.monitor.run = None;
        self.monitor.halted = None;
    }

    fn report(&mut self, bytes: u64, now: Instant) -> Result<()> {
        let (Some(run), Some(sink)) = (self.monitor.run.as_ref(), self.monitor.sink.as_mut())
        else {
            return Ok(());
        };
        if run.throttle.is_none() {
            return Ok(());
        }
        sink(&Progress {
            path: &run.path,
            bytes,
            offset: run.offset,
            total: run.total,
            elapsed: now.saturating_duration_since(run.started),
        })
    }

    /// With keepalive on, after the data of one of the session's transfers:
    /// awaits the final reply, sending a NOOP each interval in which
    /// nothing came, and consuming the NOOPs' 200 replies. `Ok(None)`: not
    /// applicable (keepalive off, a reply owed by a cancelled call, no
    /// final reply pending), or the session timeout passed without the
    /// final reply: the caller reads it the usual way.
    pub(crate) fn final_reply_keeping_alive(&mut self) -> Result<Option<crate::reply::Reply>> {
        let Some(interval) = self.monitor.keepalive else {
            return Ok(None);
        };
        if self.owed_replies > 0 || !self.transfer.final_pending {
            return Ok(None);
        }
        let started = Instant::now();
        while self.settings.timeout.is_none_or(|t| started.elapsed() < t) {
            match self.read_one_reply_within(interval)? {
                None => self.send_keepalive_noop()?,
                Some(r) if self.is_noop_reply(&r) => {}
                Some(r) => {
                    self.transfer.final_pending = false;
                    self.transfer.socket = None;
                    return Ok(Some(r));
                }
            }
        }
        Ok(None)
    }

    /// Sends a keepalive NOOP; its reply is read after the data.
    fn send_keepalive_noop(&mut self) -> Result<()> {
        self.send_line("NOOP")?;
        self.monitor.noops_owed += 1;
        Ok(())
    }

    /// Reads one reply per keepalive NOOP still owed (any reply counts:
    /// call it once the transfer's final reply is read). A cancel before a
    /// reply leaves the rest owed for the next call; any other failure
    /// closes the connection, as for every reply.
    pub(crate) fn drain_noop_replies(&mut self) -> Result<()> {
        let last = self.last_reply.clone();
        while self.monitor.noops_owed > 0 {
            let owed_before = self.owed_replies;
            match self.read_one_reply() {
                Ok(r) if r.class() == b'1' => {}
                Ok(_) => self.monitor.noops_owed -= 1,
                Err(e) => {
                    // read_one_reply counted the reply as owed by a
                    // cancelled call: it is a NOOP's, still counted here.
                    if self.control.is_some() {
                        self.owed_replies = owed_before;
                    }
                    return Err(e);
                }
            }
        }
        // The caller's reply stays the last one (the transfer's final reply).
        if last.is_some() {
            self.last_reply = last;
        }
        Ok(())
    }
}

fn stopped() -> Error {
    Error::Callback("the progress callback stopped the transfer".into())
}
