/* audit.c — writing the audit log (store.h, "audit"). Reading it is the audit page's area. */
#define SQL_THIS_AREA AREA_audit
#include "store/db.h"

#define QUERIES(Q) \
	Q(Q_INSERT, 0, "INSERT INTO audit(at, tenant_id, actor_id, actor, action, target, outcome, ip, detail)" \
	  " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
SQL_AREA(audit, QUERIES);

int64_t
st_audit_insert(struct store *s, const struct audit_row *e)
{
	return db_insert(s, Q_INSERT, QI(e->at), QID(e->tenant_id), QID(e->actor_id), QT(e->actor ? e->actor : ""),
	    QT(e->action), QT(e->target ? e->target : ""), QT(e->outcome), QT(e->ip ? e->ip : ""),
	    QT(e->detail ? e->detail : ""));
}
