"""`--stack orchestrator` files on a real Docker Engine (called by check.py, docker only).

The stand-in orchestrator (images/orchestrator) checks from inside what the file gives it: each
Gluetun control server answers by container name and GLUETUN_API_PORT, the Docker socket is
mounted; it serves its results on port 8000 and is healthy only when every check passed. Here:
`up -d --wait` succeeded (check.py), the orchestrator started only after every VPN reported
healthy, it answers on the host's APP_PORT, and its checks passed, one per VPN.
"""
import re

from e2elib import HOST, ORCHESTRATOR_STANDIN, first_event, http_request, note, short

# Each VPN publishes its whole engine range: 500 ports are 500 docker-proxy processes on Docker.
NARROW_RANGES = {"GLUETUN_PORT_RANGE_1": "19000-19009", "GLUETUN_PORT_RANGE_2": "19500-19509"}


def is_orchestrator_stack(args):
    words = list(args)
    return "--stack=orchestrator" in words or any(
        a == "--stack" and b == "orchestrator" for a, b in zip(words, words[1:]))


def is_orchestrator_2_1(args):
    words = list(args)
    return "--orchestrator=2.1" in words or any(
        a == "--orchestrator" and b == "2.1" for a, b in zip(words, words[1:]))


def narrowing_args(env_text):
    """--set for the per-VPN ranges the .env sets (only those: a key without effect warns)."""
    args = []
    for key, value in NARROW_RANGES.items():
        if re.search(r"^\s*(export\s+)?%s\s*=" % key, env_text, re.M):
            args += ["--set", "%s=%s" % (key, value)]
    return args


def check_orchestrator(ex, model, events):
    """Returns a summary for the example line."""
    c = ex.c
    orch = model["orchestrator"]
    name = orch.get("name") or "orchestrator"
    vpns = ex.vpn_names(model)
    started = first_event(events, name, "start")
    late = []
    for vpn in vpns:
        healthy = first_event(events, vpn, "health_status: healthy")
        ok = started is not None and healthy is not None and healthy <= started
        late.append(ok)
        c.check(ok, "orchestrator started only after VPN %s reported healthy" % vpn,
                "healthy at %s, orchestrator started at %s" % (healthy, started))
    health = ex.rt.health(name)
    c.check(health == "healthy", "orchestrator stand-in healthy (every check it makes passed)", health)
    status, body = http_request(orch["app_port"], "/checks")
    lines = (body or "").splitlines() if status == 200 else []
    for line in lines:
        note("orchestrator: %s" % short(line, 200))
    c.check(status == 200, "orchestrator answers on %s:%d (APP_PORT)" % (HOST, orch["app_port"]),
            "status %r" % status)
    reached = [l for l in lines if l.startswith("ok Gluetun control server ")]
    # both routes the real orchestrator calls, without a key (v1.0.0 and v1.5+ respectively)
    want = ["%s:%s%s" % (s["name"], s.get("api_port", 8000), path)
            for s in model["vpn"].get("services") or []
            for path in ("/v1/openvpn/portforwarded", "/v1/portforward")]
    got = [l.split()[4] for l in reached]
    c.check(sorted(got) == sorted(want) and bool(want),
            "orchestrator reached every Gluetun control server by name and port, without a key: %s"
            % ", ".join(want),
            "reached %s" % got)
    c.check("ok /var/run/docker.sock is mounted" in lines, "orchestrator finds /var/run/docker.sock mounted",
            short(body or ""))
    c.check(lines[-1:] == ["all checks passed"], "orchestrator stand-in: all checks passed", short(body or ""))
    if vpns:
        standin_catches_a_wrong_port(ex, model, vpns[0])
    if vpns:
        passed = all(late) and health == "healthy" and lines[-1:] == ["all checks passed"]
    else:
        passed = health == "healthy" and lines[-1:] == ["all checks passed"]
    return "orchestrator shape: %d VPN(s) healthy before the orchestrator started, it answers on %s:%d, " \
           "%s" % (len(vpns), HOST, orch["app_port"],
                   "its checks passed (%d control-server route(s) reached without a key)" % len(got) if passed else "CHECKS FAILED")


def standin_catches_a_wrong_port(ex, model, vpn):
    """The stand-in's checks can fail: the same image on the file's network, told a control
    server port nothing listens on, exits 1 naming it."""
    net = model.get("network") or "%s_default" % ex.project
    proc = ex.rt.cmd("run", "--rm", "--network", net, "-e", "GLUETUN_CONTAINER_NAME=%s" % vpn,
                     "-e", "GLUETUN_API_PORT=1", "-e", "STANDIN_TRIES=2", ORCHESTRATOR_STANDIN)
    out = proc.stdout + proc.stderr
    failed = "FAIL Gluetun control server %s:1/v1/openvpn/portforwarded does not answer" % vpn
    ex.c.check(proc.returncode == 1 and failed in out,
               "the orchestrator stand-in exits 1 when a control server does not answer (%s:1)" % vpn,
               "exit %d: %s" % (proc.returncode, short(out)))


def podman_skip_reason():
    return ("orchestrator shape skipped on podman: the orchestrator drives the Docker API through "
            "/var/run/docker.sock, which rootful podman only serves with its systemd socket unit")


def env_text(path):
    try:
        with open(path, encoding="utf-8") as fh:
            return fh.read()
    except OSError:
        return ""

