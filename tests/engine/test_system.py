"""Checks of numbers given by a person: check_number and check_integer."""
from __future__ import annotations

import math

import numpy as np
import pytest

from engine.system import check_integer, check_number


@pytest.mark.parametrize(
    "value, expected",
    [(3, 3.0), (2.5, 2.5), (" 24.5 ", 24.5), ("1e3", 1000.0), (np.float32(0.5), 0.5), (np.int64(7), 7.0)],
)
def test_check_number_accepts_numbers_and_their_text(value, expected):
    number = check_number(value, "x", (0, 1000))
    assert number == expected and type(number) is float


@pytest.mark.parametrize(
    "value, message",
    [
        (math.nan, r"x must be a finite number in \[0, 10\], got nan"),
        (-math.inf, r"x must be a finite number in \[0, 10\], got -inf"),
        ("ten", r"x must be a finite number in \[0, 10\], got 'ten'"),
        (True, r"x must be a finite number in \[0, 10\], got True"),
        (None, r"x must be a finite number in \[0, 10\], got None"),
        (10.5, r"x = 10.5 is outside its bounds \[0, 10\]"),
    ],
)
def test_check_number_refuses_naming_the_value(value, message):
    with pytest.raises(ValueError, match=message):
        check_number(value, "x", (0, 10))


@pytest.mark.parametrize(
    "value, expected",
    [(10, 10), (10.0, 10), ("10", 10), (" 1e3 ", 1000), (np.int64(5), 5), (np.float64(6.0), 6), (2**63 - 1, 2**63 - 1)],
)
def test_check_integer_accepts_whole_numbers_exactly(value, expected):
    whole = check_integer(value, "n", (0, 2**63 - 1))
    assert whole == expected and type(whole) is int


@pytest.mark.parametrize(
    "value, message",
    [
        (10.5, r"n must be a whole number, got 10.5"),
        ("2.5", r"n must be a whole number, got '2.5'"),
        (np.float64(0.25), r"n must be a whole number, got 0.25"),
        (math.nan, r"n must be a finite number in \[1, 5000000\], got nan"),
        ("many", r"n must be a finite number in \[1, 5000000\], got 'many'"),
        (False, r"n must be a finite number in \[1, 5000000\], got False"),
        (0, r"n = 0 is outside its bounds \[1, 5000000\]"),
        # counts print exactly, never rounded as 5e+06
        (5_000_001, r"n = 5000001 is outside its bounds \[1, 5000000\]"),
    ],
)
def test_check_integer_refuses_instead_of_truncating(value, message):
    with pytest.raises(ValueError, match=message):
        check_integer(value, "n", (1, 5_000_000))


def test_check_integer_without_bounds():
    assert check_integer(-3.0, "offset") == -3
    with pytest.raises(ValueError, match=r"offset must be a finite number, got inf"):
        check_integer(math.inf, "offset")


def test_check_integer_takes_typed_digits_exactly():
    from engine.system import check_integer

    assert check_integer("9007199254740993", "seed") == 9007199254740993  # beyond a float's 53 bits
    assert check_integer(" 9223372036854775807 ", "seed", (0, 2**63 - 1)) == 2**63 - 1
    with pytest.raises(ValueError, match=r"speed = 1e\+300 is outside"):
        check_integer("1e300", "speed", (1, 20_000))  # a float's form, not 301 digits


def test_parameters_set_before_the_first_step_are_the_start_not_a_change():
    from engine import Simulation

    run = Simulation("Lorenz")
    run.set_params(rho=24.0)
    run.advance(10)
    assert run.changes == ()
    dataset = run.to_dataset()
    assert dataset.attrs["param_rho"] == 24.0 and dataset.attrs["changes"] == ""
    run.set_params(rho=20.0)
    assert len(run.changes) == 1
