#!/usr/bin/env python3
"""Write the malformed tensor files that test_wl_tensor feeds to the .npy and
.safetensors readers. Each must be rejected with PS_EINPUT and the message
fragment listed for it in tests/unit/test_wl_tensor.c (bad_files[]).

Standard library only. Run: python3 tests/data/bad/tensors/make-bad.py
"""
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))


def write(name, data):
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(data)


def npy(header, body=b"", version=1, hlen=None):
    """A .npy file with the given dict text, padded as numpy pads it."""
    pre = 10 if version == 1 else 12
    h = header.encode()
    h += b" " * (-(pre + len(h) + 1) % 64) + b"\n"
    n = len(h) if hlen is None else hlen
    size = struct.pack("<H", n) if version == 1 else struct.pack("<I", n)
    return b"\x93NUMPY" + bytes([version, 0]) + size + h + body


def st(header, body=b"", hlen=None):
    h = header if isinstance(header, bytes) else header.encode()
    return struct.pack("<Q", len(h) if hlen is None else hlen) + h + body


def d(descr="<f4", fortran="False", shape="(2, 3)"):
    return "{'descr': '%s', 'fortran_order': %s, 'shape': %s, }" % (
        descr, fortran, shape)


F24 = bytes(24)
ST1 = '{"w":{"dtype":"%s","shape":%s,"data_offsets":[%d,%d]}}'


def main():
    good = npy(d(), F24)
    write("npy-empty.npy", b"")
    write("npy-bad-magic.npy", b"\x93NUMPX" + good[6:])
    write("npy-version-9.npy", good[:6] + b"\x09\x00" + good[8:])
    write("npy-truncated-header.npy", good[:40])
    write("npy-header-beyond.npy", npy(d(), F24, hlen=0xFFFF))
    write("npy-v2-header-beyond.npy", npy(d(), F24, version=2, hlen=0xFFFFFFFF))
    write("npy-truncated-body.npy", good[:-4])
    write("npy-trailing-bytes.npy", good + b"\0\0\0\0")
    write("npy-big-endian.npy", npy(d(descr=">f4"), F24))
    write("npy-native-order.npy", npy(d(descr="=f4"), F24))
    write("npy-dtype-i8.npy", npy(d(descr="<i8"), bytes(48)))
    write("npy-fortran.npy", npy(d(fortran="True"), F24))
    write("npy-negative-shape.npy", npy(d(shape="(-2, 3)"), F24))
    write("npy-huge-shape.npy", npy(d(shape="(4294967296, 4294967296, 16)")))
    write("npy-5d.npy", npy(d(shape="(1, 1, 1, 2, 3)"), F24))
    write("npy-not-tuple.npy", npy(d(shape="(6)"), F24))
    write("npy-bad-dict.npy", npy("{'descr': '<f4' 'fortran_order': False}", F24))
    write("npy-missing-shape.npy", npy("{'descr': '<f4', 'fortran_order': False}", F24))
    write("npy-unknown-key.npy", npy(d()[:-1] + "'x': 1, }", F24))

    f16 = bytes(16)
    write("st-short.safetensors", b"\x10\0\0\0")
    write("st-header-beyond.safetensors", st(ST1 % ("F32", "[4]", 0, 16), f16, hlen=1000))
    write("st-header-huge.safetensors", st(ST1 % ("F32", "[4]", 0, 16), f16, hlen=1 << 40))
    write("st-bad-json.safetensors", st('{"w":{"dtype":"F32",}}', f16))
    write("st-trailing-comma.safetensors", st((ST1 % ("F32", "[4]", 0, 16))[:-1] + ",}", f16))
    write("st-junk-after.safetensors", st(ST1 % ("F32", "[4]", 0, 16) + " x", f16))
    write("st-lone-surrogate.safetensors", st((ST1 % ("F32", "[4]", 0, 16)).replace('"w"', '"w\\ud800"'), f16))
    write("st-overlong-utf8.safetensors", st((ST1 % ("F32", "[4]", 0, 16)).encode().replace(b'"w"', b'"w\xc0\xaf"'), f16))
    write("st-not-object.safetensors", st("[1, 2]", f16))
    write("st-dtype-i64.safetensors", st(ST1 % ("I64", "[2]", 0, 16), f16))
    write("st-dtype-unknown.safetensors", st(ST1 % ("Q7", "[4]", 0, 16), f16))
    write("st-negative-shape.safetensors", st(ST1 % ("F32", "[-4]", 0, 16), f16))
    write("st-huge-shape.safetensors", st(ST1 % ("F32", "[4294967296,4294967296,2]", 0, 16), f16))
    write("st-size-mismatch.safetensors", st(ST1 % ("F32", "[2,2]", 0, 12), f16))
    write("st-offsets-beyond.safetensors", st(ST1 % ("F32", "[400]", 0, 1600), f16))
    write("st-offsets-reversed.safetensors", st(ST1 % ("F32", "[4]", 16, 0), f16))
    write("st-overlap.safetensors", st(
        '{"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]},'
        '"b":{"dtype":"F32","shape":[4],"data_offsets":[8,24]}}', bytes(24)))
    write("st-duplicate.safetensors", st(
        '{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},'
        '"a":{"dtype":"F32","shape":[2],"data_offsets":[8,16]}}', f16))
    write("st-missing-field.safetensors", st('{"w":{"dtype":"F32","shape":[4]}}', f16))
    write("st-metadata-number.safetensors", st(
        '{"__metadata__":{"a":1},' + (ST1 % ("F32", "[4]", 0, 16))[1:], f16))
    write("st-5d.safetensors", st(ST1 % ("F32", "[1,1,1,1,4]", 0, 16), f16))
    write("st-fraction.safetensors", st(ST1 % ("F32", "[4.0]", 0, 16), f16))


if __name__ == "__main__":
    main()
