"""The bifurcation page built and driven headlessly, and the shared background pool it runs on."""
from __future__ import annotations

import queue
import threading

import numpy as np
import pytest
from bokeh.document import Document

from dashboard.apps import ROUTES
from dashboard.apps.bifurcation import BifurcationPage
from dashboard.background import Background
from dashboard.navigation import PAGES


def _drain(inbox: queue.Queue, job) -> None:
    """Play the event loop: run delivered callbacks until the job has finished."""
    while not job.finished:
        inbox.get(timeout=30)()
    while not inbox.empty():
        inbox.get()()


def test_background_delivers_progress_and_result_in_order_on_the_loop():
    inbox: queue.Queue = queue.Queue()
    seen = []
    workers = set()

    def work(job):
        workers.add(threading.current_thread().name)
        for k in range(4):
            job.progress((k + 1) / 4, k * k)
        return "done"

    job = Background(deliver=inbox.put).run(work, on_progress=lambda f, p: seen.append((f, p)), on_done=seen.append)
    _drain(inbox, job)
    assert seen == [(0.25, 0), (0.5, 1), (0.75, 4), (1.0, 9), "done"]
    assert workers and threading.current_thread().name not in workers  # off the caller's thread


def test_a_new_job_supersedes_the_running_one_and_nothing_stale_arrives():
    inbox: queue.Queue = queue.Queue()
    background = Background(deliver=inbox.put)
    started, release = threading.Event(), threading.Event()
    seen = []

    def slow(job):
        started.set()
        release.wait(10)
        job.progress(0.5, "stale")  # raises Cancelled: superseded meanwhile
        seen.append("not reached")

    first = background.run(slow, on_progress=lambda f, p: seen.append(p), on_done=seen.append)
    assert started.wait(10)
    second = background.run(lambda job: "fresh", on_done=seen.append)
    release.set()
    assert first.wait(10) and first.cancelled
    _drain(inbox, second)
    assert seen == ["fresh"]


def test_errors_reach_on_error_and_the_session_end_cancels():
    inbox: queue.Queue = queue.Queue()
    document = Document()
    background = Background(document, deliver=inbox.put)
    errors = []
    job = background.run(lambda job: 1 / 0, on_error=errors.append)
    _drain(inbox, job)
    assert isinstance(errors[0], ZeroDivisionError)
    for callback in document.session_destroyed_callbacks:  # what the server calls when the session ends
        callback(None)
    late = background.run(lambda job: "late", on_done=errors.append)
    assert late.cancelled and late.finished and len(errors) == 1


@pytest.fixture(scope="module")
def page():
    return BifurcationPage(query={"resolution": "200", "samples": "100", "start": "2.8", "stop": "4"})


def test_page_builds_the_whole_diagram_and_clicking_runs_the_two_cycle(page):
    assert page.progress.value == 100 and page.progress_text.object == "20,000 points"
    image = page.diagram.source.data["image"][0]
    assert image.shape == (420, 900) and np.count_nonzero(image) > 2000
    low, high = page.y_range
    assert low < 0.2 and 0.99 < high < 1.1  # the attractor of r in [2.8, 4] fills (0, 1)
    assert page.select_value(3.2)
    assert page.linked.state.simulation.params["r"] == 3.2 and page.diagram.marker.location == 3.2
    for _ in range(80):
        page.tick()
    x, _ = page.linked.state.portrait_history()
    root = np.sqrt(0.2 * 4.2)
    assert np.unique(np.round(x[0, -20:], 6)) == pytest.approx([(4.2 - root) / 6.4, (4.2 + root) / 6.4], abs=1e-6)
    assert len(page.linked.portrait.trace.data["x0"]) > 0


def test_zoom_recomputes_over_the_visible_range(page):
    page.zoomed((3.5, 3.6), (0.3, 0.9))
    assert (page.start, page.stop, page.y_range) == (3.5, 3.6, (0.3, 0.9))
    assert page.progress.value == 100
    data = page.diagram.source.data
    assert (data["x"][0], data["dw"][0]) == (3.5, pytest.approx(0.1)) and data["y"][0] == 0.3
    page.zoomed((3.5, 3.6), (0.3, 0.9))  # the same ranges again: nothing to do
    assert page.diagram_work.job.finished


def test_bad_input_shows_a_message_and_keeps_the_diagram(page):
    before = page.diagram.source.data["image"][0]
    assert not page.set_range("<b>x</b>", 3.9)
    assert "&lt;b&gt;x&lt;/b&gt;" in page.alert.object and page.alert.visible
    assert not page.select_value(7.0)
    assert "outside its bounds" in page.alert.object
    assert not page.set_system("Ornstein-Uhlenbeck")
    assert page.diagram.source.data["image"][0] is before and page.system.name == "Logistic"
    messy = BifurcationPage(query={"system": "Nope", "resolution": "2.5", "samples": "20", "colour": "red"})
    assert "unknown URL parameter" in messy.alert.object and "no system called" in messy.alert.object
    assert "whole number" in messy.alert.object and messy.progress.value == 100


def test_two_dimensional_flow_gets_a_phase_plane_with_classified_points_and_click_trajectories():
    page = BifurcationPage(query={"system": "Sel'kov", "resolution": "40", "samples": "20"})
    assert page.plane_pane in page.views
    assert page.select_value(0.05)  # a = 0.05 at b = 0.6: inside the cycle region (Strogatz 7.3)
    points = page.plane.points.data
    assert points["type"] == ["unstable focus"] and points["x"] == pytest.approx([0.6])
    assert points["y"] == pytest.approx([0.6 / (0.05 + 0.36)])
    nullclines = page.plane.nullclines
    assert all(len(source.data["xs"]) > 0 for source in nullclines)
    assert page.start_trajectory(1.0, 1.0)
    assert len(page.plane.trajectories.data["xs"]) == 1 and len(page.plane.trajectories.data["xs"][0]) > 100
    assert page.diagram.source.data["image"]  # maxima of the cycle and equilibria


def test_equilibria_are_continued_over_the_diagram_with_their_special_points():
    page = BifurcationPage(query={"system": "Sel'kov", "parameter": "b", "start": "0.1", "stop": "1.2", "resolution": "40"})
    special = page.diagram.special.data
    assert special["kind"] == ["hopf", "hopf"] and special["x"] == pytest.approx([0.3464, 0.8485], abs=1e-4)
    unstable = page.diagram.unstable.data["xs"]
    assert len(unstable) == 1 and unstable[0].min() == pytest.approx(0.3464, abs=0.02)
    assert len(page.diagram.stable.data["xs"]) == 2


def test_the_route_builds_the_page_under_the_navigation_bar():
    layout = ROUTES["/bifurcation"]({"system": "Henon", "resolution": "20", "samples": "10"})
    assert PAGES["/bifurcation"] == "Bifurcation"
    navigation = layout[0].object
    assert "ps-nav-current" in navigation and ">Bifurcation<" in navigation
    assert layout.get_root() is not None  # the whole page converts to Bokeh models
