"""Lyapunov exponents: full spectra of systems, a running estimate for monitors, the largest
exponent of a measured series, and the Kaplan-Yorke dimension.

Spectra come from the Benettin/QR kernels of
:mod:`engine.diagnostics.lyapunov_kernels`, compiled once per system through
:func:`engine.solvers.specialize.compiled` (and cached on disk).

A two-parameter Lyapunov map (or any grid of parameter sets) runs the same
per-trajectory code in parallel: build the rows of parameter values, then::

    run = lyapunov_kernel(system, parallel=True)       # numba prange over rows
    out = lyapunov_grid(system, grid, state0=..., t_end=..., transient=...)

:func:`lyapunov_grid` does exactly that and returns one spectrum per row.
"""
from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any, NamedTuple

import numpy as np
from numba import njit

from ..jit import CACHED_JIT
from ..solvers.specialize import cached_on_disk, compiled
from ..system import System, check_integer, check_number
from ..systems import get_system
from ._checks import finite_array
from .lyapunov_kernels import flow_lyapunov, map_lyapunov, no_jacobian

__all__ = [
    "LyapunovRun",
    "RosensteinResult",
    "RunningLyapunov",
    "kaplan_yorke_dimension",
    "lyapunov_grid",
    "lyapunov_kernel",
    "lyapunov_kernel_cached",
    "lyapunov_spectrum",
    "max_lyapunov_from_series",
    "rosenstein_divergence",
]

RENORMALIZE_TIME = 0.05
"""Time between re-orthonormalisations of the tangent vectors of a flow (one iteration for maps)."""


def _binding(system: System) -> tuple[Callable, dict[str, Callable]]:
    if system.family == "sde":
        raise ValueError(f"{system.name} is stochastic: its Lyapunov spectrum is not defined by this method")
    jacobian = system.jacobian or no_jacobian
    if system.family == "map":
        return map_lyapunov, {"step": system.rhs, "jacobian": jacobian}
    return flow_lyapunov, {"rhs": system.rhs, "jacobian": jacobian}


def lyapunov_kernel(system: System | str, *, parallel: bool = False) -> Callable:
    """The compiled Benettin/QR kernel of ``system``.

    Its arguments are those of :func:`~engine.diagnostics.lyapunov_kernels.flow_lyapunov`
    (flows) or :func:`~engine.diagnostics.lyapunov_kernels.map_lyapunov` (maps);
    ``parallel=True`` runs the rows of the parameter grid on numba's threads.
    """
    template, functions = _binding(get_system(system))
    return compiled(template, parallel=parallel, **functions)


def lyapunov_kernel_cached(system: System | str, *, parallel: bool = False) -> bool:
    """Whether the kernel of ``system`` is already compiled in the disk cache."""
    template, functions = _binding(get_system(system))
    return cached_on_disk(template, parallel=parallel, **functions)


class LyapunovRun(NamedTuple):
    """Spectra of a grid of parameter sets, from :func:`lyapunov_grid`."""

    exponents: np.ndarray
    """Shape ``(m, k)``, largest first; NaN in rows whose trajectory diverged."""
    states: np.ndarray
    """Last state of each row, shape ``(m, d)``."""
    status: np.ndarray
    """-1 per row, or the index of the variable that left the system's bound."""


def _steps(system: System, t_end: Any, dt: float, transient: Any) -> tuple[int, int]:
    if system.family == "map":
        steps = check_integer(t_end, "iterations", (1, 100_000_000))
        return steps, check_integer(transient, "transient", (0, 100_000_000))
    t_end = check_number(t_end, "t_end", (dt, 1e9))
    transient = check_number(transient, "transient", (0.0, 1e9))
    return max(1, round(t_end / dt)), round(transient / dt)


def _renormalize_every(system: System, dt: float) -> int:
    return 1 if system.family == "map" else max(1, round(RENORMALIZE_TIME / dt))


def _count(system: System, count: Any) -> int:
    return system.dimension if count is None else check_integer(count, "count", (1, system.dimension))


def _orthonormal_start(rows: int, count: int, dimension: int) -> np.ndarray:
    tangents = np.zeros((rows, count, dimension))
    tangents[:, np.arange(count), np.arange(count)] = 1.0
    return tangents


def _run(
    system: System,
    kernel: Callable,
    y0: tuple,
    t0: float,
    dt: float,
    transient: int,
    steps: int,
    grid: np.ndarray,
    tangents: np.ndarray,
    sums: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Run ``kernel`` over ``grid``; returns the last states and the status per row."""
    rows = grid.shape[0]
    states = np.empty((rows, system.dimension))
    status = np.empty(rows, dtype=np.int64)
    every = _renormalize_every(system, dt)
    analytic = system.jacobian is not None
    if system.family == "map":
        kernel(y0, transient, steps, every, grid, system.bound, analytic, tangents, sums, states, status)
    else:
        kernel(y0, t0, dt, transient, steps, every, grid, system.bound, analytic, tangents, sums, states, status)
    return states, status


def _defaults(system: System, t_end: Any, transient: Any) -> tuple[Any, Any]:
    if system.family == "map":
        return (100_000 if t_end is None else t_end), (1_000 if transient is None else transient)
    return (1_000.0 if t_end is None else t_end), (20.0 if transient is None else transient)


def _step(system: System, dt: Any) -> float:
    return 1.0 if system.family == "map" else (system.dt if dt is None else check_number(dt, "dt", (1e-9, 10.0)))


def lyapunov_grid(
    system: System | str,
    grid: Any,
    *,
    state0: Sequence[float] | None = None,
    t_end: float | None = None,
    dt: float | None = None,
    transient: float | None = None,
    count: int | None = None,
    parallel: bool = True,
) -> LyapunovRun:
    """Lyapunov spectra of ``system`` at many parameter sets at once (numba threads over rows).

    Parameters
    ----------
    system : System or str
    grid : array_like, shape (m, n_params)
        One row of parameter values per spectrum, in declaration order, each
        inside its bounds; or rows of whole ``System.parameter_array`` values.
    state0, t_end, dt, transient, count
        As in :func:`lyapunov_spectrum`, the same for every row.
    parallel : bool
        Run the rows on numba's threads.

    Returns
    -------
    LyapunovRun
    """
    system = get_system(system)
    rows = finite_array(grid, "grid", ndim=2, min_size=0)
    base = system.parameter_array()
    declared = len(system.parameters)
    # a system may carry fixed entries after its declared parameters (a gallery flow's number):
    # rows give the declared ones, or whole parameter arrays with those entries unchanged
    if rows.shape[1] not in (declared, base.size) or (rows[:, declared:] != base[declared:]).any():
        raise ValueError(f"grid must have {declared} columns (the parameters of {system.name}), got {rows.shape[1]}")
    for column, parameter in zip(rows.T, system.parameters):
        low, high = parameter.bounds
        if ((column < low) | (column > high)).any():
            raise ValueError(f"grid values of {parameter.name} must lie in [{low:g}, {high:g}]")
    full = np.tile(base, (rows.shape[0], 1))
    full[:, :declared] = rows[:, :declared]
    y0 = system.check_state(system.state0 if state0 is None else state0)
    step = _step(system, dt)
    t_end, transient = _defaults(system, t_end, transient)
    steps, skip = _steps(system, t_end, step, transient)
    count = _count(system, count)
    tangents = _orthonormal_start(rows.shape[0], count, system.dimension)
    sums = np.zeros((rows.shape[0], count))
    states, status = _run(system, lyapunov_kernel(system, parallel=parallel), y0, 0.0, step, skip, steps, full, tangents, sums)
    exponents = sums / (steps * step)
    exponents[status >= 0] = np.nan
    return LyapunovRun(-np.sort(-exponents, axis=1), states, status)


def lyapunov_spectrum(
    system: System | str,
    *,
    params: Mapping[str, Any] | None = None,
    state0: Sequence[float] | None = None,
    t_end: float | None = None,
    dt: float | None = None,
    transient: float | None = None,
    count: int | None = None,
) -> np.ndarray:
    r"""Lyapunov spectrum of a flow or a map by the Benettin/QR method.

    ``count`` orthonormal tangent vectors follow the linearised dynamics
    (the system's analytic Jacobian, or central differences of its
    right-hand side when it declares none) and are re-orthonormalised by a QR
    (Gram-Schmidt) step at regular intervals; the exponents are the time
    averages of the logarithms of the diagonal of R:

    .. math:: \lambda_i = \lim_{T \to \infty} \frac{1}{T} \sum_n \ln R^{(n)}_{ii}

    For a flow the sum of the full spectrum equals the time average of the
    trace of the Jacobian (Lorenz: :math:`-(\sigma + 1 + \beta)`), and one
    exponent is zero (the direction of the flow).

    Parameters
    ----------
    system : System or str
        A flow or a map (stochastic systems are refused).
    params : mapping, optional
        Parameter values by name.
    state0 : sequence of float, optional
        Initial state (default: the system's).
    t_end : float or int, optional
        Averaging time for flows (default 1000), iterations for maps (default 100,000).
    dt : float, optional
        RK4 step for flows (default: the system's).
    transient : float or int, optional
        Time (flows, default 20) or iterations (maps, default 1000) discarded first.
    count : int, optional
        Number of exponents (default: the dimension).

    Returns
    -------
    ndarray, shape (count,)
        Largest first; NaN when the trajectory left the system's bound.

    References
    ----------
    G. Benettin, L. Galgani, A. Giorgilli, J.-M. Strelcyn, Meccanica 15 (1980) 9-30;
    A. Wolf, J. B. Swift, H. L. Swinney, J. A. Vastano, Determining Lyapunov exponents from
    a time series, Physica D 16 (1985) 285-317; J. C. Sprott, Chaos and Time-Series
    Analysis (Oxford, 2003), for the Lorenz values (0.9056, 0, -14.5723).
    """
    system = get_system(system)
    return lyapunov_grid(
        system, system.parameter_array(params)[None, :], state0=state0, t_end=t_end, dt=dt, transient=transient,
        count=count, parallel=False,
    ).exponents[0]


class RunningLyapunov:
    """Running (online) Lyapunov spectrum of one trajectory, for live monitors.

    Each :meth:`advance` continues the same trajectory and tangent vectors, so
    :attr:`exponents` converges to :func:`lyapunov_spectrum` as time goes on.
    Changing parameters restarts the averages (the state is kept).

    Parameters
    ----------
    system : System or str
    params : mapping, optional
    state0 : sequence of float, optional
    dt : float, optional
        RK4 step for flows (default: the system's).
    count : int, optional
        Number of exponents (default: the dimension).
    """

    def __init__(
        self,
        system: System | str,
        params: Mapping[str, Any] | None = None,
        state0: Sequence[float] | None = None,
        *,
        dt: float | None = None,
        count: int | None = None,
    ) -> None:
        self.system = get_system(system)
        self.dt = _step(self.system, dt)
        self.count = _count(self.system, count)
        self._kernel = lyapunov_kernel(self.system)
        self._p = self.system.parameter_array(params)[None, :]
        self.state = self.system.check_state(self.system.state0 if state0 is None else state0)
        self.t = 0.0
        self.diverged = False
        self.restart()

    def restart(self, state0: Sequence[float] | None = None) -> None:
        """Start the averages again, from ``state0`` if given (else from the current state)."""
        if state0 is not None:
            self.state = self.system.check_state(state0)
            self.diverged = False
        self._tangents = _orthonormal_start(1, self.count, self.system.dimension)
        self._sums = np.zeros((1, self.count))
        self.elapsed = 0.0

    def set_params(self, params: Mapping[str, Any]) -> None:
        """New parameter values (validated); the averages restart."""
        self._p = self.system.parameter_array(params)[None, :]
        self.restart()

    def advance(self, steps: int) -> None:
        """Continue by ``steps`` steps (iterations for maps); nothing once the trajectory diverged."""
        steps = check_integer(steps, "steps", (0, 100_000_000))
        if steps == 0 or self.diverged:
            return
        states, status = _run(self.system, self._kernel, self.state, self.t, self.dt, 0, steps, self._p, self._tangents, self._sums)
        if status[0] >= 0:
            self.diverged = True
            return
        self.state = tuple(float(v) for v in states[0])
        self.t += steps * self.dt
        self.elapsed += steps * self.dt

    @property
    def exponents(self) -> np.ndarray:
        """Current estimate, largest first (NaN before the first step or after divergence)."""
        if self.elapsed == 0.0 or self.diverged:
            return np.full(self.count, np.nan)
        return -np.sort(-self._sums[0] / self.elapsed)


def kaplan_yorke_dimension(spectrum: Any) -> float:
    r"""Kaplan-Yorke (Lyapunov) dimension of an attractor from its Lyapunov spectrum.

    With the exponents sorted :math:`\lambda_1 \ge \lambda_2 \ge \dots` and
    :math:`j` the largest index with :math:`\sum_{i \le j} \lambda_i \ge 0`,

    .. math:: D_{KY} = j + \frac{\sum_{i=1}^{j} \lambda_i}{|\lambda_{j+1}|}

    0 when :math:`\lambda_1 < 0` (a stable fixed point), the number of
    exponents when every partial sum is non-negative.

    Parameters
    ----------
    spectrum : array_like, shape (n,)
        Lyapunov exponents, in any order.

    Returns
    -------
    float

    References
    ----------
    J. L. Kaplan and J. A. Yorke, Chaotic behavior of multidimensional difference equations,
    Lecture Notes in Mathematics 730 (1979) 204-227; Sprott (2003): Lorenz D_KY = 2.062.
    """
    exponents = -np.sort(-finite_array(spectrum, "spectrum"))
    partial = np.cumsum(exponents)
    nonnegative = np.flatnonzero(partial >= 0)
    if nonnegative.size == 0:
        return 0.0
    j = int(nonnegative[-1]) + 1
    if j == exponents.size:
        return float(j)
    return j + float(partial[j - 1]) / abs(float(exponents[j]))


# --------------------------------------------------------------------------- from a series (Rosenstein)


@njit(**CACHED_JIT)
def _nearest_neighbours(points, separation, usable):
    """Index of each point's nearest neighbour (Euclidean) among the first ``usable`` points at least
    ``separation`` samples away in time (-1 when none); partial sums stop as soon as they exceed the best."""
    n, m = points.shape
    nearest = np.full(n, -1)
    for i in range(usable):
        best = np.inf
        for j in range(usable):
            if abs(i - j) < separation:
                continue
            total = 0.0
            for c in range(m):
                diff = points[i, c] - points[j, c]
                total += diff * diff
                if total >= best:
                    break
            if total < best and total > 0.0:
                best = total
                nearest[i] = j
    return nearest


@njit(**CACHED_JIT)
def _mean_log_divergence(points, nearest, horizon, usable):
    """Average over pairs of ``ln`` distance after ``k`` steps, ``k = 0 .. horizon - 1``."""
    n, m = points.shape
    totals = np.zeros(horizon)
    counts = np.zeros(horizon)
    for i in range(usable):
        j = nearest[i]
        if j < 0:
            continue
        for k in range(horizon):
            if i + k >= n or j + k >= n:
                break
            total = 0.0
            for c in range(m):
                diff = points[i + k, c] - points[j + k, c]
                total += diff * diff
            if total > 0.0:
                totals[k] += 0.5 * math.log(total)
                counts[k] += 1.0
    out = np.full(horizon, np.nan)
    for k in range(horizon):
        if counts[k] > 0:
            out[k] = totals[k] / counts[k]
    return out


def _delay_embedding(series: np.ndarray, dimension: int, delay: int) -> np.ndarray:
    rows = series.size - (dimension - 1) * delay
    if rows < 10:
        raise ValueError(f"the series is too short for embedding dimension {dimension} and delay {delay}")
    return np.ascontiguousarray(np.lib.stride_tricks.sliding_window_view(series, (dimension - 1) * delay + 1)[:, ::delay])


def _autocorrelation_delay(series: np.ndarray) -> int:
    """First lag where the autocorrelation falls below ``1 - 1/e`` (at least 1)."""
    centred = series - series.mean()
    size = 1 << int(np.ceil(np.log2(2 * series.size)))
    spectrum = np.fft.rfft(centred, size)
    correlation = np.fft.irfft(spectrum * np.conj(spectrum), size)[: series.size]
    if correlation[0] <= 0:
        return 1
    below = np.flatnonzero(correlation / correlation[0] < 1.0 - 1.0 / math.e)
    return int(max(1, below[0])) if below.size else 1


def _mean_period(series: np.ndarray) -> int:
    """Mean period in samples, from the power-weighted mean frequency (Rosenstein's Theiler window)."""
    power = np.abs(np.fft.rfft(series - series.mean())) ** 2
    frequencies = np.fft.rfftfreq(series.size)
    mean = float((frequencies[1:] * power[1:]).sum() / max(power[1:].sum(), 1e-300))
    return int(min(series.size // 10, max(1, round(1.0 / mean)))) if mean > 0 else 1


class RosensteinResult(NamedTuple):
    """The divergence curve behind :func:`max_lyapunov_from_series`."""

    exponent: float
    """Slope of the fit, per unit time."""
    times: np.ndarray
    """``k dt`` for ``k = 0 .. horizon - 1``."""
    divergence: np.ndarray
    """Mean ``ln`` distance of neighbour pairs after ``k`` steps."""
    fit: tuple[int, int]
    """Range of ``k`` (start, stop) the slope was fitted over."""
    dimension: int
    delay: int
    separation: int


def _fit_range(divergence: np.ndarray) -> tuple[int, int]:
    """The initial linear rise of the divergence curve: from step 0 up to where it has covered
    ``FIT_FRACTION`` of its rise to the plateau (the median of its last quarter)."""
    finite = np.isfinite(divergence)
    curve = divergence[: np.argmin(finite)] if not finite.all() else divergence
    plateau = float(np.median(curve[-max(1, curve.size // 4):]))
    rise = plateau - curve[0]
    if rise <= 0:
        return 0, max(2, curve.size // 4)
    reached = np.flatnonzero(curve - curve[0] >= FIT_FRACTION * rise)
    stop = int(reached[0]) if reached.size else curve.size
    return 0, max(stop, 2)


FIT_FRACTION = 0.8
"""Share of the rise of the divergence curve to its plateau fitted as the linear (exponential) regime."""


def rosenstein_divergence(
    x: Any,
    dt: float,
    *,
    dimension: int = 7,
    delay: int | None = None,
    separation: int | None = None,
    horizon: int | None = None,
) -> RosensteinResult:
    """Rosenstein's divergence curve and its fitted slope; see :func:`max_lyapunov_from_series`."""
    series = finite_array(x, "x", min_size=50)
    dt = check_number(dt, "dt", (1e-12, 1e12))
    dimension = check_integer(dimension, "dimension", (1, 50))
    delay = _autocorrelation_delay(series) if delay is None else check_integer(delay, "delay", (1, series.size))
    separation = _mean_period(series) if separation is None else check_integer(separation, "separation", (0, series.size))
    points = _delay_embedding(series, dimension, delay)
    if horizon is None:
        horizon = min(points.shape[0] // 4, max(4 * separation, 20))
    horizon = check_integer(horizon, "horizon", (3, points.shape[0] - 1))
    usable = points.shape[0] - horizon
    nearest = _nearest_neighbours(points, separation, usable)
    if (nearest < 0).all():
        raise ValueError("no two points of the embedded series are far enough apart in time: lower separation")
    divergence = _mean_log_divergence(points, nearest, horizon, usable)
    start, stop = _fit_range(divergence)
    steps = np.arange(horizon)
    slope = np.polyfit(steps[start:stop], divergence[start:stop], 1)[0]
    return RosensteinResult(float(slope / dt), steps * dt, divergence, (start, stop), dimension, delay, separation)


def max_lyapunov_from_series(
    x: Any,
    dt: float,
    *,
    dimension: int = 7,
    delay: int | None = None,
    separation: int | None = None,
    horizon: int | None = None,
) -> float:
    r"""Largest Lyapunov exponent of a measured scalar series (Rosenstein's method).

    The series is delay-embedded, :math:`X_i = (x_i, x_{i+\tau}, \dots, x_{i+(m-1)\tau})`;
    each point's nearest neighbour :math:`X_{\hat\imath}` is found among points at
    least ``separation`` samples away in time (a Theiler window, default the
    mean period), and the mean logarithmic separation of the pairs

    .. math:: y(k) = \langle \ln \| X_{i+k} - X_{\hat\imath + k} \| \rangle_i

    grows as :math:`y(0) + \lambda_1 k\,\Delta t` until it saturates at the
    attractor's size. The slope is fitted from :math:`k = 0` up to where
    :math:`y` has covered :data:`FIT_FRACTION` of its rise to the plateau.

    Parameters
    ----------
    x : array_like, shape (n,)
        The series, at least 50 samples, sampled every ``dt``.
    dt : float
        Sampling interval (the exponent is per unit of time).
    dimension : int
        Embedding dimension ``m``.
    delay : int, optional
        Embedding delay in samples; default the lag where the autocorrelation
        falls below :math:`1 - 1/e`.
    separation : int, optional
        Theiler window in samples; default the mean period (inverse of the
        power-weighted mean frequency).
    horizon : int, optional
        Steps ``k`` of the divergence curve; default four Theiler windows
        (at least 20, at most a quarter of the series).

    Returns
    -------
    float

    See Also
    --------
    rosenstein_divergence : the curve and the fitted range.

    References
    ----------
    M. T. Rosenstein, J. J. Collins, C. J. De Luca, A practical method for calculating
    largest Lyapunov exponents from small data sets, Physica D 65 (1993) 117-134.
    """
    return rosenstein_divergence(x, dt, dimension=dimension, delay=delay, separation=separation, horizon=horizon).exponent
