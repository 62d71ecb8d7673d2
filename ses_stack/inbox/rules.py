"""The provider requirements judged from ``SendingFacts``: one rule per requirement, shared by both evaluators."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from ses_stack.checklist.items import Status
from ses_stack.inbox.facts import DomainFacts, SendingFacts
from ses_stack.inbox.requirements import (
    APPLIES,
    COMPLAINT_LIMITS,
    REQUIREMENTS,
    SOURCES,
    Established,
    InboxStatus,
    Provider,
    Scope,
)
from ses_stack.validation import is_within

LISTED = 5  # domains named in one evidence line (the JSON of the checklist has each domain's own verdicts)
_FROM_CHECKLIST = {Status.PASS: InboxStatus.PASS, Status.FAIL: InboxStatus.FAIL, Status.WARN: InboxStatus.WARN}


@dataclass(frozen=True)
class Judgement:
    status: InboxStatus
    established: tuple[Established, ...]
    evidence: str
    fix: str = ""


@dataclass(frozen=True)
class ProviderResult:
    provider: Provider
    requirement: str
    scope: Scope
    judgement: Judgement

    def to_json(self) -> dict[str, Any]:
        j = self.judgement
        return {
            "provider": self.provider.value,
            "requirement": self.requirement,
            "title": REQUIREMENTS[self.requirement].title,
            "appliesTo": self.scope.value,
            "status": j.status.value,
            "established": [e.value for e in j.established],
            "evidence": j.evidence,
            "fix": j.fix,
        }


@dataclass(frozen=True)
class InboxReport:
    providers: tuple[Provider, ...]
    results: tuple[ProviderResult, ...]

    @property
    def ready(self) -> bool:
        """True when no requirement fails (unknown ones need a human, as warnings do)."""
        return all(r.judgement.status is not InboxStatus.FAIL for r in self.results)

    def to_json(self) -> list[dict[str, Any]]:
        return [result.to_json() for result in self.results]


def _names(domains: Sequence[DomainFacts]) -> str:
    shown = ", ".join(d.name for d in domains[:LISTED])
    return shown + (f" and {len(domains) - LISTED} more" if len(domains) > LISTED else "")


def _per_domain(facts: SendingFacts, what: str, verdict: Callable[[DomainFacts], Status], fix: str) -> Judgement:
    if not facts.domains:
        return Judgement(InboxStatus.FAIL, facts.source, "no sending domain", "add a domain identity")
    for status in (Status.FAIL, Status.WARN):
        failing = [d for d in facts.domains if verdict(d) is status]
        if failing:
            evidence = f"{what}: {status.value} for {_names(failing)} (see the checklist)"
            return Judgement(_FROM_CHECKLIST[status], facts.source, evidence, fix)
    return Judgement(InboxStatus.PASS, facts.source, f"{what}: passes for {_names(list(facts.domains))}")


def authentication(facts: SendingFacts) -> Judgement:
    return _per_domain(
        facts,
        "SPF or DKIM",
        lambda d: Status.PASS if Status.PASS in (d.dkim, d.spf) else better(d.dkim, d.spf),
        "fix the domain_dkim and spf items of the checklist",
    )


def better(*statuses: Status) -> Status:
    """The better of verdicts that are not a pass: a WARN (records still to publish, say) is better than a FAIL."""
    return Status.WARN if Status.WARN in statuses else Status.FAIL


def spf(facts: SendingFacts) -> Judgement:
    return _per_domain(facts, "SPF on the custom MAIL FROM domain", lambda d: d.spf, "fix the spf item")


def dkim(facts: SendingFacts) -> Judgement:
    return _per_domain(facts, "Easy DKIM (2048-bit)", lambda d: d.dkim, "fix the domain_dkim item")


def dmarc(facts: SendingFacts) -> Judgement:
    # p=none suffices for every provider: a checklist warning (no rua, a removed tag) is not a provider failure
    return _per_domain(
        facts,
        "a DMARC record with a policy",
        lambda d: Status.FAIL if d.dmarc is Status.FAIL else Status.PASS,
        "publish 'v=DMARC1; p=none; rua=mailto:<reports mailbox>' at _dmarc.<domain> (the dmarc item)",
    )


def aligned_by(domain: DomainFacts) -> list[str]:
    """How mail From the domain aligns: Easy DKIM signs with ``d=<domain>`` (aligned in both modes for mail From
    the domain itself); SPF authenticates the custom MAIL FROM subdomain (aligned unless ``aspf=s``)."""
    tags = domain.dmarc_tags or {}
    found = ["DKIM"] if domain.dkim is Status.PASS else []
    mail_from_within = domain.mail_from is not None and is_within(domain.mail_from, domain.name)
    if domain.spf is Status.PASS and mail_from_within and tags.get("aspf", "r").lower() != "s":
        found.append("SPF" + (" (not while its MX is broken: USE_DEFAULT_VALUE)" if domain.falls_back else ""))
    return found


def alignment(facts: SendingFacts) -> Judgement:
    judged = _per_domain(
        facts,
        "From domain aligned with DKIM (d=) or SPF (custom MAIL FROM)",
        lambda d: Status.PASS if aligned_by(d) else better(d.dkim, d.spf),
        "verify Easy DKIM (domain_dkim) or the custom MAIL FROM domain (spf); with aspf=s SPF never aligns",
    )
    if judged.status is not InboxStatus.PASS:
        return judged
    ways = sorted({" and ".join(aligned_by(d)) for d in facts.domains})
    return Judgement(judged.status, judged.established, f"{judged.evidence}; aligned by {'; '.join(ways)}")


def reverse_dns(facts: SendingFacts) -> Judgement:
    if facts.pool is None:
        return Judgement(
            InboxStatus.PASS,
            facts.source,
            "sends from SES's shared IPs, whose forward and reverse DNS Amazon publishes (not looked up: SES does "
            "not say which IPs a message will use)",
        )
    if facts.ips is None:
        return Judgement(
            InboxStatus.UNKNOWN,
            facts.source,
            f"dedicated IP pool {facts.pool}: its IPs are known only once leased",
            "run `ses-preflight check`: it looks up each IP's PTR and forward record",
        )
    if not facts.ips:
        return Judgement(InboxStatus.WARN, facts.source, f"dedicated IP pool {facts.pool} has no IPs yet")
    broken = [ip for ip in facts.ips if ip.problem]
    if broken:
        evidence = "; ".join(f"{ip.address}: {ip.problem}" for ip in broken[:LISTED])
        return Judgement(InboxStatus.FAIL, facts.source, evidence, "ask AWS Support to fix the IPs' reverse DNS")
    listed = ", ".join(ip.address for ip in facts.ips[:LISTED])
    return Judgement(InboxStatus.PASS, facts.source, f"pool {facts.pool}: PTR and forward DNS agree for {listed}")


def tls(facts: SendingFacts) -> Judgement:
    if not facts.tls_policies:
        return Judgement(InboxStatus.UNKNOWN, facts.source, "no configuration set to read", "deploy the stack")
    optional = sorted(name for name, policy in facts.tls_policies.items() if policy != "REQUIRE")
    if optional:
        return Judgement(
            InboxStatus.WARN,
            facts.source,
            f"configuration set {', '.join(optional)}: TlsPolicy OPTIONAL (TLS when the receiving server offers it, "
            "as Gmail's, Yahoo's and Microsoft's do)",
            "set the configuration set's TlsPolicy to REQUIRE",
        )
    names = ", ".join(sorted(facts.tls_policies))
    return Judgement(InboxStatus.PASS, facts.source, f"configuration set {names}: TlsPolicy REQUIRE")


def one_click_unsubscribe(facts: SendingFacts) -> Judgement:
    established = (*facts.source, Established.SENT_MAIL)
    if facts.unsubscribe is Status.NOT_APPLICABLE:
        return Judgement(InboxStatus.NOT_APPLICABLE, facts.source, "declared transactional mail only")
    if facts.unsubscribe is not Status.PASS:
        return Judgement(
            InboxStatus.FAIL, established, "no contact list with a topic (the unsubscribe item)", "add a contactList"
        )
    return Judgement(
        InboxStatus.PASS,
        established,
        "a contact list with topics: SES adds List-Unsubscribe and List-Unsubscribe-Post (one-click) to messages "
        "sent with ListManagementOptions and signed with Easy DKIM, and stops sending to a contact at once",
        "send every marketing message with ListManagementOptions (check one: its headers show both)",
    )


def complaint_alarms(facts: SendingFacts, provider: Provider) -> Judgement:
    keep_below, never = COMPLAINT_LIMITS[provider]
    note = (
        " SES's complaint rate never counts Gmail users (Gmail sends no complaints): see spam_rate."
        if (provider is Provider.GMAIL)
        else ""
    )
    established = (facts.complaint_source,)
    if facts.complaint_levels is None:
        return Judgement(InboxStatus.FAIL, established, "no alarm on Reputation.ComplaintRate" + note,
                         "deploy the reputation guard (SesReputationGuard)")  # fmt: skip
    warning, critical = facts.complaint_levels
    evidence = f"alarms at {warning:.2%} and {critical:.2%}"
    if warning <= keep_below and critical < never:
        return Judgement(InboxStatus.PASS, established, f"{evidence}, under {keep_below:.2%}.{note}")
    return Judgement(InboxStatus.WARN, established, f"{evidence}: above {keep_below:.2%}.{note}",
                     f"lower reputation.complaintRate below {keep_below:.2%}")  # fmt: skip


def advice(facts: SendingFacts) -> Judgement:
    if facts.advice is None and Established.TEMPLATE in facts.source:
        return Judgement(InboxStatus.UNKNOWN, (Established.API,), "VDM's advice is read live",
                         "run `ses-preflight check` (with VDM on)")  # fmt: skip
    if facts.advice is None:
        return Judgement(InboxStatus.UNKNOWN, (Established.API,), "Virtual Deliverability Manager is off: no advice",
                         "turn VDM on (vdm in the config) to get SES's blocklist and feedback advice")  # fmt: skip
    if not facts.advice:
        return Judgement(InboxStatus.PASS, (Established.API,), "VDM has no open advice on IP listings or feedback")
    worst = InboxStatus.FAIL if any(a.impact == "HIGH" for a in facts.advice) else InboxStatus.WARN
    listed = "; ".join(f"{a.impact} {a.kind}: {a.description}" for a in facts.advice[:LISTED])
    return Judgement(worst, (Established.API,), listed, "follow the advice in the VDM console (Advisor)")


def _fixed(status: InboxStatus, established: Established, evidence: str, fix: str = "") -> Callable[..., Judgement]:
    return lambda facts: Judgement(status, (established,), evidence, fix)


RULES: dict[str, Callable[[SendingFacts], Judgement]] = {
    "authentication": authentication,
    "spf": spf,
    "dkim": dkim,
    "dmarc": dmarc,
    "alignment": alignment,
    "reverse_dns": reverse_dns,
    "tls": tls,
    "one_click_unsubscribe": one_click_unsubscribe,
    "ip_reputation": advice,
    "message_format": _fixed(
        InboxStatus.UNKNOWN, Established.SENT_MAIL, "SES refuses some malformed messages, not all",
        "send one to a mailbox at the provider and read the original (Gmail: Show original): one From, a "
        "Message-ID and a Date header, valid MIME",
    ),
    "spam_rate": _fixed(
        InboxStatus.UNKNOWN, Established.OUTSIDE_DATA, "only Gmail Postmaster Tools reports it; SES's Complaint "
        "events never include Gmail users", "register the domain in Postmaster Tools and watch its spam rate",
    ),
    "feedback_id": _fixed(
        InboxStatus.UNKNOWN, Established.SENT_MAIL, "set per campaign on the messages sent",
        "tag each campaign's messages with ses_stack.feedback_id_tags(...) (ses:feedback-id-a/b)",
    ),
    "opt_in": _fixed(
        InboxStatus.UNKNOWN, Established.NOT_CHECKABLE, "how recipients gave their address is not in any data",
        "send only to recipients who asked (productionAccess.recipientSource says how)",
    ),
}  # fmt: skip


def evaluate_providers(facts: SendingFacts, providers: Iterable[Provider]) -> InboxReport:
    """Every requirement of each provider, in the providers' order."""
    chosen = tuple(dict.fromkeys(providers))
    shared: dict[str, Judgement] = {}
    results = []
    for provider in chosen:
        for requirement, scope in APPLIES[provider]:
            if requirement == "complaint_alarms":
                judgement = complaint_alarms(facts, provider)
            else:
                judgement = shared.setdefault(requirement, RULES[requirement](facts))
            results.append(ProviderResult(provider, requirement, scope, judgement))
    return InboxReport(chosen, tuple(results))


__all__ = ["SOURCES", "InboxReport", "ProviderResult", "evaluate_providers"]
