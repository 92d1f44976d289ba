"""`--stack orchestrator --orchestrator 2.1` files on a real Docker Engine (called by check.py).

The stack is the orchestrator 2.1 alone: it creates its engines and Gluetun containers itself.
Its release image is not available here, so the orchestrator stand-in (images/orchestrator)
runs under the release's name; in a container with /app/app/config mounted it checks from
inside that the Docker socket is mounted and the settings store's folder is writable, and
serves its results on port 8000. Here: `up -d --wait` succeeds (its health check passes only
when its checks did), the file holds no other service, the container runs under the pinned
image name, the config folder is the one beside the compose file, it is on the network the file
names (with that exact name, which the containers 2.1 creates join), it answers on the
published host port, and its environment holds exactly the keys acegen passed, with the values
compose read from .env.
"""
import json
import os

from e2elib import HOST, ORCHESTRATOR_STANDIN, http_request, note, short
from e2elib import run as run_command
import orchestrator_checks as orch_checks

NAME = "orchestrator"


def explain(ex):
    proc = run_command(ex.acegen + ["explain", "--format", "json"] + ex.acegen_opts(None), cwd=ex.dir)
    if not ex.c.check(proc.returncode == 0, "acegen explain --format json runs (2.1)",
                      "exit %d: %s" % (proc.returncode, short(proc.stderr))):
        return None
    model = json.loads(proc.stdout)
    ok = model.get("orchestrator") == "2.1" and isinstance(model.get("stack"), dict)
    ex.c.check(ok, "acegen explain --format json describes the 2.1 stack", short(proc.stdout))
    return model["stack"] if ok else None


def env_values(ex):
    """KEY=VALUE lines of the example's .env (plain values, as the 2.1 example writes them),
    then the --set values of the extra arguments, which win."""
    values = {}
    for line in orch_checks.env_text(os.path.join(ex.dir, ".env")).splitlines():
        if "=" in line and not line.lstrip().startswith("#"):
            key, value = line.split("=", 1)
            values[key.strip()] = value.split(" #")[0].strip().strip('"')
    words = ex.acegen_opts(None)
    for flag, value in zip(words, words[1:]):
        if flag == "--set" and "=" in value:
            key, text = value.split("=", 1)
            values[key] = text
    return values


def tag(ex, image):
    full = image if "/" in image.split(":")[0] else "docker.io/library/" + image
    orig = ex.rt.image_id(full) or "-"
    retag = os.environ.get("E2E_RETAG_FILE")
    if retag and orig != ex.rt.image_id(ORCHESTRATOR_STANDIN):
        with open(retag, "a", encoding="utf-8") as fh:
            fh.write("%s %s\n" % (full, orig))
    proc = ex.rt.cmd("tag", ORCHESTRATOR_STANDIN, full)
    return ex.c.check(proc.returncode == 0, "stand-in orchestrator tagged as %s" % image, short(proc.stderr))


def run(ex):
    """Brings the example's 2.1 stack up and checks it; returns the example's summary line."""
    if not ex.rt.is_docker:
        note(orch_checks.podman_skip_reason())
        return "skipped: " + orch_checks.podman_skip_reason()
    if not ex.generate():
        return "acegen failed"
    stack = explain(ex)
    if stack is None or not tag(ex, stack["image"]) or not ex.preclean([NAME]):
        return "not started"
    if not ex.compose_up(["-d", "--wait", "--wait-timeout", "120"], "docker compose up -d --wait (2.1 stack)"):
        logs = ex.rt.cmd("logs", "--tail", "20", NAME)
        note("orchestrator logs: %s" % short(logs.stdout + logs.stderr, 1500))
        return "up failed"
    c = ex.c
    containers = ex.rt.project_containers(ex.project)
    info = ex.rt.inspect([NAME]).get(NAME) or {}
    c.check(len(containers) == 1 and bool(info), "the file runs one container, the orchestrator (no Gluetun)",
            str(containers))
    c.check(info.get("Config", {}).get("Image") == stack["image"],
            "it runs the pinned release image %s" % stack["image"], str(info.get("Config", {}).get("Image")))
    mounts = {m.get("Destination"): m.get("Source") for m in info.get("Mounts", [])}
    config = os.path.realpath(os.path.join(ex.dir, "config"))
    c.check("/var/run/docker.sock" in mounts, "the Docker socket is mounted", str(mounts))
    c.check(os.path.realpath(mounts.get("/app/app/config") or "-") == config,
            "its settings store's folder is ./config beside the compose file", str(mounts))
    networks = list((info.get("NetworkSettings") or {}).get("Networks") or {})
    c.check(networks == [stack["network"]], "it is on the network named exactly %s" % stack["network"],
            str(networks))
    port = int(stack["ports"][0].split(":")[-2])
    status, body = http_request(port, "/checks", timeout=3)
    passed = status == 200 and (body or "").rstrip().endswith("all checks passed")
    c.check(passed, "it answers on %s:%d and its checks passed (socket, writable config folder)" % (HOST, port),
            "status %s: %s" % (status, short(body or "")))
    env = dict(e.split("=", 1) for e in info.get("Config", {}).get("Env") or [] if "=" in e)
    given = env_values(ex)
    wrong = ["%s=%r (want %r)" % (k, env.get(k), given.get(k)) for k in stack["environment"]
             if env.get(k) != given.get(k)]
    c.check(not wrong, "its environment holds the %d keys 2.1 reads, with .env's values"
            % len(stack["environment"]), "; ".join(wrong))
    leaked = [k for k in given if k not in stack["environment"] and k in env]
    c.check(not leaked, "no other key of .env reaches it (VPN credentials stay out)", ", ".join(leaked))
    return "orchestrator 2.1 stack up: %s" % ("every check passed" if passed and not wrong and not leaked
                                              else "CHECKS FAILED")

