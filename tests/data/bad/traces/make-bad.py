#!/usr/bin/env python3
"""Make the bad trace files the unit tests feed to the reader, each breaking
one thing in good-small.pest (pesim compile --arch tests/data/arch/tiny.yaml
--gemm 8x256x16). Rerun after a trace format change."""
import struct, zlib

good = open("good-small.pest", "rb").read()
H, R = 64, 40


def fix_crc(b):
    b = bytearray(b)
    struct.pack_into("<I", b, 40, zlib.crc32(bytes(b[H:])) & 0xffffffff)
    return bytes(b)


def patch(b, off, fmt, val, crc=True):
    b = bytearray(b)
    struct.pack_into(fmt, b, off, val)
    return fix_crc(b) if crc else bytes(b)


rec = lambda i: H + i * R
out = {
    "bad-magic.pest": patch(good, 0, "<B", ord("Q"), crc=False),
    "bad-version.pest": patch(good, 8, "<I", 7, crc=False),
    "truncated-header.pest": good[:20],
    "truncated-body.pest": good[:600],
    "bad-crc.pest": patch(good, rec(1) + 24, "<Q", 12345, crc=False),
    "bad-opcode.pest": patch(good, rec(1), "<B", 200),
    "zero-repeat.pest": patch(good, rec(1) + 4, "<I", 0),
    "unused-field.pest": patch(good, rec(6) + 3, "<B", 3),
    "bad-flags.pest": patch(good, rec(1) + 1, "<B", 0x80),
    "zero-count.pest": patch(good, 32, "<Q", 0, crc=False),
}
end = bytearray(good)
end[rec(1):rec(2)] = bytes([9]) + bytes(R - 1)
out["end-early.pest"] = fix_crc(end)
for name, data in out.items():
    open(name, "wb").write(data)
