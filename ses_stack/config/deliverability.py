"""Deliverability settings: Virtual Deliverability Manager (``vdm`` for the account, ``configurationSet.vdm`` for
the set) and the global endpoint (``globalEndpoint``)."""

from __future__ import annotations

from pydantic import Field

from ses_stack.config.fields import Region, Section, SesName


class VdmConfig(Section):
    """Virtual Deliverability Manager: engagement dashboards and optimized shared delivery. Billed per message on
    top of sending (see the SES pricing page); off unless the section is present."""

    engagement_metrics: bool = Field(
        True, description="Track opens and clicks for the VDM dashboard (adds tracking to messages)."
    )
    optimized_shared_delivery: bool = Field(
        True, description="Let SES pick the shared IPs that deliver best to each mailbox provider."
    )


class GlobalEndpointConfig(Section):
    """A multi-Region (global) endpoint: one sending endpoint with failover between the primary Region and one
    secondary Region (``AWS::SES::MultiRegionEndpoint``, in the primary Region's stack). Needs
    deterministicEasyDkim: the identities of the secondary Region must sign with the primary's keys."""

    name: SesName = Field(description="Endpoint name (EndpointName).")
    secondary_region: Region | None = Field(
        None, description="The secondary Region, one of regions after the first. Default: the second Region."
    )
