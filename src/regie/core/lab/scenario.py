"""Scenario files (YAML): a policy, a population, parameter overrides, the number of runs — and, for experiments,
arms that differ from the base (each arm is a full scenario once merged). The shipped scenarios are in
``regie/core/lab/scenarios/*.yaml`` (``SCENARIO_DIR``, :func:`shipped`, :func:`resolve`).

    name: h1-steering      # the file's key (a user reads the title)
    title: {nl: ..., en: ...}
    question: {nl: ..., en: ...}
    answer: {nl: ..., en: ...}         # what the shipped run shows (docs/lab.md)
    description: {nl: ..., en: ...}    # optional
    source: seed 000:562-566; docs/lab.md   # citations: shown only behind a "Bron" disclosure
    policy: leidschendam-voorburg
    policy_on: 2008-01-01  # optional: the version in force on this date, whatever the simulated dates
    market: stable
    population: {clients: 8000, caseworkers: 60, months: 60, start: 2008-01-01}
    overrides: {creaming: 0.5}
    runs: 10
    seed: 1
    arms:
      rules: {label: {nl: Sturing op regels, en: Rules-steering}, policy: leidschendam-voorburg}
      performance: {policy: weert, overrides: {...}}

Every text a user reads (title, question, answer, description, an arm's label) is a :class:`Text` in both of
Regie's languages: a scenario with a text in one language only does not load. The core keeps both; the adapter
shows the reader's (:meth:`Text.in_`).
"""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from .params import LabParams

POPULATION_KEYS = {"clients", "caseworkers", "months", "start", "team_size"}
SCENARIO_DIR = Path(__file__).resolve().parent / "scenarios"


class ScenarioUnavailable(LookupError):
    """A scenario file that is not there (a path that does not exist, a name that is not shipped)."""


LANGUAGES = ("nl", "en")


class Text(BaseModel):
    """A text a user reads, in both of Regie's languages."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    nl: str = Field(min_length=1)
    en: str = Field(min_length=1)

    @model_validator(mode="before")
    @classmethod
    def _both_languages(cls, data):
        if not isinstance(data, dict):
            raise ValueError(f"a text in both languages is needed ({{nl: ..., en: ...}}), not {type(data).__name__}")
        return data

    @field_validator("nl", "en")
    @classmethod
    def _one_line(cls, v: str) -> str:
        return " ".join(v.split())  # YAML's folded text, as one paragraph

    def in_(self, lang: str | None) -> str:
        """The text in ``lang`` (a language code such as "en" or "en-gb"; Dutch otherwise)."""
        return self.en if (lang or "").lower().startswith("en") else self.nl


class Arm(BaseModel):
    model_config = ConfigDict(extra="forbid")
    label: Text | None = None
    policy: str | None = None
    policy_on: dt.date | None = None
    market: str | None = None
    population: dict = Field(default_factory=dict)
    overrides: dict = Field(default_factory=dict)


class Scenario(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str
    title: Text
    question: Text | None = None
    answer: Text | None = None
    description: Text | None = None
    source: str = Field("", description="Where the scenario's question and figures come from (a Bron disclosure)")
    policy: str = "national-default"
    policy_on: dt.date | None = None
    market: str = "stable"
    population: dict = Field(default_factory=dict)
    overrides: dict = Field(default_factory=dict)
    runs: int = Field(10, ge=1)
    seed: int = 0
    arms: dict[str, Arm] = Field(default_factory=dict)
    measure: list[str] = Field(default_factory=list, description="Summary keys the experiment's answer rests on")

    def arm_label(self, arm: str) -> Text | None:
        """The shown name of an arm (None: the scenario file gives none; the adapter names it)."""
        found = self.arms.get(arm)
        return found.label if found is not None else None

    def arm_params(self) -> dict[str, LabParams]:
        """One parameter set per arm (a scenario without arms has one arm, named after it)."""
        arms = self.arms or {self.name: Arm()}
        out = {}
        for name, arm in arms.items():
            pop = {**self.population, **arm.population}
            bad = set(pop) - POPULATION_KEYS
            if bad:
                raise ValueError(f"population: unknown keys {sorted(bad)}; allowed {sorted(POPULATION_KEYS)}")
            ov = {
                **pop,
                "policy": arm.policy or self.policy,
                "market": arm.market or self.market,
                **copy.deepcopy(self.overrides),
                **copy.deepcopy(arm.overrides),
            }
            pon = arm.policy_on or self.policy_on
            if pon:
                ov["policy_on"] = pon
            out[name] = LabParams().with_overrides(ov)
        return out


def shipped() -> dict[str, Path]:
    """The scenario files shipped with Regie by name (file stem). Raises ScenarioUnavailable when there are none
    (an installation without its data files)."""
    files = {p.stem: p for p in sorted(SCENARIO_DIR.glob("*.yaml"))}
    if not files:
        raise ScenarioUnavailable(f"no scenario files in {SCENARIO_DIR} (the package was installed without its data)")
    return files


def resolve(name_or_path: str | Path) -> Path:
    """A scenario file: an existing path, else the shipped scenario of that name (``h1-sturing`` or
    ``h1-sturing.yaml``). Raises ScenarioUnavailable naming the shipped scenarios."""
    path = Path(name_or_path)
    if path.is_file():
        return path
    files = shipped()
    stem = path.name[:-5] if path.name.endswith(".yaml") else path.name
    if stem in files and path.parent == Path("."):
        return files[stem]
    raise ScenarioUnavailable(
        f"scenario {str(name_or_path)!r} not found: not a file, and not one of the shipped "
        f"scenarios ({', '.join(files)}) in {SCENARIO_DIR}"
    )


def load(path: str | Path) -> Scenario:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ScenarioUnavailable(f"{path}: scenario file cannot be read: {exc}") from exc
    data = yaml.safe_load(text)
    if not isinstance(data, dict):
        raise ValueError(f"{path}: a scenario file is a YAML mapping")
    data.setdefault("name", Path(path).stem)
    return Scenario.model_validate(data)
