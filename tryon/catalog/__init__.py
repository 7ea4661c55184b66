"""Catalog intelligence: what an item is, similar items, style clusters and trends.

- :func:`classify_item` — top, bottom, dress, shoes or not a product (``None``), with
  confidence and per-class probabilities (:mod:`tryon.catalog.classifier`);
- :mod:`tryon.catalog.model` — the catalog model (EfficientNet-Lite0 embeddings by ONNX
  Runtime) and the colour/shape features (:mod:`tryon.catalog.features`);
- :mod:`tryon.catalog.index`, :mod:`~tryon.catalog.similar`, :mod:`~tryon.catalog.clusters`,
  :mod:`~tryon.catalog.trends`, :mod:`~tryon.catalog.report` — ``tryon index``, ``similar``
  and ``trends``; :mod:`tryon.catalog.scale` — the embedding pass, locally or on Ray Data.

Never imports torch. See ``docs/catalog.md``.
"""

from tryon.catalog.classifier import KindGuess, classify_item

__all__ = ["KindGuess", "classify_item"]
