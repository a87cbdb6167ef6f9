"""Funnel plots (Spiegelhalter 2005)."""

from __future__ import annotations


def funnel_svg(decision_result, *, title=None) -> str:
    raise NotImplementedError
