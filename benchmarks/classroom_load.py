"""A class of thirty on one server: per-session update rate of the explorer against
a bare Panel page streaming one line under the same load, failed sessions, and the
server's memory before, during and 30 s after.

    python benchmarks/classroom_load.py [--sessions 30] [--seconds 60] [--settle 30]

Each page is served by its own server process on loopback; ``--sessions``
websocket clients (bokeh.client, one thread each, in this process) open it at
once and count the frames streamed into its live trace. The rate of a session
is its frames per second over the ``--seconds`` after all have opened (the
first 5 s skipped). Bars: explorer median >= 0.7 x the bare page's median, zero
failed sessions, explorer server memory ``--settle`` s after the last session
closed within 50 MiB of its value before the sessions opened (read after one
session has opened and closed, so a first page's imports are not counted).
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.websocket_sessions import ServerProcess, first_page, open_sessions

SKIP_S = 5.0
LIFETIME_S = 5


def measure(name: str, server: ServerProcess, sessions: int, seconds: float, settle: float) -> dict:
    with server:
        first_page(server.url)
        time.sleep(3 * LIFETIME_S)  # its session expired and its memory released
        before = server.rss_mb()
        clients = open_sessions(server.url, sessions)
        opened = time.monotonic()
        time.sleep(SKIP_S + seconds)
        during = server.rss_mb()
        for client in clients:
            client.close()
        time.sleep(settle)
        after = server.rss_mb()
    rates = [c.rate(opened + SKIP_S, opened + SKIP_S + seconds) for c in clients]
    failed = [c.error for c in clients if c.error is not None]
    result = {
        "median": statistics.median(rates), "min": min(rates), "max": max(rates), "failed": failed,
        "before": before, "during": during, "after": after,
    }
    print(
        f"{name:<22}{result['median']:>8.2f}{result['min']:>8.2f}{result['max']:>8.2f}{len(failed):>8}"
        f"{before:>10.0f}{during:>10.0f}{after:>10.0f}",
        flush=True,
    )
    for error in failed:
        print(f"    failed: {error}")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=30)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--settle", type=float, default=30.0)
    args = parser.parse_args()
    print(f"{args.sessions} sessions per page, rates over {args.seconds:.0f} s (frames/s per session); server RSS in MiB")
    print(f"{'page':<22}{'median':>8}{'min':>8}{'max':>8}{'failed':>8}{'before':>10}{'during':>10}{'after':>10}")
    bare = measure("bare Panel stream", ServerProcess.bare_stream(), args.sessions, args.seconds, args.settle)
    explorer = measure(
        "Phasescope explorer",
        ServerProcess.phasescope("--session-lifetime", str(LIFETIME_S), "--max-sessions", str(args.sessions + 5)),
        args.sessions, args.seconds, args.settle,
    )
    ratio = explorer["median"] / bare["median"] if bare["median"] else float("nan")
    grown = explorer["after"] - explorer["before"]
    print(f"\nexplorer median / bare median: {ratio:.2f} (bar: >= 0.7)")
    print(f"failed explorer sessions: {len(explorer['failed'])} (bar: 0)")
    print(f"explorer server memory {args.settle:.0f} s after the last session closed: {grown:+.0f} MiB (bar: <= +50 MiB)")


if __name__ == "__main__":
    main()
