"""Service equity profiles on the system-equity framework: availability, access, acceptability.

The Westminster JSNA on Global Majority communities (2024) proposes judging
each service on three questions (after Penchansky & Thomas 1981, "The concept
of access"; Levesque et al. 2013):

* **availability** — is it there? Service sites per 10,000 residents in each
  ward (from the asset directory and the ``pop_share`` populations), wards
  with no site, and the languages offered;
* **access** — do eligible people use it? Uptake by ethnic group from the
  tidy table (crude rows of the type's ``access`` indicators), with each
  group's difference to the reference group and its significance;
* **acceptability** — does it suit people? Completion where the tidy table
  has a ``completion`` indicator, and the themes of resident comments that
  mention the service (``mentions`` in ``data/service_types.yaml``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from jsna.assets.directory import Directory, service_types
from jsna.assets.provision import residents_by
from jsna.codes.geography import WARDS
from jsna.voice.lexicon import keyword_pattern, normalise_text

__all__ = ["ServiceProfile", "mentions_service", "service_profiles"]

GROUP_DIMENSION = "ethnicity_19"


@dataclass(frozen=True)
class ServiceProfile:
    """One service type's equity profile; tables are pandas frames for the report."""

    code: str
    label: str
    sites: int
    languages: tuple[str, ...]
    wards_without_site: tuple[str, ...]
    availability: pd.DataFrame  # ward, residents, sites, sites_per_10000
    access: pd.DataFrame  # indicator, group, value, comparator, difference, significance
    completion: pd.DataFrame  # indicator rows where known (may be empty)
    voice: pd.DataFrame  # theme, comments (mentioning the service and carrying the theme)
    comments_mentioning: int


def mentions_service(texts: pd.Series, patterns: tuple[str, ...]) -> np.ndarray:
    """Which comments mention a service, by its ``mentions`` patterns (whole words, * = any).

    >>> mentions_service(pd.Series(["my flu jab", "the bus"]), ("jab",)).tolist()
    [True, False]
    """
    compiled = [keyword_pattern(p) for p in patterns]
    return np.array(
        [any(p.search(normalise_text(str(t))) for p in compiled) for t in texts], dtype=bool
    )


def _access(tidy: pd.DataFrame, indicators: tuple[str, ...]) -> pd.DataFrame:
    rows = tidy[
        tidy["indicator_id"].isin(indicators)
        & (tidy["dimension"] == GROUP_DIMENSION)
        & ~tidy["age_standardised"].fillna(False).astype(bool)
    ]
    out = pd.DataFrame(
        {
            "indicator_id": rows["indicator_id"],
            "indicator_name": rows["indicator_name"],
            "group": rows["category"],
            "value": rows["value"].astype(float),
            "comparator": rows["comparator"],
            "difference": rows["difference_to_comparator"].astype(float),
            "significance": rows["significance"],
        }
    )
    return out.reset_index(drop=True)


def service_profiles(
    tidy: pd.DataFrame,
    directory: Directory,
    comments: pd.DataFrame | None = None,
    codes: pd.DataFrame | None = None,
) -> list[ServiceProfile]:
    """A profile for every service type marked ``profile: true``, in file order.

    ``comments`` (from :func:`jsna.voice.read_comments`) and their ``codes``
    (id, theme, score) are optional; without them the voice table is empty.
    """
    table = directory.table()
    active = table[table["status"] == "active"]
    residents = residents_by(tidy, "ward")
    ward_names = list(WARDS.values())
    profiles = []
    for code, kind in service_types().items():
        if not kind.profile:
            continue
        served = active[active["service_types"].str.split("; ").map(lambda t, c=code: c in t)]
        sites = served.drop_duplicates(["ward_name", "location_id"])
        per_ward = sites.groupby("ward_name").size()
        availability = pd.DataFrame({"ward": ward_names})
        availability["residents"] = [float(residents.get(w, np.nan)) for w in ward_names]
        availability["sites"] = [int(per_ward.get(w, 0)) for w in ward_names]
        availability["sites_per_10000"] = 10000 * availability["sites"] / availability[
            "residents"]  # fmt: skip
        languages = sorted({x for v in served["languages"] for x in v.split("; ") if x})
        completion = tidy[tidy["indicator_id"].isin(kind.completion)].reset_index(drop=True)
        voice = pd.DataFrame(columns=["theme", "comments"])
        mentioning = 0
        if comments is not None and codes is not None and kind.mentions:
            mask = mentions_service(comments["text"], kind.mentions)
            ids = set(comments.loc[mask, "id"].astype(str))
            mentioning = len(ids)
            about = codes[codes["id"].isin(ids)].drop_duplicates(["id", "theme"])
            voice = (
                about.groupby("theme").size().rename("comments").reset_index()
                .sort_values(["comments", "theme"], ascending=[False, True], kind="stable")
                .reset_index(drop=True)
            )  # fmt: skip
        profiles.append(
            ServiceProfile(
                code=code,
                label=kind.label,
                sites=len(sites),
                languages=tuple(languages),
                wards_without_site=tuple(w for w in ward_names if per_ward.get(w, 0) == 0),
                availability=availability,
                access=_access(tidy, kind.access),
                completion=completion,
                voice=voice,
                comments_mentioning=mentioning,
            )
        )
    return profiles
