"""SesContactList: the SES contact list whose topics give bulk mail one-click List-Unsubscribe."""

from __future__ import annotations

from collections.abc import Sequence

from aws_cdk import RemovalPolicy, Stack, Token
from aws_cdk import aws_iam as iam
from aws_cdk import aws_ses as ses
from constructs import Construct

from ses_stack.account.topics import MAX_DESCRIPTION, MAX_TOPICS, ContactTopic
from ses_stack.validation import is_ses_name


class SesContactList(Construct):
    """A contact list with topics. Send bulk mail with ``ListManagementOptions`` naming it: SES then adds the
    one-click ``List-Unsubscribe`` and ``List-Unsubscribe-Post`` headers Gmail and Yahoo require, and records
    unsubscribes (published as SUBSCRIPTION events). SES allows one contact list per account and Region.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        contact_list_name: str,
        topics: Sequence[ContactTopic],
        description: str | None = None,
        removal_policy: RemovalPolicy = RemovalPolicy.RETAIN,
    ) -> None:
        """
        :param contact_list_name: Name of the list (1-64 letters, digits, ``_`` or ``-``). SES allows one list per
            account and Region, so a rename (a replacement: the new list is created first) fails; keep the name.
        :param topics: 1-20 topics, unique names.
        :param description: Shown to nobody; for operators (at most 500 characters). Default: none.
        :param removal_policy: What happens to the list, with every contact and their opt-outs, when it leaves the
            stack. RETAIN keeps it (and an existing list of that name can be adopted). Default: RETAIN.
        """
        _validate(construct_id, contact_list_name, topics, description)
        super().__init__(scope, construct_id)
        self.contact_list_name: str = contact_list_name
        """The list's name, for ``ListManagementOptions.ContactListName``."""
        self.topics: tuple[ContactTopic, ...] = tuple(topics)
        """The topics, as given."""
        self.contact_list: ses.CfnContactList = ses.CfnContactList(
            self,
            "Resource",
            contact_list_name=contact_list_name,
            description=description,
            topics=[
                ses.CfnContactList.TopicProperty(
                    topic_name=topic.name,
                    display_name=topic.display_name,
                    default_subscription_status=topic.default_subscription.value,
                    description=topic.description,
                )
                for topic in topics
            ],
        )
        """The ``AWS::SES::ContactList`` resource."""
        self.contact_list.apply_removal_policy(removal_policy)

    @property
    def contact_list_arn(self) -> str:
        return Stack.of(self).format_arn(service="ses", resource="contact-list", resource_name=self.contact_list_name)

    def grant_send(self, grantee: iam.IGrantable) -> iam.Grant:
        """Allow ``grantee`` to send with ``ListManagementOptions`` naming this list."""
        return iam.Grant.add_to_principal(
            grantee=grantee, actions=["ses:SendEmail", "ses:SendRawEmail"], resource_arns=[self.contact_list_arn]
        )


def _validate(construct_id: str, name: str, topics: Sequence[ContactTopic], description: str | None) -> None:
    def fail(setting: str, rule: str, value: object) -> ValueError:
        return ValueError(f"SesContactList {construct_id!r} {setting}: {rule}; got {value!r}")

    if not Token.is_unresolved(name) and not is_ses_name(name):
        raise fail("contact_list_name", "must be 1-64 letters, digits, underscores or hyphens", name)
    if not 1 <= len(topics) <= MAX_TOPICS:
        raise fail("topics", f"must hold 1-{MAX_TOPICS} topics", len(topics))
    names = [topic.name for topic in topics]
    if len(set(names)) != len(names):
        raise fail("topics", "topic names must be unique", names)
    for index, topic in enumerate(topics):
        problems = topic.problems()
        if problems:
            raise ValueError(f"SesContactList {construct_id!r} topics[{index}].{problems[0]}")
    if description is not None and len(description) > MAX_DESCRIPTION:
        raise fail("description", f"must be at most {MAX_DESCRIPTION} characters", len(description))
