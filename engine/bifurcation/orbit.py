"""Orbit diagrams of maps and flows, and period doublings located from them."""
from __future__ import annotations

import itertools
import threading
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

import numpy as np

from ..solvers.specialize import compiled
from ..system import System, check_number
from . import sweep_kernels
from ._grid import (
    checked_count,
    checked_values,
    fixed_params,
    initial_state,
    parameter_rows,
    resolve,
)
from .sweep_kernels import detected_period

if TYPE_CHECKING:
    import xarray as xr

__all__ = ["launch", "orbit_diagram", "orbit_kernel", "period_doublings"]

KINDS = ("iterates", "maxima", "section")
MAX_SAMPLES = 100_000
MAX_STEPS = 10**9
MAX_TOTAL = 100_000_000
"""Most samples one diagram holds (800 MB)."""


_LAUNCH = threading.Lock()


def launch(kernel: Callable, *args: Any, parallel: bool = True) -> None:
    """Call a sweep kernel; parallel ones one at a time per process. Each uses every core
    already, and numba's workqueue threading layer (its fallback without OpenMP or TBB)
    cannot run two at once from different threads (sessions of a server)."""
    if not parallel:
        kernel(*args)
        return
    with _LAUNCH:
        kernel(*args)


def orbit_kernel(system: System, *, parallel: bool = True) -> Callable:
    """The compiled orbit-diagram kernel of ``system`` (:func:`~engine.bifurcation.sweep_kernels.map_orbits`
    or :func:`~engine.bifurcation.sweep_kernels.flow_orbits`), parallel over parameter values
    on numba's threads unless ``parallel`` is false."""
    if system.family == "map":
        return compiled(sweep_kernels.map_orbits, parallel=parallel, step=system.rhs)
    if system.family == "flow":
        return compiled(sweep_kernels.flow_orbits, parallel=parallel, rhs=system.rhs)
    raise ValueError(f"{system.name} is a stochastic system: orbit diagrams are drawn for maps and flows")


def orbit_diagram(
    system: System | str,
    parameter: str,
    values: Any,
    *,
    variable: str | None = None,
    transient: int | None = None,
    keep: int | None = None,
    params: Mapping[str, Any] | None = None,
    state0: Any = None,
    kind: str | None = None,
    section: tuple[str, float] | None = None,
    dt: float | None = None,
    max_steps: int | None = None,
) -> xr.Dataset:
    """Long-run samples of one variable for each value of one parameter.

    For a map the samples are the iterates :math:`x_{n}` for
    :math:`n = T+1, \\dots, T+K` of :math:`y_{n+1} = f(y_n; p)` started at
    ``state0``; their set is the attractor's projection, and its number of
    distinct values the period. For a flow, integrated by RK4 at step ``dt``,
    the samples are the successive local maxima of the variable after the
    transient (``kind="maxima"``), or its values on the Poincare section
    where ``section[0]`` crosses ``section[1]`` upwards (``kind="section"``);
    a trajectory that settles on an equilibrium gives its final value once.
    Every parameter value runs in parallel on numba's threads.

    Parameters
    ----------
    system : System or str
        A map or a flow, or its catalog name.
    parameter : str
        The swept parameter.
    values : sequence of float
        Its values, each inside the parameter's bounds.
    variable : str, optional
        The sampled variable (default: the first).
    transient : int, optional
        Iterations (maps, default 1000) or RK4 steps (flows, default
        ``round(200 / dt)``) discarded first.
    keep : int, optional
        Samples per parameter value (default 1000 for maps, 200 for flows).
    params : mapping, optional
        Values of the other parameters (defaults otherwise).
    state0 : sequence of float, optional
        Initial state (the system's default otherwise), the same for every value.
    kind : {"iterates", "maxima", "section"}, optional
        "iterates" for maps; "maxima" (default) or "section" for flows.
    section : (str, float), optional
        Variable and level of the Poincare section (``kind="section"``);
        default the second variable at its default initial value.
    dt : float, optional
        RK4 step of flows (the system's default step otherwise).
    max_steps : int, optional
        RK4 steps searched for the samples after the transient (flows;
        default ``50 keep`` times ``round(1 / dt)``).

    Returns
    -------
    xarray.Dataset
        The samples as variable ``variable`` with dims ``(parameter,
        "sample")`` (NaN where a run diverged or found fewer samples), the
        parameter values as coordinate, and attributes ``system``,
        ``parameter``, ``variable``, ``kind``, ``transient``, ``keep``,
        ``state0``, the section and step of flows, and the values of the other
        parameters by name. :func:`engine.save` writes it.

    References
    ----------
    R. M. May, Simple mathematical models with very complicated dynamics,
    Nature 261 (1976) 459-467. S. H. Strogatz, Nonlinear Dynamics and Chaos,
    2nd ed. (2015), sec. 10.2 and 10.6 (orbit diagrams, Lorenz map of maxima).
    """
    system = resolve(system)
    values = checked_values(system, parameter, values)
    variable = variable or system.variables[0]
    if variable not in system.variables:
        raise ValueError(f"{system.name} has no variable {variable!r}; its variables are {list(system.variables)}")
    if variable == parameter:
        raise ValueError(f"{system.name}: the variable and the parameter are both called {parameter!r}")
    is_map = system.family == "map"
    kernel = orbit_kernel(system)
    kind = kind or ("iterates" if is_map else "maxima")
    if kind not in KINDS or (kind == "iterates") != is_map:
        usable = ("iterates",) if is_map else ("maxima", "section")
        raise ValueError(f"kind {kind!r} does not apply to the {system.family} {system.name}; choose from {usable}")
    y0 = initial_state(system, state0)
    grid = parameter_rows(system, params, {parameter: values})
    attrs: dict[str, Any] = {"system": system.name, "parameter": parameter, "variable": variable, "kind": kind}
    keep = checked_count((1000 if is_map else 200) if keep is None else keep, "keep", 1, MAX_SAMPLES)
    if values.size * keep > MAX_TOTAL:
        raise ValueError(f"{values.size} values times {keep} samples exceeds {MAX_TOTAL:,} samples in one diagram")
    if is_map:
        transient = checked_count(1000 if transient is None else transient, "transient", 0, MAX_STEPS)
        out = np.empty((values.size, keep))
        launch(kernel, y0, grid, system.variables.index(variable), transient, out, system.bound)
    else:
        dt = system.dt if dt is None else check_number(dt, "dt", (1e-9, 1e3))
        per_unit = max(1, round(1.0 / dt))
        transient = checked_count(round(200 / dt) if transient is None else transient, "transient", 0, MAX_STEPS)
        max_steps = checked_count(50 * keep * per_unit if max_steps is None else max_steps, "max_steps", 1, MAX_STEPS)
        section_index, level = -1, 0.0
        if kind == "section":
            try:
                name, level = section or (system.variables[min(1, system.dimension - 1)], system.state0[min(1, system.dimension - 1)])
            except (TypeError, ValueError):
                raise ValueError(f"section must be (variable, level), got {section!r}") from None
            if name not in system.variables:
                raise ValueError(f"section variable {name!r} is not one of {list(system.variables)}")
            level = check_number(level, "section level")
            section_index = system.variables.index(name)
            attrs.update(section_variable=name, section_level=level)
        out = np.empty((values.size, keep))
        launch(kernel, y0, grid, system.variables.index(variable), section_index, level, dt, transient, max_steps, out, system.bound)
        attrs.update(dt=dt, max_steps=max_steps)
    attrs.update(transient=transient, keep=keep, state0=np.asarray(y0))
    attrs.update(fixed_params(system, params, (parameter,)))
    import xarray as xr

    return xr.Dataset(
        {variable: ((parameter, "sample"), out)},
        coords={parameter: values, "sample": np.arange(keep)},
        attrs=attrs,
    )


def _periods(samples: np.ndarray, tol: float, max_period: int) -> np.ndarray:
    return np.array([detected_period(row, row.size, tol, max_period) for row in samples])


def period_doublings(
    system: System | str,
    parameter: str,
    start: float,
    stop: float,
    *,
    variable: str | None = None,
    params: Mapping[str, Any] | None = None,
    resolution: int = 400,
    max_period: int = 32,
    tol: float = 1e-6,
) -> xr.Dataset:
    """Parameter values where the period of a map's attractor doubles, located to ``tol``.

    An orbit diagram over ``resolution`` values of ``[start, stop]`` gives
    the detected period at each (the least :math:`k` with
    :math:`x_{n+k} = x_n` over the last samples); wherever it goes from
    :math:`k` to :math:`2k` between neighbouring values where it is detected, the interval is refined by
    sectioning: 8 interior values per round, each run with a transient of
    :math:`30/\\mathrm{tol}` iterations so that critical slowing down near
    the bifurcation (multiplier :math:`-1 + O(\\Delta r)`) does not blur the
    detected period, until the interval is shorter than ``tol``.

    Parameters
    ----------
    system : System or str
        A map.
    parameter : str
        The swept parameter.
    start, stop : float
        The range searched.
    variable : str, optional
        The variable whose iterates are compared (default: the first).
    params : mapping, optional
        Values of the other parameters.
    resolution : int
        Values of the first scan.
    max_period : int
        Longest period detected.
    tol : float
        Length of the final bracket; the returned value is its midpoint.

    Returns
    -------
    xarray.Dataset
        Dim ``"point"``: ``value`` (the located parameter value), ``period``
        (before the doubling) and ``bracket`` (low, high); attributes name
        the system, parameter and tolerance.

    References
    ----------
    M. J. Feigenbaum, Quantitative universality for a class of nonlinear
    transformations, J. Stat. Phys. 19 (1978) 25-52.
    """
    system = resolve(system)
    if system.family != "map":
        raise ValueError(f"period doublings are located on maps; {system.name} is a {system.family}")
    start, stop = sorted(checked_values(system, parameter, [start, stop]))
    resolution = checked_count(resolution, "resolution", 3, 100_000)
    max_period = checked_count(max_period, "max_period", 2, 4096)
    tol = check_number(tol, "tol", (1e-12, 1.0))
    keep = 4 * max_period
    scan = np.linspace(start, stop, resolution)
    common = {"variable": variable, "params": params, "keep": keep}
    samples = orbit_diagram(system, parameter, scan, transient=max(1000, int(10 / (scan[1] - scan[0]))), **common)
    period = _periods(samples[samples.attrs["variable"]].values, 1e-9, max_period)
    transient = int(30 / tol)
    found = []
    known = np.flatnonzero(period > 0)  # undetected periods (slow convergence near a doubling) are skipped
    for i, j in itertools.pairwise(known):
        if period[j] != 2 * period[i]:
            continue
        low, high, before = scan[i], scan[j], period[i]
        while high - low > tol:
            inner = np.linspace(low, high, 10)[1:-1]
            run = orbit_diagram(system, parameter, inner, transient=transient, **common)
            detected = _periods(run[run.attrs["variable"]].values, 1e-9, max_period)
            below = inner[detected == before]
            above = inner[detected == 2 * before]
            low = max(low, below.max()) if below.size else low
            high = min(high, above.min()) if above.size else high
            if not below.size and not above.size or low >= high:
                break  # the period went elsewhere (a window): keep the bracket found so far
        found.append((0.5 * (low + high), before, low, high))
    import xarray as xr

    table = np.array(found, dtype=np.float64).reshape(-1, 4)
    return xr.Dataset(
        {
            "value": ("point", table[:, 0]),
            "period": ("point", table[:, 1].astype(np.int64)),
            "bracket": (("point", "end"), table[:, 2:]),
        },
        coords={"end": ["low", "high"]},
        attrs={"system": system.name, "parameter": parameter, "tol": tol, **fixed_params(system, params, (parameter,))},
    )
