"""The catalog index: one file with every catalog picture's features, updated incrementally.

The file is an ``.npz`` (numpy arrays, read without pickle): ``paths`` (N,) catalog-relative
POSIX paths, sorted; ``sizes`` (N,) bytes, ``mtimes`` (N,) ns, ``hashes`` (N,) SHA-256 hex;
``embedding`` (N, 1280) unit-length float32; ``palette`` (N, K, 3) Lab; ``weights`` (N, K);
``shape`` (N, S); ``model`` the catalog model file's SHA-256 (an index made by another
model is rebuilt); ``format`` :data:`FORMAT`.

Updating lists the catalog's pictures, keeps entries whose size and modification time (or,
failing that, content hash) are unchanged, embeds only added or changed files and drops
removed ones.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from tryon.catalog.model import DEFAULT_EMBEDDER, EMBEDDER_ENV, ItemFeatures
from tryon.catalog.scale import describe_files
from tryon.errors import ErrorCode, TryOnError

__all__ = ["FORMAT", "IMAGE_SUFFIXES", "CatalogIndex", "IndexUpdate", "catalog_files",
           "load_index", "model_digest", "save_index", "update_index"]

FORMAT = "tryon-catalog-index-1"
IMAGE_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".webp", ".bmp", ".gif", ".tif", ".tiff"})
HASH_CHUNK = 1 << 20
FEATURES = ("embedding", "palette", "weights", "shape")


@dataclass(frozen=True)
class CatalogIndex:
    """The index in memory (fields as in the module docstring); row i describes ``paths[i]``
    under ``root``."""

    root: Path
    paths: np.ndarray
    sizes: np.ndarray
    mtimes: np.ndarray
    hashes: np.ndarray
    embedding: np.ndarray
    palette: np.ndarray
    weights: np.ndarray
    shape: np.ndarray
    model: str

    def __len__(self) -> int:
        return len(self.paths)

    def features(self, row: int) -> ItemFeatures:
        """Row ``row``'s features (as :func:`tryon.catalog.model.describe_item` gives)."""
        return ItemFeatures(self.embedding[row], self.palette[row], self.weights[row],
                            self.shape[row])

    def files(self) -> list[Path]:
        return [self.root / name for name in self.paths]


@dataclass(frozen=True)
class IndexUpdate:
    """What an update did: counts of ``added``, ``changed``, ``removed`` and ``kept``
    entries, and ``skipped`` files that could not be read (path: reason)."""

    added: int
    changed: int
    removed: int
    kept: int
    skipped: tuple[str, ...]


def catalog_files(root: Path) -> list[str]:
    """The pictures under ``root`` (recursively, hidden folders and files left out), as
    sorted POSIX paths relative to it. Raises ``bad_argument`` when ``root`` is no folder."""
    if not root.is_dir():
        raise TryOnError(ErrorCode.BAD_ARGUMENT, f"catalog {root} is not a folder")
    found = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in files:
            if not name.startswith(".") and Path(name).suffix.lower() in IMAGE_SUFFIXES:
                found.append((Path(folder) / name).relative_to(root).as_posix())
    return sorted(found)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(HASH_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def model_digest(model_path: str | Path | None = None) -> str:
    """SHA-256 of the catalog model file (the one :class:`CatalogEmbedder` would load)."""
    path = Path(model_path or os.environ.get(EMBEDDER_ENV) or DEFAULT_EMBEDDER)
    if not path.is_file():
        raise TryOnError(ErrorCode.BAD_ARGUMENT, f"catalog model {path} is missing")
    return _sha256(path)


def _empty(root: Path, model: str) -> CatalogIndex:
    features = describe_files([])
    return CatalogIndex(root, np.array([], dtype=str), np.zeros(0, np.int64),
                        np.zeros(0, np.int64), np.array([], dtype=str),
                        *(features[key] for key in FEATURES), model=model)


def update_index(root: str | Path, previous: CatalogIndex | None = None, *,
                 engine: str = "local", model_path: str | Path | None = None,
                 workers: int = 1, progress: Callable[[int, int], None] | None = None
                 ) -> tuple[CatalogIndex, IndexUpdate]:
    """The index of catalog ``root``, reusing ``previous`` entries that are unchanged (all
    are re-embedded when ``previous`` was made by another model)."""
    root = Path(root)
    names = catalog_files(root)
    model = model_digest(model_path)
    if previous is None or previous.model != model:
        previous = _empty(root, model)
    old = {name: row for row, name in enumerate(previous.paths)}
    keep_rows: dict[str, int] = {}
    todo: list[str] = []
    stats: dict[str, tuple[int, int, str]] = {}
    for name in names:
        info = (root / name).stat()
        row = old.get(name)
        if row is not None and (previous.sizes[row], previous.mtimes[row]) == (
                info.st_size, info.st_mtime_ns):
            keep_rows[name] = row
            stats[name] = (info.st_size, info.st_mtime_ns, str(previous.hashes[row]))
            continue
        digest = _sha256(root / name)
        stats[name] = (info.st_size, info.st_mtime_ns, digest)
        if row is not None and previous.hashes[row] == digest:
            keep_rows[name] = row
        else:
            todo.append(name)
    fresh = describe_files([root / name for name in todo], engine=engine,
                           model_path=model_path, workers=workers, progress=progress)
    skipped = tuple(f"{name}: {error}" for name, ok, error in
                    zip(todo, fresh["ok"], fresh["error"], strict=True) if not ok)
    fresh_rows = {name: row for row, name in enumerate(todo) if fresh["ok"][row]}
    kept_names = [name for name in names if name in keep_rows or name in fresh_rows]

    def column(key: str) -> np.ndarray:
        rows = [getattr(previous, key)[keep_rows[n]] if n in keep_rows
                else fresh[key][fresh_rows[n]] for n in kept_names]
        return np.stack(rows) if rows else fresh[key][:0]

    index = CatalogIndex(
        root, np.array(kept_names, dtype=str),
        np.array([stats[n][0] for n in kept_names], np.int64),
        np.array([stats[n][1] for n in kept_names], np.int64),
        np.array([stats[n][2] for n in kept_names], dtype=str),
        *(column(key) for key in FEATURES), model=model)
    update = IndexUpdate(added=sum(1 for n in fresh_rows if n not in old),
                         changed=sum(1 for n in fresh_rows if n in old),
                         removed=sum(1 for n in old if n not in keep_rows and n not in fresh_rows),
                         kept=len(keep_rows), skipped=skipped)
    return index, update


def save_index(index: CatalogIndex, out: str | Path) -> Path:
    """Write ``index`` to ``out`` (``.npz``); written under ``out``'s name + ``.partial``
    beside it, then renamed, so a reader never sees half a file."""
    out = Path(out)
    partial = out.with_name(out.name + ".partial")
    try:
        with partial.open("wb") as handle:
            np.savez(handle, format=np.array(FORMAT), root=np.array(str(index.root)),
                     model=np.array(index.model), paths=index.paths, sizes=index.sizes,
                     mtimes=index.mtimes, hashes=index.hashes,
                     **{key: getattr(index, key) for key in FEATURES})
        partial.replace(out)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise TryOnError(ErrorCode.BAD_ARGUMENT, f"cannot write index {out}: "
                         f"{exc.strerror or exc}") from None
    return out


def load_index(path: str | Path, root: str | Path | None = None) -> CatalogIndex:
    """Read an index written by :func:`save_index`; ``root`` (the catalog folder) replaces
    the one stored. Raises ``bad_argument`` when it is missing or not an index."""
    path = Path(path)
    try:
        with np.load(path, allow_pickle=False) as data:
            if str(data["format"]) != FORMAT:
                raise ValueError("unknown format")
            arrays = {key: data[key] for key in data.files}
    except (OSError, KeyError, ValueError, EOFError) as exc:
        raise TryOnError(ErrorCode.BAD_ARGUMENT, f"{path} is not a readable catalog index "
                         f"({type(exc).__name__})") from None
    stored = CatalogIndex(Path(str(arrays["root"])), arrays["paths"], arrays["sizes"],
                          arrays["mtimes"], arrays["hashes"],
                          *(arrays[key] for key in FEATURES), model=str(arrays["model"]))
    return stored if root is None else replace(stored, root=Path(root))
