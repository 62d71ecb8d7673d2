"""drill: see the modules."""
