"""Dresses: one piece from the shoulders to the hem."""
