"""gongkai.spark.parse in local mode (local[2], 4 partitions, 61 files) against the CLI on
the same files: the same cells, sorted the same way; a hostile file is an error row."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest

pyspark = pytest.importorskip("pyspark")

import gongkai.spark  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
BIN = os.environ.get("GONGKAI_BIN", str(ROOT / "target" / "debug" / "gongkai"))
KEY = ["report_id", "table", "row", "col"]


def cli(*args):
    done = subprocess.run([BIN, *map(str, args)], capture_output=True, text=True)
    assert done.returncode in (0, 3), done.stderr
    return done


@pytest.fixture(scope="module")
def spark():
    from pyspark.sql import SparkSession

    # The Python workers run this interpreter (the venv with gongkai), not the first
    # python3 on PATH.
    os.environ["PYSPARK_PYTHON"] = sys.executable
    s = (
        SparkSession.builder.master("local[2]")
        .config("spark.pyspark.python", sys.executable)
        .appName("gongkai-test")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .getOrCreate()
    )
    yield s
    s.stop()


def test_spark_cells_equal_the_cli_cells(spark, tmp_path):
    cli("synth", "--out", tmp_path / "syn", "--issuers", "10", "--years", "2019-2024", "--seed", "7")
    files = tmp_path / "files"
    shutil.copytree(tmp_path / "syn" / "reports", files)
    # Hostile: a workbook that is no zip. An error row, as in the CLI, not an abort. (Spark's
    # binaryFile skips empty files, so an empty one would not reach the parser.)
    (files / "broken.xlsx").write_bytes(b"PK\x03\x04 this is no zip archive")
    n = sum(1 for p in files.iterdir() if p.is_file())
    assert n >= 50
    cli("ingest", files, "--out", tmp_path / "o", "--quiet", "--no-cache")
    df = spark.read.format("binaryFile").load(str(files)).repartition(4)
    assert df.rdd.getNumPartitions() >= 4
    frames = gongkai.spark.parse(df)
    got = pl.from_arrow(frames["cells"].toArrow()) if hasattr(frames["cells"], "toArrow") else pl.from_pandas(
        frames["cells"].toPandas()
    )
    want = pl.read_parquet(tmp_path / "o" / "cells.parquet")
    assert got.height == want.height
    cols = [c for c in want.columns if c != "source"]
    assert got.select(cols).sort(KEY).equals(want.select(cols).sort(KEY))
    reports = frames["reports"].select("source", "status", "error_kind").collect()
    failed = [r for r in reports if r["status"] == "failed"]
    assert len(reports) == n and len(failed) == 1
    cli_reports = pl.read_parquet(tmp_path / "o" / "reports.parquet").filter(status="failed")
    assert failed[0]["source"].endswith("broken.xlsx")
    assert failed[0]["error_kind"] == cli_reports["error_kind"][0] == "corrupt"


def test_gongkai_rank_reads_the_parquet_spark_wrote(spark, tmp_path):
    # The rules across reports run on the driver over the slim reports: Spark's reports and
    # findings are the CLI's (across years, text reuse), and so are the rankings of its
    # Parquet.
    cli("synth", "--out", tmp_path / "syn", "--issuers", "6", "--years", "2020-2022", "--seed", "3")
    files = tmp_path / "syn" / "reports"
    # A second copy of one report (one byte more): a duplicate issuer-year (D1).
    first = sorted(files.iterdir())[0]
    (files / f"copy_{first.name}").write_bytes(first.read_bytes() + b"\n")
    cli("ingest", files, "--out", tmp_path / "o", "--quiet", "--no-cache")
    cli("rank", "--frames", tmp_path / "o", "--out", tmp_path / "r", "--quiet")
    frames = gongkai.spark.parse(spark.read.format("binaryFile").load(str(files)).repartition(4))
    for name in ("reports", "cells", "findings"):
        frames[name].write.parquet(str(tmp_path / "s" / name))
    want_r = pl.read_parquet(tmp_path / "o" / "reports.parquet")
    got_r = pl.read_parquet(str(tmp_path / "s" / "reports" / "*.parquet"))
    across = ["report_id", *gongkai.spark.ACROSS_COLUMNS, *gongkai.spark.COUNTS]
    assert want_r["reuse_previous"].null_count() < want_r.height, "the corpus reuses text"
    assert got_r.select(across).sort("report_id").equals(
        want_r.select(across).sort("report_id"), null_equal=True
    )
    fcols = ["report_id", "rule", "severity", "cells", "expected", "actual", "message"]
    want_f = pl.read_parquet(tmp_path / "o" / "findings.parquet").select(fcols).sort(fcols)
    got_f = pl.read_parquet(str(tmp_path / "s" / "findings" / "*.parquet")).select(fcols).sort(fcols)
    assert got_f.equals(want_f)
    assert "D1" in set(want_f["rule"]), "a finding across reports"
    cli("rank", "--frames", tmp_path / "s", "--out", tmp_path / "sr", "--quiet")
    cols = ["year", "group", "group_value", "region_code", "rank", "score"]
    want = pl.read_parquet(tmp_path / "r" / "rankings.parquet")
    got = pl.read_parquet(tmp_path / "sr" / "rankings.parquet")
    cols = [c for c in cols if c in want.columns]
    assert got.select(cols).sort(cols).equals(want.select(cols).sort(cols))
