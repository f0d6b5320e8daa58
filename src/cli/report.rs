//! `attunement report`: a cohort's figures for one scenario, read from a
//! learning record store with the xAPI statements API, page by page, and
//! aggregated by [`attunement::report`] as the trainer's page does.

use std::process::ExitCode;
use std::time::Duration;

use attunement::report::{Cohort, Options};

use super::Problem;

/// The most one page of statements may be: far above any store's page.
const MAX_PAGE_BYTES: u64 = 256 * 1024 * 1024;
/// How long one request may take.
const TIMEOUT: Duration = Duration::from_secs(60);

pub enum Output {
    Text,
    Json,
    Csv(&'static str),
}

/// An activity IRI as given, or a scenario id made into the widget's default IRI.
pub fn activity(given: &str) -> String {
    if given.contains(':') { given.to_string() } else { format!("https://attunement.invalid/scenarios/{given}") }
}

/// Where the credentials come from when `--auth` is not given, so they need not
/// be in the process list or the shell's history.
pub const AUTH_VARIABLE: &str = "ATTUNEMENT_REPORT_AUTH";

pub fn run(options: Options, auth: Option<String>, scenario: Option<&str>, pseudonymise: bool, output: Output) -> Result<ExitCode, Problem> {
    let Some(auth) = auth.or_else(|| std::env::var(AUTH_VARIABLE).ok()).filter(|a| !a.is_empty()) else {
        return Err(Problem(format!("the store's credentials are missing: give --auth USER:PASS, or set {AUTH_VARIABLE}=USER:PASS")));
    };
    let Some((user, _)) = auth.split_once(':') else {
        return Err(Problem("--auth takes USER:PASS, the store's HTTP Basic credentials (give the report read-only ones)".into()));
    };
    if user.is_empty() {
        return Err(Problem("--auth takes USER:PASS: the user name is empty".into()));
    }
    let header = format!("Basic {}", base64(auth.as_bytes()));
    let mut cohort = Cohort::new(options).map_err(Problem)?;
    if let Some(path) = scenario {
        let bytes = std::fs::read(path).map_err(|e| Problem::io("read", std::path::Path::new(path), e))?;
        let playable = attunement::compiled::read(&bytes).map_err(|e| Problem(format!("{path}: {e} (--scenario takes a compiled scenario, from `attunement compile`)")))?;
        cohort.set_scenario(playable);
    }
    let agent: ureq::Agent = ureq::Agent::config_builder().timeout_global(Some(TIMEOUT)).http_status_as_error(false).build().into();
    let mut next = Some(cohort.url().to_string());
    let mut pages = 0;
    while let Some(url) = next {
        let mut response = agent
            .get(&url)
            .header("Authorization", &header)
            .header("X-Experience-API-Version", "1.0.3")
            .header("Accept", "application/json")
            .call()
            .map_err(|e| Problem(format!("cannot reach the store at {url}: {e}")))?;
        let status = response.status().as_u16();
        let body = response.body_mut().with_config().limit(MAX_PAGE_BYTES).read_to_string().map_err(|e| Problem(format!("cannot read the store's answer from {url}: {e}")))?;
        match status {
            200 => {}
            401 | 403 => return Err(Problem(format!("the store refused the credentials ({status}) at {url}: check --auth, and that the user may read statements"))),
            404 => return Err(Problem(format!("the store answered 404 at {url}: is --endpoint the statements API's base (it ends in /xAPI/ on most stores)?"))),
            _ => return Err(Problem(format!("the store answered {status} at {url}: {}", body.chars().take(300).collect::<String>()))),
        }
        next = cohort.add_page(&body).map_err(|e| Problem(format!("{url}: {e}")))?;
        pages += 1;
    }
    let report = cohort.report(pseudonymise);
    match output {
        Output::Text => {
            out!("{}", report.text());
            outln!("({} statements in {pages} page{})", report.statements, super::plural(pages));
        }
        Output::Json => dataln!("{}", serde_json::to_string_pretty(&report).map_err(|e| Problem(e.to_string()))?),
        // Data for spreadsheets, byte for byte: CSV's line ends are CRLF.
        Output::Csv(what) => {
            let _ = std::io::Write::write_all(&mut std::io::stdout(), cohort.csv(what, pseudonymise).map_err(Problem)?.as_bytes());
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Standard base64 with padding (RFC 4648), for the Basic credentials.
fn base64(bytes: &[u8]) -> String {
    const ABC: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, &b)| n | u32::from(b) << (16 - 8 * i));
        for i in 0..4 {
            out.push(if i <= chunk.len() { ABC[(n >> (18 - 6 * i) & 63) as usize] as char } else { '=' });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn base64_pads_as_rfc_4648_says() {
        assert_eq!(super::base64(b"learner:secret123"), "bGVhcm5lcjpzZWNyZXQxMjM=");
        assert_eq!(super::base64(b"ab"), "YWI=");
        assert_eq!(super::base64(b"abc"), "YWJj");
    }
}
