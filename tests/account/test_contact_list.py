"""SesContactList: topics from settings, SES limits, the grant for ListManagementOptions."""

from __future__ import annotations

from typing import Any

import pytest
from aws_cdk import Environment, Stack
from aws_cdk import aws_iam as iam
from aws_cdk.assertions import Match, Template

from ses_stack import SesContactList
from ses_stack.account.topics import ContactTopic, SubscriptionStatus

NEWS = ContactTopic(name="news", display_name="News", default_subscription=SubscriptionStatus.OPT_OUT)


def test_contact_list_with_topics() -> None:
    stack = Stack()
    SesContactList(
        stack,
        "List",
        contact_list_name="newsletter",
        description="Marketing",
        topics=[
            NEWS,
            ContactTopic(
                name="offers",
                display_name="Offers",
                description="Discounts",
                default_subscription=SubscriptionStatus.OPT_IN,
            ),
        ],
    )
    Template.from_stack(stack).has_resource_properties(
        "AWS::SES::ContactList",
        {
            "ContactListName": "newsletter",
            "Description": "Marketing",
            "Topics": [
                {
                    "TopicName": "news",
                    "DisplayName": "News",
                    "DefaultSubscriptionStatus": "OPT_OUT",
                    "Description": Match.absent(),
                },
                {
                    "TopicName": "offers",
                    "DisplayName": "Offers",
                    "DefaultSubscriptionStatus": "OPT_IN",
                    "Description": "Discounts",
                },
            ],
        },
    )


def test_grant_send_covers_the_contact_list() -> None:
    stack = Stack(env=Environment(region="eu-west-1", account="123456789012"))
    contact_list = SesContactList(stack, "List", contact_list_name="newsletter", topics=[NEWS])
    role = iam.Role(stack, "Sender", assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"))
    contact_list.grant_send(role)
    assert "contact-list/newsletter" in str(stack.resolve(contact_list.contact_list_arn))
    Template.from_stack(stack).has_resource_properties(
        "AWS::IAM::Policy",
        {
            "PolicyDocument": {
                "Statement": [
                    {
                        "Action": ["ses:SendEmail", "ses:SendRawEmail"],
                        "Effect": "Allow",
                        "Resource": stack.resolve(contact_list.contact_list_arn),
                    }
                ]
            }
        },
    )


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (
            {"contact_list_name": "has space", "topics": [NEWS]},
            "SesContactList 'Bad' contact_list_name: must be 1-64 letters, digits, underscores or hyphens; "
            "got 'has space'",
        ),
        ({"contact_list_name": "l", "topics": []}, "SesContactList 'Bad' topics: must hold 1-20 topics; got 0"),
        (
            {"contact_list_name": "l", "topics": [NEWS] * 21},
            "SesContactList 'Bad' topics: must hold 1-20 topics; got 21",
        ),
        (
            {"contact_list_name": "l", "topics": [NEWS, NEWS]},
            "SesContactList 'Bad' topics: topic names must be unique; got ['news', 'news']",
        ),
        (
            {
                "contact_list_name": "l",
                "topics": [ContactTopic(name="a b", display_name="x", default_subscription=SubscriptionStatus.OPT_IN)],
            },
            "SesContactList 'Bad' topics[0].name: must be 1-64 letters, digits, underscores or hyphens; got 'a b'",
        ),
        (
            {
                "contact_list_name": "l",
                "topics": [
                    ContactTopic(name="a", display_name="x" * 129, default_subscription=SubscriptionStatus.OPT_IN)
                ],
            },
            "SesContactList 'Bad' topics[0].display_name: must be 1-128 characters; got 129",
        ),
        (
            {"contact_list_name": "l", "topics": [NEWS], "description": "d" * 501},
            "SesContactList 'Bad' description: must be at most 500 characters; got 501",
        ),
    ],
)
def test_invalid_props_fail_before_any_resource(kwargs: dict[str, Any], message: str) -> None:
    stack = Stack()
    with pytest.raises(ValueError) as raised:
        SesContactList(stack, "Bad", **kwargs)
    assert str(raised.value) == message
    assert stack.node.try_find_child("Bad") is None
