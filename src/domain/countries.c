/* countries.c — see countries.h. */
#include "domain/countries.h"

int
country_get(struct store *s, struct arena *a, const char *code, struct country *out)
{
	return code != NULL ? st_country_get(s, a, code, out) : 0;
}

int
countries_all(struct store *s, struct arena *a, struct country_list *out)
{
	return st_countries(s, a, out);
}
