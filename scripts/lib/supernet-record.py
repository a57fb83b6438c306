"""Records a shipped supernet in www/data/supernets.json: file name, size, SHA-256, how it
was trained, and its check (`aebnas supernet --check` JSON: test accuracy of the largest
subnet, of the smallest at the native and at the lowest resolution, on the shipped split; the
largest one's first predictions).

Usage: supernet-record.py DATASET_ID FILE CHECK_JSON EPOCHS"""
import hashlib, json, os, sys

ds, path, check, epochs = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
out = os.path.join(os.path.dirname(path), "supernets.json")
record = json.load(open(out)) if os.path.exists(out) else {}
data = open(path, "rb").read()
record[ds] = {
    "file": os.path.basename(path),
    "bytes": len(data),
    "sha256": hashlib.sha256(data).hexdigest(),
    "epochs": epochs,
    "seed": 1,
    "made_by": "scripts/train-supernets",
    "check": json.load(open(check)),
}
with open(out, "w") as f:
    json.dump(record, f, indent=2, sort_keys=True)
    f.write("\n")
c = record[ds]["check"]
print(f"{ds}: {len(data)} bytes, sha256 {record[ds]['sha256']}, largest subnet "
      f"{100 * c['largest']['test_accuracy']:.2f} %, smallest "
      f"{100 * c['smallest_lowest_resolution']['test_accuracy']:.2f} % at "
      f"{c['smallest_lowest_resolution']['resolution']} px, {100 * c['smallest']['test_accuracy']:.2f} % "
      f"at 28 px (shipped test split)")
