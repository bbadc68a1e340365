/* offers.c — the offer catalog providers order from (store.h, "offers"). */
#include "store/db.h"

/* An offer, and how many subscriptions point at it (counted only for the whole catalog:
 * subscriptions have no index by offer, and the order form does not need it). */
#define SQL_OFFER(subscriptions) "SELECT offer_id, name, description, unit, price_cents, currency, active, " \
	subscriptions " FROM offers"
#define SQL_COUNTED "(SELECT count(*) FROM subscriptions s WHERE s.offer_id = offers.offer_id)"

#define QUERIES(Q) \
	Q(Q_GET, 8, SQL_OFFER("0") " WHERE offer_id = ?") \
	Q(Q_ACTIVE, 8, SQL_OFFER("0") " WHERE active = 1 ORDER BY name COLLATE NOCASE, offer_id") \
	Q(Q_ALL, 8, SQL_OFFER(SQL_COUNTED) " ORDER BY offer_id") \
	Q(Q_EXISTS, 1, "SELECT count(*) FROM offers WHERE offer_id = ?") \
	/* Changes nothing (0 changes) when the offer is the same already. */ \
	Q(Q_UPSERT, 0, "INSERT INTO offers(offer_id, name, description, unit, price_cents, currency, active, updated_at)" \
	  " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)" \
	  " ON CONFLICT(offer_id) DO UPDATE SET name = ?2, description = ?3, unit = ?4, price_cents = ?5, currency = ?6," \
	  " active = ?7, updated_at = ?8 WHERE offers.name IS DISTINCT FROM ?2 OR offers.description IS DISTINCT FROM ?3" \
	  " OR offers.unit IS DISTINCT FROM ?4 OR offers.price_cents IS DISTINCT FROM ?5" \
	  " OR offers.currency IS DISTINCT FROM ?6 OR offers.active IS DISTINCT FROM ?7") \
	/* Prices per currency (issue 15): set one (0 changes when the same), and the price of \
	 * an offer for a customer of a country: in the country's currency when the offer has \
	 * one, else its list price. */ \
	Q(Q_PRICE_SET, 0, "INSERT INTO offer_prices(offer_id, currency, price_cents) VALUES (?1, ?2, ?3)" \
	  " ON CONFLICT(offer_id, currency) DO UPDATE SET price_cents = ?3" \
	  " WHERE offer_prices.price_cents IS DISTINCT FROM ?3") \
	Q(Q_PRICE_FOR, 2, "SELECT COALESCE(p.price_cents, o.price_cents), COALESCE(p.currency, o.currency)" \
	  " FROM offers o LEFT JOIN offer_prices p ON p.offer_id = o.offer_id" \
	  " AND p.currency = (SELECT c.currency FROM countries c WHERE c.code = ?2) WHERE o.offer_id = ?1") \
	Q(Q_CURRENCY, 1, "SELECT currency FROM countries WHERE code = ?")
SQL_AREA(offers, QUERIES);

static void
read_offer(struct arena *a, struct db_stmt *st, void *out)
{
	*(struct offer *)out = (struct offer){ .id = db_dup(a, st, 0), .name = db_dup(a, st, 1),
	    .description = db_dup(a, st, 2), .unit = db_dup(a, st, 3), .price_cents = db_i64(st, 4),
	    .currency = db_dup(a, st, 5), .active = db_i64(st, 6) != 0, .subscriptions = db_i64(st, 7) };
}

int
st_offer_get(struct store *s, struct arena *a, const char *id, struct offer *out)
{
	return db_one(a, db_q(s, Q_GET, QT(id)), read_offer, out);
}

int
st_offer_exists(struct store *s, const char *id)
{
	int64_t n = db_int(s, Q_EXISTS, -1, QT(id));
	return n < 0 ? -1 : n > 0;
}

int
st_offers(struct store *s, struct arena *a, bool active_only, struct offer_list *out)
{
	return DB_LIST(s, a, db_q0(s, active_only ? Q_ACTIVE : Q_ALL), DB_ALL, out, read_offer);
}

int
st_offer_upsert(struct store *s, const struct offer *o, int64_t now)
{
	return db_run(s, Q_UPSERT, QT(o->id), QT(o->name), QT(o->description), QT(o->unit), QI(o->price_cents),
	    QT(o->currency), QI(o->active ? 1 : 0), QI(now));
}

int
st_offer_price_set(struct store *s, const char *offer_id, const char *currency, int64_t cents)
{
	return db_run(s, Q_PRICE_SET, QT(offer_id), QT(currency), QI(cents));
}

struct price_out {
	int64_t cents;
	const char *currency;
};

static void
read_price(struct arena *a, struct db_stmt *st, void *out)
{
	struct price_out *p = out;
	p->cents = db_i64(st, 0);
	p->currency = db_dup(a, st, 1);
}

int
st_offer_price_for(struct store *s, struct arena *a, const char *offer_id, const char *country, int64_t *cents,
    const char **currency)
{
	struct price_out p = { 0, NULL };
	int rc = db_one(a, db_q(s, Q_PRICE_FOR, QT(offer_id), QT(country)), read_price, &p);
	*cents = p.cents;
	*currency = p.currency;
	return rc;
}

static void
read_text0(struct arena *a, struct db_stmt *st, void *out)
{
	*(const char **)out = db_dup(a, st, 0);
}

int
st_country_currency(struct store *s, struct arena *a, const char *country, const char **currency)
{
	return db_one(a, db_q(s, Q_CURRENCY, QT(country)), read_text0, currency);
}
