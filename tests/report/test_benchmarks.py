"""Benchmark rows (other areas, from Fingertips) in the report: shown, but never mixed in.

The fixture tidy table is published with benchmark rows that
:func:`jsna.sources.connectors.fingertips.benchmark_rows` makes from the
recorded Fingertips CSV: indicator 90366 (male rows) mapped to the fixture's
``le_birth_male``, and every row of 90366 again unmapped. Expected cells are
read from the CSV here with the csv module, and the comparison with England
is worked out here by the Fingertips rule (England outside the 95% interval).
"""

from __future__ import annotations

import csv
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest
from fixture_tables import METADATA, findings_table, tidy_table

from jsna.equity import analyse
from jsna.errors import InputError
from jsna.report import publish
from jsna.report.benchmarks import own_area, split_benchmarks
from jsna.report.inputs import check_tidy
from jsna.sources.connectors.fingertips import (
    benchmark_rows,
    merge_benchmarks,
    read_fingertips_csv,
)

RECORDED = Path(__file__).parents[1] / "connectors" / "recorded" / "fingertips_90366.csv"
AREA, CAMDEN, ENGLAND = "E09000033", "E09000007", "E92000001"
AREAS = [AREA, "E12000007", CAMDEN, ENGLAND]  # the area, its region, a neighbour, England
CAPTION = "Compared with other areas: Life expectancy at birth, males"


def benchmarks() -> pd.DataFrame:
    data = read_fingertips_csv(RECORDED)
    mapped = benchmark_rows(
        data[data["sex"] == "Male"],
        area=AREA,
        neighbours=[CAMDEN],
        indicator_ids={90366: "le_birth_male"},
        polarity={90366: "higher_is_better"},
    )
    unmapped = benchmark_rows(data, area=AREA, neighbours=[CAMDEN])
    return pd.concat([mapped, unmapped], ignore_index=True)


@pytest.fixture(scope="module")
def merged() -> pd.DataFrame:
    return merge_benchmarks(tidy_table(), benchmarks())


@pytest.fixture(scope="module")
def with_benchmarks(tmp_path_factory: pytest.TempPathFactory, merged: pd.DataFrame) -> Path:
    out = tmp_path_factory.mktemp("benchmarked")
    publish(merged, findings_table(), out, metadata=METADATA)
    return out / "site"


class Tables(HTMLParser):
    """Every table of a page: its caption and its rows of cell text."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self._caption: str | None = None
        self._rows: list[list[str]] | None = None
        self._cell: list[str] | None = None
        self._in_caption = False

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self._rows, self._caption = [], ""
        elif tag == "caption":
            self._in_caption = True
        elif tag == "tr" and self._rows is not None:
            self._rows.append([])
        elif tag in ("td", "th") and self._rows is not None:
            self._cell = []

    def handle_endtag(self, tag):
        if tag == "caption":
            self._in_caption = False
        elif tag in ("td", "th") and self._cell is not None and self._rows is not None:
            self._rows[-1].append("".join(self._cell).strip())
            self._cell = None
        elif tag == "table" and self._rows is not None:
            self.tables[self._caption or ""] = self._rows
            self._rows = None

    def handle_data(self, data):
        if self._in_caption:
            self._caption = (self._caption or "") + data
        elif self._cell is not None:
            self._cell.append(data)


def tables(page: Path) -> dict[str, list[list[str]]]:
    parser = Tables()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser.tables


def expected_rows() -> list[list[str]]:
    """The comparison table worked out from the CSV: Westminster, London, Camden, England."""
    with RECORDED.open(encoding="utf-8-sig", newline="") as handle:
        rows = [r for r in csv.DictReader(handle) if r["Sex"] == "Male"]
    england = next(r for r in rows if r["Area Code"] == ENGLAND and not r["Category Type"])
    benchmark = float(england["Value"])
    chosen = sorted(
        (r for r in rows if r["Area Code"] in AREAS),
        key=lambda r: (AREAS.index(r["Area Code"]), bool(r["Category Type"])),
    )
    out = []
    for r in chosen:
        lower, upper = float(r["Lower CI 95.0 limit"]), float(r["Upper CI 95.0 limit"])
        if r["Area Code"] == ENGLAND:
            compared = "Not compared (the benchmark)"
        elif lower > benchmark:  # higher is better, and England is below the interval
            compared = "Better than England"
        elif upper < benchmark:
            compared = "Worse than England"
        else:
            compared = "Similar to England"
        group = f"{r['Sex']} × {r['Category']}" if r["Category Type"] else r["Sex"]
        out.append(
            [
                r["Area Name"],
                group,
                r["Time period"],
                f"{float(r['Value']):.1f}",
                f"{lower:.1f} to {upper:.1f}",
                compared,
            ]
        )
    return out


def test_section_shows_the_comparison_with_other_areas(with_benchmarks):
    page = with_benchmarks / "life-expectancy.html"
    table = tables(page)[CAPTION]
    assert table[0] == ["Area", "Group", "Period", "Value", "95% CI", "Compared with the benchmark"]
    assert table[1:] == expected_rows()
    # by hand from the CSV: Westminster 80.6-82.2 and London 79.7-79.9 clear England's 78.9
    assert [row[5] for row in table[1:4]] == ["Better than England"] * 2 + ["Similar to England"]
    html = page.read_text(encoding="utf-8")
    heading = html.index('id="table-le_birth_male-heading"')
    assert heading < html.index(CAPTION) < html.index('id="table-le_birth_female"')


def test_unmapped_benchmarks_reach_only_the_explorer(with_benchmarks):
    for page in with_benchmarks.glob("*.html"):
        if page.name != "explorer.html":
            assert "fingertips_90366" not in page.read_text(encoding="utf-8"), page.name
    script = (with_benchmarks / "assets" / "explorer-data.js").read_text(encoding="utf-8")
    data = json.loads(script.removeprefix("window.JSNA_DATA = ").rstrip().rstrip(";"))
    ids = [row[0] for row in data["rows"]]
    with RECORDED.open(encoding="utf-8-sig", newline="") as handle:
        wanted = [r for r in csv.DictReader(handle) if r["Area Code"] in AREAS]
    assert ids.count("fingertips_90366") == len(wanted)  # both sexes, unmapped
    own = (tidy_table()["indicator_id"] == "le_birth_male").sum()
    assert ids.count("le_birth_male") == own + sum(r["Sex"] == "Male" for r in wanted)


def test_borough_charts_are_unchanged(published, with_benchmarks):
    before = published / "site"
    charts = sorted(p.name for p in (before / "charts").iterdir())
    assert charts == sorted(p.name for p in (with_benchmarks / "charts").iterdir())
    for name in charts:
        assert (before / "charts" / name).read_bytes() == (
            with_benchmarks / "charts" / name
        ).read_bytes()
    spec = re.compile(r'<script type="application/json" id="spec-[^"]+">.*?</script>', re.S)
    for page in ("life-expectancy.html", "hot-spots.html", "index.html", "methods.html"):
        old = (before / page).read_text(encoding="utf-8")
        new = (with_benchmarks / page).read_text(encoding="utf-8")
        assert spec.findall(old) == spec.findall(new)
    # the hot spots and methods pages are untouched: no intersection of England's rows
    for page in ("hot-spots.html", "methods.html", "language-communities.html"):
        assert (before / page).read_bytes() == (with_benchmarks / page).read_bytes()


def test_equity_findings_ignore_benchmark_areas(merged):
    alone = analyse(tidy_table()).findings
    findings = analyse(merged).findings
    assert set(findings["area_code"]) == {AREA}
    assert not findings["period"].eq("2020 - 22").any()
    pd.testing.assert_frame_equal(findings, alone)


def test_split_keeps_every_row_once(merged):
    own, others = split_benchmarks(merged)
    assert len(own) + len(others) == len(merged)
    assert own.index.union(others.index).equals(merged.index)
    assert len(own) == len(tidy_table())
    assert set(others["domain"]) == {"benchmark"}


def test_two_own_areas_are_refused():
    table = tidy_table()
    table.loc[table.index[-1], "area_code"] = CAMDEN
    with pytest.raises(InputError) as error:
        own_area(table)
    assert error.value.column == "area_code"
    assert AREA in str(error.value) and CAMDEN in str(error.value)


def test_only_benchmark_rows_may_leave_the_statistic_unnamed():
    table = tidy_table()
    table.loc[3, "value_type"] = ""
    with pytest.raises(InputError) as error:
        check_tidy(table)
    assert (error.value.column, error.value.row) == ("value_type", 4)
    assert check_tidy(merge_benchmarks(tidy_table(), benchmarks()))["value_type"].eq("").any()
