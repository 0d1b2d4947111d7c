//! `imgshare inventory`: every configured provider's owned images and whom they are shared with.

use clap::{Args, ValueEnum};
use imgshare::plan::{Plan, ProviderKind, ProviderSpec};
use serde_json::json;

use crate::cli::{Cli, OutputFormat};
use crate::failure::{EXIT_SERVICE, Failure};
use crate::output::{announce, csv_cell, emit, json_line, table};
use crate::plan::plan_failure;

/// `imgshare inventory` flags.
#[derive(Debug, Args)]
pub(crate) struct InventoryArgs {
    /// The providers of this plan (its images are not needed). Without it: each provider whose
    /// environment is set (TENCENTCLOUD_REGION; NCLOUD_ACCESS_KEY_ID; SCP_ACCESS_KEY).
    #[arg(long, value_name = "FILE")]
    pub(crate) plan: Option<std::path::PathBuf>,
    /// Table format (--output json overrides it).
    #[arg(long, value_enum, default_value_t = InventoryFormat::Table)]
    pub(crate) format: InventoryFormat,
}

/// How the inventory is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum InventoryFormat {
    /// Aligned columns.
    Table,
    /// CSV with a header line.
    Csv,
}

/// One entry per provider whose environment is set; the resolver then reads the rest of the
/// environment (region, endpoint, account id) as it does for every command.
fn providers_from_env() -> Result<Vec<ProviderSpec>, Failure> {
    let set = |names: &[&str]| {
        names
            .iter()
            .any(|n| std::env::var(n).is_ok_and(|v| !v.is_empty()))
    };
    let mut specs = Vec::new();
    for (names, kind) in [
        (&["TENCENTCLOUD_REGION"][..], ProviderKind::Tencent),
        (
            &["NCLOUD_ACCESS_KEY_ID", "NCLOUD_ACCESS_KEY"][..],
            ProviderKind::Ncloud,
        ),
        (&["SCP_ACCESS_KEY"][..], ProviderKind::Scp),
    ] {
        if set(names) {
            specs.push(ProviderSpec::new(kind.as_str(), kind));
        }
    }
    if specs.is_empty() {
        return Err(Failure::Usage(
            "no provider configured: pass --plan FILE, or set TENCENTCLOUD_REGION, \
             NCLOUD_ACCESS_KEY_ID or SCP_ACCESS_KEY"
                .into(),
        ));
    }
    Ok(specs)
}

struct Row {
    provider: String,
    image: String,
    name: String,
    account: String,
    state: String,
    error: String,
}

/// Runs `imgshare inventory`.
pub(crate) async fn run(cli: &Cli, args: &InventoryArgs) -> Result<(), Failure> {
    let connected = match &args.plan {
        Some(file) => {
            let plan = Plan::from_file(file).map_err(plan_failure)?;
            crate::plan::connect(cli, &plan).await?
        }
        None => {
            let specs = providers_from_env()?;
            let connected = imgshare::connect::connect_all(&specs, &cli.overrides()).await?;
            announce(connected.targets());
            connected
        }
    };
    let mut rows = Vec::new();
    let mut errors = 0;
    for name in connected.names() {
        let Some(sharing) = connected.sharing(name) else {
            continue;
        };
        let row = |image: &str, img_name: &str, account: &str, state: &str, error: String| Row {
            provider: name.to_owned(),
            image: image.to_owned(),
            name: img_name.to_owned(),
            account: account.to_owned(),
            state: state.to_owned(),
            error,
        };
        let images = match sharing.list_images().await {
            Ok(images) => images,
            Err(e) => {
                errors += 1;
                rows.push(row("", "", "", "", e.to_string()));
                continue;
            }
        };
        for image in images {
            match sharing.list_shares(&image.id).await {
                Ok(shares) if shares.is_empty() => {
                    rows.push(row(&image.id, &image.name, "", "", String::new()));
                }
                Ok(shares) => {
                    for s in shares {
                        rows.push(row(
                            &image.id,
                            &image.name,
                            &s.account,
                            &s.state.to_string(),
                            String::new(),
                        ));
                    }
                }
                Err(e) => {
                    errors += 1;
                    rows.push(row(&image.id, &image.name, "", "", e.to_string()));
                }
            }
        }
    }
    let text = match (cli.output, args.format) {
        (OutputFormat::Json, _) => json_line(&json!({
            "shares": rows.iter().map(|r| json!({
                "provider": r.provider,
                "image": r.image,
                "name": r.name,
                "account": (!r.account.is_empty()).then_some(&r.account),
                "state": (!r.state.is_empty()).then_some(&r.state),
                "error": (!r.error.is_empty()).then_some(&r.error),
            })).collect::<Vec<_>>()
        })),
        (OutputFormat::Text, InventoryFormat::Csv) => {
            let mut out = String::from("provider,image,name,account,state,error\n");
            for r in &rows {
                let cells = [
                    &r.provider,
                    &r.image,
                    &r.name,
                    &r.account,
                    &r.state,
                    &r.error,
                ];
                let line: Vec<String> = cells.iter().map(|c| csv_cell(c)).collect();
                out.push_str(&line.join(","));
                out.push('\n');
            }
            out
        }
        (OutputFormat::Text, InventoryFormat::Table) => {
            let mut table_rows = vec![
                ["PROVIDER", "IMAGE", "NAME", "ACCOUNT", "STATE"]
                    .map(str::to_owned)
                    .to_vec(),
            ];
            for r in &rows {
                let account = if r.error.is_empty() {
                    if r.account.is_empty() {
                        "-".into()
                    } else {
                        r.account.clone()
                    }
                } else {
                    format!("error: {}", r.error)
                };
                table_rows.push(vec![
                    r.provider.clone(),
                    r.image.clone(),
                    r.name.clone(),
                    account,
                    r.state.clone(),
                ]);
            }
            table(&table_rows)
        }
    };
    emit(&text, cli.output)?;
    if errors > 0 {
        return Err(Failure::Other(
            EXIT_SERVICE,
            format!("{errors} listing(s) failed (see the inventory)"),
        ));
    }
    Ok(())
}
