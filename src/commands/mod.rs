//! One module per subcommand. Each takes its parsed arguments and returns
//! the process exit code.

pub mod check;
pub mod diff;
pub mod explain;
pub mod generate;
pub mod init;
pub mod schema;

/// Exit codes shared by every command.
pub const EXIT_OK: u8 = 0;
pub const EXIT_INVALID: u8 = 1;
pub const EXIT_USAGE_OR_IO: u8 = 2;
