"""Field types shared by the config sections: each checks its value with a rule from ``ses_stack.validation``."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel

from ses_stack.validation import SES_NAME, SES_REGIONS, domain_name_problem, email_address_problem, region_problem


def checked(problem: Callable[[str], str | None], normalize: Callable[[str], str] = str) -> AfterValidator:
    """A validator that raises the rule ``problem`` reports, else keeps ``normalize(value)``."""

    def check(value: str) -> str:
        found = problem(value)
        if found is not None:
            raise ValueError(found)
        return normalize(value)

    return AfterValidator(check)


# DNS names are case-insensitive: accept any case, keep them lower-case so duplicates compare equal.
DomainName = Annotated[str, checked(domain_name_problem, str.lower)]
EmailAddress = Annotated[str, checked(lambda v: email_address_problem(v.removeprefix("mailto:")))]
Region = Annotated[str, checked(region_problem), Field(json_schema_extra={"enum": list(SES_REGIONS)})]
PATTERN_RULES: dict[str, str] = {}
"""Each pattern a field must match, and the rule in words (error messages show the rule, not the regex)."""


def pattern(regex: str, rule: str) -> Any:
    """A pydantic pattern constraint whose error message reads ``rule``. Patterns match whole values."""
    PATTERN_RULES[regex] = rule
    return Field(pattern=regex)


SesName = Annotated[str, pattern(SES_NAME.pattern, "must be 1-64 letters, digits, underscores or hyphens")]


class Section(BaseModel):
    """Base of every config section: unknown keys are errors, keys are camelCase, values are immutable."""

    model_config = ConfigDict(
        extra="forbid", alias_generator=to_camel, populate_by_name=True, frozen=True, use_enum_values=False
    )


def repeated(path: str, values: Sequence[Any], what: str) -> Iterator[tuple[str, str]]:
    """A cross-field rule: ``values`` at ``path`` list something twice."""
    duplicates = sorted({str(v) for v in values if values.count(v) > 1})
    if duplicates:
        yield (path, f"lists {what} {', '.join(duplicates)} more than once")
