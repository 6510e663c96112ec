// Package shapetest holds the test that keeps every vendor package and its
// fake in the vendor package shape (docs/vendor-shape.md). It has no code of
// its own: the test type-checks the vendor packages from source and fails,
// naming the vendor and the rule, when one drifts. Adding a vendor is one
// line in the test's vendors table.
package shapetest
