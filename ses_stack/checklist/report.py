"""Human-readable rendering of a checklist (the JSON form is ``Checklist.to_json``, always in full)."""

from __future__ import annotations

from itertools import groupby

from ses_stack.checklist.items import DEFINITIONS, Checklist, ItemResult, Status

_LABELS = {Status.PASS: "PASS", Status.FAIL: "FAIL", Status.WARN: "WARN", Status.NOT_APPLICABLE: "N/A"}
_WORST_FIRST = (Status.FAIL, Status.WARN, Status.PASS, Status.NOT_APPLICABLE)

DETAILED_DOMAINS = 10
"""Up to this many domains, one line per domain and item; beyond it, one summary line per item with the counts,
and only the domains that do not pass listed."""
LISTED_DOMAINS = 20
"""Per item, at most this many domains that do not pass are listed (the JSON has them all)."""
_IN_JSON = "(every domain is in the JSON form: `check --json`, `<stack>.checklist.json` at synth)"


def format_checklist(checklist: Checklist, *, detailed_domains: int = DETAILED_DOMAINS) -> str:
    """A table: one line per verdict, the fix indented below anything that is not a pass; past
    ``detailed_domains`` domains, the per-domain items are summarized (see ``DETAILED_DOMAINS``)."""
    heading = "Pre-flight checklist" + (f" for {checklist.stack}" if checklist.stack else "")
    heading += f" ({checklist.region})" if checklist.region else ""
    lines = [heading]
    for _, group in groupby(checklist.results, key=lambda r: (r.item, r.domain is None, r.tenant is None)):
        results = list(group)
        if results[0].subject is not None and len(results) > detailed_domains:
            lines += _summary(results)
        else:
            for result in results:
                lines += _detail(result)
    counts = {status: sum(1 for r in checklist.results if r.status is status) for status in Status}
    summary = ", ".join(f"{counts[s]} {_LABELS[s].lower()}" for s in Status if counts[s])
    lines.append(f"  => {'READY' if checklist.ready else 'NOT READY'} ({summary})")
    return "\n".join(lines)


def _detail(result: ItemResult) -> list[str]:
    title = DEFINITIONS[result.item].title
    where = f" [{result.subject}]" if result.subject else ""
    lines = [f"  {_LABELS[result.status]:<4}  {result.item.value:<12} {title}{where}: {result.evidence}"]
    if result.fix and result.status is not Status.PASS:
        lines.append(f"{'':20}fix: {result.fix}")
    return lines


def _summary(results: list[ItemResult]) -> list[str]:
    """One line for an item over many domains, then each domain that does not pass (at most ``LISTED_DOMAINS``)."""
    item = results[0].item
    worst = next(s for s in _WORST_FIRST if any(r.status is s for r in results))
    counts = ", ".join(
        f"{n} {_LABELS[s].lower()}" for s in _WORST_FIRST if (n := sum(1 for r in results if r.status is s))
    )
    kind = "domains" if results[0].domain is not None else "tenants"
    lines = [f"  {_LABELS[worst]:<4}  {item.value:<12} {DEFINITIONS[item].title}: {len(results)} {kind}, {counts}"]
    not_passing = [r for r in results if r.status in (Status.FAIL, Status.WARN)]
    for result in not_passing[:LISTED_DOMAINS]:
        lines.append(f"{'':8}{_LABELS[result.status]:<4}  {result.subject}: {result.evidence}")
        if result.fix:
            lines.append(f"{'':14}fix: {result.fix}")
    if len(not_passing) > LISTED_DOMAINS:
        more = len(not_passing) - LISTED_DOMAINS
        lines.append(f"{'':8}... and {more} more {_IN_JSON}")
    return lines
