"""The configuration file: typed settings, validation with JSON-path errors, and the JSON Schema.

No aws_cdk import here: the command-line tool loads configs too and must start fast.
"""

from __future__ import annotations

import difflib
import enum
import json
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
)
from pydantic.alias_generators import to_camel

from ses_stack.dmarc import Dmarc, DmarcAlignment, DmarcPolicy
from ses_stack.topics import MAX_DESCRIPTION, MAX_DISPLAY_NAME, MAX_TOPICS, ContactTopic, SubscriptionStatus
from ses_stack.validation import (
    BOUNCE_REVIEW_RATE,
    COMPLAINT_REVIEW_RATE,
    SES_NAME,
    SES_REGIONS,
    account_id_problem,
    domain_name_problem,
    email_address_problem,
    hosted_zone_id_problem,
    region_problem,
    subdomain_label_problem,
)

SCHEMA_FILE_NAME = "ses-stack.schema.json"


class MailFromMxFailure(enum.StrEnum):
    """What SES does when the MAIL FROM domain's MX record is missing or wrong (``BehaviorOnMxFailure``)."""

    REJECT_MESSAGE = "REJECT_MESSAGE"
    """Refuse to send (MailFromDomainNotVerified): every message that leaves is SPF-aligned."""
    USE_DEFAULT_VALUE = "USE_DEFAULT_VALUE"
    """Send with an amazonses.com MAIL FROM: mail keeps flowing, but SPF no longer aligns for DMARC."""


def _checked(problem: Callable[[str], str | None], normalize: Callable[[str], str] = str) -> AfterValidator:
    def check(value: str) -> str:
        found = problem(value)
        if found is not None:
            raise ValueError(found)
        return normalize(value)

    return AfterValidator(check)


# DNS names are case-insensitive: accept any case, keep them lower-case so duplicates compare equal.
DomainName = Annotated[str, _checked(domain_name_problem, str.lower)]
EmailAddress = Annotated[str, _checked(lambda v: email_address_problem(v.removeprefix("mailto:")))]
Region = Annotated[str, _checked(region_problem), Field(json_schema_extra={"enum": list(SES_REGIONS)})]


class _Model(BaseModel):
    model_config = ConfigDict(
        extra="forbid", alias_generator=to_camel, populate_by_name=True, frozen=True, use_enum_values=False
    )


class DmarcConfig(_Model):
    """The ``_dmarc`` TXT record of a domain."""

    publish: bool = Field(True, description="Publish the record in Route53 (or list it for manual publishing).")
    policy: DmarcPolicy = Field(DmarcPolicy.NONE, description="p=: none (monitor), quarantine or reject.")
    subdomain_policy: DmarcPolicy | None = Field(None, description="sp=: policy for subdomains.")
    rua: list[EmailAddress] = Field(default_factory=list, description="Aggregate report addresses.")
    ruf: list[EmailAddress] = Field(default_factory=list, description="Failure report addresses.")
    pct: int | None = Field(None, ge=0, le=100, description="pct=: share of failing mail the policy applies to.")
    adkim: DmarcAlignment | None = Field(None, description="adkim=: DKIM alignment, r (relaxed) or s (strict).")
    aspf: DmarcAlignment | None = Field(None, description="aspf=: SPF alignment, r (relaxed) or s (strict).")

    def to_dmarc(self) -> Dmarc:
        return Dmarc(
            policy=self.policy,
            subdomain_policy=self.subdomain_policy,
            rua=tuple(self.rua),
            ruf=tuple(self.ruf),
            pct=self.pct,
            adkim=self.adkim,
            aspf=self.aspf,
        )


class DomainConfig(_Model):
    """One sending domain."""

    name: DomainName = Field(description="The sending domain, lower case, for example example.com.")
    hosted_zone_id: Annotated[str, _checked(hosted_zone_id_problem)] | None = Field(
        None,
        description="Route53 public hosted zone holding the domain's records (its own zone or a parent's). "
        "Omit when DNS is managed elsewhere: no records are created and the stack outputs list them.",
    )
    mail_from_subdomain: Annotated[str, _checked(subdomain_label_problem, str.lower)] = Field(
        "mail", description="Custom MAIL FROM subdomain (mail -> mail.example.com). Not used for From or inbound mail."
    )
    behavior_on_mx_failure: MailFromMxFailure = Field(
        MailFromMxFailure.REJECT_MESSAGE, description="What SES does when the MAIL FROM MX record is missing."
    )
    dmarc: DmarcConfig = Field(default_factory=DmarcConfig, description="DMARC record settings.")

    @property
    def mail_from_domain(self) -> str:
        return f"{self.mail_from_subdomain}.{self.name}"


class TrackingHttpsPolicy(enum.StrEnum):
    """Whether open and click tracking links use HTTPS (``TrackingOptions.HttpsPolicy``)."""

    REQUIRE = "REQUIRE"
    REQUIRE_OPEN_ONLY = "REQUIRE_OPEN_ONLY"
    OPTIONAL = "OPTIONAL"


class FeedbackEventType(enum.StrEnum):
    """Event types that can be routed to the feedback topic besides BOUNCE and COMPLAINT (always routed)."""

    DELIVERY = "DELIVERY"
    REJECT = "REJECT"
    DELIVERY_DELAY = "DELIVERY_DELAY"


_SES_NAME = SES_NAME.pattern


class ConfigurationSetConfig(_Model):
    """The configuration set of each Region (suppression, TLS and reputation metrics are always on)."""

    name: Annotated[str, Field(pattern=_SES_NAME)] | None = Field(
        None, description="Name of the set. Default: generated by CloudFormation (see the stack output)."
    )
    custom_redirect_domain: DomainName | None = Field(None, description="Your own open/click tracking domain.")
    https_policy: TrackingHttpsPolicy | None = Field(None, description="HTTPS policy of tracking links.")
    max_delivery_seconds: int | None = Field(
        None, ge=300, le=50400, description="How long SES keeps trying to deliver, in seconds."
    )
    dedicated_ip_pool: Annotated[str, Field(pattern=_SES_NAME)] | None = Field(
        None, description="Dedicated IP pool to send from."
    )


class FeedbackConfig(_Model):
    """Where bounce and complaint events go."""

    additional_event_types: list[FeedbackEventType] = Field(
        default_factory=list, description="Event types routed to the topic besides BOUNCE and COMPLAINT."
    )
    existing_topic_name: Annotated[str, Field(pattern=r"^[A-Za-z0-9_-]{1,256}$")] | None = Field(
        None,
        description="Name of your own standard SNS topic (same name in every Region) instead of a new one. Its "
        "policies must already let ses.amazonaws.com publish.",
    )


class SuppressedReason(enum.StrEnum):
    """Events that put an address on the account-level suppression list."""

    BOUNCE = "BOUNCE"
    COMPLAINT = "COMPLAINT"


class AccountSuppressionConfig(_Model):
    """The Region's account-level suppression list (a custom resource; prior value restored on delete)."""

    manage: bool = Field(True, description="Set the account-level suppression reasons from this stack.")
    reasons: list[SuppressedReason] = Field(
        default_factory=lambda: [SuppressedReason.BOUNCE, SuppressedReason.COMPLAINT],
        min_length=1,
        description="Reasons that suppress an address account-wide.",
    )


class ContactTopicConfig(_Model):
    """A topic recipients can subscribe to or unsubscribe from."""

    name: Annotated[str, Field(pattern=_SES_NAME)] = Field(description="Topic id for ListManagementOptions.")
    display_name: Annotated[str, Field(min_length=1, max_length=MAX_DISPLAY_NAME)] = Field(
        description="Shown on the unsubscribe page."
    )
    description: Annotated[str, Field(max_length=MAX_DESCRIPTION)] | None = Field(
        None, description="Shown on the unsubscribe page."
    )
    default_subscription: SubscriptionStatus = Field(
        description="OPT_IN: contacts receive it until they unsubscribe; OPT_OUT: only after they subscribe."
    )

    def to_topic(self) -> ContactTopic:
        return ContactTopic(
            name=self.name,
            display_name=self.display_name,
            description=self.description,
            default_subscription=self.default_subscription,
        )


class ContactListConfig(_Model):
    """The SES contact list (one per account and Region) that gives bulk mail one-click unsubscribe."""

    name: Annotated[str, Field(pattern=_SES_NAME)] = Field(description="Contact list name.")
    description: Annotated[str, Field(max_length=MAX_DESCRIPTION)] | None = Field(None, description="For operators.")
    topics: list[ContactTopicConfig] = Field(min_length=1, max_length=MAX_TOPICS, description="1-20 topics.")


class RateConfig(_Model):
    """Warning and critical levels of a reputation rate, as fractions (0.02 = 2%)."""

    warning: float = Field(gt=0, description="Notify operators.")
    critical: float = Field(gt=0, description="Notify operators and pause sending (with autoPause).")


class ReputationConfig(_Model):
    """Reputation alarms and auto-pause."""

    bounce_rate: RateConfig = Field(
        default_factory=lambda: RateConfig(warning=0.02, critical=0.04),
        description="Reputation.BounceRate levels; critical below AWS's 0.05 review rate.",
    )
    complaint_rate: RateConfig = Field(
        default_factory=lambda: RateConfig(warning=0.0005, critical=0.0008),
        description="Reputation.ComplaintRate levels; critical below AWS's 0.001 review rate.",
    )
    auto_pause: bool = Field(True, description="Pause the configuration set when a critical alarm fires.")


class OperationsConfig(_Model):
    """Who hears about alarms."""

    alarm_emails: list[EmailAddress] = Field(
        default_factory=list, description="Addresses subscribed to the operations topic (each must confirm)."
    )


class MailType(enum.StrEnum):
    """What the account sends, as the production-access request states it (PutAccountDetails MailType)."""

    TRANSACTIONAL = "TRANSACTIONAL"
    MARKETING = "MARKETING"


class ContactLanguage(enum.StrEnum):
    """Language AWS uses to contact you about the request."""

    EN = "EN"
    JA = "JA"


class ProductionAccessConfig(_Model):
    """What ``ses-preflight request-access`` tells AWS."""

    mail_type: MailType = Field(description="TRANSACTIONAL or MARKETING.")
    website_url: Annotated[str, Field(pattern=r"^https?://[^\s/$.?#].[^\s]*$", max_length=1000)] = Field(
        description="Your website, where reviewers can see who you are."
    )
    contact_language: ContactLanguage = Field(ContactLanguage.EN, description="EN or JA.")
    additional_contact_emails: list[EmailAddress] = Field(
        default_factory=list, max_length=4, description="Up to 4 more addresses AWS may contact."
    )
    use_case: Annotated[str, Field(min_length=20, max_length=2000)] = Field(
        description="What you send, to whom and how often, in your own words."
    )
    recipient_source: Annotated[str, Field(min_length=20, max_length=1000)] = Field(
        description="How recipients gave you their address and asked for the mail (opt-in)."
    )


class SesStackConfig(_Model):
    """The whole configuration file."""

    schema_: str | None = Field(None, alias="$schema", description="Path or URL of this file's JSON Schema.")
    account: Annotated[str, _checked(account_id_problem)] | None = Field(
        None, description="AWS account id. Omit for environment-agnostic stacks."
    )
    regions: list[Region] = Field(min_length=1, description="SES Regions to deploy to, one stack each.")
    stack_name_prefix: Annotated[str, Field(pattern=r"^[A-Za-z][A-Za-z0-9-]{0,100}$")] = Field(
        "SesStack", description="Stacks are named <prefix>-<region>."
    )
    domains: list[DomainConfig] = Field(min_length=1, description="Sending domains, deployed to every Region.")
    configuration_set: ConfigurationSetConfig = Field(
        default_factory=ConfigurationSetConfig, description="Configuration set settings."
    )
    feedback: FeedbackConfig = Field(default_factory=FeedbackConfig, description="Bounce and complaint routing.")
    account_suppression: AccountSuppressionConfig = Field(
        default_factory=AccountSuppressionConfig, description="Account-level suppression list."
    )
    contact_list: ContactListConfig | None = Field(
        None, description="Contact list for one-click unsubscribe (required for bulk mail)."
    )
    transactional_only: bool = Field(
        False, description="The account sends transactional mail only: no unsubscribe mechanism is needed."
    )
    reputation: ReputationConfig = Field(default_factory=ReputationConfig, description="Reputation guard.")
    operations: OperationsConfig = Field(default_factory=OperationsConfig, description="Alarm notifications.")
    production_access: ProductionAccessConfig | None = Field(
        None, description="The production-access request (ses-preflight request-access)."
    )


class ConfigError(Exception):
    """An invalid configuration file. ``problems`` are ``(json_path, message)`` pairs."""

    def __init__(self, source: str, problems: list[tuple[str, str]]) -> None:
        self.source = source
        self.problems = problems
        super().__init__("\n".join(self.lines()))

    def lines(self) -> list[str]:
        return [
            f"{self.source}: {path}: {message}" if path else f"{self.source}: {message}"
            for path, message in self.problems
        ]


def _json_path(loc: tuple[str | int, ...]) -> str:
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else part
    return path


def _got(value: Any) -> str:
    return "got " + json.dumps(value, ensure_ascii=False) if _is_json(value) else f"got {value!r}"


def _is_json(value: Any) -> bool:
    try:
        json.dumps(value)
    except (TypeError, ValueError):
        return False
    return True


_JSON_TYPE_NAMES = {
    "string_type": "a string",
    "int_type": "a whole number",
    "int_parsing": "a whole number",
    "int_from_float": "a whole number",
    "float_type": "a number",
    "float_parsing": "a number",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "list_type": "a list",
    "model_type": "an object",
    "dict_type": "an object",
}


def _allowed_keys(model: type[BaseModel]) -> list[str]:
    return sorted(f.alias or name for name, f in model.model_fields.items())


def _model_at(loc: tuple[str | int, ...]) -> type[BaseModel] | None:
    """The model class that owns the object at ``loc`` (the parent of an unknown key)."""
    model: type[BaseModel] = SesStackConfig
    for part in loc:
        if isinstance(part, int):
            continue
        field = next((f for n, f in model.model_fields.items() if (f.alias or n) == part), None)
        if field is None:
            return None
        annotation = field.annotation
        inner = getattr(annotation, "__args__", (annotation,))
        found = next((t for t in inner if isinstance(t, type) and issubclass(t, BaseModel)), None)
        if found is None:
            return None
        model = found
    return model


def _message(error: Any) -> str:
    kind = error["type"]
    value = error.get("input")
    ctx = error.get("ctx") or {}
    if kind == "extra_forbidden":
        key = error["loc"][-1]
        model = _model_at(error["loc"][:-1])
        allowed = _allowed_keys(model) if model else []
        close = difflib.get_close_matches(str(key), allowed, n=1)
        hint = f'; did you mean "{close[0]}"?' if close else ""
        return f"unknown key{hint} (allowed: {', '.join(allowed)})"
    if kind == "missing":
        return "is required"
    if kind == "enum":
        # pydantic says "'a', 'b' or 'c'"; list the values plainly.
        choices = ", ".join(re.findall(r"'([^']*)'", str(ctx.get("expected", ""))))
        return f"must be one of {choices}; {_got(value)}"
    if kind == "value_error":
        return f"{ctx['error']}; {_got(value)}"
    if kind in ("greater_than_equal", "less_than_equal"):
        return f"must be from {_bounds(error['loc'])}; {_got(value)}"
    if kind == "too_short":
        return f"must not be empty; {_got(value)}"
    if kind == "too_long":
        return f"must list at most {ctx.get('max_length')} items; got {ctx.get('actual_length')}"
    if kind == "greater_than":
        return f"must be greater than {ctx.get('gt')}; {_got(value)}"
    if kind == "string_too_long":
        return f"must be at most {ctx.get('max_length')} characters; got {len(str(value))}"
    if kind == "string_too_short":
        return f"must be at least {ctx.get('min_length')} character(s); {_got(value)}"
    if kind == "string_pattern_mismatch":
        return f"must match {ctx['pattern']}; {_got(value)}"
    if kind in _JSON_TYPE_NAMES:
        return f"must be {_JSON_TYPE_NAMES[kind]}; {_got(value)}"
    return f"{error['msg']}; {_got(value)}"


def _field_at(loc: tuple[str | int, ...]) -> Any:
    """The pydantic field named by the last key of ``loc`` (list positions skipped)."""
    keys = tuple(p for p in loc if isinstance(p, str))
    parent = _model_at(keys[:-1]) if keys else None
    if parent is None:
        return None
    return next((f for n, f in parent.model_fields.items() if (f.alias or n) == keys[-1]), None)


def _bounds(loc: tuple[str | int, ...]) -> str:
    field = _field_at(loc)
    low = high = None
    for meta in getattr(field, "metadata", []):
        low = getattr(meta, "ge", low)
        high = getattr(meta, "le", high)
    return f"{low} to {high}"


def _repeated(path: str, values: Sequence[Any], what: str) -> Iterator[tuple[str, str]]:
    duplicates = sorted({str(v) for v in values if values.count(v) > 1})
    if duplicates:
        yield (path, f"lists {what} {', '.join(duplicates)} more than once")


def _domain_problems(config: SesStackConfig) -> Iterator[tuple[str, str]]:
    seen: dict[str, int] = {}
    for index, domain in enumerate(config.domains):
        if domain.name in seen:
            yield (
                f"domains[{index}].name",
                f'duplicate domain "{domain.name}" (also domains[{seen[domain.name]}]); DNS names are '
                "case-insensitive and each domain is one SES identity",
            )
        seen.setdefault(domain.name, index)
        for region in config.regions[1:]:
            regional = regional_mail_from_subdomain(domain.mail_from_subdomain, region, config.regions[0])
            if len(regional.split(".")[-1]) > 63:
                yield (
                    f"domains[{index}].mailFromSubdomain",
                    f'becomes "{regional}" in {region} (each Region needs its own MAIL FROM domain), whose last '
                    "label is longer than 63 characters; use a shorter subdomain",
                )
        for tag in ("rua", "ruf"):
            for position, address in enumerate(getattr(domain.dmarc, tag)):
                mailbox_domain = address.removeprefix("mailto:").rpartition("@")[2].lower()
                if mailbox_domain == domain.mail_from_domain:
                    yield (
                        f"domains[{index}].dmarc.{tag}[{position}]",
                        f"{mailbox_domain} is the MAIL FROM domain, whose MX is SES's feedback endpoint, so it "
                        f"cannot receive reports; use a mailbox that receives mail; got {json.dumps(address)}",
                    )


def _settings_problems(config: SesStackConfig) -> Iterator[tuple[str, str]]:
    tracking = config.configuration_set
    if tracking.https_policy is not None and tracking.custom_redirect_domain is None:
        yield ("configurationSet.httpsPolicy", "needs configurationSet.customRedirectDomain")
    if config.contact_list is not None:
        if config.transactional_only:
            yield ("transactionalOnly", "cannot be true with a contactList: a contact list is for bulk mail")
        names = [topic.name for topic in config.contact_list.topics]
        for index, name in enumerate(names):
            if name in names[:index]:
                yield (f"contactList.topics[{index}].name", f'duplicate topic "{name}"')
    access = config.production_access
    if access is not None and access.mail_type is MailType.MARKETING and config.transactional_only:
        yield ("productionAccess.mailType", "MARKETING contradicts transactionalOnly: true")
    for key, rates, review in (
        ("bounceRate", config.reputation.bounce_rate, BOUNCE_REVIEW_RATE),
        ("complaintRate", config.reputation.complaint_rate, COMPLAINT_REVIEW_RATE),
    ):
        if not rates.warning < rates.critical < review:
            yield (
                f"reputation.{key}",
                f"needs warning < critical < {review} (the rate at which AWS reviews the account); "
                f"got warning {rates.warning}, critical {rates.critical}",
            )


def _cross_field_problems(config: SesStackConfig) -> Iterator[tuple[str, str]]:
    yield from _domain_problems(config)
    yield from _settings_problems(config)
    yield from _repeated("feedback.additionalEventTypes", config.feedback.additional_event_types, "event type")
    yield from _repeated("accountSuppression.reasons", config.account_suppression.reasons, "reason")
    yield from _repeated("regions", config.regions, "Region")


def parse_config(data: Any, source: str = "<config>") -> SesStackConfig:
    """Validate already-parsed JSON. Raises ConfigError naming ``source`` and the JSON path of every problem."""
    if not isinstance(data, dict):
        raise ConfigError(source, [("", f"the top level must be a JSON object; {_got(data)}")])
    try:
        # Validate as JSON, strictly: "50" is not a number and "true" is not a boolean in a config file.
        config = SesStackConfig.model_validate_json(json.dumps(data), strict=True)
    except ValidationError as error:
        raise ConfigError(
            source, [(_json_path(e["loc"]), _message(e)) for e in error.errors(include_url=False)]
        ) from None
    problems = list(_cross_field_problems(config))
    if problems:
        raise ConfigError(source, problems)
    return config


def load_config(path: str | Path) -> SesStackConfig:
    """Read and validate a configuration file. Raises ConfigError for anything wrong with it."""
    source = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(source, [("", "file not found")]) from None
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(source, [("", f"cannot read the file: {error}")]) from None
    if not text.strip():
        raise ConfigError(source, [("", "the file is empty; it must hold a JSON object")])
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise ConfigError(
            source, [("", f"invalid JSON at line {error.lineno} column {error.colno}: {error.msg}")]
        ) from None
    return parse_config(data, source)


def json_schema() -> dict[str, Any]:
    """The JSON Schema of the configuration file (draft 2020-12), for editor completion and validation."""
    schema = SesStackConfig.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "ses_stack configuration"
    return schema


@dataclass(frozen=True)
class StackPlan:
    """One stack to synthesize: a Region and the domains it holds."""

    stack_name: str
    region: str
    domains: tuple[DomainConfig, ...]


def regional_mail_from_subdomain(subdomain: str, region: str, primary_region: str) -> str:
    """The MAIL FROM subdomain used in ``region``: as configured in the first (primary) Region, with ``-<region>``
    appended elsewhere. A MAIL FROM domain takes exactly one MX, to one Region's feedback host, so each Region
    needs its own."""
    return subdomain if region == primary_region else f"{subdomain}-{region}"


def _in_region(domain: DomainConfig, region: str, primary_region: str) -> DomainConfig:
    if region == primary_region:
        return domain
    # DMARC is one record for the whole domain: only the primary Region's stack publishes it.
    return domain.model_copy(
        update={
            "mail_from_subdomain": regional_mail_from_subdomain(domain.mail_from_subdomain, region, primary_region),
            "dmarc": domain.dmarc.model_copy(update={"publish": False}),
        }
    )


def plan_stacks(config: SesStackConfig) -> list[StackPlan]:
    """Group the config's domains into stacks: today one stack per Region with every domain.

    The first Region is the primary one: its stack publishes each domain's DMARC record and uses the configured
    MAIL FROM subdomain; other Regions use ``<mailFromSubdomain>-<region>``. Spreading a Region's domains over
    several stacks (past CloudFormation's 500-resource limit) changes this function only; the stack and the
    constructs take whatever domains they are given.
    """
    primary = config.regions[0]
    return [
        StackPlan(
            stack_name=f"{config.stack_name_prefix}-{region}",
            region=region,
            domains=tuple(_in_region(domain, region, primary) for domain in config.domains),
        )
        for region in config.regions
    ]


if __name__ == "__main__":  # python -m ses_stack.config > examples/ses-stack.schema.json
    print(json.dumps(json_schema(), indent=2))
