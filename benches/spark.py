#!/usr/bin/env python3
"""Throughput of gongkai.spark.parse in local mode against `gongkai ingest` on the same files.

By hand only (release builds): build the CLI (`cargo build --release`) and the extension in
release (`cd python && maturin develop --release` in a venv with pyspark, pandas, pyarrow,
polars), then:

    python benches/spark.py [ISSUERS] [RUNS]      (default 167 issuers x 2019-2024 = 1,002 files)

Prints, per run, the CLI's wall time and Spark's (session already up; parse the files and
write reports, cells and findings as Parquet, the same work as the CLI's frames).
"""

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = os.environ.get("GONGKAI_BIN", str(ROOT / "target" / "release" / "gongkai"))


def main() -> None:
    issuers = int(sys.argv[1]) if len(sys.argv) > 1 else 167
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    tmp = Path(tempfile.mkdtemp(prefix="gongkai-spark-"))
    subprocess.run([BIN, "synth", "--out", tmp / "syn", "--issuers", str(issuers), "--years", "2019-2024"],
                   check=True, capture_output=True)
    files = tmp / "syn" / "reports"
    n = sum(1 for _ in files.iterdir())
    from pyspark.sql import SparkSession

    import gongkai.spark

    t0 = time.perf_counter()
    os.environ["PYSPARK_PYTHON"] = sys.executable  # the workers run this venv's Python
    spark = (SparkSession.builder.master("local[2]").config("spark.ui.enabled", "false")
             .config("spark.pyspark.python", sys.executable)
             .config("spark.sql.shuffle.partitions", "4").getOrCreate())
    spark.sparkContext.setLogLevel("ERROR")
    print(f"{n} files; spark session up in {time.perf_counter() - t0:.1f} s", flush=True)
    for i in range(runs):
        out = tmp / f"cli-{i}"
        t0 = time.perf_counter()
        subprocess.run([BIN, "ingest", files, "--out", out, "--quiet", "--no-cache"], check=True)
        cli = time.perf_counter() - t0
        t0 = time.perf_counter()
        df = spark.read.format("binaryFile").load(str(files)).repartition(4)
        frames = gongkai.spark.parse(df)
        for name, f in frames.items():
            f.write.mode("overwrite").parquet(str(tmp / f"spark-{i}" / name))
        sp = time.perf_counter() - t0
        spark.catalog.clearCache()  # parse() caches its parsed rows; the next run starts cold
        print(f"run {i + 1}: cli {cli:.2f} s ({n / cli:.0f} files/s), spark local[2] {sp:.2f} s "
              f"({n / sp:.0f} files/s), ratio {sp / cli:.1f}", flush=True)
    spark.stop()
    shutil.rmtree(tmp)


if __name__ == "__main__":
    main()
