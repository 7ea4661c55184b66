"""OpenAPI descriptions of ``POST /v1/tryon`` (its body is read by :mod:`tryon.serve.form`,
not by FastAPI's parameters, so the schema is written out here for ``/docs``)."""

from __future__ import annotations

from typing import Any

from tryon.kinds import KIND_CHOICES

__all__ = ["TRYON_REQUEST_BODY", "TRYON_RESPONSES"]

_ERROR = {"application/json": {"schema": {
    "type": "object", "required": ["code", "message"],
    "properties": {"code": {"type": "string", "example": "no_person"},
                   "message": {"type": "string"}}}}}

TRYON_REQUEST_BODY: dict[str, Any] = {
    "required": True,
    "content": {"multipart/form-data": {"schema": {
        "type": "object", "required": ["person"],
        "properties": {
            "person": {"type": "string", "format": "binary",
                       "description": "photo of the person (JPEG, PNG or WebP)"},
            "item": {"type": "string", "format": "binary",
                     "description": "product photo of the item (or give item_id)"},
            "item_id": {"type": "string", "description": "an id from GET /v1/catalog"},
            "kind": {"type": "string", "enum": list(KIND_CHOICES), "default": "auto"},
        }}}},
}

TRYON_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"description": "The try-on: a PNG the size of the photo, or with "
          "`Accept: application/json` the timings, warnings and the PNG in base64",
          "content": {"image/png": {"schema": {"type": "string", "format": "binary"}},
                      "application/json": {"schema": {"type": "object", "properties": {
                          "kind": {"type": "string"}, "refined": {"type": "boolean"},
                          "width": {"type": "integer"}, "height": {"type": "integer"},
                          "timings_ms": {"type": "object",
                                         "additionalProperties": {"type": "number"}},
                          "warnings": {"type": "array", "items": {"type": "string"}},
                          "image_png_base64": {"type": "string"}}}}}},
    400: {"description": "bad_request or bad_argument", "content": _ERROR},
    401: {"description": "unauthorized: no key or a wrong key", "content": _ERROR},
    408: {"description": "read_timeout: the body arrived too slowly", "content": _ERROR},
    413: {"description": "request_too_large or image_too_large", "content": _ERROR},
    422: {"description": "bad_image, no_person, body_not_visible, bad_item, ...",
          "content": _ERROR},
    429: {"description": "rate_limited (see Retry-After)", "content": _ERROR},
    503: {"description": "busy, timeout or not_ready (see Retry-After)", "content": _ERROR},
}
