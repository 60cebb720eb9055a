"""Chart specs, the packaged ward boundaries, and the palette's contrast."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import altair as alt
import pytest

from jsna.report.charts import (
    SIGNIFICANCE_STYLE,
    dot_interval_chart,
    render_svg,
    ward_boundaries,
    ward_key,
    ward_map,
)

SOURCE = (
    Path(__file__).resolve().parents[3]
    / "shared/data/raw/ons_boundaries_drkane_geo_lookups/westminster_E09000033_ward.geojson"
)


def ring_area(ring):
    """Signed shoelace area in (lon, lat): positive means counter-clockwise."""
    return sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in itertools.pairwise(ring)) / 2


def relative_luminance(hex_colour: str) -> float:
    """WCAG 2.2 relative luminance of an sRGB colour."""
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def test_boundaries_are_the_18_wards_clockwise():
    wards = ward_boundaries()
    codes = [f["properties"]["ward_code"] for f in wards["features"]]
    assert codes == [f"E0501{n}" for n in range(3792, 3810)]
    assert "Open Government Licence v3.0" in wards["attribution"]
    assert "Crown copyright" in wards["attribution"]
    for feature in wards["features"]:
        rings = feature["geometry"]["coordinates"]
        polygons = [rings] if feature["geometry"]["type"] == "Polygon" else rings
        for ring in itertools.chain.from_iterable(polygons):
            assert ring[0] == ring[-1]
            assert ring_area(ring) < 0  # clockwise, as Vega-Lite's d3-geo expects


@pytest.mark.skipif(not SOURCE.exists(), reason="shared ONS boundaries not present")
def test_boundaries_match_the_ons_source():
    source = json.loads(SOURCE.read_text(encoding="utf-8"))
    names = {f["properties"]["WD25CD"]: f["properties"]["WD25NM"] for f in source["features"]}
    ours = {f["properties"]["ward_code"]: f["properties"]["ward_name"]
            for f in ward_boundaries()["features"]}  # fmt: skip
    assert ours == names
    for feature in source["features"]:
        code = feature["properties"]["WD25CD"]
        mine = next(f for f in ward_boundaries()["features"]
                    if f["properties"]["ward_code"] == code)  # fmt: skip
        original = feature["geometry"]["coordinates"][0]
        derived = mine["geometry"]["coordinates"][0]
        # same ring up to rounding to 5 d.p.: areas agree to 0.1%
        assert abs(abs(ring_area(derived)) - abs(ring_area(original))) < 1e-3 * abs(
            ring_area(original))  # fmt: skip


def test_ward_key_matches_spelling_variants():
    assert ward_key("Knightsbridge & Belgravia") == ward_key("Knightsbridge and Belgravia")
    assert ward_key("St James's") == ward_key("St James’s") == "st jamess"


def test_palette_contrast_and_shapes():
    for colour, _ in SIGNIFICANCE_STYLE.values():
        lighter, darker = 1.0, relative_luminance(colour)
        assert (lighter + 0.05) / (darker + 0.05) >= 3.0  # WCAG 1.4.11 non-text contrast
    # no meaning by colour alone: groups sharing a colour differ in shape
    pairs = list(SIGNIFICANCE_STYLE.values())
    assert len(set(pairs)) == len(pairs)
    shapes_by_colour = {}
    for colour, shape in pairs:
        shapes_by_colour.setdefault(colour, set()).add(shape)
    assert all(len(s) == sum(c == k for c, _ in pairs) for k, s in shapes_by_colour.items())


POINTS = [
    {"group": "Black Caribbean", "value": 24.0, "lower": 20.0, "upper": 28.0,
     "comparison": "Higher", "label": "24.0%"},
    {"group": "White British", "value": 12.0, "lower": 11.0, "upper": 13.0,
     "comparison": "Reference group", "label": "12.0%"},
    {"group": "Roma", "value": None, "lower": None, "upper": None,
     "comparison": "Not compared", "label": "suppressed"},
]  # fmt: skip


def test_dot_chart_spec_is_valid_vega_lite_and_deterministic():
    spec = dot_interval_chart(POINTS, description="Alt text.", value_title="Prevalence, %",
                              reference=12.0, reference_label="White British")  # fmt: skip
    alt.TopLevelLayerSpec.from_dict(spec, validate=True)
    assert spec["description"] == "Alt text."
    assert spec["layer"][0]["data"] == {"name": "groups"}
    assert spec["datasets"]["groups"] == POINTS
    encoding = spec["layer"][1]["encoding"]
    # the legend lists only comparisons that have a mark (Roma has no value)
    assert encoding["color"]["scale"]["domain"] == ["Higher", "Reference group"]
    assert encoding["shape"]["scale"]["range"] == ["triangle-up", "cross"]
    assert spec["datasets"]["reference"] == [{"reference": 12.0, "name": "White British"}]
    again = dot_interval_chart(POINTS, description="Alt text.", value_title="Prevalence, %",
                               reference=12.0, reference_label="White British")  # fmt: skip
    assert json.dumps(spec, sort_keys=True) == json.dumps(again, sort_keys=True)
    svg = render_svg(spec)
    assert svg.startswith("<svg") and "Black Caribbean" in svg and "Roma" in svg


def test_ward_map_keeps_wards_without_values():
    values = {ward_key("Westbourne"): {"value": 71.5, "label": "71.5 years"}}
    spec = ward_map(values, description="Map alt.", value_title="Life expectancy, years")
    alt.TopLevelLayerSpec.from_dict(spec, validate=True)
    assert spec["data"] == {"name": "wards"}  # shared by both layers
    features = spec["datasets"]["wards"]
    assert len(features) == 18
    by_ward = {f["properties"]["ward"]: f["properties"] for f in features}
    assert by_ward["Westbourne"]["value"] == 71.5
    assert by_ward["Abbey Road"] == {"ward": "Abbey Road", "value": None, "label": "not available"}
    assert render_svg(spec).count("<path") >= 18
