//! The operator: step titles, output, choices, manual steps, inputs and waits. Questions are
//! asked only on a terminal; without one they fail closed.

use std::io::{BufRead as _, IsTerminal as _, Write as _};
use std::time::Duration;

use super::HostState;
use crate::bindings::Error;
use crate::bindings::playbook::host::operator::Host;

fn ask(question: &str) -> String {
    eprint!("{question}");
    let _ = std::io::stderr().flush();
    let mut line = String::new();
    let _ = std::io::stdin().lock().read_line(&mut line);
    line.trim().to_string()
}

impl Host for HostState {
    async fn step_start(&mut self, id: String, title: String) {
        self.summary.steps += 1;
        self.current_step.clone_from(&id);
        self.event("step", &format!("▶ {title}  [{id}]"), serde_json::json!({ "step": id, "title": title }));
    }

    async fn step_end(&mut self, id: String, status: i32) {
        if !self.opts.json {
            self.trace("step-end", serde_json::json!({ "step": id, "status": status }));
        }
        if status != 0 {
            self.summary.failed += 1;
            self.summary.failed_steps.push(id.clone());
            self.event(
                "step-failed",
                &format!("  step {id} ended with status {status}"),
                serde_json::json!({ "step": id, "status": status }),
            );
        } else if self.opts.json {
            self.event("step-end", "", serde_json::json!({ "step": id, "status": status }));
        }
    }

    async fn print(&mut self, text: String, to_stderr: bool) {
        if self.opts.json {
            self.event(
                if to_stderr { "stderr" } else { "stdout" },
                text.trim_end(),
                serde_json::json!({ "step": self.current_step }),
            );
        } else if to_stderr {
            eprint!("{text}");
        } else {
            print!("{text}");
            let _ = std::io::stdout().flush();
        }
    }

    async fn choose(&mut self, id: String, title: String, options: Vec<String>) -> Result<u32, Error> {
        let branches: Vec<(&str, &str)> =
            options.iter().map(|o| o.split_once('\t').unwrap_or((o.as_str(), o.as_str()))).collect();
        for wanted in &self.opts.choose {
            // An exact id wins over prefixes (`…/if-restart-fails` vs `…/if-restart-fails/skip`).
            let exact = branches.iter().position(|(bid, _)| bid == wanted);
            let hits: Vec<usize> = match exact {
                Some(i) => vec![i],
                None => branches
                    .iter()
                    .enumerate()
                    .filter(|(_, (bid, _))| bid.starts_with(wanted.as_str()))
                    .map(|(i, _)| i)
                    .collect(),
            };
            if let [one] = hits.as_slice() {
                self.event(
                    "choice",
                    &format!("◆ {title}: {} (--choose {wanted})", branches[*one].1),
                    serde_json::json!({ "choice": id, "branch": branches[*one].0 }),
                );
                return u32::try_from(*one).map_err(|_| Error::Failed("too many branches".into()));
            }
        }
        let listing: Vec<String> = branches.iter().map(|(bid, t)| format!("{bid} ({t})")).collect();
        if self.opts.interactive {
            eprintln!("◆ {title}");
            for (i, (_, t)) in branches.iter().enumerate() {
                eprintln!("  {}) {t}", i + 1);
            }
            let answer = ask("  choose a number: ");
            if let Some(i) = answer.parse::<usize>().ok().filter(|i| (1..=branches.len()).contains(i)) {
                return u32::try_from(i - 1).map_err(|_| Error::Failed("too many branches".into()));
            }
        }
        let reason = format!("choice `{id}` needs an answer: pass --choose with one of: {}", listing.join(", "));
        self.summary.denied += 1;
        self.summary.denials.push(reason.clone());
        self.event("denied", &format!("  ✗ {reason}"), serde_json::json!({ "choice": id, "options": listing }));
        Err(Error::Denied(reason))
    }

    async fn manual(&mut self, id: String, text: String) -> Result<(), Error> {
        self.event(
            "manual",
            &format!("  ✋ by hand: {}", text.replace('\n', "\n     ")),
            serde_json::json!({ "step": id, "text": text }),
        );
        if self.opts.policy.yes && !self.opts.interactive {
            return Ok(());
        }
        if self.opts.interactive && matches!(ask("  done? [y/N] ").as_str(), "y" | "Y" | "yes") {
            return Ok(());
        }
        let reason = format!("manual step `{id}` was not confirmed");
        self.summary.denied += 1;
        self.summary.denials.push(reason.clone());
        Err(Error::Denied(reason))
    }

    async fn input(&mut self, name: String) -> Result<String, Error> {
        if let Some(v) = self.opts.inputs.get(&name) {
            return Ok(v.clone());
        }
        // Environment inputs, and secrets (kept out of shell history), may come from the
        // environment variable of the same name.
        let from_env = self.inputs.iter().find(|i| i.name == name).is_some_and(|i| i.source == "env" || i.secret);
        if from_env && let Ok(v) = std::env::var(&name) {
            return Ok(v);
        }
        if self.opts.interactive && !from_env {
            let v = ask(&format!("  input `{name}`: "));
            if !v.is_empty() {
                return Ok(v);
            }
        }
        Err(Error::Denied(format!("input `{name}` is missing: pass --input {name}=VALUE")))
    }

    async fn sleep(&mut self, seconds: u32) {
        let waited = self.opts.max_wait.map_or(seconds, |m| seconds.min(m));
        let capped = if waited < seconds { format!(" (capped at {waited}s by --max-wait)") } else { String::new() };
        if self.opts.dry_run {
            self.event("wait", &format!("  … would wait {seconds}s"), serde_json::json!({ "seconds": seconds }));
            return;
        }
        if self.opts.json || !std::io::stderr().is_terminal() {
            self.event(
                "wait",
                &format!("  … waiting {seconds}s{capped}"),
                serde_json::json!({ "seconds": seconds, "waited": waited }),
            );
            tokio::time::sleep(Duration::from_secs(u64::from(waited))).await;
            return;
        }
        // A spinner with the time left, redrawn in place on the operator's terminal.
        let end = tokio::time::Instant::now() + Duration::from_secs(u64::from(waited));
        let frames = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
        let mut i = 0;
        while tokio::time::Instant::now() < end {
            let left = end.saturating_duration_since(tokio::time::Instant::now()).as_secs() + 1;
            eprint!("\r  {} waiting {left}s of {seconds}s{capped} ", frames[i % frames.len()]);
            let _ = std::io::stderr().flush();
            i += 1;
            tokio::time::sleep(Duration::from_millis(100).min(end - tokio::time::Instant::now())).await;
        }
        eprintln!("\r  … waited {waited}s{capped}\x1b[K");
    }
}
