//! Any bytes as a manifest section: the strict reader accepts or refuses with a message; what
//! it accepts, the runtime turns into grants and the reviewer's text without a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(m) = playbook_compiler::manifest::read(text) {
        let _ = playbook::policy::grants_of(&m);
        let _ = playbook_compiler::manifest::text_of(&m);
    }
});
