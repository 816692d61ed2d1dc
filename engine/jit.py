"""The numba options every compiled system function and solver kernel shares.

``error_model="numpy"`` makes a division by zero give ``inf`` or ``nan`` as in
numpy instead of raising ``ZeroDivisionError`` from compiled code (a Kepler
orbit through the origin, a map at its pole): the solvers then see a state
that is not finite and stop the run with a divergence message, keeping the
last finite sample.
"""
from __future__ import annotations

__all__ = ["CACHED_JIT", "JIT"]

JIT = {"nogil": True, "error_model": "numpy"}
"""Options for code that has no file of its own (generated with ``exec``), so cannot be cached on disk."""

CACHED_JIT = {**JIT, "cache": True}
"""Options for module-level functions: :data:`JIT` plus numba's disk cache."""
