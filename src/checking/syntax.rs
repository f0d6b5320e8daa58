//! The authoring format: the shape of a scenario file, declared once.
//!
//! Each `syntax!` block below declares a struct, and from the same declaration
//! the macro derives both its lowering from a spanned [`Value`] tree and its
//! JSON Schema, so the schema an editor validates against cannot drift from
//! what the loader accepts. Lowering never stops at the first problem: every
//! field of every table is visited, and each type error, missing field and
//! unknown key becomes a diagnostic.

use serde_json::{Map, Value as Json, json};

use super::value::{Spanned, Value};
use crate::diagnostic::{Diagnostic, Span, did_you_mean, quoted};
use crate::skill::Skill;
pub use crate::scenario::{Level, Outcome};

/// Collects diagnostics while lowering.
#[derive(Default)]
pub struct Cx {
    pub diagnostics: Vec<Diagnostic>,
    /// The key whose value is being read, for "expected X for `key`".
    key: Option<&'static str>,
}

/// A type that can be read from a spanned value and described in JSON Schema.
pub trait Syntax: Sized {
    /// The value to use when the key is absent, or `None` when it is required.
    fn absent() -> Option<Self> {
        None
    }
    fn lower(v: &Spanned<Value>, cx: &mut Cx) -> Option<Self>;
    fn schema() -> Json;
}

impl Cx {
    fn mismatch(&mut self, expected: &str, v: &Spanned<Value>) {
        let key = self.key.map(|k| format!(" for `{k}`")).unwrap_or_default();
        self.diagnostics.push(Diagnostic::error("E002", v.span, format!("expected {expected}{key}, found {}", v.value.kind())));
    }

    fn table<'v>(&mut self, v: &'v Spanned<Value>, what: &str, fields: &[&str]) -> Option<&'v [(Spanned<String>, Spanned<Value>)]> {
        let Value::Table(entries) = &v.value else {
            self.mismatch(&format!("a table ({what})"), v);
            return None;
        };
        let mut seen = std::collections::HashSet::with_capacity(entries.len());
        for (key, _) in entries {
            // Editors read `$schema`; the scenario ignores it.
            if key.value == "$schema" {
                continue;
            }
            if !seen.insert(key.value.as_str()) {
                self.diagnostics.push(Diagnostic::error("E005", key.span, format!("duplicate key `{}` in {what}", quoted(&key.value))));
            } else if !fields.contains(&key.value.as_str()) {
                let mut d = Diagnostic::error("E007", key.span, format!("unknown field `{}` in {what}", quoted(&key.value)));
                d = match did_you_mean(&key.value, fields.iter().copied()) {
                    Some(m) => d.hint(format!("did you mean `{m}`?")),
                    None => d.hint(format!("{what} fields are: {}", fields.join(", "))),
                };
                self.diagnostics.push(d);
            }
        }
        Some(entries)
    }

    fn field<T: Syntax>(&mut self, table: &Spanned<Value>, entries: &[(Spanned<String>, Spanned<Value>)], key: &'static str, what: &str) -> Option<T> {
        match entries.iter().find(|(k, _)| k.value == key) {
            Some((_, v)) => {
                let outer = self.key.replace(key);
                let value = T::lower(v, self);
                self.key = outer;
                value
            }
            None => T::absent().or_else(|| {
                // Name the table by its id when it has one: "in node `opening`".
                let named = entries.iter().find_map(|(k, v)| match &v.value {
                    Value::Str(id) if k.value == "id" => Some(format!("{what} `{}`", quoted(id))),
                    _ => None,
                });
                let d = Diagnostic::error("E003", table.span, format!("missing field `{key}` in {}", named.unwrap_or_else(|| what.to_string())));
                self.diagnostics.push(d.hint(format!("add `{key} = ...`")));
                None
            }),
        }
    }
}

fn doc(lines: &[&str]) -> String {
    lines.iter().map(|l| l.trim()).collect::<Vec<_>>().join(" ").trim().to_string()
}

macro_rules! syntax {
    (
        $(#[doc = $doc:literal])*
        pub struct $name:ident as $what:literal {
            $( $(#[doc = $fdoc:literal])* pub $field:ident : $ty:ty, )*
        }
    ) => {
        $(#[doc = $doc])*
        #[derive(Clone, Debug)]
        pub struct $name {
            /// Where the whole table is, for diagnostics about it.
            pub span: Span,
            $( $(#[doc = $fdoc])* pub $field: $ty, )*
        }

        impl $name {
            pub const FIELDS: &'static [&'static str] = &[$(stringify!($field)),*];
        }

        impl Syntax for $name {
            fn lower(v: &Spanned<Value>, cx: &mut Cx) -> Option<Self> {
                let entries = cx.table(v, $what, Self::FIELDS)?;
                $( let $field = cx.field::<$ty>(v, entries, stringify!($field), $what); )*
                Some($name { span: v.span, $( $field: $field?, )* })
            }

            fn schema() -> Json {
                let mut properties = Map::new();
                let mut required = Vec::new();
                $(
                    let mut s = <$ty as Syntax>::schema();
                    s["description"] = Json::String(doc(&[$($fdoc),*]));
                    properties.insert(stringify!($field).to_string(), s);
                    if <$ty as Syntax>::absent().is_none() {
                        required.push(stringify!($field));
                    }
                )*
                json!({
                    "type": "object",
                    "description": doc(&[$($doc),*]),
                    "properties": properties,
                    "required": required,
                    "additionalProperties": false,
                })
            }
        }
    };
}

syntax! {
    /// A scenario: who the peer is, what they say, and how the conversation can go.
    pub struct ScenarioFile as "scenario" {
        /// Stable id: lowercase letters, digits and dashes; the file name without its extension.
        pub id: Spanned<String>,
        /// Title shown in the scenario library.
        pub title: String,
        /// BCP 47 language tag of the text, such as `en`; defaults to `en`.
        pub language: Option<Spanned<String>>,
        /// One or two sentences for the library page.
        pub summary: String,
        /// What the learner should be able to do afterwards.
        pub objectives: Vec<String>,
        /// Estimated minutes to play.
        pub minutes: Spanned<i64>,
        /// Where the scenario sits on the library's path: `introductory`, `intermediate` or
        /// `advanced`; defaults to `intermediate`. The library lists introductory scenarios first.
        pub level: Option<Spanned<Level>>,
        /// The scenario's place among those of its level, 1 to 999, lower first; those without
        /// one follow, by title.
        pub order: Option<Spanned<i64>>,
        /// Content notes shown before the scenario starts, with a way to skip; empty when none.
        pub content_notes: Vec<String>,
        /// For a translation: who reviewed it, or that it still needs a reviewer, for the people
        /// who put it before learners. The library lists it; learners never see it, and play
        /// does not read it.
        pub review: Option<String>,
        /// Id of the first node; defaults to the first node in the file.
        pub start: Option<Spanned<String>>,
        /// The simulated peer.
        pub peer: PeerSyntax,
        /// This peer's trust effect for each skill id, overriding the defaults.
        pub profile: Option<Profile>,
        /// The disengagement floor, acute distress level and disclosure gates.
        pub thresholds: Option<ThresholdsSyntax>,
        /// Id of the node the peer goes to the first time trust falls below the floor: they
        /// signal that they are about to leave, and a choice there with `next = "@back"` takes
        /// the conversation back to where it was going. A second fall ends it. Leave it out only
        /// with `walks_out = true` under `[thresholds]`.
        pub leaving: Option<Spanned<String>>,
        /// The conversation's nodes: what the peer says and the learner's choices.
        pub node: Vec<NodeSyntax>,
        /// How the conversation can end.
        pub ending: Vec<EndingSyntax>,
    }
}

syntax! {
    /// The simulated peer.
    pub struct PeerSyntax as "peer" {
        /// The peer's name.
        pub name: String,
        /// Pronouns, such as `she/her`.
        pub pronouns: Option<String>,
        /// Background for the learner, shown before the conversation.
        pub background: Option<String>,
        /// Starting trust, 0 to 100.
        pub trust: Spanned<i64>,
        /// Starting distress, 0 to 100; defaults to 0.
        pub distress: Option<Spanned<i64>>,
    }
}

syntax! {
    /// Trust thresholds.
    pub struct ThresholdsSyntax as "thresholds" {
        /// Trust below this after a choice ends the conversation in the disengaged ending; defaults to 10.
        pub floor: Option<Spanned<i64>>,
        /// Distress at or above this is acute; defaults to 60.
        pub acute: Option<Spanned<i64>>,
        /// Named disclosure gates: the trust a gated node needs.
        pub gates: Option<Entries>,
        /// How much trust one turn must cost for the peer to say a node's `after_drop` on
        /// arriving, 1 to 100; defaults to 8.
        pub sharp_drop: Option<Spanned<i64>>,
        /// True for a peer who walks out the moment trust falls below the floor, without the
        /// warning beat of `leaving`.
        pub walks_out: Option<bool>,
        /// The score (0 to 100: the learner's skill as a share of the best path's) a pass
        /// needs, besides an ending whose outcome is breakthrough, connected or referred;
        /// defaults to 60.
        pub pass: Option<Spanned<i64>>,
    }
}

syntax! {
    /// One moment of the conversation: the peer speaks, the learner responds.
    pub struct NodeSyntax as "node" {
        /// Unique id of the node.
        pub id: Spanned<String>,
        /// What the peer says.
        pub say: String,
        /// A non-verbal cue, such as `looks at the floor`.
        pub cue: Option<String>,
        /// What the peer says first when the turn that brought the talk here cost trust sharply
        /// (`sharp_drop` under `[thresholds]`): a line that owns the hurt, shown before `say`.
        pub after_drop: Option<Spanned<String>>,
        /// True when the peer discloses something here; validation right after is worth more.
        pub disclosure: Option<bool>,
        /// True when the peer shows a warning sign of suicide here (talk of being a burden, of
        /// not waking up, of putting affairs in order, a recent overdose): the learner must be
        /// able to ask directly, with a `safety_question` choice.
        pub warning_signs: Option<bool>,
        /// Name of a disclosure gate: entering needs at least that much trust.
        pub gate: Option<Spanned<String>>,
        /// Where the peer goes instead when the gate's trust is not reached.
        pub otherwise: Option<Spanned<String>>,
        /// Change of the peer's distress on entering this node.
        pub distress: Option<Spanned<i64>>,
        /// The learner's choices.
        pub choice: Vec<ChoiceSyntax>,
    }
}

syntax! {
    /// One response the learner can pick.
    pub struct ChoiceSyntax as "choice" {
        /// Unique id within the node; defaults to `c1`, `c2`, ... by position.
        pub id: Option<Spanned<String>>,
        /// What the learner sees.
        pub text: String,
        /// The skill or roadblock this response is.
        pub skill: Spanned<Skill>,
        /// Trust effect for this choice alone, overriding the peer's profile.
        pub trust: Option<Spanned<i64>>,
        /// Why this response helps or hurts, shown after choosing (practice) or in the debrief.
        pub feedback: Option<String>,
        /// The node or ending that follows; in the `leaving` node, `@back` returns to where the
        /// conversation was going when the peer nearly left.
        pub next: Spanned<String>,
        /// How the response opens, for the parroting rule: the third response in a row that
        /// opens the same way is worth less. Defaults to its first two words, lowercased, without
        /// punctuation; `""` says it opens in no way that can repeat.
        pub opening: Option<String>,
        /// A consequence that lands later: trust changes when the conversation reaches `at`.
        pub later: Option<LaterSyntax>,
        /// Conditions under which this choice is offered.
        pub when: Option<ConditionSyntax>,
        /// Flags to set.
        pub set: Vec<Spanned<String>>,
        /// Flags to clear.
        pub clear: Vec<Spanned<String>>,
        /// Change of the peer's distress.
        pub distress: Option<Spanned<i64>>,
    }
}

syntax! {
    /// Conditions on a choice; all must hold.
    pub struct ConditionSyntax as "condition" {
        /// Offered only when trust is at least this.
        pub trust_min: Option<Spanned<i64>>,
        /// Offered only when trust is at most this.
        pub trust_max: Option<Spanned<i64>>,
        /// Flags that must be set.
        pub flags: Vec<Spanned<String>>,
        /// Flags that must not be set.
        pub not_flags: Vec<Spanned<String>>,
        /// Nodes that must have been visited.
        pub visited: Vec<Spanned<String>>,
        /// Nodes that must not have been visited.
        pub not_visited: Vec<Spanned<String>>,
    }
}

syntax! {
    /// How the conversation ends, and what the debrief says about it.
    pub struct EndingSyntax as "ending" {
        /// Unique id of the ending (shared with node ids).
        pub id: Spanned<String>,
        /// The kind of outcome.
        pub outcome: Spanned<Outcome>,
        /// A short title, such as `Sam agrees to come back`.
        pub title: String,
        /// The peer's last words.
        pub say: Option<String>,
        /// The debrief's account of this ending.
        pub text: String,
        /// One thing to try next time, shown after the account.
        pub next_time: Option<String>,
        /// Versions of the text for particular paths: the first whose `when` holds at the end
        /// replaces `text` and `next_time` (each only when it gives one).
        pub variant: Vec<VariantSyntax>,
    }
}

syntax! {
    /// A consequence of a choice that lands later in the conversation.
    pub struct LaterSyntax as "later" {
        /// The node or ending where it lands, if the conversation gets there.
        pub at: Spanned<String>,
        /// The change of trust then, -50 to 50.
        pub trust: Spanned<i64>,
        /// What the learner reads when it lands: which earlier choice it comes from, and why.
        pub feedback: String,
    }
}

syntax! {
    /// A version of an ending's text for the paths where `when` holds.
    pub struct VariantSyntax as "variant" {
        /// Conditions at the end of the conversation (trust, flags, nodes visited); all must hold.
        pub when: ConditionSyntax,
        /// Replaces the ending's `text`.
        pub text: Option<String>,
        /// Replaces the ending's `next_time`.
        pub next_time: Option<String>,
    }
}

impl Syntax for Level {
    fn lower(v: &Spanned<Value>, cx: &mut Cx) -> Option<Self> {
        lower_name(v, cx, &Level::ALL.map(Level::id), "E028", "level").map(|i| Level::ALL[i])
    }
    fn schema() -> Json {
        json!({ "enum": Level::ALL.map(Level::id) })
    }
}

/// Reads a string naming one of a fixed set, with a "did you mean" on a typo:
/// the position of the name in `names`. Not generic over the type named, so
/// that each new set of names costs the learner's download one table, not
/// another copy of this function.
fn lower_name(v: &Spanned<Value>, cx: &mut Cx, names: &[&'static str], code: &'static str, what: &str) -> Option<usize> {
    let name = String::lower(v, cx)?;
    if let Some(i) = names.iter().position(|&n| n == name) {
        return Some(i);
    }
    let d = Diagnostic::error(code, v.span, format!("unknown {what} `{}`", quoted(&name)));
    cx.diagnostics.push(match did_you_mean(&name, names.iter().copied()) {
        Some(m) => d.hint(format!("did you mean `{m}`?")),
        None => d.hint(format!("{what}s are: {}", names.join(", "))),
    });
    None
}

impl Syntax for Outcome {
    fn lower(v: &Spanned<Value>, cx: &mut Cx) -> Option<Self> {
        lower_name(v, cx, &Outcome::ALL.map(Outcome::id), "E016", "outcome").map(|i| Outcome::ALL[i])
    }
    fn schema() -> Json {
        json!({ "enum": Outcome::ALL.map(Outcome::id) })
    }
}

impl Syntax for Skill {
    fn lower(v: &Spanned<Value>, cx: &mut Cx) -> Option<Self> {
        lower_name(v, cx, &Skill::ALL.map(Skill::id), "E006", "skill").map(|i| Skill::ALL[i])
    }
    fn schema() -> Json {
        json!({ "enum": Skill::ALL.map(Skill::id) })
    }
}

/// A peer profile: a table from skill id to trust effect.
#[derive(Clone, Debug)]
pub struct Profile(pub Vec<(Spanned<Skill>, Spanned<i64>)>);

impl Syntax for Profile {
    fn lower(v: &Spanned<Value>, cx: &mut Cx) -> Option<Self> {
        let Value::Table(entries) = &v.value else {
            cx.mismatch("a table (profile)", v);
            return None;
        };
        let mut out = Vec::new();
        for (key, value) in entries {
            let skill = Skill::lower(&Spanned::new(Value::Str(key.value.clone()), key.span), cx);
            if let (Some(skill), Some(n)) = (skill, i64::lower(value, cx)) {
                out.push((Spanned::new(skill, key.span), Spanned::new(n, value.span)));
            }
        }
        Some(Profile(out))
    }
    fn schema() -> Json {
        let properties: Map<String, Json> = Skill::ALL.iter().map(|s| (s.id().to_string(), json!({ "type": "integer", "minimum": -50, "maximum": 50, "description": s.label() }))).collect();
        json!({ "type": "object", "properties": properties, "additionalProperties": false })
    }
}

/// A table from names to integers, such as the disclosure gates.
#[derive(Clone, Debug)]
pub struct Entries(pub Vec<(Spanned<String>, Spanned<i64>)>);

impl Syntax for Entries {
    fn lower(v: &Spanned<Value>, cx: &mut Cx) -> Option<Self> {
        let Value::Table(entries) = &v.value else {
            cx.mismatch("a table", v);
            return None;
        };
        let mut seen = std::collections::HashSet::with_capacity(entries.len());
        for (key, _) in entries {
            if !seen.insert(key.value.as_str()) {
                cx.diagnostics.push(Diagnostic::error("E005", key.span, format!("duplicate key `{}`", quoted(&key.value))));
            }
        }
        Some(Entries(entries.iter().filter_map(|(k, v)| Some((k.clone(), Spanned::new(i64::lower(v, cx)?, v.span)))).collect()))
    }
    fn schema() -> Json {
        json!({ "type": "object", "additionalProperties": { "type": "integer", "minimum": 0, "maximum": 100 } })
    }
}

impl Syntax for String {
    fn lower(v: &Spanned<Value>, cx: &mut Cx) -> Option<Self> {
        match &v.value {
            Value::Str(s) => Some(s.clone()),
            _ => {
                cx.mismatch("a string", v);
                None
            }
        }
    }
    fn schema() -> Json {
        json!({ "type": "string" })
    }
}

impl Syntax for i64 {
    fn lower(v: &Spanned<Value>, cx: &mut Cx) -> Option<Self> {
        match v.value {
            Value::Int(n) => Some(n),
            _ => {
                cx.mismatch("an integer", v);
                None
            }
        }
    }
    fn schema() -> Json {
        json!({ "type": "integer" })
    }
}

impl Syntax for bool {
    fn lower(v: &Spanned<Value>, cx: &mut Cx) -> Option<Self> {
        match v.value {
            Value::Bool(b) => Some(b),
            _ => {
                cx.mismatch("a boolean", v);
                None
            }
        }
    }
    fn schema() -> Json {
        json!({ "type": "boolean" })
    }
}

impl<T: Syntax> Syntax for Spanned<T> {
    fn lower(v: &Spanned<Value>, cx: &mut Cx) -> Option<Self> {
        T::lower(v, cx).map(|t| Spanned::new(t, v.span))
    }
    fn schema() -> Json {
        T::schema()
    }
}

impl<T: Syntax> Syntax for Option<T> {
    fn absent() -> Option<Self> {
        Some(None)
    }
    fn lower(v: &Spanned<Value>, cx: &mut Cx) -> Option<Self> {
        T::lower(v, cx).map(Some)
    }
    fn schema() -> Json {
        T::schema()
    }
}

impl<T: Syntax> Syntax for Vec<T> {
    fn absent() -> Option<Self> {
        Some(Vec::new())
    }
    fn lower(v: &Spanned<Value>, cx: &mut Cx) -> Option<Self> {
        let Value::Array(items) = &v.value else {
            cx.mismatch("an array", v);
            return None;
        };
        // Lower every item, so that each one's errors are reported, then drop
        // the list if any failed.
        let lowered: Vec<Option<T>> = items.iter().map(|item| T::lower(item, cx)).collect();
        lowered.into_iter().collect()
    }
    fn schema() -> Json {
        json!({ "type": "array", "items": T::schema() })
    }
}

/// The JSON Schema (draft 2020-12) of the scenario format.
pub fn schema() -> Json {
    let mut s = ScenarioFile::schema();
    s["$schema"] = json!("https://json-schema.org/draft/2020-12/schema");
    s["properties"]["$schema"] = json!({ "type": "string", "description": "The address of this schema, for editors; ignored by Attunement." });
    s["title"] = json!("Attunement scenario");
    s
}
