"""Median / p95 / p99 per page and side of loadtests/load_ab.sh's runs: python load_ab_summary.py DIR REF."""

from __future__ import annotations

import csv
import sys
from pathlib import Path

PAGES = ("client page", "worklist", "start page", "agenda", "step form")


def main(out: Path, ref: str) -> None:
    print(f"{'page':12s} {'side':10s} {'run':>4s} {'median':>7s} {'p95':>6s} {'p99':>6s} {'req/s':>6s}")
    for page in PAGES:
        for side in (ref, "work"):
            for path in sorted(out.glob(f"{side}_*.csv")):
                for row in csv.DictReader(path.open()):
                    if row["Name"] == page:
                        run = path.stem.rsplit("_", 1)[1]
                        print(
                            f"{page:12s} {side[:10]:10s} {run:>4s} {row['50%']:>7s} {row['95%']:>6s} "
                            f"{row['99%']:>6s} {float(row['Requests/s']):6.1f}"
                        )


if __name__ == "__main__":
    main(Path(sys.argv[1]), sys.argv[2])
