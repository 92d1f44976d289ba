#!/usr/bin/env python3
"""acegen end-to-end checker for one example folder (driven by tests/e2e/run.sh).

Copies the example into a work folder, generates docker-compose.yml with acegen, brings it up with
podman-compose against the stand-in images, and compares what the containers received (arguments,
environment, labels, network, published ports, health checks) with `acegen explain --format json`.
Optionally grows the deployment by one engine and checks that the existing engines are kept.
Always tears the project down before returning. Standard library only.

Every check prints one line, `ok` or `FAIL`; the counts are appended to --counts as
"PASSED FAILED" so run.sh can add them up.
"""
import argparse
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request

HOST = "127.0.0.1"
ENGINE_STANDIN = "localhost/acegen-e2e/engine:latest"
GLUETUN_STANDIN = "localhost/acegen-e2e/gluetun:latest"
ENGINE_WAIT_S = 60
VPN_HEALTH_WAIT_S = 30
VERBOSE = bool(os.environ.get("E2E_VERBOSE"))


class Checker:
    def __init__(self, example):
        self.example = example
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


def run(cmd, cwd=None, timeout=120, check_rc=False):
    """Run a command, return CompletedProcess (text). Never raises on a non-zero exit."""
    if VERBOSE:
        print("  $ " + " ".join(shlex.quote(c) for c in cmd), flush=True)
    try:
        proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=timeout,
                              stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired as exc:
        proc = subprocess.CompletedProcess(cmd, 124, exc.stdout or "", (exc.stderr or "") + "\n(timed out)")
    if check_rc and proc.returncode != 0:
        raise RuntimeError("%s failed (%d): %s" % (" ".join(cmd), proc.returncode, proc.stderr.strip()))
    return proc


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


def answers_get_version(port):
    body = http_get(port, "/webui/api/service?method=get_version")
    if body is None:
        return False
    try:
        return json.loads(body).get("error", "missing") is None
    except ValueError:
        return False


def normalize_image(name):
    """The fully qualified name podman stores for an image reference."""
    first = name.split("/", 1)[0]
    if "/" not in name:
        return "docker.io/library/" + name
    if "." in first or ":" in first or first == "localhost":
        return name
    return "docker.io/" + name


def compose_images(compose_text):
    return sorted(set(m.group(1) for m in re.finditer(r'^\s+image:\s*["\']?([^"\'\s]+)["\']?\s*$',
                                                       compose_text, re.M)))


def parse_bytes(text):
    """docker's memory size: digits with an optional b/k/m/g suffix; None, "" and "0" = no limit."""
    if text in (None, "", "0", 0):
        return 0
    m = re.fullmatch(r"(\d+)\s*([bkmg]?)b?", str(text).strip().lower())
    if not m:
        return -1
    return int(m.group(1)) * {"": 1, "b": 1, "k": 1024, "m": 1024 ** 2, "g": 1024 ** 3}[m.group(2)]


def bind_sources(compose_text):
    """Absolute host paths of bind mounts ("/host:/container[:mode]") in the compose file."""
    return sorted(set(m.group(1) for m in re.finditer(r'^\s+-\s*["\']?(/[^:"\'\s]+):/', compose_text, re.M)))


def short(text, limit=400):
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[:limit] + " ..."


class Example:
    def __init__(self, args):
        self.args = args
        self.name = args.name
        self.project = "acegen-e2e-" + re.sub(r"[^a-z0-9-]", "-", self.name.lower())
        self.dir = os.path.join(args.workdir, self.name)
        self.acegen = shlex.split(args.acegen)
        self.compose = shlex.split(args.compose) + ["-p", self.project]
        self.c = Checker(self.name)
        self.model = None
        self.started = False
        self.created_dirs = []

    # ---- acegen -------------------------------------------------------------------------------
    def acegen_opts(self, replicas):
        opts = ["--set", "PORT_BIND_IP=%s" % HOST]
        if replicas is not None:
            opts += ["--replicas", str(replicas)]
        return opts

    def generate(self, replicas=None):
        proc = run(self.acegen + self.acegen_opts(replicas) + ["-o", "docker-compose.yml"], cwd=self.dir)
        ok = proc.returncode == 0 and os.path.exists(os.path.join(self.dir, "docker-compose.yml"))
        self.c.check(ok, "acegen generates docker-compose.yml%s" % (" (--replicas %s)" % replicas if replicas else ""),
                     "exit %d: %s" % (proc.returncode, short(proc.stderr)))
        if proc.stderr.strip():
            print("  note acegen stderr: %s" % short(proc.stderr), flush=True)
        return ok

    def explain(self, replicas=None):
        opts = self.acegen_opts(replicas)
        tries = [self.acegen + ["explain", "--format", "json"] + opts,
                 self.acegen + opts + ["explain", "--format", "json"]]
        last = None
        for cmd in tries:
            proc = run(cmd, cwd=self.dir)
            last = proc
            if proc.returncode == 0:
                try:
                    model = json.loads(proc.stdout)
                except ValueError as exc:
                    self.c.check(False, "acegen explain --format json parses", str(exc))
                    return None
                ok = isinstance(model.get("engines"), list) and "vpn" in model
                self.c.check(ok, "acegen explain --format json gives engines and vpn",
                             short(proc.stdout))
                return model if ok else None
        self.c.check(False, "acegen explain --format json runs", "exit %d: %s" % (last.returncode, short(last.stderr)))
        return None

    # ---- images -------------------------------------------------------------------------------
    def tag_images(self):
        with open(os.path.join(self.dir, "docker-compose.yml"), encoding="utf-8") as fh:
            images = compose_images(fh.read())
        engine_images = set(e.get("image") for e in self.model["engines"])
        problems = []
        for image in images:
            # explain names the engines' images; every other image in the file is a VPN's
            standin = ENGINE_STANDIN if image in engine_images else GLUETUN_STANDIN
            full = normalize_image(image)
            want = run(["podman", "image", "inspect", "--format", "{{.Id}}", standin]).stdout.strip()
            orig = "-"
            if run(["podman", "image", "exists", full]).returncode == 0:
                orig = run(["podman", "image", "inspect", "--format", "{{.Id}}", full]).stdout.strip()
                if orig == want:
                    continue
            retag = os.environ.get("E2E_RETAG_FILE")
            if retag:  # run.sh gives the name back to the original image (or untags) at the end
                with open(retag, "a", encoding="utf-8") as fh:
                    fh.write("%s %s\n" % (full, orig))
            proc = run(["podman", "tag", standin, full])
            if proc.returncode != 0:
                problems.append("%s: %s" % (image, proc.stderr.strip()))
        self.c.check(not problems and bool(images), "stand-in images tagged as %s" % ", ".join(images),
                     "; ".join(problems) or "no image in the compose file")

    # ---- podman helpers -----------------------------------------------------------------------
    def inspect(self, names):
        proc = run(["podman", "inspect", "--type", "container"] + list(names))
        try:
            data = json.loads(proc.stdout or "[]")
        except ValueError:
            data = []
        return {d["Name"].lstrip("/"): d for d in data}

    def project_containers(self):
        proc = run(["podman", "ps", "-a", "--filter", "label=io.podman.compose.project=%s" % self.project,
                    "--format", "{{.Names}}"])
        return [n for n in proc.stdout.split() if n]

    def preclean(self, names):
        """Remove leftovers of an earlier run of this project; refuse to touch anything else."""
        leftovers = self.project_containers()
        if leftovers:
            run(self.compose + ["down", "-t", "1"], cwd=self.dir, timeout=120)
            run(["podman", "rm", "-f", "-t", "1"] + self.project_containers())
        clash = []
        for name in names:
            if run(["podman", "container", "exists", name]).returncode == 0:
                clash.append(name)
        return self.c.check(not clash, "no foreign container holds the names %s" % ", ".join(names),
                            "already exist: %s (not started by this test; remove them first)" % ", ".join(clash))

    def compose_up(self, services=(), what="podman-compose up -d"):
        self.note_bind_sources()
        proc = run(self.compose + ["up", "-d"] + list(services), cwd=self.dir, timeout=240)
        self.started = True
        warnings = [l for l in (proc.stdout + proc.stderr).splitlines()
                    if "WARN" in l or "level=warning" in l or "error" in l.lower()]
        # podman without systemd logs errors about healthcheck timers; they are expected here.
        warnings = [w for w in warnings if "systemd" not in w and "syslog" not in w]
        for w in sorted(set(warnings)):
            print("  note podman-compose: %s" % short(w, 300), flush=True)
        return self.c.check(proc.returncode == 0, what,
                            "exit %d: %s" % (proc.returncode, short(proc.stdout + proc.stderr, 1500)))

    def note_bind_sources(self):
        """podman-compose creates missing bind-mount source folders: remember them to remove."""
        with open(os.path.join(self.dir, "docker-compose.yml"), encoding="utf-8") as fh:
            for path in bind_sources(fh.read()):
                while path != "/" and not os.path.exists(path):  # and missing parents
                    if path not in self.created_dirs:
                        self.created_dirs.append(path)
                    path = os.path.dirname(path)

    def compose_down(self):
        if not self.started:
            self.remove_created_dirs()
            return
        proc = run(self.compose + ["down", "-t", "1"], cwd=self.dir, timeout=180)
        left = self.project_containers()
        if left:
            run(["podman", "rm", "-f", "-t", "1"] + left)
        self.c.check(proc.returncode == 0 and not left, "podman-compose down removes every container",
                     "exit %d, left: %s %s" % (proc.returncode, left, short(proc.stderr)))
        self.started = False
        self.remove_created_dirs()

    def remove_created_dirs(self):
        for path in sorted(self.created_dirs, key=len, reverse=True):  # deepest first
            try:
                os.rmdir(path)  # only when empty: never delete anything an engine wrote
            except OSError:
                pass
        self.created_dirs = []

    def wait_vpn_healthy(self, vpn):
        """podman < 4.6 has no `wait --condition=healthy` and, without systemd, never runs health
        checks on its own: run the check by hand until it passes (bounded)."""
        deadline = time.time() + VPN_HEALTH_WAIT_S
        proc = None
        while time.time() < deadline:
            proc = run(["podman", "healthcheck", "run", vpn], timeout=20)
            if proc.returncode == 0:
                break
            time.sleep(0.5)
        self.c.check(proc is not None and proc.returncode == 0,
                     "VPN %s: image HEALTHCHECK passes (podman healthcheck run)" % vpn,
                     short(proc.stdout + proc.stderr) if proc else "not run")

    def wait_engines(self, engines):
        deadline = time.time() + ENGINE_WAIT_S
        pending = {e["name"]: e for e in engines}
        while pending and time.time() < deadline:
            for name, e in list(pending.items()):
                if answers_get_version(e["http_port"]):
                    del pending[name]
            if pending:
                time.sleep(0.5)
        up = 0
        for e in engines:
            ok = e["name"] not in pending
            up += ok
            detail = ""
            if not ok:
                logs = run(["podman", "logs", "--tail", "5", e["name"]]).stdout + \
                    run(["podman", "logs", "--tail", "5", e["name"]]).stderr
                state = run(["podman", "inspect", "--format", "{{.State.Status}}", e["name"]]).stdout.strip()
                detail = "no get_version answer on %s:%d within %ds (state %s; logs: %s)" % (
                    HOST, e["http_port"], ENGINE_WAIT_S, state or "missing", short(logs))
            self.c.check(ok, "%s answers get_version on %s:%d" % (e["name"], HOST, e["http_port"]), detail)
        return up

    # ---- per-engine checks --------------------------------------------------------------------
    def check_engine(self, e, info, vpn_info):
        name = e["name"]
        if info is None:
            self.c.check(False, "%s container exists" % name)
            return False
        cfg, host = info.get("Config", {}), info.get("HostConfig", {})
        all_ok = True

        # what the stand-in engine received
        body = http_get(e["http_port"], "/args")
        received = body.splitlines() if body is not None else None
        if e.get("command"):
            expected = list(e["command"])
            ok = received is not None and len(received) >= 1 and \
                os.path.basename(received[0]) == os.path.basename(expected[0]) and received[1:] == expected[1:]
        else:
            expected = ["/acestream/acestreamengine"] + (e.get("acestream_args") or "").split()
            ok = received == expected
        all_ok &= self.c.check(ok, "%s: engine received the arguments explain gives" % name,
                               "expected %s, got %s" % (expected, received))

        # what podman was told (exec form command / ACESTREAM_ARGS / image / restart policy)
        problems = []
        if e.get("command"):
            if cfg.get("Cmd") != e["command"]:
                problems.append("Cmd %s != %s" % (cfg.get("Cmd"), e["command"]))
        else:
            env = cfg.get("Env") or []
            want = "ACESTREAM_ARGS=" + (e.get("acestream_args") or "")
            if want not in env:
                got = [v for v in env if v.startswith("ACESTREAM_ARGS=")]
                problems.append("env %s, expected %s" % (got, want))
            if e.get("acestream_args") is None:
                problems.append("explain gives neither command nor acestream_args")
        if e.get("image") and normalize_image(e["image"]) != info.get("ImageName", "") and \
                normalize_image(e["image"]) != cfg.get("Image", ""):
            problems.append("image %s, expected %s" % (info.get("ImageName") or cfg.get("Image"), e["image"]))
        restart = (host.get("RestartPolicy") or {}).get("Name")
        if restart != "unless-stopped":
            problems.append("restart policy %r" % restart)
        all_ok &= self.c.check(not problems, "%s: container config (command/env, image, restart) matches" % name,
                               "; ".join(problems))

        # labels
        labels = cfg.get("Labels") or {}
        want_labels = e.get("labels") or {}
        problems = ["%s=%r (expected %r)" % (k, labels.get(k), v) for k, v in want_labels.items()
                    if labels.get(k) != v]
        ours = [k for k in labels if k.startswith(("acestream.", "host.")) and k not in want_labels]
        if ours:
            problems.append("labels not in explain: %s" % ours)
        all_ok &= self.c.check(not problems and bool(want_labels), "%s: labels match" % name,
                               "; ".join(problems) or "explain gives no labels")

        # network: own published port, or the VPN's network stack
        mode = host.get("NetworkMode", "")
        bindings = host.get("PortBindings") or {}
        problems = []
        if e.get("vpn"):
            vpn = vpn_info.get(e["vpn"])
            if vpn is None:
                problems.append("VPN container %s missing" % e["vpn"])
            else:
                if mode != "container:" + vpn["Id"]:
                    problems.append("network mode %r, expected container:<%s id>" % (mode, e["vpn"]))
                vb = (vpn.get("HostConfig", {}).get("PortBindings") or {}).get("%d/tcp" % e["http_port"])
                if vb != [{"HostIp": HOST, "HostPort": str(e["http_port"])}]:
                    problems.append("%s publishes %d/tcp as %s" % (e["vpn"], e["http_port"], vb))
            if bindings:
                problems.append("engine behind a VPN publishes ports itself: %s" % bindings)
            inside = run(["podman", "exec", e["vpn"], "wget", "-q", "-O-",
                          "http://127.0.0.1:%d/webui/api/service?method=get_version" % e["http_port"]])
            if inside.returncode != 0 or '"error": null' not in inside.stdout:
                problems.append("not reachable on 127.0.0.1:%d inside %s" % (e["http_port"], e["vpn"]))
            for other in vpn_info:
                if other == e["vpn"]:
                    continue
                leak = run(["podman", "exec", other, "wget", "-q", "-O-",
                            "http://127.0.0.1:%d/webui/api/service?method=get_version" % e["http_port"]])
                if leak.returncode == 0:
                    problems.append("also reachable inside the other VPN %s" % other)
            what = "%s: shares %s's network stack, HTTP port published by %s only" % (name, e["vpn"], e["vpn"])
        else:
            if mode.startswith("container:"):
                problems.append("network mode %r without a VPN" % mode)
            want = {"%d/tcp" % e["http_port"]: [{"HostIp": HOST, "HostPort": str(e["http_port"])}]}
            if e.get("https_host_port"):
                want["%d/tcp" % e["https_port"]] = [{"HostIp": HOST, "HostPort": str(e["https_host_port"])}]
            if bindings != want:
                problems.append("port bindings %s, expected %s" % (bindings, want))
            if e.get("https_host_port") and not answers_get_version(e["https_host_port"]):
                problems.append("HTTPS port %d not reachable on %s:%d" % (e["https_port"], HOST, e["https_host_port"]))
            what = "%s: own network, publishes %s" % (name, ", ".join(sorted(want)))
        all_ok &= self.c.check(not problems, what, "; ".join(problems))

        # memory limit and DOCKER_NETWORK
        problems = []
        if "mem_limit" in e:
            want_mem = parse_bytes(e.get("mem_limit"))
            if host.get("Memory", 0) != want_mem:
                problems.append("memory limit %s bytes, expected %s (%r)" % (host.get("Memory"), want_mem, e.get("mem_limit")))
        net = self.docker_network()
        if net and not e.get("vpn"):
            nets = sorted((info.get("NetworkSettings") or {}).get("Networks") or {})
            if nets != [net]:
                problems.append("networks %s, expected [%r] (DOCKER_NETWORK)" % (nets, net))
        if "mem_limit" in e or (net and not e.get("vpn")):
            all_ok &= self.c.check(not problems, "%s: memory limit %s%s" % (
                name, e.get("mem_limit") or "none", ", network %s" % net if net and not e.get("vpn") else ""), "; ".join(problems))

        # health check
        hc = e.get("healthcheck")
        got_hc = (cfg.get("Healthcheck") or {}).get("Test")
        if hc:
            own_port = "127.0.0.1:%d/" % e["http_port"]
            all_ok &= self.c.check(got_hc == hc and own_port in " ".join(hc),
                                   "%s: compose healthcheck reaches podman and probes %s" % (name, own_port),
                                   "podman has %s, explain %s" % (got_hc, hc))
            if hc[0] == "CMD-SHELL":
                cmd = ["podman", "exec", name, "sh", "-c", hc[1]]
            else:
                cmd = ["podman", "exec", name] + hc[1:]
            proc = run(cmd, timeout=30)
            all_ok &= self.c.check(proc.returncode == 0, "%s: healthcheck command passes inside the container" % name,
                                   "exit %d: %s" % (proc.returncode, short(proc.stdout + proc.stderr)))
            proc = run(["podman", "healthcheck", "run", name], timeout=30)
            all_ok &= self.c.check(proc.returncode == 0, "%s: podman healthcheck run reports healthy" % name,
                                   "exit %d: %s" % (proc.returncode, short(proc.stdout + proc.stderr)))
        else:
            all_ok &= self.c.check(not got_hc or got_hc == ["NONE"], "%s: no healthcheck (none in explain)" % name,
                                   "podman has %s" % got_hc)
        return all_ok

    def check_vpns(self, model, vpn_info, engine_args):
        services = model["vpn"].get("services") or []
        for svc in services:
            name = svc["name"]
            info = vpn_info.get(name)
            if not self.c.check(info is not None and info.get("State", {}).get("Running"),
                                "VPN %s container running" % name):
                continue
            # control server on 127.0.0.1 only, reporting the forwarded port; with GLUETUN_API_KEY
            # the key must have reached Gluetun resolved from .env (by reference), and be required
            host_port = svc.get("api_host_port") or svc.get("api_port")
            headers = {}
            env = dict(v.split("=", 1) for v in info.get("Config", {}).get("Env") or [] if "=" in v)
            role = env.get("HTTP_CONTROL_SERVER_AUTH_DEFAULT_ROLE")
            if role is not None:
                try:
                    key = json.loads(role).get("apikey")
                except (ValueError, AttributeError):
                    key = None
                in_env = self.env_file_value("GLUETUN_API_KEY")
                self.c.check(bool(key) and "${" not in key and (in_env is None or key == in_env),
                             "VPN %s: API key reached the control server resolved from .env" % name,
                             "HTTP_CONTROL_SERVER_AUTH_DEFAULT_ROLE=%r, .env has %r" % (role, in_env))
                status, _ = http_request(host_port, "/v1/portforward")
                self.c.check(status == 401, "VPN %s: control server refuses a request without the key" % name,
                             "status %r" % status)
                headers = {"X-API-Key": key or ""}
            status, body = http_request(host_port, "/v1/portforward", headers)
            body = body if status == 200 else None
            reported = None
            try:
                reported = json.loads(body)["port"] if body else None
            except (ValueError, KeyError, TypeError):
                pass
            if svc.get("forwarded_port"):
                self.c.check(reported == svc["forwarded_port"],
                             "VPN %s: control server on %s:%s reports forwarded port %s" % (
                                 name, HOST, host_port, svc["forwarded_port"]), "got %r" % body)
                fwd = [e for e in model["engines"] if e.get("vpn") == name and e.get("forwarded")]
                ports = [engine_args.get(e["name"], {}).get("--port") for e in fwd]
                self.c.check(len(fwd) == 1 and ports == [str(reported)],
                             "VPN %s: exactly one forwarded engine, started with --port %s" % (name, reported),
                             "forwarded engines %s with --port %s" % ([e["name"] for e in fwd], ports))
            else:
                self.c.check(body is not None, "VPN %s: control server answers on %s:%s" % (name, HOST, host_port))
                fwd = [e["name"] for e in model["engines"] if e.get("vpn") == name and e.get("forwarded")]
                self.c.check(not fwd, "VPN %s: no engine labelled forwarded without a known port" % name, str(fwd))
            # P2P ports of engines sharing this network stack must differ
            p2p = [engine_args.get(e["name"], {}).get("--port") for e in model["engines"] if e.get("vpn") == name]
            self.c.check(None not in p2p and len(set(p2p)) == len(p2p),
                         "VPN %s: engines behind it have distinct --port values %s" % (name, p2p))
            # published ports: the engines' HTTP ports and the control server, on 127.0.0.1 only
            bindings = info.get("HostConfig", {}).get("PortBindings") or {}
            want_ports = set("%d/tcp" % p for p in svc.get("published_ports") or [])
            want_ports.add("%d/tcp" % svc.get("api_port", 8000))
            bad_ip = [k for k, v in bindings.items() if any(b.get("HostIp") != HOST for b in v)]
            self.c.check(set(bindings) == want_ports and not bad_ip,
                         "VPN %s: publishes exactly its engines' HTTP ports and the control server, on %s" % (name, HOST),
                         "bindings %s, expected %s" % (bindings, sorted(want_ports)))
            net = self.docker_network()
            if net:
                nets = sorted((info.get("NetworkSettings") or {}).get("Networks") or {})
                self.c.check(nets == [net], "VPN %s: joins network %s (DOCKER_NETWORK)" % (name, net),
                             "networks %s" % nets)
            # NET_ADMIN and the tun device
            caps = info.get("HostConfig", {}).get("CapAdd") or []
            devices = [d.get("PathOnHost") for d in info.get("HostConfig", {}).get("Devices") or []]
            self.c.check(any("NET_ADMIN" in c for c in caps) and "/dev/net/tun" in devices,
                         "VPN %s: has NET_ADMIN and /dev/net/tun" % name, "caps %s devices %s" % (caps, devices))

    def env_file_value(self, key):
        """KEY's value in the example's .env for simple lines (KEY=v, 'v', "v"), else None."""
        try:
            with open(os.path.join(self.dir, ".env"), encoding="utf-8") as fh:
                lines = fh.read().splitlines()
        except OSError:
            return None
        for line in lines:
            m = re.match(r"\s*(?:export\s+)?%s\s*=\s*(.*)$" % re.escape(key), line)
            if m:
                v = m.group(1).strip()
                if len(v) > 1 and v[0] == v[-1] and v[0] in "'\"" and "\\" not in v and "$" not in v:
                    return v[1:-1]
                if v[:1] not in "'\"" and "$" not in v and "#" not in v:
                    return v
                return None
        return None

    def docker_network(self):
        setting = (self.model or {}).get("settings", {}).get("DOCKER_NETWORK") or {}
        return setting.get("value") if isinstance(setting, dict) else None

    # ---- scenario -----------------------------------------------------------------------------
    def engine_args(self, engines):
        out = {}
        for e in engines:
            body = http_get(e["http_port"], "/args") or ""
            argv = body.splitlines()
            d = {}
            for i, a in enumerate(argv[:-1]):
                if a.startswith("--"):
                    d[a] = argv[i + 1]
            out[e["name"]] = d
        return out

    def bring_up_and_check(self, model, label):
        engines = model["engines"]
        vpns = [s["name"] for s in model["vpn"].get("services") or []]
        if vpns:
            # Gluetun first, then wait until its health check passes: podman-compose skips
            # `condition: service_healthy` on podman < 4.6 (see README).
            if not self.compose_up(vpns, "podman-compose up -d %s (VPN first)" % " ".join(vpns)):
                return 0
            for vpn in vpns:
                self.wait_vpn_healthy(vpn)
            vpn_ids = {k: v["Id"] for k, v in self.inspect(vpns).items()}
        if not self.compose_up((), "podman-compose up -d%s" % label):
            return 0
        if vpns:
            after = {k: v["Id"] for k, v in self.inspect(vpns).items()}
            self.c.check(after == vpn_ids, "second podman-compose up keeps the running VPN containers",
                         "before %s after %s" % (vpn_ids, after))
        up = self.wait_engines(engines)
        infos = self.inspect([e["name"] for e in engines])
        vpn_info = self.inspect(vpns) if vpns else {}
        good = 0
        for e in engines:
            good += self.check_engine(e, infos.get(e["name"]), vpn_info)
        if vpns:
            self.check_vpns(model, vpn_info, self.engine_args(engines))
        return up, good

    def grow(self, model):
        n = len(model["engines"])
        before = {k: v["Id"] for k, v in self.inspect([e["name"] for e in model["engines"]]).items()}
        if not self.generate(replicas=n + 1):
            return None
        grown = self.explain(replicas=n + 1)
        if grown is None:
            return None
        self.c.check(len(grown["engines"]) == n + 1 and grown["engines"][:n] == model["engines"],
                     "growth to %d engines leaves engines 1..%d unchanged in explain" % (n + 1, n))
        if not self.compose_up((), "podman-compose up -d after growth to %d engines" % (n + 1)):
            return None
        new = grown["engines"][n]
        self.wait_engines([new])
        after = {k: v["Id"] for k, v in self.inspect([e["name"] for e in grown["engines"]]).items()}
        kept = [k for k in before if after.get(k) == before[k]]
        kept_all = self.c.check(len(kept) == n, "growth: existing engines not recreated (same container IDs)",
                                "recreated: %s" % sorted(set(before) - set(kept)))
        vpn_info = self.inspect([s["name"] for s in grown["vpn"].get("services") or []])
        new_ok = self.check_engine(new, self.inspect([new["name"]]).get(new["name"]), vpn_info)
        if kept_all and new_ok:
            return "grew to %d without recreating" % (n + 1)
        return "growth to %d: %s" % (n + 1, "engines recreated" if not kept_all else "new engine failed checks")

    def main(self):
        shutil.rmtree(self.dir, ignore_errors=True)
        shutil.copytree(self.args.src, self.dir, symlinks=True)
        for stale in ("docker-compose.yml", "compose.yml", "docker-compose.yaml"):
            if os.path.exists(os.path.join(self.dir, stale)):
                os.remove(os.path.join(self.dir, stale))
        summary = "not run"
        try:
            if not self.generate():
                summary = "acegen failed"
                return
            model = self.explain()
            if model is None:
                summary = "acegen explain failed"
                return
            self.model = model
            self.tag_images()
            names = [s["name"] for s in model["vpn"].get("services") or []] + [e["name"] for e in model["engines"]]
            if self.args.grow:
                names.append("acestream-%d" % (len(model["engines"]) + 1))
            if not self.preclean(names):
                summary = "name clash"
                return
            res = self.bring_up_and_check(model, "")
            if not res:
                summary = "podman-compose up failed"
                return
            up, good = res
            n = len(model["engines"])
            summary = "%d/%d engines up and answering, %s" % (
                up, n, "args and labels match" if good == n else "%d/%d engines pass every check" % (good, n))
            if self.args.grow:
                grown = self.grow(model)
                summary += "; " + (grown or "growth failed")
        except Exception as exc:  # report, count, and still tear down
            self.c.check(False, "unexpected error", "%s: %s" % (type(exc).__name__, exc))
            summary = "error: %s" % exc
        finally:
            try:
                self.compose_down()
            finally:
                if self.c.failed:
                    summary += " -- %d check(s) FAILED" % self.c.failed
                print("e2e %s: %s" % (self.name, summary), flush=True)
                with open(self.args.counts, "a", encoding="utf-8") as fh:
                    fh.write("%d %d\n" % (self.c.passed, self.c.failed))


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--name", required=True)
    p.add_argument("--src", required=True, help="example folder (holds .env)")
    p.add_argument("--workdir", required=True)
    p.add_argument("--acegen", required=True, help="acegen command (shell words)")
    p.add_argument("--compose", required=True, help="podman-compose command (shell words)")
    p.add_argument("--counts", required=True)
    p.add_argument("--grow", action="store_true")
    args = p.parse_args()
    Example(args).main()
    return 0


if __name__ == "__main__":
    sys.exit(main())
