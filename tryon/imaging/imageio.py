"""Writing result images: PNG only, no metadata (no EXIF/GPS from the input survives); and
:func:`save_sheet`, the contact sheet the docs' grid scripts (``scripts/*_grid.py``) write."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
from PIL import Image

from tryon.errors import ErrorCode, TryOnError

__all__ = ["save_png", "save_sheet", "encode_png"]


def _to_pil(picture: np.ndarray) -> Image.Image:
    """(H, W) uint8 grey, (H, W, 3) RGB or (H, W, 4) RGBA uint8 as a Pillow image."""
    if picture.dtype != np.uint8 or picture.ndim not in (2, 3):
        raise ValueError(f"expected uint8 (H, W[, C]) picture, got {picture.shape} {picture.dtype}")
    return Image.fromarray(np.ascontiguousarray(picture))


def encode_png(picture: np.ndarray) -> bytes:
    """PNG bytes of a uint8 picture."""
    import io

    buffer = io.BytesIO()
    _to_pil(picture).save(buffer, format="PNG", compress_level=3)
    return buffer.getvalue()


def save_png(path: Path, picture: np.ndarray) -> None:
    """Write a uint8 picture as PNG to ``path``; ``bad_argument`` if it cannot be written."""
    try:
        path.write_bytes(encode_png(picture))
    except OSError as exc:
        raise TryOnError(ErrorCode.BAD_ARGUMENT, f"cannot write {path}: {exc.strerror}") from None


def save_sheet(rows: Sequence[Sequence[Image.Image]], tile: int, out: str | Path,
               optimize: bool = True) -> None:
    """Paste ``rows`` of ``tile`` × ``tile`` pictures, row by row, into one RGB sheet on white
    (as wide as the first row) and save it to ``out`` (the format from its suffix; Pillow's
    ``optimize``)."""
    sheet = Image.new("RGB", (tile * len(rows[0]), tile * len(rows)), "white")
    for r, tiles in enumerate(rows):
        for c, picture in enumerate(tiles):
            sheet.paste(picture, (c * tile, r * tile))
    sheet.save(out, optimize=optimize)
