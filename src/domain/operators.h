/* operators.h — the program team's operator accounts (issue 19). Operators run the program in
 * the console (/operator/) and with portalctl; their accounts are users of the program team's
 * own work account, which is no partner organization, so that nothing a partner sees (users,
 * directories, relationships) ever shows them, and their sessions are told apart by role
 * bits no partner role has (access.h's OP_ROLE_*). Every operator must use a second factor
 * from the first sign-in, and their sessions end after OPERATOR_IDLE without a request. */
#ifndef OPERATORS_H
#define OPERATORS_H

#include <stdint.h>

#include "base/arena.h"
#include "store/store.h"

#define OPERATOR_IDLE (15 * 60)		/* an operator's session ends after 15 idle minutes */
#define OPERATOR_LINK_TTL (7 * 24 * 60 * 60)	/* the emailed set-password link */
#define OPERATOR_TEAM_NAME "Program team"
#define OPERATOR_TEAM_DOMAIN "program-team.invalid"

enum op_role { OP_NONE = 0, OP_REVIEWER, OP_ADMIN };

/* "reviewer", "admin" (NULL for OP_NONE); and back: the role, or -1 for another word. */
const char *op_role_key(enum op_role r);
int op_role_parse(const char *key);
/* The session role bits (access.h) of an operator role: 0 for OP_NONE. */
unsigned op_role_bits(enum op_role r);

/* user_id's operator role: OP_NONE for a partner's user, or -1 on error. */
int operator_role_of(struct store *s, struct arena *a, int64_t user_id);

enum { OPERATOR_EMAIL_TAKEN = 1 };
/* Adds an operator (a user of the program team's account, made on first use, without a
 * password: the caller emails operator_link) in the caller's write transaction. 0 with
 * *user_id; OPERATOR_EMAIL_TAKEN when any account has the address (nothing written); -1. */
int operator_add(struct store *s, struct arena *a, const char *email, const char *name, enum op_role role,
    int64_t *user_id);
/* Removes the operator with that address: their account is deleted (sessions end, links stop
 * working; audit entries stay). 1 removed, 0 no operator has it, -1 error. Caller holds the
 * write transaction. */
int operator_remove(struct store *s, struct arena *a, const char *email, int64_t *user_id);
/* Every operator, by email. 0 or -1. */
int operators_list(struct store *s, struct arena *a, struct operator_list *out);
/* A set-password link (the existing link tokens, OPERATOR_LINK_TTL) for operator user_id:
 * "<base_url>/password/set?t=...", or NULL. In the caller's write transaction. */
char *operator_link(struct store *s, struct arena *a, const char *base_url, int64_t user_id);
/* The program team's tenant id: 1 with *id, 0 none made yet, -1 error. */
int operator_team(struct store *s, struct arena *a, int64_t *id);

#endif
