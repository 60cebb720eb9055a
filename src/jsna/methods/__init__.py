"""Statistics used in English public health, as pure functions (no I/O).

Every function takes a pandas or polars frame (through narwhals) and gives
back the same kind of frame; array-level helpers are exported for power
users. Methods follow PHEindicatormethods / Fingertips / ONS and cite their
sources in their docstrings.
"""

from jsna.methods._common import DEFAULT_CONFIDENCE
from jsna.methods.comparisons import (
    Comparison,
    Estimate,
    compare_estimates,
    compare_to_reference,
    difference,
    ratio,
)
from jsna.methods.confidence_intervals import (
    byars_ci,
    dobson_ci,
    exact_poisson_ci,
    poisson_ci,
    student_t_ci,
    wilson_ci,
)
from jsna.methods.decomposition import (
    arriaga_contributions,
    decompose_le_gap,
    split_by_cause,
)
from jsna.methods.funnels import funnel_limits, funnel_points, funnel_significance
from jsna.methods.healthy_life_expectancy import (
    healthy_life_expectancy,
    sullivan_health_expectancy,
)
from jsna.methods.inequality import inequality_measures
from jsna.methods.life_expectancy import LifeTable, chiang_life_table, life_expectancy
from jsna.methods.means import mean
from jsna.methods.proportions import proportion
from jsna.methods.quantiles import assign_quantiles, quantiles
from jsna.methods.rates import rate
from jsna.methods.significance import compare_to_benchmark, fdr
from jsna.methods.sii import relative_rank, sii, sii_fit
from jsna.methods.standard_populations import (
    ESP2013,
    ESP2013_85PLUS,
    ESP2013_LIFE_TABLE,
    StandardPopulation,
)
from jsna.methods.standardisation import dsr, isr, smr
from jsna.methods.trend import linear_trend_test, trend

__all__ = [
    "DEFAULT_CONFIDENCE",
    "ESP2013",
    "ESP2013_85PLUS",
    "ESP2013_LIFE_TABLE",
    "Comparison",
    "Estimate",
    "LifeTable",
    "StandardPopulation",
    "arriaga_contributions",
    "assign_quantiles",
    "byars_ci",
    "chiang_life_table",
    "compare_estimates",
    "compare_to_benchmark",
    "compare_to_reference",
    "decompose_le_gap",
    "difference",
    "dobson_ci",
    "dsr",
    "exact_poisson_ci",
    "fdr",
    "funnel_limits",
    "funnel_points",
    "funnel_significance",
    "healthy_life_expectancy",
    "inequality_measures",
    "isr",
    "life_expectancy",
    "linear_trend_test",
    "mean",
    "poisson_ci",
    "proportion",
    "quantiles",
    "rate",
    "ratio",
    "relative_rank",
    "sii",
    "sii_fit",
    "smr",
    "split_by_cause",
    "student_t_ci",
    "sullivan_health_expectancy",
    "trend",
    "wilson_ci",
]
