"""Try-on runtime."""

import os as _os

# Before any submodule imports onnxruntime: ONNX Runtime (1.31, Linux too) writes a telemetry
# database and a device id under ~/.cache/Microsoft/DeveloperTools when it is imported unless
# this is set. A user's own setting wins.
_os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")
