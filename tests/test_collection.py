"""Every test file under tests/ is collected by the suite's own configuration."""

from __future__ import annotations

import subprocess
import sys

from common import ROOT


def collected_files() -> set[str]:
    """Test files that `pytest --collect-only`, run as `make test` runs it, would run."""
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-n", "0", "tests"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-4000:]
    return {line.split("::", 1)[0] for line in proc.stdout.splitlines() if "::" in line}


def test_every_test_file_under_tests_is_collected():
    on_disk = {str(p.relative_to(ROOT)) for p in (ROOT / "tests").rglob("test_*.py")}
    assert "tests/editions/test_student_edition.py" in on_disk
    missing = sorted(on_disk - collected_files())
    assert not missing, (
        f"pytest does not collect: {missing} (a folder name in norecursedirs, or a bad import?)"
    )
