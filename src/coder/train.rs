//! Training and evaluating the reply coder on the project's own replies (`data/replies/`).
//!
//! The data is one file a skill, `SKILL_ID.txt`, one reply a line (`#` starts a comment line).
//! Each reply falls into the training or the held-out split by a hash of its words, so the split
//! is the same on every machine and a reply keeps its side when others are added. Training is
//! deterministic: the same data gives the same model file, byte for byte (a test holds the
//! committed `data/coder.bin` to that).

use super::{Coder, Features, words};
use crate::hash::{Fnv, Rng};
use crate::skill::Skill;
use std::fmt::Write as _;
use std::path::Path;

/// One labelled reply, with where it came from.
#[derive(Clone, Debug)]
pub struct Example {
    pub skill: Skill,
    pub text: String,
    pub file: String,
    pub line: usize,
}

/// Which side of the split a reply is on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Split {
    Train,
    /// One reply in five, held out for [`evaluate`].
    Test,
}

impl Example {
    pub fn split(&self) -> Split {
        let mut h = Fnv::default();
        for w in words(&self.text) {
            h.str(&w);
        }
        if h.finish() % 5 == 0 { Split::Test } else { Split::Train }
    }
}

/// The feature bits of the shipped model: 2^12 buckets of 28 int8 weights (113 KB, about 90 KB
/// gzipped). 2^13 scored the same on a development split carved from the training replies and
/// doubles the file; 2^11 lost 0.03 of macro-F1.
pub const BITS: u8 = 12;

/// Reads every `SKILL_ID.txt` in `dir`, in name order. Every problem is reported, each with its
/// file and line: a file named for no skill, a reply filed under two skills (or twice under one).
pub fn read_dir(dir: &Path) -> Result<Vec<Example>, Vec<String>> {
    let mut problems = Vec::new();
    let mut names: Vec<_> = match std::fs::read_dir(dir) {
        Ok(entries) => entries.filter_map(|e| e.ok().map(|e| e.path())).filter(|p| p.extension().is_some_and(|x| x == "txt")).collect(),
        Err(e) => return Err(vec![format!("{}: {e}", dir.display())]),
    };
    names.sort();
    let mut examples: Vec<Example> = Vec::new();
    let mut seen: std::collections::HashMap<Vec<String>, (String, usize)> = std::collections::HashMap::new();
    for path in names {
        let file = path.display().to_string();
        let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
        let Some(skill) = Skill::from_id(stem) else {
            problems.push(format!("{file}:1:1: `{stem}` is not a skill id; hint: name each file after a skill (see `attunement schema`), such as reflection.txt"));
            continue;
        };
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) => {
                problems.push(format!("{file}: {e}"));
                continue;
            }
        };
        for (i, line) in text.lines().enumerate() {
            let reply = line.trim();
            if reply.is_empty() || reply.starts_with('#') {
                continue;
            }
            let key = words(reply);
            if key.is_empty() {
                problems.push(format!("{file}:{}:1: the reply has no words", i + 1));
                continue;
            }
            if let Some((other, at)) = seen.get(&key) {
                problems.push(format!("{file}:{}:1: the same reply as {other}:{at}; hint: keep one, under the skill it is", i + 1));
                continue;
            }
            seen.insert(key, (file.clone(), i + 1));
            examples.push(Example { skill, text: reply.to_string(), file: file.clone(), line: i + 1 });
        }
    }
    if problems.is_empty() { Ok(examples) } else { Err(problems) }
}

/// The training settings: fixed, so training is reproducible.
#[derive(Clone, Copy, Debug)]
pub struct Settings {
    pub bits: u8,
    pub epochs: usize,
    /// AdaGrad's step.
    pub rate: f64,
    /// L2 penalty, applied to the weights an example touches.
    pub l2: f64,
    pub seed: u64,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings { bits: BITS, epochs: 30, rate: 0.2, l2: 1e-5, seed: 2026 }
    }
}

/// Trains a model on `examples` (all of them: pass the training split).
///
/// Multinomial logistic regression with AdaGrad, one example at a time in an order shuffled by
/// `settings.seed`; the weights are then quantised to int8 with one scale.
pub fn train(examples: &[Example], settings: Settings) -> Coder {
    let classes: Vec<Skill> = Skill::ALL.to_vec();
    let n = classes.len();
    let buckets = 1usize << settings.bits;
    let data: Vec<(usize, Features)> = examples.iter().map(|e| (e.skill.index(), Features::of(&e.text, settings.bits))).collect();
    let mut w = vec![0f64; buckets * n];
    let mut g2 = vec![1e-8f64; buckets * n];
    let mut bias = vec![0f64; n];
    let mut bias_g2 = vec![1e-8f64; n];
    let mut order: Vec<usize> = (0..data.len()).collect();
    let mut rng = Rng::new(settings.seed);
    let mut scores = vec![0f64; n];
    for _ in 0..settings.epochs {
        for i in (1..order.len()).rev() {
            order.swap(i, rng.below(i + 1));
        }
        for &k in &order {
            let (label, x) = &data[k];
            scores.copy_from_slice(&bias);
            for &(b, v) in &x.0 {
                let row = &w[b as usize * n..][..n];
                for (s, wc) in scores.iter_mut().zip(row) {
                    *s += wc * f64::from(v);
                }
            }
            let probs = super::softmax(&scores);
            for c in 0..n {
                let err = probs[c] - if c == *label { 1.0 } else { 0.0 };
                bias_g2[c] += err * err;
                bias[c] -= settings.rate * err / bias_g2[c].sqrt();
                for &(b, v) in &x.0 {
                    let at = b as usize * n + c;
                    let grad = err * f64::from(v) + settings.l2 * w[at];
                    g2[at] += grad * grad;
                    w[at] -= settings.rate * grad / g2[at].sqrt();
                }
            }
        }
    }
    let max = w.iter().fold(0f64, |m, x| m.max(x.abs())).max(1e-9);
    let scale = max / 127.0;
    let weights = w.iter().map(|x| (x / scale).round().clamp(-127.0, 127.0) as i8).collect();
    // The biases keep their float, as the model file does; the scale is stored as f32.
    Coder::from_parts(settings.bits, classes, scale as f32, bias.iter().map(|&b| b as f32).collect(), weights)
}

/// How a model codes a set of labelled replies.
#[derive(Clone, Debug)]
pub struct Evaluation {
    pub classes: Vec<Skill>,
    /// `confusion[truth][coded]`, indices into `classes`.
    pub confusion: Vec<Vec<u32>>,
}

/// Codes every example and counts what it was taken for.
pub fn evaluate(coder: &Coder, examples: &[Example]) -> Evaluation {
    let classes = coder.classes().to_vec();
    let at = |s: Skill| classes.iter().position(|&c| c == s);
    let mut confusion = vec![vec![0; classes.len()]; classes.len()];
    for e in examples {
        if let (Some(t), Some(p)) = (at(e.skill), at(coder.code(&e.text).skill)) {
            confusion[t][p] += 1;
        }
    }
    Evaluation { classes, confusion }
}

impl Evaluation {
    /// Precision and recall of class `c` (0 where nothing was coded or labelled as it).
    pub fn precision_recall(&self, c: usize) -> (f64, f64) {
        let hit = f64::from(self.confusion[c][c]);
        let coded: u32 = self.confusion.iter().map(|row| row[c]).sum();
        let labelled: u32 = self.confusion[c].iter().sum();
        let ratio = |n: u32| if n == 0 { 0.0 } else { hit / f64::from(n) };
        (ratio(coded), ratio(labelled))
    }

    /// The F1 of class `c`: the harmonic mean of its precision and recall (0 when both are).
    pub fn f1(&self, c: usize) -> f64 {
        match self.precision_recall(c) {
            (p, r) if p + r > 0.0 => 2.0 * p * r / (p + r),
            _ => 0.0,
        }
    }

    /// The unweighted mean of every class's F1, over the classes with any labelled reply.
    pub fn macro_f1(&self) -> f64 {
        let f1s: Vec<f64> = (0..self.classes.len()).filter(|&c| self.confusion[c].iter().sum::<u32>() > 0).map(|c| self.f1(c)).collect();
        if f1s.is_empty() { 0.0 } else { f1s.iter().sum::<f64>() / f1s.len() as f64 }
    }

    pub fn accuracy(&self) -> f64 {
        let hits: u32 = (0..self.classes.len()).map(|c| self.confusion[c][c]).sum();
        let all: u32 = self.confusion.iter().flatten().sum();
        if all == 0 { 0.0 } else { f64::from(hits) / f64::from(all) }
    }

    /// The report `attunement coder evaluate` prints: per-class precision, recall, F1 and
    /// support, macro-F1 and accuracy, then the confusion matrix (rows: the label; columns: the
    /// coding, numbered as the rows).
    pub fn report(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "{:>3} {:<24} {:>9} {:>6} {:>6} {:>7}", "#", "skill", "precision", "recall", "F1", "replies");
        for (c, skill) in self.classes.iter().enumerate() {
            let (p, r) = self.precision_recall(c);
            let support: u32 = self.confusion[c].iter().sum();
            let _ = writeln!(out, "{:>3} {:<24} {:>9.2} {:>6.2} {:>6.2} {:>7}", c + 1, skill.id(), p, r, self.f1(c), support);
        }
        let total: u32 = self.confusion.iter().flatten().sum();
        let _ = writeln!(out, "macro-F1 {:.3}, accuracy {:.3}, over {total} replies\n", self.macro_f1(), self.accuracy());
        let _ = write!(out, "confusion (rows: labelled; columns: coded as)\n{:>3}", "");
        for c in 0..self.classes.len() {
            let _ = write!(out, "{:>4}", c + 1);
        }
        out.push('\n');
        for (t, row) in self.confusion.iter().enumerate() {
            let _ = write!(out, "{:>3}", t + 1);
            for &count in row {
                if count == 0 {
                    out.push_str("   .");
                } else {
                    let _ = write!(out, "{count:>4}");
                }
            }
            out.push('\n');
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn example(skill: Skill, text: &str) -> Example {
        Example { skill, text: text.to_string(), file: String::new(), line: 0 }
    }

    #[test]
    fn the_split_depends_on_the_words_only() {
        let a = example(Skill::Reflection, "It sounds like you're tired.");
        let b = example(Skill::Advice, "it SOUNDS like youre tired");
        assert_eq!(a.split(), b.split());
        let tests = (0..1000).filter(|i| example(Skill::Reflection, &format!("reply {i}")).split() == Split::Test).count();
        assert!((150..250).contains(&tests), "about one in five is held out: {tests}");
    }

    #[test]
    fn training_separates_two_classes_and_is_deterministic() {
        let data: Vec<Example> = ["sad", "low", "down", "hurt", "lonely", "scared"]
            .iter()
            .flat_map(|w| [example(Skill::Reflection, &format!("you feel {w}")), example(Skill::Advice, &format!("you should try {w} music"))])
            .collect();
        let settings = Settings { bits: 10, epochs: 20, ..Settings::default() };
        let coder = train(&data, settings);
        assert_eq!(coder.write(), train(&data, settings).write(), "the same data gives the same bytes");
        assert_eq!(coder.code("you feel tired").skill, Skill::Reflection);
        assert_eq!(coder.code("you should try walking").skill, Skill::Advice);
        let eval = evaluate(&coder, &data);
        assert_eq!(eval.accuracy(), 1.0);
        assert_eq!(eval.macro_f1(), 1.0, "classes with no replies are left out of the mean");
    }

    #[test]
    fn the_figures_follow_the_confusion_matrix() {
        let classes = vec![Skill::Reflection, Skill::Advice];
        // 3 reflections: 2 coded right, 1 as advice; 1 advice, coded as advice.
        let eval = Evaluation { classes, confusion: vec![vec![2, 1], vec![0, 1]] };
        assert_eq!(eval.precision_recall(0), (1.0, 2.0 / 3.0));
        assert_eq!(eval.precision_recall(1), (0.5, 1.0));
        let f1 = |p: f64, r: f64| 2.0 * p * r / (p + r);
        assert!((eval.macro_f1() - (f1(1.0, 2.0 / 3.0) + f1(0.5, 1.0)) / 2.0).abs() < 1e-12);
        assert_eq!(eval.accuracy(), 0.75);
        let report = eval.report();
        assert!(report.contains("macro-F1 0.733, accuracy 0.750, over 4 replies"), "{report}");
    }

    #[test]
    fn read_dir_reports_every_problem_with_its_place() {
        let dir = std::env::temp_dir().join(format!("attunement-coder-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("reflection.txt"), "# a comment\nYou feel let down.\n\nyou feel let down\n").unwrap();
        std::fs::write(dir.join("advice.txt"), "You should rest.\n").unwrap();
        std::fs::write(dir.join("reflexion.txt"), "It sounds hard.\n").unwrap();
        let problems = read_dir(&dir).unwrap_err();
        assert_eq!(problems.len(), 2, "{problems:#?}");
        assert!(problems[0].contains("reflection.txt:4:1: the same reply as ") && problems[0].ends_with("reflection.txt:2; hint: keep one, under the skill it is"), "{problems:#?}");
        assert!(problems[1].contains("reflexion.txt:1:1: `reflexion` is not a skill id"), "{problems:#?}");
        std::fs::remove_file(dir.join("reflexion.txt")).unwrap();
        std::fs::write(dir.join("reflection.txt"), "You feel let down.\n").unwrap();
        let examples = read_dir(&dir).unwrap();
        assert_eq!(examples.iter().map(|e| (e.skill, e.line)).collect::<Vec<_>>(), [(Skill::Advice, 1), (Skill::Reflection, 1)]);
        std::fs::remove_dir_all(dir).ok();
    }
}
