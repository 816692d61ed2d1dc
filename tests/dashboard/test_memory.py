"""The server process runs on glibc's allocator, whose free pages go back to the system."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

from dashboard.memory import _LIBC

pytestmark = pytest.mark.skipif(_LIBC is None, reason="the system allocator is used where glibc can trim it")

REPORT = (
    "import sys; print('started', sys.argv[1:]); "
    "from dashboard.memory import use_system_allocator; use_system_allocator(); sys._debugmallocstats()"
)
"""A process that says when it starts, asks for the system allocator, then prints its
allocator's statistics to stderr (pymalloc's begin with its small-block table)."""


def _run(**environment: str) -> tuple[list[str], bool]:
    """Lines the process printed, and whether it ended on pymalloc."""
    inherited = {k: v for k, v in os.environ.items() if k != "PYTHONMALLOC"}
    result = subprocess.run(
        [sys.executable, "-c", REPORT, "serve", "--port", "5006"], env=inherited | environment, capture_output=True, text=True,
        timeout=60, check=True,
    )
    return result.stdout.splitlines(), result.stderr.startswith("Small block threshold")


def test_the_process_starts_again_on_the_system_allocator_with_its_arguments():
    assert _run() == (["started ['serve', '--port', '5006']"] * 2, False)


def test_an_allocator_chosen_by_whoever_started_the_server_is_kept():
    assert _run(PYTHONMALLOC="pymalloc") == (["started ['serve', '--port', '5006']"], True)
