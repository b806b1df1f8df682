"""Writes the golden safetensors files this package's tests read (src/__fixtures__).

Run with Debian's interpreter: /usr/bin/python3 packages/safetensors/scripts/generate_fixtures.py
Needs numpy and torch (for bfloat16 rounding); no safetensors module: the bytes are laid out here
by hand from the format's definition (u64 little-endian header length, compact JSON header with
__metadata__ first, tensors sorted by dtype alignment descending then by name, header padded with
spaces to 8 bytes, little-endian data), independently of the TypeScript writer. Also writes
rounding.golden.json: float32 values and the float16 / bfloat16 bits PyTorch rounds them to.
"""

import json
import pathlib
import struct
import zlib

import numpy as np
import torch

OUT = pathlib.Path(__file__).resolve().parent.parent / "src" / "__fixtures__"
# The format's dtype order (increasing alignment); the writer sorts by it, descending.
ORDER = ["BOOL", "U8", "I8", "F8_E5M2", "F8_E4M3", "I16", "U16", "F16", "BF16", "I32", "U32", "F32", "F64", "I64", "U64"]


def bfloat16_bits(values):
    bits = torch.tensor(values, dtype=torch.float32).to(torch.bfloat16).view(torch.int16).numpy()
    return bits.astype(np.uint16)


def tensors():
    half_values = np.array([0.0, -0.0, 1.0, -2.5, 65504.0, 6.0e-8, 0.333, np.inf], dtype=np.float16)
    bf_values = [1.0, -3.140625, 1.0e30, -1.0e-20, 0.1]
    return {
        "weight": ("F32", [2, 3], np.array([[0.5, -1.25, 3.0e-7], [1.0e20, -0.0, 7.75]], dtype="<f4")),
        "count": ("I32", [2], np.array([-2147483648, 2147483647], dtype="<i4")),
        "double": ("F64", [2], np.array([np.pi, -1.0e-300], dtype="<f8")),
        "ids": ("I64", [3], np.array([-1, 9007199254740993, -9007199254740993], dtype="<i8")),
        "half": ("F16", [2, 4], half_values.reshape(2, 4).astype("<f2")),
        "bf": ("BF16", [5], bfloat16_bits(bf_values).astype("<u2")),
        "bytes": ("U8", [3], np.array([0, 127, 255], dtype="u1")),
        "mask": ("BOOL", [2], np.array([1, 0], dtype="u1")),
        "empty": ("F32", [0, 4], np.zeros((0, 4), dtype="<f4")),
    }


def text_field(text):
    """A string as the checksum reads it: its UTF-8 byte length (u32 little-endian), then its bytes."""
    raw = text.encode("utf-8")
    return struct.pack("<I", len(raw)) + raw


def content_checksum(metadata, named):
    """CRC-32 of the metadata (keys sorted, content_crc32 left out) and the tensors sorted by name."""
    stream = b""
    for key in sorted(metadata):
        if key != "content_crc32":
            stream += text_field(key) + text_field(metadata[key])
    for name in sorted(named):
        dtype, shape, array = named[name]
        stream += text_field(name) + text_field(dtype) + text_field(",".join(str(d) for d in shape))
        stream += array.tobytes()
    return format(zlib.crc32(stream) & 0xFFFFFFFF, "08x")


def write(path, named, metadata):
    ordered = sorted(named.items(), key=lambda item: (-ORDER.index(item[1][0]), item[0]))
    header = {}
    if metadata is not None:
        header["__metadata__"] = metadata
    offset = 0
    chunks = []
    for name, (dtype, shape, array) in ordered:
        raw = array.tobytes()
        header[name] = {"dtype": dtype, "shape": shape, "data_offsets": [offset, offset + len(raw)]}
        offset += len(raw)
        chunks.append(raw)
    text = json.dumps(header, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    text += b" " * ((8 - len(text) % 8) % 8)
    path.write_bytes(struct.pack("<Q", len(text)) + text + b"".join(chunks))


def expected(named):
    """Values as float64 (upcast from float16/bfloat16), integers as decimal strings, and raw bits."""
    result = {}
    for name, (dtype, shape, array) in named.items():
        entry = {"dtype": dtype, "shape": shape}
        if dtype == "F16":
            entry["values"] = [float(v) if np.isfinite(v) else str(v) for v in array.astype(np.float32).ravel()]
            entry["bits"] = [int(b) for b in array.view("<u2").ravel()]
        elif dtype == "BF16":
            upcast = torch.from_numpy(array.astype(np.int16)).view(torch.bfloat16).to(torch.float64).numpy()
            entry["values"] = [float(v) for v in upcast.ravel()]
            entry["bits"] = [int(b) for b in array.ravel()]
        elif dtype in ("I64", "U64"):
            entry["values"] = [str(int(v)) for v in array.ravel()]
        else:
            entry["values"] = [float(v) for v in array.astype(np.float64).ravel()]
        result[name] = entry
    return result


def rounding_cases():
    """float32 values and the float16 / bfloat16 bits PyTorch rounds them to (ties to even):
    halfway cases, the float16 overflow threshold 65520, subnormals, signed zeros, infinities, and
    a seeded spread of ordinary values."""
    edges = [0.0, -0.0, 1.0, -2.0, 65504.0, 65519.99, 65520.0, 65536.0, 1e9, -1e9, 2.0**-14,
             2.0**-24, 2.0**-25, 2.0**-25 * 1.0000001, 3 * 2.0**-25, 2.0**-26, 1e-10, 0.1, 1 / 3,
             1 + 2.0**-11, 1 + 3 * 2.0**-11, 1 + 2.0**-11 + 2.0**-20, 2.0**-14 * (1 - 2.0**-11),
             -7.0001, 6.1e-5, -6e-8, float("inf"), float("-inf"), 3.3895313892515355e38,
             1 + 2.0**-8, 1 + 3 * 2.0**-8, 1 + 2.0**-8 + 2.0**-20, -(1 + 2.0**-8)]
    spread = np.random.default_rng(7).standard_normal(200) * np.exp(np.random.default_rng(8).uniform(-20, 12, 200))
    values = torch.tensor(edges + spread.tolist(), dtype=torch.float32)
    return {
        "float32Bits": [int(b) for b in values.view(torch.int32).numpy().astype(np.uint32)],
        "float16Bits": [int(b) for b in values.to(torch.float16).view(torch.int16).numpy().astype(np.uint16)],
        "bfloat16Bits": [int(b) for b in values.to(torch.bfloat16).view(torch.int16).numpy().astype(np.uint16)],
    }


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "rounding.golden.json").write_text(json.dumps(rounding_cases()) + "\n")
    named = tensors()
    write(OUT / "mixed.safetensors", named, {"format": "pt"})
    write(OUT / "no-metadata.safetensors", {"weight": named["weight"], "double": named["double"]}, None)
    # A content checksum computed here with zlib, first in __metadata__ as the TypeScript writer puts it.
    metadata = {"format": "pt", "note": "ünïcode [{ not JSON }]"}
    write(OUT / "checksummed.safetensors", named, {"content_crc32": content_checksum(metadata, named), **metadata})
    (OUT / "mixed.golden.json").write_text(json.dumps(expected(named), indent=1) + "\n")


if __name__ == "__main__":
    main()
