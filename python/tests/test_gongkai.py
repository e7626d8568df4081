"""The Python package against the command line on the development corpora: the same cells,
values and states; the same frames; errors as exceptions with the CLI's kind."""

import os
import subprocess
from pathlib import Path

import polars as pl
import pytest

import gongkai

ROOT = Path(__file__).resolve().parents[2]
REAL = ROOT / "tests" / "fixtures" / "real"
REAL2 = ROOT / "tests" / "fixtures" / "real2"
BIN = os.environ.get("GONGKAI_BIN", str(ROOT / "target" / "debug" / "gongkai"))
FRAMES = ["reports", "cells", "findings", "disclosure_wide", "requests_wide", "review_litigation_wide"]


def cli(*args, cwd=None):
    done = subprocess.run([BIN, *map(str, args)], cwd=cwd, capture_output=True, text=True)
    assert done.returncode in (0, 3), done.stderr
    return done


def report_files():
    return sorted(
        p
        for d in (REAL, REAL2)
        for p in d.iterdir()
        if p.is_file() and not p.name.startswith(("README", ".")) and not p.name.endswith(".csv")
    )


@pytest.mark.parametrize("path", report_files(), ids=lambda p: p.name)
def test_read_gives_the_cli_cells(path, tmp_path):
    cli("ingest", path, "--out", tmp_path / "o", "--quiet", "--no-cache")
    want = pl.read_parquet(tmp_path / "o" / "cells.parquet")
    reports = pl.read_parquet(tmp_path / "o" / "reports.parquet")
    if reports["status"][0] == "failed":
        with pytest.raises(gongkai.GongkaiError) as e:
            gongkai.read(str(path))
        assert e.value.kind == reports["error_kind"][0]
        return
    got = pl.concat([r.cells for r in gongkai.read_all(str(path))])
    assert got.columns == want.columns
    assert got.equals(want), path.name


def test_read_takes_bytes_with_a_name():
    path = REAL / "jiangxi_dayu_2019.txt"
    a = gongkai.read(path.read_bytes(), name="dayu.txt")
    b = gongkai.read(str(path))
    assert a.cells.select("row", "col", "value", "state").equals(b.cells.select("row", "col", "value", "state"))
    assert a.meta["issuer"] == "大余县人民政府" and a.meta["year"] == 2019
    assert a.to_arrow().num_rows == a.cells.height == a.to_pandas().shape[0]
    assert a.meta["layouts"] == {"disclosure": "2019", "requests": "2019", "review_litigation": "2019"}


@pytest.mark.parametrize("corpus", [REAL, REAL2], ids=["real", "real2"])
def test_ingest_gives_the_cli_frames(corpus, tmp_path):
    cli("ingest", corpus, "--out", tmp_path / "o", "--quiet", "--no-cache")
    frames = gongkai.ingest(str(corpus))
    for name in FRAMES:
        want = pl.read_parquet(tmp_path / "o" / f"{name}.parquet")
        assert frames[name].equals(want), name


def test_ingest_takes_the_cli_caps(tmp_path):
    cli("ingest", REAL, "--out", tmp_path / "o", "--quiet", "--no-cache", "--max-file-bytes", "20000")
    want = pl.read_parquet(tmp_path / "o" / "reports.parquet")
    got = gongkai.ingest(str(REAL), max_file_bytes=20000)["reports"]
    assert got.equals(want)
    assert "too_large" in got["error_kind"].to_list()


def test_rank_gives_the_cli_rankings(tmp_path):
    cli("ingest", REAL, "--out", tmp_path / "o", "--quiet", "--no-cache")
    cli("rank", "--frames", tmp_path / "o", "--out", tmp_path / "r", "--quiet")
    ranked = gongkai.rank(gongkai.ingest(str(REAL)))
    for name in ["rankings", "scores", "sensitivity", "panel"]:
        want = pl.read_parquet(tmp_path / "r" / f"{name}.parquet")
        assert ranked[name].equals(want), name


def test_unreadable_files_raise_with_the_cli_kind(tmp_path):
    bad = tmp_path / "empty.txt"
    bad.write_bytes(b"")
    with pytest.raises(gongkai.GongkaiError) as e:
        gongkai.read(str(bad))
    cli("ingest", bad, "--out", tmp_path / "o", "--quiet")
    reports = pl.read_parquet(tmp_path / "o" / "reports.parquet")
    assert e.value.kind == reports["error_kind"][0] == "empty"
    assert (e.value.stage, e.value.hint) == (reports["error_stage"][0], reports["hint"][0])
    # A hostile file in a batch is an error row, as in the CLI, and the batch goes on.
    frames = gongkai.ingest([str(bad), str(REAL / "jiangxi_dayu_2019.txt")])
    assert sorted(frames["reports"]["status"].to_list()) == ["failed", "parsed"]


def test_the_codebook_is_the_cli_codebook(tmp_path):
    cli("codebook", "--out", tmp_path)
    assert gongkai.codebook().equals(pl.read_parquet(tmp_path / "codebook.parquet"))
