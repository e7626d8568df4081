#!/usr/bin/env python3
"""Writes src/source/t2s.tsv, the traditional -> simplified table the reader converts with,
from character_converter's own table (its data/t2s.profile, bincode: a u64 count, then each
key and value as a u64 length and UTF-8 bytes).

The reader used to call character_converter::traditional_to_simplified, which rebuilds that
table as a HashMap<String, String> in every process (115,571 entries: about 70 ms before the
first line is converted) and hashes every candidate with SipHash. The same table as text,
compiled into an fst map by build.rs, is ready without building anything at run time.

Usage: scripts/t2s_table.py [PATH/TO/t2s.profile]
(default: character_converter 2.1.5 in cargo's registry). `source::t2s`'s tests check the
conversion against character_converter itself.
"""
import glob, os, struct, sys

def profile_path():
    if len(sys.argv) > 1:
        return sys.argv[1]
    home = os.environ.get("CARGO_HOME", os.path.expanduser("~/.cargo"))
    found = glob.glob(f"{home}/registry/src/*/character_converter-2.1.5/data/t2s.profile")
    if not found:
        sys.exit("character_converter 2.1.5 is not in cargo's registry: give the profile's path")
    return found[0]

def main():
    b = open(profile_path(), "rb").read()
    (n,), o, pairs = struct.unpack_from("<Q", b, 0), 8, []
    for _ in range(n):
        (l,) = struct.unpack_from("<Q", b, o); o += 8
        k = b[o:o + l].decode(); o += l
        (l,) = struct.unpack_from("<Q", b, o); o += 8
        v = b[o:o + l].decode(); o += l
        pairs.append((k, v))
    assert o == len(b), "trailing bytes: not a bincode HashMap<String, String>"
    for k, v in pairs:
        assert k and not any(c in k + v for c in "\t\n"), (k, v)
    # Sorted by UTF-8 bytes (code point order is the same): the order an fst is built in.
    pairs.sort()
    out = os.path.join(os.path.dirname(__file__), "..", "src", "source", "t2s.tsv")
    with open(out, "w", encoding="utf-8", newline="\n") as f:
        for k, v in pairs:
            # A key that stays as it is is written alone: it still matters, since the longest
            # key wins (乾隆 keeps 乾 from becoming 干).
            f.write(k + "\n" if k == v else f"{k}\t{v}\n")
    print(f"{len(pairs)} entries -> {os.path.normpath(out)}")

main()
