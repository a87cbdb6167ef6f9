"""The equity report and its parts."""

from __future__ import annotations


def equity_report(frames, *, as_of=None, decisions=None, min_caseload=20, progress=None, human_codes=None) -> dict:
    raise NotImplementedError


def caseworker_icc(frames, decision, *, as_of=None) -> dict:
    raise NotImplementedError


def between_municipalities(frames_list, decision, *, as_of=None) -> dict:
    raise NotImplementedError


def comparable_pairs(frames, decision, *, covariates=None, limit=50, as_of=None) -> list[dict]:
    raise NotImplementedError
