"""TXT record values in presentation form, read as DNS reads them (standard library only: shipped in the Lambda
asset and used by the synth-time checklist alike)."""

from __future__ import annotations


def txt_text(value: str) -> str:
    """A TXT value in presentation form (``"a" "b"``, ``"a\\"b"``) as the text it carries (``ab``, ``a"b``);
    unquoted text is kept as is."""
    value = value.strip()
    if not value.startswith('"'):
        return value
    parts, current, inside, escaped = [], "", False, False
    for char in value:
        if escaped:
            current, escaped = current + char, False
        elif char == "\\" and inside:
            escaped = True
        elif char == '"':
            if inside:
                parts.append(current)
                current = ""
            inside = not inside
        elif inside:
            current += char
    return "".join(parts)
