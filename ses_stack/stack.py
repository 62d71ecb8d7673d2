"""SesStack: composes the constructs for one Region from typed settings. No resources are defined here."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from aws_cdk import CfnOutput, Stack
from aws_cdk import aws_route53 as route53
from aws_cdk import aws_ses as ses
from constructs import Construct

from ses_stack.config import DomainConfig, MailFromMxFailure
from ses_stack.domain import SesDomain

_MX_FAILURE = {
    MailFromMxFailure.REJECT_MESSAGE: ses.MailFromBehaviorOnMxFailure.REJECT_MESSAGE,
    MailFromMxFailure.USE_DEFAULT_VALUE: ses.MailFromBehaviorOnMxFailure.USE_DEFAULT_VALUE,
}


class SesStack(Stack):
    """One Region's SES setup: a ``SesDomain`` per configured domain.

    Domains whose DNS is not in Route53 get one stack output per record to publish (``Dkim1Record``...
    ``MailFromMxRecord``, ``MailFromSpfRecord``, ``DmarcRecord`` under the domain), valued ``NAME TYPE VALUE``.
    """

    def __init__(
        self, scope: Construct, construct_id: str, *, domains: Sequence[DomainConfig], **stack_props: Any
    ) -> None:
        """
        :param domains: The sending domains this stack holds (validated settings from the config file).
        :param stack_props: Passed to ``Stack`` (``env``, ``description``, ``tags``...).
        """
        super().__init__(scope, construct_id, **stack_props)
        self.domains: list[SesDomain] = []
        """The domain constructs, in configuration order."""
        for settings in domains:
            zone = (
                route53.PublicHostedZone.from_public_hosted_zone_attributes(
                    self, f"{settings.name}-Zone", hosted_zone_id=settings.hosted_zone_id, zone_name=settings.name
                )
                if settings.hosted_zone_id
                else None
            )
            domain = SesDomain(
                self,
                settings.name,
                domain_name=settings.name,
                hosted_zone=zone,
                mail_from_subdomain=settings.mail_from_subdomain,
                behavior_on_mx_failure=_MX_FAILURE[settings.behavior_on_mx_failure],
                dmarc=settings.dmarc.to_dmarc(),
                publish_dmarc=settings.dmarc.publish,
            )
            if zone is None:
                for record in domain.dns_records:
                    CfnOutput(
                        domain,
                        record.purpose.title().replace("_", "") + "Record",
                        description=f"{record.purpose} record to publish for {domain.domain_name}",
                        value=f"{record.name} {record.type} {record.value}",
                    )
            self.domains.append(domain)
