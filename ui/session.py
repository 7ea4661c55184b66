"""Per-browser-session state: what the shopper chose, the last try-on, idle time.

The functions take any mutable mapping (``st.session_state`` in the app, a dict in tests).
Widget keys carry a *generation* number: :func:`reset` bumps it, so every widget (uploader,
camera, choices) comes back empty and the old values, photos included, are dropped.
"""

from __future__ import annotations

import time
from collections.abc import MutableMapping
from typing import Any

__all__ = ["ATTEMPT", "CUSTOMER_WIDGETS", "GENERATION", "ITEM_CHOICE", "LAST_ACTIVITY",
           "PHOTO", "catalog_choice", "choose_catalog_item", "choose_uploaded_item",
           "clear_result", "has_customer_data", "idle_expired", "reset", "touch", "widget_key"]

State = MutableMapping[str, Any]

GENERATION = "generation"
LAST_ACTIVITY = "last_activity"
ITEM_CHOICE = "item_choice"  # "catalog:<item id>", "upload" or absent
ATTEMPT = "attempt"          # the last ui.tryout.Attempt
PHOTO = "photo_bytes"        # kiosk: the photo taken, kept while the customer picks items
CUSTOMER_WIDGETS = ("photo", "camera", "item_upload")  # widgets that hold a customer's pictures


def widget_key(state: State, name: str) -> str:
    """The key for widget ``name`` in the current generation."""
    return f"{name}-{state.get(GENERATION, 0)}"


def touch(state: State, now: float | None = None) -> None:
    """Record activity (a full page run: the shopper did something)."""
    state[LAST_ACTIVITY] = time.monotonic() if now is None else now


def idle_expired(state: State, idle_seconds: float, now: float | None = None) -> bool:
    """True when there was activity and none for ``idle_seconds``."""
    last = state.get(LAST_ACTIVITY)
    now = time.monotonic() if now is None else now
    return last is not None and now - last >= idle_seconds


def has_customer_data(state: State) -> bool:
    """Whether anything of a customer is held: a try-on, an item choice or a photo."""
    generation = state.get(GENERATION, 0)
    keys = [ATTEMPT, ITEM_CHOICE, PHOTO, *(f"{name}-{generation}" for name in CUSTOMER_WIDGETS)]
    return any(state.get(key) is not None for key in keys)


def reset(state: State) -> None:
    """Forget everything of the current customer; widgets come back empty."""
    generation = int(state.get(GENERATION, 0)) + 1
    for key in list(state.keys()):
        del state[key]
    state[GENERATION] = generation


def choose_catalog_item(state: State, item_id: str) -> None:
    """The shopper picked ``item_id`` from the catalog."""
    state[ITEM_CHOICE] = f"catalog:{item_id}"


def choose_uploaded_item(state: State) -> None:
    """The shopper uploaded (or removed) a product photo: it takes over from the catalog."""
    state[ITEM_CHOICE] = "upload"


def catalog_choice(state: State) -> str | None:
    """The picked catalog item's id, or None."""
    choice = state.get(ITEM_CHOICE) or ""
    return choice.removeprefix("catalog:") if choice.startswith("catalog:") else None


def clear_result(state: State) -> None:
    """Drop the try-on and the item choice, keep the photo (\"try another item\")."""
    state.pop(ATTEMPT, None)
    state.pop(ITEM_CHOICE, None)
