"""A client for a try-on server: :class:`RemoteEngine` runs try-ons over HTTP and raises the
engine's own errors, so a front end can use a server (``$TRYON_SERVER``) instead of a local
:class:`~tryon.pipeline.TryOnEngine`.

An engine code in an error answer (``no_person``, ``bad_image``, ...) is raised as
:class:`~tryon.errors.TryOnError` with that :class:`~tryon.errors.ErrorCode`; a server code
(``unauthorized``, ``rate_limited``, ``busy``, ...) as :class:`~tryon.serve.errors.ServeError`
(a ``TryOnError`` too), and a server that cannot be reached or answers nonsense as
``ServeError`` ``server_unavailable``.
"""

from __future__ import annotations

import base64
import io
import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import httpx
import numpy as np

from tryon.errors import ErrorCode, TryOnError
from tryon.serve.errors import ServeError, ServeErrorCode, parse_code

__all__ = ["KEY_ENV", "SERVER_ENV", "RemoteEngine", "RemoteResult"]

SERVER_ENV = "TRYON_SERVER"
KEY_ENV = "TRYON_API_KEY"
DEFAULT_TIMEOUT_S = 60.0
CONNECT_TIMEOUT_S = 5.0
# The code an error answer without one of ours in its body stands for.
STATUS_CODES = {401: ServeErrorCode.UNAUTHORIZED, 413: ServeErrorCode.REQUEST_TOO_LARGE,
                429: ServeErrorCode.RATE_LIMITED, 503: ServeErrorCode.BUSY}


@dataclass(frozen=True)
class RemoteResult:
    """A try-on answered by a server: ``image`` (H, W, 3) uint8 RGB, the size of the photo,
    and what :class:`~tryon.pipeline.TryOnResult` reports beside it."""

    image: np.ndarray
    kind: str
    refined: bool
    timings_ms: dict[str, float]
    warnings: tuple[str, ...]


class RemoteEngine:
    """Try-ons on the server at ``url`` with the API key ``key`` (None: no key, for a
    loopback server). Thread-safe (one pooled HTTP connection set); :meth:`close` or ``with``.
    """

    def __init__(self, url: str, key: str | None = None,
                 timeout_s: float = DEFAULT_TIMEOUT_S) -> None:
        headers = {"Authorization": f"Bearer {key}"} if key else {}
        self.url = url.rstrip("/")
        self._http = httpx.Client(base_url=self.url, headers=headers,
                                  timeout=httpx.Timeout(timeout_s, connect=CONNECT_TIMEOUT_S))

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> RemoteEngine | None:
        """The engine named by ``$TRYON_SERVER`` (key: ``$TRYON_API_KEY``), or None."""
        environ = os.environ if environ is None else environ
        url = environ.get(SERVER_ENV, "").strip()
        return cls(url, environ.get(KEY_ENV) or None) if url else None

    def run(self, person: bytes, item: bytes, kind: str = "auto") -> RemoteResult:
        """Put the product photo ``item`` on the person photo ``person`` (encoded bytes)."""
        return self._tryon({"person": ("person", bytes(person), "application/octet-stream"),
                            "item": ("item", bytes(item), "application/octet-stream")},
                           {"kind": kind})

    def run_catalog(self, person: bytes, item_id: str, kind: str = "auto") -> RemoteResult:
        """Try the server's catalog item ``item_id`` (see :meth:`catalog`) on ``person``."""
        return self._tryon({"person": ("person", bytes(person), "application/octet-stream")},
                           {"item_id": item_id, "kind": kind})

    def catalog(self) -> list[dict[str, str]]:
        """The server's catalog: ``{"id", "kind", "name"}`` per item."""
        return list(self._json(self._request("GET", "/v1/catalog"))["items"])

    def ready(self) -> bool:
        """Whether the server's engines are warm (False when it cannot be reached)."""
        try:
            return self._http.get("/readyz").status_code == httpx.codes.OK
        except httpx.HTTPError:
            return False

    def _tryon(self, files: dict[str, Any], data: dict[str, str]) -> RemoteResult:
        answer = self._json(self._request("POST", "/v1/tryon", files=files, data=data,
                                          headers={"Accept": "application/json"}))
        try:
            png = base64.b64decode(answer["image_png_base64"], validate=True)
            return RemoteResult(image=_decode_png(png), kind=str(answer["kind"]),
                                refined=bool(answer["refined"]),
                                timings_ms={str(k): float(v)
                                            for k, v in answer["timings_ms"].items()},
                                warnings=tuple(str(w) for w in answer["warnings"]))
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise _unavailable(self.url, f"an unreadable answer ({type(exc).__name__})") from None

    def _request(self, method: str, path: str, **options: Any) -> httpx.Response:
        try:
            response = self._http.request(method, path, **options)
        except httpx.TimeoutException:
            raise ServeError(ServeErrorCode.TIMEOUT, f"the try-on server at {self.url} did "
                             "not answer in time") from None
        except httpx.HTTPError as exc:
            raise _unavailable(self.url, type(exc).__name__) from None
        if response.status_code >= 400:
            raise _error_from(response, self.url)
        return response

    def _json(self, response: httpx.Response) -> dict[str, Any]:
        try:
            body = response.json()
        except ValueError:
            raise _unavailable(self.url, "an answer that is not JSON") from None
        if not isinstance(body, dict):
            raise _unavailable(self.url, "an unexpected answer")
        return body

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> RemoteEngine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _decode_png(png: bytes) -> np.ndarray:
    from PIL import Image

    with Image.open(io.BytesIO(png)) as picture:
        if picture.format != "PNG":
            raise ValueError("not a PNG")
        return np.asarray(picture.convert("RGB"), dtype=np.uint8)


def _unavailable(url: str, what: str) -> ServeError:
    return ServeError(ServeErrorCode.SERVER_UNAVAILABLE,
                      f"the try-on server at {url} cannot be used: {what}")


def _error_from(response: httpx.Response, url: str) -> TryOnError:
    """The error an error answer stands for (its JSON code, else one from the status)."""
    retry = response.headers.get("Retry-After")
    retry_after = float(retry) if retry and retry.isdigit() else None
    try:
        body = response.json()
        code, message = parse_code(str(body["code"])), str(body["message"])
    except (ValueError, KeyError, TypeError):
        code, message = None, f"HTTP {response.status_code}"
    if code is None:  # not one of ours (a proxy in between, uvicorn's own 503, ...)
        fallback = STATUS_CODES.get(response.status_code)
        if fallback is None:
            return _unavailable(url, f"HTTP {response.status_code}")
        return ServeError(fallback, f"HTTP {response.status_code} from {url}",
                          retry_after=retry_after)
    if isinstance(code, ErrorCode):
        return TryOnError(code, message)
    return ServeError(code, message, retry_after=retry_after)
