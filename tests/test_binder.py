"""Every notebook runs top to bottom in a fresh environment built as Binder builds it."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

from conftest import ROOT, notebooks

# repo2docker's base image brings Jupyter itself (server, kernel, nbclient); binder/ adds the rest.
BASE_IMAGE = ["ipykernel", "nbclient"]
BOOK_TOOLING = ["jupyter_book", "sphinx", "myst_nb", "nbgrader", "playwright"]

RUNNER = textwrap.dedent(
    """
    import sys, nbformat
    from nbclient import NotebookClient
    failed = []
    for path in sys.argv[1:]:
        nb = nbformat.read(path, as_version=4)
        try:
            NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(__import__("pathlib").Path(path).parent)}}).execute()
            print("ok", path, flush=True)
        except Exception as exc:
            failed.append(path)
            print("FAILED", path, type(exc).__name__, str(exc)[-2000:], flush=True)
    sys.exit(1 if failed else 0)
    """
)


def run(args, **kwargs):
    proc = subprocess.run(args, capture_output=True, text=True, **kwargs)
    assert proc.returncode == 0, f"{args[:4]} failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
    return proc


def test_every_notebook_runs_in_the_binder_environment(tmp_path):
    venv = tmp_path / "binder"
    run([sys.executable, "-m", "venv", str(venv)])
    bin_ = venv / "bin"
    env = {**os.environ, "PATH": f"{bin_}{os.pathsep}{os.environ['PATH']}", "VIRTUAL_ENV": str(venv)}
    env.pop("PYTHONPATH", None)
    env.pop("MXSEC_DATA_DIR", None)
    run([str(bin_ / "python"), "-m", "pip", "install", "--quiet", "-r", str(ROOT / "binder" / "requirements.txt"), *BASE_IMAGE], env=env)
    run([str(ROOT / "binder" / "postBuild")], cwd=ROOT, env=env)

    for module in BOOK_TOOLING:
        probe = subprocess.run([str(bin_ / "python"), "-c", f"import {module}"], env=env, capture_output=True)
        assert probe.returncode != 0, f"{module} is in the Binder environment, which should stay lean"

    paths = [str(p) for p in notebooks()]
    proc = subprocess.run([str(bin_ / "python"), "-c", RUNNER, *paths], env=env, cwd=tmp_path,
                          capture_output=True, text=True, timeout=3600)
    assert proc.returncode == 0, proc.stdout[-6000:] + proc.stderr[-3000:]
    assert proc.stdout.count("ok ") == len(paths)
