"""Two-parameter maps of the largest Lyapunov exponent or the detected period,
on numba's threads or chunked on Dask distributed."""
from __future__ import annotations

import atexit
import math
import os
import re
import threading
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np

from ..system import System, check_integer, check_number
from ._grid import checked_values, fixed_params, initial_state, parameter_rows, resolve
from .orbit import launch, orbit_kernel
from .sweep_kernels import detected_period

if TYPE_CHECKING:
    import xarray as xr

__all__ = ["LOCAL_CLUSTER_WORK", "QUANTITIES", "SCHEDULER_SETTING", "check_scheduler", "default_scheduler", "parameter_map", "sweep_block"]

QUANTITIES = ("lyapunov", "period")
SCHEDULER_SETTING = "PHASESCOPE_SCHEDULER"
"""Environment variable holding the Dask scheduler address sweeps use when none is given
(set by ``phasescope serve --scheduler ADDRESS``)."""
LOCAL_CLUSTER_WORK = 2e10
"""Sweep points times steps beyond which a sweep with no scheduler starts a Dask LocalCluster."""
MAX_POINTS = 16_000_000
"""Most grid points of one map (a 4000 x 4000 image)."""
PERIOD_TOL = {"map": 1e-6, "flow": 1e-3}
"""Relative tolerance of :func:`~engine.bifurcation.sweep_kernels.detected_period` in period maps:
iterates of maps repeat to rounding; maxima of flows, interpolated within an RK4 step, to about dt^2."""

_cluster = None
_cluster_lock = threading.Lock()


def check_scheduler(value: Any) -> str:
    """A Dask scheduler given by a person: ``"local"`` or an address ``protocol://where``
    (``tcp://10.0.0.5:8786``, ``tls://...``, ``inproc://...``); ``ValueError`` otherwise."""
    text = value.strip() if isinstance(value, str) else value
    if text == "local" or (isinstance(text, str) and re.fullmatch(r"[a-z][a-z0-9+.-]*://\S+", text)):
        return text
    raise ValueError(f"a Dask scheduler is 'local' or an address such as tcp://host:8786, got {value!r}")


def default_scheduler() -> str | None:
    """The scheduler of the :data:`SCHEDULER_SETTING` setting (checked), None when unset."""
    value = os.environ.get(SCHEDULER_SETTING)
    return check_scheduler(value) if value else None


def _defaults(system: System, transient: Any, length: Any, dt: Any) -> tuple[Any, Any, float]:
    if system.family == "map":
        return (1000 if transient is None else transient), (2000 if length is None else length), 1.0
    step = system.dt if dt is None else check_number(dt, "dt", (1e-9, 10.0))
    return (100.0 if transient is None else transient), (200.0 if length is None else length), step


def sweep_block(
    first_values: np.ndarray,
    second_values: np.ndarray | None,
    *,
    system: System | str,
    first: str,
    second: str | None,
    params: Mapping[str, Any] | None,
    quantity: str,
    state0: tuple[float, ...],
    transient: Any,
    length: Any,
    dt: float,
    max_period: int,
    parallel: bool = True,
) -> np.ndarray:
    """``quantity`` at every pair of ``first_values`` and ``second_values`` (broadcast together).

    The one function both backends run: the local sweep calls it on the
    whole grid with the ``prange`` kernels, Dask on each chunk with
    ``parallel=False`` (the same template compiled without threads: a worker
    uses one core, and no idle OpenMP threads of one worker spin on the core
    of another). Rows are independent, so the numbers are the same.
    """
    system = resolve(system)
    if second is None:
        shape, columns = np.shape(first_values), {first: np.ravel(first_values)}
    else:
        a, b = np.broadcast_arrays(first_values, second_values)
        shape, columns = a.shape, {first: a.ravel(), second: b.ravel()}
    rows = parameter_rows(system, params, columns)
    if quantity == "lyapunov":
        from ..diagnostics.lyapunov import lyapunov_grid

        run = lyapunov_grid(system, rows, state0=state0, t_end=length, transient=transient, dt=dt, count=1, parallel=parallel)
        return run.exponents[:, 0].reshape(shape)
    keep = 4 * max_period
    out = np.empty((rows.shape[0], keep))
    if system.family == "map":
        launch(orbit_kernel(system, parallel=parallel), state0, rows, 0, int(transient), out, system.bound, parallel=parallel)
    else:
        steps = max(1, round(length / dt))
        kernel = orbit_kernel(system, parallel=parallel)
        launch(kernel, state0, rows, 0, -1, 0.0, dt, round(transient / dt), steps, out, system.bound, parallel=parallel)
    found = np.where(np.isnan(out).any(axis=1), np.isnan(out).argmax(axis=1), keep)  # samples before the NaN tail
    tol = PERIOD_TOL[system.family]
    periods = np.array([detected_period(row, n, tol, max_period) for row, n in zip(out, found)], dtype=np.int64)
    return periods.reshape(shape)


def parameter_map(
    system: System | str,
    first: tuple[str, Any],
    second: tuple[str, Any] | None = None,
    *,
    quantity: str = "lyapunov",
    params: Mapping[str, Any] | None = None,
    state0: Any = None,
    transient: float | None = None,
    length: float | None = None,
    dt: float | None = None,
    max_period: int = 16,
    scheduler: str | None = None,
    chunks: int | None = None,
) -> xr.DataArray:
    """The largest Lyapunov exponent or the detected period over a grid of two parameters.

    Lyapunov: Benettin's method on the tangent dynamics,
    :math:`\\lambda_1 = \\lim_{T \\to \\infty} \\frac{1}{T} \\ln \\lVert v(T) \\rVert / \\lVert v(0) \\rVert`
    (the kernel of :func:`engine.diagnostics.lyapunov.lyapunov_grid` with one
    tangent vector). Period: the least :math:`k` with
    :math:`x_{n+k} = x_n` (within :data:`PERIOD_TOL`) over the last
    ``4 max_period`` iterates of the first variable (maps) or of its
    successive maxima (flows: 1 for a limit cycle); 0 when none repeats
    or fewer than ``3 max_period`` samples were found (chaos,
    quasi-periodicity, an equilibrium of a flow, too short a run).

    Parameters
    ----------
    system : System or str
        A map or a flow.
    first, second : (str, sequence of float)
        Parameter names and values; the result has dims ``(first, second)``.
        ``second`` may be omitted for a one-parameter sweep.
    quantity : {"lyapunov", "period"}
    params : mapping, optional
        Values of the other parameters.
    state0 : sequence of float, optional
        Initial state of every run (the system's default otherwise).
    transient, length : int or float, optional
        Discarded and measured iterations (maps; default 1000 and 2000) or
        times (flows; default 100 and 200).
    dt : float, optional
        RK4 step of flows (the system's default otherwise).
    max_period : int
        Longest period detected.
    scheduler : str, optional
        A Dask scheduler address (``"tcp://host:8786"``), or ``"local"`` for a
        LocalCluster of this machine's cores. Default: the
        :data:`SCHEDULER_SETTING` setting; without it numba's threads here,
        or a LocalCluster when the sweep exceeds :data:`LOCAL_CLUSTER_WORK`
        points times steps.
    chunks : int, optional
        Values of ``first`` per Dask task (default: 16 tasks).

    Returns
    -------
    xarray.DataArray
        Named ``quantity``, dims ``(first, second)`` with the values as
        coordinates; attributes name the system, the quantity, the run
        lengths, the backend and the other parameters' values. The numbers do
        not depend on the backend.

    References
    ----------
    G. Benettin, L. Galgani, A. Giorgilli, J.-M. Strelcyn, Meccanica 15 (1980) 9-30.
    M. Markus, B. Hess, Lyapunov exponents of the logistic map with periodic
    forcing, Computers & Graphics 13 (1989) 553-558 (two-parameter Lyapunov maps).
    """
    system = resolve(system)
    if system.family == "sde":
        raise ValueError(f"{system.name} is stochastic: parameter maps are drawn for maps and flows")
    if quantity not in QUANTITIES:
        raise ValueError(f"quantity must be one of {QUANTITIES}, got {quantity!r}")
    first_name, first_values = _axis(system, first)
    second_name, second_values = _axis(system, second) if second is not None else (None, None)
    if first_name == second_name:
        raise ValueError(f"the two parameters must differ, both are {first_name!r}")
    max_period = check_integer(max_period, "max_period", (1, 1024))
    transient, length, dt = _defaults(system, transient, length, dt)
    if system.family == "map":
        transient = check_integer(transient, "transient", (0, 100_000_000))
        length = check_integer(length, "length", (1, 100_000_000))
        steps = transient + length
    else:
        transient = check_number(transient, "transient", (0.0, 1e9))
        length = check_number(length, "length", (dt, 1e9))
        steps = (transient + length) / dt
    points = first_values.size * (1 if second_values is None else second_values.size)
    if points > MAX_POINTS:
        raise ValueError(f"a parameter map of {points:,} points exceeds {MAX_POINTS:,}")
    options = {
        "system": system.name if _in_catalog(system) else system, "first": first_name, "second": second_name, "params": params,
        "quantity": quantity, "state0": initial_state(system, state0), "transient": transient, "length": length, "dt": dt,
        "max_period": max_period,
    }
    scheduler = check_scheduler(scheduler) if scheduler is not None else default_scheduler()
    if scheduler is None and points * steps > LOCAL_CLUSTER_WORK:
        scheduler = "local"
    import xarray as xr

    if scheduler is None:
        values = sweep_block(first_values[:, None] if second_values is not None else first_values, second_values, **options)
        backend = "numba threads"
    else:
        address = _local_cluster_address() if scheduler == "local" else scheduler
        values = _on_dask(address, first_values, second_values, options, chunks)
        backend = f"dask {address}"
    dims = (first_name,) if second_name is None else (first_name, second_name)
    coords = {first_name: first_values} | ({} if second_name is None else {second_name: second_values})
    attrs = {"system": system.name, "quantity": quantity, "transient": transient, "length": length, "backend": backend}
    if system.family == "flow":
        attrs["dt"] = dt
    attrs.update(fixed_params(system, params, tuple(n for n in (first_name, second_name) if n)))
    return xr.DataArray(values, dims=dims, coords=coords, name=quantity, attrs=attrs)


def _axis(system: System, axis: Any) -> tuple[str, np.ndarray]:
    try:
        name, values = axis
    except (TypeError, ValueError):
        raise ValueError(f"a parameter axis is (name, values), got {axis!r}") from None
    system.parameter(name)
    return name, checked_values(system, name, values)


def _in_catalog(system: System) -> bool:
    try:
        return resolve(system.name) is system
    except KeyError:
        return False


def _on_dask(address: str, first_values: np.ndarray, second_values: np.ndarray | None, options: dict, chunks: int | None) -> np.ndarray:
    """Run :func:`sweep_block` on the Dask scheduler at ``address``, chunked along the first parameter."""
    import xarray as xr
    from distributed import Client

    size = chunks or max(1, math.ceil(first_values.size / 16))
    first = xr.DataArray(first_values, dims=[options["first"]]).chunk({options["first"]: check_integer(size, "chunks", (1, 10**9))})
    arguments = [first] if second_values is None else [first, xr.DataArray(second_values, dims=[options["second"]])]
    if second_values is None:
        arguments.append(None)
    dtype = np.float64 if options["quantity"] == "lyapunov" else np.int64
    lazy = xr.apply_ufunc(
        sweep_block, *arguments, kwargs={**options, "parallel": False}, dask="parallelized", output_dtypes=[dtype]
    )
    with Client(address, set_as_default=False) as client:
        return client.compute(lazy.data).result()


def _local_cluster_address() -> str:
    """Address of this process's LocalCluster (one worker process per core), started on first use."""
    global _cluster
    with _cluster_lock:
        if _cluster is None:
            from distributed import LocalCluster

            _cluster = LocalCluster(n_workers=os.cpu_count() or 1, threads_per_worker=1, dashboard_address=None)
            atexit.register(_cluster.close)
        return _cluster.scheduler_address
