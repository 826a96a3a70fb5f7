//! How much a capability can change: the axis security reviewers sort by.

use serde::{Deserialize, Serialize};

/// The effect of a call. The order is one of authority: each effect may do what the ones
/// before it do (`exec` runs arbitrary code, so it can also destroy).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Effect {
    /// No state change.
    Read,
    /// A reversible change.
    Write,
    /// An irreversible change: remove, delete, truncate, scale to zero.
    Destructive,
    /// Runs arbitrary code.
    Exec,
}

impl Effect {
    pub const ALL: [Self; 4] = [Self::Read, Self::Write, Self::Destructive, Self::Exec];

    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Read => "read",
            Self::Write => "write",
            Self::Destructive => "destructive",
            Self::Exec => "exec",
        }
    }

    /// Whether a call with this effect changes anything (and so needs a confirmation).
    #[must_use]
    pub fn changes(self) -> bool {
        self != Self::Read
    }
}

impl std::fmt::Display for Effect {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}
