//! The reply coder: what a learner's own words read as, worked out on their device.
//!
//! A reply is coded as one skill of the taxonomy ([`Skill::ALL`]) by a linear model (multinomial
//! logistic regression) over hashed features of its words, its opening and its characters: no
//! network, no model fetched from elsewhere, and the same coding for the same text and model
//! natively and in wasm. The model is trained by [`train`] on replies the project wrote itself
//! (`data/replies/`, see `data/README.md`) and ships as a small binary file (`data/coder.bin`).
//!
//! [`Coder::take`] then matches a coded reply to the choices on offer: the same skill first, then
//! the closest wording, and none when the coding is unsure or no choice has that skill, so the
//! learner picks the option closest to what they meant.
//!
//! Invariants: a model file is checked whole (magic, version, lengths, class ids, checksum) before
//! it is used, so a damaged or foreign file is an error, never a trap; features are the same
//! function in training and in coding.

pub mod train;

use crate::hash::Fnv;
use crate::skill::Skill;

/// The first bytes of a model file.
pub const MAGIC: &[u8; 8] = b"\x89ATTC\r\n\x1a";
/// The model file's layout version; a change to the layout or to the features takes a new one.
pub const VERSION: u16 = 1;
/// The coding's confidence below which a reply is not taken as any choice: the learner picks.
pub const SURE: f64 = 0.45;

/// What a reply reads as: its most likely skill, how likely, and the runners-up.
#[derive(Clone, Debug, PartialEq)]
pub struct Coding {
    pub skill: Skill,
    /// The model's probability of `skill`, in `0..=1`.
    pub confidence: f64,
    /// The next most likely skills, most likely first.
    pub alternatives: Vec<(Skill, f64)>,
}

impl Coding {
    /// Too unsure to take the reply as any choice: the confidence is below [`SURE`].
    pub fn unsure(&self) -> bool {
        self.confidence < SURE
    }
}

/// How a reply maps onto the choices on offer.
#[derive(Clone, Debug, PartialEq)]
pub enum Taken {
    /// Taken as the choice at this index: it has the coded skill and the closest wording.
    Choice(usize),
    /// The coding is below [`SURE`]: the learner picks.
    Unsure,
    /// No choice on offer has the coded skill: the learner picks.
    NoMatch,
}

/// A trained model: per-class biases and int8 weights over `2^bits` hashed features.
#[derive(Clone, Debug, PartialEq)]
pub struct Coder {
    bits: u8,
    classes: Vec<Skill>,
    scale: f32,
    bias: Vec<f32>,
    /// Bucket-major: the weights of bucket `b` are `weights[b * classes..][..classes]`.
    weights: Vec<i8>,
}

/// Why a model file cannot be used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ModelError {
    Foreign,
    Newer(u16),
    Truncated,
    Corrupt(&'static str),
}

impl std::fmt::Display for ModelError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ModelError::Foreign => f.write_str("this is not a reply coder's model (data/coder.bin)"),
            ModelError::Newer(v) => write!(f, "the reply coder's model has format {v}, newer than this engine's {VERSION}: update the simulator's files"),
            ModelError::Truncated => f.write_str("the reply coder's model is cut short: download or copy it again"),
            ModelError::Corrupt(what) => write!(f, "the reply coder's model is damaged ({what}): download or copy it again"),
        }
    }
}

impl std::error::Error for ModelError {}

impl Coder {
    /// Builds a model from trained weights; `weights` is bucket-major with `classes.len()` a bucket.
    pub(crate) fn from_parts(bits: u8, classes: Vec<Skill>, scale: f32, bias: Vec<f32>, weights: Vec<i8>) -> Coder {
        assert_eq!(weights.len(), (1usize << bits) * classes.len());
        assert_eq!(bias.len(), classes.len());
        Coder { bits, classes, scale, bias, weights }
    }

    /// The skills this model codes, in its own order.
    pub fn classes(&self) -> &[Skill] {
        &self.classes
    }

    /// Codes one reply.
    pub fn code(&self, text: &str) -> Coding {
        let x = Features::of(text, self.bits);
        let n = self.classes.len();
        let mut scores: Vec<f64> = self.bias.iter().map(|&b| f64::from(b)).collect();
        for &(bucket, value) in &x.0 {
            let row = &self.weights[bucket as usize * n..][..n];
            for (s, &w) in scores.iter_mut().zip(row) {
                *s += f64::from(self.scale) * f64::from(w) * f64::from(value);
            }
        }
        let probs = softmax(&scores);
        let mut ranked: Vec<(Skill, f64)> = self.classes.iter().copied().zip(probs).collect();
        // Ties (equal probabilities) keep the model's order, so the ranking is deterministic.
        ranked.sort_by(|a, b| b.1.total_cmp(&a.1));
        let (skill, confidence) = ranked[0];
        Coding { skill, confidence, alternatives: ranked[1..4.min(ranked.len())].to_vec() }
    }

    /// Which of the offered choices (their skills and texts) a coded reply is taken as.
    pub fn take(coding: &Coding, reply: &str, offered: &[(Skill, &str)]) -> Taken {
        if coding.unsure() {
            return Taken::Unsure;
        }
        let reply = Features::of(reply, WORDING_BITS);
        offered
            .iter()
            .enumerate()
            .filter(|(_, (skill, _))| *skill == coding.skill)
            .map(|(i, (_, text))| (i, reply.cosine(&Features::of(text, WORDING_BITS))))
            // The closest wording; on a tie, the first offered.
            .fold(None, |best: Option<(usize, f32)>, (i, sim)| match best {
                Some((_, s)) if s >= sim => best,
                _ => Some((i, sim)),
            })
            .map_or(Taken::NoMatch, |(i, _)| Taken::Choice(i))
    }

    /// The model as bytes: magic, version, bits, the class ids, scale, biases, weights, checksum.
    pub fn write(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.weights.len() + 256);
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&VERSION.to_le_bytes());
        out.push(self.bits);
        out.push(self.classes.len() as u8);
        for skill in &self.classes {
            out.push(skill.id().len() as u8);
            out.extend_from_slice(skill.id().as_bytes());
        }
        out.extend_from_slice(&self.scale.to_le_bytes());
        for b in &self.bias {
            out.extend_from_slice(&b.to_le_bytes());
        }
        out.extend(self.weights.iter().map(|&w| w as u8));
        let sum = Fnv::default().bytes(&out).finish();
        out.extend_from_slice(&sum.to_le_bytes());
        out
    }

    /// Reads a model written by [`Coder::write`], checking every part.
    pub fn read(bytes: &[u8]) -> Result<Coder, ModelError> {
        if !bytes.starts_with(MAGIC) {
            return Err(if bytes.len() < MAGIC.len() && MAGIC.starts_with(bytes) { ModelError::Truncated } else { ModelError::Foreign });
        }
        let (body, sum) = bytes.split_at_checked(bytes.len().saturating_sub(8)).filter(|(b, _)| b.len() > MAGIC.len()).ok_or(ModelError::Truncated)?;
        let mut r = Bytes(&body[MAGIC.len()..]);
        let version = u16::from_le_bytes(r.array()?);
        if version > VERSION {
            return Err(ModelError::Newer(version));
        }
        if version < VERSION {
            return Err(ModelError::Corrupt("an older format"));
        }
        if Fnv::default().bytes(body).finish().to_le_bytes() != sum {
            return Err(ModelError::Corrupt("its checksum does not match"));
        }
        let bits = r.byte()?;
        if !(8..=20).contains(&bits) {
            return Err(ModelError::Corrupt("feature bits out of range"));
        }
        let n = usize::from(r.byte()?);
        let mut classes = Vec::with_capacity(n);
        for _ in 0..n {
            let len = usize::from(r.byte()?);
            let id = std::str::from_utf8(r.take(len)?).map_err(|_| ModelError::Corrupt("a class id is not UTF-8"))?;
            let skill = Skill::from_id(id).ok_or(ModelError::Corrupt("a class is not a skill this engine knows"))?;
            if classes.contains(&skill) {
                return Err(ModelError::Corrupt("a class appears twice"));
            }
            classes.push(skill);
        }
        if n < 2 {
            return Err(ModelError::Corrupt("fewer than two classes"));
        }
        let scale = f32::from_le_bytes(r.array()?);
        let bias = (0..n).map(|_| r.array().map(f32::from_le_bytes)).collect::<Result<Vec<f32>, _>>()?;
        if !scale.is_finite() || bias.iter().any(|b| !b.is_finite()) {
            return Err(ModelError::Corrupt("a weight is not a number"));
        }
        let weights: Vec<i8> = r.take((1usize << bits) * n)?.iter().map(|&b| b as i8).collect();
        if !r.0.is_empty() {
            return Err(ModelError::Corrupt("bytes after the weights"));
        }
        Ok(Coder { bits, classes, scale, bias, weights })
    }
}

/// The feature bits the wording comparison in [`Coder::take`] uses (not the model's).
const WORDING_BITS: u8 = 16;

/// A bounds-checked cursor over a model file.
struct Bytes<'a>(&'a [u8]);

impl<'a> Bytes<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], ModelError> {
        let (head, rest) = self.0.split_at_checked(n).ok_or(ModelError::Truncated)?;
        self.0 = rest;
        Ok(head)
    }

    fn byte(&mut self) -> Result<u8, ModelError> {
        Ok(self.take(1)?[0])
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N], ModelError> {
        Ok(self.take(N)?.try_into().expect("take gives N bytes"))
    }
}

fn softmax(scores: &[f64]) -> Vec<f64> {
    let max = scores.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let exps: Vec<f64> = scores.iter().map(|s| (s - max).exp()).collect();
    let sum: f64 = exps.iter().sum();
    exps.into_iter().map(|e| e / sum).collect()
}

/// A reply as a sparse vector of unit length: (bucket, value), buckets ascending and distinct.
#[derive(Clone, Debug, PartialEq)]
pub struct Features(pub Vec<(u32, f32)>);

/// How much the character n-grams weigh against the word features (before normalising).
const CHAR_WEIGHT: f32 = 0.5;

/// The most of a reply that is read, in characters: far more than a turn's reply (the widget's
/// box takes no more), and a bound on coding's work and memory, which are about 50 bytes a
/// character read (ten million characters took 530 MiB of the learner's wasm memory, and
/// ninety million trapped it). The rest of a longer text is not coded.
pub const MAX_REPLY: usize = 2_000;

impl Features {
    /// The features of a reply, hashed into `2^bits` buckets.
    ///
    /// Words are lower-cased, with apostrophes dropped (so "dont" and "don't" meet) and `?`, `!`,
    /// `[` and an ellipsis kept as words of their own. The features: each word; each pair of
    /// neighbouring words, with the start and end as words; the first one, two and three words
    /// (how a reply opens says much of what it is); the character 3- and 4-grams of the words
    /// with spaces between (so a typo still shares most of its word's features); and the length
    /// in words, bucketed. Only the first [`MAX_REPLY`] characters are read.
    pub fn of(text: &str, bits: u8) -> Features {
        let text = text.char_indices().nth(MAX_REPLY).and_then(|(end, _)| text.get(..end)).unwrap_or(text);
        let words = words(text);
        let mut raw: Vec<(u32, f32)> = Vec::with_capacity(words.len() * 12 + 8);
        let mut add = |kind: u8, parts: &[&str], value: f32| {
            let mut h = Fnv::default();
            h.bytes(&[kind]);
            for p in parts {
                h.bytes(p.as_bytes()).bytes(&[0]);
            }
            let h = h.finish();
            raw.push((((h ^ (h >> 32)) & ((1 << bits) - 1)) as u32, value));
        };
        for w in &words {
            add(b'w', &[w], 1.0);
        }
        let mut padded = Vec::with_capacity(words.len() + 2);
        padded.push("^");
        padded.extend(words.iter().map(String::as_str));
        padded.push("$");
        for pair in padded.windows(2) {
            add(b'b', pair, 1.0);
        }
        for n in 1..=3.min(words.len()) {
            add(b'o', &padded[1..=n], 1.0);
        }
        let len = match words.len() {
            0..=3 => "short",
            4..=9 => "medium",
            10..=24 => "long",
            _ => "longer",
        };
        add(b'n', &[len], 1.0);
        let line: Vec<char> = std::iter::once(' ').chain(words.join(" ").chars()).chain(std::iter::once(' ')).collect();
        let mut gram = String::new();
        for n in 3..=4 {
            for window in line.windows(n) {
                gram.clear();
                gram.extend(window);
                add(b'c', &[&gram], CHAR_WEIGHT);
            }
        }
        Features::normalised(raw)
    }

    /// Sums repeated buckets and scales the vector to unit length.
    fn normalised(mut raw: Vec<(u32, f32)>) -> Features {
        raw.sort_unstable_by_key(|&(b, _)| b);
        let mut merged: Vec<(u32, f32)> = Vec::with_capacity(raw.len());
        for (b, v) in raw {
            match merged.last_mut() {
                Some((last, sum)) if *last == b => *sum += v,
                _ => merged.push((b, v)),
            }
        }
        let norm = merged.iter().map(|(_, v)| v * v).sum::<f32>().sqrt();
        if norm > 0.0 {
            for (_, v) in &mut merged {
                *v /= norm;
            }
        }
        Features(merged)
    }

    /// The cosine of two unit vectors: their dot product.
    pub fn cosine(&self, other: &Features) -> f32 {
        let (mut i, mut j, mut sum) = (0, 0, 0.0);
        while i < self.0.len() && j < other.0.len() {
            let (a, b) = (self.0[i], other.0[j]);
            match a.0.cmp(&b.0) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    sum += a.1 * b.1;
                    i += 1;
                    j += 1;
                }
            }
        }
        sum
    }
}

/// A reply's words: lower-cased, apostrophes dropped, `?` `!` `[` and `...` as words of their own.
pub fn words(text: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut dots = 0;
    let flush = |word: &mut String, words: &mut Vec<String>| {
        if !word.is_empty() {
            words.push(std::mem::take(word));
        }
    };
    for c in text.chars() {
        if c == '.' || c == '…' {
            dots += if c == '…' { 3 } else { 1 };
            flush(&mut word, &mut words);
            continue;
        }
        if dots >= 2 {
            words.push("...".to_string());
        }
        dots = 0;
        match c {
            '\'' | '’' | '‘' | '`' | '´' => {}
            '?' | '!' | '[' => {
                flush(&mut word, &mut words);
                words.push(c.to_string());
            }
            c if c.is_alphanumeric() => word.extend(c.to_lowercase()),
            _ => flush(&mut word, &mut words),
        }
    }
    flush(&mut word, &mut words);
    if dots >= 2 {
        words.push("...".to_string());
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_fold_case_apostrophes_and_marks() {
        assert_eq!(words("It SOUNDS like you’re tired... Right?"), ["it", "sounds", "like", "youre", "tired", "...", "right", "?"]);
        assert_eq!(words("[stay quiet, nod]"), ["[", "stay", "quiet", "nod"]);
        assert_eq!(words("don't  dont"), ["dont", "dont"]);
        assert_eq!(words("ok…"), ["ok", "..."]);
        assert_eq!(words("end. Next"), ["end", "next"], "one full stop is no word");
        assert!(words(" ,;: ").is_empty());
    }

    #[test]
    fn features_are_unit_vectors_with_sorted_distinct_buckets() {
        for text in ["It sounds like you feel let down.", "ok", "?", "", "ünïcödé wörds, typos: teh"] {
            let f = Features::of(text, 12);
            assert!(f.0.windows(2).all(|w| w[0].0 < w[1].0), "{text:?}: buckets ascend, each once");
            assert!(f.0.iter().all(|&(b, _)| b < 1 << 12));
            if !f.0.is_empty() {
                let norm: f32 = f.0.iter().map(|(_, v)| v * v).sum();
                assert!((norm - 1.0).abs() < 1e-5, "{text:?}: norm² {norm}");
            }
        }
    }

    #[test]
    fn a_typo_keeps_most_of_its_features_and_another_reply_does_not() {
        let right = Features::of("It sounds like you're exhausted.", 16);
        let typo = Features::of("it sonds like your exausted", 16);
        let other = Features::of("You should just update your CV.", 16);
        assert!(right.cosine(&typo) > 0.5, "typo: {}", right.cosine(&typo));
        assert!(right.cosine(&other) < 0.25, "other: {}", right.cosine(&other));
        assert!((right.cosine(&right) - 1.0).abs() < 1e-5);
    }

    /// A two-class model whose weights are set by hand: bucket `b` of the word "sad" votes
    /// reflection, everything else nothing.
    fn tiny() -> Coder {
        let bits = 10;
        let classes = vec![Skill::Reflection, Skill::Advice];
        let mut weights = vec![0i8; (1 << bits) * 2];
        for (bucket, value) in Features::of("sad", bits).0 {
            weights[bucket as usize * 2] = (value * 127.0) as i8;
        }
        Coder::from_parts(bits, classes, 0.05, vec![0.0, 0.5], weights)
    }

    #[test]
    fn coding_ranks_every_class_and_sums_to_one() {
        let coder = tiny();
        let sad = coder.code("sad");
        assert_eq!(sad.skill, Skill::Reflection);
        assert_eq!(sad.alternatives.len(), 1);
        assert!((sad.confidence + sad.alternatives[0].1 - 1.0).abs() < 1e-9);
        let other = coder.code("you could phone your brother tonight, maybe");
        assert_eq!(other.skill, Skill::Advice, "the bias decides when no word speaks");
    }

    #[test]
    fn a_reply_is_taken_as_the_closest_choice_of_its_skill() {
        let coding = Coding { skill: Skill::Reflection, confidence: 0.8, alternatives: vec![] };
        let offered = [
            (Skill::Advice, "You should call your sister tonight."),
            (Skill::Reflection, "It sounds like the silence at home is heavy."),
            (Skill::Reflection, "You're worried your sister is angry with you."),
        ];
        assert_eq!(Coder::take(&coding, "you're worried she's angry with you", &offered), Taken::Choice(2));
        assert_eq!(Coder::take(&coding, "sounds like home feels heavy and silent", &offered), Taken::Choice(1));
        let unsure = Coding { confidence: SURE - 0.01, ..coding.clone() };
        assert_eq!(Coder::take(&unsure, "you're worried she's angry", &offered), Taken::Unsure);
        let validation = Coding { skill: Skill::Validation, ..coding };
        assert_eq!(Coder::take(&validation, "anyone would feel that", &offered), Taken::NoMatch);
    }

    #[test]
    fn a_model_round_trips_and_every_damage_is_an_error() {
        let coder = tiny();
        let bytes = coder.write();
        assert_eq!(Coder::read(&bytes).as_ref(), Ok(&coder));
        assert_eq!(Coder::read(b"[scenario]"), Err(ModelError::Foreign));
        assert_eq!(Coder::read(&bytes[..5]), Err(ModelError::Truncated));
        for cut in [8, 11, bytes.len() / 2, bytes.len() - 1] {
            assert!(Coder::read(&bytes[..cut]).is_err(), "cut at {cut}");
        }
        let mut newer = bytes.clone();
        newer[8] = 9;
        assert_eq!(Coder::read(&newer), Err(ModelError::Newer(9)));
        for at in [10, 11, 13, 20, bytes.len() / 2, bytes.len() - 9] {
            let mut bad = bytes.clone();
            bad[at] ^= 0x40;
            assert!(matches!(Coder::read(&bad), Err(ModelError::Corrupt(_))), "a flipped byte at {at} is refused");
        }
    }
}
