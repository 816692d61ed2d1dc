"""Stochastic differential equations (Ito, diagonal noise).

The drift of a noisy version of a deterministic flow is that flow's compiled
right-hand side (its parameters come first in the array, the noise amplitude
last), so the two never drift apart.
"""
from __future__ import annotations

from numba import njit

from ..jit import CACHED_JIT
from ..system import Parameter, System
from .flows import _lorenz, _lorenz_jacobian, _van_der_pol, _van_der_pol_jacobian
from .registry import get_system, register


@njit(**CACHED_JIT)
def _ornstein_uhlenbeck(t, y, p):
    return (-p[0] * (y[0] - p[1]),)


@njit(**CACHED_JIT)
def _ornstein_uhlenbeck_jacobian(t, y, p):
    return ((-p[0],),)


@njit(**CACHED_JIT)
def _ornstein_uhlenbeck_noise(t, y, p):
    return (p[2],)


register(
    System(
        name="Ornstein-Uhlenbeck",
        family="sde",
        title="Mean-reverting Gaussian process",
        equations=(r"dx = -\theta (x - \mu)\, dt + s\, dW",),
        variables=("x",),
        parameters=(
            Parameter("theta", 1.0, (0.01, 10.0), 0.01, "reversion rate", symbol=r"\theta"),
            Parameter("mu", 0.0, (-5.0, 5.0), 0.01, "long-run mean", symbol=r"\mu"),
            Parameter("s", 0.5, (0.0, 5.0), 0.01, "noise amplitude"),
        ),
        state0=(2.0,),
        rhs=_ornstein_uhlenbeck,
        jacobian=_ornstein_uhlenbeck_jacobian,
        noise=_ornstein_uhlenbeck_noise,
        dt=0.01,
        solver="euler_maruyama",
        tags=("stochastic", "noise", "gaussian"),
        references=("G. E. Uhlenbeck, L. S. Ornstein, On the theory of the Brownian motion, Phys. Rev. 36 (1930) 823",),
        reference_values={"stationary_variance": ("s**2 / (2 theta)", "closed form")},
    )
)


# --------------------------------------------------------------------------- double well


@njit(**CACHED_JIT)
def _double_well(t, y, p):
    x = y[0]
    return (p[0] * x - x**3 + p[1],)


@njit(**CACHED_JIT)
def _double_well_jacobian(t, y, p):
    return ((p[0] - 3.0 * y[0] ** 2,),)


@njit(**CACHED_JIT)
def _double_well_noise(t, y, p):
    return (p[2],)


register(
    System(
        name="Double well",
        family="sde",
        title="Overdamped Brownian particle in a double-well potential (noise-driven hopping)",
        equations=(r"dx = (a x - x^3 + F)\, dt + s\, dW",),
        variables=("x",),
        parameters=(
            Parameter("a", 1.0, (-1.0, 3.0), 0.01, "curvature at the barrier (wells at +-sqrt(a) when F = 0)"),
            Parameter("F", 0.0, (-1.0, 1.0), 0.001, "constant tilt force"),
            Parameter("s", 0.5, (0.0, 2.0), 0.01, "noise amplitude (temperature D = s^2 / 2)"),
        ),
        state0=(1.0,),
        rhs=_double_well,
        jacobian=_double_well_jacobian,
        noise=_double_well_noise,
        dt=0.01,
        solver="euler_maruyama",
        tags=("stochastic", "noise", "bistable", "kramers", "langevin", "1d"),
        references=(
            "H. A. Kramers, Brownian motion in a field of force and the diffusion model of chemical reactions, Physica 7 (1940) 284-304",
            "P. Hänggi, P. Talkner, M. Borkovec, Reaction-rate theory: fifty years after Kramers, Rev. Mod. Phys. 62 (1990) 251-341",
        ),
        reference_values={
            "stationary_density": ("proportional to exp(-2 U(x) / s**2), U = x**4/4 - a x**2/2 - F x", "Fokker-Planck"),
            "kramers_rate": ("sqrt(2) a / (2 pi) exp(-a**2 / (2 s**2)) per well for F = 0, small s", "Kramers 1940"),
        },
    )
)


# --------------------------------------------------------------------------- stochastic van der Pol


@njit(**CACHED_JIT)
def _stochastic_van_der_pol_noise(t, y, p):
    return (0.0, p[1])


register(
    System(
        name="Stochastic van der Pol",
        family="sde",
        title="Van der Pol oscillator with a random force (phase diffusion of a limit cycle)",
        equations=(r"dx = v\, dt", r"dv = \left[\mu (1 - x^2) v - x\right] dt + s\, dW"),
        variables=("x", "v"),
        parameters=(
            *get_system("Van der Pol").parameters,
            Parameter("s", 0.3, (0.0, 3.0), 0.01, "amplitude of the random force"),
        ),
        state0=(2.0, 0.0),
        rhs=_van_der_pol,
        jacobian=_van_der_pol_jacobian,
        noise=_stochastic_van_der_pol_noise,
        dt=0.01,
        solver="euler_maruyama",
        tags=("stochastic", "noise", "oscillator", "limit cycle", "2d"),
        references=(
            "B. van der Pol, On relaxation-oscillations, Phil. Mag. 2 (1926) 978-992",
            "L. Arnold, N. Sri Namachchivaya, K. R. Schenk-Hoppé, Toward an understanding of stochastic Hopf bifurcation: a case study, Int. J. Bifurcation Chaos 6 (1996) 1947-1975",
        ),
    )
)


# --------------------------------------------------------------------------- stochastic Lorenz


@njit(**CACHED_JIT)
def _stochastic_lorenz_noise(t, y, p):
    s = p[3]
    return (s, s, s)


register(
    System(
        name="Stochastic Lorenz",
        family="sde",
        title="Lorenz system with additive white noise on every variable",
        equations=(
            r"dx = \sigma (y - x)\, dt + s\, dW_x",
            r"dy = \left[x (\rho - z) - y\right] dt + s\, dW_y",
            r"dz = (x y - \beta z)\, dt + s\, dW_z",
        ),
        variables=("x", "y", "z"),
        parameters=(
            *get_system("Lorenz").parameters,
            Parameter("s", 1.0, (0.0, 20.0), 0.01, "noise amplitude (same on each variable)"),
        ),
        state0=(1.0, 1.0, 1.0),
        rhs=_lorenz,
        jacobian=_lorenz_jacobian,
        noise=_stochastic_lorenz_noise,
        dt=0.005,
        solver="euler_maruyama",
        tags=("stochastic", "noise", "chaotic", "random attractor", "climate", "3d"),
        references=(
            "E. N. Lorenz, Deterministic nonperiodic flow, J. Atmos. Sci. 20 (1963) 130-141",
            "M. D. Chekroun, E. Simonnet, M. Ghil, Stochastic climate dynamics: random attractors and time-dependent invariant measures, Physica D 240 (2011) 1685-1700",
        ),
        plot=("x", "z"),
    )
)


# --------------------------------------------------------------------------- geometric Brownian motion


@njit(**CACHED_JIT)
def _geometric_brownian(t, y, p):
    return (p[0] * y[0],)


@njit(**CACHED_JIT)
def _geometric_brownian_jacobian(t, y, p):
    return ((p[0],),)


@njit(**CACHED_JIT)
def _geometric_brownian_noise(t, y, p):
    return (p[1] * y[0],)


register(
    System(
        name="Geometric Brownian motion",
        family="sde",
        title="Geometric Brownian motion, the Black-Scholes price model",
        equations=(r"dS = \mu S\, dt + \sigma S\, dW",),
        variables=("S",),
        parameters=(
            Parameter("mu", 0.05, (-1.0, 1.0), 0.001, "drift (expected growth rate)", "1/year", symbol=r"\mu"),
            Parameter("sigma", 0.2, (0.0, 2.0), 0.001, "volatility", "1/sqrt(year)", symbol=r"\sigma"),
        ),
        state0=(1.0,),
        rhs=_geometric_brownian,
        jacobian=_geometric_brownian_jacobian,
        noise=_geometric_brownian_noise,
        dt=0.01,
        solver="euler_maruyama",
        tags=("stochastic", "noise", "finance", "markets", "multiplicative", "1d"),
        references=(
            "F. Black, M. Scholes, The pricing of options and corporate liabilities, J. Polit. Econ. 81 (1973) 637-654",
            "P. E. Kloeden, E. Platen, Numerical Solution of Stochastic Differential Equations, Springer (1992), sec. 4.4",
        ),
        reference_values={
            "mean": ("E[S_t] = S_0 exp(mu t)", "closed form"),
            "solution": ("S_t = S_0 exp((mu - sigma**2 / 2) t + sigma W_t)", "Ito calculus"),
        },
    )
)
