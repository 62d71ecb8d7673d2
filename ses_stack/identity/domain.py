"""SesDomain: a verified SES sending domain with Easy DKIM, a custom MAIL FROM domain and DMARC."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from aws_cdk import RemovalPolicy, Stack
from aws_cdk import aws_iam as iam
from aws_cdk import aws_route53 as route53
from aws_cdk import aws_ses as ses
from constructs import Construct

if TYPE_CHECKING:
    from ses_stack.sending.configuration_set import SesConfigurationSet

from ses_stack._cdk.props import configuration_set_of
from ses_stack._cdk.tokens import has_token
from ses_stack.checklist.template import DMARC_MANAGED_ELSEWHERE
from ses_stack.identity.dkim_replica import SesDkimReplica
from ses_stack.identity.dmarc import Dmarc
from ses_stack.identity.domain_validation import validate_domain_props, zone_name_or_none
from ses_stack.identity.records import (
    DnsRecord,
    WrittenRecord,
    dkim_records,
    dmarc_record,
    mail_from_records,
    needed_records,
    report_authorization_records,
)
from ses_stack.identity.takeover import SesRecordTakeover
from ses_stack.identity.verification import SesIdentityVerification
from ses_stack.validation import is_within


class SesDomain(Construct):
    """A domain identity ready to leave the SES sandbox: Easy DKIM (2048-bit), MAIL FROM with SPF, and DMARC.

    With ``hosted_zone``, every record is created in Route53: the three DKIM CNAMEs and the MAIL FROM MX and SPF
    records by aws-cdk-lib's ``EmailIdentity`` (names and values from the identity's CloudFormation attributes),
    and the ``_dmarc`` TXT record here. Without it nothing is written to DNS and ``dns_records`` lists what to
    publish. The apex of the domain is never touched: no apex SPF, TXT or MX record is created.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        domain_name: str,
        hosted_zone: route53.IPublicHostedZone | None = None,
        mail_from_subdomain: str = "mail",
        behavior_on_mx_failure: ses.MailFromBehaviorOnMxFailure = ses.MailFromBehaviorOnMxFailure.REJECT_MESSAGE,
        dmarc: Dmarc | None = None,
        publish_dmarc: bool = True,
        configuration_set: SesConfigurationSet | ses.IConfigurationSet | None = None,
        removal_policy: RemovalPolicy = RemovalPolicy.RETAIN,
        take_over_existing_records: bool = True,
        wait_for_verification: bool = False,
        dkim_origin_region: str | None = None,
        dmarc_report_senders: Sequence[str] = (),
    ) -> None:
        """Create the identity and its DNS records.

        :param domain_name: The sending domain, for example ``example.com`` (any case; SES is case-insensitive).
        :param hosted_zone: Public hosted zone that holds the domain's records: the domain's own zone or a parent
            zone. Default: none (DNS is managed elsewhere; publish ``dns_records`` yourself).
        :param mail_from_subdomain: Subdomain used as the custom MAIL FROM domain, so SPF aligns with the From
            domain. It must not send From or receive mail. Default: ``"mail"`` (``mail.<domain_name>``).
        :param behavior_on_mx_failure: What SES does while the MAIL FROM MX record is missing or wrong.
            REJECT_MESSAGE refuses to send, so every message that leaves is SPF-aligned; USE_DEFAULT_VALUE keeps
            sending with an amazonses.com MAIL FROM, which passes SPF but not SPF alignment (DMARC then rests on
            DKIM alone). Default: REJECT_MESSAGE.
        :param dmarc: The DMARC policy published at ``_dmarc.<domain_name>``. Default: ``Dmarc()``, that is
            ``v=DMARC1; p=none`` (monitoring, the minimum Gmail and Yahoo require of bulk senders).
        :param publish_dmarc: Whether this construct owns the ``_dmarc`` record. Set False when the record is
            already managed elsewhere (CloudFormation would fail to create a second record of that name).
            Default: True.
        :param configuration_set: Default configuration set of the identity. Default: none.
        :param removal_policy: What happens to the identity and its records when they leave the stack (stack
            deletion, or a replacement). RETAIN keeps them: the identity's Easy DKIM keys and verification survive,
            and an existing identity can be adopted (``cdk deploy --import-existing-resources``). DESTROY is for
            throwaway accounts. Default: RETAIN.
        :param take_over_existing_records: With ``hosted_zone``: before the record sets are created, take over records
            that already exist with exactly their values, and stop the deployment, unchanged, when one exists with
            other values (``SesRecordTakeover``; it adds the stack's settings-provider function). False leaves
            CloudFormation's plain behaviour: creating a record that exists fails. Default: True.
        :param wait_for_verification: Complete the deployment only once SES can send with the identity (DKIM, and
            MAIL FROM with REJECT_MESSAGE), waiting up to 13 minutes, so resources that need that can depend on
            ``verification``. Needs ``hosted_zone`` (records published elsewhere come after the deployment).
            Default: False.
        :param dkim_origin_region: Deterministic Easy DKIM: sign with the Easy DKIM keys of this domain's identity
            in that Region (the primary), whose stack publishes the only DKIM CNAMEs; this construct then writes
            none (``SesDkimReplica``; that identity must be verified first). Default: none (own Easy DKIM keys and
            CNAMEs).
        :param dmarc_report_senders: Domains of other organizations whose DMARC reports (``rua``/``ruf``) mailboxes
            at this domain receive: ``<sender>._report._dmarc.<domain_name>`` TXT ``v=DMARC1`` is published for each
            (in ``hosted_zone``, else listed in ``dns_records``); receivers send no reports without it (RFC 9989).
            Default: none.
        """
        dmarc = Dmarc() if dmarc is None else dmarc
        if configuration_set is not None:
            configuration_set = configuration_set_of(
                f"SesDomain {construct_id!r}", "configuration_set", configuration_set
            )
        # Validate before joining the construct tree: a rejected domain leaves nothing behind.
        zone_name = zone_name_or_none(hosted_zone) if hosted_zone is not None else None  # None: imported by id
        validate_domain_props(
            construct_id,
            domain_name=domain_name,
            zone_name=zone_name,
            mail_from_subdomain=mail_from_subdomain,
            dmarc=dmarc,
            dkim_origin_region=dkim_origin_region,
            report_senders=dmarc_report_senders,
        )
        if wait_for_verification and hosted_zone is None:
            raise ValueError(
                f"SesDomain {construct_id!r} wait_for_verification: needs hosted_zone (with DNS elsewhere the records "
                "can only be published after the deployment); got hosted_zone=None"
            )
        super().__init__(scope, construct_id)
        self._region = Stack.of(self).region

        self.domain_name: str = domain_name if has_token(domain_name) else domain_name.lower()
        """The sending domain (lower case)."""
        self.mail_from_domain: str = f"{mail_from_subdomain.lower()}.{self.domain_name}"
        """The custom MAIL FROM domain, ``<mail_from_subdomain>.<domain_name>``."""
        self.dmarc: Dmarc = dmarc
        """The DMARC settings the record is built from."""
        self.configuration_set: ses.IConfigurationSet | None = configuration_set
        """The identity's default configuration set, if any."""
        self.hosted_zone: route53.IPublicHostedZone | None = self._zone_for_domain(hosted_zone, zone_name)
        """The zone the records are written to, named after ``domain_name``; None when DNS is managed elsewhere."""

        # The records are written here rather than by EmailIdentity (given no zone): same ids and properties, and
        # their values known in Python for the takeover and dns_records (see records.py).
        self.identity: ses.EmailIdentity = ses.EmailIdentity(
            self,
            "Identity",
            identity=ses.Identity.domain(self.domain_name),
            # A replica's key is the origin's: no key length, so no update of the identity ever resets its signing.
            dkim_identity=ses.DkimIdentity.easy_dkim(
                ses.EasyDkimSigningKeyLength.RSA_2048_BIT if dkim_origin_region is None else None
            ),
            mail_from_domain=self.mail_from_domain,
            mail_from_behavior_on_mx_failure=behavior_on_mx_failure,
            configuration_set=configuration_set,
        )
        """The SES domain identity (aws-cdk-lib ``EmailIdentity``)."""
        cfn_identity = self.identity.node.default_child
        assert isinstance(cfn_identity, ses.CfnEmailIdentity)
        self.node.default_child = cfn_identity  # the escape hatch: its CfnEmailIdentity
        if not publish_dmarc:  # tells the synth-time checklist that the missing _dmarc record is deliberate
            cfn_identity.add_metadata(DMARC_MANAGED_ELSEWHERE, True)
        # The identity and every record written for it: the records carry its DKIM keys and MAIL FROM, so they go
        # (or stay) with it.
        self.identity.apply_removal_policy(removal_policy)
        dkim_tokens = (
            [(record.name, record.value) for record in self.identity.dkim_records] if dkim_origin_region is None else []
        )
        records = self._write_records(dkim_tokens, removal_policy) if self.hosted_zone is not None else []

        self.dkim_replica: SesDkimReplica | None = None
        """Signs with the origin Region's Easy DKIM keys, with ``dkim_origin_region``."""
        if dkim_origin_region is not None:
            self.dkim_replica = SesDkimReplica(
                self,
                "DkimReplica",
                identity=self.identity,
                domain_name=self.domain_name,
                origin_region=dkim_origin_region,
            )

        self.dmarc_report_senders: tuple[str, ...] = tuple(s.lower() for s in dmarc_report_senders)
        """The domains whose DMARC reports this domain accepts (one authorization record each)."""
        self.dmarc_record: route53.TxtRecord | None = None
        """The ``_dmarc`` TXT record in Route53, when this construct publishes it."""
        records += self._write_dmarc_records(publish_dmarc, removal_policy)

        self.record_takeover: SesRecordTakeover | None = None
        """Takes over records that already exist with exactly the stack's values (and refuses other values)
        before the record sets are created; None when DNS is managed elsewhere."""
        if self.hosted_zone is not None and take_over_existing_records:
            self.record_takeover = SesRecordTakeover(
                self, "RecordTakeover", hosted_zone=self.hosted_zone, records=records, domain_name=self.domain_name
            )
        self.verification: SesIdentityVerification | None = None
        """Completes once SES can send with the identity (with ``wait_for_verification``): depend on it."""
        if wait_for_verification:
            self.verification = SesIdentityVerification(
                self,
                "Verification",
                identity=self.identity,
                domain_name=self.domain_name,
                mail_from_domain=self.mail_from_domain,
                require_mail_from=behavior_on_mx_failure == ses.MailFromBehaviorOnMxFailure.REJECT_MESSAGE,
                after=[*(r.resource for r in records), *([self.dkim_replica.resource] if self.dkim_replica else [])],
                removal_policy=removal_policy,
            )

        self.dns_records: list[DnsRecord] = needed_records(
            self.domain_name,
            self.mail_from_domain,
            self._region,
            dkim_tokens,
            dmarc=self.dmarc if publish_dmarc else None,
            report_senders=self.dmarc_report_senders,
        )
        """Every record the domain needs, also when they are created in Route53 (for documentation and checks)."""

    def grant_send(self, grantee: iam.IGrantable, *, from_addresses: Sequence[str] = ()) -> iam.Grant:
        """Allow ``grantee`` to send as this domain: ``ses:SendEmail`` and ``ses:SendRawEmail`` on the identity and on
        its default configuration set (SES authorizes both; granting the identity alone fails at send time).

        :param from_addresses: Restrict the From address (``ses:FromAddress``; ``*`` wildcards allowed), each at
            this domain or a subdomain. Default: any address.
        """
        for address in from_addresses:
            domain = address.rpartition("@")[2].lower()
            if "@" not in address or not (has_token(self.domain_name) or is_within(domain, self.domain_name)):
                raise ValueError(
                    f"SesDomain {self.node.id!r} grant_send from_addresses: each must be an address at "
                    f"{self.domain_name}; got {address!r}"
                )
        resources = [self.identity.email_identity_arn]
        if self.configuration_set is not None:
            resources.append(
                Stack.of(self).format_arn(
                    service="ses",
                    resource="configuration-set",
                    resource_name=self.configuration_set.configuration_set_name,
                )
            )
        return iam.Grant.add_to_principal(
            grantee=grantee,
            actions=["ses:SendEmail", "ses:SendRawEmail"],
            resource_arns=resources,
            conditions={"StringLike": {"ses:FromAddress": list(from_addresses)}} if from_addresses else None,
        )

    def _write_dmarc_records(self, publish_dmarc: bool, removal_policy: RemovalPolicy) -> list[WrittenRecord]:
        """The ``_dmarc`` record (when published here) and the report authorization records, in Route53."""
        if self.hosted_zone is None:
            return []
        written = []
        if publish_dmarc:
            self.dmarc_record, dmarc = dmarc_record(
                self, self.hosted_zone, self.domain_name, self.dmarc, removal_policy
            )
            written.append(dmarc)
        return written + report_authorization_records(
            self,
            hosted_zone_id=self.hosted_zone.hosted_zone_id,
            domain_name=self.domain_name,
            senders=self.dmarc_report_senders,
            removal_policy=removal_policy,
        )

    def _write_records(self, dkim_tokens: list[tuple[str, str]], removal_policy: RemovalPolicy) -> list[WrittenRecord]:
        """The DKIM CNAMEs (none for a DEED replica, which signs with the origin's keys) and the MAIL FROM MX and SPF
        records, under the identity with EmailIdentity's own ids: turning deterministicEasyDkim on or off keeps each
        record's logical id, or CloudFormation's clean-up of the old id would delete the record just made."""
        assert self.hosted_zone is not None
        zone_id = self.hosted_zone.hosted_zone_id
        return [
            *dkim_records(self.identity, hosted_zone_id=zone_id, tokens=dkim_tokens, removal_policy=removal_policy),
            *mail_from_records(
                self.identity,
                hosted_zone_id=zone_id,
                mail_from_domain=self.mail_from_domain,
                region=self._region,
                removal_policy=removal_policy,
            ),
        ]

    def _zone_for_domain(
        self, hosted_zone: route53.IPublicHostedZone | None, zone_name: str | None
    ) -> route53.IPublicHostedZone | None:
        # EmailIdentity names the identity after the zone it is given, so a parent zone (or a zone imported by id
        # alone) is re-imported under the domain's name; records still land in the zone with that id.
        if hosted_zone is None:
            return None
        if zone_name is not None and zone_name == self.domain_name:
            return hosted_zone
        return route53.PublicHostedZone.from_public_hosted_zone_attributes(
            self, "Zone", hosted_zone_id=hosted_zone.hosted_zone_id, zone_name=self.domain_name
        )
