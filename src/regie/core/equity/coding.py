"""Coding deviation motivations by logic -- professional, bureaucratic, market (seed 004:83-91) -- with a
transparent Dutch lexicon (``lexicon.yaml``: every term with its source), and agreement between two coders.

The lexicon pass is a first pass for human coders (the web UI), not a verdict: it returns the matched terms so a
coder can see why, and leaves ties and non-matches unclassified.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import yaml

LOGICS = ("professional", "bureaucratic", "market")
LEXICON: dict = yaml.safe_load((Path(__file__).with_name("lexicon.yaml")).read_text(encoding="utf-8"))


def _norm(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.lower())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " " + re.sub(r"[^a-z0-9]+", " ", text).strip() + " "


@lru_cache(maxsize=1)
def _patterns():
    out = []
    for logic in LOGICS:
        for term in LEXICON["logics"][logic]["terms"]:
            out.append((logic, term, re.compile(r"(?<= )" + re.escape(_norm(term).strip()))))
    return out


@lru_cache(maxsize=4096)
def _code_text(text: str):
    norm = _norm(text)
    matched = [(logic, term) for logic, term, rx in _patterns() if rx.search(norm)]
    return tuple(matched)


def code_motivation(text: str | None, code: str | None = None) -> dict:
    """``{"logic": "professional" | "bureaucratic" | "market" | None, "matched": [terms]}``.

    The logic with the most matched terms wins; a tie or no match gives ``None``. When the text matches nothing,
    a structured ``motivation_code`` (e.g. ``client_wens``) is looked up in the lexicon's ``motivation_codes``;
    it is then reported as matched term ``code:<code>``.
    """
    matched = _code_text(text) if text else ()
    counts = Counter(logic for logic, _ in matched)
    logic = None
    if counts:
        top = counts.most_common()
        if len(top) == 1 or top[0][1] > top[1][1]:
            logic = top[0][0]
    terms = [term for _, term in matched]
    if not matched and code and code in LEXICON.get("motivation_codes", {}):
        logic = LEXICON["motivation_codes"][code]
        terms = [f"code:{code}"]
    return {"logic": logic, "matched": terms}


def cohen_kappa(labels_a: Sequence, labels_b: Sequence) -> dict:
    """Cohen's kappa for two coders' nominal labels (``None`` counts as its own category "unclassified").

    The 95% CI uses the large-sample standard error sqrt(p_o (1 - p_o) / (n (1 - p_e)^2)) (Cohen 1960), clipped
    to [-1, 1]; with few items (n < 30) read it as indicative only.
    """
    if len(labels_a) != len(labels_b):
        raise ValueError("both coders must label the same items")
    n = len(labels_a)
    if n == 0:
        return {"kappa": None, "ci": None, "n": 0, "agreement": None}
    a = ["unclassified" if x is None else str(x) for x in labels_a]
    b = ["unclassified" if x is None else str(x) for x in labels_b]
    po = sum(x == y for x, y in zip(a, b)) / n
    ca, cb = Counter(a), Counter(b)
    pe = sum(ca[k] * cb.get(k, 0) for k in ca) / n**2
    if pe >= 1.0:
        return {"kappa": 1.0 if po == 1.0 else None, "ci": None, "n": n, "agreement": po}
    kappa = (po - pe) / (1 - pe)
    se = math.sqrt(max(po * (1 - po), 0.0) / (n * (1 - pe) ** 2))
    return {"kappa": kappa, "ci": [max(-1.0, kappa - 1.96 * se), min(1.0, kappa + 1.96 * se)], "n": n, "agreement": po}
