"""Training images for a shipped supernet: every image of the original training file that
is NOT in the shipped training subset (www/data), so the candidates' validation hold-out
(taken from the shipped subset) and the test split (from the original test file) stay
disjoint from everything the supernet trains on.

Usage: supernet-data.py FULL_IMAGES FULL_LABELS SHIPPED_IMAGES SHIPPED_LABELS SHIPPED_TEST_IMAGES SHIPPED_TEST_LABELS OUT_DIR

Writes OUT_DIR/{train,t10k}-{images-idx3,labels-idx1}-ubyte (uncompressed IDX; the test pair
is the shipped test subset, for the report only). An original image equal (same pixels and
label) to a shipped one is left out too, so a duplicate cannot leak the subset back in.
"""
import gzip, hashlib, os, struct, sys


def read(path):
    with open(path, "rb") as f:
        data = f.read()
    return gzip.decompress(data) if path.endswith(".gz") else data


def parse(data, ndim):
    magic, = struct.unpack(">I", data[:4])
    assert magic == 0x800 + ndim, f"bad IDX magic {magic:#x}"
    dims = struct.unpack(">" + "I" * ndim, data[4:4 + 4 * ndim])
    return dims, data[4 + 4 * ndim:]


def images_labels(img_path, lab_path):
    (n, h, w), px = parse(read(img_path), 3)
    (m,), lab = parse(read(lab_path), 1)
    assert n == m, "images and labels differ in count"
    size = h * w
    return [(lab[i], px[i * size:(i + 1) * size]) for i in range(n)], (h, w)


def write(out, name, dims, payload):
    ndim = len(dims)
    with open(os.path.join(out, name), "wb") as f:
        f.write(struct.pack(">I", 0x800 + ndim) + struct.pack(">" + "I" * ndim, *dims) + payload)


def main():
    full_i, full_l, sub_i, sub_l, test_i, test_l, out = sys.argv[1:8]
    full, (h, w) = images_labels(full_i, full_l)
    shipped, _ = images_labels(sub_i, sub_l)
    test, _ = images_labels(test_i, test_l)
    key = lambda s: hashlib.sha256(bytes([s[0]]) + s[1]).digest()
    taken = {key(s) for s in shipped}
    rest = [s for s in full if key(s) not in taken]
    os.makedirs(out, exist_ok=True)
    for prefix, samples in (("train", rest), ("t10k", test)):
        write(out, f"{prefix}-images-idx3-ubyte", (len(samples), h, w), b"".join(s[1] for s in samples))
        write(out, f"{prefix}-labels-idx1-ubyte", (len(samples),), bytes(s[0] for s in samples))
    print(f"supernet-data: {len(full)} original training images, {len(shipped)} shipped, "
          f"{len(full) - len(rest)} left out, {len(rest)} to train on; {len(test)} test images (report only)")


main()
