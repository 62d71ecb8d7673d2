"""_cdk: see the modules."""
