/* agreement.c — see agreement.h. */
#include "base/i18n.h"
#include "domain/agreement.h"
#include "domain/webhooks.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "domain/access.h"
#include "domain/words.h"
#include "base/util.h"

#define AGREEMENT_MAX_BODY (1 << 20)	/* 1 MiB of text is far more than any agreement */

void
agreement_state_of(struct arena *a, int found, const struct agreement_version *v,
    const struct agreement_acceptance *acc, struct agreement_state *s)
{
	memset(s, 0, sizeof(*s));
	s->version = "";
	if (found != 1)
		return;
	s->published = true;
	s->version_id = v->id;
	s->version = v->version;
	s->published_at = v->published_at;
	if (acc->version_id != 0) {
		s->accepted_version_id = acc->version_id;
		s->accepted_version = acc->version;
		s->signer_name = arena_printf(a, "%s %s", acc->first, acc->last);
		s->signer_email = acc->email;
		s->signer_title = acc->title;
		s->accepted_at = acc->accepted_at;
		s->accepted = s->accepted_version_id == s->version_id;
	}
}

int
agreement_state(struct store *db, struct arena *a, int64_t tenant_id, struct agreement_state *s)
{
	struct agreement_version v;
	struct agreement_acceptance acc;
	int rc = st_agreement_standing(db, a, tenant_id, &v, &acc);
	agreement_state_of(a, rc, &v, &acc, s);
	return rc < 0 ? -1 : 0;
}

/* ---- the gate ---- */

static enum agreement_gate
gate_set(struct gate *g, enum agreement_gate reason, const char *text)
{
	g->reason = reason;
	g->text = text;
	return reason;
}

/* The account the gate looks at: tenant's account of type t, or (t -1) its first approved
 * one, else its first. 1 with g->type and g->status, 0 none, -1 error. */
static int
gate_account(struct store *db, struct arena *a, int64_t tenant_id, int t, struct gate *g)
{
	if (t >= PT__COUNT)
		return 0;
	if (t >= 0) {
		int64_t id;
		enum pa_status status;
		int rc = st_partner_account_of_type(db, tenant_id, (enum partner_type)t, &id, &status);
		if (rc == 1) {
			g->type = t;
			g->status = (int)status;
		}
		return rc;
	}
	struct partner_account_list l;
	if (st_partner_accounts(db, a, tenant_id, &l) < 0)
		return -1;
	if (l.n == 0)
		return 0;
	const struct partner_account *pick = &l.v[0];
	for (size_t i = 0; i < l.n; i++)
		if (l.v[i].status == PA_APPROVED) {
			pick = &l.v[i];
			break;
		}
	g->type = (int)pick->type;
	g->status = (int)pick->status;
	return 1;
}

enum agreement_gate
agreement_gate(struct store *db, struct arena *a, int64_t tenant_id, int type, struct gate *g)
{
	memset(g, 0, sizeof(*g));
	g->type = -1;
	g->status = PA_NONE;
	int rc = gate_account(db, a, tenant_id, type, g);
	if (rc < 0)
		return gate_set(g, GATE_ERROR, _("The partner account could not be checked. Try again in a moment."));
	if (rc == 0)
		return gate_set(g, GATE_NO_ACCOUNT, type >= 0
		    ? arena_printf(a, _("The organization is not enrolled as %s."), partner_type_noun((enum partner_type)type))
		    : arena_printf(a, _("The organization is not enrolled in the %s."), words_program()));
	const char *what = partner_type_words((enum partner_type)g->type);
	if (g->status != PA_APPROVED)
		return gate_set(g, GATE_NOT_APPROVED, arena_printf(a,
		    _("The %s enrollment is not approved (status: %s)."), what, pa_status_label((enum pa_status)g->status)));

	struct agreement_state s;
	if (agreement_state(db, a, tenant_id, &s) < 0)
		return gate_set(g, GATE_ERROR, _("The partner agreement could not be checked. Try again in a moment."));
	if (!s.published)
		return gate_set(g, GATE_NO_VERSION, arena_printf(a,
		    _("No version of the %s has been published yet."), words_agreement()));
	g->version = s.version;
	if (!s.accepted && s.accepted_version_id != 0)
		return gate_set(g, GATE_NOT_ACCEPTED, arena_printf(a,
		    _("The organization accepted version %s of the %s, but not the current version %s."),
		    s.accepted_version, words_agreement(), s.version));
	if (!s.accepted)
		return gate_set(g, GATE_NOT_ACCEPTED, arena_printf(a,
		    _("The organization has not accepted version %s of the %s."), s.version, words_agreement()));
	return gate_set(g, GATE_OK, arena_printf(a,
	    _("The %s account is approved and version %s of the %s is accepted."), what, s.version, words_agreement()));
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
		v->words = _("Not published");
		v->detail = "";
		v->tag = "muted";
	} else if (s.accepted) {
		v->words = "Accepted";
		v->detail = arena_printf(a, _("Version %s, %s"), s.version, fmt_date(a, s.accepted_at));
		v->tag = "ok";
	} else if (s.accepted_version_id != 0) {
		v->words = _("Older version accepted");
		v->detail = arena_printf(a, _("Version %s accepted; version %s is current"), s.accepted_version, s.version);
		v->tag = "warn";
	} else {
		v->words = _("Not accepted");
		v->detail = arena_printf(a, _("Version %s is waiting for acceptance"), s.version);
		v->tag = "warn";
	}
	return 0;
}

int
agreement_acceptors(struct store *db, struct arena *a, int64_t tenant_id, struct user_list *out)
{
	return access_recipients(db, a, tenant_id, PERM_AGREEMENT_ACCEPT, out);
}

/* ---- accepting ---- */

int
agreement_current(struct store *db, struct arena *a, struct agreement_version *out)
{
	return st_agreement_current(db, a, out);
}

enum agreement_accept
agreement_accept(struct store *db, struct arena *a, int64_t tenant_id, int64_t shown, const struct agreement_signer *who,
    int64_t user_id, const char *ip, int64_t now, const char **current)
{
	struct agreement_version v;
	int rc = st_agreement_current(db, a, &v);
	*current = rc == 1 ? v.version : "";
	if (rc < 0)
		return ACCEPT_ERROR;
	if (rc == 0)
		return ACCEPT_NOTHING_PUBLISHED;
	if (shown != v.id)
		return ACCEPT_NOT_CURRENT;
	struct agreement_acceptance acc = { .version_id = v.id, .first = who->first, .last = who->last,
		.email = who->email, .phone = who->phone, .title = who->title, .user_id = user_id, .ip = ip,
		.accepted_at = now };
	int n = st_agreement_accept(db, tenant_id, &acc);
	if (n == 1 && webhook_enqueue(db, tenant_id, WH_AGREEMENT_ACCEPTED, now, json_pack("{s:I, s:s, s:s}",
	    "organization_id", (json_int_t)tenant_id, "version", v.version, "accepted_by", who->email ? who->email : "")) < 0)
		return ACCEPT_ERROR;
	return n < 0 ? ACCEPT_ERROR : n == 1 ? ACCEPT_RECORDED : ACCEPT_ALREADY;
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
	int taken = st_agreement_version_taken(db, version);
	if (taken < 0) {
		snprintf(err, errlen, "the version could not be stored");
		return -1;
	}
	if (taken) {
		snprintf(err, errlen, "version %s has already been published; versions are never replaced", version);
		return 0;
	}
	int64_t id = st_agreement_publish(db, version, body, now);
	if (id < 0)
		snprintf(err, errlen, "the version could not be stored");
	return id;
}

int64_t
agreement_pending_orgs(struct store *db, int64_t version_id)
{
	return st_agreement_pending_orgs(db, version_id);
}

int
agreement_versions(struct store *db, struct arena *a, struct agreement_version_list *out)
{
	return st_agreement_versions(db, a, out);
}
