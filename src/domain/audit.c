/* audit.c — see audit.h. */
#include "domain/audit.h"

int
audit_write(struct store *s, const struct audit_row *e)
{
	return st_audit_insert(s, e) > 0 ? 0 : -1;
}
