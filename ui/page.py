"""The two pages: the shopper page and the kiosk. ``ui/app.py`` calls :func:`main`.

Shopper: photo (upload or camera) → item (catalog or upload; kind automatic with an
override) → before/after, PNG download, details. Kiosk: camera → catalog → full-screen
result; no upload from disk, no download, and after ``idle_seconds`` without a touch the
session is cleared and the start screen returns.
"""

from __future__ import annotations

import os
import sys
from typing import Any

import streamlit as st

from ui import session
from ui.catalog import find_item
from ui.config import UiConfig, load_config
from ui.widgets import (
    KIOSK_CSS,
    SHOPPER_CSS,
    before_after,
    catalog_grid,
    details,
    engine_pool,
    ensure_attempt,
    failure,
)

__all__ = ["main"]

PHOTO_TYPES = ["jpg", "jpeg", "png", "webp"]
KIND_LABELS = {"auto": "Automatic", "top": "Top", "shoes": "Shoes"}
MAX_UPLOAD_MB = 40  # the engine's own limit (image_too_large)


def main() -> None:
    """Render the page for this run."""
    config = load_config(sys.argv[1:], os.environ, st.query_params.to_dict())
    st.set_page_config(page_title="Try it on", page_icon=":material/checkroom:",
                       layout="wide" if config.kiosk else "centered",
                       initial_sidebar_state="collapsed")
    state = st.session_state
    if config.kiosk:
        st.html(KIOSK_CSS)
        _idle_guard(state, config.idle_seconds)
        kiosk_page(state, config)
    else:
        st.html(SHOPPER_CSS)
        shopper_page(state, config)


def _idle_guard(state: Any, idle_seconds: float) -> None:
    """Clear the session after ``idle_seconds`` without a full run (a touch)."""
    if session.idle_expired(state, idle_seconds) and session.has_customer_data(state):
        session.reset(state)
    session.touch(state)

    @st.fragment(run_every=min(5.0, max(1.0, idle_seconds / 3)))
    def watch() -> None:
        if session.idle_expired(state, idle_seconds) and session.has_customer_data(state):
            session.reset(state)
            st.rerun(scope="app")

    watch()


def shopper_page(state: Any, config: UiConfig) -> None:
    """Upload or camera, catalog or upload, result with download and details."""
    st.title("Try it on")
    st.caption("Add a photo of yourself, pick a top or a pair of shoes, and see it on you. "
               "Your photo stays in this browser session and is never stored.")

    st.subheader("1 · Your photo")
    source = st.segmented_control("Photo", ["Upload a photo", "Take a photo"],
                                  default="Upload a photo", required=True,
                                  key=session.widget_key(state, "source"),
                                  label_visibility="collapsed")
    if source == "Take a photo":
        photo_file = st.camera_input("Take a photo", key=session.widget_key(state, "camera"))
    else:
        photo_file = st.file_uploader(
            "Drag and drop a photo of yourself", type=PHOTO_TYPES,
            key=session.widget_key(state, "photo"), max_upload_size=MAX_UPLOAD_MB,
            help="JPEG, PNG or WebP. For shoes, use a full-body photo with your feet in it.")
    photo = photo_file.getvalue() if photo_file is not None else None

    st.subheader("2 · Pick something to try on")
    catalog_grid(state, card_width=112, thumb_size=224)
    product = st.file_uploader("…or upload a product photo", type=PHOTO_TYPES,
                               key=session.widget_key(state, "item_upload"),
                               max_upload_size=MAX_UPLOAD_MB,
                               on_change=session.choose_uploaded_item, args=(state,))
    kind = st.segmented_control("What is it?", list(KIND_LABELS), default="auto",
                                format_func=KIND_LABELS.get, required=True,
                                key=session.widget_key(state, "kind"))

    item, item_kind = None, "auto"
    catalog_item = find_item(session.catalog_choice(state))
    if catalog_item is not None:
        item, item_kind = catalog_item.read(), catalog_item.kind
    elif state.get(session.ITEM_CHOICE) == "upload" and product is not None:
        item = product.getvalue()
    if kind != "auto":
        item_kind = kind

    st.subheader("3 · Your result")
    if photo is None or item is None:
        st.info("Add your photo and pick an item to see it on you.", icon=":material/info:")
        return
    attempt = ensure_attempt(state, engine_pool(config.engines), photo, item, item_kind)
    if not attempt.ok:
        failure(attempt)
        return
    before_after(attempt)
    if kind == "auto" and catalog_item is None:
        st.caption(f"We tried it on as **{attempt.result.kind}**. Not right? "
                   "Choose Top or Shoes under “What is it?”.")
    st.download_button("Download picture (PNG)", data=attempt.png, file_name="try-on.png",
                       mime="image/png", on_click="ignore", type="primary",
                       icon=":material/download:", key="download")
    if st.toggle("Show details", key=session.widget_key(state, "details")):
        details(attempt)


def kiosk_page(state: Any, config: UiConfig) -> None:
    """Camera → catalog → full-screen result; every screen has a way back to the start."""
    attempt = state.get(session.ATTEMPT)
    photo = state.get(session.PHOTO)
    if photo is not None and attempt is not None and attempt.ok:
        _kiosk_result(state, attempt, config)
        return
    if photo is None:
        _kiosk_camera(state)
        return
    st.title("Pick something to try on")
    with st.container(horizontal=True, vertical_alignment="center", gap="medium"):
        st.image(photo, width=150)
        st.button("Retake photo", key="retake", icon=":material/photo_camera:",
                  on_click=session.reset, args=(state,))
    item = find_item(session.catalog_choice(state))
    if item is not None:
        attempt = ensure_attempt(state, engine_pool(config.engines), photo, item.read(),
                                 item.kind)
        if attempt.ok:
            st.rerun()
        failure(attempt)
    catalog_grid(state, card_width=320, thumb_size=320)


def _kiosk_camera(state: Any) -> None:
    st.title("Try it on")
    st.markdown("Stand back so your **whole body** is in the picture (for shoes, your feet "
                "too), then tap **Take photo**.")
    shot = st.camera_input("Take your photo", key=session.widget_key(state, "camera"),
                           label_visibility="collapsed")
    if shot is not None:
        state[session.PHOTO] = shot.getvalue()
        st.rerun()


def _kiosk_result(state: Any, attempt: Any, config: UiConfig) -> None:
    before_after(attempt)
    again, done = st.columns(2, gap="large")
    again.button("Try something else", key="again", type="primary", width="stretch",
                 icon=":material/checkroom:", on_click=session.clear_result, args=(state,))
    done.button("Finish", key="finish", width="stretch", icon=":material/logout:",
                on_click=session.reset, args=(state,))
    st.caption(f"This screen clears itself after {config.idle_seconds:.0f} s without a touch; "
               "nothing is kept.")
