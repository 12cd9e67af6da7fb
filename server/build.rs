// The migrations are embedded at compile time (`sqlx::migrate!` in `db.rs`): a new or
// changed file under `migrations/` must rebuild the server, or it would start without it.
fn main() {
    println!("cargo:rerun-if-changed=../migrations");
}
