"""Per-engine and per-VPN checks of check.py: what each running container received, compared with
`acegen explain --format json`. `ex` is check.Example (its runtime `ex.rt`, checker `ex.c`)."""
import json
import os
import re

from e2elib import HOST, answers_get_version, http_get, http_request, normalize_image, parse_bytes, short


def engine_argv(port):
    """How the stand-in engine on `port` was started: argv0, then its arguments (None: no answer)."""
    body = http_get(port, "/args")
    return body.splitlines() if body is not None else None


def option_values(argv):
    """{--option: value} of an argument list."""
    return {a: argv[i + 1] for i, a in enumerate((argv or [])[:-1]) if a.startswith("--")}


def check_engine(ex, e, info, vpn_info):
    c, rt, name = ex.c, ex.rt, e["name"]
    if info is None:
        c.check(False, "%s container exists" % name)
        return False
    cfg, host = info.get("Config", {}), info.get("HostConfig", {})
    all_ok = True

    # what the stand-in engine received
    received = engine_argv(e["http_port"])
    if e.get("command"):
        expected = list(e["command"])
        ok = received is not None and len(received) >= 1 and \
            os.path.basename(received[0]) == os.path.basename(expected[0]) and received[1:] == expected[1:]
    else:
        expected = ["/acestream/acestreamengine"] + (e.get("acestream_args") or "").split()
        ok = received == expected
    all_ok &= c.check(ok, "%s: engine received the arguments explain gives" % name,
                      "expected %s, got %s" % (expected, received))

    # what the runtime was told (exec form command / ACESTREAM_ARGS / image / restart policy)
    problems = []
    if e.get("command"):
        if cfg.get("Cmd") != e["command"]:
            problems.append("Cmd %s != %s" % (cfg.get("Cmd"), e["command"]))
    else:
        want = "ACESTREAM_ARGS=" + (e.get("acestream_args") or "")
        if want not in (cfg.get("Env") or []):
            got = [v for v in cfg.get("Env") or [] if v.startswith("ACESTREAM_ARGS=")]
            problems.append("env %s, expected %s" % (got, want))
        if e.get("acestream_args") is None:
            problems.append("explain gives neither command nor acestream_args")
    image_names = set(normalize_image(n) for n in (info.get("ImageName"), cfg.get("Image")) if n)
    if e.get("image") and normalize_image(e["image"]) not in image_names:
        problems.append("image %s, expected %s" % (sorted(image_names), e["image"]))
    restart = (host.get("RestartPolicy") or {}).get("Name")
    if restart != "unless-stopped":
        problems.append("restart policy %r" % restart)
    all_ok &= c.check(not problems, "%s: container config (command/env, image, restart) matches" % name,
                      "; ".join(problems))

    # labels
    labels = cfg.get("Labels") or {}
    want_labels = e.get("labels") or {}
    problems = ["%s=%r (expected %r)" % (k, labels.get(k), v) for k, v in want_labels.items()
                if labels.get(k) != v]
    ours = [k for k in labels if k.startswith(("acestream.", "host.")) and k not in want_labels]
    if ours:
        problems.append("labels not in explain: %s" % ours)
    all_ok &= c.check(not problems and bool(want_labels), "%s: labels match" % name,
                      "; ".join(problems) or "explain gives no labels")

    all_ok &= check_engine_network(ex, e, host, vpn_info)

    # memory limit and DOCKER_NETWORK
    problems = []
    if "mem_limit" in e:
        want_mem = parse_bytes(e.get("mem_limit"))
        if host.get("Memory", 0) != want_mem:
            problems.append("memory limit %s bytes, expected %s (%r)" % (host.get("Memory"), want_mem, e.get("mem_limit")))
    net = docker_network(ex.model)
    if net and not e.get("vpn"):
        nets = sorted((info.get("NetworkSettings") or {}).get("Networks") or {})
        if nets != [net]:
            problems.append("networks %s, expected [%r] (DOCKER_NETWORK)" % (nets, net))
    if "mem_limit" in e or (net and not e.get("vpn")):
        all_ok &= c.check(not problems, "%s: memory limit %s%s" % (
            name, e.get("mem_limit") or "none", ", network %s" % net if net and not e.get("vpn") else ""),
            "; ".join(problems))

    # health check: the file's own, probing the engine's own port, passing where it runs
    hc = e.get("healthcheck")
    got_hc = (cfg.get("Healthcheck") or {}).get("Test")
    if hc:
        own_port = "127.0.0.1:%d/" % e["http_port"]
        all_ok &= c.check(got_hc == hc and own_port in " ".join(hc),
                          "%s: compose healthcheck reaches %s and probes %s" % (name, rt.name, own_port),
                          "%s has %s, explain %s" % (rt.name, got_hc, hc))
        cmd = ["sh", "-c", hc[1]] if hc[0] == "CMD-SHELL" else hc[1:]
        proc = rt.exec_ok(name, cmd)
        all_ok &= c.check(proc.returncode == 0, "%s: healthcheck command passes inside the container" % name,
                          "exit %d: %s" % (proc.returncode, short(proc.stdout + proc.stderr)))
        if rt.is_docker:
            status = rt.wait_health([name], seconds=30)[name]
            all_ok &= c.check(status == "healthy", "%s: docker reports it healthy" % name, "health %r" % status)
        else:
            proc = rt.cmd("healthcheck", "run", name)
            all_ok &= c.check(proc.returncode == 0, "%s: podman healthcheck run reports healthy" % name,
                              "exit %d: %s" % (proc.returncode, short(proc.stdout + proc.stderr)))
    else:
        all_ok &= c.check(not got_hc or got_hc == ["NONE"], "%s: no healthcheck (none in explain)" % name,
                          "%s has %s" % (rt.name, got_hc))
    return all_ok


def check_engine_network(ex, e, host, vpn_info):
    """Own published port, or the VPN's network stack (and only that VPN's)."""
    rt, name = ex.rt, e["name"]
    mode = host.get("NetworkMode", "")
    bindings = host.get("PortBindings") or {}
    problems = []
    probe = ["wget", "-q", "-O-", "http://127.0.0.1:%d/webui/api/service?method=get_version" % e["http_port"]]
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
        inside = rt.exec_ok(e["vpn"], probe)
        if inside.returncode != 0 or '"error": null' not in inside.stdout:
            problems.append("not reachable on 127.0.0.1:%d inside %s" % (e["http_port"], e["vpn"]))
        for other in vpn_info:
            if other != e["vpn"] and rt.exec_ok(other, probe).returncode == 0:
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
    return ex.c.check(not problems, what, "; ".join(problems))


def docker_network(model):
    setting = (model or {}).get("settings", {}).get("DOCKER_NETWORK") or {}
    return setting.get("value") if isinstance(setting, dict) else None


def env_file_value(folder, key):
    """KEY's value in the folder's .env for simple lines (KEY=v, 'v', "v"), else None."""
    try:
        with open(os.path.join(folder, ".env"), encoding="utf-8") as fh:
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


def check_vpns(ex, model, vpn_info):
    c = ex.c
    engine_args = {e["name"]: option_values(engine_argv(e["http_port"])) for e in model["engines"]}
    for svc in model["vpn"].get("services") or []:
        name = svc["name"]
        info = vpn_info.get(name)
        if not c.check(info is not None and info.get("State", {}).get("Running"), "VPN %s container running" % name):
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
            in_env = env_file_value(ex.dir, "GLUETUN_API_KEY")
            # never print the key itself: say only whether it matched
            c.check(bool(key) and "${" not in key and (in_env is None or key == in_env),
                    "VPN %s: API key reached the control server resolved from .env" % name,
                    "the container's key %s the .env value" % ("differs from" if in_env else "has no"))
            status, _ = http_request(host_port, "/v1/portforward")
            c.check(status == 401, "VPN %s: control server refuses a request without the key" % name,
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
            c.check(reported == svc["forwarded_port"], "VPN %s: control server on %s:%s reports forwarded port %s" % (
                name, HOST, host_port, svc["forwarded_port"]), "got %r" % body)
            fwd = [e for e in model["engines"] if e.get("vpn") == name and e.get("forwarded")]
            ports = [engine_args.get(e["name"], {}).get("--port") for e in fwd]
            c.check(len(fwd) == 1 and ports == [str(reported)],
                    "VPN %s: exactly one forwarded engine, started with --port %s" % (name, reported),
                    "forwarded engines %s with --port %s" % ([e["name"] for e in fwd], ports))
        else:
            c.check(body is not None, "VPN %s: control server answers on %s:%s" % (name, HOST, host_port))
            fwd = [e["name"] for e in model["engines"] if e.get("vpn") == name and e.get("forwarded")]
            c.check(not fwd, "VPN %s: no engine labelled forwarded without a known port" % name, str(fwd))
        # P2P ports of engines sharing this network stack must differ
        p2p = [engine_args.get(e["name"], {}).get("--port") for e in model["engines"] if e.get("vpn") == name]
        c.check(None not in p2p and len(set(p2p)) == len(p2p),
                "VPN %s: engines behind it have distinct --port values %s" % (name, p2p))
        # published ports: the engines' HTTP ports and the control server, on 127.0.0.1 only
        bindings = info.get("HostConfig", {}).get("PortBindings") or {}
        want_ports = set("%d/tcp" % p for p in svc.get("published_ports") or [])
        want_ports.add("%d/tcp" % svc.get("api_port", 8000))
        bad_ip = [k for k, v in bindings.items() if any(b.get("HostIp") != HOST for b in v)]
        c.check(set(bindings) == want_ports and not bad_ip,
                "VPN %s: publishes exactly its engines' HTTP ports and the control server, on %s" % (name, HOST),
                "bindings %s, expected %s" % (sorted(bindings), sorted(want_ports)))
        net = docker_network(model)
        if net:
            nets = sorted((info.get("NetworkSettings") or {}).get("Networks") or {})
            c.check(nets == [net], "VPN %s: joins network %s (DOCKER_NETWORK)" % (name, net), "networks %s" % nets)
        caps = info.get("HostConfig", {}).get("CapAdd") or []
        devices = [d.get("PathOnHost") for d in info.get("HostConfig", {}).get("Devices") or []]
        c.check(any("NET_ADMIN" in cap for cap in caps) and "/dev/net/tun" in devices,
                "VPN %s: has NET_ADMIN and /dev/net/tun" % name, "caps %s devices %s" % (caps, devices))
