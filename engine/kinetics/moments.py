"""Moment closure in use: integrate the closed moment equations and flag where they fail.

The equations themselves are :func:`engine.kinetics.mass_action.moment_drift`,
compiled per network as :attr:`ReactionNetwork.moments`. The normal closure
is exact for networks of order at most one and an approximation otherwise;
it is known to fail at small system size, giving negative variances or
oscillations that the mean of the stochastic paths does not have.

References
----------
D. Schnoerr, G. Sanguinetti, R. Grima, Validity conditions for moment closure
approximations in stochastic chemical kinetics, J. Chem. Phys. 141 (2014) 084103.
"""
from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from ..stream import MAX_STEPS, Simulation
from ..system import check_number
from .catalog import get_network
from .network import ReactionNetwork

__all__ = [
    "OSCILLATION_SHARE",
    "closure_flags",
    "moment_closure",
    "oscillation_flags",
    "spurious_oscillation",
    "unpack_moments",
    "unphysical_moments",
]

OSCILLATION_SHARE = 0.05
"""Least half peak-to-peak swing of the closure mean, relative to its level, that counts as an oscillation."""


def unpack_moments(points: np.ndarray, d: int) -> tuple[np.ndarray, np.ndarray]:
    """Means ``(..., d)`` and covariances ``(..., d, d)`` from moment-System states ``(..., d + d(d+1)/2)``."""
    points = np.asarray(points, dtype=np.float64)
    mean = points[..., :d]
    cov = np.empty(points.shape[:-1] + (d, d))
    u = d
    for i in range(d):
        for j in range(i, d):
            cov[..., i, j] = cov[..., j, i] = points[..., u]
            u += 1
    return mean, cov


def moment_closure(
    network: ReactionNetwork | str,
    t_end: float,
    *,
    params: Mapping[str, Any] | None = None,
    omega: Any = None,
    state0: Sequence[float] | None = None,
    dt: float | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Integrate the second-order moment equations (normal closure) of ``network``.

    The run starts from the copy numbers ``round(omega * state0)`` with zero
    covariance (a deterministic start), like :func:`~engine.kinetics.gillespie.gillespie`.

    Returns
    -------
    times : ndarray, shape (T + 1,)
    mean : ndarray, shape (T + 1, d)
        Mean concentrations (copy numbers over omega).
    cov : ndarray, shape (T + 1, d, d)
        Covariances of the concentrations. A run whose closure diverges ends
        early; its last finite sample is kept.
    """
    network = get_network(network)
    omega = network.check_omega(omega)
    start = network.initial_counts(omega, state0) / omega
    d = len(network.species)
    simulation = Simulation(
        network.moments,
        {**(params or {}), network.omega.name: omega},
        (*start, *([0.0] * (d * (d + 1) // 2))),
        dt=dt or network.dt,
        capacity=MAX_STEPS + 1,
    )
    t_end = check_number(t_end, "t_end", (0.0, 1e9))
    simulation.advance(min(MAX_STEPS, math.ceil(t_end / simulation.dt - 1e-9)))
    times, points = simulation.history()
    mean, cov = unpack_moments(points[0], d)
    return times, mean, cov


def unphysical_moments(times: np.ndarray, mean: np.ndarray, cov: np.ndarray, species: Sequence[str]) -> str | None:
    """The first time a closure variance or mean went negative, as a message naming the species; None if never.

    A value counts as negative beyond rounding when it is below ``-1e-9``
    times the largest magnitude of its kind in the run (at least 1).
    """
    variances = np.diagonal(np.asarray(cov), axis1=-2, axis2=-1)
    for label, values in (("Var", variances), ("E", np.asarray(mean))):
        if values.size == 0:
            continue
        scale = max(1.0, float(np.nanmax(np.abs(values))))
        bad = np.argwhere(values < -1e-9 * scale)
        if bad.size:
            k, i = bad[0]
            return f"moment closure failed: {label}[{species[i]}] = {values[k, i]:.3g} < 0 at t = {times[k]:.4g}"
    return None


def spurious_oscillation(closure_mean: np.ndarray, ssa_mean: np.ndarray, ssa_sem: np.ndarray) -> np.ndarray:
    """Per species: does the closure mean oscillate where the mean of the stochastic paths does not?

    Over the given window (the latest samples), the closure mean oscillates
    when it turns at least twice and its half peak-to-peak swing
    :math:`A_c` exceeds :data:`OSCILLATION_SHARE` of its mean level; the paths'
    mean agrees when its own swing, less three standard errors, reaches
    half of :math:`A_c`.

    Parameters
    ----------
    closure_mean, ssa_mean, ssa_sem : ndarray, shape (T, d)
        Closure mean, mean of the paths and its standard error on a common grid.

    Returns
    -------
    ndarray of bool, shape (d,)
    """
    closure_mean, ssa_mean, ssa_sem = (np.asarray(a, dtype=np.float64) for a in (closure_mean, ssa_mean, ssa_sem))
    swing = 0.5 * (closure_mean.max(axis=0) - closure_mean.min(axis=0))
    slopes = np.sign(np.diff(closure_mean, axis=0))
    turns = (slopes[1:] * slopes[:-1] < 0).sum(axis=0)
    level = np.maximum(np.abs(closure_mean).mean(axis=0), 1e-12)
    oscillating = (turns >= 2) & (swing > OSCILLATION_SHARE * level)
    ssa_swing = 0.5 * (ssa_mean.max(axis=0) - ssa_mean.min(axis=0)) - 3.0 * ssa_sem.max(axis=0)
    return oscillating & (ssa_swing < 0.5 * swing)


def closure_flags(
    species: Sequence[str],
    times: np.ndarray,
    closure_mean: np.ndarray,
    closure_cov: np.ndarray,
    ssa_mean: np.ndarray,
    ssa_sem: np.ndarray,
) -> list[str]:
    """Messages for every failure of the moment closure seen on a common window of samples.

    Negative variances or means (:func:`unphysical_moments`) and oscillations
    of the closure mean that the paths' mean lacks (:func:`spurious_oscillation`);
    an empty list when the closure looks sound.
    """
    flags = []
    negative = unphysical_moments(times, closure_mean, closure_cov, species)
    if negative:
        flags.append(negative)
    return flags + oscillation_flags(species, closure_mean, ssa_mean, ssa_sem)


def oscillation_flags(species: Sequence[str], closure_mean: np.ndarray, ssa_mean: np.ndarray, ssa_sem: np.ndarray) -> list[str]:
    """A message for every species whose closure mean oscillates and the paths' mean does not
    (:func:`spurious_oscillation`)."""
    false = spurious_oscillation(closure_mean, ssa_mean, ssa_sem)
    return [f"moment closure failed: the mean of {name} oscillates, the mean of the stochastic paths does not" for name in np.asarray(species)[false]]
