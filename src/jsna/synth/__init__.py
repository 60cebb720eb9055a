"""Synthetic Westminster: a calibrated synthetic population of record-level data.

``jsna synth --out DIR`` (or :func:`write_synthetic`) writes the four tables
of docs/data-model.md — people, conditions, events, deaths — as Parquet,
marked synthetic. Every figure the data are built to meet lives in one
calibration file (``calibration/westminster.yaml``, see
:func:`load_calibration`); change a number there and the data follow.
"""

from jsna.synth.calibration import Calibration, load_calibration
from jsna.synth.generate import SyntheticData, generate, write_synthetic

__all__ = ["Calibration", "SyntheticData", "generate", "load_calibration", "write_synthetic"]
