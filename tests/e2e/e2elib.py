"""Helpers shared by the acegen end-to-end checkers (check.py, lifecycle.py). Standard library only.

A Runtime names the container CLI (`docker` or `podman`), the compose command and the label the
compose tool puts on a project's containers, so the same checks run on both runtimes.
"""
import calendar
import json
import os
import re
import shlex
import subprocess
import time
import urllib.error
import urllib.request

HOST = "127.0.0.1"
ENGINE_STANDIN = "localhost/acegen-e2e/engine:latest"
GLUETUN_STANDIN = "localhost/acegen-e2e/gluetun:latest"
IDLE_STANDIN = "localhost/acegen-e2e/idle:latest"
ORCHESTRATOR_STANDIN = "localhost/acegen-e2e/orchestrator:latest"
VERBOSE = bool(os.environ.get("E2E_VERBOSE"))


class Checker:
    """Counts and prints one `ok`/`FAIL` line per check."""

    def __init__(self):
        self.passed = 0
        self.failed = 0

    def check(self, ok, what, detail=""):
        if ok:
            self.passed += 1
            print("  ok   %s" % what, flush=True)
        else:
            self.failed += 1
            print("  FAIL %s%s" % (what, (": " + detail) if detail else ""), flush=True)
        return ok


def note(text):
    print("  note %s" % text, flush=True)


def run(cmd, cwd=None, timeout=120):
    """Run a command, return CompletedProcess (text). Never raises on a non-zero exit."""
    if VERBOSE:
        print("  $ " + " ".join(shlex.quote(c) for c in cmd), flush=True)
    try:
        return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=timeout,
                              stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired as exc:
        out = exc.stdout.decode() if isinstance(exc.stdout, bytes) else (exc.stdout or "")
        err = exc.stderr.decode() if isinstance(exc.stderr, bytes) else (exc.stderr or "")
        return subprocess.CompletedProcess(cmd, 124, out, err + "\n(timed out)")


def http_request(port, path, headers=None, timeout=1.5):
    """GET http://127.0.0.1:port/path; returns (status, body), (None, None) when unreachable."""
    req = urllib.request.Request("http://%s:%d%s" % (HOST, port, path), headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            return resp.status, resp.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8", "replace")
    except (urllib.error.URLError, OSError, ValueError):
        return None, None


def http_get(port, path, timeout=1.5):
    """GET http://127.0.0.1:port/path; returns the body of a 200 answer, else None."""
    status, body = http_request(port, path, timeout=timeout)
    return body if status == 200 else None


def answers_get_version(port, timeout=1.5):
    body = http_get(port, "/webui/api/service?method=get_version", timeout=timeout)
    if body is None:
        return False
    try:
        return json.loads(body).get("error", "missing") is None
    except ValueError:
        return False


def wait_answering(ports, seconds):
    """Polls until every port answers get_version or the time is up; returns the ports that do."""
    deadline = time.time() + seconds
    pending = set(ports)
    while pending and time.time() < deadline:
        pending = set(p for p in pending if not answers_get_version(p))
        if pending:
            time.sleep(0.3)
    return [p for p in ports if p not in pending]


def normalize_image(name):
    """The fully qualified form of an image reference (docker.io/library/… for short names)."""
    first = name.split("/", 1)[0]
    if "/" not in name:
        return "docker.io/library/" + name
    if "." in first or ":" in first or first == "localhost":
        return name
    return "docker.io/" + name


def parse_bytes(text):
    """docker's memory size: digits with an optional b/k/m/g suffix; None, "" and "0" = no limit."""
    if text in (None, "", "0", 0):
        return 0
    m = re.fullmatch(r"(\d+)\s*([bkmg]?)b?", str(text).strip().lower())
    if not m:
        return -1
    return int(m.group(1)) * {"": 1, "b": 1, "k": 1024, "m": 1024 ** 2, "g": 1024 ** 3}[m.group(2)]


def short(text, limit=400):
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[:limit] + " ..."


class Runtime:
    """The container CLI and compose command of one runtime."""

    def __init__(self, name, cli, compose):
        self.name = name
        self.cli = shlex.split(cli)
        self.compose = shlex.split(compose)
        self.project_label = {"docker": "com.docker.compose.project",
                              "podman": "io.podman.compose.project"}[name]

    @property
    def is_docker(self):
        return self.name == "docker"

    def cmd(self, *args):
        return run(self.cli + list(args))

    def inspect(self, names):
        """{container name: inspect data} of the containers that exist."""
        if not names:
            return {}
        proc = run(self.cli + ["inspect", "--type", "container"] + list(names))
        try:
            data = json.loads(proc.stdout or "[]")
        except ValueError:
            data = []
        return {d["Name"].lstrip("/"): d for d in data or []}

    def ids(self, names):
        return {k: v["Id"] for k, v in self.inspect(names).items()}

    def project_containers(self, project):
        proc = self.cmd("ps", "-a", "--filter", "label=%s=%s" % (self.project_label, project),
                        "--format", "{{.Names}}")
        return sorted(n for n in proc.stdout.split() if n)

    def image_id(self, ref):
        return self.cmd("image", "inspect", "--format", "{{.Id}}", ref).stdout.strip()

    def exists(self, name):
        return self.cmd("container", "inspect", name).returncode == 0

    def remove(self, names):
        if names:
            self.cmd("rm", "-f", *names)

    def exec_ok(self, container, args, timeout=30):
        return run(self.cli + ["exec", container] + list(args), timeout=timeout)

    def health(self, name):
        """docker's health status of a container ("healthy", "unhealthy", "starting", "" = none)."""
        info = self.inspect([name]).get(name) or {}
        return ((info.get("State") or {}).get("Health") or {}).get("Status", "")

    def wait_health(self, names, want="healthy", seconds=60):
        """Polls docker's health status until every container has `want`; returns {name: status}."""
        deadline = time.time() + seconds
        status = {}
        while True:
            infos = self.inspect(names)
            status = {n: ((infos.get(n, {}).get("State") or {}).get("Health") or {}).get("Status", "")
                      for n in names}
            if all(s == want for s in status.values()) or time.time() > deadline:
                return status
            time.sleep(0.5)

    def events(self, since, project):
        """Container events of a project since `since` (epoch seconds) until now, oldest first."""
        proc = self.cmd("events", "--since", "%.3f" % since, "--until", "%.3f" % time.time(),
                        "--filter", "type=container",
                        "--filter", "label=%s=%s" % (self.project_label, project),
                        "--format", "{{json .}}")
        out = []
        for line in proc.stdout.splitlines():
            try:
                out.append(json.loads(line))
            except ValueError:
                pass
        return out


def first_event(events, name, action):
    """timeNano of the first event `action` of container `name`, else None."""
    for ev in events:
        attrs = (ev.get("Actor") or {}).get("Attributes") or {}
        if attrs.get("name") == name and (ev.get("Action") or ev.get("status")) == action:
            return ev.get("timeNano")
    return None


def started_at(info):
    """State.StartedAt as nanoseconds since the epoch (0 = never started)."""
    return parse_time((info.get("State") or {}).get("StartedAt", ""))


def parse_time(text):
    """docker's RFC 3339 timestamps (fraction of any length, Z) as nanoseconds; 0 when unset."""
    m = re.match(r"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?Z$", text or "")
    if not m or m.group(1).startswith("0001"):
        return 0
    seconds = calendar.timegm(time.strptime(m.group(1), "%Y-%m-%dT%H:%M:%S"))
    return seconds * 10 ** 9 + int((m.group(2) or "0").ljust(9, "0")[:9])
