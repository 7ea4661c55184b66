"""The human-readable table that ``tryon bench`` prints (``--json`` prints the dict itself)."""

from __future__ import annotations

from typing import Any

__all__ = ["format_report"]

STAGE_NAMES = {"decode": "decode", "person": "pose (person)", "item": "item preparation",
               "fit": "fit", "compose": "compose", "refine": "refine"}


def format_report(report: dict[str, Any]) -> str:
    """Lines of text for a :func:`tryon.tools.bench.run_bench` report."""
    machine = report["machine"]
    height, width = report["size"]
    lines = [f"tryon bench: {height}×{width} results, provider {report['provider']}, "
             f"{report['runs']} passes, warm engine, caches cleared per run",
             f"machine: {machine['cpu']}, {machine['cores']} cores, "
             f"onnxruntime {machine['onnxruntime']}; model: {report['model']}", "",
             f"{'stage (ms)':18} {'top median':>10} {'p90':>7}   {'shoes median':>12} {'p90':>7}"]
    stages = report["stages_ms"]
    for stage, name in STAGE_NAMES.items():
        top, shoes = stages["top"][stage], stages["shoes"][stage]
        lines.append(f"{name:18} {top['median']:10.1f} {top['p90']:7.1f}   "
                     f"{shoes['median']:12.1f} {shoes['p90']:7.1f}")
    ends = report["end_to_end_ms"]
    lines.append(f"{'end to end':18} {ends['top']['median']:10.1f} {ends['top']['p90']:7.1f}   "
                 f"{ends['shoes']['median']:12.1f} {ends['shoes']['p90']:7.1f}")
    met = report["target_met"]
    lines.append(f"target ≤ {report['target_ms']:.0f} ms median: top "
                 f"{'met' if met['top'] else 'NOT met'}, shoes "
                 f"{'met' if met['shoes'] else 'NOT met'} "
                 f"({report['samples']['top']} top and {report['samples']['shoes']} shoe runs)")
    same = ends["top_same_photo"]
    lines.append(f"another top on a photo already analysed (pose cached): median "
                 f"{same['median']:.1f} ms, p90 {same['p90']:.1f} ms")
    for skipped in report["skipped"]:
        lines.append(f"skipped {skipped}")
    batch = report["batch"]
    lines += ["", f"batch: {batch['done']} of {batch['pairs']} try-ons in {batch['seconds']:.2f} s"
              f" = {batch['per_second']:.2f} try-ons/s (generator batches of "
              f"{batch['batch_size']}, {len(batch['failures'])} failed)"]
    if "big_photo" in report:
        lines += ["", _big_photo_line(report["big_photo"])]
    if "generator" in report:
        lines += ["", *_generator_lines(report["generator"])]
    return "\n".join(lines)


def _big_photo_line(big: dict[str, Any]) -> str:
    height, width = big["size"]
    work_height, work_width = big["work_size"]
    return (f"big photo {width}×{height} ({height * width / 1e6:.0f} MP, worked on at "
            f"{work_width}×{work_height}): median {big['big_ms']['median']:.0f} ms, "
            f"p90 {big['big_ms']['p90']:.0f} ms = {big['big_over_work']:.2f}× the "
            f"{work_width}×{work_height} photo ({big['work_ms']['median']:.0f} ms), "
            f"{big['big_over_top']:.1f}× a top at the bench size")


def _generator_lines(generator: dict[str, Any]) -> list[str]:
    lines = ["generator alone (ms, median / p90):"]
    for entry in generator["sizes"]:
        shape = "×".join(str(v) for v in entry["input"])
        text = f"  {shape:14} onnxruntime {_ms(entry['onnxruntime_ms'])}"
        if "onnxruntime_fp16_ms" in entry:
            text += f", fp16 {_ms(entry['onnxruntime_fp16_ms'])}"
        text += f"; PyTorch {_ms(entry['torch_ms'])}"
        if "torch_over_onnxruntime" in entry:
            text += f"; PyTorch/ORT = {entry['torch_over_onnxruntime']:.2f}"
        lines.append(text)
    batch = generator["batch"]
    shape = "×".join(str(v) for v in batch["input"])
    lines.append(f"  {shape:14} onnxruntime {_ms(batch['onnxruntime_ms'])} = "
                 f"{batch['images_per_second']} images/s")
    lines.append(f"  ({generator['note']})")
    return lines


def _ms(figures: dict[str, Any]) -> str:
    if "median" not in figures:
        return figures.get("note", "n/a")
    return f"{figures['median']:.1f} / {figures['p90']:.1f}"
