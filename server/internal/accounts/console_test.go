package accounts_test

import (
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/claudemock/claudemock/server/internal/accounts"
	"github.com/claudemock/claudemock/server/internal/catalog"
	"github.com/claudemock/claudemock/server/internal/orgs"
)

var _ = Describe("The Console model", func() {
	var (
		cat *catalog.Catalog
		d   *accounts.Directory
		now = time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC)
	)

	BeforeEach(func() {
		cat = loadCatalog()
		start, _ := cat.Tier("start")
		d = accounts.New(cat, 7, start, configured(cat, orgsYAML+"    admin_keys: [sk-ant-admin01-small]\n"))
	})

	It("knows the admin keys a file lists, and only those", func() {
		org, ok := d.AdminOrg("sk-ant-admin01-small")
		Expect([]any{org, ok}).To(Equal([]any{"org-small", true}))
		_, ok = d.AdminOrg("sk-ant-admin01-other")
		Expect(ok).To(BeFalse())
		start, _ := cat.Tier("start")
		open := accounts.New(cat, 7, start, nil)
		org, ok = open.AdminOrg("sk-ant-admin01-other")
		Expect([]any{org, ok}).To(Equal([]any{open.DefaultID(), true}), "no admin keys listed: any admin-prefixed key is the default organization's")
	})

	It("creates workspaces with ids derived from the organization and their number", func() {
		ws, err := d.CreateWorkspace("org-acme", "Research", now)
		Expect(err).NotTo(HaveOccurred())
		Expect([]any{ws.ID, ws.Name, ws.Created}).To(Equal([]any{orgs.DerivedID("wrkspc_01", "claudemock:workspace:org-acme:1"), "Research", now}))
		Expect(d.Workspaces("org-acme")).To(HaveLen(2))
		_, err = d.CreateWorkspace("org-none", "x", now)
		Expect(err).To(MatchError(accounts.ErrNotFound))
	})

	It("sets a workspace's limits for the next resolve, leaving an account resolved before alone", func() {
		before := d.Resolve("sk-batch")
		_, err := d.SetWorkspaceLimits("org-acme", "wrkspc_batch", "haiku-4-5", catalog.Limits{RequestsPerMinute: 2})
		Expect(err).NotTo(HaveOccurred())
		Expect(d.Resolve("sk-batch").Scopes("haiku-4-5")[1].Limits).To(Equal(catalog.Limits{RequestsPerMinute: 2}))
		Expect(before.Scopes("haiku-4-5")[1].Limits).To(Equal(catalog.Limits{RequestsPerMinute: 5}))
	})

	It("makes a key inactive, and every key of an archived workspace archived", func() {
		keys := d.Keys("org-acme")
		Expect([]string{keys[0].Name, keys[0].Key, keys[1].Key}).To(Equal([]string{"key-1", "sk-acme", "sk-batch"}))
		inactive := accounts.KeyInactive
		k, err := d.UpdateKey("org-acme", keys[0].ID, nil, &inactive)
		Expect(err).NotTo(HaveOccurred())
		Expect([]any{k.Status, d.Active("sk-acme"), d.Active("sk-unknown")}).To(Equal([]any{"inactive", false, true}))
		_, err = d.ArchiveWorkspace("org-acme", "wrkspc_batch", now)
		Expect(err).NotTo(HaveOccurred())
		Expect(d.Active("sk-batch")).To(BeFalse())
		_, err = d.UpdateKey("org-acme", keys[1].ID, nil, nil)
		Expect(err).To(MatchError(accounts.ErrArchived))
		_, err = d.RenameWorkspace("org-acme", "wrkspc_batch", "x")
		Expect(err).To(MatchError(accounts.ErrArchived))
	})
})
