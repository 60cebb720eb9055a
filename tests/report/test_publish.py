"""Downloads, determinism and the layout publish() writes."""

from __future__ import annotations

import io
from dataclasses import dataclass

import pandas as pd
import pyarrow.parquet as pq
import pytest
from fixture_tables import METADATA

from jsna.errors import InputError
from jsna.report import publish
from jsna.report.figures import indicator_figure
from jsna.report.publisher import PUBLISHED_FILES


def all_files(root):
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_layout_and_downloads(published, tidy, findings):
    for name in PUBLISHED_FILES:
        assert (published / name).read_bytes() == (published / "site/downloads" / name).read_bytes()
    assert sorted(p.name for p in published.iterdir()) == sorted([*PUBLISHED_FILES, "site"])
    back = pd.read_parquet(published / "indicators.parquet")
    pd.testing.assert_frame_equal(back, tidy)
    assert pq.read_schema(published / "indicators.parquet").metadata[b"jsna.synthetic"] == b"true"
    csv = pd.read_csv(published / "indicators.csv", keep_default_na=False, na_values=[""])
    for column in ("numerator", "denominator", "value", "lower_95", "ratio_to_comparator"):
        pd.testing.assert_series_equal(csv[column], tidy[column], check_exact=True)
    assert csv["category"].tolist() == tidy["category"].tolist()
    found = pd.read_csv(io.BytesIO((published / "findings.csv").read_bytes()))
    assert found["sentence"].tolist() == findings["sentence"].tolist()


def test_same_inputs_give_byte_identical_outputs(published, tidy, findings, tmp_path):
    again = tmp_path / "again"
    (again / "site").mkdir(parents=True)
    (again / "site" / "stale.html").write_text("left from an earlier run")
    index = publish(tidy.copy(), findings.copy(), again, metadata=dict(METADATA))
    assert index == again / "site" / "index.html"
    first, second = all_files(published), all_files(again)
    assert sorted(first) == sorted(second)  # the stale page is gone, nothing else differs
    for name, content in first.items():
        assert second[name] == content, name


def test_real_data_carry_no_synthetic_label(tidy, findings, tmp_path):
    real = tidy.assign(synthetic=False)
    index = publish(real, findings, tmp_path, metadata={"title": "JSNA", "published": "2025-06-30"})
    for page in index.parent.glob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert "Synthetic data." not in html and "synthetic data" not in html.lower()
        assert "Published 2025-06-30." in html
    assert pq.read_schema(tmp_path / "indicators.parquet").metadata[b"jsna.synthetic"] == b"false"


@dataclass(frozen=True)
class Page:
    """An extra page as other layers hand it over (jsna.voice.pages.CommunityPage's shape)."""

    slug: str
    title: str
    intro: str
    template: str
    context: dict
    figures: tuple = ()


def test_extra_pages_join_the_site(tidy, findings, tmp_path):
    rows = tidy[(tidy["indicator_id"] == "dq_ethnicity_recorded")]
    ward_figure = indicator_figure(rows, rows.iloc[0:0], "ward")
    extra = Page("what-residents-say", "What residents say", "Themes from conversations.",
                 "wardmap.html.j2", {"figures": [ward_figure]}, (ward_figure,))  # fmt: skip
    index = publish(tidy, findings, tmp_path, metadata={"synthetic": True}, pages=[extra])
    site = index.parent
    html = (site / "what-residents-say.html").read_text(encoding="utf-8")
    assert "<h1>What residents say</h1>" in html and "Synthetic data." in html
    assert (site / f"charts/{ward_figure.figure_id}.svg").is_file()
    for page in site.glob("*.html"):
        assert '<a href="what-residents-say.html"' in page.read_text(encoding="utf-8")
    clash = Page("methods", "Methods again", "", "wardmap.html.j2", {"figures": []})
    with pytest.raises(InputError, match="same name") as info:
        publish(tidy, findings, tmp_path / "clash", metadata={}, pages=[clash])
    assert info.value.value == "methods"
