"""Page pieces shared by the shopper page and the kiosk: photo status, catalog grid, result,
"More like this", errors, details.

Thin Streamlit code; decisions live in :mod:`ui.session`, :mod:`ui.photocheck`,
:mod:`ui.tryout`, :mod:`ui.similar` and :mod:`tryon`. Elements that tests and styles find
carry keys: ``photo-status``, ``catalog``, ``item-<id>``, ``result`` (holding the
comparison), ``more-like-this`` (its buttons ``like-<id>``), ``problem``, ``details``.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

import streamlit as st
from PIL import Image

from tryon.errors import TryOnError
from tryon.tools.pool import EnginePool
from ui import session
from ui.catalog import CatalogItem, catalog_kinds, demo_catalog, thumbnail
from ui.components import comparison
from ui.photocheck import PhotoCheck, check_photo, photo_key
from ui.resources import catalog_models, catalog_search
from ui.service import TryOnBackend
from ui.similar import similar_items, similar_to_picture
from ui.tryout import Attempt, attempt_key, detail_pictures, timing_rows, try_on

__all__ = ["KIOSK_CSS", "MORE_LIKE_THIS", "SHOPPER_CSS", "catalog_grid", "details",
           "ensure_attempt", "ensure_check", "failure", "item_key", "look_alikes",
           "more_like_this", "page_icon", "photo_status", "result_view"]

_LOG = logging.getLogger(__name__)
MORE_LIKE_THIS = "More like this"

ICON_ITEM = "tops/white-tee"  # the catalog picture the browser tab shows (served locally)
ICON_SIZE = 64
BLOCKED_STYLE = "filter: grayscale(1); opacity: 0.35;"
PICKED_STYLE = "outline: 3px solid #ff4b4b; outline-offset: 2px;"

SHOPPER_CSS = """<style>
.block-container { padding-top: 2.5rem; }
@media (max-width: 640px) {  /* phones: the result as wide as the screen */
  .block-container { padding-left: 0.5rem; padding-right: 0.5rem; }
}
.st-key-catalog { flex-wrap: nowrap !important; overflow-x: auto; padding-bottom: 0.4rem; }
.st-key-catalog > div { flex-shrink: 0; }
.st-key-catalog [data-testid="stImage"] img { border-radius: 0.5rem; }
.st-key-catalog button { padding: 0.15rem 0.3rem; min-height: 2.75rem; }
.st-key-catalog button p { font-size: 0.8rem; line-height: 1.1; white-space: nowrap; }
.st-key-similar { flex-wrap: nowrap !important; overflow-x: auto; padding-bottom: 0.4rem; }
.st-key-similar > div { flex-shrink: 0; }
.st-key-similar [data-testid="stImage"] img { border-radius: 0.5rem; }
.st-key-similar button { padding: 0.15rem 0.3rem; min-height: 2.75rem; }
.st-key-similar button p { font-size: 0.8rem; line-height: 1.1; white-space: nowrap; }
.st-key-actions button { min-height: 3rem; }
/* room below the result, so that it can always be scrolled to the top of the window */
.st-key-view-result { min-height: calc(100dvh - 3.75rem); }
.st-key-photo-status img { border-radius: 0.4rem; }
</style>"""

KIOSK_CSS = """<style>
header[data-testid="stHeader"], [data-testid="stToolbar"], footer { display: none !important; }
.block-container { padding: 2rem 2rem 1rem 2rem; }
h1 { font-size: 3.2rem !important; }
[data-testid="stMarkdownContainer"] p, [data-testid="stCaptionContainer"] { font-size: 1.5rem; }
.stButton button { min-height: 6rem; font-size: 2rem; padding: 0.75rem 2rem;
  border-radius: 1rem; gap: 0.75rem; }
.stButton button p { font-size: 2rem; line-height: 1.2; }
.stButton button [data-testid="stIconMaterial"] { font-size: 2.4rem; }
/* the camera: the preview uses the screen; the shutter is pressed by the countdown button */
[data-testid="stCameraInputButton"] { display: none !important; }
[data-testid="stCameraInputWebcamStyledBox"] { height: auto !important; }
[data-testid="stCameraInput"] video { width: 100% !important; height: 68vh !important;
  object-fit: contain; background: #111; display: block; border-radius: 1rem; }
[data-testid="stAlert"] p { font-size: 1.8rem; }
[data-testid="stExpander"] summary p { font-size: 1.4rem; }
[data-testid="stExpander"] summary { min-height: 3.5rem; }
</style>"""


def page_icon() -> Image.Image:
    """The tab icon, from a catalog picture: served by the app, never fetched from a font
    or emoji host (kiosks are often offline)."""
    item = next((i for i in demo_catalog() if i.id == ICON_ITEM), demo_catalog()[0])
    return Image.open(item.path).convert("RGBA").resize((ICON_SIZE, ICON_SIZE))


def item_key(item: CatalogItem) -> str:
    """The element key of a catalog card (``item-tops-white-tee``)."""
    return "item-" + item.id.replace("/", "-")


def ensure_check(state: Any, pool: EnginePool, photo: bytes) -> PhotoCheck:
    """The early check of ``photo``: the stored one, or a new check with a spinner."""
    check = state.get(session.PHOTO_CHECK)
    if check is None or check.key != photo_key(photo):
        with st.spinner("Checking your photo…"):
            check = check_photo(pool, photo, catalog_kinds())
        state[session.PHOTO_CHECK] = check
    return check


def photo_status(check: PhotoCheck, *, preview_width: int = 88) -> None:
    """Beside the photo: its preview and, at once, what is wrong and what to do, or that it
    is ready (and which kinds are greyed out, and why)."""
    with st.container(key="photo-status", horizontal=True, gap="small",
                      vertical_alignment="center"):
        if check.preview:
            st.image(check.preview, width=preview_width)
        with st.container():
            if not check.ok:
                st.error(check.message, icon=":material/error:")
            else:
                st.success("Your photo is ready — pick something to try on.",
                           icon=":material/check_circle:")
            for sentence in (*(reason for _, reason in check.blocked), *check.notes):
                st.warning(sentence, icon=":material/info:")
    if not check.ok:
        _show_details(check.code, check.detail)


def catalog_grid(state: Any, check: PhotoCheck | None, *, card_width: int,
                 thumb_size: int = 256) -> None:
    """Thumbnails with a pick button each. Without a usable photo every button is off; kinds
    the photo cannot take are greyed out (the reason is said by :func:`photo_status`)."""
    chosen = session.catalog_choice(state)
    usable = check is not None and check.ok
    styles = []
    for item in demo_catalog():
        if item.id == chosen:
            styles.append(f".st-key-{item_key(item)} img {{ {PICKED_STYLE} }}")
        if usable and check.reason(item.kind):
            styles.append(f".st-key-{item_key(item)} img {{ {BLOCKED_STYLE} }}")
    if styles:
        st.html("<style>" + "\n".join(styles) + "</style>")
    with st.container(horizontal=True, key="catalog", gap="small"):
        for item in demo_catalog():
            with st.container(width=card_width, key=item_key(item), gap="xsmall"):
                st.image(thumbnail(item.path, thumb_size), width="stretch")
                picked = item.id == chosen
                st.button(("✓ " if picked else "") + item.name, key=f"pick-{item.id}",
                          type="primary" if picked else "secondary", width="stretch",
                          disabled=not usable or bool(check.reason(item.kind)),
                          on_click=session.choose_catalog_item, args=(state, item.id))


def ensure_attempt(state: Any, pool: TryOnBackend, photo: bytes, item: bytes,
                   kind: str) -> Attempt:
    """The try-on for these inputs: the stored one, or a new run with a spinner."""
    attempt = state.get(session.ATTEMPT)
    if attempt is None or attempt.key != attempt_key(photo, item, kind):
        waiting = pool.idle == 0
        text = ("Someone else is trying something on — you are next…" if waiting
                else "Putting it on you…")
        with st.spinner(text, show_time=True):
            attempt = try_on(pool, photo, item, kind)
        state[session.ATTEMPT] = attempt
    return attempt


def _show_details(code: str, detail: str) -> None:
    """The error code and the engine's words, folded away (for staff and the curious)."""
    with st.expander("Show details"):
        st.markdown(f"Error code: `{code}`")
        if detail:
            st.caption(detail)


def failure(attempt: Attempt) -> None:
    """The shopper sentence for a failed try-on (never a traceback; the code is folded
    away under "Show details")."""
    with st.container(key="problem"):
        st.error(attempt.message, icon=":material/error:")
        _show_details(attempt.code, attempt.detail)


def result_view(attempt: Attempt, *, max_height: str, knob: str = "3rem",
                tag: str = "1rem") -> None:
    """The result over the original, a divider to slide between them (``result``)."""
    assert attempt.result is not None
    with st.container(key="result"):
        comparison(attempt.result.photo, attempt.result.image, key="comparison",
                   max_height=max_height, knob=knob, tag=tag)
    for warning in attempt.warnings:
        st.info(warning, icon=":material/info:")


def details(attempt: Attempt, picture_width: int = 170) -> None:
    """Pose overlay, masks and other intermediate pictures, and the stage timings."""
    assert attempt.result is not None
    pictures = detail_pictures(attempt.result)
    with st.container(key="details"):
        if not pictures:
            st.caption("This try-on ran on the try-on server, which sends the finished "
                       "picture only.")
        with st.container(horizontal=True, gap="small"):
            for caption, picture in pictures:
                with st.container(width=picture_width):
                    st.image(picture, caption=caption, width="stretch")
        rows = "\n".join(f"| {stage} | {ms:.0f} |" for stage, ms in timing_rows(attempt.result))
        st.markdown(f"**Stage timings** (kind: {attempt.result.kind})\n\n| stage | ms |\n"
                    f"|---|---:|\n{rows}")
        for warning in attempt.result.warnings:
            st.caption(f"Engine note: {warning}")


def look_alikes(state: Any, item_id: str | None, product: bytes | None
                ) -> tuple[CatalogItem, ...]:
    """The catalog items most like the picked item (``item_id``) or an uploaded product
    (embedded once per picture and kept in the session); () when the catalog model cannot
    be used (the page works without it; the log says why)."""
    try:
        search = catalog_search()
        if item_id is not None:
            return similar_items(search, item_id)
        if product is None:
            return ()
        key = photo_key(product)
        kept = state.get(session.SIMILAR)
        if kept is None or kept[0] != key:
            with st.spinner("Finding similar items…"):
                found = similar_to_picture(search, catalog_models()[0], product)
            kept = (key, tuple(item.id for item in found))
            state[session.SIMILAR] = kept
        by_id = {item.id: item for item in search.items}
        return tuple(by_id[item] for item in kept[1] if item in by_id)
    except TryOnError as error:  # no catalog model installed, or a product that won't decode
        _LOG.info("more like this: %s: %s", error.code.value, error.message)
    except Exception:  # never a traceback for a side feature
        _LOG.exception("more like this failed")
    return ()


def more_like_this(state: Any, check: PhotoCheck | None, items: Sequence[CatalogItem], *,
                   card_width: int, thumb_size: int = 224) -> None:
    """A row of similar catalog items, each one tap from its try-on (``like-<id>``); kinds
    the photo cannot take are off, as in the catalog."""
    if not items:
        return
    blocked = {item.id for item in items
               if check is None or not check.ok or check.reason(item.kind)}
    styles = [f".st-key-like-{item_key(item)} img {{ {BLOCKED_STYLE} }}"
              for item in items if item.id in blocked]
    if styles:
        st.html("<style>" + "\n".join(styles) + "</style>")
    with st.container(key="more-like-this"):
        st.markdown(f"**{MORE_LIKE_THIS}**")
        with st.container(horizontal=True, key="similar", gap="small"):
            for item in items:
                with st.container(width=card_width, key="like-" + item_key(item),
                                  gap="xsmall"):
                    st.image(thumbnail(item.path, thumb_size), width="stretch")
                    st.button(item.name, key=f"like-{item.id}", width="stretch",
                              disabled=item.id in blocked, on_click=session.choose_catalog_item,
                              args=(state, item.id))
