//! Repository tasks.
//!
//! `cargo xtask codegen` reads every `api.toml` under `crates/` and writes the Rust it describes
//! (see `docs/ARCHITECTURE.md`, "Declaring an operation"); `cargo xtask codegen --check` writes
//! nothing and fails when a checked-in file differs from what would be generated.

mod api;
mod client;
mod errors;
mod generate;
mod models;
mod paginators;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("codegen") => codegen(args.iter().any(|a| a == "--check")),
        _ => Err("usage: cargo xtask codegen [--check]".to_owned()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("xtask: {message}");
            ExitCode::FAILURE
        }
    }
}

fn workspace_root() -> PathBuf {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    here.parent().unwrap_or(here).to_path_buf()
}

fn codegen(check: bool) -> Result<(), String> {
    let root = workspace_root();
    let mut descriptions = Vec::new();
    find_api_files(&root.join("crates"), &mut descriptions)?;
    descriptions.sort();
    if descriptions.is_empty() {
        return Err("no api.toml found under crates/".to_owned());
    }
    let mut stale = Vec::new();
    for path in &descriptions {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        let api = api::parse(&text).map_err(|e| format!("{}: {e}", path.display()))?;
        let dir = path.parent().unwrap_or(&root);
        for (file, text) in generate::files(&api, &relative(path, &root))? {
            let output = dir.join(file);
            let source = rustfmt(&text)?;
            let current = std::fs::read_to_string(&output).unwrap_or_default();
            if current == source {
                continue;
            }
            if check {
                stale.push(relative(&output, &root));
            } else {
                std::fs::write(&output, source)
                    .map_err(|e| format!("cannot write {}: {e}", output.display()))?;
                println!("wrote {}", relative(&output, &root));
            }
        }
    }
    if stale.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "generated code is out of date: {}; run `cargo xtask codegen` and commit the result",
            stale.join(", ")
        ))
    }
}

fn find_api_files(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), String> {
    let entries =
        std::fs::read_dir(dir).map_err(|e| format!("cannot list {}: {e}", dir.display()))?;
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            if path.file_name().is_some_and(|n| n == "target") {
                continue;
            }
            find_api_files(&path, out)?;
        } else if path.file_name().is_some_and(|n| n == "api.toml") {
            out.push(path);
        }
    }
    Ok(())
}

fn relative(path: &Path, root: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .display()
        .to_string()
}

/// Formats generated code with the toolchain's rustfmt, so the checked-in file is what
/// `cargo fmt` would leave.
fn rustfmt(source: &str) -> Result<String, String> {
    use std::io::Write as _;
    let mut child = Command::new("rustfmt")
        .args(["--edition", "2024", "--emit", "stdout"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run rustfmt (rustup component add rustfmt): {e}"))?;
    if let Some(mut stdin) = child.stdin.take() {
        stdin
            .write_all(source.as_bytes())
            .map_err(|e| format!("cannot feed rustfmt: {e}"))?;
    }
    let output = child
        .wait_with_output()
        .map_err(|e| format!("rustfmt failed: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "rustfmt rejected the generated code:\n{}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    String::from_utf8(output.stdout).map_err(|e| format!("rustfmt printed non-UTF-8: {e}"))
}
