"""``tryon serve``: the try-on engine as an HTTP API for shop sites, kiosks and apps.

- :mod:`tryon.serve.app`: the FastAPI app (``POST /v1/tryon``, ``GET /v1/catalog``,
  ``/healthz``, ``/readyz``, ``/metrics``, ``/docs``); :mod:`tryon.serve.server` runs it with
  uvicorn, :mod:`tryon.serve.ray_app` as a Ray Serve deployment.
- :mod:`tryon.serve.settings` (keys, limits), :mod:`tryon.serve.workers` (engines and the
  bounded queue), :mod:`tryon.serve.guard` (body limit, access log, metrics),
  :mod:`tryon.serve.form` (multipart in memory), :mod:`tryon.serve.ratelimit`.
- :mod:`tryon.serve.client`: :class:`~tryon.serve.client.RemoteEngine`, a client with the
  engine's error codes.

Importing this package imports no web framework (the CLI lists ``tryon serve`` without the
``serve`` extra installed). See ``docs/serve.md``.
"""

from tryon.serve.errors import ServeError, ServeErrorCode

__all__ = ["ServeError", "ServeErrorCode"]
