"""Inbox-ready: what Gmail, Yahoo, Microsoft, La Poste and Apple require of senders, judged from a template (at
synth) or a live account, each verdict labelled with how it was established. Pure Python (no aws_cdk)."""

from ses_stack.inbox.facts import Advice, DomainFacts, SendingFacts, SendingIp
from ses_stack.inbox.report import format_inbox
from ses_stack.inbox.requirements import APPLIES, REQUIREMENTS, SOURCES, Established, InboxStatus, Provider, Scope
from ses_stack.inbox.rules import InboxReport, ProviderResult, evaluate_providers

__all__ = [
    "APPLIES",
    "REQUIREMENTS",
    "SOURCES",
    "Advice",
    "DomainFacts",
    "Established",
    "InboxReport",
    "InboxStatus",
    "Provider",
    "ProviderResult",
    "Scope",
    "SendingFacts",
    "SendingIp",
    "evaluate_providers",
    "format_inbox",
]
