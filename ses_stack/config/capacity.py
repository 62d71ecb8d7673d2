"""What a stack will hold, counted from the settings alone, against CloudFormation's per-stack limits.

The counts mirror what the constructs create; ``tests/config/test_capacity.py`` synthesizes configs and holds
these numbers to the real templates, so they cannot drift unnoticed.
"""

from __future__ import annotations

from dataclasses import dataclass

from ses_stack.config.domains import DomainConfig
from ses_stack.config.model import SesStackConfig
from ses_stack.settings.takeover_scope import PolicyChunks, record_name_patterns

MAX_RESOURCES = 500
MAX_OUTPUTS = 200

SHARED_RESOURCES = 47
"""Configuration set, feedback pipeline, account suppression and reputation guard, with every option on: the most
any variant of those needs (auto-pause off, or your own topic, need fewer)."""
SHARED_OUTPUTS = 4
_SHARED_SET_OUTPUT = 1  # with domain stacks, a generated configuration set's name is an output they read
_PROVIDER = 4  # the settings provider's function, role, policy and log group (counted in SHARED_RESOURCES)
_LOGS_KEY = 1  # one per stack with a function (counted in SHARED_RESOURCES)
_IDENTITY = 1
_ROUTE53_RECORDS = 3 + 2  # 3 DKIM CNAMEs, the MAIL FROM MX and SPF records (+ _dmarc where published)
_TAKEOVER = 1  # the custom resource that takes over identical existing records (Route53 domains)
_TAKEOVER_POLICY = 1  # one inline policy per stack with a Route53 domain, and its Route53 managed policies
_VERIFICATION = 1  # per domain with waitForVerification
_VERIFICATION_WAITER = 5  # one function per stack that waits: function, role, its policies, log group
_LISTED_RECORDS = 3 + 2  # the same records as stack outputs when DNS is elsewhere
_DKIM_RECORDS = 3  # a Deterministic Easy DKIM replica has none of its own...
_DKIM_REPLICA = 1  # ...but the custom resource that points it at the primary's keys
_REPLICA_POLICY = 1  # one per stack with a replica


@dataclass(frozen=True)
class Footprint:
    """Resources and outputs of one stack."""

    resources: int
    outputs: int

    def problems(self) -> list[str]:
        """The CloudFormation limits this footprint breaks, as sentences."""
        found = []
        if self.resources > MAX_RESOURCES:
            found.append(f"{self.resources} resources (CloudFormation allows {MAX_RESOURCES} per stack)")
        if self.outputs > MAX_OUTPUTS:
            found.append(f"{self.outputs} outputs (CloudFormation allows {MAX_OUTPUTS} per stack)")
        return found


def domain_footprint(domain: DomainConfig, *, replica: bool = False) -> Footprint:
    """What one domain adds to its stack, as planned for that stack's Region (``plan_stacks``); ``replica``: it
    signs with the primary Region's keys (Deterministic Easy DKIM)."""
    dmarc = (1 if domain.dmarc.publish else 0) + len(domain.dmarc.accept_reports_for)
    own_dkim = 0 if replica else _DKIM_RECORDS
    extra = _DKIM_REPLICA if replica else 0
    if domain.hosted_zone_id is not None:
        wait = _VERIFICATION if domain.wait_for_verification else 0
        records = _ROUTE53_RECORDS - _DKIM_RECORDS + own_dkim + dmarc
        return Footprint(resources=_IDENTITY + records + _TAKEOVER + wait + extra, outputs=0)
    return Footprint(resources=_IDENTITY + extra, outputs=_LISTED_RECORDS - _DKIM_RECORDS + own_dkim + dmarc)


def shared_footprint(config: SesStackConfig) -> Footprint:
    """What the Region's shared (or only) stack holds whatever its domains (an upper bound: see
    ``SHARED_RESOURCES``)."""
    optional = (
        config.contact_list,
        config.vdm,
        config.configuration_set.managed_dedicated_ip_pool,
        config.global_endpoint,  # counted in every Region's shared stack: an upper bound
    )
    resources = SHARED_RESOURCES + sum(1 for o in optional if o is not None) + len(config.operations.alarm_emails)
    exported = _SHARED_SET_OUTPUT if config.domain_stacks and not config.configuration_set.name else 0
    endpoint_output = 1 if config.global_endpoint is not None else 0
    return Footprint(resources=resources, outputs=SHARED_OUTPUTS + exported + endpoint_output)


def _route53_policies(domains: tuple[DomainConfig, ...], *, replica: bool) -> int:
    """The takeover's managed policies, packed as the construct packs them."""
    chunks = PolicyChunks()
    for domain in domains:
        if domain.hosted_zone_id:
            patterns = record_name_patterns(
                domain.name,
                domain.mail_from_domain,
                dkim=not replica,
                dmarc=domain.dmarc.publish,
                report_senders=domain.dmarc.accept_reports_for,
            )
            chunks.add(domain.hosted_zone_id, patterns)
    return len(chunks.sizes)


def stack_footprint(
    config: SesStackConfig, domains: tuple[DomainConfig, ...], *, shared: bool = True, replica: bool = False
) -> Footprint:
    """Resources and outputs of a stack holding ``domains``: the shared (or only) stack, or a domain stack;
    ``replica``: in a secondary Region with Deterministic Easy DKIM."""
    in_route53 = any(domain.hosted_zone_id for domain in domains)
    replicas = replica and bool(domains)
    # the takeover and the replicas each have their own provider function (the shared stack's settings provider,
    # counted in SHARED_RESOURCES, serves account suppression and the pause guard only)
    providers = (_PROVIDER if in_route53 else 0) + (_PROVIDER if replicas else 0)
    base = shared_footprint(config) if shared else Footprint(resources=0, outputs=0)
    waiter = _VERIFICATION_WAITER if any(domain.wait_for_verification for domain in domains) else 0
    logs_key = _LOGS_KEY if not shared and (providers or waiter) else 0
    per_domain = [domain_footprint(domain, replica=replica) for domain in domains]
    names = {domain.name for domain in domains}
    tenants = sum(1 for tenant in config.tenants if tenant.domains[0] in names)  # each beside its identities
    takeover_policy = _TAKEOVER_POLICY + _route53_policies(domains, replica=replica) if in_route53 else 0
    replica_policy = _REPLICA_POLICY if replicas else 0
    return Footprint(
        resources=base.resources
        + providers
        + logs_key
        + takeover_policy
        + waiter
        + replica_policy
        + tenants
        + sum(f.resources for f in per_domain),
        outputs=base.outputs + sum(f.outputs for f in per_domain),
    )
