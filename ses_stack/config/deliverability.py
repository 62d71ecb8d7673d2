"""Virtual Deliverability Manager settings (``vdm`` for the account, ``configurationSet.vdm`` for the set)."""

from __future__ import annotations

from pydantic import Field

from ses_stack.config.fields import Section


class VdmConfig(Section):
    """Virtual Deliverability Manager: engagement dashboards and optimized shared delivery. Billed per message on
    top of sending (see the SES pricing page); off unless the section is present."""

    engagement_metrics: bool = Field(
        True, description="Track opens and clicks for the VDM dashboard (adds tracking to messages)."
    )
    optimized_shared_delivery: bool = Field(
        True, description="Let SES pick the shared IPs that deliver best to each mailbox provider."
    )
