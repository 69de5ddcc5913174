"""Every notebook runs top to bottom in the environment Binder builds: the Dockerfile that repo2docker
(pinned in requirements.txt) writes for binder/ names the Python version, the base environment and the
repository's own steps, and the test rebuilds that environment as a venv and runs them in it."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from common import COLLECTED, NBVAL_KERNEL, ROOT, notebooks
from notebook_envs import binder_plan, binder_venv, pins, run, run_notebooks

# The lean runtime must not carry the book's tooling.
BOOK_TOOLING = ["jupyter_book", "sphinx", "myst_nb", "nbgrader", "playwright"]


@pytest.fixture(scope="module")
def plan():
    return binder_plan()


@pytest.fixture(scope="module")
def venv(plan):
    return binder_venv(plan)


def test_binder_asks_for_the_python_that_repo2docker_then_builds(plan):
    runtime = ROOT / "binder" / "runtime.txt"
    assert runtime.is_file(), "binder/ has no runtime.txt: repo2docker then picks its default Python"
    name, _, version = runtime.read_text(encoding="utf-8").strip().partition("-")
    assert name == "python" and version, f"{runtime}: expected python-X.Y, got {runtime.read_text()!r}"
    assert plan.python_minor == version, (
        f"repo2docker builds Python {plan.python}, runtime.txt asks for {version}"
    )


def test_the_image_installs_binder_requirements_then_runs_postbuild(plan):
    steps = "\n".join(plan.steps)
    assert 'pip install --no-cache-dir -r "binder/requirements.txt"' in steps, steps
    assert steps.rstrip().endswith("./binder/postBuild"), steps


def test_every_binder_requirement_is_an_exact_pin():
    # (that the pins agree with requirements.txt is tests/unit/test_config.py's)
    lines = [
        line.split("#")[0].strip()
        for line in (ROOT / "binder" / "requirements.txt").read_text(encoding="utf-8").splitlines()
    ]
    unpinned = [line for line in lines if line and "==" not in line]
    assert not unpinned, f"binder/requirements.txt: not pinned with ==: {unpinned}"


def test_the_binder_environment_runs_the_checkout_and_stays_lean(plan, venv, tmp_path):
    probe = run(
        [
            str(venv.python),
            "-c",
            "import json, sys, mxsec, pandas; print(json.dumps("
            "[sys.version.split()[0], mxsec.__file__, pandas.__version__]))",
        ],
        "importing the package",
        env=venv.env,
        cwd=tmp_path,
    )
    version, package, pandas = json.loads(probe.stdout)
    assert version.startswith(plan.python_minor + "."), (
        f"the venv runs Python {version}, Binder {plan.python}"
    )
    assert Path(package).is_relative_to(ROOT / "src"), (
        f"postBuild should install the checkout; mxsec is {package}"
    )
    assert pandas == pins(ROOT / "binder" / "requirements.txt")["pandas"]
    # repo2docker's base environment and binder/requirements.txt resolve together
    run([str(venv.python), "-m", "pip", "check"], "pip check", env=venv.env)
    for module in BOOK_TOOLING:
        lean = subprocess.run([str(venv.python), "-c", f"import {module}"], env=venv.env, capture_output=True)
        assert lean.returncode != 0, f"{module} is in the Binder environment, which should stay lean"


def test_nbval_runs_every_notebook_in_the_binder_environment(request, venv, tmp_path):
    """nbval runs every notebook, each in its own folder of the checkout as JupyterLab runs it, in a
    kernel that is the Binder environment's Python (tests/conftest.py registers it): a notebook that
    fails there fails its nbval test. When this run collected no notebooks (this file run alone), the
    notebooks run here instead."""
    from jupyter_client.kernelspec import KernelSpecManager

    from notebook_envs import BINDER_KERNEL, binder_kernel

    chosen = request.config.stash.get(NBVAL_KERNEL, None)
    collected = request.config.stash.get(COLLECTED, set())
    # notebooks nbval does not run in this session (this file run alone, say) run here instead
    jobs = [(path, path.parent) for path in notebooks() if path.resolve() not in collected]
    if jobs:
        passed, log = run_notebooks(venv, jobs, cwd=ROOT)
        assert len(passed) == len(jobs), log
    if not collected:
        return
    assert chosen is not None, "nbval collected the notebooks but runs them in another kernel"
    name, venv_path = chosen
    assert name == BINDER_KERNEL and request.config.option.nbval_kernel_name == BINDER_KERNEL
    assert venv_path == venv.path, f"nbval's kernel is {venv_path}, the Binder environment {venv.path}"
    kernels = binder_kernel(venv) / "kernels"
    spec = KernelSpecManager(kernel_dirs=[str(kernels)]).get_kernel_spec(BINDER_KERNEL)
    assert spec.argv[0] == str(venv.python), spec.argv
    # the registered kernel is that environment's Python, with the checkout's package
    probe = run(
        [spec.argv[0], "-c", "import sys, mxsec; print(sys.prefix, mxsec.__file__)"],
        "starting the kernel's Python",
        env={**venv.env, **spec.env},
        cwd=tmp_path,
    )
    prefix, package = probe.stdout.split()
    assert Path(prefix) == venv.path and Path(package).is_relative_to(ROOT / "src"), probe.stdout
