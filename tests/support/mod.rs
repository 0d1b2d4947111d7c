//! Helpers shared by the workspace-level integration tests.

pub(crate) mod hostile;
