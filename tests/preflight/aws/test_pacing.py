"""The client-side request rate: a burst, then ``rate`` calls per second, whatever the threads; every attempt of a
guarded call (retries included) takes its slot."""

from __future__ import annotations

import threading

import boto3
import pytest
from botocore.stub import Stubber

from ses_stack.preflight.aws.clients import Aws, GuardedClient
from ses_stack.preflight.aws.pacing import Pacer


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)


def test_a_burst_then_one_call_every_one_over_rate_seconds() -> None:
    clock = FakeClock()
    pacer = Pacer(2.0, burst=2, clock=clock, sleep=clock.sleep)
    delays = [pacer.wait() for _ in range(5)]
    assert delays == [0.0, 0.0, 0.5, 1.0, 1.5]
    assert clock.slept == [0.5, 1.0, 1.5]


def test_time_that_passed_refills_the_bucket_up_to_the_burst() -> None:
    clock = FakeClock()
    pacer = Pacer(10.0, burst=3, clock=clock, sleep=clock.sleep)
    assert [pacer.wait() for _ in range(3)] == [0.0, 0.0, 0.0]
    clock.now += 60  # a long pause refills 3 slots, never 600
    assert [pacer.wait() for _ in range(4)] == [0.0, 0.0, 0.0, pytest.approx(0.1)]


def test_threads_share_the_slots_and_none_is_given_twice() -> None:
    clock = FakeClock()
    pacer = Pacer(4.0, burst=4, clock=clock, sleep=clock.sleep)
    delays: list[float] = []
    lock = threading.Lock()

    def caller() -> None:
        for _ in range(5):
            delay = pacer.wait()
            with lock:
                delays.append(delay)

    threads = [threading.Thread(target=caller) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # 40 calls with the clock stopped: 4 free, then one every 0.25 s, each slot taken once.
    assert sorted(delays) == [0.0] * 4 + [pytest.approx(0.25 * n) for n in range(1, 37)]


@pytest.mark.parametrize("rate", [0.0, -1.0, float("nan")])
def test_a_rate_that_is_not_positive_is_refused(rate: float) -> None:
    with pytest.raises(ValueError, match="the rate must be above 0 calls per second"):
        Pacer(rate)


def test_every_attempt_of_a_guarded_call_waits_for_its_slot() -> None:
    client = boto3.client("sesv2", region_name="eu-west-1", aws_access_key_id="t", aws_secret_access_key="t")
    clock = FakeClock()
    pacer = Pacer(1.0, burst=1, clock=clock, sleep=clock.sleep)
    guarded = GuardedClient(client, "sesv2", 5, sleep=lambda _: None, pacer=pacer)
    with Stubber(client) as stub:
        stub.add_client_error("get_account", "TooManyRequestsException", http_status_code=429)
        stub.add_response("get_account", {})
        guarded.get_account()
        stub.assert_no_pending_responses()
    assert clock.slept == [1.0]  # the retry waited for the second slot


def test_clients_of_one_service_and_region_share_a_pacer() -> None:
    aws = Aws(None, make_client=lambda service, region: boto3.client(
        service, region_name=region, aws_access_key_id="t", aws_secret_access_key="t"
    ))  # fmt: skip
    aws.rate = 7.0
    first, second = aws.client("sesv2", "eu-west-1"), aws.client("sesv2", "eu-west-1")
    other_region, other_service = aws.client("sesv2", "us-east-1"), aws.client("sns", "eu-west-1")
    assert first.pacer is second.pacer
    assert first.pacer is not None and first.pacer.rate == 7.0
    assert other_region.pacer is not first.pacer
    assert other_service.pacer is not first.pacer
