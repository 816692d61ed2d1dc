"""Giving a finished session's memory back to the system.

CPython frees a closed page's simulation, history buffers and Bokeh models,
but its allocators keep freed blocks for reuse: after a class leaves, the
server would keep its peak size for the rest of the day. Three remedies, all
no-ops where glibc is absent:

- :func:`use_system_allocator`: the server runs with CPython's small-object
  allocator off (``PYTHONMALLOC=malloc``). Its 1 MiB arenas go back only when
  every object in them is gone, and a class's thousands of Bokeh models and
  dicts leave most arenas holding a few long-lived objects: 40-55 MiB stayed
  after the first class of thirty, against 3 MiB through glibc, whose free
  pages ``malloc_trim`` returns wherever they lie;
- :func:`map_large_blocks`: blocks of 128 KiB and more (simulation histories,
  images) always get their own memory mapping, which goes back to the system
  the moment they are freed (glibc otherwise raises that threshold after the
  first large free, and large blocks then land on the heap);
- :func:`release_memory`: collect reference cycles (a Bokeh document is one),
  then hand the free pages of every heap back (``malloc_trim``).
"""
from __future__ import annotations

import ctypes
import ctypes.util
import gc
import os
import sys

__all__ = ["LARGE_BLOCK", "map_large_blocks", "release_memory", "use_system_allocator"]

LARGE_BLOCK = 128 * 1024
"""Blocks of at least this many bytes get their own mapping."""
_M_MMAP_THRESHOLD = -3


def _libc():
    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name) if name else None
    except OSError:
        return None
    return libc if libc is not None and hasattr(libc, "malloc_trim") and hasattr(libc, "mallopt") else None


_LIBC = _libc()


def use_system_allocator() -> None:
    """Start this process again with ``PYTHONMALLOC=malloc`` (same interpreter, same
    command line) unless it already runs so, or ``PYTHONMALLOC`` was chosen by
    whoever started it, or glibc is absent. Call it before anything is printed or started."""
    if _LIBC is None or "PYTHONMALLOC" in os.environ:
        return
    os.environ["PYTHONMALLOC"] = "malloc"
    sys.stdout.flush()
    sys.stderr.flush()
    os.execv(sys.executable, sys.orig_argv)


def map_large_blocks() -> bool:
    """Fix glibc's mmap threshold at :data:`LARGE_BLOCK`; False where that is not possible."""
    return bool(_LIBC is not None and _LIBC.mallopt(_M_MMAP_THRESHOLD, LARGE_BLOCK))


def release_memory() -> None:
    """Collect garbage and return the allocator's free pages to the system."""
    gc.collect()
    if _LIBC is not None:
        _LIBC.malloc_trim(0)
