"""A random record-level population for engine tests, generated with numpy.

Independent of :mod:`jsna.synth`: plain draws covering every case the
counting rules distinguish (birth date or age only, empty and unknown codes,
late registration, leaving, deaths before and inside the window, events in
and out of their windows, ineligibility, diagnoses after the snapshot).
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd

from jsna.codes.geography import ward_lookup
from jsna.indicators.schema import CONDITIONS, EVENTS

SNAPSHOT = date(2024, 3, 31)
CAUSES = ["I21.9", "C34.1", "J44.1", "J18.9", "F03", "G30.1", "X59", "circulatory", "R99"]
ETHNICITY = ["A", "B", "C", "H", "K", "M", "N", "W", "S", "Z", "", "286009", "1919006"]
LANGUAGES = ["English", "Arabic", "Bengali (with Sylheti and Chatgaya)", "Spanish", ""]


def _dates(rng: np.random.Generator, start: date, end: date, size: int) -> list[date]:
    span = (end - start).days
    return [start + timedelta(days=int(d)) for d in rng.integers(0, span + 1, size)]


def random_population(n: int, seed: int) -> dict[str, pd.DataFrame]:
    """The four tables for ``n`` random people."""
    rng = np.random.default_rng(seed)
    ids = [f"r{i:05d}" for i in range(n)]
    ages = rng.integers(0, 101, n)
    born = [
        SNAPSHOT.replace(year=SNAPSHOT.year - int(a)) - timedelta(days=int(d))
        for a, d in zip(ages, rng.integers(0, 365, n), strict=True)
    ]
    has_dob = rng.random(n) < 0.7
    lsoas = [*ward_lookup()["lsoa21"].tolist()[:40], "", "E01000001"]
    start = _dates(rng, date(2015, 1, 1), date(2024, 6, 30), n)
    start = [max(s, b) for s, b in zip(start, born, strict=True)]
    leaves = rng.random(n) < 0.1
    end = [
        _dates(rng, s, date(2024, 9, 30), 1)[0] if leave else None
        for s, leave in zip(start, leaves, strict=True)
    ]
    dies = rng.random(n) < 0.06
    death_dates = {}
    for i in np.flatnonzero(dies):
        if start[i] < date(2024, 3, 1):
            death_dates[i] = _dates(rng, start[i], date(2024, 3, 31), 1)[0]
            end[i] = death_dates[i]
    people = pd.DataFrame(
        {
            "person_id": ids,
            "sex": rng.choice(["F", "M", "U"], n, p=[0.5, 0.48, 0.02]),
            "date_of_birth": [b if d else None for b, d in zip(born, has_dob, strict=True)],
            "age": [None if d else int(a) for a, d in zip(ages, has_dob, strict=True)],
            "ethnicity_code": rng.choice(ETHNICITY, n),
            "lsoa21": rng.choice(lsoas, n),
            "main_language": rng.choice(LANGUAGES, n),
            "tenure": rng.choice(["owned", "social_rented", "private_rented", "other", None], n),
            "economic_activity": rng.choice(["employed", "unemployed", "inactive", None], n),
            "general_health": rng.choice(["very_good", "good", "fair", "bad", "very_bad", None], n),
            "disability": rng.choice(["limited_a_lot", "limited_a_little", "not_limited", None], n),
            "unpaid_care": rng.choice(["none", "1_19h", "20_49h", "50h_plus", None], n),
            "registration_start": start,
            "registration_end": end,
        }
    )
    rows = []
    # Records fall inside each person's life and registration (the data model's rule).
    first = [max(b, date(2005, 1, 1)) for b in born]
    last = [e or date(2024, 9, 30) for e in end]
    for condition in CONDITIONS:
        for i in np.flatnonzero(rng.random(n) < 0.12):
            rows.append((ids[i], condition, _dates(rng, first[i], last[i], 1)[0]))
    conditions = pd.DataFrame(rows, columns=["person_id", "condition", "diagnosis_date"])
    rows = []
    for event in EVENTS:
        for i in np.flatnonzero(rng.random(n) < 0.35):
            when = _dates(rng, min(max(first[i], date(2018, 1, 1)), last[i]), last[i], 1)[0]
            eligible = rng.choice([True, False, None], p=[0.8, 0.1, 0.1])
            rows.append((ids[i], event, when, eligible))
    events = pd.DataFrame(rows, columns=["person_id", "event", "date", "eligible"])
    deaths = pd.DataFrame(
        {
            "person_id": [ids[i] for i in death_dates],
            "date_of_death": list(death_dates.values()),
            "underlying_cause": rng.choice(CAUSES, len(death_dates)),
        }
    )
    return {"people": people, "conditions": conditions, "events": events, "deaths": deaths}
