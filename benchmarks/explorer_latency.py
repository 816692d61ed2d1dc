"""Start-up time to a moving trajectory and frames per second reaching the browser,
Phasescope's explorer against a bare Panel page that streams one line.

    python benchmarks/explorer_latency.py [--cold] [--repeat 3]

``--cold`` first deletes the compiled kernels cached on disk (numba's cache of the engine and the generated solver kernels), so the
first start measures compilation (the "first server start after install").
Prints, for each page: seconds from launching the server process until the
browser sees points in the live trace, and frames/s received just after (while
start-up work such as datashader's compile still runs) and once steady.
"""
from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from engine.solvers.specialize import cache_folder  # noqa: E402
from tests.conftest import free_port  # noqa: E402
from tests.ui.conftest import CHROMIUM, FLAGS, TRACE_LENGTH_JS  # noqa: E402


def _time_to_motion(browser, command: list[str], port: int) -> tuple[float, float, float]:
    """Launch ``command``; seconds until the trace has points, and frames/s received
    over 5 s from 1 s after that and over 5 s from 10 s after that."""
    page = browser.new_page()
    started = time.perf_counter()
    server = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while True:
            try:
                page.goto(f"http://localhost:{port}/?speed=1", timeout=2000)
                break
            except Exception:
                if time.perf_counter() - started > 120:
                    raise
                time.sleep(0.05)
        page.wait_for_function(f"({TRACE_LENGTH_JS})() > 1", timeout=120_000, polling=20)
        to_motion = time.perf_counter() - started
        rates = []
        for settle_ms in (1000, 4000):  # just after start (warm-ups still running), then steady
            page.wait_for_timeout(settle_ms)
            before = page.evaluate(TRACE_LENGTH_JS)
            page.wait_for_timeout(5000)
            rates.append((page.evaluate(TRACE_LENGTH_JS) - before) / 5.0)
        return to_motion, *rates
    finally:
        page.close()
        server.terminate()
        server.wait(timeout=20)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cold", action="store_true", help="clear the engine's numba cache first")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    if args.cold:
        for cache in (ROOT / "engine").rglob("__pycache__"):
            for f in list(cache.glob("*.nbi")) + list(cache.glob("*.nbc")):
                f.unlink()
        shutil.rmtree(cache_folder(), ignore_errors=True)
    pages = {
        "bare Panel stream": lambda port: [sys.executable, "benchmarks/bare_stream_page.py", str(port)],
        "Phasescope explorer": lambda port: [sys.executable, "-m", "dashboard.cli", "serve", "--port", str(port), "--no-show"],
    }
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        results = {name: [] for name in pages}
        order = ["Phasescope explorer", "bare Panel stream"] if args.cold else list(pages)
        for round_ in range(args.repeat):
            for name in order:
                port = free_port()
                results[name].append(_time_to_motion(browser, pages[name](port), port))
                label = "cold" if args.cold and round_ == 0 and name == "Phasescope explorer" else "warm"
                start, early, steady = results[name][-1]
                print(f"  run {round_ + 1} {name:<20} ({label}): {start:.2f} s to motion, {early:.1f} then {steady:.1f} frames/s", flush=True)
        browser.close()
    print()
    print(f"{'page':<22}{'best start (s)':>16}{'median fps, 1-6 s':>20}{'median fps, 10-15 s':>21}")
    for name, runs in results.items():
        starts = sorted(r[0] for r in runs)
        early, steady = (sorted(r[k] for r in runs)[len(runs) // 2] for k in (1, 2))
        print(f"{name:<22}{starts[0]:>16.2f}{early:>20.1f}{steady:>21.1f}")
    bare = min(r[0] for r in results["bare Panel stream"])
    ours = min(r[0] for r in results["Phasescope explorer"][1 if args.cold else 0 :] or results["Phasescope explorer"])
    print(f"\nexplorer start minus bare start (warm cache): {ours - bare:+.2f} s (bar: <= +1.5 s)")
    if args.cold:
        print(f"explorer first start with an empty numba cache: {results['Phasescope explorer'][0][0]:.2f} s (bar: <= 15 s)")


if __name__ == "__main__":
    main()
