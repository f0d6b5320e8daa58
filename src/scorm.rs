//! SCORM packages: a scenario and the learner's widget in one zip that a course site (Moodle,
//! Canvas, any LMS) imports as a single activity.
//!
//! A package holds `imsmanifest.xml` at its root, the widget's files (the names in
//! [`WIDGET_FILES`], read from `www/` by the caller), the compiled scenario at
//! `scenarios/ID.attn`, and `scorm.json`, the small config that the launch page `scorm.html`
//! reads (scenario id, mode, SCORM version). At run time `lms/scorm.js` talks to the LMS.
//!
//! This module is pure, like the engine: bytes in, bytes out. The CLI reads the files and writes
//! the zip. Invariants: the manifest lists every file of the package (bar itself), every text in
//! it is XML-escaped, and the zip is deterministic: stored entries (no compression), sorted by
//! name, with a fixed timestamp (1980-01-01 00:00), so the same inputs give the same bytes.

use crate::engine::session::Mode;
use crate::scenario::Scenario;

/// The widget's files that a package carries, as paths inside `www/` and inside the zip.
/// `pkg/` is the learner's engine, `scorm.js` the launch page's module with the widget bundled in
/// (of `www/pages/scorm.js` and `www/widget/`) and `attunement.css` the minified styles, all built
/// by `bash scripts/build-web.sh`.
pub const WIDGET_FILES: [&str; 7] = [
    "attunement.css",
    "favicon.svg",
    "lms/scorm.js",
    "pkg/attunement.js",
    "pkg/attunement_bg.wasm",
    "scorm.html",
    "scorm.js",
];

/// Whether a file of [`WIDGET_FILES`] is made by `bash scripts/build-web.sh` (and so is missing
/// until the widget is built), not written by hand.
pub fn is_built(name: &str) -> bool {
    name.starts_with("pkg/") || name == "scorm.js" || name == "attunement.css"
}

/// The page the LMS launches.
pub const LAUNCH: &str = "scorm.html";

/// The config the launch page reads.
pub const CONFIG: &str = "scorm.json";

/// The SCORM edition a package targets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Version {
    /// SCORM 1.2: `window.API`, `cmi.core.*`, `suspend_data` up to 4,096 characters.
    Scorm12,
    /// SCORM 2004 4th edition: `window.API_1484_11`, `suspend_data` up to 64,000 characters.
    Scorm2004,
}

impl Version {
    pub fn from_id(id: &str) -> Option<Version> {
        match id {
            "1.2" => Some(Version::Scorm12),
            "2004" => Some(Version::Scorm2004),
            _ => None,
        }
    }

    /// The id used on the command line and in `scorm.json`: `1.2` or `2004`.
    pub fn id(self) -> &'static str {
        match self {
            Version::Scorm12 => "1.2",
            Version::Scorm2004 => "2004",
        }
    }
}

/// Builds the package: the zip's bytes. `compiled` is the scenario's compiled form
/// ([`crate::checking::compile`]); `widget` holds each of [`WIDGET_FILES`] with its contents.
pub fn package(scenario: &Scenario, compiled: &[u8], mode: Mode, version: Version, widget: &[(&str, Vec<u8>)]) -> Vec<u8> {
    let config = serde_json::json!({ "scenario": scenario.meta().id, "mode": mode.id(), "scorm": version.id() });
    let mut files: Vec<(String, Vec<u8>)> = widget.iter().map(|(name, bytes)| (name.to_string(), bytes.clone())).collect();
    files.push((format!("scenarios/{}.{}", scenario.meta().id, crate::compiled::EXTENSION), compiled.to_vec()));
    files.push((CONFIG.to_string(), format!("{config}\n").into_bytes()));
    let names: Vec<&str> = files.iter().map(|(name, _)| name.as_str()).collect();
    let manifest = manifest(scenario, version, &names);
    files.push(("imsmanifest.xml".to_string(), manifest.into_bytes()));
    zip(files)
}

/// The `imsmanifest.xml` of a package whose files (besides the manifest) are `files`:
/// one organization with one item, and one SCO resource launched at [`LAUNCH`].
pub fn manifest(scenario: &Scenario, version: Version, files: &[&str]) -> String {
    let id = &scenario.meta().id;
    let title = xml_escape(&scenario.meta().title);
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    match version {
        Version::Scorm12 => out.push_str(&format!(
            "<manifest identifier=\"attunement-{id}\" version=\"1\"\n  \
             xmlns=\"http://www.imsproject.org/xsd/imscp_rootv1p1p2\"\n  \
             xmlns:adlcp=\"http://www.adlnet.org/xsd/adlcp_rootv1p2\">\n  \
             <metadata>\n    <schema>ADL SCORM</schema>\n    <schemaversion>1.2</schemaversion>\n  </metadata>\n  \
             <organizations default=\"org-{id}\">\n    \
             <organization identifier=\"org-{id}\">\n      <title>{title}</title>\n      \
             <item identifier=\"item-{id}\" identifierref=\"sco-{id}\" isvisible=\"true\">\n        <title>{title}</title>\n      </item>\n    \
             </organization>\n  </organizations>\n  <resources>\n    \
             <resource identifier=\"sco-{id}\" type=\"webcontent\" adlcp:scormtype=\"sco\" href=\"{LAUNCH}\">\n"
        )),
        // The item's sequencing leaves completion and success to the content: it reports them.
        Version::Scorm2004 => out.push_str(&format!(
            "<manifest identifier=\"attunement-{id}\" version=\"1\"\n  \
             xmlns=\"http://www.imsglobal.org/xsd/imscp_v1p1\"\n  \
             xmlns:adlcp=\"http://www.adlnet.org/xsd/adlcp_v1p3\"\n  \
             xmlns:adlseq=\"http://www.adlnet.org/xsd/adlseq_v1p3\"\n  \
             xmlns:adlnav=\"http://www.adlnet.org/xsd/adlnav_v1p3\"\n  \
             xmlns:imsss=\"http://www.imsglobal.org/xsd/imsss\">\n  \
             <metadata>\n    <schema>ADL SCORM</schema>\n    <schemaversion>2004 4th Edition</schemaversion>\n  </metadata>\n  \
             <organizations default=\"org-{id}\">\n    \
             <organization identifier=\"org-{id}\">\n      <title>{title}</title>\n      \
             <item identifier=\"item-{id}\" identifierref=\"sco-{id}\" isvisible=\"true\">\n        <title>{title}</title>\n        \
             <imsss:sequencing>\n          \
             <imsss:deliveryControls completionSetByContent=\"true\" objectiveSetByContent=\"true\"/>\n        \
             </imsss:sequencing>\n      </item>\n    \
             </organization>\n  </organizations>\n  <resources>\n    \
             <resource identifier=\"sco-{id}\" type=\"webcontent\" adlcp:scormType=\"sco\" href=\"{LAUNCH}\">\n"
        )),
    }
    for file in files {
        out.push_str(&format!("      <file href=\"{}\"/>\n", xml_escape(file)));
    }
    out.push_str("    </resource>\n  </resources>\n</manifest>\n");
    out
}

/// Escapes text for XML content and attribute values, and drops the control characters
/// that XML 1.0 cannot carry at all.
pub fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}' => {}
            c => out.push(c),
        }
    }
    out
}

/// Writes a zip of `files`: stored (no compression), sorted by name, each with the fixed
/// timestamp 1980-01-01 00:00, then the central directory and the end record. Names are
/// marked UTF-8. A package is far under the 4 GiB and 65,535 entries of a zip without Zip64.
pub fn zip(mut files: Vec<(String, Vec<u8>)>) -> Vec<u8> {
    files.sort_by(|a, b| a.0.cmp(&b.0));
    const TIME: u16 = 0; // 00:00:00
    const DATE: u16 = (1 << 5) | 1; // 1980-01-01: years since 1980, month, day
    const UTF8: u16 = 1 << 11;
    const STORED: u16 = 0;
    const NEEDS: u16 = 10; // version 1.0: stored entries, nothing more
    let u32_of = |n: usize| u32::try_from(n).expect("a package is far smaller than 4 GiB");
    let mut out = Vec::new();
    let mut central = Vec::new();
    for (name, data) in &files {
        let offset = u32_of(out.len());
        let (crc, size, name_len) = (crc32(data), u32_of(data.len()), u16::try_from(name.len()).expect("a file name is short"));
        // Local file header.
        put32(&mut out, 0x0403_4b50);
        for v in [NEEDS, UTF8, STORED, TIME, DATE] {
            put16(&mut out, v);
        }
        for v in [crc, size, size] {
            put32(&mut out, v);
        }
        put16(&mut out, name_len);
        put16(&mut out, 0); // no extra field
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(data);
        // Its central directory record.
        put32(&mut central, 0x0201_4b50);
        // Made by: MS-DOS attributes (none set), zip specification 2.0.
        for v in [20, NEEDS, UTF8, STORED, TIME, DATE] {
            put16(&mut central, v);
        }
        for v in [crc, size, size] {
            put32(&mut central, v);
        }
        for v in [name_len, 0, 0, 0, 0] {
            put16(&mut central, v); // name, extra, comment lengths, disk, internal attributes
        }
        put32(&mut central, 0); // external attributes
        put32(&mut central, offset);
        central.extend_from_slice(name.as_bytes());
    }
    let (start, length) = (u32_of(out.len()), u32_of(central.len()));
    let count = u16::try_from(files.len()).expect("a package has few files");
    out.extend_from_slice(&central);
    // End of central directory record.
    put32(&mut out, 0x0605_4b50);
    for v in [0, 0, count, count] {
        put16(&mut out, v);
    }
    put32(&mut out, length);
    put32(&mut out, start);
    put16(&mut out, 0); // no comment
    out
}

/// CRC-32 (IEEE 802.3, reflected, as zip uses it).
pub fn crc32(data: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in data {
        crc = CRC_TABLE[((crc ^ u32::from(b)) & 0xff) as usize] ^ (crc >> 8);
    }
    !crc
}

const CRC_TABLE: [u32; 256] = {
    let mut table = [0u32; 256];
    let mut i = 0;
    while i < 256 {
        let mut c = i as u32;
        let mut k = 0;
        while k < 8 {
            c = if c & 1 != 0 { 0xedb8_8320 ^ (c >> 1) } else { c >> 1 };
            k += 1;
        }
        table[i] = c;
        i += 1;
    }
    table
};

fn put16(out: &mut Vec<u8>, v: u16) {
    out.extend_from_slice(&v.to_le_bytes());
}

fn put32(out: &mut Vec<u8>, v: u32) {
    out.extend_from_slice(&v.to_le_bytes());
}
