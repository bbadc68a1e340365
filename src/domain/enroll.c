/* enroll.c — see enroll.h. */
#include "domain/enroll.h"

#include <ctype.h>
#include <string.h>

#include "base/password.h"
#include "domain/access.h"
#include "domain/session.h"
#include "store/db.h"
#include "web/form.h"
#include "web/http.h"
#include "domain/link.h"
#include "domain/words.h"
#include "base/util.h"

/* ---- the status machine ---- */

const char *
enroll_transition(enum pa_status from, enum pa_status to, bool contact_verified)
{
	if ((unsigned)from >= PA__COUNT || (unsigned)to >= PA__COUNT)
		return "That is not an enrollment status.";
	if (from == to)
		return "The enrollment already has this status.";
	switch (to) {
	case PA_PENDING_VERIFICATION:
		if (from == PA_DRAFT || from == PA_REJECTED)
			return NULL;
		return "Only a new or rejected enrollment can be submitted for verification.";
	case PA_IN_REVIEW:
		if (from != PA_PENDING_VERIFICATION && from != PA_DRAFT && from != PA_REJECTED)
			return "Only a submitted enrollment that has not been decided can go to review.";
		if (!contact_verified)
			return "The primary contact has not verified their email address yet.";
		return NULL;
	case PA_APPROVED:
	case PA_REJECTED:
		if (from == PA_IN_REVIEW)
			return NULL;
		if (from == PA_PENDING_VERIFICATION)
			return "The primary contact has not verified their email address yet: only an enrollment in review can be decided.";
		if (from == PA_APPROVED || from == PA_REJECTED)
			return "This enrollment has already been decided.";
		return "This enrollment has not been submitted: only an enrollment in review can be decided.";
	case PA_DRAFT:
		return "An enrollment never goes back to draft.";
	default:
		return "That is not an enrollment status.";
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
	if (at == NULL)
		return NULL;
	const char *hit = NULL;
	sqlite3_stmt *st = db_q0(db, Q_WEBMAIL_ALL);
	while (hit == NULL && db_step(st) == SQLITE_ROW)
		if (webmail_match(at + 1, db_text(st, 0)))
			hit = arena_strdup(a, db_text(st, 0));
	sqlite3_reset(st);
	return hit;
}

const char *
check_contact_email(struct req *r, const char *v)
{
	if (!email_valid(v))
		return "Enter an email address like name@contoso.com.";
	const char *rule = webmail_rule(r->store, r->a, v);
	const char *domain = strrchr(v, '@') + 1;
	if (rule != NULL && str_ieq(rule, domain))
		return arena_printf(r->a, "The primary contact cannot use a web-mail address: %s is on the list of web-mail "
		    "services. Use an address at your company's own domain.", rule);
	if (rule != NULL)
		return arena_printf(r->a, "The primary contact cannot use a web-mail address: %s matches \"%s\" on the list of "
		    "web-mail services. Use an address at your company's own domain.", domain, rule);
	return NULL;
}

const char *
check_postal_code(struct req *r, const char *v)
{
	(void)r;
	bool alnum = false;
	for (const char *p = v; *p; p++) {
		if (isalnum((unsigned char)*p))
			alnum = true;
		else if (strchr(" -", *p) == NULL)
			return "Use letters, digits, spaces and hyphens only.";
	}
	return alnum ? NULL : "Enter the postal code.";
}

/* ---- where an organization stands ---- */

int
enroll_state_get(struct store *db, int64_t tenant_id, struct enroll_state *s)
{
	memset(s, 0, sizeof(*s));
	s->reseller_status = -1;
	sqlite3_stmt *st = db_q(db, Q_TENANT_GET, QI(tenant_id));
	if (db_step(st) != SQLITE_ROW) {
		sqlite3_reset(st);
		return -1;
	}
	s->customer = str_eq(db_text(st, 3), "customer");
	sqlite3_reset(st);
	st = db_q(db, Q_PA_FOR_TENANT, QI(tenant_id));
	while (db_step(st) == SQLITE_ROW) {
		if (str_eq(db_text(st, 1), "indirect_reseller")) {
			s->reseller_id = db_i64(st, 0);
			s->reseller_status = pa_status_parse(db_text(st, 2));
		} else if (str_eq(db_text(st, 2), "approved")) {
			s->other_approved = true;
		}
	}
	sqlite3_reset(st);
	st = db_q(db, Q_LEGAL_GET, QI(tenant_id));
	if (db_step(st) == SQLITE_ROW) {
		s->has_legal = true;
		s->contact_verified = !db_is_null(st, 10);
	}
	sqlite3_reset(st);
	s->shortcut = s->other_approved && s->contact_verified;
	s->submitted = s->reseller_status == PA_PENDING_VERIFICATION || s->reseller_status == PA_IN_REVIEW ||
	    s->reseller_status == PA_APPROVED;
	return 0;
}

const struct field enroll_profile_fields[] = {
	{ "legal_name", "Legal business name", "text", 200, FF_REQUIRED, NULL,
	  "Your company's name exactly as it is registered.", "organization" },
	{ "address1", "Address line 1", "text", 200, FF_REQUIRED, NULL, NULL, "address-line1" },
	{ "address2", "Address line 2", "text", 200, 0, NULL, NULL, "address-line2" },
	{ "city", "City", "text", 100, FF_REQUIRED, NULL, NULL, "address-level2" },
	{ "state", "State or province", "text", 100, 0, NULL, NULL, "address-level1" },
	{ "postal_code", "Postal code", "text", 20, FF_REQUIRED, check_postal_code, NULL, "postal-code" },
	{ "contact_first", "First name", "text", 100, FF_REQUIRED, NULL, NULL, "given-name" },
	{ "contact_last", "Last name", "text", 100, FF_REQUIRED, NULL, NULL, "family-name" },
	{ "contact_email", "Contact email", "email", 254, FF_REQUIRED | FF_LOWER, check_contact_email,
	  "We email this person to verify the enrollment. An address at your company's domain: no web-mail "
	  "addresses (Gmail, Yahoo! Mail, iCloud Mail, AOL Mail, Outlook.com and the like).", "email" },
	{ "contact_phone", "Contact phone", "tel", 40, FF_REQUIRED, check_phone,
	  "7 to 20 digits; spaces and + - ( ) are allowed.", "tel" },
	{ "support_email", "Support email", "email", 254, FF_REQUIRED | FF_LOWER, check_email,
	  "Where your customers reach your support team.", NULL },
	{ "support_phone", "Support phone", "tel", 40, FF_REQUIRED, check_phone,
	  "7 to 20 digits; spaces and + - ( ) are allowed.", NULL },
	{ "support_website", "Support website", "url", 200, FF_REQUIRED, check_https_url,
	  "A web address that starts with https://", NULL },
};
const size_t enroll_profile_nfields = NELEM(enroll_profile_fields);

void
enroll_steps(struct tv *ctx, int current, bool shortcut)
{
	static const char *const full[] = { "Welcome", "Work account", "Link your MPN ID", "Legal business profile" };
	static const char *const brief[] = { "Welcome", "Work account", "Customer support details" };
	const char *const *names = shortcut ? brief : full;
	int n = shortcut ? (int)NELEM(brief) : (int)NELEM(full);
	struct tv *list = tv_list(ctx, "steps");
	for (int i = 0; i < n; i++) {
		struct tv *it = tv_push(list);
		tv_set(it, "label", names[i]);
		tv_setb(it, "current", i == current);
		tv_setb(it, "done", i < current);
	}
}

/* ---- the draft ---- */

int
draft_decode(struct arena *a, const char *text, struct params *p)
{
	memset(p, 0, sizeof(*p));
	return req_parse_urlencoded(a, text, strlen(text), p) == PARSE_OK ? 0 : -1;
}

char *
draft_encode(struct arena *a, const struct params *p)
{
	struct buf b;
	buf_init(&b, a);
	buf_puts(&b, "");
	for (size_t i = 0; i < p->n; i++) {
		if (p->v[i].value == NULL)
			continue;
		if (b.len)
			buf_putc(&b, '&');
		buf_puts(&b, url_encode(a, p->v[i].name));
		buf_putc(&b, '=');
		buf_puts(&b, url_encode(a, p->v[i].value));
	}
	return b.failed ? NULL : b.p;
}

int
draft_load(struct store *db, struct arena *a, int64_t tenant_id, struct draft *d)
{
	memset(d, 0, sizeof(*d));
	sqlite3_stmt *st = db_q(db, Q_DRAFT_GET, QI(tenant_id));
	int rc = 0;
	if (db_step(st) == SQLITE_ROW) {
		d->exists = true;
		/* A draft that no longer decodes is dropped, not trusted. */
		if (draft_decode(a, db_text(st, 0), &d->fields) < 0)
			memset(&d->fields, 0, sizeof(d->fields));
		d->pmc_id = db_i64(st, 1);
		d->pmc_user_id = db_i64(st, 2);
		d->pmc_at = db_i64(st, 3);
	}
	sqlite3_reset(st);
	return rc;
}

const char *
draft_get(const struct draft *d, const char *name)
{
	return params_get(&d->fields, name);
}

void
draft_set(struct arena *a, struct draft *d, const char *name, const char *value)
{
	struct params *p = &d->fields;
	for (size_t i = 0; i < p->n; i++)
		if (strcmp(p->v[i].name, name) == 0) {
			p->v[i].value = value ? arena_strdup(a, value) : NULL;
			return;
		}
	if (value == NULL)
		return;
	params_add(a, p, arena_strdup(a, name), arena_strdup(a, value));
}

int
draft_save(struct store *db, struct arena *a, int64_t tenant_id, const struct draft *d, int64_t now)
{
	char *text = draft_encode(a, &d->fields);
	if (text == NULL)
		return -1;
	return db_run(db, Q_DRAFT_SAVE, QI(tenant_id), QT(text), QI(now)) == 1 ? 0 : -1;
}

/* ---- status changes ---- */

int
enroll_facts(struct store *db, struct arena *a, int64_t id, struct pa_change *c, bool *contact_verified)
{
	memset(c, 0, sizeof(*c));
	sqlite3_stmt *st = db_q(db, Q_PA_FACTS, QI(id));
	if (db_step(st) != SQLITE_ROW) {
		sqlite3_reset(st);
		return -1;
	}
	c->account_id = id;
	c->tenant_id = db_i64(st, 0);
	c->type = arena_strdup(a, db_text(st, 1));
	int from = pa_status_parse(db_text(st, 2));
	c->org = arena_strdup(a, db_text(st, 3));
	c->enrolled_by = db_i64(st, 4);
	bool verified = db_i64(st, 5) != 0;
	c->contact_email = arena_strdup(a, db_text(st, 6));
	c->contact_name = arena_printf(a, "%s %s", db_text(st, 7), db_text(st, 8));
	c->legal_name = arena_strdup(a, db_text(st, 9));
	c->reason = arena_strdup(a, db_text(st, 10));
	sqlite3_reset(st);
	if (from < 0)
		return -1;
	c->from = c->to = (enum pa_status)from;
	if (contact_verified != NULL)
		*contact_verified = verified;
	return 0;
}

const char *
enroll_apply(struct store *db, struct arena *a, int64_t id, enum pa_status to, const char *reason, struct pa_change *c)
{
	bool verified;
	if (enroll_facts(db, a, id, c, &verified) < 0)
		return "There is no enrollment with this number.";
	c->to = to;
	c->reason = reason ? reason : "";
	const char *why = enroll_transition(c->from, to, verified);
	if (why != NULL)
		return why;
	if (to == PA_REJECTED && str_empty(reason))
		return "A rejection needs a reason the partner can act on.";
	if (db_run(db, Q_PA_MOVE, QI(id), QT(pa_status_key(c->from)), QT(pa_status_key(to)), QI(now_sec()),
	    QT(c->reason)) != 1)
		return "The enrollment changed meanwhile. Look at it again.";
	if (to == PA_APPROVED) {
		int64_t user = c->enrolled_by;
		if (user == 0 || db_int(db, Q_USER_BY_ID, 0, QI(user)) == 0)
			user = db_int(db, Q_TENANT_FIRST_ADMIN, 0, QI(c->tenant_id));
		if (user != 0) {
			if (db_run(db, Q_USER_ADD_ROLES, QI(ROLE_MASK(ADMIN_AGENT)), QI(user)) != 1 ||
			    sessions_end_user(db, user) < 0)
				return "The enrolling user could not be added to the Admin agent group.";
			c->enrolled_by = user;
		}
	}
	return NULL;
}

const char *
enroll_change_detail(struct arena *a, const struct pa_change *c)
{
	if (c->to == PA_REJECTED)
		return arena_printf(a, "%s: %s -> %s; reason: %s", c->type, pa_status_key(c->from), pa_status_key(c->to), c->reason);
	return arena_printf(a, "%s: %s -> %s", c->type, pa_status_key(c->from), pa_status_key(c->to));
}

struct tv *
enroll_mail(struct arena *a, const struct pa_change *c, const char *verify_link, const char **tmpl)
{
	struct tv *m = tv_new_obj(a);
	tv_set(m, "org", c->org);
	tv_set(m, "legal_name", c->legal_name);
	tv_set(m, "contact_name", c->contact_name);
	tv_set(m, "contact_email", c->contact_email);
	tv_set(m, "partner_type", partner_type_label(partner_type_parse(c->type)));
	tv_set(m, "partner_as", partner_type_noun(partner_type_parse(c->type)));
	tv_set(m, "reason", c->reason);
	tv_set(m, "link", verify_link);
	tv_setb(m, "resend", c->from == c->to);
	tv_setb(m, "again", c->from == PA_REJECTED);
	switch (c->to) {
	case PA_PENDING_VERIFICATION: *tmpl = "enroll-verify"; break;
	case PA_IN_REVIEW: *tmpl = "enroll-in-review"; break;
	case PA_APPROVED: *tmpl = "enroll-approved"; break;
	case PA_REJECTED: *tmpl = "enroll-rejected"; break;
	default: *tmpl = NULL; break;
	}
	return m;
}

char *
enroll_verify_link(struct store *db, struct arena *a, const char *base_url, int64_t account_id)
{
	char *token = link_issue(db, a, TP_VERIFY_CONTACT, account_id, VERIFY_TTL);
	if (token == NULL || db_run(db, Q_PA_VERIFY_SENT, QI(now_sec()), QI(account_id)) != 1)
		return NULL;
	return arena_printf(a, "%s/verify?t=%s", base_url, token);
}

/* ---- linking an MPN ID ---- */

const char *
mpn_link_problem(struct arena *a, const char *status, const char *country, const char *country_name,
    const char *tenant_country, const char *tenant_country_name, int64_t linked_to, int64_t tenant)
{
	if (linked_to != 0 && linked_to != tenant)
		return "This MPN ID is already linked to another organization. An MPN ID can be linked to one organization only.";
	if (!str_eq(status, "active"))
		return "This company profile is inactive in the Partner Membership Center. Only an active profile can be linked: "
		    "choose another one, or reactivate this one in the Partner Membership Center first.";
	if (!str_eq(country, tenant_country))
		return arena_printf(a, "This company profile is in %s, but your work account is in %s. Only a profile in the "
		    "same country or region as your work account can be linked.", country_name, tenant_country_name);
	return NULL;
}
