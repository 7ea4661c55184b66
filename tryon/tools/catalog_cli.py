"""``tryon index``, ``tryon similar`` and ``tryon trends``: the catalog model on a folder of
product pictures (see ``docs/catalog.md``).

Only the paths the user names are written: ``index --out INDEX`` (through ``INDEX.partial``
beside it, renamed when complete) and ``trends --out REPORT/``. Bad input ends as one
``error: <code>: <message>`` line (the caller, :mod:`tryon.tools.cli`, prints it).
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from tryon.errors import ErrorCode, TryOnError

__all__ = ["CATALOG_COMMANDS", "add_catalog_commands", "run_catalog"]

CATALOG_COMMANDS = frozenset({"index", "similar", "trends"})
DEFAULT_K = 8
MS = 1000.0


def add_catalog_commands(sub: argparse._SubParsersAction) -> None:
    """Add the three catalog sub-commands to ``tryon``'s sub-parsers."""
    index = sub.add_parser("index", help="embed a catalog folder into an index file "
                           "(incremental: only added or changed pictures are embedded)")
    index.add_argument("--catalog", required=True, help="folder of product pictures")
    index.add_argument("--out", required=True, help="index file to write or update (.npz)")
    index.add_argument("--engine", default="local", choices=["local", "ray"],
                       help="where the embedding pass runs: this process, or Ray Data "
                       "($RAY_ADDRESS or a local Ray; needs the scale extra)")
    index.add_argument("--workers", type=int, default=1,
                       help="--engine ray: model replicas (default: %(default)s)")
    index.add_argument("--json", action="store_true", help="print one JSON object")
    similar = sub.add_parser("similar", help="the catalog pictures most like an item")
    similar.add_argument("--catalog", required=True, help="folder of product pictures")
    similar.add_argument("--item", required=True, help="the item's picture")
    similar.add_argument("--k", type=int, default=DEFAULT_K,
                         help="how many to list (default: %(default)s)")
    similar.add_argument("--index", help="index file from tryon index (read only; pictures "
                         "added since are embedded in memory)")
    similar.add_argument("--json", action="store_true", help="print one JSON object")
    trends = sub.add_parser("trends", help="style clusters of a catalog and (with dates) "
                            "their trends, as an HTML report")
    trends.add_argument("--catalog", required=True, help="folder of product pictures")
    trends.add_argument("--out", required=True, help="report folder (index.html, pictures)")
    trends.add_argument("--dates", help="CSV with file,date columns (added, sold or viewed)")
    trends.add_argument("--index", help="index file from tryon index (read only)")
    trends.add_argument("--k-min", type=int, default=2, help="fewest clusters tried")
    trends.add_argument("--k-max", type=int, default=12, help="most clusters tried")
    trends.add_argument("--json", action="store_true", help="print one JSON object")


def run_catalog(args: argparse.Namespace) -> int:
    """Run ``args.command`` (one of :data:`CATALOG_COMMANDS`)."""
    if args.command == "index":
        return _index(args)
    if args.command == "similar":
        return _similar(args)
    return _trends(args)


def _catalog(args: argparse.Namespace) -> Path:
    root = Path(args.catalog)
    if not root.is_dir():
        raise TryOnError(ErrorCode.BAD_ARGUMENT, f"--catalog {root} is not a folder")
    return root


def _current(args: argparse.Namespace, root: Path):  # -> tuple[CatalogIndex, IndexUpdate]
    """The catalog's index: ``--index`` brought up to date in memory, or built in memory."""
    from tryon.catalog.index import load_index, update_index

    previous = load_index(args.index, root) if args.index else None
    return update_index(root, previous)


def _index(args: argparse.Namespace) -> int:
    from tryon.catalog.index import load_index, save_index, update_index

    root, out = _catalog(args), Path(args.out)
    if out.is_dir():
        raise TryOnError(ErrorCode.BAD_ARGUMENT, f"--out {out} is a folder, not a file")
    if not (out.parent if str(out.parent) else Path(".")).is_dir():
        raise TryOnError(ErrorCode.BAD_ARGUMENT, f"--out {out}: folder {out.parent} does "
                         "not exist")
    if args.workers < 1:
        raise TryOnError(ErrorCode.BAD_ARGUMENT, "--workers must be at least 1")
    # An existing file is updated only when it is an index (never overwrite anything else).
    previous = load_index(out, root) if out.exists() else None
    start = time.perf_counter()
    index, update = update_index(root, previous, engine=args.engine, workers=args.workers)
    seconds = time.perf_counter() - start
    save_index(index, out)
    embedded = update.added + update.changed
    report = {"out": str(out), "pictures": len(index), "added": update.added,
              "changed": update.changed, "removed": update.removed, "kept": update.kept,
              "skipped": list(update.skipped), "seconds": round(seconds, 3),
              "ms_per_embedded": round(seconds * MS / embedded, 1) if embedded else None,
              "engine": args.engine}
    if args.json:
        print(json.dumps(report))
    else:
        for line in update.skipped:
            print(f"warning: skipped {line}")
        print(f"wrote {out}: {len(index)} pictures ({update.added} added, {update.changed} "
              f"changed, {update.removed} removed, {update.kept} kept) in {seconds:.1f} s")
    return 0


def _similar(args: argparse.Namespace) -> int:
    from tryon.catalog.classifier import default_models
    from tryon.catalog.model import describe_item
    from tryon.catalog.similar import nearest
    from tryon.imaging.decode import decode_image

    root = _catalog(args)
    if args.k < 1:
        raise TryOnError(ErrorCode.BAD_ARGUMENT, f"--k must be at least 1, got {args.k}")
    item = decode_image(args.item)  # bad_image etc. before any embedding work
    index, _ = _current(args, root)
    embedder, classifier = default_models()
    start = time.perf_counter()
    features = describe_item(embedder, item.rgb, item.alpha)
    neighbours = nearest(index, features.embedding, args.k)
    query_ms = (time.perf_counter() - start) * MS
    guess = classifier.guess(features)
    kind = guess.kind.value if guess.kind is not None else None
    if args.json:
        print(json.dumps({"item": str(args.item), "kind": kind,
                          "kind_confidence": round(guess.confidence, 4),
                          "query_ms": round(query_ms, 1), "catalog_size": len(index),
                          "neighbours": [{"path": n.path, "score": round(n.score, 4)}
                                         for n in neighbours]}))
    else:
        print(f"{args.item}: {kind or 'not a product'} ({guess.confidence:.0%}); most similar "
              f"of {len(index)}:")
        for rank, neighbour in enumerate(neighbours, start=1):
            print(f"{rank:3d}. {neighbour.score:.3f}  {neighbour.path}")
    return 0


def _trends(args: argparse.Namespace) -> int:
    from tryon.catalog.classifier import default_models
    from tryon.catalog.clusters import cluster_index
    from tryon.catalog.report import write_report
    from tryon.catalog.trends import cluster_trends, read_dates

    root, out = _catalog(args), Path(args.out)
    if out.exists() and not out.is_dir():
        raise TryOnError(ErrorCode.BAD_ARGUMENT, f"--out {out} exists and is not a folder")
    if not out.exists() and not (out.parent if str(out.parent) else Path(".")).is_dir():
        raise TryOnError(ErrorCode.BAD_ARGUMENT, f"--out {out}: folder {out.parent} does "
                         "not exist")
    if args.k_min < 2 or args.k_max < args.k_min:
        raise TryOnError(ErrorCode.BAD_ARGUMENT, f"need 2 ≤ --k-min ≤ --k-max, got "
                         f"{args.k_min} and {args.k_max}")
    rows = read_dates(args.dates) if args.dates else None  # CSV problems before the work
    index, _ = _current(args, root)
    clustering = cluster_index(index, default_models()[1], (args.k_min, args.k_max))
    trends = (cluster_trends(index.paths, clustering.labels, clustering.k, rows)
              if rows is not None else None)
    page = write_report(out, index, clustering, trends)
    if args.json:
        from tryon.catalog.report import report_json

        print(json.dumps({"out": str(page), **report_json(index, clustering, trends)}))
    else:
        print(f"wrote {page}: {clustering.k} clusters of {len(index)} pictures, silhouette "
              f"{clustering.silhouette:.3f}")
        for cluster in clustering.clusters:
            print(f"  {cluster.number}: {cluster.name} ({len(cluster.members)})")
    return 0
