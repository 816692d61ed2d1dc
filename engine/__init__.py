"""Phasescope's numerical engine: systems, solvers, live simulations, files.

numpy, numba and xarray only; nothing here imports a plotting or web library.
"""
from ._version import __version__
from .bifurcation import continuation, fixed_points, orbit_diagram, parameter_map, period_doublings
from .diagnostics import (
    correlation_dimension,
    kaplan_yorke_dimension,
    lyapunov_spectrum,
    max_lyapunov_from_series,
)
from .io import load, save
from .simulate import simulate
from .stream import Simulation
from .system import Parameter, System
from .systems import UnknownSystemError, catalog, get_system, search

__all__ = [
    "Parameter",
    "Simulation",
    "System",
    "UnknownSystemError",
    "__version__",
    "catalog",
    "continuation",
    "correlation_dimension",
    "fixed_points",
    "get_system",
    "kaplan_yorke_dimension",
    "load",
    "lyapunov_spectrum",
    "max_lyapunov_from_series",
    "orbit_diagram",
    "parameter_map",
    "period_doublings",
    "save",
    "search",
    "simulate",
]
