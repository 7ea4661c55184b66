"""The server's own error codes and the HTTP status of every code.

The engine's codes (:class:`~tryon.errors.ErrorCode`) reach clients unchanged; the server adds a
few of its own (:class:`ServeErrorCode`: keys, rate limits, a full queue, a body too large).
:class:`ServeError` is a :class:`~tryon.errors.TryOnError`, so a caller that handles the
engine's errors (the CLI, the UI, :class:`~tryon.serve.client.RemoteEngine`) handles these too.
Every error answer is JSON, ``{"code": "<code>", "message": "<plain sentence>"}``.
"""

from __future__ import annotations

from enum import Enum

from tryon.errors import ErrorCode, TryOnError

__all__ = ["ServeError", "ServeErrorCode", "http_status", "parse_code"]


class ServeErrorCode(str, Enum):
    """Stable codes for what only a server can refuse (documented in ``docs/errors.md``)."""

    UNAUTHORIZED = "unauthorized"
    RATE_LIMITED = "rate_limited"
    BUSY = "busy"
    TIMEOUT = "timeout"
    READ_TIMEOUT = "read_timeout"
    NOT_READY = "not_ready"
    REQUEST_TOO_LARGE = "request_too_large"
    BAD_REQUEST = "bad_request"
    NOT_FOUND = "not_found"
    METHOD_NOT_ALLOWED = "method_not_allowed"
    INTERNAL_ERROR = "internal_error"
    INSECURE_BIND = "insecure_bind"
    SERVER_UNAVAILABLE = "server_unavailable"


class ServeError(TryOnError):
    """A refusal by the server (or a client that cannot reach it), with a stable code.

    ``retry_after``: seconds after which the same request may succeed (429, 503), else None.
    """

    def __init__(self, code: ServeErrorCode, message: str,
                 retry_after: float | None = None) -> None:
        Exception.__init__(self, f"{code.value}: {message}")
        self.code = code  # type: ignore[assignment]
        self.message = message
        self.retry_after = retry_after


_STATUS: dict[str, int] = {
    ErrorCode.BAD_IMAGE.value: 422,
    ErrorCode.IMAGE_TOO_LARGE.value: 413,
    ErrorCode.IMAGE_TOO_SMALL.value: 422,
    ErrorCode.NO_PERSON.value: 422,
    ErrorCode.BODY_NOT_VISIBLE.value: 422,
    ErrorCode.PERSON_FACING_AWAY.value: 422,
    ErrorCode.PERSON_SIDE_ON.value: 422,
    ErrorCode.BAD_ITEM.value: 422,
    ErrorCode.UNSUPPORTED_KIND.value: 422,
    ErrorCode.FEET_NOT_VISIBLE.value: 422,
    ErrorCode.UNSUPPORTED_ITEM_VIEW.value: 422,
    ErrorCode.LEGS_NOT_VISIBLE.value: 422,
    ErrorCode.UNSUPPORTED_ITEM.value: 422,
    ErrorCode.ITEM_KIND_MISMATCH.value: 422,
    ErrorCode.BAD_ARGUMENT.value: 400,
    ErrorCode.REFINER_UNAVAILABLE.value: 503,
    ErrorCode.EXPORT_FAILED.value: 500,
    ServeErrorCode.UNAUTHORIZED.value: 401,
    ServeErrorCode.RATE_LIMITED.value: 429,
    ServeErrorCode.BUSY.value: 503,
    ServeErrorCode.TIMEOUT.value: 503,
    ServeErrorCode.READ_TIMEOUT.value: 408,
    ServeErrorCode.NOT_READY.value: 503,
    ServeErrorCode.REQUEST_TOO_LARGE.value: 413,
    ServeErrorCode.BAD_REQUEST.value: 400,
    ServeErrorCode.NOT_FOUND.value: 404,
    ServeErrorCode.METHOD_NOT_ALLOWED.value: 405,
    ServeErrorCode.INTERNAL_ERROR.value: 500,
    ServeErrorCode.SERVER_UNAVAILABLE.value: 503,
}


def http_status(code: ErrorCode | ServeErrorCode) -> int:
    """The HTTP status a code is answered with. An engine code not listed here (one added
    later) is about the input, so 422; any other unlisted code 500."""
    return _STATUS.get(code.value, 422 if isinstance(code, ErrorCode) else 500)


def parse_code(value: str) -> ErrorCode | ServeErrorCode | None:
    """The engine or server code named ``value``, or None for an unknown one."""
    for enum in (ErrorCode, ServeErrorCode):
        try:
            return enum(value)
        except ValueError:
            continue
    return None
