"""Discrete maps."""
from __future__ import annotations

import math

from numba import njit

from ..jit import CACHED_JIT
from ..system import Parameter, System
from .registry import register


@njit(**CACHED_JIT)
def _logistic(y, p):
    return (p[0] * y[0] * (1.0 - y[0]),)


@njit(**CACHED_JIT)
def _logistic_jacobian(y, p):
    return ((p[0] * (1.0 - 2.0 * y[0]),),)


register(
    System(
        name="Logistic",
        family="map",
        title="Logistic map, period doubling to chaos",
        equations=(r"x_{n+1} = r x_n (1 - x_n)",),
        variables=("x",),
        parameters=(Parameter("r", 3.9, (0.0, 4.0), 0.001, "growth rate"),),
        state0=(0.2,),
        rhs=_logistic,
        jacobian=_logistic_jacobian,
        dt=1.0,
        solver="map",
        tags=("chaotic", "period doubling", "1d", "population"),
        references=("R. M. May, Simple mathematical models with very complicated dynamics, Nature 261 (1976) 459-467",),
        reference_values={
            "lyapunov_exponent_r4": (math.log(2.0), "May 1976"),
            "period_doubling": ((3.0, 1.0 + math.sqrt(6.0)), "standard"),
            "feigenbaum_accumulation": (3.5699456, "standard"),
        },
    )
)


# --------------------------------------------------------------------------- helpers

_TWO_PI = 2.0 * math.pi


@njit(**CACHED_JIT)
def _wrap(value, period):
    """``value`` modulo ``period`` in ``[0, period)``."""
    return value - period * math.floor(value / period)


# --------------------------------------------------------------------------- Henon


@njit(**CACHED_JIT)
def _henon(y, p):
    x, v = y
    a, b = p[0], p[1]
    return (1.0 - a * x * x + v, b * x)


@njit(**CACHED_JIT)
def _henon_jacobian(y, p):
    a, b = p[0], p[1]
    return ((-2.0 * a * y[0], 1.0), (b, 0.0))


register(
    System(
        name="Henon",
        family="map",
        title="Hénon map, the prototype strange attractor of a map",
        equations=(r"x_{n+1} = 1 - a x_n^2 + y_n", r"y_{n+1} = b x_n"),
        variables=("x", "y"),
        parameters=(
            Parameter("a", 1.4, (0.0, 1.5), 0.001, "nonlinearity (fold)"),
            Parameter("b", 0.3, (-1.0, 1.0), 0.001, "area contraction per step (Jacobian determinant -b)"),
        ),
        state0=(0.1, 0.1),
        rhs=_henon,
        jacobian=_henon_jacobian,
        dt=1.0,
        solver="map",
        tags=("chaotic", "attractor", "dissipative", "2d"),
        references=("M. Hénon, A two-dimensional mapping with a strange attractor, Commun. Math. Phys. 50 (1976) 69-77",),
        reference_values={
            "lyapunov_spectrum": ((0.41922, -1.62319), "Sprott, Chaos and Time-Series Analysis"),
            "kaplan_yorke_dimension": (1.2583, "Sprott, Chaos and Time-Series Analysis"),
            "lyapunov_sum": ("ln |b| = -1.20397", "closed form (constant Jacobian determinant)"),
        },
    )
)


# --------------------------------------------------------------------------- Chirikov standard map


@njit(**CACHED_JIT)
def _standard(y, p):
    theta, momentum = y
    k = p[0]
    kicked = momentum + k * math.sin(theta)
    return (_wrap(theta + kicked, _TWO_PI), _wrap(kicked, _TWO_PI))


@njit(**CACHED_JIT)
def _standard_jacobian(y, p):
    kc = p[0] * math.cos(y[0])
    return ((1.0 + kc, 1.0), (kc, 1.0))


register(
    System(
        name="Standard map",
        family="map",
        title="Chirikov standard map (kicked rotor), both variables modulo 2 pi",
        equations=(
            r"\theta_{n+1} = \theta_n + p_{n+1} \pmod{2\pi}",
            r"p_{n+1} = p_n + K \sin\theta_n \pmod{2\pi}",
        ),
        variables=("theta", "p"),
        parameters=(Parameter("K", 0.9716, (0.0, 10.0), 0.0001, "kick strength (stochasticity parameter)"),),
        state0=(0.1, 0.1),
        rhs=_standard,
        jacobian=_standard_jacobian,
        dt=1.0,
        solver="map",
        tags=("chaotic", "conservative", "area-preserving", "hamiltonian", "kicked rotor", "2d"),
        references=(
            "B. V. Chirikov, A universal instability of many-dimensional oscillator systems, Phys. Rep. 52 (1979) 263-379",
            "J. M. Greene, A method for determining a stochastic transition, J. Math. Phys. 20 (1979) 1183-1201",
        ),
        reference_values={
            "critical_K": (0.971635, "Greene 1979: last invariant (golden) KAM circle breaks"),
            "jacobian_determinant": (1.0, "area preserving"),
        },
    )
)


# --------------------------------------------------------------------------- Ikeda


@njit(**CACHED_JIT)
def _ikeda(y, p):
    x, v = y
    u = p[0]
    tau = 0.4 - 6.0 / (1.0 + x * x + v * v)
    c, s = math.cos(tau), math.sin(tau)
    return (1.0 + u * (x * c - v * s), u * (x * s + v * c))


@njit(**CACHED_JIT)
def _ikeda_jacobian(y, p):
    x, v = y
    u = p[0]
    r = 1.0 + x * x + v * v
    tau = 0.4 - 6.0 / r
    c, s = math.cos(tau), math.sin(tau)
    tx, tv = 12.0 * x / (r * r), 12.0 * v / (r * r)
    dxt = -x * s - v * c  # d/dtau of (x cos tau - y sin tau)
    dvt = x * c - v * s  # d/dtau of (x sin tau + y cos tau)
    return ((u * (c + dxt * tx), u * (-s + dxt * tv)), (u * (s + dvt * tx), u * (c + dvt * tv)))


register(
    System(
        name="Ikeda",
        family="map",
        title="Ikeda map, light in a nonlinear optical ring cavity",
        equations=(
            r"x_{n+1} = 1 + u (x_n \cos t_n - y_n \sin t_n),\quad t_n = 0.4 - \frac{6}{1 + x_n^2 + y_n^2}",
            r"y_{n+1} = u (x_n \sin t_n + y_n \cos t_n)",
        ),
        variables=("x", "y"),
        parameters=(Parameter("u", 0.9, (0.0, 1.0), 0.001, "cavity round-trip transmission (dissipation)"),),
        state0=(0.1, 0.1),
        rhs=_ikeda,
        jacobian=_ikeda_jacobian,
        dt=1.0,
        solver="map",
        tags=("chaotic", "attractor", "dissipative", "optics", "2d"),
        references=(
            "K. Ikeda, Multiple-valued stationary state and its instability of the transmitted light by a ring cavity system, Opt. Commun. 30 (1979) 257-261",
            "S. M. Hammel, C. K. R. T. Jones, J. V. Moloney, Global dynamical behavior of the optical field in a ring cavity, J. Opt. Soc. Am. B 2 (1985) 552-564",
        ),
        reference_values={
            "lyapunov_spectrum": ((0.50760, -0.71832), "Sprott, Chaos and Time-Series Analysis"),
            "lyapunov_sum": ("2 ln u = -0.210721", "closed form (Jacobian determinant u^2)"),
        },
    )
)


# --------------------------------------------------------------------------- tent


@njit(**CACHED_JIT)
def _tent(y, p):
    x = y[0]
    return (p[0] * min(x, 1.0 - x),)


@njit(**CACHED_JIT)
def _tent_jacobian(y, p):
    return ((p[0] if y[0] < 0.5 else -p[0],),)


register(
    System(
        name="Tent",
        family="map",
        title="Tent map, piecewise-linear stretching and folding",
        equations=(r"x_{n+1} = \mu \min(x_n, 1 - x_n)",),
        variables=("x",),
        # Textbook slope convention: mu = 1.9 here is dysts' Tent with mu = 0.95,
        # which writes the same map as mu (1 - 2 |x - 1/2|). mu = 2 is avoided as
        # a default: in binary floating point the orbit collapses to 0.
        parameters=(Parameter("mu", 1.9, (0.0, 2.0), 0.001, "slope of both branches"),),
        state0=(0.2,),
        rhs=_tent,
        jacobian=_tent_jacobian,
        dt=1.0,
        solver="map",
        tags=("chaotic", "piecewise linear", "1d"),
        references=(
            "S. H. Strogatz, Nonlinear Dynamics and Chaos, 2nd ed., Westview (2015), sec. 10.5",
            "E. Ott, Chaos in Dynamical Systems, 2nd ed., Cambridge University Press (2002), sec. 2.2",
        ),
        reference_values={
            "lyapunov_exponent": ("ln mu for 1 < mu <= 2 (ln 1.9 = 0.641854)", "closed form"),
            "dysts_equivalent": ("dysts Tent mu = 0.95 is this map with mu = 1.9", "dysts maps.py"),
        },
    )
)


# --------------------------------------------------------------------------- circle map


@njit(**CACHED_JIT)
def _circle(y, p):
    omega, k = p[0], p[1]
    theta = y[0]
    return (_wrap(theta + omega - k / _TWO_PI * math.sin(_TWO_PI * theta), 1.0),)


@njit(**CACHED_JIT)
def _circle_jacobian(y, p):
    return ((1.0 - p[1] * math.cos(_TWO_PI * y[0]),),)


register(
    System(
        name="Circle map",
        family="map",
        title="Sine circle map (Arnold), mode locking and Arnold tongues, modulo 1",
        equations=(r"\theta_{n+1} = \theta_n + \Omega - \frac{K}{2\pi} \sin(2\pi \theta_n) \pmod 1",),
        variables=("theta",),
        parameters=(
            Parameter("Omega", 0.606661, (0.0, 1.0), 0.0001, "bare rotation number", symbol=r"\Omega"),
            Parameter("K", 1.0, (0.0, 5.0), 0.001, "coupling strength (invertible for K <= 1)"),
        ),
        state0=(0.1,),
        rhs=_circle,
        jacobian=_circle_jacobian,
        dt=1.0,
        solver="map",
        tags=("quasiperiodic", "mode locking", "arnold tongues", "circle", "1d"),
        references=(
            "V. I. Arnold, Small denominators. I. Mappings of the circumference onto itself, Izv. Akad. Nauk SSSR Ser. Mat. 25 (1961) 21-86",
            "S. J. Shenker, Scaling behavior in a map of a circle onto itself, Physica D 5 (1982) 405-411",
        ),
        reference_values={
            "golden_mean_omega_k1": (0.606661, "Shenker 1982: winding number equals the golden mean at K = 1"),
        },
    )
)


# --------------------------------------------------------------------------- Clifford


@njit(**CACHED_JIT)
def _clifford(y, p):
    x, v = y
    a, b, c, d = p[0], p[1], p[2], p[3]
    return (math.sin(a * v) + c * math.cos(a * x), math.sin(b * x) + d * math.cos(b * v))


@njit(**CACHED_JIT)
def _clifford_jacobian(y, p):
    x, v = y
    a, b, c, d = p[0], p[1], p[2], p[3]
    return ((-a * c * math.sin(a * x), a * math.cos(a * v)), (b * math.cos(b * x), -b * d * math.sin(b * v)))


register(
    System(
        name="Clifford",
        family="map",
        title="Clifford (Pickover) attractor, a trigonometric point cloud",
        equations=(r"x_{n+1} = \sin(a y_n) + c \cos(a x_n)", r"y_{n+1} = \sin(b x_n) + d \cos(b y_n)"),
        variables=("x", "y"),
        parameters=(
            Parameter("a", -1.4, (-3.0, 3.0), 0.001, "frequency in x update"),
            Parameter("b", 1.6, (-3.0, 3.0), 0.001, "frequency in y update"),
            Parameter("c", 1.0, (-3.0, 3.0), 0.001, "weight of the cosine in x"),
            Parameter("d", 0.7, (-3.0, 3.0), 0.001, "weight of the cosine in y"),
        ),
        state0=(0.1, 0.1),
        rhs=_clifford,
        jacobian=_clifford_jacobian,
        dt=1.0,
        solver="map",
        tags=("chaotic", "attractor", "art", "datashader", "2d"),
        references=(
            "C. A. Pickover, Chaos in Wonderland: Visual Adventures in a Fractal World, St. Martin's Press, New York (1994)",
        ),
    )
)


# --------------------------------------------------------------------------- Peter de Jong


@njit(**CACHED_JIT)
def _de_jong(y, p):
    x, v = y
    a, b, c, d = p[0], p[1], p[2], p[3]
    return (math.sin(a * v) - math.cos(b * x), math.sin(c * x) - math.cos(d * v))


@njit(**CACHED_JIT)
def _de_jong_jacobian(y, p):
    x, v = y
    a, b, c, d = p[0], p[1], p[2], p[3]
    return ((b * math.sin(b * x), a * math.cos(a * v)), (c * math.cos(c * x), d * math.sin(d * v)))


register(
    System(
        name="De Jong",
        family="map",
        title="Peter de Jong attractor, a trigonometric point cloud",
        equations=(r"x_{n+1} = \sin(a y_n) - \cos(b x_n)", r"y_{n+1} = \sin(c x_n) - \cos(d y_n)"),
        variables=("x", "y"),
        parameters=(
            Parameter("a", 1.4, (-3.0, 3.0), 0.001, "frequency of y in the x update"),
            Parameter("b", -2.3, (-3.0, 3.0), 0.001, "frequency of x in the x update"),
            Parameter("c", 2.4, (-3.0, 3.0), 0.001, "frequency of x in the y update"),
            Parameter("d", -2.1, (-3.0, 3.0), 0.001, "frequency of y in the y update"),
        ),
        state0=(0.1, 0.1),
        rhs=_de_jong,
        jacobian=_de_jong_jacobian,
        dt=1.0,
        solver="map",
        tags=("chaotic", "attractor", "art", "datashader", "2d"),
        # Default parameter set from P. Bourke's gallery of de Jong attractors.
        references=(
            "A. K. Dewdney, Computer recreations: probing the strange attractions of chaos, Scientific American 257 (1) (1987) 108-111",
        ),
    )
)


# --------------------------------------------------------------------------- Lozi


@njit(**CACHED_JIT)
def _lozi(y, p):
    x, v = y
    a, b = p[0], p[1]
    return (1.0 - a * abs(x) + v, b * x)


@njit(**CACHED_JIT)
def _lozi_jacobian(y, p):
    a, b = p[0], p[1]
    return ((-a if y[0] >= 0.0 else a, 1.0), (b, 0.0))


register(
    System(
        name="Lozi",
        family="map",
        title="Lozi map, a piecewise-linear Hénon map",
        equations=(r"x_{n+1} = 1 - a |x_n| + y_n", r"y_{n+1} = b x_n"),
        variables=("x", "y"),
        parameters=(
            Parameter("a", 1.7, (0.0, 2.0), 0.001, "slope of the fold"),
            Parameter("b", 0.5, (-1.0, 1.0), 0.001, "contraction (Jacobian determinant -b)"),
        ),
        state0=(0.1, 0.1),
        rhs=_lozi,
        jacobian=_lozi_jacobian,
        dt=1.0,
        solver="map",
        tags=("chaotic", "attractor", "dissipative", "piecewise linear", "2d"),
        references=("R. Lozi, Un attracteur étrange (?) du type attracteur de Hénon, J. Phys. Colloq. 39 (C5) (1978) 9-10",),
        reference_values={
            "lyapunov_spectrum": ((0.47023, -1.16338), "Sprott, Chaos and Time-Series Analysis"),
            "lyapunov_sum": ("ln |b| = -0.693147", "closed form"),
        },
    )
)


# --------------------------------------------------------------------------- Tinkerbell


@njit(**CACHED_JIT)
def _tinkerbell(y, p):
    x, v = y
    a, b, c, d = p[0], p[1], p[2], p[3]
    return (x * x - v * v + a * x + b * v, 2.0 * x * v + c * x + d * v)


@njit(**CACHED_JIT)
def _tinkerbell_jacobian(y, p):
    x, v = y
    a, b, c, d = p[0], p[1], p[2], p[3]
    return ((2.0 * x + a, -2.0 * v + b), (2.0 * v + c, 2.0 * x + d))


register(
    System(
        name="Tinkerbell",
        family="map",
        title="Tinkerbell map",
        equations=(r"x_{n+1} = x_n^2 - y_n^2 + a x_n + b y_n", r"y_{n+1} = 2 x_n y_n + c x_n + d y_n"),
        variables=("x", "y"),
        parameters=(
            Parameter("a", 0.9, (-1.0, 1.5), 0.0001, "linear x term of the x update"),
            Parameter("b", -0.6013, (-1.0, 1.0), 0.0001, "linear y term of the x update"),
            Parameter("c", 2.0, (0.0, 3.0), 0.0001, "linear x term of the y update"),
            Parameter("d", 0.5, (0.0, 1.0), 0.0001, "linear y term of the y update"),
        ),
        state0=(-0.72, -0.64),
        rhs=_tinkerbell,
        jacobian=_tinkerbell_jacobian,
        dt=1.0,
        solver="map",
        tags=("chaotic", "attractor", "2d"),
        references=("H. E. Nusse, J. A. Yorke, Dynamics: Numerical Explorations, Springer (1994)",),
        # Outside its basin the orbit escapes to infinity quickly; stop early.
        bound=1e4,
    )
)
