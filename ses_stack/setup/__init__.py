"""setup: see the modules."""
