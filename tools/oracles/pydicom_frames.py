#!/usr/bin/python3
"""Prints the SHA-256 of each frame of a file's Pixel Data, as pydicom splits it: the oracle for WADO-RS /frames.

Usage: pydicom_frames.py FILE
Native pixel data: the frame's bytes in little endian (pydicom's pixel_array, so big endian files are swapped).
Encapsulated: pydicom.encaps.generate_pixel_data_frame (fragments joined per frame, offset table honoured).
Output: one JSON array of hex digests.
"""
import hashlib
import json
import sys

import pydicom
from pydicom.encaps import generate_pixel_data_frame


def main():
    ds = pydicom.dcmread(sys.argv[1])
    frames = int(ds.get("NumberOfFrames", 1) or 1)
    if ds.file_meta.TransferSyntaxUID.is_compressed:
        data = list(generate_pixel_data_frame(ds.PixelData, frames))
    else:
        arr = ds.pixel_array
        if frames == 1:
            arr = arr.reshape((1,) + arr.shape)
        data = [f.astype(f.dtype.newbyteorder("<")).tobytes() for f in arr]
    json.dump([hashlib.sha256(f).hexdigest() for f in data], sys.stdout)


if __name__ == "__main__":
    main()
