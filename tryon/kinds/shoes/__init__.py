"""Shoes: product analysis (:mod:`.product`), the old shoes and hems at each foot
(:mod:`.old_shoes`), per-foot fit (:mod:`.fit`) and the composite (:mod:`.compose`)."""
