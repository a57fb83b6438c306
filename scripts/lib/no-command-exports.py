#!/usr/bin/env python3
"""Fails when a wasm file carries wasm-ld's "command" export wrappers.

A wasm binary that never names `__wasm_call_ctors` gets every export wrapped in a call
to it (`<export>.command_export` in the name section): all static constructors then re-run
on each call from JavaScript, which made WebGPU training in the wasm tests ~5x slower.
The binaries and the wasm tests call the constructors once (`src/bin/shared/ctors.rs`);
this check keeps it that way. Usage: no-command-exports.py FILE.wasm...
"""
import sys

from wasm_sections import custom, sections


def wrapped_exports(path):
    data = open(path, "rb").read()
    if data[:4] != b"\0asm":
        sys.exit(f"{path}: not a wasm module")
    for section, payload in sections(data):
        if section == 0:
            name, contents = custom(payload)
            if name == b"name":
                return contents.count(b".command_export")
    return 0


failed = False
for path in sys.argv[1:]:
    count = wrapped_exports(path)
    if count:
        print(f"{path}: {count} exports wrapped in __wasm_call_ctors (call the static "
              "constructors once: src/bin/shared/ctors.rs)", file=sys.stderr)
        failed = True
sys.exit(1 if failed else 0)
