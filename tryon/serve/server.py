"""Run the API with uvicorn on one machine: ``tryon serve`` (no cluster needed)."""

from __future__ import annotations

import logging
import os
import socket
import sys
from typing import Any

from tryon.errors import ErrorCode, TryOnError
from tryon.serve.settings import ServeSettings, check_bind

__all__ = ["LOG_FORMAT", "check_port", "log_config", "serve"]

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
KEEP_ALIVE_S = 5
GRACEFUL_SHUTDOWN_S = 30
# Connections and requests uvicorn itself holds before it answers 503 (the engines' own
# bound is much smaller; this one caps sockets left open by slow or idle clients).
MIN_CONNECTIONS = 64
CONNECTIONS_PER_PLACE = 4


def log_config(level: str = "info") -> dict[str, Any]:
    """One plain format on stderr for uvicorn's and the server's log lines; uvicorn's access
    log is off (the server writes its own, without client addresses or query strings)."""
    handler = {"class": "logging.StreamHandler", "formatter": "plain", "stream": "ext://sys.stderr"}
    logger = {"handlers": ["stderr"], "level": level.upper(), "propagate": False}
    return {"version": 1, "disable_existing_loggers": False,
            "formatters": {"plain": {"format": LOG_FORMAT}},
            "handlers": {"stderr": handler},
            "loggers": {"uvicorn": logger, "uvicorn.error": logger, "tryon.serve": logger}}


def check_port(host: str, port: int) -> None:
    """``bad_argument`` with the reason when ``host:port`` cannot be bound (in use, no such
    address), before the engines load; a plain line instead of uvicorn's exit."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        with socket.socket(infos[0][0], socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind(infos[0][4])
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise TryOnError(ErrorCode.BAD_ARGUMENT,
                         f"cannot serve on {host}:{port}: {reason}") from None


def serve(settings: ServeSettings, log_level: str = "info") -> None:
    """Serve until interrupted; ``insecure_bind`` (before anything starts) when the address
    is not loopback and no API keys are set."""
    check_bind(settings)
    check_port(settings.host, settings.port)
    os.environ.setdefault("GLOG_minloglevel", "3")  # MediaPipe's native log lines
    import uvicorn

    from tryon.serve.app import create_asgi

    places = settings.workers + settings.queue
    config = uvicorn.Config(
        create_asgi(settings), host=settings.host, port=settings.port, lifespan="on",
        access_log=False, log_config=log_config(log_level), server_header=False,
        proxy_headers=False, timeout_keep_alive=KEEP_ALIVE_S,
        timeout_graceful_shutdown=GRACEFUL_SHUTDOWN_S,
        limit_concurrency=max(MIN_CONNECTIONS, CONNECTIONS_PER_PLACE * places))
    logging.getLogger("tryon.serve").info(
        "serving on http://%s:%d (%d engine(s), queue %d, keys: %s)", settings.host,
        settings.port, settings.workers, settings.queue,
        len(settings.key_digests) or "none, loopback only")
    uvicorn.Server(config).run()
    sys.stderr.flush()
