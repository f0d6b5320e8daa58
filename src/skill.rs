//! The fixed taxonomy of skills and roadblocks from `shared/domain.md`.
//!
//! Every learner response is tagged with exactly one [`Skill`]. Ids are stable
//! (they appear in scenario files, saves and LMS records), so a variant may be
//! added but never renamed. The default trust effect of each skill is the
//! engine's baseline; a scenario's peer profile may override it per peer.

use serde::Serialize;

/// One skill that builds trust or one roadblock that costs it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Skill {
    Reflection,
    ComplexReflection,
    Validation,
    OpenQuestion,
    Affirmation,
    Summary,
    Presence,
    SelfDisclosure,
    Collaboration,
    Reassurance,
    Minimising,
    Lecturing,
    Advice,
    Judgement,
    ClosedQuestion,
    Hijacking,
    ChangingSubject,
    Ordering,
}

/// Whether a skill builds trust or is a roadblock.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Skill,
    Roadblock,
}

/// The MITI 4.2.1 behaviour code a response counts as, for the debrief's ratios.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Miti {
    Question,
    SimpleReflection,
    ComplexReflection,
    Affirm,
    SeekingCollaboration,
    Persuade,
    Confront,
    /// Not one of the codes the ratios use (presence, self-disclosure, reassurance, ...).
    Other,
}

impl Skill {
    /// Every skill, trust-building ones first, in the order of `domain.md`.
    pub const ALL: [Skill; 18] = [
        Skill::Reflection,
        Skill::ComplexReflection,
        Skill::Validation,
        Skill::OpenQuestion,
        Skill::Affirmation,
        Skill::Summary,
        Skill::Presence,
        Skill::SelfDisclosure,
        Skill::Collaboration,
        Skill::Reassurance,
        Skill::Minimising,
        Skill::Lecturing,
        Skill::Advice,
        Skill::Judgement,
        Skill::ClosedQuestion,
        Skill::Hijacking,
        Skill::ChangingSubject,
        Skill::Ordering,
    ];

    /// The stable id used in scenario files, saves and reports.
    pub fn id(self) -> &'static str {
        self.info().0
    }

    /// A short human name, for transcripts and the debrief.
    pub fn label(self) -> &'static str {
        self.info().1
    }

    /// The trust effect when the peer's profile does not say otherwise.
    pub fn default_effect(self) -> i32 {
        self.info().2
    }

    /// One sentence on why the skill helps or hurts, from `domain.md`.
    pub fn why(self) -> &'static str {
        self.info().3
    }

    pub fn kind(self) -> Kind {
        if (self as usize) < 9 { Kind::Skill } else { Kind::Roadblock }
    }

    pub fn miti(self) -> Miti {
        match self {
            Skill::OpenQuestion | Skill::ClosedQuestion => Miti::Question,
            Skill::Reflection => Miti::SimpleReflection,
            // MITI codes a summary as a reflection, and a good one adds meaning.
            Skill::ComplexReflection | Skill::Summary => Miti::ComplexReflection,
            Skill::Affirmation => Miti::Affirm,
            Skill::Collaboration => Miti::SeekingCollaboration,
            Skill::Lecturing | Skill::Advice => Miti::Persuade,
            Skill::Judgement | Skill::Ordering => Miti::Confront,
            _ => Miti::Other,
        }
    }

    /// Looks a skill up by its id.
    pub fn from_id(id: &str) -> Option<Skill> {
        Skill::ALL.into_iter().find(|s| s.id() == id)
    }

    /// A compact index, for bitsets and saves.
    pub fn index(self) -> usize {
        self as usize
    }

    fn info(self) -> (&'static str, &'static str, i32, &'static str) {
        match self {
            Skill::Reflection => ("reflection", "reflection of feeling", 5, "shows the feeling behind the words was heard"),
            Skill::ComplexReflection => ("complex_reflection", "complex reflection", 8, "adds meaning; the strongest signal of understanding"),
            Skill::Validation => ("validation", "validation", 6, "tells the person their feelings make sense"),
            Skill::OpenQuestion => ("open_question", "open question", 4, "invites their story on their terms"),
            Skill::Affirmation => ("affirmation", "affirmation", 4, "names a real strength or effort, specifically"),
            Skill::Summary => ("summary", "summary", 5, "gathers the story and checks understanding"),
            Skill::Presence => ("presence", "presence / silence", 4, "a pause lets feelings land; not every moment needs words"),
            Skill::SelfDisclosure => ("self_disclosure", "purposeful self-disclosure", 3, "brief, relevant, and handed back to the peer"),
            Skill::Collaboration => ("collaboration", "seeking collaboration / autonomy", 5, "shares power; the peer chooses"),
            Skill::Reassurance => ("reassurance", "superficial reassurance", -6, "dismisses the feeling; says \"stop telling me\""),
            Skill::Minimising => ("minimising", "minimising / silver lining", -8, "ranks their pain as small"),
            Skill::Lecturing => ("lecturing", "logical argument / lecturing", -8, "answers an emotion with a debate"),
            Skill::Advice => ("advice", "advice / fixing unasked", -6, "takes control and implies the problem is simple"),
            Skill::Judgement => ("judgement", "judgement / moralising", -12, "shames, and ends safety"),
            Skill::ClosedQuestion => ("closed_question", "interrogating / closed questions", -3, "feels like an interview, not a conversation"),
            Skill::Hijacking => ("hijacking", "hijacking / self-focus", -8, "takes the spotlight away"),
            Skill::ChangingSubject => ("changing_subject", "changing the subject / withdrawing", -6, "avoids the feeling"),
            Skill::Ordering => ("ordering", "ordering / warning", -10, "power over, not power with"),
        }
    }
}

impl std::fmt::Display for Skill {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.id())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_and_are_unique() {
        for s in Skill::ALL {
            assert_eq!(Skill::from_id(s.id()), Some(s));
        }
        let mut ids: Vec<_> = Skill::ALL.iter().map(|s| s.id()).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), Skill::ALL.len());
    }

    #[test]
    fn skills_build_trust_and_roadblocks_cost_it() {
        for s in Skill::ALL {
            match s.kind() {
                Kind::Skill => assert!(s.default_effect() > 0, "{s}"),
                Kind::Roadblock => assert!(s.default_effect() < 0, "{s}"),
            }
        }
        assert_eq!(Skill::ALL.iter().filter(|s| s.kind() == Kind::Skill).count(), 9);
    }
}
