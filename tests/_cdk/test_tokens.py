"""``has_token`` answers as ``Token.is_unresolved`` does for strings, without a call into jsii."""

from __future__ import annotations

import jsii
from aws_cdk import Aws, Fn, IResolveContext, IStringProducer, Lazy, Token

from ses_stack._cdk.tokens import has_token


@jsii.implements(IStringProducer)
class Producer:
    def produce(self, context: IResolveContext) -> str:
        return "x"


def test_has_token_agrees_with_token_is_unresolved() -> None:
    samples = [
        Aws.REGION,
        Aws.ACCOUNT_ID,
        f"feedback-smtp.{Aws.REGION}.amazonses.com",
        Fn.get_att("Identity", "DkimDNSTokenName1").to_string(),
        Lazy.string(Producer()),
        Fn.join(".", ["a", Aws.URL_SUFFIX]),
        "example.com",
        "",
        "${Token[not a token key]}",
        "${Token[",
        "$Token[TOKEN.1]",
        "b\u00fccher.de",
        "mail.example.com\n",
    ]
    for sample in samples:
        assert has_token(sample) == Token.is_unresolved(sample), sample
    assert sum(map(has_token, samples)) == 6  # the six tokens above, and none of the plain strings
