//! The `attunement` command: check, play, analyze, graph, compile and package
//! scenarios (`library` for the browser, `scorm` for an LMS), print the schema and the engine's
//! words, and code,
//! train and evaluate the reply coder (`code`, `coder`).
//!
//! A thin shell over the library. This file is the whole command line, declared
//! with clap's derive: every command with the options it takes and no other, so
//! `--help` lists them and an option on a command that does not take it is an
//! error. Each command's work is its own module in `src/cli/`, with what they
//! share (files, output, exit codes) in `src/cli/mod.rs`.
//! Exit codes: 0 success, 1 the scenario has errors, 2 usage or I/O problems
//! (clap's usage errors included).

#![forbid(unsafe_code)]

mod cli;

use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use cli::{analyze, check, code, coder, compile, graph, library, play, report, schema, scorm, strings, translate, words};

#[derive(Parser)]
#[command(name = "attunement", version, about, arg_required_else_help = true)]
struct Attunement {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Report every problem in the scenarios
    Check {
        /// The scenario files (.toml or .json)
        #[arg(value_name = "FILE", required = true)]
        files: Vec<String>,
        /// Text for people, or one JSON object for tools
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Play a scenario in the terminal
    Play {
        /// The scenario file: its source (.toml or .json), or compiled (.attn)
        #[arg(value_name = "FILE")]
        file: String,
        /// The transcript, or one JSON object at the end instead
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// How the learner is told about each choice
        #[arg(long, value_enum, default_value_t = Mode::Practice)]
        mode: Mode,
        /// Play these picks: numbers as the choices are listed, or choice ids (2,1,3 or not-keen,kept-word)
        #[arg(long, value_name = "PICKS")]
        choices: Option<String>,
        /// Play automatically
        #[arg(long, value_enum, conflicts_with = "choices")]
        auto: Option<Auto>,
        /// The order in which choices are listed, and the picks of --auto random
        #[arg(long, value_name = "N", default_value_t = 1)]
        seed: u64,
    },
    /// Explore every state: reachability, trust ranges, best and worst paths
    Analyze {
        /// The scenario file: its source (.toml or .json), or compiled (.attn)
        #[arg(value_name = "FILE")]
        file: String,
        /// Text for people, or one JSON object for tools
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Draw the scenario, choices coloured by skill, neutral or roadblock
    Graph {
        /// The scenario file: its source (.toml or .json), or compiled (.attn)
        #[arg(value_name = "FILE")]
        file: String,
        /// The drawing's language: Graphviz or Mermaid
        #[arg(long, value_enum, default_value_t = GraphFormat::Dot)]
        format: GraphFormat,
    },
    /// Check the scenario and write it compiled, the form the learner's browser loads
    Compile {
        /// The scenario file (.toml or .json)
        #[arg(value_name = "FILE")]
        file: String,
        /// The file to write (default: FILE with the extension .attn; `-` for standard output)
        #[arg(short, long, value_name = "OUT")]
        output: Option<String>,
    },
    /// Compile every scenario in a folder for the browser, with an index.json
    Library {
        /// The folder of scenarios
        #[arg(value_name = "DIR")]
        dir: String,
        /// The folder to write, replaced only once the new library is complete
        #[arg(short, long, value_name = "OUT")]
        output: String,
    },
    /// Build a SCORM package of one scenario for a course site
    Scorm {
        /// The scenario file (.toml or .json)
        #[arg(value_name = "FILE")]
        file: String,
        /// The zip to write
        #[arg(short, long, value_name = "OUT.zip")]
        output: String,
        /// The SCORM edition of the package
        #[arg(long = "version", value_name = "EDITION", value_enum, default_value_t = Edition::Scorm12)]
        edition: Edition,
        /// How the learner is told about each choice
        #[arg(long, value_enum, default_value_t = Mode::Assessment)]
        mode: Mode,
    },
    /// Print the JSON Schema of the scenario format
    Schema,
    /// Print every word the engine shows a learner, by id, in English: the catalogue translators start from
    Words,
    /// Code replies read from standard input, one a line: one JSON object a line out
    Code {
        /// The reply coder's model
        #[arg(long, value_name = "FILE", default_value = code::MODEL)]
        model: String,
    },
    /// Train the reply coder, or evaluate it on the held-out replies
    #[command(subcommand)]
    Coder(CoderCommand),
    /// Every string a learner reads in a scenario, with stable ids, as XLIFF 2.0 for translators
    Strings {
        /// The scenario's source (.toml or .json)
        #[arg(value_name = "FILE")]
        file: String,
        /// Where to write the XLIFF (default: standard output)
        #[arg(short, long, value_name = "OUT")]
        output: Option<String>,
    },
    /// Write a translated scenario from its source and a translated XLIFF
    Translate {
        /// The scenario's source (.toml or .json)
        #[arg(value_name = "FILE")]
        file: String,
        /// The translated XLIFF 2.0 (from `strings`, with targets)
        #[arg(long, value_name = "FILE.xlf")]
        from: String,
        /// The translation's language, when the XLIFF has no trgLang
        #[arg(long, value_name = "LANG")]
        lang: Option<String>,
        /// Where to write it (default: FILE.LANG.toml beside the source)
        #[arg(short, long, value_name = "OUT")]
        output: Option<String>,
    },
    /// A cohort's figures for one scenario, read from a learning record store
    Report {
        /// The statements API's base, such as https://lrs.example.org/xAPI/
        #[arg(long, value_name = "URL")]
        endpoint: String,
        /// HTTP Basic credentials, USER:PASS (read-only ones); without it, ATTUNEMENT_REPORT_AUTH
        #[arg(long, value_name = "USER:PASS")]
        auth: Option<String>,
        /// The scenario's activity IRI, or a scenario id for https://attunement.invalid/scenarios/ID
        #[arg(long, value_name = "ID")]
        activity: String,
        /// Statements stored from this date (2026-11-01) or time on
        #[arg(long, value_name = "DATE")]
        since: Option<String>,
        /// Statements stored up to this date (inclusive) or time
        #[arg(long, value_name = "DATE")]
        until: Option<String>,
        /// Only this registration (repeatable): a group of learners
        #[arg(long, value_name = "ID")]
        registration: Vec<String>,
        /// Only actors whose name or identifier contains this
        #[arg(long, value_name = "TEXT")]
        actor: Option<String>,
        /// The compiled scenario (.attn), so sticking points say what was on offer instead
        #[arg(long, value_name = "FILE")]
        scenario: Option<String>,
        /// Show actors as stable codes instead of names and mailboxes
        #[arg(long)]
        pseudonymise: bool,
        /// Text for people, JSON for tools, or the per-learner table as CSV
        #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
        format: ReportFormat,
    },
}

/// The output of `report`.
#[derive(Clone, Copy, PartialEq, ValueEnum)]
enum ReportFormat {
    Text,
    Json,
    /// The per-learner table
    Csv,
    /// Every answered statement, a row each
    CsvStatements,
}

#[derive(Subcommand)]
enum CoderCommand {
    /// Train the model on the training split of the project's replies
    Train {
        /// The folder of replies, one SKILL_ID.txt a skill
        #[arg(long, value_name = "DIR", default_value = coder::DATA)]
        data: String,
        /// The model file to write
        #[arg(short, long, value_name = "OUT", default_value = code::MODEL)]
        output: String,
    },
    /// Print precision, recall, macro-F1 and the confusion matrix on the held-out split, the challenge set and the library's choices
    Evaluate {
        /// The folder of replies, one SKILL_ID.txt a skill: its held-out split is evaluated
        #[arg(long, value_name = "DIR", default_value = coder::DATA)]
        data: String,
        /// A folder of replies no training writer saw, evaluated whole (skipped when absent)
        #[arg(long, value_name = "DIR", default_value = coder::CHALLENGE)]
        challenge: String,
        /// The reply coder's model
        #[arg(long, value_name = "FILE", default_value = code::MODEL)]
        model: String,
    },
}

/// The output of `check`, `play` and `analyze`.
#[derive(Clone, Copy, PartialEq, ValueEnum)]
enum Format {
    Text,
    Json,
}

/// The language `graph` draws in.
#[derive(Clone, Copy, ValueEnum)]
enum GraphFormat {
    /// Graphviz (pipe it to dot -Tsvg)
    Dot,
    /// A Mermaid flowchart, for Markdown
    Mermaid,
}

/// How `play --auto` picks.
#[derive(Clone, Copy, ValueEnum)]
enum Auto {
    /// The analysis's best path: the highest final trust
    Best,
    /// The analysis's worst path: the lowest final trust
    Worst,
    /// At random, as the seed decides
    Random,
}

/// [`attunement::Mode`], as the options name it.
#[derive(Clone, Copy, ValueEnum)]
enum Mode {
    /// Feedback after each choice, and undo
    Practice,
    /// Feedback only in the debrief, and no undo
    Assessment,
}

/// [`attunement::scorm::Version`], as `scorm --version` names it.
#[derive(Clone, Copy, ValueEnum)]
enum Edition {
    /// SCORM 1.2, which every LMS reads
    #[value(name = "1.2")]
    Scorm12,
    /// SCORM 2004 4th edition
    #[value(name = "2004")]
    Scorm2004,
}

fn main() -> ExitCode {
    let result = match Attunement::parse().command {
        Command::Check { files, format } => check::run(&files, format == Format::Json),
        Command::Play { file, format, mode, choices, auto, seed } => play::run(&file, format == Format::Json, mode.into(), choices.as_deref(), auto, seed),
        Command::Analyze { file, format } => analyze::run(&file, format == Format::Json),
        Command::Graph { file, format } => graph::run(&file, format),
        Command::Compile { file, output } => compile::run(&file, output.as_deref()),
        Command::Library { dir, output } => library::run(&dir, &output),
        Command::Scorm { file, output, edition, mode } => scorm::run(&file, &output, edition.into(), mode.into()),
        Command::Schema => schema::run(),
        Command::Words => words::run(),
        Command::Code { model } => code::code(&model),
        Command::Coder(CoderCommand::Train { data, output }) => coder::train(&data, &output),
        Command::Coder(CoderCommand::Evaluate { data, challenge, model }) => coder::evaluate(&data, &challenge, &model),
        Command::Strings { file, output } => strings::run(&file, output.as_deref()),
        Command::Translate { file, from, lang, output } => translate::run(&file, &from, lang.as_deref(), output.as_deref()),
        Command::Report { endpoint, auth, activity, since, until, registration, actor, scenario, pseudonymise, format } => {
            let options = attunement::report::Options { endpoint, activity: report::activity(&activity), since, until, registrations: registration, actor };
            let format = match format {
                ReportFormat::Text => report::Output::Text,
                ReportFormat::Json => report::Output::Json,
                ReportFormat::Csv => report::Output::Csv("learners"),
                ReportFormat::CsvStatements => report::Output::Csv("statements"),
            };
            report::run(options, auth, scenario.as_deref(), pseudonymise, format)
        }
    };
    result.unwrap_or_else(cli::Problem::report)
}

impl From<Mode> for attunement::Mode {
    fn from(mode: Mode) -> attunement::Mode {
        match mode {
            Mode::Practice => attunement::Mode::Practice,
            Mode::Assessment => attunement::Mode::Assessment,
        }
    }
}

impl From<Edition> for attunement::scorm::Version {
    fn from(edition: Edition) -> attunement::scorm::Version {
        match edition {
            Edition::Scorm12 => attunement::scorm::Version::Scorm12,
            Edition::Scorm2004 => attunement::scorm::Version::Scorm2004,
        }
    }
}
