"""Streamlit entry point: ``streamlit run ui/app.py [-- --kiosk]`` (also ``tryon ui``).

Kept to a few lines: the pages are in :mod:`ui.page`, the logic in :mod:`ui` and :mod:`tryon`.
"""

import sys
from importlib.util import find_spec
from pathlib import Path

if find_spec("ui") is None:  # a checkout run without `pip install -e .`
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from ui.page import main  # noqa: E402

main()
