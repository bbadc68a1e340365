/* enroll.h — enrollment logic shared by the enrollment pages, the organization profile,
 * the verification page and portalctl: the status machine, the web-mail rule, the
 * enrollment draft, and status changes with their audit entry and email. SPEC §2.2, §4. */
#ifndef ENROLL_H
#define ENROLL_H

#include <stdbool.h>
#include <stdint.h>

#include "base/arena.h"
#include "domain/words.h"
#include "store/store.h"
#include "web/form.h"
#include "web/req.h"
#include "base/tmpl.h"

struct store;
struct req;

/* ---- the status machine ---- */

/* enum pa_status and its stored words (pa_status_key, pa_status_parse): store/store.h. */

/* THE rule for status changes. NULL when moving from `from` to `to` is legal, otherwise
 * the sentence that says why not. contact_verified: the organization's primary contact has
 * confirmed their address. Legal moves:
 *   draft -> pending_verification          submission (Enroll now)
 *   rejected -> pending_verification       enrolling again after a rejection
 *   pending_verification -> in_review      the contact verified (contact_verified)
 *   draft | rejected -> in_review          submission by an organization whose contact is
 *                                          already verified (contact_verified): one with an
 *                                          approved account of another type
 *   in_review -> approved | rejected       the operator's decision */
const char *enroll_transition(enum pa_status from, enum pa_status to, bool contact_verified);


/* ---- web-mail rule ---- */

/* True when domain (lowercase) is at the web-mail service named by pattern: "gmail.com"
 * matches gmail.com and its subdomains; "yahoo.*" matches yahoo.<public suffix> (one or
 * two labels, like .com, .fr or .co.uk) and its subdomains — but not yahoo.contoso.com,
 * a company's own subdomain. Case-insensitive. */
bool webmail_match(const char *domain, const char *pattern);
/* The webmail_domains pattern that email's domain matches, or NULL. */
const char *webmail_rule(struct store *db, struct arena *a, const char *email);

/* Field validators (form.h signature). */
const char *check_contact_email(struct req *r, const char *v);
const char *check_postal_code(struct req *r, const char *v);

/* ---- where an organization stands ---- */

struct enroll_state {
	bool customer;			/* a customer tenant: it does not enroll */
	int64_t reseller_id;		/* its indirect reseller account, 0 when none */
	int reseller_status;		/* enum pa_status, -1 when none */
	bool other_approved;		/* an approved account of another type (provider, direct bill) */
	bool has_legal, contact_verified;
	bool shortcut;			/* other_approved && contact_verified: asked only for support details */
	bool submitted;			/* pending_verification, in_review or approved: the steps are over */
};
int enroll_state_get(struct store *db, int64_t tenant_id, struct enroll_state *s);

/* The fields of the legal business profile form (Enroll now, Settings -> Legal info); the
 * last ENROLL_SUPPORT_N are the customer support details. */
extern const struct field enroll_profile_fields[];
extern const size_t enroll_profile_nfields;
#define ENROLL_SUPPORT_N 3
#define enroll_support_fields (enroll_profile_fields + enroll_profile_nfields - ENROLL_SUPPORT_N)

/* ctx.steps for ol.steps: Welcome, Work account, Link your MPN ID, Legal business profile
 * (or, for the shortcut, Welcome, Work account, Customer support details). */
void enroll_steps(struct tv *ctx, int current, bool shortcut);

/* ---- the enrollment draft (enrollment_drafts) ---- */

struct draft {
	bool exists;
	struct params fields;		/* the form fields as entered */
	int64_t pmc_id, pmc_user_id, pmc_at;
};
#define PMC_SIGNIN_TTL (30 * 60)

/* Loads tenant's draft (an empty one when there is none). 0 or -1. */
int draft_load(struct store *db, struct arena *a, int64_t tenant_id, struct draft *d);
const char *draft_get(const struct draft *d, const char *name);
/* Sets (or with NULL value removes) one field. */
void draft_set(struct arena *a, struct draft *d, const char *name, const char *value);
/* Writes the fields (caller holds the transaction). 0 or -1. */
int draft_save(struct store *db, struct arena *a, int64_t tenant_id, const struct draft *d, int64_t now);
/* The urlencoded text of the fields, and back (for the database and the tests). */
char *draft_encode(struct arena *a, const struct params *p);
int draft_decode(struct arena *a, const char *text, struct params *p);

/* ---- status changes ---- */

/* What a status change was about: for the audit entry and the email. */
struct pa_change {
	int64_t account_id, tenant_id, enrolled_by;
	const char *type, *org, *legal_name;
	enum pa_status from, to;
	const char *contact_email, *contact_name;
	const char *reason;
};

/* Reads partner account id into c (from = to = its status). 0, or -1 when there is none. */
int enroll_facts(struct store *db, struct arena *a, int64_t id, struct pa_change *c, bool *contact_verified);
/* Moves partner account `id` to `to` inside the caller's write transaction, if
 * enroll_transition() allows it: one conditional UPDATE, plus, on approval, the enrolling
 * user joins the Admin agent group (their sessions end, so the new role is never stale).
 * Returns NULL and fills c, or the sentence why not (nothing written). */
const char *enroll_apply(struct store *db, struct arena *a, int64_t id, enum pa_status to, const char *reason,
    struct pa_change *c);
/* The email that tells the primary contact about change c: the template name and its
 * context (verify_link: the verification link for pending_verification). */
struct tv *enroll_mail(struct arena *a, const struct pa_change *c, const char *verify_link, const char **tmpl);
/* The "/verify?t=..." link for partner account id, valid 7 days; revokes earlier ones.
 * Caller holds the transaction. NULL on error. */
char *enroll_verify_link(struct store *db, struct arena *a, const char *base_url, int64_t account_id);
#define VERIFY_TTL (7 * 24 * 3600)

/* The audit entry's detail for a change: "draft -> pending_verification". */
const char *enroll_change_detail(struct arena *a, const struct pa_change *c);

/* ---- linking an MPN ID ---- */

/* NULL when a company profile (status, country) may be linked to tenant (in
 * tenant_country), else the sentence naming the rule that refuses it: already linked to
 * another organization (linked_to: the tenant it is linked to, 0 for none), inactive, or in
 * another country. Linked to this same tenant already is fine (nothing to do). */
const char *mpn_link_problem(struct arena *a, const char *status, const char *country, const char *country_name,
    const char *tenant_country, const char *tenant_country_name, int64_t linked_to, int64_t tenant);

#endif
