"""The chaos gallery page: dysts' attractors as thumbnails; one opens live beside its published values.

``/gallery`` lists every flow of dysts' database: a thumbnail for each one
Phasescope runs (rendered once, kept on disk; missing ones are drawn off the
event loop after the page is shown) and the reason for the others.
``/gallery?system=<name>`` also runs that flow live: its portrait, the
explorer's monitors, and a table of dysts' published values (Lyapunov
spectrum, Kaplan-Yorke and correlation dimensions, period) beside
Phasescope's estimates, computed as the run goes.
"""
from __future__ import annotations

import html
import math
import time
import urllib.parse
from typing import Any

import numpy as np
import panel as pn
from bokeh.document import Document

import engine
from engine.diagnostics import correlation_dimension, kaplan_yorke_dimension
from engine.diagnostics.period import dominant_period
from engine.systems.gallery import (
    INSTALL_HINT,
    GalleryEntry,
    GallerySystem,
    dysts_available,
    gallery_entries,
    gallery_systems,
)

from ..background import Background
from ..frame_loop import FrameLoop
from ..messages import MessageArea
from ..page_layout import navigation_bar
from ..session import session_document, session_query
from ..state import ExplorerState
from ..style import html_pane
from ..views.equations import equations_latex
from ..views.gallery_thumbnails import render_missing, thumbnail_uri
from ..views.monitors import Monitors
from ..views.phase_portrait import PhasePortrait

__all__ = ["GalleryLive", "create"]

PATH = "/gallery"
TABLE_PERIOD_S = 0.5
"""Seconds between refreshes of the comparison table."""
DENSITY_PERIOD_S = 0.5
DIMENSION_PERIOD_S = 3.0
"""Seconds between two estimates of the correlation dimension (each on the shared worker pool)."""
DIMENSION_POINTS = 3000
"""Points of the recent history the correlation dimension is estimated from."""
DIMENSION_THEILER = 10
QUERY_KEYS = ("system",)
THUMBNAILS_PER_UPDATE = 12
"""Thumbnails drawn between two refreshes of the grid while missing ones are drawn."""


def _format(values: Any) -> str:
    """A number or a spectrum for the table; '-' where there is none."""
    if values is None:
        return "-"
    if isinstance(values, (tuple, list, np.ndarray)):
        return "(" + ", ".join(_format(v) for v in values) + ")"
    return f"{values:.4g}" if math.isfinite(values) else "-"


class GalleryLive:
    """One open gallery flow: its portrait and monitors, and dysts' values beside Phasescope's.

    :meth:`tick` is the frame of the session's :class:`~dashboard.frame_loop.FrameLoop`
    (:attr:`loop`, None headlessly); tests call it directly.
    """

    def __init__(self, system: GallerySystem, document: Document | None = None) -> None:
        self.system = system
        self.state = ExplorerState(system.name)
        schedule = document.add_next_tick_callback if document is not None else None
        self.portrait = PhasePortrait(self.state, self.state.set_initial_point, schedule)
        self.monitors = Monitors(self.state, background=document is not None)
        self.background = Background(document)
        self.dimension = math.nan
        self.period = math.nan
        self._last_table = self._last_density = self._last_dimension = 0.0
        self.table = html_pane("", sizing_mode="stretch_width", css_classes=["ps-gallery-table"])
        self.loop = FrameLoop(self.tick, document, on_destroyed=self._free) if document is not None else None
        explorer = "./?" + urllib.parse.urlencode({"system": system.name})
        header = pn.pane.Markdown(
            f"### {html.escape(system.name)}\n{html.escape(system.title)}\n\n"
            f"[Open in the explorer]({explorer}) to drag its parameters.",
            margin=(0, 10),
        )
        equations = pn.pane.LaTeX(equations_latex(system), renderer="katex", styles={"font-size": "14px"})
        self.layout = pn.Column(
            pn.Row(header, equations, sizing_mode="stretch_width"),
            pn.Row(
                pn.pane.Bokeh(self.portrait.figure, sizing_mode="stretch_width"),
                pn.Column(self.table, width=430),
                sizing_mode="stretch_width",
            ),
            pn.pane.Bokeh(self.monitors.layout, sizing_mode="stretch_width"),
            sizing_mode="stretch_width",
            css_classes=["ps-gallery-live"],
        )
        self._show_table()

    def tick(self, budget_s: float | None = None) -> None:
        """One frame: advance, stream the portrait and monitors; now and then redraw the
        density, refresh the table and start a new correlation-dimension estimate."""
        started = time.perf_counter()
        frame = self.state.tick(budget_s)
        if frame is not None:
            self.portrait.push(frame)
            self.monitors.push(frame)
            self.monitors.tick(self.state.frame_budget if budget_s is None else budget_s, time.perf_counter() - started)
        now = time.monotonic()
        if now - self._last_density >= DENSITY_PERIOD_S:
            self._last_density = now
            self.portrait.refresh_density()
        job = self.background.job
        if now - self._last_dimension >= DIMENSION_PERIOD_S and (job is None or job.finished):
            self._last_dimension = now
            self._estimate_dimension()
        if now - self._last_table >= TABLE_PERIOD_S:
            self._last_table = now
            self._show_table()

    def _estimate_dimension(self) -> None:
        _, points = self.state.simulation.history()
        first = points[0, -20 * DIMENSION_POINTS :]
        if first.shape[0] < DIMENSION_POINTS:
            return
        dt = self.state.simulation.dt
        thinned = first[:: max(1, first.shape[0] // DIMENSION_POINTS)]

        def work(job) -> tuple[float, float]:
            periods = [dominant_period(first[:, j], dt) for j in range(first.shape[1])]
            try:
                dimension = correlation_dimension(thinned, theiler=DIMENSION_THEILER).dimension
            except ValueError:  # no scaling region yet: too few points on the attractor
                dimension = math.nan
            return dimension, float(np.nanmin(periods)) if not np.isnan(periods).all() else math.nan

        self.background.run(work, on_done=self._estimated)

    def _estimated(self, result: tuple[float, float]) -> None:
        self.dimension, self.period = result

    def live_values(self) -> dict[str, Any]:
        """Phasescope's current estimates, keyed as the system's reference values."""
        lyapunov = self.monitors.monitor.lyapunov
        spectrum = lyapunov.exponents if lyapunov is not None else np.full(self.system.dimension, np.nan)
        finite = np.isfinite(spectrum).all()
        return {
            "lyapunov_spectrum": spectrum,
            "maximum_lyapunov": float(spectrum[0]),
            "kaplan_yorke_dimension": kaplan_yorke_dimension(spectrum) if finite else math.nan,
            "correlation_dimension": self.dimension,
            "period": self.period,
        }

    def _show_table(self) -> None:
        reference = self.system.reference_values
        live = self.live_values()
        labels = {
            "lyapunov_spectrum": "Lyapunov spectrum",
            "maximum_lyapunov": "largest exponent",
            "kaplan_yorke_dimension": "Kaplan-Yorke dimension",
            "correlation_dimension": "correlation dimension",
            "period": "period",
        }
        rows = "".join(
            f"<tr><th>{label}</th><td>{_format(reference.get(key, (None,))[0])}</td>"
            f"<td class='ps-live-{key}'>{_format(live[key])}</td></tr>"
            for key, label in labels.items()
        )
        elapsed = self.monitors.monitor.lyapunov.elapsed if self.monitors.monitor.lyapunov is not None else 0.0
        self.table.object = (
            "<table class='ps-compare'><thead><tr><th></th><th>dysts (published)</th><th>Phasescope (live)</th></tr></thead>"
            f"<tbody>{rows}</tbody></table>"
            f"<p class='ps-note'>Live: Benettin/QR spectrum over t = {elapsed:.4g}; correlation dimension "
            f"(Grassberger-Procaccia) and shortest dominant period of the last {20 * DIMENSION_POINTS} samples. "
            "dysts' estimates are loose (VALIDATION.md: a &plusmn;25&nbsp;% band).</p>"
        )

    def _free(self) -> None:
        self.state.simulation = None


# --------------------------------------------------------------------------- the grid


def _card(entry: GalleryEntry, current: str | None) -> str:
    name = html.escape(entry.name)
    system = entry.system
    uri = thumbnail_uri(system)
    picture = f"<img src='{uri}' alt='{name} attractor' width='128' height='96'>" if uri else "<div class='ps-thumb-missing'>drawing...</div>"
    mark = " ps-gallery-current" if system.name == current else ""
    link = "?" + urllib.parse.urlencode({"system": system.name})
    return f"<a class='ps-gallery-card{mark}' href='{html.escape(link)}' title='{html.escape(system.title)}'>{picture}<span>{name}</span></a>"


def _grid_html(current: str | None) -> str:
    cards = "".join(_card(entry, current) for entry in gallery_entries() if entry.system is not None)
    return f"<div class='ps-gallery-grid'>{cards}</div>"


def _skipped_html() -> str:
    items = "".join(
        f"<li><b>{html.escape(e.name)}</b>: {html.escape(e.reason)}</li>" for e in gallery_entries() if e.system is None
    )
    return f"<details class='ps-gallery-skipped'><summary>Flows of dysts not run here</summary><ul>{items}</ul></details>"


GALLERY_CSS = """
.ps-gallery-grid { display: flex; flex-wrap: wrap; gap: 8px; }
.ps-gallery-card { display: flex; flex-direction: column; align-items: center; width: 136px; padding: 4px;
  border: 1px solid #d0d7de; border-radius: 6px; text-decoration: none; color: #24292f; font-size: 11px; background: white; }
.ps-gallery-card:hover, .ps-gallery-current { border-color: #2171b5; box-shadow: 0 0 0 2px #c6dbef; }
.ps-gallery-card span { margin-top: 2px; text-align: center; overflow-wrap: anywhere; }
.ps-thumb-missing { width: 128px; height: 96px; display: flex; align-items: center; justify-content: center; color: #8c959f; }
.ps-compare { border-collapse: collapse; font-size: 13px; width: 100%; }
.ps-compare th, .ps-compare td { border-bottom: 1px solid #d0d7de; padding: 4px 6px; text-align: left; }
.ps-note { font-size: 11px; color: #57606a; }
"""


def _pane(text: str, **options) -> pn.pane.HTML:
    pane = html_pane(text, **options)
    pane.stylesheets = [*pane.stylesheets, GALLERY_CSS]
    return pane


class Gallery:
    """The page of one session: the grid, and the live flow when one is open."""

    def __init__(self, query: dict[str, str], document: Document | None = None) -> None:
        self.document = document
        self.messages = MessageArea()
        self.message = self.messages.alert
        self.live: GalleryLive | None = None
        name = self._checked(query)
        if name is not None:
            self.live = GalleryLive(engine.get_system(name), document)
        self.grid = _pane(_grid_html(name), sizing_mode="stretch_width", css_classes=["ps-gallery"])
        count = len(gallery_systems())
        intro = pn.pane.Markdown(
            f"## Chaos gallery\n{count} chaotic flows of the dysts database (W. Gilpin, 2021), running on Phasescope's "
            "solvers. Click an attractor to run it live, with dysts' published values beside Phasescope's estimates.",
            sizing_mode="stretch_width",
        )
        hint = pn.pane.Markdown("*Pick an attractor below to run it live.*") if self.live is None else self.live.layout
        self.layout = pn.Column(
            navigation_bar(PATH),
            intro,
            self.message,
            hint,
            self.grid,
            _pane(_skipped_html(), sizing_mode="stretch_width"),
            sizing_mode="stretch_width",
        )
        self.thumbnails = Background(document) if document is not None else None

    def _checked(self, query: dict[str, str]) -> str | None:
        """The gallery flow named in the query, or None with a message for anything else."""
        problems = [f"unknown argument {key!r} (the gallery takes: system)" for key in query if key not in QUERY_KEYS]
        name = None
        if "system" in query:
            try:
                system = engine.get_system(str(query["system"]))
            except engine.UnknownSystemError as error:
                problems.append(str(error))
            else:
                if isinstance(system, GallerySystem):
                    name = system.name
                else:
                    problems.append(f"{system.name} is not a gallery flow: open it in the explorer")
        self.messages.show("; ".join(problems))
        return name

    def draw_missing_thumbnails(self) -> None:
        """Draw the thumbnails not on disk yet on the shared worker pool, showing them as they come."""
        if self.thumbnails is None:
            return
        current = self.live.system.name if self.live is not None else None
        drawn = []

        def work(job) -> int:
            return render_missing(gallery_systems(), lambda fraction, system: job.progress(fraction))

        def shown(*_: Any) -> None:
            self.grid.object = _grid_html(current)

        def progressed(fraction: float, payload: Any) -> None:
            drawn.append(fraction)
            if len(drawn) % THUMBNAILS_PER_UPDATE == 0:
                shown()

        self.thumbnails.run(work, on_progress=progressed, on_done=shown)

    def start(self) -> None:
        """Called once the page has loaded in a browser: start the live flow and the missing thumbnails."""
        if self.live is not None and self.live.loop is not None:
            self.live.loop.start()
        self.draw_missing_thumbnails()


def _unavailable() -> pn.viewable.Viewable:
    return pn.Column(
        navigation_bar(PATH),
        pn.pane.Markdown(
            "## Chaos gallery\nThe gallery shows the chaotic flows of the dysts database, which is an optional "
            f"extra. Add it with\n\n```\n{INSTALL_HINT}\n```\n\nthen restart `phasescope serve`.",
            sizing_mode="stretch_width",
        ),
        sizing_mode="stretch_width",
    )


def create(query: dict | None = None) -> pn.viewable.Viewable:
    """Build the gallery for the current session (URL argument ``system`` opens a flow live)."""
    if not dysts_available():
        return _unavailable()
    query = session_query(query)
    document = session_document()
    page = Gallery(query, document)
    if page.live is not None:
        page.live.tick()  # the first paint already shows the start of the run
    if document is not None:
        pn.state.onload(page.start)
    return page.layout
