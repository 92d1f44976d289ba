#!/usr/bin/env python3
"""acegen end-to-end checker for one example folder (driven by tests/e2e/run.sh).

Copies the example into a work folder, generates docker-compose.yml with acegen, brings it up with
docker compose (or podman-compose) against the stand-in images, and compares what the containers
received (arguments, environment, labels, network, published ports, health checks) with
`acegen explain --format json`. Optionally grows the deployment by one engine (and, on docker,
shrinks it back) and runs the VPN restart scenarios of lifecycle.py. Always tears the project
down before returning. Standard library only.

Every check prints one line, `ok` or `FAIL`; the counts are appended to --counts as
"PASSED FAILED" so run.sh can add them up.
"""
import argparse
import json
import os
import re
import shlex
import shutil
import sys
import time

from e2elib import (ENGINE_STANDIN, GLUETUN_STANDIN, HOST, IDLE_STANDIN, ORCHESTRATOR_STANDIN, Checker, Runtime, first_event,
                    normalize_image, note, run, short, wait_answering)
from engine_checks import check_engine, check_vpns
import orchestrator_checks as orch_checks

ENGINE_WAIT_S = 60
VPN_HEALTH_WAIT_S = 30
UP_TIMEOUT_S = 180
# Lines of `docker compose up` output that are expected here and say nothing about the file:
# dockerd runs with --ip-forward=false (loopback only), podman without systemd.
EXPECTED_NOISE = ("IPv4 forwarding is disabled", "systemd", "syslog")


def compose_images(compose_text):
    return sorted(set(m.group(1) for m in re.finditer(r'^\s+image:\s*["\']?([^"\'\s]+)["\']?\s*$',
                                                       compose_text, re.M)))


def bind_sources(compose_text):
    """Absolute host paths of bind mounts ("/host:/container[:mode]") in the compose file."""
    return sorted(set(m.group(1) for m in re.finditer(r'^\s+-\s*["\']?(/[^:"\'\s]+):/', compose_text, re.M)))


def started_before_healthy(events, vpn, engines):
    """The engines whose first `start` event is not after the VPN's first `health_status:
    healthy` event (all of them when either is missing), and a detail for a failure."""
    healthy = first_event(events, vpn, "health_status: healthy")
    starts = {n: first_event(events, n, "start") for n in engines}
    early = [n for n, t in starts.items() if t is None or healthy is None or t < healthy]
    return early, "healthy at %s, engine starts %s" % (healthy, starts)


class Example:
    def __init__(self, args, runtime):
        self.args = args
        self.rt = runtime
        self.name = args.name
        self.project = "acegen-e2e-" + re.sub(r"[^a-z0-9-]", "-", self.name.lower())
        self.dir = os.path.join(args.workdir, self.name)
        self.acegen = shlex.split(args.acegen)
        self.extra_args = []
        self.c = Checker()
        self.model = None
        self.started = False
        self.created_dirs = []
        self.events = []
        self.orchestrator_summary = None

    @property
    def orchestrator_standin(self):
        """A `--stack orchestrator` file on docker: the orchestrator stand-in's checks."""
        return bool(self.model and self.model.get("orchestrator") and self.rt.is_docker)

    @property
    def tool(self):
        return "docker compose" if self.rt.is_docker else "podman-compose"

    # ---- acegen -------------------------------------------------------------------------------
    def acegen_opts(self, replicas):
        opts = ["--set", "PORT_BIND_IP=%s" % HOST] + self.extra_args
        if replicas is not None:
            opts += ["--replicas", str(replicas)]
        return opts

    def generate(self, replicas=None):
        proc = run(self.acegen + self.acegen_opts(replicas) + ["-o", "docker-compose.yml"], cwd=self.dir)
        ok = proc.returncode == 0 and os.path.exists(os.path.join(self.dir, "docker-compose.yml"))
        self.c.check(ok, "acegen generates docker-compose.yml%s" % (" (--replicas %s)" % replicas if replicas else ""),
                     "exit %d: %s" % (proc.returncode, short(proc.stderr)))
        if proc.stderr.strip():
            note("acegen stderr: %s" % short(proc.stderr))
        return ok

    def explain(self, replicas=None):
        proc = run(self.acegen + ["explain", "--format", "json"] + self.acegen_opts(replicas), cwd=self.dir)
        if not self.c.check(proc.returncode == 0, "acegen explain --format json runs",
                            "exit %d: %s" % (proc.returncode, short(proc.stderr))):
            return None
        try:
            model = json.loads(proc.stdout)
        except ValueError as exc:
            self.c.check(False, "acegen explain --format json parses", str(exc))
            return None
        ok = isinstance(model.get("engines"), list) and "vpn" in model
        self.c.check(ok, "acegen explain --format json gives engines and vpn", short(proc.stdout))
        return model if ok else None

    def vpn_names(self, model=None):
        return [s["name"] for s in (model or self.model)["vpn"].get("services") or []]

    # ---- images -------------------------------------------------------------------------------
    def tag_images(self):
        """Gives every image of the file a stand-in: engines, Gluetun, anything else idles."""
        with open(os.path.join(self.dir, "docker-compose.yml"), encoding="utf-8") as fh:
            text = fh.read()
        images = compose_images(text)
        engine_images = set(e.get("image") for e in self.model["engines"])
        problems = []
        for image in images:
            if image in engine_images:
                standin = ENGINE_STANDIN
            elif "gluetun" in image:
                standin = GLUETUN_STANDIN
            elif self.orchestrator_standin and image == self.model["orchestrator"].get("image"):
                standin = ORCHESTRATOR_STANDIN
            else:
                standin = IDLE_STANDIN
            full = normalize_image(image)
            want = self.rt.image_id(standin)
            orig = self.rt.image_id(full) or "-"
            if orig == want:
                continue
            retag = os.environ.get("E2E_RETAG_FILE")
            if retag:  # run.sh gives the name back to the original image (or untags) at the end
                with open(retag, "a", encoding="utf-8") as fh:
                    fh.write("%s %s\n" % (full, orig))
            proc = self.rt.cmd("tag", standin, full)
            if proc.returncode != 0:
                problems.append("%s: %s" % (image, proc.stderr.strip()))
        self.c.check(not problems and bool(images), "stand-in images tagged as %s" % ", ".join(images),
                     "; ".join(problems) or "no image in the compose file")

    # ---- compose ------------------------------------------------------------------------------
    def compose(self, *args, timeout=UP_TIMEOUT_S, files=()):
        cmd = self.rt.compose + ["-p", self.project]
        for f in files:
            cmd += ["-f", f]
        return run(cmd + list(args), cwd=self.dir, timeout=timeout)

    def preclean(self, names):
        """Remove leftovers of an earlier run of this project; refuse to touch anything else."""
        if self.rt.project_containers(self.project):
            self.compose("down", "-t", "1", "--remove-orphans", timeout=120)
            self.rt.remove(self.rt.project_containers(self.project))
        clash = [n for n in names if self.rt.exists(n)]
        return self.c.check(not clash, "no foreign container holds the names %s" % ", ".join(names),
                            "already exist: %s (not started by this test; remove them first)" % ", ".join(clash))

    def compose_up(self, args, what, files=(), expect_ok=True):
        """`compose up ARGS`; checks the exit status (or returns the process when expect_ok is None)."""
        self.note_bind_sources()
        proc = self.compose("up", *args, files=files)
        self.started = True
        out = proc.stdout + proc.stderr
        warnings = [l for l in out.splitlines() if "WARN" in l or "level=warning" in l or "error" in l.lower()]
        for w in sorted(set(w for w in warnings if not any(n in w for n in EXPECTED_NOISE))):
            note("%s: %s" % (self.tool, short(w, 300)))
        if expect_ok is None:
            return proc
        return self.c.check(proc.returncode == 0, what, "exit %d: %s" % (proc.returncode, short(out, 1500)))

    def note_bind_sources(self):
        """compose creates missing bind-mount source folders: remember them to remove."""
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
        proc = self.compose("down", "-t", "1", "--remove-orphans", timeout=180)
        left = self.rt.project_containers(self.project)
        self.rt.remove(left)
        self.c.check(proc.returncode == 0 and not left, "%s down removes every container" % self.tool,
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

    # ---- bring up -----------------------------------------------------------------------------
    def up_docker(self, label):
        """`docker compose up -d --wait`, then: every engine behind a VPN started only after the
        VPN's first `health_status: healthy` event (docker events of this run)."""
        since = time.time() - 1
        waits = self.model["engines"] or self.orchestrator_standin
        args = ["-d", "--wait", "--wait-timeout", "120"] if waits else ["-d"]
        if not self.compose_up(args, "docker compose up %s%s" % (" ".join(args), label)):
            if self.orchestrator_standin:
                logs = self.rt.cmd("logs", "--tail", "20", "orchestrator")
                note("orchestrator logs: %s" % short(logs.stdout + logs.stderr, 1500))
            return False
        events = self.rt.events(since, self.project)
        self.events = events
        for vpn in self.vpn_names():
            behind = [e["name"] for e in self.model["engines"] if e.get("vpn") == vpn]
            early, detail = started_before_healthy(events, vpn, behind)
            self.c.check(not early, "VPN %s: its %d engine(s) started only after it reported healthy" % (
                vpn, len(behind)), detail)
        return True

    def up_podman(self, label):
        """podman-compose skips `condition: service_healthy` on podman < 4.6 and podman runs no
        health checks without systemd: VPN services first, their check run by hand, then the rest."""
        vpns = self.vpn_names()
        if vpns:
            if not self.compose_up(["-d"] + vpns, "podman-compose up -d %s (VPN first)" % " ".join(vpns)):
                return False
            for vpn in vpns:
                deadline, proc = time.time() + VPN_HEALTH_WAIT_S, None
                while time.time() < deadline:
                    proc = self.rt.cmd("healthcheck", "run", vpn)
                    if proc.returncode == 0:
                        break
                    time.sleep(0.5)
                self.c.check(proc is not None and proc.returncode == 0,
                             "VPN %s: image HEALTHCHECK passes (podman healthcheck run)" % vpn,
                             short(proc.stdout + proc.stderr) if proc else "not run")
            before = self.rt.ids(vpns)
        if not self.compose_up(["-d"], "podman-compose up -d%s" % label):
            return False
        if vpns:
            after = self.rt.ids(vpns)
            self.c.check(after == before, "second podman-compose up keeps the running VPN containers",
                         "before %s after %s" % (before, after))
        return True

    def wait_engines(self, engines):
        answering = wait_answering([e["http_port"] for e in engines], ENGINE_WAIT_S)
        for e in engines:
            ok = e["http_port"] in answering
            detail = ""
            if not ok:
                logs = self.rt.cmd("logs", "--tail", "5", e["name"])
                state = self.rt.cmd("inspect", "--format", "{{.State.Status}}", e["name"]).stdout.strip()
                detail = "no get_version answer on %s:%d within %ds (state %s; logs: %s)" % (
                    HOST, e["http_port"], ENGINE_WAIT_S, state or "missing", short(logs.stdout + logs.stderr))
            self.c.check(ok, "%s answers get_version on %s:%d" % (e["name"], HOST, e["http_port"]), detail)
        return len(answering)

    def bring_up_and_check(self, model, label=""):
        engines = model["engines"]
        up = self.up_docker(label) if self.rt.is_docker else self.up_podman(label)
        if not up:
            return None
        if not engines:
            left = [n for n, i in self.rt.inspect(self.rt.project_containers(self.project)).items()
                    if not i["State"].get("Running")]
            self.c.check(not left, "every container of the file runs (no engines in this file)", str(left))
            if self.orchestrator_standin:
                vpn_info = self.rt.inspect(self.vpn_names(model))
                if vpn_info:
                    check_vpns(self, model, vpn_info)
                self.orchestrator_summary = orch_checks.check_orchestrator(self, model, self.events)
            return 0, 0
        answering = self.wait_engines(engines)
        infos = self.rt.inspect([e["name"] for e in engines])
        vpn_info = self.rt.inspect(self.vpn_names(model))
        good = sum(check_engine(self, e, infos.get(e["name"]), vpn_info) for e in engines)
        if vpn_info:
            check_vpns(self, model, vpn_info)
        return answering, good

    # ---- growth and shrinking -----------------------------------------------------------------
    def grow(self, model):
        n = len(model["engines"])
        names = [e["name"] for e in model["engines"]]
        before = self.rt.ids(names + self.vpn_names(model))
        if not self.generate(replicas=n + 1):
            return "growth failed"
        grown = self.explain(replicas=n + 1)
        if grown is None:
            return "growth failed"
        self.c.check(len(grown["engines"]) == n + 1 and grown["engines"][:n] == model["engines"],
                     "growth to %d engines leaves engines 1..%d unchanged in explain" % (n + 1, n))
        args = ["-d", "--wait", "--wait-timeout", "120"] if self.rt.is_docker else ["-d"]
        if not self.compose_up(args, "%s up %s after growth to %d engines" % (self.tool, " ".join(args), n + 1)):
            return "growth failed"
        new = grown["engines"][n]
        self.wait_engines([new])
        after = self.rt.ids(names + [new["name"]] + self.vpn_names(model))
        recreated = sorted(k for k in before if after.get(k) != before[k])
        kept_all = self.c.check(not recreated, "growth: no existing container recreated (same container IDs)",
                                "recreated: %s" % recreated)
        vpn_info = self.rt.inspect(self.vpn_names(grown))
        new_ok = check_engine(self, new, self.rt.inspect([new["name"]]).get(new["name"]), vpn_info)
        summary = "grew to %d %s" % (n + 1, "without recreating" if kept_all and new_ok else "WITH PROBLEMS")
        if self.rt.is_docker:
            summary += "; " + self.shrink(model, new["name"], after)
        return summary

    def shrink(self, model, dropped, before):
        """Back to the original count with --remove-orphans: only the dropped engine goes."""
        n = len(model["engines"])
        if not self.generate(replicas=n):
            return "shrinking failed"
        if not self.compose_up(["-d", "--wait", "--wait-timeout", "120", "--remove-orphans"],
                               "docker compose up -d --remove-orphans after shrinking to %d" % n):
            return "shrinking failed"
        after = self.rt.ids(list(before))
        gone = sorted(set(before) - set(after))
        changed = sorted(k for k in after if after[k] != before[k])
        ok = self.c.check(gone == [dropped] and not changed,
                          "shrinking to %d removes only %s, keeps every other container" % (n, dropped),
                          "removed %s, recreated %s" % (gone, changed))
        return "shrank to %d removing only %s" % (n, dropped) if ok else "shrinking WITH PROBLEMS"

    # ---- main ---------------------------------------------------------------------------------
    def load_extra_args(self):
        """acegen.args in the example: extra acegen arguments (shell words, # comments)."""
        path = os.path.join(self.dir, "acegen.args")
        if os.path.exists(path):
            with open(path, encoding="utf-8") as fh:
                self.extra_args = shlex.split(fh.read(), comments=True)
            note("acegen.args: %s" % " ".join(self.extra_args))
        if orch_checks.is_orchestrator_stack(self.extra_args) and self.rt.is_docker:
            narrow = orch_checks.narrowing_args(orch_checks.env_text(os.path.join(self.dir, ".env")))
            self.extra_args += narrow
            note("orchestrator shape: %s (each VPN publishes its whole range, one docker-proxy per port)"
                 % " ".join(narrow))

    def main(self):
        shutil.rmtree(self.dir, ignore_errors=True)
        shutil.copytree(self.args.src, self.dir, symlinks=True)
        for stale in ("docker-compose.yml", "compose.yml", "docker-compose.yaml"):
            if os.path.exists(os.path.join(self.dir, stale)):
                os.remove(os.path.join(self.dir, stale))
        self.load_extra_args()
        summary = "not run"
        try:
            summary = self.run_example()
        except Exception as exc:  # report, count, and still tear down
            self.c.check(False, "unexpected error", "%s: %s" % (type(exc).__name__, exc))
            summary = "error: %s" % exc
        finally:
            try:
                self.compose_down()
            finally:
                if self.c.failed:
                    summary += " -- %d check(s) FAILED" % self.c.failed
                print("e2e %s [%s]: %s" % (self.name, self.rt.name, summary), flush=True)
                with open(self.args.counts, "a", encoding="utf-8") as fh:
                    fh.write("%d %d\n" % (self.c.passed, self.c.failed))

    def run_example(self):
        if orch_checks.is_orchestrator_2_1(self.extra_args):
            import orchestrator21_checks  # the 2.1 stack: the orchestrator alone
            return orchestrator21_checks.run(self)
        if not self.generate():
            return "acegen failed"
        model = self.explain()
        if model is None:
            return "acegen explain failed"
        self.model = model
        if model.get("orchestrator") and not self.rt.is_docker:
            note(orch_checks.podman_skip_reason())
            return "skipped: " + orch_checks.podman_skip_reason()
        self.tag_images()
        names = self.vpn_names() + [e["name"] for e in model["engines"]]
        if model.get("orchestrator"):
            names.append(model["orchestrator"].get("name") or "orchestrator")
        if self.args.grow:
            names.append("acestream-%d" % (len(model["engines"]) + 1))
        if not self.preclean(names):
            return "name clash"
        res = self.bring_up_and_check(model)
        if res is None:
            return "%s up failed" % self.tool
        answering, good = res
        n = len(model["engines"])
        if n == 0:
            return self.orchestrator_summary or "no engines in the file; every service runs"
        summary = "%d/%d engines up and answering, %s" % (
            answering, n, "args and labels match" if good == n else "%d/%d engines pass every check" % (good, n))
        if self.args.grow:
            summary += "; " + self.grow(model)
        if self.args.lifecycle and self.rt.is_docker and self.vpn_names():
            import lifecycle  # docker only: restarts of the VPN, inside and outside compose
            summary += "; " + lifecycle.run_all(self)
        return summary


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--name", required=True)
    p.add_argument("--src", required=True, help="example folder (holds .env)")
    p.add_argument("--workdir", required=True)
    p.add_argument("--acegen", required=True, help="acegen command (shell words)")
    p.add_argument("--runtime", choices=("docker", "podman"), required=True)
    p.add_argument("--cli", required=True, help="container CLI command (shell words): docker or podman")
    p.add_argument("--compose", required=True, help="compose command (shell words)")
    p.add_argument("--counts", required=True)
    p.add_argument("--grow", action="store_true", help="add an engine (docker: and remove it again)")
    p.add_argument("--lifecycle", action="store_true", help="docker: VPN restart scenarios (lifecycle.py)")
    args = p.parse_args()
    Example(args, Runtime(args.runtime, args.cli, args.compose)).main()
    return 0


if __name__ == "__main__":
    sys.exit(main())
