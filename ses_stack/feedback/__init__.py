"""Bounce and complaint feedback: the pipeline construct (``pipeline``) and its Lambda code (``runtime``).

Empty on purpose: importing ``ses_stack.feedback.runtime`` must not load aws_cdk.
"""
