"""The pre-flight checklist: item ids, verdicts and results shared by the template and live evaluators."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any, Protocol


class ItemId(enum.StrEnum):
    """Stable ids of the checklist items, used in reports, JSON outputs and docs."""

    DOMAIN_DKIM = "domain_dkim"
    SPF = "spf"
    DMARC = "dmarc"
    BOUNCE = "bounce"
    COMPLAINT = "complaint"
    SUPPRESSION = "suppression"
    UNSUBSCRIBE = "unsubscribe"


class Status(enum.StrEnum):
    """A verdict. Only FAIL makes a checklist not ready; WARN needs a human look."""

    PASS = "pass"
    FAIL = "fail"
    WARN = "warn"
    NOT_APPLICABLE = "not_applicable"


@dataclass(frozen=True)
class ItemDefinition:
    id: ItemId
    title: str
    passes_when: str
    per_domain: bool


ITEMS: tuple[ItemDefinition, ...] = (
    ItemDefinition(
        ItemId.DOMAIN_DKIM,
        "Verified domain with Easy DKIM",
        "a domain identity (not an address) signs with Easy DKIM 2048-bit and its 3 DKIM CNAMEs are published",
        per_domain=True,
    ),
    ItemDefinition(
        ItemId.SPF,
        "SPF on a custom MAIL FROM domain",
        "a MAIL FROM subdomain with exactly one MX to the Region's feedback host and exactly one SPF record",
        per_domain=True,
    ),
    ItemDefinition(
        ItemId.DMARC,
        "DMARC policy",
        "one valid _dmarc TXT record with a policy, reporting to a mailbox that receives mail",
        per_domain=True,
    ),
    ItemDefinition(
        ItemId.BOUNCE,
        "Bounce handling",
        "BOUNCE events reach a topic -> queue -> handler that suppresses permanently bounced addresses",
        per_domain=False,
    ),
    ItemDefinition(
        ItemId.COMPLAINT,
        "Complaint handling",
        "COMPLAINT events reach a topic -> queue -> handler that suppresses complainants",
        per_domain=False,
    ),
    ItemDefinition(
        ItemId.SUPPRESSION,
        "Suppression list",
        "configuration-set (and account) suppression of BOUNCE and COMPLAINT",
        per_domain=False,
    ),
    ItemDefinition(
        ItemId.UNSUBSCRIBE,
        "Unsubscribe mechanism",
        "a contact list with at least one topic (one-click List-Unsubscribe), or transactional mail only",
        per_domain=False,
    ),
)

DEFINITIONS: dict[ItemId, ItemDefinition] = {item.id: item for item in ITEMS}


@dataclass(frozen=True)
class ItemResult:
    """The verdict on one item (for one domain where the item is per domain), with what was seen and what to do."""

    item: ItemId
    status: Status
    evidence: str
    fix: str = ""
    domain: str | None = None
    tenant: str | None = None
    """The SES tenant the verdict is about (``suppression`` per tenant), else None."""

    @property
    def subject(self) -> str | None:
        """The domain or tenant the verdict is about; None for an account-wide verdict."""
        return self.domain if self.domain is not None else (f"tenant {self.tenant}" if self.tenant else None)

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"item": self.item.value, "status": self.status.value}
        if self.domain is not None:
            data["domain"] = self.domain
        if self.tenant is not None:
            data["tenant"] = self.tenant
        data["evidence"] = self.evidence
        data["fix"] = self.fix
        return data


class ProviderSection(Protocol):
    """The mailbox providers' requirements judged beside the checklist (``ses_stack.inbox.InboxReport``)."""

    @property
    def ready(self) -> bool: ...

    def to_json(self) -> list[dict[str, Any]]: ...


@dataclass(frozen=True)
class Checklist:
    """Every item's verdict for one scope (a synthesized stack, or a live Region)."""

    region: str | None
    results: tuple[ItemResult, ...]
    stack: str | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)
    inbox: ProviderSection | None = None
    """The providers' requirements, when they were judged (``providers`` in the config)."""

    @property
    def ready(self) -> bool:
        """True when no item fails."""
        return all(result.status is not Status.FAIL for result in self.results)

    def result(self, item: ItemId, domain: str | None = None) -> ItemResult:
        """The verdict on ``item`` (for ``domain``); KeyError when the checklist holds none."""
        for result in self.results:
            if result.item is item and result.domain == domain:
                return result
        raise KeyError((item.value, domain))

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"region": self.region}
        if self.stack is not None:
            data["stack"] = self.stack
        data["ready"] = self.ready
        data["items"] = [result.to_json() for result in self.results]
        if self.inbox is not None:  # added keys only: the checklist's own keep their meaning
            data["inboxReady"] = self.inbox.ready
            data["providers"] = self.inbox.to_json()
        return data
