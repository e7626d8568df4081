"""The cells of every file under a folder, parsed with Dask: one task per file (Dask's
processes or a cluster's workers), the same parser and per-report rules as `gongkai ingest`,
the frames concatenated on the client. A file that cannot be read is counted, not fatal.

    python python/examples/dask_cells.py DIR [PARTITIONS]

The rules across reports (duplicates, across years, text reuse) need the whole batch: run
`gongkai ingest` for them, or gather `Outcomes.slim()` and call `_gongkai.across` as
`gongkai.spark` does.
"""

import sys
from pathlib import Path

import dask.bag as db
import polars as pl

import gongkai


def cells_of(path: str):
    try:
        return gongkai.read(path).cells
    except gongkai.GongkaiError as e:
        return f"{path}: {e.kind}"


def main() -> None:
    root = Path(sys.argv[1])
    parts = int(sys.argv[2]) if len(sys.argv) > 2 else 8
    # What `gongkai ingest DIR` reads: every file, hidden ones and README/LICENSE left out.
    skip = ("README", "LICENSE")
    files = sorted(
        str(p)
        for p in root.rglob("*")
        if p.is_file() and not p.name.startswith(".") and not p.name.upper().startswith(skip)
    )
    done = db.from_sequence(files, npartitions=parts).map(cells_of).compute()
    cells = pl.concat([d for d in done if isinstance(d, pl.DataFrame)])
    failed = [d for d in done if isinstance(d, str)]
    print(f"{len(files)} files, {cells.height} cells, {len(failed)} unreadable")
    print(cells.group_by("state").len().sort("state"))


if __name__ == "__main__":
    main()
