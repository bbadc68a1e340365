/* test_arena.c — the request arena and its growable strings (arena.c). */
#include "unit.h"

#include <stdint.h>

START_TEST(small_allocations_aligned_and_zeroed)
{
	for (size_t n = 0; n < 200; n++) {
		unsigned char *p = arena_alloc(&A, n);
		ck_assert_ptr_nonnull(p);
		ck_assert_uint_eq((uintptr_t)p % 16, 0);
		for (size_t i = 0; i < n; i++)
			ck_assert_uint_eq(p[i], 0);
		memset(p, 0xab, n);
	}
	ck_assert_str_eq(arena_strdup(&A, "hello"), "hello");
	ck_assert_ptr_null(arena_strdup(&A, NULL));
	ck_assert_str_eq(arena_strndup(&A, "hello world", 5), "hello");
	ck_assert_str_eq(arena_printf(&A, "%s-%d-%05.1f", "x", 42, 3.14159), "x-42-003.1");
}
END_TEST

START_TEST(large_allocations)
{
	/* Bigger than a block, interleaved with small ones: every pointer stays usable. */
	char *small1 = arena_strdup(&A, "before");
	char *big = arena_alloc(&A, 1 << 20);
	ck_assert_ptr_nonnull(big);
	memset(big, 'b', 1 << 20);
	char *small2 = arena_strdup(&A, "after");
	char *big2 = arena_alloc(&A, 100000);
	ck_assert_ptr_nonnull(big2);
	memset(big2, 'c', 100000);
	ck_assert_str_eq(small1, "before");
	ck_assert_str_eq(small2, "after");
	ck_assert_int_eq(big[0], 'b');
	ck_assert_int_eq(big[(1 << 20) - 1], 'b');
	/* Many allocations across many blocks. */
	char *ptrs[2000];
	for (int i = 0; i < 2000; i++)
		ptrs[i] = arena_printf(&A, "item %d", i);
	for (int i = 0; i < 2000; i++) {
		char want[32];
		snprintf(want, sizeof(want), "item %d", i);
		ck_assert_str_eq(ptrs[i], want);
	}
	ck_assert_uint_ge(A.total, (1 << 20) + 100000);
	/* Impossible sizes fail cleanly instead of wrapping around. */
	ck_assert_ptr_null(arena_alloc(&A, SIZE_MAX));
	ck_assert_ptr_null(arena_alloc(&A, SIZE_MAX - 8));
	ck_assert_ptr_null(arena_alloc(&A, SIZE_MAX - 100));
	ck_assert_ptr_null(arena_alloc(&A, SIZE_MAX - 40));
	ck_assert_ptr_null(arena_alloc(&A, SIZE_MAX / 2 + 1));
	ck_assert_str_eq(arena_strdup(&A, "still fine"), "still fine");
}
END_TEST

START_TEST(reset_keeps_working)
{
	for (int round = 0; round < 50; round++) {
		for (int i = 0; i < 100; i++)
			ck_assert_ptr_nonnull(arena_printf(&A, "round %d item %d", round, i));
		ck_assert_ptr_nonnull(arena_alloc(&A, 50000));
		char *p = arena_alloc(&A, 64);
		ck_assert_ptr_nonnull(p);
		for (int i = 0; i < 64; i++)
			ck_assert_int_eq(p[i], 0);	/* reused memory is zeroed again */
		memset(p, 0xff, 64);
		arena_reset(&A);
		ck_assert_uint_eq(A.total, 0);
	}
	/* After a reset one standard block is kept for the next request. */
	ck_assert_ptr_nonnull(A.head);
	char *p = arena_strdup(&A, "again");
	ck_assert_str_eq(p, "again");
	arena_reset(&A);
	arena_reset(&A);		/* twice is harmless */
	ck_assert_str_eq(arena_strdup(&A, "x"), "x");
	/* Free, then use again from nothing. */
	arena_free(&A);
	ck_assert_ptr_null(A.head);
	ck_assert_str_eq(arena_strdup(&A, "reborn"), "reborn");
}
END_TEST

/* Issue 17: a request that needs several standard blocks gets them from the previous
 * request's (kept by arena_reset, at most three beside the head) instead of malloc; larger
 * one-off blocks are freed; arena_free frees the spares too (the leak check of make asan). */
START_TEST(reset_keeps_spare_blocks)
{
	for (int i = 0; i < 5; i++)
		ck_assert_ptr_nonnull(arena_alloc(&A, 10000));	/* one standard block each */
	ck_assert_ptr_nonnull(arena_alloc(&A, 100000));		/* a large one */
	arena_reset(&A);
	ck_assert_int_eq(A.nspare, 3);
	ck_assert_ptr_nonnull(A.head);
	char *p = arena_alloc(&A, 10000);
	ck_assert_ptr_nonnull(p);
	ck_assert_ptr_nonnull(arena_alloc(&A, 10000));		/* the second block: a spare */
	ck_assert_int_eq(A.nspare, 2);
	for (int i = 0; i < 10000; i++)
		ck_assert_int_eq(p[i], 0);
	arena_reset(&A);
	ck_assert_int_eq(A.nspare, 3);
	arena_free(&A);
	ck_assert_ptr_null(A.spare);
	ck_assert_ptr_null(A.head);
}
END_TEST

START_TEST(limit_enforced)
{
	struct arena lim;
	arena_init(&lim, 4096);
	ck_assert_ptr_nonnull(arena_alloc(&lim, 4000));
	ck_assert_ptr_null(arena_alloc(&lim, 200));
	ck_assert_ptr_nonnull(arena_alloc(&lim, 64));		/* what still fits */
	ck_assert_ptr_null(arena_alloc(&lim, SIZE_MAX - 8));	/* no wrap-around past the limit */
	ck_assert_ptr_null(arena_alloc(&lim, SIZE_MAX - 4096));
	ck_assert_ptr_null(arena_alloc(&lim, SIZE_MAX - 40));
	ck_assert_uint_le(lim.total, 4096);
	ck_assert_ptr_null(arena_printf(&lim, "%5000s", "x"));
	/* A reset gives the budget back. */
	arena_reset(&lim);
	ck_assert_ptr_nonnull(arena_alloc(&lim, 4096));
	ck_assert_ptr_null(arena_alloc(&lim, 1));
	arena_free(&lim);

	/* A buffer growing past the limit marks itself failed and stays a valid string. */
	arena_init(&lim, 2048);
	struct buf b;
	buf_init(&b, &lim);
	for (int i = 0; i < 1000; i++)
		buf_puts(&b, "0123456789");
	ck_assert(b.failed);
	ck_assert_uint_lt(b.len, 2048);
	ck_assert_uint_eq(strlen(b.p), b.len);
	arena_free(&lim);
}
END_TEST

START_TEST(array_growth)
{
	struct arena g;
	arena_init(&g, 0);
	int *v = NULL;
	size_t cap = 0;
	for (size_t n = 0; n < 1000; n++) {
		int *w = arena_grow(&g, v, n, &cap, sizeof(*v), 4);
		ck_assert_ptr_nonnull(w);
		ck_assert(cap > n);
		if (n < 4 || (n & (n - 1)) != 0)	/* copies only when full: 4, 8, 16, ... */
			ck_assert(n == 0 || w == v);
		v = w;
		v[n] = (int)n;
	}
	ck_assert_uint_eq(cap, 1024);
	for (int n = 0; n < 1000; n++)
		ck_assert_int_eq(v[n], n);
	/* Past what an arena with a limit may give: NULL, nothing changed. */
	struct arena small;
	arena_init(&small, 64);
	size_t c2 = 0;
	ck_assert_ptr_null(arena_grow(&small, NULL, 0, &c2, 1024, 4));
	ck_assert_uint_eq(c2, 0);
	arena_free(&small);
	arena_free(&g);
}
END_TEST

START_TEST(buf_growth)
{
	struct buf b;
	buf_init(&b, &A);
	ck_assert_ptr_null(b.p);
	buf_add(&b, "", 0);
	ck_assert_ptr_nonnull(b.p);
	ck_assert_str_eq(b.p, "");
	for (int i = 0; i < 10000; i++)
		buf_putc(&b, (char)('a' + i % 26));
	ck_assert_uint_eq(b.len, 10000);
	ck_assert_uint_eq(strlen(b.p), 10000);
	ck_assert_int_eq(b.p[9999], 'a' + 9999 % 26);
	ck_assert(!b.failed);
	/* buf_printf: short and longer than its internal 256-byte buffer. */
	struct buf c;
	buf_init(&c, &A);
	buf_printf(&c, "%d-%s", 7, "x");
	char longs[1000];
	memset(longs, 'L', sizeof(longs) - 1);
	longs[sizeof(longs) - 1] = '\0';
	buf_printf(&c, "[%s]", longs);
	ck_assert_uint_eq(c.len, 3 + 1001);
	ck_assert_uint_eq(strlen(c.p), c.len);
	ck_assert(str_has_prefix(c.p, "7-x[LLL"));
	ck_assert_int_eq(c.p[c.len - 1], ']');
	/* Binary data with NUL bytes keeps its length. */
	struct buf d;
	buf_init(&d, &A);
	buf_add(&d, "a\0b", 3);
	ck_assert_uint_eq(d.len, 3);
	ck_assert(memcmp(d.p, "a\0b", 4) == 0);
}
END_TEST

/* Issue 17: arena_printf formats into the head block's free space when the text fits there,
 * and a buffer that is the head block's last allocation grows where it is. Every length
 * around a block's end, with other allocations in between: the strings stay whole and apart. */
START_TEST(printf_and_buf_in_place)
{
	char want[600];
	for (size_t fill = 16300; fill < 16400; fill += 16) {
		arena_reset(&A);
		arena_alloc(&A, fill);
		for (size_t len = 1; len < sizeof(want); len += 37) {
			memset(want, 'a' + (int)(len % 26), len);
			want[len] = '\0';
			char *p = arena_printf(&A, "%s", want);
			char *q = arena_strdup(&A, "next");
			ck_assert_str_eq(p, want);
			ck_assert_str_eq(q, "next");
		}
	}
	arena_reset(&A);
	struct buf b;
	buf_init(&b, &A);
	buf_puts(&b, "x");
	char *before = b.p;
	for (int i = 0; i < 2000; i++)
		buf_putc(&b, 'y');
	ck_assert_ptr_eq(b.p, before);	/* grown in place: nothing else was allocated */
	char *other = arena_strdup(&A, "other");
	for (int i = 0; i < 30000; i++)
		buf_putc(&b, 'z');
	ck_assert_str_eq(other, "other");
	ck_assert_uint_eq(b.len, 32001);
	ck_assert_uint_eq(strlen(b.p), 32001);
	ck_assert_int_eq(b.p[0], 'x');
	ck_assert_int_eq(b.p[2000], 'y');
	ck_assert_int_eq(b.p[32000], 'z');
	ck_assert(!b.failed);
}
END_TEST

UNIT_MAIN("arena",
	unit_case("arena", unit_setup, unit_teardown, UNIT_TESTS(small_allocations_aligned_and_zeroed,
	    large_allocations, reset_keeps_working, reset_keeps_spare_blocks, limit_enforced, buf_growth, array_growth,
	    printf_and_buf_in_place)))
