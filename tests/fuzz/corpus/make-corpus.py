#!/usr/bin/env python3
"""Write the seed corpora for tests/fuzz/fuzz_npy.c and fuzz_safetensors.c.

The .npy seeds are written by numpy itself (Debian: python3-numpy), so the
fuzzers start from exactly what real users feed pesim; test_wl_tensor also
loads them and checks the values below, which cross-checks our reader
against numpy's writer. The .safetensors seeds follow the format doc
(u64 LE header length, JSON header padded with spaces to 8 bytes, data).

Run from anywhere: python3 tests/fuzz/corpus/make-corpus.py
"""
import json
import os
import struct

import numpy as np
from numpy.lib import format as npf

HERE = os.path.dirname(os.path.abspath(__file__))


def npy(name, arr, version=None):
    path = os.path.join(HERE, "npy", name)
    with open(path, "wb") as f:
        if version is None:
            np.save(f, arr)
        else:
            npf.write_array(f, arr, version=version)


def safetensors(name, tensors, metadata=None):
    """tensors: list of (name, dtype, shape, raw bytes)."""
    header, data = {}, b""
    if metadata is not None:
        header["__metadata__"] = metadata
    for tname, dtype, shape, raw in tensors:
        header[tname] = {"dtype": dtype, "shape": shape,
                         "data_offsets": [len(data), len(data) + len(raw)]}
        data += raw
    h = json.dumps(header, separators=(",", ":")).encode()
    h += b" " * (-len(h) % 8)
    with open(os.path.join(HERE, "safetensors", name), "wb") as f:
        f.write(struct.pack("<Q", len(h)) + h + data)


def main():
    os.makedirs(os.path.join(HERE, "npy"), exist_ok=True)
    os.makedirs(os.path.join(HERE, "safetensors"), exist_ok=True)

    # Values asserted by tests/unit/test_wl_tensor.c (test_npy_numpy_written).
    npy("f4-v1.npy", np.arange(12, dtype="<f4").reshape(3, 4) * 0.25 - 1)
    npy("f4-v2.npy", np.arange(8, dtype="<f4").reshape(2, 2, 2) - 3.5,
        version=(2, 0))
    npy("f4-v3.npy", np.array([1.5, -0.0], dtype="<f4"), version=(3, 0))
    npy("f2-v1.npy", np.array([0, 1, -2, 65504, 2.0**-24, np.inf, -0.0, 0.5],
                              dtype="<f2"))
    # bfloat16 has no numpy dtype; its bit patterns travel as <u2.
    npy("u2-bf16-v1.npy", np.array([0x3F80, 0xC000, 0x7F80, 0x0001, 0x4049],
                                   dtype="<u2"))
    npy("f4-scalar.npy", np.array(3.5, dtype="<f4"))
    npy("f4-empty.npy", np.zeros((0, 4), dtype="<f4"))
    npy("f4-4d.npy", np.arange(6, dtype="<f4").reshape(1, 2, 1, 3))

    f32 = struct.pack("<6f", 1, -2, 0.5, 0, 3, -0.25)
    safetensors("one-f32.safetensors", [("w", "F32", [2, 3], f32)],
                metadata={"format": "pt"})
    safetensors("multi.safetensors", [
        ("a", "F16", [4], struct.pack("<4H", 0x3C00, 0xC000, 0x0001, 0x7C00)),
        ("b", "BF16", [2, 2], struct.pack("<4H", 0x3F80, 0x4000, 0xBF80, 0)),
        ("c", "F32", [], struct.pack("<f", 7.0)),
        ("ids", "I64", [3], struct.pack("<3q", 1, 2, 3)),
    ])
    safetensors("escaped-name.safetensors",
                [("layer\u00e9.\U0001F600\"w\"", "F32", [1], struct.pack("<f", 2.0))],
                metadata={"k\n": "v\\"})
    safetensors("empty-tensor.safetensors", [("e", "F16", [0, 8], b"")])


if __name__ == "__main__":
    main()
