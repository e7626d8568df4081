"""gongkai on Spark: parse a DataFrame of files (``spark.read.format("binaryFile")``) in the
executors with ``mapInArrow``; each executor runs the Rust parser and the per-report rules,
and the reports, cells and findings come back as Spark DataFrames.

The rules across reports (D1 duplicates, X1/X2 across years, R1/R2 text reuse) need every
report of a batch at once and do not run here; neither does the ranking. Write the frames as
Parquet and run ``gongkai ingest`` on the files, or ``gongkai rank --frames`` on the Parquet
(see the README's Spark section).
"""

from __future__ import annotations

from typing import Dict, Iterator

import pyarrow as pa

from . import _gongkai

FRAMES = ("reports", "cells", "findings")


def _normalise(t: pa.Table) -> pa.Table:
    """Types Spark's Arrow reader takes: strings, not large strings; signed integers."""
    fields = []
    for f in t.schema:
        ty = f.type
        if pa.types.is_large_string(ty):
            ty = pa.string()
        elif pa.types.is_unsigned_integer(ty):
            ty = pa.int64()
        fields.append(pa.field(f.name, ty, f.nullable))
    return t.cast(pa.schema(fields))


def _tables(outcomes) -> Dict[str, pa.Table]:
    return {
        name: _normalise(pa.RecordBatchReader.from_stream(f).read_all())
        for name, f in outcomes.frames()
        if name in FRAMES
    }


def _union_schema() -> pa.Schema:
    """One schema for the three frames: `frame`, then each frame's columns as FRAME__COLUMN."""
    empty = _tables(_gongkai.ingest([]))
    fields = [pa.field("frame", pa.string(), False)]
    for name in FRAMES:
        fields += [pa.field(f"{name}__{f.name}", f.type, True) for f in empty[name].schema]
    return pa.schema(fields)


def _parse_batches(batches: Iterator[pa.RecordBatch], union: pa.Schema, path_col: str, content_col: str):
    for batch in batches:
        paths = batch.column(path_col).to_pylist()
        contents = batch.column(content_col).to_pylist()
        for path, content in zip(paths, contents):
            tables = _tables(_gongkai.read(data=content or b"", name=path))
            for name in FRAMES:
                t = tables[name]
                if t.num_rows == 0:
                    continue
                arrays = []
                for f in union:
                    if f.name == "frame":
                        arrays.append(pa.array([name] * t.num_rows, pa.string()))
                    elif f.name.startswith(name + "__"):
                        arrays.append(t.column(f.name[len(name) + 2 :]).combine_chunks())
                    else:
                        arrays.append(pa.nulls(t.num_rows, f.type))
                yield pa.RecordBatch.from_arrays(arrays, schema=union)


def parse(df, path_col: str = "path", content_col: str = "content"):
    """``{"reports", "cells", "findings"}`` as Spark DataFrames, parsed from a DataFrame of
    files (columns ``path`` and ``content``, as ``binaryFile`` gives). The columns are the
    CLI's; ``source`` is the path as Spark gives it (``file:/…``, ``s3a://…``)."""
    from pyspark.sql import functions as F
    from pyspark.sql.pandas.types import from_arrow_schema

    union = _union_schema()
    parsed = (
        df.select(path_col, content_col)
        .mapInArrow(lambda it: _parse_batches(it, union, path_col, content_col), from_arrow_schema(union))
        .cache()
    )
    out = {}
    for name in FRAMES:
        cols = [
            F.col(f"`{f.name}`").alias(f.name[len(name) + 2 :])
            for f in union
            if f.name.startswith(name + "__")
        ]
        out[name] = parsed.filter(F.col("frame") == name).select(*cols)
    return out
