//! What a command gets of the global flags: the output format and the settings every
//! provider's client is built with. Never the parser itself.

use imgshare::connect::Overrides;

use crate::output::OutputFormat;

/// The global flags, as commands use them.
#[derive(Debug)]
pub(crate) struct Context {
    /// `--output`.
    pub(crate) output: OutputFormat,
    overrides: Overrides,
}

impl Context {
    pub(crate) fn new(output: OutputFormat, overrides: Overrides) -> Self {
        Self { output, overrides }
    }

    /// `--endpoint`, `--region`, `--no-proxy`, `--timeout`, `--retries`; commands add their own.
    pub(crate) fn overrides(&self) -> Overrides {
        self.overrides.clone()
    }
}
