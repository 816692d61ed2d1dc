"""The ``phasescope`` command: serve the pages, list the catalog, run a system headlessly."""
from __future__ import annotations

import argparse
import signal
import sys
import warnings
from pathlib import Path
from typing import Sequence

__all__ = ["main"]


def _port(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"port must be a whole number, got {text!r}") from None
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"port must be in [0, 65535], got {port}")
    return port


def _assignment(text: str) -> tuple[str, str]:
    name, sep, value = text.partition("=")
    if not sep or not name.strip():
        raise argparse.ArgumentTypeError(f"expected NAME=VALUE, got {text!r}")
    return name.strip(), value.strip()


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="phasescope", description="A browser laboratory for dynamical systems.")
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="serve the dashboard (explorer at /)")
    serve.add_argument("--port", type=_port, default=5006, help="port to listen on (default 5006; 0 picks a free one)")
    serve.add_argument("--address", default="127.0.0.1", help="address to bind (default 127.0.0.1, this machine only)")
    serve.add_argument(
        "--allow-websocket-origin",
        action="append",
        default=None,
        metavar="HOST[:PORT]",
        help="origin allowed to open the websocket (repeatable; default localhost only)",
    )
    serve.add_argument("--show", action=argparse.BooleanOptionalAction, default=True, help="open a browser tab")
    serve.add_argument(
        "--market-data", type=Path, metavar="PATH",
        help="CSV or Parquet long table the concentration page watches (default: a simulated market)",
    )

    listing = commands.add_parser("list", help="list the catalog")
    listing.add_argument("--family", choices=("flow", "map", "sde"), help="only this family")
    listing.add_argument("--tag", help="only systems with this tag")

    run = commands.add_parser("run", help="integrate a system headlessly and write NetCDF")
    run.add_argument("system", help="catalog name, e.g. lorenz")
    run.add_argument("--param", action="append", type=_assignment, default=[], metavar="NAME=VALUE", help="parameter value (repeatable)")
    run.add_argument("--state", help="initial state, comma-separated")
    length = run.add_mutually_exclusive_group()
    length.add_argument("--steps", help="number of steps (default 10000)")
    length.add_argument("--t-end", help="end time")
    run.add_argument("--dt", help="step (output interval for dopri5)")
    run.add_argument("--solver", default="auto", help="solver (default: the system's)")
    run.add_argument("--seed", help="noise seed for stochastic systems")
    run.add_argument("--out", required=True, type=Path, help="output file, .nc")
    return parser


def _interrupt(*_) -> None:
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # a second request ends the process at once
    raise KeyboardInterrupt


def _serve(args: argparse.Namespace) -> int:
    from .apps import concentration
    from .server import build_server

    concentration.configure(args.market_data)
    server = build_server(
        port=args.port, address=args.address, websocket_origin=args.allow_websocket_origin, show=False
    )
    server.start()
    url = f"http://{'localhost' if args.address in ('127.0.0.1', '0.0.0.0', '::') else args.address}:{server.port}/"
    print(f"Phasescope serving at {url} (Ctrl-C stops)", flush=True)
    if args.show:
        server.io_loop.add_callback(server.show, "/")
    signal.signal(signal.SIGTERM, _interrupt)  # a service manager's stop ends like Ctrl-C
    try:
        server.io_loop.start()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    return 0


def _list(args: argparse.Namespace) -> int:
    import engine

    systems = engine.catalog(family=args.family, tag=args.tag)
    if not systems:
        print("no system matches", file=sys.stderr)
        return 1
    width = max(len(s.name) for s in systems)
    for s in systems:
        params = ", ".join(f"{p.name}={p.default:g}" for p in s.parameters)
        print(f"{s.name:<{width}}  {s.family:<4}  {s.title}  [{params}]  tags: {', '.join(s.tags)}")
    return 0


def _run(args: argparse.Namespace) -> int:
    import engine

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", RuntimeWarning)
        dataset = engine.simulate(
            args.system,
            params=dict(args.param),
            state0=args.state,
            steps=args.steps,
            t_end=args.t_end,
            dt=args.dt,
            solver=args.solver,
            seed=args.seed,
        )
    for warning in caught:
        print(f"warning: {warning.message}", file=sys.stderr)
    path = engine.save(dataset, args.out)
    print(f"wrote {dataset.sizes['time']} samples of {dataset.attrs['system']} to {path}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``phasescope`` console script."""
    args = _parser().parse_args(argv)
    commands = {"serve": _serve, "list": _list, "run": _run}
    try:
        return commands[args.command](args)
    except (ValueError, KeyError, OSError) as error:
        message = error.args[0] if isinstance(error, KeyError) and error.args else error
        print(f"phasescope {args.command}: error: {message}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
