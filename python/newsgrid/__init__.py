"""newsgrid over Arrow: news records in, entity, event and attribution tables out.

The same Rust code as the ``newsgrid`` command line, called on Arrow data in memory, so an
engine that already holds the records (Spark, Ray, a notebook) runs it as its per-partition
function. Data crosses through the Arrow C data interface; the pipeline runs with the GIL
released.

Functions:

- :func:`run` -- the command line itself (``newsgrid.run(["run", "-c", "pipeline.toml"])``).
- :func:`extract` -- clean, extract and normalize a batch of records; returns the output
  tables (``articles``, ``mentions``, ``entities``, ``events``, ``attributions``,
  ``rejects``, with the CLI's schemas) and ``entity_parts``.

A batch alone gives the tables of a run over that batch. What a run decides across the whole
dump (repeated-paragraph furniture, exact and near duplicates, entity statistics) is state an
engine computes between passes; examples/spark_job.py and examples/ray_job.py do it:

1. :func:`keys` on every batch (pass 1): per-article content hash, MinHash signature, LSH
   band keys and paragraph hashes.
2. :func:`furniture_rule` over all pass-1 keys in run order: the repeated-line rule (bytes).
3. :func:`keys` again with ``furniture=rule`` (pass 2), then :func:`mark_duplicates` over the
   articles that share a content hash, a band key or an id with another one (a self-join
   finds them): final ``article_id`` and ``duplicate_of`` per article.
4. :func:`extract` on every batch with ``furniture=rule`` and the marks joined on as the
   columns ``_newsgrid_article_id`` and ``_newsgrid_duplicate_of``.
5. :func:`merge_entities` over the batches' ``entity_parts``, grouped by ``entity_id``.

The result equals ``newsgrid run`` on the same records, row for row.
"""

from __future__ import annotations

from typing import Dict, List, Optional, Union

import pyarrow as pa

from . import _newsgrid

__version__: str = _newsgrid.__version__

__all__ = [
    "run",
    "extract",
    "keys",
    "furniture_rule",
    "mark_duplicates",
    "merge_entities",
    "TABLES",
    "ARTICLE_ID_COLUMN",
    "DUPLICATE_OF_COLUMN",
]

#: The output tables :func:`extract` returns, as ``newsgrid run`` writes them.
TABLES = ("articles", "mentions", "entities", "events", "attributions", "rejects")
#: Column carrying the run-wide article id from :func:`mark_duplicates` into :func:`extract`.
ARTICLE_ID_COLUMN = "_newsgrid_article_id"
#: Column carrying the run-wide ``duplicate_of`` from :func:`mark_duplicates`.
DUPLICATE_OF_COLUMN = "_newsgrid_duplicate_of"

Batch = Union[pa.RecordBatch, pa.Table]


def _table(batch: Batch) -> pa.Table:
    if isinstance(batch, pa.RecordBatch):
        return pa.Table.from_batches([batch])
    if isinstance(batch, pa.Table):
        return batch
    raise TypeError(f"expected a pyarrow.RecordBatch or pyarrow.Table, got {type(batch).__name__}")


def run(args: List[str]) -> int:
    """Run the ``newsgrid`` command line with ``args`` (what follows ``newsgrid`` on a shell).

    Returns the exit code: 0 done, 1 done but the reject ratio exceeded
    ``[run] max_reject_ratio``, 2 a usage, config or I/O error. Output goes to stdout and
    stderr as from the binary.

    >>> newsgrid.run(["run", "--input", "data/sample", "--out", "out/"])
    """
    return _newsgrid.run([str(a) for a in args])


def extract(batch: Batch, config: Optional[str] = None, *, furniture: Optional[bytes] = None) -> Dict[str, pa.Table]:
    """Clean, extract and normalize a batch of news records; return the output tables.

    ``batch`` (a ``pyarrow.RecordBatch`` or ``pyarrow.Table``) holds one record per row,
    either

    - in the dump's own columns, mapped by the config's ``[input.fields]`` (defaults:
      ``id``, ``text``, ``title``, ``url``, ``published``, ``source``, ``authors``; a struct
      column is a nested object, reached by ``a.b`` keys), or
    - as raw JSON Lines in a string column ``json`` (one dump line per row, parsed exactly as
      the CLI parses a ``.jsonl`` file).

    Optional columns: ``input_file`` and ``input_position`` (provenance recorded in the
    tables; default ``"batch"`` and the row number from 1), and the run-wide marks
    ``_newsgrid_article_id`` / ``_newsgrid_duplicate_of`` from :func:`mark_duplicates`.

    ``config`` is a path to a ``pipeline.toml``, or TOML text, or None for the defaults.
    ``furniture`` is the run-wide repeated-line rule from :func:`furniture_rule`.

    Without ``furniture`` and marks, furniture and duplicates are decided within the batch:
    a batch holding a whole dump gives exactly the tables of ``newsgrid run`` on it.

    Returns a dict of ``pyarrow.Table``: ``articles``, ``mentions``, ``entities``,
    ``events``, ``attributions`` and ``rejects`` with the CLI's schemas (see
    ``newsgrid schema``), plus ``entity_parts``: this batch's entity statistics in a form
    :func:`merge_entities` adds up across batches (``entities`` is this batch's alone).
    """
    return dict(_newsgrid.extract(_table(batch), config, furniture))


def keys(batch: Batch, config: Optional[str] = None, *, furniture: Optional[bytes] = None) -> pa.Table:
    """Per-article keys of a batch for the run-wide passes (same input as :func:`extract`).

    Columns: ``input_file``, ``input_position``, ``article_id`` (before run-wide renaming),
    ``content_hash`` (hex of the cleaned text's 128-bit hash), ``source_key``,
    ``signature`` (binary MinHash sketch, null for texts too short for near-duplicate
    matching), ``band_keys`` (16 int64 LSH keys, ``band << 32 | hash``: two articles are
    near-duplicate candidates when they share one) and ``line_hashes`` (int64 paragraph
    hashes, only without ``furniture``). Rejected records have no row.
    """
    return _newsgrid.keys(_table(batch), config, furniture)


def furniture_rule(keys: pa.Table, config: Optional[str] = None) -> Optional[bytes]:
    """The run-wide repeated-line (furniture) rule from pass-1 :func:`keys` of every batch.

    ``keys`` must hold all articles of the run in run order: input files in sorted path
    order, ``input_position`` ascending. Returns opaque bytes to pass to :func:`keys` and
    :func:`extract` as ``furniture``, or None when ``[clean] remove_furniture`` is off.
    """
    return _newsgrid.furniture_rule(_table(keys), config)


def mark_duplicates(keys: pa.Table, config: Optional[str] = None) -> pa.Table:
    """Run-wide article ids and ``duplicate_of`` from pass-2 :func:`keys`, in run order.

    Duplicates are marked as ``newsgrid run`` marks them: an exact copy or a near duplicate
    (MinHash over word shingles) points at the first article of its group, and an id seen
    twice is renamed. Only articles that share a ``content_hash``, a ``band_keys`` value or
    an ``article_id`` with another can be marked, so ``keys`` may be just those (a self-join
    finds them). Returns ``input_file``, ``input_position``, ``_newsgrid_article_id``,
    ``_newsgrid_duplicate_of``: join them onto the records before :func:`extract`.
    """
    return _newsgrid.mark_duplicates(_table(keys), config)


def merge_entities(parts: pa.Table, config: Optional[str] = None) -> pa.Table:
    """The ``entities`` table from the ``entity_parts`` of many :func:`extract` calls.

    Parts of one entity add up: counts are summed, the most frequent name and country are
    taken over the summed counts, and the first 50 aliases in run order are kept, so parts
    must come in run order (sort by the rank of ``first_file`` and ``first_position``). All
    parts of an entity must be in one call: group or partition by ``entity_id``.
    """
    return _newsgrid.merge_entities(_table(parts), config)
