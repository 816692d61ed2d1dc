"""Order parameters of collectives: synchrony of phases, alignment and rotation of movers, roughness.

Every function reduces over the agents of one snapshot and broadcasts over
leading axes, so a whole history (time first) goes in at once. They are
instantaneous: a live monitor calls them on each frame's state.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from ._checks import finite_array

__all__ = ["interface_width", "kuramoto_order", "milling", "polarization"]


def _scalar(value: np.ndarray) -> float | np.ndarray:
    return float(value) if np.ndim(value) == 0 else value


def _unit(vectors: np.ndarray) -> np.ndarray:
    """Rows scaled to length one; zero rows stay zero."""
    norms = np.linalg.norm(vectors, axis=-1, keepdims=True)
    return np.divide(vectors, norms, out=np.zeros_like(vectors), where=norms > 0)


def _movers(values: Any, name: str) -> np.ndarray:
    array = finite_array(values, name, ndim=(2, 3), min_size=2)
    if array.shape[-1] not in (2, 3):
        raise ValueError(f"{name} must hold 2-D or 3-D vectors (last axis 2 or 3), got shape {array.shape}")
    return array


def kuramoto_order(theta: Any) -> tuple[float | np.ndarray, float | np.ndarray]:
    r"""Kuramoto order parameter of a set of phases.

    .. math:: r\,e^{i\psi} = \frac{1}{N} \sum_{j=1}^{N} e^{i\theta_j}

    :math:`r = 1` when every phase is equal, :math:`r \approx N^{-1/2}` for
    independent uniform phases; :math:`\psi` is the mean phase.

    Parameters
    ----------
    theta : array_like, shape (..., N)
        Phases in radians along the last axis.

    Returns
    -------
    r : float or ndarray
        Coherence in [0, 1].
    psi : float or ndarray
        Mean phase in (-pi, pi].

    References
    ----------
    Y. Kuramoto, Self-entrainment of a population of coupled non-linear oscillators,
    Lecture Notes in Physics 39 (1975) 420-422; S. H. Strogatz, From Kuramoto to Crawford,
    Physica D 143 (2000) 1-20.
    """
    phases = finite_array(theta, "theta", ndim=(1, 2, 3))
    mean = np.exp(1j * phases).mean(axis=-1)
    return _scalar(np.abs(mean)), _scalar(np.angle(mean))


def polarization(velocities: Any) -> float | np.ndarray:
    r"""Polarization (alignment) of a group of movers.

    .. math:: P = \left| \frac{1}{N} \sum_{i=1}^{N} \frac{\mathbf v_i}{|\mathbf v_i|} \right|

    1 when all move the same way, about :math:`N^{-1/2}` for random headings.
    A mover at rest contributes a zero vector.

    Parameters
    ----------
    velocities : array_like, shape (..., N, d)
        Velocities with ``d`` = 2 or 3.

    Returns
    -------
    float or ndarray

    References
    ----------
    T. Vicsek et al., Novel type of phase transition in a system of self-driven particles,
    Phys. Rev. Lett. 75 (1995) 1226; I. D. Couzin et al., Collective memory and spatial
    sorting in animal groups, J. Theor. Biol. 218 (2002) 1-11.
    """
    v = _movers(velocities, "velocities")
    return _scalar(np.linalg.norm(_unit(v).mean(axis=-2), axis=-1))


def milling(positions: Any, velocities: Any) -> float | np.ndarray:
    r"""Normalised angular momentum (milling) of a group of movers about its centroid.

    .. math:: M = \left| \frac{1}{N} \sum_{i=1}^{N} \hat{\mathbf r}_{ic} \times \hat{\mathbf v}_i \right|,
        \qquad \mathbf r_{ic} = \mathbf r_i - \frac{1}{N}\sum_j \mathbf r_j

    with hats unit vectors; in the plane the cross product is the scalar
    :math:`x v_y - y v_x`. 1 for a perfect mill (torus), near 0 for a
    parallel group or a swarm.

    Parameters
    ----------
    positions, velocities : array_like, shape (..., N, d)
        Same shape, ``d`` = 2 or 3.

    Returns
    -------
    float or ndarray

    References
    ----------
    I. D. Couzin, J. Krause, R. James, G. D. Ruxton, N. R. Franks, Collective memory and
    spatial sorting in animal groups, J. Theor. Biol. 218 (2002) 1-11.
    """
    r = _movers(positions, "positions")
    v = _movers(velocities, "velocities")
    if r.shape != v.shape:
        raise ValueError(f"positions {r.shape} and velocities {v.shape} must have the same shape")
    arms = _unit(r - r.mean(axis=-2, keepdims=True))
    headings = _unit(v)
    if r.shape[-1] == 2:
        turning = arms[..., 0] * headings[..., 1] - arms[..., 1] * headings[..., 0]
        return _scalar(np.abs(turning.mean(axis=-1)))
    return _scalar(np.linalg.norm(np.cross(arms, headings).mean(axis=-2), axis=-1))


def interface_width(phases: Any) -> float | np.ndarray:
    r"""Width (roughness) of an interface given by heights, such as the phases of a ring.

    .. math:: W = \sqrt{\frac{1}{L} \sum_{j=1}^{L} (h_j - \bar h)^2}

    Give the phases unwrapped in time (as heights of a growing interface), not
    reduced modulo :math:`2\pi`. In the growth regime :math:`W \sim t^\beta`
    (Edwards-Wilkinson :math:`\beta = 1/4`, KPZ :math:`\beta = 1/3`).

    Parameters
    ----------
    phases : array_like, shape (..., L)
        Heights along the last axis.

    Returns
    -------
    float or ndarray

    References
    ----------
    A.-L. Barabasi and H. E. Stanley, Fractal Concepts in Surface Growth (Cambridge, 1995), ch. 2.
    """
    heights = finite_array(phases, "phases", ndim=(1, 2, 3))
    return _scalar(heights.std(axis=-1))
