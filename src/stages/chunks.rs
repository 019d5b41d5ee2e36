//! Chunk streaming shared by the stages after `load`: a reader thread reads chunk k+1
//! from the upstream artifact while chunk k is processed, through a bounded channel, so
//! at most two chunks are in memory and disk reads overlap compute.

use crate::error::Error;

/// Read chunks `0..chunks` with `read` on a background thread and hand each, in order,
/// to `process`.
pub fn for_each_chunk<T, R, P>(chunks: u64, read: R, mut process: P) -> Result<(), Error>
where
    T: Send,
    R: Fn(u64) -> Result<T, Error> + Send,
    P: FnMut(u64, T) -> Result<(), Error>,
{
    std::thread::scope(|scope| {
        let (tx, rx) = std::sync::mpsc::sync_channel::<Result<T, Error>>(1);
        scope.spawn(move || {
            for k in 0..chunks {
                let item = read(k);
                let failed = item.is_err();
                if tx.send(item).is_err() || failed {
                    return;
                }
            }
        });
        for k in 0..chunks {
            let item =
                rx.recv().map_err(|_| Error::Stage { stage: "chunks".into(), detail: format!("reader stopped before chunk {k}") })??;
            process(k, item)?;
        }
        Ok(())
    })
}
