/* relationships.c — see relationships.h. */
#include "domain/relationships.h"

#include <string.h>

#include "base/password.h"
#include "domain/access.h"
#include "domain/session.h"
#include "web/req.h"
#include "base/tmpl.h"
#include "base/paging.h"
#include "base/util.h"

/* ---- the authorization decision ---- */

enum rel_refusal
rel_decide(const struct rel_facts *f)
{
	if (!f->has_link)
		return RR_NO_LINK;
	switch (f->token) {
	case TOKEN_OK: break;
	case TOKEN_EXPIRED: return RR_EXPIRED;
	case TOKEN_WRONG_PURPOSE: return RR_FOREIGN;
	case TOKEN_BAD_KEY: return RR_OLD_KEY;
	case TOKEN_MALFORMED:
	case TOKEN_BAD_MAC:
	default: return RR_ALTERED;
	}
	if (!f->found || f->status == NULL)
		return RR_ALTERED;
	if (strcmp(f->status, "revoked") == 0)
		return RR_REVOKED;
	if (strcmp(f->status, "accepted") == 0)
		return RR_USED;
	if (strcmp(f->status, "expired") == 0)
		return RR_EXPIRED;
	if (f->row_expires != f->token_expires)
		return RR_REPLACED;
	if (f->row_expires <= f->now)
		return RR_EXPIRED;
	if (!str_eq(f->provider_status, "approved"))
		return RR_PROVIDER_GONE;
	if (!f->signed_in)
		return RR_SIGNED_OUT;
	if (f->same_org)
		return RR_SELF;
	if (str_eq(f->tenant_kind, "customer") || (f->reseller_status == NULL && f->other_partner_type))
		return RR_WRONG_TYPE;
	if (!str_eq(f->reseller_status, "approved"))
		return RR_NOT_ENROLLED;
	if (!str_eq(f->provider_region, f->reseller_region))
		return RR_OTHER_REGION;
	if (f->related)
		return RR_ALREADY_RELATED;
	if (!perm_allows(PERM_PROVIDERS_AUTHORIZE, f->roles))
		return RR_NOT_ADMIN;
	return RR_OK;
}

static const struct {
	const char *code;
	int status;
	bool keeps_link;
} refusals[RR__COUNT] = {
	[RR_OK] = { "ok", 200, true },
	[RR_NO_LINK] = { "no-link", 400, false },
	[RR_ALTERED] = { "altered", 400, false },
	[RR_FOREIGN] = { "foreign-link", 400, false },
	[RR_OLD_KEY] = { "retired-key", 410, false },
	[RR_EXPIRED] = { "expired", 410, false },
	[RR_REVOKED] = { "revoked", 410, false },
	[RR_USED] = { "used", 409, false },
	[RR_REPLACED] = { "replaced", 410, false },
	[RR_PROVIDER_GONE] = { "provider-not-approved", 410, false },
	[RR_SIGNED_OUT] = { "signed-out", 403, true },
	[RR_SELF] = { "own-organization", 403, false },
	[RR_WRONG_TYPE] = { "wrong-account-type", 403, true },
	[RR_NOT_ENROLLED] = { "not-enrolled", 403, true },
	[RR_OTHER_REGION] = { "other-region", 403, true },
	[RR_ALREADY_RELATED] = { "already-related", 409, false },
	[RR_NOT_ADMIN] = { "role", 403, true },
};

const char *
rel_refusal_code(enum rel_refusal why)
{
	return why >= 0 && why < RR__COUNT ? refusals[why].code : "?";
}

int
rel_refusal_status(enum rel_refusal why)
{
	return why >= 0 && why < RR__COUNT ? refusals[why].status : 400;
}

bool
rel_refusal_keeps_link(enum rel_refusal why)
{
	return why >= 0 && why < RR__COUNT && refusals[why].keeps_link;
}

/* ---- lists ---- */

const struct sort_col rel_sort_cols[REL_SORT__COUNT] = {
	[REL_SORT_NAME] = { "name", false },
	[REL_SORT_SINCE] = { "since", true },
};

int
rel_list_parse(const char *sort, const char *dir, const char *page, struct rel_list *out)
{
	out->sort = REL_SORT_NAME;
	out->desc = false;
	if (sort != NULL && *sort) {
		if (strcmp(sort, "name") == 0)
			out->sort = REL_SORT_NAME;
		else if (strcmp(sort, "since") == 0)
			out->sort = REL_SORT_SINCE;
		else
			return -1;
	}
	if (dir != NULL && *dir) {
		if (strcmp(dir, "asc") == 0)
			out->desc = false;
		else if (strcmp(dir, "desc") == 0)
			out->desc = true;
		else
			return -1;
	}
	return paging_parse(page, &out->page);
}

int
rel_list_variant(const struct rel_list *l)
{
	return (l->sort == REL_SORT_SINCE ? 2 : 0) + (l->desc ? 1 : 0);
}

/* ---- accounts, agreement status ---- */

const char *
rel_account(struct store *db, struct arena *a, int64_t tenant_id, const char *type, int64_t *id)
{
	sqlite3_stmt *st = db_q(db, Q_PA_OF_TYPE, QI(tenant_id), QT(type));
	const char *status = NULL;
	*id = 0;
	if (db_step(st) == SQLITE_ROW) {
		*id = db_i64(st, 0);
		status = arena_strdup(a, db_text(st, 1));
	}
	sqlite3_reset(st);
	return status;
}

/* ---- writing ---- */

int64_t
rel_create(struct store *db, int64_t provider_id, int64_t reseller_id, int64_t invitation_id, int64_t by_user, int64_t now)
{
	if (db_int(db, Q_REL_ACTIVE_ID, 0, QI(provider_id), QI(reseller_id)) != 0)
		return 0;
	if (db_run(db, Q_REL_INSERT, QI(provider_id), QI(reseller_id), invitation_id ? QI(invitation_id) : QNULL,
	    QI(now), by_user ? QI(by_user) : QNULL) != 1)
		return -1;
	return db_last_id(db);
}

int
rel_end(struct store *db, int64_t id, const char *reason, int64_t now)
{
	int n = db_run(db, Q_REL_END, QI(now), QT(reason), QI(id));
	return n < 0 ? -1 : n > 0;
}

char *
rel_invite_token(struct arena *a, int64_t id, int64_t expires)
{
	return token_make(a, TP_RESELLER_INVITE, id, expires);
}

int64_t
rel_next_expiry(int64_t now, int64_t previous)
{
	int64_t e = now + REL_INVITE_TTL;
	return e > previous ? e : previous + 1;
}
