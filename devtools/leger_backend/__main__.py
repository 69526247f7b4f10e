"""Command line: ``python -m devtools.leger_backend --port 8787 [options]``."""

from __future__ import annotations

import argparse
import signal
import sys
from types import FrameType

from . import api, rest_api
from .app import Backend, Options
from .deployment import ROUTE_FORMS
from .ratelimit import DEFAULT_RETRY_AFTER, RateLimitConfig
from .server import BackendServer, require_loopback


def _non_negative(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError("must be >= 0")
    return value


def _loopback(text: str) -> str:
    try:
        return require_loopback(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _base_path(text: str) -> str:
    path = "/" + text.strip("/") if text.strip("/") else ""
    return path


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m devtools.leger_backend",
        description="A local in-memory stand-in for the leger.run API (loopback only; "
        "for development and tests).",
    )
    parser.add_argument("--host", type=_loopback, default="127.0.0.1", help="loopback IP only")
    parser.add_argument("--port", type=_non_negative, default=8787, help="0 picks a free port")
    parser.add_argument(
        "--routes",
        choices=ROUTE_FORMS,
        default="v0.1",
        help="which route form of the API to serve: v0.1 (the design; default) or rest "
        "(what leger.run deploys); with --control, POST /_control/routes switches it",
    )
    parser.add_argument(
        "--token-ttl",
        type=_non_negative,
        default=None,
        metavar="SECONDS",
        help=f"token lifetime, also sent as expires_in (default {api.TOKEN_TTL} "
        f"for v0.1, {rest_api.TOKEN_TTL} for rest)",
    )
    parser.add_argument(
        "--latency",
        type=_non_negative,
        default=0,
        metavar="MS",
        help="delay every API answer by MS milliseconds (default 0)",
    )
    parser.add_argument(
        "--rate-limit-after",
        type=_non_negative,
        default=None,
        metavar="N",
        help="serve N requests, then answer every one with 429",
    )
    parser.add_argument(
        "--retry-after",
        type=_non_negative,
        default=DEFAULT_RETRY_AFTER,
        metavar="SECONDS",
        help=f"Retry-After of those 429s (default {DEFAULT_RETRY_AFTER})",
    )
    parser.add_argument(
        "--base-path",
        type=_base_path,
        default="",
        metavar="PATH",
        help="serve the API under a path prefix, e.g. /api",
    )
    parser.add_argument(
        "--rotating-reads",
        action="store_true",
        help="every read of a secret by name rotates it first (a new value, version + 1), "
        "so that no two reads see the same value",
    )
    parser.add_argument("--control", action="store_true", help="enable the /_control/ test surface")
    parser.add_argument("--quiet", action="store_true", help="no per-request log lines")
    return parser.parse_args(argv)


def _stop(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(0)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    options = Options(
        routes=args.routes,
        token_ttl=args.token_ttl,
        latency_ms=args.latency,
        rotating_reads=args.rotating_reads,
        rate_limit=RateLimitConfig(after=args.rate_limit_after, retry_after=args.retry_after),
        base_path=args.base_path,
        control=args.control,
    )
    server = BackendServer(args.host, args.port, Backend(options), quiet=args.quiet)
    signal.signal(signal.SIGTERM, _stop)
    where = f"{server.url}{args.base_path}"
    print(f"leger backend (local stand-in, {args.routes} routes) listening on {where}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    sys.exit(0)


if __name__ == "__main__":
    main()
