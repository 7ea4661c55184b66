"""The early check of a shopper's photo, run as soon as it is uploaded or taken.

:func:`check_photo` decodes the photo, looks for a person, and asks each kind with a check in
:data:`KIND_CHECKS` whether the photo shows what that kind needs (shoulders for a top, legs for
a bottom or a dress, feet for shoes: each kind's ``check_person``). The answer, a
:class:`PhotoCheck`, says in one plain sentence what is wrong and what to do, and which kinds
are greyed out and why. Error codes and the engine's own words go to the server log and to
:attr:`PhotoCheck.detail` ("Show details"), never to the sentence.
"""

from __future__ import annotations

import hashlib
import io
import logging
from collections.abc import Callable
from dataclasses import dataclass

from PIL import Image, ImageOps

from tryon.body.person import PersonAnalysis
from tryon.errors import TryOnError
from tryon.imaging.decode import decode_image
from tryon.imaging.resolution import working_copy
from tryon.kinds.registry import STRATEGIES
from tryon.tools.pool import EnginePool
from ui.catalog import kind_plural
from ui.messages import GENERIC_MESSAGE, shopper_message, shopper_warning

__all__ = ["KIND_CHECKS", "PREVIEW_SIZE", "PhotoCheck", "check_photo", "photo_key"]

_LOG = logging.getLogger(__name__)

PREVIEW_SIZE = 320  # longest side of the preview kept beside the uploader, pixels
PERSON_PHOTO = "person photo"  # how the engine names the shopper's photo in its messages

PersonCheck = Callable[[PersonAnalysis, tuple[int, int]], object]
# (person analysis, (H, W) of the analysed picture) -> raises TryOnError when unfit: every
# kind's own check (KindStrategy.check_person).
KIND_CHECKS: dict[str, PersonCheck] = {kind.value: strategy.check_person
                                       for kind, strategy in STRATEGIES.items()}


@dataclass(frozen=True)
class PhotoCheck:
    """What the early check found. ``key``: the photo's digest. When the photo cannot be
    used, ``message`` is the shopper's sentence, ``code`` the engine's error code and
    ``detail`` the engine's own words. ``blocked``: (kind, sentence) for each kind this
    photo cannot take; ``notes``: other sentences worth saying (two people seen);
    ``preview``: a small JPEG of the photo, upright (empty when it did not decode)."""

    key: str
    message: str = ""
    code: str = ""
    detail: str = ""
    blocked: tuple[tuple[str, str], ...] = ()
    notes: tuple[str, ...] = ()
    preview: bytes = b""

    @property
    def ok(self) -> bool:
        """The photo decoded and a person was found."""
        return not self.message

    def reason(self, kind: str) -> str | None:
        """Why ``kind`` cannot be tried on this photo, or None when it can."""
        return dict(self.blocked).get(kind)


def photo_key(photo: bytes) -> str:
    """A digest of the photo's bytes (the same photo, the same key)."""
    return hashlib.sha256(photo).hexdigest()


def check_photo(pool: EnginePool, photo: bytes,
                kinds: tuple[str, ...] = tuple(KIND_CHECKS)) -> PhotoCheck:
    """Check ``photo`` on an engine of ``pool``; never raises for a bad photo or a bug."""
    key = photo_key(photo)
    try:
        with pool.engine() as engine:
            decoded = working_copy(decode_image(photo, engine.limits), engine.work_pixels)
            person = engine.analyzer.analyze(decoded.rgb)
    except TryOnError as error:
        error = TryOnError(error.code, f"{PERSON_PHOTO}: {error.message}")
        _LOG.info("photo check: %s: %s", error.code.value, error.message)
        preview = _preview(photo) if error.code.value not in _UNREADABLE else b""
        return PhotoCheck(key, message=shopper_message(error), code=error.code.value,
                          detail=error.message, preview=preview)
    except Exception:  # a bug must not show a traceback to a shopper; the log keeps it
        _LOG.exception("photo check failed")
        return PhotoCheck(key, message=GENERIC_MESSAGE, code="internal",
                          detail="internal error (see the server log)")
    size = decoded.rgb.shape[:2]
    blocked = []
    for kind in kinds:
        check = KIND_CHECKS.get(kind)
        if check is None:
            continue
        try:
            check(person, size)
        except TryOnError as error:
            _LOG.info("photo check: %s greyed out: %s: %s", kind, error.code.value,
                      error.message)
            blocked.append((kind, _blocked_sentence(kind, shopper_message(error))))
    notes = tuple(note for note in map(shopper_warning, person.warnings) if note)
    return PhotoCheck(key, blocked=tuple(blocked), notes=notes,
                      preview=_encode_preview(Image.fromarray(decoded.rgb)))


_UNREADABLE = {"bad_image", "image_too_large", "bad_argument"}


def _blocked_sentence(kind: str, sentence: str) -> str:
    """"Shoes are greyed out because we could not see your feet — step back …"."""
    return f"{kind_plural(kind).capitalize()} are greyed out because {sentence[0].lower()}" \
        f"{sentence[1:]}"


def _preview(photo: bytes) -> bytes:
    """A small upright JPEG of ``photo``, or b"" when Pillow cannot read it."""
    try:
        with Image.open(io.BytesIO(photo)) as picture:
            return _encode_preview(ImageOps.exif_transpose(picture).convert("RGB"))
    except Exception:  # any file Pillow cannot read simply gets no preview
        return b""


def _encode_preview(picture: Image.Image) -> bytes:
    picture = picture.copy()
    picture.thumbnail((PREVIEW_SIZE, PREVIEW_SIZE), Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    picture.save(buffer, format="JPEG", quality=85)
    return buffer.getvalue()
