"""The published JSNA: a static, accessible report site, an Excel workbook and exports.

:func:`publish` is the single entry point: it takes the tidy result table
(docs/tidy-table.md), the equity findings and some metadata, and writes the
site, the workbook and the downloadable tables. Everything else in this
package serves it: :mod:`~jsna.report.sections` (the chapter structure),
:mod:`~jsna.report.figures` and :mod:`~jsna.report.charts` (charts, maps, alt
text, data tables), :mod:`~jsna.report.site` (pages), :mod:`~jsna.report.workbook`
and :mod:`~jsna.report.exports` (downloads), :mod:`~jsna.report.demo` (the
``jsna demo`` pipeline) and :mod:`~jsna.report.narrative` (finding sentences).

``publish`` is imported lazily, so importing :mod:`jsna.report.narrative`
does not load the charting stack.
"""

from __future__ import annotations

from typing import Any

__all__ = ["publish"]


def __getattr__(name: str) -> Any:
    if name == "publish":
        from jsna.report.publisher import publish

        return publish
    raise AttributeError(f"module 'jsna.report' has no attribute {name!r}")
