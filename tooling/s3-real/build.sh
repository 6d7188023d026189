#!/usr/bin/env bash
# Builds the Versity S3 Gateway (github.com/versity/versitygw, pinned in go.mod/go.sum) into bin/.
# Idempotent: does nothing when bin/versitygw is newer than go.mod, go.sum and this script.
# Cold (empty module and build cache, 2 cores): ~2 min of CPU (2.5 to 10 min of wall time,
# as loaded as the machine is). Warm: a no-op.
set -euo pipefail
cd "$(dirname "$0")"

if ! command -v go >/dev/null 2>&1; then
  echo "build.sh: Go (>= 1.25) is required to build tooling/s3-real" >&2
  exit 1
fi

bin=bin/versitygw
fresh=1
[[ -x $bin ]] || fresh=0
for f in go.mod go.sum build.sh; do [[ $fresh == 1 && $f -nt $bin ]] && fresh=0; done
if (( fresh )); then exit 0; fi

version=$(go list -m -f '{{.Version}}' github.com/versity/versitygw)
echo "build.sh: building versitygw $version (cold build takes ~2.5 min on 2 cores)" >&2
start=$SECONDS
mkdir -p bin
# The gateway prints these in its banner and `--version`, as its own Makefile stamps them.
go build -trimpath \
  -ldflags="-s -w -X main.Version=$version -X main.Build=go-module -X main.BuildTime=none" \
  -o bin/ github.com/versity/versitygw/cmd/versitygw
touch "$bin"
echo "build.sh: versitygw built in $((SECONDS - start))s" >&2
