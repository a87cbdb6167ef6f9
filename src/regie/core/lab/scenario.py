"""Scenario files (YAML): a policy, a population, parameter overrides, the number of runs — and, for experiments,
arms that differ from the base (each arm is a full scenario once merged). See experiments/*.yaml.

    name: h1-steering
    question: ...
    answer: ...            # what the shipped run shows (docs/lab.md)
    policy: leidschendam-voorburg
    policy_on: 2008-01-01  # optional: the version in force on this date, whatever the simulated dates
    market: stable
    population: {clients: 8000, caseworkers: 60, months: 60, start: 2008-01-01}
    overrides: {creaming: 0.5}
    runs: 10
    seed: 1
    arms:
      rules: {policy: leidschendam-voorburg}
      performance: {policy: weert, overrides: {...}}
"""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field

from .params import LabParams

POPULATION_KEYS = {"clients", "caseworkers", "months", "start", "team_size"}


class Arm(BaseModel):
    model_config = ConfigDict(extra="forbid")
    label: str | None = None
    policy: str | None = None
    policy_on: dt.date | None = None
    market: str | None = None
    population: dict = Field(default_factory=dict)
    overrides: dict = Field(default_factory=dict)


class Scenario(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str
    question: str = ""
    answer: str = ""
    description: str = ""
    policy: str = "national-default"
    policy_on: dt.date | None = None
    market: str = "stable"
    population: dict = Field(default_factory=dict)
    overrides: dict = Field(default_factory=dict)
    runs: int = Field(10, ge=1)
    seed: int = 0
    arms: dict[str, Arm] = Field(default_factory=dict)
    measure: list[str] = Field(default_factory=list, description="Summary keys the experiment's answer rests on")

    def arm_params(self) -> dict[str, LabParams]:
        """One parameter set per arm (a scenario without arms has one arm, named after it)."""
        arms = self.arms or {self.name: Arm()}
        out = {}
        for name, arm in arms.items():
            pop = {**self.population, **arm.population}
            bad = set(pop) - POPULATION_KEYS
            if bad:
                raise ValueError(f"population: unknown keys {sorted(bad)}; allowed {sorted(POPULATION_KEYS)}")
            ov = {**pop, "policy": arm.policy or self.policy, "market": arm.market or self.market,
                  **copy.deepcopy(self.overrides), **copy.deepcopy(arm.overrides)}
            pon = arm.policy_on or self.policy_on
            if pon:
                ov["policy_on"] = pon
            out[name] = LabParams().with_overrides(ov)
        return out


def load(path: str | Path) -> Scenario:
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise ValueError(f"{path}: a scenario file is a YAML mapping")
    data.setdefault("name", Path(path).stem)
    return Scenario.model_validate(data)
