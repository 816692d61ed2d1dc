"""Checks of the arrays a person hands to a diagnostic: finite floats of the expected shape."""
from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["finite_array", "weights"]


def finite_array(values: Any, name: str, *, ndim: int | tuple[int, ...] = 1, min_size: int = 1) -> np.ndarray:
    """``values`` as a float64 array with ``ndim`` dimensions, every entry finite.

    Raises
    ------
    ValueError
        Naming ``name`` when the values are not numbers, have another number of
        dimensions, fewer than ``min_size`` entries along the last axis, or an
        entry that is NaN or infinite.
    """
    try:
        array = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be an array of numbers, got {type(values).__name__}") from None
    allowed = (ndim,) if isinstance(ndim, int) else ndim
    if array.ndim not in allowed:
        wanted = " or ".join(str(n) for n in allowed)
        raise ValueError(f"{name} must have {wanted} dimension(s), got shape {array.shape}")
    if array.ndim and array.shape[-1] < min_size:
        raise ValueError(f"{name} needs at least {min_size} values along its last axis, got {array.shape[-1]}")
    if not np.isfinite(array).all():
        raise ValueError(f"{name} must be finite (no NaN or infinity)")
    return array


def weights(values: Any, name: str = "p") -> np.ndarray:
    """Non-negative weights or counts normalised to sum 1 along the last axis.

    Raises
    ------
    ValueError
        When an entry is negative or not finite, or a row sums to zero.
    """
    array = finite_array(values, name, ndim=(1, 2, 3))
    if (array < 0).any():
        raise ValueError(f"{name} must be non-negative weights or counts")
    total = array.sum(axis=-1, keepdims=True)
    if (total <= 0).any():
        raise ValueError(f"{name} must have a positive sum")
    return array / total
