"""One-call headless integration to an xarray Dataset."""
from __future__ import annotations

import math
import warnings
from typing import TYPE_CHECKING, Any, Mapping, Sequence

from .stream import Simulation
from .system import System, check_number
from .systems import get_system

if TYPE_CHECKING:  # xarray is imported where it is used: it costs start-up time
    import xarray as xr

__all__ = ["simulate"]

DEFAULT_STEPS = 10_000
MAX_SAMPLES = 20_000_000


def simulate(
    system: System | str,
    *,
    params: Mapping[str, Any] | None = None,
    state0: Sequence[float] | None = None,
    steps: int | None = None,
    t_end: float | None = None,
    dt: float | None = None,
    solver: str = "auto",
    seed: int | None = None,
) -> xr.Dataset:
    """Integrate ``system`` and return the trajectory.

    Parameters
    ----------
    system : System or str
        A declaration or a catalog name (case-insensitive).
    params : mapping, optional
        Parameter values; others take their defaults. A value that is not a
        finite number inside the parameter's bounds raises ``ValueError``.
    state0 : sequence of float, optional
        Initial state (default: the system's).
    steps, t_end : optional
        Length of the run as a number of steps or an end time (not both);
        default 10,000 steps.
    dt : float, optional
        Step, or output interval for ``dopri5`` (default: the system's).
    solver : str
        ``"auto"`` (the system's default) or one of ``system.solvers``.
    seed : int, optional
        Seed of the noise for stochastic systems.

    Returns
    -------
    xarray.Dataset
        ``time`` coordinate (the initial state included) and one data
        variable per state variable. A run that diverges ends at its last
        finite state, with the reason in ``attrs["status"]`` and a
        ``RuntimeWarning``.
    """
    system = get_system(system)
    if steps is not None and t_end is not None:
        raise ValueError("give steps or t_end, not both")
    run = Simulation(system, params, state0, solver=solver, dt=dt, seed=seed, capacity=2)
    if t_end is not None:
        t_end = check_number(t_end, "t_end", (0.0, 1e9))
        steps = int(math.ceil(t_end / run.dt - 1e-9))
    steps = DEFAULT_STEPS if steps is None else check_number(steps, "steps", (1, MAX_SAMPLES))
    if steps != int(steps):
        raise ValueError(f"steps must be a whole number, got {steps:g}")
    steps = int(steps)
    run = Simulation(system, params, state0, solver=solver, dt=dt, seed=seed, capacity=steps + 1)
    run.advance(steps)
    if not run.running:
        warnings.warn(f"{system.name} {run.status}", RuntimeWarning, stacklevel=2)
    return run.to_dataset()
