"""The catalog of systems; importing this package registers every family."""
from . import flows, hamiltonian, maps, stochastic  # noqa: F401  (registration side effects)
from .registry import UnknownSystemError, catalog, get_system, register, search

__all__ = ["UnknownSystemError", "catalog", "get_system", "register", "search"]
