//! How the reply coder's settings were chosen, without looking at the held-out split: trains on
//! three quarters of the training split and prints macro-F1 on the other quarter (a development
//! split, by a second hash) and on the challenge set, for each combination given.
//!
//!     cargo run --release --example coder_tune -- BITS EPOCHS RATES
//!     cargo run --release --example coder_tune -- 11,12,13 30 0.2,0.5

use attunement::coder::train::{Example, Settings, Split, evaluate, read_dir, train};
use attunement::hash::Fnv;

fn list<T: std::str::FromStr>(arg: Option<&String>, default: &str) -> Vec<T> {
    arg.map_or(default, String::as_str).split(',').map(|v| v.parse().unwrap_or_else(|_| panic!("`{v}` is not a number"))).collect()
}

fn main() {
    let read = |dir: &str| read_dir(dir.as_ref()).unwrap_or_else(|problems| panic!("{}", problems.join("\n")));
    let in_dev = |e: &Example| Fnv::default().str(&e.text).str("dev").finish() % 4 == 0;
    let (dev, fit): (Vec<_>, Vec<_>) = read("data/replies").into_iter().filter(|e| e.split() == Split::Train).partition(in_dev);
    let challenge = read("data/challenge");
    let args: Vec<String> = std::env::args().skip(1).collect();
    for bits in list::<u8>(args.first(), "12") {
        for epochs in list::<usize>(args.get(1), "30") {
            for rate in list::<f64>(args.get(2), "0.2") {
                let coder = train(&fit, Settings { bits, epochs, rate, ..Settings::default() });
                println!(
                    "bits {bits} epochs {epochs} rate {rate}: development macro-F1 {:.3}, challenge {:.3}, {} bytes",
                    evaluate(&coder, &dev).macro_f1(),
                    evaluate(&coder, &challenge).macro_f1(),
                    coder.write().len()
                );
            }
        }
    }
}
