"""``tryon serve``: its options and the action (the CLI only hooks these two in)."""

from __future__ import annotations

import argparse
import importlib.util

from tryon.errors import ErrorCode, TryOnError
from tryon.serve.settings import (
    DEFAULT_BURST,
    DEFAULT_HOST,
    DEFAULT_PORT,
    DEFAULT_QUEUE,
    DEFAULT_RATE_PER_S,
    DEFAULT_TIMEOUT_S,
    KEYS_ENV,
    MIB,
    body_limit,
)

__all__ = ["add_serve_parser", "run_serve"]

SERVE_PACKAGES = ("fastapi", "uvicorn", "prometheus_client", "python_multipart")


def add_serve_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add ``tryon serve`` to the CLI's sub-commands."""
    serve = sub.add_parser("serve", help="the HTTP API (needs the serve extra)",
                           description="Serve POST /v1/tryon, GET /v1/catalog, /healthz, "
                           "/readyz, /metrics and /docs. Keys: $" + KEYS_ENV + " (comma-"
                           "separated); without keys only a loopback address is served.")
    serve.add_argument("--host", default=DEFAULT_HOST, help="address (default: %(default)s)")
    serve.add_argument("--port", type=int, default=DEFAULT_PORT,
                       help="port (default: %(default)s)")
    serve.add_argument("--workers", type=int, default=1,
                       help="engines, i.e. try-ons at once (default: %(default)s)")
    serve.add_argument("--queue", type=int, default=DEFAULT_QUEUE, help="requests that may "
                       "wait for an engine; more get 503 busy (default: %(default)s)")
    serve.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT_S,
                       help="seconds a try-on may take, waiting included (default: "
                       "%(default)s)")
    serve.add_argument("--rate", type=float, default=DEFAULT_RATE_PER_S,
                       help="try-ons per second per key, 0: no limit (default: %(default)s)")
    serve.add_argument("--burst", type=int, default=DEFAULT_BURST,
                       help="try-ons a key may send at once (default: %(default)s)")
    serve.add_argument("--max-photo-mb", type=float, default=12.0,
                       help="largest photo in MiB (default: %(default)s)")
    serve.add_argument("--log-level", default="info",
                       choices=("critical", "error", "warning", "info", "debug"))


def run_serve(args: argparse.Namespace) -> int:
    """Build the settings from ``args`` and ``$TRYON_API_KEYS`` and serve until stopped."""
    missing = [name for name in SERVE_PACKAGES if importlib.util.find_spec(name) is None]
    if missing:
        raise TryOnError(ErrorCode.BAD_ARGUMENT, "tryon serve needs the serve extra: "
                         "pip install -e '.[serve]'")
    from tryon.serve.server import serve
    from tryon.serve.settings import ServeSettings

    photo_bytes = int(args.max_photo_mb * MIB)
    try:
        settings = ServeSettings.from_env(
            host=args.host, port=args.port, workers=args.workers, queue=args.queue,
            timeout_s=args.timeout, rate_per_s=args.rate, burst=args.burst,
            max_photo_bytes=photo_bytes, max_body_bytes=body_limit(photo_bytes))
    except ValueError as exc:
        raise TryOnError(ErrorCode.BAD_ARGUMENT, str(exc)) from None
    serve(settings, args.log_level)
    return 0

