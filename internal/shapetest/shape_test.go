package shapetest_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"go/ast"
	"go/constant"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// vendors is every vendor package (a path under the module) and the type of
// its records. Its fake is the sub-package <name>fake. A fifth vendor is one
// more line.
var vendors = []struct{ pkg, record string }{
	{"auvo", "Customer"},
	{"omie", "Cliente"},
	{"contaazul", "Person"},
	{"bling", "Contact"},
}

const (
	module    = "github.com/auvosync/auvosync"
	transport = module + "/internal/transport"
)

// The names docs/vendor-shape.md says every vendor package exports from the
// transport: the sentinels, the kinds of APIError, and the shared types.
var (
	sentinels = []string{"ErrInvalid", "ErrUnauthorized", "ErrForbidden", "ErrNotFound",
		"ErrConflict", "ErrRateLimited", "ErrBlocked", "ErrServer"}
	kinds = []string{"KindOther", "KindInvalid", "KindUnauthorized", "KindForbidden", "KindNotFound",
		"KindConflict", "KindRateLimited", "KindBlocked", "KindServer"}
	aliases = []string{"APIError", "RateLimitError", "NetworkError", "Kind", "Limit", "Page", "Observer",
		"Budget", "BudgetConfig"}
)

func TestEveryVendorPackageHasTheVendorPackageShape(t *testing.T) {
	w := load(t)
	tr := w.imported(t, transport)
	for _, v := range vendors {
		t.Run(v.pkg, func(t *testing.T) {
			pkg, info, files := w.source(t, module+"/"+v.pkg)
			c := checker{t: t, pkg: pkg}
			option := c.typeName("Option")
			client := c.typeName("Client")
			if option == nil || client == nil {
				return
			}
			c.optionIdiom(option, types.NewPointer(c.unexported("config")), errorType)
			c.function("New", signature(variadic, []types.Type{types.NewSlice(option.Type())},
				types.NewPointer(client.Type()), errorType))

			str := types.Typ[types.String]
			common := map[string]*types.Signature{
				"WithBaseURL":      signature(0, []types.Type{str}, option.Type()),
				"WithCredentials":  signature(0, []types.Type{str, str}, option.Type()),
				"WithHTTPClient":   signature(0, []types.Type{types.NewPointer(w.lookup(t, "net/http", "Client"))}, option.Type()),
				"WithUserAgent":    signature(0, []types.Type{str}, option.Type()),
				"WithLogger":       signature(0, []types.Type{types.NewPointer(w.lookup(t, "log/slog", "Logger"))}, option.Type()),
				"WithRateLimit":    signature(variadic, []types.Type{types.NewSlice(w.lookup(t, transport, "Limit"))}, option.Type()),
				"WithClock":        signature(0, []types.Type{signature(0, nil, w.lookup(t, "time", "Time"))}, option.Type()),
				"WithInsecureHTTP": signature(0, nil, option.Type()),
				"WithObserver":     signature(0, []types.Type{w.lookup(t, transport, "Observer")}, option.Type()),
				"WithRetryWait": signature(0, []types.Type{signature(0,
					[]types.Type{w.lookup(t, "context", "Context"), w.lookup(t, "time", "Duration")}, errorType)}, option.Type()),
				"WithMaxRetries": signature(0, []types.Type{types.Typ[types.Int]}, option.Type()),
				// R-BUDGET-1: the process-wide budget per vendor and egress IP.
				"WithBudget":    signature(0, []types.Type{types.NewPointer(w.lookup(t, transport, "Budget"))}, option.Type()),
				"DefaultBudget": signature(0, nil, w.lookup(t, transport, "BudgetConfig")),
				"NewBudget": signature(0, []types.Type{w.lookup(t, transport, "BudgetConfig")},
					types.NewPointer(w.lookup(t, transport, "Budget")), errorType),
			}
			for name, want := range common {
				c.function(name, want)
			}
			c.absent("WithTransport") // WithHTTPClient covers it: one way to set the transport

			for _, name := range aliases {
				c.alias(name, tr)
			}
			for _, name := range kinds {
				c.constant(name, tr)
			}
			c.sentinels(info, files)

			validation := c.typeName("ValidationError")
			if validation != nil {
				c.method(types.NewPointer(validation.Type()), "Is", signature(0, []types.Type{errorType}, types.Typ[types.Bool]))
			}
			record := c.typeName(v.record)
			if record == nil {
				return
			}
			create := c.method(types.NewPointer(client.Type()), "Create", nil)
			if create != nil {
				res := create.Results()
				if res.Len() != 2 || !types.Identical(res.At(0).Type(), record.Type()) || !types.Identical(res.At(1).Type(), errorType) {
					t.Errorf("%s: (*Client).Create returns %s, want (%s, error)", v.pkg, res, v.record)
				}
			}
			c.field(record, "Document", str)
		})
	}
}

func TestEveryFakeHasTheFakeShape(t *testing.T) {
	w := load(t)
	for _, v := range vendors {
		path := v.pkg + "/" + v.pkg + "fake"
		t.Run(path, func(t *testing.T) {
			pkg, _, _ := w.source(t, module+"/"+path)
			c := checker{t: t, pkg: pkg}
			option := c.typeName("Option")
			server := c.typeName("Server")
			if option == nil || server == nil {
				return
			}
			c.optionIdiom(option, types.NewPointer(server.Type()))
			c.function("New", signature(variadic, []types.Type{types.NewSlice(option.Type())}, types.NewPointer(server.Type())))
			str, boolean := types.Typ[types.String], types.Typ[types.Bool]
			for name, want := range map[string]*types.Signature{
				"WithCredentials": signature(0, []types.Type{str, str}, option.Type()),
				"WithClock":       signature(0, []types.Type{signature(0, nil, w.lookup(t, "time", "Time"))}, option.Type()),
				"WithRateLimit":   signature(0, []types.Type{boolean}, option.Type()),
			} {
				c.function(name, want)
			}
			c.absent("WithRateLimits")
			c.absent("WithClientCredentials")
			c.method(types.NewPointer(server.Type()), "SetRateLimit", signature(0, []types.Type{boolean}))

			handler := w.lookup(t, "net/http", "Handler").Underlying().(*types.Interface)
			if !types.Implements(types.NewPointer(server.Type()), handler) {
				t.Errorf("%s: *Server is not an http.Handler", path)
			}
			if update := c.method(types.NewPointer(server.Type()), "Update", nil); update != nil {
				params, res := update.Params(), update.Results()
				edit, _ := paramAt(params, 1).(*types.Signature)
				if params.Len() != 2 || edit == nil || edit.Params().Len() != 1 || edit.Results().Len() != 0 ||
					res.Len() != 1 || !types.Identical(res.At(0).Type(), errorType) {
					t.Errorf("%s: (*Server).Update is %s, want func(id, func(*Record)) error", path, update)
				}
			}
			if v, ok := pkg.Scope().Lookup("ErrNotFound").(*types.Var); !ok || !types.Identical(v.Type(), errorType) {
				t.Errorf("%s: no ErrNotFound error for Update to return", path)
			}
			defaults := 0
			for _, name := range pkg.Scope().Names() {
				k, ok := pkg.Scope().Lookup(name).(*types.Const)
				if ok && k.Exported() && strings.HasPrefix(name, "Default") && k.Val().Kind() == constant.String {
					defaults++
				}
			}
			if defaults < 2 {
				t.Errorf("%s: exports %d Default… string constants, want its default credentials exported", path, defaults)
			}
		})
	}
}

var errorType = types.Universe.Lookup("error").Type()

const variadic = 1

func signature(flags int, params []types.Type, results ...types.Type) *types.Signature {
	tuple := func(ts []types.Type) *types.Tuple {
		vars := make([]*types.Var, len(ts))
		for i, t := range ts {
			vars[i] = types.NewParam(token.NoPos, nil, "", t)
		}
		return types.NewTuple(vars...)
	}
	return types.NewSignatureType(nil, nil, nil, tuple(params), tuple(results), flags&variadic != 0)
}

func paramAt(t *types.Tuple, i int) types.Type {
	if i >= t.Len() {
		return nil
	}
	return t.At(i).Type()
}

// checker reports what one package lacks, naming the package.
type checker struct {
	t   *testing.T
	pkg *types.Package
}

func (c checker) errorf(format string, args ...any) {
	c.t.Helper()
	c.t.Errorf("%s: %s", c.pkg.Path()[len(module)+1:], fmt.Sprintf(format, args...))
}

func (c checker) qualify(p *types.Package) string {
	if p == c.pkg {
		return ""
	}
	return p.Name()
}

func (c checker) typeName(name string) *types.TypeName {
	c.t.Helper()
	tn, ok := c.pkg.Scope().Lookup(name).(*types.TypeName)
	if !ok {
		c.errorf("no type %s", name)
		return nil
	}
	return tn
}

func (c checker) unexported(name string) types.Type {
	if tn, ok := c.pkg.Scope().Lookup(name).(*types.TypeName); ok {
		return tn.Type()
	}
	return types.Typ[types.Invalid]
}

// optionIdiom: Option is func(target) plus the given results (the clients'
// func(*config) error, the fakes' func(*Server)).
func (c checker) optionIdiom(option *types.TypeName, target types.Type, results ...types.Type) {
	c.t.Helper()
	want := signature(0, []types.Type{target}, results...)
	if option.IsAlias() {
		c.errorf("type Option is an alias, want a type of its own: %s", types.TypeString(want, c.qualify))
		return
	}
	if !types.Identical(option.Type().Underlying(), want) {
		c.errorf("type Option is %s, want %s", types.TypeString(option.Type().Underlying(), c.qualify), types.TypeString(want, c.qualify))
	}
}

func (c checker) function(name string, want *types.Signature) {
	c.t.Helper()
	fn, ok := c.pkg.Scope().Lookup(name).(*types.Func)
	if !ok {
		c.errorf("no func %s %s", name, types.TypeString(want, c.qualify))
		return
	}
	if !types.Identical(fn.Type(), want) {
		c.errorf("%s is %s, want %s", name, types.TypeString(fn.Type(), c.qualify), types.TypeString(want, c.qualify))
	}
}

func (c checker) absent(name string) {
	c.t.Helper()
	if c.pkg.Scope().Lookup(name) != nil {
		c.errorf("exports %s, which no vendor package has (docs/vendor-shape.md)", name)
	}
}

// method finds name in recv's method set and, when want is not nil, checks
// its signature.
func (c checker) method(recv types.Type, name string, want *types.Signature) *types.Signature {
	c.t.Helper()
	sel := types.NewMethodSet(recv).Lookup(c.pkg, name)
	if sel == nil {
		c.errorf("%s has no method %s", types.TypeString(recv, c.qualify), name)
		return nil
	}
	sig := sel.Type().(*types.Signature)
	if want != nil && !types.Identical(types.NewSignatureType(nil, nil, nil, sig.Params(), sig.Results(), sig.Variadic()), want) {
		c.errorf("(%s).%s is %s, want %s", types.TypeString(recv, c.qualify), name, types.TypeString(sig, c.qualify), types.TypeString(want, c.qualify))
	}
	return sig
}

func (c checker) alias(name string, tr *types.Package) {
	c.t.Helper()
	tn, ok := c.pkg.Scope().Lookup(name).(*types.TypeName)
	if !ok || !tn.IsAlias() || !types.Identical(tn.Type(), tr.Scope().Lookup(name).Type()) {
		c.errorf("%s is not an alias of transport.%s", name, name)
	}
}

func (c checker) constant(name string, tr *types.Package) {
	c.t.Helper()
	k, ok := c.pkg.Scope().Lookup(name).(*types.Const)
	want := tr.Scope().Lookup(name).(*types.Const)
	if !ok || !types.Identical(k.Type(), want.Type()) || !constant.Compare(k.Val(), token.EQL, want.Val()) {
		c.errorf("%s is not transport.%s", name, name)
	}
}

func (c checker) field(record *types.TypeName, name string, want types.Type) {
	c.t.Helper()
	st, ok := record.Type().Underlying().(*types.Struct)
	if ok {
		for f := range st.Fields() {
			if f.Name() == name && types.Identical(f.Type(), want) {
				return
			}
		}
	}
	c.errorf("record type %s has no field %s %s", record.Name(), name, want)
}

// sentinels checks that each shared sentinel is declared as the transport's
// value under its own name, and that no transport sentinel goes out under
// another name (ErrDuplicate for ErrConflict).
func (c checker) sentinels(info *types.Info, files []*ast.File) {
	c.t.Helper()
	from := map[string]string{} // exported var → the transport var it is initialised with
	for _, f := range files {
		for _, decl := range f.Decls {
			gen, ok := decl.(*ast.GenDecl)
			if !ok || gen.Tok != token.VAR {
				continue
			}
			for _, spec := range gen.Specs {
				vs := spec.(*ast.ValueSpec)
				for i, name := range vs.Names {
					if !name.IsExported() || i >= len(vs.Values) {
						continue
					}
					sel, ok := vs.Values[i].(*ast.SelectorExpr)
					if !ok {
						continue
					}
					if v, ok := info.Uses[sel.Sel].(*types.Var); ok && v.Pkg() != nil && v.Pkg().Path() == transport {
						from[name.Name] = v.Name()
					}
				}
			}
		}
	}
	for _, name := range sentinels {
		if from[name] != name {
			c.errorf("%s is not declared as transport.%s", name, name)
		}
	}
	for name, tv := range from {
		if strings.HasPrefix(tv, "Err") && name != tv {
			c.errorf("%s re-exports transport.%s under another name", name, tv)
		}
	}
}

// world type-checks packages of the module from source, their dependencies
// from the compiler's export data (go list -export).
type world struct {
	fset *token.FileSet
	imp  types.Importer
	pkgs map[string]listed
}

type listed struct {
	ImportPath string
	Dir        string
	Export     string
	GoFiles    []string
}

func load(t *testing.T) *world {
	t.Helper()
	var paths []string
	for _, v := range vendors {
		paths = append(paths, module+"/"+v.pkg, module+"/"+v.pkg+"/"+v.pkg+"fake")
	}
	args := append([]string{"list", "-export", "-deps", "-json=ImportPath,Dir,Export,GoFiles"}, paths...)
	out, err := exec.CommandContext(t.Context(), "go", args...).Output()
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		t.Fatalf("go list: %v\n%s", err, exit.Stderr)
	}
	require.NoError(t, err)
	w := &world{fset: token.NewFileSet(), pkgs: map[string]listed{}}
	for dec := json.NewDecoder(bytes.NewReader(out)); ; {
		var p listed
		if err := dec.Decode(&p); err == io.EOF {
			break
		} else {
			require.NoError(t, err)
		}
		w.pkgs[p.ImportPath] = p
	}
	w.imp = importer.ForCompiler(w.fset, "gc", func(path string) (io.ReadCloser, error) {
		p, ok := w.pkgs[path]
		if !ok || p.Export == "" {
			return nil, fmt.Errorf("no export data for %s", path)
		}
		return os.Open(p.Export)
	})
	return w
}

func (w *world) imported(t *testing.T, path string) *types.Package {
	t.Helper()
	pkg, err := w.imp.Import(path)
	require.NoError(t, err)
	return pkg
}

func (w *world) lookup(t *testing.T, path, name string) types.Type {
	t.Helper()
	obj := w.imported(t, path).Scope().Lookup(name)
	require.NotNil(t, obj, "%s.%s", path, name)
	return obj.Type()
}

// source type-checks path from its Go files (tests excluded), so
// declarations can be read along with types.
func (w *world) source(t *testing.T, path string) (*types.Package, *types.Info, []*ast.File) {
	t.Helper()
	p, ok := w.pkgs[path]
	require.True(t, ok, "go list did not list %s", path)
	var files []*ast.File
	for _, name := range p.GoFiles {
		f, err := parser.ParseFile(w.fset, filepath.Join(p.Dir, name), nil, parser.SkipObjectResolution)
		require.NoError(t, err)
		files = append(files, f)
	}
	info := &types.Info{Uses: map[*ast.Ident]types.Object{}}
	pkg, err := (&types.Config{Importer: w.imp}).Check(path, w.fset, files, info)
	require.NoError(t, err)
	return pkg, info, files
}
