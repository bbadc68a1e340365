/* numfmt.h — numbers and amounts of money written as the reader's language writes them
 * (issue 18): "1,234" / "1 234"; "1 234,50 zł", "12,50 USD"; "42%" / "42 %".
 *
 * ICU's number formats, not glibc's LC_NUMERIC/LC_MONETARY: ICU is already the portal's
 * (time zones, tz.h), it knows every currency's symbol and digits in every language (glibc's
 * LC_MONETARY of pl_PL knows only the zloty: a price in USD or EUR in Polish would need a
 * hand-written placement of the code), and its formatters take the language as an argument,
 * so nothing depends on the thread's locale object (made with LC_MESSAGES only, i18n.c).
 * Each thread keeps one formatter per language and style, made on first use and freed when
 * the thread ends (no lock). The language is the calling thread's (i18n_use). */
#ifndef NUMFMT_H
#define NUMFMT_H

#include <stdint.h>

#include "base/arena.h"

/* A count with the language's grouping: "1,234" (en), "1 234" (pl, ru, sv). */
char *fmt_count(struct arena *a, long long n);
/* An amount in minor units (cents) of currency (ISO 4217, three letters). English keeps the
 * portal's form "1234.50 USD"; pl, ru, sv ICU's: "1 234,50 zł", "12,50 USD", "12,50 $",
 * "12,50 US$". An unknown currency code: the amount and the code. */
char *fmt_money(struct arena *a, int64_t cents, const char *currency);
/* n of total as a rounded percentage ("42%", "42 %"); "–" when total is 0. */
char *fmt_percent(struct arena *a, long long n, long long total);

/* Frees the calling thread's formatters now (tz_thread_end calls it). */
void numfmt_thread_end(void);

#endif
