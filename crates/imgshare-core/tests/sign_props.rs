//! Property tests of the three signers: deterministic for fixed inputs, sensitive to every input
//! they sign (and, documented behaviour, NCP and SCP insensitive to the body), total on
//! arbitrary header values, and `tc3::utc_date` agreeing with the `time` crate.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use imgshare_core::Credentials;
use imgshare_core::sign::ncp::{self, NcpSigner};
use imgshare_core::sign::scp::{self, ScpSigner};
use imgshare_core::sign::tc3::{self, Tc3Signer};
use imgshare_core::sign::{SignableRequest, Signer, SigningError, SigningInstructions};
use proptest::prelude::*;
use url::Url;

const METHODS: [&str; 4] = ["GET", "POST", "PUT", "DELETE"];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scheme {
    Tc3,
    Ncp,
    Scp,
}

const SCHEMES: [Scheme; 3] = [Scheme::Tc3, Scheme::Ncp, Scheme::Scp];

impl Scheme {
    fn signer(self) -> Box<dyn Signer> {
        match self {
            Scheme::Tc3 => Box::new(Tc3Signer::new("cvm")),
            Scheme::Ncp => Box::new(NcpSigner::new()),
            Scheme::Scp => Box::new(ScpSigner::new()),
        }
    }

    /// The header that carries the signature (for TC3, the whole `Authorization`, which also
    /// names the access id).
    fn signature_header(self) -> &'static str {
        match self {
            Scheme::Tc3 => "Authorization",
            Scheme::Ncp => ncp::SIGNATURE_HEADER,
            Scheme::Scp => scp::SIGNATURE_HEADER,
        }
    }
}

#[derive(Debug, Clone)]
struct Input {
    method: &'static str,
    path: String,
    query: Option<String>,
    body: Vec<u8>,
    access_id: String,
    secret: String,
    millis: u64,
}

impl Input {
    fn url(&self) -> Url {
        let mut url = format!("https://api.example.com{}", self.path);
        if let Some(q) = &self.query {
            url.push('?');
            url.push_str(q);
        }
        Url::parse(&url).unwrap()
    }

    fn credentials(&self) -> Credentials {
        Credentials::new(self.access_id.as_str(), self.secret.as_str(), None, "test").unwrap()
    }

    fn time(&self) -> SystemTime {
        UNIX_EPOCH + Duration::from_millis(self.millis)
    }

    fn sign_with(&self, signer: &dyn Signer) -> SigningInstructions {
        let url = self.url();
        let request = SignableRequest::new(self.method, &url, &self.body)
            .header("Content-Type", "application/json")
            .unwrap()
            .header("X-TC-Action", "DescribeImages")
            .unwrap();
        signer
            .sign(&request, &self.credentials(), self.time())
            .unwrap()
    }

    fn signature(&self, scheme: Scheme) -> String {
        self.sign_with(scheme.signer().as_ref())
            .header(scheme.signature_header())
            .unwrap()
            .to_owned()
    }
}

/// Up to 2100-01-01, in milliseconds.
const MAX_MILLIS: u64 = 4_102_444_800_000;

fn input() -> impl Strategy<Value = Input> {
    (
        prop::sample::select(METHODS.to_vec()),
        "(/[a-zA-Z0-9_~-]{1,12}){0,4}",
        prop::option::of("[a-z]{1,6}=[a-zA-Z0-9]{0,8}(&[a-z]{1,6}=[a-zA-Z0-9]{0,8}){0,3}"),
        prop::collection::vec(any::<u8>(), 0..64),
        "[A-Za-z0-9]{1,24}",
        "[A-Za-z0-9+/=]{1,40}",
        0..MAX_MILLIS,
    )
        .prop_map(
            |(method, path, query, body, access_id, secret, millis)| Input {
                method,
                path,
                query,
                body,
                access_id,
                secret,
                millis,
            },
        )
}

fn config() -> ProptestConfig {
    ProptestConfig::with_cases(128)
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn signing_is_deterministic(input in input()) {
        for scheme in SCHEMES {
            let signer = scheme.signer();
            let first = input.sign_with(signer.as_ref());
            // Same signer again (TC3: from its key cache) and a fresh one.
            let again = input.sign_with(signer.as_ref());
            let fresh = input.sign_with(scheme.signer().as_ref());
            prop_assert_eq!(&first, &again, "{:?}", scheme);
            prop_assert_eq!(&first, &fresh, "{:?}", scheme);
        }
    }

    #[test]
    fn tc3_key_cache_never_serves_a_stale_key(
        a in input(),
        other_secret in "[A-Za-z0-9]{1,40}",
        other_day in 1u64..10_000,
    ) {
        let signer = Tc3Signer::new("cvm");
        let expected = a.sign_with(&Tc3Signer::new("cvm"));
        prop_assert_eq!(&a.sign_with(&signer), &expected);
        // Another secret, then another day, through the same cache …
        let b = Input { secret: other_secret, ..a.clone() };
        prop_assert_eq!(b.sign_with(&signer), b.sign_with(&Tc3Signer::new("cvm")));
        let c = Input { millis: (a.millis + other_day * 86_400_000) % MAX_MILLIS, ..a.clone() };
        prop_assert_eq!(c.sign_with(&signer), c.sign_with(&Tc3Signer::new("cvm")));
        // … and back: still the right key.
        prop_assert_eq!(&a.sign_with(&signer), &expected);
    }

    #[test]
    fn secret_is_signed(input in input(), extra in "[A-Za-z0-9]") {
        let changed = Input { secret: format!("{}{extra}", input.secret), ..input.clone() };
        for scheme in SCHEMES {
            prop_assert_ne!(input.signature(scheme), changed.signature(scheme), "{:?}", scheme);
        }
    }

    #[test]
    fn access_id_is_signed(input in input(), extra in "[A-Za-z0-9]") {
        let changed = Input { access_id: format!("{}{extra}", input.access_id), ..input.clone() };
        for scheme in SCHEMES {
            prop_assert_ne!(input.signature(scheme), changed.signature(scheme), "{:?}", scheme);
        }
        // NCP and SCP put the access key in the string to sign itself.
        let (a, b) = (input.sign_with(&NcpSigner::new()), changed.sign_with(&NcpSigner::new()));
        prop_assert_ne!(a.header(ncp::SIGNATURE_HEADER), b.header(ncp::SIGNATURE_HEADER));
    }

    #[test]
    fn body_is_signed_by_tc3_only(input in input(), extra in any::<u8>()) {
        let mut body = input.body.clone();
        body.push(extra);
        let changed = Input { body, ..input.clone() };
        prop_assert_ne!(input.signature(Scheme::Tc3), changed.signature(Scheme::Tc3));
        // Documented: NCP API Gateway v2 and SCP v2 do not sign the body.
        prop_assert_eq!(input.sign_with(&NcpSigner::new()), changed.sign_with(&NcpSigner::new()));
        prop_assert_eq!(input.sign_with(&ScpSigner::new()), changed.sign_with(&ScpSigner::new()));
    }

    #[test]
    fn path_is_signed(input in input(), segment in "[a-z0-9]{1,8}") {
        let changed = Input { path: format!("{}/{segment}", input.path), ..input.clone() };
        prop_assert_ne!(input.url(), changed.url());
        for scheme in SCHEMES {
            prop_assert_ne!(input.signature(scheme), changed.signature(scheme), "{:?}", scheme);
        }
    }

    #[test]
    fn query_is_signed(input in input(), value in "[a-z0-9]{1,8}") {
        let query = match &input.query {
            Some(q) => format!("{q}&z={value}"),
            None => format!("z={value}"),
        };
        let changed = Input { query: Some(query), ..input.clone() };
        for scheme in SCHEMES {
            prop_assert_ne!(input.signature(scheme), changed.signature(scheme), "{:?}", scheme);
        }
    }

    #[test]
    fn timestamp_is_signed_at_each_schemes_resolution(input in input(), sub in 0u64..1000) {
        // TC3 signs whole seconds: one second later changes it, a sub-second shift does not.
        let second = input.millis / 1000 * 1000;
        let at = |millis| Input { millis, ..input.clone() };
        prop_assert_ne!(at(second).signature(Scheme::Tc3), at(second + 1000).signature(Scheme::Tc3));
        prop_assert_eq!(
            at(second).sign_with(&Tc3Signer::new("cvm")),
            at(second + sub).sign_with(&Tc3Signer::new("cvm"))
        );
        // NCP and SCP sign milliseconds.
        for scheme in [Scheme::Ncp, Scheme::Scp] {
            prop_assert_ne!(
                at(input.millis).signature(scheme),
                at(input.millis + 1).signature(scheme),
                "{:?}", scheme
            );
        }
    }

    #[test]
    fn method_is_signed(input in input(), offset in 1usize..METHODS.len()) {
        let index = METHODS.iter().position(|m| *m == input.method).unwrap();
        let changed = Input { method: METHODS[(index + offset) % METHODS.len()], ..input.clone() };
        for scheme in SCHEMES {
            prop_assert_ne!(input.signature(scheme), changed.signature(scheme), "{:?}", scheme);
        }
    }

    #[test]
    fn utc_date_matches_the_time_crate(timestamp in any::<u32>()) {
        let expected = time::OffsetDateTime::from_unix_timestamp(i64::from(timestamp))
            .unwrap()
            .format(time::macros::format_description!("[year]-[month]-[day]"))
            .unwrap();
        prop_assert_eq!(tc3::utc_date(u64::from(timestamp)).unwrap(), expected);
    }

    #[test]
    fn utc_date_is_total(timestamp in any::<u64>()) {
        match tc3::utc_date(timestamp) {
            Ok(date) => {
                prop_assert_eq!(date.len(), 10, "{}", date);
                // Up to 9999-12-31T23:59:59Z.
                prop_assert!(timestamp <= 253_402_300_799);
            }
            Err(e) => {
                prop_assert_eq!(e, SigningError::InvalidTime);
                prop_assert!(timestamp > 253_402_300_799);
            }
        }
    }

    #[test]
    fn no_signer_panics_on_arbitrary_header_values(
        input in input(),
        content_type in any::<String>(),
        action in any::<String>(),
        host in any::<String>(),
        name in any::<String>(),
        raw in prop::collection::vec(any::<u8>(), 0..32),
    ) {
        let url = input.url();
        let credentials = input.credentials();
        let headers: [(&str, &[u8]); 5] = [
            ("Content-Type", content_type.as_bytes()),
            ("X-TC-Action", action.as_bytes()),
            ("Host", host.as_bytes()),
            (name.as_str(), raw.as_slice()),
            ("X-Raw", raw.as_slice()),
        ];
        let mut request = SignableRequest::new(input.method, &url, &input.body);
        for (name, value) in headers {
            match request.clone().header_bytes(name, value) {
                Ok(next) => request = next,
                Err(e) => {
                    let is_header_error = matches!(e, SigningError::InvalidHeaderValue { .. });
                    prop_assert!(is_header_error, "{:?}", e);
                }
            }
        }
        for scheme in SCHEMES {
            match scheme.signer().sign(&request, &credentials, input.time()) {
                Ok(instructions) => {
                    prop_assert!(instructions.header(scheme.signature_header()).is_some());
                }
                Err(e) => {
                    // Only TC3 has header requirements (Content-Type).
                    prop_assert_eq!(scheme, Scheme::Tc3, "{:?}", e);
                    let is_typed = matches!(
                        e,
                        SigningError::MissingHeader { .. } | SigningError::InvalidHeaderValue { .. }
                    );
                    prop_assert!(is_typed, "{:?}", e);
                }
            }
        }
    }

    #[test]
    fn header_rejection_is_exactly_control_characters_and_bad_utf8(
        raw in prop::collection::vec(any::<u8>(), 0..32),
    ) {
        let url = Url::parse("https://api.example.com/").unwrap();
        let result = SignableRequest::new("GET", &url, b"").header_bytes("X-Any", &raw);
        let acceptable = std::str::from_utf8(&raw).is_ok()
            && !raw.iter().any(|b| (*b < 0x20 && *b != b'\t') || *b == 0x7f);
        prop_assert_eq!(result.is_ok(), acceptable);
    }
}
