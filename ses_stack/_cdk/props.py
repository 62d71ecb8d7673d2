"""Props the way CDK users pass them: the wrapper or aws-cdk-lib's interface, and a wrong type named with the
construct and the prop (a ``TypeError`` before any resource is created)."""

from __future__ import annotations

from typing import Any

from aws_cdk import aws_ses as ses


def configuration_set_of(owner: str, prop: str, value: Any) -> ses.IConfigurationSet:
    """``value`` as aws-cdk-lib's ``IConfigurationSet``: a ``SesConfigurationSet``'s set, or the set itself."""
    from ses_stack.sending.configuration_set import SesConfigurationSet  # noqa: PLC0415 (it imports this module's users)

    if isinstance(value, SesConfigurationSet):
        return value.configuration_set
    # a jsii object or proxy of ses.IConfigurationSet (its class asked first: asking the object calls into jsii)
    if hasattr(type(value), "configuration_set_name") or hasattr(value, "configuration_set_name"):
        return value  # type: ignore[no-any-return]
    raise TypeError(f"{owner} {prop}: must be a SesConfigurationSet or an aws_ses.IConfigurationSet; got "
                    f"{type(value).__name__}")  # fmt: skip
