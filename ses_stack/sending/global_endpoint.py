"""SesGlobalEndpoint: one SES sending endpoint with failover between two Regions (``AWS::SES::MultiRegionEndpoint``).

Senders pass the endpoint's id (``EndpointId`` in SendEmail, not in CloudFormation's attributes: read it with
``aws sesv2 get-multi-region-endpoint --endpoint-name NAME`` or ``ses-preflight status --config``). SES needs the
identities in the secondary Region to sign with the primary's Easy DKIM keys (``SesDomain(dkim_origin_region=...)``).
"""

from __future__ import annotations

from aws_cdk import RemovalPolicy, Stack, Token
from aws_cdk import aws_ses as ses
from constructs import Construct

from ses_stack.validation import is_ses_name, region_problem


class SesGlobalEndpoint(Construct):
    """A multi-Region endpoint in the stack's (primary) Region with ``secondary_region`` as the other route."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        endpoint_name: str,
        secondary_region: str,
        removal_policy: RemovalPolicy = RemovalPolicy.RETAIN,
    ) -> None:
        """
        :param endpoint_name: 1-64 letters, digits, ``_`` or ``-``.
        :param secondary_region: The failover Region; not the stack's own.
        :param removal_policy: What happens to the endpoint when it leaves the stack: a new endpoint has a new id,
            which every sender must then be given. Default: RETAIN.
        """
        _validate(scope, construct_id, endpoint_name, secondary_region)
        super().__init__(scope, construct_id)
        self.endpoint_name: str = endpoint_name
        """The endpoint's name."""
        self.secondary_region: str = secondary_region
        """The failover Region."""
        self.resource: ses.CfnMultiRegionEndpoint = ses.CfnMultiRegionEndpoint(
            self,
            "Resource",
            endpoint_name=endpoint_name,
            details=ses.CfnMultiRegionEndpoint.DetailsProperty(
                route_details=[ses.CfnMultiRegionEndpoint.RouteDetailsItemsProperty(region=secondary_region)]
            ),
        )
        """The ``AWS::SES::MultiRegionEndpoint`` resource."""
        self.resource.apply_removal_policy(removal_policy)


def _validate(scope: Construct, construct_id: str, name: str, secondary: str) -> None:
    def fail(setting: str, rule: str, value: object) -> ValueError:
        return ValueError(f"SesGlobalEndpoint {construct_id!r} {setting}: {rule}; got {value!r}")

    if not Token.is_unresolved(name) and not is_ses_name(name):
        raise fail("endpoint_name", "must be 1-64 letters, digits, underscores or hyphens", name)
    if Token.is_unresolved(secondary):
        return
    problem = region_problem(secondary)
    if problem is not None:
        raise fail("secondary_region", problem, secondary)
    here = Stack.of(scope).region
    if not Token.is_unresolved(here) and here == secondary:
        raise fail("secondary_region", "must be another Region than the stack's (the primary)", secondary)
