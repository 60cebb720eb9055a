"""The indicator catalogue: declarative definitions of every JSNA indicator.

Each indicator (YAML under ``jsna/catalogue/``) names its numerator and
denominator over the record-level tables, its period, statistic, multiplier,
polarity, optional age standardisation, source and caveats. The engine turns
definitions into counts; :mod:`jsna.methods` turns counts into statistics.
"""

from jsna.indicators.loader import Catalogue, load_catalogue, shipped_catalogue_files
from jsna.indicators.models import DOMAINS, STATISTICS, Cohort, Indicator

__all__ = [
    "DOMAINS",
    "STATISTICS",
    "Catalogue",
    "Cohort",
    "Indicator",
    "load_catalogue",
    "shipped_catalogue_files",
]
