"""Fixed points of flows and maps: Newton's method from many seeds, deduplicated and classified."""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from ..system import System, check_integer, check_number
from ._grid import initial_state, resolve

if TYPE_CHECKING:
    import xarray as xr

__all__ = ["classify", "equilibrium_residual", "fixed_points", "newton_root", "residual_jacobian", "system_jacobian"]

FD_STEP = 1e-7
"""Relative step of the central differences used where no analytic Jacobian is declared."""


def equilibrium_residual(system: System, y: np.ndarray, p: np.ndarray) -> np.ndarray:
    """:math:`f(y)` for a flow (zero at an equilibrium), :math:`g(y) - y` for a map (zero at a fixed point)."""
    value = _value(system, y, p)
    return value - y if system.family == "map" else value


def system_jacobian(system: System, y: np.ndarray, p: np.ndarray) -> np.ndarray:
    """The Jacobian of the right-hand side (flows) or of the map: analytic when declared,
    central differences of step :data:`FD_STEP` relative otherwise."""
    state = tuple(float(v) for v in y)
    if system.jacobian is not None:
        rows = system.jacobian(state, p) if system.family == "map" else system.jacobian(0.0, state, p)
        return np.asarray(rows, dtype=np.float64)
    d = y.size
    jac = np.empty((d, d))
    for j in range(d):
        h = FD_STEP * max(1.0, abs(y[j]))
        up, down = y.copy(), y.copy()
        up[j] += h
        down[j] -= h
        jac[:, j] = (_value(system, up, p) - _value(system, down, p)) / (2 * h)
    return jac


def _value(system: System, y: np.ndarray, p: np.ndarray) -> np.ndarray:
    """The right-hand side :math:`f(y)` of a flow (at t = 0) or the image :math:`g(y)` of a map."""
    state = tuple(float(v) for v in y)
    value = system.rhs(state, p) if system.family == "map" else system.rhs(0.0, state, p)
    return np.asarray(value, dtype=np.float64)


def residual_jacobian(system: System, y: np.ndarray, p: np.ndarray) -> np.ndarray:
    """Jacobian of :func:`equilibrium_residual` in ``y`` (for a map, the map's Jacobian minus the identity)."""
    jac = system_jacobian(system, y, p)
    return jac - np.eye(y.size) if system.family == "map" else jac


def classify(eigenvalues: np.ndarray, family: str, tol: float = 1e-9) -> str:
    """Type of a fixed point from its eigenvalues (flows) or multipliers (maps).

    The growth of a mode is :math:`\\mathrm{Re}\\,\\lambda` for a flow and
    :math:`|\\mu| - 1` for a map. All modes decaying: "stable node" (all
    eigenvalues real) or "stable focus"; all growing: "unstable node" or
    "unstable focus"; some of each: "saddle" or "saddle focus"; all neutral
    and rotating: "centre"; otherwise "non-hyperbolic".

    References
    ----------
    S. H. Strogatz, Nonlinear Dynamics and Chaos, 2nd ed. (2015), sec. 5.2 and 6.3;
    Y. A. Kuznetsov, Elements of Applied Bifurcation Theory, 3rd ed. (2004), sec. 2.1.
    """
    eigenvalues = np.asarray(eigenvalues, dtype=np.complex128)
    growth = np.abs(eigenvalues) - 1.0 if family == "map" else eigenvalues.real
    scale = tol * max(1.0, float(np.max(np.abs(eigenvalues), initial=0.0)))
    rotating = bool(np.any(np.abs(eigenvalues.imag) > scale))
    shape = "focus" if rotating and eigenvalues.size > 1 else "node"
    neutral = np.abs(growth) <= scale
    if neutral.any():
        return "centre" if neutral.all() and rotating else "non-hyperbolic"
    if (growth < 0).all():
        return f"stable {shape}"
    if (growth > 0).all():
        return f"unstable {shape}"
    return f"saddle {shape}" if shape == "focus" else "saddle"


def newton_root(system: System, y: np.ndarray, p: np.ndarray, tol: float, max_iter: int) -> np.ndarray | None:
    """An equilibrium (fixed point of a map) near ``y`` by damped Newton iteration on
    :func:`equilibrium_residual`, or None when it does not converge within ``max_iter``."""
    for _ in range(max_iter):
        f = equilibrium_residual(system, y, p)
        norm = np.linalg.norm(f)
        if not np.isfinite(norm) or np.abs(y).max() > system.bound:
            return None
        try:
            delta = np.linalg.solve(residual_jacobian(system, y, p), -f)
        except np.linalg.LinAlgError:
            return None
        scale = 1.0
        while scale > 1e-4:  # halve the step until the residual decreases
            trial = y + scale * delta
            trial_norm = np.linalg.norm(equilibrium_residual(system, trial, p))
            if trial_norm < norm or norm < tol:
                break
            scale *= 0.5
        y = trial
        if np.linalg.norm(scale * delta) <= tol * (1.0 + np.linalg.norm(y)) and trial_norm <= np.sqrt(tol):
            return y
    return None


def _seed_box(system: System, params: Mapping[str, Any] | None, state0: tuple) -> np.ndarray:
    """Per variable (low, high): the range a short run from ``state0`` visits, widened by half on each side."""
    from ..simulate import simulate

    run = simulate(system, params=params, state0=state0, steps=2000)
    values = np.stack([run[name].values for name in system.variables], axis=-1)
    values = values[np.isfinite(values).all(axis=1)]
    values = np.vstack([values, np.asarray(state0)[None]])
    low, high = values.min(axis=0), values.max(axis=0)
    pad = 0.5 * (high - low) + 0.5
    return np.stack([low - pad, high + pad], axis=-1)


def fixed_points(
    system: System | str,
    params: Mapping[str, Any] | None = None,
    *,
    seeds: int | Sequence[Sequence[float]] = 64,
    box: Sequence[tuple[float, float]] | None = None,
    state0: Any = None,
    tol: float = 1e-10,
    max_iter: int = 60,
    random_seed: int = 0,
) -> xr.Dataset:
    """Fixed points found from many seeds by Newton's method, with their eigenvalues and type.

    Newton's iteration :math:`y \\leftarrow y - J(y)^{-1} F(y)` (halving the
    step while the residual grows) on :math:`F(y) = f(y)` for a flow and
    :math:`F(y) = g(y) - y` for a map, with the system's analytic Jacobian
    when declared and central differences otherwise. Converged points closer
    than :math:`10^{-6}(1 + |y|)` are merged. Each is classified by
    :func:`classify` from the eigenvalues of :math:`Df` (flows) or the
    multipliers, eigenvalues of :math:`Dg` (maps).

    Parameters
    ----------
    system : System or str
        A flow or a map.
    params : mapping, optional
        Parameter values (defaults otherwise).
    seeds : int or sequence of states
        How many random seeds to draw in ``box``, or the seeds themselves.
    box : sequence of (low, high), optional
        Per variable, where random seeds are drawn. Default: the range of a
        2000-step run from ``state0``, widened by half of it plus 0.5 on each side.
    state0 : sequence of float, optional
        Start of that run (the system's default otherwise); also a seed.
    tol : float
        Convergence tolerance of the Newton step.
    max_iter : int
        Newton iterations per seed.
    random_seed : int
        Seed of the random generator, so results are reproducible.

    Returns
    -------
    xarray.Dataset
        Dim ``"point"`` (sorted by the variables): one variable per state
        variable, ``eigenvalue_real`` and ``eigenvalue_imag`` (dims
        ``("point", "mode")``, eigenvalues of flows or multipliers of maps,
        by decreasing real part), ``type`` (text) and ``stable`` (bool);
        attributes name the system, family and the parameter values.

    References
    ----------
    Y. A. Kuznetsov, Elements of Applied Bifurcation Theory, 3rd ed. (2004),
    sec. 10.1 (Newton's method for equilibria).
    """
    system = resolve(system)
    _check_autonomous(system)
    p = system.parameter_array(params)
    tol = check_number(tol, "tol", (1e-15, 1e-2))
    max_iter = check_integer(max_iter, "max_iter", (1, 10_000))
    start = initial_state(system, state0)
    if isinstance(seeds, (int, np.integer)) and not isinstance(seeds, bool):
        count = check_integer(seeds, "seeds", (1, 100_000))
        limits = _seed_box(system, params, start) if box is None else _checked_box(system, box)
        rng = np.random.default_rng(random_seed)
        starts = np.vstack([np.asarray(start)[None], rng.uniform(limits[:, 0], limits[:, 1], (count, system.dimension))])
    else:
        starts = np.array([system.check_state(s) for s in seeds], dtype=np.float64).reshape(-1, system.dimension)
    found: list[np.ndarray] = []
    for seed in starts:
        root = newton_root(system, seed.copy(), p, tol, max_iter)
        if root is not None and not any(np.linalg.norm(root - other) <= 1e-6 * (1 + np.linalg.norm(root)) for other in found):
            found.append(root)
    found.sort(key=lambda point: tuple(np.round(point, 9)))
    points = np.array(found).reshape(-1, system.dimension)
    eigenvalues = np.array(
        [_sorted_eigenvalues(system_jacobian(system, y, p)) for y in points], dtype=np.complex128
    ).reshape(-1, system.dimension)
    kinds = [classify(values, system.family) for values in eigenvalues]
    growth = np.abs(eigenvalues) - 1.0 if system.family == "map" else eigenvalues.real
    import xarray as xr

    data = {name: ("point", points[:, j]) for j, name in enumerate(system.variables)}
    data.update(
        eigenvalue_real=(("point", "mode"), eigenvalues.real),
        eigenvalue_imag=(("point", "mode"), eigenvalues.imag),
        type=("point", np.array(kinds, dtype=str)),
        stable=("point", (growth < 0).all(axis=1) if len(points) else np.zeros(0, dtype=bool)),
    )
    attrs = {"system": system.name, "family": system.family, **{q.name: float(v) for q, v in zip(system.parameters, p)}}
    return xr.Dataset(data, attrs=attrs)


def _check_autonomous(system: System) -> None:
    """Equilibria exist for autonomous flows and maps only."""
    if system.family == "sde":
        raise ValueError(f"{system.name} is stochastic: fixed points are found for flows and maps")
    if system.nonautonomous:
        raise ValueError(f"{system.name} depends explicitly on time: it has no equilibria (see its Poincare section instead)")


def _sorted_eigenvalues(jac: np.ndarray) -> np.ndarray:
    values = np.linalg.eigvals(jac)
    return values[np.lexsort((-values.imag, -values.real))]


def _checked_box(system: System, box: Sequence[tuple[float, float]]) -> np.ndarray:
    limits = np.asarray(box, dtype=np.float64)
    if limits.shape != (system.dimension, 2) or not np.isfinite(limits).all() or (limits[:, 0] >= limits[:, 1]).any():
        raise ValueError(f"box must give (low, high) with low < high for each of {list(system.variables)}, got {box!r}")
    return limits
