"""``ses-preflight status``: per Region, from GetAccount: sandbox or production, quota and its headroom, rate,
enforcement, sending, the review of a request, account suppression; and the global endpoint (GetMultiRegionEndpoint)
when the config has one."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

QUOTA_WARNING_SHARE = 0.8
SANDBOX_DAILY = 200
_MORE_QUOTA = (
    "ask AWS for more in the Service Quotas console (Amazon Simple Email Service: 'Sending quota' for the daily "
    "quota, 'Maximum send rate' for the rate), or through AWS Support, stating the daily quota and rate you need"
)


def account_row(region: str, account: Mapping[str, Any]) -> dict[str, Any]:
    quota = account.get("SendQuota") or {}
    review = ((account.get("Details") or {}).get("ReviewDetails")) or {}
    row: dict[str, Any] = {
        "region": region,
        "productionAccess": bool(account.get("ProductionAccessEnabled")),
        "max24HourSend": quota.get("Max24HourSend"),
        "maxSendRate": quota.get("MaxSendRate"),
        "sentLast24Hours": quota.get("SentLast24Hours"),
        "quotaUsed": _share(quota.get("SentLast24Hours"), quota.get("Max24HourSend")),
        "enforcementStatus": account.get("EnforcementStatus"),
        "sendingEnabled": bool(account.get("SendingEnabled")),
        "reviewStatus": review.get("Status"),
        "reviewCaseId": review.get("CaseId"),
        "suppressedReasons": (account.get("SuppressionAttributes") or {}).get("SuppressedReasons", []),
    }
    row["warnings"] = _warnings(row)
    return row


def _share(sent: Any, maximum: Any) -> float | None:
    """The share of the 24-hour quota used; None when unlimited (-1) or unknown."""
    if not isinstance(sent, int | float) or not isinstance(maximum, int | float) or maximum <= 0:
        return None
    return float(sent) / float(maximum)


def _warnings(row: Mapping[str, Any]) -> list[str]:
    share = row["quotaUsed"]
    if share is None or share <= QUOTA_WARNING_SHARE:
        return []
    used = f"{row['region']}: {share:.0%} of the 24-hour quota used ({row['sentLast24Hours']:g} of "
    used += f"{row['max24HourSend']:g}; at most {row['maxSendRate']:g} a second)"
    if not row["productionAccess"]:
        return [
            f"{used}: the sandbox allows {SANDBOX_DAILY} a day; request production access (`ses-preflight "
            "request-access`)"
        ]
    return [f"{used}: {_MORE_QUOTA}"]


def healthy(row: Mapping[str, Any]) -> bool:
    endpoint = row.get("globalEndpoint")
    endpoint_ready = endpoint is None or endpoint["status"] == "READY"
    return bool(
        row["productionAccess"]
        and row["sendingEnabled"]
        and row["enforcementStatus"] in (None, "HEALTHY")
        and endpoint_ready
    )


def add_endpoint(row: dict[str, Any], name: str, found: Mapping[str, Any] | None) -> None:
    """Put the global endpoint's state on the primary Region's row (``found``: GetMultiRegionEndpoint's answer,
    None when there is no such endpoint)."""
    if found is None:
        row["globalEndpoint"] = {"name": name, "id": None, "status": "MISSING", "regions": []}
        row["warnings"].append(f"{row['region']}: no global endpoint {name} (deploy the stack)")
        return
    regions = [str(route.get("Region")) for route in found.get("Routes") or []]
    status = str(found.get("Status"))
    row["globalEndpoint"] = {"name": name, "id": found.get("EndpointId"), "status": status, "regions": regions}
    if status != "READY":
        row["warnings"].append(f"{row['region']}: global endpoint {name} is {status}, not READY")


def _number(value: Any) -> str:
    if value is None:
        return "-"
    if value == -1:
        return "unlimited"
    return f"{value:g}" if isinstance(value, float) else str(value)


_HEADER = (
    "Region",
    "Access",
    "24h quota",
    "Used",
    "Rate/s",
    "Sent 24h",
    "Enforcement",
    "Sending",
    "Review",
    "Suppression",
)


def format_rows(rows: list[dict[str, Any]]) -> str:
    table = [_HEADER] + [
        (
            r["region"],
            "production" if r["productionAccess"] else "SANDBOX",
            _number(r["max24HourSend"]),
            "-" if r["quotaUsed"] is None else f"{r['quotaUsed']:.1%}",
            _number(r["maxSendRate"]),
            _number(r["sentLast24Hours"]),
            str(r["enforcementStatus"]),
            "enabled" if r["sendingEnabled"] else "DISABLED",
            f"{r['reviewStatus']} ({r['reviewCaseId']})" if r["reviewStatus"] else "-",
            ",".join(r["suppressedReasons"]) or "-",
        )
        for r in rows
    ]
    widths = [max(len(row[i]) for row in table) for i in range(len(_HEADER))]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip() for row in table]
    for r in rows:
        if r.get("globalEndpoint"):
            endpoint = r["globalEndpoint"]
            lines.append(
                f"global endpoint {endpoint['name']} (EndpointId {endpoint['id'] or '-'}): {endpoint['status']}, "
                f"routes {', '.join(endpoint['regions']) or '-'}"
            )
    lines += [f"warning: {w}" for r in rows for w in r["warnings"]]
    return "\n".join(lines) + "\n"
