"""A ring of phase oscillators with nearest-neighbour coupling: synchronization as a growing interface.

.. math::
    d\\theta_j = \\bigl(\\omega_j + K[\\Gamma(\\theta_{j+1} - \\theta_j) + \\Gamma(\\theta_{j-1} - \\theta_j)]\\bigr)\\,dt
               + \\sqrt{2D}\\, dW_j,
    \\qquad \\Gamma(x) = \\sin(x + \\alpha) - \\sin\\alpha

on a periodic ring of L oscillators. The randomness is either time-dependent
noise of strength D or quenched ("columnar") frequencies
:math:`\\omega_j \\sim N(0, \\sigma^2)`. Gamma has an odd part
:math:`\\cos\\alpha \\sin x` and a non-odd part :math:`\\sin\\alpha(\\cos x - 1)`
(Kuramoto-Sakaguchi). In the continuum limit the unwrapped phases form an
interface :math:`\\theta(x, t)` obeying

.. math::
    \\partial_t\\theta = \\nu\\,\\partial_x^2\\theta + \\frac{\\lambda}{2}(\\partial_x\\theta)^2 + \\eta,
    \\qquad \\nu = K\\cos\\alpha,\\quad \\lambda/2 = -K\\sin\\alpha,

so its width :math:`W(t)^2 = \\langle(\\theta_j - \\bar\\theta)^2\\rangle` grows as
:math:`t^\\beta` with beta = 1/2 without coupling (random deposition), 1/4 for
an odd coupling (Edwards-Wilkinson) and 1/3 once the non-odd part acts (KPZ);
uncoupled columnar frequencies give W ~ t.

Integration: Euler-Maruyama, the noise drawn per chunk from a numpy
generator owned by the ring (reproducible, independent of other sessions).

References
----------
Gutierrez, R., Cuerno, R., Nonequilibrium criticality driven by Kardar-Parisi-Zhang
fluctuations in the synchronization of oscillator lattices, arXiv:2604.06040.
Lauter, R., Mitra, A., Marquardt, F., From Kardar-Parisi-Zhang scaling to
explosive desynchronization in arrays of limit-cycle oscillators,
Phys. Rev. E 96 (2017) 012220.
Barabasi, A.-L., Stanley, H. E., Fractal Concepts in Surface Growth,
Cambridge University Press (1995), chapters 2-6.
"""
from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np
from numba import njit

from ..diagnostics import interface_width, kuramoto_order
from ..jit import CACHED_JIT
from ..system import check_integer, check_number

__all__ = [
    "DISORDERS",
    "GROWTH_EXPONENTS",
    "MAX_RING",
    "REGIMES",
    "GrowthFit",
    "PhaseRing",
    "growth_exponent",
    "kpz_coefficients",
]

DISORDERS = ("noise", "columnar")
MAX_RING = 1 << 17
"""Most oscillators one ring holds."""
GROWTH_EXPONENTS = {"random deposition": 0.5, "Edwards-Wilkinson": 0.25, "KPZ": 1.0 / 3.0}
"""Reference growth exponents beta of a 1D interface, W ~ t^beta (Barabasi and Stanley)."""
REGIMES = {
    "random deposition": {"coupling": 0.0, "alpha": 0.0, "disorder": "noise", "strength": 0.1},
    "Edwards-Wilkinson": {"coupling": 1.0, "alpha": 0.0, "disorder": "noise", "strength": 0.05},
    "KPZ": {"coupling": 1.0, "alpha": 1.2, "disorder": "noise", "strength": 0.02},
}
"""Ring settings whose growth exponent is tested against :data:`GROWTH_EXPONENTS` (dt = 0.05, L = 4096,
fit for t in [20, 600]; without coupling from t = 1). Stronger noise or non-oddity desynchronizes
the ring: phase slips then make W grow faster than any of the three laws."""
_CHUNK = 256
"""Steps whose noise is drawn at once."""


class GrowthFit(NamedTuple):
    """Least-squares fit of log W = beta log t + c over [t_min, t_max]."""

    beta: float
    prefactor: float
    t_min: float
    t_max: float


def kpz_coefficients(coupling: float, alpha: float) -> tuple[float, float]:
    """Continuum coefficients (nu, lambda) of the ring: :math:`\\nu = K\\cos\\alpha`, :math:`\\lambda = -2K\\sin\\alpha`.

    From :math:`\\Gamma(x) \\approx x\\cos\\alpha - \\tfrac{x^2}{2}\\sin\\alpha` summed over both neighbours.
    """
    return coupling * math.cos(alpha), -2.0 * coupling * math.sin(alpha)


def growth_exponent(times: np.ndarray, widths: np.ndarray, t_min: float | None = None, t_max: float | None = None) -> GrowthFit:
    """Growth exponent beta of :math:`W(t) \\sim t^\\beta` by least squares on log-log axes.

    Parameters
    ----------
    times, widths : array_like
        Samples of W(t); non-positive times or widths are ignored.
    t_min, t_max : float, optional
        Fit window (default: all samples).

    Returns
    -------
    GrowthFit

    Raises
    ------
    ValueError
        With fewer than 3 usable samples in the window.

    References
    ----------
    Barabasi and Stanley (1995), section 2.3.
    """
    times = np.asarray(times, dtype=float)
    widths = np.asarray(widths, dtype=float)
    low = times.min(initial=np.inf) if t_min is None else t_min
    high = times.max(initial=-np.inf) if t_max is None else t_max
    use = (times > 0) & (widths > 0) & (times >= low) & (times <= high) & np.isfinite(widths)
    if use.sum() < 3:
        raise ValueError(f"a growth exponent needs at least 3 samples with t in [{low:g}, {high:g}] and W > 0")
    slope, intercept = np.polyfit(np.log(times[use]), np.log(widths[use]), 1)
    return GrowthFit(float(slope), float(np.exp(intercept)), float(times[use].min()), float(times[use].max()))


@njit(**CACHED_JIT)
def _euler_maruyama_ring(theta, omega, coupling, alpha, dt, noise, amplitude, rate):
    """Advance ``theta`` in place by ``noise.shape[0]`` Euler-Maruyama steps; ``noise`` holds standard normals."""
    size = theta.size
    offset = math.sin(alpha)
    kick = amplitude * math.sqrt(dt)
    for i in range(noise.shape[0]):
        for j in range(size):
            here = theta[j]
            right = theta[j + 1] if j + 1 < size else theta[0]
            left = theta[j - 1]  # theta[-1] closes the ring
            rate[j] = omega[j] + coupling * (math.sin(right - here + alpha) + math.sin(left - here + alpha) - 2.0 * offset)
        if kick == 0.0:
            for j in range(size):
                theta[j] += dt * rate[j]
        else:
            for j in range(size):
                theta[j] += dt * rate[j] + kick * noise[i, j]


class PhaseRing:
    """A ring of L phase oscillators advanced in chunks, recording its interface width W(t).

    Parameters
    ----------
    size : int
        Number of oscillators L (3 to :data:`MAX_RING`).
    coupling : float
        K >= 0.
    alpha : float
        Phase lag of Gamma, in [-pi/2, pi/2]: 0 is odd (EW), otherwise KPZ.
    disorder : {"noise", "columnar"}
        Time-dependent noise of strength ``strength`` = D, or quenched
        frequencies with standard deviation ``strength`` = sigma.
    strength : float
        D or sigma, >= 0.
    dt : float
        Euler-Maruyama step.
    seed : int, optional
        Seed of the noise and the quenched frequencies.
    """

    def __init__(
        self,
        size: int = 1024,
        coupling: float = 1.0,
        alpha: float = 0.0,
        disorder: str = "noise",
        strength: float = 0.1,
        *,
        dt: float = 0.05,
        seed: int | None = None,
    ) -> None:
        if disorder not in DISORDERS:
            raise ValueError(f"disorder must be one of {', '.join(DISORDERS)}, got {disorder!r}")
        self.size = check_integer(size, "ring size", (3, MAX_RING))
        self.disorder = disorder
        self.strength = check_number(strength, "disorder strength", (0.0, 100.0))
        self.seed = None if seed is None else check_integer(seed, "seed", (0, 2**63 - 1))
        self.set_coupling(coupling, alpha)
        self.set_dt(dt)
        self.reset()

    def set_coupling(self, coupling: float, alpha: float | None = None) -> None:
        """Change K (and alpha); takes effect at the next step. Invalid values raise ``ValueError`` and change nothing."""
        coupling = check_number(coupling, "coupling K", (0.0, 100.0))
        alpha = self.alpha if alpha is None else check_number(alpha, "alpha", (-math.pi / 2, math.pi / 2))
        self.coupling, self.alpha = coupling, alpha

    def set_dt(self, dt: float) -> None:
        """Change the step (a one-step method: nothing to restart)."""
        self.dt = check_number(dt, "dt", (1e-6, 1.0))

    def reset(self) -> None:
        """A flat interface at t = 0, fresh noise and (columnar) frequencies from the seed; clears W(t)."""
        self._rng = np.random.default_rng(self.seed)
        self.theta = np.zeros(self.size)
        self._rate = np.empty(self.size)
        if self.disorder == "columnar":
            self.omega = self._rng.normal(0.0, self.strength, self.size)
        else:
            self.omega = np.zeros(self.size)
        self.t = 0.0
        self._times: list[float] = []
        self._widths: list[float] = []

    @property
    def width(self) -> float:
        """Current interface width W (:func:`engine.diagnostics.interface_width` of the unwrapped phases)."""
        return float(interface_width(self.theta))

    @property
    def order(self) -> tuple[float, float]:
        """Current Kuramoto order (r, psi) of the ring (:func:`engine.diagnostics.kuramoto_order`)."""
        r, psi = kuramoto_order(self.theta)
        return float(r), float(psi)

    def history(self) -> tuple[np.ndarray, np.ndarray]:
        """Recorded (times, W) since the last :meth:`reset`."""
        return np.array(self._times), np.array(self._widths)

    def advance(self, steps: int) -> float:
        """Advance by ``steps`` steps, record W at the end; returns W."""
        steps = check_integer(steps, "steps", (0, 10_000_000))
        amplitude = math.sqrt(2.0 * self.strength) if self.disorder == "noise" else 0.0
        done = 0
        while done < steps:
            block = min(_CHUNK, steps - done)
            if amplitude > 0.0:
                noise = self._rng.standard_normal((block, self.size))
            else:
                noise = np.empty((block, 0))
            _euler_maruyama_ring(self.theta, self.omega, self.coupling, self.alpha, self.dt, noise, amplitude, self._rate)
            done += block
        self.t += steps * self.dt
        if steps:
            self._times.append(self.t)
            self._widths.append(self.width)
        return self.width

    def run(self, t_end: float, samples: int = 40) -> tuple[np.ndarray, np.ndarray]:
        """Advance to ``t_end`` recording W at ``samples`` log-spaced times; returns :meth:`history`."""
        t_end = check_number(t_end, "t_end", (self.t + self.dt, 1e7))
        samples = check_integer(samples, "samples", (1, 10_000))
        targets = np.geomspace(max(self.t, self.dt), t_end, samples)
        for target in targets:
            steps = round((target - self.t) / self.dt)
            if steps > 0:
                self.advance(steps)
        return self.history()
