"""The pages: the shopper page, the kiosk, the staff's trends page (``?view=trends``,
:mod:`ui.trends`) and the Studio (``?view=studio``, :mod:`ui.studio`). ``ui/app.py`` calls
:func:`main`.

Shopper: photo (upload or camera, checked at once) → catalog or product upload → the result
takes the catalog's place and is scrolled into view: before/after slider, "Try another
item", PNG download, "More like this" (similar catalog items, one tap each), details.
Try-ons run on a local engine pool or, with ``$TRYON_SERVER``, on that server
(:mod:`ui.resources`); the early photo check is always local. Kiosk: camera with a
countdown (checked at once) → catalog → full-screen result; no upload from disk, no
download, and after ``idle_seconds`` without a touch the session is cleared and the start
screen returns.
"""

from __future__ import annotations

import logging
import os
import sys
from typing import Any

import streamlit as st

from tryon.kinds import AUTO
from ui import session
from ui.catalog import catalog_kinds, find_item, kind_label, kind_plural, supported_kinds
from ui.components import countdown_button, scroll_here
from ui.config import MAX_UPLOAD_MB, PHOTO_TYPES, STUDIO, TRENDS, UiConfig, load_config
from ui.photocheck import PhotoCheck
from ui.resources import Engines, engines
from ui.studio import STUDIO_TITLE, studio_page
from ui.trends import trends_page
from ui.widgets import (
    KIOSK_CSS,
    SHOPPER_CSS,
    catalog_grid,
    details,
    ensure_attempt,
    ensure_check,
    failure,
    look_alikes,
    more_like_this,
    page_icon,
    photo_status,
    result_view,
)

__all__ = ["KIND_OPTIONS", "TAKE_PHOTO", "TRY_ANOTHER", "main"]

KIND_OPTIONS = (AUTO, *supported_kinds())  # what the engine can try on
TAKE_PHOTO = "Take photo"  # the kiosk's button, and the word its instruction uses
TRY_ANOTHER = "Try something else"  # shopper and kiosk alike
SHOPPER_RESULT_HEIGHT = "calc(100dvh - 10rem)"  # under the header and the buttons above it
KIOSK_RESULT_HEIGHT = "calc(100dvh - 13rem)"  # the buttons and a caption below it
HEADER_HEIGHT = "3.75rem"  # Streamlit's header bar over the shopper page


def main() -> None:
    """Render the page for this run."""
    _log_to_server()
    config = load_config(sys.argv[1:], os.environ, st.query_params.to_dict())
    titles = {TRENDS: "Catalog trends", STUDIO: STUDIO_TITLE}
    staff = config.view in titles  # never in a kiosk (load_config)
    st.set_page_config(page_title=titles.get(config.view, "Try it on"),
                       page_icon=page_icon(),
                       layout="wide" if config.kiosk or staff else "centered",
                       initial_sidebar_state="collapsed")
    state = st.session_state
    if config.view == TRENDS:
        trends_page()
    elif config.view == STUDIO:
        studio_page(state, config)
    elif config.kiosk:
        st.html(KIOSK_CSS)
        _idle_guard(state, config.idle_seconds)
        kiosk_page(state, config)
        # The idle time runs from when the page is shown: a try-on that took longer than it
        # (a first one on a slow, busy machine) was cleared as soon as it appeared.
        session.touch(state)
    else:
        st.html(SHOPPER_CSS)
        shopper_page(state, config)


def _log_to_server() -> None:
    """Send this package's log (error codes of refused photos and try-ons) to the server's
    output, once per process."""
    logger = logging.getLogger("ui")
    if not logger.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)


def _idle_guard(state: Any, idle_seconds: float) -> None:
    """Clear the session after ``idle_seconds`` without a full run (a touch). A touch that
    comes later than that starts from a clean session too, but keeps what the touch itself
    brought: a picture just taken by someone who stood at the camera longer than that."""
    if session.idle_expired(state, idle_seconds) and session.has_customer_data(
            state, widgets=False):
        session.reset(state)
    session.touch(state)

    @st.fragment(run_every=min(5.0, max(1.0, idle_seconds / 3)))
    def watch() -> None:
        if session.idle_expired(state, idle_seconds) and session.has_customer_data(state):
            session.reset(state)
            st.rerun(scope="app")

    watch()


def _pick_words() -> str:
    """"tops or shoes" from the catalog's kinds."""
    names = [kind_plural(kind) for kind in catalog_kinds()]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


def _chosen_item(state: Any) -> tuple[bytes, str, str, bool] | None:
    """(product bytes, kind, name, uploaded) of the chosen item, or None."""
    item = find_item(session.catalog_choice(state))
    if item is not None:
        return item.read(), item.kind, item.name, False
    product = state.get(session.PRODUCT)
    if state.get(session.ITEM_CHOICE) == "upload" and product is not None:
        kind = state.get(session.widget_key(state, "kind")) or AUTO
        return product, kind, "Your product", True
    return None


def _drop_unfit_choice(state: Any, check: PhotoCheck | None) -> None:
    """Forget the chosen item when there is no usable photo or it cannot take that kind
    (the catalog comes back; the page does not scroll away from the photo's sentence)."""
    item = find_item(session.catalog_choice(state))
    unfit = check is None or not check.ok or (item is not None and check.reason(item.kind))
    if unfit:
        for key in (session.ATTEMPT, session.ITEM_CHOICE, session.PRODUCT):
            state.pop(key, None)


def shopper_page(state: Any, config: UiConfig) -> None:
    """Photo with its check, then the catalog, or the result in the catalog's place."""
    st.title("Try it on")
    st.caption(f"Add a photo of yourself, pick {_pick_words()}, and see it on you. "
               "Your photo stays in this browser session and is never stored.")
    runners = engines(config)

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
    check = ensure_check(state, runners.checks, photo) if photo is not None else None
    if check is not None:
        photo_status(check)
    _drop_unfit_choice(state, check)

    chosen = _chosen_item(state)
    if photo is not None and chosen is not None:
        _shopper_result(state, runners, check, photo, *chosen)
    else:
        _shopper_catalog(state, check)


def _shopper_catalog(state: Any, check: PhotoCheck | None) -> None:
    with st.container(key="view-catalog"):
        scroll_here("catalog", session.view_token(state), HEADER_HEIGHT)
        st.subheader("2 · Pick something to try on")
        if check is None:
            st.info("Add your photo above first, then tap an item to see it on you.",
                    icon=":material/info:")
        catalog_grid(state, check, card_width=112, thumb_size=224)
        upload_key = session.widget_key(state, "item_upload")
        st.file_uploader("…or upload a product photo", type=PHOTO_TYPES, key=upload_key,
                         max_upload_size=MAX_UPLOAD_MB, disabled=check is None or not check.ok,
                         on_change=session.choose_uploaded_item, args=(state, upload_key))


def _shopper_result(state: Any, runners: Engines, check: PhotoCheck | None, photo: bytes,
                    item: bytes, kind: str, name: str, uploaded: bool) -> None:
    with st.container(key="view-result"):
        scroll_here("result", session.view_token(state), HEADER_HEIGHT)
        actions = st.container(key="actions", horizontal=True, gap="small")
        actions.button(TRY_ANOTHER, key="another", type="primary", width="stretch",
                       icon=":material/arrow_back:", on_click=session.clear_result,
                       args=(state,))
        attempt = ensure_attempt(state, runners.try_ons, photo, item, kind)
        if attempt.ok:
            actions.download_button("Download", data=attempt.png, file_name="try-on.png",
                                    mime="image/png", on_click="ignore", width="stretch",
                                    icon=":material/download:", key="download",
                                    help="The picture as a PNG, without any photo metadata.")
            result_view(attempt, max_height=SHOPPER_RESULT_HEIGHT)
            st.markdown(f"**{name}** on you — slide or tap the picture to compare.")
        else:
            failure(attempt)
        if uploaded:
            if attempt.ok and kind == AUTO:
                st.caption(f"We tried it on as **{kind_plural(attempt.result.kind)}**. "
                           "Not right? Choose under “What is it?”.")
            st.segmented_control("What is it?", list(KIND_OPTIONS), default=AUTO,
                                 format_func=lambda k: "Automatic" if k == AUTO else
                                 kind_label(k), required=True,
                                 key=session.widget_key(state, "kind"))
        if attempt.ok:
            alike = look_alikes(state, session.catalog_choice(state),
                                item if uploaded else None)
            more_like_this(state, check, alike, card_width=112)
        if attempt.ok and st.toggle("Show details", key=session.widget_key(state, "details")):
            details(attempt)


def kiosk_page(state: Any, config: UiConfig) -> None:
    """Camera → catalog → full-screen result; every screen has a way back to the start."""
    runners = engines(config)
    photo = state.get(session.PHOTO)
    if photo is not None:
        check = ensure_check(state, runners.checks, photo)
        if not check.ok:  # back to the camera, with the sentence; nothing else is kept
            session.reset(state)
            state[session.PHOTO_CHECK] = check
            photo = None
    if photo is None:
        _kiosk_camera(state)
    elif session.item_chosen(state):
        _kiosk_result(state, runners, photo, config)
    else:
        _kiosk_catalog(state, state[session.PHOTO_CHECK])


def _kiosk_camera(state: Any) -> None:
    st.title("Try it on")
    problem = state.get(session.PHOTO_CHECK)
    if problem is not None and not problem.ok:
        photo_status(problem, preview_width=160)
    st.markdown("Stand back so your **whole body** is in the picture (for shoes, your feet "
                f"too), then tap **{TAKE_PHOTO}**.")
    shot = st.camera_input(TAKE_PHOTO, key=session.widget_key(state, "camera"),
                           label_visibility="collapsed")
    countdown_button(TAKE_PHOTO, key="take-photo")
    if shot is not None:
        state[session.PHOTO] = shot.getvalue()
        state.pop(session.PHOTO_CHECK, None)
        st.rerun()


def _kiosk_catalog(state: Any, check: PhotoCheck) -> None:
    scroll_here("catalog", session.view_token(state))
    st.title("Pick something to try on")
    with st.container(horizontal=True, vertical_alignment="center", gap="medium"):
        st.image(check.preview, width=150)
        st.button("Retake photo", key="retake", icon=":material/photo_camera:",
                  on_click=session.reset, args=(state,))
    for sentence in (*(reason for _, reason in check.blocked), *check.notes):
        st.warning(sentence, icon=":material/info:")
    catalog_grid(state, check, card_width=320, thumb_size=320)


def _kiosk_result(state: Any, runners: Engines, photo: bytes, config: UiConfig) -> None:
    chosen = _chosen_item(state)
    assert chosen is not None
    item, kind, _, _ = chosen
    scroll_here("result", session.view_token(state))
    attempt = ensure_attempt(state, runners.try_ons, photo, item, kind)
    if attempt.ok:
        result_view(attempt, max_height=KIOSK_RESULT_HEIGHT, knob="5rem", tag="1.6rem")
    else:
        failure(attempt)
    again, done = st.columns(2, gap="large")
    again.button(TRY_ANOTHER, key="again", type="primary", width="stretch",
                 icon=":material/checkroom:", on_click=session.clear_result, args=(state,))
    done.button("Finish", key="finish", width="stretch", icon=":material/logout:",
                on_click=session.reset, args=(state,))
    st.caption(f"This screen clears itself after {config.idle_seconds:.0f} s without a touch; "
               "nothing is kept.")
