"""The ``phasescope`` command: serve the pages, list the catalog, run a system headlessly."""
from __future__ import annotations

import argparse
import ipaddress
import json
import os
import re
import signal
import sys
import warnings
from collections.abc import Sequence
from pathlib import Path

from tornado.process import task_id

from .capacity import (
    DEFAULT_MAX_SESSIONS,
    DEFAULT_MAX_UPLOAD_MB,
    DEFAULT_SESSION_LIFETIME_S,
)
from .memory import use_system_allocator

__all__ = ["main"]

_LOOPBACK = ("127.0.0.1", "localhost", "::1")


def _port(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"port must be a whole number, got {text!r}") from None
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"port must be in [0, 65535], got {port}")
    return port


def _scheduler(text: str) -> str:
    from engine.bifurcation.parameter_map import check_scheduler

    try:
        return check_scheduler(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _whole(low: int, high: int, what: str):
    """An argparse type: a whole number in ``[low, high]`` (``what`` names it in messages)."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{what} must be a whole number, got {text!r}") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{what} must be in [{low}, {high}], got {value}")
        return value

    return parse


_HOST = re.compile(r"^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$")


def _address(text: str) -> str:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        if not _HOST.match(text) or len(text) > 253:
            raise argparse.ArgumentTypeError(
                f"address must be an IP address (e.g. 0.0.0.0 for every interface) or a host name, got {text!r}"
            ) from None
    return text


def _origin(text: str) -> str:
    host, colon, port = text.rpartition(":") if text.count(":") == 1 else (text, "", "")
    if "://" in text or "/" in text:
        raise argparse.ArgumentTypeError(f"origin is HOST[:PORT] without scheme or path (e.g. 192.168.1.20:5006), got {text!r}")
    if colon and not (port.isdigit() and 0 < int(port) <= 65535):
        raise argparse.ArgumentTypeError(f"origin port must be in [1, 65535], got {text!r}")
    if host != "*":
        _address(host)
    return text


def _token(text: str) -> str:
    if len(text) < 8 or any(c.isspace() for c in text):
        raise argparse.ArgumentTypeError("class token must be at least 8 characters, without spaces")
    return text


def _users_file(text: str) -> str:
    path = Path(text)
    try:
        users = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise argparse.ArgumentTypeError(f"cannot read {text!r}: {error.strerror}") from None
    except (ValueError, UnicodeDecodeError) as error:
        raise argparse.ArgumentTypeError(f"{text!r} is not JSON: {error}") from None
    if not users or not isinstance(users, dict) or not all(
        isinstance(k, str) and k and isinstance(v, str) and v for k, v in users.items()
    ):
        raise argparse.ArgumentTypeError(f'{text!r} must hold a JSON object {{"user": "password", ...}}')
    return str(path.resolve())


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
    serve.add_argument(
        "--address", type=_address, default="127.0.0.1",
        help="address to bind (default 127.0.0.1, this machine only; 0.0.0.0 for a class on the network)",
    )
    serve.add_argument(
        "--allow-websocket-origin",
        action="append",
        type=_origin,
        default=None,
        metavar="HOST[:PORT]",
        help="host (and port) in the address bar of browsers allowed to connect (repeatable; default localhost only)",
    )
    access = serve.add_mutually_exclusive_group()
    access.add_argument(
        "--class-token", type=_token, default=os.environ.get("PHASESCOPE_CLASS_TOKEN"), metavar="TOKEN",
        help="shared password the class types on a login page, any name (default: $PHASESCOPE_CLASS_TOKEN, else none)",
    )
    access.add_argument(
        "--basic-auth", type=_users_file, metavar="USERS.json",
        help='login with a name and password from a JSON file {"name": "password", ...}',
    )
    serve.add_argument(
        "--max-sessions", type=_whole(1, 10_000, "max sessions"), default=DEFAULT_MAX_SESSIONS,
        help=f"open pages one process holds; past it visitors see a 'server full' page (default {DEFAULT_MAX_SESSIONS})",
    )
    serve.add_argument(
        "--max-upload-mb", type=_whole(1, 1024, "max upload size"), default=DEFAULT_MAX_UPLOAD_MB,
        help=f"largest file a page accepts, MiB (default {DEFAULT_MAX_UPLOAD_MB})",
    )
    serve.add_argument(
        "--session-lifetime", type=_whole(1, 86_400, "session lifetime"), default=DEFAULT_SESSION_LIFETIME_S,
        metavar="SECONDS",
        help=f"how long a page whose browser has gone keeps its session before it is freed "
        f"(default {DEFAULT_SESSION_LIFETIME_S})",
    )
    serve.add_argument(
        "--num-procs", type=_whole(0, 64, "number of processes"), default=1,
        help="processes serving the port (0: one per core); behind a proxy, use sticky sessions (default 1)",
    )
    serve.add_argument("--show", action=argparse.BooleanOptionalAction, default=True, help="open a browser tab")
    serve.add_argument(
        "--market-data", type=Path, metavar="PATH",
        help="CSV or Parquet long table the concentration page watches (default: a simulated market)",
    )
    serve.add_argument(
        "--scheduler", type=_scheduler, metavar="ADDRESS",
        help="Dask scheduler for parameter sweeps (tcp://host:8786, or 'local' for a LocalCluster; default: numba threads here)",
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
    if args.scheduler:
        from engine.bifurcation.parameter_map import SCHEDULER_SETTING

        os.environ[SCHEDULER_SETTING] = args.scheduler  # read by engine.parameter_map, here and in worker processes
    if args.address not in _LOOPBACK and not args.allow_websocket_origin:
        print(
            f"phasescope serve: warning: serving on {args.address} but only pages opened as localhost may connect; "
            "add --allow-websocket-origin HOST:PORT with the address students type",
            file=sys.stderr,
        )
    try:
        server = build_server(
            port=args.port,
            address=args.address,
            websocket_origin=args.allow_websocket_origin,
            show=False,
            max_sessions=args.max_sessions,
            max_upload_mb=args.max_upload_mb,
            unused_session_lifetime_ms=args.session_lifetime * 1000,
            check_unused_sessions_ms=min(5000, args.session_lifetime * 500),
            basic_auth=args.basic_auth or args.class_token,  # a users file given outranks $PHASESCOPE_CLASS_TOKEN
            cookie_secret=os.environ.get("PHASESCOPE_COOKIE_SECRET"),
            num_procs=args.num_procs,
        )
    except KeyboardInterrupt:  # Ctrl-C reaching the process that watches forked ones
        return 0
    server.start()
    first = task_id() in (None, 0)  # with --num-procs, one process speaks for all
    url = f"http://{'localhost' if args.address in ('127.0.0.1', '0.0.0.0', '::') else args.address}:{server.port}/"
    if first:
        print(f"Phasescope serving at {url} (Ctrl-C stops)", flush=True)
    if args.show and first:
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
    if args.command == "serve" and argv is None:  # this process is the server: not a call from Python
        use_system_allocator()
    commands = {"serve": _serve, "list": _list, "run": _run}
    try:
        return commands[args.command](args)
    except (ValueError, KeyError, OSError) as error:
        message = error.args[0] if isinstance(error, KeyError) and error.args else error
        print(f"phasescope {args.command}: error: {message}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
