"""decode: formats, orientation, modes, limits and every bad-input error code."""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from tryon.errors import ErrorCode, TryOnError
from tryon.imaging.decode import DecodeLimits, decode_image


def _encode(image: Image.Image, fmt: str, **kwargs: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format=fmt, **kwargs)
    return buffer.getvalue()


def _gradient(width: int = 120, height: int = 80) -> Image.Image:
    x = np.linspace(0, 255, width, dtype=np.float64)[None, :].repeat(height, 0)
    y = np.linspace(0, 255, height, dtype=np.float64)[:, None].repeat(width, 1)
    return Image.fromarray(np.dstack([x, y, 255 - x]).astype(np.uint8))


def _code(source: object, limits: DecodeLimits = DecodeLimits()) -> ErrorCode:
    with pytest.raises(TryOnError) as info:
        decode_image(source, limits)  # type: ignore[arg-type]
    return info.value.code


class TestFormats:
    @pytest.mark.parametrize("fmt", ["PNG", "JPEG", "WEBP"])
    def test_rgb_round_trip(self, fmt: str) -> None:
        image = _gradient()
        decoded = decode_image(_encode(image, fmt, quality=95) if fmt != "PNG"
                               else _encode(image, fmt))
        assert decoded.rgb.shape == (80, 120, 3) and decoded.rgb.dtype == np.uint8
        assert decoded.alpha is None
        assert np.abs(decoded.rgb.astype(int) - np.asarray(image, int)).mean() < 4

    def test_png_alpha_is_kept(self) -> None:
        rgba = np.zeros((80, 100, 4), np.uint8)
        rgba[..., 0] = 200
        rgba[20:60, 30:70, 3] = 255
        decoded = decode_image(_encode(Image.fromarray(rgba), "PNG"))
        assert decoded.alpha is not None
        assert np.array_equal(decoded.alpha, rgba[..., 3])

    def test_opaque_alpha_is_dropped(self) -> None:
        rgba = np.full((80, 100, 4), 255, np.uint8)
        assert decode_image(_encode(Image.fromarray(rgba), "PNG")).alpha is None

    def test_exif_orientation_is_applied(self) -> None:
        image = _gradient(120, 80)
        exif = Image.Exif()
        exif[0x0112] = 6  # rotate 90° clockwise for display
        decoded = decode_image(_encode(image, "JPEG", exif=exif, quality=95))
        assert decoded.rgb.shape == (120, 80, 3)
        expected = np.asarray(image.transpose(Image.Transpose.ROTATE_270), int)
        assert np.abs(decoded.rgb.astype(int) - expected).mean() < 4

    def test_greyscale_becomes_rgb(self) -> None:
        grey = Image.fromarray(np.tile(np.arange(100, dtype=np.uint8), (70, 1)))
        decoded = decode_image(_encode(grey, "PNG"))
        assert decoded.rgb.shape == (70, 100, 3)
        assert np.array_equal(decoded.rgb[..., 0], decoded.rgb[..., 2])

    def test_cmyk_jpeg_becomes_rgb(self) -> None:
        cmyk = _gradient().convert("CMYK")
        decoded = decode_image(_encode(cmyk, "JPEG", quality=95))
        assert decoded.rgb.shape == (80, 120, 3)
        assert np.abs(decoded.rgb.astype(int) - np.asarray(_gradient(), int)).mean() < 12

    def test_16_bit_greyscale_is_scaled_not_clipped(self) -> None:
        values = np.tile(np.linspace(0, 65535, 100).astype(np.uint16), (70, 1))
        image = Image.fromarray(values)
        decoded = decode_image(_encode(image, "PNG"))
        assert decoded.rgb.dtype == np.uint8
        assert decoded.rgb[0, 0, 0] == 0 and decoded.rgb[0, -1, 0] == 255
        assert 110 < decoded.rgb[0, 50, 0] < 145

    def test_palette_with_transparency(self) -> None:
        image = _gradient().convert("P")
        image.info["transparency"] = 0
        decoded = decode_image(_encode(image, "PNG", transparency=0))
        assert decoded.rgb.shape == (80, 120, 3)

    def test_reads_a_path(self, tmp_path: Path) -> None:
        path = tmp_path / "photo.png"
        path.write_bytes(_encode(_gradient(), "PNG"))
        assert decode_image(path).rgb.shape == (80, 120, 3)
        assert decode_image(str(path)).width == 120


def _chunk(kind: bytes, body: bytes) -> bytes:
    return (struct.pack(">I", len(body)) + kind + body
            + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF))


def _png_header(width: int, height: int) -> bytes:
    """A small, well-formed PNG whose IHDR claims ``width`` × ``height`` (a few bytes of
    compressed data follow; decoding them all would need gigabytes)."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 4096)
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", ihdr) + _chunk(b"IDAT", idat)
            + _chunk(b"IEND", b""))


class TestBadInput:
    def test_empty(self) -> None:
        assert _code(b"") is ErrorCode.BAD_IMAGE

    def test_text_file(self, tmp_path: Path) -> None:
        path = tmp_path / "notes.jpg"
        path.write_text("this is not a picture\n")
        assert _code(path) is ErrorCode.BAD_IMAGE

    def test_missing_file(self, tmp_path: Path) -> None:
        assert _code(tmp_path / "nope.jpg") is ErrorCode.BAD_IMAGE

    def test_directory(self, tmp_path: Path) -> None:
        assert _code(tmp_path) is ErrorCode.BAD_IMAGE

    def test_truncated_jpeg(self) -> None:
        data = _encode(_gradient(400, 300), "JPEG", quality=95)
        assert _code(data[: len(data) // 2]) is ErrorCode.BAD_IMAGE

    def test_header_claiming_60000_square_is_refused_before_decoding(self) -> None:
        assert _code(_png_header(60000, 60000)) is ErrorCode.IMAGE_TOO_LARGE

    def test_over_pixel_limit(self) -> None:
        data = _encode(_gradient(300, 200), "PNG")
        assert _code(data, DecodeLimits(max_pixels=300 * 200 - 1)) is ErrorCode.IMAGE_TOO_LARGE

    def test_over_byte_limit(self, tmp_path: Path) -> None:
        path = tmp_path / "big.png"
        path.write_bytes(_encode(_gradient(300, 200), "PNG"))
        assert _code(path, DecodeLimits(max_bytes=100)) is ErrorCode.IMAGE_TOO_LARGE

    def test_one_pixel(self) -> None:
        assert _code(_encode(Image.new("RGB", (1, 1)), "PNG")) is ErrorCode.IMAGE_TOO_SMALL

    def test_unsupported_format(self) -> None:
        assert _code(_encode(_gradient(), "BMP")) is ErrorCode.BAD_IMAGE

    def test_error_message_is_one_line(self) -> None:
        with pytest.raises(TryOnError) as info:
            decode_image(b"GIF89a garbage")
        assert "\n" not in str(info.value)
        assert str(info.value).startswith("bad_image: ")
