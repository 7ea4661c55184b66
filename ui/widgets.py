"""Page pieces shared by the shopper page and the kiosk: catalog grid, result, details.

Thin Streamlit code; decisions live in :mod:`ui.session`, :mod:`ui.tryout` and :mod:`tryon`.
Elements that tests and styles find carry keys: ``catalog``, ``item-<id>``, ``result``
(holding ``before`` and ``after``), ``details``.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from tryon.pipeline import TryOnEngine
from tryon.tools.pool import EnginePool
from ui import session
from ui.catalog import CatalogItem, demo_catalog, thumbnail
from ui.tryout import Attempt, attempt_key, detail_pictures, timing_rows, try_on

__all__ = ["KIOSK_CSS", "SHOPPER_CSS", "before_after", "catalog_grid", "details",
           "engine_pool", "ensure_attempt", "failure", "item_key"]

SHOPPER_CSS = """<style>
.block-container { padding-top: 2.5rem; }
.st-key-catalog { flex-wrap: nowrap !important; overflow-x: auto; padding-bottom: 0.4rem; }
.st-key-catalog > div { flex-shrink: 0; }
.st-key-catalog [data-testid="stImage"] img { border-radius: 0.5rem; }
.st-key-catalog button { padding: 0.15rem 0.3rem; min-height: 2.2rem; }
.st-key-catalog button p { font-size: 0.8rem; line-height: 1.1; white-space: nowrap; }
</style>"""

KIOSK_CSS = """<style>
header[data-testid="stHeader"], [data-testid="stToolbar"], footer { display: none !important; }
.block-container { padding: 2rem 2rem 1rem 2rem; }
h1 { font-size: 3.2rem !important; }
[data-testid="stMarkdownContainer"] p, [data-testid="stCaptionContainer"] { font-size: 1.5rem; }
.stButton button, [data-testid="stCameraInputButton"] {
  min-height: 5rem; font-size: 1.8rem; padding: 0.75rem 2rem; border-radius: 1rem; }
.stButton button p { font-size: 1.8rem; line-height: 1.2; }
[data-testid="stCameraInputButton"] { background: #ff4b4b; color: white; }
[data-testid="stCameraInputWebcamStyledBox"] { height: auto !important; }
[data-testid="stCameraInput"] video { height: auto !important; max-height: 62vh;
  width: auto !important; max-width: 100%; display: block; margin: 0 auto; }
.st-key-result img { width: 100% !important; height: auto; max-height: 80vh;
  object-fit: contain; }
@media (orientation: portrait) {  /* the result large, the original small beside it */
  .st-key-result > div:has(> .st-key-before) { flex: 1 1 0 !important; min-width: 0; }
  .st-key-result > div:has(> .st-key-after) { flex: 3 1 0 !important; min-width: 0; }
}
@media (orientation: landscape) {  /* both full height, meeting in the middle */
  .st-key-before img { object-position: right top; }
  .st-key-after img { object-position: left top; }
  .st-key-before [data-testid="stImageCaption"] { text-align: right; align-self: flex-end; }
  .st-key-after [data-testid="stImageCaption"] { text-align: left; align-self: flex-start; }
}
.st-key-result [data-testid="stCaptionContainer"] { font-size: 1.4rem; }
[data-testid="stAlert"] p { font-size: 1.8rem; }
</style>"""


@st.cache_resource(show_spinner="Loading the try-on models…")
def engine_pool(size: int) -> EnginePool:
    """One pool per process and size, shared by every session (never changed after). Its
    engines keep no caches: nothing of one customer (pose, masks) outlives their try-on."""
    return EnginePool(size, factory=lambda: TryOnEngine(cache_size=0))


def item_key(item: CatalogItem) -> str:
    """The element key of a catalog card (``item-tops-white-tee``)."""
    return "item-" + item.id.replace("/", "-")


def catalog_grid(state: Any, *, card_width: int, thumb_size: int = 256) -> None:
    """Thumbnails with a pick button each; the picked item's button is highlighted."""
    chosen = session.catalog_choice(state)
    for item in demo_catalog():
        if item.id == chosen:  # outline the picked card
            st.html(f"<style>.st-key-{item_key(item)} img {{ outline: 3px solid #ff4b4b; "
                    "outline-offset: 2px; }</style>")
    with st.container(horizontal=True, key="catalog", gap="small"):
        for item in demo_catalog():
            with st.container(width=card_width, key=item_key(item), gap="xsmall"):
                st.image(thumbnail(item.path, thumb_size), width="stretch")
                picked = item.id == chosen
                st.button(("✓ " if picked else "") + item.name, key=f"pick-{item.id}",
                          type="primary" if picked else "secondary", width="stretch",
                          on_click=session.choose_catalog_item, args=(state, item.id))


def ensure_attempt(state: Any, pool: EnginePool, photo: bytes, item: bytes,
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


def failure(attempt: Attempt) -> None:
    """The shopper sentence for a failed try-on (never a traceback)."""
    st.error(attempt.message, icon=":material/error:")
    st.caption(f"Reference for staff: {attempt.code}")


def before_after(attempt: Attempt) -> None:
    """The original and the result side by side (on a phone too), in the ``result``
    container; the kiosk's style makes the result larger."""
    assert attempt.result is not None
    with st.container(key="result", horizontal=True, gap="small"):
        with st.container(key="before"):
            st.image(attempt.result.photo, caption="Before", width="stretch")
        with st.container(key="after"):
            st.image(attempt.result.image, caption="After", width="stretch")
    for warning in attempt.warnings:
        st.info(warning, icon=":material/info:")


def details(attempt: Attempt, picture_width: int = 170) -> None:
    """Pose overlay, masks and other intermediate pictures, and the stage timings."""
    assert attempt.result is not None
    with st.container(key="details"):
        with st.container(horizontal=True, gap="small"):
            for caption, picture in detail_pictures(attempt.result):
                with st.container(width=picture_width):
                    st.image(picture, caption=caption, width="stretch")
        rows = "\n".join(f"| {stage} | {ms:.0f} |" for stage, ms in timing_rows(attempt.result))
        st.markdown(f"**Stage timings** (kind: {attempt.result.kind})\n\n| stage | ms |\n"
                    f"|---|---:|\n{rows}")
        for warning in attempt.result.warnings:
            st.caption(f"Engine note: {warning}")
