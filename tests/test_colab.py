"""Every notebook runs as on Colab: the package built as a wheel and installed (not editable) with the
runtime requirements into a fresh venv, each notebook copied alone into an empty folder and run there,
with no checkout beside it. (The notebooks' first cell installs the package from git on Colab only.)"""

from __future__ import annotations

import json
import shutil
import subprocess
import textwrap
import zipfile
from pathlib import Path

import pytest

from common import ROOT, notebooks, paper_chapters
from notebook_envs import build_wheel, run, run_notebooks, wheel_venv

PROBE = textwrap.dedent(
    """
    import json, sysconfig
    from importlib.metadata import distribution
    import mxsec
    from mxsec import assignments, build, data
    print(json.dumps({
        "site": sysconfig.get_paths()["purelib"],
        "package": mxsec.__file__,
        "data": str(data.data_dir()),
        "bib": str(data.bib_path()),
        "course": str(build.course_files()),
        "chapters": assignments.CHAPTERS,
        "exercises": sorted(p.name for p in assignments.EXERCISES.glob("*.ipynb")),
        "records": len(data.load().facts),
        "direct_url": distribution("mxsec").read_text("direct_url.json"),
        "record": distribution("mxsec").read_text("RECORD").splitlines(),
    }))
    """
)


def tracked(folder: str) -> list[Path]:
    """The files git tracks under `folder` (what a clone, and so Colab's install from git, has)."""
    out = subprocess.run(
        ["git", "ls-files", "-z", folder], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    return [ROOT / name for name in out.split("\0") if name and (ROOT / name).is_file()]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    return build_wheel(tmp_path_factory.mktemp("wheel"))


@pytest.fixture(scope="module")
def venv(wheel):
    return wheel_venv(wheel)


def test_the_wheel_carries_every_file_the_package_reads(wheel):
    shipped = set(zipfile.ZipFile(wheel).namelist())
    expected = [f"mxsec/_data/{p.relative_to(ROOT / 'data').as_posix()}" for p in tracked("data")]
    expected += ["mxsec/_data/references.bib", "mxsec/_course/_config.yml", "mxsec/_course/_toc.yml"]
    expected += [
        f"mxsec/_course/{p.relative_to(ROOT).as_posix()}"
        for folder in ("book", "exercises")
        for p in tracked(folder)
        if p.suffix == ".ipynb"
    ]
    expected += [f"mxsec/{p.relative_to(ROOT / 'src' / 'mxsec').as_posix()}" for p in tracked("src/mxsec")]
    missing = sorted(set(expected) - shipped)
    assert len(expected) > 40 and not missing, f"{wheel.name} lacks {missing}"


def test_the_installed_package_finds_everything_inside_itself(wheel, venv, tmp_path):
    found = json.loads(
        run(
            [str(venv.python), "-c", PROBE], "probing the installed package", env=venv.env, cwd=tmp_path
        ).stdout
    )
    package = Path(found["site"]) / "mxsec"
    assert Path(found["package"]) == package / "__init__.py", (
        f"mxsec imported from {found['package']}, not the wheel"
    )
    assert "editable" not in json.loads(found["direct_url"]).get("dir_info", {}), found["direct_url"]
    with zipfile.ZipFile(wheel) as zf:
        record = next(name for name in zf.namelist() if name.endswith(".dist-info/RECORD"))
        built = {line for line in zf.read(record).decode().splitlines() if line.startswith("mxsec/")}
    assert built and built <= set(found["record"]), "the installed package is not this wheel, file for file"
    for key in ("data", "bib", "course"):
        assert Path(found[key]).is_relative_to(package), (
            f"{key}: {found[key]} is outside the installed package"
        )
    assert found["chapters"] == [Path(doc).name for doc in paper_chapters()]
    assert found["exercises"] == sorted(f"{name}.ipynb" for name in found["chapters"])
    assert found["records"] > 0


def test_every_notebook_runs_from_an_empty_folder_with_the_wheel_installed(venv, tmp_path):
    jobs = []
    for path in notebooks():
        folder = tmp_path / "-".join(path.relative_to(ROOT).with_suffix("").parts)
        folder.mkdir()
        shutil.copy2(path, folder / path.name)
        jobs.append((folder / path.name, folder))
    passed, log = run_notebooks(venv, jobs, cwd=tmp_path)
    assert len(passed) == len(jobs), log
