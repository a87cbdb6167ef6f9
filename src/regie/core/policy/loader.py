"""Loading policy files: YAML → validated :class:`Policy`, dated versions, errors with file, line and field.

The policy files ship inside the package (``regie/core/policy/policies/``); ``REGIE_POLICY_DIR`` replaces them with
another directory. Fail closed: a missing or empty directory, an unreadable file or a municipality or date without
a policy raises :class:`PolicyUnavailable` — never an empty policy set that lets the casework run without rules.

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

from .schema import NationalLayer, Norms, Policy, norms_in_force

PACKAGED_DIR = Path(__file__).resolve().parent / "policies"
ENV_VAR = "REGIE_POLICY_DIR"

ADVICE = "Neem contact op met de functioneel beheerder."


class PolicyUnavailable(LookupError):
    """There is no usable policy: Regie gives no advice and records no decision until there is one.

    ``message`` is for users (Dutch), ``detail`` for the operator's log (file, directory, code, date).
    """

    def __init__(
        self,
        message: str,
        detail: str = "",
        *,
        municipality: str | None = None,
        on: dt.date | None = None,
        problems: list | None = None,
    ):
        self.message, self.detail = message, detail
        self.municipality, self.on, self.problems = municipality, on, problems or []
        super().__init__(f"{message} ({detail})" if detail else message)


def policy_dir() -> Path:
    """The policy directory in use: ``REGIE_POLICY_DIR`` when set, else the files shipped in the package.

    Raises PolicyUnavailable when the directory does not exist; an empty ``REGIE_POLICY_DIR`` is an error too
    (not "the current directory")."""
    env = os.environ.get(ENV_VAR)
    if env is not None and not env.strip():
        raise PolicyUnavailable(
            f"Het beleid kan niet worden geladen: de instelling {ENV_VAR} is leeg. {ADVICE}",
            f"{ENV_VAR} is set but empty; unset it to use the shipped policies",
        )
    root = Path(env).expanduser() if env else PACKAGED_DIR
    if not root.is_dir():
        where = f"{ENV_VAR}={env}" if env else "the installed package"
        raise PolicyUnavailable(
            f"De map met beleidsbestanden bestaat niet. {ADVICE}", f"policy directory {root} does not exist ({where})"
        )
    return root


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
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise PolicyUnavailable(
            f"Een beleidsbestand kan niet worden gelezen. {ADVICE}", f"{path}: {exc.__class__.__name__}: {exc}"
        ) from exc
    try:
        node = yaml.compose(text)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise PolicyError(
            [PolicyProblem(str(path), (mark.line + 1) if mark else 0, "yaml", str(exc).splitlines()[0])]
        ) from exc
    if not isinstance(data, dict):
        raise PolicyError([PolicyProblem(str(path), 1, "file", "a policy file must be a YAML mapping")])
    return data, node


def _problems(path: Path, node, exc: ValidationError) -> list[PolicyProblem]:
    out = []
    for err in exc.errors():
        loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-")))
        out.append(PolicyProblem(str(path), _node_line(node, loc), ".".join(str(p) for p in loc) or "file", err["msg"]))
    return out


def load_national(path: Path) -> tuple[dt.date, NationalLayer]:
    data, node = _read(path)
    try:
        valid_from = dt.date.fromisoformat(str(data.pop("valid_from")))
        return valid_from, NationalLayer.model_validate(data)
    except ValidationError as exc:
        raise PolicyError(_problems(path, node, exc)) from exc
    except (KeyError, ValueError) as exc:
        raise PolicyError([PolicyProblem(str(path), 1, "valid_from", f"missing or not a date: {exc}")]) from exc


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
    merged = {
        k: v for k, v in base.items() if k not in ("id", "name", "municipality_code", "valid_from", "description")
    }
    merged.update(data)
    return merged


def load_file(
    path: Path, nationals: list[tuple[dt.date, dict]] | None = None, until: dt.date | None = None
) -> list[Policy]:
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
            raise PolicyError(_problems(path, node, exc)) from exc
    nationals = nationals if nationals is not None else _national_raw(path.parent.parent)
    vf = data.get("valid_from")
    vf = vf if isinstance(vf, dt.date) else (dt.date.fromisoformat(vf) if isinstance(vf, str) else None)
    applicable = [(since, raw) for since, raw in nationals if vf is None or since <= vf]
    later = [
        (since, raw) for since, raw in nationals if vf is not None and since > vf and (until is None or since < until)
    ]
    out = []
    for i, (since, raw) in enumerate(applicable[-1:] + later):
        version = dict(data, national=raw)
        if i > 0:
            version["valid_from"] = since
            version["national_from"] = since
        try:
            out.append(Policy.model_validate(version))
        except ValidationError as exc:
            raise PolicyError(_problems(path, node, exc)) from exc
        if i == 0:
            floor = _floor_problems(path, node, out[-1])
            if floor:
                raise PolicyError(floor)
    if not out:
        try:
            Policy.model_validate(data)
        except ValidationError as exc:
            raise PolicyError(_problems(path, node, exc)) from exc
    return out


def _floor_problems(path: Path, node, policy: Policy) -> list[PolicyProblem]:
    """Pw art. 18 lid 4: the afstemmingsverordening may not advise less than the national measure for breaching a
    uniform work obligation (100 %, 1 to 3 months). Checked for the municipality's own version (from its
    ``valid_from``); a version derived from an older ordinance gets the national measure in the engine instead."""
    floor = policy.national.work_obligation
    if not policy.sanction_floor_binding(policy.valid_from):
        return []
    out = []
    for i, r in enumerate(policy.sanctions):
        if r.obligation_type not in floor.obligation_types:
            continue
        if r.percentage < floor.percentage or not floor.months <= r.months <= floor.max_months:
            out.append(
                PolicyProblem(
                    str(path),
                    _node_line(node, ("sanctions", i)),
                    f"sanctions.{i}",
                    f"regel {r.id} adviseert {r.percentage:g}% gedurende {r.months} maand(en) voor "
                    f"{r.obligation_type}; de Participatiewet (art. 18 lid 4) schrijft een verlaging van "
                    f"{floor.percentage:g}% voor gedurende {floor.months} tot {floor.max_months} maanden. De "
                    "afstemmingsverordening mag daar niet onder gaan (verlagen kan alleen in een individueel geval "
                    "om dringende redenen)",
                )
            )
    return out


def _national_raw(root: Path) -> list[tuple[dt.date, dict]]:
    out = []
    tables = _norm_tables_raw(root)
    for f in sorted((root / "national").glob("*.yaml")):
        data, _ = _read(f)
        since = dt.date.fromisoformat(str(data.pop("valid_from")))
        if tables and "norm_tables" not in data:
            data["norm_tables"] = tables
        out.append((since, data))
    return sorted(out, key=lambda t: t[0])


# --- national norms (h/law) ---------------------------------------------------------------------------------------


def _norm_tables_raw(root: Path) -> list[dict]:
    """The raw norm tables of ``national/norms/<valid_from>.yaml``; each file's ``valid_from`` must match its name."""
    out, problems = [], []
    for f in sorted((root / "national" / "norms").glob("*.yaml")):
        data, _ = _read(f)
        if str(data.get("valid_from")) != f.stem:
            problems.append(PolicyProblem(str(f), 1, "valid_from", f"must equal the file name ({f.stem})"))
        out.append(data)
    if problems:
        raise PolicyError(problems)
    return out


def load_norm_tables(root: Path | None = None) -> list[Norms]:
    """Every national norm table of the policy directory, validated, oldest first (PolicyError names file, line
    and field of every problem)."""
    root = Path(root) if root else policy_dir()
    out, problems = [], []
    for f in sorted((root / "national" / "norms").glob("*.yaml")):
        data, node = _read(f)
        try:
            out.append(Norms.model_validate(data))
        except ValidationError as exc:
            problems += _problems(f, node, exc)
    if problems:
        raise PolicyError(problems)
    return out


@lru_cache(maxsize=4)
def _cached_norms(root: str) -> tuple[Norms, ...]:
    try:
        return tuple(load_norm_tables(Path(root)))
    except PolicyError as exc:
        raise PolicyUnavailable(
            f"Het beleid kan niet worden geladen: een normentabel is ongeldig. {ADVICE}",
            str(exc),
            problems=exc.problems,
        ) from exc


def norms_on(on: dt.date, root: str | Path | None = None) -> Norms:
    """The national norm table in force on ``on`` (Pw art. 20-22, 22a, 31, 34; see schema.Norms). Fail closed:
    PolicyUnavailable when no table holds on that date (before the first, or more than six months after the last)."""
    base = str(Path(root).resolve()) if root else _default_root()
    table = norms_in_force(list(_cached_norms(base)), on)
    if table is None:
        raise PolicyUnavailable(
            f"Er zijn geen bijstandsnormen vastgelegd die gelden op {on:%d-%m-%Y}. Regie berekent geen bedrag "
            f"zolang de normen ontbreken. {ADVICE}",
            f"no norm table in {base}/national/norms in force on {on.isoformat()}",
            on=on,
        )
    return table


# --- end national norms -------------------------------------------------------------------------------------------


@dataclass
class PolicySet:
    """All versions of all policies in a directory, by id and by municipality code."""

    by_id: dict[str, list[Policy]]

    root: Path | None = None
    files_digest: str | None = None  # of the files it was loaded from (load_dir), the cheap source of :attr:`token`

    def versions(self, key: str) -> list[Policy]:
        if key in self.by_id:
            return self.by_id[key]
        for versions in self.by_id.values():
            if versions and versions[0].municipality_code == key:
                return versions
        raise PolicyUnavailable(
            f"Er is geen beleid vastgelegd voor gemeente {key}. Regie geeft geen advies en legt "
            f"geen besluit vast zolang het beleid ontbreekt. {ADVICE}",
            f"no policy with id or municipality_code {key!r} in {self.root}",
            municipality=key,
        )

    @property
    def token(self) -> str:
        """A digest of every policy version's content: the same in every process that loaded the same files, and
        different when any rule, term or norm differs (memo keys shared between processes use it; an object's id()
        is only meaningful inside one process)."""
        found = self.__dict__.get("_token") or self.files_digest
        if found is None:
            import hashlib

            digest = hashlib.blake2b(digest_size=16)
            for pid in sorted(self.by_id):
                for pol in self.by_id[pid]:
                    digest.update(pol.model_dump_json().encode())
            found = self.__dict__["_token"] = digest.hexdigest()
        return found

    def in_force(self, key: str, on: dt.date) -> Policy:
        versions = [p for p in self.versions(key) if p.valid_from <= on]
        if not versions:
            raise PolicyUnavailable(
                f"Er is geen beleid van gemeente {key} dat geldt op {on:%d-%m-%Y}. Regie geeft "
                f"geen advies en legt geen besluit vast zolang het beleid ontbreekt. {ADVICE}",
                f"no version of policy {key!r} in force on {on.isoformat()} in {self.root}",
                municipality=key,
                on=on,
            )
        return versions[-1]


def load_dir(root: Path | None = None) -> PolicySet:
    """Every policy in ``root`` (default :func:`policy_dir`). Raises PolicyError for invalid files and
    PolicyUnavailable for a missing directory, an unreadable file or a directory without any policy."""
    root = Path(root) if root else policy_dir()
    if not root.is_dir():
        raise PolicyUnavailable(
            f"De map met beleidsbestanden bestaat niet. {ADVICE}", f"policy directory {root} does not exist"
        )
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
    if not by_id:
        raise PolicyUnavailable(
            f"De map met beleidsbestanden bevat geen beleid. {ADVICE}",
            f"no policy files (<id>/<valid_from>.yaml) in {root}",
        )
    for versions in by_id.values():
        versions.sort(key=lambda p: p.valid_from)
    return PolicySet(by_id, root, _files_digest(root))


def _files_digest(root: Path) -> str:
    """A digest of every policy and national file under ``root`` (names and bytes): the same files, the same set."""
    import hashlib

    digest = hashlib.blake2b(digest_size=16)
    for f in sorted(root.rglob("*.yaml")):
        digest.update(str(f.relative_to(root)).encode() + b"\0" + f.read_bytes() + b"\0")
    return digest.hexdigest()


@lru_cache(maxsize=4)
def _cached_set(root: str) -> PolicySet:
    try:
        return load_dir(Path(root))
    except PolicyError as exc:
        raise PolicyUnavailable(
            f"Het beleid kan niet worden geladen: een beleidsbestand is ongeldig. {ADVICE}",
            str(exc),
            problems=exc.problems,
        ) from exc


_resolved_dirs: dict[str | None, str] = {}  # REGIE_POLICY_DIR's value -> the resolved directory it names


def _default_root() -> str:
    """:func:`policy_dir` resolved, memoised per value of ``REGIE_POLICY_DIR`` (a changed value takes effect at
    the next call; an unchanged one costs a dictionary look-up instead of the file-system calls of ``resolve``,
    which were a tenth of a case page). Only a directory that exists is remembered."""
    env = os.environ.get(ENV_VAR)
    found = _resolved_dirs.get(env)
    if found is None:
        found = _resolved_dirs[env] = str(policy_dir().resolve())
    return found


def default_set(root: str | Path | None = None) -> PolicySet:
    """The policy set of ``root`` (default :func:`policy_dir`, looked up at every call so a changed
    ``REGIE_POLICY_DIR`` takes effect), loaded once per directory. Raises PolicyUnavailable, also for invalid files
    (their problems in ``.problems``); a failed load is not cached."""
    return _cached_set(str(Path(root).resolve()) if root else _default_root())
