//! Command line: clap definitions and dispatch. Turns flags into validated settings and
//! calls the library; returns the exit code (0 done, 1 too many rejects, 2 nothing usable).

use crate::config::{load_settings, Overrides, Settings};
use crate::error::Error;
use crate::runner::{self, RunRequest};
use crate::stages::StageName;
use crate::tables::schema::output_docs;
use clap::{Parser, Subcommand, ValueEnum};
use std::path::{Path, PathBuf};

#[derive(Parser, Debug)]
#[command(name = "newsgrid", version, about = "News dumps to entity, event and attribution tables (Parquet + CSV)")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Run the stale stages (or the ones named) and write the tables.
    Run {
        #[arg(short, long, value_name = "FILE")]
        config: Option<PathBuf>,
        /// Input file or folder (repeatable); replaces [input] paths.
        #[arg(long, value_name = "PATH")]
        input: Vec<PathBuf>,
        /// Output folder; replaces [output] dir.
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        /// Work folder for stage artifacts; replaces [run] work_dir.
        #[arg(long, value_name = "DIR")]
        work: Option<PathBuf>,
        /// Rerun exactly this stage from the saved output of the one before (repeatable).
        #[arg(long, value_name = "NAME")]
        stage: Vec<String>,
        /// Rerun this stage and every stage after it.
        #[arg(long, value_name = "NAME", conflicts_with = "stage")]
        from: Option<String>,
        /// Ignore freshness: run every selected stage.
        #[arg(long)]
        force: bool,
        /// Worker threads (default: all cores).
        #[arg(long, value_name = "N")]
        threads: Option<usize>,
        /// Process only shard K of N (1-based, by article_id hash), e.g. 1/4.
        #[arg(long, value_name = "K/N")]
        shard: Option<String>,
        /// No progress bars.
        #[arg(short, long)]
        quiet: bool,
    },
    /// Show each stage: fresh, stale or missing, rows, when, fingerprint.
    Status {
        #[arg(short, long, value_name = "FILE")]
        config: Option<PathBuf>,
        #[arg(long, value_name = "DIR")]
        work: Option<PathBuf>,
    },
    /// Check the config and inputs; touch nothing; report every error at once.
    Validate {
        #[arg(short, long, value_name = "FILE")]
        config: Option<PathBuf>,
        #[arg(long, value_name = "PATH")]
        input: Vec<PathBuf>,
    },
    /// Show how a text is read: tokens, tags, parse, mentions, each candidate event
    /// trigger with the pass that kept or dropped it, and the events.
    Explain {
        /// The sentence(s) to explain.
        text: String,
        #[command(flatten)]
        passes: ExtractSwitches,
    },
    /// Print the output tables' schemas.
    Schema {
        #[arg(long, value_name = "NAME")]
        table: Option<String>,
        #[arg(long, value_enum, default_value_t = SchemaFormat::Md)]
        format: SchemaFormat,
    },
    /// Score components against gold data.
    Eval {
        #[command(subcommand)]
        what: EvalCommand,
    },
    /// Train models.
    Train {
        #[command(subcommand)]
        what: TrainCommand,
    },
}

/// `[extract] syntax` and `event_filter` for one command: the config's defaults unless
/// a switch says otherwise, so `explain` and `eval` read text as `run` does.
#[derive(clap::Args, Debug)]
pub struct ExtractSwitches {
    /// Events and attributions read the dependency parse (`[extract] syntax = true`).
    #[arg(long, overrides_with = "no_syntax")]
    syntax: bool,
    /// Word order only, no parse (`[extract] syntax = false`).
    #[arg(long)]
    no_syntax: bool,
    /// With the parse: the learned keep-or-drop pass over events (`[extract] event_filter = true`).
    #[arg(long, overrides_with = "no_event_filter")]
    event_filter: bool,
    /// Without the learned event filter (`[extract] event_filter = false`).
    #[arg(long)]
    no_event_filter: bool,
}

/// A `--x`/`--no-x` pair over the config's default.
fn switch(on: bool, off: bool, default: bool) -> bool {
    on || (!off && default)
}

impl ExtractSwitches {
    /// (syntax, event_filter) as the command reads text.
    fn resolve(&self) -> (bool, bool) {
        let d = crate::config::ExtractConfig::default();
        (switch(self.syntax, self.no_syntax, d.syntax), switch(self.event_filter, self.no_event_filter, d.event_filter))
    }
}

/// `[extract] syntax` for a command that reads attributions only.
#[derive(clap::Args, Debug)]
pub struct SyntaxSwitch {
    /// Reported speech read against the dependency parse (`[extract] syntax = true`).
    #[arg(long, overrides_with = "no_syntax")]
    syntax: bool,
    /// Word order only, no parse (`[extract] syntax = false`).
    #[arg(long)]
    no_syntax: bool,
}

impl SyntaxSwitch {
    fn resolve(&self) -> bool {
        switch(self.syntax, self.no_syntax, crate::config::ExtractConfig::default().syntax)
    }
}

#[derive(Subcommand, Debug)]
pub enum EvalCommand {
    /// Score event extraction on gold-coded sentences (PETR/GSR XML with CAMEO codes).
    Events {
        #[arg(long, value_name = "FILE")]
        gold: PathBuf,
        /// CAMEO to PLOVER map (CAMEO2PLOVER-2021.txt).
        #[arg(long, value_name = "FILE")]
        cameo_map: PathBuf,
        #[command(flatten)]
        passes: ExtractSwitches,
    },
    /// Score attributions on a PolNeAR-style folder (text/ and attributions/*.ann).
    Attributions {
        #[arg(long, value_name = "DIR")]
        dir: PathBuf,
        #[command(flatten)]
        passes: SyntaxSwitch,
    },
    /// Score events and attributions on hand-marked real news (articles.jsonl, sentences.json, gold.json).
    Realnews {
        #[arg(long, value_name = "DIR")]
        dir: PathBuf,
        #[command(flatten)]
        passes: ExtractSwitches,
    },
    /// Score main-text extraction on a folder of pages with ground-truth.json (shingle F1).
    Html {
        #[arg(long, value_name = "DIR")]
        dir: PathBuf,
    },
    /// Tag CoNLL-2003 tokens and score exact-span P/R/F1 per type.
    Ner {
        #[arg(long, value_name = "FILE")]
        conll: PathBuf,
        /// Write `TOKEN GOLD PRED` lines here.
        #[arg(long, value_name = "OUT")]
        predictions: Option<PathBuf>,
        /// Model file (default: the built-in model).
        #[arg(long, value_name = "MODEL")]
        model: Option<PathBuf>,
    },
    /// Tag and parse the gold tokens of a CoNLL-U file; score UPOS, UAS and LAS.
    Parse {
        #[arg(long, value_name = "FILE")]
        conllu: PathBuf,
        /// Write the file back here with UPOS, HEAD and DEPREL predicted.
        #[arg(long, value_name = "OUT")]
        predictions: Option<PathBuf>,
        /// Model file (default: the built-in model).
        #[arg(long, value_name = "MODEL")]
        model: Option<PathBuf>,
    },
}

#[derive(Subcommand, Debug)]
pub enum TrainCommand {
    /// Learn reporting verbs (forms with a clausal complement) from PolNeAR-style
    /// annotations: writes data/lexicon/cues-learned.tsv.
    Cues {
        #[arg(long, value_name = "DIR")]
        dir: PathBuf,
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// Least uses as a gold cue.
        #[arg(long, default_value_t = 3)]
        min_gold: usize,
        /// Least share of uses that are gold cues.
        #[arg(long, default_value_t = 0.5)]
        min_share: f64,
    },
    /// Train the entity tagger from CoNLL-2003 files.
    Ner {
        #[arg(long, value_name = "FILE")]
        train: PathBuf,
        #[arg(long, value_name = "FILE")]
        dev: Option<PathBuf>,
        #[arg(long, value_name = "MODEL")]
        out: PathBuf,
        #[arg(long)]
        epochs: Option<usize>,
        #[arg(long)]
        seed: Option<u64>,
    },
    /// Train the tagger and dependency parser from CoNLL-U files (.conllu or .conllu.zst).
    Parse {
        #[arg(long, value_name = "FILE")]
        train: PathBuf,
        #[arg(long, value_name = "FILE")]
        dev: Option<PathBuf>,
        #[arg(long, value_name = "MODEL")]
        out: PathBuf,
        /// Parser epochs (the tagger trains for up to 10).
        #[arg(long)]
        epochs: Option<usize>,
        #[arg(long)]
        seed: Option<u64>,
        /// Dev UPOS (fraction) pruning the tagger table may cost (default 0.003).
        #[arg(long, value_name = "FRACTION")]
        tagger_max_loss: Option<f64>,
        /// Dev UAS and LAS (fraction) pruning the move table may cost (default 0.005).
        #[arg(long, value_name = "FRACTION")]
        move_max_loss: Option<f64>,
        /// Dev LAS (fraction) pruning the label table may cost (default 0.003).
        #[arg(long, value_name = "FRACTION")]
        label_max_loss: Option<f64>,
        /// Train this many parsers (other seeds) and average their weights into one
        /// table (1..=16, default 1): same speed, a little more accurate.
        #[arg(long, value_name = "K")]
        ensemble: Option<usize>,
        /// Another training file (repeatable), e.g. the dev file for the final model: the
        /// last epochs are then kept (`--epochs`, `--tagger-epochs`), the dev file only scored.
        #[arg(long, value_name = "FILE")]
        also_train: Vec<PathBuf>,
        /// Tagger epochs (default 10; the best on the dev file is kept unless `--also-train`).
        #[arg(long, value_name = "N")]
        tagger_epochs: Option<usize>,
        /// Fixed pruning thresholds TAGGER,MOVES,LABELS instead of the search on the dev file.
        #[arg(long, value_name = "T,M,L", value_delimiter = ',')]
        prune_at: Option<Vec<f32>>,
    },
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum SchemaFormat {
    Md,
    Json,
}

/// The config file to use: the one given, else `./pipeline.toml` when it exists.
fn config_path(given: Option<PathBuf>) -> Option<PathBuf> {
    given.or_else(|| Path::new("pipeline.toml").exists().then(|| PathBuf::from("pipeline.toml")))
}

fn parse_shard(s: &str) -> Result<(u64, u64), Error> {
    let bad = || Error::Usage(format!("--shard {s}: expected K/N with 1 <= K <= N, e.g. 1/4"));
    let (k, n) = s.split_once('/').ok_or_else(bad)?;
    let (k, n): (u64, u64) = (k.trim().parse().map_err(|_| bad())?, n.trim().parse().map_err(|_| bad())?);
    if n == 0 || k == 0 || k > n {
        return Err(bad());
    }
    // Internally shards are numbered from 0.
    Ok((k - 1, n))
}

fn pool(threads: usize) -> Result<rayon::ThreadPool, Error> {
    let mut b = rayon::ThreadPoolBuilder::new();
    if threads > 0 {
        b = b.num_threads(threads);
    }
    b.build().map_err(|e| Error::Usage(format!("cannot start {threads} threads: {e}")))
}

/// Write to stdout. A reader that closed the pipe (`newsgrid eval html | head`) has
/// what it wanted: the program ends quietly with exit 0 rather than panicking as
/// `println!` does; any other write error ends it with exit 2.
fn write_stdout(args: std::fmt::Arguments) {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    if let Err(e) = stdout.write_fmt(args).and_then(|()| stdout.flush()) {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
        eprintln!("error: writing to stdout: {e}");
        std::process::exit(2);
    }
}

/// `print!` through [`write_stdout`].
macro_rules! out {
    ($($arg:tt)*) => {
        write_stdout(format_args!($($arg)*))
    };
}

/// `println!` through [`write_stdout`].
macro_rules! outln {
    () => {
        write_stdout(format_args!("\n"))
    };
    ($($arg:tt)*) => {
        write_stdout(format_args!("{}\n", format_args!($($arg)*)))
    };
}

/// Print a report with exactly one trailing newline.
fn print_report(report: &dyn std::fmt::Display) {
    let text = report.to_string();
    outln!("{}", text.trim_end_matches('\n'));
}

/// Run a parsed command line; returns the exit code.
pub fn execute(cli: Cli) -> Result<u8, Error> {
    match cli.command {
        Command::Run { config, input, out, work, stage, from, force, threads, shard, quiet } => {
            let overrides = Overrides { inputs: input, out, work, threads };
            let settings: Settings = load_settings(config_path(config).as_deref(), &overrides)?;
            let mut stages = Vec::new();
            for s in &stage {
                stages.push(StageName::parse(s)?);
            }
            let req = RunRequest {
                stages,
                from: from.as_deref().map(StageName::parse).transpose()?,
                force,
                quiet,
                shard: shard.as_deref().map(parse_shard).transpose()?,
            };
            let outcome = pool(settings.threads)?.install(|| runner::run(&settings, &req))?;
            out!("{}", outcome.summary);
            Ok(if outcome.reject_ratio_exceeded { 1 } else { 0 })
        }
        Command::Status { config, work } => {
            let overrides = Overrides { work, ..Default::default() };
            let settings = load_settings(config_path(config).as_deref(), &overrides)?;
            out!("{}", runner::status(&settings)?);
            Ok(0)
        }
        Command::Validate { config, input } => {
            let path = config_path(config);
            let overrides = Overrides { inputs: input, ..Default::default() };
            let settings = load_settings(path.as_deref(), &overrides)?;
            let files = crate::io::expand_inputs(&settings.inputs).map_err(|e| Error::Config(vec![format!("[input] paths: {e}")]))?;
            let mut problems = Vec::new();
            for f in &files {
                if crate::io::file_kind(f, &settings.config.input.format).is_none() {
                    problems.push(format!("[input] paths: {} is not .jsonl, .csv, .txt, .html or .json; it will be a reject", f.display()));
                } else if let Err(e) = std::fs::File::open(f) {
                    problems.push(format!("[input] paths: {}: {e}", f.display()));
                }
            }
            if files.is_empty() {
                problems.push("[input] paths: no input files found".into());
            }
            if problems.iter().any(|p| !p.contains("it will be a reject")) {
                problems.sort();
                return Err(Error::Config(problems));
            }
            for p in &problems {
                eprintln!("warning: {p}");
            }
            outln!(
                "{}: valid; {} input file(s), {} bytes",
                path.map(|p| p.display().to_string()).unwrap_or_else(|| "(defaults)".into()),
                files.len(),
                files.iter().filter_map(|f| std::fs::metadata(f).ok()).map(|m| m.len()).sum::<u64>()
            );
            Ok(0)
        }
        Command::Explain { text, passes } => {
            let (syntax, event_filter) = passes.resolve();
            let report = crate::nlp::events::explain::explain(&text, syntax, event_filter).map_err(Error::Usage)?;
            print_report(&report);
            Ok(0)
        }
        Command::Schema { table, format } => {
            let docs = output_docs();
            let selected: Vec<_> = match &table {
                Some(t) => {
                    let d: Vec<_> = docs.into_iter().filter(|d| d.name == t).collect();
                    if d.is_empty() {
                        return Err(Error::Usage(format!(
                            "unknown table `{t}`; valid: {}",
                            crate::tables::schema::OUTPUT_TABLES.join(", ")
                        )));
                    }
                    d
                }
                None => docs,
            };
            match format {
                SchemaFormat::Md => {
                    for d in selected {
                        outln!("## {}\n\n{}\n\n| column | type | nullable | description |\n|---|---|---|---|", d.name, d.doc);
                        for c in d.columns {
                            outln!("| {} | {} | {} | {} |", c.name, c.data_type, if c.nullable { "yes" } else { "no" }, c.doc);
                        }
                        outln!();
                    }
                }
                SchemaFormat::Json => {
                    let v: Vec<_> = selected
                        .iter()
                        .map(|d| {
                            serde_json::json!({
                                "table": d.name,
                                "description": d.doc,
                                "columns": d.columns.iter().map(|c| serde_json::json!({
                                    "name": c.name, "type": c.data_type, "nullable": c.nullable, "description": c.doc
                                })).collect::<Vec<_>>(),
                            })
                        })
                        .collect();
                    outln!("{}", serde_json::to_string_pretty(&v).unwrap_or_default());
                }
            }
            Ok(0)
        }
        Command::Eval { what: EvalCommand::Ner { conll, predictions, model } } => {
            let model = match model {
                Some(p) => crate::nlp::ner::NerModel::load(&p)?,
                None => crate::nlp::ner::NerModel::builtin()?,
            };
            let report = crate::nlp::ner::eval_conll(&model, &conll, predictions.as_deref())?;
            print_report(&report);
            Ok(0)
        }
        Command::Eval { what: EvalCommand::Parse { conllu, predictions, model } } => {
            let model = match model {
                Some(p) => crate::nlp::parse::ParseModel::load(&p)?,
                None => crate::nlp::parse::ParseModel::builtin()?,
            };
            let report = crate::nlp::parse::eval_conllu(&model, &conllu, predictions.as_deref())?;
            print_report(&report);
            Ok(0)
        }
        Command::Train { what: TrainCommand::Cues { dir, out, min_gold, min_share } } => {
            let tsv = crate::eval::attrib::learn_cues(&dir, min_gold, min_share).map_err(|e| Error::Usage(e.to_string()))?;
            std::fs::write(&out, tsv).map_err(|e| Error::Usage(format!("cannot write {}: {e}", out.display())))?;
            println!("wrote {}", out.display());
            Ok(0)
        }
        Command::Train {
            what:
                TrainCommand::Parse {
                    train,
                    dev,
                    out,
                    epochs,
                    seed,
                    tagger_max_loss,
                    move_max_loss,
                    label_max_loss,
                    ensemble,
                    also_train,
                    tagger_epochs,
                    prune_at,
                },
        } => {
            let mut opts = crate::nlp::parse::TrainOptions { also_train, ..Default::default() };
            if let Some(e) = tagger_epochs {
                opts.tagger_epochs = e;
            }
            if let Some(p) = prune_at {
                match p[..] {
                    [t, m, l] if [t, m, l].iter().all(|x| x.is_finite() && *x >= 0.0) => opts.prune_at = Some([t, m, l]),
                    _ => return Err(Error::Usage(format!("--prune-at takes three thresholds >= 0, not {p:?}"))),
                }
            }
            if let Some(k) = ensemble {
                if !(1..=16).contains(&k) {
                    return Err(Error::Usage(format!("--ensemble is a count of parsers in 1..=16, not {k}")));
                }
                opts.ensemble = k;
            }
            if let Some(e) = epochs {
                opts.epochs = e;
            }
            if let Some(s) = seed {
                opts.seed = s;
            }
            for (given, field) in [
                (tagger_max_loss, &mut opts.tagger_max_loss),
                (move_max_loss, &mut opts.move_max_loss),
                (label_max_loss, &mut opts.label_max_loss),
            ] {
                if let Some(v) = given {
                    if !(0.0..=1.0).contains(&v) {
                        return Err(Error::Usage(format!("a pruning loss is a fraction in 0..=1, not {v}")));
                    }
                    *field = v;
                }
            }
            crate::nlp::parse::train(&train, dev.as_deref(), &out, &opts, &mut std::io::stderr())?;
            outln!("model written to {}", out.display());
            Ok(0)
        }
        Command::Eval { what: EvalCommand::Events { gold, cameo_map, passes } } => {
            let (syntax, event_filter) = passes.resolve();
            let report =
                crate::eval::events::eval_events(&gold, &cameo_map, syntax, event_filter).map_err(|e| Error::Usage(e.to_string()))?;
            print_report(&report);
            Ok(0)
        }
        Command::Eval { what: EvalCommand::Attributions { dir, passes } } => {
            let syntax = passes.resolve();
            let report = crate::eval::attrib::eval_attributions_with(&dir, syntax).map_err(|e| Error::Usage(e.to_string()))?;
            print_report(&report);
            Ok(0)
        }
        Command::Eval { what: EvalCommand::Realnews { dir, passes } } => {
            let (syntax, event_filter) = passes.resolve();
            let report = crate::eval::realnews::eval_realnews(&dir, syntax, event_filter).map_err(|e| Error::Usage(e.to_string()))?;
            print_report(&report);
            Ok(0)
        }
        Command::Eval { what: EvalCommand::Html { dir } } => {
            let report = crate::eval::html::eval_html(&dir).map_err(Error::Usage)?;
            print_report(&report);
            Ok(0)
        }
        Command::Train { what: TrainCommand::Ner { train, dev, out, epochs, seed } } => {
            let mut opts = crate::nlp::ner::TrainOptions::default();
            if let Some(e) = epochs {
                opts.epochs = e;
            }
            if let Some(s) = seed {
                opts.seed = s;
            }
            let mut log = std::io::stderr();
            crate::nlp::ner::train(&train, dev.as_deref(), &out, &opts, &mut log)?;
            outln!("model written to {}", out.display());
            Ok(0)
        }
    }
}
