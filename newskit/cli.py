"""The ``newskit`` command: read, extract, report, eval.

Exit codes: 0 ok, 1 failure (one clear line on stderr; ``--debug`` shows the
traceback), 2 usage error.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence

from ._version import __version__
from .errors import NewskitError, ParameterError

__all__ = ["build_parser", "main"]

ERROR_MODES = ("raise", "warn", "skip")


def _add_reader_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--errors",
        choices=ERROR_MODES,
        default="raise",
        help="bad input: stop at the first (raise), or read the rest and list what was skipped (warn, skip)",
    )
    parser.add_argument(
        "--column",
        dest="columns",
        action="append",
        metavar="FROM=TO",
        default=[],
        help="map an input field to a newskit column, e.g. --column body=text --column pubDate=published",
    )


def _positive_int(text: str) -> int:
    """An option value that must be a whole number of at least 1 (argparse names the option)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number; give a positive integer, e.g. 500") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} must be a positive integer (1 or more)")
    return value


def _print_skipped(records: Sequence[dict], *, title: str) -> None:
    """Every skipped item on its own line: where, what is wrong, and the fix."""
    if not records:
        return
    print(f"\n{title}:")
    for record in records:
        where = record.get("path") or "?"
        if record.get("where"):
            where += f" ({record['where']})"
        line = f"  {where}: {record.get('problem')}"
        if record.get("fix"):
            line += f"; {record['fix']}"
        print(line)


def _parse_mapping(pairs: Sequence[str], option: str) -> dict[str, str] | None:
    mapping = {}
    for pair in pairs:
        if "=" not in pair:
            raise ParameterError(option, pair, "expected FROM=TO", fix=f"write e.g. {option} body=text")
        source, target = pair.split("=", 1)
        mapping[source.strip()] = target.strip()
    return mapping or None


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (exposed for tests and documentation)."""
    parser = argparse.ArgumentParser(
        prog="newskit",
        description="Turn news articles into analysable facts: entities, roles, dated events, "
        "quantities, casualties, attributions and tone.",
    )
    parser.add_argument("--version", action="version", version=f"newskit {__version__}")
    parser.add_argument("--debug", action="store_true", help="show the full traceback on errors")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    read = sub.add_parser("read", help="read articles and print what was read and what was skipped")
    read.add_argument("paths", nargs="+", metavar="PATH", help="files, directories (recursive) or globs")
    _add_reader_options(read)
    read.set_defaults(run=_cmd_read)

    extract = sub.add_parser("extract", help="extract every fact table into a store (Parquet) or CSV files")
    extract.add_argument("paths", nargs="+", metavar="PATH", help="files, directories (recursive) or globs")
    extract.add_argument("--out", required=True, metavar="DIR", help="output directory (a facts store)")
    extract.add_argument("--format", choices=("parquet", "csv"), default="parquet", help="table file format")
    extract.add_argument("--tables", nargs="+", metavar="TABLE", help="write only these tables")
    extract.add_argument("--engine", choices=("local", "dask"), default="local", help="where extraction runs")
    extract.add_argument("--processes", type=_positive_int, default=1, metavar="N", help="local parser processes")
    extract.add_argument("--workers", type=_positive_int, metavar="N", help="Dask LocalCluster workers (engine dask)")
    extract.add_argument("--scheduler", metavar="ADDRESS", help="address of a running Dask scheduler")
    extract.add_argument(
        "--chunk-size", type=_positive_int, default=500, metavar="N", help="articles per written chunk"
    )
    extract.add_argument(
        "--keep-missing",
        action="store_true",
        help="keep stored articles whose input is gone (an archive that only grows); by default they are removed",
    )
    _add_reader_options(extract)
    extract.set_defaults(run=_cmd_extract)

    report = sub.add_parser("report", help="run the report notebooks headless and render shareable HTML")
    report.add_argument("input", metavar="INPUT", help="articles (file, directory, glob) or a facts store")
    report.add_argument("--out", required=True, metavar="DIR", help="output directory; {date} and {time} are filled in")
    report.add_argument("--notebooks", nargs="+", metavar="NAME", help="notebooks to run (default: all)")
    report.add_argument(
        "-p",
        "--parameter",
        dest="parameters",
        nargs=2,
        action="append",
        metavar=("NAME", "VALUE"),
        default=[],
        help="notebook parameter, e.g. -p start 2024-01-01",
    )
    report.add_argument("--with-code", action="store_true", help="show code cells in the HTML")
    report.add_argument(
        "--store",
        metavar="DIR",
        help="facts store to extract into and reuse across runs (default: .newskit-store/ next to the --out folder)",
    )
    report.add_argument(
        "--errors",
        choices=ERROR_MODES,
        default="warn",
        help="bad input: skip it, write the report and list it in index.html and on stderr (warn, default), "
        "list it in index.html only (skip), or stop (raise)",
    )
    report.add_argument("--overwrite", action="store_true", help="replace an existing --out folder")
    report.set_defaults(run=_cmd_report)

    from .evaluate import TASKS

    evaluate = sub.add_parser("eval", help="score extraction against annotated gold (P/R/F1)")
    evaluate.add_argument(
        "task",
        choices=(*TASKS, "timeml"),  # timeml: the timex task on TimeML .tml files
        help="what to score",
    )
    evaluate.add_argument("path", metavar="PATH", help="a corpus directory (docs.jsonl), a .jsonl file or TimeML .tml")
    evaluate.add_argument("--limit", type=int, metavar="N", help="score only the first N documents")
    evaluate.add_argument(
        "--stories",
        choices=("predicted", "gold", "both"),
        default="predicted",
        help="event_coref: link events within predicted stories (link_stories), the gold ones, or both",
    )
    evaluate.add_argument(
        "--by",
        choices=("corpus", "half", "outlet"),
        default="corpus",
        help="one table per corpus (default), per half (topic/outlet/period) or per PolNeAR outlet",
    )
    evaluate.add_argument(
        "--facts",
        metavar="DIR",
        help="score facts already extracted from PATH's documents (a store, e.g. from an earlier run's "
        "Facts.to_parquet): skips extraction and re-runs only the linking",
    )
    evaluate.set_defaults(run=_cmd_eval)
    return parser


def _cmd_read(args) -> int:
    import pandas as pd

    from .readers import read_articles, skipped_table

    articles = read_articles(
        args.paths, errors=args.errors, columns=_parse_mapping(args.columns, "--column"), progress=True
    )
    shown = articles[["article_id", "path", "format", "published", "source", "title", "n_words"]]
    with pd.option_context("display.max_rows", 200, "display.width", 160, "display.max_colwidth", 40):
        print(shown.to_string(index=False) if len(shown) else "no articles read")
        skipped = skipped_table(articles)
        print(f"\n{len(articles)} article(s) read, {len(skipped)} item(s) skipped")
    _print_skipped(articles.attrs.get("skipped", []), title="skipped")
    return 0


def _cmd_extract(args) -> int:
    from .store import extract_to_store

    started = time.perf_counter()
    result = extract_to_store(
        args.paths,
        args.out,
        errors=args.errors,
        columns=_parse_mapping(args.columns, "--column"),
        engine=args.engine,
        n_process=args.processes,
        workers=args.workers,
        scheduler=args.scheduler,
        chunk_size=args.chunk_size,
        format=args.format,
        tables=args.tables,
        progress=True,
        keep_missing=args.keep_missing,
    )
    print(result)
    for line in result.repaired:
        print(f"repaired: {line}")
    _print_skipped(result.skipped, title="skipped inputs")
    _print_skipped(
        [
            {"path": f.get("path"), "where": None, "problem": f"extraction failed: {f['problem']}"}
            for f in result.failures
        ],
        title="failed articles (retried next run)",
    )
    print(f"done in {time.perf_counter() - started:.1f} s")
    return 0


def _cmd_report(args) -> int:
    from .report import run_report

    index = run_report(
        args.input,
        args.out,
        notebooks=args.notebooks,
        parameters=dict(args.parameters),
        with_code=args.with_code,
        progress=True,
        store=args.store,
        errors=args.errors,
        overwrite=args.overwrite,
    )
    print(f"report written: {index}")
    return 0


def _cmd_eval(args) -> int:
    from .evaluate import run

    report = run(
        args.task, args.path, limit=args.limit, progress=True, stories=args.stories, by=args.by, facts=args.facts
    )
    print(report)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except NewskitError as exc:
        if args.debug:
            raise
        print(f"newskit {args.command}: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"newskit {args.command}: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:
        if args.debug:
            raise
        print(
            f"newskit {args.command}: unexpected error: {type(exc).__name__}: {exc} (rerun with --debug for the traceback)",
            file=sys.stderr,
        )
        return 1


if __name__ == "__main__":
    sys.exit(main())
