"""Human-readable rendering of a checklist (the JSON form is ``Checklist.to_json``)."""

from __future__ import annotations

from ses_stack.checklist.items import DEFINITIONS, Checklist, Status

_LABELS = {Status.PASS: "PASS", Status.FAIL: "FAIL", Status.WARN: "WARN", Status.NOT_APPLICABLE: "N/A"}


def format_checklist(checklist: Checklist) -> str:
    """A table: one line per verdict, the fix indented below anything that is not a pass."""
    heading = "Pre-flight checklist" + (f" for {checklist.stack}" if checklist.stack else "")
    heading += f" ({checklist.region})" if checklist.region else ""
    lines = [heading]
    for result in checklist.results:
        title = DEFINITIONS[result.item].title
        where = f" [{result.domain}]" if result.domain else ""
        lines.append(f"  {_LABELS[result.status]:<4}  {result.item.value:<12} {title}{where}: {result.evidence}")
        if result.fix and result.status is not Status.PASS:
            lines.append(f"{'':20}fix: {result.fix}")
    counts = {status: sum(1 for r in checklist.results if r.status is status) for status in Status}
    summary = ", ".join(f"{counts[s]} {_LABELS[s].lower()}" for s in Status if counts[s])
    lines.append(f"  => {'READY' if checklist.ready else 'NOT READY'} ({summary})")
    return "\n".join(lines)
