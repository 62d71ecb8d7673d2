"""Per-tenant verdicts (under the ``suppression`` item), one rule for the template and the live check."""

from __future__ import annotations

from collections.abc import Sequence

from ses_stack.checklist.items import ItemId, ItemResult, Status

_REASONS = ("BOUNCE", "COMPLAINT")


def tenant_verdict(
    tenant: str,
    *,
    scope: str | None,
    reasons: Sequence[str],
    policy: str | None = None,
    sending_status: str | None = None,
) -> ItemResult:
    """The tenant's suppression list and, where known, its reputation policy (template) or sending status (live).

    :param policy: The SES-managed reputation policy (``none``, ``standard``, ``strict``); None when unknown.
    :param sending_status: ``ENABLED``, ``REINSTATED`` or ``DISABLED`` (live only); None when unknown.
    """

    def verdict(status: Status, evidence: str, fix: str = "") -> ItemResult:
        return ItemResult(ItemId.SUPPRESSION, status, evidence, fix=fix, tenant=tenant)

    if sending_status == "DISABLED":
        return verdict(
            Status.FAIL,
            f"SES has paused tenant {tenant} (sending DISABLED) on its reputation",
            fix=f"aws sesv2 list-reputation-entities, then get-reputation-entity for {tenant}'s ARN, shows why; fix "
            "the cause before sending again",
        )
    if scope is None:
        return verdict(
            Status.WARN,
            f"tenant {tenant} leaves its suppression list to SES's default",
            fix="set SuppressionAttributes (scope and reasons) on the tenant",
        )
    missing = [reason for reason in _REASONS if reason not in reasons]
    if scope == "TENANT" and missing:
        return verdict(
            Status.WARN,
            f"tenant {tenant}'s own suppression list does not suppress {' or '.join(missing)}, so it keeps "
            "mailing those addresses",
            fix="suppression.reasons: [BOUNCE, COMPLAINT]",
        )
    if policy == "none":
        return verdict(
            Status.WARN,
            f"tenant {tenant} has reputation policy none: SES never pauses it on its own findings, so a tenant "
            "that misbehaves is caught only at account level, where a pause stops every tenant",
            fix="reputationPolicy standard (or strict)",
        )
    where = "its own suppression list" if scope == "TENANT" else "the account-level suppression list"
    evidence = f"tenant {tenant}: {where} ({', '.join(reasons) or 'no reason'})"
    if policy is not None:
        evidence += f", reputation policy {policy}"
    if sending_status is not None:
        evidence += f", sending {sending_status}"
    return verdict(Status.PASS, evidence)
