"""The Studio page (``?view=studio``; never in a kiosk): a product in another colour or
material, or a shoe from a line drawing, shown next to its original and put on a shopper's
photo in one tap.

1. **Product**: a bundled demo item (:func:`ui.catalog.demo_catalog`) or an uploaded product
   photo (JPEG, PNG or WebP, at most :data:`~ui.config.MAX_UPLOAD_MB` MB).
2. **Colourway**: :func:`tryon.studio.make_variant` (colour, parts, method) → the original and
   the variant side by side, the variant's colour accuracy (ΔE2000) and its RGBA PNG.
3. **Material**: :func:`tryon.studio.make_material_variant` with a bundled swatch
   (:func:`demo_swatches`: cut at run time from the MIT/BSD demo items) or an uploaded swatch
   photo → the original and the product in that material side by side, its figures and the
   RGBA PNG.
4. **Sketch → design**: :func:`tryon.studio.design.make_design` on a bundled or uploaded
   drawing → the drawing and the design side by side, ΔE2000 and the RGBA PNG.
5. **Try it on**: the colourway's, the material's or the design's PNG, as the item, on a demo
   person or an uploaded photo, by the shopper page's engines (:func:`ui.resources.engines`,
   :func:`ui.tryout.try_on`); a failure is one plain sentence (:mod:`ui.messages`).

What the page makes is kept in the session (:class:`Made`, :class:`~ui.tryout.Attempt`),
in memory only: nothing, a shopper's photo least of all, is written to disk. The helpers
(:func:`make_colourway`, :func:`make_material`, :func:`make_sketch_design`,
:func:`demo_swatches`, :func:`on_white`, the captions) need no Streamlit run; the three
makers never raise (a refusal comes back as its sentence).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import streamlit as st
from PIL import Image

from tryon.errors import ErrorCode, TryOnError
from tryon.imaging.decode import decode_image
from tryon.imaging.imageio import encode_png
from tryon.kinds import AUTO, Kind
from tryon.studio import (
    PARTS_CHOICES,
    MaterialVariant,
    make_material_variant,
    make_variant,
    parse_colour,
)
from tryon.studio.design import Design, make_design
from tryon.studio.variant import METHOD_CHOICES, Variant
from tryon.tools import IMAGE_SUFFIXES, demo_people
from tryon.tools.material_eval import cut_swatch
from ui.catalog import DEMO_ASSETS, demo_catalog, find_item, thumbnail
from ui.config import MAX_UPLOAD_MB, PHOTO_TYPES, UiConfig
from ui.messages import GENERIC_MESSAGE, shopper_message
from ui.resources import engines
from ui.tryout import Attempt, try_on
from ui.widgets import failure, result_view

__all__ = ["DEFAULT_COLOUR", "DEMO_SWATCHES", "MAKE_COLOURWAY", "MAKE_DESIGN", "MAKE_MATERIAL",
           "STUDIO_TITLE", "TRY_COLOURWAY", "TRY_DESIGN", "TRY_MATERIAL", "Made",
           "colourway_caption", "demo_sketches", "demo_swatches", "design_caption",
           "make_colourway", "make_material", "make_sketch_design", "material_caption",
           "on_white", "studio_page"]

_LOG = logging.getLogger(__name__)

STUDIO_TITLE = "Studio"
MAKE_COLOURWAY = "Make colourway"
MAKE_DESIGN = "Make design"
MAKE_MATERIAL = "Make material"
TRY_COLOURWAY = "Try the colourway on"
TRY_MATERIAL = "Try the material on"
TRY_DESIGN = "Try the design on"
UPLOAD = "upload"  # the product / sketch / person choice that means "my own picture"
DEFAULT_COLOUR = "#7b1e2b"  # burgundy, the colour docs/studio.md measures
DEFAULT_PERSON = "woman-studio"  # a full-body demo photo: tops, bottoms and shoes all fit
DEFAULT_SKETCH = "sneaker"
PREVIEW_SIDE = 512  # pixels: the square the side-by-side pictures are drawn in
CARD_WIDTH = 112  # pixels: a product card in the picker
THUMB_SIDE = 224  # pixels: its thumbnail
SWATCH_CARD_WIDTH = CARD_WIDTH  # pixels: a bundled swatch's card ("✓ Bandana print" fits)
RESULT_HEIGHT = "75vh"  # the try-on comparison's largest height
SKETCH_PICTURE = "the sketch"
PRODUCT_PICTURE = "the product photo"
SWATCH_PICTURE = "the swatch photo"
# A sketch's own words where the shopper sentence speaks of product photos.
SKETCH_MESSAGES: dict[ErrorCode, str] = {
    ErrorCode.BAD_ITEM: "We could not find a drawing of a shoe in the sketch — draw its "
                        "outline as one closed line, dark on light paper.",
}
# A swatch's own words where the shopper sentence would say "something went wrong" (both
# are bad_argument; told apart by the engine's message).
SWATCH_MESSAGES: dict[str, str] = {
    "texture": "The swatch photo is almost a plain colour — use a close-up photo that shows "
               "the material's texture (for a plain colour, make a colourway).",
    "transparent": "The swatch photo has transparent parts — use a photo that the material "
                   "fills from edge to edge.",
}
# The bundled swatches: name → (demo item, its kind), cut at run time by
# tryon.tools.material_eval.cut_swatch (96 × 96 px from the middle of the main region). The
# demo items are MIT/BSD (tryon/assets/demo/LICENSE-*). The black jeans are not among them:
# their swatch has almost no texture (the engine refuses it).
DEMO_SWATCHES: dict[str, tuple[str, str]] = {
    "Dark denim": ("bottoms/blue-jeans.jpg", "bottom"),
    "Light denim": ("tops/denim-jacket.jpg", "top"),
    "Bandana print": ("tops/bandana-shirt.jpg", "top"),
}
PARTS_LABELS = {"main": "Main colour only", "all": "Whole product"}
METHOD_LABELS = {"auto": "Automatic", "gan": "Colourway GAN", "lab": "Lab recolouring"}

# Session keys (st.session_state): what this page made and chose.
PRODUCT_CHOICE = "studio_product"  # "catalog:<item id>" or UPLOAD
SWATCH_CHOICE = "studio_swatch"  # "demo:<swatch name>" or UPLOAD
COLOURWAY = "studio_colourway"  # the last Made colourway
MATERIAL = "studio_material"  # the last Made material
DESIGN = "studio_design"  # the last Made design
TRY_ON = "studio_attempt"  # (label, Attempt) of the last try-on
# The try-on buttons: (label, the session key of the Made it puts on the photo).
TRY_BUTTONS = ((TRY_COLOURWAY, COLOURWAY), (TRY_MATERIAL, MATERIAL), (TRY_DESIGN, DESIGN))

STUDIO_CSS = """<style>
.st-key-studio-catalog, .st-key-studio-swatches { flex-wrap: nowrap !important;
  overflow-x: auto; padding-bottom: 0.4rem; }
.st-key-studio-catalog > div, .st-key-studio-swatches > div { flex-shrink: 0; }
.st-key-studio-catalog [data-testid="stImage"] img,
.st-key-studio-swatches [data-testid="stImage"] img { border-radius: 0.5rem; }
.st-key-studio-catalog button p, .st-key-studio-swatches button p { font-size: 0.8rem;
  line-height: 1.1; white-space: nowrap; }
[class*="st-key-colourway-"] img, [class*="st-key-material-"] img,
[class*="st-key-design-"] img { border-radius: 0.5rem; border: 1px solid #ddd; }
</style>"""


@dataclass(frozen=True)
class Made:
    """A colourway, a material or a design as the page shows it. On success: ``before`` and
    ``after``, (PREVIEW_SIDE, PREVIEW_SIDE, 3) uint8 RGB on white (the original or the
    drawing, and what was made); ``png``: the made product, RGBA PNG bytes (what the try-on
    takes); ``kind``: what it is tried on as (a :class:`~tryon.kinds.Kind` value or
    ``auto``); ``caption``: its figures in words; ``delta_e``: CIEDE2000 between the
    requested colour and the made region's median (for a material: between the swatch's and
    the region's mean colours; ≥ 0; NaN when no region was changed); ``name``: the
    download's file name. On failure ``message`` (a plain sentence), ``code`` and ``detail``
    (the engine's words, for "Show details")."""

    label: str
    png: bytes = b""
    before: np.ndarray | None = field(default=None, repr=False)
    after: np.ndarray | None = field(default=None, repr=False)
    kind: str = AUTO
    caption: str = ""
    delta_e: float = float("nan")
    name: str = "studio.png"
    message: str = ""
    code: str = ""
    detail: str = ""

    @property
    def ok(self) -> bool:
        return bool(self.png)


def on_white(rgb: np.ndarray, alpha: np.ndarray | None = None,
             side: int = PREVIEW_SIDE) -> np.ndarray:
    """``rgb`` ((H, W, 3) uint8) with ``alpha`` ((H, W) uint8 in [0, 255], or None: opaque)
    laid on white and fitted, centred, into a ``side`` × ``side`` square: (side, side, 3)
    uint8 RGB. The picture is only shrunk, never enlarged past ``side``."""
    picture = Image.fromarray(rgb if alpha is None else np.dstack([rgb, alpha]))
    picture = picture.convert("RGBA")
    picture.thumbnail((side, side), Image.Resampling.LANCZOS)
    square = Image.new("RGB", (side, side), (255, 255, 255))
    square.paste(picture, ((side - picture.width) // 2, (side - picture.height) // 2), picture)
    return np.asarray(square)


def _hex(colour: str) -> str:
    """``#rrggbb`` in lower case (for captions and file names)."""
    return "#{:02x}{:02x}{:02x}".format(*parse_colour(colour))


def colourway_caption(variant: Variant, colour: str) -> str:
    """The colourway's figures in a sentence: ΔE2000 to ``colour`` (``#rrggbb``), how the
    region was painted, the shading contrast kept and the region's share of the product."""
    figures = variant.figures
    method = ("the colourway GAN" if variant.method == "gan" else "Lab recolouring")
    if variant.method == "gan" and np.isfinite(variant.gan_correction):
        method += f" (the model alone was {variant.gan_correction:.1f} off)"
    if not np.isfinite(figures.delta_e):
        return f"No main colour region was found, so nothing was recoloured ({method})."
    return (f"ΔE2000 {figures.delta_e:.2f} between {_hex(colour)} and the recoloured region's "
            f"median colour (about 1 is the least difference an eye notices) · painted by "
            f"{method} · shading contrast kept {figures.contrast_kept:.2f}× · "
            f"{figures.main_share:.0%} of the product recoloured.")


def design_caption(design: Design, colour: str) -> str:
    """The design's figures in a sentence: ΔE2000 to ``colour`` after the runtime's Lab
    correction, the model's own ΔE2000, and the main region's share."""
    if not np.isfinite(design.delta_e):
        return "The design has no main colour region to measure."
    return (f"ΔE2000 {design.delta_e:.2f} between {_hex(colour)} and the design's main colour "
            f"(the model alone was {design.delta_e_model:.1f} off) · main colour on "
            f"{design.main_share:.0%} of the shoe.")


def material_caption(variant: MaterialVariant) -> str:
    """The material variant's figures in a sentence: ΔE2000 between the swatch's and the
    changed region's mean colours, the fine texture carried (output / swatch), how well the
    shading was kept (correlation) and the region's share of the product."""
    figures = variant.figures
    if not figures.main_share or not np.isfinite(figures.delta_e):
        return "No main colour region was found, so nothing was made of the material."
    shading = (f"shading correlation {figures.shading_corr:.2f} with the original (1 = its "
               f"folds and shadows kept)" if np.isfinite(figures.shading_corr)
               else "no shading to keep")
    return (f"ΔE2000 {figures.delta_e:.2f} between the swatch's and the new region's mean "
            f"colours · fine texture {figures.texture_ratio:.2f}× the swatch's (1 = carried "
            f"as it is) · {shading} · {figures.main_share:.0%} of the product made of the "
            f"material.")


def _failed(label: str, error: BaseException, picture: str,
            overrides: Mapping[ErrorCode, str] | None = None) -> Made:
    """A :class:`Made` that says, in one sentence, why ``label`` could not be made."""
    if isinstance(error, TryOnError):
        _LOG.info("studio refused: %s: %s", error.code.value, error.message)
        message = (overrides or {}).get(error.code) or shopper_message(error, picture)
        return Made(label, message=message, code=error.code.value, detail=error.message)
    _LOG.exception("studio failed", exc_info=error)  # never a traceback on the page
    return Made(label, message=GENERIC_MESSAGE, code="internal",
                detail="internal error (see the server log)")


def make_colourway(product: bytes, colour: str, parts: str = "main", method: str = "auto",
                   kind: str = AUTO) -> Made:
    """``product`` (encoded JPEG/PNG/WebP bytes) in ``colour`` (``#rrggbb``): the original
    and the variant on white, the variant's RGBA PNG and its figures; ``parts``, ``method``
    and ``kind`` as :func:`tryon.studio.make_variant` takes them. Never raises: a refused
    product (not a picture, not a product, ...) gives a :class:`Made` with its sentence."""
    label = f"Colourway {colour}"
    try:
        decoded = decode_image(product)
        variant = make_variant(decoded, colour, parts, kind, method=method)
        return Made(label, png=encode_png(variant.rgba), before=on_white(decoded.rgb,
                    decoded.alpha), after=on_white(variant.rgba[..., :3], variant.rgba[..., 3]),
                    kind=variant.kind or kind, caption=colourway_caption(variant, colour),
                    delta_e=variant.figures.delta_e,
                    name=f"colourway-{_hex(colour).lstrip('#')}.png")
    except Exception as error:  # the page shows a sentence, the log the rest
        return _failed(label, error, PRODUCT_PICTURE)


def make_material(product: bytes, swatch: bytes | np.ndarray, parts: str = "main",
                  kind: str = AUTO, name: str = "your swatch") -> Made:
    """``product`` (encoded JPEG/PNG/WebP bytes) made of the material of ``swatch`` (encoded
    bytes, or an (h, w, 3) uint8 RGB array such as a :func:`demo_swatches` one; ``name``
    names it in the label and the file name): the original and the material variant on
    white, its RGBA PNG and its figures; ``parts`` and ``kind`` as
    :func:`tryon.studio.make_material_variant` takes them (seed 0). Never raises: a refused
    swatch (not a picture, too small, almost no texture, transparent) or product gives a
    :class:`Made` with its sentence."""
    label = f"Material: {name}"
    try:
        decoded = decode_image(product)
        variant = make_material_variant(decoded, swatch, parts, kind)
        return Made(label, png=encode_png(variant.rgba), before=on_white(decoded.rgb,
                    decoded.alpha), after=on_white(variant.rgba[..., :3], variant.rgba[..., 3]),
                    kind=variant.kind or kind, caption=material_caption(variant),
                    delta_e=variant.figures.delta_e, name=f"material-{_slug(name)}.png")
    except Exception as error:  # the page shows a sentence, the log the rest
        if isinstance(error, TryOnError) and error.message.startswith("swatch:"):
            override = next((sentence for needle, sentence in SWATCH_MESSAGES.items()
                             if needle in error.message), None)
            overrides = {ErrorCode.BAD_ARGUMENT: override} if override else None
            return _failed(label, error, SWATCH_PICTURE, overrides)
        return _failed(label, error, PRODUCT_PICTURE)


@lru_cache(maxsize=1)
def demo_swatches() -> dict[str, np.ndarray]:
    """The bundled swatches (:data:`DEMO_SWATCHES`) by name, each a (96, 96, 3) uint8 RGB
    array cut from its demo item; cut once per process (about a second in all). A demo item
    that is missing or cannot be cut is left out (logged)."""
    swatches = {}
    for name, (photo, kind) in DEMO_SWATCHES.items():
        try:
            swatch, _ = cut_swatch(DEMO_ASSETS / photo, kind=kind)
        except Exception:  # a page without that swatch, not a broken page
            _LOG.exception("could not cut the %s swatch from %s", name, photo)
            continue
        swatch.setflags(write=False)  # shared by every session
        swatches[name] = swatch
    return swatches


def make_sketch_design(sketch: bytes, colour: str) -> Made:
    """A shoe from ``sketch`` (a line drawing, encoded bytes) in ``colour`` (``#rrggbb``):
    the drawing and the design on white, the design's RGBA PNG (tried on as shoes) and its
    figures. Never raises (as :func:`make_colourway`)."""
    label = f"Design {colour}"
    try:
        drawing = decode_image(sketch)
        design = make_design(drawing.rgb if drawing.alpha is None else
                             np.dstack([drawing.rgb, drawing.alpha]), parse_colour(colour))
        return Made(label, png=encode_png(design.rgba),
                    before=on_white(drawing.rgb, drawing.alpha),
                    after=on_white(design.rgba[..., :3], design.rgba[..., 3]),
                    kind=Kind.SHOES.value, caption=design_caption(design, colour),
                    delta_e=design.delta_e, name=f"design-{_hex(colour).lstrip('#')}.png")
    except Exception as error:  # as make_colourway
        return _failed(label, error, SKETCH_PICTURE, SKETCH_MESSAGES)


def demo_sketches(root: Path = DEMO_ASSETS) -> dict[str, Path]:
    """The bundled line drawings by stem ("sneaker": path), sorted by name."""
    return {path.stem: path for path in sorted((root / "sketches").glob("*"))
            if path.suffix.lower() in IMAGE_SUFFIXES}


def _words(stem: str) -> str:
    """A file stem as a label: "woman-studio" → "Woman studio"."""
    return stem.replace("-", " ").capitalize()


def _slug(name: str) -> str:
    """A name for a file name: "Bandana print" → "bandana-print"."""
    return "-".join("".join(c if c.isalnum() else " " for c in name.lower()).split()) or "swatch"


# --- the page ---------------------------------------------------------------------------------

def studio_page(state: Any, config: UiConfig) -> None:
    """Product → colourway, sketch → design, each next to its original, and either one on a
    photo in one tap (module doc)."""
    st.html(STUDIO_CSS)
    st.title(STUDIO_TITLE)
    st.caption("Make a product in another colour or material, or a shoe from a line drawing, "
               "and see it on a photo in one tap. Photos stay in this browser session and are "
               "never stored.")
    left, right = st.columns(2, gap="large")
    with left:
        product = _product_picker(state)
        _colourway_section(state, product)
    with right:
        _material_section(state, product)
        _design_section(state)
    st.divider()
    _try_on_section(state, config)


def _product_picker(state: Any) -> tuple[bytes, str] | None:
    """The product cards and the upload; returns (product bytes, kind) of the choice."""
    st.subheader("1 · Product")
    chosen = state.get(PRODUCT_CHOICE)
    with st.container(horizontal=True, key="studio-catalog", gap="small"):
        for item in demo_catalog():
            picked = chosen == f"catalog:{item.id}"
            with st.container(width=CARD_WIDTH, gap="xsmall"):
                st.image(thumbnail(item.path, THUMB_SIDE), width="stretch")
                st.button(("✓ " if picked else "") + item.name, key=f"studio-pick-{item.id}",
                          type="primary" if picked else "secondary", width="stretch",
                          on_click=_choose_product, args=(state, f"catalog:{item.id}"))
    upload = st.file_uploader("…or upload a product photo", type=PHOTO_TYPES,
                              key="studio-product", max_upload_size=MAX_UPLOAD_MB,
                              on_change=_choose_product, args=(state, UPLOAD))
    item = find_item((chosen or "").removeprefix("catalog:"))
    if upload is not None and (chosen == UPLOAD or item is None):
        st.caption("Your product photo is chosen.")
        return upload.getvalue(), AUTO
    if item is not None:
        return item.read(), item.kind
    st.info("Pick a product above, or upload a product photo.", icon=":material/info:")
    return None


def _choose_product(state: Any, choice: str) -> None:
    """A card or the upload was tapped: ``choice`` is "catalog:<item id>" or UPLOAD."""
    state[PRODUCT_CHOICE] = choice


def _colourway_section(state: Any, product: tuple[bytes, str] | None) -> None:
    st.subheader("2 · Colourway")
    with st.container(horizontal=True, gap="medium", vertical_alignment="bottom"):
        colour = st.color_picker("Colour", DEFAULT_COLOUR, key="studio-colour")
        parts = st.segmented_control("Parts", PARTS_CHOICES, default=PARTS_CHOICES[0],
                                     required=True, format_func=PARTS_LABELS.get,
                                     key="studio-parts")
        method = st.segmented_control("Method", METHOD_CHOICES, default=METHOD_CHOICES[0],
                                      required=True, format_func=METHOD_LABELS.get,
                                      key="studio-method",
                                      help="Automatic: the colourway GAN when its model is "
                                           "installed, else Lab recolouring.")
    if st.button(MAKE_COLOURWAY, key="make-colourway", type="primary",
                 icon=":material/palette:", disabled=product is None) and product is not None:
        with st.spinner("Making the colourway…", show_time=True):
            state[COLOURWAY] = make_colourway(product[0], colour, parts, method, product[1])
    _made_view(state.get(COLOURWAY), "colourway", "Original", "colourway")


def _material_section(state: Any, product: tuple[bytes, str] | None) -> None:
    st.subheader("3 · Material")
    swatch = _swatch_picker(state)
    parts = st.segmented_control("Parts", PARTS_CHOICES, default=PARTS_CHOICES[0],
                                 required=True, format_func=PARTS_LABELS.get,
                                 key="studio-material-parts")
    ready = product is not None and swatch is not None
    if st.button(MAKE_MATERIAL, key="make-material", type="primary", icon=":material/texture:",
                 disabled=not ready) and product is not None and swatch is not None:
        with st.spinner("Making the material…", show_time=True):
            state[MATERIAL] = make_material(product[0], swatch[0], parts, product[1],
                                            swatch[1])
    if product is None:
        st.caption("Pick a product in step 1 first.")
    _made_view(state.get(MATERIAL), "material", "Original", "material")


def _swatch_picker(state: Any) -> tuple[bytes | np.ndarray, str] | None:
    """The bundled swatch cards and the upload; returns (the swatch, its name) of the choice
    (the first bundled swatch until another is tapped)."""
    swatches = demo_swatches()
    default = f"demo:{next(iter(swatches))}" if swatches else UPLOAD
    chosen = state.get(SWATCH_CHOICE, default)
    with st.container(horizontal=True, key="studio-swatches", gap="small"):
        for name, swatch in swatches.items():
            picked = chosen == f"demo:{name}"
            with st.container(width=SWATCH_CARD_WIDTH, gap="xsmall"):
                st.image(swatch, width="stretch")
                st.button(("✓ " if picked else "") + name, key=f"studio-swatch-{_slug(name)}",
                          type="primary" if picked else "secondary", width="stretch",
                          on_click=_choose_swatch, args=(state, f"demo:{name}"))
    upload = st.file_uploader("…or upload a swatch photo (a close-up the material fills)",
                              type=PHOTO_TYPES, key="studio-swatch",
                              max_upload_size=MAX_UPLOAD_MB, on_change=_choose_swatch,
                              args=(state, UPLOAD))
    name = chosen.removeprefix("demo:")
    if upload is not None and (chosen == UPLOAD or name not in swatches):
        st.caption("Your swatch photo is chosen.")
        return upload.getvalue(), "your swatch"  # in memory only
    if name in swatches:
        return swatches[name], name
    st.info("Pick a swatch above, or upload a photo of a material.", icon=":material/info:")
    return None


def _choose_swatch(state: Any, choice: str) -> None:
    """A swatch card or the upload was tapped: ``choice`` is "demo:<name>" or UPLOAD."""
    state[SWATCH_CHOICE] = choice


def _design_section(state: Any) -> None:
    st.subheader("4 · Sketch → design")
    drawing = _picture_choice(
        "Sketch", demo_sketches(), DEFAULT_SKETCH, "studio-sketch-choice", "Upload a drawing",
        "A line drawing of a shoe (dark lines on light paper)", "studio-sketch")
    colour = st.color_picker("Colour", DEFAULT_COLOUR, key="studio-design-colour")
    if st.button(MAKE_DESIGN, key="make-design", type="primary", icon=":material/draw:",
                 disabled=drawing is None) and drawing is not None:
        with st.spinner("Making the design…", show_time=True):
            state[DESIGN] = make_sketch_design(drawing, colour)
    _made_view(state.get(DESIGN), "design", "Sketch", "design")


def _picture_choice(label: str, pictures: Mapping[str, Path], default: str, key: str,
                    upload_option: str, upload_label: str, upload_key: str,
                    upload_help: str | None = None) -> bytes | None:
    """A segmented control ``label`` (widget ``key``) of the bundled ``pictures`` (stem →
    path, ``default`` chosen first when among them) and ``upload_option`` last, which shows a
    file uploader (``upload_label``, widget ``upload_key``, ``upload_help``); returns the
    chosen picture's bytes (an upload's in memory only), or None until one is uploaded."""
    choice = st.segmented_control(
        label, [*pictures, UPLOAD], default=default if default in pictures else UPLOAD,
        required=True, key=key,
        format_func=lambda stem: upload_option if stem == UPLOAD else _words(stem))
    if choice != UPLOAD:
        return pictures[choice].read_bytes()
    upload = st.file_uploader(upload_label, type=PHOTO_TYPES, key=upload_key,
                              max_upload_size=MAX_UPLOAD_MB, help=upload_help)
    return upload.getvalue() if upload is not None else None  # in memory only


def _made_view(made: Made | None, key: str, before: str, noun: str) -> None:
    """The original and what was made, side by side, their figures and the PNG download;
    or the sentence saying why it could not be made (container ``<key>-problem``)."""
    if made is None:
        return
    if not made.ok:
        with st.container(key=f"{key}-problem"):
            st.error(made.message, icon=":material/error:")
            with st.expander("Show details"):
                st.markdown(f"Error code: `{made.code}`")
                st.caption(made.detail)
        return
    first, second = st.columns(2, gap="small")
    with first.container(key=f"{key}-original"):
        st.image(made.before, caption=before, width="stretch")
    with second.container(key=f"{key}-made"):
        st.image(made.after, caption=made.label, width="stretch")
    st.caption(made.caption)
    st.download_button(f"Download {noun} (PNG)", data=made.png, file_name=made.name,
                       mime="image/png", on_click="ignore", key=f"download-{key}",
                       icon=":material/download:",
                       help="RGBA PNG with the product's transparency: `tryon run --item` "
                            "takes it.")


def _try_on_section(state: Any, config: UiConfig) -> None:
    st.subheader("5 · Try it on")
    photo = _picture_choice(
        "Photo", {path.stem: path for path in demo_people()}, DEFAULT_PERSON,
        "studio-person-choice", "Upload a photo", "Drag and drop a photo of yourself",
        "studio-photo",
        upload_help="JPEG, PNG or WebP. For shoes, use a full-body photo with your feet in it.")
    made = {label: state.get(key) for label, key in TRY_BUTTONS}
    tapped = None
    with st.container(horizontal=True, gap="small"):
        for label, piece in made.items():
            usable = photo is not None and piece is not None and piece.ok
            if st.button(label, key=label.lower().replace(" ", "-"), type="primary",
                         icon=":material/checkroom:", disabled=not usable):
                tapped = piece
    if photo is None:
        st.info("Add a photo above, or pick one of the demo photos.", icon=":material/info:")
    elif not any(piece is not None and piece.ok for piece in made.values()):
        st.info("Make a colourway, a material or a design first, then try it on here in "
                "one tap.", icon=":material/info:")
    if tapped is not None and photo is not None:
        runners = engines(config)
        text = ("Someone else is trying something on — you are next…"
                 if runners.try_ons.idle == 0 else "Putting it on…")
        with st.spinner(text, show_time=True):
            state[TRY_ON] = (tapped.label, try_on(runners.try_ons, photo, tapped.png,
                                                  tapped.kind))
    _try_on_view(state.get(TRY_ON))


def _try_on_view(outcome: tuple[str, Attempt] | None) -> None:
    """The last try-on: before/after comparison and a download, or the sentence."""
    if outcome is None:
        return
    label, attempt = outcome
    if not attempt.ok:
        failure(attempt)
        return
    result_view(attempt, max_height=RESULT_HEIGHT)
    st.markdown(f"**{label}** on the photo — slide or tap the picture to compare.")
    st.download_button("Download try-on (PNG)", data=attempt.png, file_name="try-on.png",
                       mime="image/png", on_click="ignore", key="download-try-on",
                       icon=":material/download:",
                       help="The picture as a PNG, without any photo metadata.")
