#!/usr/bin/python3
"""Write the pydicom golden JSON for every readable sample in testdata/dicom.

Exact command (from the repository root; the Debian pydicom is only visible to /usr/bin/python3):

    /usr/bin/python3 tools/oracles/make-goldens.py            # regenerate every golden
    /usr/bin/python3 tools/oracles/make-goldens.py --check    # exit 1 if a committed golden differs

Oracle: pydicom 2.3.1 (Debian bookworm python3-pydicom 2.3.1-1), read with
``pydicom.dcmread(path)`` (``force=True`` only for the samples without a File Meta group).
pydicom parses the file structure (tags, explicit VRs, lengths, byte order, sequences, items,
encapsulated fragments, deflate) and resolves implicit VRs from its data dictionary (including the
ambiguous ``US or SS`` / ``OB or OW`` rules); this script then normalizes every element value from
the raw bytes pydicom read, as specified in tools/oracles/README.md, so a C# test can reproduce the
normalization exactly.

Two pydicom behaviours are overridden so the golden records what the file contains:
  * an explicit ``UN`` of defined length stays ``UN`` (the VR is taken from pydicom's raw element;
    pydicom itself would report the dictionary VR, e.g. PN, for explicit_VR-UN.dcm). The pydicom
    setting ``replace_un_with_known_vr`` is left on because switching it off makes pydicom 2.3.1
    crash on explicit_VR-UN.dcm, whose Specific Character Set is itself UN.
  * the private data dictionary is not consulted for implicit-VR private elements: they are ``UN``
    (private creators ``LO``), because the file does not say more and the project carries no
    private dictionary.
"""

import argparse
import hashlib
import io
import json
import math
import os
import platform
import struct
import sys
import warnings
import zlib

import pydicom
import pydicom.dataelem
from pydicom import config
from pydicom.charset import convert_encodings, decode_bytes
from pydicom.valuerep import PN_DELIMS, TEXT_VR_DELIMS
from pydicom.dataelem import RawDataElement
from pydicom.tag import BaseTag

# Deliberately broken samples that are NOT readable (dcmdump -q exits 1 on all four): no golden.
BROKEN = {
    "MR_truncated.dcm": "file ends inside Pixel Data (declared length 8192 > remaining bytes)",
    "rtplan_truncated.dcm": "file ends in the middle of an element inside a sequence",
    "no_meta.dcm": "raw dataset preceded by a stray byte; no reader parses it correctly",
    "emri_small_jpeg_2k_lossless_too_short.dcm": "encapsulated Pixel Data lacks its Sequence Delimitation Item",
}

# Samples that have no File Meta group at all: pydicom needs force=True.
NO_META = {"rtstruct.dcm", "ExplVR_LitEndNoMeta.dcm", "ExplVR_BigEndNoMeta.dcm"}

TEXT_CHARSET_VRS = {"SH", "LO", "ST", "LT", "UC", "UT", "PN"}
TEXT_ASCII_VRS = {"AE", "AS", "CS", "DA", "DS", "DT", "IS", "TM", "UI", "UR"}
SINGLE_VALUE_TEXT_VRS = {"LT", "ST", "UT", "UR"}
LEADING_SPACE_INSIGNIFICANT_VRS = {"AE", "CS", "DS", "IS"}
NUMERIC_FORMATS = {"US": "H", "SS": "h", "UL": "L", "SL": "l", "FL": "f", "FD": "d", "UV": "Q", "SV": "q"}
BINARY_WORD_SIZE = {"OB": 1, "UN": 1, "OW": 2, "OF": 4, "OL": 4, "OD": 8, "OV": 8}

FORMAT_VERSION = 1


def _private_vr_without_private_dictionary(ds, tag):
    """Replacement for pydicom's private-dictionary lookup: creators are LO, everything else UN."""
    return "LO" if tag.is_private_creator else "UN"


# pydicom converts a few elements while reading (File Meta, Specific Character Set, DICOMDIR offsets)
# before this script sees them; the callback keeps their raw bytes, keyed by (tag, stream offset).
_CAPTURED = {}


def _capture_raw(raw, **kwargs):
    _CAPTURED.setdefault((int(raw.tag), raw.value_tell), set()).add((raw.VR, raw.value, raw.is_little_endian, raw.is_implicit_VR))
    return raw


def configure_pydicom():
    pydicom.dataelem._private_vr_for_tag = _private_vr_without_private_dictionary
    config.data_element_callback = _capture_raw


def tag_text(tag):
    return "(%04X,%04X)" % (tag >> 16, tag & 0xFFFF)


def sha256(data):
    return hashlib.sha256(data).hexdigest()


def to_little_endian(data, word_size, little_endian):
    if little_endian or word_size == 1:
        return data
    usable = len(data) - len(data) % word_size
    out = bytearray(len(data))
    for i in range(0, usable, word_size):
        out[i:i + word_size] = data[i:i + word_size][::-1]
    out[usable:] = data[usable:]
    return bytes(out)


def strip_component(text, vr):
    text = text.rstrip(" \0")
    if vr in LEADING_SPACE_INSIGNIFICANT_VRS:
        text = text.lstrip(" ")
    return text


def text_components(raw_bytes, vr, encodings):
    if not raw_bytes:
        return []
    if vr in SINGLE_VALUE_TEXT_VRS:
        parts = [raw_bytes]
    else:
        parts = raw_bytes.split(b"\\")
    result = []
    for part in parts:
        if vr == "PN":
            groups = part.split(b"=")
            text = "=".join(decode_bytes(g, encodings, PN_DELIMS) for g in groups)
        elif vr in TEXT_CHARSET_VRS:
            text = decode_bytes(part, encodings, TEXT_VR_DELIMS)
        else:
            # The default repertoire: pydicom decodes these VRs as ISO 8859-1 ("iso8859").
            text = part.decode("latin-1")
        result.append(strip_component(text, vr))
    # A value consisting only of padding is empty, not one empty component.
    if len(result) == 1 and result[0] == "":
        return []
    return result


def number_json(value, vr):
    if vr in ("FL", "FD"):
        if math.isnan(value):
            return "NaN"
        if math.isinf(value):
            return "Infinity" if value > 0 else "-Infinity"
        return value
    return value


def numeric_values(raw_bytes, vr, little_endian, problems, path):
    fmt = NUMERIC_FORMATS[vr]
    size = struct.calcsize("<" + fmt)
    if len(raw_bytes) % size:
        problems.append(f"{path}: {vr} value length {len(raw_bytes)} is not a multiple of {size}")
    count = len(raw_bytes) // size
    endian = "<" if little_endian else ">"
    values = struct.unpack(endian + fmt * count, raw_bytes[:count * size])
    return [number_json(v, vr) for v in values]


def at_values(raw_bytes, little_endian, problems, path):
    if len(raw_bytes) % 4:
        problems.append(f"{path}: AT value length {len(raw_bytes)} is not a multiple of 4")
    endian = "<" if little_endian else ">"
    out = []
    for i in range(0, len(raw_bytes) - len(raw_bytes) % 4, 4):
        group, element = struct.unpack(endian + "HH", raw_bytes[i:i + 4])
        out.append("%04X%04X" % (group, element))
    return out


def encapsulated(raw_bytes):
    """Items of an encapsulated value (always little endian), walked by item length."""
    items = []
    pos = 0
    while pos + 8 <= len(raw_bytes):
        group, element, length = struct.unpack("<HHL", raw_bytes[pos:pos + 8])
        pos += 8
        tag = (group << 16) | element
        if tag == 0xFFFEE0DD:
            break
        if tag != 0xFFFEE000:
            raise ValueError("encapsulated value has a non-item tag %08X" % tag)
        items.append(raw_bytes[pos:pos + length])
        pos += length
    if not items:
        raise ValueError("encapsulated value has no Basic Offset Table item")
    bot, fragments = items[0], items[1:]
    return {
        "offsetTable": {"length": len(bot), "sha256": sha256(bot)},
        "fragments": [{"length": len(f), "sha256": sha256(f)} for f in fragments],
    }


class Walker:
    def __init__(self, problems):
        self.elements = []
        self.problems = problems

    def walk(self, ds, prefix, encodings, buffer):
        for tag in sorted(ds.keys()):
            path = prefix + tag_text(tag)
            raw_value = self.element(ds, tag, path, encodings, buffer)
            if tag == 0x00080005:
                # The dataset's (or item's) own Specific Character Set applies to its text values.
                terms = [t.strip(" \0") for t in (raw_value or b"").decode("latin-1").split("\\")]
                if any(terms):
                    encodings = convert_encodings(terms if len(terms) > 1 else terms[0])

    def raw_of(self, ds, tag, path):
        """(VR in the file or None for implicit, raw value bytes or None, little endian, implicit, undefined)."""
        raw = ds.get_item(tag)
        if isinstance(raw, RawDataElement):
            return raw.VR, raw.value, raw.is_little_endian, raw.is_implicit_VR, raw.length == 0xFFFFFFFF
        # Already converted by pydicom while reading: use the bytes the callback captured.
        elem = raw
        if elem.VR == "SQ":
            return None, None, ds.is_little_endian, ds.is_implicit_VR, elem.is_undefined_length
        candidates = _CAPTURED.get((int(tag), elem.file_tell), set())
        if len(candidates) != 1:
            self.problems.append(f"{path}: converted while reading; {len(candidates)} raw candidates")
        if not candidates:
            return None, None, ds.is_little_endian, ds.is_implicit_VR, elem.is_undefined_length
        file_vr, value, little, implicit = next(iter(candidates))
        return file_vr, value, little, implicit, elem.is_undefined_length

    def element(self, ds, tag, path, encodings, buffer):
        file_vr, raw_value, little, implicit, undefined = self.raw_of(ds, tag, path)
        elem = ds[tag]  # converts (and resolves an ambiguous implicit VR) the way pydicom reads it
        vr = getattr(elem.VR, "value", elem.VR)
        if file_vr == "UN" and not undefined:
            # pydicom replaces an explicit UN of a known tag by the dictionary VR; the file says UN.
            vr = "UN"
        elif file_vr is not None and vr != file_vr:
            self.problems.append(f"{path}: pydicom changed VR {file_vr} -> {vr}")

        entry = {"path": path, "vr": vr}
        if vr == "SQ":
            if undefined and not implicit and buffer is not None and elem.file_tell:
                # CP-246: pydicom reports an explicit UN of undefined length as SQ; record the VR the
                # file actually carries (the 2 bytes 8 before the value in the stream it was read from).
                if buffer[elem.file_tell - 8:elem.file_tell - 6] == b"UN":
                    entry["vr"] = "UN"
                    entry["undefinedLengthSequence"] = True
            items = list(elem.value)
            entry["items"] = len(items)
            self.elements.append(entry)
            # Items of a defined-length sequence were parsed from a copy of the sequence value, so
            # stream offsets inside them are relative to that copy; only undefined-length sequences
            # read straight from the enclosing stream.
            child_buffer = buffer if undefined else raw_value
            for index, item in enumerate(items):
                self.walk(item, f"{path}[{index}]/", encodings, child_buffer)
            return raw_value

        raw_value = raw_value or b""
        if undefined:
            entry["encapsulated"] = True
            entry.update(encapsulated(raw_value))
        elif vr in TEXT_CHARSET_VRS or vr in TEXT_ASCII_VRS:
            enc = encodings if tag != 0x00080005 else ["iso8859"]
            entry["value"] = text_components(raw_value, vr, enc)
        elif vr in NUMERIC_FORMATS:
            entry["value"] = numeric_values(raw_value, vr, little, self.problems, path)
        elif vr == "AT":
            entry["value"] = at_values(raw_value, little, self.problems, path)
        elif vr in BINARY_WORD_SIZE:
            data = to_little_endian(raw_value, BINARY_WORD_SIZE[vr], little)
            entry["length"] = len(data)
            entry["sha256"] = sha256(data)
        else:
            raise ValueError(f"{path}: unhandled VR {vr}")
        self.elements.append(entry)
        return raw_value


def dataset_stream_bytes(path, ds):
    """The bytes pydicom's top-level generator read from (inflated for the deflated transfer syntax)."""
    with open(path, "rb") as f:
        data = f.read()
    ts = str(ds.file_meta.get("TransferSyntaxUID", "")) if hasattr(ds, "file_meta") else ""
    if ts == "1.2.840.10008.1.2.1.99":
        # pydicom inflates everything after the File Meta group into a new stream starting at 0.
        start = _end_of_meta(data)
        return zlib.decompress(data[start:], -zlib.MAX_WBITS)
    return data


def _end_of_meta(data):
    pos = 132
    while pos + 8 <= len(data):
        group = struct.unpack("<H", data[pos:pos + 2])[0]
        if group != 0x0002:
            return pos
        vr = data[pos + 4:pos + 6]
        if vr in (b"OB", b"OW", b"OF", b"SQ", b"UT", b"UN"):
            length = struct.unpack("<L", data[pos + 8:pos + 12])[0]
            pos += 12 + length
        else:
            length = struct.unpack("<H", data[pos + 6:pos + 8])[0]
            pos += 8 + length
    return pos


def golden_for(path):
    name = os.path.basename(path)
    force = name in NO_META
    problems = []
    _CAPTURED.clear()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        ds = pydicom.dcmread(path, force=force)
        buffer = dataset_stream_bytes(path, ds)
        walker = Walker(problems)
        meta = getattr(ds, "file_meta", None)
        if meta is not None and len(meta):
            walker.walk(meta, "", ["iso8859"], None)
        walker.walk(ds, "", ["iso8859"], buffer)
    with open(path, "rb") as f:
        content = f.read()
    has_preamble = len(content) >= 132 and content[128:132] == b"DICM"
    ts = str(meta.get("TransferSyntaxUID", "")) if meta is not None and "TransferSyntaxUID" in meta else None
    return {
        "format": FORMAT_VERSION,
        "file": name,
        "fileLength": len(content),
        "fileSha256": sha256(content),
        "oracle": {
            "tool": "pydicom",
            "version": pydicom.__version__,
            "python": platform.python_version(),
            "command": "/usr/bin/python3 tools/oracles/make-goldens.py",
            "read": f"pydicom.dcmread(path, force={force})",
            "settings": {"explicitUN": "kept as UN (VR taken from the raw element)",
                         "privateDictionary": "off (implicit private elements are UN, creators LO)"},
        },
        "preamble": has_preamble,
        "transferSyntaxUid": ts,
        "datasetImplicitVR": bool(ds.is_implicit_VR),
        "datasetLittleEndian": bool(ds.is_little_endian),
        "oracleWarnings": sorted({str(w.message) for w in caught}),
        "oracleProblems": problems,
        "elements": walker.elements,
    }


def render(golden):
    """Header pretty-printed, then one element per line so a diff shows exactly which element moved."""
    elements = golden["elements"]
    header = dict(golden)
    header["elements"] = []
    head = json.dumps(header, indent=1, ensure_ascii=False)
    assert head.endswith('"elements": []\n}')
    lines = [json.dumps(e, ensure_ascii=False, separators=(", ", ": ")) for e in elements]
    return head[:-len('[]\n}')] + "[\n" + ",\n".join("  " + l for l in lines) + "\n ]\n}\n"


def repo_root():
    here = os.path.dirname(os.path.abspath(__file__))
    return os.path.dirname(os.path.dirname(here))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--samples", default=os.path.join(repo_root(), "testdata", "dicom"))
    parser.add_argument("--out", default=os.path.join(repo_root(), "tests", "CloudArchive.Dicom.Tests", "Goldens"))
    parser.add_argument("--check", action="store_true", help="compare with the committed goldens instead of writing")
    args = parser.parse_args()
    configure_pydicom()

    names = sorted(n for n in os.listdir(args.samples)
                   if (n.endswith(".dcm") or n == "DICOMDIR") and n not in BROKEN)
    os.makedirs(args.out, exist_ok=True)
    differing = []
    for name in names:
        golden = golden_for(os.path.join(args.samples, name))
        text = render(golden)
        target = os.path.join(args.out, name + ".json")
        if args.check:
            existing = open(target, encoding="utf-8").read() if os.path.exists(target) else None
            if existing != text:
                differing.append(name)
        else:
            with open(target, "w", encoding="utf-8", newline="\n") as f:
                f.write(text)
        flag = "  PROBLEMS: " + "; ".join(golden["oracleProblems"]) if golden["oracleProblems"] else ""
        print(f"{name}: {len(golden['elements'])} elements{flag}")
    print(f"skipped (deliberately broken): {', '.join(sorted(BROKEN))}")
    if differing:
        print("golden differs: " + ", ".join(differing), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
