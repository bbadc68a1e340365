/* fuzz_tmpl.c — the template parser (tmpl_parse) and, when a template parses and links,
 * the renderer with a small context, inside a layout and with partials.
 * Input: one byte of options (bit 0: text mode), then the template text.
 * Invariants: a refusal names the template and a line ("f:N: message"); rendering never
 * crashes, and a .html render never writes a value's '<' unescaped. */
#include <string.h>

#include "fuzz.h"
#include "base/tmpl.h"

#define HOSTILE "<script>'\"&</script>"

static struct tv *
context(struct arena *a)
{
	struct tv *c = tv_new_obj(a);
	tv_set(c, "x", HOSTILE);
	tv_set(c, "s", "plain");
	tv_set(c, "e", "");
	tv_seti(c, "n", 42);
	tv_seti(c, "z", 0);
	tv_setb(c, "t", true);
	tv_setb(c, "f", false);
	tv_set(c, "null", NULL);
	struct tv *o = tv_obj(c, "o");
	tv_set(tv_obj(o, "a"), "b", "deep");
	tv_set(o, "x", "inner");
	struct tv *two = tv_list(c, "l");
	struct tv *i1 = tv_push(two);
	tv_set(i1, "x", "first");
	tv_push_str(tv_list(i1, "l"), "nested");
	tv_push_str(two, "second");
	tv_list(c, "empty");
	/* A list of lists, for {{#each .}}. */
	struct tv *ll = tv_list(c, "ll");
	struct tv *inner = tv_new_list(a);
	tv_push_str(inner, "a");
	struct tv *slot = tv_push(ll);
	if (slot != NULL && inner != NULL)
		ll->items[ll->n - 1] = inner;
	return c;
}

/* Nested loops multiply: keep inputs whose worst case is bounded. */
static size_t
count(const char *s, size_t n, const char *word)
{
	size_t k = 0, wl = strlen(word);
	for (size_t i = 0; i + wl <= n; i++)
		if (memcmp(s + i, word, wl) == 0)
			k++;
	return k;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct arena a;
	static int ready;
	if (!ready) {
		arena_init(&a, 16u << 20);
		ready = 1;
	}
	if (size < 1)
		return 0;
	bool text_mode = data[0] & 1;
	const char *text = (const char *)data + 1;
	size_t len = size - 1;
	char err[512];

	/* The parser straight on the bytes (not NUL-terminated: overreads are caught). */
	err[0] = '\0';
	struct tmpl *t = tmpl_parse(&a, "f", text, len, text_mode, err, sizeof(err));
	if (t == NULL) {
		FUZZ_CHECK(strncmp(err, "f:", 2) == 0);
		size_t d = strspn(err + 2, "0123456789");
		FUZZ_CHECK(d > 0 && err[2 + d] == ':' && err[3 + d] == ' ');
		arena_reset(&a);
		return 0;
	}
	if (memchr(text, '\0', len) != NULL || count(text, len, "#each") > 10) {
		arena_reset(&a);
		return 0;
	}

	/* The same text in a set with a layout and partials, rendered. */
	struct tmpl_set set;
	memset(&set, 0, sizeof(set));
	char *copy = arena_strndup(&a, text, len);
	const char *name = text_mode ? "f.txt" : "f.html";
	if (copy != NULL &&
	    tmpl_set_add(&set, name, copy, err, sizeof(err)) == 0 &&
	    tmpl_set_add(&set, "layout.html", "<main>{{yield}}</main>{{> p}}", err, sizeof(err)) == 0 &&
	    tmpl_set_add(&set, "p.html", "<{{x}}|{{#each l}}{{.}}{{/each}}>", err, sizeof(err)) == 0 &&
	    tmpl_set_add(&set, "q.html", "{{> f}}", err, sizeof(err)) == 0) {
		if (tmpl_set_link(&set, err, sizeof(err)) == 0) {
			struct arena out;
			arena_init(&out, 4u << 20);
			struct tv *c = context(&out);
			struct buf b;
			buf_init(&b, &out);
			int rc = tmpl_render(&set, "f", NULL, c, &b);
			FUZZ_CHECK(rc == 0 || rc == -1);
			/* Values are escaped: a .html template with no '<' of its own, no raw output and
			 * no partials can only write '<' by leaking the hostile value. */
			if (rc == 0 && !text_mode && b.p != NULL && memchr(copy, '<', len) == NULL &&
			    strstr(copy, "raw") == NULL && memchr(copy, '>', len) == NULL)
				FUZZ_CHECK(strchr(b.p, '<') == NULL);
			buf_init(&b, &out);
			(void)tmpl_render(&set, "layout", "f", c, &b);
			buf_init(&b, &out);
			(void)tmpl_render(&set, "q", NULL, c, &b);
			arena_free(&out);
		} else {
			FUZZ_CHECK(strstr(err, "unknown partial") != NULL);
		}
	}
	tmpl_set_free(&set);
	arena_reset(&a);
	return 0;
}
