//! SCORM packages, built by the CLI (`attunement scorm`) and read back with a minimal zip reader
//! written here, independent of the writer (a bitwise CRC-32, the headers parsed field by field).
//!
//! The packages are built from a stand-in `www/` in a temporary folder (`ATTUNEMENT_WWW`): the
//! real hand-written widget files, and stand-ins for the generated engine in `pkg/`, the
//! launch page's bundle `scorm.js` and the minified `attunement.css`, so these tests need no browser build. tests/e2e/scorm.test.mjs runs a package built from the real
//! www/ in Chromium.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use attunement::scorm::{WIDGET_FILES, crc32, is_built, xml_escape};

const SCENARIO: &str = "scenarios/first-meeting.toml";
/// Stand-in for the learner's engine: a wasm header and every byte value, so binary data
/// (not UTF-8) goes through the package untouched.
fn stand_in_wasm() -> Vec<u8> {
    let mut bytes = b"\0asm\x01\0\0\0".to_vec();
    bytes.extend(0..=255u8);
    bytes
}

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// A fresh temporary folder for one test.
fn temp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("attunement-scorm-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("the temporary folder can be created");
    dir
}

/// A www/ folder with the real widget files and, when `engine`, stand-ins for the built files (scorm::is_built).
fn www(dir: &Path, engine: bool) -> PathBuf {
    let www = dir.join("www");
    for name in WIDGET_FILES {
        let target = www.join(name);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        if is_built(name) {
            if engine {
                let bytes = if name.ends_with(".wasm") { stand_in_wasm() } else { format!("// stand-in for the built {name}\n").into_bytes() };
                std::fs::write(&target, bytes).unwrap();
            }
        } else {
            std::fs::copy(root().join("www").join(name), &target).unwrap_or_else(|e| panic!("www/{name} is copied: {e}"));
        }
    }
    www
}

fn scorm(www: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_attunement"))
        .arg("scorm")
        .args(args)
        .env("ATTUNEMENT_WWW", www)
        .current_dir(root())
        .output()
        .expect("the attunement binary runs")
}

/// Builds a package of `scenario` and returns the zip's bytes.
fn build(dir: &Path, scenario: &str, version: Option<&str>) -> Vec<u8> {
    let www = www(dir, true);
    let zip = dir.join("package.zip");
    let mut args = vec![scenario, "-o", zip.to_str().unwrap()];
    if let Some(v) = version {
        args.extend(["--version", v]);
    }
    let out = scorm(&www, &args);
    assert!(out.status.success(), "attunement scorm failed: {}", String::from_utf8_lossy(&out.stderr));
    std::fs::read(&zip).expect("the package was written")
}

// ---------------------------------------------------------------- a minimal zip reader

struct Entry {
    name: String,
    data: Vec<u8>,
    time: u16,
    date: u16,
}

fn u16_at(b: &[u8], at: usize) -> u16 {
    u16::from_le_bytes([b[at], b[at + 1]])
}

fn u32_at(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}

/// CRC-32 bit by bit, independent of the table the writer uses.
fn crc_bitwise(data: &[u8]) -> u32 {
    let mut crc = 0xffff_ffffu32;
    for &byte in data {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 { (crc >> 1) ^ 0xedb8_8320 } else { crc >> 1 };
        }
    }
    !crc
}

/// Reads every entry through the central directory, checking each local header against it,
/// that the data is stored, that its CRC-32 verifies, and that nothing is left over.
fn read_zip(zip: &[u8]) -> Vec<Entry> {
    let end = zip.len() - 22;
    assert_eq!(u32_at(zip, end), 0x0605_4b50, "the zip ends with an end-of-central-directory record and no comment");
    let (count, total) = (u16_at(zip, end + 8) as usize, u16_at(zip, end + 10) as usize);
    assert_eq!(count, total, "one disk");
    let (size, start) = (u32_at(zip, end + 12) as usize, u32_at(zip, end + 16) as usize);
    assert_eq!(start + size, end, "the central directory sits just before the end record");
    let (mut at, mut entries, mut next_local) = (start, Vec::new(), 0);
    for _ in 0..count {
        assert_eq!(u32_at(zip, at), 0x0201_4b50, "a central directory record at {at}");
        let (flags, method, time, date) = (u16_at(zip, at + 8), u16_at(zip, at + 10), u16_at(zip, at + 12), u16_at(zip, at + 14));
        let (crc, packed, plain) = (u32_at(zip, at + 16), u32_at(zip, at + 20) as usize, u32_at(zip, at + 24) as usize);
        let (name_len, extra, comment) = (u16_at(zip, at + 28) as usize, u16_at(zip, at + 30) as usize, u16_at(zip, at + 32) as usize);
        let offset = u32_at(zip, at + 42) as usize;
        let name = String::from_utf8(zip[at + 46..at + 46 + name_len].to_vec()).expect("names are UTF-8");
        at += 46 + name_len + extra + comment;
        assert_eq!(method, 0, "{name} is stored, not compressed");
        assert_eq!(packed, plain, "{name}: a stored entry's sizes agree");
        assert_eq!(flags & 0x0008, 0, "{name}: sizes are in the header, no data descriptor");
        // The local header repeats what the central directory says.
        assert_eq!(offset, next_local, "{name}: entries follow each other with nothing between");
        assert_eq!(u32_at(zip, offset), 0x0403_4b50, "{name}: a local file header");
        assert_eq!(u16_at(zip, offset + 6), flags, "{name}: local flags");
        assert_eq!(u16_at(zip, offset + 8), method, "{name}: local method");
        assert_eq!((u16_at(zip, offset + 10), u16_at(zip, offset + 12)), (time, date), "{name}: local timestamp");
        assert_eq!(u32_at(zip, offset + 14), crc, "{name}: local CRC");
        assert_eq!((u32_at(zip, offset + 18) as usize, u32_at(zip, offset + 22) as usize), (packed, plain), "{name}: local sizes");
        let local_name = u16_at(zip, offset + 26) as usize;
        assert_eq!(&zip[offset + 30..offset + 30 + local_name], name.as_bytes(), "{name}: local name");
        let data_at = offset + 30 + local_name + u16_at(zip, offset + 28) as usize;
        let data = zip[data_at..data_at + plain].to_vec();
        assert_eq!(crc_bitwise(&data), crc, "{name}: the CRC-32 verifies");
        next_local = data_at + plain;
        entries.push(Entry { name, data, time, date });
    }
    assert_eq!(at, end, "the central directory holds exactly {count} records");
    assert_eq!(next_local, start, "the central directory follows the last entry");
    entries
}

fn entry<'a>(entries: &'a [Entry], name: &str) -> &'a Entry {
    entries.iter().find(|e| e.name == name).unwrap_or_else(|| panic!("{name} is in the package"))
}

fn text(entries: &[Entry], name: &str) -> String {
    String::from_utf8(entry(entries, name).data.clone()).expect("UTF-8")
}

/// The `href` of every `<file>` in the manifest.
fn listed(manifest: &str) -> Vec<String> {
    manifest.split("<file href=\"").skip(1).map(|rest| rest.split('"').next().unwrap().to_string()).collect()
}

/// Checks the parts of a package that do not depend on the SCORM edition; returns the entries.
fn check_package(zip: &[u8], version: &str, dir: &Path) -> Vec<Entry> {
    let entries = read_zip(zip);
    let names: Vec<&str> = entries.iter().map(|e| e.name.as_str()).collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted, "entries are sorted by name");
    let mut expected: Vec<&str> = WIDGET_FILES.to_vec();
    expected.extend(["imsmanifest.xml", "scenarios/first-meeting.attn", "scorm.json"]);
    expected.sort();
    assert_eq!(names, expected, "the package holds the widget, the scenario, the config and the manifest");
    for e in &entries {
        assert_eq!((e.time, e.date), (0, 0x21), "{}: the fixed timestamp 1980-01-01 00:00", e.name);
    }

    let manifest = text(&entries, "imsmanifest.xml");
    let mut files = listed(&manifest);
    files.sort();
    let others: Vec<&str> = names.iter().copied().filter(|n| *n != "imsmanifest.xml").collect();
    assert_eq!(files, others, "the manifest lists every file of the package, and only those");
    assert!(manifest.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<manifest "), "{manifest}");
    assert!(manifest.contains("<schema>ADL SCORM</schema>"), "{manifest}");
    assert_eq!(manifest.matches("<organization ").count(), 1, "one organization");
    assert_eq!(manifest.matches("<item ").count(), 1, "one item");
    assert_eq!(manifest.matches("<resource ").count(), 1, "one resource");
    assert!(manifest.contains("<title>First meeting</title>"), "{manifest}");
    assert!(manifest.contains("identifierref=\"sco-first-meeting\"") && manifest.contains("<resource identifier=\"sco-first-meeting\""), "the item points at the resource");

    // The widget's files are the ones in www/, byte for byte.
    let www = dir.join("www");
    for name in WIDGET_FILES {
        assert_eq!(entry(&entries, name).data, std::fs::read(www.join(name)).unwrap(), "{name} is copied unchanged");
    }
    assert_eq!(entry(&entries, "pkg/attunement_bg.wasm").data, stand_in_wasm());
    // The scenario, compiled as `attunement compile` compiles it.
    let source = std::fs::read_to_string(root().join(SCENARIO)).unwrap();
    let compiled = attunement::checking::compile(&source, attunement::Format::Toml).unwrap();
    assert_eq!(entry(&entries, "scenarios/first-meeting.attn").data, compiled);
    // The launch page's config.
    let config: serde_json::Value = serde_json::from_str(&text(&entries, "scorm.json")).unwrap();
    assert_eq!(config, serde_json::json!({ "scenario": "first-meeting", "mode": "assessment", "scorm": version }));
    entries
}

// ---------------------------------------------------------------- the packages

#[test]
fn scorm_12_package() {
    let dir = temp("12");
    let zip = build(&dir, SCENARIO, None);
    let entries = check_package(&zip, "1.2", &dir);
    let manifest = text(&entries, "imsmanifest.xml");
    for part in [
        "xmlns=\"http://www.imsproject.org/xsd/imscp_rootv1p1p2\"",
        "xmlns:adlcp=\"http://www.adlnet.org/xsd/adlcp_rootv1p2\"",
        "<schemaversion>1.2</schemaversion>",
        "<resource identifier=\"sco-first-meeting\" type=\"webcontent\" adlcp:scormtype=\"sco\" href=\"scorm.html\">",
        "<file href=\"pkg/attunement_bg.wasm\"/>",
    ] {
        assert!(manifest.contains(part), "the SCORM 1.2 manifest lacks {part}:\n{manifest}");
    }
    assert!(!manifest.contains("scormType") && !manifest.contains("imsss"), "no SCORM 2004 parts in a 1.2 manifest");
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn scorm_2004_package() {
    let dir = temp("2004");
    let zip = build(&dir, SCENARIO, Some("2004"));
    let entries = check_package(&zip, "2004", &dir);
    let manifest = text(&entries, "imsmanifest.xml");
    for part in [
        "xmlns=\"http://www.imsglobal.org/xsd/imscp_v1p1\"",
        "xmlns:adlcp=\"http://www.adlnet.org/xsd/adlcp_v1p3\"",
        "xmlns:adlseq=\"http://www.adlnet.org/xsd/adlseq_v1p3\"",
        "xmlns:adlnav=\"http://www.adlnet.org/xsd/adlnav_v1p3\"",
        "xmlns:imsss=\"http://www.imsglobal.org/xsd/imsss\"",
        "<schemaversion>2004 4th Edition</schemaversion>",
        "<resource identifier=\"sco-first-meeting\" type=\"webcontent\" adlcp:scormType=\"sco\" href=\"scorm.html\">",
        "<imsss:deliveryControls completionSetByContent=\"true\" objectiveSetByContent=\"true\"/>",
        "<file href=\"pkg/attunement_bg.wasm\"/>",
    ] {
        assert!(manifest.contains(part), "the SCORM 2004 manifest lacks {part}:\n{manifest}");
    }
    assert!(!manifest.contains("scormtype=") && !manifest.contains("rootv1p2"), "no SCORM 1.2 parts in a 2004 manifest");
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn packages_are_deterministic() {
    let dir = temp("same");
    let first = build(&dir, SCENARIO, Some("2004"));
    let second = build(&dir, SCENARIO, Some("2004"));
    assert!(first == second, "the same inputs give the same bytes");
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn the_title_is_escaped_in_the_manifest() {
    let dir = temp("escape");
    let source = std::fs::read_to_string(root().join(SCENARIO)).unwrap();
    assert!(source.contains("title = \"First meeting\""));
    let tricky = source.replacen("title = \"First meeting\"", r#"title = "Fish & <chips> \"today\" it's""#, 1);
    let scenario = dir.join("first-meeting.toml");
    std::fs::write(&scenario, tricky).unwrap();
    for version in ["1.2", "2004"] {
        let entries = read_zip(&build(&dir, scenario.to_str().unwrap(), Some(version)));
        let manifest = text(&entries, "imsmanifest.xml");
        assert_eq!(manifest.matches("<title>Fish &amp; &lt;chips&gt; &quot;today&quot; it&apos;s</title>").count(), 2, "{manifest}");
        assert!(!manifest.contains("<chips>") && !manifest.contains("& "), "no raw markup from the title:\n{manifest}");
        // Every `&` starts an entity.
        for (i, _) in manifest.match_indices('&') {
            let rest = &manifest[i..];
            assert!(["&amp;", "&lt;", "&gt;", "&quot;", "&apos;"].iter().any(|e| rest.starts_with(e)), "a bare & at {i}:\n{manifest}");
        }
    }
    std::fs::remove_dir_all(dir).ok();
}

// ---------------------------------------------------------------- failures

#[test]
fn a_scenario_with_errors_gives_diagnostics_and_no_package() {
    let dir = temp("bad");
    let www = www(&dir, true);
    let zip = dir.join("package.zip");
    let out = scorm(&www, &["tests/bad/E004-unknown-node.toml", "-o", zip.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "errors in the scenario: exit 1");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("tests/bad/E004-unknown-node.toml:") && stderr.contains("error[E004]: unknown node"), "{stderr}");
    assert!(!zip.exists(), "no package is written");
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn a_missing_widget_build_says_how_to_build_it() {
    let dir = temp("nopkg");
    let www = www(&dir, false);
    let zip = dir.join("package.zip");
    let out = scorm(&www, &[SCENARIO, "-o", zip.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    // The first built file the package needs, in WIDGET_FILES' order: the minified styles.
    let missing = www.join("attunement.css");
    assert_eq!(stderr, format!("error: `{}` is missing: build the widget first with `bash scripts/build-web.sh`\n", missing.display()));
    assert!(!zip.exists(), "no package is written");
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn usage_mistakes() {
    let dir = temp("usage");
    let www = www(&dir, true);
    let zip = dir.join("package.zip");
    let cases: [(&[&str], &str); 3] = [
        (&[SCENARIO, "-o", zip.to_str().unwrap(), "--version", "2005"], "error: invalid value '2005' for '--version <EDITION>'\n  [possible values: 1.2, 2004]\n"),
        (&[SCENARIO, "-o", zip.to_str().unwrap(), "--mode", "exam"], "error: invalid value 'exam' for '--mode <MODE>'\n  [possible values: practice, assessment]\n"),
        (&[SCENARIO], "error: the following required arguments were not provided:\n  --output <OUT.zip>\n"),
    ];
    for (args, expected) in cases {
        let out = scorm(&www, args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.starts_with(expected), "{args:?}: {stderr}");
    }
    assert!(!zip.exists());
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn practice_mode_packages_say_so() {
    let dir = temp("practice");
    let www = www(&dir, true);
    let zip = dir.join("package.zip");
    let out = scorm(&www, &[SCENARIO, "-o", zip.to_str().unwrap(), "--mode", "practice"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let entries = read_zip(&std::fs::read(&zip).unwrap());
    let config: serde_json::Value = serde_json::from_str(&text(&entries, "scorm.json")).unwrap();
    assert_eq!(config["mode"], "practice");
    std::fs::remove_dir_all(dir).ok();
}

// ---------------------------------------------------------------- the pieces

#[test]
fn crc32_and_xml_escape() {
    assert_eq!(crc32(b"123456789"), 0xcbf4_3926, "the CRC-32 check value");
    assert_eq!(crc32(b""), 0);
    let bytes = stand_in_wasm();
    assert_eq!(crc32(&bytes), crc_bitwise(&bytes));
    assert_eq!(xml_escape("a<b>&\"c'"), "a&lt;b&gt;&amp;&quot;c&apos;");
    assert_eq!(xml_escape("tab\there\u{1}bell"), "tab\therebell", "control characters XML cannot carry are dropped");
}

/// The package carries every module its pages load: each relative `import … from './x.js'`,
/// `import('./x.js')` and `new URL('./x', import.meta.url)` in a packaged script names a packaged
/// file (pkg/ and lms/xapi.js aside: the engine is built, and xAPI is not used inside a package).
#[test]
fn the_package_holds_every_module_its_scripts_import() {
    let mut missing = Vec::new();
    // The built files (the engine, the page's bundle) hold no imports of other files to check.
    for name in WIDGET_FILES.iter().filter(|n| n.ends_with(".js") && !is_built(n)) {
        let text = std::fs::read_to_string(root().join("www").join(name)).unwrap();
        let dir = Path::new(name).parent().unwrap_or(Path::new(""));
        for quote in ['\'', '"', '`'] {
            // Each quoted string that starts with ./ or ../ (apostrophes in comments cannot
            // shift this, as a split on quotes would).
            let starts = text.match_indices(quote).map(|(i, _)| i + 1).filter(|&i| text[i..].starts_with("./") || text[i..].starts_with("../"));
            for start in starts {
                let Some(len) = text[start..].find(quote) else { continue };
                let piece = &text[start..start + len];
                if !piece.ends_with(".js") || piece.contains('$') {
                    continue;
                }
                let mut path = dir.to_path_buf();
                for part in piece.split('/') {
                    match part {
                        "." => {}
                        ".." => { path.pop(); }
                        p => path.push(p),
                    }
                }
                let path = path.to_string_lossy().replace('\\', "/");
                if path != "lms/xapi.js" && !path.starts_with("pkg") && !WIDGET_FILES.contains(&path.as_str()) {
                    missing.push(format!("{name} imports {piece} ({path})"));
                }
            }
        }
    }
    assert!(missing.is_empty(), "add these to scorm::WIDGET_FILES: {missing:#?}");
}

#[test]
fn a_translated_scenario_carries_the_interface_in_its_language() {
    let dir = temp("spanish");
    let www = www(&dir, true);
    std::fs::create_dir_all(www.join("lang")).unwrap();
    for (name, text) in [("widget.es.js", "export default {};\n"), ("engine.es.json", "{}\n"), ("widget.de.js", "export default {};\n"), ("engine.de.json", "{}\n")] {
        std::fs::write(www.join("lang").join(name), text).unwrap();
    }
    let zip = dir.join("package.zip");
    let out = scorm(&www, &["scenarios/first-meeting.es.toml", "-o", zip.to_str().unwrap()]);
    assert!(out.status.success(), "attunement scorm failed: {}", String::from_utf8_lossy(&out.stderr));
    let entries = read_zip(&std::fs::read(&zip).unwrap());
    let lang: Vec<&str> = entries.iter().map(|e| e.name.as_str()).filter(|n| n.starts_with("lang/")).collect();
    assert_eq!(lang, ["lang/engine.es.json", "lang/widget.es.js"], "Spanish only, not the other languages");
    assert_eq!(entry(&entries, "lang/widget.es.js").data, b"export default {};\n");
    let mut files = listed(&text(&entries, "imsmanifest.xml"));
    files.retain(|f| f.starts_with("lang/"));
    files.sort();
    assert_eq!(files, lang, "the manifest lists them");

    // English needs none: its words are in the widget and the engine.
    let english = dir.join("english.zip");
    let out = scorm(&www, &[SCENARIO, "-o", english.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(read_zip(&std::fs::read(&english).unwrap()).iter().all(|e| !e.name.starts_with("lang/")));
    std::fs::remove_dir_all(dir).ok();
}
