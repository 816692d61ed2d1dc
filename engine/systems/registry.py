"""The catalog: every declared system, looked up by name, family, tag or text."""
from __future__ import annotations

import difflib

from ..system import System

__all__ = ["UnknownSystemError", "catalog", "close_names", "get_system", "name_key", "register", "search"]


class UnknownSystemError(KeyError):
    """A name that is not in the catalog; the message suggests close names."""

    def __str__(self) -> str:
        return str(self.args[0])

_CATALOG: dict[str, System] = {}


def name_key(name: str) -> str:
    """The key a name is registered under: lower case, letters and digits only."""
    return "".join(ch for ch in name.lower() if ch.isalnum())


def close_names(name: str, entries: dict) -> list[str]:
    """Names of up to three entries of ``entries`` (keyed by :func:`name_key`) close to ``name``."""
    return [entries[k].name for k in difflib.get_close_matches(name_key(name), list(entries), n=3, cutoff=0.5)]


def register(system: System) -> System:
    """Add ``system`` to the catalog; names are unique ignoring case, spaces and punctuation."""
    key = name_key(system.name)
    if key in _CATALOG:
        raise ValueError(f"a system called {system.name!r} is already registered")
    _CATALOG[key] = system
    return system


def catalog(family: str | None = None, tag: str | None = None) -> list[System]:
    """Registered systems, optionally only one family and/or those carrying ``tag``."""
    return [
        s
        for s in _CATALOG.values()
        if (family is None or s.family == family) and (tag is None or tag.lower() in (t.lower() for t in s.tags))
    ]


def get_system(name: str | System) -> System:
    """The system called ``name``, ignoring case, spaces and punctuation ("Sel'kov" == "selkov").

    Raises
    ------
    UnknownSystemError
        For an unknown name, suggesting the closest catalog names.
    """
    if isinstance(name, System):
        return name
    if not isinstance(name, str):
        raise TypeError(f"a system name must be a string, got {type(name).__name__}")
    try:
        return _CATALOG[name_key(name)]
    except KeyError:
        close = close_names(name, _CATALOG)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise UnknownSystemError(f"no system called {name!r} in the catalog{hint}") from None


def search(text: str) -> list[System]:
    """Systems whose name, title, family or tags contain every word of ``text``."""
    words = text.lower().split()
    found = []
    for s in _CATALOG.values():
        haystack = " ".join((s.name, s.title, s.family, *s.tags)).lower()
        if all(w in haystack for w in words):
            found.append(s)
    return found
