"""A template "as deployed", for the live check: its Route53 records as a zone for the loopback DNS server (made-up
DKIM tokens in place of the identity's attributes) and SES and SNS answering what its resources would hold (through
``AwsDouble``, validated against the botocore models)."""

from __future__ import annotations

from typing import Any

from ses_stack.checklist.template_reading import render, resources
from tests.aws_double import AwsDouble

REGION = "eu-west-1"
ACCOUNT = "123456789012"
TOKENS = ("abcdefghijklmnopqrstuvwxyz234567", "bcdefghijklmnopqrstuvwxyz2345672", "cdefghijklmnopqrstuvwxyz23456723")


def _resolve(value: Any, identities: dict[str, str]) -> str:
    """A template value as deployed: DKIM attributes replaced by the tokens, pseudo parameters by their values."""
    text = render(value)
    for logical_id, domain in identities.items():
        for number, token in enumerate(TOKENS, start=1):
            text = text.replace(f"${{{logical_id}.DkimDNSTokenName{number}}}", f"{token}._domainkey.{domain}")
            text = text.replace(f"${{{logical_id}.DkimDNSTokenValue{number}}}", f"{token}.dkim.amazonses.com")
    return (
        text.replace("${AWS::Region}", REGION).replace("${AWS::AccountId}", ACCOUNT).replace("${AWS::Partition}", "aws")
    )


def deployed_zone(template: dict[str, Any], identities: dict[str, str]) -> list[tuple[str, str, str]]:
    # Outside the stack, as in any real account: what include:amazonses.com expands to, and the inbound mail of the
    # domains that receive DMARC reports (checkdmarc checks they can; the apex is never the stack's to write).
    records = [
        ("amazonses.com", "TXT", '"v=spf1 ip4:199.255.192.0/22 ~all"'),
        ("example.com", "MX", "10 in.example.com."),
        ("example.net", "MX", "10 in.example.net."),
        ("reports.example.org", "MX", "10 in.example.org."),
    ]
    for _, resource in resources(template, "AWS::Route53::RecordSet"):
        props = resource["Properties"]
        record_type = props["Type"]
        for value in props["ResourceRecords"]:
            text = _resolve(value, identities)
            if record_type in ("CNAME", "MX") and not text.endswith("."):
                text += "."
            records.append((_resolve(props["Name"], identities), record_type, text))
    return records


def _topic_arn(value: Any, template: dict[str, Any]) -> str:
    if isinstance(value, dict) and "Ref" in value:
        return f"arn:aws:sns:{REGION}:{ACCOUNT}:{value['Ref']}"
    return _resolve(value, {})


def answer_as_deployed(template: dict[str, Any], aws: AwsDouble) -> None:
    """Answer every SES and SNS read of the live check with what ``template`` creates."""
    (set_id, configuration_set), *_ = resources(template, "AWS::SES::ConfigurationSet")
    set_props = configuration_set["Properties"]
    set_name = set_props.get("Name", f"generated-{set_id}")
    for _, identity in resources(template, "AWS::SES::EmailIdentity"):
        props = identity["Properties"]
        mail_from = props["MailFromAttributes"]
        aws.on("sesv2", "GetEmailIdentity", {"EmailIdentity": props["EmailIdentity"]}, {
            "IdentityType": "DOMAIN",
            "VerifiedForSendingStatus": True,
            "DkimAttributes": {
                "SigningEnabled": True,
                "Status": "SUCCESS",
                "Tokens": list(TOKENS),
                "SigningHostedZone": "dkim.amazonses.com",
                "SigningAttributesOrigin": "AWS_SES",
                "CurrentSigningKeyLength": props["DkimSigningAttributes"]["NextSigningKeyLength"],
            },
            "MailFromAttributes": {
                "MailFromDomain": mail_from["MailFromDomain"],
                "MailFromDomainStatus": "SUCCESS",
                "BehaviorOnMxFailure": mail_from["BehaviorOnMxFailure"],
            },
            "ConfigurationSetName": set_name,
        })  # fmt: skip
    reasons = [
        r
        for _, res in resources(template, "Custom::SesAccountSuppression")
        for r in res["Properties"]["SuppressedReasons"]
    ]
    suppression: dict[str, Any] = {"SuppressedReasons": reasons}
    for _, res in resources(template, "Custom::SesAccountSuppression"):
        if "ValidationThreshold" in res["Properties"]:
            suppression["ValidationAttributes"] = {"ConditionThreshold": {
                "ConditionThresholdEnabled": "ENABLED",
                "OverallConfidenceThreshold": {"ConfidenceVerdictThreshold": res["Properties"]["ValidationThreshold"]},
            }}  # fmt: skip
    aws.on("sesv2", "GetAccount", {}, {"SuppressionAttributes": suppression})
    destinations = [
        {
            "Name": logical_id,
            "Enabled": d["EventDestination"]["Enabled"],
            "MatchingEventTypes": [t.upper() for t in d["EventDestination"]["MatchingEventTypes"]],
            "SnsDestination": {"TopicArn": _topic_arn(d["EventDestination"]["SnsDestination"]["TopicARN"], template)},
        }
        for logical_id, resource in resources(template, "AWS::SES::ConfigurationSetEventDestination")
        for d in [resource["Properties"]]
    ]
    aws.on(
        "sesv2",
        "GetConfigurationSetEventDestinations",
        {"ConfigurationSetName": set_name},
        {"EventDestinations": destinations},
    )
    aws.on("sesv2", "GetConfigurationSet", {"ConfigurationSetName": set_name}, {
        "ConfigurationSetName": set_name,
        "SuppressionOptions": set_props["SuppressionOptions"],
        **({"DeliveryOptions": set_props["DeliveryOptions"]} if "DeliveryOptions" in set_props else {}),
    })  # fmt: skip
    for destination in destinations:
        topic = destination["SnsDestination"]["TopicArn"]
        subscriptions = [
            {
                "SubscriptionArn": f"{topic}:0f6a4c1e-1111-2222-3333-{index:012d}",
                "Protocol": props["Protocol"],
                "Endpoint": f"arn:aws:sqs:{REGION}:{ACCOUNT}:{props['Endpoint']['Fn::GetAtt'][0]}",
                "TopicArn": topic,
            }
            for index, (_, resource) in enumerate(resources(template, "AWS::SNS::Subscription"))
            for props in [resource["Properties"]]
            if _topic_arn(props["TopicArn"], template) == topic
        ]
        aws.on("sns", "ListSubscriptionsByTopic", {"TopicArn": topic}, {"Subscriptions": subscriptions})
    lists = [res["Properties"] for _, res in resources(template, "AWS::SES::ContactList")]
    aws.on(
        "sesv2", "ListContactLists", {}, {"ContactLists": [{"ContactListName": c["ContactListName"]} for c in lists]}
    )
    for contact_list in lists:
        aws.on("sesv2", "GetContactList", {"ContactListName": contact_list["ContactListName"]}, {
            "ContactListName": contact_list["ContactListName"],
            "Topics": [
                {"TopicName": t["TopicName"], "DisplayName": t["DisplayName"],
                 "DefaultSubscriptionStatus": t["DefaultSubscriptionStatus"]}
                for t in contact_list["Topics"]
            ],
        })  # fmt: skip
