"""A fuzzing harness that stays: Hypothesis property tests of ``decode_image``, of
``TryOnEngine.run`` and of the command line, on arbitrary bytes, on mutated real photos (bit
flips, truncations, inserted and deleted runs, PNG/JPEG/WebP header fields, EXIF, ICC and
metadata garbage, multi-frame files, every Pillow mode), on wrong-typed arguments and odd
kinds.

The property everywhere: a valid answer (decode: a uint8 (H, W, 3) RGB picture within the
limits; run: a result the size of the person photo) or a :class:`TryOnError` with a stable
code, nothing else: no other exception type, no Python warning escaping, nothing written to
stderr by decoding, no traceback from the CLI.

Bounded in time: a fixed number of examples per test, derandomized (every run tries the same
inputs; about a minute on two CPU cores). Run it longer locally with
``TRYON_FUZZ_EXAMPLES=2000 pytest tests/test_fuzz.py`` (examples per decode test; the engine
tests get proportionally fewer) and ``TRYON_FUZZ_RANDOM=1`` for new random inputs each run.
The list of hostile inputs tried is in docs/errors.md ("Hostile inputs tried").
"""

from __future__ import annotations

import contextlib
import functools
import io
import os
import struct
import subprocess
import sys
import tempfile
import warnings
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, currently_in_test_context, event, example, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from PIL import Image

from tests.conftest import DEMO_ASSETS
from tryon.errors import ErrorCode, TryOnError
from tryon.imaging.decode import DecodedImage, DecodeLimits, decode_image
from tryon.pipeline import KINDS, TryOnEngine, TryOnResult

PERSON = DEMO_ASSETS / "people" / "woman-studio.jpg"
TOP = DEMO_ASSETS / "tops" / "white-tee.jpg"
SHOE = DEMO_ASSETS / "shoes" / "blue-plimsolls.png"

FUZZ_EXAMPLES_ENV = "TRYON_FUZZ_EXAMPLES"
FUZZ_RANDOM_ENV = "TRYON_FUZZ_RANDOM"
DECODE_EXAMPLES = 150  # per decode test; each costs milliseconds
ENGINE_EXAMPLES = 30  # per engine test; a run that gets past decoding costs ~0.3-1 s
# Tighter than the defaults so that a header claiming a few thousand pixels a side is refused
# instead of decoded: every fuzz example stays within ~2 MP (6 MB of RGB).
FUZZ_LIMITS = DecodeLimits(max_pixels=2_000_000)
SEED_SIZE = (96, 128)  # (width, height) of the pictures derived from the real photo
MAX_RUN = 512  # longest run of bytes deleted, inserted or duplicated by one mutation
INTERESTING_INTS = (0, 1, 2, 63, 64, 0x7F, 0x80, 0xFF, 0x100, 0x7FFF, 0x8000, 0xFFFF, 60000,
                    0x10000, 0xFFFFFF, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF)
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
MAGICS = (PNG_SIGNATURE, b"\xff\xd8\xff\xe0", b"\xff\xd8\xff\xe1", b"\xff\xd8\xff\xdb",
          b"RIFF\x00\x01\x00\x00WEBPVP8 ", b"RIFF\x00\x01\x00\x00WEBPVP8X", b"GIF89a",
          b"II*\x00", b"MM\x00*", b"BM", b"\x00\x00\x00\x0cjP  ", b"")


def _examples(default: int) -> int:
    """``default`` examples, or scaled by ``$TRYON_FUZZ_EXAMPLES`` (the decode tests' count)."""
    wanted = os.environ.get(FUZZ_EXAMPLES_ENV, "").strip()
    return max(1, int(wanted) * default // DECODE_EXAMPLES) if wanted else default


def fuzz_settings(default: int) -> settings:
    """Bounded, reproducible settings: ``default`` examples (see :func:`_examples`), no
    deadline, derandomized unless ``$TRYON_FUZZ_RANDOM`` is set, no example database."""
    return settings(max_examples=_examples(default), deadline=None, database=None,
                    derandomize=not os.environ.get(FUZZ_RANDOM_ENV), print_blob=True,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


# ---------------------------------------------------------------------------------------------
# Seeds: real photos and pictures made from one in every mode and container Pillow writes.

def _encode(image: Image.Image, fmt: str, **kwargs: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format=fmt, **kwargs)
    return buffer.getvalue()


@functools.cache
def _small_photo() -> Image.Image:
    """The real person photo scaled down to :data:`SEED_SIZE` (fast to decode)."""
    with Image.open(PERSON) as photo:
        return photo.convert("RGB").resize(SEED_SIZE)


def _exif(orientation: int = 6) -> Image.Exif:
    exif = Image.Exif()
    exif[0x0112] = orientation
    exif[0x010F] = "fuzz camera"
    return exif


@functools.cache
def seeds() -> dict[str, bytes]:
    """Encoded pictures to mutate: the real demo files and small ones derived from the real
    person photo in every container and mode that matters (the last few are formats the
    decoder refuses: GIF, TIFF)."""
    photo = _small_photo()
    turned = photo.transpose(Image.Transpose.ROTATE_90).resize(SEED_SIZE)
    grey16 = Image.fromarray(np.asarray(photo.convert("L"), np.uint16) * 257)
    icc = b"\x00\x00\x02\x0cfuzz" + bytes(range(256)) * 2
    return {
        "person.jpg": PERSON.read_bytes(), "top.jpg": TOP.read_bytes(),
        "shoe.png": SHOE.read_bytes(),
        "baseline.jpg": _encode(photo, "JPEG", quality=80),
        "progressive.jpg": _encode(photo, "JPEG", quality=80, progressive=True),
        "exif-icc.jpg": _encode(photo, "JPEG", exif=_exif(), icc_profile=icc),
        "cmyk.jpg": _encode(photo.convert("CMYK"), "JPEG"),
        "grey.jpg": _encode(photo.convert("L"), "JPEG"),
        "two-frames.mpo": _encode(photo, "MPO", save_all=True, append_images=[turned]),
        "rgb.png": _encode(photo, "PNG"),
        "rgba.png": _encode(photo.convert("RGBA"), "PNG"),
        "palette-trns.png": _encode(photo.convert("P"), "PNG", transparency=0),
        "la.png": _encode(photo.convert("LA"), "PNG"),
        "grey16.png": _encode(grey16, "PNG"),
        "bilevel.png": _encode(photo.convert("1"), "PNG"),
        "icc-exif.png": _encode(photo, "PNG", icc_profile=icc, exif=_exif(3)),
        "two-frames.apng": _encode(photo, "PNG", save_all=True, append_images=[turned]),
        "lossy.webp": _encode(photo, "WEBP", quality=70),
        "lossless-rgba.webp": _encode(photo.convert("RGBA"), "WEBP", lossless=True),
        "exif-icc.webp": _encode(photo, "WEBP", exif=_exif(8).tobytes(), icc_profile=icc),
        "two-frames.webp": _encode(photo, "WEBP", save_all=True, append_images=[turned]),
        "two-frames.gif": _encode(photo, "GIF", save_all=True, append_images=[turned]),
        "two-pages.tiff": _encode(grey16, "TIFF", save_all=True, append_images=[grey16]),
    }


# ---------------------------------------------------------------------------------------------
# Mutations. Each takes Hypothesis's ``draw`` and the bytes, returns new bytes; the
# format-aware ones fall back to a bit flip when the bytes are not of their format.

Draw = Callable[[st.SearchStrategy], object]


def _position(draw: Draw, data: bytes) -> int:
    """An offset into ``data``, often inside the first 512 bytes (where the headers are)."""
    last = max(len(data) - 1, 0)
    return draw(st.one_of(st.integers(0, min(last, 511)), st.integers(0, last)))


def _interesting(draw: Draw, bits: int) -> int:
    values = [v for v in INTERESTING_INTS if v < 1 << bits]
    return draw(st.one_of(st.sampled_from(values), st.integers(0, (1 << bits) - 1)))


def flip_bit(draw: Draw, data: bytes) -> bytes:
    if not data:
        return data
    out = bytearray(data)
    out[_position(draw, data)] ^= 1 << draw(st.integers(0, 7))
    return bytes(out)


def set_int(draw: Draw, data: bytes) -> bytes:
    """An 8, 16 or 32-bit field (either byte order) set to a boundary value."""
    size = draw(st.sampled_from([1, 2, 4]))
    value = _interesting(draw, 8 * size).to_bytes(size, draw(st.sampled_from(["big", "little"])))
    at = _position(draw, data)
    return data[:at] + value + data[at + size:]


def truncate(draw: Draw, data: bytes) -> bytes:
    return data[:_position(draw, data)]


def delete_run(draw: Draw, data: bytes) -> bytes:
    at = _position(draw, data)
    return data[:at] + data[at + draw(st.integers(1, MAX_RUN)):]


def insert_run(draw: Draw, data: bytes) -> bytes:
    at = _position(draw, data)
    return data[:at] + draw(st.binary(min_size=1, max_size=MAX_RUN)) + data[at:]


def duplicate_run(draw: Draw, data: bytes) -> bytes:
    at = _position(draw, data)
    run = data[at:at + draw(st.integers(1, MAX_RUN))]
    return data[:at] + run * draw(st.integers(2, 8)) + data[at:]


def splice_seed(draw: Draw, data: bytes) -> bytes:
    """A run of another seed file pasted in (a JPEG inside a PNG, ...)."""
    other = seeds()[draw(st.sampled_from(sorted(seeds())))]
    start = _position(draw, other)
    at = _position(draw, data)
    return data[:at] + other[start:start + draw(st.integers(1, 4 * MAX_RUN))] + data[at:]


def _png_chunk(kind: bytes, body: bytes, crc_ok: bool = True) -> bytes:
    crc = zlib.crc32(kind + body) & 0xFFFFFFFF
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc ^ (not crc_ok))


def _png_chunks(data: bytes) -> list[tuple[int, bytes, int]]:
    """(offset, type, body length) of each whole chunk of a PNG."""
    chunks, at = [], len(PNG_SIGNATURE)
    while at + 12 <= len(data):
        length = struct.unpack(">I", data[at:at + 4])[0]
        chunks.append((at, data[at + 4:at + 8], length))
        at += 12 + length
    return chunks


@functools.cache
def _zlib_bomb() -> bytes:
    """16 MiB of zeros deflated (about 16 KiB): a text/ICC chunk that inflates enormously."""
    return zlib.compress(bytes(16 * 2**20), 9)


def png_header(draw: Draw, data: bytes) -> bytes:
    """IHDR width/height/depth/colour type set to boundary values (CRC fixed or not), a
    chunk's CRC or length broken, or an ancillary chunk of garbage (or a zlib bomb) added."""
    chunks = _png_chunks(data) if data.startswith(PNG_SIGNATURE) else []
    if not chunks:
        return flip_bit(draw, data)
    attack = draw(st.sampled_from(["ihdr-size", "ihdr-fields", "crc", "length", "chunk"]))
    if attack in ("ihdr-size", "ihdr-fields"):
        body = bytearray(data[16:29])
        if attack == "ihdr-size":
            field = draw(st.sampled_from([0, 4]))
            body[field:field + 4] = _interesting(draw, 32).to_bytes(4, "big")
        else:
            body[draw(st.integers(8, 12))] = _interesting(draw, 8)
        return data[:8] + _png_chunk(b"IHDR", bytes(body), draw(st.booleans())) + data[33:]
    at, _, length = draw(st.sampled_from(chunks))
    if attack == "crc":
        end = at + 8 + length
        return data[:end] + bytes(b ^ 0xFF for b in data[end:end + 4]) + data[end + 4:]
    if attack == "length":
        return data[:at] + _interesting(draw, 32).to_bytes(4, "big") + data[at + 4:]
    kind = draw(st.sampled_from([b"iCCP", b"eXIf", b"tEXt", b"zTXt", b"iTXt", b"tRNS", b"PLTE",
                                 b"acTL", b"fcTL", b"fdAT", b"IDAT", b"IHDR", b"sRGB", b"gAMA",
                                 b"pHYs", b"sBIT", b"bKGD", b"hIST", b"caBX", b"zzZz"]))
    body = draw(st.one_of(st.binary(max_size=MAX_RUN),
                          st.just(b"profile\x00\x00" + _zlib_bomb()),
                          st.just(b"Comment\x00\x00" + _zlib_bomb())))
    where = draw(st.sampled_from([c[0] for c in chunks[1:]] or [len(data)]))
    return data[:where] + _png_chunk(kind, body, draw(st.booleans())) + data[where:]


SOF_MARKERS = frozenset({0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD,
                         0xCE, 0xCF})


def _jpeg_segments(data: bytes) -> list[tuple[int, int, int]]:
    """(offset, marker, length field) of each JPEG segment up to and including SOS."""
    segments, at = [], 2
    while at + 4 <= len(data) and data[at] == 0xFF:
        marker = data[at + 1]
        if marker in (0xD8, 0x01, 0xFF) or 0xD0 <= marker <= 0xD7:
            at += 1 if marker == 0xFF else 2
            continue
        length = struct.unpack(">H", data[at + 2:at + 4])[0]
        segments.append((at, marker, length))
        if marker == 0xDA:
            break
        at += 2 + length
    return segments


def _tiff_exif(draw: Draw) -> bytes:
    """An EXIF (TIFF) block with hostile entries: an orientation of any type and value, counts
    and offsets past the end, IFD pointers that loop back, garbage after it."""
    order = draw(st.sampled_from(["<", ">"]))
    entries = []
    for _ in range(draw(st.integers(0, 6))):
        tag = draw(st.sampled_from([0x0112, 0x8769, 0x8825, 0xA005, 0x927C, 0x010F, 0x0201,
                                    0x0202, 0x9286, 0xFFFF]))
        kind = draw(st.integers(0, 20))
        count = _interesting(draw, 32)
        value = draw(st.one_of(st.just(8), st.just(6), _interesting_strategy(32)))
        entries.append(struct.pack(order + "HHII", tag, kind, count, value))
    ifd = struct.pack(order + "H", len(entries)) + b"".join(entries) + struct.pack(
        order + "I", draw(st.sampled_from([0, 8, 0xFFFFFFFF])))
    head = (b"II*\x00" if order == "<" else b"MM\x00*") + struct.pack(
        order + "I", draw(st.sampled_from([8, 0, 7, 0xFFFFFFF0])))
    return b"Exif\x00\x00" + head + ifd + draw(st.binary(max_size=64))


def _interesting_strategy(bits: int) -> st.SearchStrategy[int]:
    values = [v for v in INTERESTING_INTS if v < 1 << bits]
    return st.one_of(st.sampled_from(values), st.integers(0, (1 << bits) - 1))


def _jpeg_segment(marker: int, body: bytes) -> bytes:
    return bytes([0xFF, marker]) + struct.pack(">H", min(len(body) + 2, 0xFFFF)) + body[:0xFFFD]


def jpeg_header(draw: Draw, data: bytes) -> bytes:
    """SOF height/width/components set to boundary values, a segment's length broken or the
    segment dropped, or an APP/COM segment of garbage added: hostile EXIF (APP1), ICC
    profile chunks (APP2), a multi-picture index (APP2 MPF), an Adobe block (APP14)."""
    segments = _jpeg_segments(data) if data.startswith(b"\xff\xd8") else []
    if not segments:
        return flip_bit(draw, data)
    attack = draw(st.sampled_from(["sof", "length", "drop", "app"]))
    sofs = [s for s in segments if s[1] in SOF_MARKERS]
    if attack == "sof" and sofs:
        at = draw(st.sampled_from(sofs))[0]
        field = draw(st.sampled_from([5, 7, 9]))  # height, width, component count
        size = 1 if field == 9 else 2
        return data[:at + field] + _interesting(draw, 8 * size).to_bytes(size, "big") + \
            data[at + field + size:]
    at, _, length = draw(st.sampled_from(segments))
    if attack == "length":
        return data[:at + 2] + _interesting(draw, 16).to_bytes(2, "big") + data[at + 4:]
    if attack == "drop":
        return data[:at] + data[at + 2 + length:]
    marker, body = draw(st.sampled_from([
        (0xE1, "exif"), (0xE2, b"ICC_PROFILE\x00"), (0xE2, b"MPF\x00"), (0xEE, b"Adobe"),
        (0xE0, b"JFIF\x00"), (0xFE, b""), (0xDB, b""), (0xC4, b"")]))
    if body == "exif":
        payload = _tiff_exif(draw)
    elif body == b"MPF\x00":
        payload = body + _tiff_exif(draw)[6:]
    else:
        payload = body + draw(st.binary(max_size=MAX_RUN))
    where = draw(st.sampled_from([2] + [s[0] for s in segments]))
    return data[:where] + _jpeg_segment(marker, payload) + data[where:]


def _webp_chunks(data: bytes) -> list[tuple[int, bytes, int]]:
    """(offset, fourcc, payload size) of each chunk of a RIFF/WebP file."""
    chunks, at = [], 12
    while at + 8 <= len(data):
        size = struct.unpack("<I", data[at + 4:at + 8])[0]
        chunks.append((at, data[at:at + 4], size))
        at += 8 + size + (size & 1)
    return chunks


def webp_header(draw: Draw, data: bytes) -> bytes:
    """The RIFF size or a chunk size set to boundary values, the VP8X canvas (24 bits a side)
    or flags changed, or an EXIF/ICCP/XMP/ANIM/ANMF chunk of garbage added."""
    if not (data.startswith(b"RIFF") and data[8:12] == b"WEBP"):
        return flip_bit(draw, data)
    chunks = _webp_chunks(data)
    attack = draw(st.sampled_from(["riff-size", "chunk-size", "canvas", "flags", "chunk"]))
    vp8x = [c for c in chunks if c[1] == b"VP8X"]
    if attack == "riff-size" or not chunks:
        return data[:4] + _interesting(draw, 32).to_bytes(4, "little") + data[8:]
    if attack in ("canvas", "flags") and vp8x:
        at = vp8x[0][0] + 8
        if attack == "flags":
            return data[:at] + bytes([_interesting(draw, 8)]) + data[at + 1:]
        field = at + draw(st.sampled_from([4, 7]))
        return data[:field] + _interesting(draw, 24).to_bytes(3, "little") + data[field + 3:]
    at, _, _ = draw(st.sampled_from(chunks))
    if attack == "chunk-size":
        return data[:at + 4] + _interesting(draw, 32).to_bytes(4, "little") + data[at + 8:]
    fourcc = draw(st.sampled_from([b"EXIF", b"ICCP", b"XMP ", b"ANIM", b"ANMF", b"ALPH",
                                   b"VP8X", b"VP8 ", b"VP8L"]))
    body = _tiff_exif(draw)[6:] if fourcc == b"EXIF" else draw(st.binary(max_size=MAX_RUN))
    chunk = fourcc + struct.pack("<I", len(body)) + body + b"\x00" * (len(body) & 1)
    where = draw(st.sampled_from([c[0] for c in chunks] + [len(data)]))
    return data[:where] + chunk + data[where:]


GENERIC_MUTATIONS = (flip_bit, set_int, truncate, delete_run, insert_run, duplicate_run,
                     splice_seed)
MUTATIONS = (*GENERIC_MUTATIONS, png_header, jpeg_header, webp_header)


@st.composite
def mutated(draw: Draw, names: tuple[str, ...] | None = None, max_mutations: int = 4) -> bytes:
    """A seed file (one of ``names``, default all) after 1 to ``max_mutations`` mutations."""
    name = draw(st.sampled_from(names or sorted(seeds())))
    data = seeds()[name]
    for mutation in draw(st.lists(st.sampled_from(MUTATIONS), min_size=1,
                                  max_size=max_mutations)):
        data = mutation(draw, data)
    return data


# ---------------------------------------------------------------------------------------------
# The property.

@contextlib.contextmanager
def captured_stderr() -> Iterator[list[str]]:
    """Collects what is written to stderr inside, by Python (``sys.stderr``: logging's last
    resort handler, print) and by native code (file descriptor 2): one string, on exit."""
    written: list[str] = []
    sys.stderr.flush()
    saved = os.dup(2)
    try:
        with tempfile.TemporaryFile() as sink, \
                contextlib.redirect_stderr(io.StringIO()) as python:
            os.dup2(sink.fileno(), 2)
            try:
                yield written
            finally:
                os.dup2(saved, 2)
                sink.seek(0)
                written.append(python.getvalue() + sink.read().decode(errors="replace"))
    finally:
        os.close(saved)


def _event(name: str) -> None:
    """Count an outcome in Hypothesis's statistics (``--hypothesis-show-statistics``)."""
    if currently_in_test_context():
        event(name)


def assert_valid(decoded: DecodedImage, limits: DecodeLimits = FUZZ_LIMITS) -> None:
    """What a successful decode promises."""
    rgb = decoded.rgb
    assert isinstance(rgb, np.ndarray) and rgb.dtype == np.uint8, rgb.dtype
    assert rgb.ndim == 3 and rgb.shape[2] == 3 and rgb.flags.c_contiguous, rgb.shape
    height, width = rgb.shape[:2]
    assert height * width <= limits.max_pixels and min(height, width) >= limits.min_side
    if decoded.alpha is not None:
        assert decoded.alpha.dtype == np.uint8 and decoded.alpha.shape == (height, width)
    assert isinstance(decoded.warnings, tuple)
    assert all(isinstance(note, str) and "\n" not in note for note in decoded.warnings)


def assert_refusal(error: TryOnError) -> None:
    """What a refusal promises: a stable code and a one-line message."""
    assert isinstance(error.code, ErrorCode)
    assert error.message and "\n" not in str(error), str(error)


def decodes_or_refuses(source: object, limits: DecodeLimits = FUZZ_LIMITS
                       ) -> DecodedImage | TryOnError:
    """``decode_image(source)``: a valid picture or a TryOnError, with no Python warning and
    nothing on stderr (any other exception fails the test, and Hypothesis shrinks it)."""
    with captured_stderr() as stderr, warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            outcome: DecodedImage | TryOnError = decode_image(source, limits)  # type: ignore[arg-type]
        except TryOnError as exc:
            outcome = exc
    assert not caught, [f"{w.category.__name__}: {w.message} ({w.filename})" for w in caught]
    assert stderr == [""], stderr
    if isinstance(outcome, TryOnError):
        assert_refusal(outcome)
        _event(f"decode: {outcome.code.value}")
    else:
        assert_valid(outcome, limits)
        _event("decode: picture" + (" with notes" if outcome.warnings else ""))
    return outcome


def _pil_from(data: bytes) -> Image.Image | None:
    """``data`` opened lazily by Pillow as a user would (any format), or None when Pillow
    cannot open it: the fuzz then checks what decode_image makes of the PIL image."""
    with captured_stderr(), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return Image.open(io.BytesIO(data))
        except Exception:
            return None


# Regression examples: inputs the harness found wrong once (kept as @example).
def _tiff_with_samples_per_pixel(samples: int = 40000) -> bytes:
    """A TIFF whose SamplesPerPixel is ``samples``: Pillow's TIFF parser used to log "More
    samples per pixel than can be decoded" on stderr (a second stderr line in the CLI)."""
    data = bytearray(_encode(Image.new("RGB", (80, 80)), "TIFF"))
    ifd = struct.unpack("<I", data[4:8])[0]
    for index in range(struct.unpack("<H", data[ifd:ifd + 2])[0]):
        entry = ifd + 2 + 12 * index
        if struct.unpack("<H", data[entry:entry + 2])[0] == 0x0115:  # SamplesPerPixel
            data[entry + 2:entry + 12] = struct.pack("<HII", 4, 1, samples)
    return bytes(data)


def _png_with_bad_apng_after_pixels() -> bytes:
    """A grey 80×80 PNG with an acTL chunk claiming 0 frames after its pixel data: Pillow
    warns "Invalid APNG" while load() reads it (the warning used to escape decode_image)."""
    png = _encode(Image.new("RGB", (80, 80), (128, 128, 128)), "PNG")
    return png[:-12] + _png_chunk(b"acTL", struct.pack(">II", 0, 0)) + png[-12:]


# ---------------------------------------------------------------------------------------------
# decode_image

@fuzz_settings(DECODE_EXAMPLES)
@given(data=st.one_of(st.binary(max_size=2048),
                      st.builds(bytes.__add__, st.sampled_from(MAGICS), st.binary(max_size=2048))))
@example(data=b"")
@example(data=_tiff_with_samples_per_pixel())  # regression: TIFF parser logging on stderr
def test_decode_arbitrary_bytes(data: bytes) -> None:
    decodes_or_refuses(data)


@fuzz_settings(DECODE_EXAMPLES)
@given(data=mutated(), as_pil=st.booleans())
def test_decode_mutated_files(data: bytes, as_pil: bool) -> None:
    """Mutated real photos and their derivatives, as bytes or as a PIL image opened lazily."""
    image = _pil_from(data) if as_pil else None
    decodes_or_refuses(image if image is not None else data)


HEADER_ATTACKS = {".png": png_header, ".apng": png_header, ".jpg": jpeg_header,
                  ".mpo": jpeg_header, ".webp": webp_header}


@st.composite
def header_attacked(draw: Draw) -> bytes:
    """A PNG, JPEG/MPO or WebP seed after one or two attacks on its own header fields and
    maybe one generic mutation."""
    name = draw(st.sampled_from(sorted(n for n in seeds() if Path(n).suffix in HEADER_ATTACKS)))
    attack = HEADER_ATTACKS[Path(name).suffix]
    data = seeds()[name]
    for _ in range(draw(st.integers(1, 2))):
        data = attack(draw, data)
    if draw(st.booleans()):
        data = draw(st.sampled_from(GENERIC_MUTATIONS))(draw, data)
    return data


@fuzz_settings(DECODE_EXAMPLES)
@given(data=header_attacked())
@example(data=_png_with_bad_apng_after_pixels())  # regression: UserWarning escaped from load()
def test_decode_header_attacks(data: bytes) -> None:
    """Header-field attacks, as bytes, a bytearray and a memoryview (decode takes all three)."""
    for form in (data, bytearray(data), memoryview(data)):
        outcome = decodes_or_refuses(form)
        if isinstance(outcome, TryOnError):
            break


PIL_MODES = ("1", "L", "P", "RGB", "RGBA", "CMYK", "YCbCr", "LAB", "HSV", "I", "F", "LA",
             "PA", "La", "RGBa", "RGBX", "I;16", "I;16B", "I;16L", "I;16N")


def _pil_image(mode: str, size: tuple[int, int], fill: str) -> Image.Image:
    """A PIL image in ``mode``: the real photo converted where Pillow can, else made in that
    mode; ``fill`` "photo", "zeros", "nan", "inf", "-inf" or "extremes" (float/int modes)."""
    if fill == "photo":
        with contextlib.suppress(ValueError):
            return _small_photo().resize(size).convert(mode)
    if mode in ("F", "I") and fill != "zeros":
        dtype = np.float32 if mode == "F" else np.int32
        values = {"nan": np.nan, "inf": np.inf, "-inf": -np.inf}
        if fill in values and mode == "F":
            array = np.full(size[::-1], values[fill], dtype)
        else:
            info = np.finfo(dtype) if mode == "F" else np.iinfo(dtype)
            array = np.resize(np.array([info.min, info.max, 0, -1], dtype), size[::-1])
        return Image.fromarray(array)  # float32: mode F, int32: mode I
    return Image.new(mode, size)


@fuzz_settings(DECODE_EXAMPLES)
@given(mode=st.sampled_from(PIL_MODES),
       size=st.tuples(st.sampled_from([0, 1, 63, 64, 65, 96]), st.sampled_from([0, 1, 64, 128])),
       fill=st.sampled_from(["photo", "zeros", "nan", "inf", "-inf", "extremes"]))
@example(mode="F", size=(96, 128), fill="nan")  # regression: RuntimeWarning escaped (NaN cast)
@example(mode="F", size=(96, 128), fill="-inf")  # regression: overflow warning
def test_decode_pil_images_of_every_mode(mode: str, size: tuple[int, int], fill: str) -> None:
    decodes_or_refuses(_pil_image(mode, size, fill))


class _PathLike(os.PathLike):
    """A path-like object whose ``__fspath__`` returns ``value`` (or raises it)."""

    def __init__(self, value: object) -> None:
        self.value = value

    def __fspath__(self) -> str:
        if isinstance(self.value, BaseException):
            raise self.value
        return self.value  # type: ignore[return-value]

    def __repr__(self) -> str:
        return f"_PathLike({self.value!r})"


def _released_view() -> memoryview:
    view = memoryview(b"\x89PNG\r\n\x1a\n")
    view.release()
    return view


HUGE = np.broadcast_to(np.zeros(3, np.uint8), (100_000, 100_000, 3))  # 30 GB, no memory
SHAPES = hnp.array_shapes(min_dims=0, max_dims=4, min_side=0, max_side=80)
WRONG_DTYPES = st.sampled_from([np.float16, np.float32, np.float64, np.int8, np.int16, np.uint16,
                                np.int32, np.int64, np.bool_, np.complex64, np.uint8])


def _arrays() -> st.SearchStrategy[np.ndarray]:
    """Arrays of every dtype and rank (a few of them valid uint8 pictures), empty arrays,
    broadcast views claiming billions of pixels, subclasses, non-contiguous views."""
    plain = WRONG_DTYPES.flatmap(lambda dtype: hnp.arrays(dtype, SHAPES))
    return st.one_of(
        plain,
        st.sampled_from([np.zeros((0, 0, 3), np.uint8), np.zeros((64, 0), np.uint8),
                         np.zeros((100, 100, 3), object), np.zeros((100, 100, 2), np.uint8),
                         np.zeros((100, 100, 5), np.uint8), np.zeros((), np.uint8), HUGE,
                         HUGE[:, :, 0], np.broadcast_to(np.zeros(4, np.uint8), (70_000, 1, 4)),
                         np.zeros((100, 100, 3), np.dtype(">u2")),
                         np.zeros((100, 100, 3), np.dtype([("v", "u1")])),
                         np.asmatrix(np.zeros((100, 100), np.uint8)),
                         np.ma.masked_array(np.zeros((100, 100, 3), np.uint8)),
                         np.zeros((200, 200, 4), np.uint8)[::2, ::-2],
                         np.full((100, 100, 3), 7, np.uint8).view(np.recarray)]))


def _wrong_arguments() -> st.SearchStrategy[object]:
    """Everything that is not a photo, and photos in odd forms."""
    return st.one_of(
        st.none(), st.booleans(), st.integers(), st.floats(), st.complex_numbers(),
        st.text(max_size=40), st.binary(max_size=64), st.lists(st.integers(), max_size=3),
        st.dictionaries(st.text(max_size=3), st.integers(), max_size=2), st.builds(object),
        st.just(Ellipsis), st.just(int), st.just(print), st.just(io.BytesIO(b"x")),
        st.sampled_from([_PathLike(5), _PathLike(ZeroDivisionError()), _PathLike("\x00"),
                         _PathLike(b"/no/such/file.jpg"), Path("/dev/null"), Path("/"),
                         "/proc/self/status", "a\x00b.jpg", "x" * 5000, "\udcff.jpg", ""]),
        st.builds(_released_view),
        _arrays(),
    )


@fuzz_settings(DECODE_EXAMPLES)
@given(source=_wrong_arguments())
@example(source=np.asmatrix(np.zeros((100, 100), np.uint8)))  # regression: ValueError leaked
@example(source=_PathLike(5))  # regression: TypeError leaked from os.fspath
@example(source=_PathLike(ZeroDivisionError()))  # regression: __fspath__ raising leaked
@example(source="no\nsuch.jpg")  # regression: the file name's newline split the error line
@example(source=_released_view())  # regression: ValueError leaked
def test_decode_wrong_arguments(source: object) -> None:
    decodes_or_refuses(source)


def test_refused_formats_and_header_claims_give_their_codes() -> None:
    """Exact answers for the seeds the decoder refuses and for header size claims."""
    for name in ("two-frames.gif", "two-pages.tiff"):
        outcome = decodes_or_refuses(seeds()[name])
        assert isinstance(outcome, TryOnError) and outcome.code is ErrorCode.BAD_IMAGE, name
    png = seeds()["rgb.png"]
    for (width, height), code in {(60000, 60000): ErrorCode.IMAGE_TOO_LARGE,
                                  (0xFFFFFFFF, 0xFFFFFFFF): ErrorCode.IMAGE_TOO_LARGE,
                                  (3000, 3000): ErrorCode.IMAGE_TOO_LARGE,
                                  (100000, 1): ErrorCode.IMAGE_TOO_SMALL,
                                  (0, 0): ErrorCode.BAD_IMAGE}.items():
        body = struct.pack(">II", width, height) + png[24:29]
        outcome = decodes_or_refuses(png[:8] + _png_chunk(b"IHDR", body) + png[33:])
        assert isinstance(outcome, TryOnError) and outcome.code is code, (width, height)
    for mutation in (_tiff_with_samples_per_pixel(), _tiff_with_samples_per_pixel(3)):
        outcome = decodes_or_refuses(mutation)
        assert isinstance(outcome, TryOnError) and outcome.code is ErrorCode.BAD_IMAGE


# ---------------------------------------------------------------------------------------------
# TryOnEngine.run

@pytest.fixture(scope="module")
def fuzz_engine() -> Iterator[TryOnEngine]:
    """One engine for the module (MediaPipe starts once), without the generator (the fuzz is
    about inputs), warmed up with the real pair so start-up noise is behind us."""
    with TryOnEngine(refine=False, limits=FUZZ_LIMITS) as engine:
        engine.run(PERSON, TOP, kind="top")
        yield engine


def runs_or_refuses(engine: TryOnEngine, person: object, item: object, kind: object = "top"
                    ) -> TryOnResult | TryOnError:
    """``engine.run``: a result the size of the person photo, or a TryOnError; no warning."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            outcome: TryOnResult | TryOnError = engine.run(person, item, kind)  # type: ignore[arg-type]
        except TryOnError as exc:
            outcome = exc
    assert not caught, [f"{w.category.__name__}: {w.message} ({w.filename})" for w in caught]
    if isinstance(outcome, TryOnError):
        assert_refusal(outcome)
        _event(f"run: {outcome.code.value}")
        return outcome
    _event(f"run: {outcome.kind}")
    expected = person.rgb if isinstance(person, DecodedImage) else decode_image(
        person, FUZZ_LIMITS).rgb  # type: ignore[arg-type]
    assert outcome.image.shape == expected.shape and outcome.image.dtype == np.uint8
    assert all(isinstance(note, str) for note in outcome.warnings)
    return outcome


@fuzz_settings(ENGINE_EXAMPLES)
@given(mutate_person=st.booleans(), data=st.data())
def test_run_with_a_mutated_photo(fuzz_engine: TryOnEngine, mutate_person: bool,
                                  data: st.DataObject) -> None:
    """The real person photo and the real top, one of them mutated (as bytes)."""
    name = "person.jpg" if mutate_person else "top.jpg"
    broken = data.draw(mutated(names=(name,), max_mutations=2), label=name)
    person, item = (broken, TOP) if mutate_person else (PERSON, broken)
    runs_or_refuses(fuzz_engine, person, item, data.draw(st.sampled_from(["top", "auto"])))


def _decoded_by_hand() -> st.SearchStrategy[DecodedImage]:
    """DecodedImage objects made by hand, most of them wrong."""
    rgb = st.one_of(_arrays(), st.none(), st.text(max_size=3),
                    st.just(np.zeros((100, 100, 3), np.uint8)))
    alpha = st.one_of(st.none(), _arrays(), st.just(np.zeros((100, 100), np.uint8)))
    notes = st.one_of(st.just(()), st.none(), st.just(("a note",)), st.just([1]))
    return st.builds(DecodedImage, rgb=rgb, alpha=alpha, source_format=st.just("hand"),
                     warnings=notes)


@fuzz_settings(ENGINE_EXAMPLES * 2)
@given(wrong=st.one_of(_wrong_arguments(), _decoded_by_hand(),
                       st.builds(_pil_image, st.sampled_from(PIL_MODES),
                                 st.sampled_from([(0, 0), (1, 64), (64, 64)]),
                                 st.sampled_from(["photo", "zeros", "nan"]))),
       as_person=st.booleans())
@example(wrong=DecodedImage(rgb="x", alpha=None, source_format="hand"),  # type: ignore[arg-type]
         as_person=True)  # regression: AttributeError leaked
@example(wrong=DecodedImage(rgb=np.zeros((100, 100), np.uint8), alpha=None,
                            source_format="hand"), as_person=False)  # regression: cv2.error
@example(wrong=DecodedImage(rgb=HUGE, alpha=None, source_format="hand"),
         as_person=True)  # regression: hashed/resized 30 GB instead of image_too_large
@example(wrong=DecodedImage(rgb=np.zeros((100, 100, 3), np.uint8), alpha=None,
                            source_format="hand", warnings=None),  # type: ignore[arg-type]
         as_person=True)  # regression: TypeError leaked
def test_run_with_wrong_arguments(fuzz_engine: TryOnEngine, wrong: object,
                                  as_person: bool) -> None:
    """Something that is not a photo (or a photo in an odd form) as the person or the item."""
    person, item = (wrong, TOP) if as_person else (PERSON, wrong)
    outcome = runs_or_refuses(fuzz_engine, person, item)
    if isinstance(outcome, TryOnError) and outcome.code is ErrorCode.BAD_ARGUMENT:
        assert outcome.message.startswith("person photo:" if as_person else "item photo:")


@fuzz_settings(DECODE_EXAMPLES)
@given(kind=st.one_of(
    st.text(max_size=12), st.sampled_from([k.upper() for k in KINDS] + [f" {k}" for k in KINDS]
                                          + [f"{k}\x00" for k in KINDS] + ["shoe", "tops"]),
    st.none(), st.integers(), st.binary(max_size=6), st.lists(st.sampled_from(KINDS)),
    st.just(("top",)), st.just(Path("top"))))
def test_run_with_odd_kinds(fuzz_engine: TryOnEngine, kind: object) -> None:
    """Any kind but the five names is refused as bad_argument before the photos are read."""
    if isinstance(kind, str) and kind in KINDS:
        return
    outcome = runs_or_refuses(fuzz_engine, PERSON, TOP, kind)
    assert isinstance(outcome, TryOnError) and outcome.code is ErrorCode.BAD_ARGUMENT


# ---------------------------------------------------------------------------------------------
# The command line

def _hostile_file(tmp: Path, case: str) -> Path:
    """A hostile ``--person`` file named like a photo."""
    path = tmp / f"{case}.jpg"
    if case == "zero-bytes":
        path.write_bytes(b"")
    elif case == "png-bomb-header":
        png = seeds()["rgb.png"]
        body = struct.pack(">II", 0x7FFFFFFF, 0x7FFFFFFF) + png[24:29]
        path.write_bytes(png[:8] + _png_chunk(b"IHDR", body) + png[33:])
    elif case == "text":
        path.write_text("this is not a photo\n")
    elif case == "directory":
        path.mkdir()
    elif case == "fifo":
        if not hasattr(os, "mkfifo"):
            pytest.skip("no FIFOs on this system")
        os.mkfifo(path)
    elif case == "tiff-logging":
        path.write_bytes(_tiff_with_samples_per_pixel())
    elif case == "bad-apng":
        path.write_bytes(_png_with_bad_apng_after_pixels())
    elif case == "newline-in-name":
        path = tmp / "no\nsuch.jpg"  # missing: its name is in the message
    return path


CLI_CASES = {"zero-bytes": "bad_image", "png-bomb-header": "image_too_large", "text": "bad_image",
             "directory": "bad_image", "fifo": "bad_image", "tiff-logging": "bad_image",
             "newline-in-name": "bad_image", "bad-apng": "no_person"}


@pytest.mark.parametrize("case", sorted(CLI_CASES))
def test_cli_answers_hostile_files_with_one_line(tmp_path: Path, case: str) -> None:
    person = _hostile_file(tmp_path, case)
    out = tmp_path / "out.png"
    proc = subprocess.run([sys.executable, "-m", "tryon.tools.cli", "run", "--person", str(person),
                           "--item", str(TOP), "--out", str(out)],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {CLI_CASES[case]}: "), proc.stderr
    assert "Traceback" not in proc.stderr and not out.exists()
