"""Reading amounts as news writes them (newskit.extract.numbers)."""

from __future__ import annotations

import pytest

from newskit.extract.numbers import parse_amount, word_number


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("three", 3),
        ("twenty-one", 21),
        ("one hundred and five", 105),
        ("a million", 1_000_000),
        ("50,000", 50_000),
        ("1.8 million", 1_800_000),
        ("7.2 bn", 7_200_000_000),
        ("a dozen", 12),
    ],
)
def test_plain_amounts(text, value):
    assert parse_amount(text).value == value


def test_word_number_rejects_words_that_are_not_numbers():
    assert word_number(["three", "apples"]) is None
    assert word_number(["twenty", "five"]) == 25


def test_approximate_amount_keeps_the_figure_and_says_approx():
    amount = parse_amount("around 1.8 million")
    assert (amount.value, amount.low, amount.high, amount.mod) == (1_800_000, 1_800_000, 1_800_000, "APPROX")
    assert amount.kind == "COUNT" and amount.unit is None


@pytest.mark.parametrize(
    ("text", "mod", "low", "high"),
    [
        ("more than 50", "MORE_THAN", 50, None),
        ("at least 7", "EQUAL_OR_MORE", 7, None),
        ("up to 60", "EQUAL_OR_LESS", None, 60),
        ("nearly 300", "LESS_THAN", None, 300),
    ],
)
def test_modifiers_open_a_bound(text, mod, low, high):
    amount = parse_amount(text)
    assert (amount.mod, amount.low, amount.high) == (mod, low, high)


@pytest.mark.parametrize(
    ("text", "low", "high", "value"),
    [
        ("10 to 15", 10, 15, 12.5),
        ("between 3 and 5", 3, 5, 4),
        ("15-20 %", 15, 20, 17.5),
        ("2 to 3 million", 2_000_000, 3_000_000, 2_500_000),
    ],
)
def test_ranges_give_both_ends_and_the_midpoint(text, low, high, value):
    amount = parse_amount(text)
    assert (amount.low, amount.high, amount.value, amount.mod) == (low, high, value, "RANGE")


def test_dozens_is_at_least_two_dozen_with_no_upper_bound():
    amount = parse_amount("dozens of")
    assert (amount.value, amount.low, amount.high, amount.mod) == (24, 24, None, "EQUAL_OR_MORE")


@pytest.mark.parametrize(
    ("text", "unit", "value"),
    [
        ("$ 40 billion", "USD", 40e9),
        ("US$ 16 million", "USD", 16e6),
        ("$15bn", "USD", 15e9),
        ("9.9 billion yuan", "CNY", 9.9e9),
        ("£300", "GBP", 300),
        ("€ 2.5 million", "EUR", 2.5e6),
    ],
)
def test_money_has_its_currency(text, unit, value):
    amount = parse_amount(text)
    assert (amount.kind, amount.unit, amount.value) == ("MONEY", unit, value)


def test_money_range_shares_the_currency():
    amount = parse_amount("between $ 12 million and $ 20 million")
    assert (amount.kind, amount.unit, amount.low, amount.high) == ("MONEY", "USD", 12e6, 20e6)


@pytest.mark.parametrize(
    ("text", "kind", "unit"),
    [("78 percent", "PERCENT", "percent"), ("3 per cent", "PERCENT", "percent"), ("500km", "QUANTITY", "km"),
     ("twenty tonnes", "QUANTITY", "tonne"), ("3.5-inch", "QUANTITY", "inch")],
)  # fmt: skip
def test_units(text, kind, unit):
    amount = parse_amount(text)
    assert (amount.kind, amount.unit) == (kind, unit)


@pytest.mark.parametrize("text", ["", "the police", "no one", "police said"])
def test_no_amount(text):
    assert parse_amount(text) is None


def test_cents_are_money_in_dollars():
    amount = parse_amount("87.5 cents")
    assert (amount.kind, amount.unit, amount.value) == ("MONEY", "USD", 0.875)


def test_scaled_decimals_have_no_floating_point_noise():
    assert parse_amount("$534.3 million").value == 534_300_000


def test_hundreds_of_thousands():
    amount = parse_amount("hundreds of thousands of")
    assert (amount.low, amount.high) == (200_000, None)
