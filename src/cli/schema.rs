//! `goalpost schema`: the JSON Schema of goal files (or, with `--config`, of goalpost.toml),
//! generated from the raw types.

use super::{CmdResult, Ctx, exit, out};
use clap::{Args, ValueEnum};

/// Print the JSON Schema of goal files (for editors: yaml-language-server, VS Code), of
/// goalpost.toml, or of a command's JSON output.
#[derive(Debug, Args)]
pub struct SchemaArgs {
    /// Print the schema of goalpost.toml instead (for Taplo / Even Better TOML).
    #[arg(long, conflicts_with = "output")]
    pub config: bool,
    /// Print the schema of this command's `--format json` output instead.
    #[arg(long, value_enum, value_name = "COMMAND")]
    pub output: Option<OutputArg>,
}

/// The commands whose JSON output has a schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputArg {
    Status,
    Check,
    Review,
    Diff,
    Log,
}

pub fn run(args: SchemaArgs, _ctx: &Ctx) -> CmdResult {
    use crate::schema::Output;
    match (args.config, args.output) {
        (true, _) => out(&crate::schema::config_json())?,
        (false, Some(o)) => out(&crate::schema::output_json(match o {
            OutputArg::Status => Output::Status,
            OutputArg::Check => Output::Check,
            OutputArg::Review => Output::Review,
            OutputArg::Diff => Output::Diff,
            OutputArg::Log => Output::Log,
        }))?,
        (false, None) => out(&crate::schema::json())?,
    }
    Ok(exit::OK)
}
