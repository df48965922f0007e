"""Article tone from VADER (vaderSentiment 3.3.2, lexicon shipped inside the package)."""

from __future__ import annotations

import functools

from spacy.tokens import Doc

from ._doc import text as doc_text

__all__ = ["score_tone"]

NEGATIVE_BELOW = -0.05
POSITIVE_ABOVE = 0.05


@functools.cache
def _analyzer():
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


def score_tone(doc: Doc) -> dict:
    """Tone columns of the ``articles`` table for one article.

    VADER is tuned on sentences, so the article's tone is the mean of its
    sentences' scores (a long article's single score saturates at ±1).
    """
    text = doc_text(doc)  # slices of the text once joined: a Span joins its tokens on each .text
    sentences = [t for s in doc.sents if (t := text[s.start_char : s.end_char]).strip()]
    if not sentences:
        return {"tone": None, "tone_positive": None, "tone_negative": None, "tone_label": None}
    analyzer = _analyzer()
    scores = [analyzer.polarity_scores(s) for s in sentences]
    n = len(scores)
    tone = sum(s["compound"] for s in scores) / n
    label = "negative" if tone <= NEGATIVE_BELOW else "positive" if tone >= POSITIVE_ABOVE else "neutral"
    return {
        "tone": round(tone, 4),
        "tone_positive": round(sum(s["pos"] for s in scores) / n, 4),
        "tone_negative": round(sum(s["neg"] for s in scores) / n, 4),
        "tone_label": label,
    }
