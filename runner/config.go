package runner

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"regexp"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/auvosync/auvosync/contaazul"
	"github.com/auvosync/auvosync/syncrules"
)

// Vendor defaults (CONTRACTS.md §3).
const (
	defaultState          = DefaultState
	defaultAuvoBaseURL    = "https://api.auvo.com.br/v2"
	defaultOmieBaseURL    = "https://app.omie.com.br/api/v1"
	defaultContaAzulBase  = contaazul.DefaultBaseURL // contaazul.TokenURLFor knows its token endpoint
	defaultContaAzulToken = contaazul.DefaultTokenURL
	defaultBlingBaseURL   = "https://api.bling.com.br/Api/v3"
	defaultBlingTokenURL  = "https://api.bling.com.br/Api/v3/oauth/token"
)

// Secret is a credential. It prints redacted however it is formatted or
// logged, so a stray %v or slog attribute cannot leak it; string(s) is the
// value.
type Secret string

func (s Secret) String() string {
	if s == "" {
		return "(empty)"
	}
	return "(redacted)"
}

func (s Secret) GoString() string           { return s.String() }
func (s Secret) LogValue() slog.Value       { return slog.StringValue(s.String()) }
func (s Secret) Format(f fmt.State, _ rune) { _, _ = f.Write([]byte(s.String())) }

// The String and GoString methods keep credentials out of any %v, %+v or
// %#v of a configuration.
func (a AuvoConfig) String() string {
	return fmt.Sprintf("{BaseURL:%s APIKey:%s APIToken:%s}", a.BaseURL, a.APIKey, a.APIToken)
}

func (a AuvoConfig) GoString() string { return a.String() }

func (o OmieConfig) String() string {
	return fmt.Sprintf("{BaseURL:%s AppKey:%s AppSecret:%s}", o.BaseURL, o.AppKey, o.AppSecret)
}

func (o OmieConfig) GoString() string { return o.String() }

func (o OAuthConfig) String() string {
	return fmt.Sprintf("{BaseURL:%s TokenURL:%s ClientID:%s ClientSecret:%s RefreshToken:%s}",
		o.BaseURL, o.TokenURL, o.ClientID, o.ClientSecret, o.RefreshToken)
}

func (o OAuthConfig) GoString() string { return o.String() }

// Config is what a runner runs: the state, the connections and the
// console. LoadConfig and ParseConfig return it validated, every value
// expanded and defaulted; a Config built in Go may leave base and token URLs
// empty for their defaults, and New checks it the same way.
type Config struct {
	// State is the ledger: a SQLite file path (default ./auvosync.db).
	State       string
	Connections []ConnConfig
	Console     ConsoleConfig
	// BudgetShare is this process's share of the vendors' per-IP budgets
	// (R-BUDGET-1, CONTRACTS.md §4 budget_share): 1 (the default; 0 in a
	// Config built in Go) for the only process behind its IP, 0.5 for each of
	// two replicas sharing one IP.
	BudgetShare float64
}

// ConnConfig is one Auvo account and its ERP. Partner blocks the
// configuration does not have stay nil.
type ConnConfig struct {
	Name      string
	Flows     []syncrules.Flow
	Auvo      AuvoConfig
	Omie      *OmieConfig
	ContaAzul *OAuthConfig
	Bling     *OAuthConfig
	// Assume says where the connection's APIs behave otherwise than the
	// integration assumes ("runner doctor" probes each and says what to set).
	Assume Assumptions
}

// Assumptions are the config's assume: block: each is off unless "runner
// doctor" found the API behaving otherwise (runner/cli README, "What the
// doctor probes").
type Assumptions struct {
	// AuvoDateFilterAfter (auvo_date_filter: after): Auvo's dateLastUpdate
	// filter keeps customers changed strictly after it (flows.AuvoDateFilterAfter).
	AuvoDateFilterAfter bool
	// OmieWindowBoth (omie_window: both): Omie's window must be listed for
	// inclusions and alterations apart (flows.OmieWindowBoth).
	OmieWindowBoth bool
	// ContaAzulOffsetDates (contaazul_dates: offset): Conta Azul refuses
	// date filters without a UTC offset (contaazul.WithOffsetDates).
	ContaAzulOffsetDates bool
}

// The assume: values, as written in the file.
const (
	AssumeAuvoDateAtOrAfter = "at_or_after"
	AssumeAuvoDateAfter     = "after"
	AssumeOmieWindowAny     = "any"
	AssumeOmieWindowBoth    = "both"
	AssumeContaAzulLocal    = "local"
	AssumeContaAzulOffset   = "offset"
)

type AuvoConfig struct {
	BaseURL  string
	APIKey   Secret
	APIToken Secret
}

type OmieConfig struct {
	BaseURL   string
	AppKey    Secret
	AppSecret Secret
}

// OAuthConfig is Conta Azul's or Bling's block. RefreshToken is only the
// first one: rotated tokens live in the state file.
type OAuthConfig struct {
	BaseURL      string
	TokenURL     string
	ClientID     Secret
	ClientSecret Secret
	RefreshToken Secret
}

// The file's shape, before ${VAR} expansion and validation.
type fileConfig struct {
	State       string           `yaml:"state"`
	Connections []fileConnection `yaml:"connections"`
	Console     *fileConsole     `yaml:"console"`
	BudgetShare string           `yaml:"budget_share"`
}

type fileConnection struct {
	Name      string      `yaml:"name"`
	Flows     []string    `yaml:"flows"`
	Auvo      *fileAuvo   `yaml:"auvo"`
	Omie      *fileOmie   `yaml:"omie"`
	ContaAzul *fileOAuth  `yaml:"contaazul"`
	Bling     *fileOAuth  `yaml:"bling"`
	Assume    *fileAssume `yaml:"assume"`
}

type fileAssume struct {
	AuvoDateFilter string `yaml:"auvo_date_filter"`
	OmieWindow     string `yaml:"omie_window"`
	ContaAzulDates string `yaml:"contaazul_dates"`
}

type fileAuvo struct {
	BaseURL  string `yaml:"base_url"`
	APIKey   string `yaml:"api_key"`
	APIToken string `yaml:"api_token"`
}

type fileOmie struct {
	BaseURL   string `yaml:"base_url"`
	AppKey    string `yaml:"app_key"`
	AppSecret string `yaml:"app_secret"`
}

type fileOAuth struct {
	BaseURL      string `yaml:"base_url"`
	TokenURL     string `yaml:"token_url"`
	ClientID     string `yaml:"client_id"`
	ClientSecret string `yaml:"client_secret"`
	RefreshToken string `yaml:"refresh_token"`
}

// ConfigError lists everything wrong with a configuration file; the runner
// exits 2 on it.
type ConfigError struct {
	Problems []string
}

func (e *ConfigError) Error() string {
	return "config: " + strings.Join(e.Problems, "\nconfig: ")
}

// ConfigOption changes how a configuration is read.
type ConfigOption func(*configReader)

type configReader struct {
	getenv func(string) string
}

// WithEnv replaces os.Getenv as the source of ${VAR} values (tests, or
// secrets from a vault).
func WithEnv(getenv func(string) string) ConfigOption {
	return func(r *configReader) { r.getenv = getenv }
}

func newConfigReader(opts []ConfigOption) configReader {
	r := configReader{getenv: os.Getenv}
	for _, o := range opts {
		o(&r)
	}
	if r.getenv == nil {
		r.getenv = func(string) string { return "" }
	}
	return r
}

// LoadConfig reads, expands and validates the file at path (CONTRACTS.md
// §3). Every problem is in the returned *ConfigError.
func LoadConfig(path string, opts ...ConfigOption) (*Config, error) {
	data, err := readConfigFile(path)
	if err != nil {
		return nil, err
	}
	return ParseConfig(data, opts...)
}

func readConfigFile(path string) ([]byte, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, &ConfigError{Problems: []string{fmt.Sprintf("reading %s: %v", path, UnwrapPathError(err))}}
	}
	return data, nil
}

// UnwrapPathError drops the "open PATH:" of an *os.PathError, for messages
// that already name the path.
func UnwrapPathError(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// ParseConfig decodes YAML, expands ${VAR} (from the environment unless
// WithEnv says otherwise) and validates.
func ParseConfig(data []byte, opts ...ConfigOption) (*Config, error) {
	fc, err := decodeFile(data)
	if err != nil {
		return nil, err
	}
	return validate(fc, newConfigReader(opts).getenv)
}

// decodeFile decodes the YAML, refusing keys the runner does not know so a
// misspelt key is reported instead of silently ignored.
func decodeFile(data []byte) (*fileConfig, error) {
	var root yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&root); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, &ConfigError{Problems: []string{"the file is empty"}}
		}
		return nil, &ConfigError{Problems: []string{"not valid YAML: " + yamlMessage(err)}}
	}
	if problems := unknownKeys(&root); len(problems) > 0 {
		return nil, &ConfigError{Problems: problems}
	}
	var fc fileConfig
	if err := root.Decode(&fc); err != nil {
		return nil, &ConfigError{Problems: []string{"unexpected value: " + yamlMessage(err)}}
	}
	return &fc, nil
}

func yamlMessage(err error) string {
	return strings.ReplaceAll(strings.TrimPrefix(err.Error(), "yaml: "), "\n", " ")
}

var knownKeys = map[string][]string{
	"":          {"state", "connections", "console", "budget_share"},
	"conn":      {"name", "flows", "auvo", "omie", "contaazul", "bling", "assume"},
	"auvo":      {"base_url", "api_key", "api_token"},
	"omie":      {"base_url", "app_key", "app_secret"},
	"contaazul": {"base_url", "token_url", "client_id", "client_secret", "refresh_token"},
	"bling":     {"base_url", "token_url", "client_id", "client_secret", "refresh_token"},
	"console":   {"password"},
	"assume":    {"auvo_date_filter", "omie_window", "contaazul_dates"},
}

// unknownKeys walks the document and names every key the schema lacks,
// with the connection it is in.
func unknownKeys(root *yaml.Node) []string {
	doc := root
	if doc.Kind == yaml.DocumentNode && len(doc.Content) > 0 {
		doc = doc.Content[0]
	}
	if doc.Kind != yaml.MappingNode {
		return []string{"the file must be a mapping with \"state\" and \"connections\""}
	}
	var problems []string
	for i := 0; i+1 < len(doc.Content); i += 2 {
		key, val := doc.Content[i].Value, doc.Content[i+1]
		if !slices.Contains(knownKeys[""], key) {
			problems = append(problems, fmt.Sprintf("line %d: unknown key %q (want state, connections, console)", doc.Content[i].Line, key))
			continue
		}
		if key == "console" {
			problems = append(problems, unknownConsoleKeys(val)...)
			continue
		}
		if key != "connections" || val.Kind != yaml.SequenceNode {
			continue
		}
		for n, conn := range val.Content {
			if conn.Kind != yaml.MappingNode {
				continue
			}
			label := connLabel(conn, n)
			for j := 0; j+1 < len(conn.Content); j += 2 {
				ck, cv := conn.Content[j].Value, conn.Content[j+1]
				if !slices.Contains(knownKeys["conn"], ck) {
					problems = append(problems, fmt.Sprintf("%s: unknown key %q", label, ck))
					continue
				}
				sub, ok := knownKeys[ck]
				if !ok || cv.Kind != yaml.MappingNode {
					continue
				}
				for k := 0; k+1 < len(cv.Content); k += 2 {
					if sk := cv.Content[k].Value; !slices.Contains(sub, sk) {
						problems = append(problems, fmt.Sprintf("%s: unknown key \"%s.%s\" (want one of %s)", label, ck, sk, strings.Join(sub, ", ")))
					}
				}
			}
		}
	}
	return problems
}

func connLabel(conn *yaml.Node, index int) string {
	for j := 0; j+1 < len(conn.Content); j += 2 {
		if conn.Content[j].Value == "name" && strings.TrimSpace(conn.Content[j+1].Value) != "" {
			return fmt.Sprintf("connection %q", conn.Content[j+1].Value)
		}
	}
	return fmt.Sprintf("connection #%d", index+1)
}

var varRef = regexp.MustCompile(`\$\{([A-Za-z_][A-Za-z0-9_]*)\}`)

// expand replaces ${VAR} from env and returns the names that were unset or
// empty, so that "missing" errors can say which variable to set. A lone $
// stays as written: secrets may contain one.
func expand(s string, env func(string) string) (string, []string) {
	var unset []string
	out := varRef.ReplaceAllStringFunc(s, func(m string) string {
		name := varRef.FindStringSubmatch(m)[1]
		v := env(name)
		if v == "" {
			unset = append(unset, name)
		}
		return v
	})
	return out, unset
}
