"""Nonlinear Klein-Gordon fields in 1+1 dimensions: pseudo-spectral in space, Stormer-Verlet in time.

.. math::
    \\phi_{tt} - \\phi_{xx} + V'(\\phi) = 0,\\qquad
    V(\\phi) \\in \\{\\tfrac12 m^2\\phi^2,\\ \\tfrac{\\lambda}{4}(\\phi^2 - v^2)^2,\\ 1 - \\cos\\phi\\}

on a periodic grid of n points :math:`x_j = x_{min} + jL/n` (no duplicated
endpoint), with the Laplacian taken in Fourier space (:math:`-k^2\\hat\\phi_k`,
:math:`k = 2\\pi\\,\\mathrm{fftfreq}(n, L/n)`). Time stepping is velocity Verlet
(kick-drift-kick) for :math:`\\pi = \\phi_t` at a fixed step:

.. math::
    \\pi_{n+1/2} = \\pi_n + \\tfrac h2 F(\\phi_n),\\quad
    \\phi_{n+1} = \\phi_n + h\\,\\pi_{n+1/2},\\quad
    \\pi_{n+1} = \\pi_{n+1/2} + \\tfrac h2 F(\\phi_{n+1}),\\qquad F = \\phi_{xx} - V'(\\phi).

The scheme is symplectic for the semi-discrete Hamiltonian
:math:`H = \\sum_j \\Delta x\\,[\\tfrac12\\pi_j^2 + V(\\phi_j)] + \\tfrac12\\Delta x\\sum_j \\phi_j(-\\partial_x^2\\phi)_j`,
so the energy error stays bounded, :math:`O(h^2)`, without drift. It is
linearly stable for :math:`h\\,\\omega_{max} < 2` with
:math:`\\omega_{max}^2 = k_{max}^2 + V''(\\text{vacuum})`; steps above
:math:`1/\\omega_{max}` (half that limit) are refused. The state (phi, pi) is
complete at every step, so a changed step restarts the integrator cleanly
(unlike the two-step leapfrog, whose previous field belongs to the old step).

References
----------
Hairer, E., Lubich, C., Wanner, G., Geometric numerical integration illustrated by
the Stormer-Verlet method, Acta Numerica 12 (2003) 399-450.
Trefethen, L. N., Spectral Methods in MATLAB, SIAM (2000), chapters 3-4.
Herho, S. et al., amangkurat: idealized (1+1)D nonlinear Klein-Gordon solver,
https://github.com/sandyherho/amangkurat.
Campbell, D. K., Schonfeld, J. F., Wingate, C. A., Resonance structure in
kink-antikink interactions in phi^4 theory, Physica D 9 (1983) 1-32.
"""
from __future__ import annotations

import math
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from numba import njit

from ..diagnostics import renyi, shannon, tsallis
from ..jit import CACHED_JIT
from ..system import check_integer, check_number

if TYPE_CHECKING:  # xarray is imported where it is used: it costs start-up time
    import xarray as xr

__all__ = [
    "CFL_NUMBER",
    "DEFAULT_DT_FRACTION",
    "INITIAL_CONDITIONS",
    "INITIAL_PARAMETERS",
    "PARAMETERS",
    "POTENTIALS",
    "FieldSimulation",
    "PeriodicGrid",
    "energy",
    "energy_density",
    "entropies",
    "initial_field",
    "kink_mass",
    "momentum",
    "potential_energy",
    "potential_force",
    "sine_gordon_breather",
]

POTENTIALS = ("linear", "phi4", "sine_gordon")
INITIAL_CONDITIONS = ("wave_packet", "kink_antikink", "breather", "collision")
CFL_NUMBER = 1.0
"""Largest allowed :math:`h\\,\\omega_{max}` (Verlet's linear stability limit is 2)."""
DEFAULT_DT_FRACTION = 0.25
"""Default step as a fraction of the CFL bound: relative energy errors near 1e-4 through kink collisions."""
PARAMETERS = {
    "linear": {"mass": (1.0, (0.0, 10.0))},
    "phi4": {"lam": (1.0, (0.01, 10.0)), "v": (1.0, (0.1, 5.0))},
    "sine_gordon": {},
}
"""Potential parameters: name -> (default, bounds)."""
INITIAL_PARAMETERS = {
    "wave_packet": {"amplitude": (1.0, (-10.0, 10.0)), "width": (2.0, (0.05, 100.0)), "wavenumber": (0.0, (-50.0, 50.0)), "center": (0.0, (-1e4, 1e4))},
    "kink_antikink": {"separation": (20.0, (0.5, 1e4)), "speed": (0.0, (-0.99, 0.99))},
    "collision": {"separation": (20.0, (0.5, 1e4)), "speed": (0.3, (-0.99, 0.99))},
    "breather": {"omega": (0.5, (0.01, 0.99))},
}
"""Initial-condition parameters: name -> (default, bounds). ``collision`` is a kink-antikink pair sent at each other."""


def _checked(table: Mapping[str, tuple[float, tuple[float, float]]], values: Mapping[str, Any] | None, what: str) -> dict[str, float]:
    values = dict(values or {})
    unknown = set(values) - set(table)
    if unknown:
        raise ValueError(f"unknown {what} parameter(s) {', '.join(sorted(map(str, unknown)))}; known: {', '.join(table) or 'none'}")
    return {name: check_number(values.get(name, default), name, bounds) for name, (default, bounds) in table.items()}


def _check_potential(potential: Any) -> str:
    if potential not in POTENTIALS:
        raise ValueError(f"potential must be one of {', '.join(POTENTIALS)}, got {potential!r}")
    return potential


@dataclass(frozen=True)
class PeriodicGrid:
    """A periodic grid of ``n`` points on [x_min, x_max), spacing L/n, with its wavenumbers.

    Parameters
    ----------
    n : int
        Number of points, 16 to 65536.
    x_min, x_max : float
        The domain; x_max is the image of x_min, not a grid point.
    """

    n: int
    x_min: float
    x_max: float

    def __post_init__(self) -> None:
        object.__setattr__(self, "n", check_integer(self.n, "grid points", (16, 65536)))
        low = check_number(self.x_min, "x_min", (-1e6, 1e6))
        high = check_number(self.x_max, "x_max", (-1e6, 1e6))
        if not high > low:
            raise ValueError(f"the domain [x_min, x_max) must have x_max > x_min, got [{low:g}, {high:g})")
        object.__setattr__(self, "x_min", low)
        object.__setattr__(self, "x_max", high)

    @property
    def length(self) -> float:
        return self.x_max - self.x_min

    @property
    def dx(self) -> float:
        return self.length / self.n

    @property
    def x(self) -> np.ndarray:
        return self.x_min + self.dx * np.arange(self.n)

    @property
    def k(self) -> np.ndarray:
        """Wavenumbers of ``numpy.fft.rfft``: :math:`2\\pi j / L`, j = 0 .. n/2."""
        return 2.0 * np.pi * np.fft.rfftfreq(self.n, self.dx)

    @property
    def k_max(self) -> float:
        return float(np.pi / self.dx)


def potential_energy(phi: np.ndarray, potential: str, params: Mapping[str, float]) -> np.ndarray:
    """V(phi): :math:`\\tfrac12 m^2\\phi^2`, :math:`\\tfrac\\lambda4(\\phi^2 - v^2)^2` or :math:`1 - \\cos\\phi` (all >= 0)."""
    if potential == "linear":
        return 0.5 * params["mass"] ** 2 * phi**2
    if potential == "phi4":
        return 0.25 * params["lam"] * (phi**2 - params["v"] ** 2) ** 2
    return 1.0 - np.cos(phi)


def potential_force(phi: np.ndarray, potential: str, params: Mapping[str, float]) -> np.ndarray:
    """V'(phi): :math:`m^2\\phi`, :math:`\\lambda\\phi(\\phi^2 - v^2)` or :math:`\\sin\\phi`."""
    if potential == "linear":
        return params["mass"] ** 2 * phi
    if potential == "phi4":
        return params["lam"] * phi * (phi**2 - params["v"] ** 2)
    return np.sin(phi)


def _vacuum_mass2(potential: str, params: Mapping[str, float]) -> float:
    """V'' at the vacuum: m^2, 2 lambda v^2 or 1."""
    if potential == "linear":
        return params["mass"] ** 2
    if potential == "phi4":
        return 2.0 * params["lam"] * params["v"] ** 2
    return 1.0


def kink_mass(potential: str, params: Mapping[str, float] | None = None) -> float:
    """Rest energy of one kink: :math:`\\tfrac{2\\sqrt2}{3}\\sqrt\\lambda\\, v^3` (phi^4) or 8 (sine-Gordon).

    References
    ----------
    Rajaraman, R., Solitons and Instantons, North-Holland (1982), section 2.3.
    """
    potential = _check_potential(potential)
    params = _checked(PARAMETERS[potential], params, potential)
    if potential == "phi4":
        return 2.0 * math.sqrt(2.0) / 3.0 * math.sqrt(params["lam"]) * params["v"] ** 3
    if potential == "sine_gordon":
        return 8.0
    raise ValueError("the linear potential has no kinks")


def sine_gordon_breather(x: np.ndarray, t: float, omega: float) -> tuple[np.ndarray, np.ndarray]:
    """The exact sine-Gordon breather at rest and its time derivative.

    .. math::
        \\phi = 4\\arctan\\frac{\\eta\\sin\\omega t}{\\omega\\cosh\\eta x},\\qquad \\eta = \\sqrt{1 - \\omega^2},

    with energy :math:`16\\eta`.

    References
    ----------
    Ablowitz, Kaup, Newell, Segur, Method for solving the sine-Gordon equation,
    Phys. Rev. Lett. 30 (1973) 1262.
    """
    omega = check_number(omega, "omega", (1e-6, 1.0 - 1e-9))
    eta = math.sqrt(1.0 - omega * omega)
    u = eta / omega * math.sin(omega * t) / np.cosh(eta * x)
    u_t = eta * math.cos(omega * t) / np.cosh(eta * x)
    return 4.0 * np.arctan(u), 4.0 * u_t / (1.0 + u * u)


def _kink(x: np.ndarray, center: float, speed: float, potential: str, params: Mapping[str, float]) -> tuple[np.ndarray, np.ndarray]:
    """A kink from the lower to the upper vacuum centred at ``center`` moving at ``speed``, and its phi_t.

    phi^4: :math:`v\\tanh(a\\gamma(x - x_0 - ut))`, :math:`a = v\\sqrt{\\lambda/2}`;
    sine-Gordon: :math:`4\\arctan e^{\\gamma(x - x_0 - ut)}` (from 0 to 2 pi)."""
    gamma = 1.0 / math.sqrt(1.0 - speed * speed)
    if potential == "phi4":
        a = params["v"] * math.sqrt(0.5 * params["lam"]) * gamma
        z = a * (x - center)
        phi = params["v"] * np.tanh(z)
        return phi, -speed * a * params["v"] / np.cosh(z) ** 2
    z = gamma * (x - center)
    return 4.0 * np.arctan(np.exp(z)), -speed * gamma * 2.0 / np.cosh(z)


def initial_field(
    grid: PeriodicGrid, initial: str, potential: str, params: Mapping[str, float] | None = None, initial_params: Mapping[str, Any] | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Initial (phi, phi_t) on ``grid``.

    ``wave_packet``
        :math:`A e^{-(x - x_0)^2/2w^2}\\cos(k_0 (x - x_0))` at rest.
    ``kink_antikink``, ``collision``
        A kink at :math:`-d/2` moving at +u and an antikink at :math:`+d/2`
        moving at -u (phi^4 or sine-Gordon), centred in the domain; their sum
        minus the middle vacuum is periodic up to :math:`e^{-a(L-d)}`. A single
        kink would not fit a periodic domain.
    ``breather``
        The exact sine-Gordon breather (:func:`sine_gordon_breather`) at t = 0.
    """
    potential = _check_potential(potential)
    if initial not in INITIAL_CONDITIONS:
        raise ValueError(f"initial condition must be one of {', '.join(INITIAL_CONDITIONS)}, got {initial!r}")
    params = _checked(PARAMETERS[potential], params, potential)
    values = _checked(INITIAL_PARAMETERS[initial], initial_params, initial)
    x = grid.x
    middle = 0.5 * (grid.x_min + grid.x_max)
    if initial == "wave_packet":
        z = x - values["center"]
        return values["amplitude"] * np.exp(-0.5 * (z / values["width"]) ** 2) * np.cos(values["wavenumber"] * z), np.zeros(grid.n)
    if initial == "breather":
        if potential != "sine_gordon":
            raise ValueError("the breather is a solution of the sine-Gordon potential only")
        return sine_gordon_breather(x - middle, 0.0, values["omega"])
    if potential == "linear":
        raise ValueError("kinks need a potential with two vacua: choose phi4 or sine_gordon")
    half = 0.5 * values["separation"]
    if half >= 0.5 * grid.length:
        raise ValueError(f"separation {values['separation']:g} must be shorter than the domain length {grid.length:g}")
    kink, kink_t = _kink(x, middle - half, values["speed"], potential, params)
    anti, anti_t = _kink(x, middle + half, -values["speed"], potential, params)
    lower = -params["v"] if potential == "phi4" else 0.0  # the vacuum outside the pair
    return kink - anti + lower, kink_t - anti_t


def _derivative(phi: np.ndarray, grid: PeriodicGrid) -> np.ndarray:
    """Spectral :math:`\\partial_x\\phi` (the Nyquist mode, which has no real derivative, dropped)."""
    spectrum = np.fft.rfft(phi) * (1j * grid.k)
    if grid.n % 2 == 0:
        spectrum[-1] = 0.0
    return np.fft.irfft(spectrum, grid.n)


def _laplacian(phi: np.ndarray, grid: PeriodicGrid) -> np.ndarray:
    """Spectral :math:`\\partial_x^2\\phi = \\mathcal F^{-1}[-k^2\\hat\\phi]`."""
    return np.fft.irfft(np.fft.rfft(phi) * -(grid.k**2), grid.n)


def energy_density(
    phi: np.ndarray, phi_t: np.ndarray, grid: PeriodicGrid, potential: str, params: Mapping[str, float] | None = None
) -> np.ndarray:
    """Energy density :math:`e = \\tfrac12\\phi_t^2 + \\tfrac12\\phi_x^2 + V(\\phi)`, non-negative by construction."""
    potential = _check_potential(potential)
    params = _checked(PARAMETERS[potential], params, potential)
    return 0.5 * phi_t**2 + 0.5 * _derivative(phi, grid) ** 2 + potential_energy(phi, potential, params)


def energy(phi: np.ndarray, phi_t: np.ndarray, grid: PeriodicGrid, potential: str, params: Mapping[str, float] | None = None) -> float:
    """The semi-discrete Hamiltonian the scheme conserves.

    .. math::
        H = \\Delta x\\sum_j\\bigl[\\tfrac12\\pi_j^2 + V(\\phi_j) - \\tfrac12\\phi_j(\\partial_x^2\\phi)_j\\bigr]
          = \\int e\\,dx \\text{ up to the Nyquist mode}
    """
    potential = _check_potential(potential)
    params = _checked(PARAMETERS[potential], params, potential)
    terms = 0.5 * phi_t**2 + potential_energy(phi, potential, params) - 0.5 * phi * _laplacian(phi, grid)
    return float(grid.dx * terms.sum())


def momentum(phi: np.ndarray, phi_t: np.ndarray, grid: PeriodicGrid) -> float:
    """Field momentum :math:`P = -\\int \\phi_t\\,\\phi_x\\,dx` (zero for a field at rest)."""
    return float(-grid.dx * np.dot(phi_t, _derivative(phi, grid)))


def entropies(density: np.ndarray, q: float = 2.0) -> dict[str, float]:
    """Shannon, Renyi and Tsallis entropies of :math:`p_j = e_j / \\sum e`, a probability mass over grid points.

    Unlike amangkurat's script, which normalises by the integral and sums
    without dx (so the values depend on the grid and can be negative), these
    are the entropies of a probability vector: Shannon in [0, ln n].

    Returns
    -------
    dict
        ``shannon``, ``renyi`` (order q), ``tsallis`` (index q), from :mod:`engine.diagnostics`.
    """
    return {"shannon": float(shannon(density)), "renyi": float(renyi(density, q)), "tsallis": float(tsallis(density, q))}


@njit(**CACHED_JIT)
def _kick_drift(phi, pi, lap, code, a, b, kick, drift, half, probe):
    """One fused pass: ``F = lap - V'(phi)``, ``pi += kick F``, ``phi += drift pi``.

    Returns phi and the synchronised ``pi + half F`` at the probe point before the update."""
    probe_phi = phi[probe]
    probe_pi = pi[probe]
    for j in range(phi.size):
        f = phi[j]
        if code == 0:
            force = lap[j] - a * f
        elif code == 1:
            force = lap[j] - a * f * (f * f - b)
        else:
            force = lap[j] - math.sin(f)
        if j == probe:
            probe_pi += half * force
        pi[j] += kick * force
        phi[j] += drift * pi[j]
    return probe_phi, probe_pi


class FieldSimulation:
    """A Klein-Gordon field advanced in chunks: the live simulation of the fields page.

    Each :meth:`advance` keeps one snapshot (t, phi, energy, momentum) in a
    bounded history for the space-time image and returns the probe point's
    (phi, phi_t) at every step for the phase plane.

    Parameters
    ----------
    potential : {"linear", "phi4", "sine_gordon"}
    initial : {"wave_packet", "kink_antikink", "breather", "collision"}
    n : int
        Grid points.
    x_min, x_max : float
        Periodic domain [x_min, x_max).
    dt : float, optional
        Fixed step; default :data:`DEFAULT_DT_FRACTION` of the CFL bound :attr:`max_dt`. A step above it is refused.
    params : mapping, optional
        Potential parameters (``mass``; ``lam``, ``v``).
    initial_params : mapping, optional
        Initial-condition parameters (see :data:`INITIAL_PARAMETERS`).
    probe : float, optional
        Position of the probe point (default the middle of the domain).
    capacity : int
        Snapshots kept.
    """

    def __init__(
        self,
        potential: str = "phi4",
        initial: str = "collision",
        n: int = 1024,
        x_min: float = -50.0,
        x_max: float = 50.0,
        *,
        dt: float | None = None,
        params: Mapping[str, Any] | None = None,
        initial_params: Mapping[str, Any] | None = None,
        probe: float | None = None,
        capacity: int = 600,
    ) -> None:
        self.potential = _check_potential(potential)
        self.params = _checked(PARAMETERS[self.potential], params, self.potential)
        self.grid = PeriodicGrid(n, x_min, x_max)
        self.initial = initial
        self.initial_params = _checked(INITIAL_PARAMETERS.get(initial, {}), initial_params, str(initial))
        initial_field(self.grid, initial, self.potential, self.params, self.initial_params)  # refuses bad combinations now
        self.capacity = check_integer(capacity, "capacity", (2, 100_000))
        self.set_probe(0.5 * (self.grid.x_min + self.grid.x_max) if probe is None else probe)
        self._minus_k2 = -(self.grid.k**2)
        with np.errstate(divide="ignore", invalid="ignore"):
            derivative = np.where(self.grid.k > 0, -1j / self.grid.k, 0.0)  # (i k) / (-k^2): Laplacian to gradient
        if self.grid.n % 2 == 0:
            derivative[-1] = 0.0  # the Nyquist mode has no real derivative
        self._lap_to_derivative = derivative
        self._spectrum = np.empty(self.grid.n // 2 + 1, dtype=complex)
        self._lap = np.empty(self.grid.n)
        self._lock = threading.RLock()
        self.dt = DEFAULT_DT_FRACTION * self.max_dt if dt is None else self._check_dt(dt)
        self.reset()

    @property
    def max_dt(self) -> float:
        """CFL bound :math:`C/\\omega_{max}`, :math:`\\omega_{max} = \\sqrt{k_{max}^2 + V''(\\text{vacuum})}`, C = :data:`CFL_NUMBER`."""
        return CFL_NUMBER / math.sqrt(self.grid.k_max**2 + _vacuum_mass2(self.potential, self.params))

    @property
    def x(self) -> np.ndarray:
        return self.grid.x

    @property
    def changes(self) -> tuple[str, ...]:
        """Step and parameter changes since :meth:`reset`, ``"t=... name old -> new"``."""
        return tuple(self._changes)

    def _check_dt(self, dt: Any) -> float:
        dt = check_number(dt, "dt", (1e-9, 10.0))
        if dt > self.max_dt * (1 + 1e-12):
            raise ValueError(
                f"dt = {dt:g} exceeds the CFL bound {self.max_dt:.4g} = {CFL_NUMBER:g}/omega_max of this grid "
                f"(omega_max = {CFL_NUMBER / self.max_dt:.4g}); choose a smaller step or fewer grid points"
            )
        return dt

    def reset(self) -> None:
        """The initial field again at t = 0; clears the history and the change log."""
        with self._lock:
            phi, phi_t = initial_field(self.grid, self.initial, self.potential, self.params, self.initial_params)
            self.phi = np.ascontiguousarray(phi)
            self.pi = np.ascontiguousarray(phi_t)
            self.t = 0.0
            self._changes: list[str] = []
            self._force = self._force_of(self.phi)
            self._times = np.empty(self.capacity)
            self._snapshots = np.empty((self.capacity, self.grid.n))
            self._energies = np.empty(self.capacity)
            self._momenta = np.empty(self.capacity)
            self._count = 0
            self._laplacian_into(self.phi, self._lap)
            self._record(self._lap)
            self.energy0 = self._energy_now

    def set_probe(self, x: Any) -> None:
        """Move the probe to the grid point nearest ``x`` (inside the domain)."""
        x = check_number(x, "probe", (self.grid.x_min, self.grid.x_max))
        self.probe = int(np.argmin(np.abs(self.grid.x - x)))

    def set_dt(self, dt: Any) -> None:
        """Change the step; the Verlet state (phi, phi_t) is complete, so the next step starts cleanly.
        A step above :attr:`max_dt` raises ``ValueError`` and changes nothing."""
        dt = self._check_dt(dt)
        with self._lock:
            if dt != self.dt:
                self._changes.append(f"t={self.t:.10g} dt {self.dt!r} -> {dt!r}")
            self.dt = dt

    def set_params(self, **values: Any) -> None:
        """Change potential parameters from now on; the energy reference becomes the new energy.
        Invalid values (or a step the new CFL bound refuses) raise ``ValueError`` and change nothing."""
        new = _checked(PARAMETERS[self.potential], {**self.params, **values}, self.potential)
        old = self.params
        with self._lock:
            self.params = new
            if self.dt > self.max_dt * (1 + 1e-12):
                self.params = old
                raise ValueError(f"with {values} the CFL bound drops to below dt = {self.dt:g}; lower dt first")
            for name in new:
                if new[name] != old[name]:
                    self._changes.append(f"t={self.t:.10g} {name} {old[name]!r} -> {new[name]!r}")
            self._force = self._force_of(self.phi)
            self.energy0 = self._energy_now = self.energy()

    def _laplacian_into(self, phi: np.ndarray, out: np.ndarray) -> None:
        """Spectral Laplacian of ``phi`` into ``out``; its spectrum stays in ``self._spectrum``."""
        np.fft.rfft(phi, out=self._spectrum)
        self._spectrum *= self._minus_k2
        np.fft.irfft(self._spectrum, self.grid.n, out=out)

    def _force_of(self, phi: np.ndarray) -> np.ndarray:
        return _laplacian(phi, self.grid) - potential_force(phi, self.potential, self.params)

    def _coefficients(self) -> tuple[int, float, float]:
        if self.potential == "linear":
            return 0, self.params["mass"] ** 2, 0.0
        if self.potential == "phi4":
            return 1, self.params["lam"], self.params["v"] ** 2
        return 2, 0.0, 0.0

    def advance(self, steps: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Advance by ``steps`` Verlet steps and keep a snapshot.

        Returns
        -------
        times, probe_phi, probe_phi_t : ndarray, shape (steps,)
            The probe point's state after each step.
        """
        steps = check_integer(steps, "steps", (0, 10_000_000))
        times = self.t + self.dt * np.arange(1, steps + 1)
        probe_phi = np.empty(steps)
        probe_pi = np.empty(steps)
        if steps == 0:
            return times, probe_phi, probe_pi
        with self._lock:
            phi, pi, dt, half = self.phi, self.pi, self.dt, 0.5 * self.dt
            code, a, b = self._coefficients()
            lap = self._lap
            pi += half * self._force
            phi += dt * pi
            for i in range(steps - 1):
                self._laplacian_into(phi, lap)
                probe_phi[i], probe_pi[i] = _kick_drift(phi, pi, lap, code, a, b, dt, dt, half, self.probe)
            self._laplacian_into(phi, lap)
            probe_phi[-1], probe_pi[-1] = _kick_drift(phi, pi, lap, code, a, b, half, 0.0, half, self.probe)
            self._force = lap - potential_force(phi, self.potential, self.params)
            self.t = float(times[-1])
            self._record(lap)
        return times, probe_phi, probe_pi

    def _record(self, lap: np.ndarray) -> None:
        """Keep a snapshot with its :func:`energy` and :func:`momentum`, from the Laplacian of the
        current field and its spectrum (left by :meth:`_laplacian_into`): one more inverse FFT."""
        self._spectrum *= self._lap_to_derivative
        derivative = np.fft.irfft(self._spectrum, self.grid.n)
        dx = self.grid.dx
        self._energy_now = float(dx * np.sum(0.5 * self.pi**2 + potential_energy(self.phi, self.potential, self.params) - 0.5 * self.phi * lap))
        slot = self._count % self.capacity
        self._times[slot] = self.t
        self._snapshots[slot] = self.phi
        self._energies[slot] = self._energy_now
        self._momenta[slot] = -dx * float(np.dot(self.pi, derivative))
        self._count += 1

    def energy(self) -> float:
        """Current :func:`energy`."""
        return energy(self.phi, self.pi, self.grid, self.potential, self.params)

    def momentum(self) -> float:
        """Current :func:`momentum`."""
        return momentum(self.phi, self.pi, self.grid)

    @property
    def energy_error(self) -> float:
        """:math:`|E - E_0| / \\max(|E_0|, 10^{-12})`, against the energy at the start or the last parameter change."""
        return abs(self._energy_now - self.energy0) / max(abs(self.energy0), 1e-12)

    def energy_density(self) -> np.ndarray:
        """Current :func:`energy_density`."""
        return energy_density(self.phi, self.pi, self.grid, self.potential, self.params)

    def entropies(self, q: float = 2.0) -> dict[str, float]:
        """:func:`entropies` of the current energy density."""
        return entropies(self.energy_density(), q)

    def history(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Kept snapshots in time order: times (k,), phi (k, n), energies (k,), momenta (k,)."""
        with self._lock:
            k = min(self._count, self.capacity)
            order = (np.arange(k) + (self._count - k)) % self.capacity
            return self._times[order].copy(), self._snapshots[order].copy(), self._energies[order].copy(), self._momenta[order].copy()

    def to_dataset(self) -> xr.Dataset:
        """The kept snapshots as an ``xarray.Dataset`` over ``time`` and ``x``, with provenance attributes.

        Variables ``phi(time, x)``, ``energy(time)``, ``momentum(time)``; the
        current ``phi_t(x)``; attributes name the potential, its parameters,
        the initial condition and its parameters, the grid, dt, the change log
        and the package version (write it with :func:`engine.save`).
        """
        import xarray as xr

        from .._version import __version__

        with self._lock:
            times, phi, energies, momenta = self.history()
            attrs = {
                "system": "Klein-Gordon",
                "potential": self.potential,
                "initial": self.initial,
                **{f"param_{k}": v for k, v in self.params.items()},
                **{f"initial_{k}": v for k, v in self.initial_params.items()},
                "grid_points": self.grid.n,
                "x_min": self.grid.x_min,
                "x_max": self.grid.x_max,
                "dt": self.dt,
                "max_dt": self.max_dt,
                "energy0": self.energy0,
                "changes": "\n".join(self._changes),
                "phasescope_version": __version__,
            }
            return xr.Dataset(
                {
                    "phi": (("time", "x"), phi, {"long_name": "field"}),
                    "energy": ("time", energies, {"long_name": "total energy"}),
                    "momentum": ("time", momenta, {"long_name": "field momentum"}),
                    "phi_t": ("x", self.pi.copy(), {"long_name": "time derivative of the field at the last time"}),
                },
                coords={"time": ("time", times, {"units": "time units"}), "x": ("x", self.grid.x, {"units": "length units"})},
                attrs=attrs,
            )
