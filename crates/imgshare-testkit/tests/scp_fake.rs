//! The SCP v2 virtualserver image-member fake, end to end over loopback.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod scp_support;

use std::time::{Duration, Instant};

use imgshare_testkit::{
    Fault, ScpFake, ScpFault, ScpImage, ScpMember, ScpMemberStatus, ScpSeed, ScpVisibility,
};
use scp_support::*;
use serde_json::{Value, json};

async fn add(fake: &ScpFake, image: &str, member: &str) -> Reply {
    Call::new(fake, &owner(), "POST", &members_path(image))
        .json(json!({ "member_id": member }))
        .send()
        .await
}

async fn set_status(
    fake: &ScpFake,
    who: &imgshare_testkit::ScpAccount,
    image: &str,
    member: &str,
    status: &str,
) -> Reply {
    Call::new(fake, who, "PUT", &member_path(image, member))
        .json(json!({ "status": status }))
        .send()
        .await
}

fn ids(list: &Value) -> Vec<String> {
    list["images"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap().to_owned())
        .collect()
}

fn assert_member_shape(m: &Value, image: &str, member: &str, status: &str) {
    let mut keys: Vec<&str> = m.as_object().unwrap().keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        [
            "created_at",
            "image_id",
            "member_id",
            "status",
            "updated_at"
        ]
    );
    assert_eq!(m["image_id"], image);
    assert_eq!(m["member_id"], member);
    assert_eq!(m["status"], status);
    for field in ["created_at", "updated_at"] {
        let ts = m[field].as_str().unwrap();
        assert_eq!(ts.len(), 20, "{ts}");
        assert_eq!(&ts[10..11], "T");
        assert!(ts.ends_with('Z'), "{ts}");
    }
}

// ---- the whole flow ----------------------------------------------------------

#[tokio::test]
async fn owner_shares_recipient_accepts_owner_revokes() {
    let fake = fake().await;

    // 1. Owner adds the recipient: 200 (not 201), status pending.
    let added = add(&fake, SHARED_IMG, RECIPIENT).await.ok(200);
    assert_member_shape(&added, SHARED_IMG, RECIPIENT, "pending");

    // 2. The recipient sees it pending; it is not in its image list yet.
    let pending = Call::new(&fake, &recipient(), "GET", "/v1/pending-images")
        .send()
        .await
        .ok(200);
    assert_eq!(ids(&pending), [SHARED_IMG]);
    assert_eq!(pending["images"][0]["owner"], OWNER);
    let listed = Call::new(&fake, &recipient(), "GET", "/v1/images")
        .send()
        .await
        .ok(200);
    assert!(!ids(&listed).contains(&SHARED_IMG.to_owned()));

    // 3. The recipient can read its own membership and the image.
    let shown = Call::new(
        &fake,
        &recipient(),
        "GET",
        &member_path(SHARED_IMG, RECIPIENT),
    )
    .send()
    .await
    .ok(200);
    assert_member_shape(&shown, SHARED_IMG, RECIPIENT, "pending");
    let image = Call::new(
        &fake,
        &recipient(),
        "GET",
        &format!("/v1/images/{SHARED_IMG}"),
    )
    .send()
    .await
    .ok(200);
    assert_eq!(image["id"], SHARED_IMG);

    // 4. The recipient accepts with its own key.
    let accepted = set_status(&fake, &recipient(), SHARED_IMG, RECIPIENT, "accepted")
        .await
        .ok(200);
    assert_member_shape(&accepted, SHARED_IMG, RECIPIENT, "accepted");
    assert_eq!(accepted["created_at"], added["created_at"]);

    // 5. No longer pending; now listed for the recipient (also as visibility=shared).
    let pending = Call::new(&fake, &recipient(), "GET", "/v1/pending-images")
        .send()
        .await
        .ok(200);
    assert_eq!(pending, json!({ "images": [] }));
    let listed = Call::new(&fake, &recipient(), "GET", "/v1/images?visibility=shared")
        .send()
        .await
        .ok(200);
    assert_eq!(ids(&listed), [SHARED_IMG]);

    // 6. The owner lists members.
    let members = Call::new(&fake, &owner(), "GET", &members_path(SHARED_IMG))
        .send()
        .await
        .ok(200);
    let list = members["members"].as_array().unwrap();
    assert_eq!(list.len(), 1);
    assert_member_shape(&list[0], SHARED_IMG, RECIPIENT, "accepted");
    assert_eq!(
        fake.members(SHARED_IMG)[0].status,
        ScpMemberStatus::Accepted
    );

    // 7. The owner removes the member: 204 with an empty body.
    let deleted = Call::new(
        &fake,
        &owner(),
        "DELETE",
        &member_path(SHARED_IMG, RECIPIENT),
    )
    .send()
    .await;
    assert_eq!(deleted.status, 204);
    assert!(deleted.text.is_empty());
    assert!(fake.members(SHARED_IMG).is_empty());

    // 8. The image is gone for the recipient.
    let code = Call::new(
        &fake,
        &recipient(),
        "GET",
        &format!("/v1/images/{SHARED_IMG}"),
    )
    .send()
    .await
    .uncoded(404);
    assert!(
        code.starts_with("Image ") && code.ends_with("could not be found."),
        "{code}"
    );
    let members = Call::new(&fake, &owner(), "GET", &members_path(SHARED_IMG))
        .send()
        .await
        .ok(200);
    assert_eq!(members, json!({ "members": [] }));
}

#[tokio::test]
async fn recipient_rejects() {
    let fake = fake().await;
    add(&fake, SHARED_IMG, RECIPIENT).await.ok(200);
    let rejected = set_status(&fake, &recipient(), SHARED_IMG, RECIPIENT, "rejected")
        .await
        .ok(200);
    assert_eq!(rejected["status"], "rejected");
    let pending = Call::new(&fake, &recipient(), "GET", "/v1/pending-images")
        .send()
        .await
        .ok(200);
    assert_eq!(pending["images"], json!([]));
    let listed = Call::new(&fake, &recipient(), "GET", "/v1/images")
        .send()
        .await
        .ok(200);
    assert!(!ids(&listed).contains(&SHARED_IMG.to_owned()));
    // Glance semantics: still readable by id; can change its mind.
    Call::new(
        &fake,
        &recipient(),
        "GET",
        &format!("/v1/images/{SHARED_IMG}"),
    )
    .send()
    .await
    .ok(200);
    set_status(&fake, &recipient(), SHARED_IMG, RECIPIENT, "accepted")
        .await
        .ok(200);
    let owner_view = Call::new(&fake, &owner(), "GET", &member_path(SHARED_IMG, RECIPIENT))
        .send()
        .await
        .ok(200);
    assert_eq!(owner_view["status"], "accepted");
}

// ---- member rules ------------------------------------------------------------

#[tokio::test]
async fn only_the_member_itself_changes_its_status() {
    let fake = fake().await;
    add(&fake, SHARED_IMG, RECIPIENT).await.ok(200);
    add(&fake, SHARED_IMG, OTHER).await.ok(200);

    // The owner cannot accept on the recipient's behalf.
    let detail = set_status(&fake, &owner(), SHARED_IMG, RECIPIENT, "accepted")
        .await
        .uncoded(403);
    assert!(
        detail.contains("can change its own membership status"),
        "{detail}"
    );
    // Another member cannot either.
    let detail = set_status(&fake, &other(), SHARED_IMG, RECIPIENT, "accepted")
        .await
        .uncoded(403);
    assert!(
        detail.contains("can change its own membership status"),
        "{detail}"
    );
    // A non-member does not even see the image.
    let fake2 = scp_support::fake().await;
    add(&fake2, SHARED_IMG, RECIPIENT).await.ok(200);
    let detail = set_status(&fake2, &other(), SHARED_IMG, RECIPIENT, "accepted")
        .await
        .uncoded(404);
    assert!(detail.starts_with("Image "), "{detail}");
    // A member id that is not a member: 404.
    let detail = set_status(&fake2, &recipient(), SHARED_IMG, OTHER, "accepted")
        .await
        .uncoded(404);
    assert!(detail.starts_with("Member "), "{detail}");
    assert_eq!(fake.members(SHARED_IMG)[0].status, ScpMemberStatus::Pending);
}

#[tokio::test]
async fn member_status_body_is_validated() {
    let fake = fake().await;
    add(&fake, SHARED_IMG, RECIPIENT).await.ok(200);
    let path = member_path(SHARED_IMG, RECIPIENT);
    for body in [
        json!({ "status": "ACCEPTED" }),
        json!({ "status": true }),
        json!({}),
        json!({ "status": "accepted", "member": RECIPIENT }),
    ] {
        let e = Call::new(&fake, &recipient(), "PUT", &path)
            .json(body.clone())
            .send()
            .await
            .error(400);
        assert_eq!(e["code"], "ValidationError", "{body}");
        assert!(e["detail"].is_array(), "{body}");
    }
}

#[tokio::test]
async fn duplicate_member_is_409() {
    let fake = fake().await;
    add(&fake, SHARED_IMG, RECIPIENT).await.ok(200);
    let detail = add(&fake, SHARED_IMG, RECIPIENT).await.uncoded(409);
    assert!(detail.contains("already a member"), "{detail}");
    assert_eq!(fake.members(SHARED_IMG).len(), 1);
}

#[tokio::test]
async fn members_require_shared_visibility() {
    let fake = fake().await;
    let detail = add(&fake, PRIVATE_IMG, RECIPIENT).await.uncoded(403);
    assert!(detail.contains("set it to \"shared\""), "{detail}");

    let path = format!("/v1/images/{PRIVATE_IMG}");
    let updated = Call::new(&fake, &owner(), "PUT", &path)
        .json(json!({ "visibility": "shared" }))
        .send()
        .await
        .ok(200);
    assert_eq!(updated["visibility"], "shared");
    assert_ne!(updated["updated_at"], updated["created_at"]);
    assert_eq!(
        fake.image(PRIVATE_IMG).unwrap().visibility,
        ScpVisibility::Shared
    );
    add(&fake, PRIVATE_IMG, RECIPIENT).await.ok(200);

    // Back to private: the member stays but loses sight of the image.
    Call::new(&fake, &owner(), "PUT", &path)
        .json(json!({ "visibility": "private" }))
        .send()
        .await
        .ok(200);
    assert_eq!(fake.members(PRIVATE_IMG).len(), 1);
    Call::new(&fake, &recipient(), "GET", &path)
        .send()
        .await
        .uncoded(404);
    let pending = Call::new(&fake, &recipient(), "GET", "/v1/pending-images")
        .send()
        .await
        .ok(200);
    assert_eq!(pending["images"], json!([]));

    // Only private|shared may be set, only documented fields, owner only.
    for body in [
        json!({ "visibility": "public" }),
        json!({ "visibility": "shared", "name": "x" }),
        json!({ "min_disk": -1 }),
        json!({ "min_ram": 2_097_152 }),
        json!({ "protected": "yes" }),
    ] {
        let e = Call::new(&fake, &owner(), "PUT", &path)
            .json(body.clone())
            .send()
            .await
            .error(400);
        assert_eq!(e["code"], "ValidationError", "{body}");
    }
    let ok = Call::new(&fake, &owner(), "PUT", &path)
        .json(json!({ "min_disk": 10, "min_ram": null, "protected": true }))
        .send()
        .await
        .ok(200);
    assert_eq!(ok["min_disk"], 10);
    assert_eq!(ok["min_ram"], 0);
    assert_eq!(ok["protected"], true);
    let e = Call::new(
        &fake,
        &recipient(),
        "PUT",
        &format!("/v1/images/{SHARED_IMG}"),
    )
    .json(json!({ "visibility": "private" }))
    .send()
    .await;
    assert!(e.uncoded(404).starts_with("Image "));
}

#[tokio::test]
async fn add_member_body_is_member_id_only() {
    let fake = fake().await;
    let path = members_path(SHARED_IMG);
    // Glance's key, an extra key next to member_id, two extras.
    let e = Call::new(&fake, &owner(), "POST", &path)
        .json(json!({ "member": RECIPIENT }))
        .send()
        .await
        .error(400);
    assert_eq!(e["code"], "ValidationError");
    assert!(e["detail"][0].as_str().unwrap().contains("\"member\""));
    let e = Call::new(&fake, &owner(), "POST", &path)
        .json(json!({ "member_id": RECIPIENT, "status": "accepted", "x": 1 }))
        .send()
        .await
        .error(400);
    assert_eq!(e["detail"].as_array().unwrap().len(), 2);
    // member_id rules: required, 1..=64, ^[A-Za-z0-9-]*$.
    for body in [
        json!({}),
        json!({ "member_id": "" }),
        json!({ "member_id": "bad_id" }),
        json!({ "member_id": "a".repeat(65) }),
        json!({ "member_id": 42 }),
    ] {
        Call::new(&fake, &owner(), "POST", &path)
            .json(body)
            .send()
            .await
            .error(400);
    }
    // Not JSON, not an object, no Content-Type.
    let mut call = Call::new(&fake, &owner(), "POST", &path).json(json!({}));
    call.body = Some(b"{\"member_id\":".to_vec());
    assert_eq!(call.send().await.code(400), "ValidationError");
    let call = Call::new(&fake, &owner(), "POST", &path).json(json!([RECIPIENT]));
    assert_eq!(call.send().await.code(400), "ValidationError");
    let mut call =
        Call::new(&fake, &owner(), "POST", &path).json(json!({ "member_id": RECIPIENT }));
    call.content_type = None;
    assert_eq!(call.send().await.code(400), "ValidationError");
    // The owner cannot add itself.
    assert_eq!(
        add(&fake, SHARED_IMG, OWNER).await.code(400),
        "ValidationError"
    );
    assert!(fake.members(SHARED_IMG).is_empty());
}

#[tokio::test]
async fn ownership_and_not_found_rules() {
    let fake = fake().await;
    add(&fake, SHARED_IMG, RECIPIENT).await.ok(200);

    // Unknown image → 404 for every member operation.
    for (method, path) in [
        ("GET", members_path(UNKNOWN_IMG)),
        ("GET", member_path(UNKNOWN_IMG, RECIPIENT)),
        ("DELETE", member_path(UNKNOWN_IMG, RECIPIENT)),
        ("GET", format!("/v1/images/{UNKNOWN_IMG}")),
        ("POST", format!("/v1/images/{UNKNOWN_IMG}/share")),
    ] {
        let reply = Call::new(&fake, &owner(), method, &path).send().await;
        let detail = reply.uncoded(404);
        assert!(detail.starts_with("Image "), "{method} {path}: {detail}");
    }
    let detail = add(&fake, UNKNOWN_IMG, RECIPIENT).await.uncoded(404);
    assert!(detail.starts_with("Image "), "{detail}");
    // Unknown member.
    for method in ["GET", "DELETE"] {
        let detail = Call::new(&fake, &owner(), method, &member_path(SHARED_IMG, OTHER))
            .send()
            .await
            .uncoded(404);
        assert!(detail.starts_with("Member "), "{method}: {detail}");
    }
    // A member cannot list, add or delete members: 403.
    for (method, path) in [
        ("GET", members_path(SHARED_IMG)),
        ("DELETE", member_path(SHARED_IMG, RECIPIENT)),
    ] {
        let reply = Call::new(&fake, &recipient(), method, &path).send().await;
        let detail = reply.uncoded(403);
        assert!(
            detail.starts_with("Only the owner"),
            "{method} {path}: {detail}"
        );
    }
    let reply = Call::new(&fake, &recipient(), "POST", &members_path(SHARED_IMG))
        .json(json!({ "member_id": OTHER }))
        .send()
        .await;
    assert!(reply.uncoded(403).starts_with("Only the owner"));
    // An outsider sees nothing: 404 (the owner's private image too).
    for path in [
        members_path(SHARED_IMG),
        member_path(SHARED_IMG, RECIPIENT),
        format!("/v1/images/{PRIVATE_IMG}"),
    ] {
        let reply = Call::new(&fake, &other(), "GET", &path).send().await;
        assert!(reply.uncoded(404).starts_with("Image "), "{path}");
    }
    // Owner of OTHER_IMG is OTHER: the owner here is an outsider to it.
    let detail = add(&fake, OTHER_IMG, RECIPIENT).await.uncoded(404);
    assert!(detail.starts_with("Image "), "{detail}");
}

#[tokio::test]
async fn show_member_visibility() {
    let fake = fake().await;
    add(&fake, SHARED_IMG, RECIPIENT).await.ok(200);
    add(&fake, SHARED_IMG, OTHER).await.ok(200);
    // The owner sees both; a member sees only itself.
    for member in [RECIPIENT, OTHER] {
        Call::new(&fake, &owner(), "GET", &member_path(SHARED_IMG, member))
            .send()
            .await
            .ok(200);
    }
    let reply = Call::new(&fake, &other(), "GET", &member_path(SHARED_IMG, RECIPIENT))
        .send()
        .await;
    assert!(reply.uncoded(404).starts_with("Member "));
}

// ---- images ------------------------------------------------------------------

#[tokio::test]
async fn show_image_has_the_documented_fields() {
    let fake = fake().await;
    let path = format!("/v1/images/{SHARED_IMG}");
    let image = Call::new(&fake, &owner(), "GET", &path)
        .send()
        .await
        .ok(200);
    for field in [
        "container_format",
        "created_at",
        "disk_format",
        "file",
        "id",
        "min_disk",
        "min_ram",
        "name",
        "os_hidden",
        "owner",
        "protected",
        "status",
        "updated_at",
        "visibility",
    ] {
        assert!(!image[field].is_null(), "required {field}: {image}");
    }
    for field in [
        "checksum",
        "os_distro",
        "os_hash_algo",
        "os_hash_value",
        "owner_account_name",
        "owner_user_name",
        "root_device_name",
        "scp_image_type",
        "scp_k8s_version",
        "scp_original_image_type",
        "scp_os_build_version",
        "scp_os_version",
        "size",
        "url",
        "virtual_size",
        "volumes",
        "scp_gpu_driver",
    ] {
        assert!(image.get(field).is_some(), "nullable {field}: {image}");
    }
    assert_eq!(image["file"], format!("/v2/images/{SHARED_IMG}/file"));
    assert_eq!(image["owner"], OWNER);
    assert_eq!(image["visibility"], "shared");
    assert_eq!(image["status"], "active");
    // Only the 1.3 list shape has scp_supported_class_types.
    assert!(image.get("scp_supported_class_types").is_none());
    let list = Call::new(&fake, &owner(), "GET", "/v1/images")
        .send()
        .await
        .ok(200);
    assert!(list["images"][0].get("scp_supported_class_types").is_some());
    let list = Call::new(&fake, &owner(), "GET", "/v1/images")
        .version(Some("virtualserver 1.2"))
        .send()
        .await
        .ok(200);
    assert!(list["images"][0].get("scp_supported_class_types").is_none());
    assert!(list["images"][0].get("scp_gpu_driver").is_some());
}

fn paging_seed() -> ScpSeed {
    let mut seed = seed();
    for n in 0..7 {
        seed.images.push(
            ScpImage::new(format!("11111111-0000-4000-8000-00000000000{n}"), OWNER)
                .with_name(format!("page-{n}"))
                .with_created_at(format!("2025-08-0{}T00:00:00Z", n + 1)),
        );
    }
    seed
}

#[tokio::test]
async fn list_images_pages_with_limit_and_marker() {
    let fake = ScpFake::start_with_seed(paging_seed()).await;
    // Owner has 3 + 7 images; default order created_at:desc.
    let all = Call::new(&fake, &owner(), "GET", "/v1/images?limit=1000")
        .send()
        .await
        .ok(200);
    let all = ids(&all);
    assert_eq!(all.len(), 10);
    assert_eq!(all[0], "11111111-0000-4000-8000-000000000006");
    assert_eq!(all[9], SHARED_IMG);

    let mut collected = Vec::new();
    let mut marker: Option<String> = None;
    let mut pages = 0;
    loop {
        let path = match &marker {
            Some(m) => format!("/v1/images?limit=3&marker={m}"),
            None => "/v1/images?limit=3".to_owned(),
        };
        let page = ids(&Call::new(&fake, &owner(), "GET", &path)
            .send()
            .await
            .ok(200));
        pages += 1;
        collected.extend(page.iter().cloned());
        if page.len() < 3 {
            break;
        }
        marker = page.last().cloned();
    }
    assert_eq!(pages, 4);
    assert_eq!(collected, all);

    // sort and filters.
    let by_name = Call::new(&fake, &owner(), "GET", "/v1/images?sort=name:asc&limit=2")
        .send()
        .await
        .ok(200);
    let names: Vec<&str> = by_name["images"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["db-server", "importing"]);
    let private = Call::new(&fake, &owner(), "GET", "/v1/images?visibility=private")
        .send()
        .await
        .ok(200);
    assert_eq!(ids(&private).len(), 8);
    let queued = Call::new(&fake, &owner(), "GET", "/v1/images?status=queued")
        .send()
        .await
        .ok(200);
    assert_eq!(ids(&queued), [QUEUED_IMG]);
    let named = Call::new(&fake, &owner(), "GET", "/v1/images?name=web-server")
        .send()
        .await
        .ok(200);
    assert_eq!(ids(&named), [SHARED_IMG]);

    // Default limit is 25; bad limit, marker, sort or visibility → 400.
    for query in [
        "limit=0",
        "limit=1001",
        "limit=abc",
        "marker=70a599e0-31e7-49b7-b260-868f441effff",
        "sort=owner:asc",
        "visibility=everyone",
    ] {
        let reply = Call::new(&fake, &owner(), "GET", &format!("/v1/images?{query}"))
            .send()
            .await;
        assert_eq!(reply.code(400), "ValidationError", "{query}");
    }
}

#[tokio::test]
async fn list_images_default_limit_is_25() {
    let mut seed = seed();
    for n in 0..30 {
        seed.images
            .push(ScpImage::with_random_id(OWNER).with_name(format!("bulk-{n}")));
    }
    let fake = ScpFake::start_with_seed(seed).await;
    let page = Call::new(&fake, &owner(), "GET", "/v1/images")
        .send()
        .await
        .ok(200);
    assert_eq!(ids(&page).len(), 25);
}

#[tokio::test]
async fn pending_images_filters() {
    let fake = fake().await;
    add(&fake, SHARED_IMG, RECIPIENT).await.ok(200);
    let pending = Call::new(
        &fake,
        &recipient(),
        "GET",
        "/v1/pending-images?scp_image_type=custom&scp_original_image_type=standard",
    )
    .send()
    .await
    .ok(200);
    assert_eq!(ids(&pending), [SHARED_IMG]);
    let none = Call::new(
        &fake,
        &recipient(),
        "GET",
        "/v1/pending-images?scp_image_type=standard",
    )
    .send()
    .await
    .ok(200);
    assert_eq!(none["images"], json!([]));
    // The owner has nothing pending.
    let owner_pending = Call::new(&fake, &owner(), "GET", "/v1/pending-images")
        .send()
        .await
        .ok(200);
    assert_eq!(owner_pending["images"], json!([]));
}

#[tokio::test]
async fn create_sharing_image_is_202_without_body() {
    let fake = fake().await;
    let reply = Call::new(
        &fake,
        &owner(),
        "POST",
        &format!("/v1/images/{SHARED_IMG}/share"),
    )
    .send()
    .await;
    assert_eq!(reply.status, 202);
    assert!(reply.text.is_empty());
    let reply = Call::new(
        &fake,
        &owner(),
        "POST",
        &format!("/v1/images/{QUEUED_IMG}/share"),
    )
    .send()
    .await;
    assert!(reply.uncoded(409).contains("only active images"));
    let reply = Call::new(
        &fake,
        &other(),
        "POST",
        &format!("/v1/images/{SHARED_IMG}/share"),
    )
    .send()
    .await;
    assert!(reply.uncoded(404).starts_with("Image "));
}

#[tokio::test]
async fn unimplemented_method_is_the_observed_invalid_method_400() {
    let fake = fake().await;
    let reply = Call::new(
        &fake,
        &owner(),
        "DELETE",
        &format!("/v1/images/{SHARED_IMG}"),
    )
    .send()
    .await;
    let e = reply.error(400);
    assert_eq!(e["code"], "ContactAdminForAssistance");
    assert_eq!(e["detail"], "Invalid method");
}

// ---- headers and versions ----------------------------------------------------

#[tokio::test]
async fn api_version_header_is_required_and_checked() {
    let fake = fake().await;
    let path = members_path(SHARED_IMG);
    let e = Call::new(&fake, &owner(), "GET", &path)
        .version(None)
        .send()
        .await
        .error(400);
    assert_eq!(e["code"], "ValidationError");
    assert!(e["detail"][0].as_str().unwrap().contains("Scp-Api-Version"));

    for version in [
        "virtualserver 9.9",
        "vpc 1.3",
        "virtualserver",
        "virtualserver v1.3",
        "1.3",
    ] {
        let e = Call::new(&fake, &owner(), "GET", &path)
            .version(Some(version))
            .send()
            .await
            .uncoded(400);
        assert!(e.contains("Unsupported version"), "{version}");
    }
    let e = Call::new(&fake, &owner(), "GET", &path)
        .version(Some("virtualserver 1.0"))
        .send()
        .await
        .error(400);
    assert!(e["detail"].as_str().unwrap().contains("deprecated"));

    // 1.2 and 1.3 are served; the set is configurable.
    Call::new(&fake, &owner(), "GET", &path)
        .version(Some("virtualserver 1.2"))
        .send()
        .await
        .ok(200);
    fake.set_supported_versions(["1.3"]);
    Call::new(&fake, &owner(), "GET", &path)
        .version(Some("virtualserver 1.2"))
        .send()
        .await
        .error(400);

    // Lenient mode: no header means the CURRENT version.
    fake.set_strict_headers(false);
    Call::new(&fake, &owner(), "GET", &path)
        .version(None)
        .send()
        .await
        .ok(200);
    let log = fake.received();
    assert_eq!(log.last().unwrap().api_version, None);
    assert_eq!(log[1].api_version.as_deref(), Some("virtualserver 9.9"));
}

#[tokio::test]
async fn accept_language_is_required_in_strict_mode() {
    let fake = fake().await;
    let mut call = Call::new(&fake, &owner(), "GET", "/v1/images");
    call.accept_language = None;
    assert_eq!(call.send().await.code(400), "ValidationError");
    call.accept_language = Some("ko-KR".into());
    call.send().await.ok(200);
    fake.set_strict_headers(false);
    call.accept_language = None;
    call.send().await.ok(200);
}

// ---- gateway -----------------------------------------------------------------

#[tokio::test]
async fn missing_auth_headers_get_the_gateway_404() {
    let fake = fake().await;
    let path = members_path(SHARED_IMG);
    let mut call = Call::new(&fake, &owner(), "GET", &path);
    call.no_auth = true;
    call.send().await.assert_gateway_404(&path);

    // Each of the four headers missing, and the v1 client type, are refused alike.
    for drop in [
        "Scp-Accesskey",
        "Scp-Signature",
        "Scp-Timestamp",
        "Scp-ClientType",
    ] {
        let call = Call::new(&fake, &owner(), "GET", &path);
        let client = http_client();
        let mut req = client.get(&call.url);
        for (n, v) in call.headers() {
            if n != drop {
                req = req.header(n, v);
            }
        }
        let resp = req.send().await.unwrap();
        assert_eq!(resp.status().as_u16(), 404, "without {drop}");
        let body: Value = serde_json::from_str(&resp.text().await.unwrap()).unwrap();
        assert_eq!(body["error"], "Not Found");
    }
    let mut call = Call::new(&fake, &owner(), "GET", &path);
    call.client_type = Some("OpenApi".into());
    call.send().await.assert_gateway_404(&path);

    // Unknown route under /v1/, even when correctly signed.
    Call::new(&fake, &owner(), "GET", "/v1/volume-types")
        .send()
        .await
        .assert_gateway_404("/v1/volume-types");
    Call::new(&fake, &owner(), "GET", "/v1/images/")
        .send()
        .await
        .assert_gateway_404("/v1/images/");

    let log = fake.received();
    assert!(log.iter().all(|r| r.status == Some(404)));
    assert!(
        log.iter()
            .all(|r| r.error_code.as_deref() == Some("Not Found"))
    );
    assert!(log[..6].iter().all(|r| r.account_id.is_none()));
}

#[tokio::test]
async fn bad_signatures_get_401_hmac_valid_fail() {
    let fake = fake().await;
    let path = "/v1/images?limit=2&visibility=shared";
    let good = Call::new(&fake, &owner(), "GET", path);
    good.send().await.ok(200);

    // Wrong secret.
    let mut call = good.clone();
    call.account.secret_key = "not-the-secret".into();
    call.send().await.assert_hmac_401();
    // Signed without the query, with https, without the port, only the path.
    let base = fake.uri();
    for signed in [
        format!("{base}/v1/images"),
        format!("{base}{path}").replacen("http://", "https://", 1),
        format!("http://127.0.0.1{path}"),
        path.to_owned(),
    ] {
        let mut call = good.clone();
        call.signed_url = Some(signed.clone());
        call.send().await.assert_hmac_401();
    }
    // Lower-case method in the message.
    let mut call = good.clone();
    call.signature = Some(sign(
        &owner().secret_key,
        "get",
        &call.url,
        &call.timestamp,
        &owner().access_key,
        "",
    ));
    call.send().await.assert_hmac_401();
    // URL-safe Base64 of the right MAC.
    let mut call = good.clone();
    let sig = call.signature();
    call.signature = Some(sig.replace('+', "-").replace('/', "_"));
    if call.signature.as_deref() != Some(sig.as_str()) {
        call.send().await.assert_hmac_401();
    }
    // Unknown access key.
    let mut call = good.clone();
    call.account.access_key = "nosuchkey".into();
    call.send().await.assert_hmac_401();
    // Seconds instead of milliseconds.
    let mut call = good.clone();
    call.timestamp = (now_ms() / 1000).to_string();
    call.send().await.assert_hmac_401();
    // Not a number.
    let mut call = good.clone();
    call.timestamp = "2026-01-01T00:00:00Z".into();
    call.send().await.assert_hmac_401();

    let log = fake.received();
    assert_eq!(log[0].account_id.as_deref(), Some(OWNER));
    assert!(log[1..].iter().all(|r| r.status == Some(401)
        && r.error_code.as_deref() == Some("HmacValidFail")
        && r.account_id.is_none()
        && r.request_id.is_none()));
}

#[tokio::test]
async fn the_401_message_shows_the_signed_string() {
    let fake = fake().await;
    let mut call = Call::new(&fake, &owner(), "GET", "/v1/images");
    call.account.secret_key = "wrong".into();
    let reply = call.send().await;
    reply.assert_hmac_401();
    let expected = format!(
        "GET{}/v1/images{}{}Openapi",
        fake.uri(),
        call.timestamp,
        owner().access_key
    );
    assert!(
        reply.json()["message"]
            .as_str()
            .unwrap()
            .contains(&expected),
        "{}",
        reply.text
    );
}

#[tokio::test]
async fn timestamp_window_and_clock_offset() {
    let fake = fake().await;
    let call = Call::new(&fake, &owner(), "GET", "/v1/images");
    call.send().await.ok(200);
    // Four minutes of skew is fine, ten is not.
    let mut skewed = call.clone();
    skewed.timestamp = (now_ms() - 4 * 60_000).to_string();
    skewed.send().await.ok(200);
    skewed.timestamp = (now_ms() + 10 * 60_000).to_string();
    skewed.send().await.assert_hmac_401();
    // Move the fake's clock instead.
    fake.set_clock_offset_secs(3600).unwrap();
    Call::new(&fake, &owner(), "GET", "/v1/images")
        .send()
        .await
        .assert_hmac_401();
    let mut ahead = Call::new(&fake, &owner(), "GET", "/v1/images");
    ahead.timestamp = (now_ms() + 3_600_000).to_string();
    ahead.send().await.ok(200);
    // Timestamps of new members use the fake's clock.
    let mut added = Call::new(&fake, &owner(), "POST", &members_path(SHARED_IMG))
        .json(json!({ "member_id": RECIPIENT }));
    added.timestamp = (now_ms() + 3_600_000).to_string();
    let member = added.send().await.ok(200);
    let created = time::OffsetDateTime::parse(
        member["created_at"].as_str().unwrap(),
        &time::format_description::well_known::Rfc3339,
    )
    .unwrap();
    let expected = now_ms() / 1000 + 3600;
    assert!((created.unix_timestamp() - expected).abs() <= 5, "{member}");
    // No window at all.
    fake.set_timestamp_window(None);
    let mut old = Call::new(&fake, &owner(), "GET", "/v1/images");
    old.timestamp = "1605290625682".into();
    old.send().await.ok(200);
    fake.set_timestamp_window(Some(Duration::from_secs(1)));
    skewed.timestamp = (now_ms() + 3_600_000 + 5_000).to_string();
    skewed.send().await.assert_hmac_401();
}

#[tokio::test]
async fn account_id_header_variant_of_the_official_sdk() {
    let fake = fake().await;
    let mut call = Call::new(&fake, &owner(), "GET", "/v1/images");
    call.account_id_header = Some(OWNER.into());
    call.sign_account_id = true;
    call.send().await.ok(200);
    // Sent but not signed → mismatch.
    call.sign_account_id = false;
    call.send().await.assert_hmac_401();
    // Another account's id.
    call.account_id_header = Some(RECIPIENT.into());
    call.sign_account_id = true;
    call.send().await.assert_hmac_401();
    // An empty header is ignored (what the Terraform provider sends).
    call.account_id_header = Some(String::new());
    call.sign_account_id = false;
    call.send().await.ok(200);
}

#[tokio::test]
async fn header_names_are_case_insensitive() {
    let fake = fake().await;
    let call = Call::new(&fake, &owner(), "GET", "/v1/images");
    let client = http_client();
    let mut req = client.get(&call.url);
    for (n, v) in call.headers() {
        let n = match n.as_str() {
            "Scp-Accesskey" => "Scp-AccessKey".to_owned(),
            "Scp-Api-Version" => "Scp-API-Version".to_owned(),
            _ => n.to_lowercase(),
        };
        req = req.header(n, v);
    }
    assert_eq!(req.send().await.unwrap().status().as_u16(), 200);
}

// ---- faults ------------------------------------------------------------------

fn list(fake: &ScpFake) -> Call {
    Call::new(fake, &owner(), "GET", "/v1/images")
}

#[tokio::test]
async fn status_and_html_faults() {
    let fake = fake().await;
    fake.inject(Fault::Status(503), 1);
    fake.inject(Fault::Html502, 1);
    let reply = list(&fake).send().await;
    assert_eq!(reply.status, 503);
    assert!(reply.content_type.starts_with("text/plain"));
    let reply = list(&fake).send().await;
    assert_eq!(reply.status, 502);
    assert_eq!(reply.content_type, "text/html");
    assert!(reply.text.contains("502 Bad Gateway"));
    list(&fake).send().await.ok(200);
    let log = fake.received();
    assert_eq!(log[0].fault, Some(Fault::Status(503)));
    assert_eq!(log[0].status, Some(503));
    assert_eq!(log[0].account_id, None);
    assert_eq!(log[2].fault, None);
}

#[tokio::test]
async fn throttle_internal_error_waf_and_malformed() {
    let fake = fake().await;
    fake.inject(ScpFault::Throttle, 1);
    fake.inject(ScpFault::InternalError, 1);
    fake.inject(ScpFault::WafBlock, 1);
    fake.inject(ScpFault::MalformedBody, 1);
    let e = list(&fake).send().await.uncoded(429);
    assert!(e.contains("Too many requests"), "{e}");
    let e = list(&fake).send().await.error(500);
    assert_eq!(e["code"], "ContactAdminForAssistance");
    assert!(e["detail"].is_string(), "detail is a string here");
    let reply = list(&fake).send().await;
    assert_eq!(reply.status, 417);
    assert!(reply.text.contains("Request Rejected") && reply.text.contains("Support ID"));
    let reply = list(&fake).send().await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.content_type, "application/json");
    assert!(serde_json::from_str::<Value>(&reply.text).is_err());
    let codes: Vec<_> = fake
        .received()
        .iter()
        .map(|r| r.error_code.clone())
        .collect();
    assert_eq!(
        codes,
        [None, Some("ContactAdminForAssistance".into()), None, None]
    );
}

#[tokio::test]
async fn drop_connection_and_delay() {
    let fake = fake().await;
    fake.inject(Fault::DropConnection, 1);
    let err = list(&fake)
        .try_send()
        .await
        .expect_err("no response expected");
    assert!(err.status().is_none(), "{err:?}");
    list(&fake).send().await.ok(200);
    let log = fake.received();
    assert_eq!(log[0].fault, Some(Fault::DropConnection));
    assert_eq!(log[0].status, None);
    assert_eq!(log[0].path, "/v1/images");

    fake.inject(Fault::Delay(Duration::from_millis(300)), 1);
    let started = Instant::now();
    list(&fake).send().await.ok(200);
    assert!(started.elapsed() >= Duration::from_millis(300));
    let last = fake.received().pop().unwrap();
    assert_eq!(last.account_id.as_deref(), Some(OWNER));
    assert_eq!(last.status, Some(200));
}

// ---- log, seed, mounting -------------------------------------------------------

#[tokio::test]
async fn received_log_records_each_request() {
    let fake = fake().await;
    add(&fake, SHARED_IMG, RECIPIENT).await.ok(200);
    let refused = add(&fake, SHARED_IMG, RECIPIENT).await.error(409);
    Call::new(&fake, &owner(), "GET", "/v1/images?limit=1")
        .send()
        .await
        .ok(200);
    let log = fake.received();
    assert_eq!(fake.request_count(), 3);
    assert_eq!(log[0].method, "POST");
    assert_eq!(log[0].path, members_path(SHARED_IMG));
    assert_eq!(log[0].account_id.as_deref(), Some(OWNER));
    assert_eq!(log[0].status, Some(200));
    assert_eq!(log[0].error_code, None);
    assert!(log[0].body.contains(RECIPIENT));
    assert_eq!(log[1].status, Some(409));
    // A documented-by-status 409 carries no code to record.
    assert_eq!(log[1].error_code, None);
    // The envelope's `request_id` (not `global_request_id`); a success answers none.
    assert_eq!(log[1].request_id.as_deref(), refused["request_id"].as_str());
    assert!(log[1].request_id.is_some());
    assert_eq!((&log[0].request_id, &log[2].request_id), (&None, &None));
    assert_eq!(log[2].query.as_deref(), Some("limit=1"));
    assert_eq!(log[2].api_version.as_deref(), Some("virtualserver 1.3"));
}

#[tokio::test]
async fn seed_round_trips_through_json() {
    let mut seed = seed();
    seed.members
        .push(ScpMember::new(SHARED_IMG, RECIPIENT).with_status(ScpMemberStatus::Accepted));
    let fake = ScpFake::start_with_seed(seed).await;
    let listed = Call::new(&fake, &recipient(), "GET", "/v1/images")
        .send()
        .await
        .ok(200);
    assert_eq!(ids(&listed), [SHARED_IMG]);
    let json = serde_json::to_string(&fake.seed()).unwrap();
    let back = ScpSeed::from_json_str(&json).unwrap();
    assert_eq!(back, fake.seed());
    assert!(!format!("{:?}", owner()).contains("test-secret-owner"));
}

#[tokio::test]
async fn demo_seed_is_usable() {
    let seed = ScpSeed::demo();
    let fake = ScpFake::start_with_seed(seed.clone()).await;
    let owner = seed.accounts[0].clone();
    let recipient = seed.accounts[1].clone();
    let page = Call::new(&fake, &owner, "GET", "/v1/images")
        .send()
        .await
        .ok(200);
    assert_eq!(ids(&page).len(), 3);
    let image = &seed.images[0].id;
    Call::new(&fake, &owner, "POST", &members_path(image))
        .json(json!({ "member_id": recipient.account_id }))
        .send()
        .await
        .ok(200);
    let pending = Call::new(&fake, &recipient, "GET", "/v1/pending-images")
        .send()
        .await
        .ok(200);
    assert_eq!(ids(&pending), [image.as_str()]);
}

#[tokio::test]
async fn mount_on_a_shared_server_claims_only_v1_paths() {
    use wiremock::matchers::{method, path};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    let server = MockServer::start().await;
    // Stand-ins for the Tencent (`POST /`) and NCP fakes.
    Mock::given(method("POST"))
        .and(path("/"))
        .respond_with(ResponseTemplate::new(200).set_body_string("tencent"))
        .with_priority(2)
        .mount(&server)
        .await;
    Mock::given(path("/vserver/v2/getMemberServerImageInstanceList"))
        .respond_with(ResponseTemplate::new(200).set_body_string("ncp"))
        .mount(&server)
        .await;
    let fake = ScpFake::mount_on(&server, seed()).await;
    assert_eq!(fake.uri(), server.uri());

    // A pending drop fault is not consumed by other providers' requests.
    fake.inject(Fault::DropConnection, 1);
    let client = http_client();
    let tencent = client
        .post(format!("{}/", server.uri()))
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(tencent.text().await.unwrap(), "tencent");
    let ncp = client
        .get(format!(
            "{}/vserver/v2/getMemberServerImageInstanceList",
            server.uri()
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(ncp.text().await.unwrap(), "ncp");
    assert_eq!(fake.request_count(), 0);

    assert!(list(&fake).try_send().await.is_err());
    list(&fake).send().await.ok(200);
    add(&fake, SHARED_IMG, RECIPIENT).await.ok(200);
    assert_eq!(fake.request_count(), 3);
    drop(fake);
    drop(server);
}
