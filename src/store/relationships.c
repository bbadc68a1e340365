/* relationships.c — indirect providers and their indirect resellers (store.h,
 * "relationships"). */
#define SQL_THIS_AREA AREA_relationships
#include "store/db.h"

#define QUERIES(Q) \
	Q(Q_ACTIVE_ID, 1, "SELECT id FROM provider_relationships WHERE provider_id = ? AND reseller_id = ? AND status = 'active'")
SQL_AREA(relationships, QUERIES);

int64_t
st_rel_active_id(struct store *s, int64_t provider, int64_t reseller)
{
	int64_t id = db_int(s, Q_ACTIVE_ID, 0, QI(provider), QI(reseller));
	return store_failed(s) ? -1 : id;
}
