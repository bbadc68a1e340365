/* arena.c — see arena.h. */
#include "base/arena.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ARENA_BLOCK 16384
#define ARENA_SPARE 3
#define ALIGN 16

struct arena_block {
	struct arena_block *next;
	size_t size, used;
	_Alignas(ALIGN) unsigned char data[];
};

void
arena_init(struct arena *a, size_t limit)
{
	a->head = NULL;
	a->total = 0;
	a->limit = limit;
	a->spare = NULL;
	a->nspare = 0;
}

static struct arena_block *
block_new(size_t size)
{
	struct arena_block *b = malloc(sizeof(*b) + size);
	if (b == NULL)
		return NULL;
	b->next = NULL;
	b->size = size;
	b->used = 0;
	return b;
}

/* arena_alloc without the zeroing, for memory its caller fills at once (copies, formatted
 * text, a buffer's bytes): issue 17, the zeroing of those was about 7% of the Overview's
 * instructions. */
static void *
alloc_raw(struct arena *a, size_t n)
{
	/* Sizes near SIZE_MAX would wrap in the rounding, the limit check or the block
	 * header; no request needs half the address space. */
	if (n > SIZE_MAX / 2)
		return NULL;
	size_t need = (n + (ALIGN - 1)) & ~(size_t)(ALIGN - 1);
	if (a->limit && (need > a->limit || a->total > a->limit - need))
		return NULL;
	struct arena_block *b = a->head;
	if (b == NULL || b->size - b->used < need) {
		size_t size = need > ARENA_BLOCK ? need : ARENA_BLOCK;
		struct arena_block *nb = a->spare;
		if (nb != NULL && size == ARENA_BLOCK) {
			a->spare = nb->next;
			a->nspare--;
			nb->next = NULL;
			nb->used = 0;
		} else if ((nb = block_new(size)) == NULL) {
			return NULL;
		}
		/* A large one-off allocation goes behind the current block so the current
		 * block's free space is not abandoned. */
		if (b != NULL && need > ARENA_BLOCK) {
			nb->next = b->next;
			b->next = nb;
		} else {
			nb->next = b;
			a->head = nb;
		}
		b = nb;
	}
	void *p = b->data + b->used;
	b->used += need;
	a->total += need;
	return p;
}

void *
arena_alloc(struct arena *a, size_t n)
{
	void *p = alloc_raw(a, n);
	if (p != NULL)
		memset(p, 0, n);
	return p;
}

char *
arena_strndup(struct arena *a, const char *s, size_t n)
{
	if (s == NULL)
		return NULL;
	char *p = alloc_raw(a, n + 1);
	if (p == NULL)
		return NULL;
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *
arena_strdup(struct arena *a, const char *s)
{
	return s == NULL ? NULL : arena_strndup(a, s, strlen(s));
}

char *
arena_vprintf(struct arena *a, const char *fmt, va_list ap)
{
	/* Formatted once, into the head block's free space, when it fits there (issue 17: most
	 * do; before, every string was formatted twice, once to measure it). */
	struct arena_block *b = a->head;
	size_t room = b != NULL ? b->size - b->used : 0;
	va_list ap2;
	va_copy(ap2, ap);
	int n = vsnprintf(room ? (char *)b->data + b->used : NULL, room, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		return NULL;
	/* Room for it, rounded as alloc_raw rounds: alloc_raw then hands out exactly those bytes
	 * (the head block's free space comes first). */
	if ((((size_t)n + 1 + (ALIGN - 1)) & ~(size_t)(ALIGN - 1)) <= room)
		return alloc_raw(a, (size_t)n + 1);
	char *p = alloc_raw(a, (size_t)n + 1);
	if (p != NULL)
		vsnprintf(p, (size_t)n + 1, fmt, ap);
	return p;
}

char *
arena_printf(struct arena *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *p = arena_vprintf(a, fmt, ap);
	va_end(ap);
	return p;
}

void *
arena_grow(struct arena *a, void *p, size_t n, size_t *cap, size_t size, size_t first)
{
	if (n < *cap)
		return p;
	size_t want = *cap ? *cap * 2 : first;
	if (want <= n || want > SIZE_MAX / 2 / size)
		return NULL;
	void *q = arena_alloc(a, want * size);
	if (q == NULL)
		return NULL;
	if (n)
		memcpy(q, p, n * size);
	*cap = want;
	return q;
}

void
arena_reset(struct arena *a)
{
	struct arena_block *keep = NULL, *b = a->head;
	while (b != NULL) {
		struct arena_block *next = b->next;
		/* Keep one standard-size block as the head for the next request, and up to
		 * ARENA_SPARE more for the requests that need more than one (issue 17: a signed-in
		 * page took a fresh 16 KiB block from malloc every time); larger ones go back. */
		if (keep == NULL && b->size == ARENA_BLOCK) {
			keep = b;
		} else if (b->size == ARENA_BLOCK && a->nspare < ARENA_SPARE) {
			b->next = a->spare;
			a->spare = b;
			a->nspare++;
		} else {
			free(b);
		}
		b = next;
	}
	if (keep != NULL) {
		keep->next = NULL;
		keep->used = 0;
	}
	a->head = keep;
	a->total = 0;
}

void
arena_free(struct arena *a)
{
	for (int list = 0; list < 2; list++) {
		struct arena_block *b = list == 0 ? a->head : a->spare;
		while (b != NULL) {
			struct arena_block *next = b->next;
			free(b);
			b = next;
		}
	}
	a->head = NULL;
	a->spare = NULL;
	a->nspare = 0;
	a->total = 0;
}

void
buf_init(struct buf *b, struct arena *a)
{
	b->a = a;
	b->p = NULL;
	b->len = b->cap = 0;
	b->failed = 0;
}

static int
buf_grow(struct buf *b, size_t extra)
{
	if (b->failed)
		return -1;
	if (b->len + extra + 1 <= b->cap)
		return 0;
	size_t cap = b->cap ? b->cap : 256;
	while (cap < b->len + extra + 1)
		cap *= 2;
	/* The buffer is the head block's last allocation (a page's body, usually): it grows where
	 * it is, with no copy and nothing left behind (issue 17). */
	struct arena *a = b->a;
	struct arena_block *h = a->head;
	if (b->p != NULL && h != NULL && b->p + b->cap == (char *)h->data + h->used && cap - b->cap <= h->size - h->used &&
	    (!a->limit || a->total <= a->limit - (cap - b->cap))) {
		h->used += cap - b->cap;
		a->total += cap - b->cap;
		b->cap = cap;
		return 0;
	}
	char *p = alloc_raw(a, cap);
	if (p == NULL) {
		b->failed = 1;
		return -1;
	}
	if (b->len)
		memcpy(p, b->p, b->len);
	b->p = p;
	b->cap = cap;
	return 0;
}

void
buf_add(struct buf *b, const void *p, size_t n)
{
	if (n == 0 && b->p != NULL)
		return;
	if (buf_grow(b, n) < 0)
		return;
	if (n)
		memcpy(b->p + b->len, p, n);
	b->len += n;
	b->p[b->len] = '\0';
}

void
buf_puts(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

void
buf_putc(struct buf *b, char c)
{
	buf_add(b, &c, 1);
}

void
buf_printf(struct buf *b, const char *fmt, ...)
{
	char small[256];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n < sizeof(small)) {
		buf_add(b, small, (size_t)n);
		return;
	}
	if (buf_grow(b, (size_t)n) < 0)
		return;
	va_start(ap, fmt);
	vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}
