//! What a command gets of the global flags: the output format and the settings every
//! provider's client is built with. Never the parser itself.

use imgshare::connect::Overrides;

use crate::failure::Failure;
use crate::output::{OutputFormat, emit};

/// The global flags, as commands use them.
#[derive(Debug)]
pub(crate) struct Context {
    /// `--output`.
    pub(crate) output: OutputFormat,
    /// `--endpoint`, `--region`, `--no-proxy`, `--timeout`, `--retries`.
    pub(crate) overrides: Overrides,
}

impl Context {
    /// `--endpoint`, `--region`, `--no-proxy`, `--timeout`, `--retries`; commands add their own.
    pub(crate) fn overrides(&self) -> Overrides {
        self.overrides.clone()
    }

    /// Renders a result in the `--output` format and writes it to stdout ([`emit`]).
    pub(crate) fn print(&self, render: impl FnOnce(OutputFormat) -> String) -> Result<(), Failure> {
        emit(&render(self.output), self.output)
    }
}
