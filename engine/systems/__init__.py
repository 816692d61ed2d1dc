"""The catalog of systems; importing this package registers every family."""
from . import flows, hamiltonian, maps, stochastic  # noqa: F401  (registration side effects)
from .gallery import GALLERY_TAG  # noqa: F401  (registers dysts' flows, when installed, after the native families)
from .registry import UnknownSystemError, catalog, get_system, register, search

__all__ = ["UnknownSystemError", "catalog", "get_system", "register", "search"]
