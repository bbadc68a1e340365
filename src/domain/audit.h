/* audit.h — writing the audit log: every change and every refusal, with who, what, from
 * where and why. The dispatcher writes a request's entries with its transaction (refusals
 * in one of their own); portalctl writes the operator's. */
#ifndef AUDIT_H
#define AUDIT_H

#include "store/store.h"

/* Writes one entry (struct audit_row: store.h) in the caller's transaction. 0 or -1. */
int audit_write(struct store *s, const struct audit_row *e);

#endif
