"""The environments in which students open the notebooks, rebuilt for the tests: Binder's (read from
the Dockerfile repo2docker would build) and an installed wheel's (as Colab installs the package).

Each is a virtual environment under _build/venvs/, cached by a digest of everything that defines it,
so a warm run reuses it and any change to its definition builds it afresh (CI always starts cold).
The wheel's venv keeps its dependencies while only the wheel's content changes, and swaps the wheel.
Timings: benchmarks/notebook_envs.py.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
import warnings
import zipfile
from dataclasses import dataclass
from pathlib import Path

from common import BIN, BUILD_ROOT, ROOT, locked
from mxsec.build import inputs_digest

CACHE = BUILD_ROOT / "venvs"
# Environment variables of the test runner that must not reach a rebuilt environment.
LEAKS = (
    "VIRTUAL_ENV",
    "PYTHONPATH",
    "PYTHONHOME",
    "PYTHONSTARTUP",
    "MXSEC_DATA_DIR",
    "JUPYTER_PATH",
    "JUPYTER_CONFIG_DIR",
    "JUPYTER_DATA_DIR",
)


class EnvError(RuntimeError):
    """An environment could not be read or built; the message says which step and why."""


def run(args: list[str], what: str, **kwargs) -> subprocess.CompletedProcess:
    proc = subprocess.run(args, capture_output=True, text=True, **kwargs)
    if proc.returncode != 0:
        raise EnvError(
            f"{what} failed (exit {proc.returncode}): {' '.join(map(str, args))[:300]}\n"
            f"{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
        )
    return proc


def digest(*parts: str | bytes) -> str:
    h = hashlib.sha256()
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "big"))
        h.update(data)
    return h.hexdigest()


def clean_env(venv: Path) -> dict[str, str]:
    """The test runner's environment as a fresh shell in `venv` would see it: its bin/ first on PATH,
    the runner's own venv off PATH, nothing pointing back into the checkout's package."""
    env = {k: v for k, v in os.environ.items() if k not in LEAKS}
    path = [p for p in env.get("PATH", "").split(os.pathsep) if p and Path(p) != BIN]
    env["PATH"] = os.pathsep.join([str(venv / "bin"), *path])
    env["VIRTUAL_ENV"] = str(venv)
    return env


def find_python(version: str) -> tuple[Path, str]:
    """The real interpreter of Python `version` ("3.11") on this machine and its full version."""
    candidates = [sys.executable, shutil.which(f"python{version}"), shutil.which("python3")]
    for candidate in filter(None, candidates):
        proc = subprocess.run(
            [
                candidate,
                "-c",
                "import sys, venv; print(getattr(sys, '_base_executable', sys.executable)); print(sys.version.split()[0])",
            ],
            capture_output=True,
            text=True,
            env={k: v for k, v in os.environ.items() if k not in LEAKS},
        )
        if proc.returncode == 0:
            exe, full = proc.stdout.split()
            if full.split(".")[:2] == version.split("."):
                return Path(exe), full
    raise EnvError(
        f"this machine has no Python {version} with venv (looked for {', '.join(filter(None, candidates))}); "
        f"install it, e.g. `apt-get install python{version}-venv` on Debian"
    )


def wheel_digest(wheel: Path) -> str:
    """A digest of a wheel's contents (names and bytes), blind to the archive's timestamps."""
    with zipfile.ZipFile(wheel) as zf:
        return digest(*[part for name in sorted(zf.namelist()) for part in (name, zf.read(name))])


@dataclass
class Venv:
    path: Path
    reused: bool

    @property
    def python(self) -> Path:
        return self.path / "bin" / "python"

    @property
    def env(self) -> dict[str, str]:
        return clean_env(self.path)


def cached_venv(kind: str, key: str, python: Path, build, refresh=None) -> Venv:
    """The venv `kind` for `key`: reused (after `refresh(venv_path, env)`, if given) when one was
    completed for the same key, otherwise built afresh from `python` by `build(venv_path, env)`;
    older venvs of the same kind are removed."""
    target = CACHE / f"{kind}-{key[:16]}"
    stamp = target / ".mxsec-venv-key"
    with locked(CACHE / f".{kind}.lock"):
        if stamp.is_file() and stamp.read_text() == key:
            if refresh is not None:
                refresh(target, clean_env(target))
            return Venv(target, reused=True)
        for old in CACHE.glob(f"{kind}-*"):
            shutil.rmtree(old, ignore_errors=True)
        run([str(python), "-m", "venv", str(target)], f"creating the {kind} venv")
        try:
            build(target, clean_env(target))
        except BaseException:
            shutil.rmtree(target, ignore_errors=True)
            raise
        stamp.write_text(key)
    return Venv(target, reused=False)


# Runs notebooks in the environment it is started in: argv[1] is a JSON list of [notebook, folder]
# pairs; each notebook runs with `folder` as its working directory, in a kernel that is this Python.
RUNNER = textwrap.dedent(
    r"""
    import json, os, sys, tempfile
    kernels = tempfile.mkdtemp()
    os.makedirs(os.path.join(kernels, "kernels", "python3"))
    with open(os.path.join(kernels, "kernels", "python3", "kernel.json"), "w") as f:
        json.dump({"argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
                   "display_name": "Python 3", "language": "python"}, f)
    os.environ["JUPYTER_PATH"] = kernels  # this Python's kernel, whatever other kernelspecs exist
    import nbformat
    from nbclient import NotebookClient
    failed = 0
    for path, folder in json.loads(sys.argv[1]):
        nb = nbformat.read(path, as_version=4)
        try:
            NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": folder}}).execute()
            print("ok", path, flush=True)
        except Exception as exc:
            failed += 1
            print("FAILED", path, type(exc).__name__, str(exc)[-2500:], flush=True)
    sys.exit(1 if failed else 0)
    """
)


RESULTS = CACHE / "results"


def run_notebooks(
    venv: Venv, jobs: list[tuple[Path, Path]], cwd: Path, reuse: bool = True
) -> tuple[list[str], str]:
    """Run each (notebook, working folder) in `venv`; return the notebooks that passed and the runners'
    reports. A notebook that passed in this venv (same key, same wheel) with the same bytes and the
    same data and package is not run again (`reuse`): its run would read nothing that differs. CI
    starts without the cache, so there every notebook runs. MXSEC_RERUN=1 runs them all."""
    reuse = reuse and os.environ.get("MXSEC_RERUN") != "1"
    venv_key = "".join(
        (venv.path / name).read_text()
        for name in (".mxsec-venv-key", ".mxsec-wheel")
        if (venv.path / name).is_file()
    )
    inputs = inputs_digest(ROOT)

    def key(notebook: Path) -> Path:
        return RESULTS / digest(venv_key, RUNNER, inputs, notebook.read_bytes())

    todo = [job for job in jobs if not (reuse and key(job[0]).is_file())]
    reused = [str(nb) for nb, _ in jobs if (nb, _) not in todo]
    passed, log = _run_notebooks(venv, todo, cwd) if todo else ([], "")
    RESULTS.mkdir(parents=True, exist_ok=True)
    for notebook, _ in todo:
        if str(notebook) in passed:
            key(notebook).write_text(
                str(notebook.relative_to(cwd) if notebook.is_relative_to(cwd) else notebook)
            )
    return reused + passed, log


def _run_notebooks(venv: Venv, jobs: list[tuple[Path, Path]], cwd: Path) -> tuple[list[str], str]:
    """Run each (notebook, working folder) in `venv`, one runner per core; return the notebooks that
    passed and the runners' reports (the kernels' chatter on stderr left out unless a runner died)."""
    workers = max(1, min(os.cpu_count() or 1, 4, len(jobs)))
    runners = [
        subprocess.Popen(
            [
                str(venv.python),
                "-c",
                RUNNER,
                json.dumps([[str(nb), str(folder)] for nb, folder in jobs[i::workers]]),
            ],
            env=venv.env,
            cwd=cwd,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i in range(workers)
    ]
    passed, log = [], []
    for runner in runners:
        out, err = runner.communicate(timeout=3600)
        passed += [line.split(" ", 1)[1] for line in out.splitlines() if line.startswith("ok ")]
        log += [line for line in out.splitlines() if not line.startswith("ok ")]
        if runner.returncode not in (0, 1):
            log.append(f"runner exited {runner.returncode}:\n{err[-3000:]}")
    return passed, "\n".join(log)[-12000:]


def pins(path: Path) -> dict[str, str]:
    """name -> exact version of every `name==version` line in a requirements file (names normalized)."""
    found = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        match = re.match(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*==\s*([^\s;#]+)", line)
        if match:
            found[normalize(match[1])] = match[2]
    return found


def normalize(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def this_recipe() -> str:
    """The source of this module: a change to how the environments are built rebuilds them."""
    return Path(__file__).read_text(encoding="utf-8")


# ---------------------------------------------------------------------------------------------------
# Binder: what repo2docker would build from binder/

# conda-forge packages whose PyPI distribution has another name
CONDA_TO_PYPI = {
    "brotli-python": "brotli",
    "python-fastjsonschema": "fastjsonschema",
    "nbconvert-core": "nbconvert",
    "jupyterhub-base": "jupyterhub",
}


@dataclass
class BinderPlan:
    """What the Dockerfile of repo2docker (pinned in requirements.txt) would build from binder/."""

    dockerfile: str
    lock: Path  # the conda lock file of the image's base environment, inside repo2docker
    python: str  # the base environment's Python, "3.11.14"
    base: dict[str, str]  # its Python packages, PyPI name -> version
    steps: list[str]  # the shell commands the notebook user runs once the repository is in place

    @property
    def python_minor(self) -> str:
        return ".".join(self.python.split(".")[:2])


def _instructions(dockerfile: str) -> list[tuple[str, str]]:
    """(KEYWORD, arguments) of each instruction, continuation lines joined."""
    out, pending = [], ""
    for line in dockerfile.splitlines():
        if not pending and (not line.strip() or line.lstrip().startswith("#")):
            continue
        pending += line + "\n"
        if line.endswith("\\"):
            continue
        keyword, _, args = pending.strip().partition(" ")
        out.append((keyword.upper(), args.strip()))
        pending = ""
    return out


def _env_values(args: str) -> dict[str, str]:
    return dict(re.findall(r"([A-Za-z_][A-Za-z0-9_]*)=(\S+)", args.replace("\\\n", " ")))


def conda_lock_packages(lock: Path) -> list[tuple[str, str, str]]:
    """(name, version, build) of every package in a conda explicit lock file."""
    packages = []
    for line in lock.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith(("#", "@")):
            continue
        filename = line.split("#", 1)[0].rsplit("/", 1)[-1]
        filename = re.sub(r"\.(conda|tar\.bz2)$", "", filename)
        name, version, build = filename.rsplit("-", 2)
        packages.append((name, version, build))
    return packages


def binder_plan(repo: Path = ROOT) -> BinderPlan:
    """Read the Dockerfile that `repo2docker --no-build` writes for `repo` (no Docker engine needed)."""
    with warnings.catch_warnings():  # its JSON logger warns of a renamed module on import
        warnings.simplefilter("ignore", DeprecationWarning)
        import repo2docker
        from repo2docker.buildpacks.base import BuildPack

    workdir = (
        BUILD_ROOT / "venvs" / ".repo2docker"
    )  # an empty folder: repo2docker reads a config file from its cwd
    shutil.rmtree(workdir, ignore_errors=True)
    workdir.mkdir(parents=True)
    dockerfile = run(
        [str(BIN / "repo2docker"), "--no-build", "--debug", str(repo)], "repo2docker --no-build", cwd=workdir
    ).stdout
    instructions = _instructions(dockerfile)
    env = {}
    for keyword, args in instructions:
        if keyword == "ENV":
            env.update(_env_values(args))
    for unsupported in ("KERNEL_ENVIRONMENT_FILE", "NB_REQUIREMENTS_FILE", "KERNEL_REQUIREMENTS_FILE"):
        if unsupported in env:
            raise EnvError(
                f"the Dockerfile sets {unsupported}, a base environment this test does not rebuild"
            )

    # The base environment: the lock file the Dockerfile copies to $NB_ENVIRONMENT_FILE.
    target = env.get("NB_ENVIRONMENT_FILE")
    sources = [
        args.split()[-2] for keyword, args in instructions if keyword == "COPY" and args.split()[-1] == target
    ]
    if target is None or len(sources) != 1:
        raise EnvError(
            f"no single COPY to NB_ENVIRONMENT_FILE ({target}) in the Dockerfile:\n{dockerfile[:3000]}"
        )
    locks = Path(repo2docker.__file__).parent / "buildpacks" / "conda"
    matches = [
        p
        for p in sorted(locks.glob("*.lock"))
        if BuildPack.generate_build_context_filename(str(p))[0] == sources[0]
    ]
    if len(matches) != 1:
        raise EnvError(
            f"the Dockerfile copies {sources[0]}, which is none of repo2docker's lock files in {locks}"
        )
    lock = matches[0]
    packages = conda_lock_packages(lock)
    python = [version for name, version, _ in packages if name == "python"]
    if len(python) != 1:
        raise EnvError(f"{lock}: no single python package")
    base = {
        normalize(CONDA_TO_PYPI.get(name, name)): version
        for name, version, build in packages
        if build.startswith("py") and name != "python"
    }

    # The repository's own steps: every RUN once the repository's files are copied in, as the notebook user.
    steps, in_repo, user = [], False, "root"
    for keyword, args in instructions:
        if keyword == "USER":
            user = args
        elif keyword == "COPY" and any(a.startswith("src/") for a in args.split()):
            in_repo = True
        elif keyword == "RUN" and in_repo:
            if user != "${NB_USER}":
                raise EnvError(
                    f"the image runs `{args}` as {user}; this test runs only the notebook user's steps"
                )
            steps.append(args)
    if not steps:
        raise EnvError(f"the Dockerfile runs no step of the repository's own:\n{dockerfile[-3000:]}")
    return BinderPlan(dockerfile, lock, python[0], base, steps)


def _expand(step: str, venv: Path, repo: Path) -> str:
    known = {"KERNEL_PYTHON_PREFIX": str(venv), "NB_PYTHON_PREFIX": str(venv), "REPO_DIR": str(repo)}
    expanded = re.sub(r"\$\{(\w+)\}", lambda m: known.get(m[1], m[0]), step)
    unknown = re.findall(r"\$\{\w+\}", expanded)
    if unknown:
        raise EnvError(f"the Dockerfile step `{step}` uses {unknown}, which this test does not know")
    return expanded


def binder_venv(plan: BinderPlan, repo: Path = ROOT) -> Venv:
    """A venv with the base environment's Python and packages, then the repository's own steps run in
    it as the Dockerfile runs them (binder/requirements.txt, postBuild) from the checkout."""
    python, full = find_python(plan.python_minor)
    binder_files = sorted(p for p in (repo / "binder").rglob("*") if p.is_file())
    key = digest(
        this_recipe(),
        str(python),
        full,
        plan.lock.read_bytes(),
        *plan.steps,
        *[part for p in binder_files for part in (p.name, p.read_bytes())],
        (repo / "pyproject.toml").read_bytes(),
    )

    def build(venv: Path, env: dict[str, str]) -> None:
        base = venv / "base-requirements.txt"
        base.write_text("".join(f"{name}=={version}\n" for name, version in sorted(plan.base.items())))
        run(
            [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", "--no-deps", "-r", str(base)],
            f"installing the base environment of {plan.lock.name}",
            env=env,
        )
        for step in plan.steps:
            run(
                ["/bin/sh", "-c", _expand(step, venv, repo)],
                f"the Dockerfile step `{step}`",
                env=env,
                cwd=repo,
            )

    return cached_venv("binder", key, python, build)


# The Jupyter kernel nbval runs every notebook in: the Python of the environment Binder builds.
BINDER_KERNEL = "mxsec-binder"
KERNELS = BUILD_ROOT / "kernels"


def binder_kernel(venv: Venv) -> Path:
    """Register `venv`'s Python as the kernel BINDER_KERNEL in KERNELS, with the environment a fresh
    shell in the venv has, and return KERNELS (the folder to put first on JUPYTER_PATH)."""
    env = venv.env
    spec = {
        "argv": [str(venv.python), "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "Python 3 (Binder's environment)",
        "language": "python",
        "env": {"PATH": env["PATH"], "VIRTUAL_ENV": env["VIRTUAL_ENV"]},
        "metadata": {"mxsec_venv": str(venv.path)},
    }
    folder = KERNELS / "kernels" / BINDER_KERNEL
    with locked(KERNELS / ".lock"):
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "kernel.json").write_text(json.dumps(spec, indent=1), encoding="utf-8")
    return KERNELS


# ---------------------------------------------------------------------------------------------------
# Colab: the package as a wheel, installed with the runtime requirements


def build_wheel(outdir: Path, repo: Path = ROOT) -> Path:
    shutil.rmtree(outdir, ignore_errors=True)
    outdir.mkdir(parents=True)
    run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(outdir), str(repo)],
        "building the wheel",
    )
    wheels = list(outdir.glob("mxsec-*.whl"))
    if len(wheels) != 1:
        raise EnvError(f"building the wheel gave {wheels}")
    return wheels[0]


def wheel_requirements(wheel: Path) -> str:
    """The wheel's Requires-Python and Requires-Dist lines: all that its installation resolves from."""
    with zipfile.ZipFile(wheel) as zf:
        meta = [name for name in zf.namelist() if name.endswith(".dist-info/METADATA")]
        text = zf.read(meta[0]).decode("utf-8")
    return "\n".join(
        line for line in text.splitlines() if line.startswith(("Requires-Python:", "Requires-Dist:"))
    )


def wheel_venv(wheel: Path, repo: Path = ROOT) -> Venv:
    """A venv with the wheel (not editable) and binder/requirements.txt, plus the kernel and the
    notebook runner at the versions requirements.txt pins.

    Keyed on the wheel's content and the requirements: the venv is reused when both are the same.
    When only the wheel's content changed (an edit to the package or to data/, not to what it
    requires), the venv's dependencies are kept and the installed wheel is replaced by this one.
    """
    python, full = find_python(f"{sys.version_info.major}.{sys.version_info.minor}")
    runtime = repo / "binder" / "requirements.txt"
    stack = pins(repo / "requirements.txt")
    kernel = [f"{name}=={stack[name]}" for name in ("ipykernel", "nbclient")]
    key = digest(this_recipe(), str(python), full, wheel_requirements(wheel), runtime.read_bytes(), *kernel)
    content = wheel_digest(wheel)

    def build(venv: Path, env: dict[str, str]) -> None:
        run(
            [
                str(venv / "bin" / "python"),
                "-m",
                "pip",
                "install",
                "--quiet",
                str(wheel),
                "-r",
                str(runtime),
                *kernel,
            ],
            "installing the wheel with the runtime requirements",
            env=env,
        )
        (venv / ".mxsec-wheel").write_text(content)

    def refresh(venv: Path, env: dict[str, str]) -> None:
        stamp = venv / ".mxsec-wheel"
        if stamp.is_file() and stamp.read_text() == content:
            return
        stamp.unlink(missing_ok=True)
        run(
            [
                str(venv / "bin" / "python"),
                "-m",
                "pip",
                "install",
                "--quiet",
                "--no-deps",
                "--force-reinstall",
                str(wheel),
            ],
            "replacing the installed wheel",
            env=env,
        )
        stamp.write_text(content)

    return cached_venv("wheel", key, python, build, refresh)
