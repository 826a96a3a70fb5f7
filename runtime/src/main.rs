fn main() -> std::process::ExitCode {
    playbook::cli::main()
}
