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

# Stamp the Kubernetes version into the binaries, as Kubernetes' own release build does (without
# it /version answers gitVersion "v0.0.0-master+$Format:%H$"). Only the link step sees ldflags.
k8s_version=$(go list -m -f '{{.Version}}' k8s.io/kubernetes)
k8s_minor=${k8s_version#v1.}
k8s_minor=${k8s_minor%%.*}
stamp=""
for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  stamp+=" -X $pkg.gitVersion=$k8s_version -X $pkg.gitMajor=1 -X $pkg.gitMinor=$k8s_minor -X $pkg.gitTreeState=clean"
done

need_upstream=0
for b in "${upstream[@]}"; do
  if stale "bin/$b" go.mod go.sum build.sh; then need_upstream=1; fi
done
if (( need_upstream )); then
  echo "build.sh: building ${upstream[*]} $k8s_version (cold build takes ~10 min on 2 cores)" >&2
  start=$SECONDS
  go build -trimpath -ldflags="-s -w$stamp" -o bin/ \
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
