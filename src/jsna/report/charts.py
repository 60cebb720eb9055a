"""Vega-Lite chart specifications (built with Altair) and their static SVG.

Two kinds of chart carry the report:

* a *dot-and-interval chart* (a forest plot) of one indicator across the
  groups of one dimension: each group's value with its 95% confidence
  interval, the comparator's value as a dashed reference line, and the
  comparison with it shown by colour **and** marker shape (so meaning never
  rests on colour alone);
* a *ward map*: Westminster's wards shaded by any indicator, on the ONS ward
  boundaries shipped with the package (``data/westminster_wards.geojson``).

A third, a *contribution chart*, shows how a life-expectancy gap splits into
age bands or causes of death: one bar per group, from zero.

Colours are the Okabe–Ito palette (Okabe & Ito 2008, "Color Universal
Design"), distinguishable with the common colour-vision deficiencies, each
chosen with at least 3:1 contrast against white (WCAG 2.2, 1.4.11); the map
uses the perceptually uniform, colour-blind-safe *viridis* scheme. Specs use
inline data and no selection parameters, so the same rows give the same JSON
byte for byte (specs are not schema-validated at build time, for speed: the
tests validate each kind); every spec's ``description`` is its alt text, which Vega
writes into the SVG's ``aria-label``. SVG is rendered offline by
vl-convert-python.
"""

from __future__ import annotations

import json
import re
import unicodedata
from functools import cache
from importlib import resources
from typing import Any

import altair as alt
import vl_convert

__all__ = [
    "SIGNIFICANCE_STYLE",
    "contribution_chart",
    "dot_interval_chart",
    "render_svg",
    "ward_boundaries",
    "ward_key",
    "ward_map",
]

# Okabe–Ito colours; contrast with white: vermillion 3.9:1, blue 5.2:1, grey 5.3:1
VERMILLION, BLUE, GREY, BLACK = "#D55E00", "#0072B2", "#666666", "#000000"
SIGNIFICANCE_STYLE: dict[str, tuple[str, str]] = {
    "Higher": (VERMILLION, "triangle-up"),
    "Worse": (VERMILLION, "square"),
    "Lower": (BLUE, "triangle-down"),
    "Better": (BLUE, "diamond"),
    "Similar": (GREY, "circle"),
    "Not compared": (BLACK, "circle"),
    "Reference group": (BLACK, "cross"),
}
FONT = "Arial, Helvetica, sans-serif"
CHART_WIDTH = 460
TRAILING_NUMBER = re.compile(r"_?\d+$")


def _config(chart: alt.TopLevelMixin) -> alt.TopLevelMixin:
    """Shared look: readable font sizes, dark text, no chart border."""
    return (
        chart.configure(font=FONT)
        .configure_axis(
            labelFontSize=12,
            titleFontSize=12,
            labelColor="#1b1b1b",
            titleColor="#1b1b1b",
            labelLimit=260,
        )
        .configure_legend(
            labelFontSize=12,
            titleFontSize=12,
            labelColor="#1b1b1b",
            titleColor="#1b1b1b",
            orient="bottom",
            direction="horizontal",
        )
        .configure_view(stroke=None)
    )


def dot_interval_chart(
    points: list[dict[str, Any]],
    *,
    description: str,
    value_title: str,
    reference: float | None = None,
    reference_label: str = "",
    zero: bool = True,
) -> dict[str, Any]:
    """A dot-and-interval chart of groups; returns the Vega-Lite spec as a dict.

    ``points`` are dicts with ``group``, ``value``, ``lower``, ``upper``,
    ``comparison`` (a key of :data:`SIGNIFICANCE_STYLE`) and ``label`` (the
    formatted value shown in the tooltip). Rows without a value (suppressed
    or not computable) still take their place on the axis, with no mark.
    ``zero=False`` lets the value axis start near the data (life expectancy).

    >>> spec = dot_interval_chart(
    ...     [{"group": "A", "value": 1.0, "lower": 0.5, "upper": 1.5,
    ...       "comparison": "Similar", "label": "1.0"}],
    ...     description="One group.", value_title="Rate")
    >>> spec["description"], spec["layer"][1]["mark"]["type"]
    ('One group.', 'point')
    """
    order = [p["group"] for p in points]
    shown = [p["comparison"] for p in points if p["value"] is not None]
    present = [c for c in SIGNIFICANCE_STYLE if c in shown]
    y = alt.Y("group:N", sort=order, title=None)
    # named datasets, filled in after to_dict (Altair deep-copies inline values)
    base = alt.Chart(alt.NamedData(name="groups"))
    interval = base.mark_rule(color="#1b1b1b", strokeWidth=1.5).encode(
        y=y, x=alt.X("lower:Q", title=value_title, scale=alt.Scale(zero=zero)), x2="upper:Q"
    )
    dots = base.mark_point(filled=True, size=90, opacity=1).encode(
        y=y,
        x=alt.X("value:Q"),
        color=alt.Color(
            "comparison:N",
            title="Compared with the reference",
            scale=alt.Scale(domain=present, range=[SIGNIFICANCE_STYLE[c][0] for c in present]),
        ),
        shape=alt.Shape(
            "comparison:N",
            title="Compared with the reference",
            scale=alt.Scale(domain=present, range=[SIGNIFICANCE_STYLE[c][1] for c in present]),
        ),
        tooltip=[
            alt.Tooltip("group:N", title="Group"),
            alt.Tooltip("label:N", title="Value (95% CI)"),
            alt.Tooltip("comparison:N", title="Compared with the reference"),
        ],
    )
    layers: list[alt.Chart] = [interval, dots]
    if reference is not None:
        rule = alt.Chart(alt.NamedData(name="reference"))
        layers.append(
            rule.mark_rule(strokeDash=[6, 4], color=GREY, strokeWidth=1.5).encode(
                x="reference:Q", tooltip=[alt.Tooltip("name:N", title="Reference")]
            )
        )
    chart = alt.layer(*layers).properties(
        width=CHART_WIDTH, height=max(60, 22 * len(points)), description=description
    )
    spec = _config(chart).to_dict(validate=False)
    spec["datasets"] = {"groups": points}
    if reference is not None:
        spec["datasets"]["reference"] = [{"reference": reference, "name": reference_label}]
    return spec


def contribution_chart(
    points: list[dict[str, Any]], *, description: str, value_title: str
) -> dict[str, Any]:
    """A bar chart of contributions to a gap, from zero; returns the Vega-Lite spec.

    ``points`` are dicts with ``group``, ``value`` (None for no bar) and
    ``label`` (the formatted value for the tooltip). Bars run right for
    positive and left for negative contributions (the sign, not colour,
    carries the meaning); a black rule marks zero.

    >>> spec = contribution_chart([{"group": "0-4", "value": -0.2, "label": "-0.2"}],
    ...                           description="One band.", value_title="Years")
    >>> spec["description"], spec["layer"][0]["mark"]["type"]
    ('One band.', 'bar')
    """
    order = [p["group"] for p in points]
    base = alt.Chart(alt.NamedData(name="groups"))
    bars = base.mark_bar(color=BLUE).encode(
        y=alt.Y("group:N", sort=order, title=None),
        x=alt.X("value:Q", title=value_title),
        tooltip=[
            alt.Tooltip("group:N", title="Group"),
            alt.Tooltip("label:N", title="Contribution"),
        ],
    )
    zero = alt.Chart(alt.NamedData(name="zero")).mark_rule(color=BLACK).encode(x="zero:Q")
    chart = alt.layer(bars, zero).properties(
        width=CHART_WIDTH, height=max(60, 22 * len(points)), description=description
    )
    spec = _config(chart).to_dict(validate=False)
    spec["datasets"] = {"groups": points, "zero": [{"zero": 0}]}
    return spec


def ward_key(name: str) -> str:
    """A ward name reduced for matching: case, accents, apostrophes and '&'/'and' ignored.

    >>> ward_key("Queen’s Park") == ward_key("Queens Park")
    True
    """
    text = unicodedata.normalize("NFKD", name).lower().replace("&", " and ")
    return re.sub(r"[^a-z0-9]+", " ", text.replace("'", "").replace("’", "")).strip()


@cache
def _boundaries_text() -> str:
    return (
        resources.files("jsna.report")
        .joinpath("data/westminster_wards.geojson")
        .read_text(encoding="utf-8")
    )


def ward_boundaries() -> dict[str, Any]:
    """The packaged ward boundaries (GeoJSON FeatureCollection, clockwise rings).

    Derived from the ONS ward boundaries (Open Government Licence v3.0; contains
    OS data © Crown copyright and database right) by
    ``scripts/derive_ward_boundaries.py``.
    """
    return json.loads(_boundaries_text())


def ward_map(
    values: dict[str, dict[str, Any]], *, description: str, value_title: str
) -> dict[str, Any]:
    """A choropleth of the wards; returns the Vega-Lite spec as a dict.

    ``values`` maps :func:`ward_key` of a ward name to ``{"value": float|None,
    "label": str}``. Wards without a value are drawn in light grey with the
    label "not available" (or "suppressed"), so no ward disappears.
    """
    features = []
    for feature in ward_boundaries()["features"]:
        props = feature["properties"]
        entry = values.get(ward_key(props["ward_name"]), {"value": None, "label": "not available"})
        features.append(
            {
                "type": "Feature",
                "geometry": feature["geometry"],
                "properties": {
                    "ward": props["ward_name"],
                    "value": entry["value"],
                    "label": entry["label"],
                },
            }
        )
    # named data filled in after to_dict: Altair deep-copies inline values, and
    # the boundaries are most of a map spec's size
    data = alt.NamedData(name="wards")
    tooltip = [
        alt.Tooltip("properties.ward:N", title="Ward"),
        alt.Tooltip("properties.label:N", title="Value"),
    ]
    outline = (
        alt.Chart(data)
        .mark_geoshape(fill="#e8e8e8", stroke="#ffffff", strokeWidth=1)
        .encode(tooltip=tooltip)
    )
    shaded = (
        alt.Chart(data)
        .mark_geoshape(stroke="#ffffff", strokeWidth=1)
        .encode(
            color=alt.Color(
                "properties.value:Q",
                title=value_title,
                scale=alt.Scale(scheme="viridis"),
                legend=alt.Legend(orient="bottom", direction="horizontal", gradientLength=260),
            ),
            tooltip=tooltip,
        )
    )
    chart = (
        alt.layer(outline, shaded)
        .project(type="mercator")
        .properties(width=CHART_WIDTH, height=380, description=description)
    )
    spec = _config(chart).to_dict(validate=False)
    spec["datasets"] = {"wards": features}
    return spec


def render_svg(spec: dict[str, Any]) -> str:
    """Static SVG of a Vega-Lite spec, rendered offline (no network, no browser).

    Vega numbers gradients and clip paths with a counter that lives as long as
    the renderer (``gradient_0``, then ``gradient_1`` for the next chart …);
    they are renumbered from 0 within each SVG so the same spec always gives
    the same bytes.
    """
    svg = vl_convert.vegalite_to_svg(spec)
    found = dict.fromkeys(re.findall(r'id="((?:gradient|clip)_?\d+)"', svg))
    if not found:
        return svg
    names = {old: TRAILING_NUMBER.sub(f"-{i}", old) for i, old in enumerate(found)}
    pattern = re.compile("|".join(rf"\b{re.escape(old)}\b" for old in found))
    return pattern.sub(lambda match: names[match.group(0)], svg)
