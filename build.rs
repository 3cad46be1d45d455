//! `sqlx::migrate!` embeds `migrations/` at compile time; this tells cargo
//! to build again when a migration is added or changed, as sqlx's manual
//! asks, even when no Rust file changed.
fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
