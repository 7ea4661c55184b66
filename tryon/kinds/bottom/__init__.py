"""Bottoms: trousers, jeans, shorts and skirts."""
