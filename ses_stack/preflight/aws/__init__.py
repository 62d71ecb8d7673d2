"""aws: see the modules."""
