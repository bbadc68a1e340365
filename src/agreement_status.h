/* agreement_status.h — the partner agreement's state for an organization, as the overview
 * (the third of the three steps) and Settings -> Organization profile -> Program info show it.
 *
 * PLACEHOLDER: the partner agreement issue (SPEC §2.4) replaces the body of
 * agreement_status_get() with the real lookup (current version, acceptance). Until then no
 * version is published, so every organization is "not signed" and the agreement is "not
 * yet available": the pages show that state and link nowhere. */
#ifndef AGREEMENT_STATUS_H
#define AGREEMENT_STATUS_H

#include <stdbool.h>
#include <stdint.h>

#include "arena.h"

struct db;

struct agreement_status {
	bool available;			/* a version is published that can be accepted */
	bool signed_current;		/* the organization accepted the current version */
	const char *version;		/* the current version's name, or NULL */
	const char *signer, *signed_on;	/* who accepted it and when, or NULL */
	const char *accept_path;	/* where a Global admin accepts it, or NULL */
};

void agreement_status_get(struct db *db, struct arena *a, int64_t tenant_id, struct agreement_status *out);

#endif
