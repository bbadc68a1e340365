/* partners.c — see partners.h. */
#include "domain/partners.h"

int
partner_status_of(struct store *s, int64_t tenant, enum partner_type t, int64_t *id)
{
	enum pa_status status;
	*id = 0;		/* set by the store only when the account is found */
	return st_partner_account_of_type(s, tenant, t, id, &status) == 1 ? (int)status : PA_NONE;
}

int
partner_get(struct store *s, struct arena *a, int64_t id, struct partner *out)
{
	return st_partner_get(s, a, id, out);
}

int
tenant_get(struct store *s, struct arena *a, int64_t id, struct tenant_row *out)
{
	return st_tenant_get(s, a, id, out);
}

int
partner_accounts(struct store *s, struct arena *a, int64_t tenant, struct partner_account_list *out)
{
	return st_partner_accounts(s, a, tenant, out);
}

int
tenant_mpns(struct store *s, struct arena *a, int64_t tenant, struct tenant_mpn_list *out)
{
	return st_tenant_mpns(s, a, tenant, out);
}
