#!/usr/bin/env bash
# Builds the CNCF distribution registry (github.com/distribution/distribution/v3/cmd/registry)
# into bin/registry from the version pinned in go.mod/go.sum. Idempotent: does nothing when the
# binary is newer than go.mod, go.sum and this script.
# Cold (empty module + build cache, 2 cores): a few minutes. Warm: nothing to do.
set -euo pipefail
cd "$(dirname "$0")"

if ! command -v go >/dev/null 2>&1; then
  echo "build.sh: Go (>= 1.26) is required to build tooling/registry-real" >&2
  exit 1
fi

mkdir -p bin
if [[ -x bin/registry && ! go.mod -nt bin/registry && ! go.sum -nt bin/registry && ! build.sh -nt bin/registry ]]; then
  exit 0
fi

version=$(GOFLAGS=-mod=mod go list -m -f '{{.Version}}' github.com/distribution/distribution/v3)
echo "build.sh: building registry $version" >&2
start=$SECONDS
# The registry reports its version from this variable, as distribution's own release build sets it.
GOFLAGS=-mod=mod go build -trimpath \
  -ldflags="-s -w -X github.com/distribution/distribution/v3/version.version=$version" \
  -o bin/registry github.com/distribution/distribution/v3/cmd/registry
touch bin/registry
echo "build.sh: registry built in $((SECONDS - start))s" >&2
