"""Exact matching and DNS names: no trailing newline, no silent case folding into ASCII, every derived name fits DNS."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from typing import Any

import pytest

from ses_stack import Dmarc
from ses_stack.config import ConfigError, parse_config
from ses_stack.validation import (
    derived_name_problem,
    domain_name_problem,
    email_address_problem,
    is_ses_name,
    mail_from_subdomain_problem,
)

# Every setting that reaches a template or an API call, with a valid value.
EVERY_SETTING: dict[str, Any] = {
    "account": "123456789012",
    "regions": ["eu-west-1", "us-east-1"],
    "stackNamePrefix": "Mail",
    "configurationSet": {
        "name": "outbound",
        "customRedirectDomain": "track.example.com",
        "httpsPolicy": "REQUIRE",
        "dedicatedIpPool": "pool-1",
    },
    "feedback": {"additionalEventTypes": ["DELIVERY"], "existingTopicName": "ses-events"},
    "accountSuppression": {"reasons": ["BOUNCE", "COMPLAINT"]},
    "domains": [
        {
            "name": "example.com",
            "hostedZoneId": "Z0123456789ABCDEFGHIJ",
            "mailFromSubdomain": "mail",
            "behaviorOnMxFailure": "REJECT_MESSAGE",
            "dmarc": {
                "policy": "quarantine",
                "subdomainPolicy": "reject",
                "rua": ["dmarc@example.com"],
                "ruf": ["mailto:forensic@example.com"],
                "adkim": "r",
                "aspf": "r",
            },
        }
    ],
    "contactList": {
        "name": "newsletter",
        "topics": [{"name": "news", "displayName": "News", "defaultSubscription": "OPT_OUT"}],
    },
    "operations": {"alarmEmails": ["ops@example.com"]},
    "productionAccess": {
        "mailType": "MARKETING",
        "websiteUrl": "https://example.com",
        "contactLanguage": "EN",
        "additionalContactEmails": ["owner@example.com"],
        "useCase": "A monthly newsletter for customers who subscribed.",
        "recipientSource": "Double opt-in on our website, never bought.",
    },
}
# Human text, where a newline is part of the text rather than a trick.
FREE_TEXT = {"displayName", "useCase", "recipientSource"}


def string_leaves(value: Any, path: tuple[str | int, ...] = ()) -> Iterator[tuple[str | int, ...]]:
    if isinstance(value, dict):
        for key, child in value.items():
            yield from string_leaves(child, (*path, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from string_leaves(child, (*path, index))
    elif isinstance(value, str) and path[-1] not in FREE_TEXT and not (len(path) > 1 and path[-2] in FREE_TEXT):
        yield path


def json_path(path: tuple[str | int, ...]) -> str:
    return "".join(f"[{p}]" if isinstance(p, int) else (f".{p}" if i else p) for i, p in enumerate(path))


def with_value(path: tuple[str | int, ...], change: Any) -> dict[str, Any]:
    data = copy.deepcopy(EVERY_SETTING)
    parent: Any = data
    for part in path[:-1]:
        parent = parent[part]
    parent[path[-1]] = change(parent[path[-1]])
    return data


def test_the_complete_config_is_valid() -> None:
    parse_config(EVERY_SETTING)


LEAVES = list(string_leaves(EVERY_SETTING))


@pytest.mark.parametrize("suffix", ["\n", "\r\n", " ", "\t", "\x00"])
@pytest.mark.parametrize("path", LEAVES, ids=[json_path(p) for p in LEAVES])
def test_a_trailing_control_or_space_character_is_refused_where_it_would_reach_a_template(
    path: tuple[str | int, ...], suffix: str
) -> None:
    with pytest.raises(ConfigError) as raised:
        parse_config(with_value(path, lambda v: v + suffix), "cfg.json")
    (line, *_) = raised.value.lines()
    assert line.startswith(f"cfg.json: {json_path(path)}: "), line
    assert json.dumps(suffix)[1:-1] in line  # the offending value is echoed, escaped


def test_the_leaves_cover_every_kind_of_rule() -> None:
    covered = {json_path(p) for p in LEAVES}
    # patterns checked by pydantic, rules in validation.py, enums, and list items
    for expected in ("account", "domains[0].name", "domains[0].hostedZoneId", "domains[0].mailFromSubdomain",
                     "domains[0].dmarc.rua[0]", "operations.alarmEmails[0]", "configurationSet.name",
                     "feedback.existingTopicName", "productionAccess.websiteUrl", "stackNamePrefix"):  # fmt: skip
        assert expected in covered


@pytest.mark.parametrize(
    ("value", "a_label"),
    [
        ("\u212aeeper.com", "keeper.com"),  # KELVIN SIGN: str.lower() would make it ASCII "keeper.com"
        ("bücher.de", "xn--bcher-kva.de"),
        ("\uff25\uff38\uff21\uff2d\uff30\uff2c\uff25.com", "example.com"),  # fullwidth EXAMPLE
    ],
)
def test_non_ascii_names_are_refused_with_the_a_label_to_use(value: str, a_label: str) -> None:
    problem = domain_name_problem(value)
    assert problem is not None and problem.startswith("must be ASCII") and a_label in problem
    with pytest.raises(ConfigError) as raised:
        parse_config({"regions": ["eu-west-1"], "domains": [{"name": value}]}, "cfg.json")
    assert f"IDNA A-label form: {a_label}" in raised.value.lines()[0]


def test_a_non_ascii_name_without_an_a_label_says_so() -> None:
    problem = domain_name_problem("a\u200d\u0301b.example")  # a joiner and a lone combining mark
    assert problem is not None and "not a valid internationalised domain name" in problem


def test_non_ascii_addresses_and_subdomains_are_refused_too() -> None:
    assert "xn--bcher-kva.de" in (email_address_problem("dmarc@bücher.de") or "")
    assert (mail_from_subdomain_problem("\u212aail", "example.com") or "").startswith("must be ASCII")


@pytest.mark.parametrize(
    ("subdomain", "expected"),
    [
        ("mail.example.com", "not the domain itself or a name already ending in example.com"),
        ("example.com", "not the domain itself or a name already ending in example.com"),
        ("MAIL.Example.COM", "not the domain itself or a name already ending in example.com"),
        ("", "cannot be the domain itself"),
        ("mail.", "one or more DNS labels"),
    ],
)
def test_mail_from_subdomain_must_sit_below_the_domain(subdomain: str, expected: str) -> None:
    assert expected in (mail_from_subdomain_problem(subdomain, "example.com") or "")
    with pytest.raises(ConfigError) as raised:
        parse_config({"regions": ["eu-west-1"], "domains": [{"name": "example.com", "mailFromSubdomain": subdomain}]})
    assert expected in raised.value.lines()[0]


def test_mail_from_subdomains_that_only_look_alike_are_fine() -> None:
    assert mail_from_subdomain_problem("mail.example", "example.com") is None
    assert mail_from_subdomain_problem("bounce.mail", "example.com") is None


def labels(total: int) -> str:
    """A domain of exactly ``total`` characters made of 63-character labels (and a shorter last one)."""
    parts, left = [], total - len(".com")
    while left > 0:
        size = min(63, left)
        parts.append("a" * size)
        left -= size + 1
    name = ".".join(parts)[: total - 4] + ".com"
    assert len(name) == total and all(0 < len(label) <= 63 for label in name.split("."))
    return name


def test_the_longest_domain_is_set_by_its_dkim_name() -> None:
    # <32-character token>._domainkey.<domain> must fit 253 characters: the domain may have 253 - 44 = 209.
    assert derived_name_problem(labels(209), "m") is None
    problem = derived_name_problem(labels(210), "m")
    assert problem == "the DKIM record <32-character token>._domainkey." + labels(210) + (
        " is 254 characters long; DNS allows 253"
    )
    assert domain_name_problem(labels(210)) is None  # a fine domain on its own


def test_a_domain_too_long_for_its_dkim_name_is_refused_in_config_and_construct() -> None:
    with pytest.raises(ConfigError) as raised:
        parse_config({"regions": ["eu-west-1"], "domains": [{"name": labels(230)}]}, "cfg.json")
    assert raised.value.lines()[0].startswith("cfg.json: domains[0].name: the DKIM record <32-character token>")


def test_a_mail_from_name_too_long_in_a_secondary_region_names_that_region() -> None:
    # mmm...m.<domain> fits (241 characters), mmm...m-ap-southeast-2.<domain> does not (256)
    domain, subdomain = labels(200), "m" * 40
    with pytest.raises(ConfigError) as raised:
        parse_config(
            {"regions": ["eu-west-1", "ap-southeast-2"], "domains": [{"name": domain, "mailFromSubdomain": subdomain}]},
            "cfg.json",
        )
    assert raised.value.lines() == [
        f'cfg.json: domains[0].mailFromSubdomain: in ap-southeast-2 it becomes "{subdomain}-ap-southeast-2": the '
        f"MAIL FROM domain {subdomain}-ap-southeast-2.{domain} is 256 characters long; DNS allows 253"
    ]


def test_ses_names_match_whole_values_only() -> None:
    assert is_ses_name("set-1_a")
    for bad in ("set\n", "set ", "", "a" * 65, "sét"):
        assert not is_ses_name(bad)


def test_dmarc_settings_refuse_trailing_newlines_in_addresses() -> None:
    with pytest.raises(ValueError, match="rua"):
        Dmarc(rua=["dmarc@example.com\n"])


@pytest.mark.parametrize(
    ("domains", "clash"),
    [
        ([{"name": "example.com"}, {"name": "mail.example.com"}], (1, 0, "eu-west-1")),
        ([{"name": "news.example.com"}, {"name": "example.com", "mailFromSubdomain": "news"}], (0, 1, "eu-west-1")),
        ([{"name": "example.com"}, {"name": "mail-us-east-1.example.com"}], (1, 0, "us-east-1")),
    ],
    ids=["default-mail", "custom-subdomain", "secondary-region-subdomain"],
)
def test_a_sending_domain_that_is_another_domains_mail_from_domain_is_refused(
    domains: list[dict[str, Any]], clash: tuple[int, int, str]
) -> None:
    sending, owner, region = clash
    with pytest.raises(ConfigError) as raised:
        parse_config({"regions": ["eu-west-1", "us-east-1"], "domains": domains}, "cfg.json")
    (line,) = [line for line in raised.value.lines() if "MAIL FROM domain of" in line]
    assert line.startswith(f"cfg.json: domains[{sending}].name: {domains[sending]['name']} is the MAIL FROM domain "
                           f"of domains[{owner}] ({domains[owner]['name']}, domains[{owner}].mailFromSubdomain in "
                           f"{region})")  # fmt: skip


def test_sibling_domains_that_are_not_mail_from_domains_are_fine() -> None:
    """The twin: mail.example.com beside example.com is fine once example.com's MAIL FROM is elsewhere."""
    parse_config(
        {"regions": ["eu-west-1"], "domains": [
            {"name": "example.com", "mailFromSubdomain": "bounce"}, {"name": "mail.example.com"}]}
    )  # fmt: skip


@pytest.mark.parametrize("name", ["xn--a.com", "xn--abcdefg.com", "shop.xn--zz.example"])
def test_a_labels_that_are_not_valid_idna_are_refused(name: str) -> None:
    assert "invalid IDNA A-label" in (domain_name_problem(name) or "")


def test_valid_a_labels_are_accepted() -> None:
    assert domain_name_problem("xn--bcher-kva.de") is None
    assert domain_name_problem("xn--80ak6aa92e.com") is None
