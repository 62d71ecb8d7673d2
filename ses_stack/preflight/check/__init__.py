"""check: see the modules."""
