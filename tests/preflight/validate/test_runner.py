"""The validation threads: every item once, a fatal error or Ctrl-C stops them after their current item."""

from __future__ import annotations

import threading
import time

import pytest

from ses_stack.preflight.validate.runner import _run_all


def test_every_item_is_worked_once_from_few_threads() -> None:
    seen: list[str] = []
    threads: set[int] = set()
    lock = threading.Lock()

    def work(item: str) -> None:
        with lock:
            seen.append(item)
            threads.add(threading.get_ident())

    items = [str(n) for n in range(5000)]
    progress: list[int] = []
    _run_all(work, items, 8, progress.append)
    assert sorted(seen, key=int) == items
    assert len(threads) <= 8
    assert progress[-1] == 5000 and progress == sorted(progress)


def test_a_fatal_error_stops_the_run_and_is_raised() -> None:
    done: list[str] = []

    def work(item: str) -> None:
        if item == "3":
            raise PermissionError("access denied")
        time.sleep(0.001)
        done.append(item)

    with pytest.raises(PermissionError, match="access denied"):
        _run_all(work, [str(n) for n in range(1000)], 2, None)
    assert len(done) < 1000  # stopped: the rest were never started


def test_ctrl_c_lets_each_thread_finish_its_item_then_is_raised() -> None:
    started, finished = [], []
    lock = threading.Lock()

    def work(item: str) -> None:
        with lock:
            started.append(item)
        time.sleep(0.05)
        with lock:
            finished.append(item)

    def interrupt(count: int) -> None:
        if count >= 10:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        _run_all(work, [str(n) for n in range(10_000)], 4, interrupt)
    assert sorted(started) == sorted(finished)  # nothing left half done
    assert 10 <= len(finished) < 100
