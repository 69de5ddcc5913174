"""The widgets' front-end logic, tested with node's own test runner (no npm packages needed)."""

from __future__ import annotations

import re
import shutil
import subprocess

from common import ROOT


def test_front_end_logic_passes_under_node_test_runner():
    node = shutil.which("node")
    assert node, "node is needed for the front-end tests"
    files = sorted(str(p) for p in (ROOT / "tests" / "js").glob("*.test.mjs"))
    assert files, "no front-end tests in tests/js/"
    proc = subprocess.run([node, "--test", *files], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout[-6000:] + proc.stderr[-2000:]
    passed = int(re.search(r"^# pass (\d+)", proc.stdout, re.M).group(1))
    failed = int(re.search(r"^# fail (\d+)", proc.stdout, re.M).group(1))
    assert failed == 0 and passed >= len(files), proc.stdout[-3000:]
