//! The operations, each declared once with `imgshare_core::declare_operation!`.

pub mod describe_images;
pub mod describe_share_permission;
pub mod share;
