//! Opening the control connection's TCP socket: name resolution (with a
//! hook tests can set) and Happy Eyeballs (RFC 8305) over the addresses.

mod happy_eyeballs;
mod resolver;

pub use happy_eyeballs::{connect_first, Attempt, ATTEMPT_DELAY};
pub use resolver::{lookup, order_addresses, resolve, Resolver};
