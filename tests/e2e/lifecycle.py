"""VPN restart scenarios on a real Docker Engine (called by check.py with --lifecycle, docker only).

On an example with VPNs, once check.py has brought it up and checked it:
1. `docker compose restart VPN` restarts the VPN's engines after it is healthy; they answer again.
2. `docker restart VPN` (outside compose, as the daemon does after a crash): its engines stay in
   the old network namespace. Engines without the VPN watchdog (nano-ace: distroless, no health
   check) stop answering; `docker compose up -d` does not change that; `docker compose restart
   ENGINES` recovers them. Measured and printed (docs/runtimes.md).
3. Engines with the VPN watchdog (the generated health check of jopsis engines behind a VPN, with
   `init: true`): the check ends an engine whose network namespace lost every interface but `lo`
   and the restart policy starts it again inside the VPN's new namespace; they answer again
   within WATCHDOG_WAIT_S with no compose command, on the generated file as it is.
4. An unhealthy VPN: `docker compose up` fails naming it, and its engines are never started.
"""
import os
import time

from e2elib import note, parse_time, started_at, wait_answering

STRANDED_OBSERVE_S = 8
RECOVER_WAIT_S = 45
# The watchdog's bound: the health check runs every 30 s (also during start_period), waits 5 s
# for the VPN to be back, then TERM (KILL 3 s later); the daemon restarts the engine at once.
WATCHDOG_WAIT_S = 30 + 5 + 3 + 20
# What marks the watchdog in a generated health check (src/resolve/mod.rs).
WATCHDOG_MARK = "/proc/net/dev"


def has_watchdog(engine):
    return any(WATCHDOG_MARK in item for item in engine.get("healthcheck") or [])


def unhealthy_override(vpn):
    return ("services:\n  %s:\n    healthcheck:\n      test: [\"CMD\", \"false\"]\n"
            "      interval: 1s\n      timeout: 1s\n      retries: 2\n") % vpn


class Lifecycle:
    def __init__(self, ex):
        self.ex, self.c, self.rt = ex, ex.c, ex.rt
        self.vpn = ex.vpn_names()[0]
        self.engines = [e for e in ex.model["engines"] if e.get("vpn") == self.vpn]
        self.names = [e["name"] for e in self.engines]
        self.ports = [e["http_port"] for e in self.engines]

    def started(self, names):
        return {n: started_at(i) for n, i in self.rt.inspect(names).items()}

    def answering_now(self):
        return wait_answering(self.ports, 0.1)

    def compose_restart_of_vpn(self):
        before = self.started([self.vpn] + self.names)
        proc = self.ex.compose("restart", self.vpn)
        after = self.started([self.vpn] + self.names)
        restarted = [n for n in self.names if after.get(n) != before.get(n) and after.get(n, 0) >= after[self.vpn]]
        self.c.check(proc.returncode == 0 and after[self.vpn] != before[self.vpn] and restarted == self.names,
                     "docker compose restart %s restarts its %d engine(s) after it" % (self.vpn, len(self.names)),
                     "exit %d; restarted %s; before %s after %s" % (proc.returncode, restarted, before, after))
        back = wait_answering(self.ports, RECOVER_WAIT_S)
        self.c.check(back == self.ports, "after docker compose restart %s every engine answers again" % self.vpn,
                     "answering: %s of %s" % (back, self.ports))

    def restart_outside_compose(self):
        """Returns the seconds the engines stayed unreachable before `compose restart` fixed it."""
        t0 = time.time()
        self.rt.cmd("restart", "-t", "1", self.vpn)
        health = self.rt.wait_health([self.vpn], seconds=30)[self.vpn]
        self.c.check(health == "healthy", "docker restart %s: the VPN is healthy again" % self.vpn, health)
        time.sleep(STRANDED_OBSERVE_S)
        answering = self.answering_now()
        note("docker restart %s: %d/%d engines answer %.0f s later (the rest are left in the old "
             "network namespace)" % (self.vpn, len(answering), len(self.ports), time.time() - t0))
        self.c.check(not answering, "docker restart %s outside compose strands its engines (documented)" % self.vpn,
                     "still answering: %s" % answering)
        own_checks = [e for e in self.engines if e.get("healthcheck")]
        if own_checks:  # the health check in the file cannot see it: it probes 127.0.0.1 inside
            passing = [e["name"] for e in own_checks
                       if self.rt.exec_ok(e["name"], ["sh", "-c", e["healthcheck"][1]]).returncode == 0]
            self.c.check(len(passing) == len(own_checks),
                         "the stranded engines' own health check still passes (documented)",
                         "passing: %s of %s" % (passing, [e["name"] for e in own_checks]))
        times = self.started([self.vpn] + self.names)
        stale = [n for n in self.names if times.get(n, 0) < times[self.vpn]]
        self.c.check(stale == self.names, "the stranded engines are visible: they started before their VPN",
                     str(times))
        self.ex.compose("up", "-d")
        after_up = wait_answering(self.ports, 3)
        self.c.check(not after_up, "docker compose up -d does not recover them (nothing changed in the file)",
                     "answering: %s" % after_up)
        proc = self.ex.compose("restart", *self.names)
        back = wait_answering(self.ports, RECOVER_WAIT_S)
        self.c.check(proc.returncode == 0 and back == self.ports,
                     "docker compose restart %s recovers them" % " ".join(self.names),
                     "exit %d; answering: %s" % (proc.returncode, back))
        return time.time() - t0

    def watchdog(self):
        """The generated file as it is: after `docker restart VPN` the engines' own health check
        ends them and the daemon starts them again in the VPN's new namespace. Returns seconds."""
        infos = self.rt.inspect(self.names)
        no_init = [n for n, i in infos.items() if not (i.get("HostConfig") or {}).get("Init")]
        self.c.check(not no_init, "watchdog engines run with init: true (HostConfig.Init)", str(no_init))
        before = {n: i.get("RestartCount", 0) for n, i in infos.items()}
        t0 = time.time()
        self.rt.cmd("restart", "-t", "1", self.vpn)
        health = self.rt.wait_health([self.vpn], seconds=30)[self.vpn]
        self.c.check(health == "healthy", "docker restart %s: the VPN is healthy again" % self.vpn, health)
        back = wait_answering(self.ports, WATCHDOG_WAIT_S)
        took = time.time() - t0
        times = self.started([self.vpn] + self.names)
        restarts = {n: i.get("RestartCount", 0) - before.get(n, 0) for n, i in self.rt.inspect(self.names).items()}
        fresh = [n for n in self.names if times.get(n, 0) >= times[self.vpn]]
        self.c.check(back == self.ports and fresh == self.names and all(restarts.values()),
                     "watchdog: after docker restart %s the engines' health check ends them, the daemon starts "
                     "them again in the VPN's new namespace, and they answer again by themselves within %d s "
                     "(took %.0f s)" % (self.vpn, WATCHDOG_WAIT_S, took),
                     "answering %s of %s; restarted %s; started after the VPN %s" % (
                         back, self.ports, restarts, fresh))
        note("docker restart %s: %d/%d engines answer again %.0f s later, recovered by the watchdog" % (
            self.vpn, len(back), len(self.ports), took))
        return took

    def unhealthy_vpn(self):
        self.ex.compose("down", "-t", "1")
        path = os.path.join(self.ex.dir, "unhealthy.override.yml")
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(unhealthy_override(self.vpn))
        proc = self.ex.compose_up(["-d"], "", files=("docker-compose.yml", path), expect_ok=None)
        out = proc.stdout + proc.stderr
        self.c.check(proc.returncode != 0 and self.vpn in out and "unhealthy" in out,
                     "with an unhealthy VPN, docker compose up -d fails and names it",
                     "exit %d: %s" % (proc.returncode, " ".join(out.split()[-30:])))
        states = {n: (i.get("State") or {}) for n, i in self.rt.inspect(self.names).items()}
        started = [n for n, s in states.items() if s.get("Running") or parse_time(s.get("StartedAt"))]
        self.c.check(not started and len(states) == len(self.names),
                     "with an unhealthy VPN its engines are created but never started",
                     "started: %s; states %s" % (started, {n: s.get("Status") for n, s in states.items()}))


def started_override(engine_names, vpn):
    lines = ["services:"]
    for name in engine_names:
        lines += ["  %s:" % name, "    depends_on:", "      %s:" % vpn, "        condition: service_started"]
    return "\n".join(lines) + "\n"


def ordering_check_can_fail(lc):
    """The start-order check of check.py must catch a file that does not wait for the VPN's
    health: the same file with `condition: service_started` (override) is caught."""
    from check import started_before_healthy
    lc.ex.compose("down", "-t", "1")
    path = os.path.join(lc.ex.dir, "started.override.yml")
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(started_override(lc.names, lc.vpn))
    since = time.time() - 1
    lc.ex.compose_up(["-d"], "", files=("docker-compose.yml", path), expect_ok=None)
    early, detail = started_before_healthy(lc.rt.events(since, lc.ex.project), lc.vpn, lc.names)
    lc.c.check(bool(early), "the start-order check catches engines that do not wait for a healthy VPN "
               "(condition: service_started)", "no early engine: " + detail)


def run_all(ex):
    lc = Lifecycle(ex)
    if not lc.engines:
        return "no engine behind a VPN: lifecycle skipped"
    lc.compose_restart_of_vpn()
    watched = [e["name"] for e in lc.engines if has_watchdog(e)]
    if watched and watched != lc.names:
        lc.c.check(False, "either every engine behind %s has the VPN watchdog or none" % lc.vpn, str(watched))
    if watched:
        healed = lc.watchdog()
        outside = "outside compose recovered by the generated watchdog in %.0f s" % healed
    else:
        stranded = lc.restart_outside_compose()
        outside = "outside compose stranded (no watchdog: distroless image) until compose restart (%.0f s)" % stranded
    lc.unhealthy_vpn()
    ordering_check_can_fail(lc)
    return "VPN restarts: compose restart ok; " + outside
