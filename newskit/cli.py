"""The ``newskit`` command: read, extract, report, eval.

Exit codes: 0 ok, 1 failure (one clear line on stderr; ``--debug`` shows the
traceback), 2 usage error.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence

from . import __version__
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
    extract.add_argument("--processes", type=int, default=1, metavar="N", help="local parser processes")
    extract.add_argument("--workers", type=int, metavar="N", help="Dask LocalCluster workers (engine dask)")
    extract.add_argument("--scheduler", metavar="ADDRESS", help="address of a running Dask scheduler")
    extract.add_argument("--chunk-size", type=int, default=500, metavar="N", help="articles per written chunk")
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
    report.set_defaults(run=_cmd_report)

    evaluate = sub.add_parser("eval", help="score extraction against annotated gold (P/R/F1)")
    evaluate.add_argument(
        "task",
        choices=("timex", "timeml", "entities", "quantities", "casualties", "attribution", "stories"),
        help="what to score",
    )
    evaluate.add_argument("path", metavar="PATH", help="a corpus directory (docs.jsonl), a .jsonl file or TimeML .tml")
    evaluate.add_argument("--limit", type=int, metavar="N", help="score only the first N documents")
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
        if len(skipped):
            print(skipped.to_string(index=False))
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
    )
    print(result)
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
    )
    print(f"report written: {index}")
    return 0


def _cmd_eval(args) -> int:
    from .evaluate import run

    report = run(args.task, args.path, limit=args.limit, progress=True)
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
