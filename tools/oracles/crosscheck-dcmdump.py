#!/usr/bin/python3
"""Cross-check the pydicom goldens against a second oracle, DCMTK's dcmdump.

Exact command (repository root):

    /usr/bin/python3 tools/oracles/crosscheck-dcmdump.py

For every golden in tests/CloudArchive.Dicom.Tests/Goldens it runs

    dcmdump -q +L -Un -M <sample>            (+ -f -t? for a sample without File Meta: DCMTK auto-detects)

parses the indented dump into tag paths, and compares with the golden: the set of paths, the VR of
each path, the item count of each sequence, the fragment count of each encapsulated value, and the
text of every ASCII text value. Differences that are explained by a documented design difference
(tools/oracles/README.md, "Known oracle differences") are counted separately and do not fail.
Exits 1 when an unexplained difference remains, 0 otherwise, 2 when dcmdump is not installed.
"""

import json
import os
import re
import shutil
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
GOLDENS = os.path.join(ROOT, "tests", "CloudArchive.Dicom.Tests", "Goldens")
SAMPLES = os.path.join(ROOT, "testdata", "dicom")

LINE = re.compile(r"^(?P<indent> *)\((?P<g>[0-9a-f]{4}),(?P<e>[0-9a-f]{4})\) (?P<vr>\S\S) (?P<rest>.*)$")
ASCII_TEXT_VRS = {"AE", "AS", "CS", "DA", "DS", "DT", "IS", "TM", "UI", "SH", "LO", "LT", "ST", "UT", "UR", "UC"}


def parse_dump(text):
    """Return {path: {"vr", "items"/"fragments"/"text"}} from a dcmdump listing."""
    out = {}
    stack = []  # (indent, path prefix of the current item, item counter holder)
    last_by_indent = {}
    for line in text.splitlines():
        m = LINE.match(line)
        if not m:
            continue
        indent = len(m.group("indent"))
        tag = "(%s,%s)" % (m.group("g").upper(), m.group("e").upper())
        vr, rest = m.group("vr"), m.group("rest")
        while stack and stack[-1][0] >= indent:
            stack.pop()
        if tag == "(FFFE,E000)":
            parent = last_by_indent.get(indent - 2)
            if parent is None:
                continue
            entry = out[parent]
            if entry.get("pixelSequence"):
                entry["fragments"] += 1
                continue
            index = entry["items"]
            entry["items"] += 1
            stack.append((indent, f"{parent}[{index}]/"))
            continue
        if tag in ("(FFFE,E00D)", "(FFFE,E0DD)"):
            continue
        prefix = stack[-1][1] if stack else ""
        path = prefix + tag
        entry = {"vr": vr}
        if vr == "SQ":
            entry["items"] = 0
        elif "(PixelSequence" in rest:
            entry["pixelSequence"] = True
            entry["fragments"] = -1  # the first item is the Basic Offset Table
        elif rest.startswith("["):
            value = rest[1:rest.rfind("]")]
            entry["text"] = value
        elif rest.startswith("(no value available)"):
            entry["text"] = ""
        out[path] = entry
        last_by_indent[indent] = path
    return out


def explained(golden_entry, dump_entry):
    """Return the README rule that explains a VR difference, or None."""
    g, d = golden_entry["vr"], dump_entry["vr"]
    if golden_entry.get("undefinedLengthSequence") and d == "SQ":
        return "CP-246 UN of undefined length: DCMTK reports SQ"
    if golden_entry.get("encapsulated") and g == "OW" and d == "OB":
        return "encapsulated value: DCMTK always reports OB"
    if g == "UN" and d == "??":
        return "implicit VR private element: DCMTK prints ?? for UN"
    if g == "UL" and d == "up":
        return "DICOMDIR offsets: DCMTK's internal VR 'up' is UL in the file"
    return None


def main():
    if shutil.which("dcmdump") is None:
        print("dcmdump not installed; skipped")
        return 2
    failures = 0
    for name in sorted(os.listdir(GOLDENS)):
        if not name.endswith(".json"):
            continue
        golden = json.load(open(os.path.join(GOLDENS, name), encoding="utf-8"))
        sample = os.path.join(SAMPLES, golden["file"])
        proc = subprocess.run(["dcmdump", "-q", "+L", "-Un", "-M", sample], capture_output=True)
        dump = parse_dump(proc.stdout.decode("latin-1"))
        gel = {e["path"]: e for e in golden["elements"]}
        problems, notes = [], set()
        for path in sorted(set(gel) | set(dump)):
            g, d = gel.get(path), dump.get(path)
            if g is None or d is None:
                problems.append(f"{path}: only in {'dcmdump' if g is None else 'golden'}")
                continue
            if g["vr"] != d["vr"]:
                why = explained(g, d)
                if why:
                    notes.add(why)
                else:
                    problems.append(f"{path}: VR golden {g['vr']} dcmdump {d['vr']}")
            if "items" in g and "items" in d and g["items"] != d["items"]:
                problems.append(f"{path}: items golden {g['items']} dcmdump {d['items']}")
            if g.get("encapsulated") and len(g["fragments"]) != d.get("fragments"):
                problems.append(f"{path}: fragments golden {len(g['fragments'])} dcmdump {d.get('fragments')}")
            if g["vr"] in ASCII_TEXT_VRS and "text" in d and "value" in g:
                joined = "\\".join(g["value"])
                dumped = "\\".join(c.rstrip(" \0") for c in d["text"].split("\\")) if g["vr"] not in ("LT", "ST", "UT", "UR") else d["text"].rstrip(" \0")
                if g["vr"] in ("AE", "CS", "DS", "IS"):
                    dumped = "\\".join(c.strip(" ") for c in dumped.split("\\"))
                if dumped == "" and not g["value"]:
                    continue
                if joined != dumped and all(32 <= ord(ch) < 128 for ch in joined):
                    problems.append(f"{path}: text golden {joined[:60]!r} dcmdump {dumped[:60]!r}")
        status = "OK " if not problems else "DIFF"
        print(f"{status} {golden['file']}: {len(gel)} golden elements, dcmdump rc {proc.returncode}"
              + (f"; explained: {'; '.join(sorted(notes))}" if notes else ""))
        for p in problems[:20]:
            print("      " + p)
        failures += bool(problems)
    print(f"{failures} file(s) with unexplained differences")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
