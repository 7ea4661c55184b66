"""Read a ``POST /v1/tryon`` multipart body into memory, with limits, never onto disk.

Starlette's own form parser spools files over 1 MiB to a temporary file; photos must never
touch the disk, so this module feeds the body to ``python-multipart``'s streaming parser and
keeps each part in a bounded ``bytearray``. Only the four known fields are accepted, each at
most once.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field

from python_multipart.exceptions import FormParserError
from python_multipart.multipart import MultipartParser, parse_options_header

from tryon.errors import ErrorCode, TryOnError
from tryon.serve.errors import ServeError, ServeErrorCode

__all__ = ["FILE_FIELDS", "TEXT_FIELDS", "TryOnForm", "read_tryon_form"]

FILE_FIELDS = ("person", "item")
TEXT_FIELDS = ("item_id", "kind")
MAX_TEXT_BYTES = 128
MAX_HEADER_BYTES = 1024
MAX_PART_HEADERS = 8
FIELD_LABELS = {"person": "person photo", "item": "item photo"}
MIB = 1024 * 1024


@dataclass(frozen=True)
class TryOnForm:
    """The fields of a try-on request. ``item`` or ``item_id`` is set, never both."""

    person: bytes
    item: bytes | None
    item_id: str | None
    kind: str


@dataclass
class _Part:
    disposition: bytes = b""
    header_name: bytes = b""
    header_value: bytes = b""
    name: str | None = None
    data: bytearray = field(default_factory=bytearray)


class _Collector:
    """python-multipart callbacks that keep the known fields within their limits."""

    def __init__(self, max_photo_bytes: int) -> None:
        self.max_photo_bytes = max_photo_bytes
        self.fields: dict[str, bytes] = {}
        self.part = _Part()

    def on_part_begin(self) -> None:
        self.part = _Part()

    def on_header_field(self, data: bytes, start: int, end: int) -> None:
        self.part.header_name += data[start:end]

    def on_header_value(self, data: bytes, start: int, end: int) -> None:
        self.part.header_value += data[start:end]
        if len(self.part.header_value) > MAX_HEADER_BYTES:
            raise _bad("a part header is too long")

    def on_header_end(self) -> None:
        if self.part.header_name.strip().lower() == b"content-disposition":
            self.part.disposition = self.part.header_value
        self.part.header_name = self.part.header_value = b""

    def on_headers_finished(self) -> None:
        _, options = parse_options_header(self.part.disposition)
        raw = options.get(b"name")
        name = raw.decode("latin-1") if raw is not None else None
        if name not in FILE_FIELDS + TEXT_FIELDS:
            known = ", ".join(FILE_FIELDS + TEXT_FIELDS)
            shown = "a part without a name" if name is None else f"unknown field {name!r:.40}"
            raise _bad(f"{shown}; the fields are {known}")
        if name in self.fields:
            raise _bad(f"field {name!r} is given twice")
        self.part.name = name

    def on_part_data(self, data: bytes, start: int, end: int) -> None:
        name = self.part.name
        self.part.data += data[start:end]
        if name in FILE_FIELDS and len(self.part.data) > self.max_photo_bytes:
            raise TryOnError(ErrorCode.IMAGE_TOO_LARGE,
                             f"the {FIELD_LABELS[name]} is over "
                             f"{self.max_photo_bytes / MIB:.0f} MiB, the limit")
        if name in TEXT_FIELDS and len(self.part.data) > MAX_TEXT_BYTES:
            raise _bad(f"field {name!r} is longer than {MAX_TEXT_BYTES} bytes")

    def on_part_end(self) -> None:
        if self.part.name is not None:
            self.fields[self.part.name] = bytes(self.part.data)


def _bad(message: str) -> ServeError:
    return ServeError(ServeErrorCode.BAD_REQUEST, message)


async def read_tryon_form(content_type: str | None, chunks: AsyncIterator[bytes],
                          max_photo_bytes: int) -> TryOnForm:
    """Parse a ``multipart/form-data`` body streamed as ``chunks``.

    Raises :class:`ServeError` ``bad_request`` (not multipart, malformed, an unknown or
    repeated field, no ``person``, both or neither of ``item`` and ``item_id``) and
    :class:`TryOnError` ``image_too_large`` (a photo over ``max_photo_bytes``, refused while
    it streams in).
    """
    media_type, options = parse_options_header(content_type or "")
    if media_type.lower() != b"multipart/form-data":
        raise _bad("send the photos as multipart/form-data (fields person, item or item_id, "
                   "kind)")
    boundary = options.get(b"boundary")
    if not boundary or len(boundary) > 200:
        raise _bad("the multipart/form-data content type has no usable boundary")
    collector = _Collector(max_photo_bytes)
    callbacks = {name: getattr(collector, name) for name in (
        "on_part_begin", "on_header_field", "on_header_value", "on_header_end",
        "on_headers_finished", "on_part_data", "on_part_end")}
    try:
        parser = MultipartParser(boundary, callbacks,  # type: ignore[arg-type]
                                 max_header_count=MAX_PART_HEADERS,
                                 max_header_size=MAX_HEADER_BYTES)
        async for chunk in chunks:
            parser.write(chunk)
        parser.finalize()
    except FormParserError:
        raise _bad("the multipart/form-data body is malformed") from None
    return _form(collector.fields)


def _form(fields: dict[str, bytes]) -> TryOnForm:
    texts: dict[str, str] = {}
    for name in TEXT_FIELDS:
        if name in fields:
            try:
                texts[name] = fields[name].decode("utf-8").strip()
            except UnicodeDecodeError:
                raise _bad(f"field {name!r} is not UTF-8 text") from None
    if "person" not in fields:
        raise _bad("field 'person' (the photo, a file) is missing")
    item = fields.get("item")
    item_id = texts.get("item_id") or None
    if (item is None) == (item_id is None):
        raise _bad("give either 'item' (a product photo) or 'item_id' (see GET /v1/catalog)")
    return TryOnForm(person=fields["person"], item=item, item_id=item_id,
                     kind=texts.get("kind") or "auto")
