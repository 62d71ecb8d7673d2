"""sending: see the modules."""
