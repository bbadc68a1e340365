/* enroll.h — the enrollment rules shared by the enrollment pages, the organization profile,
 * the verification page and portalctl: the status machine, the web-mail rule, where an
 * organization stands, the enrollment draft, submitting ("Enroll now"), the contact's
 * verification, and status changes. SPEC §2.2, §4. The forms, the steps and the emails'
 * template values are the pages' (pages/enroll.h); linking an MPN ID is domain/mpn.h. */
#ifndef ENROLL_H
#define ENROLL_H

#include <stdbool.h>
#include <stdint.h>

#include "base/arena.h"
#include "store/store.h"

/* ---- the status machine ---- */

/* enum pa_status and its stored words (pa_status_key, pa_status_parse): store/store.h;
 * its words for people: domain/words.h. */

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

/* ---- the primary contact's address and the postal code ---- */

/* True when domain (lowercase) is at the web-mail service named by pattern: "gmail.com"
 * matches gmail.com and its subdomains; "yahoo.*" matches yahoo.<public suffix> (one or
 * two labels, like .com, .fr or .co.uk) and its subdomains — but not yahoo.contoso.com,
 * a company's own subdomain. Case-insensitive. */
bool webmail_match(const char *domain, const char *pattern);
/* The webmail_domains pattern that email's domain matches, or NULL (also when the list
 * cannot be read: the store is failed then, and the request ends in an error). */
const char *webmail_rule(struct store *db, struct arena *a, const char *email);
/* NULL when email may be the primary contact's address, else the sentence why not: not an
 * address, or at a web-mail service (naming the rule that matched). */
const char *enroll_contact_email_problem(struct store *db, struct arena *a, const char *email);
/* NULL when v is a postal code (letters, digits, spaces and hyphens, some letter or
 * digit), else the sentence why not. */
const char *enroll_postal_code_problem(const char *v);

/* ---- where an organization stands ---- */

struct enroll_state {
	struct tenant_row tenant;
	bool customer;			/* a customer tenant: it does not enroll */
	struct partner_account_list accounts;	/* all of them, oldest first */
	const struct partner_account *reseller;	/* its indirect reseller account, NULL none */
	const struct partner_account *other;	/* its first approved account of another type, NULL none */
	int64_t reseller_id;		/* reseller->id, 0 when none */
	int reseller_status;		/* reseller->status, PA_NONE when none */
	bool other_approved;		/* other != NULL (a provider or direct-bill partner) */
	bool has_legal, contact_verified;
	struct legal_profile legal;	/* when has_legal */
	bool shortcut;			/* other_approved && contact_verified: asked only for support details */
	bool submitted;			/* pending_verification, in_review or approved: the steps are over */
};
/* Reads tenant_id's state. 0, or -1 (no such organization, or a database error). */
int enroll_state_get(struct store *db, struct arena *a, int64_t tenant_id, struct enroll_state *s);
/* The rest of s once its tenant, accounts, has_legal and legal are filled (enroll_state_get;
 * overview_state reads them in one statement). */
void enroll_state_derive(struct enroll_state *s);

/* The account whose support details the forms show: the last one that has them, or NULL. */
const struct partner_account *enroll_support_account(const struct partner_account_list *l);
/* The account whose verification link the primary contact gets: the indirect reseller
 * account when there is one, else the organization's first account; 0 for none. */
int64_t enroll_verify_account(const struct partner_account_list *l);

/* The organization's legal business profile: 1 found, 0 none, -1 error. */
int enroll_legal_get(struct store *db, struct arena *a, int64_t tenant, struct legal_profile *out);
/* Settings -> Legal info: saves tenant's legal profile and the support details of every
 * program (caller holds the write transaction). *contact_changed: the primary contact's
 * address is new (any case), so it must be verified again. 0 or -1. */
int enroll_profile_save(struct store *db, struct arena *a, int64_t tenant, const struct legal_profile *legal,
    const struct support_details *sup, bool *contact_changed);

/* ---- the enrollment draft ---- */

/* What an organization entered so far (enrollment_drafts): the form fields as urlencoded
 * text (the pages' business: pages/enroll.h) and the PMC sign-in of "Link your MPN ID". */
struct draft {
	bool exists;
	const char *fields;		/* "" when none */
	int64_t pmc_id, pmc_user_id, pmc_at;
};
#define PMC_SIGNIN_TTL (30 * 60)

/* Loads tenant's draft (an empty one when there is none). 0, or -1 (database error). */
int draft_load(struct store *db, struct arena *a, int64_t tenant_id, struct draft *d);
/* Writes the fields (caller holds the transaction). 0 or -1. */
int draft_save(struct store *db, int64_t tenant_id, const char *fields, int64_t now);
/* Remembers that user signed in to PMC account pmc_id at now (0: forgets the PMC sign-in).
 * Caller holds the transaction. 0 or -1. */
int draft_set_pmc(struct store *db, int64_t tenant_id, int64_t pmc_id, int64_t user, int64_t now);
/* Is user signed in to PMC by this draft, recently (PMC_SIGNIN_TTL)? */
bool draft_pmc_live(const struct draft *d, int64_t user, int64_t now);

/* ---- status changes ---- */

/* What a status change was about: for the audit entry and the email. */
struct pa_change {
	int64_t account_id, tenant_id, enrolled_by;
	enum partner_type type;
	const char *org, *legal_name;
	enum pa_status from, to;
	const char *contact_email, *contact_name;
	const char *reason;
};

/* Reads partner account id into c (from = to = its status; reason: the last rejection's).
 * contact_verified may be NULL. 1 found, 0 none, -1 error. */
int enroll_facts(struct store *db, struct arena *a, int64_t id, struct pa_change *c, bool *contact_verified);
/* Moves partner account `id` to `to` inside the caller's write transaction, if
 * enroll_transition() allows it: one conditional UPDATE, plus, on approval, the enrolling
 * user (else the organization's first user who may enroll) joins the Admin agent group
 * (their sessions end, so the new role is never stale). Fills c. Returns 0 (moved), 1
 * (refused: *why says why, nothing written) or -1 (database error). */
int enroll_apply(struct store *db, struct arena *a, int64_t id, enum pa_status to, const char *reason,
    struct pa_change *c, const char **why);
/* The "<base_url>/verify?t=..." link for partner account id, valid VERIFY_TTL; revokes
 * earlier ones and records when it was sent. Caller holds the transaction. NULL on error. */
char *enroll_verify_link(struct store *db, struct arena *a, const char *base_url, int64_t account_id);
#define VERIFY_TTL (7 * 24 * 3600)

/* The email template (templates/email/) that tells the primary contact about a change to
 * `to`: "enroll-verify", "enroll-in-review", "enroll-approved", "enroll-rejected"; NULL for
 * draft. */
const char *enroll_mail_template(enum pa_status to);
/* The audit entry's detail for a change: "indirect_reseller: draft -> pending_verification". */
const char *enroll_change_detail(struct arena *a, const struct pa_change *c);

/* ---- Enroll now ---- */

/* What the legal business profile form submits. */
struct enroll_submission {
	int64_t tenant, user;		/* the organization and the Global admin enrolling it */
	bool shortcut;			/* only the support details (enroll_state.shortcut) */
	struct legal_profile legal;	/* unless shortcut */
	struct support_details support;
};
/* Submits the organization's enrollment as an indirect reseller, in the caller's write
 * transaction: saves the legal profile (its contact unverified) unless shortcut, creates
 * or updates the reseller account with the support details, moves it to
 * pending_verification (the shortcut: in_review, the contact being verified already),
 * issues the verification link (*link, for pending_verification; else NULL) and drops the
 * draft. Returns 0 (submitted; c says what changed), 1 (refused: *why) or -1 (database
 * error). After 1 or -1 the caller rolls back. */
int enroll_submit(struct store *db, struct arena *a, const struct enroll_submission *sub, const char *base_url,
    struct pa_change *c, const char **link, const char **why);

/* The primary contact of c's organization followed their link (c: enroll_facts of the
 * account it names): marks them verified and, when the enrollment waits for that
 * (pending_verification), moves it to in_review — in the caller's write transaction.
 * *moved is the change (moved->from == moved->to when nothing moved). 0, 1 (refused:
 * *why) or -1 (database error, or no legal profile to verify). */
int enroll_contact_verified(struct store *db, struct arena *a, const struct pa_change *c, struct pa_change *moved,
    const char **why);

#endif
