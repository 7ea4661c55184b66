"""How the front end is configured: app arguments, environment variables, query parameters.

``streamlit run ui/app.py -- --kiosk --idle-seconds 60 --engines 1`` (what ``tryon ui`` runs),
or ``TRYON_UI_KIOSK=1``, ``TRYON_UI_IDLE_SECONDS=60``, ``TRYON_UI_ENGINES=1``, or
``?kiosk=1`` in the page address. A query parameter can turn kiosk mode on, never off: a
kiosk started with ``--kiosk`` stays one whatever address is typed.

``TRYON_SERVER=http://host:port`` (or ``--server URL``) sends try-ons to a ``tryon serve``
server instead of a local engine (its key: ``TRYON_API_KEY``, read where the client is made,
never kept here). ``?view=trends`` opens the staff page of catalog style clusters and
trends, ``?view=studio`` the Studio (colourways and sketch → design, tried on in one tap);
neither is ever shown in a kiosk.

:data:`PHOTO_TYPES` and :data:`MAX_UPLOAD_MB` bound every upload of a picture (shopper page
and Studio alike).
"""

from __future__ import annotations

import argparse
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

__all__ = ["DEFAULT_ENGINES", "DEFAULT_IDLE_SECONDS", "KEY_ENV", "MAX_UPLOAD_MB", "PHOTO_TYPES",
           "SERVER_ENV", "SHOP", "STUDIO", "TRENDS", "VIEWS", "UiConfig", "load_config"]

DEFAULT_IDLE_SECONDS = 90.0
DEFAULT_ENGINES = 1
# tryon.serve.client's names (not imported from there: that module needs httpx)
SERVER_ENV = "TRYON_SERVER"
KEY_ENV = "TRYON_API_KEY"
SHOP = "shop"  # the shopper page (or the kiosk)
TRENDS = "trends"  # the staff page: style clusters and trends of the catalog
STUDIO = "studio"  # the Studio: colourways and sketch → design, tried on in one tap
VIEWS = (SHOP, TRENDS, STUDIO)
PHOTO_TYPES = ["jpg", "jpeg", "png", "webp"]  # what an uploader takes (the engine's formats)
MAX_UPLOAD_MB = 40  # the engine's own limit (image_too_large)
_TRUE = {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class UiConfig:
    """``kiosk``: kiosk mode; ``idle_seconds``: kiosk idle time before the start screen
    returns; ``engines``: try-on engines per process (try-ons that run at the same time);
    ``server``: the try-on server's URL ("" for a local engine); ``view``: one of
    :data:`VIEWS` (always :data:`SHOP` in a kiosk)."""

    kiosk: bool = False
    idle_seconds: float = DEFAULT_IDLE_SECONDS
    engines: int = DEFAULT_ENGINES
    server: str = ""
    view: str = SHOP


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="ui/app.py", add_help=False, allow_abbrev=False)
    parser.add_argument("--kiosk", action="store_true", default=None)
    parser.add_argument("--idle-seconds", type=float, default=None)
    parser.add_argument("--engines", type=int, default=None)
    parser.add_argument("--server", default=None)
    return parser


def _flag(value: object) -> bool:
    if isinstance(value, list | tuple):
        value = value[-1] if value else ""
    return str(value).strip().lower() in _TRUE


def load_config(argv: Sequence[str] = (), env: Mapping[str, str] | None = None,
                query: Mapping[str, object] | None = None) -> UiConfig:
    """The configuration from app arguments, then environment, then defaults; ``query`` (the
    page's query parameters) can add kiosk mode. Unknown arguments are ignored."""
    env = env or {}
    args, _ = _parser().parse_known_args(list(argv))
    kiosk = bool(args.kiosk) or _flag(env.get("TRYON_UI_KIOSK", ""))
    if query is not None and "kiosk" in query:
        value = query["kiosk"]
        kiosk = kiosk or value in ("", [], ()) or _flag(value)  # "?kiosk" alone means on
    idle = args.idle_seconds
    if idle is None:
        idle = float(env.get("TRYON_UI_IDLE_SECONDS") or DEFAULT_IDLE_SECONDS)
    engines = args.engines
    if engines is None:
        engines = int(env.get("TRYON_UI_ENGINES") or DEFAULT_ENGINES)
    if idle <= 0 or engines < 1:
        raise ValueError(f"idle seconds must be > 0 and engines >= 1, got {idle}, {engines}")
    server = (args.server if args.server is not None else env.get(SERVER_ENV, "")).strip()
    view = _last(query.get("view", SHOP)) if query is not None else SHOP
    view = view if view in VIEWS and not kiosk else SHOP
    return UiConfig(kiosk=kiosk, idle_seconds=idle, engines=engines, server=server,
                    view=view)


def _last(value: object) -> str:
    """A query parameter's value (the last one when it is given more than once)."""
    if isinstance(value, list | tuple):
        value = value[-1] if value else ""
    return str(value).strip().lower()
