"""Reading a WebAssembly binary's sections (shared by scripts/lib/no-command-exports.py
and bench/wasm-size-by-crate.py)."""


def leb128(data, i):
    """The unsigned LEB128 number at `data[i]` and the index after it."""
    value = shift = 0
    while True:
        byte = data[i]
        i += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return value, i


def sections(data):
    """`(id, payload)` of each section after the 8-byte header."""
    i = 8
    while i < len(data):
        section = data[i]
        size, i = leb128(data, i + 1)
        yield section, data[i:i + size]
        i += size


def custom(payload):
    """`(name, contents)` of a custom section's payload (section id 0)."""
    length, j = leb128(payload, 0)
    return payload[j:j + length], payload[j + length:]
