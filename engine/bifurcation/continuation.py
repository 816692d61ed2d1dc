"""One-parameter continuation of equilibria (and fixed points of maps) by pseudo-arclength,
with folds, branch points, Hopf and period-doubling points detected and located."""
from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np

from ..system import System, check_integer, check_number
from ._grid import resolve
from .fixed_points import (
    _check_autonomous,
    equilibrium_residual,
    fixed_points,
    newton_root,
    residual_jacobian,
    system_jacobian,
)

if TYPE_CHECKING:
    import xarray as xr

__all__ = ["continuation"]

_LOCATE_ITERATIONS = 60


class _Branch:
    """The augmented system :math:`F(y, \\mu) = 0` of one system, one parameter, in ``z = (y, mu)``."""

    def __init__(self, system: System, p: np.ndarray, index: int, tol: float) -> None:
        self.system, self.p, self.index, self.tol = system, p, index, tol
        self.n = system.dimension

    def _params(self, mu: float) -> np.ndarray:
        p = self.p.copy()
        p[self.index] = mu
        return p

    def residual(self, z: np.ndarray) -> np.ndarray:
        return equilibrium_residual(self.system, z[:-1], self._params(z[-1]))

    def jacobian(self, z: np.ndarray) -> np.ndarray:
        """``[F_y, F_mu]``, shape ``(n, n + 1)``; ``F_mu`` by central differences."""
        y, mu = z[:-1], z[-1]
        h = 1e-7 * max(1.0, abs(mu))
        f_mu = (equilibrium_residual(self.system, y, self._params(mu + h)) - equilibrium_residual(self.system, y, self._params(mu - h))) / (2 * h)
        return np.column_stack([residual_jacobian(self.system, y, self._params(mu)), f_mu])

    def tangent(self, z: np.ndarray, previous: np.ndarray) -> np.ndarray:
        """Unit tangent at ``z``, on the side of ``previous``: solves ``[F_z; previous^T] t = (0, 1)``."""
        matrix = np.vstack([self.jacobian(z), previous])
        rhs = np.zeros(self.n + 1)
        rhs[-1] = 1.0
        t = np.linalg.solve(matrix, rhs)
        return t / np.linalg.norm(t)

    def correct(self, guess: np.ndarray, anchor: np.ndarray, direction: np.ndarray) -> np.ndarray | None:
        """Newton on ``F(z) = 0`` and ``direction . (z - anchor) = 0``; None when it does not converge."""
        z = guess.copy()
        for _ in range(20):
            f = np.append(self.residual(z), direction @ (z - anchor))
            if not np.isfinite(f).all():
                return None
            try:
                delta = np.linalg.solve(np.vstack([self.jacobian(z), direction]), -f)
            except np.linalg.LinAlgError:
                return None
            z = z + delta
            if np.linalg.norm(delta) <= self.tol * (1 + np.linalg.norm(z)):
                return z if np.linalg.norm(self.residual(z)) <= 1e3 * self.tol * (1 + np.linalg.norm(z)) else None
        return None

    def eigenvalues(self, z: np.ndarray) -> np.ndarray:
        """Eigenvalues (flows) or multipliers (maps) at ``z``."""
        return np.linalg.eigvals(system_jacobian(self.system, z[:-1], self._params(z[-1])))

    def tests(self, z: np.ndarray, t: np.ndarray) -> dict[str, float]:
        """Test functions that change sign at each kind of special point.

        fold: :math:`t_\\mu`; branch point: :math:`\\det [F_z; t^T]`; Hopf
        (flows, n >= 2): :math:`\\prod_{i<j} (\\lambda_i + \\lambda_j)`, the
        bialternate product; period doubling (maps): :math:`\\det(Dg + I)`.
        """
        values = {"fold": t[-1], "branch point": np.linalg.det(np.vstack([self.jacobian(z), t]))}
        eig = self.eigenvalues(z)
        if self.system.family == "map":
            values["period doubling"] = float(np.prod(eig + 1.0).real)
        elif self.n >= 2:
            pairs = [eig[i] + eig[j] for i in range(self.n) for j in range(i + 1, self.n)]
            values["hopf"] = float(np.prod(pairs).real)
        return values

    def stable(self, z: np.ndarray) -> bool:
        eig = self.eigenvalues(z)
        growth = np.abs(eig) - 1.0 if self.system.family == "map" else eig.real
        return bool((growth < 0).all())


def continuation(
    system: System | str,
    parameter: str,
    start: float,
    stop: float,
    *,
    params: Mapping[str, Any] | None = None,
    state: Any = None,
    step: float | None = None,
    max_points: int = 2000,
    branch_switching: bool = True,
    tol: float = 1e-10,
) -> xr.Dataset:
    """Branches of equilibria (fixed points of maps) as ``parameter`` goes from ``start`` to ``stop``.

    Pseudo-arclength continuation of :math:`F(y, \\mu) = 0` (:math:`F = f`
    for flows, :math:`g - \\mathrm{id}` for maps): from a point :math:`z_k`
    with unit tangent :math:`t_k` the predictor is :math:`z_k + h t_k`, and
    Newton's method corrects it on the hyperplane
    :math:`t_k \\cdot (z - z_k - h t_k) = 0`, so the branch is followed
    through folds. Special points are detected where a test function changes
    sign between consecutive points (fold: the parameter component of the
    tangent; branch point: :math:`\\det[F_z; t^T]`; Hopf: the bialternate
    product :math:`\\prod_{i<j}(\\lambda_i + \\lambda_j)` with a complex pair
    on the axis; period doubling of maps: :math:`\\det(Dg + I)`), and
    located by bisection along the arclength, each trial point corrected
    onto the branch. At a branch point the other branch (the null direction
    of :math:`F_z` orthogonal to the tangent) is followed both ways.

    Parameters
    ----------
    system : System or str
        A flow or a map.
    parameter : str
        The continued parameter.
    start, stop : float
        The branch starts at ``parameter = start`` and is followed while the
        parameter stays between ``start`` and ``stop``.
    params : mapping, optional
        Values of the other parameters.
    state : sequence of float, optional
        An equilibrium (approximately) at ``start``; otherwise every one
        :func:`~engine.bifurcation.fixed_points` finds there starts a branch.
    step : float, optional
        Largest arclength step (default ``|stop - start| / 100``).
    max_points : int
        Points per branch at most.
    branch_switching : bool
        Follow the crossing branches at branch points.
    tol : float
        Newton tolerance; special points are located to about ``1e3 tol``
        in arclength.

    Returns
    -------
    xarray.Dataset
        Dim ``"point"``: the parameter (named ``parameter``), one variable per
        state variable, ``stable`` and ``branch`` (index); dim ``"special"``:
        ``special_kind``, ``special_value`` (the parameter), ``special_branch``
        and ``special_<variable>``. Attributes name the system, the parameter
        and the other parameters' values.

    References
    ----------
    H. B. Keller, Numerical solution of bifurcation and nonlinear eigenvalue
    problems, in Applications of Bifurcation Theory, Academic Press (1977)
    359-384. Y. A. Kuznetsov, Elements of Applied Bifurcation Theory, 3rd ed.
    (2004), ch. 10. E. J. Doedel, AUTO-07P documentation (test functions).
    """
    system = resolve(system)
    _check_autonomous(system)
    declared = system.parameter(parameter)
    start, stop = declared.check(start), declared.check(stop)
    if start == stop:
        raise ValueError(f"start and stop of {parameter} must differ, both are {start:g}")
    max_points = check_integer(max_points, "max_points", (2, 1_000_000))
    tol = check_number(tol, "tol", (1e-14, 1e-4))
    h_max = abs(stop - start) / 100 if step is None else check_number(step, "step", (1e-12, abs(stop - start)))
    base = {**(params or {}), parameter: start}
    p = system.parameter_array(base)
    index = [q.name for q in system.parameters].index(parameter)
    branch = _Branch(system, p, index, tol)
    if state is not None:
        root = newton_root(system, np.asarray(system.check_state(state)), p, tol, 60)
        if root is None:
            raise ValueError(f"Newton's method found no equilibrium of {system.name} near {state!r} at {parameter} = {start:g}")
        starts = [root]
    else:
        found = fixed_points(system, base)
        starts = [np.array([found[v].values[i] for v in system.variables]) for i in range(found.sizes["point"])]
    limits = (min(start, stop), max(start, stop))
    heading = np.zeros(system.dimension + 1)
    heading[-1] = np.sign(stop - start)
    branches: list[np.ndarray] = []
    specials: list[tuple[str, np.ndarray, int]] = []
    pending = [(np.append(y, start), heading, True) for y in starts]
    while pending:
        z0, direction, primary = pending.pop(0)
        if any(np.min(np.linalg.norm(done - z0, axis=1)) < 0.5 * h_max for done in branches):
            continue  # already on a computed branch
        number = len(branches)
        points, found_here = _follow(branch, z0, direction, h_max, limits, max_points)
        branches.append(points)
        for kind, z, t in found_here:
            specials.append((kind, z, number))
            if kind == "branch point" and primary and branch_switching:
                other = _crossing_direction(branch, z, t)
                if other is not None:
                    for sign in (1.0, -1.0):
                        guess = branch.correct(z + sign * h_max * 0.5 * other, z + sign * h_max * 0.5 * other, other)
                        if guess is not None:
                            pending.append((guess, sign * other, False))
    return _dataset(system, parameter, branch, branches, specials, params)


def _follow(branch: _Branch, z: np.ndarray, heading: np.ndarray, h_max: float, limits: tuple[float, float], max_points: int):
    """Follow one branch from ``z``; the points and the located special points ``(kind, z, tangent)``."""
    t = branch.tangent(z, heading)
    points = [z]
    tests = branch.tests(z, t)
    special = []
    h = h_max
    while len(points) < max_points:
        guess = z + h * t
        new = branch.correct(guess, guess, t)
        if new is None or np.linalg.norm(new - z) > 2 * h:
            h *= 0.5
            if h < 1e-9 * h_max:
                break
            continue
        new_t = branch.tangent(new, t)
        new_tests = branch.tests(new, new_t)
        for kind, value in new_tests.items():
            if np.sign(value) != np.sign(tests[kind]) and tests[kind] != 0:
                located = _locate(branch, z, t, h, kind, tests[kind])
                if located is not None and _confirmed(branch, kind, *located):
                    special.append((kind, *located))
        points.append(new)
        z, t, tests = new, new_t, new_tests
        h = min(h_max, 1.3 * h)
        if not limits[0] <= z[-1] <= limits[1] or np.abs(z[:-1]).max() > branch.system.bound:
            break
    return np.array(points), special


def _locate(branch: _Branch, z: np.ndarray, t: np.ndarray, h: float, kind: str, at_start: float):
    """Bisection in arclength ``s`` in ``(0, h)`` for the sign change of test ``kind``."""
    low, high = 0.0, h
    found = None
    for _ in range(_LOCATE_ITERATIONS):
        s = 0.5 * (low + high)
        guess = z + s * t
        point = branch.correct(guess, guess, t)
        if point is None:
            return found
        tangent = branch.tangent(point, t)
        found = (point, tangent)
        if np.sign(branch.tests(point, tangent)[kind]) == np.sign(at_start):
            low = s
        else:
            high = s
        if high - low <= 1e3 * branch.tol * max(1.0, h):
            break
    return found


def _confirmed(branch: _Branch, kind: str, z: np.ndarray, t: np.ndarray) -> bool:
    """A Hopf test changes sign at neutral saddles too: keep it only with a complex pair on the axis."""
    if kind != "hopf":
        return True
    eig = branch.eigenvalues(z)
    scale = 1e-5 * max(1.0, float(np.abs(eig).max()))
    return bool(np.any((np.abs(eig.real) < scale) & (np.abs(eig.imag) > scale)))


def _crossing_direction(branch: _Branch, z: np.ndarray, t: np.ndarray) -> np.ndarray | None:
    """Unit direction of the other branch at a branch point: in the (two-dimensional) null space
    of ``F_z``, orthogonal to the tangent ``t``."""
    _, _, vt = np.linalg.svd(branch.jacobian(z))
    for v in vt[-2:][::-1]:
        other = v - (v @ t) * t
        norm = np.linalg.norm(other)
        if norm > 1e-3:
            return other / norm
    return None


def _dataset(system, parameter, branch, branches, specials, params) -> xr.Dataset:
    import xarray as xr

    points = np.vstack(branches) if branches else np.zeros((0, system.dimension + 1))
    numbers = np.concatenate([np.full(len(b), k) for k, b in enumerate(branches)]) if branches else np.zeros(0, int)
    data: dict[str, Any] = {parameter: ("point", points[:, -1])}
    data.update({name: ("point", points[:, j]) for j, name in enumerate(system.variables)})
    data["stable"] = ("point", np.array([branch.stable(z) for z in points], dtype=bool))
    data["branch"] = ("point", numbers.astype(np.int64))
    special = np.array([z for _, z, _ in specials]).reshape(-1, system.dimension + 1)
    data["special_kind"] = ("special", np.array([kind for kind, _, _ in specials], dtype=str))
    data["special_value"] = ("special", special[:, -1])
    data["special_branch"] = ("special", np.array([k for _, _, k in specials], dtype=np.int64))
    data.update({f"special_{name}": ("special", special[:, j]) for j, name in enumerate(system.variables)})
    others = {q.name: float(v) for q, v in zip(system.parameters, system.parameter_array(params)) if q.name != parameter}
    return xr.Dataset(data, attrs={"system": system.name, "parameter": parameter, "family": system.family, **others})
