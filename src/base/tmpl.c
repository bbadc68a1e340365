/* tmpl.c — template values, parser and renderer. See tmpl.h for the syntax. */
#include "base/tmpl.h"

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define MAX_DEPTH 24		/* nested sections in one template */
#define MAX_RENDER_DEPTH 16	/* partials within partials */
#define MAX_PATH_SEGS 8

/* ---- values ---- */

struct tv *
tv_new_obj(struct arena *a)
{
	struct tv *v = arena_alloc(a, sizeof(*v));
	if (v != NULL) {
		v->kind = TV_OBJ;
		v->a = a;
	}
	return v;
}

struct tv *
tv_new_list(struct arena *a)
{
	struct tv *v = tv_new_obj(a);
	if (v != NULL)
		v->kind = TV_LIST;
	return v;
}

static int
tv_grow(struct tv *v)
{
	if (v->n < v->cap)
		return 0;
	size_t cap = v->cap ? v->cap * 2 : 8;
	struct tv **items = arena_alloc(v->a, cap * sizeof(*items));
	const char **keys = v->kind == TV_OBJ ? arena_alloc(v->a, cap * sizeof(*keys)) : NULL;
	if (items == NULL || (v->kind == TV_OBJ && keys == NULL))
		return -1;
	if (v->n) {
		memcpy(items, v->items, v->n * sizeof(*items));
		if (keys)
			memcpy(keys, v->keys, v->n * sizeof(*keys));
	}
	v->items = items;
	v->keys = keys;
	v->cap = cap;
	return 0;
}

/* Stores child under key in obj (replacing). Returns child, or NULL. */
static struct tv *
tv_put(struct tv *obj, const char *key, struct tv *child)
{
	if (obj == NULL || obj->kind != TV_OBJ || child == NULL)
		return NULL;
	for (size_t i = 0; i < obj->n; i++)
		if (strcmp(obj->keys[i], key) == 0) {
			obj->items[i] = child;
			return child;
		}
	if (tv_grow(obj) < 0)
		return NULL;
	obj->keys[obj->n] = key;	/* keys are literals or arena strings of the caller */
	obj->items[obj->n++] = child;
	return child;
}

static struct tv *
tv_scalar(struct arena *a, enum tv_kind kind)
{
	struct tv *v = arena_alloc(a, sizeof(*v));
	if (v != NULL) {
		v->kind = kind;
		v->a = a;
	}
	return v;
}

void
tv_set(struct tv *obj, const char *key, const char *s)
{
	if (obj == NULL)
		return;
	struct tv *v = tv_scalar(obj->a, s ? TV_STR : TV_NULL);
	if (v != NULL && s != NULL && (v->s = arena_strdup(obj->a, s)) == NULL)
		return;
	tv_put(obj, arena_strdup(obj->a, key), v);
}

void
tv_setf(struct tv *obj, const char *key, const char *fmt, ...)
{
	if (obj == NULL)
		return;
	va_list ap;
	va_start(ap, fmt);
	char *s = arena_vprintf(obj->a, fmt, ap);
	va_end(ap);
	struct tv *v = tv_scalar(obj->a, TV_STR);
	if (v != NULL && s != NULL) {
		v->s = s;
		tv_put(obj, arena_strdup(obj->a, key), v);
	}
}

void
tv_seti(struct tv *obj, const char *key, long long i)
{
	if (obj == NULL)
		return;
	struct tv *v = tv_scalar(obj->a, TV_INT);
	if (v != NULL) {
		v->i = i;
		tv_put(obj, arena_strdup(obj->a, key), v);
	}
}

void
tv_setb(struct tv *obj, const char *key, bool b)
{
	if (obj == NULL)
		return;
	struct tv *v = tv_scalar(obj->a, TV_BOOL);
	if (v != NULL) {
		v->i = b;
		tv_put(obj, arena_strdup(obj->a, key), v);
	}
}

struct tv *
tv_obj(struct tv *obj, const char *key)
{
	if (obj == NULL)
		return NULL;
	const struct tv *old = tv_get(obj, key);
	if (old != NULL && old->kind == TV_OBJ)
		return (struct tv *)old;
	return tv_put(obj, arena_strdup(obj->a, key), tv_new_obj(obj->a));
}

struct tv *
tv_list(struct tv *obj, const char *key)
{
	if (obj == NULL)
		return NULL;
	const struct tv *old = tv_get(obj, key);
	if (old != NULL && old->kind == TV_LIST)
		return (struct tv *)old;
	return tv_put(obj, arena_strdup(obj->a, key), tv_new_list(obj->a));
}

struct tv *
tv_push(struct tv *list)
{
	if (list == NULL || list->kind != TV_LIST || tv_grow(list) < 0)
		return NULL;
	struct tv *v = tv_new_obj(list->a);
	if (v != NULL)
		list->items[list->n++] = v;
	return v;
}

void
tv_push_str(struct tv *list, const char *s)
{
	if (list == NULL || list->kind != TV_LIST || tv_grow(list) < 0)
		return;
	struct tv *v = tv_scalar(list->a, TV_STR);
	if (v != NULL && (v->s = arena_strdup(list->a, s ? s : "")) != NULL)
		list->items[list->n++] = v;
}

const struct tv *
tv_get(const struct tv *obj, const char *key)
{
	if (obj == NULL || obj->kind != TV_OBJ)
		return NULL;
	for (size_t i = 0; i < obj->n; i++)
		if (strcmp(obj->keys[i], key) == 0)
			return obj->items[i];
	return NULL;
}

const char *
tv_str(const struct tv *obj, const char *key)
{
	const struct tv *v = tv_get(obj, key);
	return v != NULL && v->kind == TV_STR ? v->s : NULL;
}

bool
tv_truthy(const struct tv *v)
{
	if (v == NULL)
		return false;
	switch (v->kind) {
	case TV_NULL: return false;
	case TV_STR: return v->s[0] != '\0';
	case TV_INT: case TV_BOOL: return v->i != 0;
	case TV_LIST: return v->n > 0;
	case TV_OBJ: return true;
	}
	return false;
}

/* ---- parse ---- */

enum node_kind { N_TEXT, N_VAR, N_RAW, N_IF, N_UNLESS, N_EACH, N_WITH, N_PARTIAL, N_YIELD };

struct node {
	enum node_kind kind;
	const char *text;		/* N_TEXT */
	size_t len;
	const char *segs[MAX_PATH_SEGS];	/* N_VAR..N_WITH: the dotted name; {"."} = the scope */
	size_t nsegs;
	const char *partial_name;	/* N_PARTIAL */
	const struct tmpl *partial;
	struct node *body, *alt;	/* sections; alt after {{else}} */
	struct node *next;
	int line;
};

struct tmpl {
	const char *name;
	bool text_mode;
	struct node *root;
	struct tmpl *next;
};

struct frame {
	struct node *section;		/* NULL at top level */
	struct node **tail;		/* where the next node is appended */
	bool in_else;
	int line;
};

static bool
name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	    c == '_' || c == '-' || c == '.' || c == '/' || c == '@';
}

/* Splits "a.b.c" into segments; "." alone means the current scope. */
static int
parse_path(struct arena *a, const char *s, size_t n, struct node *nd)
{
	if (n == 0)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (!name_char(s[i]) || s[i] == '/')
			return -1;
	if (n == 1 && s[0] == '.') {
		nd->segs[0] = ".";
		nd->nsegs = 1;
		return 0;
	}
	size_t start = 0;
	nd->nsegs = 0;
	for (size_t i = 0; i <= n; i++) {
		if (i == n || s[i] == '.') {
			if (i == start || nd->nsegs == MAX_PATH_SEGS)
				return -1;
			nd->segs[nd->nsegs++] = arena_strndup(a, s + start, i - start);
			start = i + 1;
		}
	}
	return 0;
}

static const char *
section_word(enum node_kind k)
{
	switch (k) {
	case N_IF: return "if";
	case N_UNLESS: return "unless";
	case N_EACH: return "each";
	case N_WITH: return "with";
	default: return "?";
	}
}

struct tmpl *
tmpl_parse(struct arena *a, const char *name, const char *text, size_t len, bool text_mode,
    char *err, size_t errlen)
{
	struct tmpl *t = arena_alloc(a, sizeof(*t));
	if (t == NULL) {
		snprintf(err, errlen, "%s: out of memory", name);
		return NULL;
	}
	t->name = arena_strdup(a, name);
	t->text_mode = text_mode;
	struct frame stack[MAX_DEPTH + 1];
	int depth = 0;
	stack[0] = (struct frame){ NULL, &t->root, false, 1 };
	int line = 1;
	size_t i = 0;

#define FAIL(...) do { \
		int k_ = snprintf(err, errlen, "%s:%d: ", name, line); \
		if (k_ > 0 && (size_t)k_ < errlen) snprintf(err + k_, errlen - (size_t)k_, __VA_ARGS__); \
		return NULL; \
	} while (0)
#define APPEND(nd) do { *stack[depth].tail = (nd); stack[depth].tail = &(nd)->next; } while (0)

	while (i < len) {
		const char *open = NULL;
		for (size_t j = i; j + 1 < len; j++)
			if (text[j] == '{' && text[j + 1] == '{') {
				open = text + j;
				break;
			}
		size_t tlen = open ? (size_t)(open - (text + i)) : len - i;
		if (tlen > 0) {
			struct node *nd = arena_alloc(a, sizeof(*nd));
			if (nd == NULL)
				FAIL("out of memory");
			nd->kind = N_TEXT;
			nd->text = text + i;
			nd->len = tlen;
			nd->line = line;
			APPEND(nd);
			for (size_t j = 0; j < tlen; j++)
				line += text[i + j] == '\n';
		}
		if (open == NULL)
			break;
		size_t tag_start = (size_t)(open - text) + 2;
		size_t close = 0;
		bool found = false;
		for (size_t j = tag_start; j + 1 < len; j++) {
			if (text[j] == '}' && text[j + 1] == '}') {
				close = j;
				found = true;
				break;
			}
			if (text[j] == '{' && text[j + 1] == '{')
				break;
		}
		if (!found)
			FAIL("'{{' is never closed by '}}'");
		const char *tag = text + tag_start;
		size_t n = close - tag_start;
		int tag_line = line;
		for (size_t j = 0; j < n; j++)
			line += tag[j] == '\n';
		i = close + 2;
		if (n > 0 && tag[0] == '!')
			continue;
		while (n > 0 && (tag[0] == ' ' || tag[0] == '\n' || tag[0] == '\t')) {
			tag++;
			n--;
		}
		while (n > 0 && (tag[n - 1] == ' ' || tag[n - 1] == '\n' || tag[n - 1] == '\t'))
			n--;
		if (n == 0) {
			line = tag_line;
			FAIL("empty tag '{{}}'");
		}
		struct node *nd = arena_alloc(a, sizeof(*nd));
		if (nd == NULL)
			FAIL("out of memory");
		nd->line = tag_line;

		if (tag[0] == '#') {
			const char *sp = memchr(tag, ' ', n);
			size_t wl = sp ? (size_t)(sp - tag) - 1 : n - 1;
			if (wl == 2 && memcmp(tag + 1, "if", 2) == 0)
				nd->kind = N_IF;
			else if (wl == 6 && memcmp(tag + 1, "unless", 6) == 0)
				nd->kind = N_UNLESS;
			else if (wl == 4 && memcmp(tag + 1, "each", 4) == 0)
				nd->kind = N_EACH;
			else if (wl == 4 && memcmp(tag + 1, "with", 4) == 0)
				nd->kind = N_WITH;
			else {
				line = tag_line;
				FAIL("unknown section '{{%.*s}}'", (int)(n > 40 ? 40 : n), tag);
			}
			const char *arg = sp ? sp + 1 : tag + n;
			size_t alen = (size_t)(tag + n - arg);
			while (alen > 0 && *arg == ' ') {
				arg++;
				alen--;
			}
			if (parse_path(a, arg, alen, nd) < 0) {
				line = tag_line;
				FAIL("'{{#%s}}' needs a name", section_word(nd->kind));
			}
			APPEND(nd);
			if (depth == MAX_DEPTH) {
				line = tag_line;
				FAIL("sections nested too deeply");
			}
			depth++;
			stack[depth] = (struct frame){ nd, &nd->body, false, tag_line };
		} else if (tag[0] == '/') {
			if (depth == 0) {
				line = tag_line;
				FAIL("'{{%.*s}}' closes nothing", (int)(n > 40 ? 40 : n), tag);
			}
			const char *want = section_word(stack[depth].section->kind);
			if (n - 1 != strlen(want) || memcmp(tag + 1, want, n - 1) != 0) {
				line = tag_line;
				FAIL("'{{%.*s}}' does not match '{{#%s}}' opened at line %d",
				    (int)(n > 40 ? 40 : n), tag, want, stack[depth].line);
			}
			depth--;
		} else if (n == 4 && memcmp(tag, "else", 4) == 0) {
			if (depth == 0 || stack[depth].in_else || stack[depth].section->kind == N_WITH) {
				line = tag_line;
				FAIL("'{{else}}' outside an if, unless or each section");
			}
			stack[depth].in_else = true;
			stack[depth].tail = &stack[depth].section->alt;
		} else if (tag[0] == '>') {
			size_t k = 1;
			while (k < n && tag[k] == ' ')
				k++;
			if (k == n) {
				line = tag_line;
				FAIL("'{{>}}' needs a template name");
			}
			for (size_t j = k; j < n; j++)
				if (!name_char(tag[j])) {
					line = tag_line;
					FAIL("bad template name in '{{>'");
				}
			nd->kind = N_PARTIAL;
			nd->partial_name = arena_strndup(a, tag + k, n - k);
			APPEND(nd);
		} else if (n == 5 && memcmp(tag, "yield", 5) == 0) {
			nd->kind = N_YIELD;
			APPEND(nd);
		} else {
			nd->kind = N_VAR;
			if (n > 4 && memcmp(tag, "raw ", 4) == 0) {
				nd->kind = N_RAW;
				tag += 4;
				n -= 4;
				while (n > 0 && *tag == ' ') {
					tag++;
					n--;
				}
			}
			if (parse_path(a, tag, n, nd) < 0) {
				line = tag_line;
				FAIL("bad name '{{%.*s}}'", (int)(n > 40 ? 40 : n), tag);
			}
			APPEND(nd);
		}
	}
	if (depth > 0) {
		line = stack[depth].line;
		FAIL("'{{#%s}}' is never closed", section_word(stack[depth].section->kind));
	}
	return t;
#undef FAIL
#undef APPEND
}

/* ---- sets ---- */

static int
set_add_parsed(struct tmpl_set *set, struct tmpl *t)
{
	t->next = set->first;
	set->first = t;
	set->count++;
	return 0;
}

int
tmpl_set_add(struct tmpl_set *set, const char *name, const char *text, char *err, size_t errlen)
{
	size_t nl = strlen(name);
	bool text_mode = nl > 4 && strcmp(name + nl - 4, ".txt") == 0;
	char *copy = arena_strdup(&set->a, text);
	struct tmpl *t = copy ? tmpl_parse(&set->a, name, copy, strlen(copy), text_mode, err, errlen) : NULL;
	if (t == NULL)
		return -1;
	/* Callers name templates without extension; strip one if given. */
	if (nl > 5 && strcmp(name + nl - 5, ".html") == 0)
		t->name = arena_strndup(&set->a, name, nl - 5);
	else if (text_mode)
		t->name = arena_strndup(&set->a, name, nl - 4);
	return set_add_parsed(set, t);
}

static const struct tmpl *
set_find(const struct tmpl_set *set, const char *name)
{
	for (const struct tmpl *t = set->first; t != NULL; t = t->next)
		if (strcmp(t->name, name) == 0)
			return t;
	return NULL;
}

bool
tmpl_exists(const struct tmpl_set *set, const char *name)
{
	return set_find(set, name) != NULL;
}

static int
link_nodes(const struct tmpl_set *set, const struct tmpl *t, struct node *nd, char *err, size_t errlen)
{
	for (; nd != NULL; nd = nd->next) {
		if (nd->kind == N_PARTIAL) {
			nd->partial = set_find(set, nd->partial_name);
			if (nd->partial == NULL) {
				/* Named as the file the author edits. */
				snprintf(err, errlen, "%s%s:%d: unknown partial '%s'", t->name,
				    t->text_mode ? ".txt" : ".html", nd->line, nd->partial_name);
				return -1;
			}
		}
		if (link_nodes(set, t, nd->body, err, errlen) < 0 || link_nodes(set, t, nd->alt, err, errlen) < 0)
			return -1;
	}
	return 0;
}

int
tmpl_set_link(struct tmpl_set *set, char *err, size_t errlen)
{
	for (struct tmpl *t = set->first; t != NULL; t = t->next)
		if (link_nodes(set, t, t->root, err, errlen) < 0)
			return -1;
	return 0;
}

static int
load_dir(struct tmpl_set *set, const char *root, const char *rel, char *err, size_t errlen)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s%s%s", root, *rel ? "/" : "", rel);
	DIR *d = opendir(path);
	if (d == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	struct dirent *e;
	int rc = 0;
	while (rc == 0 && (e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		char sub[4096], full[4096];
		snprintf(sub, sizeof(sub), "%s%s%s", rel, *rel ? "/" : "", e->d_name);
		snprintf(full, sizeof(full), "%s/%s", root, sub);
		struct stat st;
		if (stat(full, &st) != 0)
			continue;
		if (S_ISDIR(st.st_mode)) {
			rc = load_dir(set, root, sub, err, errlen);
			continue;
		}
		size_t nl = strlen(sub);
		bool html = nl > 5 && strcmp(sub + nl - 5, ".html") == 0;
		bool txt = nl > 4 && strcmp(sub + nl - 4, ".txt") == 0;
		if (!html && !txt)
			continue;
		FILE *f = fopen(full, "rb");
		if (f == NULL || st.st_size > 1 << 20) {
			snprintf(err, errlen, "%s: cannot read", full);
			if (f)
				fclose(f);
			rc = -1;
			break;
		}
		char *text = arena_alloc(&set->a, (size_t)st.st_size + 1);
		size_t got = text ? fread(text, 1, (size_t)st.st_size, f) : 0;
		fclose(f);
		if (text == NULL || got != (size_t)st.st_size) {
			snprintf(err, errlen, "%s: short read", full);
			rc = -1;
			break;
		}
		text[got] = '\0';
		char name[4096];
		snprintf(name, sizeof(name), "%.*s", (int)(nl - (html ? 5 : 4)), sub);
		char perr[512];
		struct tmpl *t = tmpl_parse(&set->a, name, text, got, txt, perr, sizeof(perr));
		if (t == NULL) {
			/* Report the file the author edits, not the template's logical name. */
			const char *colon = strchr(perr, ':');
			snprintf(err, errlen, "%s/%s%s", root, sub, colon ? colon : perr);
			rc = -1;
			break;
		}
		if (set_find(set, t->name) != NULL) {
			snprintf(err, errlen, "%s: a template named '%s' already exists", full, t->name);
			rc = -1;
			break;
		}
		set_add_parsed(set, t);
	}
	closedir(d);
	return rc;
}

int
tmpl_set_load(struct tmpl_set *set, const char *dir, char *err, size_t errlen)
{
	if (load_dir(set, dir, "", err, errlen) < 0)
		return -1;
	char lerr[512];
	if (tmpl_set_link(set, lerr, sizeof(lerr)) < 0) {
		snprintf(err, errlen, "%s/%s", dir, lerr);
		return -1;
	}
	return 0;
}

void
tmpl_set_free(struct tmpl_set *set)
{
	arena_free(&set->a);
	set->first = NULL;
	set->count = 0;
}

/* ---- render ---- */

void
html_escape(struct buf *out, const char *s, size_t n)
{
	size_t run = 0;
	for (size_t i = 0; i < n; i++) {
		const char *rep;
		switch (s[i]) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&#39;"; break;
		default: continue;
		}
		buf_add(out, s + run, i - run);
		buf_puts(out, rep);
		run = i + 1;
	}
	buf_add(out, s + run, n - run);
}

static void
text_escape(struct buf *out, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		buf_putc(out, (c < 0x20 || c == 0x7f) ? ' ' : (char)c);
	}
}

struct scope {
	const struct tv *v[MAX_DEPTH * MAX_RENDER_DEPTH + 2];
	size_t n;
};

static const struct tv *
lookup(const struct scope *sc, const struct node *nd)
{
	if (sc->n == 0)
		return NULL;
	if (strcmp(nd->segs[0], ".") == 0)
		return sc->v[sc->n - 1];
	const struct tv *v = NULL;
	for (size_t k = sc->n; k-- > 0;) {
		v = tv_get(sc->v[k], nd->segs[0]);
		if (v != NULL)
			break;
	}
	for (size_t s = 1; v != NULL && s < nd->nsegs; s++)
		v = tv_get(v, nd->segs[s]);
	return v;
}

struct render {
	const struct tmpl_set *set;
	const struct tmpl *page;
	struct buf *out;
	int depth;
};

static int render_nodes(struct render *rd, const struct tmpl *t, const struct node *nd, struct scope *sc);

static int
render_tmpl(struct render *rd, const struct tmpl *t, struct scope *sc)
{
	if (++rd->depth > MAX_RENDER_DEPTH)
		return -1;
	int rc = render_nodes(rd, t, t->root, sc);
	rd->depth--;
	return rc;
}

static int
push(struct scope *sc, const struct tv *v)
{
	if (sc->n == sizeof(sc->v) / sizeof(sc->v[0]))
		return -1;
	sc->v[sc->n++] = v;
	return 0;
}

static int
render_nodes(struct render *rd, const struct tmpl *t, const struct node *nd, struct scope *sc)
{
	for (; nd != NULL; nd = nd->next) {
		const struct tv *v;
		switch (nd->kind) {
		case N_TEXT:
			buf_add(rd->out, nd->text, nd->len);
			break;
		case N_VAR:
		case N_RAW:
			v = lookup(sc, nd);
			if (v == NULL)
				break;
			if (v->kind == TV_STR) {
				size_t n = strlen(v->s);
				if (nd->kind == N_RAW)
					buf_add(rd->out, v->s, n);
				else if (t->text_mode)
					text_escape(rd->out, v->s, n);
				else
					html_escape(rd->out, v->s, n);
			} else if (v->kind == TV_INT) {
				buf_printf(rd->out, "%lld", v->i);
			} else if (v->kind == TV_BOOL && v->i) {
				buf_puts(rd->out, "true");
			}
			break;
		case N_IF:
		case N_UNLESS: {
			bool yes = tv_truthy(lookup(sc, nd)) == (nd->kind == N_IF);
			if (render_nodes(rd, t, yes ? nd->body : nd->alt, sc) < 0)
				return -1;
			break;
		}
		case N_WITH:
			v = lookup(sc, nd);
			if (!tv_truthy(v))
				break;
			if (push(sc, v) < 0 || render_nodes(rd, t, nd->body, sc) < 0)
				return -1;
			sc->n--;
			break;
		case N_EACH:
			v = lookup(sc, nd);
			if (v == NULL || v->kind != TV_LIST || v->n == 0) {
				if (render_nodes(rd, t, nd->alt, sc) < 0)
					return -1;
				break;
			}
			for (size_t k = 0; k < v->n; k++) {
				if (push(sc, v->items[k]) < 0 || render_nodes(rd, t, nd->body, sc) < 0)
					return -1;
				sc->n--;
			}
			break;
		case N_PARTIAL:
			if (nd->partial == NULL || render_tmpl(rd, nd->partial, sc) < 0)
				return -1;
			break;
		case N_YIELD:
			if (rd->page != NULL && render_tmpl(rd, rd->page, sc) < 0)
				return -1;
			break;
		}
	}
	return 0;
}

int
tmpl_render(const struct tmpl_set *set, const char *name, const char *page, const struct tv *ctx,
    struct buf *out)
{
	const struct tmpl *t = set_find(set, name);
	struct render rd = { set, NULL, out, 0 };
	if (t == NULL)
		return -1;
	if (page != NULL && (rd.page = set_find(set, page)) == NULL)
		return -1;
	struct scope sc;
	sc.n = 0;
	if (ctx != NULL)
		sc.v[sc.n++] = ctx;
	return render_tmpl(&rd, t, &sc);
}
