"""Decode photos — encoded bytes, files, numpy arrays, PIL images — into RGB (+ alpha) arrays,
safely.

Limits are checked from the header before any pixel is decoded, so a hostile file claiming
60000×60000 pixels costs nothing; arrays and PIL images pass the same pixel and side limits.
EXIF orientation is applied; greyscale, palette, CMYK and 16-bit images are converted to
8-bit RGB; an alpha channel is kept separately. Python warnings raised by Pillow while it
parses a file (a damaged EXIF block, a malformed MPO) never reach stderr: they are recorded
and returned as plain sentences in :attr:`DecodedImage.warnings`.
"""

from __future__ import annotations

import io
import os
import threading
import warnings
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, UnidentifiedImageError

from tryon.errors import ErrorCode, TryOnError

__all__ = ["ACCEPTED_INPUTS", "DecodeLimits", "DecodedImage", "ImageInput", "check_decoded",
           "decode_image", "read_image_bytes"]

ALLOWED_FORMATS = frozenset({"JPEG", "PNG", "WEBP", "MPO"})
# The only parsers Pillow may run on a file: others (TIFF, GIF, ...) never see its bytes, so
# their bugs and log lines (TIFF logs "More samples per pixel ..." on stderr) cannot reach us.
# A multi-picture JPEG (MPO) is recognised by the JPEG parser.
OPEN_FORMATS = ("JPEG", "PNG", "WEBP")
ImageInput = bytes | bytearray | memoryview | str | os.PathLike | np.ndarray | Image.Image
ACCEPTED_INPUTS = ("a file path, image bytes, a numpy (H, W, 3) uint8 RGB array "
                   "((H, W, 4) RGBA and (H, W) grey too) or a PIL image")
EXIF_ORIENTATION = 0x0112
ORIENTATIONS = {2: Image.Transpose.FLIP_LEFT_RIGHT, 3: Image.Transpose.ROTATE_180,
                4: Image.Transpose.FLIP_TOP_BOTTOM, 5: Image.Transpose.TRANSPOSE,
                6: Image.Transpose.ROTATE_270, 7: Image.Transpose.TRANSVERSE,
                8: Image.Transpose.ROTATE_90}
MAX_WARNING_CHARS = 160
# Pillow's EXIF parser lives in its TIFF plugin: its warnings are about the EXIF block.
_EXIF_PARSER = "TiffImagePlugin"
# catch_warnings swaps process-wide state: two threads inside it at once could leave a
# recorder installed for good. Only the short parsing steps hold this lock, and load() of a
# PNG (Pillow parses the chunks after its pixel data there, e.g. a bad APNG acTL warns).
_WARNINGS_LOCK = threading.Lock()


@dataclass(frozen=True)
class DecodeLimits:
    """Bounds on what :func:`decode_image` accepts.

    ``max_bytes`` bounds the encoded file, ``max_pixels`` the decoded width × height, and
    ``min_side`` the shorter side in pixels; each a positive int (else ``bad_argument``).
    """

    max_bytes: int = 40 * 1024 * 1024
    max_pixels: int = 50_000_000
    min_side: int = 64

    def __post_init__(self) -> None:
        for name in ("max_bytes", "max_pixels", "min_side"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise TryOnError(ErrorCode.BAD_ARGUMENT,
                                 f"DecodeLimits.{name} must be a positive int, got {value!r}")


@dataclass(frozen=True)
class DecodedImage:
    """A decoded image in display orientation.

    ``rgb``: (H, W, 3) uint8, RGB order. ``alpha``: (H, W) uint8 in [0, 255] or ``None`` when
    the file has no transparency. ``source_format``: the container format ("JPEG", "PNG",
    ...; "array" for a numpy array, the PIL image's format or "PIL"). ``warnings``: plain
    sentences about problems that did not stop decoding (e.g. a damaged EXIF block).
    """

    rgb: np.ndarray
    alpha: np.ndarray | None
    source_format: str
    warnings: tuple[str, ...] = ()

    @property
    def height(self) -> int:
        return int(self.rgb.shape[0])

    @property
    def width(self) -> int:
        return int(self.rgb.shape[1])


def read_image_bytes(path: str | os.PathLike, limits: DecodeLimits = DecodeLimits()) -> bytes:
    """Read a file's bytes, refusing missing, non-regular or oversized files before reading."""
    try:
        path = Path(os.fsdecode(os.fspath(path)))
    except Exception as exc:  # a path-like object whose __fspath__ fails or returns a non-path
        raise TryOnError(ErrorCode.BAD_ARGUMENT,
                         f"the path object gives no path ({type(exc).__name__})") from exc
    shown = _printable(path)  # a newline in a file name must not split the one-line error
    try:
        size = path.stat().st_size
    except (OSError, ValueError):  # ValueError: a NUL byte in the path
        raise TryOnError(ErrorCode.BAD_IMAGE, f"cannot read {shown}: no such file") from None
    if not path.is_file():
        raise TryOnError(ErrorCode.BAD_IMAGE, f"{shown} is not a regular file")
    if size > limits.max_bytes:
        raise TryOnError(
            ErrorCode.IMAGE_TOO_LARGE,
            f"{_printable(path.name)} is {size / 2**20:.1f} MiB; "
            f"the limit is {limits.max_bytes / 2**20:.0f} MiB",
        )
    try:
        return path.read_bytes()
    except OSError as exc:
        raise TryOnError(ErrorCode.BAD_IMAGE, f"cannot read {shown}: {exc.strerror}") from None


def _printable(text: object) -> str:
    """``str(text)`` on one line: characters that are not printable (newlines and other
    control characters, lone surrogates from undecodable file names) escaped as in a Python
    string literal; everything else as it is."""
    return "".join(char if char.isprintable() else ascii(char)[1:-1] for char in str(text))


def decode_image(source: ImageInput, limits: DecodeLimits = DecodeLimits()) -> DecodedImage:
    """Decode ``source`` into a :class:`DecodedImage`.

    ``source``: encoded bytes (``bytes``, ``bytearray``, ``memoryview``), a file path
    (``str`` or ``os.PathLike``), a numpy uint8 array — (H, W, 3) RGB, (H, W, 4) RGBA or
    (H, W) grey, copied — or a ``PIL.Image.Image`` (EXIF orientation applied, like a file).
    Raises :class:`TryOnError` with ``bad_image`` (empty, not an image, truncated,
    unsupported format), ``image_too_large`` (bytes or pixels over ``limits``),
    ``image_too_small``, or ``bad_argument`` for anything else (``None``, a number, a float
    array, ...).
    """
    if isinstance(source, np.ndarray):
        return _from_array(source, limits)
    if isinstance(source, Image.Image):
        return _from_pil(source, limits)
    if isinstance(source, (bytes, bytearray, memoryview)):
        data = _as_bytes(source, limits)
    elif isinstance(source, (str, os.PathLike)):
        data = read_image_bytes(source, limits)
    else:
        raise TryOnError(ErrorCode.BAD_ARGUMENT,
                         f"expected {ACCEPTED_INPUTS}; got {_printable(type(source).__name__)}")
    if not data:
        raise TryOnError(ErrorCode.BAD_IMAGE, "the file is empty")
    if len(data) > limits.max_bytes:
        raise TryOnError(ErrorCode.IMAGE_TOO_LARGE, "the file is larger than the byte limit")
    notes: list[str] = []
    with _recorded_warnings(notes):
        image = _open_checked(data, limits)
    try:
        with _recorded_warnings(notes) if image.format == "PNG" else nullcontext():
            image.load()
    except (OSError, SyntaxError, ValueError) as exc:
        raise TryOnError(ErrorCode.BAD_IMAGE,
                         f"the image data is damaged ({_printable(exc)})") from None
    source_format = str(image.format or _fmt(data))
    image = _upright(image, notes)
    rgb, alpha = _to_rgb_alpha(image)
    return DecodedImage(rgb=rgb, alpha=alpha, source_format=source_format,
                        warnings=tuple(dict.fromkeys(notes)))


def _as_bytes(source: bytes | bytearray | memoryview, limits: DecodeLimits) -> bytes:
    """The bytes of a bytes-like ``source`` (checked against ``max_bytes`` before copying)."""
    if isinstance(source, bytes):
        return source
    try:
        view = memoryview(source)
    except ValueError:  # a released memoryview
        raise TryOnError(ErrorCode.BAD_ARGUMENT, "the memoryview is released") from None
    if view.nbytes > limits.max_bytes:
        raise TryOnError(ErrorCode.IMAGE_TOO_LARGE, "the file is larger than the byte limit")
    return view.tobytes()


def _fmt(data: bytes) -> str:
    return "PNG" if data[:8] == b"\x89PNG\r\n\x1a\n" else "JPEG" if data[:2] == b"\xff\xd8" else ""


@contextmanager
def _recorded_warnings(notes: list[str]) -> Iterator[None]:
    """Record every Python warning raised inside (none reaches stderr) and append Pillow's as
    plain sentences to ``notes``; a ``DecompressionBombWarning`` is raised as an error."""
    with _WARNINGS_LOCK, warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            yield
        finally:
            notes.extend(_note(w) for w in caught if _from_pillow(w))


def _from_pillow(warning: warnings.WarningMessage) -> bool:
    """Whether ``warning`` is one of Pillow's own notes about the file (a UserWarning raised
    inside the PIL package); others (deprecations, other libraries) are dropped."""
    return (issubclass(warning.category, UserWarning)
            and f"{os.sep}PIL{os.sep}" in str(warning.filename))


def _note(warning: warnings.WarningMessage) -> str:
    """One plain sentence for a Pillow warning: EXIF-parser warnings say what was ignored."""
    text = " ".join(str(warning.message).split())[:MAX_WARNING_CHARS]
    if _EXIF_PARSER in str(warning.filename):
        return f"the EXIF metadata is damaged; its unreadable part was ignored ({text})"
    return text


def _upright(image: Image.Image, notes: list[str]) -> Image.Image:
    """``image`` turned as its EXIF orientation says (a damaged or unreadable EXIF block
    counts as upright, with a note); never a copy when nothing turns."""
    try:
        with _recorded_warnings(notes):
            orientation = image.getexif().get(EXIF_ORIENTATION, 1)
    except Exception as exc:  # Pillow's EXIF parser raises many exception types
        notes.append(f"the EXIF metadata is unreadable and was ignored ({type(exc).__name__})")
        return image
    method = ORIENTATIONS.get(orientation) if isinstance(orientation, int) else None
    return image if method is None else image.transpose(method)


def _open_checked(data: bytes, limits: DecodeLimits) -> Image.Image:
    """Parse the header only and enforce format and size limits."""
    try:
        image = Image.open(io.BytesIO(data), formats=OPEN_FORMATS)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise TryOnError(ErrorCode.IMAGE_TOO_LARGE, "the image has too many pixels") from None
    except UnidentifiedImageError:
        raise TryOnError(
            ErrorCode.BAD_IMAGE, "not a recognised image (expected JPEG, PNG or WebP)"
        ) from None
    except (OSError, SyntaxError, ValueError) as exc:
        raise TryOnError(ErrorCode.BAD_IMAGE,
                         f"cannot parse the image header ({_printable(exc)})") from None
    if image.format not in ALLOWED_FORMATS:
        raise TryOnError(
            ErrorCode.BAD_IMAGE, f"unsupported format {image.format}; use JPEG, PNG or WebP"
        )
    _check_size(*image.size, limits)
    return image


def check_decoded(image: DecodedImage, limits: DecodeLimits = DecodeLimits()) -> None:
    """Refuse a :class:`DecodedImage` made by hand that :func:`decode_image` would not give:
    ``bad_argument`` unless ``rgb`` is a uint8 (H, W, 3) array, ``alpha`` None or a uint8
    (H, W) array and ``warnings`` a tuple of strings; ``image_too_large`` /
    ``image_too_small`` outside ``limits``."""
    rgb, alpha = image.rgb, image.alpha
    rgb_ok = (isinstance(rgb, np.ndarray) and rgb.dtype == np.uint8 and rgb.ndim == 3
              and rgb.shape[2] == 3)
    alpha_ok = alpha is None or (isinstance(alpha, np.ndarray) and alpha.dtype == np.uint8
                                 and rgb_ok and alpha.shape == rgb.shape[:2])
    notes_ok = isinstance(image.warnings, tuple) and all(
        isinstance(note, str) for note in image.warnings)
    if not (rgb_ok and alpha_ok and notes_ok):
        raise TryOnError(ErrorCode.BAD_ARGUMENT, "a DecodedImage needs rgb: a uint8 (H, W, 3) "
                         "array, alpha: None or a uint8 (H, W) array, warnings: a tuple of str")
    _check_size(rgb.shape[1], rgb.shape[0], limits)


def _check_size(width: int, height: int, limits: DecodeLimits) -> None:
    """``image_too_large`` / ``image_too_small`` for a ``width`` × ``height`` picture."""
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


def _from_array(array: np.ndarray, limits: DecodeLimits) -> DecodedImage:
    """A copy of a uint8 (H, W, 3) RGB, (H, W, 4) RGBA or (H, W) / (H, W, 1) grey array, after
    the pixel and side limits; ``bad_argument`` for other dtypes and shapes."""
    array = np.asarray(array)  # a subclass (np.matrix, a masked array) as a plain array
    shape = tuple(array.shape)
    channels = 1 if array.ndim == 2 else shape[2] if array.ndim == 3 else 0
    if array.dtype != np.uint8 or channels not in (1, 3, 4):
        hint = ("; convert it with np.clip(a * 255, 0, 255).astype(np.uint8) for values in "
                "[0, 1]" if array.dtype.kind == "f" else "")
        raise TryOnError(ErrorCode.BAD_ARGUMENT, f"expected a uint8 array of shape (H, W, 3) "
                         f"RGB, (H, W, 4) RGBA or (H, W) grey; got {array.dtype} {shape}{hint}")
    _check_size(shape[1], shape[0], limits)
    if channels == 1:
        grey = array.reshape(shape[:2])
        return DecodedImage(rgb=np.repeat(grey[:, :, None], 3, axis=2), alpha=None,
                            source_format="array")
    rgb = np.array(array[:, :, :3], dtype=np.uint8, order="C", copy=True)
    alpha = np.array(array[:, :, 3], order="C", copy=True) if channels == 4 else None
    if alpha is not None and alpha.min() == 255:
        alpha = None
    return DecodedImage(rgb=rgb, alpha=alpha, source_format="array")


def _from_pil(image: Image.Image, limits: DecodeLimits) -> DecodedImage:
    """A PIL image (any mode) as a :class:`DecodedImage`: the limits checked on its size
    before it is loaded, its EXIF orientation applied, warnings recorded."""
    _check_size(*image.size, limits)
    notes: list[str] = []
    try:
        with _recorded_warnings(notes):
            image.load()
        rgb, alpha = _to_rgb_alpha(_upright(image, notes))
    except (OSError, SyntaxError, ValueError) as exc:
        raise TryOnError(ErrorCode.BAD_IMAGE,
                         f"the PIL image cannot be read ({_printable(exc)})") from None
    return DecodedImage(rgb=rgb, alpha=alpha, source_format=str(image.format or "PIL"),
                        warnings=tuple(dict.fromkeys(notes)))


def _to_rgb_alpha(image: Image.Image) -> tuple[np.ndarray, np.ndarray | None]:
    """Convert any Pillow mode to (H, W, 3) uint8 RGB and an optional (H, W) uint8 alpha."""
    mode = image.mode
    if mode in ("I;16", "I;16B", "I;16L", "I;16N", "I"):
        grey = np.asarray(image, dtype=np.float64)
        scale = 65535.0 if grey.max(initial=0) > 255 or mode.startswith("I;16") else 255.0
        grey8 = np.clip(grey / scale * 255.0 + 0.5, 0, 255).astype(np.uint8)
        return np.repeat(grey8[:, :, None], 3, axis=2), None
    if mode == "F":
        # NaN is black, ±inf the ends of the range (no overflow, no cast warning).
        grey = np.nan_to_num(np.asarray(image, dtype=np.float64), nan=0.0, posinf=255.0,
                             neginf=0.0)
        grey8 = np.clip(grey * (255.0 if grey.max(initial=0) <= 1.0 else 1.0), 0, 255)
        return np.repeat(grey8.astype(np.uint8)[:, :, None], 3, axis=2), None
    has_alpha = mode in ("RGBA", "LA", "PA", "La", "RGBa") or "transparency" in image.info
    if has_alpha:
        rgba = np.asarray(image.convert("RGBA"), dtype=np.uint8)
        alpha = np.ascontiguousarray(rgba[:, :, 3])
        if alpha.min() == 255:
            alpha = None
        return np.ascontiguousarray(rgba[:, :, :3]), alpha
    rgb = image if mode == "RGB" else image.convert("RGB")
    return np.ascontiguousarray(np.asarray(rgb, dtype=np.uint8)), None
