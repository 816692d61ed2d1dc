"""All-to-all Kuramoto oscillators in mean-field form: O(N) per step, N up to 10^5 live.

.. math::
    \\dot\\theta_j = \\omega_j + \\frac{K}{N}\\sum_k \\sin(\\theta_k - \\theta_j)
                 = \\omega_j + K r \\sin(\\psi - \\theta_j),
    \\qquad r e^{i\\psi} = \\frac1N \\sum_k e^{i\\theta_k}

The second form costs one pass over the oscillators for the mean field and one
for the phases, instead of N^2 pair terms. Natural frequencies are drawn from
a Lorentzian (half-width gamma) or a Gaussian (standard deviation sigma), at
random or at their N quantiles (deterministic, which gives clean r(K) curves
at moderate N). Integration is the classical RK4 with the mean field
recomputed at every stage.

References
----------
Kuramoto, Y., Self-entrainment of a population of coupled non-linear
oscillators, Lecture Notes in Physics 39 (1975) 420-422.
Strogatz, S. H., From Kuramoto to Crawford: exploring the onset of
synchronization in populations of coupled oscillators, Physica D 143 (2000) 1-20.
Ott, E., Antonsen, T. M., Low dimensional behavior of large systems of
globally coupled oscillators, Chaos 18 (2008) 037113.
"""
from __future__ import annotations

import math
from collections.abc import Callable
from statistics import NormalDist
from typing import Any

import numpy as np
from numba import njit

from ..diagnostics import kuramoto_order
from ..jit import CACHED_JIT
from ..system import check_integer, check_number

__all__ = [
    "DISTRIBUTIONS",
    "MAX_OSCILLATORS",
    "MeanFieldKuramoto",
    "critical_coupling",
    "natural_frequencies",
    "order_parameter_branch",
    "order_parameter_sweep",
    "ott_antonsen_order",
]

DISTRIBUTIONS = ("lorentzian", "gaussian")
MAX_OSCILLATORS = 1_000_000
"""Most oscillators one population holds."""


def natural_frequencies(
    n: int, distribution: str = "lorentzian", width: float = 0.5, *, quantiles: bool = True, seed: int | None = None
) -> np.ndarray:
    """Natural frequencies of ``n`` oscillators, centred on zero.

    Parameters
    ----------
    n : int
        Number of oscillators.
    distribution : {"lorentzian", "gaussian"}
        Lorentzian density :math:`g(\\omega) = \\gamma / (\\pi(\\gamma^2 + \\omega^2))`
        or Gaussian :math:`g(\\omega) = e^{-\\omega^2/2\\sigma^2}/(\\sqrt{2\\pi}\\sigma)`.
    width : float
        Half-width gamma (Lorentzian) or standard deviation sigma (Gaussian).
    quantiles : bool
        True: the deterministic mid-point quantiles :math:`G^{-1}((j + 1/2)/n)`;
        False: ``n`` independent draws.
    seed : int, optional
        Seed of the random draws.

    Returns
    -------
    ndarray, shape (n,)
    """
    n = check_integer(n, "oscillators", (1, MAX_OSCILLATORS))
    width = check_number(width, "frequency width", (1e-6, 1e3))
    distribution = _check_distribution(distribution)
    if quantiles:
        u = (np.arange(n) + 0.5) / n
        if distribution == "lorentzian":
            return width * np.tan(np.pi * (u - 0.5))
        inverse = NormalDist(0.0, width).inv_cdf
        return np.array([inverse(v) for v in u])
    rng = np.random.default_rng(seed)
    if distribution == "lorentzian":
        return width * rng.standard_cauchy(n)
    return rng.normal(0.0, width, n)


def critical_coupling(distribution: str = "lorentzian", width: float = 0.5) -> float:
    """Kuramoto's onset of synchronization for N -> infinity, :math:`K_c = 2 / (\\pi g(0))`.

    Lorentzian half-width gamma: :math:`K_c = 2\\gamma`; Gaussian standard
    deviation sigma: :math:`K_c = \\sqrt{8/\\pi}\\,\\sigma \\approx 1.5958\\,\\sigma`.

    References
    ----------
    Strogatz (2000), section 4.
    """
    width = check_number(width, "frequency width", (1e-6, 1e3))
    if _check_distribution(distribution) == "lorentzian":
        return 2.0 * width
    return 2.0 / (math.pi / (math.sqrt(2.0 * math.pi) * width))


def order_parameter_branch(coupling: np.ndarray | float, width: float = 0.5) -> np.ndarray:
    """Stationary order parameter of Lorentzian frequencies, :math:`r = \\sqrt{1 - 2\\gamma/K}` for K > 2 gamma, else 0.

    References
    ----------
    Kuramoto (1975); Strogatz (2000), eq. (4.9).
    """
    coupling = np.asarray(coupling, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(coupling > 2.0 * width, np.sqrt(np.clip(1.0 - 2.0 * width / coupling, 0.0, None)), 0.0)


def ott_antonsen_order(t: np.ndarray | float, coupling: float, width: float = 0.5, r0: float = 1.0) -> np.ndarray:
    """Order parameter r(t) on the Ott-Antonsen manifold (Lorentzian frequencies, N -> infinity).

    Identical initial phases (r0 = 1) and uniform ones lie on it. r obeys
    :math:`\\dot r = a r - \\tfrac{K}{2} r^3` with :math:`a = K/2 - \\gamma`, whose solution is

    .. math::
        r(t)^{-2} = \\frac{K}{2a} + \\left(r_0^{-2} - \\frac{K}{2a}\\right) e^{-2at}
        \\quad (a \\ne 0), \\qquad r(t)^{-2} = r_0^{-2} + K t \\quad (a = 0).

    References
    ----------
    Ott and Antonsen (2008), eq. (12).
    """
    t = np.asarray(t, dtype=float)
    a = 0.5 * coupling - width
    if a == 0.0:
        return 1.0 / np.sqrt(r0**-2 + coupling * t)
    b = 0.5 * coupling / a
    return 1.0 / np.sqrt(b + (r0**-2 - b) * np.exp(-2.0 * a * t))


def _check_distribution(distribution: Any) -> str:
    if distribution not in DISTRIBUTIONS:
        raise ValueError(f"frequency distribution must be one of {', '.join(DISTRIBUTIONS)}, got {distribution!r}")
    return distribution


@njit(**CACHED_JIT)
def _rates(y, omega, coupling, rate, sines, cosines):
    """``rate`` = :math:`\\omega_j + K (\\bar s \\cos y_j - \\bar c \\sin y_j)` with the mean field
    :math:`(\\bar c, \\bar s)` of ``y``; returns its r. One pass for the sines and cosines (kept) and their
    means, one for the rates."""
    size = y.size
    c = 0.0
    s = 0.0
    for j in range(size):
        sines[j] = math.sin(y[j])
        cosines[j] = math.cos(y[j])
        c += cosines[j]
        s += sines[j]
    c /= size
    s /= size
    for j in range(size):
        rate[j] = omega[j] + coupling * (s * cosines[j] - c * sines[j])
    return math.sqrt(c * c + s * s)


@njit(**CACHED_JIT)
def _rk4_mean_field(theta, omega, coupling, dt, n, r_out, work):
    """Advance ``theta`` in place by ``n`` RK4 steps; ``r_out[i]`` is r after step i.

    ``work`` is scratch of shape (7, N): the four stage rates, the stage
    phases, sines and cosines. r after a step is the first stage's mean field
    of the next step, so it costs nothing but for the last step."""
    size = theta.size
    k1, k2, k3, k4, y, sines, cosines = work[0], work[1], work[2], work[3], work[4], work[5], work[6]
    half = 0.5 * dt
    sixth = dt / 6.0
    for i in range(n):
        r = _rates(theta, omega, coupling, k1, sines, cosines)
        if i > 0:
            r_out[i - 1] = r
        for j in range(size):
            y[j] = theta[j] + half * k1[j]
        _rates(y, omega, coupling, k2, sines, cosines)
        for j in range(size):
            y[j] = theta[j] + half * k2[j]
        _rates(y, omega, coupling, k3, sines, cosines)
        for j in range(size):
            y[j] = theta[j] + dt * k3[j]
        _rates(y, omega, coupling, k4, sines, cosines)
        for j in range(size):
            theta[j] += sixth * (k1[j] + 2.0 * k2[j] + 2.0 * k3[j] + k4[j])
    if n > 0:
        c = 0.0
        s = 0.0
        for j in range(size):
            c += math.cos(theta[j])
            s += math.sin(theta[j])
        r_out[n - 1] = math.sqrt(c * c + s * s) / size


class MeanFieldKuramoto:
    """A population of all-to-all Kuramoto oscillators advanced in chunks (a live simulation).

    Parameters
    ----------
    n : int
        Number of oscillators (1 to :data:`MAX_OSCILLATORS`).
    coupling : float
        K, in [0, 100].
    distribution : {"lorentzian", "gaussian"}
        Law of the natural frequencies (see :func:`natural_frequencies`).
    width : float
        Its half-width gamma or standard deviation sigma.
    dt : float
        RK4 step, in (0, 1].
    quantiles : bool
        Deterministic quantile frequencies (True) or random draws.
    seed : int, optional
        Seed of the random frequencies and of the random initial phases.
    initial : {"uniform", "synchronized"}
        Initial phases: independent uniform on [0, 2 pi) or all zero.
    """

    def __init__(
        self,
        n: int = 20_000,
        coupling: float = 1.5,
        distribution: str = "lorentzian",
        width: float = 0.5,
        *,
        dt: float = 0.05,
        quantiles: bool = True,
        seed: int | None = None,
        initial: str = "uniform",
    ) -> None:
        if initial not in ("uniform", "synchronized"):
            raise ValueError(f"initial phases must be 'uniform' or 'synchronized', got {initial!r}")
        self.n = check_integer(n, "oscillators", (1, MAX_OSCILLATORS))
        self.distribution = _check_distribution(distribution)
        self.width = check_number(width, "frequency width", (1e-6, 1e3))
        self.quantiles = bool(quantiles)
        self.seed = None if seed is None else check_integer(seed, "seed", (0, 2**63 - 1))
        self.initial = initial
        self.set_coupling(coupling)
        self.set_dt(dt)
        self.omega = natural_frequencies(self.n, self.distribution, self.width, quantiles=self.quantiles, seed=self.seed)
        self.reset()

    @property
    def critical_coupling(self) -> float:
        """:func:`critical_coupling` of this population's frequency law."""
        return critical_coupling(self.distribution, self.width)

    @property
    def order(self) -> tuple[float, float]:
        """Current (r, psi) with psi in (-pi, pi] (:func:`engine.diagnostics.kuramoto_order`)."""
        r, psi = kuramoto_order(self.theta)
        return float(r), float(psi)

    def set_coupling(self, coupling: float) -> None:
        """Change K; takes effect at the next step. An invalid value raises ``ValueError`` and changes nothing."""
        self.coupling = check_number(coupling, "coupling K", (0.0, 100.0))

    def set_dt(self, dt: float) -> None:
        """Change the RK4 step (a one-step method: nothing to restart)."""
        self.dt = check_number(dt, "dt", (1e-6, 1.0))

    def reset(self) -> None:
        """Initial phases again at t = 0 (frequencies kept)."""
        if self.initial == "synchronized":
            self.theta = np.zeros(self.n)
        else:
            self.theta = np.random.default_rng(self.seed).uniform(0.0, 2.0 * np.pi, self.n)
        self._work = np.empty((7, self.n))
        self.t = 0.0

    def advance(self, steps: int) -> tuple[np.ndarray, np.ndarray]:
        """Advance by ``steps`` RK4 steps; returns the new times and r after each step."""
        steps = check_integer(steps, "steps", (0, 10_000_000))
        r = np.empty(steps)
        _rk4_mean_field(self.theta, self.omega, self.coupling, self.dt, steps, r, self._work)
        times = self.t + self.dt * np.arange(1, steps + 1)
        if steps:
            self.t = float(times[-1])
        return times, r


def order_parameter_sweep(
    couplings: np.ndarray,
    n: int = 20_000,
    distribution: str = "lorentzian",
    width: float = 0.5,
    *,
    transient: float = 100.0,
    average: float = 50.0,
    dt: float = 0.05,
    quantiles: bool = True,
    seed: int | None = 0,
    initial: str = "synchronized",
    progress: Callable[[int, int], object] | None = None,
) -> np.ndarray:
    """Time-averaged order parameter r for each coupling K.

    For each K a fresh population (see :class:`MeanFieldKuramoto`) runs for
    ``transient`` time units, then r is averaged over the next ``average``.
    Starting synchronized, the stationary partially locked state is reached
    from above, which converges faster than from incoherence near K_c.

    Parameters
    ----------
    couplings : array_like
        Values of K (each in [0, 100]).
    progress : callable, optional
        Called as ``progress(done, total)`` after each K.

    Returns
    -------
    ndarray
        Mean r per coupling, compare with :func:`order_parameter_branch`.

    References
    ----------
    Strogatz (2000), figure 3.
    """
    couplings = np.atleast_1d(np.asarray(couplings, dtype=float))
    transient = check_number(transient, "transient", (0.0, 1e6))
    average = check_number(average, "averaging time", (1e-6, 1e6))
    result = np.empty(couplings.size)
    population = MeanFieldKuramoto(n, 0.0, distribution, width, dt=dt, quantiles=quantiles, seed=seed, initial=initial)
    for i, k in enumerate(couplings):
        population.set_coupling(k)
        population.reset()
        population.advance(round(transient / population.dt))
        _, r = population.advance(max(1, round(average / population.dt)))
        result[i] = r.mean()
        if progress is not None:
            progress(i + 1, couplings.size)
    return result
