"""The Couzin zone model of a fish school in three dimensions.

Every agent swims at constant speed along a unit heading and, each step,
turns toward a desired direction set by its visible neighbours:

* zone of repulsion (distance < r_r): ``d = -sum_j r_ij / |r_ij|``, which
  overrides everything else;
* otherwise the zone of orientation (r_r <= distance < r_o = r_r + width_o):
  ``d_o = sum_j v_j``, and the zone of attraction (r_o <= distance <
  r_a = r_o + width_a): ``d_a = sum_j r_ij / |r_ij|``;
* neighbours in the rear blind cone (half-angle ``blind_angle`` around
  ``-v_i``) are not seen;
* the heading turns toward ``d`` by at most ``turning_rate * dt`` per step,
  with angular noise of standard deviation ``noise``; positions move by
  ``speed * dt * v_i``.

Two rules share the neighbour search and everything else:

``"couzin2002"``
    Couzin et al. (2002): ``d = (d_o/|d_o| + d_a/|d_a|) / 2`` when both zones
    are occupied; the desired direction is rotated by a wrapped Gaussian
    angle (a tangent Gaussian of standard deviation ``noise`` mapped onto
    the sphere), then the heading rotates toward it on the great circle.
``"dewi-kadita"``
    The update of the dewi-kadita package (``core/solver.py``):
    ``d = d_o + d_a`` normalised; the heading is interpolated linearly
    toward ``d`` with the step ``turning_rate * dt / angle`` (or set to
    ``d`` within reach), then ``noise * N(0, I_3)`` is added and the
    heading renormalised.

Space is open or a periodic cube of side ``box_size`` (minimum-image
displacements). Neighbours are found with cell lists of side at least r_a
(O(N) per step for a spread-out school); :func:`neighbours` with
``method="all"`` is the O(N^2) reference the cell lists are tested against
(the same pairs exactly). The pair loop has no branches and its sums may be
reordered so that it vectorises: a run with cell lists and one over all pairs
agree to rounding, not bit for bit. The noise comes from each school's own
``numpy.random.Generator``, so the dewi-kadita rule follows the package's
update exactly but not its random stream (numba's global generator).

References
----------
Couzin, I. D., Krause, J., James, R., Ruxton, G. D. and Franks, N. R. (2002).
Collective memory and spatial sorting in animal groups. J. theor. Biol. 218, 1-11.

Herho, S. H. S. et al. dewi-kadita: 3D idealized Couzin fish schooling
simulator with oceanic entropy metrics. https://github.com/sandyherho/dewi-kadita
"""
from __future__ import annotations

import dataclasses
import math
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from numba import njit

from ..jit import CACHED_JIT
from ..stream import Change
from ..system import check_integer, check_number

if TYPE_CHECKING:  # xarray is imported where it is used: it costs start-up time
    import xarray as xr

__all__ = [
    "BOUNDARIES",
    "COUZIN_2002",
    "DEWI_KADITA_CASES",
    "RULES",
    "CouzinParams",
    "School",
    "nearest_distances",
    "neighbours",
    "orientation_sweep",
]

RULES = ("couzin2002", "dewi-kadita")
BOUNDARIES = ("open", "periodic")
MAX_AGENTS = 20_000
MAX_STEPS = 1_000_000

_BOUNDS: dict[str, tuple[float, float]] = {
    "repulsion": (0.05, 10.0),
    "orientation_width": (0.0, 50.0),
    "attraction_width": (0.0, 50.0),
    "blind_angle": (0.0, 179.0),
    "turning_rate": (1e-3, 100.0),
    "noise": (0.0, 3.0),
    "speed": (1e-3, 50.0),
    "dt": (1e-3, 1.0),
    "box_size": (1.0, 10_000.0),
}


@dataclass(frozen=True)
class CouzinParams:
    """Parameters of a school; every value is checked when the object is made.

    Parameters
    ----------
    n : int
        Number of agents, 2 to 20,000.
    repulsion : float
        Radius r_r of the zone of repulsion.
    orientation_width : float
        Width of the zone of orientation, r_o - r_r (Couzin's Delta r_o).
    attraction_width : float
        Width of the zone of attraction, r_a - r_o (Couzin's Delta r_a).
    blind_angle : float
        Half-angle of the rear blind cone in degrees (45 is Couzin's field
        of perception of 270 degrees).
    turning_rate : float
        Largest turn in radians per unit time; a step turns at most
        ``turning_rate * dt``.
    noise : float
        Standard deviation of the angular noise in radians, per step.
    speed : float
        Constant speed.
    dt : float
        Time step.
    boundary : {"open", "periodic"}
        Open space or a periodic cube.
    box_size : float
        Side of the periodic cube; in open space, the side of the cube the
        agents start in.
    rule : {"couzin2002", "dewi-kadita"}
        Update rule (see the module docstring).
    """

    n: int = 100
    repulsion: float = 1.0
    orientation_width: float = 2.0
    attraction_width: float = 14.0
    blind_angle: float = 45.0
    turning_rate: float = math.radians(40.0)
    noise: float = 0.05
    speed: float = 3.0
    dt: float = 0.1
    boundary: str = "open"
    box_size: float = 8.0
    rule: str = "couzin2002"

    def __post_init__(self) -> None:
        object.__setattr__(self, "n", check_integer(self.n, "n", (2, MAX_AGENTS)))
        for name, bounds in _BOUNDS.items():
            object.__setattr__(self, name, check_number(getattr(self, name), name, bounds))
        if self.boundary not in BOUNDARIES:
            raise ValueError(f"boundary must be one of {BOUNDARIES}, got {self.boundary!r}")
        if self.rule not in RULES:
            raise ValueError(f"rule must be one of {RULES}, got {self.rule!r}")

    @property
    def r_orientation(self) -> float:
        """Outer radius of the zone of orientation, r_r + width_o."""
        return self.repulsion + self.orientation_width

    @property
    def r_attraction(self) -> float:
        """Outer radius of the zone of attraction (the range of perception), r_o + width_a."""
        return self.r_orientation + self.attraction_width

    @property
    def periodic(self) -> bool:
        """True in a periodic cube."""
        return self.boundary == "periodic"

    def replace(self, **changes: Any) -> CouzinParams:
        """A copy with ``changes`` applied and checked (``ValueError`` names a bad value)."""
        unknown = set(changes) - {f.name for f in dataclasses.fields(self)}
        if unknown:
            raise ValueError(f"unknown school parameter(s): {', '.join(sorted(unknown))}")
        return dataclasses.replace(self, **changes)

    @classmethod
    def from_radii(cls, r_repulsion: float, r_orientation: float, r_attraction: float, **others: Any) -> CouzinParams:
        """Parameters given by zone radii r_r < r_o <= r_a (as dewi-kadita does) instead of widths."""
        if not r_repulsion < r_orientation <= r_attraction:
            raise ValueError(f"zone radii must satisfy r_r < r_o <= r_a, got {r_repulsion}, {r_orientation}, {r_attraction}")
        return cls(
            repulsion=r_repulsion,
            orientation_width=r_orientation - r_repulsion,
            attraction_width=r_attraction - r_orientation,
            **others,
        )


def _dewi_case(n, box, speed, r_r, r_o, r_a, max_turn, noise, blind, steps, seed) -> dict:
    params = CouzinParams.from_radii(
        r_r, r_o, r_a, n=n, box_size=box, speed=speed, turning_rate=max_turn / 0.1, noise=noise,
        blind_angle=blind, dt=0.1, boundary="periodic", rule="dewi-kadita",
    )
    return {"params": params, "steps": steps, "seed": seed}


DEWI_KADITA_CASES: dict[str, dict] = {
    "swarm": _dewi_case(150, 25.0, 1.0, 2.0, 3.0, 15.0, 0.40, 0.20, 30.0, 1000, 42),
    "torus": _dewi_case(300, 20.0, 0.8, 1.0, 5.0, 14.0, 0.15, 0.02, 120.0, 2000, 2024),
    "dynamic parallel": _dewi_case(180, 28.0, 1.2, 1.0, 10.0, 18.0, 0.35, 0.12, 25.0, 1500, 456),
    "highly parallel": _dewi_case(250, 35.0, 1.5, 1.0, 12.0, 20.0, 0.20, 0.05, 20.0, 1000, 789),
}
"""dewi-kadita's four case configurations (``configs/case*.txt``): ``params`` (its
``max_turn`` per step of 0.1 as a turning rate), ``steps`` and ``seed``."""

COUZIN_2002 = CouzinParams()
"""Couzin et al. (2002) in open space: r_r = 1, speed 3, 40 degrees/s, noise 0.05 rad,
field of perception 270 degrees, tau = 0.1, Delta r_a = 14, 100 agents, starting
in a cube of side 8. Vary ``orientation_width``: here a swarm at 0, a torus from
about 0.25 to 1.5 from a random start (up to about 2 when reached from a swarm),
a dynamic parallel group above, highly parallel (P near 1) from about 6."""

_RULE_CODE = {"couzin2002": 0, "dewi-kadita": 1}
_PAIR_JIT = {**CACHED_JIT, "fastmath": {"reassoc", "contract", "nsz", "arcp"}}
"""The pair loop's options: sums may be reordered (so it vectorises); no NaN/inf assumptions."""
_MAX_CELLS_PER_AGENT = 4


# ------------------------------------------------------------------ numba kernels
@njit(**CACHED_JIT)
def _displacement(xi, yi, zi, xj, yj, zj, box, periodic):
    """Vector from i to j, the nearest periodic image in a box."""
    dx, dy, dz = xj - xi, yj - yi, zj - zi
    if periodic:  # both inside [0, box): one correction reaches the nearest image
        half = 0.5 * box
        if dx > half:
            dx -= box
        elif dx < -half:
            dx += box
        if dy > half:
            dy -= box
        elif dy < -half:
            dy += box
        if dz > half:
            dz -= box
        elif dz < -half:
            dz += box
    return dx, dy, dz


@njit(**CACHED_JIT)
def _cell_grid(pos, radius, box, periodic, cell_of, dims, origin):
    """Assign each agent a cell of side >= ``radius``; fill ``dims`` and ``origin``; return the cell count."""
    n = pos.shape[0]
    if periodic:
        for d in range(3):
            dims[d] = max(1, int(box // radius))
            origin[d] = 0.0
        sides = (box / dims[0], box / dims[1], box / dims[2])
    else:
        low = np.empty(3)
        high = np.empty(3)
        for d in range(3):
            low[d] = pos[:, d].min()
            high[d] = pos[:, d].max()
            origin[d] = low[d]
        side = radius
        cap = max(64, _MAX_CELLS_PER_AGENT * n)
        while True:  # a scattered school would need too many cells: make them larger
            total = 1
            for d in range(3):
                dims[d] = int((high[d] - low[d]) // side) + 1
                total *= dims[d]
            if total <= cap:
                break
            side *= 1.26
        sides = (side, side, side)
    for i in range(n):
        c = 0
        for d in range(3):
            k = int((pos[i, d] - origin[d]) // sides[d])
            k = min(max(k, 0), dims[d] - 1)
            c = c * dims[d] + k
        cell_of[i] = c
    return dims[0] * dims[1] * dims[2]


@njit(**CACHED_JIT)
def _sort_by_cell(cell_of, ncells, start, order):
    """Counting sort: agents of cell ``c`` are ``order[start[c]:start[c + 1]]``."""
    start[: ncells + 1] = 0
    for c in cell_of:
        start[c + 1] += 1
    for c in range(ncells):
        start[c + 1] += start[c]
    fill = start[:ncells].copy()
    for i in range(cell_of.size):
        c = cell_of[i]
        order[fill[c]] = i
        fill[c] += 1


@njit(**CACHED_JIT)
def _axis_cells(k, n, periodic, out):
    """Distinct neighbour cells of cell ``k`` along one axis of ``n`` cells; returns how many."""
    count = 0
    if periodic and n < 3:
        for m in range(n):
            out[count] = m
            count += 1
        return count
    for m in range(k - 1, k + 2):
        if periodic:
            out[count] = m % n
            count += 1
        elif 0 <= m < n:
            out[count] = m
            count += 1
    return count


@njit(**CACHED_JIT)
def _neighbour_ranges(c, dims, periodic, start, lo, hi):
    """Index ranges of the sorted agents in the (up to 27) cells around cell ``c``; returns how many."""
    kz = c % dims[2]
    ky = (c // dims[2]) % dims[1]
    kx = c // (dims[1] * dims[2])
    ax = np.empty(3, np.int64)
    ay = np.empty(3, np.int64)
    az = np.empty(3, np.int64)
    nx = _axis_cells(kx, dims[0], periodic, ax)
    ny = _axis_cells(ky, dims[1], periodic, ay)
    nz = _axis_cells(kz, dims[2], periodic, az)
    count = 0
    for a in range(nx):
        for b in range(ny):
            for e in range(nz):
                other = (ax[a] * dims[1] + ay[b]) * dims[2] + az[e]
                if start[other + 1] > start[other]:
                    lo[count] = start[other]
                    hi[count] = start[other + 1]
                    count += 1
    return count


@njit(**CACHED_JIT)
def _neighbour_lists(pos, radius, box, periodic, use_cells, offsets, indices):
    """Agents j != i closer than ``radius`` to each i, as CSR rows in ``offsets``/``indices``; returns the pair count."""
    n = pos.shape[0]
    r2 = radius * radius
    cell_of = np.empty(n, np.int64)
    order = np.arange(n)
    dims = np.ones(3, np.int64)
    origin = np.zeros(3)
    lo = np.zeros(27, np.int64)
    hi = np.full(27, n, np.int64)
    ncells = 1
    start = np.array([0, n])
    if use_cells:
        ncells = _cell_grid(pos, radius, box, periodic, cell_of, dims, origin)
        start = np.empty(ncells + 1, np.int64)
        _sort_by_cell(cell_of, ncells, start, order)
    count = 0
    for i in range(n):
        offsets[i] = count
        nranges = _neighbour_ranges(cell_of[i], dims, periodic, start, lo, hi) if use_cells else 1
        for r in range(nranges):
            for s in range(lo[r], hi[r]):
                j = order[s]
                if j == i:
                    continue
                dx, dy, dz = _displacement(pos[i, 0], pos[i, 1], pos[i, 2], pos[j, 0], pos[j, 1], pos[j, 2], box, periodic)
                if dx * dx + dy * dy + dz * dz < r2:
                    if count < indices.size:
                        indices[count] = j
                    count += 1
    offsets[n] = count
    return count


@njit(**CACHED_JIT)
def _unit(x, y, z):
    norm = math.sqrt(x * x + y * y + z * z)
    if norm < 1e-10:
        return 0.0, 0.0, 0.0, False
    return x / norm, y / norm, z / norm, True


@njit(**CACHED_JIT)
def _turn_couzin(vx, vy, vz, dx, dy, dz, max_turn, g0, g1, g2, noise):
    """Couzin 2002: wrap noise onto the desired direction, then rotate toward it by at most ``max_turn``."""
    if noise > 0.0:  # tangent Gaussian at d, mapped onto the sphere along its great circle
        dot = g0 * dx + g1 * dy + g2 * dz
        tx, ty, tz = noise * (g0 - dot * dx), noise * (g1 - dot * dy), noise * (g2 - dot * dz)
        angle = math.sqrt(tx * tx + ty * ty + tz * tz)
        if angle > 1e-12:
            c, s = math.cos(angle), math.sin(angle) / angle
            dx, dy, dz, _ = _unit(c * dx + s * tx, c * dy + s * ty, c * dz + s * tz)
    dot = min(1.0, max(-1.0, vx * dx + vy * dy + vz * dz))
    angle = math.acos(dot)
    if angle <= max_turn:
        return dx, dy, dz
    px, py, pz, ok = _unit(dx - dot * vx, dy - dot * vy, dz - dot * vz)
    if not ok:  # d is opposite to v: turn about any axis perpendicular to v
        if abs(vx) < 0.9:
            px, py, pz, ok = _unit(0.0, vz, -vy)
        else:
            px, py, pz, ok = _unit(-vz, 0.0, vx)
    c, s = math.cos(max_turn), math.sin(max_turn)
    return c * vx + s * px, c * vy + s * py, c * vz + s * pz


@njit(**CACHED_JIT)
def _turn_dewi(vx, vy, vz, dx, dy, dz, max_turn, g0, g1, g2, noise):
    """dewi-kadita ``_rotate_toward``: linear interpolation capped at ``max_turn``, then additive noise."""
    dot = min(1.0, max(-1.0, vx * dx + vy * dy + vz * dz))
    angle = math.acos(dot)
    nx, ny, nz = vx, vy, vz
    if angle >= 1e-10:
        if angle <= max_turn:
            nx, ny, nz = dx, dy, dz
        else:
            t = max_turn / angle
            ux, uy, uz, ok = _unit(vx * (1 - t) + dx * t, vy * (1 - t) + dy * t, vz * (1 - t) + dz * t)
            if ok:
                nx, ny, nz = ux, uy, uz
    if noise > 0.0:
        ux, uy, uz, ok = _unit(nx + g0 * noise, ny + g1 * noise, nz + g2 * noise)
        if ok:
            nx, ny, nz = ux, uy, uz
    return nx, ny, nz


@njit(**_PAIR_JIT)
def _new_heading(i, px, py, pz, hx, hy, hz, order, lo, hi, nranges, rr2, ro2, ra2, cos_blind, see_all,
                 box, periodic, rule, max_turn, noise, g):
    """Heading of sorted agent ``i`` after one step, from the agents in the ranges ``lo[r]:hi[r]``.

    The pair loop has no branches (zone membership enters as 0/1 factors),
    so it vectorises; a repulsion neighbour makes the other sums irrelevant.
    """
    vx, vy, vz = hx[i], hy[i], hz[i]
    xi, yi, zi = px[i], py[i], pz[i]
    inverse_box = 1.0 / box
    wrap = box if periodic else 0.0
    blind = -2.0 if see_all else -cos_blind
    rep_x = rep_y = rep_z = 0.0
    ori_x = ori_y = ori_z = 0.0
    att_x = att_y = att_z = 0.0
    n_rep = n_ori = n_att = 0.0
    for r in range(nranges):
        for j in range(lo[r], hi[r]):
            dx, dy, dz = px[j] - xi, py[j] - yi, pz[j] - zi
            dx -= wrap * math.floor(dx * inverse_box + 0.5)
            dy -= wrap * math.floor(dy * inverse_box + 0.5)
            dz -= wrap * math.floor(dz * inverse_box + 0.5)
            d2 = dx * dx + dy * dy + dz * dz
            dist = math.sqrt(d2)
            # seen: in range, not itself, outside the rear blind cone
            seen = 1.0 if (d2 < ra2) & (d2 >= 1e-20) & (vx * dx + vy * dy + vz * dz > blind * dist) else 0.0
            inverse = seen / max(dist, 1e-10)
            repel = inverse if d2 < rr2 else 0.0
            align = seen if (d2 >= rr2) & (d2 < ro2) else 0.0
            attract = inverse if d2 >= ro2 else 0.0
            rep_x -= dx * repel
            rep_y -= dy * repel
            rep_z -= dz * repel
            n_rep += 1.0 if repel > 0.0 else 0.0
            ori_x += hx[j] * align
            ori_y += hy[j] * align
            ori_z += hz[j] * align
            n_ori += align
            att_x += dx * attract
            att_y += dy * attract
            att_z += dz * attract
            n_att += 1.0 if attract > 0.0 else 0.0
    dx, dy, dz = vx, vy, vz
    if n_rep > 0:
        ux, uy, uz, ok = _unit(rep_x, rep_y, rep_z)
    elif rule == 0 and n_ori > 0 and n_att > 0:
        ox, oy, oz, _ = _unit(ori_x, ori_y, ori_z)
        ax, ay, az, _ = _unit(att_x, att_y, att_z)
        ux, uy, uz, ok = _unit(0.5 * (ox + ax), 0.5 * (oy + ay), 0.5 * (oz + az))
    elif n_ori > 0 or n_att > 0:
        ux, uy, uz, ok = _unit(ori_x + att_x, ori_y + att_y, ori_z + att_z)
    else:
        ux, uy, uz, ok = vx, vy, vz, True
    if ok:
        dx, dy, dz = ux, uy, uz
    k = order[i]
    if rule == 0:
        return _turn_couzin(vx, vy, vz, dx, dy, dz, max_turn, g[k, 0], g[k, 1], g[k, 2], noise)
    return _turn_dewi(vx, vy, vz, dx, dy, dz, max_turn, g[k, 0], g[k, 1], g[k, 2], noise)


@njit(**CACHED_JIT)
def _advance(pos, head, gauss, rr, ro, ra, blind_deg, max_turn, noise, stride, box, periodic, rule, use_cells):
    """Advance ``pos`` and unit ``head`` (both (N, 3), in place) by ``gauss.shape[0]`` steps.

    ``gauss[s]`` holds the standard normal draws of step ``s`` (N, 3);
    ``stride`` is speed * dt.
    """
    n = pos.shape[0]
    cos_blind = math.cos(math.radians(blind_deg))
    see_all = blind_deg <= 0.0
    rr2, ro2, ra2 = rr * rr, ro * ro, ra * ra
    cell_of = np.zeros(n, np.int64)
    order = np.arange(n)
    dims = np.ones(3, np.int64)
    origin = np.zeros(3)
    start = np.array([0, n])
    lo = np.zeros(27, np.int64)
    hi = np.full(27, n, np.int64)
    px, py, pz = np.empty(n), np.empty(n), np.empty(n)
    hx, hy, hz = np.empty(n), np.empty(n), np.empty(n)
    new = np.empty((n, 3))
    for step in range(gauss.shape[0]):
        ncells = 1
        if use_cells:
            ncells = _cell_grid(pos, ra, box, periodic, cell_of, dims, origin)
            if start.size != ncells + 1:
                start = np.empty(ncells + 1, np.int64)
            _sort_by_cell(cell_of, ncells, start, order)
        for s in range(n):  # agents in cell order: a cell's neighbours are contiguous
            k = order[s]
            px[s], py[s], pz[s] = pos[k, 0], pos[k, 1], pos[k, 2]
            hx[s], hy[s], hz[s] = head[k, 0], head[k, 1], head[k, 2]
        g = gauss[step]
        for c in range(ncells):
            if start[c + 1] == start[c]:
                continue
            nranges = _neighbour_ranges(c, dims, periodic, start, lo, hi) if use_cells else 1
            for s in range(start[c], start[c + 1]):
                new[order[s]] = _new_heading(s, px, py, pz, hx, hy, hz, order, lo, hi, nranges, rr2, ro2, ra2,
                                             cos_blind, see_all, box, periodic, rule, max_turn, noise, g)
        for k in range(n):
            for d in range(3):
                head[k, d] = new[k, d]
                x = pos[k, d] + stride * new[k, d]
                if periodic:
                    x -= box * math.floor(x / box)
                pos[k, d] = x


# ------------------------------------------------------------------ public API
def neighbours(
    positions: np.ndarray, radius: float, box_size: float | None = None, *, method: str = "cells"
) -> tuple[np.ndarray, np.ndarray]:
    """Every agent's neighbours closer than ``radius``, as compressed rows.

    Parameters
    ----------
    positions : ndarray, shape (N, 3)
        Positions (inside ``[0, box_size)`` in a periodic box).
    radius : float
        Neighbourhood radius (strict: ``|r_ij| < radius``).
    box_size : float, optional
        Side of a periodic cube (minimum-image distances); ``None`` for open space.
    method : {"cells", "all"}
        Cell lists of side >= ``radius`` (O(N) for a spread-out school), or
        every pair (O(N^2), the reference).

    Returns
    -------
    offsets : ndarray of int, shape (N + 1,)
    indices : ndarray of int
        The neighbours of agent ``i`` are ``indices[offsets[i]:offsets[i + 1]]``,
        in increasing order.
    """
    pos = np.ascontiguousarray(positions, dtype=np.float64)
    if pos.ndim != 2 or pos.shape[1] != 3 or pos.shape[0] < 1:
        raise ValueError(f"positions must have shape (N, 3), got {pos.shape}")
    if not np.isfinite(pos).all():
        raise ValueError("positions must be finite")
    radius = check_number(radius, "radius", (1e-9, math.inf))
    if method not in ("cells", "all"):
        raise ValueError(f"method must be 'cells' or 'all', got {method!r}")
    periodic = box_size is not None
    box = check_number(box_size, "box_size", (1e-9, math.inf)) if periodic else 1.0
    if periodic:
        pos = pos - box * np.floor(pos / box)
    n = pos.shape[0]
    offsets = np.empty(n + 1, np.int64)
    indices = np.empty(0, np.int64)
    count = _neighbour_lists(pos, radius, box, periodic, method == "cells", offsets, indices)
    indices = np.empty(count, np.int64)
    _neighbour_lists(pos, radius, box, periodic, method == "cells", offsets, indices)
    for i in range(n):
        indices[offsets[i] : offsets[i + 1]].sort()
    return offsets, indices


def _random_headings(rng: np.random.Generator, n: int) -> np.ndarray:
    heading = rng.standard_normal((n, 3))
    return heading / np.linalg.norm(heading, axis=1, keepdims=True)


class School:
    """A school advanced in chunks, with a bounded history and parameter changes between chunks.

    Parameters
    ----------
    params : CouzinParams, optional
        Model parameters (default :data:`COUZIN_2002`).
    seed : int, optional
        Seed of the initial state and of the noise.
    capacity : int
        Snapshots kept in the history (the oldest are dropped).
    record_every : int
        Steps between snapshots.
    use_cells : bool
        Cell-list neighbour search (default) or every pair (the reference).

    Notes
    -----
    The agents start with uniform random positions in a cube of side
    ``box_size`` and uniform random headings (dewi-kadita's start). The
    noise comes from this school's own generator, so runs with a seed
    repeat exactly whatever else runs in the process. Methods are safe to
    call from several threads (one lock).
    """

    def __init__(
        self,
        params: CouzinParams | None = None,
        *,
        seed: int | None = None,
        capacity: int = 200,
        record_every: int = 10,
        use_cells: bool = True,
    ) -> None:
        self.params = params if params is not None else COUZIN_2002
        if not isinstance(self.params, CouzinParams):
            raise TypeError(f"params must be CouzinParams, got {type(self.params).__name__}")
        self.seed = None if seed is None else check_integer(seed, "seed", (0, 2**63 - 1))
        self.capacity = check_integer(capacity, "capacity", (2, 100_000))
        self.record_every = check_integer(record_every, "record_every", (1, MAX_STEPS))
        self.use_cells = bool(use_cells)
        self._lock = threading.RLock()
        self.reset()

    # -------------------------------------------------------------- state
    @property
    def positions(self) -> np.ndarray:
        """Current positions, shape (N, 3) (a copy)."""
        with self._lock:
            return self._pos.copy()

    @property
    def velocities(self) -> np.ndarray:
        """Current velocities (speed times heading), shape (N, 3)."""
        with self._lock:
            return self._head * self.params.speed

    @property
    def headings(self) -> np.ndarray:
        """Current unit headings, shape (N, 3) (a copy)."""
        with self._lock:
            return self._head.copy()

    @property
    def changes(self) -> tuple[Change, ...]:
        """Parameter changes since the run started, in time order."""
        return tuple(self._changes)

    def reset(self, seed: int | None = None) -> None:
        """Restart at t = 0 from a new random state (with ``seed``, or this school's seed)."""
        if seed is not None:
            self.seed = check_integer(seed, "seed", (0, 2**63 - 1))
        p = self.params
        with self._lock:
            self._rng = np.random.default_rng(self.seed)
            self._pos = self._rng.uniform(0.0, p.box_size, (p.n, 3))
            self._head = _random_headings(self._rng, p.n)
            self.t = 0.0
            self.steps = 0
            self._start = p
            self._changes: list[Change] = []
            self._times: list[float] = []
            self._snapshots: list[tuple[np.ndarray, np.ndarray]] = []
            self._record()

    def set_params(self, **values: Any) -> None:
        """Change parameters from the next step on; a bad value raises ``ValueError`` and changes nothing.

        A new ``n``, ``boundary`` or ``rule`` starts a new run (:meth:`reset`);
        other changes continue the run and are logged in :attr:`changes`.
        """
        with self._lock:
            new = self.params.replace(**values)
            restart = any(getattr(new, k) != getattr(self.params, k) for k in ("n", "boundary", "rule"))
            if not restart and self.steps > 0:
                for f in dataclasses.fields(new):
                    old, now = getattr(self.params, f.name), getattr(new, f.name)
                    if old != now:
                        self._changes.append(Change(self.t, f.name, old, now))
            self.params = new
            if restart:
                self.reset()
            elif new.periodic:
                self._pos -= new.box_size * np.floor(self._pos / new.box_size)

    def advance(self, steps: int) -> None:
        """Advance by ``steps`` steps, recording a snapshot every :attr:`record_every` steps."""
        steps = check_integer(steps, "steps", (0, MAX_STEPS))
        with self._lock:
            while steps > 0:
                chunk = min(steps, self.record_every - self.steps % self.record_every)
                self._run(chunk)
                steps -= chunk
                if self.steps % self.record_every == 0:
                    self._record()

    def _run(self, steps: int) -> None:
        p = self.params
        gauss = self._rng.standard_normal((steps, p.n, 3))
        _advance(
            self._pos, self._head, gauss, p.repulsion, p.r_orientation, p.r_attraction, p.blind_angle,
            p.turning_rate * p.dt, p.noise, p.speed * p.dt, p.box_size, p.periodic, _RULE_CODE[p.rule],
            self.use_cells,
        )
        self.steps += steps
        self.t += steps * p.dt

    def _record(self) -> None:
        self._times.append(self.t)
        self._snapshots.append((self._pos.copy(), self._head * self.params.speed))
        if len(self._times) > self.capacity:
            del self._times[0], self._snapshots[0]

    def history(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Kept snapshots in time order: ``times (k,)``, ``positions (k, N, 3)``, ``velocities (k, N, 3)``."""
        with self._lock:
            times = np.array(self._times)
            positions = np.array([s[0] for s in self._snapshots])
            velocities = np.array([s[1] for s in self._snapshots])
        return times, positions, velocities

    def to_dataset(self) -> xr.Dataset:
        """The kept history as an ``xarray.Dataset`` (write it with :func:`engine.save`).

        Data variables ``position`` and ``velocity`` over ``(time, agent,
        space)`` with ``space = ["x", "y", "z"]``. Attributes: ``model``,
        ``rule``, ``boundary``, ``param_<name>`` at the start of the run,
        ``final_param_<name>`` at export, ``changes`` (one per line,
        ``"t=12.3 orientation_width 2.0 -> 5.0"``), ``seed`` (-1 for none),
        ``steps`` and ``phasescope_version``.
        """
        import xarray as xr

        from .._version import __version__

        with self._lock:
            times, positions, velocities = self.history()
            start, now, changes = self._start, self.params, "\n".join(str(c) for c in self._changes)
        numeric = [f.name for f in dataclasses.fields(CouzinParams) if f.name not in ("boundary", "rule")]
        attrs = {
            "model": "Couzin zone model (3D)",
            "rule": now.rule,
            "boundary": now.boundary,
            **{f"param_{k}": getattr(start, k) for k in numeric},
            **{f"final_param_{k}": getattr(now, k) for k in numeric},
            "changes": changes,
            "seed": -1 if self.seed is None else self.seed,
            "steps": self.steps,
            "phasescope_version": __version__,
        }
        coords = {
            "time": ("time", times, {"units": "time units"}),
            "agent": ("agent", np.arange(now.n)),
            "space": ("space", np.array(["x", "y", "z"])),
        }
        dims = ("time", "agent", "space")
        data = {
            "position": (dims, positions, {"long_name": "position"}),
            "velocity": (dims, velocities, {"long_name": "velocity (speed times heading)"}),
        }
        return xr.Dataset(data, coords=coords, attrs=attrs)


def orientation_sweep(
    params: CouzinParams,
    widths: np.ndarray,
    *,
    transient: int = 1000,
    measure: int = 500,
    sample_every: int = 10,
    seed: int | None = None,
    progress: Callable[[float], Any] | None = None,
) -> dict[str, np.ndarray]:
    """Sweep the orientation-zone width up, then down, continuing the school from point to point.

    At each width the school runs ``transient`` steps, then ``measure``
    steps during which the polarization and milling
    (:func:`engine.diagnostics.schooling.order_parameters`) are sampled
    every ``sample_every`` steps and averaged. The
    sweep up starts from a random state; the sweep down continues from the
    end of the sweep up, so the two branches differ where the school
    remembers its past state (Couzin's collective memory: a torus is
    reached from a swarm on the way up, a parallel school stays parallel
    on the way down).

    Parameters
    ----------
    params : CouzinParams
        Everything but the orientation width.
    widths : ndarray
        Increasing orientation widths.
    transient, measure, sample_every : int
        Steps per point before and while measuring, and between samples.
    seed : int, optional
        Seed of the start and the noise.
    progress : callable, optional
        ``progress(fraction_done, (branch, width, polarization, milling))``
        after each point (branch 0 up, 1 down); an exception it raises
        stops the sweep.

    Returns
    -------
    dict
        ``width`` (W,), and ``polarization`` and ``milling`` of shape (2, W):
        row 0 the sweep up, row 1 the sweep down (both indexed by width).

    References
    ----------
    Couzin et al. (2002), J. theor. Biol. 218, 1-11, figure 6.
    """
    from ..diagnostics.schooling import order_parameters

    widths = np.asarray(widths, dtype=np.float64)
    if widths.ndim != 1 or widths.size < 2 or not np.all(np.diff(widths) > 0):
        raise ValueError("widths must be an increasing sequence of at least two values")
    for w in (widths[0], widths[-1]):
        check_number(w, "orientation_width", _BOUNDS["orientation_width"])
    transient = check_integer(transient, "transient", (0, MAX_STEPS))
    measure = check_integer(measure, "measure", (1, MAX_STEPS))
    sample_every = check_integer(sample_every, "sample_every", (1, measure))
    box = params.box_size if params.periodic else None
    school = School(params.replace(orientation_width=widths[0]), seed=seed, capacity=2, record_every=MAX_STEPS)
    result = np.empty((2, 2, widths.size))
    done, total = 0, 2 * widths.size
    for branch, sequence in enumerate((range(widths.size), range(widths.size - 1, -1, -1))):
        for k in sequence:
            school.set_params(orientation_width=float(widths[k]))
            school.advance(transient)
            samples = []
            for _ in range(measure // sample_every):
                school.advance(sample_every)
                samples.append(order_parameters(school.positions, school.velocities, box))
            result[branch, :, k] = np.mean(samples, axis=0)
            done += 1
            if progress is not None:
                progress(done / total, (branch, float(widths[k]), *result[branch, :, k]))
    return {"width": widths, "polarization": result[:, 0], "milling": result[:, 1]}



@njit(**CACHED_JIT)
def _nearest(pos, k, box, periodic, radius, out):
    """Distances from each agent to its ``k`` nearest others, increasing, into ``out`` (N, k).

    Candidates come from the 27 cells of side >= ``radius`` around the agent;
    when fewer than ``k`` of them lie within ``radius`` the agent's row is
    found among all agents, so the result is exact either way.
    """
    n = pos.shape[0]
    cell_of = np.zeros(n, np.int64)
    order = np.arange(n)
    dims = np.ones(3, np.int64)
    origin = np.zeros(3)
    ncells = _cell_grid(pos, radius, box, periodic, cell_of, dims, origin)
    start = np.empty(ncells + 1, np.int64)
    _sort_by_cell(cell_of, ncells, start, order)
    lo = np.zeros(27, np.int64)
    hi = np.zeros(27, np.int64)
    everyone_lo = np.zeros(1, np.int64)
    everyone_hi = np.full(1, n, np.int64)
    best = np.empty(k)
    for i in range(n):
        nranges = _neighbour_ranges(cell_of[i], dims, periodic, start, lo, hi)
        for attempt in range(2):
            best[:] = np.inf
            ranges_lo, ranges_hi, count = (lo, hi, nranges) if attempt == 0 else (everyone_lo, everyone_hi, 1)
            for r in range(count):
                for s in range(ranges_lo[r], ranges_hi[r]):
                    j = order[s] if attempt == 0 else s
                    if j == i:
                        continue
                    dx, dy, dz = _displacement(pos[i, 0], pos[i, 1], pos[i, 2], pos[j, 0], pos[j, 1], pos[j, 2], box, periodic)
                    d = dx * dx + dy * dy + dz * dz  # squared until the end
                    if d < best[k - 1]:
                        m = k - 1
                        while m > 0 and best[m - 1] > d:
                            best[m] = best[m - 1]
                            m -= 1
                        best[m] = d
            if best[k - 1] <= radius * radius:
                break
        out[i] = np.sqrt(best)


def nearest_distances(positions: np.ndarray, k: int, box_size: float | None = None) -> np.ndarray:
    """Distances from each agent to its ``k`` nearest others (exact), shape (N, k), increasing along a row.

    Parameters
    ----------
    positions : ndarray, shape (N, 3)
        Positions; with ``box_size``, any real values (wrapped into the box).
    k : int
        Number of neighbours, 1 to N - 1.
    box_size : float, optional
        Side of a periodic cube (minimum-image distances); ``None`` for open space.
    """
    pos = np.ascontiguousarray(positions, dtype=np.float64)
    if pos.ndim != 2 or pos.shape[1] != 3 or pos.shape[0] < 2:
        raise ValueError(f"positions must have shape (N, 3) with N >= 2, got {pos.shape}")
    if not np.isfinite(pos).all():
        raise ValueError("positions must be finite")
    n = pos.shape[0]
    k = check_integer(k, "k", (1, n - 1))
    periodic = box_size is not None
    if periodic:
        box = check_number(box_size, "box_size", (1e-9, math.inf))
        pos = pos - box * np.floor(pos / box)
        volume = box**3
    else:
        box = 1.0
        extent = np.ptp(pos, axis=0)
        volume = max(float(np.prod(np.maximum(extent, extent.max() / 10.0))), 1e-30)  # a flat school too
    radius = max((volume * (k + 1) / n) ** (1.0 / 3.0), 1e-12)  # cells of about k + 1 agents
    out = np.empty((n, k))
    _nearest(pos, k, box, periodic, radius, out)
    return out
