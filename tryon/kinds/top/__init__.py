"""Tops: product analysis (:mod:`.garment`), fit (:mod:`.fit`), the generator's try-on
region (:mod:`.region`) and the hand-made composite (:mod:`.compose`)."""
