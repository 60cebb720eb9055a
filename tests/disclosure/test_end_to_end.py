"""A real build on Synthetic Westminster: protected, audited, free of identifiers.

Slow (generates records and runs the engine): a small population and four
indicators that share denominators (population share, diabetes prevalence,
flu vaccination in over-65s, under-75 mortality), so primary and secondary
suppression, merged counts and rounding are all exercised.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from jsna.config import load_config
from jsna.disclosure import audit
from jsna.engine.build import build_table, write_outputs
from jsna.provenance import read_manifest, write_manifest
from jsna.synth import write_synthetic

INDICATORS = [
    "pop_share",
    "ltc_diabetes_prevalence",
    "prev_flu_vaccination_65plus",
    "mort_u75_all_cause",
]


@pytest.fixture(scope="module")
def build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("e2e")
    data = root / "data"
    write_synthetic(data, seed=11, scale=0.02)
    config = load_config().model_copy(update={"indicators": INDICATORS})
    result = build_table(config, data)
    out = root / "out"
    written = write_outputs(result.table, out)
    published = pd.read_parquet(written["indicators.parquet"])
    write_manifest(
        out,
        config=config,
        data_dir=data,
        backend="duckdb",
        disclosure=published.attrs["disclosure"],
        outputs=["indicators.parquet", "indicators.csv"],
        environ={"SOURCE_DATE_EPOCH": "1700000000"},
    )
    return data, out


@pytest.mark.slow
def test_a_real_build_is_protected_and_passes_the_audit(build: tuple[Path, Path]) -> None:
    _, out = build
    published = pd.read_parquet(out / "indicators.parquet")
    restricted = pd.read_parquet(out / "restricted" / "indicators.parquet")
    small = restricted["numerator"].between(1, 7)
    # Every small count is hidden, and more besides (secondary suppression).
    assert small.any() and published.loc[small, "numerator"].isna().all()
    assert published["suppressed"].sum() > small.sum()
    shown = published["numerator"].dropna()
    assert ((shown % 5) == 0).all()  # nhs_digital rounds the rest to 5
    record = read_manifest(out)["disclosure"]
    assert record["policy"]["name"] == "nhs_digital" and record["unresolved"] == 0
    report = audit(out)
    assert report.ok, report.summary()
    assert report.suppressed > 0


@pytest.mark.slow
def test_no_output_holds_a_person_id_or_date_of_birth(build: tuple[Path, Path]) -> None:
    data, out = build
    people = pd.read_parquet(data / "people.parquet")
    config_dates = {"2024-03-31", "2019-04-01"}
    secrets = set(people["person_id"]) | {
        str(d) for d in people["date_of_birth"].dropna() if str(d) not in config_dates
    }
    files = [p for p in out.rglob("*") if p.is_file()]
    assert {p.name for p in files} >= {"indicators.parquet", "indicators.csv", "manifest.json"}
    for path in files:
        if path.suffix == ".parquet":
            frame = pd.read_parquet(path)
            text = frame.astype(str).to_csv(index=False)
        else:
            text = path.read_text(encoding="utf-8")
        tokens = set(re.findall(r"[A-Za-z0-9][A-Za-z0-9-]*", text))
        assert not tokens & secrets, f"{path.name} holds {sorted(tokens & secrets)[:3]}"
