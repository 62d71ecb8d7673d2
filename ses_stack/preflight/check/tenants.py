"""The live check of each configured tenant (GetTenant): it exists, SES has not paused it, and its suppression list
is the one the config sets."""

from __future__ import annotations

from typing import Any

from ses_stack.checklist.items import ItemId, ItemResult, Status
from ses_stack.checklist.tenants import tenant_verdict
from ses_stack.config import TenantConfig
from ses_stack.preflight.check.common import if_exists


def check_tenant(tenant: TenantConfig, region: str, sesv2: Any) -> ItemResult:
    found = if_exists(sesv2.get_tenant, TenantName=tenant.name)
    if found is None:
        return ItemResult(
            ItemId.SUPPRESSION,
            Status.FAIL,
            f"no tenant {tenant.name} in {region}",
            fix="deploy the stack (tenants[] in the config)",
            tenant=tenant.name,
        )
    seen = found.get("Tenant") or {}
    suppression = seen.get("SuppressionAttributes") or {}
    scope = suppression.get("SuppressionScope")
    reasons = [str(r) for r in suppression.get("SuppressedReasons") or []]
    verdict = tenant_verdict(
        tenant.name, scope=scope, reasons=reasons, sending_status=seen.get("SendingStatus") or None
    )
    wanted = (tenant.suppression.scope.value, sorted(r.value for r in tenant.suppression.reasons))
    if verdict.status is Status.PASS and (scope, sorted(reasons)) != wanted:
        return ItemResult(
            ItemId.SUPPRESSION,
            Status.WARN,
            f"{verdict.evidence}; the config sets {wanted[0]} ({', '.join(wanted[1]) or 'no reason'})",
            fix="deploy the stack to apply the config (or change tenants[].suppression to what you want)",
            tenant=tenant.name,
        )
    return verdict
