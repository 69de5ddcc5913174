"""What can be checked of deploy/ without Kubernetes or a TLJH server: the files parse, set what the
guides say they set (image, limits, culling, the exchange on shared storage, LTI), agree with each
other and with the hub tested here, and the image's extra build steps are those repo2docker appends.

Validating values.yaml against the Helm chart's schema, and tljh/config.yaml against TLJH's, needs
those projects' files, which the repository does not carry; deploy/README.md says how it was done."""

from __future__ import annotations

import re
import subprocess

import pytest
import yaml
from hub_venvs import COURSE_REQUIREMENTS, HUB_REQUIREMENTS, RUNTIME_REQUIREMENTS

from common import BIN, BUILD_ROOT, ROOT
from mxsec.hub import PrivateSubmit

DEPLOY = ROOT / "deploy"
EXCHANGE = "/srv/nbgrader/exchange"
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;#]+)$")


def load(path):
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as err:
        pytest.fail(f"{path}: not YAML: {err}")


def nbgrader_settings(source: str, where: str) -> dict:
    """What an nbgrader_config.py sets, as {"Exchange.root": ...}, by running it against a recorder."""
    from traitlets.config import Config

    config = Config()
    exec(compile(source, where, "exec"), {"get_config": lambda: config})
    return {f"{section}.{key}": value for section, values in config.items() for key, value in values.items()}


def requirement_lines(path) -> list[str]:
    return [
        line.strip()
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]


def test_the_hub_environment_pins_every_package():
    lines = requirement_lines(HUB_REQUIREMENTS)
    unpinned = [line for line in lines if not PIN.match(line)]
    assert not unpinned, f"{HUB_REQUIREMENTS}: not pinned with ==: {unpinned}"
    pins = dict(PIN.match(line).groups() for line in lines)
    assert pins["jupyterhub"] == "6.1.1" and pins["jupyterhub-ltiauthenticator"] == "1.6.3"


def test_the_runtime_pins_its_packages_and_the_hubs_single_user_server():
    hub = dict(PIN.match(line).groups() for line in requirement_lines(HUB_REQUIREMENTS))
    for path in (RUNTIME_REQUIREMENTS, COURSE_REQUIREMENTS):
        for line in requirement_lines(path):
            assert line.startswith("-r ") or PIN.match(line), f"{path}: not pinned with ==: {line}"
            if line.startswith("-r "):
                assert (path.parent / line[3:]).is_file(), f"{path}: {line} names no file"
    runtime = dict(
        PIN.match(line).groups() for line in requirement_lines(RUNTIME_REQUIREMENTS) if PIN.match(line)
    )
    assert runtime["jupyterhub"] == hub["jupyterhub"], "the single-user server must be the hub's JupyterHub"
    course = requirement_lines(COURSE_REQUIREMENTS)
    assert "-r ../binder/requirements.txt" in course and "nbgrader==0.9.6" in course
    assert not any(line.startswith("jupyterhub==") for line in course), (
        "the hub's version differs by deployment"
    )


def test_kubernetes_values_set_the_image_limits_culling_and_the_shared_exchange():
    values = load(DEPLOY / "kubernetes" / "values.yaml")
    user = values["singleuser"]
    assert user["image"]["name"].endswith("/mxsec-course") and str(user["image"]["tag"])
    assert user["memory"]["limit"] == "1G" and user["memory"]["guarantee"] == "512M"
    assert user["cpu"]["limit"] == 1 and 0 < user["cpu"]["guarantee"] <= user["cpu"]["limit"]
    cull = values["cull"]
    assert cull["enabled"] is True and cull["timeout"] == 3600 and cull["every"] <= cull["timeout"]
    # the exchange: the claim of exchange-pvc.yaml, shared read-write, mounted where nbgrader looks
    claim = load(DEPLOY / "kubernetes" / "exchange-pvc.yaml")
    assert claim["kind"] == "PersistentVolumeClaim" and claim["spec"]["accessModes"] == ["ReadWriteMany"]
    volumes = {v["name"]: v for v in user["storage"]["extraVolumes"]}
    mounts = {m["name"]: m["mountPath"] for m in user["storage"]["extraVolumeMounts"]}
    assert [v["persistentVolumeClaim"]["claimName"] for v in volumes.values()] == [claim["metadata"]["name"]]
    assert set(mounts) == set(volumes) and list(mounts.values()) == [EXCHANGE]
    settings = nbgrader_settings(user["extraFiles"]["nbgrader-config"]["stringData"], "values.yaml")
    assert settings == {"Exchange.root": EXCHANGE, "CourseDirectory.course_id": "mxsec"}
    assert user["extraFiles"]["nbgrader-config"]["mountPath"] == "/etc/jupyter/nbgrader_config.py"
    auth = values["hub"]["config"]
    assert auth["JupyterHub"]["authenticator_class"] == "ltiauthenticator.lti11.auth.LTI11Authenticator"
    assert auth["Authenticator"]["allow_all"] is True and auth["LTI11Authenticator"]["consumers"]


def test_the_image_is_binders_build_plus_the_appendix():
    """repo2docker --no-build with the appendix: binder/'s steps, then the appendix's, last."""
    appendix = (DEPLOY / "kubernetes" / "image-appendix").read_text(encoding="utf-8")
    workdir = BUILD_ROOT / "venvs" / ".repo2docker-hub"  # repo2docker reads a config file from its cwd
    workdir.mkdir(parents=True, exist_ok=True)
    proc = subprocess.run(
        [str(BIN / "repo2docker"), "--no-build", "--appendix", appendix, str(ROOT)],
        cwd=workdir,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, f"repo2docker --no-build failed: {proc.stderr[-3000:]}"
    dockerfile = proc.stdout
    runs = [line for line in appendix.splitlines() if line.startswith("RUN ")]
    assert runs and dockerfile.rstrip().endswith(appendix.rstrip().splitlines()[-1].strip())
    steps = [
        'pip install --no-cache-dir -r "binder/requirements.txt"',
        "RUN ./binder/postBuild",
        runs[0],
    ]
    at = [dockerfile.find(step) for step in steps]
    assert -1 not in at and at == sorted(at), f"the Dockerfile does not run {steps} in this order"
    users = re.findall(r"^USER (.+)$", dockerfile[: at[-1]], re.M)
    assert users[-1] == "${NB_USER}", "the appendix runs as the notebook user, not root"
    for path in re.findall(r"\$\{REPO_DIR\}/(\S+)", appendix):
        assert (ROOT / path).is_file(), f"image-appendix installs {path}, which does not exist"
    pinned = re.findall(r"\bjupyterhub==(\d+)\.", appendix)
    assert pinned == ["5"], "the image's single-user server is the chart's JupyterHub 5 (chart 4.4.0)"


def test_tljh_config_sets_limits_culling_and_lti():
    config = load(DEPLOY / "tljh" / "config.yaml")
    assert config["limits"] == {"memory": "1G", "cpu": 1}
    cull = config["services"]["cull"]
    assert cull["enabled"] is True and cull["timeout"] == 3600 and cull["users"] is False
    assert config["auth"]["type"] == "ltiauthenticator.lti11.auth.LTI11Authenticator"
    lti = config["auth"]["LTI11Authenticator"]
    assert lti["consumers"] and lti["allow_all"] is True and lti["username_key"]
    assert config["user_environment"]["default_app"] == "jupyterlab"


def test_the_nbgrader_settings_name_the_exchange_and_the_private_submit():
    everyone = nbgrader_settings((DEPLOY / "tljh" / "nbgrader_config.py").read_text(encoding="utf-8"), "tljh")
    assert everyone == {
        "Exchange.root": EXCHANGE,
        "CourseDirectory.course_id": "mxsec",
        "ExchangeFactory.submit": "mxsec.hub.PrivateSubmit",
    }
    module, name = everyone["ExchangeFactory.submit"].rsplit(".", 1)
    from nbgrader.exchange.default.submit import ExchangeSubmit

    assert module == PrivateSubmit.__module__ and name == PrivateSubmit.__name__
    assert issubclass(PrivateSubmit, ExchangeSubmit)
    instructor = (DEPLOY / "tljh" / "instructor_nbgrader_config.py").read_text(encoding="utf-8")
    assert nbgrader_settings(instructor, "tljh instructor")["CourseDirectory.root"].endswith("/mxsec")


def test_the_authenticator_the_configs_name_is_the_hubs(venvs):
    hub, _, _ = venvs
    proc = subprocess.run(
        [
            str(hub.python),
            "-c",
            "from ltiauthenticator.lti11.auth import LTI11Authenticator as A; print(A.__name__)",
        ],
        capture_output=True,
        text=True,
        env=hub.env,
    )
    assert proc.stdout.strip() == "LTI11Authenticator", proc.stderr
