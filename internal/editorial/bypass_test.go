package editorial_test

import (
	"go/ast"
	"go/types"
	"os"
	"sort"
	"strings"
	"testing"

	"golang.org/x/tools/go/packages"
)

// writePrefixes name the store methods that change what is stored.
var writePrefixes = []string{"Create", "Update", "Delete", "Put", "Replace", "Restore", "Record", "Append",
	"Prune", "Publish", "Mark", "Use", "Revoke", "Accept", "Touch", "Batch"}

// bypassAllowed lists the store writes made outside the editorial service,
// by package, and why each is not content: none of them is on a public page
// or feeds a consumer of change events.
var bypassAllowed = map[string][]string{
	// Security state of staff accounts: sessions, sign-in attempts and
	// throttling, one-time tokens, password hashes and TOTP steps.
	"folio/internal/auth": {"CreateSession", "DeleteSession", "TouchSession", "DeleteUserSessions", "RecordAttempt",
		"CreateOneTimeToken", "UseOneTimeToken", "RevokeOneTimeTokens", "PruneAccounts", "UpdateUser", "CreateUser",
		"AcceptTOTPStep", "RecordAudit"},
	// An archive restore writes through the store.Restorer that
	// Editor.Restore hands it, inside the one transaction that entry opened
	// and announces.
	"folio/internal/importer": {"RestoreSettings", "RestoreAuthor", "RestoreTerm", "RestoreMedia", "RestoreArticle",
		"RestoreRedirect", "RestoreComment", "RestoreImportRecord"},
	// Security state of member accounts, as for staff: member sessions,
	// mailed sign-in links and the rate-limit counters of reader actions.
	// Members, comments and subscriptions go through the service.
	"folio/internal/readers": {"CreateMemberSession", "DeleteMemberSession", "TouchMemberSession", "CreateMagicLink",
		"UseMagicLink", "RecordReaderAttempt", "PruneReaders"},
	// `folio user reset-password` ends the user's sessions (auth state).
	"folio/cmd/folio": {"DeleteUserSessions", "RecordAudit"},
	// The audit trail of who did what in the admin.
	"folio/internal/admin": {"RecordAudit"},
	// Bookkeeping of republishing, on no page and heard by no consumer:
	// the tracking image's view counts, flushed from memory in one
	// transaction per interval (never one write per hit), and the fetch
	// count of each syndication partner.
	"folio/internal/republish": {"RecordRepublishViews", "RecordPartnerFetch"},
	// The webhook delivery log: what a receiver answered to each attempt.
	"folio/internal/webhooks": {"RecordWebhookDelivery"},
	// The change log itself.
	"folio/internal/changes": {"AppendEvent", "PruneEvents"},
	// Progress of translation work: jobs, the translation memory, notices
	// to translators. The translated articles go through the service.
	"folio/internal/translate": {"CreateTranslationJob", "UpdateTranslationJob", "PutMemory", "CreateTranslationNotice",
		"MarkTranslationNoticeDelivered"},
}

// TestNoStoreWriteOutsideEditorial fails when production code outside the
// editorial service and the store packages calls a store method that writes:
// such a write would change what pages show without telling the page cache,
// the change log or the search index.
func TestNoStoreWriteOutsideEditorial(t *testing.T) {
	if testing.Short() {
		t.Skip("type-checks the whole module")
	}
	cfg := &packages.Config{Mode: packages.NeedName | packages.NeedFiles | packages.NeedSyntax | packages.NeedTypes |
		packages.NeedTypesInfo, Dir: "../..", Env: append(os.Environ(), "GOFLAGS=-mod=mod")}
	pkgs, err := packages.Load(cfg, "./...")
	if err != nil {
		t.Fatal(err)
	}
	var found []string
	calls := 0
	for _, p := range pkgs {
		for _, e := range p.Errors {
			t.Fatalf("load %s: %v", p.PkgPath, e)
		}
		if p.PkgPath == "folio/internal/editorial" || strings.HasPrefix(p.PkgPath, "folio/internal/store") ||
			strings.HasPrefix(p.PkgPath, "folio/internal/testutil") || strings.HasPrefix(p.PkgPath, "folio/bench") {
			continue
		}
		allowed := map[string]bool{}
		for _, m := range bypassAllowed[p.PkgPath] {
			allowed[m] = true
		}
		for _, f := range p.Syntax {
			if strings.HasSuffix(p.Fset.Position(f.Pos()).Filename, "_test.go") {
				continue
			}
			ast.Inspect(f, func(n ast.Node) bool {
				sel, ok := n.(*ast.SelectorExpr)
				if !ok {
					return true
				}
				obj, ok := p.TypesInfo.Uses[sel.Sel].(*types.Func)
				if !ok || obj.Pkg() == nil || !isStoreWrite(obj) {
					return true
				}
				calls++
				if allowed[obj.Name()] {
					return true
				}
				pos := p.Fset.Position(sel.Pos())
				found = append(found, pos.String()+": "+obj.FullName())
				return true
			})
		}
	}
	sort.Strings(found)
	for _, f := range found {
		t.Errorf("store write outside the editorial service: %s", f)
	}
	if calls == 0 {
		t.Fatal("found no store writes at all: the check is not looking at the code")
	}
}

// isStoreWrite reports a method of a store package (an interface in
// internal/store or a type of its implementations) whose name says it writes.
func isStoreWrite(fn *types.Func) bool {
	sig, ok := fn.Type().(*types.Signature)
	if !ok || sig.Recv() == nil || !strings.HasPrefix(fn.Pkg().Path(), "folio/internal/store") {
		return false
	}
	for _, p := range writePrefixes {
		if strings.HasPrefix(fn.Name(), p) {
			return true
		}
	}
	return false
}
