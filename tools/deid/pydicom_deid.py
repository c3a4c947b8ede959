#!/usr/bin/python3
"""Baseline de-identifier on pydicom, used only by the deid-vs-oracles benchmark (not product code).

Applies the PS3.15 Table E.1-1 Basic Profile column of data/dicom/confidentiality_profile.json at every nesting
depth with the same compound-code rule as CloudArchive (X/Z->Z, X/D->D, Z/D->D, X/Z/D->D, X/Z/U*->keep and recurse),
removes private attributes, maps UIDs to 2.25.<HMAC-SHA256> and sets Patient Identity Removed. It exists so the
benchmark compares like with like: a whole-process de-identification of the same files.

Usage: /usr/bin/python3 tools/deid/pydicom_deid.py TABLE_JSON SECRET_FILE IN_DIR OUT_DIR
Prints "ok=N failed=M" and exits 0.
"""
import hashlib
import hmac
import json
import os
import sys

import pydicom
from pydicom.dataset import Dataset
from pydicom.sequence import Sequence

COMPOUND = {"X": "X", "Z": "Z", "D": "D", "K": "K", "C": "C", "U": "U",
            "Z/D": "D", "X/Z": "Z", "X/D": "D", "X/Z/D": "D", "X/Z/U*": "K"}
DUMMY = {"DA": "19000101", "TM": "000000", "DT": "19000101000000", "AS": "000D", "DS": "0", "IS": "0"}


def load_table(path):
    with open(path, "rb") as f:
        rows = json.load(f)["attributes"]
    exact, masked = {}, []
    for r in rows:
        if r.get("special") == "privateAttributes":
            continue
        code = COMPOUND[r["basicProfile"]]
        if "mask" in r:
            masked.append((int(r["mask"], 16), int(r["maskedValue"], 16), code))
        else:
            exact[int(r["tag"], 16)] = code
    return exact, masked


def main():
    table, secret_path, in_dir, out_dir = sys.argv[1:5]
    exact, masked = load_table(table)
    with open(secret_path, "rb") as f:
        key = f.read().strip()

    def map_uid(uid):
        if not uid or uid.startswith("1.2.840.10008."):
            return uid
        d = bytearray(hmac.new(key, b"uid\0" + uid.encode("ascii", "replace"), hashlib.sha256).digest()[:16])
        d[6] = (d[6] & 0x0F) | 0x80
        d[8] = (d[8] & 0x3F) | 0x80
        return "2.25." + str(int.from_bytes(d, "big"))

    def action(tag):
        a = exact.get(tag)
        if a is None:
            for m, v, c in masked:
                if tag & m == v:
                    return c
        return a

    def clean(ds):
        for elem in list(ds):
            tag = int(elem.tag)
            if elem.tag.is_private or (elem.tag.group & 1):
                del ds[elem.tag]
                continue
            a = action(tag)
            if a == "X":
                del ds[elem.tag]
            elif a == "Z":
                elem.value = Sequence() if elem.VR == "SQ" else None
            elif a == "D":
                if elem.VR == "SQ":
                    elem.value = Sequence()
                elif elem.VR == "UI":
                    elem.value = map_uid(str(elem.value))
                elif elem.VR in DUMMY:
                    elem.value = DUMMY[elem.VR]
                elif elem.VR in ("PN", "LO", "SH", "ST", "LT", "UT", "UC", "CS", "AE"):
                    elem.value = "ANONYMIZED"[:16]
                else:
                    elem.value = None
            elif a == "U":
                if elem.VM > 1:
                    elem.value = [map_uid(str(u)) for u in elem.value]
                elif elem.value:
                    elem.value = map_uid(str(elem.value))
            elif elem.VR == "SQ":
                for item in elem.value:
                    clean(item)
            elif a is None and elem.VR == "UI" and elem.value and not elem.keyword.endswith(("ClassUID", "SyntaxUID")):
                elem.value = [map_uid(str(u)) for u in elem.value] if elem.VM > 1 else map_uid(str(elem.value))

    ok = failed = 0
    os.makedirs(out_dir, exist_ok=True)
    for root, _, files in os.walk(in_dir):
        for name in sorted(files):
            try:
                ds = pydicom.dcmread(os.path.join(root, name), force=True)
                clean(ds)
                ds.PatientIdentityRemoved = "YES"
                if "SOPInstanceUID" in ds and hasattr(ds, "file_meta"):
                    ds.file_meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
                ds.save_as(os.path.join(out_dir, "%06d.dcm" % (ok + failed)))
                ok += 1
            except Exception:  # a broken input counts as a failure, as in the other tools
                failed += 1
    print("ok=%d failed=%d" % (ok, failed))


if __name__ == "__main__":
    main()
