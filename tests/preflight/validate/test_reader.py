"""Reading an address list: the column, odd lines reported with their numbers, duplicates once."""

from __future__ import annotations

from pathlib import Path

import pytest

from ses_stack.preflight.validate.reader import ListError, read_list


def written(tmp_path: Path, content: str | bytes) -> str:
    path = tmp_path / "list.txt"
    path.write_bytes(content.encode() if isinstance(content, str) else content)
    return str(path)


def test_one_address_per_line_with_blank_lines_comments_and_crlf(tmp_path: Path) -> None:
    found = read_list(written(tmp_path, "\ufeffa@example.com\r\n\r\n# exported 2026-12-01\r\nb@example.org\r\n"))
    assert found.addresses == ["a@example.com", "b@example.org"]
    assert (found.malformed, found.duplicates, found.column) == ([], 0, None)


def test_a_header_names_the_column(tmp_path: Path) -> None:
    found = read_list(
        written(tmp_path, 'Name,E-mail,Joined\n"Doe, Jane",jane@example.com,2024\nBob,bob@example.com,\n')
    )
    assert found.addresses == ["jane@example.com", "bob@example.com"]
    assert found.column == "E-mail"


def test_duplicates_differing_in_case_are_checked_once_in_their_first_spelling(tmp_path: Path) -> None:
    found = read_list(written(tmp_path, "Jane@Example.com\njane@example.com\nJANE@EXAMPLE.COM\nx@example.com\n"))
    assert found.addresses == ["Jane@Example.com", "x@example.com"]
    assert found.duplicates == 2


def test_malformed_lines_are_reported_with_their_numbers_and_skipped(tmp_path: Path) -> None:
    content = "good@example.com\nnot an address\nx@\nj\u00f6rg@example.com\nx@ex\u00e4mple.com\n" + "y" * 5000 + "\n"
    found = read_list(written(tmp_path, content))
    assert found.addresses == ["good@example.com"]
    assert [(m.line, m.problem.split(";")[0]) for m in found.malformed] == [
        (2, "must be an e-mail address such as reports@example.com"),
        (3, "must be an e-mail address with a valid domain, such as reports@example.com"),
        (4, "must be an e-mail address such as reports@example.com"),
        (5, "must be an e-mail address with an ASCII domain"),
        (6, "the line is too long"),
    ]
    assert len(found.malformed[-1].text) == 120  # a long line is shown cut


def test_bytes_that_are_not_utf8_make_the_line_malformed_not_the_file(tmp_path: Path) -> None:
    found = read_list(written(tmp_path, b"a@example.com\n\xffbad@example.com\nb@example.com\n"))
    assert found.addresses == ["a@example.com", "b@example.com"]
    assert [m.line for m in found.malformed] == [2]


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"\x00\x01binary", "is not a text file"), (None, "cannot read it")],
)
def test_files_that_are_not_lists_are_refused(tmp_path: Path, content: bytes | None, message: str) -> None:
    path = written(tmp_path, content) if content is not None else str(tmp_path / "missing.csv")
    with pytest.raises(ListError, match=message):
        read_list(path)


def test_lines_are_numbered_at_newlines_only(tmp_path: Path) -> None:
    found = read_list(written(tmp_path, "a@example.com\x0cb@example.com\nbad line\n"))
    assert [m.line for m in found.malformed] == [1, 2]  # a form feed does not start a line


def test_a_list_past_the_limit_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from ses_stack.preflight.validate import reader  # noqa: PLC0415

    monkeypatch.setattr(reader, "MAX_ADDRESSES", 3)
    assert len(read_list(written(tmp_path, "a@x.com\nb@x.com\nc@x.com\n")).addresses) == 3
    with pytest.raises(ListError, match="holds more than 3 addresses; split it"):
        read_list(written(tmp_path, "a@x.com\nb@x.com\nc@x.com\nd@x.com\n"))


def test_a_file_past_the_size_limit_is_refused_before_it_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ses_stack.preflight.validate import reader  # noqa: PLC0415

    monkeypatch.setattr(reader, "MAX_FILE_BYTES", 20)
    assert read_list(written(tmp_path, "a@example.com\n")).addresses == ["a@example.com"]  # 14 bytes: read
    with pytest.raises(ListError, match="is 28 bytes; at most 20 are read"):
        read_list(written(tmp_path, "a@example.com\nb@example.com\n"))
