"""Loading policy files: YAML → validated :class:`Policy`, dated versions, errors with file, line and field.

Layout: ``policies/<id>/<valid_from>.yaml``; ``policies/national/<valid_from>.yaml`` holds the Participatiewet
layer, merged into every municipal file that does not define its own ``national`` block (the version in force on
the municipal file's ``valid_from``). A municipal file may ``extends: <id>`` another policy (usually
``national-default``) and then only states the sections in which it differs.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import ValidationError

from .schema import NationalLayer, Policy

DEFAULT_DIR = Path(os.environ.get("REGIE_POLICY_DIR", Path(__file__).resolve().parents[4] / "policies"))


@dataclass(frozen=True)
class PolicyProblem:
    file: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.field}: {self.message}"


class PolicyError(ValueError):
    def __init__(self, problems: list[PolicyProblem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def _node_line(node, loc: tuple) -> int:
    """Line (1-based) of the YAML node at ``loc`` (or of its deepest existing ancestor)."""
    line = node.start_mark.line + 1
    for key in loc:
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                if k.value == str(key):
                    node, line = v, k.start_mark.line + 1
                    break
            else:
                return line
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
            node = node.value[key]
            line = node.start_mark.line + 1
        else:
            return line
    return line


def _read(path: Path) -> tuple[dict, object]:
    text = path.read_text(encoding="utf-8")
    try:
        node = yaml.compose(text)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise PolicyError([PolicyProblem(str(path), (mark.line + 1) if mark else 0, "yaml", str(exc).splitlines()[0])])
    if not isinstance(data, dict):
        raise PolicyError([PolicyProblem(str(path), 1, "file", "a policy file must be a YAML mapping")])
    return data, node


def _problems(path: Path, node, exc: ValidationError) -> list[PolicyProblem]:
    out = []
    for err in exc.errors():
        loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-")))
        out.append(PolicyProblem(str(path), _node_line(node, loc), ".".join(str(p) for p in loc) or "file",
                                 err["msg"]))
    return out


def load_national(path: Path) -> tuple[dt.date, NationalLayer]:
    data, node = _read(path)
    try:
        valid_from = dt.date.fromisoformat(str(data.pop("valid_from")))
        return valid_from, NationalLayer.model_validate(data)
    except ValidationError as exc:
        raise PolicyError(_problems(path, node, exc))
    except (KeyError, ValueError) as exc:
        raise PolicyError([PolicyProblem(str(path), 1, "valid_from", f"missing or not a date: {exc}")])


def _extends(path: Path, data: dict, seen: tuple = ()) -> dict:
    """Fill top-level sections a file leaves out from the policy it ``extends`` (the version in force on its date)."""
    base_id = data.pop("extends", None)
    if not base_id:
        return data
    if base_id in seen:
        raise PolicyError([PolicyProblem(str(path), 1, "extends", f"circular extends via {base_id!r}")])
    folder = path.parent.parent / base_id
    files = sorted(folder.glob("*.yaml"))
    vf = str(data.get("valid_from", ""))
    own = folder.resolve() == path.parent.resolve()  # extending an earlier version of the same policy
    chosen = [f for f in files if (f.stem < vf if own else f.stem <= vf)] or ([] if own else files[:1])
    if not chosen:
        raise PolicyError([PolicyProblem(str(path), 1, "extends", f"no policy {base_id!r} in {folder.parent}")])
    base, _ = _read(chosen[-1])
    base = _extends(chosen[-1], base, seen + (base_id,))
    merged = {k: v for k, v in base.items() if k not in ("id", "name", "municipality_code", "valid_from", "description")}
    merged.update(data)
    return merged


def load_file(path: Path, nationals: list[tuple[dt.date, dict]] | None = None, until: dt.date | None = None) -> list[Policy]:
    """Validate one policy file; raises PolicyError naming file, line and field of every problem.

    Returns the file's version plus, when national law changed between its ``valid_from`` and ``until`` (the next
    municipal version), a derived version from each national change on: national law follows the date asked.
    """
    path = Path(path)
    data, node = _read(path)
    data = _extends(path, data)
    if "national" in data:
        try:
            return [Policy.model_validate(data)]
        except ValidationError as exc:
            raise PolicyError(_problems(path, node, exc))
    nationals = nationals if nationals is not None else _national_raw(path.parent.parent)
    vf = data.get("valid_from")
    vf = vf if isinstance(vf, dt.date) else (dt.date.fromisoformat(vf) if isinstance(vf, str) else None)
    applicable = [(since, raw) for since, raw in nationals if vf is None or since <= vf]
    later = [(since, raw) for since, raw in nationals if vf is not None and since > vf and (until is None or since < until)]
    out = []
    for i, (since, raw) in enumerate(applicable[-1:] + later):
        version = dict(data, national=raw)
        if i > 0:
            version["valid_from"] = since
            version["national_from"] = since
        try:
            out.append(Policy.model_validate(version))
        except ValidationError as exc:
            raise PolicyError(_problems(path, node, exc))
    if not out:
        try:
            Policy.model_validate(data)
        except ValidationError as exc:
            raise PolicyError(_problems(path, node, exc))
    return out


def _national_raw(root: Path) -> list[tuple[dt.date, dict]]:
    out = []
    for f in sorted((root / "national").glob("*.yaml")):
        data, _ = _read(f)
        since = dt.date.fromisoformat(str(data.pop("valid_from")))
        out.append((since, data))
    return sorted(out, key=lambda t: t[0])


@dataclass
class PolicySet:
    """All versions of all policies in a directory, by id and by municipality code."""

    by_id: dict[str, list[Policy]]

    def versions(self, key: str) -> list[Policy]:
        if key in self.by_id:
            return self.by_id[key]
        for versions in self.by_id.values():
            if versions and versions[0].municipality_code == key:
                return versions
        raise LookupError(f"no policy for {key!r}")

    def in_force(self, key: str, on: dt.date) -> Policy:
        versions = [p for p in self.versions(key) if p.valid_from <= on]
        if not versions:
            raise LookupError(f"no version of policy {key!r} in force on {on.isoformat()}")
        return versions[-1]


def load_dir(root: Path | None = None) -> PolicySet:
    root = Path(root or DEFAULT_DIR)
    nationals = _national_raw(root)
    by_id: dict[str, list[Policy]] = {}
    problems: list[PolicyProblem] = []
    for folder in sorted(p for p in root.iterdir() if p.is_dir() and p.name != "national"):
        files = sorted(folder.glob("*.yaml"))
        for i, f in enumerate(files):
            until = dt.date.fromisoformat(files[i + 1].stem) if i + 1 < len(files) else None
            try:
                pols = load_file(f, nationals, until)
            except PolicyError as exc:
                problems += exc.problems
                continue
            for pol in pols:
                by_id.setdefault(pol.id, []).append(pol)
    if problems:
        raise PolicyError(problems)
    for versions in by_id.values():
        versions.sort(key=lambda p: p.valid_from)
    return PolicySet(by_id)


@lru_cache(maxsize=4)
def default_set(root: str | None = None) -> PolicySet:
    return load_dir(Path(root) if root else None)
