//! playbook's capability vocabulary, shared by the compiler and the runtime.
//!
//! The compiler turns a runbook's commands into typed requests whose values are shell words with
//! holes; the runtime receives the same requests with the strings the guest computed. Both ask the
//! request itself what it needs (`needs`), what it changes (`effect`) and, for the tools the host
//! runs, which argv the backend receives (`argv`) — one description, so the manifest a reviewer
//! signs is derived from exactly what reaches Docker, kubectl, the HTTP client, the files or a
//! program. The manifest and the operator's policy are documents read here, strictly.

/// An enum of names with a fixed spelling, its list in order, and the kebab-case name its WIT
/// enum case carries.
macro_rules! named_enum {
    ($(#[$meta:meta])* $vis:vis enum $name:ident { $($(#[$vmeta:meta])* $variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        $vis enum $name { $($(#[$vmeta])* $variant),+ }

        impl $name {
            /// Every case, in the order of the WIT enum.
            pub const ALL: &'static [Self] = &[$(Self::$variant),+];

            /// The name as the manifest and the trace spell it.
            #[must_use]
            pub fn as_str(self) -> &'static str {
                match self { $(Self::$variant => $text),+ }
            }

            /// The case of the WIT enum: the name with `.` as `-`.
            #[must_use]
            pub fn wit_name(self) -> String {
                self.as_str().replace('.', "-")
            }

            /// The case by its name.
            #[must_use]
            pub fn from_name(name: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|v| v.as_str() == name)
            }

            /// The case at a WIT enum discriminant.
            #[must_use]
            pub fn from_index(i: usize) -> Option<Self> {
                Self::ALL.get(i).copied()
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

pub mod component;
pub mod docker;
pub mod effect;
pub mod family;
pub mod fs;
pub mod graph;
pub mod http;
pub mod kube;
pub mod manifest;
pub mod options;
pub mod policy;
pub mod process;
pub mod scope;
pub mod text;
pub mod value;

pub use effect::Effect;
pub use options::Setting;
pub use scope::{Need, Scope};
pub use value::Value;
