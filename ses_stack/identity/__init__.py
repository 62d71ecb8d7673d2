"""identity: see the modules."""
