"""Separable Hamiltonian systems, integrated by default with symplectic Stormer-Verlet.

The state is ordered as all positions first, then all momenta,
``y = (q_1, ..., q_n, p_1, ..., p_n)``, with ``dq/dt`` depending on the
momenta only and ``dp/dt`` on the positions only: the kick-drift-kick kernel
in :mod:`engine.solvers.verlet` reads both halves from ``rhs``. Each system
carries its Hamiltonian as a vectorised ``energy(y, p)`` over arrays of shape
``(..., d)``.
"""
from __future__ import annotations

import math

import numpy as np
from numba import njit

from ..jit import CACHED_JIT
from ..system import Parameter, System
from .registry import register


# --------------------------------------------------------------------------- Henon-Heiles


@njit(**CACHED_JIT)
def _henon_heiles(t, y, p):
    x, v, px, pv = y
    lam = p[0]
    return (px, pv, -x - 2.0 * lam * x * v, -v - lam * (x * x - v * v))


@njit(**CACHED_JIT)
def _henon_heiles_jacobian(t, y, p):
    x, v = y[0], y[1]
    lam = p[0]
    return (
        (0.0, 0.0, 1.0, 0.0),
        (0.0, 0.0, 0.0, 1.0),
        (-1.0 - 2.0 * lam * v, -2.0 * lam * x, 0.0, 0.0),
        (-2.0 * lam * x, -1.0 + 2.0 * lam * v, 0.0, 0.0),
    )


def _henon_heiles_energy(y: np.ndarray, p: np.ndarray) -> np.ndarray:
    """Hamiltonian ``(px^2 + py^2)/2 + (x^2 + y^2)/2 + lambda (x^2 y - y^3/3)``."""
    x, v, px, pv = y[..., 0], y[..., 1], y[..., 2], y[..., 3]
    lam = p[0]
    return 0.5 * (px**2 + pv**2) + 0.5 * (x**2 + v**2) + lam * (x**2 * v - v**3 / 3.0)


# Start on the energy shell E = 1/8 (the classic mixed regular/chaotic level)
# at x = 0, y = 0.1, p_y = 0, solving for p_x > 0.
_HH_Y0 = 0.1
_HH_PX0 = math.sqrt(2.0 * (0.125 - 0.5 * _HH_Y0**2 + _HH_Y0**3 / 3.0))

register(
    System(
        name="Henon-Heiles",
        family="flow",
        title="Hénon-Heiles galactic potential, regular islands in a chaotic sea",
        equations=(
            r"\dot x = p_x",
            r"\dot y = p_y",
            r"\dot p_x = -x - 2 \lambda x y",
            r"\dot p_y = -y - \lambda (x^2 - y^2)",
        ),
        variables=("x", "y", "px", "py"),
        parameters=(Parameter("lam", 1.0, (0.0, 2.0), 0.001, "strength of the cubic coupling", symbol=r"\lambda"),),
        state0=(0.0, _HH_Y0, _HH_PX0, 0.0),
        rhs=_henon_heiles,
        jacobian=_henon_heiles_jacobian,
        energy=_henon_heiles_energy,
        separable=True,
        dt=0.01,
        solver="verlet",
        tags=("hamiltonian", "conservative", "chaotic", "symplectic", "astronomy", "4d"),
        references=(
            "M. Hénon, C. Heiles, The applicability of the third integral of motion: some numerical experiments, Astron. J. 69 (1964) 73-79",
        ),
        reference_values={
            "escape_energy": (1.0 / 6.0, "Hénon and Heiles 1964 (lambda = 1): orbits can leave the triangle above E = 1/6"),
            "default_energy": (0.125, "E = 1/8, mixed regular and chaotic motion"),
        },
        plot=("y", "py"),
    )
)


# --------------------------------------------------------------------------- pendulum


@njit(**CACHED_JIT)
def _pendulum(t, y, p):
    theta, momentum = y
    m, length, g = p[0], p[1], p[2]
    return (momentum / (m * length * length), -m * g * length * math.sin(theta))


@njit(**CACHED_JIT)
def _pendulum_jacobian(t, y, p):
    m, length, g = p[0], p[1], p[2]
    return ((0.0, 1.0 / (m * length * length)), (-m * g * length * math.cos(y[0]), 0.0))


def _pendulum_energy(y: np.ndarray, p: np.ndarray) -> np.ndarray:
    """Hamiltonian ``p^2 / (2 m L^2) - m g L cos(theta)``."""
    theta, momentum = y[..., 0], y[..., 1]
    m, length, g = p[0], p[1], p[2]
    return momentum**2 / (2.0 * m * length**2) - m * g * length * np.cos(theta)


register(
    System(
        name="Pendulum",
        family="flow",
        title="Simple pendulum (frictionless), librations and rotations",
        equations=(r"\dot\theta = \frac{p_\theta}{m L^2}", r"\dot p_\theta = -m g L \sin\theta"),
        variables=("theta", "p_theta"),
        parameters=(
            Parameter("m", 1.0, (0.1, 10.0), 0.01, "bob mass", "kg"),
            Parameter("L", 1.0, (0.1, 10.0), 0.01, "rod length", "m"),
            Parameter("g", 9.81, (0.0, 30.0), 0.01, "gravitational acceleration", "m/s^2"),
        ),
        state0=(1.0, 0.0),
        rhs=_pendulum,
        jacobian=_pendulum_jacobian,
        energy=_pendulum_energy,
        separable=True,
        dt=0.01,
        solver="verlet",
        tags=("hamiltonian", "conservative", "oscillator", "pendulum", "mechanics", "symplectic", "teaching", "2d"),
        references=(
            "E. Hairer, C. Lubich, G. Wanner, Geometric Numerical Integration, 2nd ed., Springer (2006), sec. I.1",
            "H. Goldstein, C. Poole, J. Safko, Classical Mechanics, 3rd ed., Addison-Wesley (2002)",
        ),
        reference_values={
            "small_amplitude_period": ("2 pi sqrt(L / g)", "standard"),
            "period": ("4 sqrt(L / g) K(k), k = sin(theta0 / 2), K the complete elliptic integral of the first kind", "standard"),
            "separatrix_energy": ("m g L", "standard: rotations above, librations below"),
        },
    )
)


# --------------------------------------------------------------------------- Kepler


@njit(**CACHED_JIT)
def _kepler(t, y, p):
    x, v, px, pv = y
    mu = p[0]
    r2 = x * x + v * v
    inv_r3 = 1.0 / (r2 * math.sqrt(r2))
    return (px, pv, -mu * x * inv_r3, -mu * v * inv_r3)


@njit(**CACHED_JIT)
def _kepler_jacobian(t, y, p):
    x, v = y[0], y[1]
    mu = p[0]
    r2 = x * x + v * v
    inv_r5 = 1.0 / (r2 * r2 * math.sqrt(r2))
    cross = 3.0 * mu * x * v * inv_r5
    return (
        (0.0, 0.0, 1.0, 0.0),
        (0.0, 0.0, 0.0, 1.0),
        (-mu * (r2 - 3.0 * x * x) * inv_r5, cross, 0.0, 0.0),
        (cross, -mu * (r2 - 3.0 * v * v) * inv_r5, 0.0, 0.0),
    )


def _kepler_energy(y: np.ndarray, p: np.ndarray) -> np.ndarray:
    """Hamiltonian ``(px^2 + py^2)/2 - mu / r`` per unit mass."""
    x, v, px, pv = y[..., 0], y[..., 1], y[..., 2], y[..., 3]
    return 0.5 * (px**2 + pv**2) - p[0] / np.sqrt(x**2 + v**2)


# Hairer-Lubich-Wanner's test orbit: eccentricity e = 0.6 started at
# perihelion, q = (1 - e, 0), p = (0, sqrt((1 + e) / (1 - e))); a = 1, period 2 pi.
_KEPLER_E = 0.6

register(
    System(
        name="Kepler",
        family="flow",
        title="Kepler problem, a planet around a fixed sun in the plane",
        equations=(
            r"\dot x = p_x",
            r"\dot y = p_y",
            r"\dot p_x = -\mu x / (x^2 + y^2)^{3/2}",
            r"\dot p_y = -\mu y / (x^2 + y^2)^{3/2}",
        ),
        variables=("x", "y", "px", "py"),
        parameters=(Parameter("mu", 1.0, (0.01, 10.0), 0.01, "gravitational parameter G M", symbol=r"\mu"),),
        state0=(1.0 - _KEPLER_E, 0.0, 0.0, math.sqrt((1.0 + _KEPLER_E) / (1.0 - _KEPLER_E))),
        rhs=_kepler,
        jacobian=_kepler_jacobian,
        energy=_kepler_energy,
        separable=True,
        dt=0.005,
        solver="verlet",
        tags=("hamiltonian", "conservative", "celestial mechanics", "astronomy", "symplectic", "teaching", "4d"),
        references=(
            "E. Hairer, C. Lubich, G. Wanner, Geometric Numerical Integration, 2nd ed., Springer (2006), sec. I.2.3",
            "H. Goldstein, C. Poole, J. Safko, Classical Mechanics, 3rd ed., Addison-Wesley (2002), ch. 3",
        ),
        reference_values={
            "default_orbit": ("eccentricity 0.6, semi-major axis 1, energy -1/2, period 2 pi (mu = 1)", "Hairer, Lubich, Wanner I.2.3"),
            "period": ("2 pi sqrt(a**3 / mu), a = -mu / (2 E)", "Kepler's third law"),
            "angular_momentum": ("x py - y px (conserved; exactly by Stormer-Verlet)", "standard"),
        },
        plot=("x", "y"),
    )
)
