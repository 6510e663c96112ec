package syncrules_test

import (
	"bufio"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/auvosync/auvosync/address"
	"github.com/auvosync/auvosync/syncrules"
)

// docs/RULES.md is the analysts' copy of the rules: it must document exactly
// the rule IDs the code cites, and its address examples must parse the way
// it says. "Cited by the code" means, in the module's non-test Go files
// other than syncrules/rules.go (which declares every ID):
//
//   - emitted: a reference to a rule constant (syncrules.RLock1 outside the
//     package, RLock1 inside it), found with go/ast so that text in comments
//     or strings does not count;
//   - implemented: a rule ID in a doc comment (of the package, a
//     declaration, a spec or a field), where "R-ADDR-1..5" means R-ADDR-1 to
//     R-ADDR-5 and "R-PROFILE-1/2" both; comments inside function bodies and
//     family names without a number ("R-TAG") do not count.
//
// A rule nothing cites yet is not documented until some code implements it.

func TestRulesDocDocumentsEveryRuleTheCodeCites(t *testing.T) {
	documented := rulesDocHeadings(t)
	for id, where := range codeCitations(t) {
		assert.True(t, documented[id], "%s is cited at %s but has no heading in docs/RULES.md", id, strings.Join(where, ", "))
	}
}

func TestRulesDocDocumentsOnlyRulesTheCodeCites(t *testing.T) {
	cited := codeCitations(t)
	for id := range rulesDocHeadings(t) {
		assert.NotEmpty(t, cited[id], "docs/RULES.md documents %s, which no code emits or implements", id)
	}
}

func TestRulesDocDocumentsOnlyRulesOfAllRules(t *testing.T) {
	for id := range rulesDocHeadings(t) {
		assert.True(t, slices.Contains(syncrules.AllRules(), id), "docs/RULES.md documents %s, which is not in syncrules.AllRules()", id)
	}
}

// A rule heading is the bare ID, so GitHub's anchor is its lower case
// (docs/RULES.md#r-upd-4); each ID has one heading.
func TestRulesDocRuleHeadingsAreBareUniqueIDs(t *testing.T) {
	seen := map[string]int{}
	for _, h := range readRulesDoc(t).headings {
		if !strings.HasPrefix(h.text, "R-") {
			continue
		}
		assert.Regexp(t, `^R-[A-Z]+-[0-9]+$`, h.text, "line %d: a rule heading holds the ID alone", h.line)
		seen[h.text]++
	}
	require.NotEmpty(t, seen, "docs/RULES.md has no rule headings")
	for id, n := range seen {
		assert.Equal(t, 1, n, "%s has %d headings; anchors would clash", id, n)
	}
}

// Links inside the page (the contents, "see R-LOCK-1") land on a heading,
// with GitHub's anchor for it.
func TestRulesDocLinksWithinThePageLandOnAHeading(t *testing.T) {
	doc := readRulesDoc(t)
	anchors := map[string]bool{}
	for _, h := range doc.headings {
		anchors[githubAnchor(h.text)] = true
	}
	require.NotEmpty(t, doc.anchorLinks)
	for _, l := range doc.anchorLinks {
		assert.True(t, anchors[l.text], "docs/RULES.md:%d links to #%s, which is no heading's anchor", l.line, l.text)
	}
}

// R-ADDR-2/3: each catalogue pattern is documented once, and its example
// parses to it, for its own partner and with addressparse's default target.
func TestRulesDocPatternExamplesParseToTheirPattern(t *testing.T) {
	var want, got []string
	for i := 1; i <= 4; i++ {
		want = append(want, fmt.Sprintf("omie-%d", i))
	}
	for i := 1; i <= 9; i++ {
		want = append(want, fmt.Sprintf("contaazul-%d", i))
	}
	for _, row := range readRulesDoc(t).catalogue {
		got = append(got, row.pattern)
		target := address.ContaAzul
		if strings.HasPrefix(row.pattern, "omie-") {
			target = address.Omie
		}
		for _, tg := range []address.Target{target, address.Any} {
			t.Run(row.pattern+"/"+tg.String(), func(t *testing.T) {
				p, err := address.Parse(row.example, tg)
				require.NoError(t, err, "line %d: %q", row.line, row.example)
				assert.Equal(t, row.pattern, p.Pattern, "line %d: %q", row.line, row.example)
			})
		}
	}
	assert.ElementsMatch(t, want, got, "the catalogue tables list each Omie and Conta Azul pattern once")
}

// R-ADDR-4: every example of the geocoder table parses as geocoder, for
// either partner.
func TestRulesDocGeocoderExamplesParseAsGeocoder(t *testing.T) {
	rows := readRulesDoc(t).geocoder
	require.NotEmpty(t, rows, `docs/RULES.md has no "| layout | example |" table under "Geocoder layouts"`)
	for _, row := range rows {
		assert.NotEmpty(t, row.layout, "line %d: a geocoder row names its layout", row.line)
		for _, tg := range []address.Target{address.Omie, address.ContaAzul, address.Any} {
			t.Run(row.example+"/"+tg.String(), func(t *testing.T) {
				p, err := address.Parse(row.example, tg)
				require.NoError(t, err, "line %d: %q", row.line, row.example)
				assert.Equal(t, "geocoder", p.Pattern, "line %d: %q", row.line, row.example)
			})
		}
	}
}

// The citation finder itself: what counts as emitting or implementing a rule.
func TestRuleCitationsCountConstantsAndDocCommentsOnly(t *testing.T) {
	consts := map[string]syncrules.Rule{"ROut1": "R-OUT-1", "RAddr1": "R-ADDR-1", "RAddr5": "R-ADDR-5"}
	tests := []struct {
		name, pkg, src string
		want           []syncrules.Rule
	}{
		{"a qualified constant emits", "flows",
			`import "github.com/auvosync/auvosync/syncrules"
			 func f() any { return syncrules.ROut1 }`, []syncrules.Rule{"R-OUT-1"}},
		{"a renamed import still emits", "flows",
			`import sr "github.com/auvosync/auvosync/syncrules"
			 var x = sr.RAddr1`, []syncrules.Rule{"R-ADDR-1"}},
		{"an unrelated package's selector does not", "flows",
			`import syncrules "example.com/other"
			 var x = syncrules.ROut1`, nil},
		{"a constant inside a call's argument emits", "flows",
			`import "github.com/auvosync/auvosync/syncrules"
			 var x = f(syncrules.ROut1).Reason`, []syncrules.Rule{"R-OUT-1"}},
		{"a field with a constant's name does not", "syncrules",
			`var x = y.RAddr1`, nil},
		{"a bare constant inside syncrules emits", "syncrules",
			`func f() Rule { return RAddr5 }`, []syncrules.Rule{"R-ADDR-5"}},
		{"a bare name outside syncrules does not", "flows",
			`var ROut1 = 1; var y = ROut1`, nil},
		{"a doc comment implements, with ranges and slashes", "flows",
			`// f applies R-OUT-1..3 and R-PROFILE-1/2.
			 func f() {}`, []syncrules.Rule{"R-OUT-1", "R-OUT-2", "R-OUT-3", "R-PROFILE-1", "R-PROFILE-2"}},
		{"a field's and a spec's doc comment implement", "flows",
			`type T struct {
				// Hash is the echo hash of R-UPD-3.
				Hash string
			 }
			 const (
				// Interval is fixed (R-SCHED-1).
				Interval = 1
			 )`, []syncrules.Rule{"R-UPD-3", "R-SCHED-1"}},
		{"comments in a body, trailing comments and strings do not", "flows",
			`func f() string {
				// R-LOCK-1: the lock
				return "R-ELIG-2 no document" // R-IN-4
			 }`, nil},
		{"a family name without a number does not", "flows",
			`// g applies R-TAG (Omie tags); R-OUT-3b is no ID.
			 func g() {}`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fset := token.NewFileSet()
			f, err := parser.ParseFile(fset, "x.go", "package "+tt.pkg+"\n"+tt.src, parser.ParseComments)
			require.NoError(t, err)
			var got []syncrules.Rule
			for _, c := range fileCitations(fset, f, consts, tt.pkg == "syncrules") {
				got = append(got, c.rule)
			}
			assert.ElementsMatch(t, tt.want, got)
		})
	}
}

const syncrulesImport = "github.com/auvosync/auvosync/syncrules"

// citation is one place that emits or implements a rule.
type citation struct {
	rule syncrules.Rule
	pos  token.Position
}

var (
	docCommentRule = regexp.MustCompile(`\bR-([A-Z]+)-([0-9]+)((?:(?:\.\.|/)[0-9]+)*)\b`)
	rangeStep      = regexp.MustCompile(`(\.\.|/)([0-9]+)`)
)

// codeCitations maps every rule the module's non-test code emits or
// implements to where (file:line).
func codeCitations(t *testing.T) map[syncrules.Rule][]string {
	t.Helper()
	root := moduleRoot(t)
	declared := filepath.Join(root, "syncrules", "rules.go")
	consts := ruleConstants(t, declared)
	fset := token.NewFileSet()
	cited := map[syncrules.Rule][]string{}
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() {
			// The go tool's own exclusions, and nested modules.
			if path != root && (name == "testdata" || name == "vendor" || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") ||
				fileExists(filepath.Join(path, "go.mod"))) {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") || path == declared {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.ParseComments)
		if err != nil {
			return err
		}
		inSyncrules := filepath.Dir(path) == filepath.Dir(declared)
		for _, c := range fileCitations(fset, f, consts, inSyncrules) {
			rel, _ := filepath.Rel(root, c.pos.Filename)
			cited[c.rule] = append(cited[c.rule], rel+":"+strconv.Itoa(c.pos.Line))
		}
		return nil
	})
	require.NoError(t, err)
	require.NotEmpty(t, cited, "found no rule citations under %s", root)
	return cited
}

// fileCitations finds the rules one file emits (constant references) or
// implements (IDs in doc comments).
func fileCitations(fset *token.FileSet, f *ast.File, consts map[string]syncrules.Rule, inSyncrules bool) []citation {
	var out []citation
	importName := ""
	for _, imp := range f.Imports {
		if path, _ := strconv.Unquote(imp.Path.Value); path == syncrulesImport {
			importName = "syncrules"
			if imp.Name != nil {
				importName = imp.Name.Name
			}
		}
	}
	docs := []*ast.CommentGroup{f.Doc}
	selected := map[*ast.Ident]bool{} // x.RLock1 names a field or method, not the constant
	ast.Inspect(f, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.SelectorExpr:
			selected[n.Sel] = true
			if x, ok := n.X.(*ast.Ident); ok && importName != "" && x.Name == importName {
				if r, ok := consts[n.Sel.Name]; ok {
					out = append(out, citation{r, fset.Position(n.Pos())})
				}
			}
		case *ast.Ident:
			if r, ok := consts[n.Name]; ok && !selected[n] && (inSyncrules || importName == ".") {
				out = append(out, citation{r, fset.Position(n.Pos())})
			}
		case *ast.FuncDecl:
			docs = append(docs, n.Doc)
		case *ast.GenDecl:
			docs = append(docs, n.Doc)
		case *ast.TypeSpec:
			docs = append(docs, n.Doc)
		case *ast.ValueSpec:
			docs = append(docs, n.Doc)
		case *ast.Field:
			docs = append(docs, n.Doc)
		}
		return true
	})
	for _, cg := range docs {
		if cg == nil {
			continue
		}
		for _, id := range docCommentRules(cg.Text()) {
			out = append(out, citation{id, fset.Position(cg.Pos())})
		}
	}
	return out
}

// docCommentRules reads the rule IDs in comment text, expanding
// "R-OUT-1..3" and "R-PROFILE-1/2".
func docCommentRules(text string) []syncrules.Rule {
	var ids []syncrules.Rule
	for _, m := range docCommentRule.FindAllStringSubmatch(text, -1) {
		family := m[1]
		last, _ := strconv.Atoi(m[2])
		ids = append(ids, syncrules.Rule(fmt.Sprintf("R-%s-%d", family, last)))
		for _, step := range rangeStep.FindAllStringSubmatch(m[3], -1) {
			n, _ := strconv.Atoi(step[2])
			first := n
			if step[1] == ".." {
				first = last + 1
			}
			for i := first; i <= n; i++ {
				ids = append(ids, syncrules.Rule(fmt.Sprintf("R-%s-%d", family, i)))
			}
			last = n
		}
	}
	return ids
}

// ruleConstants reads the Rule constants' names and IDs from rules.go, and
// checks them against AllRules so that the finder looks for the real set.
func ruleConstants(t *testing.T, path string) map[string]syncrules.Rule {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), path, nil, 0)
	require.NoError(t, err)
	consts := map[string]syncrules.Rule{}
	for _, d := range f.Decls {
		gd, ok := d.(*ast.GenDecl)
		if !ok || gd.Tok != token.CONST {
			continue
		}
		for _, s := range gd.Specs {
			vs := s.(*ast.ValueSpec)
			if typ, ok := vs.Type.(*ast.Ident); !ok || typ.Name != "Rule" {
				continue
			}
			for i, name := range vs.Names {
				lit, ok := vs.Values[i].(*ast.BasicLit)
				require.True(t, ok, "%s is not a literal", name.Name)
				id, err := strconv.Unquote(lit.Value)
				require.NoError(t, err)
				consts[name.Name] = syncrules.Rule(id)
			}
		}
	}
	var ids []syncrules.Rule
	for _, id := range consts {
		ids = append(ids, id)
	}
	require.ElementsMatch(t, syncrules.AllRules(), ids, "the Rule constants of %s are AllRules()", path)
	return consts
}

// rulesDoc is what the tests read from docs/RULES.md.
type rulesDoc struct {
	headings    []docHeading
	anchorLinks []docHeading // "#r-upd-4" of "[R-UPD-4](#r-upd-4)", without the #
	catalogue   []catalogueRow
	geocoder    []geocoderRow
}

// docHeading is a heading's (or a link's) text and its line.
type docHeading struct {
	text string
	line int
}

type catalogueRow struct {
	pattern, example string
	line             int
}

type geocoderRow struct {
	layout, example string
	line            int
}

// rulesDocHeadings is the set of rule IDs with a heading in docs/RULES.md.
func rulesDocHeadings(t *testing.T) map[syncrules.Rule]bool {
	t.Helper()
	ids := map[syncrules.Rule]bool{}
	for _, h := range readRulesDoc(t).headings {
		if strings.HasPrefix(h.text, "R-") {
			ids[syncrules.Rule(h.text)] = true
		}
	}
	require.NotEmpty(t, ids, "docs/RULES.md has no rule headings")
	return ids
}

// readRulesDoc reads the headings (outside code fences) and the two kinds
// of example tables: "| pattern | layout | example |" anywhere, and
// "| layout | example |" under the "Geocoder layouts" heading.
func readRulesDoc(t *testing.T) rulesDoc {
	t.Helper()
	path := filepath.Join(moduleRoot(t), "docs", "RULES.md")
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	var (
		doc     rulesDoc
		section string
		header  []string // of the table being read; nil outside tables
		fenced  bool
	)
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if strings.HasPrefix(line, "```") {
			fenced = !fenced
			continue
		}
		if fenced {
			continue
		}
		for _, m := range anchorLink.FindAllStringSubmatch(line, -1) {
			doc.anchorLinks = append(doc.anchorLinks, docHeading{m[1], n})
		}
		if !strings.HasPrefix(line, "|") {
			header = nil
			if level := len(line) - len(strings.TrimLeft(line, "#")); level > 0 && strings.HasPrefix(line[level:], " ") {
				section = strings.TrimSpace(line[level:])
				doc.headings = append(doc.headings, docHeading{section, n})
			}
			continue
		}
		cells := tableCells(line)
		switch {
		case header == nil:
			header = cells
			continue
		case strings.Trim(line, "|-: ") == "":
			continue
		}
		switch {
		case slices.Equal(header, []string{"pattern", "layout", "example"}):
			require.Len(t, cells, 3, "docs/RULES.md:%d", n)
			doc.catalogue = append(doc.catalogue, catalogueRow{pattern: unquoteCell(cells[0]), example: unquoteCell(cells[2]), line: n})
		case section == "Geocoder layouts" && slices.Equal(header, []string{"layout", "example"}):
			require.Len(t, cells, 2, "docs/RULES.md:%d", n)
			doc.geocoder = append(doc.geocoder, geocoderRow{layout: cells[0], example: unquoteCell(cells[1]), line: n})
		}
	}
	require.NoError(t, sc.Err())
	return doc
}

var anchorLink = regexp.MustCompile(`\]\(#([^)\s]+)\)`)

// githubAnchor is the id GitHub gives a heading: lower case, punctuation
// and symbols dropped, each space a hyphen ("The lock (\"trava\")" is
// "the-lock-trava", "R-UPD-4" is "r-upd-4").
func githubAnchor(heading string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(heading) {
		switch {
		case r == ' ':
			b.WriteByte('-')
		case r == '-' || r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(r)
		}
	}
	return b.String()
}

func tableCells(line string) []string {
	cells := strings.Split(strings.Trim(line, "|"), "|")
	for i := range cells {
		cells[i] = strings.TrimSpace(cells[i])
	}
	return cells
}

// unquoteCell takes the code span off a cell: "`omie-1`" is "omie-1".
func unquoteCell(c string) string {
	if len(c) >= 2 && strings.HasPrefix(c, "`") && strings.HasSuffix(c, "`") {
		return c[1 : len(c)-1]
	}
	return c
}

// moduleRoot is the directory of go.mod, above the test's directory.
func moduleRoot(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	require.NoError(t, err)
	for !fileExists(filepath.Join(dir, "go.mod")) {
		parent := filepath.Dir(dir)
		require.NotEqual(t, dir, parent, "no go.mod above the test directory")
		dir = parent
	}
	return dir
}

func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}
