/* agreement.c — see agreement.h. */
#include "domain/agreement.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "domain/words.h"
#include "base/password.h"
#include "domain/access.h"
#include "domain/session.h"
#include "store/db.h"
#include "web/http.h"
#include "base/tmpl.h"
#include "base/util.h"

#define AGREEMENT_MAX_BODY (1 << 20)	/* 1 MiB of text is far more than any agreement */

/* The names come from configuration; the defaults keep unit tests (no config) readable. */
static const char *
agreement_name(void)
{
	return words_agreement();
}

static const char *
program_name(void)
{
	return words_program();
}

const char *
agreement_status_words(const char *status)
{
	int st = pa_status_parse(status);
	return st >= 0 ? pa_status_label(st) : status ? status : "None";
}

const char *
agreement_type_words(const char *type)
{
	return partner_type_words(partner_type_parse(type));
}

int
agreement_state(struct store *db, struct arena *a, int64_t tenant_id, struct agreement_state *s)
{
	memset(s, 0, sizeof(*s));
	s->version = "";
	sqlite3_stmt *st = db_q(db, Q_AGREEMENT_STATE, QI(tenant_id));
	int rc = db_step(st);
	if (rc == SQLITE_ROW) {
		s->published = true;
		s->version_id = db_i64(st, 0);
		s->version = arena_strdup(a, db_text(st, 1));
		s->published_at = db_i64(st, 2);
		if (!db_is_null(st, 3)) {
			s->accepted_version_id = db_i64(st, 3);
			s->accepted_version = arena_strdup(a, db_text(st, 4));
			s->signer_name = arena_printf(a, "%s %s", db_text(st, 5), db_text(st, 6));
			s->signer_email = arena_strdup(a, db_text(st, 7));
			s->signer_title = arena_strdup(a, db_text(st, 8));
			s->accepted_at = db_i64(st, 9);
			s->accepted = s->accepted_version_id == s->version_id;
		}
	}
	sqlite3_reset(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -1;
}

/* ---- the gate ---- */

static enum agreement_gate
gate_set(struct gate *g, enum agreement_gate reason, const char *text)
{
	g->reason = reason;
	g->text = text;
	return reason;
}

enum agreement_gate
agreement_gate(struct store *db, struct arena *a, int64_t tenant_id, const char *type, struct gate *g)
{
	memset(g, 0, sizeof(*g));
	sqlite3_stmt *st = db_q(db, Q_AGREEMENT_PARTNER_ACCOUNT, QI(tenant_id), QT(type));
	int rc = db_step(st);
	if (rc == SQLITE_ROW) {
		g->type = arena_strdup(a, db_text(st, 0));
		g->status = arena_strdup(a, db_text(st, 1));
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return gate_set(g, GATE_ERROR, "The partner account could not be checked. Try again in a moment.");
	if (rc == SQLITE_DONE)
		return gate_set(g, GATE_NO_ACCOUNT, type != NULL
		    ? arena_printf(a, "The organization is not enrolled as %s %s.",
		        str_eq(type, "direct_bill") ? "a" : "an", agreement_type_words(type))
		    : arena_printf(a, "The organization is not enrolled in the %s.", program_name()));
	const char *what = agreement_type_words(g->type);
	if (strcmp(g->status, "approved") != 0)
		return gate_set(g, GATE_NOT_APPROVED, arena_printf(a,
		    "The %s enrollment is not approved (status: %s).", what, agreement_status_words(g->status)));

	struct agreement_state s;
	if (agreement_state(db, a, tenant_id, &s) < 0)
		return gate_set(g, GATE_ERROR, "The partner agreement could not be checked. Try again in a moment.");
	if (!s.published)
		return gate_set(g, GATE_NO_VERSION, arena_printf(a,
		    "No version of the %s has been published yet.", agreement_name()));
	g->version = s.version;
	if (!s.accepted && s.accepted_version_id != 0)
		return gate_set(g, GATE_NOT_ACCEPTED, arena_printf(a,
		    "The organization accepted version %s of the %s, but not the current version %s.",
		    s.accepted_version, agreement_name(), s.version));
	if (!s.accepted)
		return gate_set(g, GATE_NOT_ACCEPTED, arena_printf(a,
		    "The organization has not accepted version %s of the %s.", s.version, agreement_name()));
	return gate_set(g, GATE_OK, arena_printf(a,
	    "The %s account is approved and version %s of the %s is accepted.", what, s.version, agreement_name()));
}

/* ---- what other pages show ---- */

int
agreement_reseller_view(struct store *db, struct arena *a, int64_t reseller_tenant_id, struct agreement_view *v)
{
	struct agreement_state s;
	memset(v, 0, sizeof(*v));
	if (agreement_state(db, a, reseller_tenant_id, &s) < 0) {
		v->words = "Unknown";
		v->detail = "";
		v->tag = "muted";
		return -1;
	}
	v->accepted = s.accepted;
	if (!s.published) {
		v->words = "Not published";
		v->detail = "";
		v->tag = "muted";
	} else if (s.accepted) {
		v->words = "Signed";
		v->detail = arena_printf(a, "Version %s, %s", s.version, fmt_date(a, s.accepted_at));
		v->tag = "ok";
	} else if (s.accepted_version_id != 0) {
		v->words = "Older version signed";
		v->detail = arena_printf(a, "Version %s signed; version %s is current", s.accepted_version, s.version);
		v->tag = "warn";
	} else {
		v->words = "Not signed";
		v->detail = arena_printf(a, "Version %s is waiting for acceptance", s.version);
		v->tag = "warn";
	}
	return 0;
}

int
agreement_global_admins(struct store *db, int64_t tenant_id, struct tv *ctx, const char *key)
{
	struct tv *list = tv_list(ctx, key);
	struct buf line;
	buf_init(&line, ctx->a);
	int n = 0;
	sqlite3_stmt *st = db_q(db, Q_AGREEMENT_GLOBAL_ADMINS, QI(tenant_id), QI(ROLE_MASK(GLOBAL_ADMIN)));
	while (db_step(st) == SQLITE_ROW) {
		struct tv *it = tv_push(list);
		tv_set(it, "name", db_text(st, 0));
		tv_set(it, "email", db_text(st, 1));
		buf_printf(&line, "%s%s (%s)", n ? ", " : "", db_text(st, 0), db_text(st, 1));
		n++;
	}
	sqlite3_reset(st);
	buf_putc(&line, '\0');
	tv_set(ctx, arena_printf(ctx->a, "%s_text", key), line.failed ? "" : line.p);
	return n;
}

bool
agreement_applies(const struct req *r)
{
	return r->sess != NULL && r->sess->tenant_kind != TENANT_CUSTOMER && session_in_program(r->sess);
}

static bool
is_global_admin(const struct req *r)
{
	return r->sess != NULL && (r->sess->roles & ROLE_MASK(GLOBAL_ADMIN)) != 0;
}

void
agreement_banner_ctx(struct req *r, struct tv *ctx)
{
	struct agreement_state s;
	if (agreement_applies(r) && agreement_state(r->store, r->a, r->sess->tenant_id, &s) == 0)
		agreement_banner_fill(r, ctx, &s);
}

void
agreement_banner_fill(struct req *r, struct tv *ctx, const struct agreement_state *st)
{
	if (!agreement_applies(r) || !st->published)
		return;
	const struct agreement_state s = *st;
	struct tv *b = tv_obj(ctx, "agreement_banner");
	tv_set(b, "name", agreement_name());
	tv_set(b, "program", program_name());
	tv_set(b, "org", r->sess->tenant_name);
	tv_set(b, "version", s.version);
	tv_set(b, "published", fmt_date(r->a, s.published_at));
	tv_setb(b, "accepted", s.accepted);
	if (s.accepted_version_id != 0) {
		tv_set(b, "signer", s.signer_name);
		tv_set(b, "date", fmt_date(r->a, s.accepted_at));
		if (!s.accepted)
			tv_set(b, "older_version", s.accepted_version);
	}
	if (!s.accepted) {
		tv_setb(b, "can_accept", is_global_admin(r));
		if (!is_global_admin(r))
			agreement_global_admins(r->store, r->sess->tenant_id, b, "admins");
	}
}

void
agreement_program_info_ctx(struct req *r, struct tv *ctx)
{
	struct agreement_state s;
	if (agreement_applies(r) && agreement_state(r->store, r->a, r->sess->tenant_id, &s) == 0)
		agreement_program_info_fill(r, ctx, &s);
}

void
agreement_program_info_fill(struct req *r, struct tv *ctx, const struct agreement_state *st)
{
	if (!agreement_applies(r))
		return;
	const struct agreement_state s = *st;
	struct tv *p = tv_obj(ctx, "agreement_info");
	tv_set(p, "name", agreement_name());
	tv_setb(p, "published", s.published);
	tv_set(p, "version", s.version);
	tv_setb(p, "signed", s.accepted);
	if (s.accepted_version_id != 0) {
		tv_set(p, "signer", s.signer_name);
		tv_set(p, "signer_title", s.signer_title);
		tv_set(p, "date", fmt_date(r->a, s.accepted_at));
		if (!s.accepted)
			tv_set(p, "older_version", s.accepted_version);
	}
	tv_setb(p, "can_accept", s.published && !s.accepted && is_global_admin(r));
}

/* ---- the operator ---- */

const char *
agreement_version_problem(const char *version)
{
	size_t n = version ? strlen(version) : 0;
	if (n == 0 || n > 40)
		return "the version must be 1 to 40 characters";
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)version[i]) && strchr("._-", version[i]) == NULL)
			return "the version may contain only letters, digits and . _ -";
	return NULL;
}

int64_t
agreement_publish(struct store *db, const char *version, const char *body, int64_t now, char *err, size_t errlen)
{
	const char *why = agreement_version_problem(version);
	if (why != NULL) {
		snprintf(err, errlen, "%s", why);
		return -1;
	}
	size_t n = strlen(body);
	bool blank = true;
	for (size_t i = 0; i < n && blank; i++)
		blank = isspace((unsigned char)body[i]) != 0;
	if (blank) {
		snprintf(err, errlen, "the agreement text is empty");
		return -1;
	}
	if (n > AGREEMENT_MAX_BODY) {
		snprintf(err, errlen, "the agreement text is larger than %d bytes", AGREEMENT_MAX_BODY);
		return -1;
	}
	if (!utf8_valid(body, n)) {
		snprintf(err, errlen, "the agreement text is not valid UTF-8");
		return -1;
	}
	if (db_int(db, Q_AGREEMENT_VERSION_TAKEN, 0, QT(version))) {
		snprintf(err, errlen, "version %s has already been published; versions are never replaced", version);
		return 0;
	}
	if (db_run(db, Q_AGREEMENT_PUBLISH, QT(version), QT(body), QI(now)) != 1) {
		snprintf(err, errlen, "the version could not be stored");
		return -1;
	}
	return db_last_id(db);
}
