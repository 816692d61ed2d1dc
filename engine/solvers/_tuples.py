"""Arithmetic on state tuples inside numba kernels.

States travel through the solvers as homogeneous tuples of floats, so numba
knows their length at compile time and keeps them in registers: a generic
solver then runs as fast as a loop written by hand for one system. The
element-wise operations are generated once per tuple length.
"""
from __future__ import annotations

from numba import njit
from numba.extending import overload

from ..jit import CACHED_JIT, JIT

__all__ = ["axpy", "drift", "first_bad", "kick", "noise_step", "store"]


def _elementwise(name: str, arguments: str, element: str):
    """A stub whose numba overload applies ``element`` (a format string over
    the index ``{i}`` and the half length ``{h}``) to every index of its first argument."""

    def implementation(first, *rest):
        n = len(first)
        terms = ", ".join(element(i, n) for i in range(n))
        namespace: dict = {}
        exec(f"def impl({arguments}):\n    return ({terms},)\n", namespace)
        return namespace["impl"]

    namespace: dict = {"implementation": implementation}
    exec(
        f"def {name}({arguments}):\n    raise NotImplementedError('{name} runs inside numba kernels only')\n"
        f"def typer({arguments}):\n    return implementation({arguments})\n",
        namespace,
    )
    stub = namespace[name]
    overload(stub, jit_options=JIT)(namespace["typer"])  # exec-generated: no file to cache
    return stub


axpy = _elementwise("axpy", "y, a, k", lambda i, n: f"y[{i}] + a * k[{i}]")
"""``y + a * k`` for tuples ``y``, ``k`` and a scalar ``a``."""

kick = _elementwise("kick", "y, a, k", lambda i, n: f"y[{i}]" if i < n // 2 else f"y[{i}] + a * k[{i}]")
"""Advance the momenta (second half of ``y``) by ``a * k``."""

drift = _elementwise("drift", "y, a, k", lambda i, n: f"y[{i}] + a * k[{i}]" if i < n // 2 else f"y[{i}]")
"""Advance the positions (first half of ``y``) by ``a * k``."""

noise_step = _elementwise(
    "noise_step", "y, dt, f, g, sqdt, xi", lambda i, n: f"y[{i}] + dt * f[{i}] + sqdt * g[{i}] * xi[{i}]"
)
"""One Euler-Maruyama update ``y + f dt + g sqrt(dt) xi`` with diagonal noise."""


@njit(**CACHED_JIT)
def first_bad(y, bound):
    """Index of the first component of ``y`` that is not finite or exceeds ``bound``; -1 if none."""
    for j in range(len(y)):
        if not abs(y[j]) <= bound:
            return j
    return -1


@njit(**CACHED_JIT)
def store(out, i, y):
    """Write the state tuple ``y`` into row ``i`` of ``out``."""
    for j in range(len(y)):
        out[i, j] = y[j]
