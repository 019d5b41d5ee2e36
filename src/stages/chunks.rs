//! Chunk streaming shared by the stages after `load`: a reader thread reads chunk k+1
//! from the upstream artifact while chunk k is processed, so at most two chunks are in
//! memory and disk reads overlap compute. The channels are rendezvous channels (capacity
//! 0): a finished item waits in its producer's hands, not in a queue as well, which keeps
//! one chunk's input and one chunk's output fewer in memory (normalize: ~150 MB on
//! allsides, whose chunks hold ~140k mention rows) for the same overlap.

use crate::error::Error;

/// Start the reader thread: chunks `0..chunks`, in order, through a rendezvous channel.
/// It stops after the first error (sent on) or when the receiver is gone.
fn spawn_reader<'scope, T, R>(
    scope: &'scope std::thread::Scope<'scope, '_>,
    chunks: u64,
    read: R,
) -> std::sync::mpsc::Receiver<Result<T, Error>>
where
    T: Send + 'scope,
    R: Fn(u64) -> Result<T, Error> + Send + 'scope,
{
    let (tx, rx) = std::sync::mpsc::sync_channel::<Result<T, Error>>(0);
    scope.spawn(move || {
        for k in 0..chunks {
            let item = read(k);
            let failed = item.is_err();
            if tx.send(item).is_err() || failed {
                return;
            }
        }
    });
    rx
}

/// Read chunks `0..chunks` with `read` on a background thread and hand each, in order,
/// to `process`.
pub fn for_each_chunk<T, R, P>(chunks: u64, read: R, mut process: P) -> Result<(), Error>
where
    T: Send,
    R: Fn(u64) -> Result<T, Error> + Send,
    P: FnMut(u64, T) -> Result<(), Error>,
{
    std::thread::scope(|scope| {
        let rx = spawn_reader(scope, chunks, read);
        for k in 0..chunks {
            let item =
                rx.recv().map_err(|_| Error::Stage { stage: "chunks".into(), detail: format!("reader stopped before chunk {k}") })??;
            process(k, item)?;
        }
        Ok(())
    })
}

/// Like `for_each_chunk`, with the chunk's serial tail moved off the critical path:
/// `compute` (the parallel work, on the caller's thread inside the rayon pool) hands its
/// output to `sink`, which runs on its own thread, in chunk order, while the next chunk
/// is computed. Folding run-wide statistics and filling column builders then overlap
/// the parallel work instead of leaving the pool idle. At most one finished output waits
/// (in `compute`'s hands) while the sink works on the one before.
pub fn pipeline_chunks<T, U, R, C, S>(chunks: u64, read: R, mut compute: C, mut sink: S) -> Result<(), Error>
where
    T: Send,
    U: Send,
    R: Fn(u64) -> Result<T, Error> + Send,
    C: FnMut(u64, T) -> Result<U, Error>,
    S: FnMut(u64, U) -> Result<(), Error> + Send,
{
    std::thread::scope(|scope| {
        let rx = spawn_reader(scope, chunks, read);
        let (otx, orx) = std::sync::mpsc::sync_channel::<(u64, U)>(0);
        let sink_thread = std::thread::Builder::new()
            .name("chunk-sink".into())
            .spawn_scoped(scope, move || -> Result<(), Error> {
                for (k, out) in orx {
                    sink(k, out)?;
                }
                Ok(())
            })
            .map_err(|e| Error::Stage { stage: "chunks".into(), detail: format!("cannot start the sink thread: {e}") })?;
        let mut computed = Ok(());
        for k in 0..chunks {
            let item = rx
                .recv()
                .map_err(|_| Error::Stage { stage: "chunks".into(), detail: format!("reader stopped before chunk {k}") })
                .and_then(|r| r)
                .and_then(|item| compute(k, item));
            match item {
                Ok(out) => {
                    if otx.send((k, out)).is_err() {
                        break; // the sink failed: its error follows
                    }
                }
                Err(e) => {
                    computed = Err(e);
                    break;
                }
            }
        }
        drop(otx);
        let sunk = sink_thread.join().map_err(|_| Error::Stage { stage: "chunks".into(), detail: "the sink thread panicked".into() })?;
        computed.and(sunk)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pipeline_keeps_order_and_reports_errors() {
        let mut seen = Vec::new();
        pipeline_chunks(
            5,
            Ok,
            |k, x| Ok(k * 10 + x),
            |k, y| {
                seen.push((k, y));
                Ok(())
            },
        )
        .unwrap();
        assert_eq!(seen, vec![(0, 0), (1, 11), (2, 22), (3, 33), (4, 44)]);
        let err = |s: &str| Error::Stage { stage: "t".into(), detail: s.into() };
        let r = pipeline_chunks(5, Ok, |k, x| if k == 3 { Err(err("compute")) } else { Ok(x) }, |_, _| Ok(()));
        assert!(matches!(r, Err(Error::Stage { detail, .. }) if detail == "compute"));
        let r = pipeline_chunks(5, Ok, |_, x| Ok(x), |k, _| if k == 1 { Err(err("sink")) } else { Ok(()) });
        assert!(matches!(r, Err(Error::Stage { detail, .. }) if detail == "sink"));
        let r = pipeline_chunks(5, |k| if k == 2 { Err(err("read")) } else { Ok(k) }, |_, x| Ok(x), |_, _| Ok(()));
        assert!(matches!(r, Err(Error::Stage { detail, .. }) if detail == "read"));
    }
}
