"""gongkai on Spark: parse a DataFrame of files (``spark.read.format("binaryFile")``) in the
executors with ``mapInArrow``; each executor runs the Rust parser and the per-report rules,
and the reports, cells and findings come back as Spark DataFrames.

The rules across reports (D1 duplicates, X1/X2 across years, R1/R2 text reuse) need every
report of a batch at once: each executor also hands on every report's slim form (a few
kilobytes: the cells those rules read, the metadata, the narrative's fingerprint), the driver
gathers them and runs the rules once (``across=True``, the default), and their findings and
the reports' batch columns (``duplicate_of``, ``reuse_*``, the finding counts) are joined back,
so the frames are the CLI's. The ranking does not run here: write the frames as Parquet and
run ``gongkai rank --frames`` on them (see the README's Spark section).
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


#: The reports columns the rules across reports set (with the finding counts, added to).
ACROSS_COLUMNS = ("duplicate_of", "reuse_previous", "reuse_previous_year", "reuse_peer", "reuse_peer_id")
COUNTS = ("errors", "warnings", "infos")


def _union_schema() -> pa.Schema:
    """One schema for the three frames and the slim reports: `frame`, then each frame's
    columns as FRAME__COLUMN, then `slim__report_id` and `slim__blob`."""
    empty = _tables(_gongkai.ingest([]))
    fields = [pa.field("frame", pa.string(), False)]
    for name in FRAMES:
        fields += [pa.field(f"{name}__{f.name}", f.type, True) for f in empty[name].schema]
    fields += [pa.field("slim__report_id", pa.string(), True), pa.field("slim__blob", pa.binary(), True)]
    return pa.schema(fields)


def _rows(union: pa.Schema, name: str, columns: Dict[str, pa.Array], n: int) -> pa.RecordBatch:
    """One frame's rows in the union schema: its own columns, nulls elsewhere."""
    arrays = []
    for f in union:
        if f.name == "frame":
            arrays.append(pa.array([name] * n, pa.string()))
        elif f.name.startswith(name + "__"):
            arrays.append(columns[f.name[len(name) + 2 :]])
        else:
            arrays.append(pa.nulls(n, f.type))
    return pa.RecordBatch.from_arrays(arrays, schema=union)


def _parse_batches(batches: Iterator[pa.RecordBatch], union: pa.Schema, path_col: str, content_col: str):
    # One call into Rust per Arrow batch (its files parsed in parallel there) and one set of
    # frames per batch: the per-file Python work is what made Spark slow.
    for batch in batches:
        paths = batch.column(path_col).to_pylist()
        contents = batch.column(content_col).to_pylist()
        outcomes = _gongkai.read_many([(p, c or b"") for p, c in zip(paths, contents)])
        slim = outcomes.slim()
        if slim:
            yield _rows(
                union,
                "slim",
                {
                    "report_id": pa.array([r for r, _ in slim], pa.string()),
                    "blob": pa.array([b for _, b in slim], pa.binary()),
                },
                len(slim),
            )
        tables = _tables(outcomes)
        for name in FRAMES:
            t = tables[name]
            if t.num_rows == 0:
                continue
            cols = {c: t.column(c).combine_chunks() for c in t.column_names}
            yield _rows(union, name, cols, t.num_rows)


def _spark_frame(spark, t: pa.Table, schema):
    # Rows as Python values with the frame's own schema: integers stay integers with nulls
    # (a pandas hop would make them floats). The frames here are the small ones the rules
    # across reports return.
    return spark.createDataFrame(t.to_pylist(), schema=schema)


def _apply_across(parsed, out):
    """Runs the rules across reports on the driver over every report's slim bytes and joins
    what they found into ``out``'s reports and findings."""
    from pyspark.sql import functions as F

    spark = parsed.sparkSession
    blobs = [r[0] for r in parsed.filter(F.col("frame") == "slim").select("`slim__blob`").collect()]
    found = _tables(_gongkai.across([bytes(b) for b in blobs]))
    keep = ["report_id", *ACROSS_COLUMNS, *COUNTS]
    reports = out["reports"]
    schema = reports.select(*keep).schema
    extra = _spark_frame(spark, found["reports"].select(keep), schema)
    for c in COUNTS:
        extra = extra.withColumnRenamed(c, f"_across_{c}")
    joined = reports.drop(*ACROSS_COLUMNS).join(F.broadcast(extra), "report_id", "left")
    cols = []
    for c in reports.columns:
        if c in COUNTS:
            cols.append((F.col(c) + F.coalesce(F.col(f"_across_{c}"), F.lit(0))).cast(reports.schema[c].dataType).alias(c))
        else:
            cols.append(F.col(c))
    out["reports"] = joined.select(*cols)
    findings = out["findings"]
    if found["findings"].num_rows:
        out["findings"] = findings.unionByName(_spark_frame(spark, found["findings"], findings.schema))
    return out


def parse(df, path_col: str = "path", content_col: str = "content", across: bool = True):
    """``{"reports", "cells", "findings"}`` as Spark DataFrames, parsed from a DataFrame of
    files (columns ``path`` and ``content``, as ``binaryFile`` gives). The columns are the
    CLI's; ``source`` is the path as Spark gives it (``file:/…``, ``s3a://…``). With
    ``across`` (the default) the rules across reports run on the driver over every report's
    slim form (a few kilobytes each) and their results are joined in, as ``gongkai ingest``
    gives them; ``across=False`` leaves them out (the frames of each file alone)."""
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
    if across:
        out = _apply_across(parsed, out)
    return out
