//! Decoding cost of a 1,000-image NAVER Cloud `getServerImageList` response, in XML and in JSON,
//! into `imgshare_ncloud`'s public output type through `imgshare_core::decode::decode_root` (the
//! path the ncloud client takes), next to `serde_json::from_slice::<serde_json::Value>` of the
//! same JSON body as the baseline, all in one run: `cargo bench -p imgshare-bench --bench decode`.
//!
//! Both bodies are built once, before any timing, from the one-image seed responses in
//! `crates/imgshare-ncloud/tests/fixtures/` (the image repeated 1,000 times with distinct
//! `serverImageNo`s), without indentation, as the API sends them.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;
use std::time::Duration;

use criterion::measurement::WallTime;
use criterion::{BenchmarkGroup, Criterion, Throughput, criterion_main};
use imgshare_core::decode::decode_root;
use imgshare_ncloud::types::ServerImageListOutput;

const IMAGES: usize = 1000;
const SEED_JSON: &str =
    include_str!("../../imgshare-ncloud/tests/fixtures/getServerImageList.json");
const SEED_XML: &str = include_str!("../../imgshare-ncloud/tests/fixtures/getServerImageList.xml");
/// The content types NCP answers with.
const JSON_TYPE: &str = "application/json;charset=UTF-8";
const XML_TYPE: &str = "application/xml;charset=UTF-8";

fn group_config<'a>(c: &'a mut Criterion, name: &str) -> BenchmarkGroup<'a, WallTime> {
    let mut group = c.benchmark_group(name);
    group
        .sample_size(50)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    group
}

/// The JSON seed with its one image repeated `IMAGES` times, compact.
fn json_body() -> Vec<u8> {
    let mut doc: serde_json::Value = serde_json::from_str(SEED_JSON).unwrap();
    let root = doc
        .get_mut("getServerImageListResponse")
        .and_then(serde_json::Value::as_object_mut)
        .unwrap();
    let image = root["serverImageList"][0].clone();
    let list: Vec<serde_json::Value> = (0..IMAGES)
        .map(|i| {
            let mut image = image.clone();
            image["serverImageNo"] = serde_json::Value::String((10_000_001 + i).to_string());
            image["serverImageName"] = serde_json::Value::String(format!("bench-image-{i:04}"));
            image
        })
        .collect();
    root.insert("totalRows".into(), IMAGES.into());
    root.insert("serverImageList".into(), list.into());
    serde_json::to_vec(&doc).unwrap()
}

/// The XML seed with its one `<serverImage>` repeated `IMAGES` times, indentation removed.
fn xml_body() -> Vec<u8> {
    let compact: String = SEED_XML.lines().map(str::trim).collect();
    let start = compact.find("<serverImage>").unwrap();
    let end = compact.find("</serverImage>").unwrap() + "</serverImage>".len();
    let image = &compact[start..end];
    let mut images = String::with_capacity(image.len() * IMAGES + 64);
    for i in 0..IMAGES {
        images.push_str(
            &image
                .replace(
                    "<serverImageNo>10000001</serverImageNo>",
                    &format!("<serverImageNo>{}</serverImageNo>", 10_000_001 + i),
                )
                .replace(
                    "<serverImageName>test-image</serverImageName>",
                    &format!("<serverImageName>bench-image-{i:04}</serverImageName>"),
                ),
        );
    }
    let body = format!("{}{images}{}", &compact[..start], &compact[end..]).replace(
        "<totalRows>1</totalRows>",
        &format!("<totalRows>{IMAGES}</totalRows>"),
    );
    body.into_bytes()
}

fn decode(c: &mut Criterion) {
    let json = json_body();
    let xml = xml_body();
    // Check once that both decode to the same 1,000 images.
    let (_, from_json) = decode_root::<ServerImageListOutput>(Some(JSON_TYPE), &json).unwrap();
    let (_, from_xml) = decode_root::<ServerImageListOutput>(Some(XML_TYPE), &xml).unwrap();
    assert_eq!(from_json.server_image_list.len(), IMAGES);
    assert_eq!(from_json.total_rows, IMAGES as u64);
    assert_eq!(from_json, from_xml);
    println!(
        "getServerImageList, {IMAGES} images: JSON {} bytes, XML {} bytes",
        json.len(),
        xml.len()
    );

    let mut group = group_config(c, "decode_server_image_list_1000");
    group.throughput(Throughput::Bytes(xml.len() as u64));
    group.bench_function("xml/imgshare", |b| {
        b.iter(|| {
            decode_root::<ServerImageListOutput>(black_box(Some(XML_TYPE)), black_box(&xml))
                .unwrap()
        });
    });
    group.throughput(Throughput::Bytes(json.len() as u64));
    group.bench_function("json/imgshare", |b| {
        b.iter(|| {
            decode_root::<ServerImageListOutput>(black_box(Some(JSON_TYPE)), black_box(&json))
                .unwrap()
        });
    });
    group.bench_function("json/baseline-serde_json-value", |b| {
        b.iter(|| serde_json::from_slice::<serde_json::Value>(black_box(&json)).unwrap());
    });
    group.finish();
}

/// The benchmark group; the `pub fn` that `criterion_group!` writes has no doc comment.
mod group {
    #![allow(missing_docs, unreachable_pub)]
    use super::decode;
    criterion::criterion_group!(benches, decode);
}

criterion_main!(group::benches);
