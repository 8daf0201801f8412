#!/usr/bin/env python3
"""Checks a Docket export (`docket export`) against doc/format.md, with Python's standard library only.

Usage: verify_export.py EXPORT.jsonl   (or "-" for standard input)

The first line describes the export: {"docket_export": 1, "format_version": 4, "from": F,
"to": T, "records": N, "previous_hash": hex}. Every further line is one log record:
{"position": p, "hash": hex, "envelope": base64, ...}. For each record, in order, this checks that
  - positions run F, F+1, ... with no gap, and end at T after N records;
  - hash(p) = SHA-256(hash(p-1) || envelope bytes), starting from previous_hash (for F = 1, the
    32 zero bytes of hash(0));
  - the envelope is a FlatBuffers table whose field 0 (`position`, a ulong) equals p.
Prints "ok: …" and exits 0 when everything holds; otherwise names the first bad position and
exits 1. Exit 2 means the file is not an export at all.
"""
import base64
import hashlib
import json
import struct
import sys

GENESIS = bytes(32)


class Bad(Exception):
    """The export breaks the chain at a position."""

    def __init__(self, position, message):
        super().__init__(message)
        self.position = position


def envelope_position(envelope):
    """Field id 0 (ulong) of the FlatBuffers root table, or None when it cannot be read."""
    try:
        (root,) = struct.unpack_from("<I", envelope, 0)
        (vtable_offset,) = struct.unpack_from("<i", envelope, root)
        vtable = root - vtable_offset
        (vtable_size,) = struct.unpack_from("<H", envelope, vtable)
        if vtable_size < 6:  # 2 bytes vtable size, 2 bytes table size, then field 0's offset
            return None
        (field_offset,) = struct.unpack_from("<H", envelope, vtable + 4)
        if field_offset == 0:
            return 0  # absent: the default
        (value,) = struct.unpack_from("<Q", envelope, root + field_offset)
        return value
    except struct.error:
        return None


def hex_hash(text, position, what):
    try:
        value = bytes.fromhex(text)
    except (TypeError, ValueError):
        raise Bad(position, f"Expected {what} to be hex, but it is {text!r}")
    if len(value) != 32:
        raise Bad(position, f"Expected {what} to be 32 bytes, but it is {len(value)}")
    return value


def verify(lines):
    header_line = next(lines, None)
    if header_line is None:
        raise ValueError("Expected an export header line, but the file is empty")
    header = json.loads(header_line)
    if header.get("docket_export") != 1:
        raise ValueError("Expected a docket export (header docket_export = 1), but it is not one")
    # Versions 1 and 2 differ only in how the store keeps blobs; the log and the chain are the same.
    # Formats 1 to 3 share the envelope and the chain (3 moved credentials out of the events).
    if header.get("format_version") not in (1, 2, 3, 4):
        raise ValueError(
            f"Expected format version 1, 2, 3 or 4, but the export has "
            f"{header.get('format_version')}")
    first = int(header["from"])
    last = int(header["to"])
    count = int(header["records"])
    previous = hex_hash(header["previous_hash"], first, "previous_hash")
    if first == 1 and previous != GENESIS:
        raise Bad(1, "Expected hash(0) to be 32 zero bytes for an export from position 1, but it is not")

    expected = first
    seen = 0
    for number, line in enumerate(lines, start=2):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as e:
            raise Bad(expected, f"Expected line {number} to be JSON, but {e}")
        position = record.get("position")
        if position != expected:
            raise Bad(expected, f"Expected position {expected} next, but line {number} has {position}")
        try:
            envelope = base64.b64decode(record["envelope"], validate=True)
        except (KeyError, TypeError, ValueError):
            raise Bad(expected, f"Expected the envelope at position {expected} in base64, but it is not")
        stored = hex_hash(record.get("hash"), expected, f"the hash at position {expected}")
        computed = hashlib.sha256(previous + envelope).digest()
        if computed != stored:
            raise Bad(expected, f"Expected the hash at position {expected} to equal "
                                f"SHA-256(previous hash || envelope), but it does not")
        named = envelope_position(envelope)
        if named != expected:
            raise Bad(expected, f"Expected the envelope at position {expected} to name that position, "
                                f"but it names {named}")
        previous = stored
        expected += 1
        seen += 1
    if seen != count or (count > 0 and expected - 1 != last):
        raise Bad(expected, f"Expected {count} records ending at position {last}, "
                            f"but the export has {seen} ending at {expected - 1}")
    return first, expected - 1, seen, previous.hex()


def main(argv):
    if len(argv) != 2:
        print("usage: verify_export.py EXPORT.jsonl", file=sys.stderr)
        return 2
    source = sys.stdin if argv[1] == "-" else open(argv[1], encoding="utf-8")
    try:
        with source:
            first, last, seen, tip = verify(iter(source))
    except Bad as bad:
        print(f"bad: position {bad.position}: {bad}", file=sys.stderr)
        return 1
    except (ValueError, KeyError, TypeError) as e:
        print(f"not an export: {e}", file=sys.stderr)
        return 2
    print(f"ok: {seen} records, positions {first} … {last}, tip {tip}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
