/* langs.c — the users' languages (store.h, "langs", issue 18). */
#include "store/db.h"

#define QUERIES(Q) \
	Q(Q_SET, 0, "UPDATE users SET lang = ? WHERE id = ?") \
	Q(Q_BY_EMAIL, 1, "SELECT lang FROM users WHERE email = ?")
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
