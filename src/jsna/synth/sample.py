"""Drawing one chunk of Synthetic Westminster from the fitted model.

:func:`sample_chunk` takes a list of ward × ethnic-group counts and a numpy
Generator and returns the chunk's records (people, conditions, events,
deaths) plus the truth the records hide (true ethnic group, ward, LSOA).
Everything is vectorised: categories are drawn by inverse-CDF lookup
(``searchsorted`` on stacked cumulative probabilities), never per person.

How the pieces fit:

* Each person alive on ``period_end`` holds a *slot* from their registration
  start. Walking through the five years of the mortality window, the slot's
  occupant may die (hazard by age, sex, ward, IMD quintile and group); a
  death becomes a separate deceased person (same characteristics, registered
  from the slot's start to the death) and the living person registers the day
  after. Person-years and deaths therefore follow the hazard exactly, and the
  living population still meets the Census margins.
* Conditions use prevalence = reference prevalence(age, sex) × ethnic relative
  rate × deprivation multiplier (rescaled within each group, sex and age), at period end
  for the living and at death for the deceased.
* Events are drawn for the living on period end, by the programme's age,
  sex and exclusions and the group's uptake, dated inside the window the
  indicator catalogue counts (after the same day ``lookback_months``
  calendar months before period end, up to period end).
"""

from __future__ import annotations

import calendar
import itertools
from dataclasses import dataclass
from datetime import date

import numpy as np
from scipy.special import logit
from scipy.stats import norm

from jsna.codes import ethnicity
from jsna.errors import InputError
from jsna.synth.calibration import CONDITIONS, EVENTS, GROUPS, Calibration
from jsna.synth.model import (
    AGES,
    OLDEST,
    WARD_CODES,
    Model,
    base_mortality,
    reference_prevalence,
)

__all__ = ["NO_DATE", "Chunk", "sample_chunk"]

DAYS_PER_YEAR = 365.25
#: Marks a missing date in the day-count arrays (registration_end of the living).
NO_DATE = np.iinfo(np.int64).min
SEX_CODES = np.array(["F", "M"], dtype=object)
HEALTH = np.array(["very_good", "good", "fair", "bad", "very_bad"], dtype=object)
DISABILITY = np.array(["not_limited", "limited_a_little", "limited_a_lot"], dtype=object)
TENURE = np.array(["owned", "private_rented", "other", "social_rented"], dtype=object)
CARE = np.array(["none", "1_19h", "20_49h", "50h_plus"], dtype=object)
_WHITE = np.array([ethnicity.GROUP_5[g] == "White" for g in GROUPS])
_WHITE_BRITISH = GROUPS.index("White British")
_NOT_FOR_HEALTH_CHECK = ("hypertension", "diabetes", "chd", "stroke_tia", "heart_failure", "ckd")
#: Age groups of the cause-of-death weights: 0-14, 15-44, 45-64, 65-79, 80+.
_CAUSE_AGE_EDGES = np.array([15, 45, 65, 80])


@dataclass
class Chunk:
    """One chunk of records; columns are numpy arrays (dates as days since 1970-01-01).

    ``people`` holds the data-model columns; ``truth`` what a real extract
    would not show (per person row, aligned with ``people``).
    """

    people: dict[str, np.ndarray]
    conditions: dict[str, np.ndarray]
    events: dict[str, np.ndarray]
    deaths: dict[str, np.ndarray]
    truth: dict[str, np.ndarray]


def _draw(cdf: np.ndarray, rows: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """One category per element from row ``rows[i]`` of a cumulative table ``cdf``.

    Stacking the rows as ``row + cdf`` makes one sorted array, so a single
    ``searchsorted`` serves every row at once.
    """
    k = cdf.shape[1]
    stacked = (cdf + np.arange(cdf.shape[0])[:, None]).ravel()
    hits = np.searchsorted(stacked, rows + rng.random(len(rows)), side="right")
    return np.minimum(hits - rows * k, k - 1)


def _days(date: np.datetime64) -> int:
    return int(date.astype("datetime64[D]").astype(np.int64))


def _birth_dates(
    age: np.ndarray, period_end: np.datetime64, rng: np.random.Generator
) -> np.ndarray:
    """A birth date for each whole-year age at period_end (days since epoch)."""
    end = period_end.astype("datetime64[D]").astype(object)
    latest = np.empty(OLDEST + 2, dtype=np.int64)
    for a in range(OLDEST + 2):
        year = end.year - a
        try:
            birthday = end.replace(year=year)
        except ValueError:  # 29 February in a common year
            birthday = end.replace(year=year, day=28)
        latest[a] = _days(np.datetime64(birthday, "D"))
    # born in (latest[a+1], latest[a]]: aged exactly a on period_end
    span = latest[age] - latest[age + 1]
    return latest[age + 1] + 1 + np.floor(rng.random(len(age)) * span).astype(np.int64)


def _age_at(dob: np.ndarray, day: np.ndarray) -> np.ndarray:
    """Whole years from birth to ``day`` (both days since epoch); 29 February
    birthdays fall on 1 March in common years."""
    born = dob.astype("datetime64[D]")
    when = day.astype("datetime64[D]")
    years = when.astype("datetime64[Y]").astype(np.int64) - born.astype("datetime64[Y]").astype(
        np.int64
    )
    return years - (_month_day(when) < _month_day(born))


def _month_day(days: np.ndarray) -> np.ndarray:
    """Month × 100 + day of month, for comparing dates within a year."""
    months = days.astype("datetime64[M]")
    return (months.astype(np.int64) % 12) * 100 + (days - months.astype("datetime64[D]")).astype(
        np.int64
    )


def _ethnicity_codes(group: np.ndarray, model: Model, rng: np.random.Generator) -> np.ndarray:
    """How an extract records each person's group: concept, letter or not stated."""
    recording = model.calibration.section("recording")
    not_stated = model.calibration.number("recording", "ethnicity_not_stated_share", low=0, high=1)
    letter_share = model.calibration.number("recording", "nhs_letter_share", low=0, high=1)
    out = np.empty(len(group), dtype=object)
    u = rng.random(len(group))
    pick = rng.random(len(group))
    for g, name in enumerate(GROUPS):
        mine = group == g
        concepts = np.array(recording["snomed_concepts"][name], dtype=object)
        letter = recording["nhs_letters"].get(name)
        codes = concepts[np.minimum((pick[mine] * len(concepts)).astype(int), len(concepts) - 1)]
        if letter is not None:
            codes = np.where(u[mine] < not_stated + letter_share * (1 - not_stated), letter, codes)
        out[mine] = codes
    blank = np.array(recording["not_stated_codes"], dtype=object)
    stated_out = u < not_stated
    out[stated_out] = blank[np.minimum((pick[stated_out] * len(blank)).astype(int), len(blank) - 1)]
    return out


def _social(
    model: Model,
    age: np.ndarray,
    quintile: np.ndarray,
    arabic: np.ndarray,
    rng: np.random.Generator,
) -> dict[str, np.ndarray]:
    cal = model.calibration
    n = len(age)

    # tenure: social renting by the calibrated model, the rest by TS054 shares
    def households(key: str) -> float:
        return cal.number("census", "tenure_households", key, low=0)

    rest = np.array(
        [
            households("Owned") + households("Shared ownership"),
            households("Private rented"),
            households("Lives rent free"),
        ]
    )
    social = rng.random(n) < model.social_rented.probability(age, quintile, arabic)
    tenure = TENURE[np.searchsorted(np.cumsum(rest) / rest.sum(), rng.random(n), side="right")]
    tenure[social] = "social_rented"
    # economic activity, aged 16+
    adult = age >= 16
    inactive = rng.random(n) < model.inactive.probability(age, quintile, arabic)
    unemployed = rng.random(n) < cal.number(
        "social", "economically_inactive", "unemployed_share_of_active", low=0, high=1
    )
    activity = np.where(
        inactive, "inactive", np.where(unemployed, "unemployed", "employed")
    ).astype(object)
    activity[~adult] = "child"
    # general health and disability: cumulative logits with correlated latent noise
    rho = cal.number("social", "disability", "health_correlation", low=-1, high=1)
    z1 = rng.standard_normal(n)
    z2 = rho * z1 + np.sqrt(1 - rho**2) * rng.standard_normal(n)
    health_latent = model.general_health.linear(age, quintile, arabic) + logit(norm.cdf(z1))
    disability_latent = model.disability.linear(age, quintile, arabic) + logit(norm.cdf(z2))
    health = HEALTH[np.searchsorted(model.general_health.thresholds, health_latent)]
    disability = DISABILITY[np.searchsorted(model.disability.thresholds, disability_latent)]
    # unpaid care among adults, TS039 counts over the adult population
    carers = np.array(
        [
            cal.number("census", "unpaid_care", f"Provides {hours} unpaid care a week", low=0)
            for hours in ("19 hours or less", "20 to 49 hours", "50 or more hours")
        ]
    )
    min_age = int(cal.number("social", "unpaid_care", "min_age", low=5, high=100))
    adult_share = model.composition[:, :, :, min_age:, :].sum() / model.composition.sum()
    adults_total = adult_share * model.ward_group_counts.sum()
    care_cdf = np.cumsum(np.concatenate([[adults_total - carers.sum()], carers])) / adults_total
    care = CARE[np.minimum(np.searchsorted(care_cdf, rng.random(n), side="right"), 3)]
    care[age < min_age] = "none"
    return {
        "tenure": tenure,
        "economic_activity": activity,
        "general_health": health,
        "disability": disability,
        "unpaid_care": care,
    }


def _conditions(
    model: Model,
    row: np.ndarray,
    age: np.ndarray,
    male: np.ndarray,
    group: np.ndarray,
    quintile: np.ndarray,
    dob: np.ndarray,
    end: np.ndarray,
    rng: np.random.Generator,
) -> tuple[list[np.ndarray], list[np.ndarray], list[np.ndarray]]:
    cal = model.calibration
    lookback = cal.number("conditions", "diagnosis_lookback_years", low=0, high=120) * DAYS_PER_YEAR
    rows, names, dates = [], [], []
    for c, condition in enumerate(CONDITIONS):
        rate = cal.by_group("conditions", condition, "relative_rate", default=1.0)
        dep = cal.vector("conditions", condition, "deprivation", length=5, low=0)
        p = reference_prevalence(cal, condition, age, male) * rate[group]
        cell_age = np.minimum(age, model.condition_norm.shape[3] - 1)
        p = p * dep[quintile] / model.condition_norm[c, group, male.astype(int), cell_age]
        has = rng.random(len(p)) < p
        first = np.maximum(dob[has] + 366, end[has] - lookback)
        span = np.maximum(end[has] - first, 0)
        rows.append(row[has])
        names.append(np.full(int(has.sum()), condition, dtype=object))
        dates.append((first + np.floor(rng.random(int(has.sum())) * (span + 1))).astype(np.int64))
    return rows, names, dates


def _months_before(day: date, months: int) -> date:
    """The same day ``months`` calendar months earlier, clamped to that month's end.

    The indicator catalogue counts an event "within N months" of the snapshot
    when it falls after this date (31 March - 42 months = 30 September), so the
    sampler draws screening dates over exactly the days that count.
    """
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    last_day = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last_day))


def _window_starts(cal: Calibration, event: str, age: np.ndarray) -> np.ndarray:
    """Last day before an event's window (days since epoch), by age at period end.

    ``lookback_months`` is a whole number of months, or a mapping from the
    first age each applies to (cervical screening: 42 months from 25, 66 from 50).
    """
    end = cal.period_end.astype("datetime64[D]").astype(object)
    path = ("prevention", event, "lookback_months")
    value = cal.section(*path)
    keys = sorted(value) if isinstance(value, dict) else [None]
    before = []
    for key in keys:
        where = path if key is None else (*path, key)
        months = cal.number(*where, low=1, high=240)
        if months != int(months):
            raise InputError(
                "must be a whole number of months",
                file=cal.source,
                column=".".join(map(str, where)),
                value=months,
            )
        before.append(_days(np.datetime64(_months_before(end, int(months)), "D")))
    if keys == [None]:
        return np.full(len(age), before[0])
    return np.array(before)[np.maximum(np.searchsorted(keys, age, side="right") - 1, 0)]


def _events(
    model: Model,
    row: np.ndarray,
    age: np.ndarray,
    female: np.ndarray,
    group: np.ndarray,
    registers: dict[str, np.ndarray],
    rng: np.random.Generator,
) -> dict[str, np.ndarray]:
    """Vaccinations, screening and health checks of the living, on period end."""
    cal = model.calibration
    end = _days(cal.period_end)
    n = len(age)
    rows, names, dates, eligible = [], [], [], []
    for event in EVENTS:
        low, high = cal.vector("prevention", event, "age", length=2, low=0, high=120)
        sexes = set(cal.section("prevention", event, "sex"))
        in_programme = (age >= low) & (age <= high) & ((sexes != {"F"}) | female)
        in_programme &= (sexes != {"M"}) | ~female
        if event == "flu_vaccination":
            uptake = cal.by_group("prevention", event, "uptake", default=0.0, high=1)[group]
            at_risk = np.zeros(n, dtype=bool)
            for condition in cal.section("prevention", event, "at_risk_conditions"):
                at_risk |= registers[condition]
            factor = cal.number("prevention", event, "at_risk_factor", low=0, high=1)
            uptake = np.where(in_programme, uptake, uptake * factor)
            in_programme |= at_risk & (age < low)
            window = cal.section("prevention", event, "window")
            first = np.full(n, _days(np.datetime64(window[0], "D")))
            last = _days(np.datetime64(window[1], "D"))
        else:
            wb = cal.number("prevention", event, "white_british", low=0, high=1)
            by_group = np.where(
                _WHITE,
                wb * cal.number("prevention", event, "white_other_ratio", low=0, high=2),
                wb * cal.number("prevention", event, "global_majority_ratio", low=0, high=2),
            )
            by_group[_WHITE_BRITISH] = wb
            uptake = np.minimum(by_group[group], 1.0)
            # from the day after the window opens up to period end, both included
            first = _window_starts(cal, event, age) + 1
            last = end
        if event == "nhs_health_check":
            # the programme invites people without these conditions
            for condition in _NOT_FOR_HEALTH_CHECK:
                in_programme &= ~registers[condition]
        ceased = np.zeros(n, dtype=bool)
        if "not_eligible_share" in cal.section("prevention", event):
            share = cal.number("prevention", event, "not_eligible_share", low=0, high=1)
            ceased = in_programme & (rng.random(n) < share)
        took = in_programme & ~ceased & (rng.random(n) < uptake)
        for mask, flag in ((took, True), (ceased, False)):
            count = int(mask.sum())
            span = last - first[mask] + 1
            rows.append(row[mask])
            names.append(np.full(count, event, dtype=object))
            dates.append(first[mask] + np.floor(rng.random(count) * span).astype(np.int64))
            eligible.append(np.full(count, flag))
    return {
        "row": np.concatenate(rows),
        "event": np.concatenate(names),
        "date": np.concatenate(dates),
        "eligible": np.concatenate(eligible),
    }


def _slots(model: Model, dob: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Registration start of each slot (days since epoch)."""
    cal = model.calibration
    window_start = _days(cal.window_start)
    end = _days(cal.period_end)
    earliest = _days(np.datetime64(cal.section("population", "earliest_registration"), "D"))
    share = cal.number("population", "registered_in_window_share", low=0, high=1)
    n = len(dob)
    moved_in = rng.random(n) < share
    u = rng.random(n)
    before_from = np.maximum(dob, earliest)
    before = before_from + np.floor(u * np.maximum(window_start - before_from, 1)).astype(np.int64)
    during_from = np.maximum(dob, window_start)
    during = during_from + np.floor(u * np.maximum(end - during_from, 1)).astype(np.int64)
    start = np.where(dob >= window_start, dob, np.where(moved_in, during, before))
    return start


def _deaths(
    model: Model,
    dob: np.ndarray,
    sex: np.ndarray,
    ward: np.ndarray,
    quintile: np.ndarray,
    group: np.ndarray,
    slot_start: np.ndarray,
    rng: np.random.Generator,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Walk the five years of the window, slot by slot.

    In each fifth of the window the slot's current occupant may die; the next
    occupant registers the day after and is at risk for the rest of it. Returns, per
    death, the slot, the occupant's registration start and the day of death,
    and per slot the registration start of the occupant alive on period end.
    """
    cal = model.calibration
    window_start = _days(cal.window_start)
    end = _days(cal.period_end)
    base = base_mortality(cal) * model.mortality_level[:, None]
    multiplier = (
        np.exp(model.ward_gradient * cal.ward_position[ward])
        * cal.vector("mortality", "deprivation", length=5, low=0)[quintile]
        * cal.by_group("mortality", "ethnicity", default=1.0)[group]
    )
    since = slot_start.copy()
    slots, starts, days = [], [], []
    bounds = np.round(np.linspace(window_start, end, 6)).astype(np.int64)
    for lo, hi in itertools.pairwise(bounds):
        # the occupant who replaces one who died is at risk for the rest of the fifth
        who = np.arange(len(dob))
        while len(who):
            start = np.maximum(since[who], lo)
            length = np.maximum(hi - start, 0)
            middle = start + length // 2
            age = np.clip(np.floor((middle - dob[who]) / DAYS_PER_YEAR).astype(np.int64), 0, OLDEST)
            hazard = base[sex[who], age] * multiplier[who]
            dies = (length > 0) & (
                rng.random(len(who)) < -np.expm1(-hazard * length / DAYS_PER_YEAR)
            )
            day = start + np.floor(rng.random(len(who)) * length).astype(np.int64)
            who, day = who[dies], day[dies]
            slots.append(who)
            starts.append(since[who])
            days.append(day)
            since[who] = day + 1
    return np.concatenate(slots), np.concatenate(starts), np.concatenate(days), since


def _causes(
    model: Model, age: np.ndarray, quintile: np.ndarray, rng: np.random.Generator
) -> np.ndarray:
    causes = model.calibration.section("mortality", "causes")
    names = list(causes)
    by_age = np.array(
        [
            model.calibration.vector("mortality", "causes", c, "by_age", length=5, low=0)
            for c in names
        ]
    )
    dep = np.array(
        [
            model.calibration.vector("mortality", "causes", c, "deprivation", length=5, low=0)
            for c in names
        ]
    )
    age_group = np.searchsorted(_CAUSE_AGE_EDGES, age, side="right")
    weights = by_age[:, age_group] * dep[:, quintile]  # (causes, deaths)
    cdf = np.cumsum(weights, axis=0) / weights.sum(axis=0)
    chosen = (rng.random(len(age)) > cdf).sum(axis=0)
    chosen = np.minimum(chosen, len(names) - 1)
    codes = np.empty(len(age), dtype=object)
    pick = rng.random(len(age))
    for i, cause in enumerate(names):
        mine = chosen == i
        icd = np.array(causes[cause]["icd10"], dtype=object)
        codes[mine] = icd[np.minimum((pick[mine] * len(icd)).astype(int), len(icd) - 1)]
    return codes


def sample_chunk(
    model: Model, ward: np.ndarray, group: np.ndarray, rng: np.random.Generator
) -> Chunk:
    """Draw the records of the people in ``ward``/``group`` (one entry per living person).

    Rows of ``people`` are the living (in random order) then the deceased;
    ``conditions``/``events``/``deaths`` refer to people by ``row``.
    """
    cal = model.calibration
    n = len(ward)
    order = rng.permutation(n)
    ward, group = ward[order], group[order]
    cell = _draw(model.sex_age_cdf, ward * len(GROUPS) + group, rng)
    sex, age = cell // AGES, cell % AGES
    top = age == AGES - 1
    age[top] = (
        AGES - 1 + _draw(model.top_age_cdf[None, :], np.zeros(int(top.sum()), dtype=np.int64), rng)
    )
    lsoa = _draw(model.lsoa_cdf, ward * len(GROUPS) + group, rng)
    quintile = model.lsoa_quintile[lsoa]
    language = _draw(model.language_cdf, group, rng)
    dob = _birth_dates(age, cal.period_end, rng)
    slot = _slots(model, dob, rng)
    dead, dead_start, dead_day, living_start = _deaths(
        model, dob, sex, ward, quintile, group, slot, rng
    )
    end = _days(cal.period_end)
    # stack living then deceased: the deceased copy their slot's characteristics
    index = np.concatenate([np.arange(n), dead])
    deceased = np.concatenate([np.zeros(n, dtype=bool), np.ones(len(dead), dtype=bool)])
    total = len(index)
    p_sex, p_group, p_ward, p_lsoa, p_quintile = (
        sex[index],
        group[index],
        ward[index],
        lsoa[index],
        quintile[index],
    )
    p_dob, p_language = dob[index], language[index]
    date_end = np.concatenate([np.full(n, end), dead_day])
    p_age = _age_at(p_dob, date_end)
    arabic = (p_language == model.arabic_index).astype(float)
    social = _social(model, p_age, p_quintile, arabic, rng)
    unknown = rng.random(total) < cal.number("recording", "unknown_lsoa_share", low=0, high=1)
    recorded_lsoa = model.lsoa_codes[p_lsoa].copy()
    recorded_lsoa[unknown] = ""
    people = {
        "sex": SEX_CODES[p_sex],
        "date_of_birth": p_dob,
        "ethnicity_code": _ethnicity_codes(p_group, model, rng),
        "lsoa21": recorded_lsoa,
        "main_language": np.array(cal.languages, dtype=object)[p_language],
        **social,
        "registration_start": np.concatenate([living_start, dead_start]),
        "registration_end": np.where(deceased, date_end, NO_DATE),
    }
    rows = np.arange(total)
    c_rows, c_names, c_dates = _conditions(
        model, rows, p_age, p_sex == 1, p_group, p_quintile, p_dob, date_end, rng
    )
    conditions = {
        "row": np.concatenate(c_rows),
        "condition": np.concatenate(c_names),
        "diagnosis_date": np.concatenate(c_dates),
    }
    registers = {}
    for c_row, condition in zip(c_rows, CONDITIONS, strict=True):
        registers[condition] = np.zeros(total, dtype=bool)
        registers[condition][c_row] = True
    living = ~deceased
    events = _events(
        model,
        rows[living],
        p_age[living],
        p_sex[living] == 0,
        p_group[living],
        {condition: flags[living] for condition, flags in registers.items()},
        rng,
    )
    deaths = {
        "row": rows[deceased],
        "date_of_death": date_end[deceased],
        "underlying_cause": _causes(model, p_age[deceased], p_quintile[deceased], rng),
    }
    truth = {
        "ethnicity_19": np.array(GROUPS, dtype=object)[p_group],
        "ward_code": np.array(WARD_CODES, dtype=object)[p_ward],
        "lsoa21": model.lsoa_codes[p_lsoa],
        "imd_quintile": p_quintile + 1,
        "deceased": deceased,
    }
    return Chunk(people, conditions, events, deaths, truth)
