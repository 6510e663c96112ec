//go:build tools

// Package deps pins modules that packages under construction will import,
// so that go mod tidy keeps them in go.mod meanwhile. Removed once every
// dependency is imported by real code.
package deps

import (
	_ "github.com/hashicorp/go-retryablehttp"
	_ "github.com/prometheus/client_golang/prometheus"
	_ "github.com/stretchr/testify/require"
	_ "go.yaml.in/yaml/v3"
	_ "golang.org/x/oauth2"
	_ "golang.org/x/time/rate"
	_ "modernc.org/sqlite"
)
