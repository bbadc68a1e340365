/* signin.h — what other pages share with the sign-in page. */
#ifndef PAGES_SIGNIN_H
#define PAGES_SIGNIN_H

#include <stdint.h>

#include "web/http.h"

/* Starts a session for user_id (rotating the visitor's old one), audits `action` in the
 * organization's log and redirects to next: signing in, Create one (signup.c) and a
 * customer organization's Create one (customer_invite.c). The caller holds the write
 * transaction. Returns the status (303, or 500). */
int account_sign_in(struct req *r, int64_t user_id, int64_t tenant_id, const char *email, const char *next,
    const char *action);

/* Writes an audit entry (outcome "ok") in organization tenant_id's log as the act of its user
 * user_id (email), who is not signed in yet: signing in, and creating an organization
 * ("tenant.create", target its domain) with Create one. */
void audit_as_user(struct req *r, int64_t tenant_id, int64_t user_id, const char *email, const char *action,
    const char *target, const char *detail);

struct form;
struct signup_request;
/* Create one's second half, for /signup and a customer's /customer-invite/new, once the form
 * is valid: in a write transaction (opened here) records request sr (its password hashed
 * already) and emails the confirmation link, or, when the address has an account, emails
 * its owner instead; the visitor gets the same "check your email" page (200) either way
 * (issue 12, item 9). Returns that page's status, or 500; 0 when the domain has a work
 * account (domain_taken is then beside f's domain field: the caller shows its form, 422). */
int signup_start(struct req *r, struct signup_request *sr, struct form *f, const char *domain_taken);

#endif
