"""Reading and validating the record-level tables (``docs/data-model.md``).

The public API:

* :func:`open_records` — what the engine calls: a data directory → validated,
  typed Ibis tables ``people``, ``conditions``, ``events``, ``deaths`` with
  their provenance (:class:`Records`).
* :func:`validate_directory` — what ``jsna validate DIR`` calls: every error
  (up to a cap per check) and the data-quality summary
  (:class:`ValidationReport`, :class:`QualitySummary`).
* :func:`print_report` — the report as ``jsna validate`` prints it.

Files are Parquet, CSV (UTF-8, with or without BOM; Windows-1252 is decoded
with a note) or, for small extracts, Excel ``.xlsx``. Every problem with the
input ends in :class:`jsna.errors.InputError` naming the file, column, row
and value.
"""

from jsna.sources.console import print_report
from jsna.sources.quality import Figure, QualitySummary, TableCount
from jsna.sources.records import Records, SourceFile, open_records
from jsna.sources.validate import (
    DEFAULT_PERIOD_END,
    DEFAULT_WINDOW_START,
    ValidationReport,
    validate_directory,
)

__all__ = [
    "DEFAULT_PERIOD_END",
    "DEFAULT_WINDOW_START",
    "Figure",
    "QualitySummary",
    "Records",
    "SourceFile",
    "TableCount",
    "ValidationReport",
    "open_records",
    "print_report",
    "validate_directory",
]
