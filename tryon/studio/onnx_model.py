"""Opening a Studio model file (the colourway GAN, :mod:`tryon.studio.gan`; the sketch →
product model, :mod:`tryon.studio.design`) in one ONNX Runtime session on the CPU
(:func:`tryon.generator.runtime.open_session`), its metadata checked against its contract."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

import onnxruntime as ort

from tryon.errors import ErrorCode, TryOnError
from tryon.generator.runtime import open_session

__all__ = ["open_studio_model"]


def open_studio_model(model_path: str | Path | None, default: Path, name: str, hint: str,
                      check_metadata: Callable[[Mapping[str, str]], str | None], threads: int
                      ) -> tuple[Path, ort.InferenceSession, dict[str, str]]:
    """(path, session, metadata) of ``model_path`` (``default`` when None). Raises
    :class:`TryOnError` ``refiner_unavailable`` for a missing file (the message ends with
    ``hint``) or one whose metadata ``check_metadata`` refuses (not a ``name`` model of this
    contract)."""
    path = Path(model_path) if model_path is not None else default
    if not path.is_file():
        raise TryOnError(ErrorCode.REFINER_UNAVAILABLE, f"{name} model {path} does not "
                         f"exist; {hint}")
    session, _ = open_session(str(path), "cpu", threads=threads)
    metadata = dict(session.get_modelmeta().custom_metadata_map)
    problem = check_metadata(metadata)
    if problem is not None:
        raise TryOnError(ErrorCode.REFINER_UNAVAILABLE,
                         f"{path} is not a {name} model of this engine ({problem})")
    return path, session, metadata
