"""The static report site: every page, chart and asset, as a mapping of files.

:func:`build_site` turns the checked tidy table and findings into the files
of a self-contained site (``index.html``, one page per section, a ward map,
an explorer, the methods page, ``assets/`` and ``charts/``). It writes
nothing: it returns ``{relative path: bytes}``, so the same inputs give the
same bytes and :func:`jsna.report.publish` alone touches the disk.

Nothing is fetched from outside: the Vega, Vega-Lite and Vega-Embed runtime
is bundled once for the whole site from vl-convert-python, fonts are the
system's, and chart specs are inlined in their pages (so the site works
opened straight from disk). Each chart has a static SVG fallback with alt
text and the data table behind it.
"""

from __future__ import annotations

import json
import math
import os
import re
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any, Protocol

import jinja2
import pandas as pd
import vl_convert

from jsna.errors import InputError
from jsna.report.benchmarks import (
    COMPARISON_CAPTION,
    COMPARISON_HEADERS,
    comparison_rows,
    split_benchmarks,
)
from jsna.report.charts import render_svg
from jsna.report.figures import (
    DataTable,
    Figure,
    dimension_label,
    gap_sentence,
    indicator_figure,
    records,
    variant_label,
)
from jsna.report.formatting import (
    GAP_CONTRIBUTION,
    format_count,
    format_interval,
    format_ratio,
    format_value,
    html_id,
    is_missing,
    slugify,
)
from jsna.report.inputs import ReportMetadata
from jsna.report.sections import INTERSECTION, SECTIONS, section_rows

__all__ = [
    "EXTRA_PAGES",
    "GENERAL_NOTES",
    "ExtraPage",
    "build_site",
    "indicator_rows",
    "page_for_indicator",
]

EXTRA_PAGES = (("ward-map", "Ward map"), ("explorer", "Explorer"))
TOP_FINDINGS = 10
TOP_HOT_SPOTS = 20
TOP_HOT_SPOT_CHARTS = 8
# the language page charts the Census-style measures; its table covers every indicator
LANGUAGE_CHART_DOMAINS = ("population", "wider determinants")
POLARITY_TEXT = {
    "higher_is_better": "Higher is better.",
    "lower_is_better": "Lower is better.",
    "no_judgement": "No judgement of better or worse.",
}
METHOD_NOTES = {
    "Wilson": "Proportions: Wilson score interval (Wilson 1927; Newcombe & Altman 2000).",
    "Byars": "Crude rates and counts from 10 events: Byars' approximation to the exact "
    "Poisson interval (Breslow & Day 1987).",
    "Exact": "Crude rates and counts below 10 events: exact Poisson interval from the "
    "chi-squared distribution (Garwood 1936).",
    "Dobson": "Directly age-standardised rates, European Standard Population 2013: Dobson "
    "et al. (1991) interval.",
    "Chiang II (Silcocks)": "Life expectancy: abridged life table (Chiang 1984) with the "
    "Silcocks et al. (2001) variance for the oldest band.",
    "Sullivan": "Healthy life expectancy: Sullivan (1971) method, life-table person-years "
    "weighted by the share in good or very good health (Jagger et al. 2014).",
    "Arriaga": "Life expectancy gap: the difference between two life expectancies at birth "
    "split into the contribution of each age band (Arriaga 1984); the contributions sum to "
    "the gap.",
    "Arriaga, proportional split by cause": "Life expectancy gap by cause of death: each age "
    "band's Arriaga contribution shared between causes in proportion to each cause's "
    "difference in death rates (Preston, Heuveline & Guillot 2001).",
}
GENERAL_NOTES = (
    (
        "Comparisons",
        "Each group is compared with a reference group (White British for ethnic "
        "groups, the least deprived fifth for deprivation, the borough for wards, sexes, ages "
        "and languages). 'Higher', 'Lower', 'Better' and 'Worse' mean the 95% confidence "
        "interval of the ratio excludes 1 after Benjamini–Hochberg adjustment for the many "
        "comparisons made (false discovery rate); 'Similar' means it does not.",
    ),
    (
        "Crude and age-standardised",
        "Groups differ in age: younger groups have fewer "
        "age-related conditions. Comparisons between groups use age-standardised values where "
        "the indicator has them, with the crude value beside.",
    ),
    (
        "Confidence intervals",
        "95% intervals are shown; 99.8% intervals are in the downloadable table.",
    ),
    (
        "Small groups",
        "A group with a numerator below 10, a denominator below 100, or a 95% interval wider "
        "than its value (the defaults) is not compared on its own. An ethnic group is folded "
        "into its broader group (an ONS group into its high-level group, then into Global "
        "Majority) and a note names the group that carries it; other small groups keep their "
        "figures in the tables, with their wide intervals, but are not compared.",
    ),
    (
        "Gaps between wards",
        "The widest gap is between the wards with the highest and lowest published values. "
        "Because it is picked after looking at every ward, chance pushes it wide: its "
        "interval is for those two wards alone and does not allow for the choice, so a pair "
        "of wards named in advance (in the settings) is the steadier figure to quote.",
    ),
    (
        "Ranking of findings",
        "Findings are ordered by a score: the size of the difference (the logarithm of the "
        "ratio, or the difference as a share of the reference value), times its certainty "
        "(1 minus the adjusted p-value), times log10(10 + the number of people in the group). "
        "By default some comparisons are listed but not ranked: age bands (age is what "
        "standardisation removes), population shares (who lives where), and groups defined "
        "by a missing record (ethnicity not stated, neighbourhood unknown, sex not known, "
        "main language not recorded), which show how records were kept rather than who is "
        "worse off.",
    ),
)
INDICATOR_HEADERS = (
    "Indicator",
    "ID",
    "Domain",
    "Period",
    "Statistic",
    "Method",
    "Polarity",
    "Dimensions",
    "Notes",
)
DATA_HEADERS = (
    "Group",
    "Dimension",
    "Period",
    "Statistic",
    "Value",
    "95% CI",
    "Ratio to comparator (95% CI)",
    "Compared with the reference",
    "Numerator",
    "Denominator",
    "Note",
)
DATA_SHOWN = (
    "category",
    "dimension",
    "period",
    "statistic",
    "value",
    "ci95",
    "ratio",
    "significance",
    "numerator",
    "denominator",
    "note",
)


class ExtraPage(Protocol):
    """A page another layer prepares (e.g. :class:`jsna.voice.pages.CommunityPage`)."""

    slug: str
    title: str
    intro: str
    template: str
    context: dict[str, Any]
    figures: tuple[Figure, ...]


@dataclass(frozen=True)
class IndicatorBlock:
    """One indicator on a section page: heading, summary lines, other areas and figures."""

    anchor: str
    name: str
    meta: str
    lines: tuple[str, ...]
    figures: tuple[Figure, ...]
    comparison: DataTable | None = None


@cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("jsna.report", "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )


@cache
def _vega_bundle() -> str:
    return vl_convert.javascript_bundle()


def _static(name: str) -> bytes:
    return resources.files("jsna.report").joinpath(f"static/{name}").read_bytes()


def _order(frame: pd.DataFrame, columns: list[str]) -> list[tuple[Any, ...]]:
    """Distinct key tuples in order of first appearance (the tidy table's own order)."""
    return list(dict.fromkeys(frame[columns].itertuples(index=False, name=None)))


def page_for_indicator(tidy: pd.DataFrame) -> dict[str, str]:
    """Which domain page carries each indicator's ``#table-<id>`` anchor."""
    pages: dict[str, str] = {}
    for section in SECTIONS:
        if section.kind != "domain":
            continue
        for indicator_id in section_rows(tidy, section)["indicator_id"].unique():
            pages.setdefault(str(indicator_id), f"{section.slug}.html")
    return pages


def _headline(rows: pd.DataFrame, area_name: str) -> list[str]:
    lines = []
    for row in records(rows[rows["dimension"] == "all"]):
        if row["value_type"] == GAP_CONTRIBUTION:  # the gap decomposed, and between whom
            lines.append(gap_sentence(row["note"]))
            continue
        value = format_value(
            row["value"], row["value_type"], row["multiplier"], suppressed=bool(row["suppressed"])
        )
        ci = format_interval(row["lower_95"], row["upper_95"], row["value_type"], row["multiplier"])
        lines.append(
            f"{area_name} ({variant_label(row)}): {value}" + (f" (95% CI {ci})." if ci else ".")
        )
    return lines


def _ward_gap(rows: pd.DataFrame) -> list[str]:
    """Highest and lowest ward for life-expectancy-type indicators."""
    wards = rows[(rows["dimension"] == "ward") & ~rows["value"].map(is_missing)]
    if wards.empty or rows.iloc[0]["value_type"] not in {
        "life expectancy",
        "healthy life expectancy",
    }:
        return []
    top = wards.loc[wards["value"].idxmax()]
    bottom = wards.loc[wards["value"].idxmin()]
    gap = float(top["value"]) - float(bottom["value"])
    return [
        f"Highest ward: {top['category']} ({top['value']:.1f} years); lowest ward: "
        f"{bottom['category']} ({bottom['value']:.1f} years); a gap of {gap:.1f} years between "
        "the published values (the findings give the gap's confidence interval)."
    ]


def _blocks(
    rows: pd.DataFrame,
    dimensions: list[str] | None,
    prefix: str,
    area_name: str,
    headline: bool = True,
    *,
    cache: dict[tuple[str, str, str], Figure],
    benchmarks: pd.DataFrame | None = None,
) -> list[IndicatorBlock]:
    """Indicator blocks of a page; ``dimensions=None`` charts intersections.

    ``benchmarks`` (other areas' rows) give the first block of each indicator
    its "Compared with other areas" table.
    """
    blocks = []
    seen_ids: set[str] = set()
    compared: set[str] = set()
    for indicator_id, period in _order(rows, ["indicator_id", "period"]):
        part = rows[(rows["indicator_id"] == indicator_id) & (rows["period"] == period)]
        present = list(dict.fromkeys(part["dimension"]))
        if dimensions is None:
            charted = [d for d in present if INTERSECTION in d]
        else:
            charted = [d for d in dimensions if d in present]
        borough = part[part["dimension"] == "all"]
        figures = tuple(
            _cached(cache, (indicator_id, period, d), part[part["dimension"] == d], borough)
            for d in charted
        )
        first = part.iloc[0]
        anchor = f"{prefix}-{html_id(str(indicator_id))}"
        if anchor in seen_ids:
            anchor = f"{anchor}-{slugify(str(period))}"
        seen_ids.add(anchor)
        methods = ", ".join(dict.fromkeys(m for m in part["method"] if m))
        meta = (
            f"Period {period}. "
            + (f"Method: {methods}. " if methods else "")
            + (POLARITY_TEXT.get(str(first["polarity"]), ""))
        )
        lines = _headline(part, area_name) if headline else []
        lines += _ward_gap(part)
        others = [d for d in present if d not in charted and d != "all"]
        if others and dimensions is not None:
            lines.append(
                "Also in the explorer and the workbook, by "
                + "; ".join(dimension_label(d) for d in others)
                + "."
            )
        comparison = None
        if benchmarks is not None and indicator_id not in compared:
            compared.add(indicator_id)
            others = benchmarks[benchmarks["indicator_id"] == indicator_id]
            if not others.empty:
                comparison = DataTable(
                    caption=f"{COMPARISON_CAPTION}: {first['indicator_name']}",
                    headers=COMPARISON_HEADERS,
                    rows=comparison_rows(others),
                )
        blocks.append(
            IndicatorBlock(
                anchor=anchor,
                name=str(first["indicator_name"]),
                meta=meta.strip(),
                lines=tuple(lines),
                figures=figures,
                comparison=comparison,
            )
        )
    return blocks


def _cached(
    cache: dict[tuple[str, str, str], Figure],
    key: tuple[str, str, str],
    rows: pd.DataFrame,
    borough: pd.DataFrame,
) -> Figure:
    """A figure built once per indicator, period and dimension (pages share them)."""
    if key not in cache:
        cache[key] = indicator_figure(rows, borough, key[2])
    return cache[key]


def _finding_items(
    findings: pd.DataFrame, pages: Mapping[str, str], names: Mapping[str, str]
) -> list[dict[str, str]]:
    items = []
    for row in records(findings):
        indicator_id = str(row["indicator_id"])
        page = pages.get(indicator_id)
        items.append(
            {
                "sentence": str(row["sentence"]),
                "href": f"{page}#table-{html_id(indicator_id)}" if page else "",
                "indicator_name": names.get(indicator_id, indicator_id),
            }
        )
    return items


def _top(findings: pd.DataFrame, mask: pd.Series | None = None) -> pd.DataFrame:
    chosen = findings if mask is None else findings[mask]
    for flag in ("significant", "published"):  # jsna.equity's columns, when present
        if flag in chosen.columns:
            chosen = chosen[chosen[flag].fillna(False).astype(bool)]
    return chosen.head(TOP_FINDINGS)


def _language_tables(tidy: pd.DataFrame, meta: ReportMetadata) -> list[DataTable]:
    """Each focus language against the borough, one row per indicator (crude values)."""
    rows = tidy[(tidy["dimension"] == "main_language") & ~tidy["age_standardised"]]
    tables = []
    for language in meta.focus_languages:
        group = rows[rows["category"] == language]
        if group.empty:
            continue
        body = []
        for row in records(group):
            same = (
                (tidy["indicator_id"] == row["indicator_id"])
                & (tidy["period"] == row["period"])
                & ~tidy["age_standardised"]
            )
            borough = tidy[same & (tidy["dimension"] == "all")]
            if borough.empty:
                borough = tidy[
                    same & (tidy["dimension"] == "main_language") & (tidy["category"] == "All")
                ]
            own = format_value(
                row["value"],
                row["value_type"],
                row["multiplier"],
                suppressed=bool(row["suppressed"]),
            )
            ci = format_interval(
                row["lower_95"], row["upper_95"], row["value_type"], row["multiplier"]
            )
            if borough.empty:
                whole = "not available"
            else:
                b = borough.iloc[0]
                whole = format_value(
                    b["value"], b["value_type"], b["multiplier"], suppressed=bool(b["suppressed"])
                )
            body.append(
                (
                    f"{row['indicator_name']} ({row['period']})",
                    own,
                    ci,
                    whole,
                    format_ratio(
                        row["ratio_to_comparator"], row["ratio_lower_95"], row["ratio_upper_95"]
                    ),
                    row["significance"] if row["comparator"] else "Not compared",
                )
            )
        tables.append(
            DataTable(
                caption=f"Residents whose main language is {language} compared with all residents",
                headers=(
                    "Indicator",
                    language,
                    "95% CI",
                    f"All residents of {meta.area_name}",
                    "Ratio (95% CI)",
                    "Compared with the reference",
                ),
                rows=tuple(body),
            )
        )
    return tables


def _flagged(rows: pd.DataFrame) -> pd.DataFrame:
    """Significant differences with a ratio, and their size on the ratio scale.

    ``size`` is ``|log ratio|``, so a ratio of 2 and one of 0.5 rank together.
    """
    flagged = rows[
        rows["significance"].isin(["Higher", "Lower", "Better", "Worse"])
        & ~rows["ratio_to_comparator"].map(is_missing)
        & (rows["ratio_to_comparator"] > 0)
    ].copy()
    flagged["size"] = flagged["ratio_to_comparator"].astype(float).map(lambda r: abs(math.log(r)))
    return flagged


def _hot_spot_rows(rows: pd.DataFrame) -> pd.DataFrame:
    """Rows of the indicator × intersection pairs with the largest significant differences."""
    flagged = _flagged(rows)
    if flagged.empty:
        return rows.iloc[0:0]
    keys = ["indicator_id", "period", "dimension"]
    largest = flagged.groupby(keys, sort=True)["size"].max().reset_index()
    largest = largest.sort_values(["size", *keys], ascending=[False, True, True, True])
    chosen = set(largest.head(TOP_HOT_SPOT_CHARTS)[keys].itertuples(index=False, name=None))
    mask = [key in chosen for key in rows[keys].itertuples(index=False, name=None)]
    return rows[mask]


def _hot_spot_table(rows: pd.DataFrame) -> list[DataTable]:
    flagged = _flagged(rows)
    if flagged.empty:
        return []
    flagged = flagged.sort_values(
        ["size", "indicator_id", "category"], ascending=[False, True, True], kind="stable"
    )
    body = tuple(
        (
            str(r["category"]),
            f"{r['indicator_name']} ({variant_label(r)}, {r['period']})",
            format_value(r["value"], r["value_type"], r["multiplier"]),
            format_ratio(r["ratio_to_comparator"], r["ratio_lower_95"], r["ratio_upper_95"]),
            str(r["comparator"]),
            str(r["significance"]),
        )
        for r in records(flagged.head(TOP_HOT_SPOTS))
    )
    return [
        DataTable(
            caption=f"The {len(body)} largest significant differences between intersecting groups",
            headers=(
                "Group",
                "Indicator",
                "Value",
                "Ratio (95% CI)",
                "Reference group",
                "Compared with the reference",
            ),
            rows=body,
        )
    ]


def _explorer_data(tidy: pd.DataFrame) -> str:
    columns = ["indicator_id", *DATA_SHOWN]
    rows = []
    for r in records(tidy):
        suppressed = bool(r["suppressed"])
        rows.append(
            [
                str(r["indicator_id"]),
                str(r["category"]),
                str(r["dimension"]),
                str(r["period"]),
                variant_label(r),
                format_value(r["value"], r["value_type"], r["multiplier"], suppressed=suppressed),
                format_interval(r["lower_95"], r["upper_95"], r["value_type"], r["multiplier"]),
                format_ratio(r["ratio_to_comparator"], r["ratio_lower_95"], r["ratio_upper_95"]),
                str(r["significance"]),
                format_count(r["numerator"], suppressed=suppressed),
                format_count(r["denominator"], suppressed=suppressed),
                str(r["note"]),
            ]
        )
    payload = {"columns": columns, "shown": list(DATA_SHOWN), "rows": rows}
    text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    return f"window.JSNA_DATA = {text};\n"


def _chart_assets(figures: list[Figure]) -> tuple[dict[str, dict[str, Any]], dict[str, bytes]]:
    """Inline spec JSON and static SVG for each distinct chart.

    vl-convert releases the GIL while rendering, so SVGs render on a few
    threads; ``map`` keeps their order, and each SVG is independent of the
    others (see :func:`jsna.report.charts.render_svg`), so output is unchanged.
    """
    unique = list({f.figure_id: f for f in figures if f.kind != "table"}.values())
    with ThreadPoolExecutor(max_workers=min(4, os.cpu_count() or 1)) as pool:
        svgs = list(pool.map(render_svg, [f.spec for f in unique]))
    charts: dict[str, dict[str, Any]] = {}
    files: dict[str, bytes] = {}
    for figure, svg in zip(unique, svgs, strict=True):
        width = re.search(r'<svg[^>]*\swidth="([\d.]+)"', svg)
        height = re.search(r'<svg[^>]*\sheight="([\d.]+)"', svg)
        spec_json = json.dumps(
            figure.spec, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False
        ).replace("</", "<\\/")
        charts[figure.figure_id] = {
            "spec_json": spec_json,
            "width": round(float(width.group(1))) if width else "",
            "height": round(float(height.group(1))) if height else "",
        }
        files[f"charts/{figure.figure_id}.svg"] = svg.encode("utf-8")
    return charts, files


def _size(n: int) -> str:
    return f"{n / 1_000_000:.1f} MB" if n >= 1_000_000 else f"{max(1, round(n / 1000))} KB"


def build_site(
    tidy: pd.DataFrame,
    findings: pd.DataFrame,
    meta: ReportMetadata,
    *,
    synthetic: bool,
    downloads: Mapping[str, bytes],
    extra_pages: Sequence[ExtraPage] = (),
) -> dict[str, bytes]:
    """Every file of the site as ``{relative path: bytes}``; pure, nothing written.

    ``tidy`` and ``findings`` must have passed :func:`jsna.report.inputs.check_tidy`
    and :func:`~jsna.report.inputs.check_findings`; ``downloads`` are the files
    offered for download (placed under ``downloads/``). ``extra_pages`` are
    pages other layers prepare (residents' voice, community assets): each is
    rendered with its own template (in this package's ``templates/``) and
    context, given the site's navigation and banner, and listed after the
    data-quality page. Rows for other areas (:mod:`jsna.report.benchmarks`)
    appear only in each indicator's "Compared with other areas" table and in
    the explorer; every other page reads the area's own rows.
    """
    env = _environment()
    every_row = tidy
    tidy, benchmarks = split_benchmarks(every_row)
    pages = page_for_indicator(tidy)
    names = dict(zip(tidy["indicator_id"], tidy["indicator_name"], strict=True))
    nav_items = [(s.slug, s.title if s.kind != "summary" else "Summary") for s in SECTIONS]
    nav_items = (
        nav_items[:-1]
        + [(p.slug, p.title) for p in extra_pages]
        + list(EXTRA_PAGES)
        + nav_items[-1:]
    )
    taken = [slug for slug, _ in nav_items]
    clash = next((slug for slug in taken if taken.count(slug) > 1), None)
    if clash is not None:
        raise InputError(
            "two report pages have the same name; give the extra page another slug",
            column="slug",
            value=clash,
        )
    files: dict[str, bytes] = {}
    all_figures: list[Figure] = []
    cache: dict[tuple[str, str, str], Figure] = {}
    rendered: list[tuple[str, str, dict[str, Any]]] = []

    def page(
        slug: str, title: str, intro: str, template: str, charts: bool, **context: Any
    ) -> None:
        nav = [{"href": f"{s}.html", "title": t, "current": s == slug} for s, t in nav_items]
        rendered.append(
            (
                slug,
                template,
                {
                    "page": {"title": title, "intro": intro, "charts": charts},
                    "nav": nav,
                    "meta": meta,
                    "synthetic": synthetic,
                    **context,
                },
            )
        )

    for section in SECTIONS:
        rows = section_rows(tidy, section)
        if section.kind == "summary":
            top = _top(findings)
            significant = (
                f"{int(findings['significant'].fillna(False).astype(bool).sum()):,}"
                if "significant" in findings.columns
                else None
            )
            contents = [
                {
                    "href": f"{s.slug}.html",
                    "title": s.title,
                    "intro": s.intro,
                    "count": (
                        section_rows(tidy, s)["indicator_id"].nunique()
                        if s.kind in {"domain", "language", "intersection"}
                        else None
                    ),
                }
                for s in SECTIONS
                if s.kind != "summary"
            ]
            listing = [
                {"href": f"downloads/{name}", "label": label, "size": _size(len(downloads[name]))}
                for name, label in (
                    ("indicators.csv", "Results table (CSV)"),
                    ("indicators.parquet", "Results table (Parquet)"),
                    ("jsna.xlsx", "Workbook (Excel)"),
                    ("findings.csv", "Findings (CSV)"),
                )
                if name in downloads
            ]
            page(
                section.slug,
                section.title,
                section.intro,
                "summary.html.j2",
                False,
                findings=_finding_items(top, pages, names),
                n_findings=f"{len(findings):,}",
                n_significant=significant,
                contents=contents,
                downloads=listing,
            )
        elif section.kind == "methods":
            page(
                section.slug,
                section.title,
                section.intro,
                "methods.html.j2",
                False,
                **_methods_context(tidy, meta),
            )
        else:
            lead: list[DataTable] = []
            if section.kind == "domain":
                blocks = _blocks(
                    rows,
                    list(section.dimensions),
                    "table",
                    meta.area_name,
                    cache=cache,
                    benchmarks=benchmarks,
                )
                mask = findings["indicator_id"].isin(set(rows["indicator_id"]))
            elif section.kind == "language":
                lead = _language_tables(tidy, meta)
                blocks = _blocks(
                    rows[rows["domain"].isin(LANGUAGE_CHART_DOMAINS)],
                    ["main_language"],
                    "language",
                    meta.area_name,
                    headline=False,
                    cache=cache,
                )
                mask = _dimension_mask(findings, lambda d: d == "main_language")
            else:
                lead = _hot_spot_table(rows)
                blocks = _blocks(
                    _hot_spot_rows(rows),
                    None,
                    "hotspot",
                    meta.area_name,
                    headline=False,
                    cache=cache,
                )
                mask = _dimension_mask(findings, lambda d: INTERSECTION in d)
            figures = [f for b in blocks for f in b.figures if f.kind != "table"]
            all_figures.extend(figures)
            page(
                section.slug,
                section.title,
                section.intro,
                "section.html.j2",
                bool(figures),
                findings=_finding_items(_top(findings, mask), pages, names),
                lead_tables=lead,
                indicators=blocks,
            )

    ward_rows = tidy[tidy["dimension"] == "ward"]
    ward_figures = []
    for indicator_id, period in _order(ward_rows, ["indicator_id", "period"]):
        part = tidy[(tidy["indicator_id"] == indicator_id) & (tidy["period"] == period)]
        ward_figures.append(
            _cached(
                cache,
                (indicator_id, period, "ward"),
                part[part["dimension"] == "ward"],
                part[part["dimension"] == "all"],
            )
        )
    ward_figures = [f for f in ward_figures if f.kind == "map"]
    all_figures.extend(ward_figures)
    page(
        "ward-map",
        "Ward map",
        f"{meta.area_name}'s wards shaded by any indicator with ward figures: choose one "
        "from the list.",
        "wardmap.html.j2",
        bool(ward_figures),
        figures=ward_figures,
    )
    every_name = dict(zip(every_row["indicator_id"], every_row["indicator_name"], strict=True))
    indicator_options = [
        (i, names.get(i, every_name[i])) for (i,) in _order(every_row, ["indicator_id"])
    ]
    page(
        "explorer",
        "Explorer",
        "Filter the results table by indicator, dimension and group.",
        "explorer.html.j2",
        False,
        indicators=indicator_options,
        headers=DATA_HEADERS,
    )

    for extra in extra_pages:
        all_figures.extend(extra.figures)
        page(
            extra.slug,
            extra.title,
            extra.intro,
            extra.template,
            bool(extra.figures),
            **extra.context,
        )

    charts, chart_files = _chart_assets(all_figures)
    for slug, template, context in rendered:
        html = env.get_template(template).render(charts=charts, **context)
        files[f"{slug}.html"] = html.encode("utf-8")
    files.update(chart_files)
    files["assets/site.css"] = _static("site.css")
    files["assets/charts.js"] = _static("charts.js")
    files["assets/explorer.js"] = _static("explorer.js")
    files["assets/ward-map.js"] = _static("ward-map.js")
    files["assets/vega-bundle.js"] = _vega_bundle().encode("utf-8")
    files["assets/explorer-data.js"] = _explorer_data(every_row).encode("utf-8")
    for name, content in downloads.items():
        files[f"downloads/{name}"] = content
    return dict(sorted(files.items()))


def _dimension_mask(findings: pd.DataFrame, test: Any) -> pd.Series:
    if "dimension" not in findings.columns:
        return pd.Series(False, index=findings.index)
    return findings["dimension"].fillna("").astype(str).map(test).astype(bool)


def indicator_rows(tidy: pd.DataFrame) -> list[tuple[str, ...]]:
    """One row per indicator for the methods page and sheet.

    Columns: name, id, domain, periods, statistics, methods, polarity,
    dimensions and the indicator's distinct notes.
    """
    body = []
    for (indicator_id,) in _order(tidy, ["indicator_id"]):
        part = tidy[tidy["indicator_id"] == indicator_id]
        first = part.iloc[0]
        variants = part.drop_duplicates(["value_type", "multiplier"])
        body.append(
            (
                str(first["indicator_name"]),
                str(indicator_id),
                str(first["domain"]),
                ", ".join(dict.fromkeys(part["period"])),
                ", ".join(variant_label(r) for r in records(variants)),
                ", ".join(dict.fromkeys(m for m in part["method"] if m)),
                POLARITY_TEXT.get(str(first["polarity"]), str(first["polarity"])),
                "; ".join(dimension_label(d) for d in dict.fromkeys(part["dimension"])),
                " ".join(dict.fromkeys(n for n in part["note"] if n)),
            )
        )
    return body


def _method_note(method: str) -> str:
    """The glossary entry of a method; 'Sullivan (Chiang II life table)' reads 'Sullivan'."""
    for name, note in METHOD_NOTES.items():
        if method == name or method.startswith(f"{name} ("):
            return note
    return "As named in the results table."


def _methods_context(tidy: pd.DataFrame, meta: ReportMetadata) -> dict[str, Any]:
    used = list(dict.fromkeys(m for m in tidy["method"] if m))
    glossary = [(m, _method_note(m)) for m in used]
    glossary += list(GENERAL_NOTES)
    indicator_table = DataTable(
        caption="Every indicator in this report",
        headers=INDICATOR_HEADERS,
        rows=tuple(indicator_rows(tidy)),
    )
    details = (
        DataTable(caption="Build details", headers=("Item", "Value"), rows=meta.details)
        if meta.details
        else None
    )
    return {
        "glossary": glossary,
        "indicator_table": indicator_table,
        "sources": meta.sources,
        "details": details,
    }
