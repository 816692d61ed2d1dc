"""Fixed points found by Newton's method from many seeds, against closed forms."""
from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest

import engine
from engine.bifurcation import classify, fixed_points


def _points(ds, system) -> np.ndarray:
    return np.stack([ds[v].values for v in engine.get_system(system).variables], axis=-1)


def _eigenvalues(ds) -> np.ndarray:
    return ds["eigenvalue_real"].values + 1j * ds["eigenvalue_imag"].values


def test_lorenz_at_rho_28_has_the_origin_saddle_and_two_saddle_foci():
    sigma, rho, beta = 10.0, 28.0, 8.0 / 3.0
    ds = fixed_points("Lorenz", {"rho": rho})
    c = math.sqrt(beta * (rho - 1))
    assert _points(ds, "Lorenz") == pytest.approx(np.array([[-c, -c, rho - 1], [0, 0, 0], [c, c, rho - 1]]), abs=1e-9)
    assert ds["type"].values.tolist() == ["saddle focus", "saddle", "saddle focus"]
    assert not ds["stable"].values.any()
    # origin: -beta and (-(sigma + 1) +- sqrt((sigma + 1)^2 + 4 sigma (rho - 1))) / 2
    root = math.sqrt((sigma + 1) ** 2 + 4 * sigma * (rho - 1))
    assert np.sort(_eigenvalues(ds)[1].real) == pytest.approx(sorted([(-(sigma + 1) - root) / 2, -beta, (-(sigma + 1) + root) / 2]))
    # C+-: roots of l^3 + (sigma + beta + 1) l^2 + beta (sigma + rho) l + 2 beta sigma (rho - 1)
    expected = np.roots([1, sigma + beta + 1, beta * (sigma + rho), 2 * beta * sigma * (rho - 1)])
    for row in (0, 2):
        assert np.sort_complex(_eigenvalues(ds)[row]) == pytest.approx(np.sort_complex(expected), abs=1e-9)
    assert _eigenvalues(ds)[0].real.max() == pytest.approx(0.0940, abs=1e-4)  # unstable spiral, as in Strogatz 9.2


def test_lorenz_below_rho_1_has_only_the_stable_origin():
    ds = fixed_points("Lorenz", {"rho": 0.5})
    assert _points(ds, "Lorenz") == pytest.approx(np.zeros((1, 3)), abs=1e-12)
    assert ds["type"].values.tolist() == ["stable node"] and ds["stable"].values.all()


def test_finite_differences_agree_with_the_analytic_jacobian():
    without = dataclasses.replace(engine.get_system("Lorenz"), name="Lorenz without Jacobian", jacobian=None)
    analytic, numeric = fixed_points("Lorenz"), fixed_points(without)
    assert numeric["type"].values.tolist() == analytic["type"].values.tolist()
    assert _eigenvalues(numeric) == pytest.approx(_eigenvalues(analytic), abs=1e-5)


def test_selkov_equilibrium_is_b_over_a_plus_b_squared_and_loses_stability_inside_the_hopf_range():
    a = 0.08
    for b, kind in ((0.2, "stable focus"), (0.6, "unstable focus"), (1.2, "stable focus")):
        ds = fixed_points("Sel'kov", {"a": a, "b": b})
        assert _points(ds, "Sel'kov") == pytest.approx(np.array([[b, b / (a + b * b)]]), abs=1e-10)
        assert ds["type"].values.tolist() == [kind]
        # Strogatz 7.3: determinant a + b^2, trace -(b^4 + (2a - 1) b^2 + a + a^2) / (a + b^2)
        eigenvalues = _eigenvalues(ds)[0]
        assert eigenvalues.sum().real == pytest.approx(-(b**4 + (2 * a - 1) * b**2 + a + a * a) / (a + b * b))
        assert eigenvalues.prod().real == pytest.approx(a + b * b)


def test_logistic_fixed_points_are_classified_by_their_multipliers():
    r = 2.8
    ds = fixed_points("Logistic", {"r": r})
    assert ds["x"].values == pytest.approx([0.0, 1 - 1 / r], abs=1e-12)
    assert ds["eigenvalue_real"].values[:, 0] == pytest.approx([r, 2 - r])  # g'(x) = r (1 - 2x)
    assert ds["type"].values.tolist() == ["unstable node", "stable node"]


@pytest.mark.parametrize(
    ("eigenvalues", "family", "kind"),
    [
        ([-1, -2], "flow", "stable node"),
        ([-1 + 2j, -1 - 2j], "flow", "stable focus"),
        ([1 + 2j, 1 - 2j], "flow", "unstable focus"),
        ([3, 1], "flow", "unstable node"),
        ([3, -1], "flow", "saddle"),
        ([2j, -2j], "flow", "centre"),
        ([0, -1], "flow", "non-hyperbolic"),
        ([0.5, -0.5], "map", "stable node"),
        ([2, 0.5], "map", "saddle"),
        ([0.6 + 0.8j, 0.6 - 0.8j], "map", "centre"),
    ],
)
def test_classification_of_linear_types(eigenvalues, family, kind):
    assert classify(np.array(eigenvalues), family) == kind


def test_given_seeds_and_bad_input():
    ds = fixed_points("Lorenz", seeds=[(0.1, 0.1, 0.1)])
    assert ds.sizes["point"] == 1 and ds["type"].values[0] == "saddle"
    with pytest.raises(ValueError, match="initial state"):
        fixed_points("Lorenz", seeds=[(1.0, 2.0)])
    with pytest.raises(ValueError, match="box"):
        fixed_points("Lorenz", box=[(0, 1), (0, 1)])
    with pytest.raises(ValueError, match="outside its bounds"):
        fixed_points("Lorenz", {"rho": -5})
    with pytest.raises(ValueError, match="depends explicitly on time"):
        fixed_points("Driven pendulum")
