"""gongkai (公开): read Chinese 政府信息公开工作年度报告 into validated frames, in Python.

The parsing is the Rust library's, the same as the ``gongkai`` command line's; frames cross
into Python through the Arrow C stream interface, so they arrive as polars DataFrames (or
pyarrow Tables, or pandas) without CSV or per-row objects, and the GIL is released while
files are parsed.

    >>> import gongkai
    >>> r = gongkai.read("tests/fixtures/real/jiangxi_dayu_2019.txt")
    >>> r.cells.filter(state="number").height > 100
    True
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from typing import Any, Dict, Iterable, List, Optional, Union

import polars as pl
import pyarrow as pa

from . import _gongkai

__version__ = _gongkai.__version__
__all__ = ["GongkaiError", "Report", "Frames", "read", "read_all", "ingest", "rank", "codebook"]


class GongkaiError(Exception):
    """A file gongkai could not read: where it failed, why (``kind``, the CLI's
    ``error_kind``), and what to do (``hint``)."""

    def __init__(self, source: str, stage: str, kind: str, message: str, hint: Optional[str]):
        super().__init__(f"{source}: {message}" + (f" (hint: {hint})" if hint else ""))
        self.source, self.stage, self.kind, self.message, self.hint = source, stage, kind, message, hint


def _polars(frame: Any) -> pl.DataFrame:
    # pyarrow reads the Arrow C stream; polars takes the table without copying.
    return pl.from_arrow(pa.RecordBatchReader.from_stream(frame).read_all())


@dataclass
class Report:
    """One parsed report: its ``cells`` and ``findings`` (the CLI's frames, this report's rows)
    and its ``meta`` (issuer, region, year, layouts, clues, narrative figures)."""

    report_id: str
    source: str
    cells: pl.DataFrame
    findings: pl.DataFrame
    meta: Dict[str, Any] = field(default_factory=dict)

    def to_arrow(self) -> pa.Table:
        """The cells as a pyarrow Table."""
        return self.cells.to_arrow()

    def to_pandas(self):
        """The cells as a pandas DataFrame (needs pandas)."""
        return self.cells.to_pandas()


class Frames(dict):
    """The frames of a batch by name (``reports``, ``cells``, ``findings``, the ``*_wide``
    tables), as polars DataFrames; ``.outcomes`` keeps the parsed reports for :func:`rank`."""

    outcomes: Any = None


def _results(outcomes: Any) -> List[Report]:
    frames = {name: _polars(f) for name, f in outcomes.frames()}
    reports = []
    for report_id, source, meta, failure in outcomes.results():
        if failure is not None:
            stage, kind, message, hint = failure
            raise GongkaiError(source, stage, kind, message, hint)
        reports.append(
            Report(
                report_id=report_id,
                source=source,
                cells=frames["cells"].filter(pl.col("report_id") == report_id),
                findings=frames["findings"].filter(pl.col("report_id") == report_id),
                meta=json.loads(meta),
            )
        )
    return reports


def read_all(path_or_bytes: Union[str, os.PathLike, bytes], name: Optional[str] = None) -> List[Report]:
    """Every report one file holds: one for a report, one per row of a summary sheet.
    ``name`` (for bytes) is the path shown in outputs; its extension helps tell the format.
    Raises :class:`GongkaiError` for a file that cannot be read."""
    if isinstance(path_or_bytes, (bytes, bytearray, memoryview)):
        outcomes = _gongkai.read(data=bytes(path_or_bytes), name=name)
    else:
        outcomes = _gongkai.read(path=os.fspath(path_or_bytes))
    return _results(outcomes)


def read(path_or_bytes: Union[str, os.PathLike, bytes], name: Optional[str] = None) -> Report:
    """One report (the first, for a summary sheet: see :func:`read_all`)."""
    return read_all(path_or_bytes, name)[0]


def ingest(paths: Union[str, os.PathLike, Iterable[Union[str, os.PathLike]]], **options) -> Frames:
    """Every file under ``paths`` (directories recursively), parsed in parallel, with the
    rules across reports: the frames ``gongkai ingest`` writes, as polars DataFrames.
    Unreadable files are rows of ``reports`` with ``status`` ``failed``, as in the CLI.
    Options are the CLI's caps: ``max_file_bytes``, ``max_unzipped_bytes``, ``max_cells``,
    ``max_nesting``, ``time_limit`` (seconds)."""
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    outcomes = _gongkai.ingest([os.fspath(p) for p in paths], **options)
    out = Frames((name, _polars(f)) for name, f in outcomes.frames())
    out.outcomes = outcomes
    return out


def rank(frames: Frames, model: Optional[Union[str, os.PathLike]] = None) -> Dict[str, pl.DataFrame]:
    """Scores and ranks the issuers of an :func:`ingest` with a model (a TOML file; the
    default model when ``None``): ``rankings``, ``scores``, ``sensitivity``, ``panel``."""
    text = None
    if model is not None:
        with open(model, encoding="utf-8") as f:
            text = f.read()
    try:
        return {name: _polars(f) for name, f in frames.outcomes.rank(text)}
    except ValueError as e:
        raise GongkaiError(str(model), "model", "model", str(e), "fix the model file") from None


def codebook() -> pl.DataFrame:
    """Every canonical key with its labels, layouts, unit and series, and every frame's
    columns (the ``codebook.csv`` each batch writes)."""
    return _polars(_gongkai.codebook())
