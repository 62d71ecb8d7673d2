"""account: see the modules."""
