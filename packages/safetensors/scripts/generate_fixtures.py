"""Writes the golden safetensors files this package's tests read (src/__fixtures__).

Run with Debian's interpreter: /usr/bin/python3 packages/safetensors/scripts/generate_fixtures.py
Needs numpy and torch (for bfloat16 rounding); no safetensors module: the bytes are laid out here
by hand from the format's definition (u64 little-endian header length, compact JSON header with
__metadata__ first, tensors sorted by dtype alignment descending then by name, header padded with
spaces to 8 bytes, little-endian data), independently of the TypeScript writer.
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


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    named = tensors()
    write(OUT / "mixed.safetensors", named, {"format": "pt"})
    write(OUT / "no-metadata.safetensors", {"weight": named["weight"], "double": named["double"]}, None)
    # A content checksum computed here with zlib, first in __metadata__ as the TypeScript writer puts it.
    metadata = {"format": "pt", "note": "ünïcode [{ not JSON }]"}
    write(OUT / "checksummed.safetensors", named, {"content_crc32": content_checksum(metadata, named), **metadata})
    (OUT / "mixed.golden.json").write_text(json.dumps(expected(named), indent=1) + "\n")


if __name__ == "__main__":
    main()
