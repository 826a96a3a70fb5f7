//! The operator: step titles, output, choices, manual steps, inputs and waits. Questions are
//! asked only on a terminal; without one they fail closed.

use std::fmt::Write as _;
use std::io::{BufRead as _, IsTerminal as _, Write as _};
use std::time::Duration;

use serde_json::json;

use super::HostState;
use super::record::Replayed;
use crate::bindings::Error;
use crate::bindings::playbook::host::operator::Host;

/// Asks on the terminal and waits for the answer (a line, trimmed), or until the run must stop
/// (SIGINT, SIGTERM): then `None`, at once. A read of the terminal is not interrupted by a
/// signal, so the line is read on a thread of its own (left behind if the run stops).
#[must_use]
pub fn ask(question: &str) -> Option<String> {
    // Keys typed before the question (during a wait, at an earlier prompt) do not answer it.
    if std::io::stdin().is_terminal() {
        let _ = nix::sys::termios::tcflush(std::io::stdin(), nix::sys::termios::FlushArg::TCIFLUSH);
    }
    super::console::err(question);
    let _ = std::io::stderr().flush();
    let (tx, rx) = std::sync::mpsc::channel();
    let reader = std::thread::Builder::new().name("playbook-ask".into()).spawn(move || {
        let mut line = String::new();
        let _ = std::io::stdin().lock().read_line(&mut line);
        let _ = tx.send(line);
    });
    if reader.is_err() {
        return None;
    }
    loop {
        match rx.recv_timeout(Duration::from_millis(20)) {
            Ok(line) => return Some(line.trim().to_string()),
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) if crate::run::signal_received().is_none() => {}
            Err(_) => {
                super::console::err("\n");
                return None;
            }
        }
    }
}

impl HostState {
    /// The refusal a question ends with when the run is stopped while it waits (not a denial:
    /// the run ends with the signal's status).
    #[must_use]
    pub fn stopped(&self) -> Error {
        Error::Denied(self.stopping().unwrap_or_else(|| "the run is stopping".into()))
    }

    fn step_start_live(&mut self, id: &str, title: &str) {
        self.summary.steps += 1;
        id.clone_into(&mut self.current_step);
        self.event("step", &format!("▶ {title}  [{id}]"), serde_json::json!({ "step": id, "title": title }));
    }

    fn step_end_live(&mut self, id: &str, status: i32) {
        if status != 0 {
            self.summary.failed += 1;
            self.summary.failed_steps.push(id.to_string());
            self.event(
                "step-failed",
                &format!("  step {id} ended with status {status}"),
                serde_json::json!({ "step": id, "status": status }),
            );
        } else if self.opts.json {
            self.event("step-end", "", serde_json::json!({ "step": id, "status": status }));
        }
    }

    fn print_live(&mut self, text: &str, to_stderr: bool) {
        let text = self.redactor.redact(text);
        if self.opts.json {
            self.event(
                if to_stderr { "stderr" } else { "stdout" },
                text.trim_end(),
                serde_json::json!({ "step": self.current_step }),
            );
        } else if !super::console::write(to_stderr, text.as_bytes()) {
            // The shell's own output to a closed stream: bash dies of SIGPIPE there.
            crate::run::stop_on_closed_output();
        }
    }

    fn choose_live(&mut self, id: &str, title: &str, options: &[String]) -> Result<u32, Error> {
        let branches: Vec<(&str, &str)> =
            options.iter().map(|o| o.split_once('\t').unwrap_or((o.as_str(), o.as_str()))).collect();
        // (`title TAB about`: the title, and the first line of the branch's prose.)
        let about: Vec<&str> = branches.iter().map(|(_, t)| t.split_once('\t').map_or("", |(_, a)| a)).collect();
        let branches: Vec<(&str, &str)> =
            branches.iter().map(|(id, t)| (*id, t.split_once('\t').map_or(*t, |(t, _)| t))).collect();
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
        // With `--step`/`--from`/`--until`: the branch on the way to a selected step, or none.
        let holding: Vec<usize> =
            (0..branches.len()).filter(|&i| self.opts.selection.holds(branches[i].0) == Some(true)).collect();
        if self.opts.selection.steps.is_some() && holding.len() <= 1 {
            let Some(&one) = holding.first() else {
                return u32::try_from(branches.len()).map_err(|_| Error::Failed("too many branches".into()));
            };
            self.event(
                "choice",
                &format!("◆ {title}: {} (it holds a selected step)", branches[one].1),
                serde_json::json!({ "choice": id, "branch": branches[one].0 }),
            );
            return u32::try_from(one).map_err(|_| Error::Failed("too many branches".into()));
        }
        let listing: Vec<String> = branches.iter().map(|(bid, t)| format!("{bid} ({t})")).collect();
        if self.opts.interactive {
            super::console::err(&format!("◆ {title}\n"));
            for (i, (_, t)) in branches.iter().enumerate() {
                if about[i].is_empty() {
                    super::console::err(&format!("  {}) {t}\n", i + 1));
                } else {
                    super::console::err(&format!("  {}) {t} — {}\n", i + 1, about[i]));
                }
            }
            let Some(answer) = ask("  choose a number: ") else { return Err(self.stopped()) };
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

    /// Whether an optional section is entered: chosen with `--choose`, or answered yes on a
    /// terminal (without `--yes`); otherwise passed by and listed as not chosen.
    fn offer_live(&mut self, id: &str, title: &str, why: &str, about: &str, effects: &[String]) -> bool {
        // `--choose` naming the section, or a branch or step inside it.
        let inside = self.opts.selection.inside.get(id);
        let named = |w: &String| {
            id.starts_with(w.as_str()) || inside.is_some_and(|all| all.iter().any(|x| x.starts_with(w.as_str())))
        };
        if let Some(wanted) = self.opts.choose.iter().find(|w| named(w)) {
            self.event(
                "optional",
                &format!("◇ {title}: chosen (--choose {wanted})"),
                serde_json::json!({ "optional": id, "taken": true }),
            );
            return true;
        }
        // With `--step`/`--from`/`--until`: entered when it holds a selected step.
        if let Some(holds) = self.opts.selection.holds(id) {
            if holds {
                self.event(
                    "optional",
                    &format!("◇ {title}: entered (it holds a selected step)"),
                    serde_json::json!({ "optional": id, "taken": true }),
                );
            }
            return holds;
        }
        let does = if effects.is_empty() { "reads only".to_string() } else { effects.join(", ") };
        if self.opts.interactive && !self.opts.policy.yes {
            super::console::err(&format!("◇ {title}  [{id}]  (optional: {why})\n"));
            if !about.is_empty() {
                super::console::err(&format!("  {about}\n"));
            }
            super::console::err(&format!("  does: {does}\n"));
            if let Some("y" | "Y" | "yes") = ask("  run it? [y/N] ").as_deref() {
                return true;
            }
        }
        self.summary.not_chosen.push(id.to_string());
        self.event(
            "not-chosen",
            &format!("◇ not chosen: {title}  [{id}]  ({why}; --choose {id} runs it)"),
            serde_json::json!({ "optional": id, "title": title, "why": why, "about": about, "effects": effects }),
        );
        false
    }

    /// A manual step is done by a person: on a terminal, the operator confirms it (`--yes`
    /// does not); without one the run stops here, unless `--skip-manual` passes it by.
    fn manual_live(&mut self, id: &str, text: &str) -> Result<Option<&'static str>, Error> {
        self.event(
            "manual",
            &format!("  ✋ by hand: {}", text.replace('\n', "\n     ")),
            serde_json::json!({ "step": id, "text": text }),
        );
        if self.opts.interactive {
            return match ask("  done? [y/N] ").as_deref() {
                Some("y" | "Y" | "yes") => Ok(None),
                None => Err(self.stopped()),
                Some(_) => Err(self.deny_text(&format!("manual step `{id}` was not confirmed"))),
            };
        }
        if self.opts.skip_manual {
            self.summary.manual_skipped.push(id.to_string());
            self.event(
                "manual-skipped",
                "  ○ passed by (--skip-manual): nobody did this step",
                serde_json::json!({ "step": id }),
            );
            return Ok(Some("--skip-manual"));
        }
        Err(self.deny_text(&format!(
            "manual step `{id}` needs a person and no one is at a terminal: do it by hand, then run again on a terminal, or pass --skip-manual to go on without it"
        )))
    }

    fn input_live(&mut self, name: &str) -> Result<String, Error> {
        if let Some(v) = self.opts.inputs.get(name) {
            return Ok(v.clone());
        }
        // The shell's own variables, as the operator's shell has them (not declared inputs).
        if !self.inputs.iter().any(|i| i.name == name) {
            match name {
                "HOME" | "USER" | "LOGNAME" | "LANG" | "TMPDIR" => {
                    return Ok(std::env::var(name).unwrap_or_default());
                }
                // Unset, bash gives these its own values when it starts.
                "SHELL" | "PATH" | "TERM" => {
                    return Ok(std::env::var(name).unwrap_or_else(|_| bash_default(name)));
                }
                "HOSTNAME" => {
                    return Ok(super::facts::hostname().trim_end().to_string());
                }
                "UID" => return Ok(nix::unistd::getuid().to_string()),
                _ => {}
            }
        }
        // Environment inputs, and secrets (kept out of shell history), may come from the
        // environment variable of the same name.
        let from_env = self.inputs.iter().find(|i| i.name == name).is_some_and(|i| i.source == "env" || i.secret);
        if from_env && let Ok(v) = std::env::var(name) {
            return Ok(v);
        }
        if self.opts.interactive && !from_env {
            let Some(v) = ask(&format!("  input `{name}`: ")) else { return Err(self.stopped()) };
            if !v.is_empty() {
                // Asked once: the steps after this one that read it get the same answer.
                self.opts.inputs.insert(name.to_string(), v.clone());
                return Ok(v);
            }
        }
        Err(Error::Denied(format!("input `{name}` is missing: pass --input {name}=VALUE")))
    }

    /// Whether an input can be had without asking: given, the shell's own, or (for an
    /// environment input or a secret) set in the environment.
    fn has_input(&self, name: &str) -> bool {
        if self.opts.inputs.contains_key(name) {
            return true;
        }
        match self.inputs.iter().find(|i| i.name == name) {
            Some(i) => (i.source == "env" || i.secret) && std::env::var_os(name).is_some(),
            None => true,
        }
    }

    /// How the operator gives an input.
    fn how_to_give(&self, name: &str) -> String {
        let env = self.inputs.iter().any(|i| i.name == name && (i.source == "env" || i.secret));
        if env {
            format!("--input {name}=VALUE (or set {name} in the environment)")
        } else {
            format!("--input {name}=VALUE")
        }
    }

    /// Before a step: every input it needs, or (asked on a terminal first) a denial naming all
    /// that this step and the rest of its path lack. `Ok(missing)` when none is missing.
    fn require_live(&mut self, step: &str, names: &[String], later: &[String]) -> Result<(), Vec<String>> {
        let lacking = |s: &Self, list: &[String]| -> Vec<String> {
            list.iter().filter(|n| !s.has_input(n)).cloned().collect::<Vec<_>>()
        };
        let mut missing = lacking(self, names);
        if missing.is_empty() {
            return Ok(());
        }
        if self.opts.interactive {
            for name in &missing {
                let from_env = self.inputs.iter().any(|i| i.name == *name && (i.source == "env" || i.secret));
                if from_env {
                    continue;
                }
                let Some(v) = ask(&format!("  step `{step}` needs input `{name}`: ")) else { return Err(vec![]) };
                if !v.is_empty() {
                    self.opts.inputs.insert(name.clone(), v);
                }
            }
            missing = lacking(self, names);
            if missing.is_empty() {
                return Ok(());
            }
        }
        let later: Vec<String> = lacking(self, later).into_iter().filter(|n| !missing.contains(n)).collect();
        let how: Vec<String> = missing.iter().chain(&later).map(|n| self.how_to_give(n)).collect();
        let list = |v: &[String]| v.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ");
        let mut reason = format!(
            "step `{step}` needs input{} {} that {} not given",
            if missing.len() == 1 { "" } else { "s" },
            list(&missing),
            if missing.len() == 1 { "was" } else { "were" }
        );
        if !later.is_empty() {
            let _ = write!(reason, "; the steps after it on this path also need {}", list(&later));
        }
        let _ = write!(reason, ": pass {}", how.join(" "));
        // The step did not run: none of its commands did.
        self.summary.steps = self.summary.steps.saturating_sub(1);
        let _ = self.deny_text(&reason);
        let mut all = missing;
        all.extend(later);
        Err(all)
    }

    /// How long a `sleep` of `seconds` waits: bounded by `--timeout` and `--max-wait`.
    fn capped_wait(&self, seconds: u32) -> u32 {
        let timeout = u32::try_from(self.opts.timeout_secs.max(1)).unwrap_or(u32::MAX);
        let cap = self.opts.max_wait.map_or(timeout, |m| m.min(timeout));
        seconds.min(cap)
    }

    async fn sleep_live(&mut self, seconds: u32) {
        // A wait is bounded like any command: by --timeout, and by --max-wait when it is given.
        let timeout = u32::try_from(self.opts.timeout_secs.max(1)).unwrap_or(u32::MAX);
        let (waited, by) = match self.opts.max_wait {
            Some(m) if m <= timeout && m < seconds => (m, "--max-wait"),
            _ if timeout < seconds => (timeout, "--timeout"),
            _ => (seconds, ""),
        };
        let capped = if waited < seconds { format!(" (capped at {waited}s by {by})") } else { String::new() };
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
            super::console::err(&format!("\r  {} waiting {left}s of {seconds}s{capped} ", frames[i % frames.len()]));
            let _ = std::io::stderr().flush();
            i += 1;
            tokio::time::sleep(Duration::from_millis(100).min(end - tokio::time::Instant::now())).await;
        }
        super::console::err(&format!("\r  … waited {waited}s{capped}\x1b[K\n"));
    }
}

impl Host for HostState {
    // Each operator call first checks whether the run is stopping (a signal, a full trace): then
    // it does nothing, or refuses, and the guest is stopped at its next epoch.
    async fn step_start(&mut self, id: String, title: String) -> bool {
        if self.stopping().is_some() {
            return false;
        }
        let fields = json!({ "step": id, "title": title });
        let replayed = self.replaying("step-start", &fields);
        if let Replayed::Answer(a) = &replayed
            && a["unselected"] == true
        {
            return false;
        }
        if let Replayed::Diverged(_) = replayed {
            return false;
        }
        if let Replayed::Live = replayed {
            // Not among `--step`/`--from`/`--until`: passed by (recorded, so replay does too).
            if id != "exit-trap" && !self.opts.selection.runs(&id) {
                let mut fields = fields;
                fields["unselected"] = true.into();
                self.trace("step-start", fields);
                return false;
            }
            self.trace("step-start", fields);
            self.step_start_live(&id, &title);
        } else {
            self.summary.steps += 1;
            self.current_step.clone_from(&id);
            self.event(
                "step",
                &format!("▶ {title}  [{id}]  (replayed)"),
                json!({ "step": id, "title": title, "replayed": true }),
            );
        }
        true
    }

    async fn step_end(&mut self, id: String, status: i32) {
        if self.stopping().is_some() {
            return;
        }
        let fields = json!({ "step": id, "status": status });
        if let Replayed::Live = self.replaying("step-end", &fields) {
            self.trace("step-end", fields);
        }
        self.step_end_live(&id, status);
    }

    async fn print(&mut self, text: String, to_stderr: bool, secret: bool) {
        if self.stopping().is_some() {
            return;
        }
        // Derived from a secret: shown and traced as one mark, whatever it says.
        let text = if secret && !text.is_empty() { super::exec::withheld_mark(text.len() as u64) } else { text };
        // Past the cap, nothing more is shown or traced (the same in replay: the guest is
        // deterministic, so both stop at the same print).
        self.printed += text.len() as u64;
        if self.printed > super::PRINT_CAP {
            self.print_dropped += text.len() as u64;
            if self.limit_hit != Some("output") {
                self.limit_hit = Some("output");
                if self.replay.as_ref().is_none_or(|r| r.then_live && r.pos >= r.events.len()) {
                    self.event(
                        "limit",
                        &format!(
                            "  ✗ limit: the playbook printed more than {} bytes; the rest is not shown",
                            super::PRINT_CAP
                        ),
                        json!({ "limit": "output", "max": super::PRINT_CAP }),
                    );
                }
            }
            return;
        }
        let fields = json!({ "text": text, "stderr": to_stderr });
        match self.replaying("print", &fields) {
            Replayed::Live => {
                self.trace("print", fields);
                self.print_live(&text, to_stderr);
            }
            Replayed::Answer(_) if !self.opts.quiet_replay => self.print_live(&text, to_stderr),
            _ => {}
        }
    }

    async fn choose(&mut self, id: String, title: String, options: Vec<String>) -> Result<u32, Error> {
        if let Some(why) = self.stopping() {
            return Err(Error::Denied(why));
        }
        let fields = json!({ "choice": id, "options": options });
        match self.replaying("choice", &fields) {
            Replayed::Answer(a) => {
                let i = a["chosen"].as_u64().and_then(|i| u32::try_from(i).ok());
                let branch = a["branch"].as_str().unwrap_or_default();
                self.event(
                    "choice",
                    &format!("◆ {title}: {branch} (replayed)"),
                    json!({ "choice": id, "branch": branch }),
                );
                return i.ok_or_else(|| Error::Denied(format!("choice `{id}` was not answered in the trace")));
            }
            Replayed::Diverged(e) => return Err(e),
            Replayed::Live => {}
        }
        let chosen = self.choose_live(&id, &title, &options);
        if chosen.is_err() && self.stopping().is_some() {
            // Stopped while it asked: nothing was answered, nothing is recorded.
            return chosen;
        }
        let mut fields = fields;
        if let Ok(i) = chosen {
            fields["chosen"] = i.into();
            let branch = options.get(i as usize).map(|o| o.split('\t').next().unwrap_or_default().to_string());
            fields["branch"] = branch.unwrap_or_default().into();
        }
        self.trace("choice", fields);
        chosen
    }

    async fn manual(&mut self, id: String, text: String) -> Result<(), Error> {
        if let Some(why) = self.stopping() {
            return Err(Error::Denied(why));
        }
        let fields = json!({ "step": id, "text": text });
        match self.replaying("manual", &fields) {
            Replayed::Answer(a) if a["confirmed"] == true || a["skipped"].is_string() => return Ok(()),
            Replayed::Answer(_) => {
                return Err(Error::Denied(format!("manual step `{id}` was not confirmed (replayed)")));
            }
            Replayed::Diverged(e) => return Err(e),
            Replayed::Live => {}
        }
        let done = self.manual_live(&id, &text);
        if done.is_err() && self.stopping().is_some() {
            // Stopped while it asked: nothing was answered, nothing is recorded.
            return done.map(|_| ());
        }
        let mut fields = fields;
        fields["confirmed"] = matches!(done, Ok(None)).into();
        if let Ok(Some(by)) = done {
            fields["skipped"] = by.into();
        }
        self.trace("manual", fields);
        done.map(|_| ())
    }

    async fn offer(
        &mut self,
        id: String,
        title: String,
        why: String,
        about: String,
        effects: Vec<String>,
    ) -> Result<u32, Error> {
        if let Some(why) = self.stopping() {
            return Err(Error::Denied(why));
        }
        let fields = json!({ "optional": id });
        match self.replaying("offer", &fields) {
            Replayed::Answer(a) => {
                let taken = a["taken"] == true;
                let said = if taken { "chosen" } else { "not chosen" };
                self.event(
                    "optional",
                    &format!("◇ {title}: {said} (replayed)"),
                    json!({ "optional": id, "taken": taken }),
                );
                return Ok(u32::from(taken));
            }
            Replayed::Diverged(e) => return Err(e),
            Replayed::Live => {}
        }
        let taken = self.offer_live(&id, &title, &why, &about, &effects);
        if self.stopping().is_some() {
            return Err(self.stopped());
        }
        let mut fields = fields;
        fields["taken"] = taken.into();
        self.trace("offer", fields);
        Ok(u32::from(taken))
    }

    async fn require(&mut self, step: String, names: Vec<String>, later: Vec<String>) -> Result<(), Error> {
        if let Some(why) = self.stopping() {
            return Err(Error::Denied(why));
        }
        let fields = json!({ "step": step, "names": names, "later": later });
        match self.replaying("require", &fields) {
            Replayed::Answer(a) => {
                let lacking = a["lacking"].as_array().map_or(0, Vec::len);
                if lacking > 0 {
                    return Err(Error::Denied(format!("step `{step}` lacked inputs (replayed)")));
                }
                return Ok(());
            }
            Replayed::Diverged(e) => return Err(e),
            Replayed::Live => {}
        }
        let got = self.require_live(&step, &names, &later);
        if self.stopping().is_some() {
            return Err(self.stopped());
        }
        let mut fields = fields;
        fields["lacking"] = json!(got.as_ref().err().cloned().unwrap_or_default());
        self.trace("require", fields);
        got.map_err(|lacking| Error::Denied(format!("step `{step}` lacks inputs: {}", lacking.join(", "))))
    }

    async fn input(&mut self, name: String) -> Result<String, Error> {
        if let Some(why) = self.stopping() {
            return Err(Error::Denied(why));
        }
        let fields = json!({ "name": name });
        let secret = self.inputs.iter().any(|i| i.name == name && i.secret);
        match self.replaying("input", &fields) {
            Replayed::Answer(a) => {
                if a["missing"] == true {
                    return Err(Error::Denied(format!("input `{name}` is missing (replayed)")));
                }
                // A secret was never recorded: replay carries its marker, as the trace does.
                return Ok(a["value"].as_str().map_or_else(|| format!("«secret:{name}»"), str::to_string));
            }
            Replayed::Diverged(e) => return Err(e),
            Replayed::Live => {}
        }
        let value = self.input_live(&name);
        if value.is_err() && self.stopping().is_some() {
            // Stopped while it asked: nothing was answered, nothing is recorded.
            return value;
        }
        let mut fields = fields;
        match &value {
            Ok(v) if secret => {
                fields["secret"] = true.into();
                fields["hmac"] = self.redactor.fingerprint(v).into();
            }
            Ok(v) => fields["value"] = v.clone().into(),
            Err(_) => fields["missing"] = true.into(),
        }
        self.trace("input", fields);
        value
    }

    async fn sleep(&mut self, seconds: u32) {
        if self.stopping().is_some() {
            return;
        }
        let fields = json!({ "seconds": seconds });
        // Waits are skipped on replay; on resume, a wait the run stopped in waits out what was
        // left of it (until the time it would have ended; nothing when that has passed).
        match self.replaying("wait", &fields) {
            Replayed::Live => {
                self.trace("wait", fields);
                self.sleep_live(seconds).await;
            }
            Replayed::Answer(a) if self.replay.as_ref().is_some_and(|r| r.then_live && r.pos >= r.events.len()) => {
                let started = a["t"].as_u64().unwrap_or_default();
                let ends = started.saturating_add(u64::from(self.capped_wait(seconds)) * 1000);
                let left = ends.saturating_sub(crate::trace::now_ms()).div_ceil(1000);
                let left = u32::try_from(left).unwrap_or(u32::MAX);
                self.trace("wait-resumed", json!({ "seconds": seconds, "left": left }));
                self.event(
                    "wait",
                    &format!("  … the run stopped during this {seconds}s wait: {left}s of it left"),
                    json!({ "seconds": seconds, "left": left }),
                );
                if left > 0 {
                    self.sleep_live(left).await;
                }
            }
            _ => {}
        }
    }

    async fn wait_jobs(&mut self) {
        if self.stopping().is_some() {
            return;
        }
        // (The number of jobs is not recorded: on replay none runs.)
        let fields = json!({});
        // (On replay there are no jobs to wait for: their output is in the trace.)
        if let Replayed::Live = self.replaying("wait-jobs", &fields) {
            self.trace("wait-jobs", fields);
            self.wait_background().await;
        }
    }
}

/// What bash sets a variable to when it starts without it: `SHELL` is the user's login shell,
/// `PATH` bash's compiled-in default, `TERM` `dumb`.
fn bash_default(name: &str) -> String {
    match name {
        "SHELL" => nix::unistd::User::from_uid(nix::unistd::getuid())
            .ok()
            .flatten()
            .map_or_else(|| "/bin/sh".to_string(), |u| u.shell.to_string_lossy().into_owned()),
        "PATH" => "/usr/local/bin:/usr/local/sbin:/usr/bin:/usr/sbin:/bin:/sbin:.".to_string(),
        "TERM" => "dumb".to_string(),
        _ => String::new(),
    }
}
