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

#endif
