"""Validation rules shared by the config file and the constructs.

Each function returns ``None`` when the value is acceptable, or the broken rule as a short sentence. Callers add
the setting's name (a JSON path or a construct prop) and the value received, so both kinds of error read alike.
This module imports nothing from aws_cdk: the command-line tool uses it too.
"""

from __future__ import annotations

import json
import re

# Regions where the SES API ("email" endpoint) is available, from botocore 1.43 endpoints.json.
SES_REGIONS: tuple[str, ...] = (
    "af-south-1",
    "ap-northeast-1",
    "ap-northeast-2",
    "ap-northeast-3",
    "ap-south-1",
    "ap-south-2",
    "ap-southeast-1",
    "ap-southeast-2",
    "ap-southeast-3",
    "ap-southeast-5",
    "ca-central-1",
    "ca-west-1",
    "eu-central-1",
    "eu-central-2",
    "eu-north-1",
    "eu-south-1",
    "eu-west-1",
    "eu-west-2",
    "eu-west-3",
    "il-central-1",
    "me-central-1",
    "me-south-1",
    "sa-east-1",
    "us-east-1",
    "us-east-2",
    "us-west-1",
    "us-west-2",
    "us-gov-east-1",
    "us-gov-west-1",
)

# AWS places an account under review at these rates (and may pause sending at 10% / 0.5%).
BOUNCE_REVIEW_RATE = 0.05
COMPLAINT_REVIEW_RATE = 0.001

# Names of configuration sets, dedicated IP pools, contact lists and topics (SES API and CloudFormation schemas).
SES_NAME = re.compile(r"^[a-zA-Z0-9_-]{1,64}$")

# Every rule matches the whole value (fullmatch): "$" alone would accept a trailing newline.
_LABEL = re.compile(r"(?!-)[a-z0-9-]{1,63}(?<!-)")
_HOSTED_ZONE_ID = re.compile(r"Z[A-Z0-9]{4,31}")
_ACCOUNT_ID = re.compile(r"[0-9]{12}")
_EMAIL_LOCAL_PART = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]{1,64}")
MAX_NAME_LENGTH = 253  # a DNS name in presentation form, without the trailing dot (RFC 1035: 255 octets on the wire)
MAX_LABEL_LENGTH = 63
DKIM_TOKEN_LENGTH = 32  # Easy DKIM tokens: the longest name the stack derives is <token>._domainkey.<domain>


def is_ses_name(value: str) -> bool:
    """True for a whole SES resource name (configuration set, pool, contact list, topic)."""
    return SES_NAME.fullmatch(value) is not None


def _a_label_hint(value: str) -> str:
    """What to write instead of a non-ASCII name: its IDNA A-label form, when it has one."""
    import idna  # noqa: PLC0415 (only on this error path)

    try:
        a_label = idna.encode(value, uts46=True).decode("ascii")
    except idna.IDNAError:
        return "it is not a valid internationalised domain name either"
    return f"write it in its IDNA A-label form: {a_label}"


def _ascii_problem(value: str) -> str | None:
    # Checked before any case folding: str.lower() turns some non-ASCII letters into ASCII (KELVIN SIGN -> k).
    if value.isascii():
        return None
    return f"must be ASCII; {_a_label_hint(value)} (names are never converted silently)"


def _labels_problem(labels: list[str]) -> str | None:
    for label in labels:
        if not _LABEL.fullmatch(label):
            return (
                f"has an invalid label {json.dumps(label)}: labels are 1-63 letters, digits or hyphens, "
                "not starting or ending with a hyphen"
            )
    return None


def domain_name_problem(value: str) -> str | None:
    """Why ``value`` is not a usable sending domain (ASCII, two labels or more), or None.

    Case does not matter (DNS names are case-insensitive); callers compare and emit ``value.lower()``.
    """
    if not value:
        return "must be a domain name such as example.com"
    not_ascii = _ascii_problem(value)
    if not_ascii:
        return not_ascii
    value = value.lower()
    if value.endswith("."):
        return "must not end with a dot"
    if len(value) > MAX_NAME_LENGTH:
        return f"must be at most {MAX_NAME_LENGTH} characters long"
    labels = value.split(".")
    if len(labels) < 2:
        return "must be a domain name with at least two labels, such as example.com"
    bad_label = _labels_problem(labels)
    if bad_label:
        return bad_label
    if labels[-1].isdigit():
        return "must end in a top-level domain, not a number"
    return _a_label_problem(labels)


def _a_label_problem(labels: list[str]) -> str | None:
    """An ``xn--`` label must decode as IDNA (``xn--a`` does not): SES and DNS would take it, no mailbox would."""
    import idna  # noqa: PLC0415 (only for names with A-labels)

    for label in labels:
        if label.startswith("xn--"):
            try:
                idna.decode(label)
            except (idna.IDNAError, UnicodeError):
                return f"has an invalid IDNA A-label {json.dumps(label)}: it decodes to no internationalised name"
    return None


def subdomain_label_problem(value: str) -> str | None:
    """Why ``value`` cannot be the MAIL FROM subdomain part (``mail`` in ``mail.example.com``), or None."""
    if not value:
        return "must be a subdomain label such as mail; the MAIL FROM domain cannot be the domain itself"
    not_ascii = _ascii_problem(value)
    if not_ascii:
        return not_ascii
    if _labels_problem(value.lower().split(".")):
        return (
            "must be one or more DNS labels (letters, digits or hyphens, 1-63 characters, not starting "
            "or ending with a hyphen) naming a subdomain, not a full domain"
        )
    return None


def mail_from_subdomain_problem(subdomain: str, domain: str) -> str | None:
    """Why ``subdomain`` cannot be the MAIL FROM part below ``domain``: the label rules, and no name that already
    ends in the domain (``mail.example.com`` for ``example.com`` would become ``mail.example.com.example.com``)."""
    problem = subdomain_label_problem(subdomain)
    if problem is not None:
        return problem
    if is_within(subdomain.lower(), domain.lower()):
        return (
            f"must be the part below the domain (mail for mail.{domain.lower()}), not the domain itself or a "
            f"name already ending in {domain.lower()}"
        )
    return None


def dns_name_problem(name: str) -> str | None:
    """Why ``name`` does not fit DNS (253 characters, 63 per label), or None."""
    if len(name) > MAX_NAME_LENGTH:
        return f"is {len(name)} characters long; DNS allows {MAX_NAME_LENGTH}"
    longest = max(name.split("."), key=len)
    if len(longest) > MAX_LABEL_LENGTH:
        return f"has a {len(longest)}-character label; DNS allows {MAX_LABEL_LENGTH}"
    return None


def derived_names(domain: str, mail_from_subdomain: str) -> dict[str, str]:
    """Every DNS name the stack writes for ``domain``, by what it is (a DKIM name with a full-length token)."""
    return {
        "the DKIM record": f"{'x' * DKIM_TOKEN_LENGTH}._domainkey.{domain}",
        "the DMARC record": f"_dmarc.{domain}",
        "the MAIL FROM domain": f"{mail_from_subdomain}.{domain}",
    }


def derived_name_problem(domain: str, mail_from_subdomain: str) -> str | None:
    """Why a name derived from ``domain`` and ``mail_from_subdomain`` would not fit DNS, or None."""
    for what, name in derived_names(domain.lower(), mail_from_subdomain.lower()).items():
        problem = dns_name_problem(name)
        if problem is not None:
            shown = name.replace("x" * DKIM_TOKEN_LENGTH, f"<{DKIM_TOKEN_LENGTH}-character token>")
            return f"{what} {shown} {problem}"
    return None


def email_address_problem(value: str) -> str | None:
    """Why ``value`` is not a plain e-mail address (``name@example.com``), or None."""
    local, at, domain = value.rpartition("@")
    if not at or not local or not _EMAIL_LOCAL_PART.fullmatch(local):
        return "must be an e-mail address such as reports@example.com"
    not_ascii = _ascii_problem(domain)
    if not_ascii is not None:
        return f"must be an e-mail address with an ASCII domain; for {domain}, {not_ascii.partition('; ')[2]}"
    if domain_name_problem(domain) is not None:
        return "must be an e-mail address with a valid domain, such as reports@example.com"
    return None


def hosted_zone_id_problem(value: str) -> str | None:
    """Why ``value`` is not a Route53 hosted zone id (``Z`` and upper-case letters or digits), or None."""
    if value.startswith("/hostedzone/"):
        return 'must be the bare zone id, without the "/hostedzone/" prefix'
    if not _HOSTED_ZONE_ID.fullmatch(value):
        return "must be a Route53 hosted zone id: Z followed by 4-31 upper-case letters or digits"
    return None


def account_id_problem(value: str) -> str | None:
    """Why ``value`` is not a 12-digit AWS account id, or None."""
    if not _ACCOUNT_ID.fullmatch(value):
        return "must be a 12-digit AWS account id"
    return None


def region_problem(value: str) -> str | None:
    """Why ``value`` is not a Region where SES is available, or None."""
    if value not in SES_REGIONS:
        return "must be a Region where Amazon SES is available (" + ", ".join(SES_REGIONS) + ")"
    return None


def is_within(name: str, parent: str) -> bool:
    """True when DNS name ``name`` equals ``parent`` or is below it (both lower-case, no trailing dot)."""
    return name == parent or name.endswith("." + parent)
