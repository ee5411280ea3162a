//! `goalpost schema`: the JSON Schema of goal files (or, with `--config`, of goalpost.toml),
//! generated from the raw types.

use super::{CmdResult, Ctx, exit, out};
use crate::contract::Output;
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
    pub output: Option<Output>,
    /// With --output: the closed schema of this release (no other keys, only today's enum
    /// values and ref forms), to notice any change; the default one lets later releases add.
    #[arg(long, requires = "output")]
    pub strict: bool,
}

/// `--output` takes the names of [`Output::ALL`].
impl ValueEnum for Output {
    fn value_variants<'a>() -> &'a [Self] {
        Output::ALL
    }
    fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
        Some(clap::builder::PossibleValue::new(self.name()))
    }
}

pub(super) fn run(args: SchemaArgs, _ctx: &Ctx) -> CmdResult {
    match (args.config, args.output) {
        (true, _) => out(&crate::schema::config_json())?,
        (false, Some(o)) => out(&crate::contract::output_json(o, args.strict))?,
        (false, None) => out(&crate::schema::json())?,
    }
    Ok(exit::OK)
}
