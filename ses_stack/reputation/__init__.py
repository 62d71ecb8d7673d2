"""Reputation guard: alarms, operations topic and auto-pause (``guard``), with the pause Lambda (``runtime``).

Empty on purpose: importing ``ses_stack.reputation.runtime`` must not load aws_cdk.
"""
