/* settings_users.h — the emails of Settings → User management that the JSON API's user
 * calls send too (pages/api.c), so that a user added either way gets the same message. */
#ifndef PAGES_SETTINGS_USERS_H
#define PAGES_SETTINGS_USERS_H

#include "web/http.h"

/* The set-password link for user u (template tmpl: "user-added", ...), queued in the
 * action's transaction. 0 or -1. */
int send_set_password(struct req *r, const struct user_row *u, const char *tmpl);
/* Tells the owner of an address with an account in another organization that this one
 * tried to add it (nothing changed). 0 or -1. */
int send_account_exists(struct req *r, const struct user_row *u);

#endif
