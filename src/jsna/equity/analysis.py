"""The equity scan: every group against its reference, ranked, in plain English.

:func:`analyse` is the equity layer's entry point. From the tidy result table
it compares, for every indicator, period, area and dimension, each group with
its reference group (crude and age-standardised side by side; ratio and
difference with 95% CIs), collapses groups too small for a stable rate into
broader ones, finds the widest life-expectancy gap between two wards and the
gaps between the ward pairs the configuration names, adjusts
every p-value of the scan together for multiple testing (Benjamini &
Hochberg 1995, via :func:`jsna.methods.fdr`), counts the people affected and
the people an uptake gap would need reaching, ranks the findings, writes each
as a plain-English sentence (:mod:`jsna.report.narrative`) and summarises
inequality across deprivation quintiles and ethnic groups. It is pure: no
files are read or written (:func:`write_findings` writes the CSV).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from jsna.codes.ethnicity import ethnicity_lookup
from jsna.equity.collapsing import NOTE_COLUMNS, collapse
from jsna.equity.comparison import BASES, CELL, compare_cells, side_by_side
from jsna.equity.config import EquityConfig
from jsna.equity.ranking import rank_findings, score
from jsna.equity.summaries import inequality_summaries
from jsna.equity.targeting import is_uptake, people_to_close_gap
from jsna.equity.tidy_input import GAP_CONTRIBUTION, read_tidy
from jsna.equity.ward_gaps import FINDING_TYPE as WIDEST_FINDING_TYPE
from jsna.equity.ward_gaps import NAMED_FINDING_TYPE, named_ward_gaps, widest_ward_gaps
from jsna.errors import InputError
from jsna.methods import fdr
from jsna.report.benchmarks import split_benchmarks
from jsna.report.narrative import sentences

__all__ = ["FINDING_COLUMNS", "EquityResult", "analyse", "write_findings"]

GROUP_COMPARISON = "group vs reference"

FINDING_COLUMNS = [
    "finding_id",
    "rank",
    "finding_type",
    "indicator_id",
    "indicator_name",
    "domain",
    "period",
    "area_code",
    "area_name",
    "dimension",
    "category",
    "comparator_dimension",
    "comparator",
    "statistic",
    "polarity",
    "multiplier",
    "value_type",
    "value",
    "lower_95",
    "upper_95",
    "comparator_value",
    "comparator_lower_95",
    "comparator_upper_95",
    *[
        f"{basis}_{name}"
        for basis in BASES
        for name in (
            "value",
            "lower_95",
            "upper_95",
            "comparator_value",
            "ratio",
            "ratio_lower_95",
            "ratio_upper_95",
            "difference",
            "difference_lower_95",
            "difference_upper_95",
        )
    ],
    "ratio",
    "ratio_lower_95",
    "ratio_upper_95",
    "difference",
    "difference_lower_95",
    "difference_upper_95",
    "p_value",
    "q_value",
    "significant",
    "direction",
    "published",
    "collapsed_to_dimension",
    "collapsed_to_category",
    "suppressed",
    "people_affected",
    "people_to_close_gap",
    "people_to_close_gap_lower_95",
    "people_to_close_gap_upper_95",
    "score",
    "comparison_method",
    "method",
    "sentence",
    "table_anchor",
    "note",
]

_HEADLINE = [
    "value",
    "lower_95",
    "upper_95",
    "ratio",
    "ratio_lower_95",
    "ratio_upper_95",
    "difference",
    "difference_lower_95",
    "difference_upper_95",
]
_NUMBERS_HIDDEN_WHEN_UNPUBLISHED = [
    name for name in FINDING_COLUMNS if name.endswith(("value", "_95", "ratio", "difference"))
] + [*_HEADLINE, "p_value", "people_affected"]


@dataclass(frozen=True)
class EquityResult:
    """What :func:`analyse` returns.

    Attributes:
        findings: one row per group comparison and ward gap (``FINDING_COLUMNS``),
            ranked; includes comparisons that are not significant and groups
            collapsed for small numbers (``published`` false, no numbers).
        summaries: inequality summary measures (SII/RII across deprivation
            quintiles; BGV, IDIS, Theil … across ethnic groups), one row per
            indicator × dimension × measure.
        collapsing: one note per group too small to publish on its own, with
            the rule applied and the broader group that carries it.
    """

    findings: pd.DataFrame
    summaries: pd.DataFrame
    collapsing: pd.DataFrame


def analyse(tidy: pd.DataFrame, *, config: EquityConfig | None = None) -> EquityResult:
    """Run the equity scan over a tidy result table (see docs/tidy-table.md).

    Pass the published (protected) table: counts the disclosure control
    suppressed stay out of every finding and sentence. Rows of a
    life-expectancy gap decomposition (contributions between two
    populations, not a value per group) are left out, and so are benchmark
    rows for other areas (:func:`jsna.report.benchmarks.split_benchmarks`).

    >>> import pandas as pd
    >>> row = dict(indicator_id="flu", indicator_name="Flu vaccination coverage",
    ...            domain="prevention", period="2023/24", area_code="E09000033",
    ...            area_name="Westminster", dimension="ethnicity_19", numerator=700,
    ...            denominator=1000, value=70.0, lower_95=67.1, upper_95=72.7,
    ...            value_type="proportion", multiplier=100, age_standardised=False,
    ...            polarity="higher_is_better", suppressed=False)
    >>> tidy = pd.DataFrame([{**row, "category": "White British"},
    ...                      {**row, "category": "Black African", "numerator": 90,
    ...                       "denominator": 200, "value": 45.0, "lower_95": 38.3,
    ...                       "upper_95": 51.9}])
    >>> print(analyse(tidy).findings.loc[0, "sentence"])  # doctest: +NORMALIZE_WHITESPACE
    Flu vaccination coverage was lower among Black African residents than among White
    British residents: 45.0% (38.3% to 51.9%) compared with 70.0%. About 50 more people
    (35 to 65) would need to be reached to close the gap.
    """
    config = EquityConfig() if config is None else config
    _check_config(config)
    if isinstance(tidy, pd.DataFrame):  # read_tidy names anything else
        tidy = split_benchmarks(tidy)[0]
    table = read_tidy(tidy)
    table = table[table["value_type"] != GAP_CONTRIBUTION].reset_index(drop=True)
    cells = side_by_side(table)
    _cell_headline(cells)
    groups = _ethnic_hierarchy() if config.broader_groups is None else config.broader_groups
    notes = collapse(cells, config, groups)
    unstable = set(notes[CELL].itertuples(index=False, name=None))
    cell_keys = list(cells[CELL].itertuples(index=False, name=None))
    publishable = np.array([key not in unstable for key in cell_keys], dtype=bool)

    compared = compare_cells(cells, config)
    compared["finding_type"] = GROUP_COMPARISON
    gaps = widest_ward_gaps(cells, publishable)
    named = named_ward_gaps(cells, publishable, config.ward_pairs)
    frames = [frame for frame in (compared, gaps, named) if not frame.empty]
    if not frames:
        empty = pd.DataFrame(columns=FINDING_COLUMNS)
        return EquityResult(empty, inequality_summaries(table, config), notes)
    findings = pd.concat(frames, ignore_index=True, sort=False)
    _choose_headline(findings)
    _publication(findings, notes)
    _significance(findings, config)
    _people(findings, config)
    findings["score"] = score(
        findings["ratio"].to_numpy(float),
        findings["difference"].to_numpy(float),
        findings["comparator_value"].to_numpy(float),
        findings["q_value"].to_numpy(float),
        findings["people_affected"].to_numpy(float),
    )
    ranked = (
        findings["published"]
        & ~findings["dimension"].map(
            lambda d: any(part in config.unranked_dimensions for part in d.split("×"))
        )
        & ~findings["domain"].isin(config.unranked_domains)
        & ~findings["category"].map(
            lambda c: any(part in config.unranked_categories for part in str(c).split(" × "))
        )
        & ~_repeats_widest_gap(findings)
    )
    findings["score"] = findings["score"].where(ranked)
    named_gap = (findings["finding_type"] == NAMED_FINDING_TYPE).to_numpy()
    findings["finding_id"] = [
        "|".join(parts)
        for parts in zip(
            np.select(
                [findings["finding_type"] == GROUP_COMPARISON, named_gap],
                ["group", "named-ward-gap"],
                default="ward-gap",
            ),
            *(findings[name].astype(str) for name in CELL),
            strict=True,
        )
    ]
    findings.loc[named_gap, "finding_id"] += "|" + findings.loc[named_gap, "comparator"]
    findings["table_anchor"] = "#table-" + findings["indicator_id"].astype(str)
    findings["sentence"] = sentences(findings, config.phrases)
    findings = rank_findings(findings)
    return EquityResult(
        findings[FINDING_COLUMNS].copy(),
        inequality_summaries(table, config),
        notes[NOTE_COLUMNS].copy(),
    )


def _repeats_widest_gap(findings: pd.DataFrame) -> pd.Series:
    """Named ward gaps between the same two wards as their cell's widest gap (either order).

    The widest gap's finding already names both wards and is ranked; scoring
    the named one too would list one comparison twice.
    """
    keys = ["indicator_id", "period", "area_code", "dimension"]

    def pairs(rows: pd.DataFrame) -> list[tuple[Any, ...]]:
        cells = rows[keys].itertuples(index=False, name=None)
        wards = zip(rows["category"], rows["comparator"], strict=True)
        return [(*cell, frozenset(pair)) for cell, pair in zip(cells, wards, strict=True)]

    widest = set(pairs(findings[findings["finding_type"] == WIDEST_FINDING_TYPE]))
    named = (findings["finding_type"] == NAMED_FINDING_TYPE).to_numpy()
    repeats = np.zeros(len(findings), dtype=bool)
    repeats[named] = [pair in widest for pair in pairs(findings[named])]
    return pd.Series(repeats, index=findings.index)


def write_findings(result: EquityResult, path: str | Path) -> Path:
    """Write the findings as a deterministic UTF-8 CSV (stable float format, '\\n' endings)."""
    path = Path(path)
    result.findings.to_csv(path, index=False, float_format="%.10g", lineterminator="\n")
    return path


def _check_config(config: EquityConfig) -> None:
    checks: list[tuple[str, float, bool]] = [
        ("min_numerator", config.min_numerator, config.min_numerator >= 0),
        ("min_denominator", config.min_denominator, config.min_denominator >= 0),
        ("max_ci_width_share", config.max_ci_width_share, config.max_ci_width_share > 0),
        ("alpha", config.alpha, 0 < config.alpha < 1),
        ("summary_repetitions", config.summary_repetitions, config.summary_repetitions >= 100),
    ]
    for name, value, valid in checks:
        if not valid:
            raise InputError("out of range for the equity analysis", column=name, value=value,
                             file="EquityConfig")


def _ethnic_hierarchy() -> Mapping[str, Mapping[str, str]]:
    lookup = ethnicity_lookup()
    return {
        "ethnicity_19": dict(zip(lookup["ethnicity_19"], lookup["ethnicity_5"], strict=True)),
        "ethnicity_5": dict(zip(lookup["ethnicity_5"], lookup["global_majority"], strict=True)),
    }


def _cell_headline(cells: pd.DataFrame) -> None:
    """Headline estimate of every group: age-standardised when there is one, else crude."""
    standardised = cells["standardised_value"].notna().to_numpy()
    for name in ("value", "lower_95", "upper_95"):
        cells[name] = np.where(
            standardised, cells[f"standardised_{name}"], cells[f"crude_{name}"]
        ).astype(float)
    cells["suppressed"] = cells["crude_suppressed"] | cells["standardised_suppressed"]


def _choose_headline(findings: pd.DataFrame) -> None:
    """Headline comparison: age-standardised when both sides have it, crude otherwise."""
    standardised = (
        findings["standardised_value"].notna() & findings["ref_standardised_value"].notna()
    ).to_numpy()
    findings["value_type"] = np.where(standardised, "age-standardised", "crude")
    for basis in BASES:
        findings[f"{basis}_comparator_value"] = findings[f"ref_{basis}_value"]
    for name in _HEADLINE:
        findings[name] = np.where(
            standardised, findings[f"standardised_{name}"], findings[f"crude_{name}"]
        ).astype(float)
    for name in ("value", "lower_95", "upper_95"):
        findings[f"comparator_{name}"] = np.where(
            standardised, findings[f"ref_standardised_{name}"], findings[f"ref_crude_{name}"]
        ).astype(float)
    findings["p_value"] = np.where(
        standardised, findings["standardised_p"], findings["crude_p"]
    ).astype(float)
    findings["comparison_method"] = np.where(
        standardised, findings["standardised_source"], findings["crude_source"]
    )
    findings["method"] = np.where(
        standardised, findings["standardised_method"], findings["crude_method"]
    )
    findings["suppressed"] = (
        findings["crude_suppressed"].fillna(False).astype(bool)
        | findings["standardised_suppressed"].fillna(False).astype(bool)
    )


def _publication(findings: pd.DataFrame, notes: pd.DataFrame) -> None:
    """Mark findings that can be published; blank the numbers of the others and say why."""
    note_of = {
        key: (note, dimension, category)
        for key, note, dimension, category in zip(
            notes[CELL].itertuples(index=False, name=None),
            notes["note"],
            notes["collapsed_to_dimension"],
            notes["collapsed_to_category"],
            strict=True,
        )
    }
    keys = list(findings[CELL].itertuples(index=False, name=None))
    own = [note_of[key][0] if key in note_of else "" for key in keys]
    findings["collapsed_to_dimension"] = [note_of[k][1] if k in note_of else "" for k in keys]
    findings["collapsed_to_category"] = [note_of[k][2] if k in note_of else "" for k in keys]
    reference_keys = zip(
        findings["indicator_id"],
        findings["period"],
        findings["area_code"],
        findings["comparator_dimension"],
        findings["comparator"],
        strict=True,
    )
    reference_unstable = [key in note_of for key in reference_keys]
    no_reference = findings["comparator_value"].isna().to_numpy() & ~findings[
        "value"
    ].isna().to_numpy()
    published = np.array([text == "" for text in own]) & ~no_reference
    published &= findings["value"].notna().to_numpy()
    # why the tidy table has no value (e.g. an interval too wide to publish)
    no_value = findings["value"].isna().to_numpy()
    indicator_notes = np.where(
        findings["standardised_value"].notna() | findings["standardised_note"].ne(""),
        findings["standardised_note"],
        findings["crude_note"],
    )
    gap_notes = (
        findings["gap_note"].fillna("") if "gap_note" in findings else pd.Series("", findings.index)
    ).to_numpy(str)
    texts = []
    for i, text in enumerate(own):
        parts = [text] if text else []
        if gap_notes[i]:  # a named ward gap says which ward has no published value
            parts.append(gap_notes[i])
        elif no_reference[i]:
            parts.append(
                f"Not published: no value for the reference group {findings['comparator'].iat[i]}."
            )
        elif reference_unstable[i] and published[i]:
            parts.append("The reference group's rate is itself unstable; read with care.")
        if no_value[i] and indicator_notes[i]:
            parts.append(f"Indicator note: {indicator_notes[i]}")
        texts.append(" ".join(parts))
    findings["note"] = texts
    findings["published"] = published
    for name in _NUMBERS_HIDDEN_WHEN_UNPUBLISHED:
        if name in findings.columns:
            findings[name] = findings[name].where(findings["published"])


def _significance(findings: pd.DataFrame, config: EquityConfig) -> None:
    """BH q-values over the whole scan, significance and direction."""
    p = findings["p_value"].to_numpy(float)
    findings["q_value"] = np.asarray(fdr(p), dtype=float)
    is_ratio = findings["ratio"].notna().to_numpy()
    low = np.where(is_ratio, findings["ratio_lower_95"], findings["difference_lower_95"])
    high = np.where(is_ratio, findings["ratio_upper_95"], findings["difference_upper_95"])
    null = np.where(is_ratio, 1.0, 0.0)
    excludes = (low > null) | (high < null)
    published = findings["published"].to_numpy(bool)
    significant = published & (findings["q_value"].to_numpy(float) < config.alpha) & excludes
    findings["significant"] = significant
    findings["direction"] = np.select(
        [~published, ~significant, high < null],
        ["", "similar", "lower"],
        default="higher",
    )


def _people(findings: pd.DataFrame, config: EquityConfig) -> None:
    """People affected (the group's denominator) and people to close an uptake gap."""
    denominator = findings["crude_denominator"].where(
        ~findings["crude_suppressed"].fillna(False).astype(bool)
    )
    findings["people_affected"] = denominator.where(findings["published"]).astype(float)
    uptake = is_uptake(
        findings["statistic"], findings["polarity"], findings["domain"], config.uptake_domains
    ) & (
        findings["finding_type"] == GROUP_COMPARISON
    ).to_numpy()
    point, lower, upper = people_to_close_gap(
        findings["crude_difference"].to_numpy(float),
        findings["crude_difference_lower_95"].to_numpy(float),
        findings["crude_difference_upper_95"].to_numpy(float),
        findings["people_affected"].to_numpy(float),
        findings["multiplier"].to_numpy(float),
    )
    findings["people_to_close_gap"] = np.where(uptake, point, np.nan)
    findings["people_to_close_gap_lower_95"] = np.where(uptake, lower, np.nan)
    findings["people_to_close_gap_upper_95"] = np.where(uptake, upper, np.nan)
