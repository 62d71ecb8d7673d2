"""plan: see the modules."""
