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
           "PHOTO", "PHOTO_CHECK", "PRODUCT", "SIMILAR", "VIEW", "catalog_choice",
           "choose_catalog_item", "choose_uploaded_item", "clear_result", "has_customer_data",
           "idle_expired", "item_chosen", "reset", "touch", "view_token", "widget_key"]

State = MutableMapping[str, Any]

GENERATION = "generation"
LAST_ACTIVITY = "last_activity"
ITEM_CHOICE = "item_choice"  # "catalog:<item id>", "upload" or absent
ATTEMPT = "attempt"          # the last ui.tryout.Attempt
PHOTO = "photo_bytes"        # kiosk: the photo taken, kept while the customer picks items
PHOTO_CHECK = "photo_check"  # the last ui.photocheck.PhotoCheck (its sentence, a preview)
PRODUCT = "product_bytes"    # an uploaded product photo, kept while its result is shown
SIMILAR = "similar"         # (product digest, ids of the catalog items most like it)
VIEW = "view_token"          # bumped when the view changes (pick, back): the page scrolls
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


def has_customer_data(state: State, widgets: bool = True) -> bool:
    """Whether anything of a customer is held: a try-on, an item choice, a photo or its
    check; with ``widgets``, also what a widget holds (an upload, a camera picture)."""
    generation = state.get(GENERATION, 0)
    keys = [ATTEMPT, ITEM_CHOICE, PHOTO, PHOTO_CHECK, PRODUCT]
    if widgets:
        keys += [f"{name}-{generation}" for name in CUSTOMER_WIDGETS]
    return any(state.get(key) is not None for key in keys)


def reset(state: State) -> None:
    """Forget everything of the current customer; widgets come back empty."""
    generation = int(state.get(GENERATION, 0)) + 1
    for key in list(state.keys()):
        del state[key]
    state[GENERATION] = generation


def view_token(state: State) -> int:
    """A number that changes whenever the view changes (0 before the first change); never
    the same twice in a process, across resets too."""
    return int(state.get(VIEW, 0))


def _new_view(state: State) -> None:
    state[VIEW] = max(time.time_ns(), view_token(state) + 1)


def choose_catalog_item(state: State, item_id: str) -> None:
    """The shopper picked ``item_id`` from the catalog: the result view comes next."""
    state[ITEM_CHOICE] = f"catalog:{item_id}"
    _new_view(state)


def choose_uploaded_item(state: State, widget: str | None = None) -> None:
    """The shopper uploaded a product photo (in the widget with key ``widget``, if given):
    it takes over from the catalog and is kept while its result is shown. Removing it
    leaves the choice as it was."""
    upload = state.get(widget) if widget is not None else None
    if widget is not None and upload is None:
        state.pop(PRODUCT, None)
        return
    if upload is not None:
        state[PRODUCT] = upload.getvalue()
    state[ITEM_CHOICE] = "upload"
    _new_view(state)


def item_chosen(state: State) -> bool:
    """Whether an item is chosen (a catalog item, or an uploaded product that is kept)."""
    return catalog_choice(state) is not None or (
        state.get(ITEM_CHOICE) == "upload" and state.get(PRODUCT) is not None)


def catalog_choice(state: State) -> str | None:
    """The picked catalog item's id, or None."""
    choice = state.get(ITEM_CHOICE) or ""
    return choice.removeprefix("catalog:") if choice.startswith("catalog:") else None


def clear_result(state: State) -> None:
    """Drop the try-on, the item choice and an uploaded product, keep the photo ("Try
    another item"): the catalog comes back."""
    for key in (ATTEMPT, ITEM_CHOICE, PRODUCT):
        state.pop(key, None)
    _new_view(state)
