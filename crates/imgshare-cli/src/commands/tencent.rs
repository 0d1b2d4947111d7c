//! `imgshare tencent ...`: share, unshare and list through the facade; `images` with
//! DescribeImages' filters.

use clap::builder::{PossibleValuesParser, TypedValueParser};
use clap::{Args as ClapArgs, Subcommand};
use imgshare::plan::{CredentialSource, ProviderKind, ProviderSpec};
use imgshare_tencent::{Filter, ImageType};

use super::{Sharing, announced};
use crate::context::Context;
use crate::failure::Failure;
use crate::output;

/// `imgshare tencent [--profile NAME] [--language LANG] <command>`.
#[derive(Debug, ClapArgs)]
pub(crate) struct Args {
    /// Use tccli's profile NAME: credentials from ~/.tccli/NAME.credential, region, language
    /// and cvm.endpoint from ~/.tccli/NAME.configure (flags and variables still win).
    #[arg(long, global = true, value_name = "NAME")]
    profile: Option<String>,

    /// The language of Tencent's error messages (X-TC-Language); Tencent's default is zh-CN.
    #[arg(long, global = true, value_name = "LANG", value_parser = ["zh-CN", "en-US"])]
    language: Option<String>,

    /// What to do.
    #[command(subcommand)]
    command: Command,
}

/// Tencent commands.
#[derive(Debug, Subcommand)]
enum Command {
    #[command(flatten)]
    Sharing(Sharing),
    /// List images (all pages, 100 per request), optionally filtered.
    Images(ImagesArgs),
}

/// `images` filters (DescribeImages `Filters`; AND between filters, OR within one).
#[derive(Debug, ClapArgs)]
struct ImagesArgs {
    /// Only images of this type: private (your own custom images, PRIVATE_IMAGE), shared
    /// (shared with you by other accounts, SHARED_IMAGE) or public (official, PUBLIC_IMAGE).
    #[arg(
        long = "type",
        value_name = "TYPE",
        value_parser = PossibleValuesParser::new(["private", "shared", "public"]).map(image_type)
    )]
    image_type: Option<Filter>,

    /// Only these image ids (repeat or separate with commas; filter image-id).
    #[arg(
        long = "image",
        alias = "image-id",
        value_name = "IMAGE_ID",
        value_delimiter = ','
    )]
    image_ids: Vec<String>,

    /// Only images whose name contains this (filter image-name).
    #[arg(long, value_name = "NAME", value_parser = one("image-name"))]
    name: Option<Filter>,

    /// Only images of this platform, e.g. Ubuntu, TencentOS (filter platform).
    #[arg(long, value_name = "PLATFORM", value_parser = one("platform"))]
    platform: Option<Filter>,

    /// Only images with this tag, KEY or KEY=VALUE (filters tag-key, tag:KEY); repeatable.
    #[arg(long = "tag", value_name = "KEY[=VALUE]")]
    tags: Vec<String>,

    /// Only images usable by this instance type, e.g. SA5.MEDIUM2 (InstanceType).
    #[arg(long, value_name = "TYPE")]
    instance_type: Option<String>,

    /// Any other documented filter, NAME=VALUE[,VALUE...] (e.g. image-family=ubuntu); repeatable.
    #[arg(long = "filter", value_name = "NAME=VALUES")]
    filters: Vec<String>,

    /// Images asked for per request, 1 to 100 (default 100).
    #[arg(long, value_name = "N")]
    page_size: Option<u64>,
}

/// `--type private|shared|public`: the image-type filter of `PRIVATE_IMAGE`, … (the wire
/// name is the flag's value in capitals, then `_IMAGE`).
fn image_type(value: String) -> Filter {
    Filter::image_type(ImageType::from(format!("{}_IMAGE", value.to_uppercase())))
}

/// The filter `name` with the flag's value as its one value.
fn one(name: &'static str) -> impl Fn(&str) -> Result<Filter, String> + Clone + Send + Sync {
    move |value| Ok(Filter::new(name, [value]))
}

/// `--tag KEY` or `--tag KEY=VALUE` ([`Filter::tag`]).
fn tag(text: &str) -> Result<Filter, String> {
    let (key, value) = text.split_once('=').unzip();
    match key.unwrap_or(text) {
        "" => Err(format!("--tag {text:?}: expected KEY or KEY=VALUE")),
        key => Ok(Filter::tag(key, value)),
    }
}

/// Runs one tencent command.
pub(crate) async fn exec(context: &Context, args: Args) -> Result<(), Failure> {
    let mut spec = ProviderSpec::new("tencent", ProviderKind::Tencent);
    if let Some(name) = args.profile {
        spec.credentials = CredentialSource::Profile(name);
    }
    let mut overrides = context.overrides();
    overrides.language = args.language;
    let connection = imgshare::connect::tencent(&spec, &overrides);
    let images = match args.command {
        Command::Images(images) => images,
        Command::Sharing(command) => {
            let client = announced(connection.await?);
            return super::exec(context, &client, command).await;
        }
    };
    // Checked here rather than by clap, so a malformed one is a one-line error like the others.
    let tags = images.tags.iter().map(|t| tag(t));
    let named = images
        .filters
        .iter()
        .map(|f| f.parse().map_err(|e| format!("--filter {e}")));
    let named: Vec<Filter> = tags
        .chain(named)
        .collect::<Result<_, _>>()
        .map_err(Failure::usage)?;
    let ids = (!images.image_ids.is_empty()).then(|| Filter::new("image-id", images.image_ids));
    let filters: Vec<Filter> = (images.image_type.into_iter())
        .chain(ids)
        .chain(images.name)
        .chain(images.platform)
        .chain(named)
        .collect();
    // The paginator asks for `limit` images a page (100 unless --page-size says); no filter
    // sends no `Filters`.
    let pages = announced(connection.await?)
        .describe_images()
        .set_filters(Some(filters))
        .set_instance_type(images.instance_type)
        .set_limit(images.page_size)
        .into_paginator();
    let list = pages.items().try_collect().await?;
    context.print(output::tencent_images(&list))
}

#[cfg(test)]
mod tests {
    use imgshare_tencent::{Filter, ImageType};

    /// Fails if a `--type` value is not sent as its documented image type (the wire name is
    /// derived from the flag's value).
    #[test]
    fn each_type_is_its_wire_name() {
        for (value, wire) in [
            ("private", ImageType::Private),
            ("shared", ImageType::Shared),
            ("public", ImageType::Public),
        ] {
            assert_eq!(super::image_type(value.into()), Filter::image_type(wire));
        }
    }
}
