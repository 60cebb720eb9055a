"""Main language: the label for a resident whose main language the register does not hold.

Languages themselves keep the Census 2021 (TS024) names the extract carries.
"""

from __future__ import annotations

__all__ = ["NOT_RECORDED"]

#: Report label for a missing main language (docs/data-model.md).
NOT_RECORDED = "Not recorded"
