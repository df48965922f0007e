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


# --------------------------------------------------------------------------- extract/read: issue #10


@pytest.mark.parametrize("value", ["0", "-3", "abc"])
def test_bad_option_value_is_a_usage_error_naming_the_option_as_typed(value, capsys, tmp_path):
    with pytest.raises(SystemExit) as exit_info:
        main(["extract", str(tmp_path), "--out", str(tmp_path / "st"), "--chunk-size", value])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert "--chunk-size" in err and "positive integer" in err
    assert "chunk_size" not in err and "n_process" not in err


def test_extract_with_errors_skip_prints_every_skipped_item(tmp_path, nlp, capsys):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "feed.jsonl").write_text(
        '{"text": "Two men were killed in Lorvania on Monday."}\n{"text": "Floods.", "published": "31 December 9999"}\n',
        encoding="utf-8",
    )
    (folder / "vote.txt").write_text("date 2023-13-45 The vote was held.\n", encoding="utf-8")
    assert main(["extract", str(folder), "--out", str(tmp_path / "st"), "--errors", "skip"]) == 0
    out = capsys.readouterr().out
    assert "1 articles seen, 1 extracted" in out and "2 input(s) skipped" in out
    assert f"{folder / 'feed.jsonl'} (line 2, published): cannot read the date '31 December 9999'" in out
    assert f"{folder / 'vote.txt'} (line 1): the header date '2023-13-45' is not a possible date" in out
    assert "YYYY-MM-DD" in out  # the fix is printed too


def test_read_with_errors_skip_prints_where_problem_and_fix(tmp_path, capsys):
    (tmp_path / "a.txt").write_bytes("Floods in Estmark.".encode("utf-16"))
    assert main(["read", "--errors", "skip", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert f"{tmp_path / 'a.txt'}: UTF-16 text" in out and "iconv -f UTF-16 -t UTF-8" in out


def test_progress_in_a_log_is_one_summary_line_per_step(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text("Two men were killed in Lorvania on Monday.\n", encoding="utf-8")
    log = tmp_path / "log.txt"
    with open(log, "w", encoding="utf-8") as handle:  # stderr is a file, as with cron's `>> log 2>&1`
        result = subprocess.run(
            [sys.executable, "-m", "newskit", "extract", str(folder), "--out", str(tmp_path / "st")],
            stdout=handle,
            stderr=handle,
            cwd=REPO,
            env={**__import__("os").environ, "PYTHONPATH": str(REPO)},
            check=False,
            timeout=300,
        )
    text = log.read_text(encoding="utf-8")
    assert result.returncode == 0, text
    assert "\r" not in text and "it/s" not in text and "article/s" not in text  # no tqdm frames
    assert [line for line in text.splitlines() if line.startswith("extract: ")] == [
        line for line in text.splitlines() if line.startswith("extract: 1 article in ")
    ]
    assert len([line for line in text.splitlines() if line.startswith("extract: ")]) == 1


def test_report_options_for_scheduled_runs():
    args = build_parser().parse_args(["report", "in", "--out", "reports/{date}"])
    assert (args.errors, args.store, args.overwrite) == ("warn", None, False)  # warn: a nightly run is not stopped
    args = build_parser().parse_args(
        ["report", "in", "--out", "o", "--store", "st", "--errors", "raise", "--overwrite"]
    )
    assert (args.errors, args.store, args.overwrite) == ("raise", "st", True)


def test_report_errors_raise_stops_at_the_bad_file_and_writes_nothing(tmp_path, capsys):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a-notes.xyz").write_text("not an article", encoding="utf-8")
    (tmp_path / "in" / "b.txt").write_text("Talks opened in Tarnholm on Monday.", encoding="utf-8")
    out = tmp_path / "reports" / "today"
    code = main(["report", str(tmp_path / "in"), "--out", str(out), "--errors", "raise", "--notebooks", "article"])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 1
    assert err[-1].startswith("newskit report: error: ") and "a-notes.xyz" in err[-1] and "unknown file type" in err[-1]
    assert not out.exists() and not list(out.parent.glob(".today.partial-*"))


def test_report_refuses_an_existing_out_folder(tmp_path, capsys):
    out = tmp_path / "out"
    out.mkdir()
    (out / "index.html").write_text("old", encoding="utf-8")
    code = main(["report", str(tmp_path), "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 1
    assert "already exists and is not empty" in err and "--overwrite" in err
    assert (out / "index.html").read_text(encoding="utf-8") == "old"
