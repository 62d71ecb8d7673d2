"""``ses-preflight``: checks a live account and its DNS against the checklist, and prepares the request that takes
the account out of the sandbox. No aws_cdk import anywhere in this package: it must start fast.
"""
