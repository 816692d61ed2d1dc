"""The explorer's live monitors, headless: the running Lyapunov spectrum converges to the
textbook value (VALIDATION.md), the entropies are those of the visited samples, the ensemble's
order parameters follow the trajectories, and every change of run restarts them."""
from __future__ import annotations

import math

import numpy as np
import pytest

from dashboard.apps.explorer import Explorer
from dashboard.views.monitors import EVERY
from engine.diagnostics import permutation_entropy
from engine.diagnostics.monitor import PERMUTATION_ORDER

LORENZ_LAMBDA_1 = 0.9056  # Sprott, Chaos and Time-Series Analysis
LORENZ_TRACE = -(10.0 + 1.0 + 8.0 / 3.0)


def _ticks(explorer: Explorer, frames: int) -> None:
    for _ in range(frames):
        explorer.tick(0.012)


@pytest.fixture
def explorer():
    page = Explorer()
    page.monitors.warm()  # headless: compile the Lyapunov kernel now instead of in a thread
    return page


def test_running_lyapunov_spectrum_converges(explorer):
    _ticks(explorer, 30 * EVERY)
    data = explorer.monitors.lyapunov_source.data
    assert len(data["t"]) == 30
    assert data["t"][-1] == pytest.approx(explorer.state.simulation.t)
    lyapunov = explorer.monitors.monitor.lyapunov
    assert lyapunov.elapsed > explorer.state.simulation.t  # the estimate runs ahead of the view
    for _ in range(300):  # it advances on a share of each frame's time: how fast depends on the machine
        if lyapunov.elapsed > 200.0:
            break
        _ticks(explorer, EVERY)
    assert lyapunov.elapsed > 200.0
    data = explorer.monitors.lyapunov_source.data
    last = np.array([data[f"lambda_{i}"][-1] for i in (1, 2, 3)])
    assert last[0] == pytest.approx(LORENZ_LAMBDA_1, abs=0.05)
    assert last.sum() == pytest.approx(LORENZ_TRACE, abs=1e-3)
    assert f"{last[0]:.4g}" in explorer.monitors.lyapunov_figure.title.text


def test_entropies_are_those_of_the_visited_samples(explorer):
    _ticks(explorer, 10 * EVERY)
    monitor = explorer.monitors.monitor
    _, points = explorer.state.simulation.history()
    first = points[0, 1:, 0]  # every sample after the initial state, as the frames brought them
    assert monitor.visited.total == first.size
    assert monitor.values()["permutation"] == pytest.approx(permutation_entropy(first, PERMUTATION_ORDER))
    plotted = explorer.monitors.entropy_source.data
    assert 0 < plotted["shannon"][-1] <= 1 and 0 < plotted["renyi_2"][-1] <= plotted["shannon"][-1]


def test_ensemble_order_parameters_follow_the_trajectories(explorer):
    explorer.members.value = 4
    _ticks(explorer, 2 * EVERY)
    early = explorer.monitors.monitor.values()
    assert early["coherence"] == pytest.approx(1.0, abs=1e-3)  # started together
    explorer.speed.value = 200
    _ticks(explorer, 60 * EVERY)
    late = explorer.monitors.monitor.values()
    assert late["spread"] > 100 * early["spread"]  # chaos separates them
    assert 0.0 <= late["coherence"] <= 1.0
    assert "r = " in explorer.monitors.order_figure.title.text


def test_a_parameter_change_restarts_the_averages(explorer):
    _ticks(explorer, 5 * EVERY)
    explorer._sliders["rho"].value = 20.0  # below the onset of chaos: a stable fixed point
    _ticks(explorer, 20 * EVERY)
    monitor = explorer.monitors.monitor
    assert monitor.params["rho"] == 20.0
    assert monitor.lyapunov.exponents[0] < 0


def test_system_switch_and_stochastic_systems(explorer):
    _ticks(explorer, 3 * EVERY)
    explorer.picker.value = "Ornstein-Uhlenbeck"
    assert explorer.monitors.lyapunov_source.data == {"t": []}
    _ticks(explorer, 3 * EVERY)
    assert "not defined for a stochastic system" in explorer.monitors.lyapunov_figure.title.text
    assert len(explorer.monitors.entropy_source.data["t"]) == 3
    assert all(math.isfinite(v) for v in explorer.monitors.entropy_source.data["shannon"])


def test_paused_view_leaves_the_monitors_still(explorer):
    _ticks(explorer, EVERY)
    explorer.play.value = False
    _ticks(explorer, 4 * EVERY)
    assert len(explorer.monitors.lyapunov_source.data["t"]) == 1
