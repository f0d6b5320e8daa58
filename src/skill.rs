//! The fixed taxonomy of skills, neutral behaviours and roadblocks from
//! `shared/domain.md`.
//!
//! Every learner response is tagged with exactly one [`Skill`]. Ids are stable
//! (they appear in scenario files, saves and LMS records), so a variant may be
//! added but never renamed. The default trust effect of each skill is the
//! engine's baseline; a scenario's peer profile may override it per peer.
//!
//! Giving information unasked has its own id, `unasked_information`, rather
//! than being `information` without permission: the author codes what the
//! learner's line does, and "Can I share something I've learned?" and a fact
//! offered to a peer who never asked are different behaviours, with different
//! kinds (a skill and a neutral one). One id whose kind hung on a flag would
//! make every report, ratio and record ask which one was meant.

use serde::Serialize;

/// One skill that builds trust, one neutral behaviour, or one roadblock that costs it.
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
    Autonomy,
    SafetyQuestion,
    Information,
    AdviceWithPermission,
    Repair,
    ClosedQuestion,
    UnaskedInformation,
    Reassurance,
    Minimising,
    Lecturing,
    Advice,
    Judgement,
    Hijacking,
    ChangingSubject,
    Ordering,
    FalsePromise,
    Rescuing,
    Interpreting,
    EmptyPraise,
}

/// Whether a response builds trust, neither builds nor costs it by itself
/// (timing and streaks decide), or is a roadblock.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Skill,
    Neutral,
    Roadblock,
}

impl Kind {
    pub const ALL: [Kind; 3] = [Kind::Skill, Kind::Neutral, Kind::Roadblock];

    /// The id views and reports carry, as serde writes it.
    pub fn id(self) -> &'static str {
        match self {
            Kind::Skill => "skill",
            Kind::Neutral => "neutral",
            Kind::Roadblock => "roadblock",
        }
    }

    /// "builds trust", "neutral", "roadblock": for transcripts (`kind.ID` in [`crate::words`]).
    pub fn label(self) -> &'static str {
        let english = match self {
            Kind::Skill => "builds trust",
            Kind::Neutral => "neutral",
            Kind::Roadblock => "roadblock",
        };
        crate::words::word_of(&["kind", self.id()], english)
    }
}

/// The MITI 4.2.1 behaviour code a response counts as, for the debrief's figures.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Miti {
    Question,
    SimpleReflection,
    ComplexReflection,
    Affirm,
    SeekingCollaboration,
    EmphasizingAutonomy,
    GivingInformation,
    Persuade,
    PersuadeWithPermission,
    Confront,
    /// Not one of MITI's codes (presence, self-disclosure, reassurance, ...).
    Other,
}

impl Miti {
    /// Every code the debrief counts, in MITI's order.
    pub const ALL: [Miti; 10] = [
        Miti::Question,
        Miti::SimpleReflection,
        Miti::ComplexReflection,
        Miti::Affirm,
        Miti::SeekingCollaboration,
        Miti::EmphasizingAutonomy,
        Miti::GivingInformation,
        Miti::Persuade,
        Miti::PersuadeWithPermission,
        Miti::Confront,
    ];

    /// The id the debrief carries, as serde writes it.
    pub fn id(self) -> &'static str {
        match self {
            Miti::Question => "question",
            Miti::SimpleReflection => "simple_reflection",
            Miti::ComplexReflection => "complex_reflection",
            Miti::Affirm => "affirm",
            Miti::SeekingCollaboration => "seeking_collaboration",
            Miti::EmphasizingAutonomy => "emphasizing_autonomy",
            Miti::GivingInformation => "giving_information",
            Miti::Persuade => "persuade",
            Miti::PersuadeWithPermission => "persuade_with_permission",
            Miti::Confront => "confront",
            Miti::Other => "other",
        }
    }

    /// MITI's own name for the code (`miti.ID` in [`crate::words`]).
    pub fn label(self) -> &'static str {
        let english = match self {
            Miti::Question => "Question",
            Miti::SimpleReflection => "Simple Reflection",
            Miti::ComplexReflection => "Complex Reflection",
            Miti::Affirm => "Affirm",
            Miti::SeekingCollaboration => "Seeking Collaboration",
            Miti::EmphasizingAutonomy => "Emphasizing Autonomy",
            Miti::GivingInformation => "Giving Information",
            Miti::Persuade => "Persuade",
            Miti::PersuadeWithPermission => "Persuade with Permission",
            Miti::Confront => "Confront",
            Miti::Other => "not coded",
        };
        crate::words::word_of(&["miti", self.id()], english)
    }

    /// MI-adherent codes (MITI 4.2.1): Affirm, Seeking Collaboration, Emphasizing Autonomy.
    pub fn is_adherent(self) -> bool {
        matches!(self, Miti::Affirm | Miti::SeekingCollaboration | Miti::EmphasizingAutonomy)
    }

    /// MI-non-adherent codes: Persuade and Confront.
    pub fn is_non_adherent(self) -> bool {
        matches!(self, Miti::Persuade | Miti::Confront)
    }
}

impl Skill {
    /// Every skill, in the order of `domain.md`: those that build trust, the
    /// neutral ones, then the roadblocks.
    pub const ALL: [Skill; 28] = [
        Skill::Reflection,
        Skill::ComplexReflection,
        Skill::Validation,
        Skill::OpenQuestion,
        Skill::Affirmation,
        Skill::Summary,
        Skill::Presence,
        Skill::SelfDisclosure,
        Skill::Collaboration,
        Skill::Autonomy,
        Skill::SafetyQuestion,
        Skill::Information,
        Skill::AdviceWithPermission,
        Skill::Repair,
        Skill::ClosedQuestion,
        Skill::UnaskedInformation,
        Skill::Reassurance,
        Skill::Minimising,
        Skill::Lecturing,
        Skill::Advice,
        Skill::Judgement,
        Skill::Hijacking,
        Skill::ChangingSubject,
        Skill::Ordering,
        Skill::FalsePromise,
        Skill::Rescuing,
        Skill::Interpreting,
        Skill::EmptyPraise,
    ];

    /// The stable id used in scenario files, saves and reports.
    pub fn id(self) -> &'static str {
        self.info().0
    }

    /// A short human name, for transcripts and the debrief (`skill.ID.label` in [`crate::words`]).
    pub fn label(self) -> &'static str {
        crate::words::word_of(&["skill", self.id(), "label"], self.info().1)
    }

    /// The trust effect when the peer's profile does not say otherwise.
    pub fn default_effect(self) -> i32 {
        self.info().2
    }

    /// One sentence on why the skill helps or hurts, from `domain.md` (`skill.ID.why` in
    /// [`crate::words`]).
    pub fn why(self) -> &'static str {
        crate::words::word_of(&["skill", self.id(), "why"], self.info().3)
    }

    pub fn kind(self) -> Kind {
        use Skill::*;
        match self {
            Reflection | ComplexReflection | Validation | OpenQuestion | Affirmation | Summary | Presence | SelfDisclosure | Collaboration | Autonomy | SafetyQuestion | Information | AdviceWithPermission | Repair => Kind::Skill,
            ClosedQuestion | UnaskedInformation => Kind::Neutral,
            Reassurance | Minimising | Lecturing | Advice | Judgement | Hijacking | ChangingSubject | Ordering | FalsePromise | Rescuing | Interpreting | EmptyPraise => Kind::Roadblock,
        }
    }

    pub fn miti(self) -> Miti {
        use Skill::*;
        match self {
            // A safety question is a question: asked plainly, usually closed.
            OpenQuestion | ClosedQuestion | SafetyQuestion => Miti::Question,
            Reflection => Miti::SimpleReflection,
            // MITI codes a summary as a reflection, and a good one adds meaning.
            ComplexReflection | Summary => Miti::ComplexReflection,
            Affirmation => Miti::Affirm,
            Collaboration => Miti::SeekingCollaboration,
            Autonomy => Miti::EmphasizingAutonomy,
            Information | UnaskedInformation => Miti::GivingInformation,
            AdviceWithPermission => Miti::PersuadeWithPermission,
            Lecturing | Advice => Miti::Persuade,
            Judgement | Ordering => Miti::Confront,
            // Validation is not one of MITI's codes; generic praise is not its
            // Affirm, which must be genuine and specific; an interpretation told
            // as fact is not a reflection.
            Validation | Presence | SelfDisclosure | Repair | Reassurance | Minimising | Hijacking | ChangingSubject | FalsePromise | Rescuing | Interpreting | EmptyPraise => Miti::Other,
        }
    }

    /// Whether the response asks something, for the interrogation streak:
    /// open, closed and safety questions alike.
    pub fn is_question(self) -> bool {
        self.miti() == Miti::Question
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
            Skill::Collaboration => ("collaboration", "seeking collaboration", 5, "shares power; asks the peer's view"),
            Skill::Autonomy => ("autonomy", "emphasising autonomy", 5, "puts the choice and control with the peer"),
            Skill::SafetyQuestion => ("safety_question", "asking directly about safety", 6, "asking does not plant the idea; it tells the peer they can say it, and it is how risk is found"),
            Skill::Information => ("information", "giving information with permission", 3, "elicit, provide, elicit: information on the peer's terms"),
            Skill::AdviceWithPermission => ("advice_with_permission", "advice with permission", 3, "help the peer asked for, with the choice left to them"),
            Skill::Repair => ("repair", "repairing a rupture", 5, "owning a misstep restores safety; ruptures repaired build more trust than none"),
            Skill::ClosedQuestion => ("closed_question", "closed question", 0, "one is fine and sometimes needed; a streak of them feels like an interview"),
            Skill::UnaskedInformation => ("unasked_information", "giving information unasked", 0, "fine when the peer is calm and it answers their worry; costly when they are distressed"),
            Skill::Reassurance => ("reassurance", "superficial reassurance", -6, "dismisses the feeling; says \"stop telling me\""),
            Skill::Minimising => ("minimising", "minimising / silver lining", -8, "ranks their pain as small"),
            Skill::Lecturing => ("lecturing", "logical argument / lecturing", -8, "answers an emotion with a debate"),
            Skill::Advice => ("advice", "advice / fixing unasked", -6, "takes control and implies the problem is simple"),
            Skill::Judgement => ("judgement", "judgement / moralising", -12, "shames, and ends safety"),
            Skill::Hijacking => ("hijacking", "hijacking / self-focus", -8, "takes the spotlight away"),
            Skill::ChangingSubject => ("changing_subject", "changing the subject / withdrawing", -6, "avoids the feeling"),
            Skill::Ordering => ("ordering", "ordering / warning", -10, "power over, not power with"),
            Skill::FalsePromise => ("false_promise", "false promise / collusion", -4, "relief now, betrayal later: a promise that must be broken costs more than an honest limit"),
            Skill::Rescuing => ("rescuing", "rescuing / taking over", -6, "does it for the peer instead of with them, and takes away their agency"),
            Skill::Interpreting => ("interpreting", "interpreting / analysing", -8, "tells the peer what they feel and why; it feels like being diagnosed"),
            Skill::EmptyPraise => ("empty_praise", "empty praise / agreeing", -4, "generic praise evaluates; it is not a specific affirmation and can feel like not being heard"),
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
            assert_eq!(Skill::ALL[s.index()], s, "ALL is in declaration order, so index() finds it");
        }
        let mut ids: Vec<_> = Skill::ALL.iter().map(|s| s.id()).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), Skill::ALL.len());
    }

    #[test]
    fn ids_of_earlier_releases_are_kept() {
        // Saves, scenario files and LMS records name these; none may go.
        for id in ["reflection", "complex_reflection", "validation", "open_question", "affirmation", "summary", "presence", "self_disclosure", "collaboration", "reassurance", "minimising", "lecturing", "advice", "judgement", "closed_question", "hijacking", "changing_subject", "ordering"] {
            assert!(Skill::from_id(id).is_some(), "{id}");
        }
    }

    #[test]
    fn each_kind_has_the_sign_of_its_default() {
        for s in Skill::ALL {
            match s.kind() {
                Kind::Skill => assert!(s.default_effect() > 0, "{s}"),
                Kind::Neutral => assert_eq!(s.default_effect(), 0, "{s}"),
                Kind::Roadblock => assert!(s.default_effect() < 0, "{s}"),
            }
        }
        let count = |k| Skill::ALL.iter().filter(|s| s.kind() == k).count();
        assert_eq!((count(Kind::Skill), count(Kind::Neutral), count(Kind::Roadblock)), (14, 2, 12));
        // Trust-building first, then neutral, then roadblocks, as the debrief lists them.
        let kinds: Vec<Kind> = Skill::ALL.iter().map(|s| s.kind()).collect();
        assert!(kinds.windows(2).all(|w| (w[0] as u8) <= (w[1] as u8)));
    }

    #[test]
    fn miti_codes_follow_the_brief() {
        assert_eq!(Skill::Information.miti(), Miti::GivingInformation);
        assert_eq!(Skill::UnaskedInformation.miti(), Miti::GivingInformation);
        assert_eq!(Skill::AdviceWithPermission.miti(), Miti::PersuadeWithPermission);
        assert_eq!(Skill::Autonomy.miti(), Miti::EmphasizingAutonomy);
        assert_eq!(Skill::Collaboration.miti(), Miti::SeekingCollaboration);
        assert!(Skill::SafetyQuestion.is_question() && Skill::ClosedQuestion.is_question() && Skill::OpenQuestion.is_question());
        assert!(!Skill::Reflection.is_question());
        assert!(Miti::Affirm.is_adherent() && Miti::EmphasizingAutonomy.is_adherent() && !Miti::Persuade.is_adherent());
        assert!(Miti::Confront.is_non_adherent() && !Miti::PersuadeWithPermission.is_non_adherent());
    }
}
