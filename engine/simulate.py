"""One-call headless integration to an xarray Dataset."""
from __future__ import annotations

import math
import warnings
from typing import TYPE_CHECKING, Any, Mapping, Sequence

from .stream import MAX_STEPS, Simulation, resolve_dt
from .system import System, check_integer, check_number
from .systems import get_system

if TYPE_CHECKING:  # xarray is imported where it is used: it costs start-up time
    import xarray as xr

__all__ = ["DEFAULT_STEPS", "simulate"]

DEFAULT_STEPS = 10_000
"""Length of a run given neither ``steps`` nor ``t_end``."""


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
    steps : int, optional
        Length of the run as a whole number of steps in [1, :data:`~engine.stream.MAX_STEPS`].
    t_end : float, optional
        Length of the run as a positive end time, rounded up to whole steps
        (at most :data:`~engine.stream.MAX_STEPS` of them). Give ``steps`` or
        ``t_end``, not both; default :data:`DEFAULT_STEPS` steps.
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
        finite sample, with the reason in ``attrs["status"]`` and a
        ``RuntimeWarning``.
    """
    system = get_system(system)
    if steps is not None and t_end is not None:
        raise ValueError("give steps or t_end, not both")
    if t_end is not None:
        steps = _steps_to(t_end, resolve_dt(system, dt))
    steps = DEFAULT_STEPS if steps is None else check_integer(steps, "steps", (1, MAX_STEPS))
    run = Simulation(system, params, state0, solver=solver, dt=dt, seed=seed, capacity=steps + 1)
    run.advance(steps)
    if not run.running:
        warnings.warn(f"{system.name} {run.status}", RuntimeWarning, stacklevel=2)
    return run.to_dataset()


def _steps_to(t_end: Any, dt: float) -> int:
    """Whole steps of ``dt`` that reach ``t_end``, with messages in terms of ``t_end``."""
    t_end = check_number(t_end, "t_end")
    if t_end <= 0:
        raise ValueError(f"t_end must be positive, got {t_end:g}")
    steps = max(1, math.ceil(t_end / dt - 1e-9))
    if steps > MAX_STEPS:
        raise ValueError(
            f"t_end = {t_end:g} needs {steps:,} steps of dt = {dt:g}, more than the {MAX_STEPS:,} one run may take; "
            f"choose t_end <= {MAX_STEPS * dt:g} or a larger dt"
        )
    return steps
