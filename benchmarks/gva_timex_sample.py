"""Draw the gva-dev DATE-timex sample judged in tests/fixtures/gva_timex_judged.jsonl (fixed seed 14).

Prints each drawn timex with a few words of context for judging by reading; run from the
repository root: ``.venv/bin/python benchmarks/gva_timex_sample.py``.
"""
