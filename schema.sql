-- schema.sql — the one source of truth for csp-portal's data.
--
-- The file is a sequence of migration sections. A line "-- migrate: N" starts section N;
-- each section runs in its own transaction and then sets PRAGMA user_version = N.
-- A fresh database runs every section; an older one runs the sections above its
-- user_version. So a migrated database and a fresh one are built by the same statements.
-- Never edit a section that has shipped: add a new one.
--
-- Times are Unix seconds (UTC). Emails are compared case-insensitively.

-- migrate: 1  (foundation: regions, tenants, users, sessions, link tokens, mail, audit)

CREATE TABLE regions (
	code TEXT PRIMARY KEY,
	name TEXT NOT NULL UNIQUE
) WITHOUT ROWID;

CREATE TABLE countries (
	code   TEXT PRIMARY KEY CHECK (length(code) = 2 AND code = upper(code)),
	name   TEXT NOT NULL UNIQUE,
	region TEXT NOT NULL REFERENCES regions(code)
) WITHOUT ROWID;
CREATE INDEX countries_region ON countries(region);

-- A tenant is an organization's work account: its sign-in directory.
CREATE TABLE tenants (
	id         INTEGER PRIMARY KEY,
	name       TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
	domain     TEXT NOT NULL UNIQUE COLLATE NOCASE,
	country    TEXT NOT NULL REFERENCES countries(code),
	kind       TEXT NOT NULL DEFAULT 'partner' CHECK (kind IN ('partner', 'customer')),
	created_at INTEGER NOT NULL
);

-- roles is a bit set; the bits are defined in src/roles.def.
CREATE TABLE users (
	id            INTEGER PRIMARY KEY,
	tenant_id     INTEGER NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
	email         TEXT NOT NULL UNIQUE COLLATE NOCASE,
	name          TEXT NOT NULL,
	pw_hash       TEXT,			-- NULL until the user sets a password
	roles         INTEGER NOT NULL DEFAULT 0,
	created_at    INTEGER NOT NULL,
	pw_changed_at INTEGER
);
CREATE INDEX users_tenant ON users(tenant_id);

-- Only a hash of the cookie's 32 random bytes is stored.
CREATE TABLE sessions (
	id         INTEGER PRIMARY KEY,
	token_hash BLOB NOT NULL UNIQUE,
	user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	created_at INTEGER NOT NULL,
	seen_at    INTEGER NOT NULL,
	ip         TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user ON sessions(user_id);

-- Rows behind emailed single-use links (password reset, set password, contact
-- verification). The link carries the row id and the expiry, MAC-signed; it is valid
-- while the row is unused, not revoked, and has the same expiry.
CREATE TABLE link_tokens (
	id         INTEGER PRIMARY KEY,
	purpose    TEXT NOT NULL,
	subject_id INTEGER NOT NULL,		-- a user id, or a partner account id
	created_at INTEGER NOT NULL,
	expires_at INTEGER NOT NULL,
	used_at    INTEGER,
	revoked_at INTEGER
);
CREATE INDEX link_tokens_subject ON link_tokens(purpose, subject_id);

-- Every message goes through the outbox in the transaction of the action that sends it;
-- delivery happens after commit. The body is dropped once delivered.
CREATE TABLE outbox (
	id         INTEGER PRIMARY KEY,
	created_at INTEGER NOT NULL,
	to_addr    TEXT NOT NULL,
	subject    TEXT NOT NULL,
	template   TEXT NOT NULL,
	message    BLOB,
	sent_at    INTEGER,
	attempts   INTEGER NOT NULL DEFAULT 0,
	last_error TEXT
);
CREATE INDEX outbox_unsent ON outbox(id) WHERE sent_at IS NULL;

-- Every change of state, and every refusal. Never a password or a token.
CREATE TABLE audit (
	id        INTEGER PRIMARY KEY,
	at        INTEGER NOT NULL,
	tenant_id INTEGER,			-- whose log it is; NULL when no organization is known
	actor_id  INTEGER,			-- the user at the time (no foreign key: history outlives users)
	actor     TEXT NOT NULL DEFAULT '',	-- their email at the time, 'operator', or the email tried
	action    TEXT NOT NULL,
	target    TEXT NOT NULL DEFAULT '',
	outcome   TEXT NOT NULL CHECK (outcome IN ('ok', 'refused', 'failed')),
	ip        TEXT NOT NULL DEFAULT '',
	detail    TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_tenant ON audit(tenant_id, id);
-- Sign-in throttling counts recent failures per address and per account name.
CREATE INDEX audit_signin_fail_ip ON audit(ip, at) WHERE action = 'signin' AND outcome = 'failed';
CREATE INDEX audit_signin_fail_actor ON audit(actor, at) WHERE action = 'signin' AND outcome = 'failed';

INSERT INTO regions(code, name) VALUES
	('EUR', 'Europe'),
	('NAM', 'North America'),
	('LAT', 'Latin America and the Caribbean'),
	('APAC', 'Asia Pacific'),
	('MEA', 'Middle East and Africa');

INSERT INTO countries(code, name, region) VALUES
	('AT', 'Austria', 'EUR'), ('BE', 'Belgium', 'EUR'), ('CH', 'Switzerland', 'EUR'),
	('CZ', 'Czechia', 'EUR'), ('DE', 'Germany', 'EUR'), ('DK', 'Denmark', 'EUR'),
	('ES', 'Spain', 'EUR'), ('FI', 'Finland', 'EUR'), ('FR', 'France', 'EUR'),
	('GB', 'United Kingdom', 'EUR'), ('GR', 'Greece', 'EUR'), ('HU', 'Hungary', 'EUR'),
	('IE', 'Ireland', 'EUR'), ('IT', 'Italy', 'EUR'), ('NL', 'Netherlands', 'EUR'),
	('NO', 'Norway', 'EUR'), ('PL', 'Poland', 'EUR'), ('PT', 'Portugal', 'EUR'),
	('RO', 'Romania', 'EUR'), ('SE', 'Sweden', 'EUR'),
	('US', 'United States', 'NAM'), ('CA', 'Canada', 'NAM'),
	('AR', 'Argentina', 'LAT'), ('BR', 'Brazil', 'LAT'), ('CL', 'Chile', 'LAT'),
	('CO', 'Colombia', 'LAT'), ('MX', 'Mexico', 'LAT'), ('PE', 'Peru', 'LAT'),
	('AU', 'Australia', 'APAC'), ('HK', 'Hong Kong SAR', 'APAC'), ('IN', 'India', 'APAC'),
	('ID', 'Indonesia', 'APAC'), ('JP', 'Japan', 'APAC'), ('KR', 'Korea', 'APAC'),
	('MY', 'Malaysia', 'APAC'), ('NZ', 'New Zealand', 'APAC'), ('PH', 'Philippines', 'APAC'),
	('SG', 'Singapore', 'APAC'), ('TH', 'Thailand', 'APAC'), ('VN', 'Vietnam', 'APAC'),
	('AE', 'United Arab Emirates', 'MEA'), ('EG', 'Egypt', 'MEA'), ('IL', 'Israel', 'MEA'),
	('KE', 'Kenya', 'MEA'), ('MA', 'Morocco', 'MEA'), ('NG', 'Nigeria', 'MEA'),
	('SA', 'Saudi Arabia', 'MEA'), ('TR', 'Türkiye', 'MEA'), ('ZA', 'South Africa', 'MEA');

-- migrate: 2  (partner accounts, enrollment, the Partner Membership Center copy)

-- A tenant's membership in the program, one row per type.
CREATE TABLE partner_accounts (
	id              INTEGER PRIMARY KEY,
	tenant_id       INTEGER NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
	type            TEXT NOT NULL CHECK (type IN ('indirect_reseller', 'indirect_provider', 'direct_bill')),
	status          TEXT NOT NULL DEFAULT 'draft'
	                CHECK (status IN ('draft', 'pending_verification', 'in_review', 'approved', 'rejected')),
	support_email   TEXT NOT NULL DEFAULT '',
	support_phone   TEXT NOT NULL DEFAULT '',
	support_website TEXT NOT NULL DEFAULT '',
	enrolled_by     INTEGER REFERENCES users(id) ON DELETE SET NULL,
	created_at      INTEGER NOT NULL,
	submitted_at    INTEGER,
	verified_at     INTEGER,
	decided_at      INTEGER,
	reject_reason   TEXT NOT NULL DEFAULT '',
	verify_sent_at  INTEGER,		-- when the last verification link went to the primary contact
	UNIQUE (tenant_id, type)
);
-- The status moves only as src/enroll.c enroll_transition() allows:
--   draft -> pending_verification -> in_review -> approved | rejected
--   draft -> in_review (an organization whose contact is already verified: adding a program)
--   rejected -> pending_verification (enrolling again after a rejection)
CREATE INDEX partner_accounts_status ON partner_accounts(type, status);

-- The organization's legal business profile, shared by its partner accounts.
CREATE TABLE legal_profiles (
	tenant_id           INTEGER PRIMARY KEY REFERENCES tenants(id) ON DELETE CASCADE,
	legal_name          TEXT NOT NULL,
	address1            TEXT NOT NULL,
	address2            TEXT NOT NULL DEFAULT '',
	city                TEXT NOT NULL,
	state               TEXT NOT NULL DEFAULT '',
	postal_code         TEXT NOT NULL,
	contact_first       TEXT NOT NULL,
	contact_last        TEXT NOT NULL,
	contact_email       TEXT NOT NULL,
	contact_phone       TEXT NOT NULL,
	contact_verified_at INTEGER,
	updated_at          INTEGER NOT NULL
);

-- An enrollment in progress: the form fields as entered (urlencoded), per tenant, so that
-- going back and forth between the steps loses nothing.
-- The same row holds the PMC sign-in of "Link your MPN ID" (during enrollment and under
-- Settings -> Organization profile -> Identifiers): which PMC account, for which portal
-- user, since when (it lapses after 30 minutes).
CREATE TABLE enrollment_drafts (
	tenant_id   INTEGER PRIMARY KEY REFERENCES tenants(id) ON DELETE CASCADE,
	fields      TEXT NOT NULL DEFAULT '',
	pmc_id      INTEGER REFERENCES pmc_accounts(id) ON DELETE SET NULL,
	pmc_user_id INTEGER,		-- the portal user who signed in to PMC
	pmc_at      INTEGER,		-- when
	updated_at  INTEGER NOT NULL
);

-- Domains of web-mail services, refused for the primary contact. "yahoo.*" matches
-- yahoo.<any suffix>; every entry also matches its subdomains.
CREATE TABLE webmail_domains (
	pattern TEXT PRIMARY KEY COLLATE NOCASE
) WITHOUT ROWID;
INSERT INTO webmail_domains(pattern) VALUES
	('gmail.com'), ('googlemail.com'), ('yahoo.*'), ('ymail.com'), ('icloud.com'), ('me.com'),
	('mac.com'), ('aol.com'), ('outlook.com'), ('hotmail.*'), ('live.*'), ('msn.com');

-- The operator's copy of the Partner Membership Center directory (portalctl mpn import).
CREATE TABLE pmc_accounts (
	id       INTEGER PRIMARY KEY,
	username TEXT NOT NULL UNIQUE COLLATE NOCASE,
	pw_hash  TEXT NOT NULL
);
CREATE TABLE mpn_profiles (
	mpn_id       TEXT PRIMARY KEY CHECK (length(mpn_id) BETWEEN 6 AND 10 AND mpn_id NOT GLOB '*[^0-9]*'),
	company_name TEXT NOT NULL,
	country      TEXT NOT NULL REFERENCES countries(code),
	status       TEXT NOT NULL CHECK (status IN ('active', 'inactive'))
) WITHOUT ROWID;
CREATE TABLE pmc_profile_links (
	pmc_id INTEGER NOT NULL REFERENCES pmc_accounts(id) ON DELETE CASCADE,
	mpn_id TEXT NOT NULL REFERENCES mpn_profiles(mpn_id) ON DELETE CASCADE,
	PRIMARY KEY (pmc_id, mpn_id)
) WITHOUT ROWID;

-- PMC sign-in throttling counts recent failures (per PMC user name and per address).
CREATE INDEX audit_pmc_fail_ip ON audit(ip, at) WHERE action = 'pmc.signin' AND outcome = 'failed';
CREATE INDEX audit_pmc_fail_target ON audit(target, at) WHERE action = 'pmc.signin' AND outcome = 'failed';

-- MPN IDs linked to a tenant; an MPN ID belongs to one tenant at most.
CREATE TABLE tenant_mpn_ids (
	mpn_id    TEXT PRIMARY KEY REFERENCES mpn_profiles(mpn_id),
	tenant_id INTEGER NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
	linked_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
	linked_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX tenant_mpn_ids_tenant ON tenant_mpn_ids(tenant_id);

-- migrate: 3  (the partner agreement)

-- Versions of the agreement, published by the operator (portalctl mpa publish). The
-- current version is the one published last: the highest id. A published text is never
-- changed or removed, because acceptances point at exactly what was read.
CREATE TABLE agreement_versions (
	id           INTEGER PRIMARY KEY,
	version      TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (length(version) BETWEEN 1 AND 40),
	body         TEXT NOT NULL CHECK (length(trim(body)) > 0),
	published_at INTEGER NOT NULL
);
CREATE TRIGGER agreement_versions_no_update BEFORE UPDATE ON agreement_versions
BEGIN SELECT RAISE(ABORT, 'agreement versions are never changed: publish a new version'); END;
CREATE TRIGGER agreement_versions_no_delete BEFORE DELETE ON agreement_versions
BEGIN SELECT RAISE(ABORT, 'agreement versions are never removed'); END;

-- Append-only: one row per organization and version, written when a Global admin accepts.
-- The signer's details are kept as entered; user_id and ip say who pressed Accept, and from
-- where.
CREATE TABLE agreement_acceptances (
	id            INTEGER PRIMARY KEY,
	tenant_id     INTEGER NOT NULL REFERENCES tenants(id),
	version_id    INTEGER NOT NULL REFERENCES agreement_versions(id),
	signer_first  TEXT NOT NULL,
	signer_last   TEXT NOT NULL,
	signer_email  TEXT NOT NULL,
	signer_phone  TEXT NOT NULL,
	signer_title  TEXT NOT NULL,
	user_id       INTEGER NOT NULL,		-- no foreign key: the record outlives the user
	accepted_at   INTEGER NOT NULL,
	ip            TEXT NOT NULL,
	UNIQUE (tenant_id, version_id)
);
CREATE INDEX agreement_acceptances_version ON agreement_acceptances(version_id);
CREATE TRIGGER agreement_acceptances_no_update BEFORE UPDATE ON agreement_acceptances
BEGIN SELECT RAISE(ABORT, 'agreement acceptances are append-only'); END;
CREATE TRIGGER agreement_acceptances_no_delete BEFORE DELETE ON agreement_acceptances
BEGIN SELECT RAISE(ABORT, 'agreement acceptances are append-only'); END;

-- migrate: 4  (users and roles, the audit log's filters)

-- Settings → Audit log offers the organization's distinct actors and actions as filters.
CREATE INDEX audit_tenant_actor ON audit(tenant_id, actor);
CREATE INDEX audit_tenant_action ON audit(tenant_id, action);
-- migrate: 5  (provider-reseller relationships)

-- A provider's invitation to a reseller. The emailed link is a signed token (purpose
-- reseller-invite) naming this row and carrying its expiry: it is valid while the row is
-- pending and has the same expires_at, so "Resend" (a new expiry) makes earlier links
-- useless, and accepting is one conditional UPDATE (pending → accepted).
-- "expired" is stored when the provider next acts on its invitations; until then a pending
-- row past expires_at is shown as expired.
CREATE TABLE reseller_invitations (
	id          INTEGER PRIMARY KEY,
	provider_id INTEGER NOT NULL REFERENCES partner_accounts(id) ON DELETE CASCADE,
	email       TEXT NOT NULL COLLATE NOCASE,	-- where it was sent (often a company address)
	message     TEXT NOT NULL DEFAULT '' CHECK (length(message) <= 1000),
	created_at  INTEGER NOT NULL,
	created_by  INTEGER REFERENCES users(id) ON DELETE SET NULL,
	sent_at     INTEGER NOT NULL,			-- the latest send or resend
	expires_at  INTEGER NOT NULL,			-- 30 days after the latest send
	status      TEXT NOT NULL DEFAULT 'pending'
	            CHECK (status IN ('pending', 'accepted', 'revoked', 'expired')),
	accepted_by INTEGER REFERENCES users(id) ON DELETE SET NULL,	-- who authorized
	accepted_at INTEGER,
	reseller_id INTEGER REFERENCES partner_accounts(id),		-- the account that accepted
	revoked_by  INTEGER REFERENCES users(id) ON DELETE SET NULL,
	revoked_at  INTEGER,
	CHECK ((status = 'accepted') = (accepted_at IS NOT NULL))
);
CREATE INDEX reseller_invitations_provider ON reseller_invitations(provider_id, id);

-- A provider-reseller relationship. Delegated administrator access is on from the
-- authorization until the reseller's Global admin removes it; the relationship itself is
-- ended only by the operator (portalctl end-relationship), with a reason. Rows are never
-- deleted; at most one active relationship per pair, so a pair may be related again after
-- an end.
CREATE TABLE provider_relationships (
	id               INTEGER PRIMARY KEY,
	provider_id      INTEGER NOT NULL REFERENCES partner_accounts(id),
	reseller_id      INTEGER NOT NULL REFERENCES partner_accounts(id),
	invitation_id    INTEGER REFERENCES reseller_invitations(id),	-- NULL: made by the operator (demo)
	since            INTEGER NOT NULL,
	authorized_by    INTEGER,		-- the reseller's user (no foreign key: history outlives users)
	admin_access     INTEGER NOT NULL DEFAULT 1 CHECK (admin_access IN (0, 1)),
	admin_removed_by INTEGER,		-- the reseller's Global admin who removed it
	admin_removed_at INTEGER,
	status           TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'ended')),
	ended_at         INTEGER,
	end_reason       TEXT NOT NULL DEFAULT '',
	CHECK (provider_id <> reseller_id),
	CHECK ((status = 'ended') = (ended_at IS NOT NULL)),
	CHECK ((admin_access = 0) = (admin_removed_at IS NOT NULL))
);
CREATE UNIQUE INDEX provider_relationships_active ON provider_relationships(provider_id, reseller_id) WHERE status = 'active';
CREATE INDEX provider_relationships_reseller ON provider_relationships(reseller_id, status);

-- migrate: 6  (customers and orders)

-- A reseller's invitation to a customer, made under one of its indirect providers: the
-- customer that accepts it gets customer relationships with BOTH the reseller and the
-- provider at once. The emailed link is a signed token (purpose customer-invite) naming
-- this row and carrying its expiry: it is valid while the row is pending and has the same
-- expires_at. Accepting is one conditional UPDATE (pending → accepted). "expired" is never
-- stored: a pending row past expires_at is shown as expired.
CREATE TABLE customer_invitations (
	id                 INTEGER PRIMARY KEY,
	reseller_id        INTEGER NOT NULL REFERENCES partner_accounts(id),
	provider_id        INTEGER NOT NULL REFERENCES partner_accounts(id),
	email              TEXT NOT NULL COLLATE NOCASE,	-- where it was sent
	message            TEXT NOT NULL DEFAULT '' CHECK (length(message) <= 1000),
	delegated_admin    INTEGER NOT NULL DEFAULT 1 CHECK (delegated_admin IN (0, 1)),	-- asked for
	created_at         INTEGER NOT NULL,
	created_by         INTEGER REFERENCES users(id) ON DELETE SET NULL,		-- the reseller's user
	expires_at         INTEGER NOT NULL,			-- 30 days after sending
	status             TEXT NOT NULL DEFAULT 'pending'
	                   CHECK (status IN ('pending', 'accepted', 'revoked', 'expired')),
	accepted_by        INTEGER REFERENCES users(id) ON DELETE SET NULL,	-- the customer's Global admin
	accepted_at        INTEGER,
	customer_tenant_id INTEGER REFERENCES tenants(id),		-- the organization that accepted
	revoked_by         INTEGER REFERENCES users(id) ON DELETE SET NULL,
	revoked_at         INTEGER,
	CHECK (reseller_id <> provider_id),
	CHECK ((status = 'accepted') = (accepted_at IS NOT NULL AND customer_tenant_id IS NOT NULL))
);
CREATE INDEX customer_invitations_pair ON customer_invitations(reseller_id, provider_id, id);

-- A partner's customer relationship (multi-partner: a customer may have many partners, one
-- row per partner account and customer). Made when the customer's Global admin accepts an
-- invitation (one row for the reseller, one for its provider, in one transaction) or by the
-- operator (demo: invitation_id NULL). delegated_admin: the partner's admin agents may
-- administer the customer's work account. Rows are never deleted; "ended" is kept.
CREATE TABLE customer_relationships (
	id                 INTEGER PRIMARY KEY,
	partner_id         INTEGER NOT NULL REFERENCES partner_accounts(id),
	customer_tenant_id INTEGER NOT NULL REFERENCES tenants(id),
	since              INTEGER NOT NULL,
	invitation_id      INTEGER REFERENCES customer_invitations(id),
	invited_by         INTEGER,		-- the reseller's user who sent it (no foreign key: history outlives users)
	accepted_by        INTEGER,		-- the customer's Global admin who accepted
	delegated_admin    INTEGER NOT NULL DEFAULT 0 CHECK (delegated_admin IN (0, 1)),
	status             TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'ended')),
	ended_at           INTEGER,
	CHECK ((status = 'ended') = (ended_at IS NOT NULL)),
	UNIQUE (partner_id, customer_tenant_id)
);
CREATE INDEX customer_relationships_customer ON customer_relationships(customer_tenant_id, status);

-- The offer catalog (portalctl offers import, portalctl demo). Offers are never deleted
-- (subscriptions point at them); a retired offer is inactive and cannot be ordered.
CREATE TABLE offers (
	offer_id    TEXT PRIMARY KEY CHECK (length(offer_id) BETWEEN 1 AND 40 AND offer_id NOT GLOB '*[^A-Za-z0-9._-]*'),
	name        TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
	description TEXT NOT NULL DEFAULT '' CHECK (length(description) <= 1000),
	unit        TEXT NOT NULL CHECK (length(unit) BETWEEN 1 AND 40),	-- what one is: "user/month"
	price_cents INTEGER NOT NULL CHECK (price_cents BETWEEN 0 AND 100000000),	-- list price of one unit
	currency    TEXT NOT NULL CHECK (length(currency) = 3 AND currency NOT GLOB '*[^A-Z]*'),
	active      INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
	updated_at  INTEGER NOT NULL
) WITHOUT ROWID;

-- A subscription: an order a provider placed for a customer on behalf of one of its
-- resellers, under the reseller's MPN ID. order_key is the order form's one-time key: a
-- form submitted twice makes one subscription.
CREATE TABLE subscriptions (
	id                 INTEGER PRIMARY KEY,
	customer_tenant_id INTEGER NOT NULL REFERENCES tenants(id),
	provider_id        INTEGER NOT NULL REFERENCES partner_accounts(id),
	reseller_id        INTEGER NOT NULL REFERENCES partner_accounts(id),
	mpn_id             TEXT NOT NULL REFERENCES mpn_profiles(mpn_id),	-- the reseller's
	offer_id           TEXT NOT NULL REFERENCES offers(offer_id),
	quantity           INTEGER NOT NULL CHECK (quantity BETWEEN 1 AND 10000),
	created_at         INTEGER NOT NULL,
	created_by         INTEGER,		-- the provider's user (no foreign key); NULL: the operator (demo)
	status             TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended', 'cancelled')),
	order_key          TEXT NOT NULL UNIQUE CHECK (length(order_key) BETWEEN 16 AND 64),
	CHECK (provider_id <> reseller_id)
);
CREATE INDEX subscriptions_customer ON subscriptions(customer_tenant_id, id);
CREATE INDEX subscriptions_provider ON subscriptions(provider_id, customer_tenant_id);
CREATE INDEX subscriptions_reseller ON subscriptions(reseller_id, customer_tenant_id);

-- migrate: 7  (multi-factor sign-in, sessions you can see)

-- Program-wide settings the operator sets with portalctl (require_mfa: '1' or '0').
CREATE TABLE program_settings (
	name  TEXT PRIMARY KEY,
	value TEXT NOT NULL
) WITHOUT ROWID;

-- A Global admin's "Require multi-factor sign-in for everyone in the organization".
ALTER TABLE tenants ADD COLUMN require_mfa INTEGER NOT NULL DEFAULT 0 CHECK (require_mfa IN (0, 1));

-- TOTP (RFC 6238): the secret sealed with a key derived from the key file (nonce then
-- ciphertext, never stored or logged in clear); mfa_enabled_at is set once a code confirmed
-- the setup; mfa_last_step is the last time step accepted, so a code works once.
ALTER TABLE users ADD COLUMN mfa_secret BLOB;
ALTER TABLE users ADD COLUMN mfa_enabled_at INTEGER;
ALTER TABLE users ADD COLUMN mfa_last_step INTEGER NOT NULL DEFAULT 0;
-- For the Global admin's compliance view: the last sign-in and whether it used a second factor.
ALTER TABLE users ADD COLUMN last_signin_at INTEGER;
ALTER TABLE users ADD COLUMN last_signin_mfa INTEGER NOT NULL DEFAULT 0 CHECK (last_signin_mfa IN (0, 1));

-- Ten single-use recovery codes per user, stored as hashes only.
CREATE TABLE mfa_recovery_codes (
	id         INTEGER PRIMARY KEY,
	user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	code_hash  BLOB NOT NULL,
	created_at INTEGER NOT NULL,
	used_at    INTEGER
);
CREATE INDEX mfa_recovery_codes_user ON mfa_recovery_codes(user_id);

-- The sessions list: the browser that signed in (User-Agent, shortened) and when the user
-- last proved who they are (password, and code when set): sensitive actions ask again when
-- that is older than ten minutes. mfa: the session was created with a second factor.
ALTER TABLE sessions ADD COLUMN user_agent TEXT NOT NULL DEFAULT '';
ALTER TABLE sessions ADD COLUMN auth_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sessions ADD COLUMN mfa INTEGER NOT NULL DEFAULT 0 CHECK (mfa IN (0, 1));

-- migrate: 8  (throttles that count in the audit log: the usual place of a sign-in, the
-- current-password check, forgotten-password mail)

-- A successful sign-in of an account from a client address: that address is the account's
-- usual place, where other addresses' failures do not lock the owner out.
CREATE INDEX audit_signin_ok ON audit(actor, ip, at) WHERE action = 'signin' AND outcome = 'ok';
-- Wrong current passwords on the password change form count as failed sign-ins.
CREATE INDEX audit_pw_wrong_actor ON audit(actor, at) WHERE action = 'password.change' AND outcome = 'refused';
CREATE INDEX audit_pw_wrong_ip ON audit(ip, at) WHERE action = 'password.change' AND outcome = 'refused';
-- Reset links asked for, per address and per client address.
CREATE INDEX audit_reset_request_actor ON audit(actor, at) WHERE action = 'password.reset-request' AND outcome = 'ok';
CREATE INDEX audit_reset_request_ip ON audit(ip, at) WHERE action = 'password.reset-request' AND outcome = 'ok';

-- migrate: 9  (Create one waits for its address to be confirmed)

-- A Create one (/signup, or a customer's /customer-invite/new) waiting for its address to be
-- confirmed: the form's values and the password's hash, until the emailed link (purpose
-- signup-confirm, subject this row) creates the organization, or the request expires. Only
-- an address with no account gets such a row; an address that has one gets an email, and the
-- visitor the same "check your email" page either way, so that Create one tells nobody which
-- addresses have accounts. A customer's request names the invitation it accepts with the
-- organization (invitation_id and that link's expiry). Rows go when used or expired.
CREATE TABLE signup_requests (
	id                 INTEGER PRIMARY KEY,
	kind               TEXT NOT NULL CHECK (kind IN ('partner', 'customer')),
	org                TEXT NOT NULL CHECK (length(org) BETWEEN 1 AND 200),
	domain             TEXT NOT NULL COLLATE NOCASE,
	country            TEXT NOT NULL REFERENCES countries(code),
	name               TEXT NOT NULL,
	email              TEXT NOT NULL COLLATE NOCASE,
	pw_hash            TEXT NOT NULL,
	next               TEXT NOT NULL DEFAULT '',
	invitation_id      INTEGER REFERENCES customer_invitations(id),
	invitation_expires INTEGER,
	created_at         INTEGER NOT NULL,
	expires_at         INTEGER NOT NULL,
	CHECK ((kind = 'customer') = (invitation_id IS NOT NULL AND invitation_expires IS NOT NULL))
);
CREATE INDEX signup_requests_expires ON signup_requests(expires_at);

-- migrate: 10  (Create one's emails counted per address)

-- Create one mails its address every time: the throttle counts those emails per address.
CREATE INDEX outbox_to ON outbox(to_addr, created_at);

-- migrate: 11  (several nodes: a message is delivered by the one process that claimed it)
-- Every node delivers mail (a request's own, right after its answer; housekeeping's retries
-- every minute; portalctl mail retry). Before delivering, a process claims the message in one
-- UPDATE that only an unclaimed message or one whose claim has lapsed passes, and its
-- rows-changed says who won: so two nodes never both send it. claimed_by names the process
-- (host:pid), claimed_until when the claim lapses (unix seconds); a delivery clears both.
-- A node that dies mid-delivery leaves its claim, which lapses, and another node sends the
-- message then.
ALTER TABLE outbox ADD COLUMN claimed_by TEXT;
ALTER TABLE outbox ADD COLUMN claimed_until INTEGER;
