#!/usr/bin/env python3
"""Mutation fuzzer of the acegen BINARY (docs/development/fuzzing.md).

Mutates valid .env and custom variant files (the examples and the reference
inputs), sometimes adds --set / --replicas, runs `acegen generate` in a
fresh folder, and puts every exit-0 output through the real
`docker compose config` with that .env, as `docker compose up` would read it.

A finding is: compose refusing an output acegen accepted, acegen refusing
what its own built-in template wrote (an E05xx error), an exit code other
than 0/1/2 (a panic is 101, a stack overflow a signal), or a run longer
than --timeout. Each is saved as a folder under --findings (by
default fuzz/corpus/regressions/new/) holding the inputs, the arguments and
what went wrong, to be reviewed and moved into the regression corpus that
tests/fuzz_regressions.rs replays.

Seeded and bounded: the same --seed gives the same inputs; it stops after
--count runs or --seconds, whichever comes first. Exit status 1 when there
was a finding, 0 otherwise.

    compose=$(bash scripts/ci/install-compose.sh)
    python3 scripts/fuzz-binary.py --acegen target/debug/acegen --compose "$compose" \\
        --seed 1 --seconds 60
"""

import argparse
import hashlib
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

TOKENS = [
    "$", "$$", "${", "}", "${A}", "${A:-x}", "${A:?boom}", '"', "'", "\\", "\\n", "#", " #",
    "=", "\n", "\r\n", "\t", " ", ":", ",", "[", "]", "{", "-", ".", "*", "&a", "!!str",
    "\x1b[2J", "\u202e", "\u0085", "\u2028", "é", "日本", "0", "-1", "65535", "65536",
    "4294967296", "18446744073709551615", "1e20", "10.0", "NaN", "true", "null", "~",
    "export ", "export\t", "include: [x.yml]", "\ufeff",
]
VALUES = [
    "", "0", "1", "3", "100", "-5", "1.5", "abc", "true", "19000-19999", "40000-40010",
    "127.0.0.1", "::1", "a=b", "a$b=c", "x.y=z", "jopsis-amd64", "jopsis-arm32",
    "jopsis-arm64", "krinkuto11-amd64", "single", "redundant", "none", "gluetun",
    '"quoted value"', "'single'", "${MIN_REPLICAS}", "2g", "384m", "wireguard", "openvpn",
]
KEYS = [
    "ENGINE_VARIANT", "MIN_REPLICAS", "MAX_REPLICAS", "PORT_RANGE_HOST", "ACE_HTTP_RANGE",
    "ACE_HTTPS_RANGE", "ACE_MAP_HTTPS", "PORT_BIND_IP", "DOCKER_NETWORK", "CONTAINER_LABEL",
    "ENGINE_MEMORY_LIMIT", "VPN_MODE", "GLUETUN_CONTAINER_NAME", "GLUETUN_CONTAINER_NAME_2",
    "GLUETUN_API_PORT", "GLUETUN_API_KEY", "GLUETUN_PORT_RANGE_1", "GLUETUN_PORT_RANGE_2",
    "GLUETUN_FORWARDED_PORT", "GLUETUN_FORWARDED_PORT_2", "GLUETUN_IMAGE",
    "VPN_SERVICE_PROVIDER", "VPN_TYPE", "WIREGUARD_PRIVATE_KEY", "WIREGUARD_ADDRESSES",
    "OPENVPN_USER", "OPENVPN_PASSWORD", "SERVER_COUNTRIES", "SERVER_COUNTRIES.nl",
    "VPN_SERVICE_PROVIDER-custom", "TZ", "ENGINE_ARM64_VERSION", "ENGINE_ARM32_VERSION",
]
JSON_TOKENS = [
    "10.0", "1e2", "1e20", "-0", "18446744073709551615", "null", "true", '""', "[]", "{}",
    '"\\u0000"', '"a\\nb"', '"$x"', ",", "]", "}", "[[[[", '"amd64"', '"arm32"', '"arm64"',
]


# Findings already reported and being fixed on another branch: counted and
# printed, not failed (as fuzz/src/known.rs does for the in-process
# harnesses). Remove an entry once its fix is merged.
# Findings reported but not yet fixed: (pattern of the details, why). None open now.
KNOWN_OPEN = []


def known_open(details):
    return next((why for pattern, why in KNOWN_OPEN if pattern.search(details)), None)


def seeds(name):
    files = [d / name for d in sorted((ROOT / "examples").iterdir()) if d.is_dir()]
    ref = ROOT / "tests/fixtures/reference"
    files.append(ref / ("orchestrator.env.example" if name == ".env" else
                        "orchestrator.custom_engine_variant.json"))
    files.append(ROOT / "templates" / ("starter.env" if name == ".env" else
                                       "starter.custom_engine_variant.json"))
    return [f.read_text(encoding="utf-8") for f in files if f.is_file()]


def insert(rng, text, token):
    at = rng.randrange(len(text) + 1)
    return text[:at] + token + text[at:]


def mutate_env(rng, text):
    for _ in range(rng.randint(1, 4)):
        choice = rng.randrange(7)
        lines = text.splitlines()
        if choice == 0:
            value = rng.choice(TOKENS if rng.random() < 0.3 else VALUES)
            suffix = "_2" if rng.random() < 0.25 else ""
            text += f"{rng.choice(KEYS)}{suffix}={value}\n"
        elif choice == 1:
            text = insert(rng, text, rng.choice(TOKENS))
        elif choice == 2 and len(lines) > 1:
            a, b = rng.randrange(len(lines)), rng.randrange(len(lines))
            lines[a], lines[b] = lines[b], lines[a]
            text = "\n".join(lines) + "\n"
        elif choice == 3 and text:
            at = rng.randrange(len(text))
            text = text[:at] + text[at + 1:]
        elif choice == 4 and lines:
            text += rng.choice(lines) * rng.randint(1, 3) + "\n"
        elif choice == 5:
            run = rng.choice(["a", "9", "$", "{", "${A:-", "\\", " ", "."]) * rng.randint(1, 3000)
            text = insert(rng, text, run)
        else:
            text += f"CONTAINER_LABEL={rng.choice(VALUES)}{rng.choice(TOKENS)}={rng.choice(VALUES)}\n"
    return text


def mutate_json(rng, text):
    for _ in range(rng.randint(1, 4)):
        choice = rng.randrange(3)
        if choice == 0:
            starts = [i for i in range(1, len(text))
                      if text[i - 1] in ":[, " and (text[i].isdigit() or text[i] in '"tfn-')]
            if starts:
                start = rng.choice(starts)
                rest = text[start:]
                if rest.startswith('"'):
                    end = rest.find('"', 1)
                    length = end + 1 if end >= 0 else len(rest)
                else:
                    cut = [i for i in (rest.find(c) for c in ",}]\n") if i >= 0]
                    length = min(cut) if cut else len(rest)
                text = text[:start] + rng.choice(JSON_TOKENS) + text[start + length:]
        elif choice == 1:
            text = insert(rng, text, rng.choice(TOKENS))
        elif text:
            at = rng.randrange(len(text))
            text = text[:at] + text[at + 1:]
    return text


def extra_args(rng):
    args = []
    if rng.random() < 0.15:
        args += ["--set", f"{rng.choice(KEYS)}={rng.choice(VALUES + TOKENS)}"]
    if rng.random() < 0.1:
        args += ["--replicas", str(rng.choice([0, 1, 2, 7, 40, 1000]))]
    return args


def clean_environment():
    env = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "TMPDIR")}
    env["NO_COLOR"] = "1"
    return env


def tail(data, limit=1500):
    text = data.decode("utf-8", "replace") if isinstance(data, bytes) else data
    return text if len(text) <= limit else "…" + text[-limit:]


def run_case(opts, env_text, custom_text, args, work):
    """Runs one case in `work`; returns (kind, details) or None, and the exit code."""
    (work / ".env").write_text(env_text, encoding="utf-8")
    if custom_text is not None:
        (work / "custom_engine_variant.json").write_text(custom_text, encoding="utf-8")
    command = [str(opts.acegen), "generate", *args]
    try:
        done = subprocess.run(command, cwd=work, capture_output=True, timeout=opts.timeout,
                              env=clean_environment())
    except subprocess.TimeoutExpired:
        return ("timeout", f"acegen ran over {opts.timeout}s"), None
    code = done.returncode
    if code not in (0, 1, 2):
        return ("crash", f"exit {code}\n{tail(done.stderr)}"), code
    stderr = done.stderr.decode("utf-8", "replace")
    if code == 1 and re.search(r"error\[E05\d\d\]", stderr):
        # acegen refusing what its own built-in template wrote.
        return ("render-refused", tail(stderr)), code
    if code != 0 or opts.compose is None:
        return None, code
    (work / "docker-compose.yml").write_bytes(done.stdout)
    compose = [str(opts.compose), "--project-directory", str(work), "-f",
               str(work / "docker-compose.yml"), "--env-file", str(work / ".env"),
               "config", "--quiet"]
    try:
        checked = subprocess.run(compose, cwd=work, capture_output=True, timeout=opts.timeout,
                                 env=clean_environment())
    except subprocess.TimeoutExpired:
        return ("compose-timeout", "docker compose config ran over the timeout"), code
    if checked.returncode != 0:
        return ("compose-refused", tail(checked.stderr)), code
    return None, code


def save(opts, kind, details, env_text, custom_text, args, seed, case):
    digest = hashlib.sha1((env_text + "\0" + (custom_text or "") + "\0" + " ".join(args))
                          .encode("utf-8", "surrogatepass")).hexdigest()[:10]
    folder = opts.findings / f"{kind}-{digest}"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / ".env").write_text(env_text, encoding="utf-8")
    if custom_text is not None:
        (folder / "custom_engine_variant.json").write_text(custom_text, encoding="utf-8")
    if args:
        (folder / "args.json").write_text(json.dumps(args) + "\n", encoding="utf-8")
    (folder / "finding.txt").write_text(
        f"kind: {kind}\nstatus: new\nfound by: scripts/fuzz-binary.py --seed {seed} (case {case})\n"
        f"\n{details}\n", encoding="utf-8")
    return folder


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--acegen", type=Path, default=ROOT / "target/debug/acegen")
    parser.add_argument("--compose", type=Path, default=os.environ.get("ACEGEN_COMPOSE"),
                        help="the docker compose v2 binary (default $ACEGEN_COMPOSE)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--count", type=int, default=1_000_000)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--timeout", type=float, default=10)
    parser.add_argument("--max-per-kind", type=int, default=5,
                        help="findings saved per kind (the rest are only counted)")
    parser.add_argument("--fail-on-known", action="store_true",
                        help="treat the known open findings (KNOWN_OPEN) as findings too")
    parser.add_argument("--findings", type=Path, default=ROOT / "fuzz/corpus/regressions/new")
    opts = parser.parse_args()
    opts.acegen = opts.acegen.resolve()
    if not opts.acegen.is_file():
        sys.exit(f"fuzz-binary: no acegen binary at {opts.acegen} (cargo build first)")
    if opts.compose is None:
        print("fuzz-binary: no --compose / ACEGEN_COMPOSE: outputs are not checked by compose",
              file=sys.stderr)

    rng = random.Random(opts.seed)
    envs, customs = seeds(".env"), seeds("custom_engine_variant.json")
    started = time.monotonic()
    codes, findings, known, saved = {}, {}, {}, []
    case = 0
    scratch = Path(tempfile.mkdtemp(prefix="acegen-fuzz-"))
    try:
        while case < opts.count and time.monotonic() - started < opts.seconds:
            env_text = mutate_env(rng, rng.choice(envs))
            roll = rng.random()
            custom_text = (None if roll < 0.5 else rng.choice(customs) if roll < 0.7
                           else mutate_json(rng, rng.choice(customs)))
            args = extra_args(rng)
            work = scratch / str(case)
            work.mkdir()
            finding, code = run_case(opts, env_text, custom_text, args, work)
            shutil.rmtree(work, ignore_errors=True)
            codes[code] = codes.get(code, 0) + 1
            if finding and known_open(finding[1]) and not opts.fail_on_known:
                why = known_open(finding[1])
                known[why] = known.get(why, 0) + 1
            elif finding:
                kind, details = finding
                findings[kind] = findings.get(kind, 0) + 1
                if findings[kind] <= opts.max_per_kind:
                    saved.append(save(opts, kind, details, env_text, custom_text, args,
                                      opts.seed, case))
            case += 1
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    elapsed = time.monotonic() - started
    histogram = ", ".join(f"exit {k}: {v}" for k, v in sorted(codes.items(), key=str))
    print(f"fuzz-binary: seed {opts.seed}: {case} runs in {elapsed:.0f}s ({histogram})")
    for kind, count in sorted(findings.items()):
        print(f"  finding {kind}: {count}")
    for why, count in sorted(known.items()):
        print(f"  known open finding, not failed: {why}: {count}")
    for folder in saved:
        print(f"  saved {folder.relative_to(ROOT) if folder.is_relative_to(ROOT) else folder}")
    sys.exit(1 if findings else 0)


if __name__ == "__main__":
    main()
