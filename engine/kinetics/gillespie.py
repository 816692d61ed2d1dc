"""Gillespie's direct method for many paths at once, sampled on a time grid.

The kernel works from the network's arrays (:mod:`engine.kinetics.mass_action`):
one compiled function serves every network. :class:`Ensemble` keeps the
paths' copy numbers and times between calls, so a live page advances them a
few grid points per frame within a budget of reactions.
"""
from __future__ import annotations

import math
import warnings
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from numba import njit

from ..jit import CACHED_JIT
from ..system import check_integer, check_number
from .catalog import get_network
from .network import ReactionNetwork

__all__ = ["MAX_PATHS", "Ensemble", "direct_method", "gillespie"]

MAX_PATHS = 10_000
"""Most paths one ensemble simulates."""


@njit(**CACHED_JIT)
def _seed(seed):
    np.random.seed(seed)


@njit(**CACHED_JIT)
def direct_method(counts, t, times, c, reactants, change, out, max_events):
    """Advance every path to each time of ``times`` by Gillespie's direct method.

    For copy numbers :math:`n` the propensities are
    :math:`a_r = c_r \\prod_i n_i (n_i - 1) \\cdots (n_i - \\nu_{ir} + 1)`,
    :math:`a_0 = \\sum_r a_r`. The waiting time to the next reaction is
    exponential, :math:`\\tau = -\\ln(u_1)/a_0`, and reaction :math:`r` fires
    with probability :math:`a_r / a_0` (the smallest :math:`r` with
    :math:`\\sum_{s \\le r} a_s > u_2 a_0`). A path whose next reaction
    would fall beyond the grid time stops there; by the memorylessness of the
    exponential law, drawing afresh from the grid time is exact.

    The grid is processed time by time (all paths reach ``times[k]`` before
    any goes further). A run stops as soon as ``max_events`` reactions have
    fired: each path keeps its own time in ``t`` (the paths before it in the
    current grid step are already there, the others behind), and calling again
    with the grid times not yet reached continues it exactly in law (the
    waiting times drawn afresh are exponential again).

    Parameters
    ----------
    counts : ndarray of int64, shape (P, d)
        Copy numbers of every path, advanced in place.
    t : ndarray, shape (P,)
        Time of every path, advanced in place.
    times : ndarray, shape (T,)
        Increasing grid times, each at least ``t``.
    c : ndarray, shape (R,)
        Stochastic rate constants.
    reactants, change : ndarray of int64, shape (R, d)
        Molecules consumed and net change of every reaction.
    out : ndarray, shape (P, >= T, d)
        Receives the copy numbers at each grid time.
    max_events : int
        Stop once this many reactions have fired in this call (at least one
        reaction fires, so repeated calls always make progress).

    Returns
    -------
    done : int
        Grid times reached by every path (rows of ``out`` written).
    events : int
        Reactions fired.

    References
    ----------
    D. T. Gillespie, Exact stochastic simulation of coupled chemical reactions,
    J. Phys. Chem. 81 (1977) 2340-2361.
    """
    n_paths, d = counts.shape
    n_reactions = c.size
    a = np.empty(n_reactions)
    events = 0
    for k in range(times.size):
        target = times[k]
        for p in range(n_paths):
            now = t[p]
            while True:
                total = 0.0
                for r in range(n_reactions):
                    value = c[r]
                    for i in range(d):
                        n = counts[p, i]
                        for m in range(reactants[r, i]):
                            value *= n - m
                    a[r] = value
                    total += value
                if total <= 0.0:
                    break
                now += -math.log(1.0 - np.random.random()) / total
                if now > target:
                    break
                threshold = np.random.random() * total
                r = 0
                cumulative = a[0]
                while cumulative <= threshold and r < n_reactions - 1:
                    r += 1
                    cumulative += a[r]
                for i in range(d):
                    counts[p, i] += change[r, i]
                events += 1
                if events >= max_events:  # out of budget inside a grid step: this path waits where it is
                    t[p] = now
                    return k, events
            t[p] = target
            for i in range(d):
                out[p, k, i] = counts[p, i]
        if events >= max_events:
            return k + 1, events
    return times.size, events


class Ensemble:
    """Stochastic paths of a network advanced together on a time grid of step ``dt``.

    Parameters
    ----------
    network : ReactionNetwork or str
        A declaration or a name in the kinetics catalog.
    paths : int
        Number of independent paths, in [1, :data:`MAX_PATHS`].
    params : mapping, optional
        Rate constants by name (checked against their bounds).
    omega : float, optional
        System size (checked against its bounds).
    state0 : sequence of float, optional
        Initial concentrations; copy numbers are ``round(omega * state0)``.
    dt : float, optional
        Grid step (default: the network's).
    seed : int, optional
        Seed of the random stream (numba's generator of the calling thread).
    """

    def __init__(
        self,
        network: ReactionNetwork | str,
        paths: int = 100,
        *,
        params: Mapping[str, Any] | None = None,
        omega: Any = None,
        state0: Sequence[float] | None = None,
        dt: Any = None,
        seed: int | None = None,
    ) -> None:
        self.network = get_network(network)
        self.paths = check_integer(paths, "paths", (1, MAX_PATHS))
        self.omega = self.network.check_omega(omega)
        self.c = self.network.propensity_constants(params, self.omega)
        self.dt = self.network.dt if dt is None else check_number(dt, "dt", (1e-6, 100.0))
        if seed is not None:
            _seed(check_integer(seed, "seed", (0, 2**32 - 1)))
        self.counts = np.tile(self.network.initial_counts(self.omega, state0), (self.paths, 1))
        self.t = 0.0
        self._times = np.zeros(self.paths)
        self.events = 0

    def advance(self, steps: int, max_events: int = 2**62) -> tuple[np.ndarray, np.ndarray]:
        """Advance every path by up to ``steps`` grid steps, stopping early once ``max_events`` reactions fired
        (the grid times reached by every path are returned; the next call goes on from there).

        Returns
        -------
        times : ndarray, shape (k,)
        counts : ndarray of int64, shape (paths, k, species)
            Copy numbers at the ``k <= steps`` new grid times.
        """
        steps = check_integer(steps, "steps", (0, 10_000_000))
        max_events = check_integer(max_events, "max_events", (1, 2**62))
        grid = self.t + self.dt * np.arange(1, steps + 1)
        out = np.empty((self.paths, steps, self.counts.shape[1]), dtype=np.int64)
        done, events = direct_method(self.counts, self._times, grid, self.c, self.network.reactants, self.network.change, out, max_events)
        self.events += events
        if done:
            self.t = float(grid[done - 1])
        return grid[:done], out[:, :done]


def gillespie(
    network: ReactionNetwork | str,
    t_end: float,
    *,
    paths: int = 100,
    params: Mapping[str, Any] | None = None,
    omega: Any = None,
    state0: Sequence[float] | None = None,
    dt: Any = None,
    seed: int | None = None,
    max_events: int = 10**9,
) -> tuple[np.ndarray, np.ndarray]:
    """Simulate ``paths`` stochastic paths of ``network`` up to ``t_end`` with Gillespie's direct method.

    The run stops early, with a ``RuntimeWarning``, after ``max_events``
    reactions (a network whose copy numbers explode), at the last grid time
    every path reached.

    Returns
    -------
    times : ndarray, shape (T + 1,)
        The grid ``0, dt, ..., t_end`` (rounded up to whole steps).
    counts : ndarray of int64, shape (paths, T + 1, species)
        Copy numbers on the grid, the initial state first.

    See Also
    --------
    direct_method : the kernel, with the formulas.
    Ensemble : the same paths advanced in chunks.
    """
    ensemble = Ensemble(network, paths, params=params, omega=omega, state0=state0, dt=dt, seed=seed)
    t_end = check_number(t_end, "t_end", (0.0, 1e9))
    steps = math.ceil(t_end / ensemble.dt - 1e-9)
    start = ensemble.counts.copy()
    times, counts = ensemble.advance(steps, max_events)
    if times.size < steps:
        warnings.warn(
            f"{ensemble.network.name}: stopped at t = {ensemble.t:g} after {ensemble.events:,} reactions (max_events)",
            RuntimeWarning,
            stacklevel=2,
        )
    return np.concatenate([[0.0], times]), np.concatenate([start[:, None, :], counts], axis=1)
