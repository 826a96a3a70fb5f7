//! Any bytes as a trace: the verifier reports ok, incomplete or the first bad seq, never a
//! panic; and bytes it accepts as sealed must really chain (re-verified from the lines).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let journal = playbook::trace::Journal::from_bytes(std::path::Path::new("fuzz.jsonl"), data.to_vec(), true);
    if let Ok(r) = playbook::trace::verify::verify_journal(&journal, None, None) {
        if r.ok() {
            assert!(journal.sealed(), "ok without a seal");
        }
    }
});
