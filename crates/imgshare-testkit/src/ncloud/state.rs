//! The fake NCP's in-memory state: keys, and VPC and Classic images with their share lists.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use wiremock::Request;

use super::seed::NcloudSeed;
use super::{NcloudFamily, NcloudFault, NcloudReceivedRequest};
use super::{families, faults, gateway, seed};
use crate::harness::{Clock, Cloud, Env, Reply, log_outcome, upsert};

/// The fake NCP API Gateway: what it holds between requests. The harness runs it as
/// [`NcloudFake`](crate::NcloudFake).
#[derive(Debug, Default)]
pub struct Ncloud {
    /// Its accounts and images, in insertion order (lists sort by number), shares included.
    pub(crate) data: NcloudSeed,
}

impl Ncloud {
    /// The images `family` serves, as rows: both VPC families serve the VPC images.
    pub(crate) fn rows(&self, family: NcloudFamily) -> Vec<Row> {
        match family {
            NcloudFamily::Classic => self.data.classic_images.iter().map(Row::of).collect(),
            _ => self.data.images.iter().map(Row::of).collect(),
        }
    }

    /// The login ids image `no` of `family` is shared with, to change them.
    pub(crate) fn shares_mut(
        &mut self,
        family: NcloudFamily,
        no: &str,
    ) -> Option<&mut Vec<String>> {
        let data = &mut self.data;
        if family == NcloudFamily::Classic {
            let image = data.classic_images.iter_mut().find(|i| i.image_no == no);
            return image.map(|i| &mut i.shared_login_ids);
        }
        let image = data.images.iter_mut().find(|i| i.image_no == no);
        image.map(|i| &mut i.shared_login_ids)
    }
}

/// An image of either kind as the actions read it: its seed fields as text by name
/// (`image_no`, `owner_login_id`, `status`, ...), which list filters compare and the answers'
/// templates show, and the login ids it is shared with.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct Row {
    #[serde(rename = "shared_login_ids")]
    pub(crate) shared: Vec<String>,
    #[serde(flatten)]
    pub(crate) fields: HashMap<String, String>,
}

impl Row {
    /// `image` through its serde form: both image types are flat records of text fields and
    /// one list of shares.
    fn of(image: &impl Serialize) -> Row {
        let row = serde_json::to_value(image).and_then(serde_json::from_value);
        row.unwrap_or_default()
    }

    /// A field's text; empty for a field the image's type does not have.
    pub(crate) fn get(&self, field: &str) -> &str {
        self.fields.get(field).map_or("", String::as_str)
    }

    /// The owner sees its image, and so does every account it is shared with.
    pub(crate) fn seen_by(&self, caller: &str) -> bool {
        self.get("owner_login_id") == caller || self.shared.iter().any(|s| s == caller)
    }
}

impl Cloud for Ncloud {
    const NAME: &'static str = "ncloud";
    /// The VPC (`/vserver/v2/`) and Classic (`/server/v2/`) Server API prefixes.
    const PATHS: &'static str = "^/(vserver|server)/v2/";
    /// The highest, so a catch-all mock mounted by another fake on the same server never sees
    /// NCP paths.
    const PRIORITY: u8 = 1;
    type Seed = NcloudSeed;
    type Fault = NcloudFault;
    const PROXY: &'static str = "nginx";
    type Record = NcloudReceivedRequest;

    fn merge(&mut self, seed: NcloudSeed, _: Clock) {
        for account in seed.accounts {
            upsert(&mut self.data.accounts, account, |a| &a.access_key);
        }
        for image in seed.images {
            upsert(&mut self.data.images, image, |i| &i.image_no);
        }
        for image in seed.classic_images {
            upsert(&mut self.data.classic_images, image, |i| &i.image_no);
        }
    }

    fn seed(&self) -> NcloudSeed {
        self.data.clone()
    }

    const PROBLEMS: fn(&NcloudSeed) -> Vec<String> = seed::problems;
    const RECORD: fn(&Request) -> NcloudReceivedRequest = gateway::record;
    const FAULT: fn(&NcloudFault, &Request) -> Reply = faults::answer;
    const SERVE: fn(&mut Ncloud, &mut Env<'_>, &Request, &mut NcloudReceivedRequest) -> Reply =
        gateway::serve;

    fn actions() -> Vec<String> {
        families::names()
    }

    log_outcome!();
}
