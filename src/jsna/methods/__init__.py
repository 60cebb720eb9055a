"""Statistics used in English public health, as pure functions (no I/O).

Every function takes a pandas or polars frame (through narwhals) and gives
back the same kind of frame; array-level helpers are exported for power
users. Methods follow PHEindicatormethods / Fingertips / ONS and cite their
sources in their docstrings.
"""

from jsna.methods._common import DEFAULT_CONFIDENCE

__all__ = ["DEFAULT_CONFIDENCE"]
