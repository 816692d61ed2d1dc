"""Continuous flows: dissipative chaos, oscillators, excitable and population models.

Every right-hand side follows ``rhs(t, y, p) -> tuple`` and every Jacobian
``jacobian(t, y, p) -> tuple of rows`` (see :mod:`engine.system`). Separable
Hamiltonian systems integrated with Stormer-Verlet live in
:mod:`engine.systems.hamiltonian`.
"""
from __future__ import annotations

import math

import numpy as np
from numba import njit

from ..jit import CACHED_JIT
from ..system import Parameter, System
from .registry import register


# --------------------------------------------------------------------------- Lorenz


@njit(**CACHED_JIT)
def _lorenz(t, y, p):
    x, v, z = y
    sigma, rho, beta = p[0], p[1], p[2]
    return (sigma * (v - x), x * (rho - z) - v, x * v - beta * z)


@njit(**CACHED_JIT)
def _lorenz_jacobian(t, y, p):
    x, v, z = y
    sigma, rho, beta = p[0], p[1], p[2]
    return ((-sigma, sigma, 0.0), (rho - z, -1.0, -x), (v, x, -beta))


register(
    System(
        name="Lorenz",
        family="flow",
        title="Lorenz convection model, the butterfly attractor",
        equations=(r"\dot x = \sigma (y - x)", r"\dot y = x (\rho - z) - y", r"\dot z = x y - \beta z"),
        variables=("x", "y", "z"),
        parameters=(
            Parameter("sigma", 10.0, (0.0, 50.0), 0.1, "Prandtl number", symbol=r"\sigma"),
            Parameter("rho", 28.0, (0.0, 200.0), 0.1, "Rayleigh number over its critical value", symbol=r"\rho"),
            Parameter("beta", 8.0 / 3.0, (0.0, 10.0), 0.01, "aspect-ratio factor of the convection cell", symbol=r"\beta"),
        ),
        state0=(1.0, 1.0, 1.0),
        rhs=_lorenz,
        jacobian=_lorenz_jacobian,
        dt=0.01,
        solver="rk4",
        tags=("chaotic", "dissipative", "attractor", "convection", "3d"),
        references=("E. N. Lorenz, Deterministic nonperiodic flow, J. Atmos. Sci. 20 (1963) 130-141",),
        reference_values={
            "lyapunov_spectrum": ((0.9056, 0.0, -14.5723), "Sprott, Chaos and Time-Series Analysis"),
            "kaplan_yorke_dimension": (2.062, "Sprott, Chaos and Time-Series Analysis"),
        },
        plot=("x", "z"),
    )
)


# --------------------------------------------------------------------------- Rossler


@njit(**CACHED_JIT)
def _rossler(t, y, p):
    x, v, z = y
    a, b, c = p[0], p[1], p[2]
    return (-v - z, x + a * v, b + z * (x - c))


@njit(**CACHED_JIT)
def _rossler_jacobian(t, y, p):
    x, v, z = y
    a, c = p[0], p[2]
    return ((0.0, -1.0, -1.0), (1.0, a, 0.0), (z, 0.0, x - c))


register(
    System(
        name="Rossler",
        family="flow",
        title="Rössler attractor, a single-scroll spiral band",
        equations=(r"\dot x = -y - z", r"\dot y = x + a y", r"\dot z = b + z (x - c)"),
        variables=("x", "y", "z"),
        parameters=(
            Parameter("a", 0.2, (0.0, 0.38), 0.001, "feedback of y on itself (spiral growth)"),
            Parameter("b", 0.2, (0.01, 2.0), 0.001, "constant injection into z"),
            Parameter("c", 5.7, (1.0, 20.0), 0.01, "threshold of x that switches on z"),
        ),
        state0=(1.0, 1.0, 0.0),
        rhs=_rossler,
        jacobian=_rossler_jacobian,
        dt=0.02,
        solver="rk4",
        tags=("chaotic", "dissipative", "attractor", "period doubling", "3d"),
        references=("O. E. Rössler, An equation for continuous chaos, Phys. Lett. A 57 (1976) 397-398",),
        reference_values={
            "lyapunov_spectrum": ((0.0714, 0.0, -5.3943), "Sprott, Chaos and Time-Series Analysis"),
            "kaplan_yorke_dimension": (2.0132, "Sprott, Chaos and Time-Series Analysis"),
            "lyapunov_spectrum_dysts": ((0.076, 0.0075, -5.74), "dysts chaotic_attractors.json (loose estimate)"),
        },
        plot=("x", "y"),
    )
)


# --------------------------------------------------------------------------- Chua


@njit(**CACHED_JIT)
def _chua(t, y, p):
    x, v, z = y
    alpha, beta, m0, m1 = p[0], p[1], p[2], p[3]
    diode = m1 * x + 0.5 * (m0 - m1) * (abs(x + 1.0) - abs(x - 1.0))
    return (alpha * (v - x - diode), x - v + z, -beta * v)


@njit(**CACHED_JIT)
def _chua_jacobian(t, y, p):
    x = y[0]
    alpha, beta, m0, m1 = p[0], p[1], p[2], p[3]
    slope = m0 if abs(x) < 1.0 else m1
    return ((-alpha * (1.0 + slope), alpha, 0.0), (1.0, -1.0, 1.0), (0.0, -beta, 0.0))


register(
    System(
        name="Chua",
        family="flow",
        title="Chua's circuit, the double scroll (piecewise-linear diode)",
        equations=(
            r"\dot x = \alpha \left[y - x - m_1 x - \tfrac{1}{2}(m_0 - m_1)\left(|x + 1| - |x - 1|\right)\right]",
            r"\dot y = x - y + z",
            r"\dot z = -\beta y",
        ),
        variables=("x", "y", "z"),
        parameters=(
            Parameter("alpha", 15.6, (5.0, 18.0), 0.01, "ratio of the capacitances C2/C1", symbol=r"\alpha"),
            Parameter("beta", 28.0, (24.0, 50.0), 0.01, "inverse inductance (scaled)", symbol=r"\beta"),
            Parameter("m0", -1.142857, (-2.0, 1.0), 0.001, "diode slope inside |x| < 1", symbol=r"m_0"),
            Parameter("m1", -0.71429, (-1.0, 1.0), 0.001, "diode slope outside |x| > 1", symbol=r"m_1"),
        ),
        state0=(0.7, 0.0, 0.0),
        rhs=_chua,
        jacobian=_chua_jacobian,
        dt=0.01,
        solver="rk4",
        tags=("chaotic", "dissipative", "attractor", "electronics", "circuit", "piecewise linear", "3d"),
        references=(
            "T. Matsumoto, A chaotic attractor from Chua's circuit, IEEE Trans. Circuits Syst. 31 (1984) 1055-1058",
            "L. O. Chua, M. Komuro, T. Matsumoto, The double scroll family, IEEE Trans. Circuits Syst. 33 (1986) 1072-1118",
            "W. Gilpin, Chaos as an interpretable benchmark for forecasting and data-driven modelling, NeurIPS Datasets and Benchmarks (2021) (dysts parameters)",
        ),
        reference_values={"slopes": ((-8.0 / 7.0, -5.0 / 7.0), "m0 = -8/7, m1 = -5/7 (classic double scroll)")},
        plot=("x", "z"),
    )
)


# --------------------------------------------------------------------------- Duffing


@njit(**CACHED_JIT)
def _duffing(t, y, p):
    x, v = y
    alpha, beta, delta, gamma, omega = p[0], p[1], p[2], p[3], p[4]
    return (v, -delta * v - beta * x - alpha * x**3 + gamma * math.cos(omega * t))


@njit(**CACHED_JIT)
def _duffing_jacobian(t, y, p):
    x = y[0]
    alpha, beta, delta = p[0], p[1], p[2]
    return ((0.0, 1.0), (-beta - 3.0 * alpha * x * x, -delta))


register(
    System(
        name="Duffing",
        family="flow",
        title="Forced Duffing oscillator in a double-well potential",
        equations=(r"\dot x = v", r"\dot v = -\delta v - \beta x - \alpha x^3 + \gamma \cos(\omega t)"),
        variables=("x", "v"),
        parameters=(
            Parameter("alpha", 1.0, (0.01, 5.0), 0.01, "cubic stiffness (hardening)", symbol=r"\alpha"),
            Parameter("beta", -1.0, (-5.0, 5.0), 0.01, "linear stiffness (negative: two wells)", symbol=r"\beta"),
            Parameter("delta", 0.1, (0.0, 2.0), 0.001, "damping", symbol=r"\delta"),
            Parameter("gamma", 0.35, (0.0, 2.0), 0.001, "forcing amplitude", symbol=r"\gamma"),
            Parameter("omega", 1.4, (0.0, 5.0), 0.001, "forcing frequency", symbol=r"\omega"),
        ),
        state0=(1.0, 0.0),
        rhs=_duffing,
        jacobian=_duffing_jacobian,
        dt=0.01,
        solver="rk4",
        nonautonomous=True,
        tags=("chaotic", "forced", "nonautonomous", "oscillator", "mechanics", "2d"),
        references=(
            "G. Duffing, Erzwungene Schwingungen bei veränderlicher Eigenfrequenz, Vieweg, Braunschweig (1918)",
            "J. Guckenheimer, P. Holmes, Nonlinear Oscillations, Dynamical Systems, and Bifurcations of Vector Fields, Springer (1983), sec. 2.2",
            "W. Gilpin, Chaos as an interpretable benchmark for forecasting and data-driven modelling, NeurIPS Datasets and Benchmarks (2021) (dysts parameters and sign convention)",
        ),
        reference_values={"wells": ("x = +-sqrt(-beta/alpha) = +-1 when unforced", "closed form")},
    )
)


# --------------------------------------------------------------------------- van der Pol


@njit(**CACHED_JIT)
def _van_der_pol(t, y, p):
    x, v = y
    mu = p[0]
    return (v, mu * (1.0 - x * x) * v - x)


@njit(**CACHED_JIT)
def _van_der_pol_jacobian(t, y, p):
    x, v = y
    mu = p[0]
    return ((0.0, 1.0), (-2.0 * mu * x * v - 1.0, mu * (1.0 - x * x)))


register(
    System(
        name="Van der Pol",
        family="flow",
        title="Van der Pol oscillator, relaxation limit cycle",
        equations=(r"\dot x = v", r"\dot v = \mu (1 - x^2) v - x"),
        variables=("x", "v"),
        parameters=(Parameter("mu", 1.0, (0.0, 10.0), 0.01, "nonlinear damping strength", symbol=r"\mu"),),
        state0=(0.5, 0.0),
        rhs=_van_der_pol,
        jacobian=_van_der_pol_jacobian,
        dt=0.01,
        solver="rk4",
        tags=("oscillator", "limit cycle", "relaxation", "electronics", "2d"),
        references=("B. van der Pol, On relaxation-oscillations, Phil. Mag. 2 (1926) 978-992",),
        reference_values={
            "period_mu1": (6.6633, "limit-cycle period at mu = 1 (standard numerical value)"),
            "amplitude": (2.0, "limit-cycle amplitude in x, close to 2 for every mu"),
        },
    )
)


# --------------------------------------------------------------------------- FitzHugh-Nagumo


@njit(**CACHED_JIT)
def _fitzhugh_nagumo(t, y, p):
    v, w = y
    a, b, eps, current = p[0], p[1], p[2], p[3]
    return (v - v**3 / 3.0 - w + current, eps * (v + a - b * w))


@njit(**CACHED_JIT)
def _fitzhugh_nagumo_jacobian(t, y, p):
    v = y[0]
    b, eps = p[1], p[2]
    return ((1.0 - v * v, -1.0), (eps, -eps * b))


register(
    System(
        name="FitzHugh-Nagumo",
        family="flow",
        title="FitzHugh-Nagumo excitable neuron, spiking limit cycle",
        equations=(r"\dot v = v - v^3/3 - w + I", r"\dot w = \varepsilon (v + a - b w)"),
        variables=("v", "w"),
        parameters=(
            Parameter("a", 0.7, (-1.0, 2.0), 0.01, "offset of the recovery nullcline"),
            Parameter("b", 0.8, (0.0, 2.0), 0.01, "recovery self-coupling"),
            Parameter("eps", 0.08, (0.001, 1.0), 0.001, "time-scale ratio of recovery to voltage", symbol=r"\varepsilon"),
            Parameter("I", 0.5, (-1.0, 2.0), 0.01, "external stimulus current"),
        ),
        state0=(-1.0, 1.0),
        rhs=_fitzhugh_nagumo,
        jacobian=_fitzhugh_nagumo_jacobian,
        dt=0.05,
        solver="rk4",
        tags=("excitable", "neuroscience", "oscillator", "limit cycle", "slow-fast", "2d"),
        references=(
            "R. FitzHugh, Impulses and physiological states in theoretical models of nerve membrane, Biophys. J. 1 (1961) 445-466",
            "J. Nagumo, S. Arimoto, S. Yoshizawa, An active pulse transmission line simulating nerve axon, Proc. IRE 50 (1962) 2061-2070",
        ),
    )
)


# --------------------------------------------------------------------------- Hopf normal form


@njit(**CACHED_JIT)
def _hopf(t, y, p):
    x, v = y
    mu, omega = p[0], p[1]
    r2 = x * x + v * v
    return (mu * x - omega * v - x * r2, omega * x + mu * v - v * r2)


@njit(**CACHED_JIT)
def _hopf_jacobian(t, y, p):
    x, v = y
    mu, omega = p[0], p[1]
    return (
        (mu - 3.0 * x * x - v * v, -omega - 2.0 * x * v),
        (omega - 2.0 * x * v, mu - x * x - 3.0 * v * v),
    )


register(
    System(
        name="Hopf normal form",
        family="flow",
        title="Supercritical Hopf normal form (Stuart-Landau oscillator)",
        equations=(
            r"\dot x = \mu x - \omega y - x (x^2 + y^2)",
            r"\dot y = \omega x + \mu y - y (x^2 + y^2)",
        ),
        variables=("x", "y"),
        parameters=(
            Parameter("mu", 1.0, (-2.0, 4.0), 0.01, "distance from the bifurcation (cycle for mu > 0)", symbol=r"\mu"),
            Parameter("omega", 1.0, (-5.0, 5.0), 0.01, "angular frequency", symbol=r"\omega"),
        ),
        state0=(0.1, 0.0),
        rhs=_hopf,
        jacobian=_hopf_jacobian,
        dt=0.01,
        solver="rk4",
        tags=("hopf", "bifurcation", "normal form", "limit cycle", "oscillator", "teaching", "2d"),
        references=(
            "J. E. Marsden, M. McCracken, The Hopf Bifurcation and Its Applications, Springer (1976)",
            "S. H. Strogatz, Nonlinear Dynamics and Chaos, 2nd ed., Westview (2015), sec. 8.2",
        ),
        reference_values={
            "limit_cycle_radius": ("sqrt(mu) for mu > 0", "standard: r' = mu r - r^3"),
            "hopf_point": (0.0, "mu = 0"),
        },
    )
)


# --------------------------------------------------------------------------- Sel'kov


@njit(**CACHED_JIT)
def _selkov(t, y, p):
    x, v = y
    a, b = p[0], p[1]
    flux = a * v + x * x * v
    return (-x + flux, b - flux)


@njit(**CACHED_JIT)
def _selkov_jacobian(t, y, p):
    x, v = y
    a = p[0]
    return ((-1.0 + 2.0 * x * v, a + x * x), (-2.0 * x * v, -a - x * x))


register(
    System(
        name="Sel'kov",
        family="flow",
        title="Sel'kov glycolysis oscillator (Strogatz form)",
        equations=(r"\dot x = -x + a y + x^2 y", r"\dot y = b - a y - x^2 y"),
        variables=("x", "y"),
        parameters=(
            Parameter("a", 0.08, (0.0, 0.2), 0.001, "kinetic parameter (basal enzyme activity)"),
            Parameter("b", 0.6, (0.0, 2.0), 0.001, "substrate inflow rate"),
        ),
        state0=(1.0, 1.0),
        rhs=_selkov,
        jacobian=_selkov_jacobian,
        dt=0.02,
        solver="rk4",
        tags=("oscillator", "limit cycle", "hopf", "biochemistry", "glycolysis", "teaching", "2d"),
        references=(
            "E. E. Sel'kov, Self-oscillations in glycolysis. 1. A simple kinetic model, Eur. J. Biochem. 4 (1968) 79-86",
            "S. H. Strogatz, Nonlinear Dynamics and Chaos, 2nd ed., Westview (2015), sec. 7.3",
        ),
        reference_values={
            "fixed_point": ("(b, b / (a + b**2))", "Strogatz, sec. 7.3"),
            "hopf_curve": ("b**2 = (1 - 2 a +- sqrt(1 - 8 a)) / 2", "Strogatz, sec. 7.3"),
            "limit_cycle_b_range_a008": ((0.3464, 0.8485), "Strogatz form, a = 0.08 (checked numerically)"),
        },
        # Positive states stay in a trapping region; a negative start (or a
        # typed state far off) runs away in finite time through x^2 y.
        bound=1e3,
    )
)


# --------------------------------------------------------------------------- Brusselator


@njit(**CACHED_JIT)
def _brusselator(t, y, p):
    x, v = y
    a, b = p[0], p[1]
    x2v = x * x * v
    return (a - (b + 1.0) * x + x2v, b * x - x2v)


@njit(**CACHED_JIT)
def _brusselator_jacobian(t, y, p):
    x, v = y
    b = p[1]
    return ((-(b + 1.0) + 2.0 * x * v, x * x), (b - 2.0 * x * v, -x * x))


register(
    System(
        name="Brusselator",
        family="flow",
        title="Brusselator autocatalytic reaction, chemical limit cycle",
        equations=(r"\dot x = a - (b + 1) x + x^2 y", r"\dot y = b x - x^2 y"),
        variables=("x", "y"),
        parameters=(
            Parameter("a", 1.0, (0.01, 5.0), 0.01, "feed concentration of A"),
            Parameter("b", 3.0, (0.0, 8.0), 0.01, "feed concentration of B"),
        ),
        state0=(1.0, 1.0),
        rhs=_brusselator,
        jacobian=_brusselator_jacobian,
        dt=0.01,
        solver="rk4",
        tags=("chemistry", "kinetics", "oscillator", "limit cycle", "hopf", "2d"),
        references=(
            "I. Prigogine, R. Lefever, Symmetry breaking instabilities in dissipative systems. II, J. Chem. Phys. 48 (1968) 1695-1700",
        ),
        reference_values={"fixed_point": ("(a, b / a)", "closed form"), "hopf_point": ("b = 1 + a**2", "closed form")},
    )
)


# --------------------------------------------------------------------------- Lotka-Volterra


@njit(**CACHED_JIT)
def _lotka_volterra(t, y, p):
    x, v = y
    alpha, beta, delta, gamma = p[0], p[1], p[2], p[3]
    return (alpha * x - beta * x * v, delta * x * v - gamma * v)


@njit(**CACHED_JIT)
def _lotka_volterra_jacobian(t, y, p):
    x, v = y
    alpha, beta, delta, gamma = p[0], p[1], p[2], p[3]
    return ((alpha - beta * v, -beta * x), (delta * v, delta * x - gamma))


def _lotka_volterra_invariant(y: np.ndarray, p: np.ndarray) -> np.ndarray:
    """First integral ``delta x - gamma ln x + beta y - alpha ln y`` (constant along orbits)."""
    x, v = y[..., 0], y[..., 1]
    alpha, beta, delta, gamma = p[0], p[1], p[2], p[3]
    return delta * x - gamma * np.log(x) + beta * v - alpha * np.log(v)


register(
    System(
        name="Lotka-Volterra",
        family="flow",
        title="Lotka-Volterra predator-prey cycles (x prey, y predators)",
        equations=(r"\dot x = \alpha x - \beta x y", r"\dot y = \delta x y - \gamma y"),
        variables=("x", "y"),
        parameters=(
            Parameter("alpha", 1.1, (0.0, 5.0), 0.01, "prey growth rate", symbol=r"\alpha"),
            Parameter("beta", 0.4, (0.01, 5.0), 0.01, "predation rate", symbol=r"\beta"),
            Parameter("delta", 0.1, (0.01, 5.0), 0.01, "predator growth per prey eaten", symbol=r"\delta"),
            Parameter("gamma", 0.4, (0.0, 5.0), 0.01, "predator death rate", symbol=r"\gamma"),
        ),
        state0=(10.0, 10.0),
        rhs=_lotka_volterra,
        jacobian=_lotka_volterra_jacobian,
        energy=_lotka_volterra_invariant,
        dt=0.01,
        solver="rk4",
        tags=("population", "ecology", "predator-prey", "conservative", "oscillator", "teaching", "2d"),
        references=(
            "A. J. Lotka, Elements of Physical Biology, Williams and Wilkins, Baltimore (1925)",
            "V. Volterra, Fluctuations in the abundance of a species considered mathematically, Nature 118 (1926) 558-560",
        ),
        reference_values={
            "fixed_point": ("(gamma / delta, alpha / beta)", "closed form"),
            "first_integral": ("delta x - gamma ln x + beta y - alpha ln y", "closed form; exposed as energy"),
            "small_oscillation_period": ("2 pi / sqrt(alpha gamma)", "linearisation at the centre"),
        },
    )
)


# --------------------------------------------------------------------------- damped driven pendulum


@njit(**CACHED_JIT)
def _driven_pendulum(t, y, p):
    theta, omega = y
    q, amplitude, drive = p[0], p[1], p[2]
    return (omega, -omega / q - math.sin(theta) + amplitude * math.cos(drive * t))


@njit(**CACHED_JIT)
def _driven_pendulum_jacobian(t, y, p):
    q = p[0]
    return ((0.0, 1.0), (-math.cos(y[0]), -1.0 / q))


register(
    System(
        name="Driven pendulum",
        family="flow",
        title="Damped, sinusoidally driven pendulum (Baker-Gollub form)",
        equations=(r"\dot\theta = \omega", r"\dot\omega = -\omega / q - \sin\theta + A \cos(\omega_D t)"),
        variables=("theta", "omega"),
        parameters=(
            Parameter("q", 2.0, (0.1, 20.0), 0.01, "quality factor (inverse damping)"),
            Parameter("A", 1.5, (0.0, 3.0), 0.001, "drive amplitude over the gravity torque"),
            Parameter("wd", 2.0 / 3.0, (0.0, 3.0), 0.001, "drive frequency over the natural frequency", symbol=r"\omega_D"),
        ),
        state0=(0.0, 0.0),
        rhs=_driven_pendulum,
        jacobian=_driven_pendulum_jacobian,
        dt=0.01,
        solver="rk4",
        nonautonomous=True,
        tags=("chaotic", "forced", "nonautonomous", "pendulum", "mechanics", "teaching", "2d"),
        references=(
            "G. L. Baker, J. P. Gollub, Chaotic Dynamics: An Introduction, 2nd ed., Cambridge University Press (1996), ch. 3",
        ),
        reference_values={
            "chaotic_drives_q2": ((1.15, 1.5), "Baker and Gollub: chaotic at q = 2, wd = 2/3 for these A"),
            "angle": ("theta is not wrapped; plot it modulo 2 pi for the cylinder picture", "convention"),
        },
    )
)


# --------------------------------------------------------------------------- double pendulum


@njit(**CACHED_JIT)
def _double_pendulum(t, y, p):
    th1, th2, w1, w2 = y
    m1, m2, l1, l2, g = p[0], p[1], p[2], p[3], p[4]
    d = th1 - th2
    sd, cd = math.sin(d), math.cos(d)
    den = 2.0 * m1 + m2 - m2 * math.cos(2.0 * d)
    a1 = (
        -g * (2.0 * m1 + m2) * math.sin(th1)
        - m2 * g * math.sin(th1 - 2.0 * th2)
        - 2.0 * sd * m2 * (w2 * w2 * l2 + w1 * w1 * l1 * cd)
    ) / (l1 * den)
    a2 = 2.0 * sd * (w1 * w1 * l1 * (m1 + m2) + g * (m1 + m2) * math.cos(th1) + w2 * w2 * l2 * m2 * cd) / (l2 * den)
    return (w1, w2, a1, a2)


def _double_pendulum_energy(y: np.ndarray, p: np.ndarray) -> np.ndarray:
    """Total mechanical energy (kinetic plus potential, zero at the pivot height)."""
    th1, th2, w1, w2 = y[..., 0], y[..., 1], y[..., 2], y[..., 3]
    m1, m2, l1, l2, g = p[0], p[1], p[2], p[3], p[4]
    kinetic = 0.5 * (m1 + m2) * l1**2 * w1**2 + 0.5 * m2 * l2**2 * w2**2 + m2 * l1 * l2 * w1 * w2 * np.cos(th1 - th2)
    potential = -(m1 + m2) * g * l1 * np.cos(th1) - m2 * g * l2 * np.cos(th2)
    return kinetic + potential


register(
    System(
        name="Double pendulum",
        family="flow",
        title="Planar double pendulum (point masses, full nonlinear equations)",
        equations=(
            r"\dot\theta_1 = \omega_1",
            r"\dot\theta_2 = \omega_2",
            r"\dot\omega_1 = \frac{-g(2m_1+m_2)\sin\theta_1 - m_2 g \sin(\theta_1-2\theta_2)"
            r" - 2\sin(\theta_1-\theta_2)\, m_2 \left(\omega_2^2 l_2 + \omega_1^2 l_1 \cos(\theta_1-\theta_2)\right)}"
            r"{l_1 \left(2m_1 + m_2 - m_2\cos(2\theta_1-2\theta_2)\right)}",
            r"\dot\omega_2 = \frac{2\sin(\theta_1-\theta_2)\left(\omega_1^2 l_1 (m_1+m_2) + g(m_1+m_2)\cos\theta_1"
            r" + \omega_2^2 l_2 m_2 \cos(\theta_1-\theta_2)\right)}{l_2 \left(2m_1 + m_2 - m_2\cos(2\theta_1-2\theta_2)\right)}",
        ),
        variables=("theta1", "theta2", "omega1", "omega2"),
        parameters=(
            Parameter("m1", 1.0, (0.1, 10.0), 0.01, "upper mass", "kg", symbol=r"m_1"),
            Parameter("m2", 1.0, (0.1, 10.0), 0.01, "lower mass", "kg", symbol=r"m_2"),
            Parameter("l1", 1.0, (0.1, 5.0), 0.01, "upper rod length", "m", symbol=r"l_1"),
            Parameter("l2", 1.0, (0.1, 5.0), 0.01, "lower rod length", "m", symbol=r"l_2"),
            Parameter("g", 9.81, (0.0, 30.0), 0.01, "gravitational acceleration", "m/s^2"),
        ),
        # Both arms released from rest at 120 degrees: energetic enough to flip.
        state0=(2.0 * math.pi / 3.0, 2.0 * math.pi / 3.0, 0.0, 0.0),
        rhs=_double_pendulum,
        energy=_double_pendulum_energy,
        # Adaptive: the arms whip through fast, near-singular passages.
        dt=0.01,
        solver="dopri5",
        tags=("chaotic", "conservative", "pendulum", "mechanics", "teaching", "4d"),
        references=(
            "T. Shinbrot, C. Grebogi, J. Wisdom, J. A. Yorke, Chaos in a double pendulum, Am. J. Phys. 60 (1992) 491-499",
            "H. Goldstein, C. Poole, J. Safko, Classical Mechanics, 3rd ed., Addison-Wesley (2002), sec. 1.6",
        ),
        reference_values={
            "energy": ("1/2 (m1+m2) l1^2 w1^2 + 1/2 m2 l2^2 w2^2 + m2 l1 l2 w1 w2 cos(th1-th2) - (m1+m2) g l1 cos th1 - m2 g l2 cos th2", "Lagrangian mechanics"),
        },
        plot=("theta1", "theta2"),
    )
)


# --------------------------------------------------------------------------- SIR


@njit(**CACHED_JIT)
def _sir(t, y, p):
    s, i, r = y
    beta, gamma = p[0], p[1]
    infection = beta * s * i
    recovery = gamma * i
    return (-infection, infection - recovery, recovery)


@njit(**CACHED_JIT)
def _sir_jacobian(t, y, p):
    s, i, r = y
    beta, gamma = p[0], p[1]
    return ((-beta * i, -beta * s, 0.0), (beta * i, beta * s - gamma, 0.0), (0.0, gamma, 0.0))


def _sir_population(y: np.ndarray, p: np.ndarray) -> np.ndarray:
    """Total population ``S + I + R``: conserved exactly, and kept by any Runge-Kutta method up to rounding."""
    return y[..., 0] + y[..., 1] + y[..., 2]


register(
    System(
        name="SIR",
        family="flow",
        title="Kermack-McKendrick SIR epidemic (population fractions)",
        equations=(r"\dot S = -\beta S I", r"\dot I = \beta S I - \gamma I", r"\dot R = \gamma I"),
        variables=("S", "I", "R"),
        parameters=(
            Parameter("beta", 0.3, (0.0, 2.0), 0.001, "transmission rate", "1/day", symbol=r"\beta"),
            Parameter("gamma", 0.1, (0.001, 1.0), 0.001, "recovery rate", "1/day", symbol=r"\gamma"),
        ),
        state0=(0.999, 0.001, 0.0),
        rhs=_sir,
        jacobian=_sir_jacobian,
        # Not a mechanical energy: the conserved total population S + I + R,
        # which the energy-drift monitor then checks.
        energy=_sir_population,
        dt=0.1,
        solver="rk4",
        tags=("epidemiology", "population", "compartmental", "teaching", "3d"),
        references=(
            "W. O. Kermack, A. G. McKendrick, A contribution to the mathematical theory of epidemics, Proc. R. Soc. Lond. A 115 (1927) 700-721",
        ),
        reference_values={
            "basic_reproduction_number": ("R0 = beta / gamma", "Kermack and McKendrick 1927"),
            "final_size": ("S_inf = S0 exp(-R0 (1 - S_inf)) for R(0) = 0", "Kermack and McKendrick 1927"),
            "peak_infection": ("I is largest when S = 1 / R0", "closed form"),
            "conserved": ("S + I + R (exposed as energy)", "closed form"),
        },
        plot=("S", "I"),
    )
)


# --------------------------------------------------------------------------- Thomas


@njit(**CACHED_JIT)
def _thomas(t, y, p):
    x, v, z = y
    b = p[0]
    return (math.sin(v) - b * x, math.sin(z) - b * v, math.sin(x) - b * z)


@njit(**CACHED_JIT)
def _thomas_jacobian(t, y, p):
    x, v, z = y
    b = p[0]
    return ((-b, math.cos(v), 0.0), (0.0, -b, math.cos(z)), (math.cos(x), 0.0, -b))


register(
    System(
        name="Thomas",
        family="flow",
        title="Thomas' cyclically symmetric attractor (labyrinth chaos)",
        equations=(r"\dot x = \sin y - b x", r"\dot y = \sin z - b y", r"\dot z = \sin x - b z"),
        variables=("x", "y", "z"),
        parameters=(Parameter("b", 0.208186, (0.0, 1.0), 0.0001, "dissipation (b = 0: conservative labyrinth walk)"),),
        state0=(0.1, 0.0, 0.0),
        rhs=_thomas,
        jacobian=_thomas_jacobian,
        dt=0.05,
        solver="rk4",
        tags=("chaotic", "dissipative", "attractor", "cyclic symmetry", "feedback circuit", "3d"),
        references=(
            "R. Thomas, Deterministic chaos seen in terms of feedback circuits: analysis, synthesis, 'labyrinth chaos', Int. J. Bifurcation Chaos 9 (1999) 1889-1905",
        ),
        reference_values={"divergence": ("-3 b (uniform contraction)", "closed form")},
    )
)


# --------------------------------------------------------------------------- Aizawa


@njit(**CACHED_JIT)
def _aizawa(t, y, p):
    x, v, z = y
    a, b, c, d, e, f = p[0], p[1], p[2], p[3], p[4], p[5]
    return (
        (z - b) * x - d * v,
        d * x + (z - b) * v,
        c + a * z - z**3 / 3.0 - (x * x + v * v) * (1.0 + e * z) + f * z * x**3,
    )


@njit(**CACHED_JIT)
def _aizawa_jacobian(t, y, p):
    x, v, z = y
    a, b, d, e, f = p[0], p[1], p[3], p[4], p[5]
    return (
        (z - b, -d, x),
        (d, z - b, v),
        (-2.0 * x * (1.0 + e * z) + 3.0 * f * z * x * x, -2.0 * v * (1.0 + e * z), a - z * z - e * (x * x + v * v) + f * x**3),
    )


register(
    System(
        name="Aizawa",
        family="flow",
        title="Aizawa (Langford) attractor, a broken torus around an axis",
        equations=(
            r"\dot x = (z - b) x - d y",
            r"\dot y = d x + (z - b) y",
            r"\dot z = c + a z - z^3/3 - (x^2 + y^2)(1 + e z) + f z x^3",
        ),
        variables=("x", "y", "z"),
        parameters=(
            Parameter("a", 0.95, (0.0, 2.0), 0.01, "linear growth of z"),
            Parameter("b", 0.7, (0.0, 2.0), 0.01, "z level where the spiral turns outward"),
            Parameter("c", 0.6, (0.0, 2.0), 0.01, "constant drive of z"),
            Parameter("d", 3.5, (0.0, 10.0), 0.01, "rotation rate around the z axis"),
            Parameter("e", 0.25, (0.0, 1.0), 0.01, "coupling of radius and height"),
            Parameter("f", 0.1, (0.0, 1.0), 0.01, "symmetry-breaking cubic term (torus breakdown)"),
        ),
        state0=(0.1, 0.0, 0.0),
        rhs=_aizawa,
        jacobian=_aizawa_jacobian,
        dt=0.01,
        solver="rk4",
        tags=("chaotic", "dissipative", "attractor", "torus", "3d"),
        plot=("x", "z"),
        references=(
            "W. F. Langford, Numerical studies of torus bifurcations, Int. Ser. Numer. Math. 70 (1984) 285-295 (the popular 'Aizawa' parameter set)",
        ),
    )
)


# --------------------------------------------------------------------------- Halvorsen


@njit(**CACHED_JIT)
def _halvorsen(t, y, p):
    x, v, z = y
    a = p[0]
    return (-a * x - 4.0 * v - 4.0 * z - v * v, -a * v - 4.0 * z - 4.0 * x - z * z, -a * z - 4.0 * x - 4.0 * v - x * x)


@njit(**CACHED_JIT)
def _halvorsen_jacobian(t, y, p):
    x, v, z = y
    a = p[0]
    return ((-a, -4.0 - 2.0 * v, -4.0), (-4.0, -a, -4.0 - 2.0 * z), (-4.0 - 2.0 * x, -4.0, -a))


register(
    System(
        name="Halvorsen",
        family="flow",
        title="Halvorsen's cyclically symmetric attractor",
        equations=(
            r"\dot x = -a x - 4 y - 4 z - y^2",
            r"\dot y = -a y - 4 z - 4 x - z^2",
            r"\dot z = -a z - 4 x - 4 y - x^2",
        ),
        variables=("x", "y", "z"),
        parameters=(Parameter("a", 1.4, (1.25, 3.0), 0.001, "linear damping"),),
        state0=(-6.4, 0.0, 0.0),
        rhs=_halvorsen,
        jacobian=_halvorsen_jacobian,
        dt=0.005,
        solver="rk4",
        tags=("chaotic", "dissipative", "attractor", "cyclic symmetry", "3d"),
        references=("J. C. Sprott, Elegant Chaos: Algebraically Simple Chaotic Flows, World Scientific (2010)",),
        reference_values={"divergence": ("-3 a", "closed form")},
    )
)


# --------------------------------------------------------------------------- Lorenz-84


@njit(**CACHED_JIT)
def _lorenz84(t, y, p):
    x, v, z = y
    a, b, forcing, g = p[0], p[1], p[2], p[3]
    return (-v * v - z * z - a * x + a * forcing, x * v - b * x * z - v + g, b * x * v + x * z - z)


@njit(**CACHED_JIT)
def _lorenz84_jacobian(t, y, p):
    x, v, z = y
    a, b = p[0], p[1]
    return ((-a, -2.0 * v, -2.0 * z), (v - b * z, x - 1.0, -b * x), (b * v + z, b * x, x - 1.0))


register(
    System(
        name="Lorenz-84",
        family="flow",
        title="Lorenz 1984 model of the general atmospheric circulation",
        equations=(
            r"\dot x = -y^2 - z^2 - a x + a F",
            r"\dot y = x y - b x z - y + G",
            r"\dot z = b x y + x z - z",
        ),
        variables=("x", "y", "z"),
        parameters=(
            Parameter("a", 0.25, (0.0, 1.0), 0.001, "damping of the westerly wind (relative to the eddies)"),
            Parameter("b", 4.0, (0.0, 10.0), 0.01, "eddy displacement by the westerly current"),
            Parameter("F", 8.0, (0.0, 20.0), 0.01, "north-south temperature forcing"),
            Parameter("G", 1.0, (0.0, 5.0), 0.01, "land-sea (zonally asymmetric) forcing"),
        ),
        state0=(1.0, 1.0, 1.0),
        rhs=_lorenz84,
        jacobian=_lorenz84_jacobian,
        dt=0.01,
        solver="rk4",
        tags=("chaotic", "dissipative", "attractor", "climate", "atmosphere", "3d"),
        references=("E. N. Lorenz, Irregularity: a fundamental property of the atmosphere, Tellus A 36 (1984) 98-110",),
    )
)


# --------------------------------------------------------------------------- Sprott A


@njit(**CACHED_JIT)
def _sprott_a(t, y, p):
    x, v, z = y
    a = p[0]
    return (v, -x + v * z, a - v * v)


@njit(**CACHED_JIT)
def _sprott_a_jacobian(t, y, p):
    x, v, z = y
    return ((0.0, 1.0, 0.0), (-1.0, z, v), (0.0, -2.0 * v, 0.0))


register(
    System(
        name="Sprott A",
        family="flow",
        title="Sprott case A (Nosé-Hoover thermostatted oscillator)",
        equations=(r"\dot x = y", r"\dot y = -x + y z", r"\dot z = a - y^2"),
        variables=("x", "y", "z"),
        parameters=(Parameter("a", 1.0, (0.1, 3.0), 0.01, "thermostat target (squared velocity scale)"),),
        state0=(0.0, 5.0, 0.0),
        rhs=_sprott_a,
        jacobian=_sprott_a_jacobian,
        dt=0.01,
        solver="rk4",
        tags=("chaotic", "conservative", "volume-preserving", "thermostat", "3d"),
        references=(
            "J. C. Sprott, Some simple chaotic flows, Phys. Rev. E 50 (1994) R647-R650",
            "W. G. Hoover, Canonical dynamics: equilibrium phase-space distributions, Phys. Rev. A 31 (1985) 1695-1697",
        ),
        reference_values={
            "lyapunov_spectrum": ((0.0138, 0.0, -0.0138), "Sprott 1994 (a = 1, chaotic sea from (0, 5, 0))"),
        },
        plot=("y", "z"),
    )
)


# --------------------------------------------------------------------------- Chen


@njit(**CACHED_JIT)
def _chen(t, y, p):
    x, v, z = y
    a, b, c = p[0], p[1], p[2]
    return (a * (v - x), (c - a) * x - x * z + c * v, x * v - b * z)


@njit(**CACHED_JIT)
def _chen_jacobian(t, y, p):
    x, v, z = y
    a, b, c = p[0], p[1], p[2]
    return ((-a, a, 0.0), (c - a - z, c, -x), (v, x, -b))


register(
    System(
        name="Chen",
        family="flow",
        title="Chen attractor, the dual of Lorenz's",
        equations=(r"\dot x = a (y - x)", r"\dot y = (c - a) x - x z + c y", r"\dot z = x y - b z"),
        variables=("x", "y", "z"),
        parameters=(
            Parameter("a", 35.0, (20.0, 50.0), 0.1, "coupling of x to y"),
            Parameter("b", 3.0, (0.5, 10.0), 0.01, "damping of z"),
            Parameter("c", 28.0, (10.0, 40.0), 0.1, "growth of y"),
        ),
        state0=(-10.0, 0.0, 37.0),
        rhs=_chen,
        jacobian=_chen_jacobian,
        dt=0.002,
        solver="rk4",
        tags=("chaotic", "dissipative", "attractor", "3d"),
        references=("G. Chen, T. Ueta, Yet another chaotic attractor, Int. J. Bifurcation Chaos 9 (1999) 1465-1466",),
        reference_values={
            "lyapunov_spectrum": ((2.026, 0.0, -12.026), "computed here: QR method with the analytic Jacobian, T = 5000"),
            "lyapunov_sum": ("-(a + b - c) = -10", "trace of the Jacobian (exact)"),
        },
        plot=("x", "z"),
    )
)
