#!/usr/bin/env bash
# Regenerates crds/*.yaml from the upstream projects' own Go modules.
# Needs Go and the Go module proxy; the results are committed so that
# starting kube-real never needs the network.
set -euo pipefail
cd "$(dirname "$0")"

KUBEVIRT_VERSION=v1.7.0
CNPG_VERSION=v1.28.0
CILIUM_VERSION=v1.20.2
SNAPSHOTTER_VERSION=v8.7.0

moddir() { # module@version -> unpacked module dir in the module cache
  (cd crdgen/kubevirt && go mod download -json "$1" | sed -n 's/^\t"Dir": "\(.*\)",$/\1/p')
}

mkdir -p crds
header() { printf '# Source: %s (%s)\n# Regenerate with tooling/kube-real/fetch-crds.sh; do not edit.\n' "$1" "$2"; }

# KubeVirt: generated in code by virt-operator; run its generator functions.
{
  header "kubevirt.io/kubevirt@$KUBEVIRT_VERSION" "pkg/virt-operator/resource/generate/components via crdgen/kubevirt"
  (cd crdgen/kubevirt && go run .)
} > crds/kubevirt.yaml.tmp
mv crds/kubevirt.yaml.tmp crds/kubevirt.yaml

# CloudNativePG: shipped as YAML in the module zip.
cnpg=$(moddir "github.com/cloudnative-pg/cloudnative-pg@$CNPG_VERSION")
for kind in clusters backups scheduledbackups; do
  f="postgresql.cnpg.io_$kind.yaml"
  { header "github.com/cloudnative-pg/cloudnative-pg@$CNPG_VERSION" "config/crd/bases/$f"; cat "$cnpg/config/crd/bases/$f"; } > "crds/$f"
done

# Cilium: shipped as YAML in the module zip.
cilium=$(moddir "github.com/cilium/cilium@$CILIUM_VERSION")
for kind in ciliumnetworkpolicies ciliumclusterwidenetworkpolicies; do
  f="pkg/k8s/apis/cilium.io/client/crds/v2/$kind.yaml"
  { header "github.com/cilium/cilium@$CILIUM_VERSION" "$f"; cat "$cilium/$f"; } > "crds/cilium.io_$kind.yaml"
done

# CSI snapshots (external-snapshotter): shipped as YAML in its client module's zip.
snap=$(moddir "github.com/kubernetes-csi/external-snapshotter/client/v8@$SNAPSHOTTER_VERSION")
for kind in volumesnapshots volumesnapshotcontents volumesnapshotclasses; do
  f="config/crd/snapshot.storage.k8s.io_$kind.yaml"
  { header "github.com/kubernetes-csi/external-snapshotter/client/v8@$SNAPSHOTTER_VERSION" "$f"; cat "$snap/$f"; } > "crds/snapshot.storage.k8s.io_$kind.yaml"
done

# CDI's DataVolume: kubevirt.io/containerized-data-importer is not served by the Go module proxy,
# so crds/cdi.kubevirt.io_datavolumes.yaml is written by hand from CDI's v1beta1 API types (the
# fields Uncloud writes and reads, under their upstream names) and kept here, not regenerated.

ls -l crds
