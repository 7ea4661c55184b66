"""Checkpoint → ONNX export of the refinement generator (``tryon-export``; needs torch).

:mod:`export.checkpoint` reads what ``tryon-train`` writes, :mod:`export.onnx_export` writes
the ONNX (fp32, fp16) and ORT-format files with their metadata, :mod:`export.parity` checks
them against PyTorch. The runtime (:mod:`tryon.refine`) reads only the exported files.
"""

__all__: list[str] = []
