/* langs.c — the users' languages (store.h, "langs", issue 18). */
#include "store/db.h"

#define QUERIES(Q) \
	Q(Q_SET, 0, "UPDATE users SET lang = ? WHERE id = ?") \
	Q(Q_BY_EMAIL, 1, "SELECT lang FROM users WHERE email = ?") \
	Q(Q_INV_SET_RESELLER, 0, "UPDATE reseller_invitations SET lang = ? WHERE id = ?") \
	Q(Q_INV_SET_CUSTOMER, 0, "UPDATE customer_invitations SET lang = ? WHERE id = ?") \
	Q(Q_INV_RESELLER, 1, "SELECT coalesce(lang, '') FROM reseller_invitations WHERE id = ?") \
	Q(Q_INV_CUSTOMER, 1, "SELECT coalesce(lang, '') FROM customer_invitations WHERE id = ?")
SQL_AREA(langs, QUERIES);

int
st_user_set_lang(struct store *s, int64_t user_id, const char *lang)
{
	return db_run(s, Q_SET, QT(lang), QI(user_id));
}

static void
read_lang(struct arena *a, struct db_stmt *st, void *out)
{
	*(const char **)out = db_dup(a, st, 0);
}

int
st_user_lang_by_email(struct store *s, struct arena *a, const char *email, const char **lang)
{
	return db_one(a, db_q(s, Q_BY_EMAIL, QT(email)), read_lang, lang);
}

/* issue 18: the language of an invitation's emails (schema 26) */
int
st_inv_set_lang(struct store *s, enum inv_kind kind, int64_t id, const char *lang)
{
	if (kind != INV_RESELLER && kind != INV_CUSTOMER)
		return 0;
	return db_run(s, kind == INV_RESELLER ? Q_INV_SET_RESELLER : Q_INV_SET_CUSTOMER, QT(lang), QI(id));
}

int
st_inv_lang(struct store *s, struct arena *a, enum inv_kind kind, int64_t id, const char **lang)
{
	*lang = "";
	if (kind != INV_RESELLER && kind != INV_CUSTOMER)
		return 0;
	return db_one(a, db_q(s, kind == INV_RESELLER ? Q_INV_RESELLER : Q_INV_CUSTOMER, QI(id)), read_lang, lang);
}
