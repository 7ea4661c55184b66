"""``python -m export.check_mobile OUT_DIR``: check a package of ``tryon-export --mobile``.

Checks every file of ``manifest.json`` against its sha256 and size, then runs every variant
(its ``.onnx`` and its ``.ort``) with ONNX Runtime on the CPU against its golden vectors:
the largest |output - expected| within the precision's ``max_abs`` tolerance and the mean
|output - fp32 expected| within ``mean_abs_vs_fp32``, that mean over the part of the outputs
that shows the photo (a case's ``picture``: the padding below and right of it is discarded by
the runtime). Prints one line per variant; exit status
0 when all pass, 1 with one ``FAIL`` line per problem otherwise, 2 for a missing or unreadable
manifest.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from export.mobile.build import in_picture, run_model
from export.mobile.manifest import sha256

__all__ = ["check_package", "main"]

EXIT_FAILED = 1
EXIT_USAGE = 2
RUNNABLE = ("onnx", "ort")


def check_package(folder: Path) -> tuple[list[str], list[str]]:
    """(report lines, failures) for the package in ``folder``. Raises ``FileNotFoundError`` /
    ``ValueError`` when its manifest is missing or not JSON."""
    manifest = json.loads((folder / "manifest.json").read_text())
    lines: list[str] = []
    failures = _check_files(folder, manifest["files"])
    lines.append(f"files: {len(manifest['files'])} checked against sha256 and size, "
                 f"{len(failures)} bad")
    bad_files = {line.split(": ", 2)[1] for line in failures}
    for variant in manifest["variants"]:
        tolerance = manifest["tolerances"][variant["model"]][variant["precision"]]
        cases = [c for c in manifest["golden"][variant["golden"]]
                 if c["variant"] == variant["name"]]
        for kind in RUNNABLE:
            path = variant["files"][kind]
            if path in bad_files:
                failures.append(f"FAIL: {path}: not run (bad file)")
                continue
            worst, drift, problem = _run_cases(folder, folder / path, cases, variant["inputs"])
            verdict = "ok"
            if problem:
                failures.append(f"FAIL: {path}: {problem}")
                verdict = "FAIL"
            elif worst > tolerance["max_abs"]:
                failures.append(f"FAIL: {path}: max |output - expected| {worst:.3g} > "
                                f"{tolerance['max_abs']:g}")
                verdict = "FAIL"
            elif drift > tolerance["mean_abs_vs_fp32"]:
                failures.append(f"FAIL: {path}: mean |output - fp32| {drift:.3g} > "
                                f"{tolerance['mean_abs_vs_fp32']:g}")
                verdict = "FAIL"
            lines.append(f"{verdict:4} {path}: {len(cases)} golden cases, max |diff| "
                         f"{worst:.2e}, mean |diff vs fp32| {drift:.2e}")
    return lines, failures


def _check_files(folder: Path, files: dict[str, dict[str, Any]]) -> list[str]:
    failures = []
    for name, entry in files.items():
        path = folder / name
        if not path.is_file():
            failures.append(f"FAIL: {name}: missing")
        elif path.stat().st_size != entry["size"] or sha256(path) != entry["sha256"]:
            failures.append(f"FAIL: {name}: sha256 or size differs from the manifest")
    return failures


def _run_cases(folder: Path, model: Path, cases: list[dict[str, Any]],
               inputs: dict[str, list[int]]) -> tuple[float, float, str]:
    """(largest |diff| vs expected, largest mean |diff| vs fp32, problem or "")."""
    worst, drift = 0.0, 0.0
    (name,) = inputs
    for case in cases:
        try:
            feeds = {name: np.load(folder / case["input"])}
            got = run_model(model, feeds)
        except Exception as exc:  # onnxruntime and numpy raise their own types
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            return worst, drift, f"case {case['case']}: cannot run: {first}"
        for array, (output, path) in zip(got, case["expected"].items(), strict=True):
            expected = np.load(folder / path)
            reference = np.load(folder / case["fp32_expected"][output])
            if array.shape != expected.shape:
                return worst, drift, (f"case {case['case']}: {output} shape {array.shape}, "
                                      f"expected {expected.shape}")
            if not np.isfinite(array).all():
                return worst, drift, f"case {case['case']}: {output} is not finite"
            worst = max(worst, float(np.abs(array - expected).max()))
            drift = max(drift, float(np.abs(in_picture(array - reference,
                                                       case.get("picture"))).mean()))
    return worst, drift, ""


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m export.check_mobile",
                                     description="Check a tryon-export --mobile package.")
    parser.add_argument("folder", type=Path, help="the package (OUT_DIR)")
    args = parser.parse_args(argv)
    try:
        lines, failures = check_package(args.folder)
    except (OSError, ValueError, KeyError) as exc:
        print(f"error: cannot read {args.folder / 'manifest.json'}: {exc}", file=sys.stderr)
        return EXIT_USAGE
    for line in lines:
        print(line)
    for line in failures:
        print(line, file=sys.stderr)
    if failures:
        print(f"package {args.folder}: {len(failures)} failure(s)", file=sys.stderr)
        return EXIT_FAILED
    print(f"package {args.folder}: all {len(lines) - 1} runs pass")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
