/* states.c — the stored word of every state of the data model (store.h), and back. The
 * words are the ones the schema's CHECK constraints allow. */
#include <string.h>

#include "store/store.h"

static const char *const tenant_kinds[TENANT__COUNT] = { "partner", "customer" };
static const char *const partner_types[PT__COUNT] = { "indirect_reseller", "indirect_provider", "direct_bill" };
static const char *const pa_statuses[PA__COUNT] = {
	"draft", "pending_verification", "in_review", "approved", "rejected",
};
static const char *const inv_statuses[INV__COUNT] = { "pending", "accepted", "revoked", "expired" };
static const char *const rel_statuses[RS__COUNT] = { "active", "ended" };
static const char *const sub_statuses[SUB__COUNT] = { "active", "suspended", "cancelled" };

static const char *
key_of(const char *const *keys, int n, int v)
{
	return v >= 0 && v < n ? keys[v] : "";
}

static int
parse(const char *const *keys, int n, const char *key)
{
	for (int i = 0; key != NULL && i < n; i++)
		if (strcmp(keys[i], key) == 0)
			return i;
	return -1;
}

const char *tenant_kind_key(enum tenant_kind k) { return key_of(tenant_kinds, TENANT__COUNT, (int)k); }
int tenant_kind_parse(const char *key) { return parse(tenant_kinds, TENANT__COUNT, key); }
const char *partner_type_key(enum partner_type t) { return key_of(partner_types, PT__COUNT, (int)t); }
int partner_type_parse(const char *key) { return parse(partner_types, PT__COUNT, key); }
const char *pa_status_key(enum pa_status s) { return key_of(pa_statuses, PA__COUNT, (int)s); }
int pa_status_parse(const char *key) { return parse(pa_statuses, PA__COUNT, key); }
const char *inv_status_key(enum inv_status s) { return key_of(inv_statuses, INV__COUNT, (int)s); }
int inv_status_parse(const char *key) { return parse(inv_statuses, INV__COUNT, key); }
const char *rel_status_key(enum rel_status s) { return key_of(rel_statuses, RS__COUNT, (int)s); }
int rel_status_parse(const char *key) { return parse(rel_statuses, RS__COUNT, key); }
int sub_status_parse(const char *key) { return parse(sub_statuses, SUB__COUNT, key); }
