/* arena.h — per-request memory: bump allocation from chained blocks, freed at once.
 *
 * Every request owns one arena; everything a handler allocates comes from it and is
 * released by arena_reset() when the request ends. The first block is kept across
 * resets so that a steady-state request allocates nothing from malloc. */
#ifndef ARENA_H
#define ARENA_H

#include <stdarg.h>
#include <stddef.h>

struct arena_block;

struct arena {
	struct arena_block *head;	/* current block, newest first */
	size_t total;			/* bytes handed out since the last reset */
	size_t limit;			/* 0 = unlimited; otherwise allocation fails past it */
	struct arena_block *spare;	/* standard blocks kept by arena_reset for the next use */
	int nspare;			/* how many */
};

void arena_init(struct arena *a, size_t limit);
/* Returns zeroed memory aligned for any type, or NULL past the limit / out of memory. */
void *arena_alloc(struct arena *a, size_t n);
/* Duplicates s (NULL stays NULL). */
char *arena_strdup(struct arena *a, const char *s);
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_printf(struct arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
char *arena_vprintf(struct arena *a, const char *fmt, va_list ap);
/* Room for one more element in an arena array: returns p itself while n < *cap, else a copy
 * of its n elements (of size bytes) in a block twice as large (first when *cap is 0), with
 * *cap updated; NULL when out of memory. */
void *arena_grow(struct arena *a, void *p, size_t n, size_t *cap, size_t size, size_t first);
/* Frees everything but the first block. */
void arena_reset(struct arena *a);
/* Frees everything. */
void arena_free(struct arena *a);

/* A growable byte string inside an arena. Always NUL-terminated after any append. */
struct buf {
	struct arena *a;
	char *p;
	size_t len, cap;
	int failed;			/* an allocation failed; contents are truncated */
};

void buf_init(struct buf *b, struct arena *a);
void buf_add(struct buf *b, const void *p, size_t n);
void buf_puts(struct buf *b, const char *s);
void buf_putc(struct buf *b, char c);
void buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
