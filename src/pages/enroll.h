/* enroll.h (pages) — what the enrollment pages (enroll.c, enroll_mpn.c), the organization
 * profile (settings_profile.c) and the verification page (verify.c) share: the legal
 * business profile form, the steps, the enrollment emails' values and the draft's form
 * fields. The rules behind them are domain/enroll.h. */
#ifndef PAGES_ENROLL_H
#define PAGES_ENROLL_H

#include <stdbool.h>

#include "base/tmpl.h"
#include "domain/enroll.h"
#include "web/form.h"
#include "web/http.h"

/* ---- the legal business profile form ---- */

/* The fields of the legal business profile form (Enroll now, Settings -> Legal info); the
 * last ENROLL_SUPPORT_N are the customer support details. */
extern const struct field enroll_profile_fields[];
extern const size_t enroll_profile_nfields;
#define ENROLL_SUPPORT_N 3
#define enroll_support_fields (enroll_profile_fields + enroll_profile_nfields - ENROLL_SUPPORT_N)

/* Field validators (form.h signature) for the rules of domain/enroll.h. */
const char *check_contact_email(struct req *r, const char *v);
const char *check_postal_code(struct req *r, const char *v);

/* The form's values into a legal profile and support details (fields the form lacks: ""). */
void enroll_form_read(const struct form *f, struct legal_profile *legal, struct support_details *sup);
/* Sets the form's fields from a legal profile (NULL: none) and a partner account's support
 * details (NULL: none). */
void enroll_form_fill(struct form *f, const struct legal_profile *legal, const struct partner_account *sup);

/* obj.<column> for a legal profile: legal_name, address1, ..., contact_phone. */
void enroll_legal_tv(struct tv *obj, const struct legal_profile *l);

/* ctx.<key> = the signed-in organization's linked MPN IDs: [{ mpn_id, company }]. 0 or -1. */
int enroll_mpns_tv(struct req *r, struct tv *ctx, const char *key);

/* ctx.steps for ol.steps: Welcome, Work account, Link your MPN ID, Legal business profile
 * (or, for the shortcut, Welcome, Work account, Customer support details). */
void enroll_steps(struct tv *ctx, int current, bool shortcut);

/* ---- the emails ---- */

/* The values of the email that tells the primary contact about change c (its template:
 * enroll_mail_template(c->to)); verify_link for the verification email. */
struct tv *enroll_mail_tv(struct arena *a, const struct pa_change *c, const char *verify_link);

/* ---- the draft's form fields ---- */

/* The enrollment draft (domain/enroll.h) with its form fields decoded. */
struct form_draft {
	struct draft saved;
	struct params fields;
};
/* Loads the signed-in organization's draft. 0, or -1 (database error). A draft whose
 * fields no longer decode is dropped, not trusted. */
int form_draft_load(struct req *r, struct form_draft *d);
const char *form_draft_get(const struct form_draft *d, const char *name);
/* Sets (or with NULL value removes) one field. */
void form_draft_set(struct arena *a, struct form_draft *d, const char *name, const char *value);
/* Writes the fields (the caller holds the transaction). 0 or -1. */
int form_draft_save(struct req *r, const struct form_draft *d);
/* The urlencoded text of the fields, and back. */
char *draft_encode(struct arena *a, const struct params *p);
int draft_decode(struct arena *a, const char *text, struct params *p);

#endif
