/* counts.c — the counts the writes keep (issue 17; schema sections 29 and 30): Find a
 * provider's approved providers per country and region (directory_counts), each organization's
 * customers, resellers and resellers with the current agreement (partner_counts), compared
 * with the rows they count, and made again from them (portalctl counts, portalctl doctor). The
 * triggers keep them in every write's transaction; this is the check that they did, and the
 * way back if something wrote around them (a restore without its triggers, a hand edit). */
#include "store/db.h"

/* The counts as the rows give them: the migrations' own queries (schema.sql 29 and 30). */
#define SQL_DIRECTORY_ROWS "SELECT country, region, count(*) AS n FROM partner_accounts" \
	" WHERE type = 'indirect_provider' AND status = 'approved' GROUP BY country, region"
#define SQL_PARTNER_ROWS "SELECT t.tenant_id," \
	" (SELECT count(DISTINCT c.customer_tenant_id) FROM customer_relationships c" \
	"   WHERE c.partner_tenant_id = t.tenant_id AND c.status = 'active') AS customers," \
	" (SELECT count(*) FROM partner_accounts pa JOIN provider_relationships r ON r.provider_id = pa.id" \
	"   AND r.status = 'active' WHERE pa.tenant_id = t.tenant_id) AS resellers," \
	" (SELECT count(*) FROM partner_accounts pa JOIN provider_relationships r ON r.provider_id = pa.id" \
	"   AND r.status = 'active' JOIN partner_accounts ra ON ra.id = r.reseller_id JOIN agreement_acceptances x" \
	"   ON x.tenant_id = ra.tenant_id AND x.version_id = (SELECT max(id) FROM agreement_versions)" \
	"   WHERE pa.tenant_id = t.tenant_id) AS resellers_current" \
	" FROM (SELECT DISTINCT tenant_id FROM partner_accounts) t"
/* Kept and counted, rows of nothing (0) left out on both sides; SQL_DIFFERENT: how many keys
 * (organizations, or countries and regions) have a row in one that the other lacks or has
 * with other numbers. */
#define SQL_DIRECTORY_KEPT "SELECT country, region, n FROM directory_counts WHERE n <> 0"
#define SQL_DIRECTORY_COUNTED "SELECT country, region, n FROM (" SQL_DIRECTORY_ROWS ") d"
#define SQL_PARTNER_KEPT "SELECT tenant_id, customers, resellers, resellers_current FROM partner_counts" \
	" WHERE customers <> 0 OR resellers <> 0 OR resellers_current <> 0"
#define SQL_PARTNER_COUNTED "SELECT tenant_id, customers, resellers, resellers_current FROM (" SQL_PARTNER_ROWS ") p" \
	" WHERE customers <> 0 OR resellers <> 0 OR resellers_current <> 0"
#define SQL_DIFFERENT(a, b, key) "(SELECT count(*) FROM (SELECT " key " FROM (" a " EXCEPT " b ") x" \
	" UNION SELECT " key " FROM (" b " EXCEPT " a ") y) z)"

#define QUERIES(Q) \
	Q(Q_DRIFT, 2, "SELECT " SQL_DIFFERENT(SQL_DIRECTORY_KEPT, SQL_DIRECTORY_COUNTED, "country, region") "," \
	  " " SQL_DIFFERENT(SQL_PARTNER_KEPT, SQL_PARTNER_COUNTED, "tenant_id")) \
	Q(Q_DIRECTORY_CLEAR, 0, "DELETE FROM directory_counts") \
	Q(Q_DIRECTORY_FILL, 0, "INSERT INTO directory_counts(country, region, n) " SQL_DIRECTORY_ROWS) \
	Q(Q_PARTNER_CLEAR, 0, "DELETE FROM partner_counts") \
	Q(Q_PARTNER_FILL, 0, "INSERT INTO partner_counts(tenant_id, customers, resellers, resellers_current) " SQL_PARTNER_ROWS)
SQL_AREA(counts, QUERIES);

int
st_kept_counts_drift(struct store *s, int64_t *directory, int64_t *partners)
{
	struct db_stmt *st = db_q0(s, Q_DRIFT);
	int rc = db_step(st);
	if (rc == DB_ROW) {
		*directory = db_i64(st, 0);
		*partners = db_i64(st, 1);
	}
	db_done(st);
	return rc == DB_ROW ? 0 : -1;
}

int
st_kept_counts_rebuild(struct store *s)
{
	if (db_run0(s, Q_DIRECTORY_CLEAR) < 0 || db_run0(s, Q_DIRECTORY_FILL) < 0 || db_run0(s, Q_PARTNER_CLEAR) < 0 ||
	    db_run0(s, Q_PARTNER_FILL) < 0)
		return -1;
	return 0;
}
