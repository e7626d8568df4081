#!/usr/bin/env python3
"""Checks that every arrow between gongkai's top-level modules points one way.

Each module may use only the modules listed before it in LAYERS (utilities first, the
command line last). Reads every `crate::name` path in src/ (`use` lines and inline paths,
including `use crate::{a, b}` groups); test code (files named tests.rs and everything after a
file's `#[cfg(test)]`) may reach further and is skipped.

Usage: python3 scripts/layers.py     (exit 1 and one line per wrong arrow if any; run in CI)
"""

import re
import sys
from pathlib import Path

# Lowest first. Utilities that know no domain, then the data flow.
LAYERS = [
    "two", "rng", "hex", "charbits", "budget", "trim", # small utilities
    "template",                    # the domain vocabulary
    "source",                      # bytes -> Document
    "regions",                     # GB/T 2260 divisions (and the fictional 示例省)
    "report",                      # shared domain types
    "extract",                     # Document -> Report
    "validate",                    # Report -> Findings, and the rules across reports
    "batch",                       # discovery, caps, workers, cache, the streaming ingest
    "frames",                      # outcomes -> polars frames, Parquet and CSV
    "synth",                       # fictional corpora with their truth
    "score",                       # frames -> scores and ranks
    "render",                      # charts, tables, the HTML report
    "jobs",                        # ingest, rank and run, end to end
    "cli",                         # clap, printing, exit codes
]
RANK = {m: i for i, m in enumerate(LAYERS)}
ROOT = Path(__file__).resolve().parent.parent / "src"


def module_of(path: Path) -> str:
    return path.relative_to(ROOT).parts[0].removesuffix(".rs")


def used(text: str) -> set:
    out = set(re.findall(r"\bcrate::([a-z_0-9]+)", text))
    for group in re.findall(r"\bcrate::\{([^}]*)\}", text):
        out |= set(re.findall(r"(?:^|[,\s{])([a-z_0-9]+)", group))
    return out


def main() -> int:
    wrong = []
    for path in sorted(ROOT.rglob("*.rs")):
        top = module_of(path)
        if top in ("lib", "main") or path.name == "tests.rs":
            continue
        if top not in RANK:
            wrong.append(f"{path}: module `{top}` is not in LAYERS")
            continue
        text = path.read_text(encoding="utf-8").split("#[cfg(test)]")[0]
        for m in sorted(used(text) - {top}):
            if m not in RANK:
                wrong.append(f"{path}: uses `crate::{m}`, which is not in LAYERS")
            elif RANK[m] > RANK[top]:
                wrong.append(f"{path}: `{top}` uses `{m}`, a later layer")
    for w in wrong:
        print(w)
    if not wrong:
        print(f"layers: {len(LAYERS)} modules, every arrow points down")
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main())
