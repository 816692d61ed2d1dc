"""Order parameters: closed forms of synchrony, alignment, milling and interface width."""
from __future__ import annotations

import math

import numpy as np
import pytest

from engine.diagnostics import interface_width, kuramoto_order, milling, polarization


def test_kuramoto_closed_forms():
    r, psi = kuramoto_order(np.full(10, 0.7))
    assert r == pytest.approx(1.0) and psi == pytest.approx(0.7)
    r, _ = kuramoto_order(np.linspace(0, 2 * math.pi, 12, endpoint=False))  # splay state
    assert r == pytest.approx(0.0, abs=1e-12)
    r, psi = kuramoto_order([0.0, math.pi / 2])  # |1 + i| / 2
    assert r == pytest.approx(math.sqrt(2) / 2) and psi == pytest.approx(math.pi / 4)


def test_kuramoto_of_random_phases_scales_as_inverse_root_n():
    phases = np.random.default_rng(2).uniform(0, 2 * math.pi, (400, 1000))
    r, _ = kuramoto_order(phases)  # one r per row: E[r^2] = 1/N
    assert r.shape == (400,)
    assert np.mean(r**2) == pytest.approx(1e-3, rel=0.15)


def test_polarization():
    aligned = np.tile([3.0, 4.0], (20, 1)) * np.linspace(1, 2, 20)[:, None]
    assert polarization(aligned) == pytest.approx(1.0)
    assert polarization([[1.0, 0.0], [-2.0, 0.0]]) == pytest.approx(0.0)
    assert polarization([[1.0, 0, 0], [0, 1.0, 0]]) == pytest.approx(math.sqrt(2) / 2)


def test_milling_of_a_mill_and_of_a_parallel_group():
    angles = np.linspace(0, 2 * math.pi, 30, endpoint=False)
    ring = np.column_stack((np.cos(angles), np.sin(angles))) * 5 + [2.0, -1.0]
    tangent = np.column_stack((-np.sin(angles), np.cos(angles)))
    assert milling(ring, tangent) == pytest.approx(1.0)
    assert milling(ring, -tangent) == pytest.approx(1.0)
    assert polarization(tangent) == pytest.approx(0.0, abs=1e-12)
    assert milling(ring, np.tile([1.0, 0.0], (30, 1))) == pytest.approx(0.0, abs=1e-12)
    ring3 = np.column_stack((ring, np.zeros(30)))
    tangent3 = np.column_stack((tangent, np.zeros(30)))
    assert milling(ring3, tangent3) == pytest.approx(1.0)


def test_interface_width():
    assert interface_width(np.full(8, 3.0)) == 0.0
    assert interface_width([0.0, 2.0]) == pytest.approx(1.0)
    heights = np.random.default_rng(3).normal(0, 2.5, (3, 100_000))
    assert np.allclose(interface_width(heights), 2.5, rtol=0.02)


def test_bad_input_is_refused():
    with pytest.raises(ValueError, match="finite"):
        kuramoto_order([0.0, math.nan])
    with pytest.raises(ValueError, match="2-D or 3-D"):
        polarization(np.ones((4, 5)))
    with pytest.raises(ValueError, match="same shape"):
        milling(np.ones((4, 2)), np.ones((5, 2)))
