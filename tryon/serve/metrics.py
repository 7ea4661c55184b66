"""Prometheus metrics of one server: requests, latency, errors by code, queue length.

Each app gets its own :class:`~prometheus_client.CollectorRegistry` (several apps in one
process, e.g. in tests, do not collide). Route labels are the fixed route templates, and
anything else is ``other``, so hostile paths cannot grow the label set.
"""

from __future__ import annotations

from collections.abc import Callable

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    disable_created_metrics,
    generate_latest,
)

__all__ = ["CONTENT_TYPE", "KNOWN_ROUTES", "ServeMetrics", "route_label"]

CONTENT_TYPE = CONTENT_TYPE_LATEST
KNOWN_ROUTES = frozenset({"/v1/tryon", "/v1/catalog", "/healthz", "/readyz", "/metrics",
                          "/docs", "/openapi.json", "/docs/oauth2-redirect", "/redoc"})
LATENCY_BUCKETS_S = (0.025, 0.05, 0.1, 0.25, 0.5, 0.75, 1.0, 1.5, 2.0, 3.0, 5.0, 10.0, 30.0,
                     60.0)
KNOWN_METHODS = frozenset({"GET", "POST", "HEAD", "PUT", "DELETE", "PATCH", "OPTIONS"})
# No ``*_created`` timestamp series beside each counter (they double the scrape for nothing).
disable_created_metrics()


def route_label(path: str) -> str:
    """The route a path is counted under (``other`` for unknown paths)."""
    return path if path in KNOWN_ROUTES else "other"


class ServeMetrics:
    """The counters, histogram and gauges of one app, in their own registry."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self.requests = Counter("tryon_http_requests", "HTTP requests answered",
                                ("method", "route", "status"), registry=self.registry)
        self.latency = Histogram("tryon_http_request_duration_seconds",
                                 "Time from request to the end of the answer",
                                 ("route",), buckets=LATENCY_BUCKETS_S, registry=self.registry)
        self.errors = Counter("tryon_errors", "Error answers by code", ("code",),
                              registry=self.registry)
        self.queue_length = Gauge("tryon_queue_length", "Try-ons admitted and waiting for "
                                  "an engine", registry=self.registry)
        self.engines_busy = Gauge("tryon_engines_busy", "Engines running a try-on",
                                  registry=self.registry)
        self.engines = Gauge("tryon_engines", "Engines in this process",
                             registry=self.registry)
        self.ready = Gauge("tryon_ready", "1 once the engines are warm", registry=self.registry)

    def watch(self, queue_length: Callable[[], float], busy: Callable[[], float],
              engines: int, ready: Callable[[], float]) -> None:
        """Read the gauges from the workers at each scrape."""
        self.queue_length.set_function(queue_length)
        self.engines_busy.set_function(busy)
        self.engines.set(engines)
        self.ready.set_function(ready)

    def observe(self, method: str, path: str, status: int, seconds: float,
                code: str | None) -> None:
        """Count one answered request."""
        route = route_label(path)
        method = method if method in KNOWN_METHODS else "other"
        self.requests.labels(method, route, str(status)).inc()
        self.latency.labels(route).observe(seconds)
        if code is not None:
            self.errors.labels(code).inc()

    def render(self) -> bytes:
        """The Prometheus text exposition of this registry."""
        return generate_latest(self.registry)
