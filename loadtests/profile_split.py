"""Split py-spy samples of the web workers (loadtests/profile_load.sh) into where the CPU goes.

    python loadtests/profile_split.py var/profile/pyspy.txt [--top 25]

Input: py-spy's raw (collapsed) stacks, one "frame;frame;...;leaf count" per line, frames "function (file:line)".
Only samples inside a request are counted (under gunicorn's handle_request: the response's close, which
writes the shared memo, included); the log-in POSTs (the
PBKDF2 check) are counted apart. Each sample goes to the first category found walking from the leaf to the root
(so an ORM query made while rendering a template is "ORM", not "templates"):

- sql: the database driver executing (sqlite3 / psycopg execute, fetch);
- orm: Django's ORM building queries and model objects (django/db/);
- audit: regie/audit/services.py (the audit row, apart from its SQL and ORM);
- session/auth/csrf/messages: those middlewares and contrib apps;
- templates: django/template/ and regie's template tags;
- shared memo: diskcache (the web workers' shared store) and the pickling and hashing of its keys;
- derivation: regie.core (projection, signals, legal state, ledger, policy) and regie's memo (casework/derived);
- regie views: other regie code; django other: the rest of Django (URL resolving, middleware, http);
- wsgi/gunicorn: the rest.
Besides the split, the inclusive share of a few named stages (the view, the middlewares before it, the response).
"""

from __future__ import annotations

import argparse
import collections
import re

FRAME = re.compile(r"^(?P<fn>.*?) \((?P<file>[^:()]*)(?::(?P<line>\d+))?\)$")

LEAF_RULES = [
    ("shared memo", ("diskcache/", "pickle", "hashlib")),
    ("sql", ("sqlite3/", "/psycopg/", "backends/sqlite3/base.py", "backends/postgresql/", "backends/utils.py")),
    ("orm", ("django/db/",)),
    ("audit", ("regie/audit/services.py", "regie/audit/signals.py")),
    ("session", ("django/contrib/sessions/", "regie/platform/session.py")),
    ("auth", ("django/contrib/auth/", "regie/accounts/middleware.py")),
    ("csrf", ("django/middleware/csrf.py",)),
    ("messages", ("django/contrib/messages/",)),
    ("templates", ("django/template/", "/templatetags/", "django/templatetags/")),
    ("derivation", ("regie/core/", "regie/casework/derived.py")),
    ("regie views", ("regie/",)),
    ("django other", ("django/",)),
]


def parse(line: str) -> tuple[list[tuple[str, str]], int] | None:
    line = line.rstrip("\n")
    if not line:
        return None
    stack, _, count = line.rpartition(" ")
    frames = []
    for f in stack.split(";"):
        m = FRAME.match(f)
        frames.append((m["fn"], m["file"]) if m else (f, ""))
    return frames, int(count)


def classify(frames: list[tuple[str, str]]) -> str:
    for _fn, file in reversed(frames):
        for cat, needles in LEAF_RULES:
            if any(n in file for n in needles):
                return cat
    return "wsgi/gunicorn"


STAGES = {
    "view (regie views/*)": lambda fn, file: file.startswith("regie/") and "/views" in file,
    "template render (any)": lambda fn, file: file.endswith("django/template/base.py") and fn == "render",
    "audit log()": lambda fn, file: file.endswith("regie/audit/services.py") and fn == "log",
    "session middleware": lambda fn, file: "sessions/middleware.py" in file,
    "auth: get_user": lambda fn, file: fn == "get_user" and "contrib/auth" in file,
    "memo derived.py": lambda fn, file: file.endswith("casework/derived.py"),
    "shared memo read": lambda fn, file: file.endswith("casework/derived.py") and fn in ("_from_shared", "_shared_get"),
    "shared memo write": lambda fn, file: file.endswith("casework/derived.py") and fn == "_shared_write",
    "per-process memo fragment_get": lambda fn, file: file.endswith("casework/derived.py") and fn == "fragment_get",
    "projection (regie/core/projection)": lambda fn, file: "regie/core/projection.py" in file,
    "signals (casework/signals.py)": lambda fn, file: file.endswith("casework/signals.py"),
    "policy (regie/core/policy)": lambda fn, file: "regie/core/policy/" in file,
    "SQL compile (compiler.py)": lambda fn, file: file.endswith("db/models/sql/compiler.py"),
}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("path")
    ap.add_argument("--top", type=int, default=25)
    args = ap.parse_args()
    cats: collections.Counter = collections.Counter()
    stages: collections.Counter = collections.Counter()
    leaves: collections.Counter = collections.Counter()
    own: collections.Counter = collections.Counter()
    total = login = outside = 0
    with open(args.path) as fh:
        for line in fh:
            parsed = parse(line)
            if parsed is None:
                continue
            frames, n = parsed
            if not any(fn.endswith("handle_request") and "gunicorn/workers/" in file for fn, file in frames):
                outside += n
                continue
            if any("hashers.py" in file for _fn, file in frames):
                login += n
                continue
            total += n
            cats[classify(frames)] += n
            seen = set()
            for fn, file in frames:
                for name, test in STAGES.items():
                    if name not in seen and test(fn, file):
                        seen.add(name)
                        stages[name] += n
            leaf_fn, leaf_file = frames[-1]
            leaves[f"{leaf_fn} ({leaf_file})"] += n
            for fn, file in reversed(frames):
                if file.startswith("regie/") or "/regie/" in file:
                    own[f"{fn} ({file})"] += n
                    break
    print(f"samples in requests: {total} (log-in hashing apart: {login}; outside requests: {outside})")
    print("\nsplit (first category from the leaf):")
    for cat, n in cats.most_common():
        print(f"  {cat:16s} {n:7d} {100 * n / total:5.1f} %")
    print("\nstages (inclusive):")
    for name, n in stages.most_common():
        print(f"  {name:36s} {n:7d} {100 * n / total:5.1f} %")
    print(f"\ninnermost regie function (top {args.top}):")
    for name, n in own.most_common(args.top):
        print(f"  {100 * n / total:5.1f} %  {name}")
    print(f"\nleaf functions (top {args.top}):")
    for name, n in leaves.most_common(args.top):
        print(f"  {100 * n / total:5.1f} %  {name}")


if __name__ == "__main__":
    main()
