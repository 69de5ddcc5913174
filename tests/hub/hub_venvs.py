"""The classroom hub's two environments, as cached venvs under _build/venvs/ (tests/notebook_envs.py):

- the hub's: deploy/requirements.txt (JupyterHub, the LTI authenticator, every dependency pinned);
- the students' runtime: deploy/runtime-requirements.txt (deploy/course-requirements.txt: binder's
  requirements and nbgrader; and the single-user server) and this repository's package, installed editable as binder/postBuild does.

Both use a Python that every user of the machine can run (the students' servers run as their own
Unix users), and each is keyed by a digest of its pins, the Python and this recipe.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import tomllib

from common import ROOT
from notebook_envs import CACHE, EnvError, Venv, cached_venv, digest, run, this_recipe

DEPLOY = ROOT / "deploy"
HUB_REQUIREMENTS = DEPLOY / "requirements.txt"
RUNTIME_REQUIREMENTS = DEPLOY / "runtime-requirements.txt"
COURSE_REQUIREMENTS = DEPLOY / "course-requirements.txt"  # included by runtime-requirements.txt
PYTHON_MINOR = "3.11"  # binder/runtime.txt
PROXY = ROOT / "node_modules" / ".bin" / "configurable-http-proxy"
RECIPE = Path(__file__).read_text(encoding="utf-8") + this_recipe()


def unreadable_by_others(path: Path) -> Path | None:
    """The first folder on the way to `path` (or `path` itself) that a user other than its owner
    cannot enter or read, or None."""
    path = Path(path).resolve()
    for part in [*reversed(path.parents), path]:
        mode = part.stat().st_mode
        needed = stat.S_IXOTH | (stat.S_IROTH if part == path else 0)
        if mode & needed != needed:
            return part
    return None


def shared_python() -> tuple[Path, str]:
    """A Python 3.11 with venv that every Unix user can run, and its full version."""
    tried = []
    for candidate in (
        f"/usr/bin/python{PYTHON_MINOR}",
        shutil.which(f"python{PYTHON_MINOR}"),
        sys.executable,
    ):
        if not candidate or candidate in tried:
            continue
        tried.append(candidate)
        proc = subprocess.run(
            [
                candidate,
                "-c",
                "import sys, venv, ensurepip; print(sys._base_executable); print(sys.version.split()[0])",
            ],
            capture_output=True,
            text=True,
        )
        if proc.returncode != 0:
            continue
        exe, full = proc.stdout.split()
        if full.startswith(PYTHON_MINOR + ".") and unreadable_by_others(Path(exe)) is None:
            return Path(exe), full
    raise EnvError(
        f"no Python {PYTHON_MINOR} with venv that other users can run (tried {', '.join(tried)}): the "
        f"students' servers run as their own Unix users; install Debian's with "
        f"`apt-get install python{PYTHON_MINOR}-venv` (`make hub-tools`)"
    )


def check_shared_checkout() -> None:
    """The runtime imports this checkout's package, and the students' servers run it as other users."""
    blocked = unreadable_by_others(ROOT / "src" / "mxsec")
    if blocked is not None:
        raise EnvError(
            f"{blocked} (mode {stat.filemode(blocked.stat().st_mode)}) keeps other Unix users out of "
            f"{ROOT}, whose package the students' servers import: clone the repository into a folder "
            "every user can read (e.g. /srv or /opt), or `chmod o+rx` that folder"
        )


def _pip(venv: Path, env: dict[str, str], *args: str, what: str) -> None:
    run(
        [
            str(venv / "bin" / "python"),
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            *args,
        ],
        what,
        env=env,
        cwd=ROOT,
    )


def hub_venv() -> Venv:
    python, full = shared_python()
    key = digest(RECIPE, str(python), full, HUB_REQUIREMENTS.read_bytes())

    def build(venv: Path, env: dict[str, str]) -> None:
        # every dependency is pinned there: nothing to resolve
        _pip(
            venv,
            env,
            "--no-deps",
            "-r",
            str(HUB_REQUIREMENTS),
            what=f"installing {HUB_REQUIREMENTS.relative_to(ROOT)}",
        )

    return cached_venv("classhub", key, python, build)


def package_requirements() -> str:
    """What installing the package (editable) depends on: pyproject.toml's build system, Python and
    dependencies, not the rest of the file (the tests' settings), which would rebuild the venv for nothing."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    wanted = {
        "build-system": project.get("build-system"),
        "requires-python": project.get("project", {}).get("requires-python"),
        "dependencies": project.get("project", {}).get("dependencies"),
    }
    return json.dumps(wanted, sort_keys=True)


def runtime_venv() -> Venv:
    check_shared_checkout()
    python, full = shared_python()
    key = digest(
        RECIPE,
        str(python),
        full,
        RUNTIME_REQUIREMENTS.read_bytes(),
        COURSE_REQUIREMENTS.read_bytes(),
        (ROOT / "binder" / "requirements.txt").read_bytes(),
        package_requirements(),
    )

    def build(venv: Path, env: dict[str, str]) -> None:
        _pip(
            venv,
            env,
            "-r",
            str(RUNTIME_REQUIREMENTS),
            what=f"installing {RUNTIME_REQUIREMENTS.relative_to(ROOT)}",
        )
        # binder/postBuild's step: the course's package from this checkout, editable.
        _pip(venv, env, "--no-deps", "-e", str(ROOT), what="installing the course package (binder/postBuild)")

    return cached_venv("classruntime", key, python, build)


def check_proxy() -> Path:
    if not os.access(PROXY, os.X_OK) or shutil.which("node") is None:
        raise EnvError(
            f"{PROXY} (configurable-http-proxy, pinned in package-lock.json) or node is missing: "
            "`make node_modules/.installed` installs it (npm ci)"
        )
    return PROXY


def hub_envs() -> tuple[Venv, Venv]:
    """Both venvs, built side by side when neither is cached (two pip runs share the download time)."""
    check_proxy()
    CACHE.mkdir(parents=True, exist_ok=True)
    with ThreadPoolExecutor(2) as pool:
        hub, runtime = pool.submit(hub_venv), pool.submit(runtime_venv)
        return hub.result(), runtime.result()
