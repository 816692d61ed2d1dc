"""The seven schooling entropies and the OSI: dewi-kadita's own values, closed forms, bad input."""
from __future__ import annotations

import math

import numpy as np
import pytest

from engine.diagnostics.schooling import (
    OSI_WEIGHTS,
    oceanic_schooling_index,
    order_parameters,
    schooling_entropies,
)
from engine.manybody.couzin import DEWI_KADITA_CASES, School

metrics = pytest.importorskip("dewi_kadita.core.metrics", reason="dewi-kadita (the bench extra) is not installed")

DEWI_KEYS = {
    "cohesion": "school_cohesion_entropy",
    "polarization": "polarization_entropy",
    "depth": "depth_stratification_entropy",
    "angular": "angular_momentum_entropy",
    "knn": "nearest_neighbor_entropy",
    "vel_corr": "velocity_correlation_entropy",
    "shape": "school_shape_entropy",
}


@pytest.mark.parametrize("case", list(DEWI_KADITA_CASES))
def test_entropies_and_index_equal_dewi_kaditas_on_its_cases(case):
    config = DEWI_KADITA_CASES[case]
    school = School(config["params"], seed=config["seed"])
    school.advance(200)
    box = config["params"].box_size
    ours = schooling_entropies(school.positions, school.velocities, box)
    theirs = metrics.compute_oceanic_schooling_index(school.positions, school.velocities, box)
    for key, name in DEWI_KEYS.items():
        assert ours[key] == pytest.approx(theirs[name], abs=1e-12), key
    assert oceanic_schooling_index(ours) == pytest.approx(theirs["oceanic_schooling_index"], abs=1e-12)


def test_published_weights_sum_to_one():
    assert math.isclose(sum(OSI_WEIGHTS.values()), 1.0)
    assert OSI_WEIGHTS == {
        "cohesion": 0.18, "polarization": 0.28, "depth": 0.08, "angular": 0.08,
        "knn": 0.10, "vel_corr": 0.18, "shape": 0.10,
    }


def test_aligned_school_has_zero_heading_entropies():
    """Every agent moving the same way: one heading bin, one correlation bin."""
    rng = np.random.default_rng(0)
    positions = rng.uniform(0, 10, (200, 3))
    velocities = np.tile([0.3, -0.2, 0.9], (200, 1))
    h = schooling_entropies(positions, velocities, 10.0)
    assert h["polarization"] == 0.0 and h["vel_corr"] == 0.0
    assert order_parameters(positions, velocities, 10.0)[0] == pytest.approx(1.0)


def test_isotropic_cloud_has_full_shape_entropy_and_a_line_has_none():
    rng = np.random.default_rng(1)
    cube = rng.uniform(0, 10, (5000, 3))
    velocities = rng.standard_normal((5000, 3))
    assert schooling_entropies(cube, velocities, 10.0)["shape"] == pytest.approx(1.0, abs=1e-3)
    line = np.zeros((50, 3))
    line[:, 0] = np.linspace(1, 9, 50)
    h = schooling_entropies(line, velocities[:50], 10.0)
    assert h["shape"] < 1e-6
    assert h["depth"] == 0.0  # every agent at one depth
    assert h["cohesion"] == 0.0  # equal spacing: one nearest-neighbour distance


def test_weights_are_adjustable_and_checked():
    entropies = dict.fromkeys(OSI_WEIGHTS, 0.0) | {"depth": 1.0}
    assert oceanic_schooling_index(entropies) == pytest.approx(0.08)
    assert oceanic_schooling_index(entropies, {"depth": 2.0, "shape": 2.0}) == pytest.approx(0.5)
    for bad, message in [({"depth": -1}, "non-negative"), ({"depth": "x"}, "number"), ({"colour": 1}, "unknown"),
                         (dict.fromkeys(OSI_WEIGHTS, 0.0), "zero")]:
        with pytest.raises(ValueError, match=message):
            oceanic_schooling_index(entropies, bad)


def test_mill_across_a_face_of_the_box_keeps_its_milling():
    """A ring of agents circling around a corner of the periodic cube: M = 1 with a periodic-safe centroid."""
    angle = np.linspace(0, 2 * np.pi, 60, endpoint=False)
    ring = np.stack([3 * np.cos(angle), 3 * np.sin(angle), np.zeros(60)], axis=1)
    velocities = np.stack([-np.sin(angle), np.cos(angle), np.zeros(60)], axis=1)
    polarization, milling = order_parameters(ring % 20.0, velocities, 20.0)
    assert milling == pytest.approx(1.0) and polarization == pytest.approx(0.0, abs=1e-12)


def test_open_space_school_is_measured_around_its_centroid():
    rng = np.random.default_rng(2)
    positions = rng.normal(0, 2, (300, 3))
    velocities = rng.standard_normal((300, 3))
    here = schooling_entropies(positions, velocities, 25.0, periodic=False)
    far = schooling_entropies(positions + 1e4, velocities, 25.0, periodic=False)
    for key in here:
        assert here[key] == pytest.approx(far[key], abs=1e-9)


@pytest.mark.parametrize(
    "positions, velocities, message",
    [
        (np.zeros((5, 2)), np.zeros((5, 2)), "at least 3"),
        (np.full((5, 3), np.nan), np.ones((5, 3)), "finite"),
        (np.zeros((5, 3)), np.ones((4, 3)), "shape"),
        (np.zeros((1, 3)), np.ones((1, 3)), "at least 2"),
    ],
)
def test_bad_snapshots_are_refused(positions, velocities, message):
    with pytest.raises(ValueError, match=message):
        schooling_entropies(positions, velocities, 10.0)
