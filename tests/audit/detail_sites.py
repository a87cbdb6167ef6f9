"""Every shape of ``detail`` text that the source can write into the access log, found by reading the source.

A *shape* is the stored text with each interpolated value replaced by ``{}`` (``f"{n} records"`` -> ``"{} records"``).
The audit writers are found from the sink (``regie.audit.services.log``) upwards: a function with a ``detail``
parameter that passes it on to a writer is a writer too (``log_request``, ``not_found``, the views' ``_audit``
helpers), and its own framing (``f"api {detail} case {x}"``) is composed with what its callers pass, by keyword or
by position.
"""

from __future__ import annotations

import ast
import itertools
from dataclasses import dataclass, field
from pathlib import Path

FORWARD = ("detail", "credential")
MARK = "\0"  # the forwarded ``detail`` parameter inside a writer's frame
OPAQUE = "{}"
SINK = ("src/regie/audit/services.py", "log")
CONSTANTS: dict[str, str] = {}  # module-level ``NAME = "text"`` of the scanned tree (``UNKNOWN_ACCOUNT``)


@dataclass
class Writer:
    module: str
    name: str
    params: list[str]
    param: str  # the parameter that carries the detail ("detail"; "credential" for the throttle's failure count)
    default: list[str] | None  # shapes of the detail parameter's default, None when it has none
    frames: set[str] = field(default_factory=set)  # shapes with MARK where the caller's detail goes


@dataclass
class Site:
    path: str
    line: int
    shapes: set[str]


def shapes_of(node, forward: str | None = None) -> set[str]:
    """The shapes an expression can produce; ``forward`` names a forwarded detail parameter (it becomes MARK)."""
    if forward is not None and isinstance(node, ast.Name) and node.id == forward:
        return {MARK}
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value}
    if isinstance(node, ast.Name) and node.id in CONSTANTS:
        return {CONSTANTS[node.id]}
    if isinstance(node, ast.JoinedStr):
        parts = []
        for v in node.values:
            if isinstance(v, ast.Constant):
                parts.append({v.value})
            elif isinstance(v, ast.FormattedValue):
                inner = shapes_of(v.value, forward)
                constant = isinstance(v.value, ast.Name) and v.value.id in CONSTANTS
                fixed = all(OPAQUE not in i for i in inner)  # f"{' named' if named else ''}": both texts
                parts.append(inner if MARK in inner or constant or fixed else {OPAQUE})
        return {"".join(p) for p in itertools.product(*parts)}
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return {a + b for a in shapes_of(node.left, forward) for b in shapes_of(node.right, forward)}
    if isinstance(node, ast.IfExp):
        return shapes_of(node.body, forward) | shapes_of(node.orelse, forward)
    if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Slice):
        return shapes_of(node.value, forward)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "strip":
        return {s.strip() for s in shapes_of(node.func.value, forward)}
    return {OPAQUE}


def _callee(call: ast.Call) -> str | None:
    f = call.func
    return f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else None


def _items(tree):
    """("def", node, enclosing def) and ("call", node, enclosing def) for the whole module; each def's ``name`` is
    made qualified by its class (``DocumentViewSet._audit``) so that two classes' helpers stay apart."""
    out = []

    def walk(node, fn, cls):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.ClassDef):
                walk(child, fn, child.name)
            elif isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                child.qual = f"{cls}.{child.name}" if cls else child.name
                child.cls = cls
                out.append(("def", child, fn))
                walk(child, child, None)
            else:
                if isinstance(child, ast.Call):
                    out.append(("call", child, fn))
                walk(child, fn, cls)

    walk(tree, None, None)
    bases = {
        c.name: [b.id if isinstance(b, ast.Name) else getattr(b, "attr", "") for b in c.bases]
        for c in ast.walk(tree)
        if isinstance(c, ast.ClassDef)
    }

    def chain(cls):  # the class and its bases defined in the module (a helper inherited from a base class)
        seen, todo = [], [cls]
        while todo:
            c = todo.pop(0)
            if c and c not in seen:
                seen.append(c)
                todo += bases.get(c, [])
        return seen

    for kind, node, _ in out:
        if kind == "def":
            node.chain = chain(node.cls)
    return out


def _params(fn) -> list[str]:
    a = fn.args
    return [p.arg for p in a.posonlyargs + a.args + a.kwonlyargs]


def _default(fn, name) -> list[str] | None:
    a = fn.args
    pos = a.posonlyargs + a.args
    for p, d in zip(pos[len(pos) - len(a.defaults) :], a.defaults, strict=True):
        if p.arg == name:
            return sorted(shapes_of(d))
    for p, d in zip(a.kwonlyargs, a.kw_defaults, strict=True):
        if p.arg == name and d is not None:
            return sorted(shapes_of(d))
    return None


def _detail_arg(call: ast.Call, writer: Writer):
    for kw in call.keywords:
        if kw.arg == writer.param:
            return kw.value
    params = writer.params
    if params[:1] == ["self"] and isinstance(call.func, ast.Attribute):
        params = params[1:]
    i = params.index(writer.param)
    return call.args[i] if i < len(call.args) else None


def scan(src: Path) -> list[Site]:
    """All call sites under ``src`` (the ``src/regie`` directory) that write an audit detail, with their shapes."""
    base = src.parent.parent
    modules = {
        str(p.relative_to(base)): _items(ast.parse(p.read_text(encoding="utf-8"), str(p)))
        for p in sorted(src.rglob("*.py"))
        if "migrations" not in p.parts
    }
    CONSTANTS.clear()
    for p in sorted(src.rglob("*.py")):
        for stmt in ast.parse(p.read_text(encoding="utf-8")).body:
            if (
                isinstance(stmt, ast.Assign)
                and len(stmt.targets) == 1
                and isinstance(stmt.targets[0], ast.Name)
                and stmt.targets[0].id.isupper()
                and isinstance(stmt.value, ast.Constant)
                and isinstance(stmt.value.value, str)
            ):
                CONSTANTS[stmt.targets[0].id] = stmt.value.value
    writers: dict[tuple[str, str], Writer] = {}
    for mod, items in modules.items():
        for kind, node, _ in items:
            if kind != "def":
                continue
            param = next((p for p in FORWARD if p in _params(node)), None)
            if param:
                writers[(mod, node.qual)] = Writer(mod, node.qual, _params(node), param, _default(node, param))
    writers[SINK].frames = {MARK}

    def resolve(mod, call, fn) -> Writer | None:
        name = _callee(call)
        for cls in getattr(fn, "chain", []) if isinstance(call.func, ast.Attribute) else []:
            if (mod, f"{cls}.{name}") in writers:
                return writers[(mod, f"{cls}.{name}")]  # self._audit(...): the class's own or a base class's
        if (mod, name) in writers:
            return writers[(mod, name)]
        found = [w for (m, n), w in writers.items() if n == name and w.frames]
        return found[0] if len(found) == 1 else None

    def arg_shapes(call, w, forward):
        arg = _detail_arg(call, w)
        return set(w.default or [""]) if arg is None else shapes_of(arg, forward)

    changed = True
    while changed:  # the writers' frames, from the sink upwards
        changed = False
        for mod, items in modules.items():
            for kind, node, fn in items:
                if kind != "call" or fn is None or (mod, fn.qual) not in writers:
                    continue
                me, callee = writers[(mod, fn.qual)], resolve(mod, node, fn)
                if callee is None or not callee.frames or callee is me:
                    continue
                inner = {s for s in arg_shapes(node, callee, me.param) if MARK in s}
                new = {f.replace(MARK, s) for f in callee.frames for s in inner}
                if not new <= me.frames:
                    me.frames |= new
                    changed = True

    sites = []
    for mod, items in modules.items():
        for kind, node, fn in items:
            if kind != "call":
                continue
            callee = resolve(mod, node, fn)
            if callee is None or not callee.frames:
                continue
            forward = writers[(mod, fn.qual)].param if fn is not None and (mod, fn.qual) in writers else None
            # a writer passing its own detail on: its callers are the sites (what it adds of its own is one)
            shapes = {s for s in arg_shapes(node, callee, forward) if MARK not in s}
            if shapes:
                sites.append(Site(mod, node.lineno, {f.replace(MARK, s) for f in callee.frames for s in shapes}))
    return sites
