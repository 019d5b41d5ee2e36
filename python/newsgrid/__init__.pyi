"""Type stubs for newsgrid (see the package docstring: help(newsgrid))."""

from typing import Dict, List, Optional, Union

import pyarrow as pa

__version__: str
TABLES: tuple[str, ...]
ARTICLE_ID_COLUMN: str
DUPLICATE_OF_COLUMN: str

Batch = Union[pa.RecordBatch, pa.Table]

def run(args: List[str]) -> int:
    """Run the newsgrid command line with `args`; returns the exit code (0, 1 reject ratio exceeded, 2 error)."""

def extract(batch: Batch, config: Optional[str] = None, *, furniture: Optional[bytes] = None) -> Dict[str, pa.Table]:
    """Clean, extract and normalize a batch of records (dump columns mapped by [input.fields], or a `json` column of
    JSON Lines); returns articles, mentions, entities, events, attributions, rejects (the CLI's schemas) and entity_parts."""

def keys(batch: Batch, config: Optional[str] = None, *, furniture: Optional[bytes] = None) -> pa.Table:
    """Per-article keys for the run-wide passes: content_hash, signature, band_keys, line_hashes (pass 1)."""

def furniture_rule(keys: pa.Table, config: Optional[str] = None) -> Optional[bytes]:
    """The repeated-line rule from all pass-1 keys in run order; None when [clean] remove_furniture is off."""

def mark_duplicates(keys: pa.Table, config: Optional[str] = None) -> pa.Table:
    """Run-wide article ids and duplicate_of from pass-2 keys in run order (the articles sharing a key suffice)."""

def merge_entities(parts: pa.Table, config: Optional[str] = None) -> pa.Table:
    """The entities table from entity_parts of many batches, in run order, grouped by entity_id."""
