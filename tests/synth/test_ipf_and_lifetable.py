"""The two numerical building blocks: IPF and the calibration life table."""

from __future__ import annotations

import numpy as np
import pytest

from jsna.synth.ipf import fit_ipf
from jsna.synth.lifetable import life_expectancy_at_birth


def test_ipf_two_way_worked_example():
    # Deming & Stephan raking of [[1, 2], [3, 4]] to rows (10, 20), columns (12, 18):
    # the fixed point keeps the odds ratio (1*4)/(2*3) = 2/3 and meets both margins.
    fit = fit_ipf(np.array([[1.0, 2.0], [3.0, 4.0]]), [((0,), [10, 20]), ((1,), [12, 18])])
    np.testing.assert_allclose(fit.sum(axis=1), [10, 20], rtol=1e-9)
    np.testing.assert_allclose(fit.sum(axis=0), [12, 18], rtol=1e-9)
    assert fit[0, 0] * fit[1, 1] / (fit[0, 1] * fit[1, 0]) == pytest.approx(2 / 3)
    # By hand: the fit is [[a, 10-a], [12-a, 8+a]] with a(8+a) / ((10-a)(12-a)) = 2/3,
    # i.e. a^2 + 68a - 240 = 0.
    assert fit[0, 0] == pytest.approx((-68 + np.sqrt(68**2 + 4 * 240)) / 2)


def test_ipf_three_way_with_a_two_way_margin():
    rng = np.random.default_rng(1)
    seed = rng.random((3, 4, 5)) + 0.1
    rows = np.array([30.0, 50.0, 20.0])
    pair = rng.random((4, 5))
    pair *= 100 / pair.sum()
    fit = fit_ipf(seed, [((0,), rows), ((1, 2), pair)])
    np.testing.assert_allclose(fit.sum(axis=(1, 2)), rows, rtol=1e-8)
    np.testing.assert_allclose(fit.sum(axis=0), pair, rtol=1e-8)


def test_ipf_rejects_inconsistent_margins():
    with pytest.raises(ValueError, match="grand total"):
        fit_ipf(np.ones((2, 2)), [((0,), [1, 1]), ((1,), [1, 2])])
    with pytest.raises(ValueError, match="converge"):
        fit_ipf(np.eye(2), [((0,), [1, 1]), ((1,), [2, 0])], max_iterations=50)


def test_life_expectancy_constant_rate_is_its_reciprocal():
    # Chiang II with a constant rate m: e0 = 1/m up to the infant a0 = 0.1 term.
    m = 0.01
    assert life_expectancy_at_birth(np.full(20, m)) == pytest.approx(1 / m, rel=1e-3)


def test_life_expectancy_by_hand():
    # Rates 0 everywhere except the open 90+ band at 0.5: everyone lives to 90,
    # then 1/0.5 = 2 more years.
    rates = np.zeros(20)
    rates[-1] = 0.5
    assert life_expectancy_at_birth(rates) == pytest.approx(92.0)
    two = np.vstack([rates, rates])
    assert life_expectancy_at_birth(two).tolist() == pytest.approx([92.0, 92.0])
