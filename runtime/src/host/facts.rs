//! Host facts: `date` (the real `date` program, run with an argv) and the host name.

use super::HostState;
use crate::bindings::playbook::host::facts::Host;

impl Host for HostState {
    async fn date(&mut self, args: Vec<String>) -> String {
        let out = std::process::Command::new("date")
            .args(&args)
            .env_clear()
            .env("TZ", std::env::var("TZ").unwrap_or_default())
            .output();
        match out {
            Ok(o) => String::from_utf8_lossy(&o.stdout).into_owned(),
            Err(_) => String::new(),
        }
    }

    async fn hostname(&mut self) -> String {
        let name = std::fs::read_to_string("/proc/sys/kernel/hostname")
            .or_else(|_| std::fs::read_to_string("/etc/hostname"))
            .unwrap_or_default();
        format!("{}\n", name.trim())
    }
}
