#!/usr/bin/env bash
# Smoke test for kube-real: starts the control plane in a temp dir (loopback
# only), checks nodes, a 3-replica Deployment and strict CRD validation of a
# KubeVirt VirtualMachine, then stops it. Bounded: ~2 minutes when built.
set -uo pipefail
cd "$(dirname "$0")"
bash build.sh || exit 1
command -v kubectl >/dev/null || { echo "smoke: kubectl is required (apt-get install kubernetes-client)" >&2; exit 1; }

dir=$(mktemp -d "${TMPDIR:-/tmp}/kube-real-smoke.XXXXXX")
out="$dir.out"
passed=0 failed=0
ok()   { echo "ok   - $*"; passed=$((passed + 1)); }
fail() { echo "FAIL - $*"; failed=$((failed + 1)); }

./bin/kube-real --dir "$dir" --nodes 3 --timeout 150s >"$out" 2>"$dir.err" &
plane=$!
cleanup() {
  if kill -0 "$plane" 2>/dev/null; then
    kill -TERM "$plane"
    for _ in $(seq 1 150); do kill -0 "$plane" 2>/dev/null || break; sleep 0.2; done
    kill -0 "$plane" 2>/dev/null && kill -KILL "$plane"
  fi
  wait "$plane" 2>/dev/null
  rm -rf "$dir" "$out" "$dir.err"
}
trap cleanup EXIT

t0=$SECONDS
kubeconfig=
while (( SECONDS - t0 < 180 )); do
  kubeconfig=$(sed -n 's/^kubeconfig: //p' "$out")
  [[ -n $kubeconfig ]] && break
  kill -0 "$plane" 2>/dev/null || break
  sleep 0.5
done
if [[ -z $kubeconfig ]]; then
  fail "control plane ready"; cat "$dir.err" >&2
  tail -n 30 "$dir"/logs/*.log >&2 2>/dev/null
  echo "0 passed, 1 failed"; exit 1
fi
ok "control plane ready in $((SECONDS - t0))s ($kubeconfig)"
export KUBECONFIG=$kubeconfig
k() { timeout 30 kubectl --request-timeout=20s "$@"; }

ready=$(k get nodes -l type=kwok -o jsonpath='{range .items[*]}{.status.conditions[?(@.type=="Ready")].status}{"\n"}{end}' | grep -c True)
[[ $ready == 3 ]] && ok "3 KWOK nodes Ready" || { fail "3 KWOK nodes Ready (got $ready)"; k get nodes -o wide; }

k create deployment web --image=nginx --replicas=3 >/dev/null
if k wait deployment/web --for=jsonpath='{.status.availableReplicas}'=3 --timeout=60s >/dev/null; then
  running=$(k get pods -l app=web -o jsonpath='{range .items[*]}{.status.phase} {.spec.nodeName} {.status.podIP}{"\n"}{end}')
  if [[ $(grep -cE '^Running kwok-node-[0-9]+ [0-9.]+$' <<<"$running") == 3 ]]; then
    ok "deployment web 3/3 Running on KWOK nodes with pod IPs"
  else
    fail "pods Running with node and IP"; echo "$running"
  fi
else
  fail "deployment web 3/3 available"; k get pods -o wide
fi

vm() { # vm EXTRA_SPEC_LINE DOMAIN_EXTRA_LINE
  cat <<YAML
apiVersion: kubevirt.io/v1
kind: VirtualMachine
metadata:
  name: smoke-vm
spec:
  $1: Always
  template:
    spec:
      domain:
        $2: {}
        resources:
          requests:
            memory: 64Mi
YAML
}
if msg=$(vm runStrategyy devicez | k apply --validate=strict -f - 2>&1); then
  fail "misspelt VirtualMachine fields refused (it was accepted: $msg)"
elif grep -q 'spec.runStrategyy' <<<"$msg" && grep -q 'devicez' <<<"$msg"; then
  ok "misspelt VirtualMachine fields refused by the CRD schema"
else
  fail "misspelt VirtualMachine refused for the right reason: $msg"
fi
if msg=$(vm runStrategy devices | k apply --validate=strict -f - 2>&1); then
  ok "valid VirtualMachine accepted"
else
  fail "valid VirtualMachine accepted: $msg"
fi

for crd in clusters.postgresql.cnpg.io ciliumnetworkpolicies.cilium.io virtualmachinesnapshots.snapshot.kubevirt.io; do
  if k get crd "$crd" -o jsonpath='{.status.conditions[?(@.type=="Established")].status}' | grep -q True; then
    ok "CRD $crd established"
  else
    fail "CRD $crd established"
  fi
done

rss=$(ps -o rss= -p "$plane" $(pgrep -P "$plane") 2>/dev/null | awk '{s+=$1} END {printf "%d", s/1024}')
echo "# control plane RSS: ${rss} MiB"
echo "$passed passed, $failed failed"
(( failed == 0 ))
