//! Writes the hostile files of `attunement::generate::hostile` into a folder,
//! for `scripts/hostile.sh`, which times the browser engines on them.
//!
//!     cargo run --release --example hostile -- OUT_DIR

fn main() -> std::process::ExitCode {
    let Some(dir) = std::env::args().nth(1) else {
        eprintln!("usage: hostile OUT_DIR");
        return std::process::ExitCode::from(2);
    };
    if let Err(e) = std::fs::create_dir_all(&dir) {
        eprintln!("hostile: cannot create `{dir}`: {e}");
        return std::process::ExitCode::from(2);
    }
    for (name, text) in attunement::generate::hostile::all() {
        let path = std::path::Path::new(&dir).join(name);
        if let Err(e) = std::fs::write(&path, text) {
            eprintln!("hostile: cannot write `{}`: {e}", path.display());
            return std::process::ExitCode::from(2);
        }
    }
    std::process::ExitCode::SUCCESS
}
