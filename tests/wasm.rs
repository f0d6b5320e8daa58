//! The browser binding, tested where it runs: in a JavaScript engine, through
//! `wasm-bindgen-test` (`scripts/test.sh` runs it in Node). Checks the shapes
//! JavaScript receives and that every failure arrives as a JS `Error` with the
//! engine's message.

#![cfg(target_arch = "wasm32")]

use attunement::wasm::{Simulator, reads_toml, set_words};
use js_sys::{Array, Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::wasm_bindgen_test;

#[path = "support/bomb.rs"]
mod bomb;

const TINY: &str = include_str!("fixtures/tiny.toml");
/// The same scenario as JSON, a source only the authors' build reads
/// (`tests/engine.rs` keeps it in step with the TOML).
const TINY_JSON: &str = include_str!("fixtures/tiny.json");
/// The same scenario compiled, which both builds read (`tests/compiled.rs`
/// keeps it in step with the TOML).
const TINY_ATTN: &[u8] = include_bytes!("fixtures/tiny.attn");

fn bytes(b: &[u8]) -> JsValue {
    js_sys::Uint8Array::from(b).into()
}

fn get(v: &JsValue, key: &str) -> JsValue {
    Reflect::get(v, &key.into()).unwrap_or_else(|_| panic!("no `{key}` in {v:?}"))
}

fn keys(v: &JsValue) -> Vec<String> {
    let mut keys: Vec<String> = Object::keys(v.unchecked_ref::<Object>()).iter().filter_map(|k| k.as_string()).collect();
    keys.sort();
    keys
}

/// The message of a JS `Error`, failing the test if it is anything else.
fn error_message(e: impl Into<JsValue>) -> String {
    let e: JsValue = e.into();
    let error = e.dyn_ref::<js_sys::Error>().unwrap_or_else(|| panic!("not a JS Error: {e:?}"));
    String::from(error.message())
}

fn tiny() -> Simulator {
    Simulator::new(bytes(TINY_ATTN), "tiny.attn").map_err(JsValue::from).unwrap()
}

#[wasm_bindgen_test]
fn info_carries_the_library_fields() {
    let info = tiny().info().map_err(JsValue::from).unwrap();
    assert_eq!(get(&info, "id").as_string().as_deref(), Some("tiny"));
    assert_eq!(get(&info, "minutes").as_f64(), Some(2.0));
    // tiny says no level and no order: the defaults.
    assert_eq!(get(&info, "level").as_string().as_deref(), Some("intermediate"));
    assert!(get(&info, "order").is_null());
    assert_eq!(get(&get(&info, "peer"), "name").as_string().as_deref(), Some("Ari"));
    assert!(Array::is_array(&get(&info, "content_notes")));
}

#[wasm_bindgen_test]
fn the_view_is_a_plain_object_without_skills() {
    let play = tiny().start("practice", 1).map_err(JsValue::from).unwrap();
    let view = play.view();
    assert_eq!(keys(&view), ["acknowledges", "can_undo", "choices", "cue", "ending", "mode", "mood", "mood_label", "node", "peer", "say", "scenario", "stuck", "trust", "turn"]);
    assert!(get(&view, "ending").is_null());
    assert!(get(&view, "acknowledges").is_null(), "nothing to acknowledge before the first turn");
    assert_eq!(get(&view, "mode").as_string().as_deref(), Some("practice"));
    let trust = get(&view, "trust");
    assert_eq!(get(&trust, "value").as_f64(), Some(30.0));
    assert_eq!(get(&trust, "text").as_string().as_deref(), Some("trust 30 of 100, guarded"));
    let choices: Array = get(&view, "choices").dyn_into().unwrap();
    assert_eq!(choices.length(), 3);
    for c in choices.iter() {
        assert_eq!(keys(&c), ["id", "text"], "a choice must not carry its skill");
    }
}

#[wasm_bindgen_test]
fn choosing_explains_in_practice_and_not_in_assessment() {
    let sim = tiny();
    let mut play = sim.start("practice", 1).map_err(JsValue::from).unwrap();
    let step = play.choose("reflect").map_err(JsValue::from).unwrap();
    assert_eq!(get(&step, "ended").as_bool(), Some(false));
    let turn = get(&step, "explanation");
    assert_eq!(get(&turn, "skill").as_string().as_deref(), Some("reflection"));
    assert_eq!(get(&turn, "trust_before").as_f64(), Some(30.0));
    assert_eq!(get(&turn, "trust_after").as_f64(), Some(38.0));
    let modifiers: Array = get(&turn, "modifiers").dyn_into().unwrap();
    assert_eq!(get(&modifiers.get(0), "reason").as_string().as_deref(), Some("distress_rewards_presence"));
    play.undo().map_err(JsValue::from).unwrap();
    assert_eq!(get(&play.view(), "turn").as_f64(), Some(0.0));

    let mut play = sim.start("assessment", 1).map_err(JsValue::from).unwrap();
    let step = play.choose("reflect").map_err(JsValue::from).unwrap();
    assert!(get(&step, "explanation").is_null());
    assert_eq!(error_message(play.undo().unwrap_err()), "undo is not available in assessment mode");
}

/// The view and the explanation are built from cached JS strings, not
/// serialised: they must be the engine's all the same, field for field and
/// in order, at every step of a long play in both modes.
#[cfg(feature = "test-hooks")]
#[wasm_bindgen_test]
fn the_view_is_the_engines_view_at_every_step() {
    // The learner's build reads only the compiled fixture; the authors' build
    // also checks two library scenarios from their sources.
    let mut scenarios = vec![(bytes(TINY_ATTN), "tiny.attn")];
    if cfg!(feature = "check") {
        scenarios.push((include_str!("../scenarios/first-meeting.toml").into(), "first-meeting.toml"));
        scenarios.push((include_str!("../scenarios/asking-directly.toml").into(), "asking-directly.toml"));
    }
    for (contents, name) in scenarios {
        let sim = Simulator::new(contents, name).map_err(JsValue::from).unwrap();
        for (mode, seed) in [("practice", 1), ("assessment", 2), ("practice", 3)] {
            let mut play = sim.start(mode, seed).map_err(JsValue::from).unwrap();
            for turn in 0..60u32 {
                let view = play.view();
                let shown = String::from(js_sys::JSON::stringify(&view).unwrap());
                assert_eq!(shown, play.view_as_json(), "{name}, {mode}, turn {turn}");
                let choices: Array = get(&view, "choices").dyn_into().unwrap();
                if choices.length() == 0 {
                    break;
                }
                let id = get(&choices.get((turn * 7 + 3) % choices.length()), "id").as_string().unwrap();
                let step = play.choose(&id).map_err(JsValue::from).unwrap();
                assert_eq!(keys(&step), ["ended", "explanation"]);
                assert_eq!(get(&step, "explanation").is_null(), mode == "assessment");
                if mode == "practice" {
                    let explained = String::from(js_sys::JSON::stringify(&get(&step, "explanation")).unwrap());
                    assert_eq!(explained, play.last_turn_as_json(), "{name}, turn {turn}: the explanation");
                }
                if mode == "practice" && turn % 5 == 4 {
                    play.undo().map_err(JsValue::from).unwrap();
                    assert_eq!(String::from(js_sys::JSON::stringify(&play.view()).unwrap()), play.view_as_json(), "{name}, after undo");
                }
            }
        }
    }
}

#[wasm_bindgen_test]
fn errors_arrive_as_js_errors_with_the_engine_message() {
    let sim = tiny();
    assert_eq!(error_message(sim.start("exam", 1).err().unwrap()), "unknown mode `exam`; use practice or assessment");
    let mut play = sim.start("practice", 1).map_err(JsValue::from).unwrap();
    assert_eq!(error_message(play.choose("nope").unwrap_err()), "choice `nope` is not offered now");
    assert_eq!(error_message(play.debrief().unwrap_err()), "the conversation has not ended yet");
    assert_eq!(error_message(sim.restore("A1.tiny.0000000000000000.p1..deadbeef", "practice").err().unwrap()), "the save is corrupted: its checksum does not match");

}

#[wasm_bindgen_test]
fn a_damaged_or_mistaken_compiled_file_is_a_plain_error() {
    let mut damaged = TINY_ATTN.to_vec();
    let last = damaged.len() - 9;
    damaged[last] ^= 0x20;
    assert_eq!(
        error_message(Simulator::new(bytes(&damaged), "tiny.attn").err().unwrap()),
        "tiny.attn: the compiled scenario is damaged (its checksum does not match its contents): copy or download it again, or compile it afresh"
    );
    assert_eq!(error_message(Simulator::new(bytes(&TINY_ATTN[..30]), "tiny.attn").err().unwrap()), "tiny.attn: the compiled scenario is incomplete (the file is cut short): copy or download it again");
    // Fetched as text, a binary file is mangled: the message says how to fetch it.
    let as_text = String::from_utf8_lossy(TINY_ATTN).into_owned();
    let message = error_message(Simulator::new(as_text.into(), "tiny.attn").err().unwrap());
    assert!(message.starts_with("tiny.attn is a compiled scenario, which is binary: pass its bytes"), "{message}");
    let message = error_message(Simulator::new(JsValue::from(7), "tiny.attn").err().unwrap());
    assert_eq!(message, "tiny.attn: a scenario's contents must be a Uint8Array or a string");
    // An ArrayBuffer is read like its bytes.
    let buffer = js_sys::Uint8Array::from(TINY_ATTN).buffer();
    assert!(Simulator::new(buffer.into(), "tiny.attn").is_ok());
}

/// The wasm memory's size in bytes: it grows and never shrinks.
fn memory() -> u32 {
    wasm_bindgen::memory().unchecked_into::<js_sys::WebAssembly::Memory>().buffer().unchecked_into::<js_sys::ArrayBuffer>().byte_length()
}

/// A compiled file with a right checksum and a count of millions is refused with the reader's
/// message, and the wasm memory hardly grows: a count once reserved its items in full, so a
/// 3 MB file took 416 MiB of memory, which wasm never gives back, and a 16 MB one trapped.
#[wasm_bindgen_test]
fn a_compiled_file_with_a_huge_count_is_refused_without_taking_memory() {
    use bomb::{Bomb, bomb};
    for (what, file, why) in [
        ("nodes", bomb(Bomb::Nodes, 3_000_000), "a node has no choices"),
        ("choices", bomb(Bomb::Choices, 3_000_000), "a node has too many choices"),
        ("flags", bomb(Bomb::Flags, 3_000_000), "it has too many flags"),
        ("over 8 MiB", bomb(Bomb::Nodes, 16 << 20), "more than the 8192 KiB a scenario may be"),
    ] {
        let before = memory();
        let message = error_message(Simulator::new(bytes(&file), "bomb.attn").err().unwrap_or_else(|| panic!("{what}: read")));
        assert!(message.starts_with("bomb.attn: ") && message.contains(why), "{what}: {message}");
        // The file's bytes are copied in once (Uint8Array::to_vec), and nothing else is large.
        let grew = memory() - before;
        assert!(grew as usize <= file.len() + (4 << 20), "{what}: the wasm memory grew {} KiB for a {} KiB file", grew >> 10, file.len() >> 10);
    }
}

/// A gate's `otherwise` of 2^32 + 1, which a 32-bit `usize` would truncate to node 1 (a node
/// tiny has), is refused as leading nowhere: the reader takes every target through
/// `usize::try_from`. Only wasm32 can show it; natively the number is simply out of range.
#[wasm_bindgen_test]
fn a_gate_target_too_large_for_wasm32_is_refused_not_truncated() {
    use attunement::compiled::{self, ReadError};
    fn leb(bytes: &[u8]) -> (u64, usize) {
        let (mut n, mut i) = (0u64, 0);
        loop {
            n |= u64::from(bytes[i] & 0x7f) << (7 * i);
            i += 1;
            if bytes[i - 1] & 0x80 == 0 {
                return (n, i);
            }
        }
    }
    // The gated node "story": disclosure yes, warning signs no, a gate (trust 35, zigzagged to
    // 70), then the node `otherwise` names; the structure starts after the header (22 bytes) and
    // its own length.
    let bytes = TINY_ATTN.to_vec();
    let (structure, width) = leb(&bytes[22..]);
    let start = 22 + width;
    let at: Vec<usize> = (start..start + structure as usize - 4).filter(|&i| bytes[i..i + 4] == [1, 0, 1, 70]).collect();
    assert_eq!(at.len(), 1, "the gate is found once");
    let target = at[0] + 4;
    assert!(bytes[target] < 0x80, "its target is one byte");
    let huge = bomb::leb128((1 << 32) + 1);
    let mut patched = bytes[..22].to_vec();
    patched.extend(bomb::leb128(structure + huge.len() as u64 - 1));
    patched.extend_from_slice(&bytes[start..target]);
    patched.extend(&huge);
    patched.extend_from_slice(&bytes[target + 1..]);
    let body = (patched.len() - 22) as u32;
    patched[10..14].copy_from_slice(&body.to_le_bytes());
    compiled::mend_checksum(&mut patched);
    // The same splice with the target kept, as a check that the splice itself is sound.
    let mut same = bytes[..22].to_vec();
    same.extend(bomb::leb128(structure));
    same.extend_from_slice(&bytes[start..]);
    assert!(compiled::read(&same).is_ok());
    assert_eq!(compiled::read(&patched).err(), Some(ReadError::Corrupt("a node leads nowhere")));
}

#[wasm_bindgen_test]
fn sources_load_only_in_the_authors_build() {
    for (text, name) in [(TINY, "tiny.toml"), (TINY_JSON, "tiny.json")] {
        let loaded = Simulator::new(text.into(), name);
        if reads_toml() {
            assert!(loaded.is_ok(), "{name}");
        } else {
            let message = error_message(loaded.err().unwrap());
            assert_eq!(message, format!("{name} is a scenario's source, and this engine reads compiled scenarios only: compile it with `attunement compile` (the authors' preview opens sources)"));
        }
    }
}

#[cfg(feature = "check")]
#[wasm_bindgen_test]
fn a_source_with_errors_lists_them_with_file_line_and_column() {
    let broken = TINY_JSON.replacen("\"next\": \"story\"", "\"next\": \"stroy\"", 1);
    let message = error_message(Simulator::new(broken.into(), "tiny.json").err().unwrap());
    assert!(message.starts_with("tiny.json has 1 error:\ntiny.json:"), "{message}");
    assert!(message.contains(": error[E004]: unknown node or ending `stroy`"), "{message}");
    assert!(message.contains("hint: did you mean `story`?"), "{message}");
}

#[wasm_bindgen_test]
fn save_restore_and_debrief_cross_the_boundary() {
    let sim = tiny();
    let mut play = sim.start("assessment", 7).map_err(JsValue::from).unwrap();
    play.choose("reflect").map_err(JsValue::from).unwrap();
    assert_eq!(error_message(sim.restore(&play.save(), "practice").err().unwrap()), "the save was made in assessment mode, not practice mode");
    let restored = sim.restore(&play.save(), "assessment").map_err(JsValue::from).unwrap();
    assert_eq!(restored.save(), play.save());
    assert_eq!(restored.mode(), "assessment");
    assert!(restored.notice().is_none());
    play.choose("c1").map_err(JsValue::from).unwrap();
    let debrief = play.debrief().map_err(JsValue::from).unwrap();
    assert_eq!(get(&get(&debrief, "ending"), "outcome").as_string().as_deref(), Some("breakthrough"));
    let over_time: Array = get(&debrief, "trust_over_time").dyn_into().unwrap();
    assert_eq!(over_time.to_vec().iter().map(|v| v.as_f64().unwrap()).collect::<Vec<_>>(), vec![30.0, 38.0, 50.0]);
    // The engine's score, comparison and suggestions reach JavaScript as they are.
    let score = get(&debrief, "score");
    assert_eq!((get(&score, "raw").as_f64(), get(&score, "passed").as_bool()), (Some(100.0), Some(true)));
    let comparison: Array = get(&debrief, "comparison").dyn_into().unwrap();
    assert_eq!(comparison.length(), 2);
    assert!(Array::is_array(&get(&debrief, "practise_next")));
    // The turns the widget's transcript is made from, the scenario's words as they are.
    let turns: Array = get(&debrief, "turns").dyn_into().unwrap();
    assert_eq!(get(&turns.get(0), "text").as_string().as_deref(), Some("It sounds like you're not sure this will help."));
    assert_eq!(get(&debrief, "title").as_string().as_deref(), Some("Tiny"));
}

/// The learner's engine writes fractions to six decimals without a float printer: exactly where
/// six decimals hold them (the score's hundredths), rounded to the nearest millionth otherwise,
/// and the debrief's fractions arrive as the native engine computes them to that precision.
#[cfg(all(feature = "test-hooks", not(feature = "coder")))]
#[wasm_bindgen_test]
fn the_learners_engine_writes_fractions_to_six_decimals() {
    use attunement::wasm::json_number;
    for (x, written) in [(0.73, "0.73"), (1.5, "1.5"), (-0.25, "-0.25"), (2.0, "2"), (0.0, "0"), (-0.0000001, "0"), (1.0 / 3.0, "0.333333"), (2.0 / 3.0, "0.666667"), (0.0000005, "0.000001"), (-12.345678901, "-12.345679"), (0.999_999_9, "1"), (1e13 + 0.5, "10000000000000"), (f64::NAN, "null"), (f64::INFINITY, "null")] {
        assert_eq!(json_number(x), written, "{x}");
    }
    for raw in -100..=100 {
        let x = f64::from(raw) / 100.0;
        assert_eq!(json_number(x).parse::<f64>().unwrap(), x, "hundredths are exact: {raw}");
    }
    let scenario = std::sync::Arc::new(attunement::compiled::read(TINY_ATTN).unwrap());
    let mut native = attunement::Session::start(scenario, attunement::Mode::Practice, 3);
    let mut play = tiny().start("practice", 3).map_err(JsValue::from).unwrap();
    for id in ["reflect", "c1"] {
        native.pick(id).unwrap();
        play.choose(id).map_err(JsValue::from).unwrap();
    }
    let (native, debrief) = (native.debrief().unwrap(), play.debrief().map_err(JsValue::from).unwrap());
    assert_eq!(get(&get(&debrief, "score"), "scaled").as_f64(), Some(native.score.scaled));
    let miti = get(&debrief, "miti");
    for (key, value) in [("reflection_to_question", native.miti.reflection_to_question), ("complex_share", native.miti.complex_share)] {
        match value {
            Some(v) => assert!((get(&miti, key).as_f64().unwrap() - v).abs() <= 5e-7, "{key}: {v}"),
            None => assert!(get(&miti, key).is_null(), "{key}"),
        }
    }
}

/// `setWords` changes the engine's words for every simulator and session from the next call on,
/// the cached ones included; `'{}'` brings English back. The words are the module's, and the
/// tests share it, so this one puts English back before it checks anything that could fail.
#[wasm_bindgen_test]
fn set_words_changes_the_engines_words_everywhere() {
    use attunement::engine::session::Mood;
    let moods: Vec<String> = Mood::ALL.iter().map(|m| format!("\"mood.{}\": \"humeur {}\"", m.id(), m.id())).collect();
    let json = format!(
        "{{{}, \"band.guarded\": \"sur la réserve\", \"trust.text\": \"confiance {{value}}/{{max}}, {{band}}\", \"skill.reflection.label\": \"reflet\", \"nope\": \"x\"}}",
        moods.join(", ")
    );
    let sim = tiny();
    let mut before = sim.start("practice", 1).map_err(JsValue::from).unwrap();
    let english_view = before.view();
    before.choose("reflect").map_err(JsValue::from).unwrap();
    let used = set_words(&json).map_err(JsValue::from);
    let broken = set_words("{\"band.guarded\": 1}").map_err(JsValue::from);
    let view = before.view();
    before.undo().map_err(JsValue::from).unwrap();
    // Trust 30 again: its words were cached in English at the first view.
    let again = before.view();
    before.choose("reflect").map_err(JsValue::from).unwrap();
    let new_sim_view = tiny().start("practice", 1).map_err(JsValue::from).unwrap().view();
    let mut play = sim.start("practice", 1).map_err(JsValue::from).unwrap();
    let explained = get(&play.choose("reflect").map_err(JsValue::from).unwrap(), "explanation");
    let turns = Array::from(&before.turns().map_err(JsValue::from).unwrap());
    play.choose("c1").map_err(JsValue::from).unwrap();
    let debrief = play.debrief().map_err(JsValue::from).unwrap();
    #[cfg(feature = "test-hooks")]
    let agrees = (String::from(js_sys::JSON::stringify(&new_sim_view).unwrap()), play.view_as_json(), String::from(js_sys::JSON::stringify(&play.view()).unwrap()));
    let english = set_words("{}").map_err(JsValue::from);
    let back = before.view();
    let turns_back = Array::from(&before.turns().map_err(JsValue::from).unwrap());
    before.undo().map_err(JsValue::from).unwrap();
    let back_at_start = before.view();

    assert_eq!(used.unwrap(), Mood::ALL.len() as u32 + 3, "every id but the unknown one");
    assert!(error_message(broken.unwrap_err()).starts_with("the engine's words must be a JSON object of ids to texts"));
    assert_eq!(english.unwrap(), 0);
    let text = |view: &JsValue| get(&get(view, "trust"), "text").as_string().unwrap();
    assert_eq!(text(&english_view), "trust 30 of 100, guarded");
    // The session made before the words changed shows them, from the binding's cache too.
    assert_eq!(text(&view), "confiance 38/100, sur la réserve");
    assert!(get(&view, "mood_label").as_string().unwrap().starts_with("humeur "), "{view:?}");
    assert_eq!(text(&again), "confiance 30/100, sur la réserve", "the cached English is forgotten");
    // A simulator made after: its band is still the id, its words the table's.
    assert_eq!(text(&new_sim_view), "confiance 30/100, sur la réserve");
    assert_eq!(get(&get(&new_sim_view, "trust"), "band").as_string().as_deref(), Some("guarded"));
    assert_eq!(get(&explained, "skill_label").as_string().as_deref(), Some("reflet"));
    assert_eq!(get(&turns.get(0), "skill_label").as_string().as_deref(), Some("reflet"), "a turn taken before is relabelled");
    let skills = Array::from(&get(&debrief, "skills"));
    assert_eq!(get(&skills.get(0), "label").as_string().as_deref(), Some("reflet"));
    #[cfg(feature = "test-hooks")]
    {
        let (new_sim, engine, binding) = agrees;
        assert!(new_sim.contains("sur la réserve"), "{new_sim}");
        assert_eq!(binding, engine, "the binding's view is the engine's in another language too");
    }
    // English again, the cached words forgotten.
    assert_eq!(text(&back), "trust 38 of 100, guarded");
    assert_eq!(text(&back_at_start), "trust 30 of 100, guarded");
    assert_eq!(get(&turns_back.get(0), "skill_label").as_string().as_deref(), Some("reflection of feeling"));
}

#[cfg(feature = "check")]
#[wasm_bindgen_test]
fn a_one_line_file_full_of_errors_gets_a_bounded_message() {
    let text = attunement::generate::hostile::one_line_errors(2_000);
    let message = error_message(Simulator::new(text.clone().into(), "big.json").err().unwrap());
    assert!(message.starts_with("big.json has 4000 errors:\n"), "{}", &message[..80]);
    assert!(message.len() < 100_000, "{} bytes for a {}-byte file", message.len(), text.len());
    assert!(message.ends_with("big.json: and 3900 more problems not shown; fix these first\n"), "{}", &message[message.len() - 120..]);
}

#[cfg(feature = "check")]
#[wasm_bindgen_test]
fn a_scenario_whose_analysis_stopped_is_refused() {
    let message = error_message(Simulator::new(attunement::generate::hostile::flag_hub(19).into(), "hub.toml").err().unwrap());
    assert!(message.contains("error[E025]: the scenario cannot be played"), "{message}");
}

#[cfg(feature = "coder")]
#[wasm_bindgen_test]
fn a_written_reply_is_coded_and_taken_as_the_engine_takes_it() {
    use attunement::wasm::ReplyCoder;
    const MODEL: &[u8] = include_bytes!("../data/coder.bin");
    let coder = ReplyCoder::new(MODEL).map_err(JsValue::from).unwrap();
    let native = attunement::coder::Coder::read(MODEL).unwrap();
    let scenario = std::sync::Arc::new(attunement::compiled::read(TINY_ATTN).unwrap());
    let session = attunement::Session::start(scenario, attunement::Mode::Practice, 1);
    let play = tiny().start("practice", 1).map_err(JsValue::from).unwrap();
    for text in ["It sounds like you're unsure this could help at all.", "dont worry it will all be fine", "hmm", "You should try harder."] {
        let reply = play.reply(&coder, text).map_err(JsValue::from).unwrap();
        assert_eq!(keys(&reply), ["alternatives", "confidence", "kind", "label", "skill", "taken", "unsure"]);
        let expected = session.reply(&native, text);
        assert_eq!(get(&reply, "skill").as_string().as_deref(), Some(expected.coding.skill.id()), "{text}");
        assert_eq!(get(&reply, "label").as_string().as_deref(), Some(expected.coding.skill.label()));
        assert_eq!(get(&reply, "confidence").as_f64(), Some(expected.coding.confidence));
        assert_eq!(get(&reply, "taken").as_string(), expected.taken, "{text}");
        assert_eq!(get(&reply, "unsure").as_bool(), Some(expected.coding.unsure()));
        assert_eq!(Array::from(&get(&reply, "alternatives")).length(), 3);
    }
    let taken = play.reply(&coder, "It sounds like you're unsure this could help at all.").map_err(JsValue::from).unwrap();
    assert_eq!(get(&taken, "skill").as_string().as_deref(), Some("reflection"));
    assert_eq!(get(&taken, "taken").as_string().as_deref(), Some("reflect"), "the reflection on offer");
    let mut play = play;
    let step = play.choose_written("reflect", "It sounds like you're unsure this could help at all.", &coder).map_err(JsValue::from).unwrap();
    let written = get(&get(&step, "explanation"), "written");
    assert_eq!(keys(&written), ["better", "confidence", "kind", "skill", "skill_label", "taken", "text", "why"]);
    assert_eq!(get(&written, "kind").as_string().as_deref(), Some("skill"));
    assert!(get(&written, "better").is_null(), "only a roadblock names a better option");
    assert_eq!(get(&written, "text").as_string().as_deref(), Some("It sounds like you're unsure this could help at all."));
    assert_eq!(get(&written, "taken").as_bool(), Some(true), "taken from its coding");
    assert_eq!(play.last_turn_as_json(), js_sys::JSON::stringify(&get(&step, "explanation")).unwrap().as_string().unwrap(), "the turn object is the engine's turn");
    // A restored session gets the written reply back from rewrite, as it was.
    let mut restored = tiny().restore(&play.save(), "practice").map_err(JsValue::from).unwrap();
    assert!(restored.rewrite(1, "It sounds like you're unsure this could help at all.", true, &coder));
    assert!(!restored.rewrite(2, "no such turn", true, &coder));
    let turns = Array::from(&restored.turns().map_err(JsValue::from).unwrap());
    assert_eq!(js_sys::JSON::stringify(&get(&turns.get(0), "written")).unwrap(), js_sys::JSON::stringify(&written).unwrap());
    let damaged = ReplyCoder::new(&MODEL[..100]).map(|_| ()).map_err(JsValue::from).unwrap_err();
    assert_eq!(error_message(damaged), "the reply coder's model is damaged (its checksum does not match): download or copy it again");
}
