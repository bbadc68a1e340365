/* tmpl.c — template values, parser and renderer. See tmpl.h for the syntax. */
#include "base/tmpl.h"

#include "base/i18n.h"

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
		if (obj->keys[i][0] == key[0] && strcmp(obj->keys[i], key) == 0) {	/* first byte: most keys differ there */
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
		if (obj->keys[i][0] == key[0] && strcmp(obj->keys[i], key) == 0)
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

enum node_kind { N_TEXT, N_VAR, N_RAW, N_IF, N_UNLESS, N_EACH, N_WITH, N_PARTIAL, N_YIELD, N_TR };

struct node {
	enum node_kind kind;
	const char *text;		/* N_TEXT */
	size_t len;
	const char *segs[MAX_PATH_SEGS];	/* N_VAR..N_WITH: the dotted name; {"."} = the scope */
	size_t nsegs;
	const char *partial_name;	/* N_PARTIAL */
	const char *msgid, *plural;	/* N_TR: the message id, its plural (NULL: none); segs: the count */
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

/* The parser's state: where it is in the text, and the open sections. */
struct parser {
	struct arena *a;
	const char *name, *text;
	size_t len, i;
	int line;
	struct frame stack[MAX_DEPTH + 1];
	int depth;
	char *err;
	size_t errlen;
};

/* "name:line: message" into the error buffer; returns -1. */
static int
fail(struct parser *p, int line, const char *fmt, ...)
{
	int k = snprintf(p->err, p->errlen, "%s:%d: ", p->name, line);
	if (k > 0 && (size_t)k < p->errlen) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(p->err + k, p->errlen - (size_t)k, fmt, ap);
		va_end(ap);
	}
	return -1;
}

static struct node *
new_node(struct parser *p, enum node_kind kind, int line)
{
	struct node *nd = arena_alloc(p->a, sizeof(*nd));
	if (nd != NULL) {
		nd->kind = kind;
		nd->line = line;
	}
	return nd;
}

/* Appends nd to the innermost open section (or the top level). */
static void
append(struct parser *p, struct node *nd)
{
	*p->stack[p->depth].tail = nd;
	p->stack[p->depth].tail = &nd->next;
}

/* Text up to the next "{{" (or the end) as a text node. */
static int
add_text(struct parser *p, size_t tlen)
{
	struct node *nd = new_node(p, N_TEXT, p->line);
	if (nd == NULL)
		return fail(p, p->line, "out of memory");
	nd->text = p->text + p->i;
	nd->len = tlen;
	append(p, nd);
	for (size_t j = 0; j < tlen; j++)
		p->line += p->text[p->i + j] == '\n';
	p->i += tlen;
	return 0;
}

/* Reads the tag that starts at p->i ("{{ ... }}"): *tag and *n its trimmed inside, *line
 * where it starts. 0 for a tag, 1 for a comment ("{{! ...}}"), -1 on error. */
static int
read_tag(struct parser *p, const char **tag, size_t *n, int *line)
{
	size_t start = p->i + 2, close = 0;
	bool found = false;
	for (size_t j = start; j + 1 < p->len; j++) {
		if (p->text[j] == '}' && p->text[j + 1] == '}') {
			close = j;
			found = true;
			break;
		}
		if (p->text[j] == '{' && p->text[j + 1] == '{')
			break;
	}
	if (!found)
		return fail(p, p->line, "'{{' is never closed by '}}'");
	const char *t = p->text + start;
	size_t len = close - start;
	*line = p->line;
	for (size_t j = 0; j < len; j++)
		p->line += t[j] == '\n';
	p->i = close + 2;
	if (len > 0 && t[0] == '!')
		return 1;
	while (len > 0 && (t[0] == ' ' || t[0] == '\n' || t[0] == '\t')) {
		t++;
		len--;
	}
	while (len > 0 && (t[len - 1] == ' ' || t[len - 1] == '\n' || t[len - 1] == '\t'))
		len--;
	if (len == 0)
		return fail(p, *line, "empty tag '{{}}'");
	*tag = t;
	*n = len;
	return 0;
}

/* At most 40 characters of a tag, for messages. */
#define SHOWN(n) ((int)((n) > 40 ? 40 : (n)))

/* {{#if x}}, {{#unless x}}, {{#each x}}, {{#with x}}. */
static int
open_section(struct parser *p, const char *tag, size_t n, int line)
{
	static const struct { const char *word; enum node_kind kind; } sections[] = {
		{ "if", N_IF }, { "unless", N_UNLESS }, { "each", N_EACH }, { "with", N_WITH },
	};
	const char *sp = memchr(tag, ' ', n);
	size_t wl = sp ? (size_t)(sp - tag) - 1 : n - 1;
	struct node *nd = NULL;
	for (size_t k = 0; k < sizeof(sections) / sizeof(sections[0]); k++)
		if (wl == strlen(sections[k].word) && memcmp(tag + 1, sections[k].word, wl) == 0)
			nd = new_node(p, sections[k].kind, line);
	if (nd == NULL)
		return fail(p, line, "unknown section '{{%.*s}}'", SHOWN(n), tag);
	const char *arg = sp ? sp + 1 : tag + n;
	size_t alen = (size_t)(tag + n - arg);
	while (alen > 0 && *arg == ' ') {
		arg++;
		alen--;
	}
	if (parse_path(p->a, arg, alen, nd) < 0)
		return fail(p, line, "'{{#%s}}' needs a name", section_word(nd->kind));
	append(p, nd);
	if (p->depth == MAX_DEPTH)
		return fail(p, line, "sections nested too deeply");
	p->depth++;
	p->stack[p->depth] = (struct frame){ nd, &nd->body, false, line };
	return 0;
}

/* {{/if}} and the others: must close the innermost open section. */
static int
close_section(struct parser *p, const char *tag, size_t n, int line)
{
	if (p->depth == 0)
		return fail(p, line, "'{{%.*s}}' closes nothing", SHOWN(n), tag);
	const char *want = section_word(p->stack[p->depth].section->kind);
	if (n - 1 != strlen(want) || memcmp(tag + 1, want, n - 1) != 0)
		return fail(p, line, "'{{%.*s}}' does not match '{{#%s}}' opened at line %d", SHOWN(n), tag, want,
		    p->stack[p->depth].line);
	p->depth--;
	return 0;
}

static int
else_branch(struct parser *p, int line)
{
	struct frame *f = &p->stack[p->depth];
	if (p->depth == 0 || f->in_else || f->section->kind == N_WITH)
		return fail(p, line, "'{{else}}' outside an if, unless or each section");
	f->in_else = true;
	f->tail = &f->section->alt;
	return 0;
}

/* {{> name}}: another template of the set, linked after loading. */
static int
add_partial(struct parser *p, const char *tag, size_t n, int line)
{
	size_t k = 1;
	while (k < n && tag[k] == ' ')
		k++;
	if (k == n)
		return fail(p, line, "'{{>}}' needs a template name");
	for (size_t j = k; j < n; j++)
		if (!name_char(tag[j]))
			return fail(p, line, "bad template name in '{{>'");
	struct node *nd = new_node(p, N_PARTIAL, line);
	if (nd == NULL)
		return fail(p, line, "out of memory");
	nd->partial_name = arena_strndup(p->a, tag + k, n - k);
	append(p, nd);
	return 0;
}

/* {{name}} (escaped) or {{raw name}}. */
static int
add_var(struct parser *p, const char *tag, size_t n, int line)
{
	struct node *nd = new_node(p, N_VAR, line);
	if (nd == NULL)
		return fail(p, line, "out of memory");
	if (n > 4 && memcmp(tag, "raw ", 4) == 0) {
		nd->kind = N_RAW;
		tag += 4;
		n -= 4;
		while (n > 0 && *tag == ' ') {
			tag++;
			n--;
		}
	}
	if (parse_path(p->a, tag, n, nd) < 0)
		return fail(p, line, "bad name '{{%.*s}}'", SHOWN(n), tag);
	append(p, nd);
	return 0;
}

/* A quoted message id at tag[*k] ("..." with no quote inside): its words with every run of
 * white space made one space (a template may wrap a long sentence), into the arena. Every
 * "{" must open a placeholder "{name}" (a name as in {{name}}). NULL on error. */
static const char *
read_msgid(struct parser *p, const char *tag, size_t n, size_t *k)
{
	while (*k < n && (tag[*k] == ' ' || tag[*k] == '\t' || tag[*k] == '\n'))
		(*k)++;
	if (*k == n || tag[*k] != '"')
		return NULL;
	const char *start = tag + *k + 1, *end = memchr(start, '"', n - *k - 1);
	if (end == NULL)
		return NULL;
	*k = (size_t)(end - tag) + 1;
	char *out = arena_alloc(p->a, (size_t)(end - start) + 1);
	if (out == NULL)
		return NULL;
	size_t o = 0;
	for (const char *c = start; c < end; c++) {
		bool ws = *c == ' ' || *c == '\t' || *c == '\n' || *c == '\r';
		if (ws && (o == 0 || out[o - 1] == ' '))
			continue;
		out[o++] = ws ? ' ' : *c;
	}
	while (o > 0 && out[o - 1] == ' ')
		o--;
	out[o] = '\0';
	if (o == 0)
		return NULL;
	for (const char *c = out; (c = strchr(c, '{')) != NULL; c++) {
		const char *close = strchr(c, '}');
		struct node probe;
		if (close == NULL || parse_path(p->a, c + 1, (size_t)(close - c - 1), &probe) < 0)
			return NULL;
	}
	return out;
}

/* {{_ "Sign in"}} and {{_n "{n} reseller" "{n} resellers" n}} (issue 18): a sentence in the
 * request's language (gettext), its placeholders {name} filled from the scope, escaped. */
static int
add_tr(struct parser *p, const char *tag, size_t n, int line)
{
	struct node *nd = new_node(p, N_TR, line);
	if (nd == NULL)
		return fail(p, line, "out of memory");
	bool plural = n > 2 && tag[1] == 'n';
	size_t k = plural ? 2 : 1;
	if ((nd->msgid = read_msgid(p, tag, n, &k)) == NULL)
		return fail(p, line, "'{{%.*s}}': a translated text is \"...\" with no quote inside, not empty, and every { starts a {name}", SHOWN(n), tag);
	if (plural) {
		if ((nd->plural = read_msgid(p, tag, n, &k)) == NULL)
			return fail(p, line, "'{{_n}}' needs two texts, \"one\" \"many\", then the count's name");
		while (k < n && tag[k] == ' ')
			k++;
		if (parse_path(p->a, tag + k, n - k, nd) < 0)
			return fail(p, line, "'{{_n}}' needs the count's name after its two texts");
	} else {
		while (k < n && tag[k] == ' ')
			k++;
		if (k != n)
			return fail(p, line, "'{{_ \"...\"}}' takes one text (a plural is {{_n \"one\" \"many\" count}})");
	}
	append(p, nd);
	return 0;
}

static int
parse_tag(struct parser *p, const char *tag, size_t n, int line)
{
	if (n > 2 && tag[0] == '_' && (tag[1] == ' ' || (tag[1] == 'n' && tag[2] == ' ')))
		return add_tr(p, tag, n, line);
	if (tag[0] == '#')
		return open_section(p, tag, n, line);
	if (tag[0] == '/')
		return close_section(p, tag, n, line);
	if (n == 4 && memcmp(tag, "else", 4) == 0)
		return else_branch(p, line);
	if (tag[0] == '>')
		return add_partial(p, tag, n, line);
	if (n == 5 && memcmp(tag, "yield", 5) == 0) {
		struct node *nd = new_node(p, N_YIELD, line);
		if (nd == NULL)
			return fail(p, line, "out of memory");
		append(p, nd);
		return 0;
	}
	return add_var(p, tag, n, line);
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
	struct parser p = { .a = a, .name = name, .text = text, .len = len, .line = 1, .err = err, .errlen = errlen };
	p.stack[0] = (struct frame){ NULL, &t->root, false, 1 };
	while (p.i < len) {
		const char *open = NULL;
		for (size_t j = p.i; j + 1 < len; j++)
			if (text[j] == '{' && text[j + 1] == '{') {
				open = text + j;
				break;
			}
		size_t tlen = open ? (size_t)(open - (text + p.i)) : len - p.i;
		if (tlen > 0 && add_text(&p, tlen) < 0)
			return NULL;
		if (open == NULL)
			break;
		const char *tag = NULL;
		size_t n = 0;
		int line = 0, rc = read_tag(&p, &tag, &n, &line);
		if (rc < 0 || (rc == 0 && parse_tag(&p, tag, n, line) < 0))
			return NULL;
	}
	if (p.depth > 0) {
		fail(&p, p.stack[p.depth].line, "'{{#%s}}' is never closed", section_word(p.stack[p.depth].section->kind));
		return NULL;
	}
	return t;
}

/* ---- sets ---- */

static int
set_add_parsed(struct tmpl_set *set, struct tmpl *t)
{
	t->next = set->first;
	set->first = t;
	set->count++;
	set->index = NULL;	/* tmpl_set_link builds it again */
	return 0;
}

static size_t
name_hash(const char *s)
{
	size_t h = 2166136261u;	/* FNV-1a */
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

/* The index of the set's templates by name (struct tmpl_set): a table at most half full,
 * probed linearly. -1 when out of memory (set_find then scans the list). */
static int
set_index(struct tmpl_set *set)
{
	size_t n = 16;
	while (n < set->count * 2)
		n *= 2;
	const struct tmpl **ix = arena_alloc(&set->a, n * sizeof(*ix));
	if (ix == NULL)
		return -1;
	memset(ix, 0, n * sizeof(*ix));
	for (const struct tmpl *t = set->first; t != NULL; t = t->next) {
		size_t i = name_hash(t->name) & (n - 1);
		while (ix[i] != NULL)
			i = (i + 1) & (n - 1);
		ix[i] = t;
	}
	set->index = ix;
	set->index_mask = n - 1;
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
	if (set->index != NULL) {
		for (size_t i = name_hash(name) & set->index_mask; set->index[i] != NULL; i = (i + 1) & set->index_mask)
			if (strcmp(set->index[i]->name, name) == 0)
				return set->index[i];
		return NULL;
	}
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
	if (set->index == NULL && set_index(set) < 0) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
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
	set->index = NULL;
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

/* A value as {{name}} writes it: escaped for the template's kind. */
static void
put_value(struct buf *out, const struct tv *v, bool raw, bool text_mode)
{
	if (v == NULL)
		return;
	if (v->kind == TV_STR) {
		size_t n = strlen(v->s);
		if (raw)
			buf_add(out, v->s, n);
		else if (text_mode)
			text_escape(out, v->s, n);
		else
			html_escape(out, v->s, n);
	} else if (v->kind == TV_INT) {
		buf_printf(out, "%lld", v->i);
	} else if (v->kind == TV_BOOL && v->i) {
		buf_puts(out, "true");
	}
}

/* {{_ ...}}: the message in the thread's language (base/i18n.h), its own text escaped like
 * a value, each {name} the value of name in scope, escaped; a "{" that opens no name (a
 * translator's slip) is written as it is. */
static void
render_tr(struct render *rd, const struct tmpl *t, const struct node *nd, const struct scope *sc)
{
	const char *s = nd->msgid;
	if (nd->plural != NULL) {
		const struct tv *c = lookup(sc, nd);
		long long count = c != NULL && (c->kind == TV_INT || c->kind == TV_BOOL) ? c->i
		    : c != NULL && c->kind == TV_STR ? strtoll(c->s, NULL, 10) : 0;
		s = ngettext(nd->msgid, nd->plural, (unsigned long)(count < 0 ? -count : count));
	} else {
		s = i18n_gettext(nd->msgid);
	}
	void (*esc)(struct buf *, const char *, size_t) = t->text_mode ? text_escape : html_escape;
	for (;;) {
		const char *open = strchr(s, '{'), *close = open ? strchr(open, '}') : NULL;
		if (close == NULL) {
			esc(rd->out, s, strlen(s));
			return;
		}
		struct node ph;
		memset(&ph, 0, sizeof(ph));
		char name[128];
		size_t len = (size_t)(close - open - 1);
		bool ok = len > 0 && len < sizeof(name);
		if (ok) {
			memcpy(name, open + 1, len);
			name[len] = '\0';
			ph.segs[ph.nsegs++] = name;
			for (size_t i = 0; ok && i < len; i++) {
				ok = name_char(name[i]) && name[i] != '/';
				if (ok && name[i] == '.' && len > 1) {
					name[i] = '\0';
					ok = i > 0 && i + 1 < len && ph.nsegs < MAX_PATH_SEGS && name[i - 1] != '\0';
					if (ok)
						ph.segs[ph.nsegs++] = name + i + 1;
				}
			}
		}
		esc(rd->out, s, (size_t)(open - s) + (ok ? 0 : 1));
		if (ok)
			put_value(rd->out, lookup(sc, &ph), false, t->text_mode);
		s = ok ? close + 1 : open + 1;
	}
}

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
		case N_TR:
			render_tr(rd, t, nd, sc);
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
