"""The `newskit` command: exit codes, one-line errors, help for every subcommand."""

import subprocess
import sys
from pathlib import Path

import pytest

from newskit.cli import build_parser, main

REPO = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("command", ["read", "extract", "report", "eval"])
def test_every_subcommand_has_help(command, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main([command, "--help"])
    assert exit_info.value.code == 0
    assert "usage: newskit " + command in capsys.readouterr().out


def test_usage_error_exits_2(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["read"])
    assert exit_info.value.code == 2
    assert "required" in capsys.readouterr().err


def test_read_prints_articles_and_skipped_items(capsys):
    assert main(["read", str(REPO / "data" / "demo")]) == 0
    out = capsys.readouterr().out
    assert "13 article(s) read, 0 item(s) skipped" in out
    assert "Riverwatch News" in out


def test_bad_input_is_one_line_naming_the_file_and_exit_1(tmp_path, capsys):
    bad = tmp_path / "feed.jsonl"
    bad.write_text('{"text": "Fine article body."}\n{not json\n', encoding="utf-8")
    assert main(["read", str(bad)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert err[0].startswith("newskit read: error: ")
    assert "feed.jsonl" in err[0] and "2" in err[0]
    assert "Traceback" not in err[0]


def test_skip_mode_reads_the_rest_and_lists_the_skipped(tmp_path, capsys):
    bad = tmp_path / "feed.jsonl"
    bad.write_text('{"text": "Fine article body."}\n{not json\n', encoding="utf-8")
    assert main(["read", "--errors", "skip", str(bad)]) == 0
    out = capsys.readouterr().out
    assert "1 article(s) read, 1 item(s) skipped" in out


def test_debug_shows_the_traceback(tmp_path):
    with pytest.raises(Exception, match="no such file"):
        main(["--debug", "read", str(tmp_path / "missing.txt")])


def test_console_script_is_installed():
    result = subprocess.run(
        [sys.executable, "-m", "newskit", "--version"], capture_output=True, text=True, check=False, cwd=REPO
    )
    assert result.returncode == 0
    assert result.stdout.startswith("newskit ")


def test_parser_documents_report_placeholders():
    help_text = build_parser()._subparsers._group_actions[0].choices["report"].format_help()
    assert "{date}" in help_text
