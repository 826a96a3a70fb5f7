//! `cargo run -p playbook-tests --bin corpus [-- [--holdout] [--files | --json]]`: the corpus
//! benchmark's figures (see corpus/README.md and BENCHMARKS.md); `--holdout` scores only the
//! held-out runbooks of `corpus/holdout/`.

use playbook_tests::measure;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let holdout = args.iter().any(|a| a == "--holdout");
    let f = measure::figures(holdout);
    match args.iter().find(|a| *a != "--holdout").map(String::as_str) {
        Some("--json") => println!("{}", serde_json::to_string_pretty(&f).unwrap_or_default()),
        Some("--files") => {
            for s in &f.scores {
                let flag = |b: bool, t: &str| if b { t.to_string() } else { String::new() };
                println!(
                    "{:<60} fences {}/{} typed {}/{} errors {}{}{}{}",
                    s.path,
                    s.shell_fences_as_steps,
                    s.shell_fences,
                    s.typed_grants,
                    s.grants,
                    s.errors,
                    flag(!s.compiles, " BLOCKED"),
                    flag(!s.missed_fences.is_empty(), &format!(" missed {:?}", s.missed_fences)),
                    flag(
                        !s.output_lines_as_commands.is_empty(),
                        &format!(" output-run {:?}", s.output_lines_as_commands)
                    ),
                );
            }
            print!("{}", f.text());
        }
        _ => print!("{}", f.text()),
    }
}
