"""A day of lessons in ten minutes: sessions of the explorer open and close
continuously; the server's memory and the per-session update rate over time.

    python benchmarks/soak.py [--minutes 10] [--sessions 10] [--stay 20]

A server process (``phasescope serve``, unused sessions freed after 5 s)
runs on loopback. Waves of ``--sessions`` websocket clients (bokeh.client,
one thread each) open the explorer, stay ``--stay`` seconds and close, while
the next wave opens halfway through: there are always between ``--sessions``
and twice that many live. Every wave prints the elapsed time, the server's
resident memory, the sessions opened so far, failed sessions and the median
frames/s of the wave's sessions over their stay. The last lines compare the
first and the last waves: a server that slows down or keeps memory over a
day shows it here.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.websocket_sessions import ServerProcess, open_sessions


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=10.0, help="how long to run (default 10)")
    parser.add_argument("--sessions", type=int, default=10, help="sessions per wave (default 10)")
    parser.add_argument("--stay", type=float, default=20.0, help="seconds each session stays open (default 20)")
    args = parser.parse_args()
    waves = []
    failed = opened = 0
    print(f"{'elapsed s':>10}{'server MiB':>12}{'opened':>8}{'failed':>8}{'median frames/s':>17}", flush=True)
    with ServerProcess.phasescope("--session-lifetime", "5", "--max-sessions", str(3 * args.sessions)) as server:
        start = time.monotonic()
        end = start + 60 * args.minutes
        previous = None
        while time.monotonic() < end:
            wave = open_sessions(server.url, args.sessions)
            opened_at = time.monotonic()
            opened += len(wave)
            time.sleep(args.stay / 2)
            if previous is not None:  # the wave before has stayed its time: it leaves
                for session in previous[0]:
                    session.close()
                rates = [s.rate(previous[1], previous[1] + args.stay) for s in previous[0]]
                failed += sum(s.error is not None for s in previous[0])
                waves.append((time.monotonic() - start, server.rss_mb(), statistics.median(rates)))
                print(f"{waves[-1][0]:>10.0f}{waves[-1][1]:>12.0f}{opened:>8}{failed:>8}{waves[-1][2]:>17.2f}", flush=True)
            time.sleep(args.stay / 2)
            previous = (wave, opened_at)
        for session in previous[0]:
            session.close()
        failed += sum(s.error is not None for s in previous[0])
        time.sleep(30)
        settled = server.rss_mb()
    if len(waves) >= 2:
        first, last = waves[0], waves[-1]
        print(f"\nserver memory: {first[1]:.0f} MiB after the first wave, {last[1]:.0f} MiB after the last, "
              f"{settled:.0f} MiB 30 s after everyone left")
        print(f"median frames/s per session: {first[2]:.2f} in the first wave, {last[2]:.2f} in the last")
    print(f"sessions opened: {opened}, failed: {failed}")


if __name__ == "__main__":
    main()
