/* console_parts.h — what the console's enrollment and partner pages (operator_enrollments.c,
 * operator_partners.c) share: an organization's users and its audit entries as template lists. */
#ifndef PAGES_CONSOLE_PARTS_H
#define PAGES_CONSOLE_PARTS_H

#include "domain/console.h"
#include "web/http.h"
#include "base/tmpl.h"

/* The list name of ctx: name, email and roles (in words) of each user of l. */
void console_users_tv(struct req *r, struct tv *ctx, const char *name, const struct user_list *l);
/* The list name of ctx: at, actor, action, target, outcome and detail of each entry of l. */
void console_events_tv(struct req *r, struct tv *ctx, const char *name, const struct console_event_list *l);

#endif
