"""The concentration page: how concentrated a market is, period by period, live.

The source is a long table (time, entity, value, group columns; the layout
of the "Economies of Open Intelligence" dataset is recognised) given to the
server at start (``phasescope serve --market-data PATH``), which the page
watches and extends as rows are appended, or a file a person uploads, or,
with neither, a simulated market whose entry rate, attachment exponent,
ageing and exit rate are sliders. A path never comes from the URL: a visitor
cannot make the server read its files.
"""
from __future__ import annotations

import html
import os
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
import panel as pn
from bokeh.document import Document

from engine.markets.monitor import ConcentrationMonitor
from engine.markets.simulated import PARAMETERS, SimulatedMarket
from engine.markets.table import MAX_FILE_BYTES, MarketRows, WatchedTable

from ..background import Background
from ..capacity import DEFAULT_MAX_UPLOAD_MB
from ..frame_loop import FrameLoop
from ..messages import MessageArea
from ..page_layout import page_layout
from ..session import session_document
from ..views.concentration_charts import ConcentrationCharts
from ..widget_sync import WidgetSync

__all__ = [
    "ConcentrationPage",
    "configure",
    "create",
    "market_data",
    "upload_limit_bytes",
]

PATH = "/concentration"
FRAME_PERIOD_MS = 100
WATCH_PERIOD_S = 1.0
"""How often a watched file is looked at (its size and time first: unchanged files are not read)."""
SIMULATION_PERIOD_S = 0.25
"""Time between two simulated weeks."""
FIRST_WEEKS = 12
"""Weeks the simulated market runs before the first paint, so the page opens on a history."""
STACK_PERIOD_S = 1.0
"""How often the stacked area of the leading holders is redrawn while periods arrive."""
MAX_WINDOW_SLIDER = 104
MAX_K_SLIDER = 20

_SLIDER_LABELS = {
    "entry_rate": "Entry rate (entrants per week)",
    "attachment": "Attachment exponent \N{GREEK SMALL LETTER ALPHA}",
    "ageing": "Ageing rate \N{GREEK SMALL LETTER LAMDA} (per week)",
    "exit_rate": "Exit rate (per week)",
}
_market_data: Path | None = None


def configure(path: str | os.PathLike | None) -> None:
    """Serve ``path`` (a CSV or Parquet long table) as the page's watched source; ``None`` for the simulated market.

    Raises
    ------
    ValueError
        When there is no such file or it is not ``.csv`` or ``.parquet``.
    """
    global _market_data
    if path is None:
        _market_data = None
        return
    path = Path(path).expanduser().resolve()
    if not path.is_file():
        raise ValueError(f"--market-data: no file at {path}")
    if path.suffix.lower() not in (".csv", ".parquet"):
        raise ValueError(f"--market-data: {path.name} is not a .csv or .parquet file")
    _market_data = path


def upload_limit_bytes() -> int:
    """Largest upload: the server's ``--max-upload-mb``, which it sets as the file dropper's
    ``max_file_size`` (refused in the browser before sending), or its default."""
    limit = pn.widgets.FileDropper.max_file_size or f"{DEFAULT_MAX_UPLOAD_MB}MB"
    number, unit = limit[:-2], limit[-2:].upper()
    return int(float(number) * {"KB": 2**10, "MB": 2**20}[unit])


def market_data() -> Path | None:
    """The file given to the server with :func:`configure`, if any."""
    return _market_data


class _FileSource:
    """A table file, watched for appended rows."""

    def __init__(self, path: Path, name: str, *, max_bytes: int = MAX_FILE_BYTES, uploaded: bool = False) -> None:
        self.table = WatchedTable(path, max_bytes=max_bytes, source=name)
        self.description = f"uploaded file {name}" if uploaded else f"file {name} (watched for new rows)"
        self.period_s = WATCH_PERIOD_S

    def read(self) -> MarketRows | None:
        return self.table.poll()

    def taken(self, rows: MarketRows) -> None:
        self.table.commit(rows)


class _SimulatedSource:
    """A simulated market: :data:`FIRST_WEEKS` weeks at the first read, then one week per read."""

    def __init__(self, seed: int | None = None) -> None:
        self.market = SimulatedMarket(seed=seed)
        self.description = "simulated market (no file given)"
        self.period_s = SIMULATION_PERIOD_S

    def read(self) -> MarketRows:
        return self.market.step(1 if self.market.period else FIRST_WEEKS)

    def taken(self, rows: MarketRows) -> None:
        """Nothing to remember: the market moved on when it was read."""


class ConcentrationPage:
    """One session's concentration page: source, monitor, widgets and figures.

    Parameters
    ----------
    path : Path, optional
        The server's table file; without it a simulated market runs.
    document : bokeh.document.Document, optional
        The session's document; with it a :class:`~dashboard.frame_loop.FrameLoop`
        (:attr:`loop`) drives :meth:`tick`.
    seed : int, optional
        Seed of the simulated market.
    """

    def __init__(self, path: Path | None = None, document: Document | None = None, *, seed: int | None = None) -> None:
        self._document = document
        self._seed = seed
        self._widget_sync = WidgetSync()
        self._generation = 0
        self._upload_folder: str | None = None
        self._uploads = 0
        self._last_read = 0.0
        self._last_stack = 0.0
        self._stack_stale = False
        self._loading = False
        self.reads = 0
        """Reads whose rows the page took (each a week of the simulated market or new rows of the file)."""
        self._loads = Background(document)  # whole files: the server's at start, uploads
        self._polls = Background(document)  # rows appended to the watched file
        self._build_widgets()
        self.figures = pn.Column(sizing_mode="stretch_width")
        self.charts: ConcentrationCharts | None = None
        if path is None:
            self._simulate()
        else:
            source = _FileSource(path, path.name)
            self._use(source, ConcentrationMonitor())
            self._load(source, replacing=False)
        self._build_layout()
        self.loop = FrameLoop(self.tick, document, period_ms=FRAME_PERIOD_MS, on_destroyed=self._free) if document is not None else None

    # ----------------------------------------------------------------- widgets
    def _build_widgets(self) -> None:
        self.source_text = pn.pane.HTML("", sizing_mode="stretch_width")
        self.upload = pn.widgets.FileDropper(accepted_filetypes=[".csv", ".parquet"], multiple=False, css_classes=["ps-upload"])
        self.simulate_button = pn.widgets.Button(label="Run the simulated market", width=220)
        self.group = pn.widgets.Select(label="Group by", options={}, css_classes=["ps-group"])
        self.window = pn.widgets.IntSlider(label="Rolling window (periods)", start=1, end=MAX_WINDOW_SLIDER, value=1)
        self.k = pn.widgets.IntSlider(label="k of CR_k", start=1, end=MAX_K_SLIDER, value=4)
        self.week = pn.widgets.IntSlider(label="Lorenz curve of period", start=0, end=1, value=0)
        self.follow = pn.widgets.Checkbox(label="Follow the latest period", value=True)
        self.play = pn.widgets.Toggle(label="Pause", value=True, width=90)
        self.restart = pn.widgets.Button(label="Restart", width=90)
        self.sliders = {
            p.name: pn.widgets.FloatSlider(
                label=_SLIDER_LABELS[p.name],
                start=p.bounds[0], end=p.bounds[1], step=p.step, value=p.default, format="0[.]000",
                sizing_mode="stretch_width", css_classes=[f"ps-market-{p.name}"],
            )
            for p in PARAMETERS
        }
        self.simulation_controls = pn.Column(
            pn.pane.Markdown("**Simulated market**", margin=(10, 5, 0, 5)),
            pn.Row(self.play, self.restart),
            *self.sliders.values(),
            sizing_mode="stretch_width",
        )
        self.messages = MessageArea()
        self.alert = self.messages.alert
        self.status = pn.pane.Str("", styles={"font-family": "monospace", "font-size": "12px"})
        self.upload.param.watch(self._uploaded, "value")
        self.simulate_button.on_click(lambda event: self._simulate())
        on = self._widget_sync.on_change
        on(self.group, lambda value: self._set_view(group_by=value or None))
        on(self.window, lambda value: self._set_view(window=value))
        on(self.k, lambda value: self._set_view(k=value))
        on(self.week, lambda value: self._week_chosen(value))
        on(self.follow, lambda value: self._week_chosen(len(self.monitor) - 1) if value else None)
        self.play.param.watch(lambda event: self.play.param.update(label="Pause" if event.new else "Play"), "value")
        self.restart.on_click(lambda event: self._simulate())
        for name, slider in self.sliders.items():
            on(slider, lambda value, name=name: self._set_market(name, value))

    def _build_layout(self) -> None:
        sidebar = pn.Column(
            pn.pane.Markdown("**Source**", margin=(5, 5, 0, 5)),
            self.source_text,
            pn.pane.Markdown(f"Upload a long table (CSV or Parquet, at most {upload_limit_bytes() // 2**20} MB):", margin=(5, 5, 0, 5)),
            self.upload,
            self.simulate_button,
            self.group,
            self.window,
            self.k,
            self.week,
            self.follow,
            self.simulation_controls,
            width=340,
            css_classes=["ps-sidebar"],
        )
        main = pn.Column(self.alert, self.status, self.figures, sizing_mode="stretch_width")
        self.layout = page_layout(PATH, sidebar, main)

    @property
    def message(self) -> str:
        """The message shown to the person (it may quote their file), empty when none."""
        return self.messages.text

    # ----------------------------------------------------------------- sources
    def _build_charts(self, datetime: bool) -> None:
        self.charts = ConcentrationCharts(datetime=datetime)
        self.figures[:] = [
            pn.Row(pn.pane.Bokeh(self.charts.hhi, sizing_mode="stretch_width"),
                   pn.pane.Bokeh(self.charts.ratios, sizing_mode="stretch_width"), sizing_mode="stretch_width"),
            pn.Row(pn.pane.Bokeh(self.charts.entropy, sizing_mode="stretch_width"),
                   pn.pane.Bokeh(self.charts.effective, sizing_mode="stretch_width"), sizing_mode="stretch_width"),
            pn.Row(pn.pane.Bokeh(self.charts.stack, sizing_mode="stretch_width"), pn.pane.Bokeh(self.charts.lorenz),
                   sizing_mode="stretch_width"),
        ]

    def _simulate(self) -> None:
        """Run a new simulated market (its first weeks are read at once)."""
        self._loads.cancel()
        self._loading = False
        source = _SimulatedSource(self._seed)
        self._use(source, ConcentrationMonitor())
        self._take(source, source.read())
        self._redraw_stack()

    def _load(self, source: _FileSource, *, replacing: bool) -> None:
        """Read all of ``source`` into a new monitor off the event loop, then show it.

        A refused file leaves the page as it was (``replacing``: an upload) or
        shows the server's file empty, watched until it reads (``not replacing``)."""
        monitor = ConcentrationMonitor()
        self._loading = True

        def work(job) -> ConcentrationMonitor:
            rows = source.read()
            monitor.append(rows)
            source.taken(rows)
            return monitor

        def done(monitor: ConcentrationMonitor) -> None:
            self._loading = False
            self.messages.show("")
            self._use(source, monitor)

        def failed(error: Exception) -> None:
            self._loading = False
            self.messages.show(str(error))
            if replacing:
                source.table.path.unlink(missing_ok=True)

        self._loads.run(work, on_done=done, on_error=failed)

    def _use(self, source, monitor: ConcentrationMonitor) -> None:
        """Make ``source`` the page's source, with ``monitor`` holding what was read of it."""
        self._polls.cancel()
        self.source, self.monitor = source, monitor
        self._generation += 1
        self._last_read = time.monotonic()
        simulated = isinstance(source, _SimulatedSource)
        datetime = monitor.time_kind != "number"
        if self.charts is None or self.charts.datetime != datetime:  # otherwise the figures stay, their data is replaced
            self._build_charts(datetime)
        self.charts.set_k(monitor.k)
        self.source_text.object = html.escape(source.description)
        self.simulation_controls.visible = simulated
        self.simulate_button.visible = not simulated
        show = self._widget_sync.show
        if simulated:
            for name, slider in self.sliders.items():
                show(slider, value=source.market.params[name])
            show(self.play, value=True)
        entity = monitor.layout.entity if monitor.layout is not None else "entity"
        show(self.group, options={f"{entity} (each one)": "", **{c: c for c in monitor.group_columns}}, value=monitor.group_by or "")
        show(self.window, value=monitor.window)
        show(self.k, value=monitor.k)
        show(self.follow, value=True)
        self._refresh(stack=True)

    def _read(self) -> None:
        """Read what the source has new: a simulated week at once, a file's rows off the event loop."""
        source = self.source
        if isinstance(source, _SimulatedSource):
            self._take(source, source.read())
            return
        if self._loading or (self._polls.job is not None and not self._polls.job.finished):
            return  # one read of the file at a time
        self._polls.run(lambda job: source.read(), on_done=lambda rows: self._take(source, rows),
                        on_error=lambda error: self.messages.show(str(error)) if source is self.source else None)

    def _take(self, source, rows: MarketRows | None) -> None:
        """On the event loop: append ``rows`` read from ``source`` (if it is still the page's);
        refused rows leave everything as it was."""
        if source is not self.source or rows is None or not len(rows):
            return
        first = self.monitor.time_kind is None
        try:
            self.monitor.append(rows)
        except ValueError as error:
            self.messages.show(str(error))
            return
        source.taken(rows)
        self.reads += 1
        if self.message:
            self.messages.show("")
        if first and self.monitor.time_kind == "number":  # the figures were made for dates
            self._use(source, self.monitor)
        self._refresh(stack=False)

    def _uploaded(self, event) -> None:
        if not event.new:
            return
        name, data = next(iter(event.new.items()))
        data = data.encode("utf-8") if isinstance(data, str) else data  # text files arrive decoded
        limit = upload_limit_bytes()
        if not data:
            self.messages.show(f"{name}: the file is empty")
            return
        suffix = Path(name).suffix.lower()
        if suffix not in (".csv", ".parquet"):
            self.messages.show(f"{name}: upload a .csv or .parquet file")
            return
        if len(data) > limit:
            self.messages.show(f"{name}: {len(data) / 2**20:.1f} MB is more than the upload limit of {limit // 2**20} MB")
            return
        if self._upload_folder is None:
            self._upload_folder = tempfile.mkdtemp(prefix="phasescope-upload-")
        self._uploads += 1
        path = Path(self._upload_folder) / f"upload-{self._uploads}{suffix}"  # never a name from the browser
        path.write_bytes(data)
        self._load(_FileSource(path, name, max_bytes=limit, uploaded=True), replacing=True)

    # ------------------------------------------------------------------- views
    def _set_view(self, **view: Any) -> None:
        try:
            self.monitor.set_view(**view)
        except ValueError as error:
            self.messages.show(str(error))
            return
        self._generation += 1
        self.charts.set_k(self.monitor.k)
        self._refresh(stack=True)

    def _set_market(self, name: str, value: float) -> None:
        try:
            self.source.market.set_params(**{name: value})
        except ValueError as error:
            self.messages.show(str(error))

    def _week_chosen(self, period: int) -> None:
        if not len(self.monitor):
            return
        period = int(np.clip(period, 0, len(self.monitor) - 1))
        self._widget_sync.show(self.follow, value=period == len(self.monitor) - 1 and self.follow.value)
        self._widget_sync.show(self.week, value=period, label=self._week_label(period))
        self.charts.update_lorenz(self.monitor, period)

    def _week_label(self, period: int) -> str:
        times = self.monitor.times
        when = str(times[period].astype("datetime64[D]")) if self.monitor.time_kind == "date" else str(times[period])
        return f"Lorenz curve of period {when}"

    def _refresh(self, *, stack: bool) -> None:
        """Bring the figures, the period slider and the status in line with the monitor."""
        self.charts.update(self.monitor, self._generation)
        n = len(self.monitor)
        self._stack_stale = True
        if stack:
            self._redraw_stack()
        if n:
            period = n - 1 if self.follow.value else min(self.week.value, n - 1)
            self._widget_sync.show(self.week, end=max(1, n - 1), value=period, label=self._week_label(period))
            self.charts.update_lorenz(self.monitor, period)
        self.status.object = self._status_text()

    def _redraw_stack(self) -> None:
        self.charts.update_stack(self.monitor)
        self._stack_stale = False
        self._last_stack = time.monotonic()

    def _status_text(self) -> str:
        n = len(self.monitor)
        if not n:
            return "no periods yet"
        series = self.monitor.series()
        last = n - 1
        when = self._week_label(last).rsplit(" ", 1)[1]
        if np.isnan(series["hhi"][last]):
            baseline = n == 1 and self.monitor.layout.cumulative
            return f"{n} periods up to {when}: " + ("the first snapshot of running totals is the baseline" if baseline
                                                    else "nothing was held in the last window")
        return (f"{n} periods up to {when}: HHI {series['hhi'][last] * 10_000:,.0f}, Gini {series['gini'][last]:.3f}, "
                f"{int(series['holders'][last])} holders, effective number {series['effective_number'][last]:.1f}")

    # ------------------------------------------------------------------ frames
    def tick(self, budget_s: float | None = None) -> None:
        """One frame: read the source when it is due (a file every second, a simulated week
        every quarter second unless paused), stream the new periods, redraw the stack now and then."""
        now = time.monotonic()
        simulated = isinstance(self.source, _SimulatedSource)
        if now - self._last_read >= self.source.period_s and (self.play.value or not simulated):
            self._last_read = now
            self._read()
        if self._stack_stale and now - self._last_stack >= STACK_PERIOD_S:
            self._redraw_stack()

    def poll(self) -> bool:
        """Read the source now, as a due frame would; True when new rows were taken by the
        time it returns (always so without a server session, where reads run inline)."""
        reads = self.reads
        self._read()
        return self.reads > reads

    def _free(self) -> None:
        """The session ended: drop the data and any uploaded file."""
        self.monitor = self.source = None
        if self._upload_folder is not None:
            shutil.rmtree(self._upload_folder, ignore_errors=True)
            self._upload_folder = None

    def __panel__(self):
        return self.layout


def create(query: dict | None = None) -> pn.viewable.Viewable:
    """Build the concentration page for the current session (the URL query chooses nothing: no paths from visitors)."""
    page = ConcentrationPage(market_data(), session_document())
    if page.loop is not None:
        pn.state.onload(page.loop.start)
    return page.layout
