"""Fingerprints of the policy lab's simulation, to check that a rewrite of ``regie.core.lab.model`` changes no
result bit for bit.

    .venv/bin/pytest tests/lab/test_model_golden.py -q                # the check
    .venv/bin/python tests/lab/test_model_golden.py --check             # the same without pytest
    .venv/bin/python tests/lab/test_model_golden.py --write             # re-write tests/lab/golden_model.json:
                                                                        # only for an intended change of results
    PYTHONPATH=<tree>/src .venv/bin/python tests/lab/test_model_golden.py --scenarios > fp.json
                                        # every arm of every shipped scenario at its full size, seeds 0-2: one
                                        # fingerprint per run (compare the JSON of two trees to show a rewrite
                                        # changes no result; h/lab5 and h/lab8 did so against main's code)

A fingerprint is the sha256 of every array of the :class:`SimResult` (dtype, shape and raw bytes: the compact event
log, the monthly series, the client pool, the caseworkers, the cases) and of the JSON of its other fields (params,
summary, budget, policy versions, levels), plus — for the first case — the Arrow IPC bytes of the analytic tables
that ``regie.core.lab.events.to_frames`` makes of it. The cases cover both steering modes, contacts, Work First at
the gate (policy and override), a date-bound policy, the policy changes of the Beleidslab page and one
scenario of experiments/ at reduced size.
"""

from __future__ import annotations

import hashlib
import io
import json
import sys
from pathlib import Path

import numpy as np
import pytest

HERE = Path(__file__).resolve().parent
GOLDEN = HERE / "golden_model.json"

SMALL = {"clients": 1500, "caseworkers": 12, "months": 24}

# name -> (overrides, seed, contacts)
CASES = {
    "default": (SMALL, 5, False),
    "default_seed1": (SMALL, 1, False),
    "rules_contacts": ({**SMALL, "steering_override": "rules", "months": 30}, 3, True),
    "work_first_policy": (
        {"clients": 1200, "caseworkers": 10, "months": 26, "policy": "leidschendam-voorburg", "start": "2008-01-01"},
        7,
        False,
    ),
    "work_first_on": ({**SMALL, "work_first_override": True, "creaming": 0.6}, 11, False),
    "work_first_off_weert": (
        {
            "clients": 1000,
            "caseworkers": 9,
            "months": 18,
            "policy": "weert",
            "start": "2008-01-01",
            "work_first_override": False,
        },
        2,
        False,
    ),
    # Maastricht 2005-07 (date-bound 46+ rule; a run across the 2005-07 scheme change fails in the old code too)
    "maastricht_2005": (
        {"clients": 1000, "caseworkers": 8, "months": 30, "policy": "maastricht", "start": "2005-07-01"},
        4,
        False,
    ),
    "levers": (
        {
            **SMALL,
            "sanction_factor": 2.0,
            "warn_instead": 0.9,
            "exemptions_off": ["mantelzorg"],
            "freedom_override": 0.9,
            "caseload_norm_override": 60.0,
            "provider_capacity_factor": 0.5,
            "w_deel_per_client": 300.0,
            "market": "recession",
        },
        9,
        False,
    ),
    # experiments/sittard-geleen-2006.yaml, arm nedcar (its policy, policy_on, start and market), at reduced size
    "scenario_sittard_nedcar": (
        {
            "clients": 2000,
            "caseworkers": 16,
            "months": 48,
            "policy": "sittard-geleen",
            "policy_on": "2008-01-01",
            "start": "2005-01-01",
            "market": "sittard-geleen-2006",
        },
        2006,
        False,
    ),
    # the demand side on (D1-D4) and a long run at a tenth of G4 (ages, relapses, scarring over ten years)
    "demand_on": ({**SMALL, "months": 36, "demand": {"accountmanagers": 3}}, 8, False),
    "tenth_of_g4": ({"clients": 4000, "caseworkers": 30, "months": 120}, 12, False),
}


def _params(spec):
    from regie.core.lab.params import LabParams

    return LabParams().with_overrides(spec)


def _h(b: bytes) -> str:
    return hashlib.sha256(b).hexdigest()


def _arr(a) -> str:
    a = np.asarray(a)
    if a.dtype == object:
        return _h(json.dumps([str(x) for x in a.tolist()]).encode())
    a = np.ascontiguousarray(a)
    return _h(f"{a.dtype.str}{a.shape}".encode() + a.tobytes())


def _json(x) -> str:
    return _h(json.dumps(x, sort_keys=True, default=str).encode())


def fingerprint(r, frames: bool = False) -> dict:
    out = {}
    for part in ("log", "monthly", "clients", "caseworkers", "cases"):
        for k, v in sorted(getattr(r, part).items()):
            out[f"{part}.{k}"] = _arr(v)
    for part in ("params", "summary", "budget", "policy_versions", "levels", "market"):
        out[part] = _json(getattr(r, part))
    out["seed,start,months"] = _json([r.seed, r.start, r.months])
    if frames:
        from regie.core.lab.events import to_frames

        f = to_frames(r)
        for name in ("clients", "cases", "events", "users"):
            df = getattr(f, name, None)
            if df is not None:
                buf = io.BytesIO()
                df.write_ipc(buf)
                out[f"frames.{name}"] = _h(buf.getvalue())
    return out


def compute() -> dict:
    from regie.core.lab.model import simulate

    res = {}
    for i, (name, (spec, seed, contacts)) in enumerate(CASES.items()):
        r = simulate(_params(spec), seed, contacts=contacts)
        res[name] = fingerprint(r, frames=(i == 0))
    return res


GOLD = json.loads(GOLDEN.read_text()) if GOLDEN.exists() else {}


def test_every_case_has_a_fingerprint():
    assert set(GOLD) == set(CASES)


@pytest.mark.parametrize("name", sorted(CASES))
def test_same_fingerprints_as_the_golden_run(name):
    from regie.core.lab.model import simulate

    spec, seed, contacts = CASES[name]
    got = fingerprint(
        simulate(_params(spec), seed, contacts=contacts), frames=any(k.startswith("frames.") for k in GOLD[name])
    )
    assert set(got) == set(GOLD[name])
    differ = sorted(k for k in GOLD[name] if got[k] != GOLD[name][k])
    assert differ == [], f"{name}: {differ}"


def scenario_fingerprints(seeds=(0, 1, 2)) -> dict:
    """Every arm of every shipped scenario (``regie.core.lab.scenario.shipped``) at its own size, per seed: the
    sha256 of the run's :func:`fingerprint` (without the analytic tables)."""
    from regie.core.lab.model import simulate
    from regie.core.lab.scenario import load, shipped

    out = {}
    for name, path in shipped().items():
        for arm, params in load(path).arm_params().items():
            for seed in seeds:
                out[f"{name}/{arm}/{seed}"] = _json(fingerprint(simulate(params, seed)))
    return out


GOLDEN_SCENARIOS = HERE / "golden_scenarios.json"  # written by --scenarios from main's code of 2 Dec 2026 (da9d0ed)


@pytest.mark.slow
def test_every_shipped_scenario_arm_gives_the_golden_run():
    """All 6 shipped scenarios, every arm, seeds 0-2, at their own sizes (42 runs, ~30 s): bit for bit."""
    gold = json.loads(GOLDEN_SCENARIOS.read_text())
    got = scenario_fingerprints()
    assert set(got) == set(gold)
    assert sorted(k for k in gold if got[k] != gold[k]) == []


def main() -> int:
    if "--scenarios" in sys.argv:
        print(json.dumps(scenario_fingerprints(), indent=1, sort_keys=True))
        return 0
    res = compute()
    if "--write" in sys.argv:
        GOLDEN.write_text(json.dumps(res, indent=1, sort_keys=True) + "\n")
        print(f"wrote {GOLDEN} ({sum(len(v) for v in res.values())} fingerprints, {len(res)} cases)")
        return 0
    bad = [f"{c}.{k}" for c in GOLD for k in GOLD[c] if res.get(c, {}).get(k) != GOLD[c][k]]
    print("identical" if not bad and set(res) == set(GOLD) else "DIFFERENT: " + ", ".join(bad))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
