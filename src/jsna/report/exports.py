"""The downloadable tables: the tidy results as CSV and Parquet, the findings as CSV.

Each function returns bytes, so the same table always gives the same file:
CSV with ``\\n`` line endings, a header row and pandas' round-trip float text
(no rounding, nothing lost); Parquet through pyarrow with zstd compression
and the ``jsna.synthetic`` key-value marker of docs/data-model.md, so a
reader downstream still knows the figures are synthetic.
"""

from __future__ import annotations

import io

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from jsna.disclosure.record import with_policy_column

__all__ = ["findings_csv", "tidy_csv", "tidy_parquet"]


def tidy_csv(tidy: pd.DataFrame) -> bytes:
    """The tidy table as UTF-8 CSV bytes, columns and rows in the order given.

    A table protected by :func:`jsna.disclosure.protect` gains a last
    ``disclosure_policy`` column (:func:`jsna.disclosure.record.with_policy_column`):
    a CSV has no metadata to carry the policy in.

    >>> tidy_csv(pd.DataFrame({"category": ["Arab", "Roma"], "value": [0.1, None]}))
    b'category,value\\nArab,0.1\\nRoma,\\n'
    """
    return with_policy_column(tidy).to_csv(index=False, lineterminator="\n").encode("utf-8")


def tidy_parquet(tidy: pd.DataFrame, *, synthetic: bool) -> bytes:
    """The tidy table as Parquet bytes, marked ``jsna.synthetic`` true or false."""
    table = pa.Table.from_pandas(tidy.reset_index(drop=True), preserve_index=False)
    metadata = dict(table.schema.metadata or {})
    metadata[b"jsna.synthetic"] = b"true" if synthetic else b"false"
    table = table.replace_schema_metadata(metadata)
    buffer = io.BytesIO()
    pq.write_table(table, buffer, compression="zstd")
    return buffer.getvalue()


def findings_csv(findings: pd.DataFrame) -> bytes:
    """The findings as UTF-8 CSV bytes, in the order given (ranked by jsna.equity)."""
    return findings.to_csv(index=False, lineterminator="\n").encode("utf-8")
