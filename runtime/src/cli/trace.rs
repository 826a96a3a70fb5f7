//! `playbook verify`, `playbook replay` and `playbook keygen`.

use std::path::Path;

use crate::trace::{seal, verify};

/// Exit status of `verify` when the trace is intact but the run never finished (no seal).
pub const EXIT_INCOMPLETE: u8 = 3;

/// `playbook keygen --out PREFIX`.
///
/// # Errors
/// When the key files cannot be written.
pub fn keygen(prefix: &Path) -> Result<u8, String> {
    let (k, p, id) = seal::keygen(prefix)?;
    println!("private key: {} (keep it secret: it signs runs)", k.display());
    println!("public key:  {} (give it to whoever verifies traces)", p.display());
    println!("key id:      {id}");
    Ok(0)
}

/// `playbook verify TRACE [--pubkey FILE] [--playbook FILE]`: 0 when the trace verifies, 1 when
/// it does not, 3 when its lines are intact but the run did not finish.
///
/// # Errors
/// When the files cannot be read.
pub fn verify(trace: &Path, pubkey: Option<&Path>, playbook: Option<&Path>) -> Result<u8, String> {
    let key = pubkey.map(seal::load_public).transpose()?;
    let component = match playbook {
        Some(p) => Some(super::run::component_of(p)?),
        None => None,
    };
    let r = verify::verify(trace, key.as_ref(), component.as_deref())?;
    println!("trace:    {} ({} events)", trace.display(), r.events);
    if !r.playbook.is_empty() {
        println!("playbook: {}", r.playbook);
    }
    println!("calls:    {} allowed calls checked against the embedded manifest", r.calls);
    if r.checkpoints > 0 {
        println!("checkpoints: {}{}", r.checkpoints, if key.is_some() { " (signatures verified)" } else { "" });
    }
    if let Some(f) = &r.in_flight {
        println!("in flight: {f} (started, no result recorded)");
    }
    for n in &r.notes {
        println!("note:     {n}");
    }
    match (&r.error, r.sealed) {
        (None, true) => {
            let how = match (r.signed, r.signature_verified) {
                (_, true) => "sealed and signed: the signature verifies with the given public key".to_string(),
                (true, false) => "sealed and signed; pass --pubkey to check the signature".to_string(),
                (false, _) => "sealed but UNSIGNED: the chain is intact, but nothing proves who wrote it".to_string(),
            };
            println!("ok:       {how}");
            if let Some(s) = r.status {
                println!("status:   the run ended with status {s}");
            }
            Ok(0)
        }
        (Some(e), _) if r.incomplete => {
            println!("INCOMPLETE: {e}");
            Ok(EXIT_INCOMPLETE)
        }
        (Some(e), _) => {
            println!("FAILED:   {e}");
            Ok(1)
        }
        (None, false) => {
            println!("FAILED:   the trace is not sealed");
            Ok(1)
        }
    }
}

/// `playbook replay TRACE --playbook FILE`: runs the component against the recorded results.
///
/// # Errors
/// When the files cannot be read or the component not run.
pub fn replay(trace: &Path, playbook: &Path, quiet: bool) -> Result<u8, String> {
    let (component, manifest) = super::run::load_playbook(playbook)?;
    let journal = crate::trace::Journal::read(trace)?;
    let recorded = journal.start().and_then(|s| s["component_sha256"].as_str()).unwrap_or_default().to_string();
    let digest = playbook_capability::component::sha256_hex(&component);
    if recorded != digest {
        eprintln!("playbook: note: the trace was recorded with component sha256:{recorded}; replaying sha256:{digest}");
    }
    let opts = crate::host::Options {
        workdir: std::env::temp_dir(),
        replay: Some(trace.to_path_buf()),
        quiet_replay: quiet,
        timeout_secs: 300,
        policy: crate::policy::Policy { yes: true, ..Default::default() },
        ..Default::default()
    };
    let ended = crate::run::run(&component, &manifest, opts)?;
    if let Some(d) = ended.divergence {
        eprintln!("\nreplay DIVERGED: {d}");
        Ok(1)
    } else {
        let recorded_status =
            journal.lines.iter().rev().find(|l| l.kind() == "run-end").and_then(|l| l.event["status"].as_i64());
        eprintln!(
            "\nreplay matches: {} events replayed, same calls in the same order with the same arguments; status {} (recorded {})",
            ended.replayed,
            ended.status,
            recorded_status.map_or_else(|| "none".to_string(), |s| s.to_string())
        );
        Ok(0)
    }
}
