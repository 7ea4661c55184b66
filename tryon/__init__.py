"""Try-on runtime."""
