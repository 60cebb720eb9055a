"""What an equity analysis compares, and when a group is too small to publish.

:class:`EquityConfig` holds every choice the equity scan makes, so a chapter can
be re-run for another group or protected characteristic by changing
configuration rather than code: the reference group of each dimension, the
small-number rule that decides when a detailed group is collapsed into a
broader one, the false discovery rate, and the plain-English phrases used for
particular indicators. The defaults follow the Westminster Global Majority
JSNA: White British for the 19 ethnic groups, White for the 5 high-level groups
and for Global Majority, the least deprived quintile for deprivation, and the
borough as a whole for wards, sex, age and language; and Knightsbridge &
Belgravia against Westbourne for the named ward life-expectancy gap.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from types import MappingProxyType
from typing import Any

from jsna.codes.ethnicity import NOT_STATED
from jsna.codes.geography import UNKNOWN
from jsna.codes.language import NOT_RECORDED
from jsna.codes.sex import NOT_KNOWN
from jsna.errors import InputError

__all__ = [
    "DEFAULT_BROADER_DIMENSION",
    "DEFAULT_PHRASES",
    "DEFAULT_REFERENCES",
    "DEFAULT_UNRANKED_CATEGORIES",
    "DEFAULT_WARD_PAIRS",
    "EquityConfig",
]

DEFAULT_REFERENCES: Mapping[str, str] = MappingProxyType(
    {
        "ethnicity_19": "White British",
        "ethnicity_5": "White",
        "global_majority": "White",
        "imd_quintile": "5 (least deprived)",
    }
)
"""Reference group per dimension; a dimension not listed is compared with the borough."""

DEFAULT_BROADER_DIMENSION: Mapping[str, str] = MappingProxyType(
    {"ethnicity_19": "ethnicity_5", "ethnicity_5": "global_majority"}
)
"""Where a too-small group goes: ethnicity_19 → ethnicity_5 → global_majority."""

DEFAULT_UNRANKED_CATEGORIES: tuple[str, ...] = (NOT_STATED, UNKNOWN, NOT_KNOWN, NOT_RECORDED)
"""Labels of groups defined by a missing record: ethnicity, residence, sex, language."""

DEFAULT_WARD_PAIRS: tuple[tuple[str, str], ...] = (("Knightsbridge & Belgravia", "Westbourne"),)
"""Ward pairs whose life-expectancy gap is named: the Westminster JSNA's 18-year male gap."""


DEFAULT_PHRASES: Mapping[str, str] = MappingProxyType(
    {
        "ltc_hypertension_prevalence": "have hypertension recorded",
        "ltc_diabetes_prevalence": "have diabetes recorded",
        "ltc_obesity_prevalence": "have obesity recorded",
        "ltc_chd_prevalence": "have coronary heart disease recorded",
        "ltc_stroke_tia_prevalence": "have a stroke or TIA recorded",
        "ltc_copd_prevalence": "have COPD recorded",
        "ltc_ckd_prevalence": "have chronic kidney disease recorded",
        "ltc_dementia_prevalence": "have dementia recorded",
        "ltc_depression_prevalence": "have depression recorded",
        "ltc_smi_prevalence": "have a severe mental illness recorded",
        "wd_limiting_long_term_condition": "have a limiting long-term illness or disability",
        "wd_bad_health": "report bad or very bad general health",
        "wd_social_renting": "live in social rented housing",
        "wd_unpaid_care": "provide unpaid care",
    }
)
"""Verb phrases for the shipped catalogue's indicators ("… as likely as … to <phrase>").

Uptake indicators keep the name-led form ("Flu vaccination coverage was lower
among …"), which describes the service rather than the residents.
"""


@dataclass(frozen=True)
class EquityConfig:
    """Choices for :func:`jsna.equity.analyse`.

    Attributes:
        references: reference group label per dimension (see
            :data:`DEFAULT_REFERENCES`). A dimension not listed is compared with
            the area's ``all`` row (the borough). In an intersection such as
            ``ethnicity_5×imd_quintile`` the first part with a reference takes
            it and the other parts keep the group's own labels, so
            ``Black × 1 (most deprived)`` is compared with
            ``White × 1 (most deprived)`` and ``Black × Female`` with
            ``White × Female``.
        broader_dimension: the coarser dimension a detailed group collapses into.
        broader_groups: label maps ``{dimension: {label: broader label}}`` for
            each step of ``broader_dimension``; ``None`` takes them from
            :func:`jsna.codes.ethnicity.ethnicity_lookup`.
        min_numerator, min_denominator, max_ci_width_share: the small-number
            rule. A group is unstable, and collapsed, when its numerator is
            below ``min_numerator``, its denominator below ``min_denominator``,
            or its 95% confidence interval is wider than ``max_ci_width_share``
            times its value (1.0: an interval as wide as the value itself, about
            a 25% relative standard error).
        alpha: false discovery rate for the Benjamini–Hochberg procedure.
        summary_repetitions, summary_seed: Monte Carlo settings passed to the
            SII confidence intervals (seeded, so results are reproducible).
        unranked_dimensions: dimensions whose comparisons are listed (and
            worded) but not scored or ranked: age bands differ by age itself,
            which is what age standardisation takes out of the other comparisons.
        unranked_domains: domains whose comparisons are listed but not
            ranked: population shares describe who lives where, not inequality.
        unranked_categories: group labels whose comparisons are listed but
            not ranked, also as one part of an intersection (default
            :data:`DEFAULT_UNRANKED_CATEGORIES`): residents whose ethnicity
            was not stated or whose neighbourhood is unknown are defined by
            how their record was kept, so a difference there is a question
            for data quality, not an inequality to rank beside the others.
        uptake_domains: domains whose higher-is-better proportions are uptake
            of a programme, for which people to close the gap are counted.
        phrases: verb phrase per indicator id completing "… were twice as
            likely as White British residents to …" (default
            :data:`DEFAULT_PHRASES`); indicators without one are described by
            their name ("… was about twice as high among …").
        ward_pairs: pairs of ward names whose life-expectancy gap is reported
            by name, first minus second (default: Knightsbridge & Belgravia and
            Westbourne, the pair the Westminster JSNA quotes for male life
            expectancy); each name must be a ward of the life-expectancy rows.
    """

    references: Mapping[str, str] = field(default_factory=lambda: dict(DEFAULT_REFERENCES))
    broader_dimension: Mapping[str, str] = field(
        default_factory=lambda: dict(DEFAULT_BROADER_DIMENSION)
    )
    broader_groups: Mapping[str, Mapping[str, str]] | None = None
    min_numerator: float = 10
    min_denominator: float = 100
    max_ci_width_share: float = 1.0
    alpha: float = 0.05
    summary_repetitions: int = 10_000
    summary_seed: int = 20240331
    unranked_dimensions: tuple[str, ...] = ("age_band",)
    unranked_domains: tuple[str, ...] = ("population",)
    unranked_categories: tuple[str, ...] = DEFAULT_UNRANKED_CATEGORIES
    uptake_domains: tuple[str, ...] = ("prevention",)
    phrases: Mapping[str, str] = field(default_factory=lambda: dict(DEFAULT_PHRASES))
    ward_pairs: tuple[tuple[str, str], ...] = DEFAULT_WARD_PAIRS

    @classmethod
    def from_mapping(
        cls, data: Mapping[str, Any], *, source: str = "equity config"
    ) -> EquityConfig:
        """Build from plain data (e.g. the ``equity:`` section of a YAML build config).

        Keys are the attribute names; a key not listed raises
        :class:`~jsna.errors.InputError` naming it, so a typo is not silently
        ignored.

        >>> EquityConfig.from_mapping({"references": {"ethnicity_19": "White other"},
        ...                            "min_numerator": 5}).references["ethnicity_19"]
        'White other'
        """
        known = {item.name: item for item in fields(cls)}
        values: dict[str, Any] = {}
        for key, value in data.items():
            if key not in known:
                raise InputError(
                    f"unknown setting (known: {', '.join(sorted(known))})",
                    file=source,
                    column=str(key),
                )
            if key in (
                "unranked_dimensions",
                "unranked_domains",
                "unranked_categories",
                "uptake_domains",
            ):
                value = tuple(value)
            elif key in ("references", "broader_dimension", "phrases"):
                value = _text_mapping(value, key, source)
            elif key == "ward_pairs":
                value = _ward_pairs(value, key, source)
            elif key == "broader_groups":
                if not isinstance(value, Mapping):
                    raise InputError("must map dimensions to label maps", file=source,
                                     column=key, value=value)
                value = {str(k): _text_mapping(v, key, source) for k, v in value.items()}
            else:
                value = _number(value, key, source, whole=key.startswith("summary_"))
            values[key] = value
        return cls(**values)

    def rule_text(self) -> str:
        """The small-number rule in words, as recorded in every collapsing note."""
        return (
            f"numerator < {self.min_numerator:g} or denominator < {self.min_denominator:g} "
            f"or 95% CI width > {self.max_ci_width_share:.0%} of the value"
        )


def _text_mapping(value: Any, key: str, source: str) -> dict[str, str]:
    if not isinstance(value, Mapping) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items()
    ):
        raise InputError("must map names to text", file=source, column=key, value=value)
    return dict(value)


def _ward_pairs(value: Any, key: str, source: str) -> tuple[tuple[str, str], ...]:
    """A list of two-name lists (YAML ``[[Knightsbridge & Belgravia, Westbourne]]``)."""
    pairs = []
    for pair in value if isinstance(value, list | tuple) else [value]:
        if (
            not isinstance(pair, list | tuple)
            or len(pair) != 2
            or not all(isinstance(name, str) and name for name in pair)
            or pair[0] == pair[1]
        ):
            raise InputError("each pair must be two different ward names", file=source,
                             column=key, value=pair)
        pairs.append((pair[0], pair[1]))
    return tuple(pairs)


def _number(value: Any, key: str, source: str, *, whole: bool) -> float | int:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InputError("must be a number", file=source, column=key, value=value)
    if whole:
        if not float(value).is_integer():
            raise InputError("must be a whole number", file=source, column=key, value=value)
        return int(value)
    return float(value)
