"""The config file itself: only regular files of bounded size, strict JSON, and bounded error output."""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path
from typing import Any

import pytest

from ses_stack.config import ConfigError, load_config
from ses_stack.config.errors import MAX_PROBLEMS_SHOWN, MAX_VALUE_SHOWN
from ses_stack.config.jsonfile import MAX_FILE_BYTES, MAX_NESTING, MAX_NUMBER_CHARACTERS

VALID = {"regions": ["eu-west-1"], "domains": [{"name": "example.com"}]}


def problems_of(path: Path | str) -> list[str]:
    with pytest.raises(ConfigError) as raised:
        load_config(path)
    return raised.value.lines()


def write(tmp_path: Path, text: str | bytes, name: str = "cfg.json") -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def test_a_valid_file_loads(tmp_path: Path) -> None:
    assert load_config(write(tmp_path, json.dumps(VALID))).domains[0].name == "example.com"


@pytest.mark.parametrize(
    ("text", "path"),
    [
        ('{"regions": ["eu-west-1"], "regions": ["us-east-1"], "domains": [{"name": "a.com"}]}', "regions"),
        ('{"regions": ["eu-west-1"], "domains": [{"name": "a.com", "name": "b.com"}]}', "domains[0].name"),
        (
            '{"regions": ["eu-west-1"], "domains": [{"name": "a.com", "dmarc": {"policy": "none", '
            '"policy": "reject"}}]}',
            "domains[0].dmarc.policy",
        ),
    ],
)
def test_duplicate_keys_are_errors_naming_the_path(tmp_path: Path, text: str, path: str) -> None:
    source = write(tmp_path, text)
    assert problems_of(source) == [
        f"{source}: {path}: the key is given more than once in the same object (JSON readers disagree on which "
        "one wins)"
    ]


def test_every_duplicate_key_is_reported(tmp_path: Path) -> None:
    source = write(tmp_path, '{"a": 1, "a": 2, "b": {"c": 1, "c": 1}, "d": [{"e": 1, "e": 2}]}')
    assert [line.split(": ")[1] for line in problems_of(source)] == ["a", "b.c", "d[0].e"]


@pytest.mark.parametrize("depth", [MAX_NESTING + 1, 100_000])
def test_deep_nesting_is_refused_without_a_recursion_error(tmp_path: Path, depth: int) -> None:
    source = write(tmp_path, '{"regions": ["eu-west-1"], "x": ' + "[" * depth + "]" * depth + "}")
    assert problems_of(source) == [f"{source}: is nested {depth + 1} levels deep; a config file needs at most 32"]


def test_brackets_inside_strings_do_not_count_as_nesting(tmp_path: Path) -> None:
    data = {**VALID, "domains": [{"name": "example.com", "dmarc": {"rua": ["a@example.com"]}}]}
    text = json.dumps(data)[:-1] + ', "$schema": "' + "[{" * 1000 + '\\"]"}'
    assert load_config(write(tmp_path, text)).schema_ == "[{" * 1000 + '"]'


@pytest.mark.parametrize(
    ("literal", "expected"),
    [
        ("9" * 5000, "a number has 5000 characters (99999999999999999999...)"),
        ("-" + "1" * 40, "a number has 41 characters (-1111111111111111111...)"),
        ("1." + "0" * 4000, "a number has 4002 characters (1.000000000000000000...)"),
        ("1e999", "the number 1e999 is too large"),
        ("NaN", "NaN is not a JSON number"),
        ("-Infinity", "-Infinity is not a JSON number"),
    ],
)
def test_numbers_beyond_what_a_config_needs_are_refused(tmp_path: Path, literal: str, expected: str) -> None:
    source = write(tmp_path, '{"regions": ["eu-west-1"], "domains": [{"name": "a.com"}], "x": ' + literal + "}")
    (line,) = problems_of(source)
    assert line.startswith(f"{source}: {expected}")
    if "characters" in expected:
        assert line.endswith(f"numbers in a config file have at most {MAX_NUMBER_CHARACTERS}")


def test_ordinary_numbers_still_load(tmp_path: Path) -> None:
    data = {**VALID, "reputation": {"bounceRate": {"warning": 0.01, "critical": 4e-2}}}
    config = load_config(write(tmp_path, json.dumps(data)))
    assert config.reputation.bounce_rate.critical == 0.04


def test_files_over_the_cap_are_refused_before_parsing(tmp_path: Path) -> None:
    source = write(tmp_path, json.dumps(VALID) + " " * MAX_FILE_BYTES)
    assert problems_of(source) == [
        f"{source}: is larger than 8 MiB; a config file is kilobytes (10,000 domains are about 1.5 MB)"
    ]


def test_a_file_at_the_cap_is_read(tmp_path: Path) -> None:
    text = json.dumps(VALID)
    source = write(tmp_path, text + " " * (MAX_FILE_BYTES - len(text)))
    assert os.path.getsize(source) == MAX_FILE_BYTES
    assert load_config(source).regions == ["eu-west-1"]


def test_a_fifo_is_refused_at_once(tmp_path: Path) -> None:
    fifo = tmp_path / "cfg.json"
    os.mkfifo(fifo)
    outcome: list[Any] = []
    worker = threading.Thread(target=lambda: outcome.append(problems_of(fifo)), daemon=True)
    worker.start()
    worker.join(timeout=5)
    assert not worker.is_alive(), "reading a FIFO blocked"
    assert outcome == [[f"{fifo}: is not a regular file (a pipe, device or socket); give the path of a JSON file"]]


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/null", "/dev/urandom"])
def test_devices_are_refused(device: str) -> None:
    assert problems_of(device) == [
        f"{device}: is not a regular file (a pipe, device or socket); give the path of a JSON file"
    ]


def test_a_directory_is_refused(tmp_path: Path) -> None:
    assert problems_of(tmp_path) == [f"{tmp_path}: is a directory; give the path of a JSON file"]


def test_a_path_that_cannot_be_opened_is_reported(tmp_path: Path) -> None:
    source = write(tmp_path, json.dumps(VALID)) / "cfg.json"  # a file used as a directory
    assert problems_of(source) == [f"{source}: cannot open the file: Not a directory"]


def test_a_file_that_is_not_utf8_is_reported(tmp_path: Path) -> None:
    source = write(tmp_path, b'{"regions": ["eu-west-1\xff"]}')
    assert problems_of(source) == [f"{source}: is not UTF-8 text (byte 23)"]


def test_a_symlink_to_a_regular_file_is_followed(tmp_path: Path) -> None:
    target = write(tmp_path, json.dumps(VALID), "real.json")
    link = tmp_path / "link.json"
    link.symlink_to(target)
    assert load_config(link).regions == ["eu-west-1"]


def test_after_twenty_problems_the_rest_are_counted(tmp_path: Path) -> None:
    data = {"regions": ["eu-west-1"], "domains": [{"name": f"bad_{i}.com"} for i in range(500)]}
    lines = problems_of(write(tmp_path, json.dumps(data)))
    assert len(lines) == MAX_PROBLEMS_SHOWN + 1
    assert lines[-1].endswith(": ... and 480 more problems not shown")
    assert lines[0].split(": ")[1] == "domains[0].name"


def test_echoed_values_are_truncated(tmp_path: Path) -> None:
    data = {"regions": ["eu-west-1"], "domains": [{"name": "example.com", "hostedZoneId": "Z" * 100_000}]}
    (line,) = problems_of(write(tmp_path, json.dumps(data)))
    assert line.endswith(f"{'Z' * (MAX_VALUE_SHOWN - 1)}... (100002 characters)")
    assert len(line) < 400


def test_a_huge_unknown_key_is_shown_cut(tmp_path: Path) -> None:
    data = {**VALID, "k" * 100_000 + "\n": 1}
    (line,) = problems_of(write(tmp_path, json.dumps(data)))
    assert line.split(": ")[1] == '["' + "k" * (MAX_VALUE_SHOWN // 2) + '..."]'
    assert len(line) < 600  # the key cut to a few dozen characters; the rest is the path and the allowed keys


def test_a_huge_list_fails_fast_and_small(tmp_path: Path) -> None:
    source = write(tmp_path, '{"regions": [' + ",".join(["1"] * 400_000) + '], "domains": [{"name": "a.com"}]}')
    assert problems_of(source) == [f"{source}: regions: must list at most 29 items; got 400000"]
