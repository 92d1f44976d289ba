fn main() -> std::process::ExitCode {
    acegen::cli::main()
}
