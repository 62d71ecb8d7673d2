"""ses-preflight check with tenants: one GetTenant each (Stubber), reported under suppression per tenant."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest

from tests.preflight.conftest import CONFIG, FakeAccount, Run, good_zone, responses_with


def tenant(name: str, *, status: str = "ENABLED", scope: str = "TENANT", reasons: Any = None) -> dict[str, Any]:
    return {
        "Tenant": {
            "TenantName": name,
            "TenantId": f"id-{name}",
            "TenantArn": f"arn:aws:ses:eu-west-1:123456789012:tenant/{name}/id-{name}",
            "SendingStatus": status,
            "SuppressionAttributes": {
                "SuppressionScope": scope,
                "SuppressedReasons": ["BOUNCE", "COMPLAINT"] if reasons is None else reasons,
            },
        }
    }


@pytest.mark.parametrize(
    ("answer", "status", "evidence"),
    [
        (tenant("acme"), "pass", "tenant acme: its own suppression list (BOUNCE, COMPLAINT), sending ENABLED"),
        (tenant("acme", status="DISABLED"), "fail", "SES has paused tenant acme (sending DISABLED) on its reputation"),
        (tenant("acme", reasons=["COMPLAINT"]), "warn", "tenant acme's own suppression list does not suppress BOUNCE"),
        (tenant("acme", scope="ACCOUNT"), "warn",
         "tenant acme: the account-level suppression list (BOUNCE, COMPLAINT), sending ENABLED; the config sets "
         "TENANT"),
        (None, "fail", "no tenant acme in eu-west-1"),
    ],
    ids=["as-configured", "paused", "no-bounce", "drifted-scope", "missing"],
)  # fmt: skip
def test_each_tenant_is_checked_live(
    account: FakeAccount,
    run_cli: Callable[..., Run],
    config_file: Callable[..., Any],
    serve_zone: Callable[..., str],
    answer: dict[str, Any] | None,
    status: str,
    evidence: str,
) -> None:
    data = copy.deepcopy(CONFIG)
    data["tenants"] = [{"name": "acme", "domains": ["example.com"]}]
    account.queue_check(responses_with(None))
    if answer is None:
        account.ses_stub.add_client_error(
            "get_tenant", "NotFoundException", http_status_code=404, expected_params={"TenantName": "acme"}
        )
    else:
        account.ses_stub.add_response("get_tenant", answer, {"TenantName": "acme"})
    result = run_cli("check", "--config", str(config_file(data)), "--nameserver", serve_zone(good_zone()), "--json")
    (region,) = result.json()
    (verdict,) = [i for i in region["items"] if i.get("tenant") == "acme"]
    assert (verdict["item"], verdict["status"]) == ("suppression", status)
    assert verdict["evidence"].startswith(evidence)
    assert result.status == (1 if status == "fail" else 0)
    # the account-wide suppression verdict is still there, apart from the tenant's
    assert [i["status"] for i in region["items"] if i["item"] == "suppression" and "tenant" not in i] == ["pass"]
