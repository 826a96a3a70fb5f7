//! Host facts: `date` (the real `date` program, run with an argv) and the host name.

use serde_json::json;

use super::HostState;
use super::record::Replayed;
use crate::bindings::playbook::host::facts::Host;

impl HostState {
    /// A fact: recorded live, or the recorded value on replay.
    fn fact(&mut self, name: &str, args: &[String], live: impl FnOnce() -> String) -> String {
        // A fact may start a program (`date`): none once the run is stopping.
        if self.stopping().is_some() {
            return String::new();
        }
        let fields = json!({ "name": name, "args": args });
        match self.replaying("fact", &fields) {
            Replayed::Answer(a) => a["value"].as_str().unwrap_or_default().to_string(),
            Replayed::Diverged(_) => String::new(),
            Replayed::Live => {
                let value = live();
                let mut fields = fields;
                fields["value"] = value.clone().into();
                self.trace("fact", fields);
                value
            }
        }
    }
}

/// The real `date`, in a read jail (it may not set the clock: `date -s` fails with `EPERM`).
fn date(args: &[String], root: &std::path::Path, unconfined: bool) -> String {
    let mut cmd = std::process::Command::new("date");
    cmd.args(args).env_clear().env("TZ", std::env::var("TZ").unwrap_or_default());
    if !unconfined {
        if !super::jail::supported() {
            return String::new();
        }
        let j = super::jail::for_program(playbook_capability::Effect::Read, root, "date", false, false);
        match j.prepare() {
            Ok(p) => super::jail::install(&mut cmd, p),
            Err(_) => return String::new(),
        }
    }
    match cmd.output() {
        Ok(o) => String::from_utf8_lossy(&o.stdout).into_owned(),
        Err(_) => String::new(),
    }
}

pub(super) fn hostname() -> String {
    let name = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .or_else(|_| std::fs::read_to_string("/etc/hostname"))
        .unwrap_or_default();
    format!("{}\n", name.trim())
}

impl Host for HostState {
    async fn date(&mut self, args: Vec<String>) -> String {
        let (root, unconfined) = (self.real_root.clone(), self.opts.unconfined);
        self.fact("date", &args, || date(&args, &root, unconfined))
    }

    async fn hostname(&mut self) -> String {
        self.fact("hostname", &[], hostname)
    }
}
