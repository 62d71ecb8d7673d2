"""Account and sending settings CloudFormation has no resource for: one custom-resource provider per stack.

Empty on purpose: importing ``ses_stack.settings.runtime`` must not load aws_cdk.
"""
