"""``ses-preflight drill``: prove the feedback pipeline live. Send through the stack's configuration set to the SES
mailbox simulator, wait for the bounce and the complaint to be suppressed by the handler, check a delivery and an
auto-reply are not, then remove what the drill caused. SES never puts simulator addresses on the suppression list
itself, so an entry newer than the send is the pipeline's work."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from botocore.exceptions import ClientError

from ses_stack.preflight.aws.clients import AwsCallError
from ses_stack.preflight.check.common import error_code, if_exists
from ses_stack.preflight.defaults import DEFAULT_DRILL_SECONDS
from ses_stack.preflight.drill.diagnosis import DrillClients, diagnose

SIMULATOR = {
    "success": "success@simulator.amazonses.com",
    "ooto": "ooto@simulator.amazonses.com",
    "bounce": "bounce@simulator.amazonses.com",
    "complaint": "complaint@simulator.amazonses.com",
}
PROOFS = {"bounce": "BOUNCE", "complaint": "COMPLAINT"}
DEFAULT_TIMEOUT_S = DEFAULT_DRILL_SECONDS
POLL_S = 10.0
_CLOCK_SLACK = timedelta(seconds=5)  # SES's clock and ours
_AFTER_SEND = (*PROOFS, "no_false_suppression", "cleanup")
_BODY = {"Text": {"Data": "A test of bounce and complaint handling by ses-preflight drill."}}


@dataclass(frozen=True)
class Step:
    step: str
    status: str  # pass | fail | skipped | error (the drill stopped there: AWS did not answer as it should)
    evidence: str
    fix: str = ""

    def to_json(self) -> dict[str, str]:
        return {"step": self.step, "status": self.status, "evidence": self.evidence, "fix": self.fix}


@dataclass(frozen=True)
class DrillResult:
    region: str
    steps: tuple[Step, ...]

    @property
    def passed(self) -> bool:
        return all(step.status == "pass" for step in self.steps)

    @property
    def stopped(self) -> bool:
        return any(step.status == "error" for step in self.steps)

    def to_json(self) -> dict[str, Any]:
        return {"region": self.region, "passed": self.passed, "steps": [s.to_json() for s in self.steps]}


def _skipped(*steps: str, why: str) -> list[Step]:
    return [Step(step, "skipped", why) for step in steps]


@dataclass
class Drill:
    """One Region's drill. ``configuration_set`` None: the From identity's default set."""

    region: str
    clients: DrillClients
    from_address: str
    configuration_set: str | None
    timeout_s: float = DEFAULT_TIMEOUT_S
    progress: Callable[[str], None] = lambda line: None
    now: Callable[[], datetime] = lambda: datetime.now(UTC)
    monotonic: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep
    poll_s: float = POLL_S
    suppressed: dict[str, Mapping[str, Any]] = field(default_factory=dict)
    sent: list[str] = field(default_factory=list)
    """The simulator addresses (by kind) a message went to, or may have gone to."""
    proven: dict[str, Mapping[str, Any]] = field(default_factory=dict)
    """The proofs made so far (kept when the drill stops on an error)."""

    def run(self) -> DrillResult:
        refused, set_name, rate = self._preconditions()
        if refused is not None:
            return DrillResult(self.region, (refused, *_skipped(*_AFTER_SEND, why="nothing was sent")))
        assert set_name is not None
        steps: list[Step] = []
        try:
            self._prove(set_name, rate, steps)
        except (AwsCallError, ClientError) as error:  # what was proven stays; the rest is said to have stopped
            steps += [self._proven(name) for name in PROOFS if name in self.proven and name not in _names(steps)]
            done = _names(steps)
            stopped = next(name for name in ("send", *_AFTER_SEND[:-1]) if name not in done)
            steps.append(Step(stopped, "error", f"the drill stopped: {' '.join(str(error).split())[:300]}",
                              "fix what AWS says, then run the drill again"))  # fmt: skip
            steps += _skipped(*(n for n in _AFTER_SEND[:-1] if n not in done and n != stopped), why="the drill stopped")
        steps.append(self._cleanup())  # always, whatever happened after the first send
        return DrillResult(self.region, tuple(steps))

    def _prove(self, set_name: str, rate: float, steps: list[Step]) -> None:
        for address in SIMULATOR.values():  # an older entry must not pass for this drill's proof
            self._unsuppress(address)
        sent_at = self.now()
        send = self._send(set_name, rate)
        steps.append(send)
        expected = {name: reason for name, reason in PROOFS.items() if name in self.sent}
        proofs = self._wait_for_proofs(sent_at, expected) if expected else {}
        for name, reason in PROOFS.items():
            if name in self.sent:
                steps.append(self._proof_step(name, reason, proofs, set_name, sent_at))
            else:
                steps += _skipped(name, why=f"{SIMULATOR[name]} was not sent")
        steps.append(self._no_false_suppression())

    def _preconditions(self) -> tuple[Step | None, str | None, float]:
        def refuse(evidence: str, fix: str) -> tuple[Step, None, float]:
            return Step("send", "fail", f"refused: {evidence}; nothing was sent", fix), None, 0.0

        account = self.clients.sesv2.get_account()
        if not account.get("SendingEnabled", True):
            return refuse(
                f"sending is paused for the account in {self.region}",
                "find out why (`ses-preflight "
                "status`), fix it, then resume: aws sesv2 put-account-sending-attributes --sending-enabled",
            )
        if account.get("EnforcementStatus") == "SHUTDOWN":
            return refuse("AWS has shut sending down for the account", "answer AWS's case in the Support Center")
        domain = self.from_address.rpartition("@")[2].lower()
        identity = if_exists(self.clients.sesv2.get_email_identity, EmailIdentity=domain)
        if identity is None or not identity.get("VerifiedForSendingStatus"):
            state = "does not exist" if identity is None else "is not verified for sending yet"
            return refuse(f"identity {domain} {state}", "deploy the stack, then `ses-preflight wait --config FILE`")
        set_name = self.configuration_set or identity.get("ConfigurationSetName")
        if not set_name:
            return refuse(f"{domain} has no default configuration set and the config names none", "deploy the stack")
        found = if_exists(self.clients.sesv2.get_configuration_set, ConfigurationSetName=set_name)
        if found is None:
            return refuse(f"configuration set {set_name} does not exist", "deploy the stack")
        if (found.get("SendingOptions") or {}).get("SendingEnabled") is False:
            return refuse(
                f"sending is paused on configuration set {set_name} (the reputation guard pauses it)",
                "find out why, then resume deliberately as docs/what-gets-created.md says (delete the pause marker, "
                "enable sending)",
            )
        rate = float((account.get("SendQuota") or {}).get("MaxSendRate") or 1.0)
        return None, str(set_name), max(rate, 0.1)

    def _unsuppress(self, address: str) -> bool:
        try:
            self.clients.sesv2.delete_suppressed_destination(EmailAddress=address)
        except ClientError as error:
            if error_code(error) != "NotFoundException":
                raise
            return False
        return True

    def _send(self, set_name: str, rate: float) -> Step:
        """One message to each simulator address, never twice: a send without an answer may have gone out."""
        shown: list[str] = []
        for index, (kind, address) in enumerate(SIMULATOR.items()):
            if index:
                self.sleep(1.0 / rate)  # the account's sending rate (1 a second in the sandbox)
            try:
                response = self.clients.sesv2.send_email(
                    FromEmailAddress=self.from_address,
                    Destination={"ToAddresses": [address]},
                    Content={"Simple": {"Subject": {"Data": f"ses-preflight drill: {kind}"}, "Body": _BODY}},
                    ConfigurationSetName=set_name,
                    EmailTags=[{"Name": "ses-preflight", "Value": "drill"}],
                )
            except (ClientError, AwsCallError) as error:
                if isinstance(error, ClientError):
                    message = str(error.response.get("Error", {}).get("Message", ""))[:300]
                    why = f"SendEmail to {address} failed: {error_code(error)}: {message}"
                else:  # no answer: it may have been sent, so it counts as sent and is not sent again
                    self.sent.append(kind)
                    why = f"SendEmail to {address} got no answer (it may have gone out; not sent again): {error}"
                done = f"; sent before: {', '.join(shown)}" if shown else "; nothing was sent before"
                return Step("send", "fail", why + done, "fix what SES says, then run the drill again")
            self.sent.append(kind)
            shown.append(f"{kind} ({response.get('MessageId', '?')})")
        return Step("send", "pass", f"from {self.from_address} through {set_name}: {', '.join(shown)}")

    def _lookup(self, address: str) -> Mapping[str, Any] | None:
        found = if_exists(self.clients.sesv2.get_suppressed_destination, EmailAddress=address)
        return None if found is None else found.get("SuppressedDestination") or {}

    def _wait_for_proofs(self, sent_at: datetime, expected: Mapping[str, str]) -> dict[str, Mapping[str, Any]]:
        started, proven = self.monotonic(), self.proven
        while True:
            for name, reason in expected.items():
                if name in proven:
                    continue
                entry = self._lookup(SIMULATOR[name])
                if entry is not None:
                    self.suppressed[SIMULATOR[name]] = entry
                if entry is not None and entry.get("Reason") == reason and _after(entry, sent_at):
                    proven[name] = entry
            elapsed = self.monotonic() - started
            marks = ", ".join(f"{name} {'suppressed' if name in proven else 'waiting'}" for name in expected)
            self.progress(f"[{self.region}] {elapsed:.0f}/{self.timeout_s:.0f} s: {marks}")
            if len(proven) == len(expected) or elapsed + self.poll_s > self.timeout_s:
                return proven
            self.sleep(self.poll_s)

    def _proof_step(
        self, name: str, reason: str, proofs: Mapping[str, Mapping[str, Any]], set_name: str, sent_at: datetime
    ) -> Step:
        address = SIMULATOR[name]
        if name in proofs:
            return self._proven(name)
        seen = self.suppressed.get(address)
        if seen is not None:
            why = f"{address} is listed with reason {seen.get('Reason')} at {_stamp(seen.get('LastUpdateTime'))}"
            fix = "read the handler's log for this address"
            return Step(name, "fail", f"{why}: not the {reason} this drill expected after the send", fix)
        evidence, fix = diagnose(reason, set_name, sent_at, self.clients, self.now())
        return Step(name, "fail", f"{address} not suppressed within {self.timeout_s:.0f} s: {evidence}", fix)

    def _proven(self, name: str) -> Step:
        when = _stamp(self.proven[name].get("LastUpdateTime"))
        return Step(name, "pass", f"{SIMULATOR[name]} on the account suppression list with reason {PROOFS[name]} at "
                    f"{when}, after the send")  # fmt: skip

    def _no_false_suppression(self) -> Step:
        if not {"success", "ooto"} & set(self.sent):
            return Step("no_false_suppression", "skipped", "success@ and ooto@ were not sent")
        wrong = []
        for name in ("success", "ooto"):
            entry = self._lookup(SIMULATOR[name])
            if entry is not None:
                self.suppressed[SIMULATOR[name]] = entry
                wrong.append(f"{SIMULATOR[name]} ({entry.get('Reason')})")
        if wrong:
            evidence = f"suppressed although delivered or auto-replied: {', '.join(wrong)}"
            return Step("no_false_suppression", "fail", evidence, "the handler must ignore deliveries and auto-replies")
        return Step("no_false_suppression", "pass", "success@ (a delivery) and ooto@ (an auto-reply) not suppressed")

    def _cleanup(self) -> Step:
        """Remove every entry the drill may have caused (each address sent to, and any seen), and say what could
        not be removed, with the command that does it."""
        removed, left = [], []
        for address in dict.fromkeys([*(SIMULATOR[kind] for kind in self.sent), *self.suppressed]):
            try:
                if self._unsuppress(address):
                    removed.append(address)
            except (AwsCallError, ClientError) as error:
                left.append((address, " ".join(str(error).split())[:160]))
        evidence = f"removed from the account suppression list: {', '.join(removed)}" if removed else \
            "nothing the drill caused is on the suppression list"  # fmt: skip
        if not left:
            return Step("cleanup", "pass", evidence)
        commands = "; ".join(f"aws sesv2 delete-suppressed-destination --email-address {a} --region {self.region}"
                             for a, _ in left)  # fmt: skip
        could_not = ", ".join(f"{a} ({why})" for a, why in left)
        return Step("cleanup", "fail", f"{evidence}; could not remove {could_not}", commands)


def _names(steps: list[Step]) -> set[str]:
    return {step.step for step in steps}


def not_started(region: str, error: Exception) -> DrillResult:
    """A Region whose drill stopped before anything was sent."""
    why = f"the drill stopped before sending: {' '.join(str(error).split())[:300]}"
    return DrillResult(region, (Step("send", "error", why, "fix what AWS says, then run the drill again"),
                                *_skipped(*_AFTER_SEND, why="nothing was sent")))  # fmt: skip


def _after(entry: Mapping[str, Any], sent_at: datetime) -> bool:
    stamp = entry.get("LastUpdateTime")
    return isinstance(stamp, datetime) and stamp >= sent_at - _CLOCK_SLACK


def _stamp(value: Any) -> str:
    return value.astimezone(UTC).strftime("%H:%M:%S UTC") if isinstance(value, datetime) else str(value)
