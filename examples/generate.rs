//! Writes one generated scenario (`attunement::generate::scenario`, seed 1,
//! `Shape::new(N)`: the plain shape `cargo bench` measures) into a folder, for
//! `benches/vs-inkjs.mjs`, which compares the learner's engine with inkjs on it:
//!
//!     cargo run --release --example generate -- N OUT_DIR
//!
//! It writes `OUT_DIR/gen-N.toml`, the scenario as authors write it (the bench
//! compiles it with `attunement compile`), and `OUT_DIR/gen-N.tree.json`, the
//! same TOML read as a plain tree, from which the bench writes the ink source.
//! Both come from the one text, so the two engines get the same graph.

use std::process::ExitCode;

use attunement::generate::{self, Shape};

/// The seed of `benches/engine.rs`, so both benchmarks measure the same graphs.
const SEED: u64 = 1;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [n, dir] = &args[..] else {
        eprintln!("usage: generate N OUT_DIR");
        return ExitCode::from(2);
    };
    let Ok(n) = n.parse::<usize>() else {
        eprintln!("generate: `{n}` is not a number of nodes");
        return ExitCode::from(2);
    };
    let toml = generate::scenario(SEED, &Shape::new(n));
    let tree: serde_json::Value = match toml::from_str(&toml) {
        Ok(tree) => tree,
        Err(e) => {
            eprintln!("generate: the generated scenario is not TOML: {e}");
            return ExitCode::FAILURE;
        }
    };
    if let Err(e) = std::fs::create_dir_all(dir) {
        eprintln!("generate: cannot create `{dir}`: {e}");
        return ExitCode::from(2);
    }
    let dir = std::path::Path::new(dir);
    for (path, text) in [
        (dir.join(format!("gen-{n}.toml")), toml),
        (dir.join(format!("gen-{n}.tree.json")), tree.to_string()),
    ] {
        if let Err(e) = std::fs::write(&path, text) {
            eprintln!("generate: cannot write `{}`: {e}", path.display());
            return ExitCode::from(2);
        }
    }
    ExitCode::SUCCESS
}
