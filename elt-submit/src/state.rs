//! The states a report goes through in the journal.

use std::fmt;
use std::str::FromStr;

/// Where a report stands.
///
/// `Queued` → `Sending` → `Accepted` | `Rejected` | `Unknown`. `Sending` is written (and
/// synced to disk) before a byte of the request leaves; a `Sending` row found when the
/// journal is opened again belongs to a process that ended mid-call, so it becomes `Unknown`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum State {
    /// Journaled, not sent yet (or sent back here because nothing was sent).
    Queued,
    /// A call is under way: the request may be on the wire.
    Sending,
    /// The agency answered with a `tx-id`.
    Accepted,
    /// The agency answered with a fault: the report was not registered.
    Rejected,
    /// The request may have reached the agency, but no answer was read. Never sent again
    /// automatically; `resolve` decides.
    Unknown,
}

impl State {
    /// Every state, in the order a report goes through them.
    pub const ALL: [State; 5] = [
        State::Queued,
        State::Sending,
        State::Accepted,
        State::Rejected,
        State::Unknown,
    ];

    /// The name stored in the journal and shown to users (`queued`, `sending`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            State::Queued => "queued",
            State::Sending => "sending",
            State::Accepted => "accepted",
            State::Rejected => "rejected",
            State::Unknown => "unknown",
        }
    }
}

impl fmt::Display for State {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A state name that is none of `queued`, `sending`, `accepted`, `rejected`, `unknown`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown state {0:?}: expected one of queued, sending, accepted, rejected, unknown")]
pub struct UnknownState(pub String);

impl FromStr for State {
    type Err = UnknownState;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        State::ALL
            .into_iter()
            .find(|state| state.as_str() == s)
            .ok_or_else(|| UnknownState(s.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_unknown_names_are_refused() {
        for state in State::ALL {
            assert_eq!(state.as_str().parse::<State>(), Ok(state));
        }
        let err = "done".parse::<State>().unwrap_err();
        assert!(err.to_string().contains("\"done\""), "{err}");
    }
}
