"""Motivation coding by logic (seed 004:83-91) and coder agreement."""

from __future__ import annotations

LEXICON: dict = {}


def code_motivation(text):
    raise NotImplementedError


def cohen_kappa(labels_a, labels_b):
    raise NotImplementedError
