//! Host facts: `date` (the real `date` program, run with an argv) and the host name.

use serde_json::json;

use super::HostState;
use super::record::Replayed;
use crate::bindings::playbook::host::facts::Host;

impl HostState {
    /// A fact: recorded live, or the recorded value on replay.
    fn fact(&mut self, name: &str, args: &[String], live: impl FnOnce() -> String) -> String {
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

fn date(args: &[String]) -> String {
    let out = std::process::Command::new("date")
        .args(args)
        .env_clear()
        .env("TZ", std::env::var("TZ").unwrap_or_default())
        .output();
    match out {
        Ok(o) => String::from_utf8_lossy(&o.stdout).into_owned(),
        Err(_) => String::new(),
    }
}

fn hostname() -> String {
    let name = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .or_else(|_| std::fs::read_to_string("/etc/hostname"))
        .unwrap_or_default();
    format!("{}\n", name.trim())
}

impl Host for HostState {
    async fn date(&mut self, args: Vec<String>) -> String {
        self.fact("date", &args, || date(&args))
    }

    async fn hostname(&mut self) -> String {
        self.fact("hostname", &[], hostname)
    }
}
