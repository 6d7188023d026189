#!/usr/bin/env bash
# Builds kube-apiserver, kube-controller-manager, kube-scheduler (k8s.io/kubernetes),
# kwok (sigs.k8s.io/kwok) and the kube-real orchestrator (embedded etcd) into bin/,
# from the Go modules pinned in go.mod/go.sum. Idempotent: does nothing when
# every binary is newer than go.mod, go.sum and the orchestrator sources.
# Cold (empty module + build cache, 2 cores): about 10 minutes. Warm: seconds.
set -euo pipefail
cd "$(dirname "$0")"

if ! command -v go >/dev/null 2>&1; then
  echo "build.sh: Go (>= 1.26) is required to build tooling/kube-real" >&2
  exit 1
fi

upstream=(kube-apiserver kube-controller-manager kube-scheduler kwok)
flags=(-trimpath -ldflags='-s -w')
mkdir -p bin

stale() { # stale BIN INPUT... -> true when BIN is missing or older than an input
  local bin=$1; shift
  [[ -x $bin ]] || return 0
  local f
  for f in "$@"; do [[ $f -nt $bin ]] && return 0; done
  return 1
}

need_upstream=0
for b in "${upstream[@]}"; do
  if stale "bin/$b" go.mod go.sum; then need_upstream=1; fi
done
if (( need_upstream )); then
  echo "build.sh: building ${upstream[*]} (cold build takes ~10 min on 2 cores)" >&2
  start=$SECONDS
  go build "${flags[@]}" -o bin/ \
    k8s.io/kubernetes/cmd/kube-apiserver \
    k8s.io/kubernetes/cmd/kube-controller-manager \
    k8s.io/kubernetes/cmd/kube-scheduler \
    sigs.k8s.io/kwok/cmd/kwok
  touch "${upstream[@]/#/bin/}"
  echo "build.sh: upstream binaries built in $((SECONDS - start))s" >&2
fi

if stale bin/kube-real go.mod go.sum ./*.go; then
  echo "build.sh: building kube-real" >&2
  go build "${flags[@]}" -o bin/kube-real .
fi
