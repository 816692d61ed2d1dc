"""Thumbnails of the gallery's attractors, rendered once and kept on disk.

Each picture is the datashader density of a long run from the flow's
published initial state, drawn with the portrait's own shading
(:func:`~dashboard.views.phase_portrait.rasterize`), and saved as a PNG in
``<Phasescope cache>/gallery`` under a name that changes with the flow's
declaration and the package version. A page reads the files; it never draws a
thumbnail while answering a request (:func:`render_missing` runs off the event loop).
"""
from __future__ import annotations

import base64
import hashlib
import io
import os
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

from PIL import Image

from engine import _version
from engine.solvers.specialize import cache_folder
from engine.stream import Simulation
from engine.system import System

from .phase_portrait import rasterize

__all__ = ["PERIODS", "SHAPE", "render_missing", "render_thumbnail", "thumbnail_folder", "thumbnail_path", "thumbnail_uri"]

SHAPE = (96, 128)
"""Height and width of a thumbnail in pixels."""
PERIODS = 60.0
"""Length of the run drawn, in the flow's published periods (the first fifth is left out)."""
MAX_STEPS = 200_000
COLORS = 16
"""Palette size of a thumbnail."""


def thumbnail_folder() -> Path:
    """Where thumbnails live: beside the kernel cache (``$PHASESCOPE_CACHE/gallery``)."""
    return cache_folder().parent / "gallery"


def thumbnail_path(system: System) -> Path:
    """The file of ``system``'s thumbnail (it may not exist yet)."""
    key = repr((system.name, system.state0, system.defaults, system.dt, system.plot, SHAPE, PERIODS, COLORS, _version.__version__))
    return thumbnail_folder() / f"{hashlib.sha256(key.encode()).hexdigest()[:20]}.png"


def render_thumbnail(system: System) -> Path:
    """Run ``system`` from its defaults, shade its attractor and save the PNG; returns the path."""
    period = system.reference_values.get("period", (1.0,))[0]
    steps = int(min(MAX_STEPS, max(1000, PERIODS * period / system.dt)))
    simulation = Simulation(system, capacity=steps + 1)
    simulation.advance(steps)
    _, points = simulation.history()
    kept = points[:, points.shape[1] // 5 :]
    x, y = (kept[:, :, system.variables.index(v)] for v in system.plot)
    image, _, _ = rasterize(x, y, connect=True, shape=SHAPE)
    picture = image.to_pil().convert("RGBA")
    flat = Image.alpha_composite(Image.new("RGBA", picture.size, "white"), picture).convert("RGB")
    buffer = io.BytesIO()
    flat.quantize(COLORS).save(buffer, format="PNG", optimize=True)  # a few kB: a page carries all of them
    path = thumbnail_path(system)
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile("wb", dir=path.parent, suffix=".tmp", delete=False) as handle:
        handle.write(buffer.getvalue())
    os.replace(handle.name, path)  # atomic: a page never reads half a file
    return path


def thumbnail_uri(system: System) -> str | None:
    """The saved thumbnail as a ``data:`` URI for an ``<img>``, or None when not rendered yet."""
    try:
        data = thumbnail_path(system).read_bytes()
    except OSError:
        return None
    return "data:image/png;base64," + base64.b64encode(data).decode("ascii")


def render_missing(systems: Sequence[System], progress: Callable[[float, System], None] | None = None) -> int:
    """Render the thumbnails not on disk yet; ``progress(fraction, system)`` after each. Returns how many."""
    missing = [s for s in systems if not thumbnail_path(s).exists()]
    for i, system in enumerate(missing, start=1):
        render_thumbnail(system)
        if progress is not None:
            progress(i / len(missing), system)
    return len(missing)
