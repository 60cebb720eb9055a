"""Geography (LSOA → ward) and IMD 2019 lookups."""

from __future__ import annotations

import csv
import gzip
import json
from pathlib import Path

import numpy as np
import pytest

from jsna.codes import deprivation, geography
from jsna.errors import InputError

RAW = Path(__file__).resolve().parents[3] / "shared" / "data" / "raw"


def test_eighteen_wards_with_their_2022_codes():
    assert list(geography.WARDS) == [f"E050{n}" for n in range(13792, 13810)]
    assert geography.WARDS["E05013797"] == "Knightsbridge & Belgravia"
    assert geography.WARDS["E05013809"] == "Westbourne"
    assert geography.WARD_NAMES[-1] == "Unknown"


def test_ward_lookup_covers_123_lsoas_and_every_ward():
    table = geography.ward_lookup()
    assert len(table) == 123 and table["lsoa21"].is_unique
    assert set(table["ward_code"]) == set(geography.WARDS)
    assert (table["ward_name"] == table["ward_code"].map(geography.WARDS)).all()
    assert table["area_share"].between(0.3, 1.0).all()


def test_lsoas_match_the_ons_boundary_file():
    path = RAW / "ons_boundaries_drkane_geo_lookups" / "westminster_E09000033_lsoa.geojson"
    if not path.exists():
        pytest.skip("shared boundary file not present")
    features = json.loads(path.read_text())["features"]
    codes = {f["properties"]["LSOA21CD"] for f in features}
    assert codes == set(geography.ward_lookup()["lsoa21"])


def test_to_ward_unknown_for_empty_or_outside_and_error_for_junk():
    got = geography.to_ward_name(["E01004646", "", None, "E01000001"])
    assert got.tolist() == ["Abbey Road", "Unknown", "Unknown", "Unknown"]
    with pytest.raises(InputError) as caught:
        geography.to_ward_code(["E01004646", "Westminster 002A"], file="people.csv")
    assert (caught.value.row, caught.value.value) == (2, "Westminster 002A")


def test_imd_quintiles_are_fifths_of_the_borough_ranked_by_rank():
    table = deprivation.imd_lookup()
    assert len(table) == 123
    counts = table["imd_quintile_number"].value_counts().sort_index().tolist()
    assert counts == [25, 25, 24, 25, 24]
    # more deprived quintile ⇒ every rank below every rank of the next quintile
    by_q = table.groupby("imd_quintile_number")["imd_rank"]
    assert (by_q.max().to_numpy()[:-1] < by_q.min().to_numpy()[1:]).all()
    assert deprivation.IMD_QUINTILES[0] == "1 (most deprived)"
    assert set(table["imd_quintile"]) == set(deprivation.IMD_QUINTILES[:-1])


def _imd2011():
    path = RAW / "mhclg_imd2019" / "File_1_-_IMD2019_Index_of_Multiple_Deprivation.csv.gz"
    pop_path = RAW / "mhclg_imd2019" / "File_6_-_IoD2019_Population_Denominators.csv.gz"
    if not path.exists() or not pop_path.exists():
        pytest.skip("shared IMD files not present")
    with gzip.open(path, "rt", encoding="utf-8-sig") as f:
        rows = {r["LSOA code (2011)"]: r for r in csv.DictReader(f)}
    with gzip.open(pop_path, "rt", encoding="utf-8-sig") as f:
        pop = {
            r["LSOA code (2011)"]: int(
                r["Total population: mid 2015 (excluding prisoners)"].replace(",", "")
            )
            for r in csv.DictReader(f)
        }
    return rows, pop


def test_unchanged_lsoas_keep_their_published_rank_and_decile():
    rows, _ = _imd2011()
    table = deprivation.imd_lookup()
    same = table[table["lsoa21"].isin(rows.keys())]
    assert len(same) == 123 - 8  # 6 merged, 1 renamed part of a split, 1 new split
    for r in same.itertuples():
        published = rows[r.lsoa21]
        assert r.imd_rank == int(
            published["Index of Multiple Deprivation (IMD) Rank"].replace(",", "")
        )
        assert r.imd_decile == int(published["Index of Multiple Deprivation (IMD) Decile"])


def test_merged_lsoa_rank_is_population_weighted():
    rows, pop = _imd2011()
    # Westminster 007H (E01035715) = 007F (E01033600) + 007G (E01033608)
    parts = ["E01033600", "E01033608"]
    ranks = [
        int(rows[p]["Index of Multiple Deprivation (IMD) Rank"].replace(",", "")) for p in parts
    ]
    weights = [pop[p] for p in parts]
    expected = np.average(ranks, weights=weights)
    got = deprivation.imd_lookup().set_index("lsoa21").loc["E01035715", "imd_rank"]
    assert got == round(expected)


def test_to_imd_quintile():
    table = deprivation.imd_lookup()
    most = table.loc[table["imd_rank"].idxmin(), "lsoa21"]
    least = table.loc[table["imd_rank"].idxmax(), "lsoa21"]
    got = deprivation.to_imd_quintile([most, least, "", "E01000001"])
    assert got.tolist() == ["1 (most deprived)", "5 (least deprived)", "Unknown", "Unknown"]
