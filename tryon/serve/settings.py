"""What a try-on server is allowed to do: address, engines, queue, limits and keys.

API keys come from ``$TRYON_API_KEYS`` (comma-separated) and are kept only as SHA-256
digests: the settings can be logged, pickled to Ray replicas or printed without revealing a
key. Without keys a server binds only to a loopback address (:func:`check_bind`).
"""

from __future__ import annotations

import hashlib
import ipaddress
import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from tryon.serve.errors import ServeError, ServeErrorCode

__all__ = ["DEFAULT_HOST", "DEFAULT_PORT", "KEYS_ENV", "MIB", "ServeSettings", "body_limit",
           "check_bind", "hash_key", "is_loopback", "key_id", "parse_keys"]

KEYS_ENV = "TRYON_API_KEYS"
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8080
MIB = 1024 * 1024
DEFAULT_MAX_PHOTO_BYTES = 12 * MIB
# Room in a body for the multipart framing and the short text fields beside two photos.
FORM_OVERHEAD_BYTES = 64 * 1024


def body_limit(max_photo_bytes: int) -> int:
    """The request body limit for two photos of ``max_photo_bytes`` and the form fields."""
    return 2 * max_photo_bytes + FORM_OVERHEAD_BYTES


DEFAULT_MAX_BODY_BYTES = body_limit(DEFAULT_MAX_PHOTO_BYTES)
DEFAULT_MAX_PIXELS = 40_000_000
DEFAULT_QUEUE = 8
DEFAULT_TIMEOUT_S = 30.0
DEFAULT_READ_TIMEOUT_S = 30.0
DEFAULT_RATE_PER_S = 2.0
DEFAULT_BURST = 10
MIN_KEY_CHARS = 16
KEY_ID_CHARS = 12
LOCALHOST_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost"})


@dataclass(frozen=True)
class ServeSettings:
    """A server's settings (see ``tryon serve --help`` and ``docs/serve.md``).

    ``workers``: engines, i.e. try-ons running at once. ``queue``: requests allowed to wait
    for an engine; one more is answered 503 ``busy``. ``timeout_s``: the most a try-on may
    take from admission (waiting included) before 503 ``timeout``; ``read_timeout_s`` the
    most a client may take to send its body. ``max_body_bytes``: the request body limit
    (413 ``request_too_large``); ``max_photo_bytes``/``max_pixels``: each photo's limits
    (413 ``image_too_large``). ``rate_per_s``/``burst``: each key's token bucket (0 turns rate
    limiting off). ``key_digests``: SHA-256 hex digests of the accepted keys (empty: no keys).
    ``warm``: run one demo try-on per engine before answering ready.
    """

    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    workers: int = 1
    queue: int = DEFAULT_QUEUE
    timeout_s: float = DEFAULT_TIMEOUT_S
    read_timeout_s: float = DEFAULT_READ_TIMEOUT_S
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES
    max_photo_bytes: int = DEFAULT_MAX_PHOTO_BYTES
    max_pixels: int = DEFAULT_MAX_PIXELS
    rate_per_s: float = DEFAULT_RATE_PER_S
    burst: int = DEFAULT_BURST
    key_digests: frozenset[str] = field(default_factory=frozenset)
    warm: bool = True

    def __post_init__(self) -> None:
        positive = {"workers": self.workers, "timeout_s": self.timeout_s,
                    "read_timeout_s": self.read_timeout_s,
                    "max_body_bytes": self.max_body_bytes,
                    "max_photo_bytes": self.max_photo_bytes, "max_pixels": self.max_pixels,
                    "burst": self.burst}
        for name, value in positive.items():
            if not value > 0:
                raise ValueError(f"{name} must be > 0, got {value!r}")
        if self.queue < 0 or self.rate_per_s < 0:
            raise ValueError("queue and rate_per_s must be >= 0")
        if not 0 <= self.port <= 65535:
            raise ValueError(f"port must be in 0..65535, got {self.port}")

    @property
    def auth_required(self) -> bool:
        """Whether requests to ``/v1/*`` and ``/metrics`` need a key."""
        return bool(self.key_digests)

    def with_keys(self, keys: list[str]) -> ServeSettings:
        """A copy that accepts ``keys`` (digested here) instead of the current ones."""
        return replace(self, key_digests=frozenset(hash_key(key) for key in keys))

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **options: object
                 ) -> ServeSettings:
        """Settings with ``options`` and the keys of ``$TRYON_API_KEYS``."""
        environ = os.environ if environ is None else environ
        settings = cls(**options)  # type: ignore[arg-type]
        return settings.with_keys(parse_keys(environ.get(KEYS_ENV, "")))


def parse_keys(text: str) -> list[str]:
    """The comma-separated keys in ``text`` (spaces around each ignored, empty ones dropped).

    A key shorter than 16 characters is refused (``ValueError``): a short key can be guessed.
    """
    keys = [key.strip() for key in text.split(",") if key.strip()]
    short = [key for key in keys if len(key) < MIN_KEY_CHARS]
    if short:
        raise ValueError(f"{len(short)} API key(s) in ${KEYS_ENV} are shorter than "
                         f"{MIN_KEY_CHARS} characters")
    return keys


def hash_key(key: str) -> str:
    """The SHA-256 hex digest the server keeps of a key."""
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


def key_id(digest: str) -> str:
    """The short, non-secret name of a key in logs and metrics (its digest's first chars)."""
    return digest[:KEY_ID_CHARS]


def is_loopback(host: str) -> bool:
    """Whether ``host`` (an address or ``localhost``) reaches only this machine."""
    name = host.strip().strip("[]").lower()
    if name in LOCALHOST_NAMES:
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def check_bind(settings: ServeSettings) -> None:
    """Refuse to serve a non-loopback address without API keys (``insecure_bind``)."""
    if not settings.auth_required and not is_loopback(settings.host):
        raise ServeError(ServeErrorCode.INSECURE_BIND,
                         f"refusing to serve on {settings.host} without API keys: set "
                         f"{KEYS_ENV}=key1,key2 (at least {MIN_KEY_CHARS} characters each) "
                         f"or serve on 127.0.0.1")
