/* agreement_status.c — see agreement_status.h (a placeholder until the agreement issue). */
#include "agreement_status.h"

#include <string.h>

void
agreement_status_get(struct db *db, struct arena *a, int64_t tenant_id, struct agreement_status *out)
{
	(void)db;
	(void)a;
	(void)tenant_id;
	memset(out, 0, sizeof(*out));
	/* Not signed, and not yet available: no agreement version has been published. */
}
