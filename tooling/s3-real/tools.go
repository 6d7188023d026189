//go:build tools

// Package tools pins the upstream S3 server that build.sh compiles, so its
// version lives in go.mod/go.sum.
package tools

import (
	_ "github.com/versity/versitygw/cmd/versitygw"
)
