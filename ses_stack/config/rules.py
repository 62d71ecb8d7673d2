"""Rules that span several settings, checked once the file has the right shape."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from typing import Any

from ses_stack.config.model import SesStackConfig
from ses_stack.config.operations import MailType
from ses_stack.config.plan import regional_mail_from_subdomain
from ses_stack.validation import BOUNCE_REVIEW_RATE, COMPLAINT_REVIEW_RATE


def _repeated(path: str, values: Sequence[Any], what: str) -> Iterator[tuple[str, str]]:
    duplicates = sorted({str(v) for v in values if values.count(v) > 1})
    if duplicates:
        yield (path, f"lists {what} {', '.join(duplicates)} more than once")


def _domain_problems(config: SesStackConfig) -> Iterator[tuple[str, str]]:
    seen: dict[str, int] = {}
    for index, domain in enumerate(config.domains):
        if domain.name in seen:
            yield (
                f"domains[{index}].name",
                f'duplicate domain "{domain.name}" (also domains[{seen[domain.name]}]); DNS names are '
                "case-insensitive and each domain is one SES identity",
            )
        seen.setdefault(domain.name, index)
        for region in config.regions[1:]:
            regional = regional_mail_from_subdomain(domain.mail_from_subdomain, region, config.regions[0])
            if len(regional.split(".")[-1]) > 63:
                yield (
                    f"domains[{index}].mailFromSubdomain",
                    f'becomes "{regional}" in {region} (each Region needs its own MAIL FROM domain), whose last '
                    "label is longer than 63 characters; use a shorter subdomain",
                )
        for tag in ("rua", "ruf"):
            for position, address in enumerate(getattr(domain.dmarc, tag)):
                mailbox_domain = address.removeprefix("mailto:").rpartition("@")[2].lower()
                if mailbox_domain == domain.mail_from_domain:
                    yield (
                        f"domains[{index}].dmarc.{tag}[{position}]",
                        f"{mailbox_domain} is the MAIL FROM domain, whose MX is SES's feedback endpoint, so it "
                        f"cannot receive reports; use a mailbox that receives mail; got {json.dumps(address)}",
                    )


def _settings_problems(config: SesStackConfig) -> Iterator[tuple[str, str]]:
    tracking = config.configuration_set
    if tracking.https_policy is not None and tracking.custom_redirect_domain is None:
        yield ("configurationSet.httpsPolicy", "needs configurationSet.customRedirectDomain")
    if config.contact_list is not None:
        if config.transactional_only:
            yield ("transactionalOnly", "cannot be true with a contactList: a contact list is for bulk mail")
        names = [topic.name for topic in config.contact_list.topics]
        for index, name in enumerate(names):
            if name in names[:index]:
                yield (f"contactList.topics[{index}].name", f'duplicate topic "{name}"')
    access = config.production_access
    if access is not None and access.mail_type is MailType.MARKETING and config.transactional_only:
        yield ("productionAccess.mailType", "MARKETING contradicts transactionalOnly: true")
    for key, rates, review in (
        ("bounceRate", config.reputation.bounce_rate, BOUNCE_REVIEW_RATE),
        ("complaintRate", config.reputation.complaint_rate, COMPLAINT_REVIEW_RATE),
    ):
        if not rates.warning < rates.critical < review:
            yield (
                f"reputation.{key}",
                f"needs warning < critical < {review} (the rate at which AWS reviews the account); "
                f"got warning {rates.warning}, critical {rates.critical}",
            )


def cross_field_problems(config: SesStackConfig) -> Iterator[tuple[str, str]]:
    yield from _domain_problems(config)
    yield from _settings_problems(config)
    yield from _repeated("feedback.additionalEventTypes", config.feedback.additional_event_types, "event type")
    yield from _repeated("accountSuppression.reasons", config.account_suppression.reasons, "reason")
    yield from _repeated("regions", config.regions, "Region")
