//! Tables: every schema declared once (`schema`), typed columns (`columns`), output
//! writers for Parquet and CSV (`write`) and the stages' Arrow IPC artifacts (`artifact`).

pub mod artifact;
pub mod columns;
pub mod schema;
pub mod write;
