"""The fitted model behind Synthetic Westminster: distributions and solved parameters.

:func:`build_model` turns a :class:`~jsna.synth.calibration.Calibration` into
everything the sampler needs, computed once and without randomness:

1. **Who lives where.** Ward × ethnic group counts are Census TS021. Age × sex
   within each ward and group comes from iterative proportional fitting of a
   seed (the calibration's ethnic age tilts, times each ward's old-age
   survival) to the TS021 ward × group counts, each ward's sex × broad age
   (the ONS mid-2019 shape fitted to the Census totals) and the TS009 age ×
   sex margin. LSOAs within a ward are weighted by IMD quintile, more
   deprived for Global Majority groups. Main language within each group
   comes from fitting the TS024 language totals against the group totals,
   seeded with which groups speak each language region.
2. **The expected composition** — people by group, ward, sex, age and IMD
   quintile, plus the chance each speaks Arabic — against which every other
   parameter is solved, so targets hold in expectation, not by luck.
3. **Solved parameters.** Logistic intercepts and Arabic-language effects for
   social renting and economic inactivity; cumulative-logit thresholds for
   general health and disability; per-group normalisers that keep the
   deprivation gradient of each condition from moving its ethnic ratios; and
   the mortality level per sex and the ward gradient that give the borough
   life expectancy and the ward gap in the calibration file. Old ages within
   each ward follow that ward's survival, so the age profiles and the
   mortality are solved together, alternating until the profiles settle.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
from scipy.optimize import brentq
from scipy.special import expit

from jsna.codes import deprivation, ethnicity, geography
from jsna.codes.age import LIFE_TABLE_LOWER
from jsna.errors import InputError
from jsna.synth.calibration import CONDITIONS, GROUPS, Calibration
from jsna.synth.ipf import fit_ipf
from jsna.synth.lifetable import life_expectancy_at_birth

__all__ = [
    "AGES",
    "OLDEST",
    "BinaryModel",
    "Model",
    "OrdinalModel",
    "build_model",
    "reference_prevalence",
]

#: Single years 0..89 and the open 90+ (index 90) of the Census tables.
AGES = 91
#: Rounds of the ward age profile ↔ mortality fixed point, and when it has settled.
SURVIVAL_ROUNDS = 20
SURVIVAL_TOLERANCE = 1e-4
#: Lower bounds of the broad age groups of ``ward_age_shape`` (calibration.BROAD_AGES).
BROAD_AGE_LOWER = np.array([0, 16, 30, 45, 65])
#: Oldest age the sampler gives anyone inside the 90+ band.
OLDEST = 105
QUINTILES = 5
#: Highest prevalence the condition settings may imply anywhere.
MAX_PREVALENCE = 0.98
DAYS_PER_YEAR = 365.25
WARD_CODES: tuple[str, ...] = tuple(geography.WARDS)
_GLOBAL_MAJORITY = np.array([ethnicity.GROUP_5[g] != "White" for g in GROUPS])
#: ESP2013 band index of single ages 0..OLDEST.
ESP_OF_AGE = np.minimum(np.arange(OLDEST + 1) // 5, 18)
#: Life-table band index of single ages 0..OLDEST.
LIFE_BAND_OF_AGE = np.searchsorted(LIFE_TABLE_LOWER, np.arange(OLDEST + 1), side="right") - 1


@dataclass(frozen=True)
class BinaryModel:
    """A logistic model of a yes/no attribute.

    logit p = intercept + age_effect[ESP band] + deprivation_effect[quintile] + arabic × [Arabic].
    """

    intercept: float
    arabic: float
    age_effect: np.ndarray  # (19,)
    deprivation_effect: np.ndarray  # (5,)

    def probability(self, age: np.ndarray, quintile: np.ndarray, arabic: np.ndarray) -> np.ndarray:
        eta = (
            self.intercept
            + self.age_effect[ESP_OF_AGE[np.minimum(age, OLDEST)]]
            + self.deprivation_effect[quintile]
            + self.arabic * arabic
        )
        return expit(eta)


@dataclass(frozen=True)
class OrdinalModel:
    """Cumulative logit: P(category ≥ k) = expit(eta − thresholds[k-1]), best category first."""

    thresholds: np.ndarray  # ascending, one fewer than categories
    arabic: float
    age_effect: np.ndarray
    deprivation_effect: np.ndarray

    def linear(self, age: np.ndarray, quintile: np.ndarray, arabic: np.ndarray) -> np.ndarray:
        return (
            self.age_effect[ESP_OF_AGE[np.minimum(age, OLDEST)]]
            + self.deprivation_effect[quintile]
            + self.arabic * arabic
        )


@dataclass(frozen=True)
class Model:
    """Everything the sampler draws from (see the module docstring)."""

    calibration: Calibration
    ward_group_counts: np.ndarray  # (18, 19) Census counts
    sex_age_cdf: np.ndarray  # (18*19, 2*91) cumulative P(sex, age | ward, group), sex-major
    top_age_cdf: np.ndarray  # (OLDEST-90+1,) cumulative P(age | 90+)
    lsoa_codes: np.ndarray  # (123,) str
    lsoa_quintile: np.ndarray  # (123,) 0 = most deprived
    lsoa_cdf: np.ndarray  # (18*19, 123) cumulative P(lsoa | ward, group)
    language_cdf: np.ndarray  # (19, languages) cumulative P(language | group)
    arabic_index: int
    composition: np.ndarray  # (19, 18, 2, 91, 5) expected people
    arabic_share: np.ndarray  # (19,) P(Arabic | group)
    social_rented: BinaryModel
    inactive: BinaryModel
    general_health: OrdinalModel
    disability: OrdinalModel
    condition_norm: np.ndarray  # (conditions, 19, 2, ages) mean deprivation multiplier
    mortality_level: np.ndarray  # (2,) F, M
    ward_gradient: float


def _cumulative(weights: np.ndarray) -> np.ndarray:
    """Row-wise cumulative probabilities (last column exactly 1); zero rows stay zero."""
    totals = weights.sum(axis=-1, keepdims=True)
    cdf = np.cumsum(
        np.divide(weights, totals, out=np.zeros_like(weights), where=totals > 0), axis=-1
    )
    cdf[..., -1] = np.where(totals[..., 0] > 0, 1.0, 0.0)
    return cdf


def _ward_age_margin(cal: Calibration) -> np.ndarray:
    """Expected residents by ward, sex and broad age (18, 2, 5): the wards' age shape.

    IPF of the mid-2019 shares (``ward_age_shape``, seeded at each ward's
    TS021 total) to the TS021 ward totals and the TS009 sex × broad-age
    totals. The fit keeps the estimates' odds ratios — which wards are older
    or younger than others — while meeting the Census counts, which the
    2019 estimates (Westminster 261,317) do not.
    """
    ward_totals = cal.ward_ethnicity.sum(axis=1)
    census = np.add.reduceat(cal.age_sex, BROAD_AGE_LOWER, axis=1)
    census = census * ward_totals.sum() / census.sum()
    shares = cal.ward_age_shape / cal.ward_age_shape.sum(axis=(1, 2), keepdims=True)
    return fit_ipf(
        shares * ward_totals[:, None, None],
        [((0,), ward_totals), ((1, 2), census)],
        tolerance=1e-12,
    )


def _age_sex(cal: Calibration, survival: np.ndarray) -> np.ndarray:
    """P(sex, age | group, ward), shape (19, 18, 2, 91), by IPF to three margins.

    The seed is the calibration's ethnic age tilts times ``survival`` (18, 2,
    91), each ward's old-age weights (:func:`_old_age_survival`); the margins
    are TS021 ward × group, the wards' sex × broad age
    (:func:`_ward_age_margin`) and TS009 sex × single year of age. The table
    carries a broad-age axis (zero outside each single age's own group) so
    the broad margin is a plain sum.
    """
    tilt = cal.by_group("population", "age_tilt", default=0.0, low=-5, high=5)
    ages = np.arange(AGES)
    in_broad = (np.searchsorted(BROAD_AGE_LOWER, ages, side="right") - 1)[None, :] == np.arange(
        len(BROAD_AGE_LOWER)
    )[:, None]  # (5, 91)
    seed = np.exp(tilt[:, None] * (ages[None, :] - 40) / 40)  # (19, 91)
    seed = (
        seed[:, None, None, None, :]
        * in_broad[None, None, None, :, :]
        * survival[None, :, :, None, :]
    )  # (19 groups, 18 wards, 2 sexes, 5 broad ages, 91 ages)
    ward_group = cal.ward_ethnicity.T
    age_sex = cal.age_sex * ward_group.sum() / cal.age_sex.sum()
    try:
        fitted = fit_ipf(
            seed,
            [((0, 1), ward_group), ((1, 2, 3), _ward_age_margin(cal)), ((2, 4), age_sex)],
            tolerance=1e-8,
        ).sum(axis=3)
    except ValueError as error:
        raise InputError(
            f"the ward age shapes cannot meet the Census margins ({error})",
            file=cal.source,
            column="ward_age_shape",
        ) from None
    totals = fitted.sum(axis=(2, 3), keepdims=True)
    return np.divide(fitted, totals, out=np.zeros_like(fitted), where=totals > 0)


def _lsoas(cal: Calibration) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    wards = geography.ward_lookup().merge(deprivation.imd_lookup(), on="lsoa21")
    codes = wards["lsoa21"].to_numpy(dtype=object)
    quintile = wards["imd_quintile_number"].to_numpy() - 1
    ward_index = np.array([WARD_CODES.index(c) for c in wards["ward_code"]])
    gm = cal.vector("population", "lsoa_weight_by_quintile", "global_majority", length=5, low=0)
    white = cal.vector("population", "lsoa_weight_by_quintile", "white", length=5, low=0)
    weight = np.where(_GLOBAL_MAJORITY[:, None], gm[None, :], white[None, :])[
        :, quintile
    ]  # (19, 123)
    in_ward = ward_index[None, :] == np.arange(len(WARD_CODES))[:, None]  # (18, 123)
    probability = in_ward[:, None, :] * weight[None, :, :]  # (18, 19, 123)
    probability /= probability.sum(axis=-1, keepdims=True)
    return codes, quintile, probability


def _languages(cal: Calibration) -> np.ndarray:
    """P(language | group) by IPF of the affinity seed to TS024 and group totals."""
    seed = np.empty((len(GROUPS), len(cal.languages)))
    for j, region in enumerate(cal.language_regions):
        seed[:, j] = cal.by_group("language", "affinity", region, default=0.0)
    group_totals = cal.ward_ethnicity.sum(axis=0)
    counts = cal.language_counts * group_totals.sum() / cal.language_counts.sum()
    try:
        fitted = fit_ipf(seed, [((0,), group_totals), ((1,), counts)], tolerance=1e-6)
    except ValueError as error:
        raise InputError(
            f"the language affinities cannot meet the TS024 totals ({error})",
            file=cal.source,
            column="language.affinity",
        ) from None
    return fitted / fitted.sum(axis=1, keepdims=True)


def _solve(function, low: float, high: float) -> float:
    return float(brentq(function, low, high, xtol=1e-10))


def _binary(
    cal: Calibration, name: str, weights: np.ndarray, borough: float, arabic: float
) -> BinaryModel:
    """Solve intercept and Arabic effect so the expected shares meet both targets.

    ``weights`` is (ages, arabic 0/1, quintiles) expected people in the
    borough target's base; the Arabic target's base is the same unless the
    YAML gives ``arabic_ages: [from, to]``.
    """
    age_effect = cal.vector("social", name, "age_effect", length=19, low=-10, high=10)
    dep = cal.vector("social", name, "deprivation_effect", length=5, low=-10, high=10)
    base = age_effect[ESP_OF_AGE[:AGES]][:, None, None] + dep[None, None, :]
    flag = np.array([0.0, 1.0])[None, :, None]

    arabic_weights = weights[:, 1].copy()
    if "arabic_ages" in cal.section("social", name):
        low, high = cal.vector("social", name, "arabic_ages", length=2, low=0, high=AGES - 1)
        ages = np.arange(AGES)
        arabic_weights[(ages < low) | (ages > high)] = 0.0

    def shares(intercept: float, effect: float) -> tuple[float, float]:
        p = expit(intercept + base + effect * flag)
        total = (weights * p).sum() / weights.sum()
        among = (arabic_weights * p[:, 1]).sum() / arabic_weights.sum()
        return total, among

    def intercept_for(effect: float) -> float:
        return _solve(lambda a: shares(a, effect)[0] - borough, -30, 30)

    effect = _solve(lambda b: shares(intercept_for(b), b)[1] - arabic, -15, 15)
    return BinaryModel(intercept_for(effect), effect, age_effect, dep)


def _ordinal(
    cal: Calibration,
    name: str,
    weights: np.ndarray,
    cumulative: np.ndarray,
    arabic_at_least: float,
    arabic_category: int,
) -> OrdinalModel:
    """Solve thresholds (borough P(≥k)) and the Arabic effect (Arabic P(≥ arabic_category))."""
    age_effect = cal.vector("social", name, "age_effect", length=19, low=-10, high=10)
    dep = cal.vector("social", name, "deprivation_effect", length=5, low=-10, high=10)
    base = age_effect[ESP_OF_AGE[:AGES]][:, None, None] + dep[None, None, :]
    flag = np.array([0.0, 1.0])[None, :, None]

    def share(threshold: float, effect: float, arabic_only: bool) -> float:
        p = expit(base + effect * flag - threshold)
        if arabic_only:
            return float((weights[:, 1] * p[:, 1]).sum() / weights[:, 1].sum())
        return float((weights * p).sum() / weights.sum())

    def thresholds_for(effect: float) -> np.ndarray:
        return np.array(
            [_solve(lambda t, c=c: share(t, effect, False) - c, -40, 40) for c in cumulative]
        )

    effect = _solve(
        lambda b: share(thresholds_for(b)[arabic_category - 1], b, True) - arabic_at_least, -15, 15
    )
    return OrdinalModel(thresholds_for(effect), effect, age_effect, dep)


def reference_prevalence(
    cal: Calibration, condition: str, age: np.ndarray, male: np.ndarray
) -> np.ndarray:
    """White British prevalence of ``condition`` at each age and sex (the YAML's logistic curve)."""

    def value(key: str, low: float, high: float) -> float:
        return cal.number("conditions", condition, "base", key, low=low, high=high)

    top, mid, spread = value("top", 0, 1), value("mid", -50, 150), value("spread", 0.1, 100)
    p = top / (1 + np.exp(-(age - mid) / spread))
    p = np.where(male, p * value("male_ratio", 0, 10), p)
    return np.where(age >= value("min_age", 0, 120), p, 0.0)


def _condition_norms(cal: Calibration, quintile_share: np.ndarray) -> np.ndarray:
    """Mean deprivation multiplier per condition, group, sex and age; checks prevalence < 1.

    ``quintile_share`` is P(IMD quintile | group, sex, age), shape (19, 2, ages, 5).
    Dividing by the mean multiplier keeps each group's prevalence at every age
    and sex at reference × ratio whatever its deprivation profile at that age
    (older residents of a group may live in other wards than younger ones), so
    an age-and-sex standardised comparison recovers the ratio. A combination
    that would need a prevalence above :data:`MAX_PREVALENCE` for a quintile
    where the group, sex and age occur raises instead of being capped, since a
    cap would silently bend the ratio.
    """
    ages = np.arange(quintile_share.shape[2])
    norms = []
    for condition in CONDITIONS:
        dep = cal.vector("conditions", condition, "deprivation", length=5, low=0)
        rate = cal.by_group("conditions", condition, "relative_rate", default=1.0)
        norm = quintile_share @ dep  # (19, 2, ages)
        reference = np.stack(  # (2 sexes F/M, ages)
            [reference_prevalence(cal, condition, ages, male) for male in (False, True)]
        )
        present = quintile_share > 0
        safe = np.where(norm > 0, norm, 1.0)
        needed = (reference[None, :, :, None] * rate[:, None, None, None]
                  * dep[None, None, None, :] / safe[..., None])
        highest = float(np.where(present, needed, 0.0).max())
        if highest > MAX_PREVALENCE:
            raise InputError(
                f"these settings need a prevalence of {highest:.2f} for some age, sex, group "
                f"and IMD quintile; lower the curve's top, the ratios or the deprivation "
                f"multipliers so it stays at most {MAX_PREVALENCE}",
                file=cal.source,
                column=f"conditions.{condition}",
            )
        norms.append(safe)
    return np.array(norms)


def base_mortality(cal: Calibration) -> np.ndarray:
    """Unscaled death rates (2 sexes F/M, ages 0..OLDEST): infant rate, then Gompertz-Makeham."""
    ages = np.arange(OLDEST + 1, dtype=float)
    out = np.empty((2, OLDEST + 1))
    for i, sex in enumerate(("F", "M")):
        a = cal.number("mortality", "gompertz", sex, "a", low=0, high=1)
        b = cal.number("mortality", "gompertz", sex, "b", low=0, high=1)
        c = cal.number("mortality", "gompertz", sex, "c", low=0, high=1)
        out[i] = c + a * np.exp(b * ages)
        out[i, 0] = cal.number("mortality", "infant_rate", sex, low=0, high=1)
    return out


def top_age_weights(cal: Calibration) -> np.ndarray:
    """P(age = 90 + k | 90+), k = 0..OLDEST-90, geometric with the calibration's decay."""
    decay = cal.number("population", "age_90_plus_decay", low=0, high=1)
    weights = decay ** np.arange(OLDEST - 89)
    return weights / weights.sum()


def window_exposure(cal: Calibration) -> tuple[np.ndarray, np.ndarray]:
    """What the mortality window measures per person alive on period_end, by age then.

    Returns ``person_years[age, band]`` — time at risk, all of it in the band
    of the age at the midpoint of the person's time, as docs/data-model.md
    counts it — and ``hazard_years[sex, age, band]`` — expected deaths per
    unit of mortality multiplier, in the band of the age at death, with the
    hazard evaluated as :mod:`jsna.synth.sample` does (per fifth of the window,
    at the age in the middle of the person's share of it). Ages run 0..OLDEST;
    birthdays are spread over the year, registrations follow the calibration's
    in-window share. Depletion by death is ignored (each slot is occupied for
    the whole window, by the deceased and then the replacement).
    """
    window_start = cal.window_start.astype(np.int64)
    total = int(cal.period_end.astype(np.int64) - window_start)
    share = cal.number("population", "registered_in_window_share", low=0, high=1)
    base = base_mortality(cal)
    n_fraction, n_start, n_sub = 8, 8, 12
    ages = np.arange(OLDEST + 1)[:, None, None]
    fraction = ((np.arange(n_fraction) + 0.5) / n_fraction)[None, :, None]
    dob = total - (ages + fraction) * DAYS_PER_YEAR  # days from window start
    # start options: index 0 = registered before the window, 1.. = moved in (uniform)
    moved = ((np.arange(n_start) + 0.5) / n_start)[None, None, :]
    from_day = np.maximum(dob, 0)
    mover_start = from_day + moved * (total - from_day)
    start = np.concatenate([np.broadcast_to(from_day, dob.shape), mover_start], axis=2)
    weight = (
        np.concatenate(
            [np.full((1, 1, 1), 1 - share), np.full((1, 1, n_start), share / n_start)], axis=2
        )
        / n_fraction
    )
    weight = np.where(
        dob >= 0,
        np.concatenate([np.ones((1, 1, 1)), np.zeros((1, 1, n_start))], 2) / n_fraction,
        weight,
    )
    weight = np.broadcast_to(weight, start.shape)
    dob = np.broadcast_to(dob, start.shape)
    bands = LIFE_BAND_OF_AGE
    n_bands = int(bands[-1]) + 1
    middle_age = np.clip(((start + total) / 2 - dob) // DAYS_PER_YEAR, 0, OLDEST).astype(int)
    person_years = np.zeros((OLDEST + 1, n_bands))
    np.add.at(
        person_years,
        (np.broadcast_to(ages, start.shape), bands[middle_age]),
        weight * (total - start) / DAYS_PER_YEAR,
    )
    hazard_years = np.zeros((2, OLDEST + 1, n_bands))
    bounds = np.round(np.linspace(0, total, 6))
    for lo, hi in itertools.pairwise(bounds):
        piece_start = np.maximum(start, lo)
        length = np.maximum(hi - piece_start, 0)
        hazard_age = np.clip((piece_start + length // 2 - dob) // DAYS_PER_YEAR, 0, OLDEST).astype(
            int
        )
        for j in range(n_sub):
            when = piece_start + (j + 0.5) / n_sub * length
            death_band = bands[np.clip((when - dob) // DAYS_PER_YEAR, 0, OLDEST).astype(int)]
            for sex in range(2):
                np.add.at(
                    hazard_years[sex],
                    (np.broadcast_to(ages, start.shape), death_band),
                    weight * base[sex, hazard_age] * length / n_sub / DAYS_PER_YEAR,
                )
    return person_years, hazard_years


def _old_age_survival(
    cal: Calibration, composition: np.ndarray, levels: np.ndarray, gradient: float
) -> np.ndarray:
    """Each ward's weight on each age from ``population.ward_survival_from_age`` (18, 2, 91).

    The mid-year estimates stop at 65+ and the Census has single years for
    the borough only, so how a ward's old residents spread over ages 65-90+
    is an assumption: in a stationary population the number alive at age x
    is proportional to survival to x (Preston, Heuveline & Guillot 2001,
    *Demography*, ch. 3), so a ward's old-age profile is the borough's times
    its survival from the start age relative to the borough's under the
    solved mortality: weight = exp(−(M_w − M) · H(x)), with H the cumulative
    hazard (level included) from the start age to the middle of year x, M_w
    the mean mortality multiplier of the ward's residents of those ages and
    M the borough's. Ages below the start weigh 1; the 90+ weight averages
    the single years 90..OLDEST.
    """
    start = int(cal.number("population", "ward_survival_from_age", low=1, high=AGES - 1))
    dep = cal.vector("mortality", "deprivation", length=5, low=0)
    eth = cal.by_group("mortality", "ethnicity", default=1.0)
    old = composition[:, :, :, start:, :]
    people = old.sum(axis=(0, 3, 4))  # (18, 2)
    weighted = (old * eth[:, None, None, None, None] * dep).sum(axis=(0, 3, 4))
    mean = np.divide(weighted, people, out=np.ones_like(people), where=people > 0)
    ward = np.exp(gradient * cal.ward_position)[:, None] * mean
    borough = (ward * people).sum(axis=0) / people.sum(axis=0)  # (2,)
    rates = base_mortality(cal) * levels[:, None]
    rates[:, :start] = 0.0
    hazard = np.cumsum(rates, axis=1) - rates / 2  # (2, OLDEST+1), to the middle of each year
    weight = np.exp(-(ward - borough)[:, :, None] * hazard[None])  # (18, 2, OLDEST+1)
    out = weight[:, :, :AGES].copy()
    out[:, :, AGES - 1] = weight[:, :, AGES - 1 :] @ top_age_weights(cal)
    return out


def _mortality(
    cal: Calibration,
    composition: np.ndarray,
    top: np.ndarray,
    exposure: tuple[np.ndarray, np.ndarray],
) -> tuple[np.ndarray, float]:
    """Solve the level per sex and the ward gradient (see the mortality section of the YAML).

    Rates are what the mortality window would measure (``exposure``, from
    :func:`window_exposure`) from the expected composition, so the life
    tables of the generated records meet the targets in expectation.
    """
    dep = cal.vector("mortality", "deprivation", length=5, low=0)
    eth = cal.by_group("mortality", "ethnicity", default=1.0)
    people = composition.sum(axis=(0, 4))  # (18, 2, 91)
    weighted = (composition * eth[:, None, None, None, None] * dep).sum(axis=(0, 4))
    spread = np.concatenate([np.eye(AGES - 1, OLDEST + 1), np.zeros((1, OLDEST + 1))])
    spread[AGES - 1, AGES - 1 :] = top  # the 90+ count spread over ages 90..OLDEST
    person_years_per, hazard_per = exposure
    person_years = (people @ spread) @ person_years_per  # (18, 2, bands)
    expected = np.stack(
        [(weighted[:, s] @ spread) @ hazard_per[s] for s in range(2)], axis=1
    )  # (18, 2, bands)
    position = cal.ward_position
    gap = cal.section("mortality", "ward_gap")
    sex = ("F", "M").index(gap["sex"]) if gap.get("sex") in ("F", "M") else None
    if sex is None or gap.get("high") not in WARD_CODES or gap.get("low") not in WARD_CODES:
        raise InputError(
            "ward_gap needs sex F/M and two ward codes",
            file=cal.source,
            column="mortality.ward_gap",
            value=dict(gap),
        )
    high, low = WARD_CODES.index(gap["high"]), WARD_CODES.index(gap["low"])
    years = cal.number("mortality", "ward_gap", "years", low=0, high=40)
    targets = [
        cal.number("mortality", "life_expectancy_target", s, low=20, high=110) for s in ("F", "M")
    ]

    def rates(level: float, gradient: float, s: int) -> np.ndarray:
        ward = np.exp(gradient * position)[:, None]
        return level * ward * expected[:, s] / person_years[:, s]  # (18, bands)

    def borough_le(level: float, gradient: float, s: int) -> float:
        ward = np.exp(gradient * position)[:, None]
        pooled = (level * ward * expected[:, s]).sum(axis=0) / person_years[:, s].sum(axis=0)
        return float(life_expectancy_at_birth(pooled))

    def ward_gap(level: float, gradient: float) -> float:
        le = life_expectancy_at_birth(rates(level, gradient, sex))
        return float(le[high] - le[low])

    levels = np.ones(2)
    gradient = 0.0
    for _ in range(30):
        previous = (levels.copy(), gradient)
        for s in range(2):
            levels[s] = np.exp(
                _solve(lambda x, s=s, g=gradient: borough_le(np.exp(x), g, s) - targets[s], -12, 12)
            )
        try:
            gradient = _solve(lambda g: ward_gap(levels[sex], g) - years, -10, 10)
        except ValueError:
            raise InputError(
                "no ward mortality gradient gives this life expectancy gap",
                file=cal.source,
                column="mortality.ward_gap.years",
                value=years,
            ) from None
        if np.allclose(previous[0], levels, rtol=1e-10) and abs(previous[1] - gradient) < 1e-10:
            break
    return levels, gradient


def build_model(cal: Calibration) -> Model:
    """Fit and solve everything the sampler needs from one calibration file."""
    lsoa_codes, lsoa_quintile, lsoa_probability = _lsoas(cal)
    languages = _languages(cal)
    arabic_index = cal.languages.index("Arabic")
    arabic_share = languages[:, arabic_index]
    quintile_given = np.zeros((len(WARD_CODES), len(GROUPS), QUINTILES))
    for q in range(QUINTILES):
        quintile_given[..., q] = lsoa_probability[..., lsoa_quintile == q].sum(axis=-1)
    counts = cal.ward_ethnicity
    top = top_age_weights(cal)
    exposure = window_exposure(cal)
    # Ward age profiles and mortality depend on each other (old ages follow
    # each ward's survival): alternate the two until the profiles settle.
    survival = np.ones((len(WARD_CODES), 2, AGES))
    for _ in range(SURVIVAL_ROUNDS):
        sex_age = _age_sex(cal, survival)  # (19, 18, 2, 91)
        composition = (
            counts.T[:, :, None, None, None]
            * sex_age[:, :, :, :, None]
            * quintile_given.transpose(1, 0, 2)[:, :, None, None, :]
        )  # (19 groups, 18 wards, 2 sexes, 91 ages, 5 quintiles)
        levels, gradient = _mortality(cal, composition, top, exposure)
        settled = survival
        survival = _old_age_survival(cal, composition, levels, gradient)
        if np.abs(survival / settled - 1).max() < SURVIVAL_TOLERANCE:
            break
    else:
        raise InputError(
            f"the ward age profiles and mortality did not settle in {SURVIVAL_ROUNDS} rounds",
            file=cal.source,
            column="population.ward_survival_from_age",
        )
    by_age_arabic = np.stack(
        [
            (composition * (1 - arabic_share)[:, None, None, None, None]).sum(axis=(0, 1, 2)),
            (composition * arabic_share[:, None, None, None, None]).sum(axis=(0, 1, 2)),
        ],
        axis=1,
    )  # (91 ages, 2, 5 quintiles)
    adults = by_age_arabic.copy()
    adults[:16] = 0.0
    social_rented = _binary(
        cal,
        "social_rented",
        by_age_arabic,
        cal.number("social", "social_rented", "borough", low=0.001, high=0.999),
        cal.number("social", "social_rented", "arabic", low=0.001, high=0.999),
    )
    inactive = _binary(
        cal,
        "economically_inactive",
        adults,
        cal.number("social", "economically_inactive", "borough", low=0.001, high=0.999),
        cal.number("social", "economically_inactive", "arabic", low=0.001, high=0.999),
    )
    health_counts = np.array(
        [
            cal.number("census", "general_health", f"{level} health", low=0)
            for level in ("Very good", "Good", "Fair", "Bad", "Very bad")
        ]
    )
    general_health = _ordinal(
        cal,
        "general_health",
        by_age_arabic,
        _at_least(health_counts),
        cal.number("social", "general_health", "arabic_bad_or_very_bad", low=0.001, high=0.999),
        3,
    )
    disabled = "Disabled under the Equality Act: Day-to-day activities limited a"
    disability_counts = np.array(
        [
            cal.number("census", "disability", "Not disabled under the Equality Act", low=0),
            cal.number("census", "disability", f"{disabled} little", low=0),
            cal.number("census", "disability", f"{disabled} lot", low=0),
        ]
    )
    disability = _ordinal(
        cal,
        "disability",
        by_age_arabic,
        _at_least(disability_counts),
        cal.number("social", "disability", "arabic_limited", low=0.001, high=0.999),
        1,
    )
    by_group_sex_age = composition.sum(axis=1)  # (19, 2, ages, 5)
    totals = by_group_sex_age.sum(axis=-1, keepdims=True)
    quintile_share = np.divide(
        by_group_sex_age, totals, out=np.zeros_like(by_group_sex_age), where=totals > 0
    )
    condition_norm = _condition_norms(cal, quintile_share)
    return Model(
        calibration=cal,
        ward_group_counts=counts,
        sex_age_cdf=_cumulative(sex_age.transpose(1, 0, 2, 3).reshape(-1, 2 * AGES)),
        top_age_cdf=_cumulative(top),
        lsoa_codes=lsoa_codes,
        lsoa_quintile=lsoa_quintile,
        lsoa_cdf=_cumulative(lsoa_probability.reshape(-1, len(lsoa_codes))),
        language_cdf=_cumulative(languages),
        arabic_index=arabic_index,
        composition=composition,
        arabic_share=arabic_share,
        social_rented=social_rented,
        inactive=inactive,
        general_health=general_health,
        disability=disability,
        condition_norm=condition_norm,
        mortality_level=levels,
        ward_gradient=gradient,
    )


def _at_least(counts: np.ndarray) -> np.ndarray:
    """P(category ≥ k) for k = 1..K-1 from counts ordered best to worst."""
    share = counts / counts.sum()
    return np.cumsum(share[::-1])[::-1][1:]
