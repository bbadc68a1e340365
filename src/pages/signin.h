/* signin.h — what other pages share with the sign-in page. */
#ifndef PAGES_SIGNIN_H
#define PAGES_SIGNIN_H

#include <stdbool.h>
#include <stdint.h>

#include "web/http.h"

/* Starts a session for user_id (rotating the visitor's old one), audits `action` in the
 * organization's log and redirects to next: signing in, Create one (signup.c) and a
 * customer organization's Create one (customer_invite.c). The caller holds the write
 * transaction. Returns the status (303, or 500). */
int account_sign_in(struct req *r, int64_t user_id, int64_t tenant_id, const char *email, const char *next,
    const char *action);

/* The same, for a sign-in with (mfa) or without a second factor; detail goes into the
 * audit entry ("with a recovery code"). */
int account_sign_in_mfa(struct req *r, int64_t user_id, int64_t tenant_id, const char *email, const char *next,
    const char *action, bool mfa, const char *detail);
/* The password was right and user_id has a second factor: sets the short-lived challenge
 * cookie (signin_code.c) and sends the browser to the code page. Returns 303 (or 500). */
int signin_code_challenge(struct req *r, int64_t user_id, const char *next);
/* A recovery code of user u was used (signing in, re-authentication): audited in the
 * organization's log and emailed to the user (someone may have their password and their
 * code sheet). Caller holds the write transaction. 0 or -1. */
int signin_recovery_used(struct req *r, const struct user_row *u);
/* Where to go after signing in: next when it is a safe path on this site (not the sign-in
 * or sign-out pages), else "/". */
const char *next_or_home(const char *next);

/* issue 19: POST /signin (console false) and POST /operator/signin (console true): the same
 * sign-in, throttled alike; each page signs in only its own kind of account (a partner's
 * user, an operator). Returns the status. */
int signin_submit(struct req *r, bool console);
/* GET /operator/signin: the console's sign-in form. */
int signin_console_form(struct req *r);
/* Where an operator goes after signing in: next when it is a safe console path, else
 * "/operator". */
const char *operator_next(const char *next);

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
