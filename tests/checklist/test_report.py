"""The printed checklist stays readable at 1,000 domains: a summary line per item with the counts, the domains that
do not pass listed (capped), every verdict still in the JSON form; a few domains keep one line each."""

from __future__ import annotations

from ses_stack.checklist import format_checklist
from ses_stack.checklist.items import Checklist, ItemId, ItemResult, Status
from ses_stack.checklist.report import DETAILED_DOMAINS, LISTED_DOMAINS

PER_DOMAIN = (ItemId.DOMAIN_DKIM, ItemId.SPF, ItemId.DMARC)
ACCOUNT_ITEMS = (ItemId.BOUNCE, ItemId.COMPLAINT, ItemId.SUPPRESSION, ItemId.UNSUBSCRIBE)


def checklist(count: int, statuses: dict[tuple[ItemId, int], Status] | None = None) -> Checklist:
    statuses = statuses or {}
    names = [f"customer{n:04d}.example.net" for n in range(count)]
    results = [
        ItemResult(item, statuses.get((item, n), Status.PASS), f"evidence {n}", f"fix {n}", domain=name)
        for item in PER_DOMAIN
        for n, name in enumerate(names)
    ]
    results += [ItemResult(item, Status.PASS, "account evidence") for item in ACCOUNT_ITEMS]
    return Checklist(region="eu-west-1", results=tuple(results), stack="SesStack-eu-west-1")


def test_a_thousand_domains_print_a_line_per_item_and_the_domains_that_do_not_pass() -> None:
    broken = {(ItemId.DOMAIN_DKIM, 7): Status.FAIL, (ItemId.DOMAIN_DKIM, 700): Status.FAIL}
    broken |= {(ItemId.DMARC, n): Status.WARN for n in range(30)}
    lines = format_checklist(checklist(1000, broken)).splitlines()

    assert lines[0] == "Pre-flight checklist for SesStack-eu-west-1 (eu-west-1)"
    assert lines[1] == "  FAIL  domain_dkim  Verified domain with Easy DKIM: 1000 domains, 2 fail, 998 pass"
    assert lines[2:6] == [
        "        FAIL  customer0007.example.net: evidence 7",
        "              fix: fix 7",
        "        FAIL  customer0700.example.net: evidence 700",
        "              fix: fix 700",
    ]
    assert lines[6] == "  PASS  spf          SPF on a custom MAIL FROM domain: 1000 domains, 1000 pass"
    assert lines[7] == "  WARN  dmarc        DMARC policy: 1000 domains, 30 warn, 970 pass"
    listed = [line for line in lines if line.startswith("        WARN  ")]
    assert len(listed) == LISTED_DOMAINS
    assert lines[8 + 2 * LISTED_DOMAINS] == (
        "        ... and 10 more (every domain is in the JSON form: `check --json`, `<stack>.checklist.json` at synth)"
    )
    assert [line.split()[1] for line in lines if line.startswith("  PASS  ") and ":" in line][1:] == [
        "bounce", "complaint", "suppression", "unsubscribe",
    ]  # fmt: skip
    assert lines[-1] == "  => NOT READY (2972 pass, 2 fail, 30 warn)"
    assert len(lines) < 60


def test_all_passing_thousand_domains_fit_in_a_dozen_lines() -> None:
    lines = format_checklist(checklist(1000)).splitlines()
    assert len(lines) == 1 + len(PER_DOMAIN) + len(ACCOUNT_ITEMS) + 1
    assert lines[-1] == "  => READY (3004 pass)"


def test_a_few_domains_keep_one_line_per_domain_and_item() -> None:
    text = format_checklist(checklist(DETAILED_DOMAINS, {(ItemId.SPF, 3): Status.FAIL}))
    lines = text.splitlines()
    assert sum(1 for line in lines if "] " in line or "]:" in line) == DETAILED_DOMAINS * len(PER_DOMAIN)
    assert "  FAIL  spf          SPF on a custom MAIL FROM domain [customer0003.example.net]: evidence 3" in lines
    assert "domains," not in text
    # one more domain switches to the summary
    assert "domain_dkim  Verified domain with Easy DKIM: 11 domains, 11 pass" in format_checklist(checklist(11))


def test_the_json_form_keeps_every_domain() -> None:
    data = checklist(1000).to_json()
    assert sum(1 for item in data["items"] if item.get("domain")) == 3000
