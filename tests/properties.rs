//! Property tests on generated scenarios and hostile input.
//!
//! Scenarios come from `attunement::generate`, which is valid by
//! construction; proptest picks the seed and the shape.

use std::collections::BTreeMap;
use std::sync::Arc;

use attunement::scenario::Playable;
use attunement::analysis::{Range, analyze};
use attunement::engine::{State, step};
use attunement::generate::{Shape, scenario};
use attunement::hash::Rng;
use attunement::checking::{Format, check};
use attunement::skill::Kind;
use attunement::{Mode, Scenario, Session};
use proptest::prelude::*;

fn shape() -> impl Strategy<Value = Shape> {
    (2usize..40, 2usize..5, any::<bool>(), 0usize..4, any::<bool>(), any::<bool>())
        .prop_map(|(nodes, max_choices, cycles, flags, gates, distress)| Shape { nodes, max_choices, cycles, flags, gates, distress })
}

fn load(seed: u64, shape: &Shape) -> Arc<Playable> {
    let text = scenario(seed, shape);
    Arc::new(Scenario::parse(&text, Format::Toml).unwrap_or_else(|d| panic!("generated scenario has errors: {d:?}")))
}

/// Plays up to `turns` random picks; returns the authored indices taken.
fn play(session: &mut Session, rng: &mut Rng, turns: usize) -> Vec<String> {
    let mut picks = Vec::new();
    for _ in 0..turns {
        let view = session.view();
        if view.choices.is_empty() {
            break;
        }
        let id = view.choices[rng.below(view.choices.len())].id.clone();
        let step = session.choose(&id).expect("an offered choice is accepted");
        let t = step.explanation.expect("practice explains");
        assert!((0..=100).contains(&t.trust_after), "trust {} out of bounds", t.trust_after);
        // The response's worth, less what the ceiling took, held in bounds;
        // then each consequence that landed, held in bounds in turn.
        let response = (t.trust_before + t.total + t.ceiling).clamp(0, 100);
        assert_eq!(t.trust_after, t.consequences.iter().fold(response, |trust, c| (trust + c.amount).clamp(0, 100)), "trust after must follow the worth, the ceiling and the consequences");
        assert!(t.ceiling <= 0 && (t.ceiling == 0 || (t.total > 0 && t.trust_before > 60)), "the ceiling only damps gains above 60: {t:?}");
        assert_eq!(t.worth, t.total + t.consequences.iter().map(|c| c.amount).sum::<i32>());
        picks.push(id);
    }
    picks
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn random_play_keeps_trust_in_bounds_and_never_panics(seed in any::<u64>(), shape in shape(), play_seed in any::<u64>()) {
        let sc = load(seed, &shape);
        let mut session = Session::start(sc, Mode::Practice, play_seed);
        let mut rng = Rng::new(play_seed);
        play(&mut session, &mut rng, 200);
        let view = session.view();
        prop_assert!((0..=100).contains(&view.trust.value));
        prop_assert_eq!(view.ending.is_some(), session.is_ended());
        if session.is_ended() {
            let d = session.debrief().unwrap();
            prop_assert_eq!(d.trust_over_time.len(), d.turns.len() + 1);
        }
    }

    #[test]
    fn save_restore_continue_equals_continue(seed in any::<u64>(), shape in shape(), play_seed in any::<u64>(), first in 0usize..30) {
        let sc = load(seed, &shape);
        let mut a = Session::start(sc.clone(), Mode::Practice, play_seed);
        let mut rng = Rng::new(play_seed);
        play(&mut a, &mut rng, first);
        let restored = Session::restore(sc, &a.save(), a.mode()).unwrap();
        prop_assert!(restored.notice.is_none());
        let mut b = restored.session;
        // Continue both with the same random picks.
        let (mut ra, mut rb) = (rng, rng);
        play(&mut a, &mut ra, 30);
        play(&mut b, &mut rb, 30);
        prop_assert_eq!(serde_json::to_string(&a.view()).unwrap(), serde_json::to_string(&b.view()).unwrap());
        prop_assert_eq!(serde_json::to_string(a.turns()).unwrap(), serde_json::to_string(b.turns()).unwrap());
        prop_assert_eq!(a.save(), b.save());
    }

    #[test]
    fn analysis_agrees_with_an_exhaustive_walk(seed in any::<u64>(), nodes in 2usize..9, max_choices in 2usize..4, flags in 0usize..3, gates in any::<bool>(), distress in any::<bool>()) {
        let shape = Shape { nodes, max_choices, cycles: false, flags, gates, distress };
        let sc = load(seed, &shape);
        let a = analyze(&sc);
        prop_assert!(a.complete());

        // Walk every path from the start, without merging states.
        let mut node_ranges: BTreeMap<usize, Range> = BTreeMap::new();
        let mut ending_ranges: BTreeMap<usize, Range> = BTreeMap::new();
        let mut offered = vec![];
        for n in sc.nodes() { offered.push(vec![false; n.choices.len()]); }
        // Each path carries its sum of worths and its counts of roadblocks
        // and of other responses, for the best and worst paths.
        let mut stack = vec![(State::start(&sc), 0i32, 0u32, 0u32)];
        let mut paths = 0u32;
        // (sum, roadblocks, final trust) and (other responses, sum, final trust)
        let mut best_seen: Option<(i32, u32, i32)> = None;
        let mut worst_seen: Option<(u32, i32, i32)> = None;
        while let Some((s, sum, roadblocks, others)) = stack.pop() {
            let widen = |m: &mut BTreeMap<usize, Range>, k: usize, t: i32| {
                let r = m.entry(k).or_insert(Range { min: t, max: t });
                r.min = r.min.min(t);
                r.max = r.max.max(t);
            };
            match (s.node(), s.ending()) {
                (Some(n), _) => {
                    widen(&mut node_ranges, n, s.trust.into());
                    for i in s.offered(&sc) {
                        offered[n][i] = true;
                        let (next, effect) = step(&sc, &s, i);
                        let kind = sc.nodes()[n].choices[i].skill.kind();
                        stack.push((next, sum + effect.worth(), roadblocks + u32::from(kind == Kind::Roadblock), others + u32::from(kind != Kind::Roadblock)));
                    }
                }
                (None, Some(e)) => {
                    paths += 1;
                    let trust = i32::from(s.trust);
                    widen(&mut ending_ranges, e, trust);
                    // Largest sum, then fewest roadblocks, then highest trust;
                    // fewest responses that are not roadblocks, then smallest sum, then lowest trust.
                    if best_seen.is_none_or(|(bs, br, bt)| (sum, std::cmp::Reverse(roadblocks), trust) > (bs, std::cmp::Reverse(br), bt)) {
                        best_seen = Some((sum, roadblocks, trust));
                    }
                    if worst_seen.is_none_or(|(wk, ws, wt)| (others, sum, trust) < (wk, ws, wt)) {
                        worst_seen = Some((others, sum, trust));
                    }
                }
                _ => unreachable!(),
            }
            prop_assume!(paths < 200_000);
        }
        for (n, r) in a.nodes.iter().enumerate() {
            prop_assert_eq!(*r, node_ranges.get(&n).copied(), "node {}", n);
        }
        for (e, r) in a.endings.iter().enumerate() {
            prop_assert_eq!(*r, ending_ranges.get(&e).copied(), "ending {}", e);
        }
        prop_assert_eq!(&a.offered, &offered);
        prop_assert_eq!(a.best.as_ref().map(|p| (p.sum, p.trust)), best_seen.map(|(s, _, t)| (s, t)));
        prop_assert_eq!(a.worst.as_ref().map(|p| (p.sum, p.trust)), worst_seen.map(|(_, s, t)| (s, t)));

        // The best path, replayed as a session, ends where the analysis says.
        let best = a.best.unwrap();
        let mut s = Session::start(sc.clone(), Mode::Practice, 0);
        for &(n, c) in &best.steps {
            prop_assert_eq!(s.state().node(), Some(n));
            s.choose(&sc.nodes()[n].choices[c].id).unwrap();
        }
        prop_assert_eq!(s.state().ending(), Some(best.ending));
        prop_assert_eq!(i32::from(s.state().trust), best.trust);
    }

    #[test]
    fn checking_arbitrary_text_never_panics(text in ".{0,400}") {
        let _ = check(&text, Format::Toml);
        let _ = check(&text, Format::Json);
    }

    #[test]
    fn checking_mutated_scenarios_never_panics_and_what_loads_plays(seed in any::<u64>(), cuts in prop::collection::vec((any::<prop::sample::Index>(), any::<prop::sample::Index>(), "[a-z0-9 =\"\\[\\]{},.\n-]{0,6}"), 1..4)) {
        let mut text = scenario(seed, &Shape { nodes: 6, max_choices: 3, cycles: true, flags: 2, gates: true, distress: true });
        for (at, len, insert) in cuts {
            let start = at.index(text.len());
            let end = (start + len.index(12)).min(text.len());
            if text.is_char_boundary(start) && text.is_char_boundary(end) {
                text.replace_range(start..end, &insert);
            }
        }
        let json = attunement::checking::compile(&text, Format::Toml);
        let report = check(&text, Format::Toml);
        prop_assert_eq!(report.scenario.is_some(), report.errors().next().is_none());
        prop_assert_eq!(json.is_ok(), report.scenario.is_some());
        if let Some(sc) = report.scenario {
            let mut s = Session::start(Arc::new(sc), Mode::Practice, seed);
            play(&mut s, &mut Rng::new(seed), 50);
        }
    }
}
