"""Entropy diagnostics of a fish school and the Oceanic Schooling Index (dewi-kadita).

Seven normalised Shannon entropies of one snapshot (positions and
velocities of N agents), each ``H = -sum_k p_k ln p_k / ln K`` over the K
bins of a histogram, so 0 means one occupied bin and 1 a uniform spread:

``cohesion``
    nearest-neighbour distances, 25 bins on [0, L/2];
``polarization``
    headings on the sphere, 12 polar x 24 azimuthal bins, counts weighted
    by sin(polar angle) of the bin centre;
``depth``
    z positions, 15 bins on [0, L];
``angular``
    ``|r_hat_ic x v_hat_i|`` per agent (r_ic from the centroid), 20 bins on [0, 1];
``knn``
    coefficient of variation of the 5 nearest-neighbour distances, 20 bins on [0, 2];
``vel_corr``
    pairwise heading correlations ``(v_hat_i . v_hat_j + 1) / 2`` over all
    pairs i < j, 20 bins on [0, 1];
``shape``
    eigenvalues of the position covariance, normalised to sum 1, over ln 3.

The Oceanic Schooling Index is ``OSI = sum_k w_k H_k / sum_k w_k`` with the
published weights :data:`OSI_WEIGHTS` (which sum to 1, so the division
changes nothing for them and keeps any adjusted weights on [0, 1]).

Everything follows dewi-kadita's ``core/metrics.py``: in its periodic cube
of side L the values agree with the package's to rounding. In open space
there is no cube, so the positions are first centred on the school's
centroid in a reference cube of side L (``box_size``) and distances are
plain Euclidean.

References
----------
Herho, S. H. S. et al. dewi-kadita: 3D idealized Couzin fish schooling
simulator with oceanic entropy metrics (``core/metrics.py``).
https://github.com/sandyherho/dewi-kadita

Couzin, I. D. et al. (2002). Collective memory and spatial sorting in
animal groups. J. theor. Biol. 218, 1-11 (polarization and milling).
"""
from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np
from numba import njit

from ..jit import CACHED_JIT
from ..manybody.couzin import nearest_distances
from . import milling, polarization, shannon
from ._checks import finite_array

__all__ = [
    "ENTROPY_NAMES",
    "OSI_WEIGHTS",
    "oceanic_schooling_index",
    "order_parameters",
    "schooling_entropies",
]

OSI_WEIGHTS: dict[str, float] = {
    "cohesion": 0.18,
    "polarization": 0.28,
    "depth": 0.08,
    "angular": 0.08,
    "knn": 0.10,
    "vel_corr": 0.18,
    "shape": 0.10,
}
"""The published OSI weights by entropy name (dewi-kadita ``compute_oceanic_schooling_index``)."""

ENTROPY_NAMES: dict[str, str] = {
    "cohesion": "school cohesion",
    "polarization": "polarization",
    "depth": "depth stratification",
    "angular": "angular momentum",
    "knn": "nearest neighbour",
    "vel_corr": "velocity correlation",
    "shape": "school shape",
}
"""Entropy key -> its name in the dewi-kadita paper."""

_UNDEFINED = 0.5
"""dewi-kadita's value of an entropy whose histogram is empty (or whose school is too small)."""


def _snapshot(positions: Any, velocities: Any) -> tuple[np.ndarray, np.ndarray]:
    pos = finite_array(positions, "positions", ndim=2, min_size=3)
    vel = finite_array(velocities, "velocities", ndim=2, min_size=3)
    if pos.shape[1] != 3 or vel.shape != pos.shape:
        raise ValueError(f"positions and velocities must both have shape (N, 3), got {pos.shape} and {vel.shape}")
    if pos.shape[0] < 2:
        raise ValueError("a school needs at least 2 agents")
    return pos, vel


def _unit_rows(vectors: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    norms[norms < 1e-10] = 1.0
    return vectors / norms


def _normalised(counts: np.ndarray) -> float:
    """Shannon entropy of histogram ``counts`` over the log of its number of bins."""
    counts = np.asarray(counts, dtype=np.float64).ravel()
    if counts.sum() <= 0:
        return _UNDEFINED
    return float(shannon(counts)) / math.log(counts.size)


@njit(**CACHED_JIT)
def _add_counts(values, edges, counts):
    """Add np.histogram(values, edges)[0] (uniform edges) to ``counts``.

    As numpy does: values outside the edges are dropped; a first guess of
    the bin from the scale, then one step of correction against the edges
    settles it exactly; the last bin is closed on the right.
    """
    bins = edges.size - 1
    first, last = edges[0], edges[bins]
    scale = bins / (last - first)
    for x in values:
        if x < first or x > last:
            continue
        k = min(int((x - first) * scale), bins - 1)
        if x < edges[k]:
            k -= 1
        elif k != bins - 1 and x >= edges[k + 1]:
            k += 1
        counts[k] += 1


@njit(**CACHED_JIT)
def _counts(values, edges):
    """np.histogram(values, edges)[0] for uniform edges."""
    counts = np.zeros(edges.size - 1, np.int64)
    _add_counts(values, edges, counts)
    return counts


@njit(**CACHED_JIT)
def _pair_correlation_counts(unit, edges):
    """np.histogram of ``(u_i . u_j + 1) / 2`` over pairs i < j on ``edges``, one row at a time (no N x N matrix)."""
    n = unit.shape[0]
    counts = np.zeros(edges.size - 1, np.int64)
    row = np.empty(n)
    for i in range(n - 1):
        ax, ay, az = unit[i, 0], unit[i, 1], unit[i, 2]
        for j in range(i + 1, n):
            row[j] = (ax * unit[j, 0] + ay * unit[j, 1] + az * unit[j, 2] + 1.0) / 2.0
        _add_counts(row[i + 1 :], edges, counts)
    return counts


@njit(**CACHED_JIT)
def _sphere_counts(unit, theta_edges, phi_edges):
    """np.histogram2d of the headings' polar and azimuthal angles (bins closed on the left, the last on both sides)."""
    counts = np.zeros((theta_edges.size - 1, phi_edges.size - 1))
    for i in range(unit.shape[0]):
        theta = math.acos(min(1.0, max(-1.0, unit[i, 2])))
        phi = math.atan2(unit[i, 1], unit[i, 0]) + math.pi
        a = np.searchsorted(theta_edges, theta, side="right") - 1
        b = np.searchsorted(phi_edges, phi, side="right") - 1
        a = theta_edges.size - 2 if theta == theta_edges[-1] else a
        b = phi_edges.size - 2 if phi == phi_edges[-1] else b
        if 0 <= a < theta_edges.size - 1 and 0 <= b < phi_edges.size - 1:
            counts[a, b] += 1.0
    return counts


@njit(**CACHED_JIT)
def _turning(pos, centre, unit):
    """``|r_hat_ic x v_hat_i|`` per agent (a zero arm counts as itself, as in dewi-kadita)."""
    out = np.empty(pos.shape[0])
    for i in range(pos.shape[0]):
        rx, ry, rz = pos[i, 0] - centre[0], pos[i, 1] - centre[1], pos[i, 2] - centre[2]
        norm = math.sqrt(rx * rx + ry * ry + rz * rz)
        if norm < 1e-10:
            norm = 1.0
        rx, ry, rz = rx / norm, ry / norm, rz / norm
        cx = ry * unit[i, 2] - rz * unit[i, 1]
        cy = rz * unit[i, 0] - rx * unit[i, 2]
        cz = rx * unit[i, 1] - ry * unit[i, 0]
        out[i] = math.sqrt(cx * cx + cy * cy + cz * cz)
    return out


_EDGES = {  # as np.histogram makes them; the cohesion and depth edges scale with the box
    "theta": np.linspace(0, np.pi, 13),
    "phi": np.linspace(0, 2 * np.pi, 25),
    "unit": np.linspace(0.0, 1.0, 21),
    "cv": np.linspace(0.0, 2.0, 21),
}
_THETA_WEIGHTS = np.sin((_EDGES["theta"][:-1] + _EDGES["theta"][1:]) / 2)[:, np.newaxis]


def _polarization_entropy(unit: np.ndarray) -> float:
    return _normalised(_sphere_counts(unit, _EDGES["theta"], _EDGES["phi"]) * _THETA_WEIGHTS)


def _angular(pos: np.ndarray, unit: np.ndarray) -> float:
    if pos.shape[0] < 3:
        return _UNDEFINED
    return _normalised(_counts(_turning(pos, pos.mean(axis=0), unit), _EDGES["unit"]))


def _knn(knn: np.ndarray) -> float:
    cv = knn.std(axis=1) / (knn.mean(axis=1) + 1e-10)
    return _normalised(_counts(cv, _EDGES["cv"]))


def _shape(pos: np.ndarray) -> float:
    if pos.shape[0] < 4:
        return _UNDEFINED
    eigenvalues = np.maximum(np.sort(np.linalg.eigvalsh(np.cov((pos - pos.mean(axis=0)).T)))[::-1], 1e-10)
    return _normalised(eigenvalues / eigenvalues.sum())


def schooling_entropies(
    positions: Any, velocities: Any, box_size: float, *, periodic: bool = True
) -> dict[str, float]:
    """The seven normalised schooling entropies of one snapshot, each on [0, 1].

    Parameters
    ----------
    positions, velocities : array_like, shape (N, 3)
        One snapshot of the school (N >= 2).
    box_size : float
        Side L of the periodic cube, or of the reference cube in open space.
    periodic : bool
        Positions in a periodic cube ``[0, L)^3`` (dewi-kadita's setting) or in open space.

    Returns
    -------
    dict
        ``cohesion``, ``polarization``, ``depth``, ``angular``, ``knn``,
        ``vel_corr``, ``shape`` (see the module docstring for each formula).

    References
    ----------
    dewi-kadita ``core/metrics.py`` (``compute_*_entropy``).
    """
    pos, vel = _snapshot(positions, velocities)
    box = float(box_size)
    if not (math.isfinite(box) and box > 0):
        raise ValueError(f"box_size must be a positive number, got {box_size!r}")
    if periodic:
        pos = pos - box * np.floor(pos / box)
    else:
        pos = pos - pos.mean(axis=0) + box / 2
    unit = _unit_rows(vel)
    n = pos.shape[0]
    distances = nearest_distances(pos, min(5, n - 1), box if periodic else None)
    return {
        "cohesion": _normalised(_counts(distances[:, 0], np.linspace(0, box / 2, 26))),
        "polarization": _polarization_entropy(unit),
        "depth": _normalised(_counts(pos[:, 2], np.linspace(0, box, 16))),
        "angular": _angular(pos, unit),
        "knn": _knn(distances) if n >= 6 else _UNDEFINED,
        "vel_corr": _normalised(_pair_correlation_counts(unit, _EDGES["unit"])),
        "shape": _shape(pos),
    }


def oceanic_schooling_index(entropies: Mapping[str, float], weights: Mapping[str, float] | None = None) -> float:
    """The Oceanic Schooling Index, ``sum_k w_k H_k / sum_k w_k``: near 0 an ordered school, near 1 disorder.

    Parameters
    ----------
    entropies : mapping
        The seven entropies of :func:`schooling_entropies`.
    weights : mapping, optional
        Weight of each entropy (non-negative, not all zero); default the
        published :data:`OSI_WEIGHTS`. A missing key weighs 0.

    Raises
    ------
    ValueError
        For an unknown key, a negative or non-finite weight, or weights that sum to zero.

    References
    ----------
    dewi-kadita ``compute_oceanic_schooling_index``.
    """
    weights = OSI_WEIGHTS if weights is None else dict(weights)
    unknown = set(weights) - set(OSI_WEIGHTS)
    if unknown:
        raise ValueError(f"unknown OSI weight(s) {sorted(unknown)}; the entropies are {list(OSI_WEIGHTS)}")
    values = {}
    for key, w in weights.items():
        try:
            w = float(w)
        except (TypeError, ValueError):
            raise ValueError(f"OSI weight {key} must be a number, got {w!r}") from None
        if not (math.isfinite(w) and w >= 0):
            raise ValueError(f"OSI weight {key} must be a finite non-negative number, got {w!r}")
        values[key] = w
    total = sum(values.values())
    if total <= 0:
        raise ValueError("OSI weights must not all be zero")
    return sum(w * float(entropies[key]) for key, w in values.items()) / total


def order_parameters(positions: Any, velocities: Any, box_size: float | None = None) -> tuple[float, float]:
    """Polarization and milling of a school, in open space or in a periodic cube.

    ``P = |sum_i v_hat_i| / N`` and ``M = |sum_i r_hat_ic x v_hat_i| / N``
    (:func:`engine.diagnostics.polarization` and :func:`engine.diagnostics.milling`).
    In a periodic cube the centroid is the circular mean of each coordinate,
    ``c = L/(2 pi) atan2(<sin 2 pi x / L>, <cos 2 pi x / L>)``, and the
    positions enter as their minimum images around it, so a school that
    straddles a face of the cube keeps its milling.

    References
    ----------
    Couzin et al. (2002), J. theor. Biol. 218, 1-11.
    Bai, L. and Breen, D. (2008). Calculating center of mass in an unbounded
    2D environment. J. Graphics Tools 13, 53-60.
    """
    pos, vel = _snapshot(positions, velocities)
    if box_size is not None:
        box = float(box_size)
        angle = 2 * np.pi * pos / box
        centre = box / (2 * np.pi) * np.arctan2(np.sin(angle).mean(axis=0), np.cos(angle).mean(axis=0))
        offset = pos - centre
        pos = offset - box * np.floor(offset / box + 0.5)
    return float(polarization(vel)), float(milling(pos, vel))
