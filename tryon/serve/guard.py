"""The outermost layer of the server: body size limit, access log, metrics, last resort.

- A ``Content-Length`` over the limit is answered 413 ``request_too_large`` before a byte of
  the body is read; a body without one (chunked) is counted while it streams in and refused
  the moment it passes the limit.
- One log line per request: method, path, status, latency, error code and the key's id (a
  hash prefix); never headers, query strings, client addresses or bodies.
- An exception that escapes the app is answered with a generic 500 (the app's own handler
  has logged its traceback); nothing else reaches the server's own error log.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from tryon.serve.errors import ServeError, ServeErrorCode, http_status
from tryon.serve.metrics import ServeMetrics

__all__ = ["ERROR_CODE_KEY", "KEY_ID_KEY", "Guard", "error_body"]

LOG = logging.getLogger("tryon.serve")
Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]
# Keys of the per-request ``scope["state"]`` the app fills in for the log line and metrics.
ERROR_CODE_KEY = "tryon_error_code"
KEY_ID_KEY = "tryon_key_id"
MAX_LOGGED_PATH = 120
MIB = 1024 * 1024


def error_body(code: str, message: str) -> bytes:
    """The JSON body of every error answer."""
    return json.dumps({"code": code, "message": message}).encode()


def _printable(text: str) -> str:
    """``text`` on one line (control characters escaped), at most MAX_LOGGED_PATH chars."""
    shown = "".join(char if char.isprintable() else ascii(char)[1:-1] for char in text)
    return shown if len(shown) <= MAX_LOGGED_PATH else shown[:MAX_LOGGED_PATH] + "..."


class Guard:
    """Wraps an ASGI app (see the module docstring); lifespan and websockets pass through."""

    def __init__(self, app: ASGIApp, max_body_bytes: int, metrics: ServeMetrics) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        state: dict[str, Any] = scope.setdefault("state", {})
        answer = {"status": 0, "started": False}

        async def send_tracked(message: Message) -> None:
            if message["type"] == "http.response.start":
                answer["status"] = int(message["status"])
                answer["started"] = True
            await send(message)

        try:
            refusal = self._check_length(scope)
            if refusal is not None:
                state[ERROR_CODE_KEY] = refusal.code.value
                await _send_error(send_tracked, refusal)
            else:
                await self.app(scope, self._counting(receive), send_tracked)
        except Exception as exc:
            if not answer["started"]:
                error = exc if isinstance(exc, ServeError) else ServeError(
                    ServeErrorCode.INTERNAL_ERROR, "internal error; the server logged it")
                if not isinstance(exc, ServeError):
                    LOG.error("unhandled error", exc_info=exc)
                state[ERROR_CODE_KEY] = error.code.value
                await _send_error(send_tracked, error)
        finally:
            self._record(scope, state, answer["status"], time.perf_counter() - start)

    def _check_length(self, scope: Scope) -> ServeError | None:
        for name, value in scope.get("headers", ()):
            if name == b"content-length":
                try:
                    length = int(value)
                except ValueError:
                    return ServeError(ServeErrorCode.BAD_REQUEST, "bad Content-Length")
                if length > self.max_body_bytes:
                    return _too_large(self.max_body_bytes)
        return None

    def _counting(self, receive: Receive) -> Receive:
        """``receive`` that refuses a body growing past the limit (chunked uploads)."""
        received = 0

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body_bytes:
                    raise _too_large(self.max_body_bytes)
            return message

        return counted

    def _record(self, scope: Scope, state: dict[str, Any], status: int,
                seconds: float) -> None:
        code = state.get(ERROR_CODE_KEY)
        path = str(scope.get("path", ""))
        method = str(scope.get("method", ""))
        self.metrics.observe(method, path, status, seconds, code)
        LOG.info("%s %s %d %.1fms code=%s key=%s", _printable(method), _printable(path),
                 status, seconds * 1000, code or "-", state.get(KEY_ID_KEY) or "-")


def _too_large(limit: int) -> ServeError:
    return ServeError(ServeErrorCode.REQUEST_TOO_LARGE,
                      f"the request body is over {limit / MIB:.0f} MiB, the limit")


async def _send_error(send: Send, error: ServeError) -> None:
    body = error_body(error.code.value, error.message)
    headers = [(b"content-type", b"application/json"),
               (b"content-length", str(len(body)).encode()),
               (b"connection", b"close")]
    await send({"type": "http.response.start", "status": http_status(error.code),
                "headers": headers})
    await send({"type": "http.response.body", "body": body})
