package server

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/claudemock/claudemock"
	"github.com/claudemock/claudemock/server/internal/accounts"
	"github.com/claudemock/claudemock/server/internal/billing"
	"github.com/claudemock/claudemock/server/internal/catalog"
	"github.com/claudemock/claudemock/server/internal/clock"
	"github.com/claudemock/claudemock/server/internal/config"
	"github.com/claudemock/claudemock/server/internal/files"
	"github.com/claudemock/claudemock/server/internal/netlimit"
	"github.com/claudemock/claudemock/server/internal/orgs"
	"github.com/claudemock/claudemock/server/internal/run"
)

// Options configure a Server. The zero value is a working server: the
// embedded catalogue, seed 0, any API key accepted.
type Options struct {
	// Addr is where ListenAndServe listens; ":8080" when empty.
	Addr string
	// Tiers is a tiers.yaml document; the embedded one when nil.
	Tiers []byte
	// TiersFile names Tiers in error messages.
	TiersFile string
	// Seed makes every generated id and text reproducible.
	Seed uint64
	// APIKeys, when non-empty, is the only set of keys accepted; any other
	// key gets the real 401 "invalid x-api-key".
	APIKeys []string
	// ReplyTokens is the length of generated text replies in tokens
	// (default 24); a reply never exceeds the request's max_tokens.
	ReplyTokens int
	// Logger receives one line per request and internal errors; nil
	// discards them.
	Logger *log.Logger
	// Clock is "real" (default), "manual" or "scaled:N".
	Clock string
	// Start is the virtual time the clock starts at; wall now when zero.
	Start time.Time
	// Tier is the tier of the default organization (and of configured
	// ones that name none); the catalogue's default_tier when empty
	// (`start` in the built-in catalogue).
	Tier string
	// Organizations is an organizations file (YAML): organizations,
	// their workspaces, keys, tiers and limits. Unconfigured keys belong
	// to one default organization.
	Organizations []byte
	// OrganizationsFile names Organizations in error messages.
	OrganizationsFile string
	// Scenario is a scenario file (YAML) loaded at start, as SetScenario
	// would load it; nil is none.
	Scenario []byte
	// ScenarioFile names Scenario in error messages.
	ScenarioFile string
	// AutoTools is when tool_choice auto (or none given) calls a tool:
	// "named" (the default: the first tool the last user turn names),
	// "never" or "always"; a scenario's auto_tools overrides it.
	AutoTools string
	// RetryOversized answers a request larger than a whole bucket (one
	// no wait can admit) like any other rate-limit 429, with retry-after
	// and x-should-retry: true. By default it gets x-should-retry: false
	// and no retry-after, so that clients stop retrying it.
	RetryOversized bool
	// ControlToken, when set, locks the control API: every /_mock/
	// endpoint but health then needs Authorization: Bearer <token>, since
	// the API can reset state and read the journal and the default address
	// listens on every interface.
	ControlToken string
	// BodyTimeout is how long a request body may take to arrive before the
	// request is answered 408 and its connection closed: DefaultBodyTimeout
	// when 0, none when negative. Streams are not bounded by it.
	BodyTimeout time.Duration
	// MaxConnections bounds the connections served at once; more wait to be
	// accepted. DefaultMaxConnections() when 0, no limit when negative.
	MaxConnections int
	// FileSizeLimit is the Files API's largest upload (and request) in
	// bytes: the documented 500 MB when 0. FileStorageLimit is what one
	// organization may store: the documented 100 GB when 0.
	FileSizeLimit, FileStorageLimit int64
	// FilesDownloadable makes uploaded files downloadable. The real API
	// lets only files a tool created (code execution, skills) be
	// downloaded and refuses uploads; the mock creates no files, so this
	// is how a client's download path is tested.
	FilesDownloadable bool
	// BatchRequestTime is how long one request of a Message Batch takes to
	// process, in virtual time; a batch's requests are processed one after
	// another, so a batch of n requests ends n times this after creation.
	// DefaultBatchRequestTime when 0; negative is refused.
	BatchRequestTime time.Duration
}

// DefaultBatchRequestTime is the processing time of one batch request when
// Options leaves it 0: a ten-request batch ends 5 s after creation, and
// the most a batch holds, 100,000, ends within its 24 hours (13.9 h).
const DefaultBatchRequestTime = 500 * time.Millisecond

// DefaultReplyTokens is the generated reply length when Options leaves it 0.
const DefaultReplyTokens = 24

// Server is a running (or ready to run) mock. All its methods are safe for
// concurrent use.
type Server struct {
	opts     Options
	catalog  *catalog.Catalog
	keys     map[string]bool
	echo     *echo.Echo
	handler  http.Handler // echo behind the body deadline
	logger   *log.Logger
	clock    *clock.Clock
	accounts *accounts.Directory
	book     *billing.Book
	metrics  *metrics
	files    *files.Store

	// mode, tier and configured are the options' clock mode, default tier
	// and organizations, which unloading a scenario returns to.
	mode       clock.Mode
	tier       *catalog.Tier
	configured []orgs.Organization
	// play is the run: the scenario, the seed in force (the options' or
	// the scenario's) and the tests' namespaces. Requests read it once
	// when they arrive, so a scenario swapped mid-request does not change
	// that request's fate.
	play   atomic.Pointer[run.Run]
	loadMu sync.Mutex // serialises scenario loads
	// stop is closed by Shutdown and Close, to end stalled streams.
	stop     chan struct{}
	stopOnce sync.Once

	mu       sync.Mutex
	httpSrv  *http.Server
	listener net.Listener
}

// New validates the options and builds a Server without listening yet.
func New(opts Options) (*Server, error) {
	opts, err := withDefaults(opts)
	if err != nil {
		return nil, err
	}
	cat, err := catalog.Load(opts.TiersFile, opts.Tiers)
	if err != nil {
		return nil, err
	}
	mode, err := clock.Parse(opts.Clock)
	if err != nil {
		return nil, err
	}
	tier, err := config.DefaultTier(cat, opts.Tier)
	if err != nil {
		return nil, err
	}
	configured, err := config.Organizations(cat, opts.OrganizationsFile, opts.Organizations)
	if err != nil {
		return nil, err
	}
	s := &Server{
		opts: opts, catalog: cat, keys: keySet(opts.APIKeys), logger: opts.Logger,
		clock: clock.New(mode, opts.Start, nil), book: billing.NewBook(),
		accounts: accounts.New(cat, opts.Seed, tier, configured),
		files: files.New(files.Limits{MaxFileBytes: opts.FileSizeLimit, MaxStorageBytes: opts.FileStorageLimit,
			UploadsDownloadable: opts.FilesDownloadable}),
		mode: mode, tier: tier, configured: configured, stop: make(chan struct{}),
	}
	s.play.Store(run.New(nil, opts.Seed, s.clock.Now()))
	s.grantCredits(configured)
	if s.logger == nil {
		s.logger = log.New(io.Discard, "", 0)
	}
	s.metrics = newMetrics(s)
	s.echo = s.routes()
	s.handler = bodyDeadline(http.HandlerFunc(s.serveHTTP), cmp.Or(opts.BodyTimeout, DefaultBodyTimeout))
	if opts.Scenario != nil {
		if err := s.SetScenario(opts.ScenarioFile, opts.Scenario); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// withDefaults fills in what Options leaves empty and checks the rest
// that needs no catalogue.
func withDefaults(opts Options) (Options, error) {
	if opts.Tiers == nil {
		opts.Tiers, opts.TiersFile = claudemock.Tiers, "tiers.yaml (embedded)"
	}
	opts.TiersFile = cmp.Or(opts.TiersFile, "tiers.yaml")
	opts.ScenarioFile = cmp.Or(opts.ScenarioFile, "scenario.yaml")
	if opts.ReplyTokens == 0 {
		opts.ReplyTokens = DefaultReplyTokens
	}
	if opts.ReplyTokens < 0 {
		return opts, fmt.Errorf("reply tokens: must be >= 0, got %d", opts.ReplyTokens)
	}
	opts.BatchRequestTime = cmp.Or(opts.BatchRequestTime, DefaultBatchRequestTime)
	if opts.BatchRequestTime < 0 {
		return opts, fmt.Errorf("batch request time: must be >= 0, got %s", opts.BatchRequestTime)
	}
	opts.AutoTools = cmp.Or(opts.AutoTools, AutoToolsNamed)
	if !slices.Contains(AutoToolsModes, opts.AutoTools) {
		return opts, fmt.Errorf("auto tools: must be one of %s, got %q", strings.Join(AutoToolsModes, ", "), opts.AutoTools)
	}
	return opts, nil
}

func keySet(keys []string) map[string]bool {
	if len(keys) == 0 {
		return nil
	}
	set := make(map[string]bool, len(keys))
	for _, k := range keys {
		set[k] = true
	}
	return set
}

// Validate checks a tiers file, an organizations file or a scenario file
// without starting a server. They are told apart by their top-level keys:
// a scenario has any key only a scenario has (name, faults, expect, …),
// an organizations file only "organizations"; both are checked against the embedded catalogue. The
// error names the file, line, field path and bad value of each fault.
func Validate(file string, data []byte) error { return config.Validate(file, data) }

// Handler is the server as an http.Handler, for httptest or an own
// listener; it bounds request bodies by Options.BodyTimeout.
func (s *Server) Handler() http.Handler { return s.handler }

// Serve answers requests on ln until Close or Shutdown.
func (s *Server) Serve(ln net.Listener) error {
	srv, ln := s.attach(ln)
	err := srv.Serve(ln)
	if errors.Is(err, http.ErrServerClosed) {
		return nil
	}
	return err
}

// attach records the listener and its http.Server before serving starts, so
// that Close right after RunT cannot miss them, and returns both, the
// listener bounded by Options.MaxConnections. Headers have 30 s to arrive
// and an idle keep-alive connection is closed after idleTimeout; bodies
// are bounded per request (bodyDeadline), never the whole response.
func (s *Server) attach(ln net.Listener) (*http.Server, net.Listener) {
	srv := &http.Server{Handler: s.handler, ReadHeaderTimeout: 30 * time.Second, IdleTimeout: idleTimeout}
	conns := s.opts.MaxConnections
	if conns == 0 {
		conns = DefaultMaxConnections()
	}
	s.mu.Lock()
	s.httpSrv, s.listener = srv, ln
	s.mu.Unlock()
	return srv, netlimit.Listen(ln, conns)
}

// ListenAndServe listens on Options.Addr and serves until ctx is done.
func (s *Server) ListenAndServe(ctx context.Context) error {
	addr := s.opts.Addr
	if addr == "" {
		addr = ":8080"
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	return s.ServeContext(ctx, ln)
}

// ServeContext serves on ln until ctx is done, then shuts down gracefully,
// letting in-flight requests finish (for at most ten seconds).
func (s *Server) ServeContext(ctx context.Context, ln net.Listener) error {
	srv, ln := s.attach(ln)
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return s.Shutdown(shutdownCtx)
}

// Addr is the address the server listens on, or nil before Serve.
func (s *Server) Addr() net.Addr {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.listener == nil {
		return nil
	}
	return s.listener.Addr()
}

// URL is the base URL to give an SDK (no trailing /v1), e.g.
// "http://127.0.0.1:41234".
func (s *Server) URL() string {
	addr := s.Addr()
	if addr == nil {
		return ""
	}
	return "http://" + addr.String()
}

// Shutdown stops accepting connections and waits for in-flight requests.
func (s *Server) Shutdown(ctx context.Context) error {
	return s.halt(func(srv *http.Server) error { return srv.Shutdown(ctx) })
}

// Close stops the server at once, dropping open connections.
func (s *Server) Close() error { return s.halt((*http.Server).Close) }

// halt is what Shutdown and Close share: it closes stop, which ends stalled
// streams (they would hold a graceful shutdown for ever), then stops the
// HTTP server, if one is serving, with how.
func (s *Server) halt(how func(*http.Server) error) error {
	s.stopOnce.Do(func() { close(s.stop) })
	s.mu.Lock()
	srv := s.httpSrv
	s.mu.Unlock()
	if srv == nil {
		return nil
	}
	return how(srv)
}

func (s *Server) logf(format string, args ...any) { s.logger.Printf(format, args...) }

// TB is the part of testing.TB that RunT needs; *testing.T and GinkgoT()
// both satisfy it.
type TB interface {
	Helper()
	Fatalf(format string, args ...any)
	Cleanup(func())
}

// RunT starts a server on a random loopback port and registers its Close
// with t.Cleanup, in the manner of miniredis.RunT. It fails t on bad options.
func RunT(t TB, opts Options) *Server {
	t.Helper()
	s, err := New(opts)
	if err != nil {
		t.Fatalf("claudemock: %v", err)
		return nil
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("claudemock: listen: %v", err)
		return nil
	}
	srv, ln := s.attach(ln)
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = s.Close() })
	return s
}
