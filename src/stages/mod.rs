//! The pipeline as data: the ordered stages, what each reads and writes, and the context
//! they run in. `runner` decides which stages run; each stage module does one stage.

pub mod chunks;
pub mod clean;
pub mod dedupe;
pub mod extract;
pub mod furniture;
pub mod load;
pub mod normalize;
pub mod text;

use crate::config::Settings;
use crate::error::Error;
use crate::tables::artifact::StageManifest;
use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::path::PathBuf;

/// The stages in pipeline order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum StageName {
    Load,
    Clean,
    Extract,
    Normalize,
}

impl StageName {
    pub const ALL: [StageName; 4] = [StageName::Load, StageName::Clean, StageName::Extract, StageName::Normalize];

    pub fn as_str(self) -> &'static str {
        match self {
            StageName::Load => "load",
            StageName::Clean => "clean",
            StageName::Extract => "extract",
            StageName::Normalize => "normalize",
        }
    }

    pub fn parse(s: &str) -> Result<StageName, Error> {
        StageName::ALL.iter().copied().find(|n| n.as_str() == s).ok_or_else(|| {
            Error::Usage(format!(
                "unknown stage `{s}`; valid: {}",
                StageName::ALL.iter().map(|n| n.as_str()).collect::<Vec<_>>().join(", ")
            ))
        })
    }

    /// The stage whose artifact this one reads (normalize also reads clean's articles).
    pub fn upstream(self) -> Option<StageName> {
        match self {
            StageName::Load => None,
            StageName::Clean => Some(StageName::Load),
            StageName::Extract => Some(StageName::Clean),
            StageName::Normalize => Some(StageName::Extract),
        }
    }

    /// Artifacts read, as `stage/table`.
    pub fn reads(self) -> &'static [&'static str] {
        match self {
            StageName::Load => &["input files"],
            StageName::Clean => &["load/records"],
            StageName::Extract => &["clean/articles"],
            StageName::Normalize => &["clean/articles", "extract/raw_mentions", "extract/raw_events", "extract/raw_attributions"],
        }
    }

    /// Tables written into the stage's artifact.
    pub fn writes(self) -> &'static [&'static str] {
        match self {
            StageName::Load => &["records", "rejects"],
            StageName::Clean => &["articles", "rejects"],
            StageName::Extract => &["raw_mentions", "raw_events", "raw_attributions", "rejects"],
            StageName::Normalize => &["mentions", "events", "attributions", "entities", "rejects"],
        }
    }
}

/// What every stage gets: settings, where artifacts live, how to show progress.
pub struct StageContext<'a> {
    pub settings: &'a Settings,
    pub work_dir: PathBuf,
    pub progress: &'a MultiProgress,
    pub show_progress: bool,
    /// `--shard K/N`: keep only the articles whose id falls in shard K of N.
    pub shard: Option<(u64, u64)>,
}

impl StageContext<'_> {
    pub fn stage_dir(&self, stage: StageName) -> PathBuf {
        self.work_dir.join(stage.as_str())
    }

    /// A progress bar for a stage; hidden when progress is off.
    pub fn bar(&self, stage: StageName, total: u64, unit: &str) -> ProgressBar {
        if !self.show_progress {
            return ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::hidden());
        }
        let bar = self.progress.add(ProgressBar::new(total));
        let template = if unit == "bytes" {
            "{prefix:>9} [{bar:30}] {bytes}/{total_bytes} {bytes_per_sec} ETA {eta} {msg}"
        } else {
            "{prefix:>9} [{bar:30}] {pos}/{len} articles {per_sec} ETA {eta} {msg}"
        };
        bar.set_style(ProgressStyle::with_template(template).unwrap_or_else(|_| ProgressStyle::default_bar()).progress_chars("=> "));
        bar.set_prefix(stage.as_str());
        bar
    }
}

/// Stamp a stage's manifest and commit its artifact (manifest last, then the folder
/// renamed into place). Every stage ends here.
pub fn commit_stage(writer: crate::tables::artifact::StageWriter, mut manifest: StageManifest) -> Result<StageManifest, Error> {
    manifest.program_version = env!("CARGO_PKG_VERSION").to_string();
    manifest.finished_at = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    writer.commit(&manifest)?;
    Ok(manifest)
}

/// What a stage function returns: its manifest, written by the stage.
pub type StageResult = Result<StageManifest, Error>;

/// The reject reason of a record whose processing panicked (a bug, never an input
/// problem by design): the run goes on without it.
pub const INTERNAL_ERROR: &str = "internal_error";

thread_local! {
    /// Set while `isolate` runs on this thread: the panic hook keeps quiet there.
    static ISOLATED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    /// Where the last isolated panic on this thread happened.
    static PANIC_AT: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
}

/// Install (once) a panic hook that, for panics inside [`isolate`], logs one warning
/// line instead of the default message and backtrace, and remembers the location for the
/// reject's detail. Other panics go to the previous hook.
fn install_panic_hook() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if ISOLATED.with(|f| f.get()) {
                let at = info.location().map(|l| format!("{}:{}:{}", l.file(), l.line(), l.column())).unwrap_or_default();
                tracing::warn!("a record failed (panic at {at}: {}); it becomes an internal_error reject", panic_message(info.payload()));
                PANIC_AT.with(|p| *p.borrow_mut() = Some(at));
            } else {
                previous(info);
            }
        }));
    });
}

fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_else(|| "panic without a message".into())
}

/// Run `f` on one record; a panic becomes `Err(detail)` (message and location) for an
/// `internal_error` reject, and the run goes on. Panics are bugs, but one record's bug
/// must not cost the whole dump its tables.
pub fn isolate<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    install_panic_hook();
    let was = ISOLATED.with(|flag| flag.replace(true));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
    ISOLATED.with(|flag| flag.set(was));
    result.map_err(|payload| {
        let at = PANIC_AT.with(|p| p.borrow_mut().take());
        match at {
            Some(at) => format!("panicked at {at}: {}", panic_message(payload.as_ref())),
            None => format!("panicked: {}", panic_message(payload.as_ref())),
        }
    })
}

/// Fault injection for the isolation tests: with `NEWSGRID_TEST_PANIC=stage:needle` in
/// the environment, a record of `stage` whose text contains `needle` panics. Unset (as in
/// every real run) it costs one check of a cached value.
pub fn test_panic(stage: &str, text: &str) {
    static SPEC: std::sync::OnceLock<Option<(String, String)>> = std::sync::OnceLock::new();
    let spec = SPEC.get_or_init(|| {
        let v = std::env::var("NEWSGRID_TEST_PANIC").ok()?;
        let (s, n) = v.split_once(':')?;
        Some((s.to_string(), n.to_string()))
    });
    if let Some((s, needle)) = spec {
        if s == stage && !needle.is_empty() && text.contains(needle.as_str()) {
            panic!("NEWSGRID_TEST_PANIC in {stage}");
        }
    }
}

/// CPU seconds (user + system, all threads) this process has used, from
/// `/proc/self/stat` (clock ticks of 1/100 s); None where that file is missing. Stage
/// CPU time is what a busy machine does not distort (issue #15 bench).
pub fn process_cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name, which is in parentheses and may hold spaces.
    let rest = stat.get(stat.rfind(')')? + 1..)?;
    let mut fields = rest.split_whitespace();
    // utime and stime are fields 14 and 15 of the line; `rest` starts at field 3.
    let utime: f64 = fields.nth(11)?.parse().ok()?;
    let stime: f64 = fields.next()?.parse().ok()?;
    Some((utime + stime) / 100.0)
}

#[cfg(test)]
mod tests {
    #[test]
    fn process_cpu_seconds_reads_proc_and_grows() {
        let Some(a) = super::process_cpu_seconds() else { return }; // no /proc here
        let mut x = 0u64;
        for k in 0..30_000_000u64 {
            x = x.wrapping_mul(31).wrapping_add(k);
        }
        std::hint::black_box(x);
        let b = super::process_cpu_seconds().expect("read once, reads again");
        assert!(a >= 0.0 && b >= a, "{a} {b}");
    }

    #[test]
    fn isolate_turns_a_panic_into_its_message() {
        assert_eq!(super::isolate(|| 7), Ok(7));
        let e = super::isolate(|| -> u8 { panic!("boom {}", 3) }).unwrap_err();
        assert!(e.contains("boom 3") && e.contains("src/stages/mod.rs"), "{e}");
        let nested = super::isolate(|| super::isolate(|| -> u8 { panic!("inner") }).is_err());
        assert_eq!(nested, Ok(true));
    }
}
