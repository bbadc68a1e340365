/* groups.c — partner user groups (store.h, "groups"; issue 13, schema 22): an organization's
 * named groups of its users, and their assignment to its delegated admin relationships (its
 * members may act as partner under them: st_da_group_member, read on every request of a
 * session acting under a relationship). */
#include "store/db.h"

#define SQL_GROUP "SELECT g.id, g.tenant_id, g.name, (SELECT count(*) FROM user_group_members m WHERE m.group_id = g.id)" \
	" FROM user_groups g"

#define QUERIES(Q) \
	Q(Q_OF, 4, SQL_GROUP " WHERE g.tenant_id = ? ORDER BY g.name COLLATE NOCASE, g.id") \
	Q(Q_GET, 4, SQL_GROUP " WHERE g.id = ? AND g.tenant_id = ?") \
	Q(Q_TAKEN, 1, "SELECT EXISTS (SELECT 1 FROM user_groups WHERE tenant_id = ? AND name = ? AND id <> ?)") \
	Q(Q_CREATE, 0, "INSERT INTO user_groups(tenant_id, name, created_at) VALUES (?, ?, ?)") \
	Q(Q_RENAME, 0, "UPDATE user_groups SET name = ? WHERE id = ? AND tenant_id = ?") \
	Q(Q_DELETE, 0, "DELETE FROM user_groups WHERE id = ? AND tenant_id = ?") \
	Q(Q_MEMBERS, 5, "SELECT u.id, u.tenant_id, u.name, u.email, u.roles FROM user_group_members m" \
	  " JOIN users u ON u.id = m.user_id WHERE m.group_id = ? ORDER BY u.name COLLATE NOCASE, u.email, u.id") \
	/* the user of the group's own organization only, once */ \
	Q(Q_MEMBER_ADD, 0, "INSERT INTO user_group_members(group_id, user_id) SELECT g.id, u.id FROM user_groups g" \
	  " JOIN users u ON u.tenant_id = g.tenant_id WHERE g.id = ?1 AND u.id = ?2" \
	  " AND NOT EXISTS (SELECT 1 FROM user_group_members m WHERE m.group_id = ?1 AND m.user_id = ?2)") \
	Q(Q_MEMBER_REMOVE, 0, "DELETE FROM user_group_members WHERE group_id = ? AND user_id = ?") \
	Q(Q_DA_GROUPS, 4, SQL_GROUP " JOIN delegated_admin_groups dg ON dg.group_id = g.id WHERE dg.da_id = ?" \
	  " ORDER BY g.name COLLATE NOCASE, g.id") \
	Q(Q_DA_ASSIGN, 0, "INSERT INTO delegated_admin_groups(da_id, group_id) SELECT CAST(?1 AS BIGINT), CAST(?2 AS BIGINT)" \
	  " WHERE NOT EXISTS (SELECT 1 FROM delegated_admin_groups WHERE da_id = ?1 AND group_id = ?2)") \
	Q(Q_DA_UNASSIGN, 0, "DELETE FROM delegated_admin_groups WHERE da_id = ? AND group_id = ?") \
	Q(Q_DA_MEMBER, 1, "SELECT EXISTS (SELECT 1 FROM delegated_admin_groups dg JOIN user_group_members m" \
	  " ON m.group_id = dg.group_id WHERE dg.da_id = ? AND m.user_id = ?)")
SQL_AREA(groups, QUERIES);

static void
read_group(struct arena *a, struct db_stmt *st, void *out)
{
	*(struct user_group *)out = (struct user_group){ .id = db_i64(st, 0), .tenant_id = db_i64(st, 1),
		.name = db_dup(a, st, 2), .members = db_i64(st, 3) };
}

static void
read_member(struct arena *a, struct db_stmt *st, void *out)
{
	*(struct user_row *)out = (struct user_row){ .id = db_i64(st, 0), .tenant_id = db_i64(st, 1),
	    .name = db_dup(a, st, 2), .email = db_dup(a, st, 3), .roles = (unsigned)db_i64(st, 4) };
}

int
st_groups_of(struct store *s, struct arena *a, int64_t tenant, struct user_group_list *out)
{
	return DB_LIST(s, a, db_q(s, Q_OF, QI(tenant)), DB_ALL, out, read_group);
}

int
st_group_get(struct store *s, struct arena *a, int64_t id, int64_t tenant, struct user_group *out)
{
	struct db_stmt *st = db_q(s, Q_GET, QI(id), QI(tenant));
	int rc = db_step(st);
	if (rc == DB_ROW)
		read_group(a, st, out);
	db_done(st);
	return db_found(rc);
}

int
st_group_name_taken(struct store *s, int64_t tenant, const char *name, int64_t except)
{
	return (int)db_int(s, Q_TAKEN, -1, QI(tenant), QT(name), QI(except));
}

int64_t
st_group_create(struct store *s, int64_t tenant, const char *name, int64_t now)
{
	return db_insert(s, Q_CREATE, QI(tenant), QT(name), QI(now));
}

int
st_group_rename(struct store *s, int64_t id, int64_t tenant, const char *name)
{
	return db_run(s, Q_RENAME, QT(name), QI(id), QI(tenant));
}

int
st_group_delete(struct store *s, int64_t id, int64_t tenant)
{
	return db_run(s, Q_DELETE, QI(id), QI(tenant));
}

int
st_group_members(struct store *s, struct arena *a, int64_t id, struct user_list *out)
{
	return DB_LIST(s, a, db_q(s, Q_MEMBERS, QI(id)), DB_ALL, out, read_member);
}

int
st_group_member_add(struct store *s, int64_t id, int64_t user)
{
	return db_run(s, Q_MEMBER_ADD, QI(id), QI(user));
}

int
st_group_member_remove(struct store *s, int64_t id, int64_t user)
{
	return db_run(s, Q_MEMBER_REMOVE, QI(id), QI(user));
}

int
st_da_groups(struct store *s, struct arena *a, int64_t da, struct user_group_list *out)
{
	return DB_LIST(s, a, db_q(s, Q_DA_GROUPS, QI(da)), DB_ALL, out, read_group);
}

int
st_da_group_assign(struct store *s, int64_t da, int64_t group)
{
	return db_run(s, Q_DA_ASSIGN, QI(da), QI(group));
}

int
st_da_group_unassign(struct store *s, int64_t da, int64_t group)
{
	return db_run(s, Q_DA_UNASSIGN, QI(da), QI(group));
}

int
st_da_group_member(struct store *s, int64_t da, int64_t user)
{
	return (int)db_int(s, Q_DA_MEMBER, -1, QI(da), QI(user));
}
