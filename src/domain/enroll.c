/* enroll.c — see enroll.h. */
#include "domain/enroll.h"
#include "base/i18n.h"

#include <ctype.h>
#include <string.h>

#include "base/syntax.h"
#include "base/token.h"
#include "base/util.h"
#include "domain/access.h"
#include "domain/link.h"
#include "domain/partners.h"
#include "domain/session.h"

/* ---- the status machine ---- */

const char *
enroll_transition(enum pa_status from, enum pa_status to, bool contact_verified)
{
	if ((unsigned)from >= PA__COUNT || (unsigned)to >= PA__COUNT)
		return _("That is not an enrollment status.");
	if (from == to)
		return _("The enrollment already has this status.");
	switch (to) {
	case PA_PENDING_VERIFICATION:
		if (from == PA_DRAFT || from == PA_REJECTED)
			return NULL;
		return _("Only a new or rejected enrollment can be submitted for verification.");
	case PA_IN_REVIEW:
		if (from != PA_PENDING_VERIFICATION && from != PA_DRAFT && from != PA_REJECTED)
			return _("Only a submitted enrollment that has not been decided can go to review.");
		if (!contact_verified)
			return _("The primary contact has not verified their email address yet.");
		return NULL;
	case PA_APPROVED:
	case PA_REJECTED:
		if (from == PA_IN_REVIEW)
			return NULL;
		if (from == PA_PENDING_VERIFICATION)
			return _("The primary contact has not verified their email address yet: only an enrollment in review can be decided.");
		if (from == PA_APPROVED || from == PA_REJECTED)
			return _("This enrollment has already been decided.");
		return _("This enrollment has not been submitted: only an enrollment in review can be decided.");
	case PA_DRAFT:
		return _("An enrollment never goes back to draft.");
	default:
		return _("That is not an enrollment status.");
	}
}

/* ---- web-mail rule ---- */

/* A plausible public suffix after a web-mail brand: "com", "fr", "co.uk", "com.au". */
static bool
public_suffix_like(const char *s)
{
	const char *dot = strchr(s, '.');
	if (dot != NULL && strchr(dot + 1, '.') != NULL)
		return false;			/* three labels or more: someone's own domain */
	const char *last = dot ? dot + 1 : s;
	size_t ll = strlen(last), fl = dot ? (size_t)(dot - s) : 0;
	if (ll < 2 || ll > 6 || (dot != NULL && (fl < 2 || fl > 3)))
		return false;
	for (const char *p = s; *p; p++)
		if (!isalpha((unsigned char)*p) && *p != '.')
			return false;
	return true;
}

bool
webmail_match(const char *domain, const char *pattern)
{
	if (domain == NULL || pattern == NULL || *pattern == '\0')
		return false;
	char d[256], pat[256];
	size_t dl = strlen(domain), pl = strlen(pattern);
	if (dl == 0 || dl >= sizeof(d) || pl >= sizeof(pat))
		return false;
	for (size_t i = 0; i <= dl; i++)
		d[i] = (char)tolower((unsigned char)domain[i]);
	for (size_t i = 0; i <= pl; i++)
		pat[i] = (char)tolower((unsigned char)pattern[i]);
	bool wild = pl > 2 && strcmp(pat + pl - 2, ".*") == 0;
	if (wild)
		pat[pl -= 2] = '\0';
	/* Try the pattern at every label boundary of the domain: the domain itself and each
	 * of its parent domains, so subdomains match too. */
	for (const char *at = d; at != NULL; at = strchr(at, '.') ? strchr(at, '.') + 1 : NULL) {
		if (strncmp(at, pat, pl) != 0)
			continue;
		if (!wild) {
			if (at[pl] == '\0')
				return true;
		} else if (at[pl] == '.' && public_suffix_like(at + pl + 1)) {
			return true;
		}
	}
	return false;
}

const char *
webmail_rule(struct store *db, struct arena *a, const char *email)
{
	const char *at = email ? strrchr(email, '@') : NULL;
	struct text_list list;
	if (at == NULL || st_webmail_patterns(db, a, &list) < 0)
		return NULL;
	for (size_t i = 0; i < list.n; i++)
		if (webmail_match(at + 1, list.v[i]))
			return list.v[i];
	return NULL;
}

const char *
enroll_contact_email_problem(struct store *db, struct arena *a, const char *email)
{
	if (!email_valid(email))
		return _("Enter an email address like name@contoso.com.");
	const char *rule = webmail_rule(db, a, email);
	const char *domain = strrchr(email, '@') + 1;
	if (rule != NULL && str_ieq(rule, domain))
		return arena_printf(a, _("The primary contact cannot use a web-mail address: %s is on the list of web-mail "
		    "services. Use an address at your company's own domain."), rule);
	if (rule != NULL)
		return arena_printf(a, _("The primary contact cannot use a web-mail address: %s matches \"%s\" on the list of "
		    "web-mail services. Use an address at your company's own domain."), domain, rule);
	return NULL;
}

const char *
enroll_postal_code_problem(const char *v)
{
	bool alnum = false;
	for (const char *p = v; *p; p++) {
		if (isalnum((unsigned char)*p))
			alnum = true;
		else if (strchr(" -", *p) == NULL)
			return _("Use letters, digits, spaces and hyphens only.");
	}
	return alnum ? NULL : _("Enter the postal code.");
}

/* ---- where an organization stands ---- */

/* The rest of s from its tenant, accounts and legal profile (has_legal). */
void
enroll_state_derive(struct enroll_state *s)
{
	s->reseller_status = PA_NONE;
	s->customer = s->tenant.kind == TENANT_CUSTOMER;
	for (size_t i = 0; i < s->accounts.n; i++) {
		const struct partner_account *p = &s->accounts.v[i];
		if (p->type == PT_INDIRECT_RESELLER)
			s->reseller = p;
		else if (p->status == PA_APPROVED && s->other == NULL)
			s->other = p;
	}
	if (s->reseller != NULL) {
		s->reseller_id = s->reseller->id;
		s->reseller_status = (int)s->reseller->status;
	}
	s->other_approved = s->other != NULL;
	s->contact_verified = s->has_legal && s->legal.contact_verified_at != 0;
	s->shortcut = s->other_approved && s->contact_verified;
	s->submitted = s->reseller_status == PA_PENDING_VERIFICATION || s->reseller_status == PA_IN_REVIEW ||
	    s->reseller_status == PA_APPROVED;
}

int
enroll_state_get(struct store *db, struct arena *a, int64_t tenant_id, struct enroll_state *s)
{
	memset(s, 0, sizeof(*s));
	if (tenant_get(db, a, tenant_id, &s->tenant) != 1 || partner_accounts(db, a, tenant_id, &s->accounts) < 0)
		return -1;
	int legal = st_legal_get(db, a, tenant_id, &s->legal);
	if (legal < 0)
		return -1;
	s->has_legal = legal == 1;
	enroll_state_derive(s);
	return 0;
}

const struct partner_account *
enroll_support_account(const struct partner_account_list *l)
{
	const struct partner_account *last = NULL;
	for (size_t i = 0; i < l->n; i++)
		if (!str_empty(l->v[i].support_email))
			last = &l->v[i];
	return last;
}

int64_t
enroll_verify_account(const struct partner_account_list *l)
{
	int64_t id = 0;
	for (size_t i = 0; i < l->n; i++)
		if (id == 0 || l->v[i].type == PT_INDIRECT_RESELLER)
			id = l->v[i].id;
	return id;
}

int
enroll_legal_get(struct store *db, struct arena *a, int64_t tenant, struct legal_profile *out)
{
	return st_legal_get(db, a, tenant, out);
}

int
enroll_profile_save(struct store *db, struct arena *a, int64_t tenant, const struct legal_profile *legal,
    const struct support_details *sup, bool *contact_changed)
{
	struct legal_profile old;
	int had = st_legal_get(db, a, tenant, &old);
	if (had < 0)
		return -1;
	*contact_changed = !str_ieq(had ? old.contact_email : NULL, legal->contact_email);
	struct legal_profile p = *legal;
	p.contact_verified_at = 0;	/* a new contact starts unverified; the same one stays as is */
	if (st_legal_upsert(db, tenant, &p, now_sec()) != 1 || st_pa_set_support_all(db, tenant, sup) < 0)
		return -1;
	return 0;
}

/* ---- the draft ---- */

int
draft_load(struct store *db, struct arena *a, int64_t tenant_id, struct draft *d)
{
	memset(d, 0, sizeof(*d));
	d->fields = "";
	struct draft_row row;
	int rc = st_draft_get(db, a, tenant_id, &row);
	if (rc < 0)
		return -1;
	if (rc == 1)
		*d = (struct draft){ .exists = true, .fields = row.fields, .pmc_id = row.pmc_id, .pmc_user_id = row.pmc_user_id,
		    .pmc_at = row.pmc_at };
	return 0;
}

int
draft_save(struct store *db, int64_t tenant_id, const char *fields, int64_t now)
{
	return fields != NULL && st_draft_save(db, tenant_id, fields, now) == 1 ? 0 : -1;
}

int
draft_set_pmc(struct store *db, int64_t tenant_id, int64_t pmc_id, int64_t user, int64_t now)
{
	return st_draft_set_pmc(db, tenant_id, pmc_id, user, now, now) == 1 ? 0 : -1;
}

bool
draft_pmc_live(const struct draft *d, int64_t user, int64_t now)
{
	return d->pmc_id != 0 && d->pmc_user_id == user && now - d->pmc_at < PMC_SIGNIN_TTL;
}

/* ---- status changes ---- */

int
enroll_facts(struct store *db, struct arena *a, int64_t id, struct pa_change *c, bool *contact_verified)
{
	memset(c, 0, sizeof(*c));
	struct pa_facts f;
	int rc = st_pa_facts(db, a, id, &f);
	if (rc != 1)
		return rc;
	*c = (struct pa_change){ .account_id = id, .tenant_id = f.tenant_id, .enrolled_by = f.enrolled_by, .type = f.type,
	    .org = f.org, .legal_name = f.legal_name, .from = f.status, .to = f.status, .contact_email = f.contact_email,
	    .contact_name = arena_printf(a, "%s %s", f.contact_first, f.contact_last), .reason = f.reject_reason };
	if (contact_verified != NULL)
		*contact_verified = f.contact_verified;
	return 1;
}

/* On approval: the enrolling user (else the organization's first user who may enroll)
 * joins the Admin agent group and is signed out everywhere. 0, or -1 (database error). */
static int
promote_enrolling_user(struct store *db, struct arena *a, struct pa_change *c)
{
	int64_t user = c->enrolled_by;
	struct user_row u;
	int known = user != 0 ? st_user_get(db, a, user, &u) : 0;
	if (known < 0)
		return -1;
	if (known == 0 && (user = st_enroll_first_user_with_roles(db, c->tenant_id, perms[PERM_ENROLL].roles)) < 0)
		return -1;
	if (user == 0)
		return 0;
	if (st_enroll_add_roles(db, user, ROLE_MASK(ADMIN_AGENT)) != 1 ||
	    sessions_end_user_why(db, user, SESSION_END_APPROVED) < 0)
		return -1;
	c->enrolled_by = user;
	return 0;
}

int
enroll_apply(struct store *db, struct arena *a, int64_t id, enum pa_status to, const char *reason,
    struct pa_change *c, const char **why)
{
	bool verified = false;
	int rc = enroll_facts(db, a, id, c, &verified);
	*why = NULL;
	if (rc < 0)
		return -1;
	if (rc == 0) {
		*why = _("There is no enrollment with this number.");
		return 1;
	}
	c->to = to;
	c->reason = reason ? reason : "";
	if ((*why = enroll_transition(c->from, to, verified)) != NULL)
		return 1;
	if (to == PA_REJECTED && str_empty(reason)) {
		*why = _("A rejection needs a reason the partner can act on.");
		return 1;
	}
	int moved = st_pa_move(db, id, c->from, to, now_sec(), c->reason);
	if (moved < 0)
		return -1;
	if (moved == 0) {
		*why = _("The enrollment changed meanwhile. Look at it again.");
		return 1;
	}
	return to == PA_APPROVED ? promote_enrolling_user(db, a, c) : 0;
}

const char *
enroll_change_detail(struct arena *a, const struct pa_change *c)
{
	const char *type = partner_type_key(c->type);
	if (c->to == PA_REJECTED)
		return arena_printf(a, "%s: %s -> %s; reason: %s", type, pa_status_key(c->from), pa_status_key(c->to), c->reason);
	return arena_printf(a, "%s: %s -> %s", type, pa_status_key(c->from), pa_status_key(c->to));
}

const char *
enroll_mail_template(enum pa_status to)
{
	switch (to) {
	case PA_PENDING_VERIFICATION: return "enroll-verify";
	case PA_IN_REVIEW: return "enroll-in-review";
	case PA_APPROVED: return "enroll-approved";
	case PA_REJECTED: return "enroll-rejected";
	default: return NULL;
	}
}

char *
enroll_verify_link(struct store *db, struct arena *a, const char *base_url, int64_t account_id)
{
	char *token = link_issue(db, a, TP_VERIFY_CONTACT, account_id, VERIFY_TTL);
	if (token == NULL || st_pa_verify_sent(db, account_id, now_sec()) != 1)
		return NULL;
	return arena_printf(a, "%s/verify?t=%s", base_url, token);
}

/* ---- Enroll now ---- */

/* The reseller account with the submission's support details: the existing one, or a new
 * draft. Its id, or -1. */
static int64_t
reseller_account(struct store *db, const struct enroll_submission *sub, int64_t now)
{
	int64_t id;
	enum pa_status status;
	int rc = st_partner_account_of_type(db, sub->tenant, PT_INDIRECT_RESELLER, &id, &status);
	if (rc < 0)
		return -1;
	if (rc == 0)
		return st_pa_insert(db, sub->tenant, PT_INDIRECT_RESELLER, PA_DRAFT, &sub->support, sub->user, now);
	return st_pa_set_support(db, id, &sub->support, sub->user) == 1 ? id : -1;
}

int
enroll_submit(struct store *db, struct arena *a, const struct enroll_submission *sub, const char *base_url,
    struct pa_change *c, const char **link, const char **why)
{
	int64_t now = now_sec();
	*link = NULL;
	*why = NULL;
	if (!sub->shortcut) {
		struct legal_profile p = sub->legal;
		p.contact_verified_at = 0;
		/* A submission names its contact anew: they verify, even at the same address. */
		if (st_legal_upsert(db, sub->tenant, &p, now) != 1 || st_legal_set_verified(db, sub->tenant, 0) != 1)
			return -1;
	}
	int64_t account = reseller_account(db, sub, now);
	if (account < 0)
		return -1;
	int rc = enroll_apply(db, a, account, sub->shortcut ? PA_IN_REVIEW : PA_PENDING_VERIFICATION, NULL, c, why);
	if (rc != 0)
		return rc;
	if (c->to == PA_PENDING_VERIFICATION && (*link = enroll_verify_link(db, a, base_url, account)) == NULL)
		return -1;
	return st_draft_delete(db, sub->tenant) < 0 ? -1 : 0;
}

/* ---- the contact's verification ---- */

int
enroll_contact_verified(struct store *db, struct arena *a, const struct pa_change *c, struct pa_change *moved,
    const char **why)
{
	*why = NULL;
	*moved = *c;
	if (st_legal_set_verified(db, c->tenant_id, now_sec()) != 1)
		return -1;
	if (c->from != PA_PENDING_VERIFICATION)
		return 0;
	return enroll_apply(db, a, c->account_id, PA_IN_REVIEW, NULL, moved, why);
}
