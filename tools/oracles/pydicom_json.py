#!/usr/bin/python3
"""Prints pydicom's DICOM JSON (PS3.18 Annex F) of a Part 10 file: the oracle for CloudArchive's DicomJsonWriter.

Usage: pydicom_json.py FILE
Binary values are inline (no bulk data handler), so the output has every value. Group length elements are
dropped: the DICOM JSON Model does not carry them, and CloudArchive's writer does not write them.
"""
import json
import sys

import pydicom


def main():
    ds = pydicom.dcmread(sys.argv[1], force=True)
    out = ds.to_json_dict(bulk_data_threshold=1 << 62)
    def drop_group_lengths(obj):
        for key in list(obj):
            if key.endswith("0000"):
                del obj[key]
            elif obj[key].get("vr") == "SQ":
                for item in obj[key].get("Value", []):
                    drop_group_lengths(item)
    drop_group_lengths(out)
    json.dump(out, sys.stdout, sort_keys=True)


if __name__ == "__main__":
    main()
