"""Checked parameter sweeps: values a person gives, as rows of compiled parameter arrays."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from ..system import System, check_integer
from ..systems import get_system

MAX_VALUES = 1_000_000
"""Most parameter values (sweep points) one call accepts."""


def resolve(system: System | str) -> System:
    """The catalog system called ``system`` (or ``system`` itself)."""
    return get_system(system)


def checked_values(system: System, parameter: str, values: Any) -> np.ndarray:
    """``values`` of ``parameter`` as a float64 array, each inside the parameter's bounds."""
    declared = system.parameter(parameter)
    try:
        array = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(f"values of {parameter} must be numbers, got {values!r}") from None
    if array.ndim != 1 or array.size == 0:
        raise ValueError(f"values of {parameter} must be a non-empty 1-D sequence, got shape {array.shape}")
    if array.size > MAX_VALUES:
        raise ValueError(f"at most {MAX_VALUES} values of {parameter} per sweep, got {array.size}")
    low, high = declared.bounds
    bad = ~(np.isfinite(array) & (array >= low) & (array <= high))
    if bad.any():
        raise ValueError(f"{parameter} = {float(array[bad][0])!r} is outside its bounds [{low:g}, {high:g}]")
    return array


def parameter_rows(system: System, params: Mapping[str, Any] | None, columns: dict[str, np.ndarray]) -> np.ndarray:
    """One row of the parameter array per sweep point: ``params`` (checked), with
    each parameter named in ``columns`` taking that column's values."""
    base = system.parameter_array(params)
    lengths = {len(v) for v in columns.values()}
    assert len(lengths) == 1, "sweep columns must have one length"
    rows = np.tile(base, (lengths.pop(), 1))
    names = [p.name for p in system.parameters]
    for name, column in columns.items():
        rows[:, names.index(name)] = column
    return np.ascontiguousarray(rows)


def checked_count(value: Any, name: str, low: int, high: int) -> int:
    """A whole number in ``[low, high]`` (iterations, samples, resolution)."""
    return check_integer(value, name, (low, high))


def fixed_params(system: System, params: Mapping[str, Any] | None, swept: tuple[str, ...]) -> dict[str, float]:
    """The values of the parameters that are not swept, by name (for attributes)."""
    values = system.parameter_array(params)
    return {p.name: float(v) for p, v in zip(system.parameters, values) if p.name not in swept}


def initial_state(system: System, state0: Any) -> tuple[float, ...]:
    """``state0`` checked (the system's default when None)."""
    return system.state0 if state0 is None else system.check_state(state0)
