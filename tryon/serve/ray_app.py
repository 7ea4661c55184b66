"""The same API as a Ray Serve deployment: replicas, autoscaling, one command on a cluster.

Each replica is one ``tryon serve`` process's app (:func:`~tryon.serve.app.create_asgi`:
``workers`` engines, its bounded queue, keys, rate limits, body limit, metrics) behind Ray
Serve's HTTP proxy, which spreads requests over the replicas and starts or stops replicas by
load. Run it on a cluster (or on one machine, where ``serve run`` starts a local Ray)::

    TRYON_API_KEYS=... serve run tryon.serve.ray_app:build_app workers=1
    TRYON_API_KEYS=... serve run tryon/serve/ray_config.yaml     # replicas, autoscaling

A Ray deployment always needs API keys (``insecure_bind`` without them): the proxy is meant to
be reached from other machines. Rate limits are per replica (the effective limit of a key is
``rate × replicas``). The replica reads the keys from its builder's environment and receives
only their SHA-256 digests.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ray import serve
from ray.serve import Application

from tryon.serve.app import create_asgi
from tryon.serve.errors import ServeError, ServeErrorCode
from tryon.serve.settings import KEYS_ENV, MIB, ServeSettings, body_limit

__all__ = ["DEFAULT_AUTOSCALING", "DEPLOYMENT_NAME", "TryOnDeployment", "build_app",
           "settings_from_args"]

DEPLOYMENT_NAME = "tryon"
# One replica per 2 try-ons in flight, between 1 and 4 replicas; scale down slowly (a new
# replica loads MediaPipe and the generator and warms up, a few seconds).
DEFAULT_AUTOSCALING: dict[str, Any] = {"min_replicas": 1, "max_replicas": 4,
                                       "target_ongoing_requests": 2,
                                       "upscale_delay_s": 10, "downscale_delay_s": 120}
# A replica takes as many requests as its engines and queue hold; the proxy keeps at most
# this many more waiting (then 503), so no queue anywhere is unbounded.
DEFAULT_MAX_ONGOING = 9
DEFAULT_MAX_QUEUED = 32
DEFAULT_REPLICA_CPUS = 2.0
INT_ARGS = ("workers", "queue", "burst")
FLOAT_ARGS = ("timeout_s", "read_timeout_s", "rate_per_s")


@serve.deployment(name=DEPLOYMENT_NAME, autoscaling_config=DEFAULT_AUTOSCALING,
                  max_ongoing_requests=DEFAULT_MAX_ONGOING,
                  max_queued_requests=DEFAULT_MAX_QUEUED,
                  ray_actor_options={"num_cpus": DEFAULT_REPLICA_CPUS},
                  health_check_period_s=10, graceful_shutdown_timeout_s=30)
@serve.ingress()
class TryOnDeployment:
    """One replica: the app of :func:`create_asgi`, its engines warmed before it takes
    traffic."""

    def __init__(self, settings: ServeSettings) -> None:
        self._settings = settings

    def __serve_build_asgi_app__(self) -> Any:  # noqa: N807 (Ray Serve's hook name)
        return create_asgi(self._settings, warm_in_background=False)


def settings_from_args(args: Mapping[str, Any], environ: Mapping[str, str] | None = None
                       ) -> ServeSettings:
    """Settings from ``serve run`` arguments (``workers``, ``queue``, ``timeout_s``,
    ``read_timeout_s``, ``rate_per_s``, ``burst``, ``max_photo_mb``) and the keys of
    ``$TRYON_API_KEYS``; ``insecure_bind`` without keys, ``bad_request`` for an unknown or
    malformed argument."""
    options: dict[str, Any] = {}
    for name, value in args.items():
        try:
            if name in INT_ARGS:
                options[name] = int(value)
            elif name in FLOAT_ARGS:
                options[name] = float(value)
            elif name == "max_photo_mb":
                options["max_photo_bytes"] = int(float(value) * MIB)
                options["max_body_bytes"] = body_limit(options["max_photo_bytes"])
            else:
                raise ServeError(ServeErrorCode.BAD_REQUEST, f"unknown argument {name!r}")
        except ValueError:
            raise ServeError(ServeErrorCode.BAD_REQUEST,
                             f"argument {name}={value!r} is not a number") from None
    settings = ServeSettings.from_env(environ, **options)
    if not settings.auth_required:
        raise ServeError(ServeErrorCode.INSECURE_BIND, "a Ray Serve deployment needs API keys: "
                         f"set {KEYS_ENV}=key1,key2 where `serve run` or `serve deploy` runs")
    return settings


def build_app(args: dict[str, Any]) -> Application:
    """The application ``serve run tryon.serve.ray_app:build_app key=value ...`` runs."""
    return TryOnDeployment.bind(settings_from_args(args))
