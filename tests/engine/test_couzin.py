"""The Couzin zone model: neighbour search, the 2002 regimes and their memory, dewi-kadita's cases, export."""
from __future__ import annotations

import math

import numpy as np
import pytest
import xarray as xr

import engine
from engine.diagnostics.schooling import order_parameters
from engine.manybody.couzin import (
    COUZIN_2002,
    DEWI_KADITA_CASES,
    CouzinParams,
    School,
    nearest_distances,
    neighbours,
    orientation_sweep,
)


def _clustered(rng, n, box):
    """Half the agents in a tight clump (cells with many agents), half spread out."""
    clump = rng.normal(box / 2, 1.0, (n // 2, 3))
    return np.concatenate([clump, rng.uniform(0, box, (n - n // 2, 3))]) % box


@pytest.mark.parametrize("box", [None, 20.0])
@pytest.mark.parametrize("radius", [0.7, 2.5, 9.0])  # 9 > box / 3: fewer than three cells per axis
def test_cell_lists_find_exactly_the_pairs_of_the_all_pairs_search(box, radius):
    positions = _clustered(np.random.default_rng(7), 600, 20.0)
    offsets, indices = neighbours(positions, radius, box, method="cells")
    ref_offsets, ref_indices = neighbours(positions, radius, box, method="all")
    np.testing.assert_array_equal(offsets, ref_offsets)
    np.testing.assert_array_equal(indices, ref_indices)
    assert indices.size > positions.shape[0]  # the comparison covers many pairs
    delta = positions[:, None] - positions[None]
    if box is not None:
        delta -= box * np.round(delta / box)
    expected = (np.linalg.norm(delta, axis=-1) < radius).sum() - positions.shape[0]
    assert indices.size == expected


@pytest.mark.parametrize("box", [None, 20.0])
def test_nearest_distances_are_the_sorted_smallest_distances(box):
    positions = _clustered(np.random.default_rng(3), 300, 20.0)
    positions[0] = [60.0, 60.0, 60.0] if box is None else positions[0]  # an isolated agent in open space
    delta = positions[:, None] - positions[None]
    if box is not None:
        delta -= box * np.round(delta / box)
    distances = np.sort(np.linalg.norm(delta, axis=-1), axis=1)[:, 1:6]
    np.testing.assert_allclose(nearest_distances(positions, 5, box), distances, rtol=1e-12)


def test_cell_lists_and_all_pairs_run_the_same_school():
    params = COUZIN_2002.replace(n=300, box_size=12.0)
    runs = [School(params, seed=5, use_cells=use_cells) for use_cells in (True, False)]
    for school in runs:
        school.advance(20)
    np.testing.assert_allclose(runs[0].positions, runs[1].positions, atol=1e-9)


def _mean_order(params: CouzinParams, seed: int, transient: int, samples: int) -> np.ndarray:
    school = School(params, seed=seed)
    school.advance(transient)
    values = []
    for _ in range(samples):
        school.advance(10)
        values.append(order_parameters(school.positions, school.velocities))
    return np.mean(values, axis=0)


def test_couzin_2002_regimes_in_open_space():
    swarm = _mean_order(COUZIN_2002.replace(orientation_width=0.0), 1, 1500, 100)
    torus = _mean_order(COUZIN_2002.replace(orientation_width=1.0), 1, 1500, 100)
    parallel = _mean_order(COUZIN_2002.replace(orientation_width=12.0), 1, 1500, 100)
    assert swarm[0] < 0.2 and swarm[1] < 0.5
    assert torus[1] > 0.5 and torus[0] < 0.2
    assert parallel[0] > 0.9


def test_orientation_sweep_remembers_the_past_state():
    """Up from a swarm the school mills at intermediate widths; down from parallel it stays parallel there."""
    reports = []
    sweep = orientation_sweep(
        COUZIN_2002, np.array([0.0, 1.0, 2.0, 8.0]), transient=600, measure=300, seed=1,
        progress=lambda fraction, point: reports.append((fraction, point)),
    )
    up, down = 0, 1
    assert [r[0] for r in reports] == [k / 8 for k in range(1, 9)]
    assert [r[1][:2] for r in reports] == [(0, 0.0), (0, 1.0), (0, 2.0), (0, 8.0), (1, 8.0), (1, 2.0), (1, 1.0), (1, 0.0)]
    assert reports[1][1][2:] == (sweep["polarization"][up, 1], sweep["milling"][up, 1])
    for k in (1, 2):
        assert sweep["milling"][up, k] > 0.5 and sweep["polarization"][up, k] < 0.3
        assert sweep["polarization"][down, k] > 0.8
    assert sweep["polarization"][up, 3] > 0.9 and sweep["polarization"][down, 0] < 0.3


@pytest.mark.parametrize("case, published", [("swarm", 0.080), ("highly parallel", 0.9972)])
def test_dewi_kadita_cases_reach_their_published_polarization(case, published):
    """Mean polarization over the second half of the run (dewi-kadita's supplementary report)."""
    config = DEWI_KADITA_CASES[case]
    params = config["params"]
    school = School(params, seed=config["seed"], record_every=10, capacity=config["steps"])
    school.advance(config["steps"])
    _, positions, velocities = school.history()
    half = positions.shape[0] // 2
    mean = np.mean([order_parameters(x, v, params.box_size)[0] for x, v in zip(positions[half:], velocities[half:])])
    if case == "swarm":
        assert mean < 0.1  # the paper's abstract: P < 0.1
        assert abs(mean - published) < 0.036  # within the report's standard deviation
    else:
        assert abs(mean - published) < 0.002  # report: 0.9972 +- 0.0003


def test_agents_keep_speed_headings_and_box():
    params = DEWI_KADITA_CASES["torus"]["params"].replace(n=200)
    school = School(params, seed=2)
    before = school.positions
    school.advance(1)
    step = school.positions - before
    step -= params.box_size * np.round(step / params.box_size)
    np.testing.assert_allclose(np.linalg.norm(step, axis=1), params.speed * params.dt, rtol=1e-12)
    np.testing.assert_allclose(np.linalg.norm(school.headings, axis=1), 1.0, rtol=1e-12)
    school.advance(300)
    assert (school.positions >= 0).all() and (school.positions < params.box_size).all()


def test_turning_is_limited_per_step():
    params = COUZIN_2002.replace(noise=0.0)
    school = School(params, seed=4)
    before = school.headings
    school.advance(1)
    angles = np.arccos(np.clip(np.sum(before * school.headings, axis=1), -1, 1))
    assert angles.max() <= params.turning_rate * params.dt + 1e-9
    assert angles.max() > 0.9 * params.turning_rate * params.dt  # some agents turn as far as they may


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"n": 1}, "n"),
        ({"noise": float("nan")}, "noise"),
        ({"orientation_width": -1.0}, "orientation_width"),
        ({"boundary": "wall"}, "boundary"),
        ({"rule": "vicsek"}, "rule"),
        ({"speed": "fast"}, "speed"),
        ({"colour": 1}, "colour"),
    ],
)
def test_bad_parameters_are_refused_with_their_name(changes, message):
    with pytest.raises(ValueError, match=message):
        COUZIN_2002.replace(**changes)


def test_radii_must_be_ordered():
    with pytest.raises(ValueError, match="r_r < r_o <= r_a"):
        CouzinParams.from_radii(3.0, 2.0, 10.0)
    params = CouzinParams.from_radii(1.0, 12.0, 20.0)
    assert (params.r_orientation, params.r_attraction) == (12.0, 20.0)


def test_run_exports_to_netcdf_with_labelled_dimensions(tmp_path):
    school = School(COUZIN_2002.replace(n=30), seed=9, record_every=5, capacity=4)
    school.advance(10)
    school.set_params(orientation_width=5.0)
    school.advance(15)
    dataset = school.to_dataset()
    assert dataset["position"].dims == ("time", "agent", "space")
    assert list(dataset["space"].values) == ["x", "y", "z"]
    assert dataset.sizes["time"] == 4  # the capacity keeps the latest snapshots
    np.testing.assert_allclose(dataset["time"].values, [1.0, 1.5, 2.0, 2.5])
    assert dataset.attrs["param_orientation_width"] == 2.0
    assert dataset.attrs["final_param_orientation_width"] == 5.0
    assert dataset.attrs["changes"] == "t=1 orientation_width 2.0 -> 5.0"
    np.testing.assert_array_equal(dataset["position"].values[-1], school.positions)
    speeds = np.linalg.norm(dataset["velocity"].values, axis=-1)
    np.testing.assert_allclose(speeds, COUZIN_2002.speed, rtol=1e-12)
    loaded = engine.load(engine.save(dataset, tmp_path / "school.nc"))
    xr.testing.assert_identical(loaded, dataset)


def test_a_new_number_of_agents_restarts_the_run():
    school = School(COUZIN_2002, seed=1)
    school.advance(5)
    school.set_params(n=40)
    assert school.positions.shape == (40, 3) and school.t == 0.0 and school.changes == ()
    with pytest.raises(ValueError, match="noise"):
        school.set_params(noise=-1)
    assert school.params.noise == COUZIN_2002.noise


def test_same_seed_same_run():
    runs = [School(COUZIN_2002.replace(n=50), seed=11) for _ in range(2)]
    for school in runs:
        school.advance(50)
    np.testing.assert_array_equal(runs[0].positions, runs[1].positions)
    assert math.isclose(runs[0].t, 5.0)


@pytest.mark.parametrize("case", list(DEWI_KADITA_CASES))
def test_dewi_kadita_rule_is_the_packages_update(case):
    """Without noise one step is deterministic: the package's numba update gives the same velocities."""
    solver = pytest.importorskip("dewi_kadita.core.solver", reason="dewi-kadita (the bench extra) is not installed")
    params = DEWI_KADITA_CASES[case]["params"].replace(noise=0.0)
    school = School(params, seed=3)
    school.advance(50)
    positions, headings = school.positions, school.headings
    theirs = solver._update_velocities_numba(
        positions, headings * params.speed, params.box_size, params.repulsion, params.r_orientation,
        params.r_attraction, params.turning_rate * params.dt, 0.0, np.radians(params.blind_angle), params.speed, 1.0,
    )
    school.advance(1)
    np.testing.assert_allclose(school.velocities, theirs, atol=1e-12)
    np.testing.assert_allclose(school.positions, np.mod(positions + theirs * params.dt, params.box_size), atol=1e-12)


def test_couzin_noise_is_a_wrapped_gaussian_of_the_given_spread():
    """Alone and free to turn, a heading moves by a tangent Gaussian angle: Rayleigh, mean sigma sqrt(pi / 2)."""
    params = COUZIN_2002.replace(n=2, box_size=5000.0, turning_rate=100.0, noise=0.05)
    school = School(params, seed=8)
    angles = []
    for _ in range(2000):
        before = school.headings
        school.advance(1)
        angles.extend(np.arccos(np.clip(np.sum(before * school.headings, axis=1), -1, 1)))
    assert np.linalg.norm(np.diff(school.positions, axis=0)) > params.r_attraction  # they never met
    assert np.mean(angles) == pytest.approx(0.05 * math.sqrt(math.pi / 2), rel=0.03)
    assert np.mean(np.square(angles)) == pytest.approx(2 * 0.05**2, rel=0.06)
