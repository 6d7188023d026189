//go:build tools

// Package tools pins the upstream commands that build.sh compiles, so their
// versions live in go.mod/go.sum next to the orchestrator.
package tools

import (
	_ "k8s.io/kubernetes/cmd/kube-apiserver"
	_ "k8s.io/kubernetes/cmd/kube-controller-manager"
	_ "k8s.io/kubernetes/cmd/kube-scheduler"
	_ "sigs.k8s.io/kwok/cmd/kwok"
)
