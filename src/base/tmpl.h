/* tmpl.h — templates that escape by default, and the values they render.
 *
 * Syntax (files in templates/, loaded and checked once at start-up):
 *   {{name}} {{a.b}} {{.}}      a value, HTML-escaped (& < > " ' ) in .html files;
 *                               in .txt files (emails) control characters become spaces
 *   {{raw name}}                a value written as is: only for HTML the code built itself
 *   {{#if x}} {{else}} {{/if}}  truthy: non-empty string, non-zero number, true, non-empty list
 *   {{#unless x}} ... {{/unless}}
 *   {{#each xs}} ... {{else}} ... {{/each}}   the item is the innermost scope
 *   {{#with x}} ... {{/with}}   x as the innermost scope, skipped when x is falsy
 *   {{> partials/name}}         another template, same scope
 *   {{yield}}                   in a layout: the page being rendered
 *   {{! comment }}
 * A name is looked up from the innermost scope outwards; a missing name renders nothing. */
#ifndef TMPL_H
#define TMPL_H

#include <stdbool.h>
#include <stddef.h>

#include "base/arena.h"

enum tv_kind { TV_NULL, TV_STR, TV_INT, TV_BOOL, TV_LIST, TV_OBJ };

struct tv {
	enum tv_kind kind;
	struct arena *a;
	const char *s;			/* TV_STR */
	long long i;			/* TV_INT, TV_BOOL */
	size_t n, cap;			/* TV_LIST, TV_OBJ */
	struct tv **items;		/* TV_LIST: items; TV_OBJ: values */
	const char **keys;		/* TV_OBJ */
};

struct tv *tv_new_obj(struct arena *a);
struct tv *tv_new_list(struct arena *a);
/* Setters copy strings into the arena; setting a key again replaces its value. */
void tv_set(struct tv *obj, const char *key, const char *s);
void tv_setf(struct tv *obj, const char *key, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void tv_seti(struct tv *obj, const char *key, long long i);
void tv_setb(struct tv *obj, const char *key, bool b);
/* A new (or the existing) child object / list under key. */
struct tv *tv_obj(struct tv *obj, const char *key);
struct tv *tv_list(struct tv *obj, const char *key);
/* Appends a new object / a string to a list; returns the object. */
struct tv *tv_push(struct tv *list);
void tv_push_str(struct tv *list, const char *s);
/* The value under key, or NULL. */
const struct tv *tv_get(const struct tv *obj, const char *key);
const char *tv_str(const struct tv *obj, const char *key);
bool tv_truthy(const struct tv *v);

struct tmpl;
struct tmpl_set {
	struct arena a;
	struct tmpl *first;
	size_t count;
	/* The templates by name, an open-addressed table tmpl_set_link builds (every render
	 * looks up its page and layout: a scan of 147 names was 6 % of the sign-in page's CPU);
	 * NULL while templates are being added. */
	const struct tmpl **index;
	size_t index_mask;
};

/* Parses one template's text. Returns NULL and fills err ("name:line: message") on a
 * syntax error. Partials are resolved by tmpl_set_link. */
struct tmpl *tmpl_parse(struct arena *a, const char *name, const char *text, size_t len,
    bool text_mode, char *err, size_t errlen);

/* Loads every *.html and *.txt under dir (names are paths without the extension) and
 * resolves partials. Returns 0, or -1 with err set to "file:line: message". */
int tmpl_set_load(struct tmpl_set *set, const char *dir, char *err, size_t errlen);
/* Adds one parsed template (tests); then call tmpl_set_link. */
int tmpl_set_add(struct tmpl_set *set, const char *name, const char *text, char *err, size_t errlen);
int tmpl_set_link(struct tmpl_set *set, char *err, size_t errlen);
void tmpl_set_free(struct tmpl_set *set);
bool tmpl_exists(const struct tmpl_set *set, const char *name);

/* Renders template name with ctx into out; page (may be NULL) is what {{yield}} renders.
 * Returns 0, or -1 for an unknown template or runaway partial recursion. */
int tmpl_render(const struct tmpl_set *set, const char *name, const char *page,
    const struct tv *ctx, struct buf *out);

/* HTML-escapes s into out. */
void html_escape(struct buf *out, const char *s, size_t n);

#endif
