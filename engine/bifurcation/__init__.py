"""Bifurcation and stability: orbit diagrams, period doublings, fixed points,
continuation of equilibria and two-parameter maps.

Sweeps over parameter values run their numba kernels (:mod:`.sweep_kernels`,
compiled per system through :func:`engine.solvers.specialize.compiled`) in
parallel on numba's threads; :func:`parameter_map` can also run them on Dask.
"""
from .continuation import continuation
from .fixed_points import classify, fixed_points
from .orbit import orbit_diagram, period_doublings
from .parameter_map import parameter_map

__all__ = ["classify", "continuation", "fixed_points", "orbit_diagram", "parameter_map", "period_doublings"]
