"""A user of the hub over HTTP, as a browser would be: the login form, the hub's REST API, and the
user's own server (its REST API, nbgrader's handlers, and a kernel over its websocket). Every request
goes to 127.0.0.1."""

from __future__ import annotations

import json
import time
import uuid
from urllib.parse import urlsplit

import requests
import websocket


class HubUserError(AssertionError):
    """A request was refused or failed; the message names the request and the answer."""


def check(
    response: requests.Response, what: str, expect: tuple[int, ...] = (200, 201, 204)
) -> requests.Response:
    if response.status_code not in expect:
        raise HubUserError(
            f"{what}: {response.request.method} {response.url} answered {response.status_code}: {response.text[:1500]}"
        )
    return response


class HubUser:
    def __init__(self, hub_url: str, name: str):
        host = urlsplit(hub_url).hostname
        if host != "127.0.0.1":
            raise ValueError(f"{hub_url}: the tests talk to a hub on 127.0.0.1 only")
        self.hub_url = hub_url.rstrip("/")
        self.name = name
        self.session = requests.Session()
        self.session.trust_env = False  # no proxy from the environment: nothing leaves the machine

    # ------------------------------------------------------------------ the hub
    def cookie(self, name: str, path: str) -> str | None:
        found = [c for c in self.session.cookies if c.name == name and path.startswith(c.path or "/")]
        found.sort(key=lambda c: len(c.path or "/"), reverse=True)
        return found[0].value if found else None

    def login(self, password: str) -> requests.Response:
        """The hub's login form: GET it (its XSRF cookie), then POST the name and password."""
        check(self.session.get(f"{self.hub_url}/hub/login", timeout=30), "the login page")
        return self.session.post(
            f"{self.hub_url}/hub/login",
            data={"username": self.name, "password": password, "_xsrf": self.cookie("_xsrf", "/hub/") or ""},
            allow_redirects=False,
            timeout=60,
        )

    def hub_api(
        self, method: str, path: str, what: str, expect=(200, 201, 202, 204), **kwargs
    ) -> requests.Response:
        headers = {"X-XSRFToken": self.cookie("_xsrf", "/hub/") or ""}
        return check(
            self.session.request(
                method, f"{self.hub_url}/hub/api{path}", headers=headers, timeout=60, **kwargs
            ),
            what,
            expect,
        )

    def whoami(self) -> dict:
        return self.hub_api("GET", "/user", "who the hub says is logged in").json()

    def start_server(self, timeout: float = 120) -> None:
        """Start the user's server through the hub's API and wait until it is ready."""
        self.hub_api(
            "POST", f"/users/{self.name}/server", f"starting {self.name}'s server", expect=(201, 202, 400)
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            model = self.hub_api("GET", f"/users/{self.name}", f"{self.name}'s model").json()
            server = model.get("servers", {}).get("")
            if server and server.get("ready"):
                # opening the server's page goes through the hub's OAuth and sets the server's cookies
                # (its login cookie and its XSRF cookie, which every API request then echoes)
                check(self.session.get(self.server_url("lab"), timeout=120), f"{self.name}'s JupyterLab page")
                self.server("GET", "api/status", f"{self.name}'s server status")
                return
            if not model.get("pending") and not server:
                raise HubUserError(f"{self.name}'s server stopped while starting: {model}")
            time.sleep(0.5)
        raise HubUserError(f"{self.name}'s server was not ready within {timeout} s")

    # ------------------------------------------------------------------ the user's server
    def server_url(self, path: str) -> str:
        return f"{self.hub_url}/user/{self.name}/{path.lstrip('/')}"

    def server(
        self, method: str, path: str, what: str, expect=(200, 201, 204), **kwargs
    ) -> requests.Response:
        headers = {"X-XSRFToken": self.cookie("_xsrf", f"/user/{self.name}/") or ""}
        return check(
            self.session.request(method, self.server_url(path), headers=headers, timeout=300, **kwargs),
            what,
            expect,
        )

    def contents(self, path: str, expect=(200,)) -> requests.Response:
        return self.server("GET", f"api/contents/{path}", f"{self.name} reads {path}", expect=expect)

    def put_notebook(self, path: str, notebook: dict) -> None:
        self.server(
            "PUT",
            f"api/contents/{path}",
            f"{self.name} saves {path}",
            json={"type": "notebook", "format": "json", "content": notebook},
        )

    def execute(self, code: str, timeout: float = 300) -> tuple[str, dict | None]:
        """Run `code` in a new kernel of the user's server; return what it printed and its error, if any."""
        kernel = self.server("POST", "api/kernels", "starting a kernel", json={"name": "python3"}).json()
        try:
            return self.run_in_kernel(kernel["id"], code, timeout)
        finally:
            self.server("DELETE", f"api/kernels/{kernel['id']}", "stopping the kernel")

    def connect_kernel(self, kernel_id: str) -> websocket.WebSocket:
        path = f"/user/{self.name}/api/kernels/{kernel_id}/channels"
        cookies = "; ".join(
            f"{c.name}={c.value}" for c in self.session.cookies if path.startswith(c.path or "/")
        )
        xsrf = self.cookie("_xsrf", f"/user/{self.name}/") or ""
        url = self.hub_url.replace("http://", "ws://") + f"{path}?session_id={uuid.uuid4().hex}&_xsrf={xsrf}"
        return websocket.create_connection(url, cookie=cookies, timeout=60, suppress_origin=True)

    def run_in_kernel(
        self, kernel_id: str, code: str, timeout: float = 300, ws=None
    ) -> tuple[str, dict | None]:
        own = ws is None
        ws = ws or self.connect_kernel(kernel_id)
        try:
            msg_id = uuid.uuid4().hex
            ws.send(
                json.dumps(
                    {
                        "header": {
                            "msg_id": msg_id,
                            "username": self.name,
                            "session": uuid.uuid4().hex,
                            "msg_type": "execute_request",
                            "version": "5.3",
                        },
                        "parent_header": {},
                        "metadata": {},
                        "content": {
                            "code": code,
                            "silent": False,
                            "store_history": False,
                            "user_expressions": {},
                            "allow_stdin": False,
                            "stop_on_error": True,
                        },
                        "channel": "shell",
                        "buffers": [],
                    }
                )
            )
            out, error, replied, idle = [], None, False, False
            deadline = time.monotonic() + timeout
            while not (replied and idle):
                if time.monotonic() > deadline:
                    raise HubUserError(
                        f"{self.name}'s kernel did not finish within {timeout} s: {code[:200]}"
                    )
                ws.settimeout(max(1.0, deadline - time.monotonic()))
                raw = ws.recv()
                if isinstance(raw, bytes):
                    continue
                msg = json.loads(raw)
                if msg.get("parent_header", {}).get("msg_id") != msg_id:
                    continue
                kind = msg["msg_type"]
                if kind == "stream":
                    out.append(msg["content"]["text"])
                elif kind == "error":
                    error = msg["content"]
                elif kind == "execute_reply":
                    replied = True
                    if msg["content"]["status"] == "error" and error is None:
                        error = msg["content"]
                elif kind == "status" and msg["content"]["execution_state"] == "idle":
                    idle = True
            return "".join(out), error
        finally:
            if own:
                ws.close()
