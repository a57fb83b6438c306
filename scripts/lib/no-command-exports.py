#!/usr/bin/env python3
"""Fails when a wasm file carries wasm-ld's "command" export wrappers.

A wasm binary that never names `__wasm_call_ctors` gets every export wrapped in a call
to it (`<export>.command_export` in the name section): all static constructors then re-run
on each call from JavaScript, which made WebGPU training in the wasm tests ~5x slower.
The binaries and the wasm tests call the constructors once (`src/bin/shared/ctors.rs`);
this check keeps it that way. Usage: no-command-exports.py FILE.wasm...
"""
import sys


def leb128(data, i):
    value = shift = 0
    while True:
        byte = data[i]
        i += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return value, i


def wrapped_exports(path):
    data = open(path, "rb").read()
    if data[:4] != b"\0asm":
        sys.exit(f"{path}: not a wasm module")
    i = 8
    while i < len(data):
        section, i = data[i], i + 1
        size, i = leb128(data, i)
        end = i + size
        if section == 0:
            length, j = leb128(data, i)
            if data[j : j + length] == b"name":
                return data[j + length : end].count(b".command_export")
        i = end
    return 0


failed = False
for path in sys.argv[1:]:
    count = wrapped_exports(path)
    if count:
        print(f"{path}: {count} exports wrapped in __wasm_call_ctors (call the static "
              "constructors once: src/bin/shared/ctors.rs)", file=sys.stderr)
        failed = True
sys.exit(1 if failed else 0)
