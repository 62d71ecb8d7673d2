"""The ``domains[]`` section: sending domains, their MAIL FROM subdomain and DMARC record."""

from __future__ import annotations

import enum
from typing import Annotated

from pydantic import Field

from ses_stack.config.fields import DomainName, EmailAddress, Section, checked
from ses_stack.identity.dmarc import Dmarc, DmarcAlignment, DmarcPolicy, DmarcPsd
from ses_stack.validation import hosted_zone_id_problem, subdomain_label_problem

MAX_REPORT_ADDRESSES = 10  # each address lengthens the one TXT record
MAX_REPORT_SENDERS = 20
"""Report authorization records one domain publishes (each is a record in its stack, guarded by the takeover)."""


class MailFromMxFailure(enum.StrEnum):
    """What SES does when the MAIL FROM domain's MX record is missing or wrong (``BehaviorOnMxFailure``)."""

    REJECT_MESSAGE = "REJECT_MESSAGE"
    """Refuse to send (MailFromDomainNotVerified): every message that leaves is SPF-aligned."""
    USE_DEFAULT_VALUE = "USE_DEFAULT_VALUE"
    """Send with an amazonses.com MAIL FROM: mail keeps flowing, but SPF no longer aligns for DMARC."""


class DmarcConfig(Section):
    """The ``_dmarc`` TXT record of a domain."""

    publish: bool = Field(True, description="Publish the record in Route53 (or list it for manual publishing).")
    policy: DmarcPolicy = Field(DmarcPolicy.NONE, description="p=: none (monitor), quarantine or reject.")
    subdomain_policy: DmarcPolicy | None = Field(None, description="sp=: policy for subdomains.")
    rua: list[EmailAddress] = Field(
        default_factory=list, max_length=MAX_REPORT_ADDRESSES, description="Aggregate report addresses."
    )
    ruf: list[EmailAddress] = Field(
        default_factory=list, max_length=MAX_REPORT_ADDRESSES, description="Failure report addresses."
    )
    pct: int | None = Field(
        None,
        ge=0,
        le=100,
        description="pct=: share of failing mail the policy applies to. Removed by RFC 9989 (receivers that follow "
        "it ignore it): the checklist warns; use testMode instead.",
    )
    test_mode: bool = Field(
        False,
        description="RFC 9989 test mode: receivers apply the next less strict policy (reject acts as quarantine, "
        "quarantine as none). Written t=y; pct=0 so RFC 7489 receivers do the same. Not with pct; needs a policy "
        "stricter than none.",
    )
    nonexistent_subdomain_policy: DmarcPolicy | None = Field(
        None,
        description="np= (RFC 9989): policy for subdomains that do not exist in DNS. RFC 7489 receivers ignore it "
        "(they apply subdomainPolicy, else policy). Default: not emitted.",
    )
    psd: DmarcPsd | None = Field(
        None,
        description="psd= (RFC 9989): n declares this domain an organizational domain; y a public suffix domain "
        "(registries only); u unknown. RFC 7489 receivers ignore it. Default: not emitted.",
    )
    accept_reports_for: list[DomainName] = Field(
        default_factory=list,
        max_length=MAX_REPORT_SENDERS,
        description="Domains of other organizations whose DMARC reports this domain's mailboxes receive: publishes "
        '<domain>._report._dmarc.<this domain> TXT "v=DMARC1" for each, without which receivers send them no '
        "reports (RFC 9989; RFC 7489 section 7.1). Configured domains whose rua or ruf point here are added "
        f"automatically; at most {MAX_REPORT_SENDERS} in all (past that, publish a wildcard yourself: see "
        "authorizeSenders). Default: none.",
    )
    authorize_senders: bool = Field(
        True,
        description="Publish the report authorizations of acceptReportsFor and of the configured domains reporting "
        'here. false: publish none, for example because you publish *._report._dmarc.<this domain> TXT "v=DMARC1" '
        "yourself, which accepts everyone's reports.",
    )
    adkim: DmarcAlignment | None = Field(None, description="adkim=: DKIM alignment, r (relaxed) or s (strict).")
    aspf: DmarcAlignment | None = Field(None, description="aspf=: SPF alignment, r (relaxed) or s (strict).")

    def to_dmarc(self) -> Dmarc:
        return Dmarc(
            policy=self.policy,
            subdomain_policy=self.subdomain_policy,
            rua=tuple(self.rua),
            ruf=tuple(self.ruf),
            pct=self.pct,
            test_mode=self.test_mode,
            nonexistent_subdomain_policy=self.nonexistent_subdomain_policy,
            psd=self.psd,
            adkim=self.adkim,
            aspf=self.aspf,
        )


class DomainConfig(Section):
    """One sending domain."""

    name: DomainName = Field(description="The sending domain, lower case, for example example.com.")
    hosted_zone_id: Annotated[str, checked(hosted_zone_id_problem)] | None = Field(
        None,
        description="Route53 public hosted zone holding the domain's records (its own zone or a parent's). "
        "Omit when DNS is managed elsewhere: no records are created and the stack outputs list them.",
    )
    mail_from_subdomain: Annotated[str, checked(subdomain_label_problem, str.lower)] = Field(
        "mail", description="Custom MAIL FROM subdomain (mail -> mail.example.com). Not used for From or inbound mail."
    )
    behavior_on_mx_failure: MailFromMxFailure = Field(
        MailFromMxFailure.REJECT_MESSAGE, description="What SES does when the MAIL FROM MX record is missing."
    )
    dmarc: DmarcConfig = Field(default_factory=DmarcConfig, description="DMARC record settings.")
    wait_for_verification: bool = Field(
        False,
        description="Complete the deployment only once SES can send with the identity (up to 13 minutes); needs "
        "hostedZoneId.",
    )

    domain_stack: int | None = Field(
        None,
        ge=1,
        description="Pin the domain to this domain stack (1 to domainStacks) instead of the one its name hashes "
        "to: keeps a domain where it is when domainStacks changes, or moves it out of a full stack. Default: by name.",
    )

    @property
    def mail_from_domain(self) -> str:
        return f"{self.mail_from_subdomain}.{self.name}"
