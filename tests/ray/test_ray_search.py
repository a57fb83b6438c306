"""A search through scripts/ray-search on a local Ray cluster (a head without CPUs and two
one-CPU worker nodes), one worker node killed while it evaluates a candidate: the results
file equals the one single-process `aebnas search` writes with the same seed and budget
(same genomes, same validation and test figures, front, reference point, hypervolumes;
only the measured times differ).

    $RAY_VENV/bin/python tests/ray/test_ray_search.py PATH/TO/aebnas

scripts/test runs it with the debug binary of the native tests (CPU backend).
"""
import json
import os
import pathlib
import subprocess
import sys
import tempfile
import time
import unittest

import ray
from ray.cluster_utils import Cluster

ROOT = pathlib.Path(__file__).resolve().parents[2]
AEBNAS = os.environ.get("AEBNAS", "")
# Small enough for a 2-core machine: 5 networks of 256 training samples, 2 iterations.
SETTINGS = ["--dataset", "fashion-mnist", "--seed", "3", "--epochs", "1", "--train-samples", "256",
            "--doe", "3", "--iterations", "1", "--per-iter", "2", "--mac-target", "1.5M"]


def untimed(path):
    """The results file without its measured times."""
    run = json.loads(pathlib.Path(path).read_text())
    run["wall_seconds"] = 0
    for c in run["archive"]:
        c["train_seconds"] = 0
    return run


class RaySearch(unittest.TestCase):
    def test_a_killed_worker_node_does_not_change_the_run(self):
        work = pathlib.Path(tempfile.mkdtemp(prefix="aebnas-ray-"))
        single = work / "single.json"
        subprocess.run([AEBNAS, "search", "--jobs", "1", "--out", str(single), *SETTINGS],
                       cwd=ROOT, check=True, capture_output=True)

        small = {"object_store_memory": 100 * 1024 * 1024}
        cluster = Cluster(initialize_head=True,
                          head_node_args={"num_cpus": 0, "include_dashboard": False, **small})
        try:
            victim = cluster.add_node(num_cpus=1, **small)
            cluster.add_node(num_cpus=1, **small)
            cluster.wait_for_nodes()
            progress = work / "progress"
            progress.mkdir()
            out = work / "ray.json"
            driver = subprocess.Popen(
                [sys.executable, str(ROOT / "scripts/ray-search"), "--aebnas", AEBNAS,
                 "--address", cluster.address, "--run", str(out), "--workdir", str(ROOT),
                 "--progress-dir", str(progress), "--max-retries", "3", "--", *SETTINGS],
                cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            # Kill the victim node as soon as it has started evaluating a candidate.
            deadline = time.time() + 300
            while not list(progress.glob(f"started-*-{victim.node_id}")):
                self.assertIsNone(driver.poll(), "the search ended before the victim node ran a task")
                self.assertLess(time.time(), deadline, "the victim node never ran a task")
                time.sleep(0.1)
            killed_slot = next(progress.glob(f"started-*-{victim.node_id}")).name.split("-")[1]
            cluster.remove_node(victim, allow_graceful=False)
            stdout, stderr = driver.communicate(timeout=600)
            self.assertEqual(driver.returncode, 0, stderr)
        finally:
            ray.shutdown()
            cluster.shutdown()

        # The victim's candidate ran again on the other node.
        runs = [p.name for p in progress.glob(f"started-{killed_slot}-*")]
        self.assertGreaterEqual(len(runs), 2, runs)
        self.assertTrue(any(victim.node_id not in r for r in runs), runs)
        ray_run, single_run = untimed(out), untimed(single)
        self.assertEqual(len(ray_run["archive"]), 5)
        self.assertEqual([c["genome"] for c in ray_run["archive"]],
                         [c["genome"] for c in single_run["archive"]])
        self.assertEqual([(c["val_accuracy"], c["val_avg_macs"]) for c in ray_run["archive"]],
                         [(c["val_accuracy"], c["val_avg_macs"]) for c in single_run["archive"]])
        self.assertEqual(ray_run, single_run)


if __name__ == "__main__":
    if len(sys.argv) > 1 and not sys.argv[1].startswith("-"):
        AEBNAS = str(pathlib.Path(sys.argv.pop(1)).resolve())
    if not AEBNAS or not os.access(AEBNAS, os.X_OK):
        sys.exit("usage: test_ray_search.py PATH/TO/aebnas (or AEBNAS=...)")
    unittest.main()
