"""Validation rules shared by the config file and the constructs.

Each function returns ``None`` when the value is acceptable, or the broken rule as a short sentence. Callers add
the setting's name (a JSON path or a construct prop) and the value received, so both kinds of error read alike.
This module imports nothing from aws_cdk: the command-line tool uses it too.
"""

from __future__ import annotations

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

_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
_HOSTED_ZONE_ID = re.compile(r"^Z[A-Z0-9]{4,31}$")
_ACCOUNT_ID = re.compile(r"^[0-9]{12}$")
_EMAIL_LOCAL_PART = re.compile(r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]{1,64}$")
_MAX_DOMAIN_LENGTH = 253


def domain_name_problem(value: str) -> str | None:
    """Why ``value`` is not a usable sending domain (ASCII, two labels or more), or None.

    Case does not matter (DNS names are case-insensitive); callers compare and emit ``value.lower()``.
    """
    value = value.lower()
    if not value:
        return "must be a domain name such as example.com"
    if value.endswith("."):
        return "must not end with a dot"
    if not value.isascii():
        return "must be ASCII; write an internationalised domain in its punycode form (xn--...)"
    if len(value) > _MAX_DOMAIN_LENGTH:
        return f"must be at most {_MAX_DOMAIN_LENGTH} characters long"
    labels = value.split(".")
    if len(labels) < 2:
        return "must be a domain name with at least two labels, such as example.com"
    for label in labels:
        if not _LABEL.match(label):
            return (
                f'has an invalid label "{label}": labels are 1-63 letters, digits or hyphens, '
                "not starting or ending with a hyphen"
            )
    if labels[-1].isdigit():
        return "must end in a top-level domain, not a number"
    return None


def subdomain_label_problem(value: str) -> str | None:
    """Why ``value`` cannot be the MAIL FROM subdomain part (``mail`` in ``mail.example.com``), or None."""
    if not value:
        return "must be a subdomain label such as mail; the MAIL FROM domain cannot be the domain itself"
    for label in value.lower().split("."):
        if not _LABEL.match(label):
            return (
                "must be one or more DNS labels (letters, digits or hyphens, 1-63 characters, not starting "
                "or ending with a hyphen) naming a subdomain, not a full domain"
            )
    return None


def email_address_problem(value: str) -> str | None:
    """Why ``value`` is not a plain e-mail address (``name@example.com``), or None."""
    local, at, domain = value.rpartition("@")
    if not at or not local or not _EMAIL_LOCAL_PART.match(local):
        return "must be an e-mail address such as reports@example.com"
    if domain_name_problem(domain) is not None:
        return "must be an e-mail address with a valid domain, such as reports@example.com"
    return None


def hosted_zone_id_problem(value: str) -> str | None:
    """Why ``value`` is not a Route53 hosted zone id (``Z`` and upper-case letters or digits), or None."""
    if value.startswith("/hostedzone/"):
        return 'must be the bare zone id, without the "/hostedzone/" prefix'
    if not _HOSTED_ZONE_ID.match(value):
        return "must be a Route53 hosted zone id: Z followed by 4-31 upper-case letters or digits"
    return None


def account_id_problem(value: str) -> str | None:
    """Why ``value`` is not a 12-digit AWS account id, or None."""
    if not _ACCOUNT_ID.match(value):
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
