"""Decode JPEG/PNG/WebP bytes into RGB (+ alpha) arrays, safely.

Limits are checked from the header before any pixel is decoded, so a hostile file claiming
60000×60000 pixels costs nothing. EXIF orientation is applied; greyscale, palette, CMYK and
16-bit images are converted to 8-bit RGB; an alpha channel is kept separately.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from tryon.errors import ErrorCode, TryOnError

__all__ = ["DecodeLimits", "DecodedImage", "decode_image", "read_image_bytes"]

ALLOWED_FORMATS = frozenset({"JPEG", "PNG", "WEBP", "MPO"})


@dataclass(frozen=True)
class DecodeLimits:
    """Bounds on what :func:`decode_image` accepts.

    ``max_bytes`` bounds the encoded file, ``max_pixels`` the decoded width × height, and
    ``min_side`` the shorter side in pixels.
    """

    max_bytes: int = 40 * 1024 * 1024
    max_pixels: int = 50_000_000
    min_side: int = 64


@dataclass(frozen=True)
class DecodedImage:
    """A decoded image in display orientation.

    ``rgb``: (H, W, 3) uint8, RGB order. ``alpha``: (H, W) uint8 in [0, 255] or ``None`` when
    the file has no transparency. ``source_format``: the container format ("JPEG", "PNG", ...).
    """

    rgb: np.ndarray
    alpha: np.ndarray | None
    source_format: str

    @property
    def height(self) -> int:
        return int(self.rgb.shape[0])

    @property
    def width(self) -> int:
        return int(self.rgb.shape[1])


def read_image_bytes(path: str | Path, limits: DecodeLimits = DecodeLimits()) -> bytes:
    """Read a file's bytes, refusing missing, non-regular or oversized files before reading."""
    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError:
        raise TryOnError(ErrorCode.BAD_IMAGE, f"cannot read {path}: no such file") from None
    if not path.is_file():
        raise TryOnError(ErrorCode.BAD_IMAGE, f"{path} is not a regular file")
    if size > limits.max_bytes:
        raise TryOnError(
            ErrorCode.IMAGE_TOO_LARGE,
            f"{path.name} is {size / 2**20:.1f} MiB; "
            f"the limit is {limits.max_bytes / 2**20:.0f} MiB",
        )
    try:
        return path.read_bytes()
    except OSError as exc:
        raise TryOnError(ErrorCode.BAD_IMAGE, f"cannot read {path}: {exc.strerror}") from None


def decode_image(
    source: bytes | str | Path, limits: DecodeLimits = DecodeLimits()
) -> DecodedImage:
    """Decode ``source`` (encoded bytes or a file path) into a :class:`DecodedImage`.

    Raises :class:`TryOnError` with ``bad_image`` (empty, not an image, truncated, unsupported
    format), ``image_too_large`` (bytes or pixels over ``limits``) or ``image_too_small``.
    """
    data = source if isinstance(source, bytes) else read_image_bytes(source, limits)
    if not data:
        raise TryOnError(ErrorCode.BAD_IMAGE, "the file is empty")
    if len(data) > limits.max_bytes:
        raise TryOnError(ErrorCode.IMAGE_TOO_LARGE, "the file is larger than the byte limit")
    image = _open_checked(data, limits)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image.load()
            image = ImageOps.exif_transpose(image)
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombWarning) as exc:
        raise TryOnError(ErrorCode.BAD_IMAGE, f"the image data is damaged ({exc})") from None
    rgb, alpha = _to_rgb_alpha(image)
    return DecodedImage(rgb=rgb, alpha=alpha, source_format=str(image.format or _fmt(data)))


def _fmt(data: bytes) -> str:
    return "PNG" if data[:8] == b"\x89PNG\r\n\x1a\n" else "JPEG" if data[:2] == b"\xff\xd8" else ""


def _open_checked(data: bytes, limits: DecodeLimits) -> Image.Image:
    """Parse the header only and enforce format and size limits."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise TryOnError(ErrorCode.IMAGE_TOO_LARGE, "the image has too many pixels") from None
    except UnidentifiedImageError:
        raise TryOnError(
            ErrorCode.BAD_IMAGE, "not a recognised image (expected JPEG, PNG or WebP)"
        ) from None
    except (OSError, SyntaxError, ValueError) as exc:
        raise TryOnError(ErrorCode.BAD_IMAGE, f"cannot parse the image header ({exc})") from None
    if image.format not in ALLOWED_FORMATS:
        raise TryOnError(
            ErrorCode.BAD_IMAGE, f"unsupported format {image.format}; use JPEG, PNG or WebP"
        )
    width, height = image.size
    if width * height > limits.max_pixels:
        raise TryOnError(
            ErrorCode.IMAGE_TOO_LARGE,
            f"the image is {width}×{height} pixels; the limit is {limits.max_pixels / 1e6:.0f} MP",
        )
    if min(width, height) < limits.min_side:
        raise TryOnError(
            ErrorCode.IMAGE_TOO_SMALL,
            f"the image is {width}×{height} pixels; each side needs at least {limits.min_side}",
        )
    return image


def _to_rgb_alpha(image: Image.Image) -> tuple[np.ndarray, np.ndarray | None]:
    """Convert any Pillow mode to (H, W, 3) uint8 RGB and an optional (H, W) uint8 alpha."""
    mode = image.mode
    if mode in ("I;16", "I;16B", "I;16L", "I;16N", "I"):
        grey = np.asarray(image, dtype=np.float64)
        scale = 65535.0 if grey.max(initial=0) > 255 or mode.startswith("I;16") else 255.0
        grey8 = np.clip(grey / scale * 255.0 + 0.5, 0, 255).astype(np.uint8)
        return np.repeat(grey8[:, :, None], 3, axis=2), None
    if mode == "F":
        grey = np.asarray(image, dtype=np.float64)
        grey8 = np.clip(grey * (255.0 if grey.max(initial=0) <= 1.0 else 1.0), 0, 255)
        return np.repeat(grey8.astype(np.uint8)[:, :, None], 3, axis=2), None
    has_alpha = mode in ("RGBA", "LA", "PA", "La", "RGBa") or "transparency" in image.info
    if has_alpha:
        rgba = np.asarray(image.convert("RGBA"), dtype=np.uint8)
        alpha = np.ascontiguousarray(rgba[:, :, 3])
        if alpha.min() == 255:
            alpha = None
        return np.ascontiguousarray(rgba[:, :, :3]), alpha
    return np.ascontiguousarray(np.asarray(image.convert("RGB"), dtype=np.uint8)), None
