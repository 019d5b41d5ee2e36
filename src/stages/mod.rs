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
            StageName::Normalize => &["mentions", "events", "attributions", "entities"],
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
