"""JupyterHub for a class on one machine: each user's server runs as their own Unix user
(LocalProcessSpawner) from the course's runtime, with nbgrader's exchange shared on the machine.

Started by `make hub` (deploy/trial.py) for a trial, or directly:

    MXSEC_RUNTIME=/path/to/runtime-venv jupyterhub -f deploy/jupyterhub_config.py

Settings come from the environment (defaults in brackets):

    MXSEC_RUNTIME        the students' runtime, a venv of deploy/runtime-requirements.txt (required)
    MXSEC_HUB_IP         the address the hub listens on [127.0.0.1]
    MXSEC_HUB_PORT       its port [8000]; the proxy's API uses the next port, the hub itself the one after
    MXSEC_HUB_STATE      the hub's private state: database, cookie secret [/srv/mxsec-hub/state]
    MXSEC_JUPYTER_CONFIG where the hub writes the servers' settings for students and instructors
                         [/srv/mxsec-hub/jupyter]
    MXSEC_EXCHANGE       nbgrader's exchange [/srv/nbgrader/exchange]
    MXSEC_COURSE_ID      the course id in the exchange [mxsec]
    MXSEC_PROXY          configurable-http-proxy [node_modules/.bin/configurable-http-proxy]
    MXSEC_AUTH           pam (Unix accounts and passwords) or lti (LTI 1.1 launches) [pam]
    MXSEC_INSTRUCTORS    comma-separated user names of the instructors
    MXSEC_STUDENTS       comma-separated user names of the students (pam: only these can log in)
    MXSEC_LTI_KEY, MXSEC_LTI_SECRET   lti: the consumer key and shared secret set in the platform
    MXSEC_LTI_USERNAME_KEY            lti: the launch parameter that names the user [user_id]
    MXSEC_HUB_API_TOKEN  optional: a token with admin rights on the hub's REST API (tests, benchmarks)

An instructor's server runs the formgrader on the course folder ~/mxsec; a student's server has the
assignment list (fetch, submit) and no formgrader.
"""

import json
import os
import pwd
import subprocess
from pathlib import Path

c = get_config()  # noqa: F821 (JupyterHub defines get_config)

ROOT = Path(__file__).resolve().parents[1]


def setting(name, default=None):
    value = os.environ.get(name, default)
    if value is None:
        raise SystemExit(f"{__file__}: the environment variable {name} is not set (see the top of this file)")
    return value


def names(variable):
    return {n.strip() for n in os.environ.get(variable, "").split(",") if n.strip()}


RUNTIME = Path(setting("MXSEC_RUNTIME"))
if not (RUNTIME / "bin" / "jupyterhub-singleuser").is_file():
    raise SystemExit(
        f"{__file__}: MXSEC_RUNTIME={RUNTIME} has no bin/jupyterhub-singleuser; "
        "it must be a venv of deploy/runtime-requirements.txt (make hub builds one)"
    )
IP = setting("MXSEC_HUB_IP", "127.0.0.1")
PORT = int(setting("MXSEC_HUB_PORT", "8000"))
STATE = Path(setting("MXSEC_HUB_STATE", "/srv/mxsec-hub/state"))
SERVER_CONFIG = Path(setting("MXSEC_JUPYTER_CONFIG", "/srv/mxsec-hub/jupyter"))
EXCHANGE = Path(setting("MXSEC_EXCHANGE", "/srv/nbgrader/exchange"))
COURSE_ID = setting("MXSEC_COURSE_ID", "mxsec")
PROXY = setting("MXSEC_PROXY", str(ROOT / "node_modules" / ".bin" / "configurable-http-proxy"))
AUTH = setting("MXSEC_AUTH", "pam")
INSTRUCTORS = names("MXSEC_INSTRUCTORS")
STUDENTS = names("MXSEC_STUDENTS")

# --------------------------------------------------------------------------- the hub and its proxy
STATE.mkdir(parents=True, exist_ok=True)
STATE.chmod(0o700)
c.JupyterHub.bind_url = f"http://{IP}:{PORT}"
c.JupyterHub.hub_bind_url = f"http://127.0.0.1:{PORT + 2}"
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{PORT + 1}"
c.ConfigurableHTTPProxy.command = [PROXY]
c.ConfigurableHTTPProxy.pid_file = str(STATE / "proxy.pid")
c.JupyterHub.db_url = f"sqlite:///{STATE / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(STATE / "jupyterhub_cookie_secret")
c.JupyterHub.cleanup_servers = True  # stopping the hub stops every user's server

# --------------------------------------------------------------------------- who logs in
if AUTH == "pam":
    c.JupyterHub.authenticator_class = "pam"
    c.Authenticator.allowed_users = INSTRUCTORS | STUDENTS
    c.PAMAuthenticator.open_sessions = False
elif AUTH == "lti":
    from ltiauthenticator.lti11.auth import LTI11Authenticator

    c.JupyterHub.authenticator_class = LTI11Authenticator
    c.LTI11Authenticator.consumers = {setting("MXSEC_LTI_KEY"): setting("MXSEC_LTI_SECRET")}
    c.LTI11Authenticator.username_key = setting("MXSEC_LTI_USERNAME_KEY", "user_id")
    c.Authenticator.allow_all = True  # whoever the platform signs a launch for
    c.Authenticator.manage_groups = True

    def platform_roles(authenticator, handler, authentication):
        """The platform's course roles: an Instructor (LTI's role name) joins the group instructors."""
        roles = (authentication.get("auth_state") or {}).get("roles", "")
        instructor = any(r.strip().split("/")[-1].split("#")[-1] == "Instructor" for r in roles.split(","))
        authentication["groups"] = ["instructors"] if instructor else []
        return authentication

    c.Authenticator.post_auth_hook = platform_roles
else:
    raise SystemExit(f"{__file__}: MXSEC_AUTH={AUTH!r}; it must be pam or lti")

token = os.environ.get("MXSEC_HUB_API_TOKEN")
if token:
    c.JupyterHub.services = [{"name": "mxsec-admin", "api_token": token}]
    c.JupyterHub.load_roles = [
        {
            "name": "mxsec-admin",
            "scopes": ["admin:users", "admin:servers", "admin:groups", "access:servers", "tokens"],
            "services": ["mxsec-admin"],
        }
    ]

# --------------------------------------------------------------------------- the users' servers
# Settings the servers read through JUPYTER_CONFIG_PATH, one folder per role. Students: nbgrader's
# exchange for the course, submissions readable by the instructor only (mxsec.hub.PrivateSubmit),
# no formgrader. Instructors: the formgrader on ~/mxsec, the course folder.
EXCHANGE.mkdir(parents=True, exist_ok=True)
EXCHANGE.chmod(0o777)  # every user's server writes to it; nbgrader sets each course folder's permissions
SHARED = f"""c = get_config()  # noqa: F821
c.Exchange.root = {str(EXCHANGE)!r}
c.CourseDirectory.course_id = {COURSE_ID!r}
"""
ROLES = {
    "student": (
        SHARED + 'c.ExchangeFactory.submit = "mxsec.hub.PrivateSubmit"\n',
        {
            "nbgrader.server_extensions.formgrader": False,
            "nbgrader.server_extensions.create_assignment": False,
        },
        {"@jupyter/nbgrader:formgrader": True, "@jupyter/nbgrader:create-assignment": True},
    ),
    "instructor": (
        SHARED + 'import os\nc.CourseDirectory.root = os.path.expanduser("~/mxsec")\n',
        {"nbgrader.server_extensions.formgrader": True},
        {},
    ),
}
for role, (nbgrader_config, extensions, lab_disabled) in ROLES.items():
    folder = SERVER_CONFIG / role
    (folder / "labconfig").mkdir(parents=True, exist_ok=True)
    (folder / "nbgrader_config.py").write_text(nbgrader_config, encoding="utf-8")
    (folder / "jupyter_server_config.json").write_text(
        json.dumps({"ServerApp": {"jpserver_extensions": extensions}}, indent=1), encoding="utf-8"
    )
    (folder / "labconfig" / "page_config.json").write_text(
        json.dumps({"disabledExtensions": lab_disabled}, indent=1), encoding="utf-8"
    )
for path in [SERVER_CONFIG, *SERVER_CONFIG.rglob("*")]:
    path.chmod(0o755 if path.is_dir() else 0o644)


def role(spawner):
    user = spawner.user
    if user.name in INSTRUCTORS or any(g.name == "instructors" for g in user.groups):
        return "instructor"
    return "student"


def ensure_unix_user(spawner):
    """LTI users arrive with no Unix account: make one (home readable by its owner only)."""
    name = spawner.user.name
    try:
        pwd.getpwnam(name)
    except KeyError:
        if AUTH != "lti":
            raise RuntimeError(f"{name} has no Unix account on this machine") from None
        subprocess.run(
            ["useradd", "--create-home", "--shell", "/bin/bash", "-K", "HOME_MODE=0700", name], check=True
        )


c.Spawner.pre_spawn_hook = ensure_unix_user
c.Spawner.cmd = [str(RUNTIME / "bin" / "jupyterhub-singleuser")]
c.Spawner.default_url = "/lab"
c.Spawner.notebook_dir = "~"
c.Spawner.environment = {
    # the runtime first; nothing of the hub's own environment (root's PATH is not the students')
    "PATH": f"{RUNTIME / 'bin'}:/usr/local/bin:/usr/bin:/bin",
    "JUPYTER_CONFIG_PATH": lambda spawner: str(SERVER_CONFIG / role(spawner)),
}
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 90
