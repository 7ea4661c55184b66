"""The HTTP API: ``POST /v1/tryon``, ``GET /v1/catalog``, ``/healthz``, ``/readyz``,
``/metrics`` and FastAPI's OpenAPI docs (``/docs``, ``/openapi.json``).

:func:`create_app` builds the FastAPI app; :func:`create_asgi` wraps it in the
:class:`~tryon.serve.guard.Guard` (body limit, access log, metrics), which is what uvicorn and
Ray Serve run. Every error is JSON ``{"code", "message"}`` with the status of
:func:`~tryon.serve.errors.http_status`; never a traceback.

No ``from __future__ import annotations`` here: FastAPI reads the routes' ``Annotated``
dependencies at run time, and they name local objects.
"""

import asyncio
import base64
import hmac
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from tryon.errors import ErrorCode, TryOnError
from tryon.kinds import AUTO, KIND_CHOICES
from tryon.serve.catalog import CatalogItem, demo_catalog
from tryon.serve.errors import ServeError, ServeErrorCode, http_status
from tryon.serve.form import read_tryon_form
from tryon.serve.guard import ERROR_CODE_KEY, KEY_ID_KEY, Guard, error_body
from tryon.serve.metrics import CONTENT_TYPE, ServeMetrics
from tryon.serve.openapi import TRYON_REQUEST_BODY, TRYON_RESPONSES
from tryon.serve.ratelimit import RateLimiter
from tryon.serve.settings import ServeSettings, hash_key, key_id
from tryon.serve.workers import (
    UPLOADS_PER_PLACE,
    EngineFactory,
    EngineWorkers,
    TryOnOutput,
    UploadGate,
)

__all__ = ["ANONYMOUS", "create_app", "create_asgi", "wants_json"]

LOG = logging.getLogger("tryon.serve")
ANONYMOUS = "anonymous"
API_VERSION = "1"
NO_STORE = {"Cache-Control": "no-store"}
HTTP_MESSAGES = {404: (ServeErrorCode.NOT_FOUND, "no such path; the API is described at /docs"),
                 405: (ServeErrorCode.METHOD_NOT_ALLOWED, "this method is not allowed here")}


def create_asgi(settings: ServeSettings, factory: EngineFactory | None = None,
                warm_in_background: bool = True) -> Guard:
    """The app as served: :func:`create_app` inside the :class:`Guard`."""
    app = create_app(settings, factory, warm_in_background)
    return Guard(app, settings.max_body_bytes, app.state.metrics)


def create_app(settings: ServeSettings, factory: EngineFactory | None = None,
               warm_in_background: bool = True) -> FastAPI:
    """The FastAPI app. ``factory`` makes the engines (default: a
    :class:`~tryon.pipeline.TryOnEngine` with the settings' photo limits).
    ``warm_in_background``: answer ``/healthz`` while the engines warm up (uvicorn); else the
    app's startup waits for them (a Ray replica takes traffic only after its startup)."""
    workers = EngineWorkers(settings, factory)
    metrics = ServeMetrics()
    metrics.watch(lambda: workers.queue_length, lambda: workers.running, settings.workers,
                  lambda: float(workers.ready))
    limiter = RateLimiter(settings.rate_per_s, settings.burst)
    uploads = UploadGate(UPLOADS_PER_PLACE * workers.capacity)
    catalog = demo_catalog()

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        if warm_in_background:
            workers.start()
        else:
            await run_in_threadpool(workers.start_blocking)
        yield
        await run_in_threadpool(workers.close)

    app = FastAPI(title="tryon", version=API_VERSION, lifespan=lifespan,
                  description="Virtual try-on: put a garment or a pair of shoes on a photo. "
                  "See docs/serve.md.")
    app.state.workers = workers
    app.state.metrics = metrics
    _add_error_handlers(app)
    authorize = _authorizer(settings)

    @app.post("/v1/tryon", summary="Try an item on a photo", responses=TRYON_RESPONSES,
              openapi_extra={"requestBody": TRYON_REQUEST_BODY}, response_class=Response)
    async def tryon(request: Request, key: Annotated[str, Depends(authorize)]) -> Response:
        wait = limiter.take(key)
        if wait is not None:
            raise ServeError(ServeErrorCode.RATE_LIMITED, "too many requests for this key; "
                             "slow down", retry_after=wait)
        workers.check_admissible()
        try:
            with uploads.enter():
                form = await asyncio.wait_for(
                    read_tryon_form(request.headers.get("content-type"), request.stream(),
                                    settings.max_photo_bytes), settings.read_timeout_s)
        except asyncio.TimeoutError:
            raise ServeError(ServeErrorCode.READ_TIMEOUT, "the request body took longer than "
                             f"{settings.read_timeout_s:.0f} s to arrive") from None
        item, kind = _resolve_item(form.item, form.item_id, form.kind, catalog)
        output = await workers.run(form.person, item, kind)
        if wants_json(request.headers.get("accept")):
            return JSONResponse(_as_json(output), headers=NO_STORE)
        return Response(output.png, media_type="image/png", headers={
            **NO_STORE, "X-TryOn-Kind": output.kind,
            "Server-Timing": f"total;dur={output.timings_ms.get('total', 0.0):.1f}"})

    @app.get("/v1/catalog", summary="The items try-ons can name by item_id")
    async def list_catalog(_: Annotated[str, Depends(authorize)]) -> dict[str, Any]:
        return {"items": [item.as_dict() for item in catalog.values()]}

    @app.get("/healthz", summary="The process answers")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/readyz", summary="The engines are warm")
    async def readyz(request: Request) -> Response:
        if workers.ready:
            return JSONResponse({"ready": True, "engines": settings.workers})
        failure = workers.failure
        if failure is None:
            failure = ServeError(ServeErrorCode.NOT_READY, "the try-on engines are starting")
        return _error_response(request, failure)

    @app.get("/metrics", summary="Prometheus metrics", response_class=Response)
    async def prometheus(_: Annotated[str, Depends(authorize)]) -> Response:
        return Response(metrics.render(), media_type=CONTENT_TYPE)

    return app


def _authorizer(settings: ServeSettings) -> Any:
    """A dependency giving the caller's key id (401 ``unauthorized`` without a valid key)."""
    bearer = HTTPBearer(auto_error=False, description="Authorization: Bearer <API key> "
                        "(keys from $TRYON_API_KEYS; none needed on a loopback-only server)")
    digests = tuple(sorted(settings.key_digests))

    async def authorize(
            request: Request,
            credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]
    ) -> str:
        if not digests:
            return ANONYMOUS
        if credentials is None or not credentials.credentials:
            raise ServeError(ServeErrorCode.UNAUTHORIZED,
                             "an API key is needed: Authorization: Bearer <key>")
        presented = hash_key(credentials.credentials)
        matched = None
        for digest in digests:  # compare with every key: the time does not tell which
            if hmac.compare_digest(presented, digest):
                matched = digest
        if matched is None:
            raise ServeError(ServeErrorCode.UNAUTHORIZED, "this API key is not valid")
        setattr(request.state, KEY_ID_KEY, key_id(matched))
        return matched

    return authorize


def _resolve_item(item: bytes | None, item_id: str | None, kind: str,
                  catalog: dict[str, CatalogItem]) -> tuple[bytes, str]:
    """The product photo's bytes and the kind to run (a catalog item's own kind for
    ``auto``); ``bad_argument`` for an unknown kind or item id."""
    if kind not in KIND_CHOICES:
        raise TryOnError(ErrorCode.BAD_ARGUMENT, f"unknown kind {kind!r:.40}; use one of "
                         + ", ".join(KIND_CHOICES))
    if item is not None:
        return item, kind
    entry = catalog.get(item_id or "")
    if entry is None:
        raise TryOnError(ErrorCode.BAD_ARGUMENT, f"unknown item_id {item_id!r:.60}; "
                         "GET /v1/catalog lists the items")
    return entry.data, entry.kind.value if kind == AUTO else kind


def _as_json(output: TryOnOutput) -> dict[str, Any]:
    return {"kind": output.kind, "refined": output.refined, "width": output.width,
            "height": output.height, "timings_ms": output.timings_ms,
            "warnings": list(output.warnings),
            "image_png_base64": base64.b64encode(output.png).decode("ascii")}


def _media_quality(part: str) -> tuple[str, float]:
    media, _, params = part.partition(";")
    quality = 1.0
    for param in params.split(";"):
        name, _, value = param.partition("=")
        if name.strip().lower() == "q":
            try:
                quality = float(value)
            except ValueError:
                quality = 0.0
    return media.strip().lower(), quality


def wants_json(accept: str | None) -> bool:
    """Whether ``Accept`` prefers ``application/json`` to ``image/png`` (ties go to JSON,
    which a client names only on purpose; ``*/*`` alone means the PNG)."""
    if not accept:
        return False
    qualities = dict(_media_quality(part) for part in accept.split(",")[:32])
    json_q = qualities.get("application/json", 0.0)
    png_q = max(qualities.get("image/png", 0.0), qualities.get("image/*", 0.0))
    return json_q > 0 and json_q >= png_q


def _error_response(request: Request, error: TryOnError) -> Response:
    setattr(request.state, ERROR_CODE_KEY, error.code.value)
    status = http_status(error.code)
    headers: dict[str, str] = dict(NO_STORE)
    if isinstance(error, ServeError) and error.retry_after is not None:
        headers["Retry-After"] = RateLimiter.retry_after_header(error.retry_after)
    if error.code == ServeErrorCode.UNAUTHORIZED:
        headers["WWW-Authenticate"] = "Bearer"
    if request.method == "POST":  # the body may be unread: do not reuse the connection
        headers["Connection"] = "close"
    return Response(error_body(error.code.value, error.message), status_code=status,
                    media_type="application/json", headers=headers)


def _add_error_handlers(app: FastAPI) -> None:
    async def on_tryon_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, TryOnError)
        return _error_response(request, exc)

    async def on_http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        code, message = HTTP_MESSAGES.get(exc.status_code, (ServeErrorCode.BAD_REQUEST,
                                                            "the request is not valid"))
        return _error_response(request, ServeError(code, message))

    async def on_validation_error(request: Request, exc: Exception) -> Response:
        return _error_response(request, ServeError(ServeErrorCode.BAD_REQUEST,
                                                   "the request is not valid"))

    async def on_unexpected(request: Request, exc: Exception) -> Response:
        LOG.error("unexpected error on %s %s", request.method, request.url.path, exc_info=exc)
        return _error_response(request, ServeError(ServeErrorCode.INTERNAL_ERROR,
                                                   "internal error; the server logged it"))

    app.add_exception_handler(TryOnError, on_tryon_error)
    app.add_exception_handler(StarletteHTTPException, on_http_error)
    app.add_exception_handler(RequestValidationError, on_validation_error)
    app.add_exception_handler(Exception, on_unexpected)
