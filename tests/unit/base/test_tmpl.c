/* test_tmpl.c — the template engine: escaping, sections, partials, layouts, errors (tmpl.c). */
#include "unit.h"

#include "base/tmpl.h"

#include <stdarg.h>

static struct tmpl_set S;
static char err[512];

static void
setup(void)
{
	unit_setup();
	memset(&S, 0, sizeof(S));
	arena_init(&S.a, 0);
	err[0] = '\0';
}

static void
teardown(void)
{
	tmpl_set_free(&S);
	unit_teardown();
}

static void
add(const char *name, const char *text)
{
	if (tmpl_set_add(&S, name, text, err, sizeof(err)) != 0)
		ck_abort_msg("tmpl_set_add %s: %s", name, err);
}

/* Links the set and renders name (with page for {{yield}}); the output as a string. */
static const char *
render(const char *name, const char *page, const struct tv *ctx)
{
	if (tmpl_set_link(&S, err, sizeof(err)) != 0)
		ck_abort_msg("tmpl_set_link: %s", err);
	struct buf b;
	buf_init(&b, &A);
	ck_assert_int_eq(tmpl_render(&S, name, page, ctx, &b), 0);
	return b.p ? b.p : "";
}

/* A context of string values: key, value, ..., NULL. */
static struct tv *
values(const char *key, ...)
{
	struct tv *ctx = tv_new_obj(&A);
	va_list ap;
	va_start(ap, key);
	for (; key != NULL; key = va_arg(ap, const char *))
		tv_set(ctx, key, va_arg(ap, const char *));
	va_end(ap);
	return ctx;
}

/* Adds template name with text and renders it with the one value key = value. */
static const char *
render_one(const char *name, const char *text, const char *key, const char *value)
{
	add(name, text);
	return render(name, NULL, values(key, value, NULL));
}

/* Parses text as template "t" and returns the error message (the parse must fail). */
static const char *
parse_error(const char *text)
{
	err[0] = '\0';
	struct tmpl *t = tmpl_parse(&A, "t", text, strlen(text), false, err, sizeof(err));
	ck_assert_msg(t == NULL, "\"%s\" should not parse", text);
	return err;
}

START_TEST(escapes_html)
{
	ck_assert_str_eq(render_one("p", "<p title=\"{{x}}\">{{x}}</p>", "x", "<a href=\"x\">&'</a>"),
	    "<p title=\"&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;\">&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;</p>");
	/* html_escape directly, with text between the special characters. */
	struct buf b;
	buf_init(&b, &A);
	const char *s = "a<b>c&d\"e'f";
	html_escape(&b, s, strlen(s));
	ck_assert_str_eq(b.p, "a&lt;b&gt;c&amp;d&quot;e&#39;f");
}
END_TEST

START_TEST(raw_is_verbatim)
{
	ck_assert_str_eq(render_one("p", "{{raw html}}|{{ raw   html }}|{{html}}", "html", "<b>&amp;</b>"),
	    "<b>&amp;</b>|<b>&amp;</b>|&lt;b&gt;&amp;amp;&lt;/b&gt;");
}
END_TEST

START_TEST(text_mode_replaces_controls)
{
	add("email/x.txt", "Subject: Hello {{name}}\n\nDear {{name}},\n{{raw name}}");
	struct tv *ctx = values("name", "A\r\nBcc: evil@x.test\t<b>&\x7f\x01", NULL);
	ck_assert_str_eq(render("email/x", NULL, ctx),
	    "Subject: Hello A  Bcc: evil@x.test <b>&  \n\nDear A  Bcc: evil@x.test <b>&  ,\n"
	    "A\r\nBcc: evil@x.test\t<b>&\x7f\x01");
	/* Multibyte characters pass through untouched. */
	tv_set(ctx, "name", "Zoë 日本");
	ck_assert_str_eq(render("email/x", NULL, ctx), "Subject: Hello Zoë 日本\n\nDear Zoë 日本,\nZoë 日本");
}
END_TEST

START_TEST(values_of_each_kind)
{
	add("p", "[{{s}}][{{i}}][{{neg}}][{{t}}][{{f}}][{{n}}][{{o}}][{{l}}]");
	struct tv *ctx = tv_new_obj(&A);
	tv_set(ctx, "s", "str");
	tv_seti(ctx, "i", 42);
	tv_seti(ctx, "neg", -7);
	tv_setb(ctx, "t", true);
	tv_setb(ctx, "f", false);
	tv_set(ctx, "n", NULL);
	tv_obj(ctx, "o");
	tv_push_str(tv_list(ctx, "l"), "x");
	ck_assert_str_eq(render("p", NULL, ctx), "[str][42][-7][true][][][][]");
	/* Setting a key again replaces it. */
	tv_set(ctx, "s", "again");
	ck_assert_str_eq(tv_str(ctx, "s"), "again");
}
END_TEST

START_TEST(if_unless_else)
{
	add("p", "{{#if x}}yes{{else}}no{{/if}}/{{#unless x}}U{{else}}u{{/unless}}");
	struct tv *ctx = tv_new_obj(&A);
	ck_assert_str_eq(render("p", NULL, ctx), "no/U");		/* missing */
	tv_set(ctx, "x", "");
	ck_assert_str_eq(render("p", NULL, ctx), "no/U");
	tv_set(ctx, "x", "0");						/* a non-empty string */
	ck_assert_str_eq(render("p", NULL, ctx), "yes/u");
	tv_seti(ctx, "x", 0);
	ck_assert_str_eq(render("p", NULL, ctx), "no/U");
	tv_seti(ctx, "x", 3);
	ck_assert_str_eq(render("p", NULL, ctx), "yes/u");
	tv_setb(ctx, "x", false);
	ck_assert_str_eq(render("p", NULL, ctx), "no/U");
	tv_setb(ctx, "x", true);
	ck_assert_str_eq(render("p", NULL, ctx), "yes/u");
	tv_set(ctx, "x", NULL);
	ck_assert_str_eq(render("p", NULL, ctx), "no/U");
	struct tv *other = tv_new_obj(&A);
	tv_list(other, "x");						/* empty list */
	ck_assert_str_eq(render("p", NULL, other), "no/U");
	tv_push_str(tv_list(other, "x"), "a");
	ck_assert_str_eq(render("p", NULL, other), "yes/u");
	struct tv *third = tv_new_obj(&A);
	tv_obj(third, "x");						/* an object */
	ck_assert_str_eq(render("p", NULL, third), "yes/u");
	/* Without else. */
	add("q", "[{{#if a}}A{{/if}}{{#unless a}}-{{/unless}}]");
	ck_assert_str_eq(render("q", NULL, third), "[-]");
}
END_TEST

START_TEST(each_with_else_and_scopes)
{
	add("p", "<h1>{{title}}</h1>{{#each users}}<li>{{name}} of {{title}} ({{role}})</li>{{else}}<p>none</p>{{/each}}");
	struct tv *ctx = values("title", "Contoso", "role", "outer", NULL);
	ck_assert_str_eq(render("p", NULL, ctx), "<h1>Contoso</h1><p>none</p>");	/* missing list */
	struct tv *users = tv_list(ctx, "users");
	ck_assert_str_eq(render("p", NULL, ctx), "<h1>Contoso</h1><p>none</p>");	/* empty list */
	struct tv *u = tv_push(users);
	tv_set(u, "name", "Ana");
	tv_set(u, "role", "admin");
	u = tv_push(users);
	tv_set(u, "name", "<Bo>");
	/* The item is the innermost scope; missing names are found further out. */
	ck_assert_str_eq(render("p", NULL, ctx),
	    "<h1>Contoso</h1><li>Ana of Contoso (admin)</li><li>&lt;Bo&gt; of Contoso (outer)</li>");
	/* Lists of strings, "." and nested loops. */
	add("q", "{{#each rows}}[{{#each cells}}{{.}};{{/each}}{{label}}]{{/each}}");
	struct tv *c2 = tv_new_obj(&A);
	struct tv *rows = tv_list(c2, "rows");
	struct tv *r1 = tv_push(rows);
	tv_set(r1, "label", "one");
	tv_push_str(tv_list(r1, "cells"), "a");
	tv_push_str(tv_list(r1, "cells"), "<b>");
	struct tv *r2 = tv_push(rows);
	tv_set(r2, "label", "two");
	ck_assert_str_eq(render("q", NULL, c2), "[a;&lt;b&gt;;one][two]");
	/* #each over something that is not a list renders the else part. */
	ck_assert_str_eq(render_one("r", "{{#each s}}x{{else}}not a list{{/each}}", "s", "string"), "not a list");
}
END_TEST

START_TEST(with_scope)
{
	add("p", "{{#with user}}{{name}} at {{org}}{{/with}}|{{#with none}}never{{/with}}|{{name}}");
	struct tv *ctx = values("org", "Fabrikam", "name", "top", NULL);
	struct tv *u = tv_obj(ctx, "user");
	tv_set(u, "name", "Ana");
	ck_assert_str_eq(render("p", NULL, ctx), "Ana at Fabrikam||top");
	/* {{.}} inside with is the object itself: an object renders as nothing. */
	add("q", "{{#with user}}[{{.}}]{{/with}}");
	ck_assert_str_eq(render("q", NULL, ctx), "[]");
}
END_TEST

START_TEST(dotted_paths_and_missing)
{
	add("p", "{{a.b.c}}|{{a.b}}|{{a.x.c}}|{{nope}}|{{nope.deeper}}|{{a.b.c.d}}|{{s.len}}");
	struct tv *ctx = values("s", "str", NULL);
	tv_set(tv_obj(tv_obj(ctx, "a"), "b"), "c", "deep");
	ck_assert_str_eq(render("p", NULL, ctx), "deep||||||");
	/* Rendering with no context at all: everything missing, no crash. */
	ck_assert_str_eq(render("p", NULL, NULL), "||||||");
	/* A dotted path starts from the innermost scope that has its first name. */
	add("q", "{{#each items}}{{f.label}}{{/each}}");
	struct tv *c2 = tv_new_obj(&A);
	tv_set(tv_obj(c2, "f"), "label", "outer");
	struct tv *it = tv_push(tv_list(c2, "items"));
	tv_set(tv_obj(it, "f"), "label", "inner");
	tv_push(tv_list(c2, "items"));
	ck_assert_str_eq(render("q", NULL, c2), "innerouter");
}
END_TEST

START_TEST(partials_and_yield)
{
	add("layout.html", "<title>{{title}}</title><main>{{yield}}</main>{{> partials/foot}}");
	add("partials/foot.html", "<footer>{{product}}</footer>");
	add("home/page.html", "<h1>{{title}}</h1>{{#each xs}}{{> partials/item}}{{/each}}");
	add("partials/item.html", "<i>{{.}}</i>");
	struct tv *ctx = values("title", "Home & more", "product", "Partner Center", NULL);
	tv_push_str(tv_list(ctx, "xs"), "1");
	tv_push_str(tv_list(ctx, "xs"), "<2>");
	ck_assert_str_eq(render("layout", "home/page", ctx),
	    "<title>Home &amp; more</title><main><h1>Home &amp; more</h1><i>1</i><i>&lt;2&gt;</i></main>"
	    "<footer>Partner Center</footer>");
	/* Without a page, yield renders nothing. */
	ck_assert_str_eq(render("layout", NULL, ctx), "<title>Home &amp; more</title><main></main><footer>Partner Center</footer>");
	ck_assert(tmpl_exists(&S, "partials/item"));
	ck_assert(!tmpl_exists(&S, "partials/item.html"));
	/* Unknown template or page: -1. */
	struct buf b;
	buf_init(&b, &A);
	ck_assert_int_eq(tmpl_render(&S, "missing", NULL, ctx, &b), -1);
	ck_assert_int_eq(tmpl_render(&S, "layout", "missing", ctx, &b), -1);
}
END_TEST

START_TEST(comments_and_whitespace)
{
	add("p", "a{{! a comment with {braces} }}b{{  x  }}c{{\n y \n}}d");
	struct tv *ctx = values("x", "X", "y", "Y", NULL);
	ck_assert_str_eq(render("p", NULL, ctx), "abXcYd");
	/* A single brace is text. */
	add("q", "{ {x} }{");
	ck_assert_str_eq(render("q", NULL, ctx), "{ {x} }{");
}
END_TEST

START_TEST(malformed_templates)
{
	/* Each broken text and what parsing it says, with its line. */
	static const struct {
		const char *text, *want;
	} cases[] = {
		{ "line one\n<p>{{name</p>", "t:2: '{{' is never closed by '}}'" },
		{ "{{a {{b}}", "t:1: '{{' is never closed by '}}'" },
		{ "x\n{{#if ok}}\nabc", "t:2: '{{#if}}' is never closed" },
		{ "{{#each xs}}\n{{#if a}}\n{{/if}}", "t:1: '{{#each}}' is never closed" },
		{ "{{#if x}}\n\n{{/each}}", "t:3: '{{/each}}' does not match '{{#if}}' opened at line 1" },
		{ "{{#with x}}{{/if}}", "t:1: '{{/if}}' does not match '{{#with}}' opened at line 1" },
		{ "a\n{{/if}}", "t:2: '{{/if}}' closes nothing" },
		{ "{{else}}", "t:1: '{{else}}' outside an if, unless or each section" },
		{ "{{#with x}}\n{{else}}{{/with}}", "t:2: '{{else}}' outside an if, unless or each section" },
		{ "{{#if x}}{{else}}\n{{else}}{{/if}}", "t:2: '{{else}}' outside an if, unless or each section" },
		{ "\n\n{{#loop xs}}{{/loop}}", "t:3: unknown section '{{#loop xs}}'" },
		{ "{{#}}", "t:1: unknown section '{{#}}'" },
		{ "a{{}}", "t:1: empty tag '{{}}'" },
		{ "a\n{{   }}", "t:2: empty tag '{{}}'" },
		{ "{{a b}}", "t:1: bad name '{{a b}}'" },
		{ "{{a..b}}", "t:1: bad name '{{a..b}}'" },
		{ "{{.a}}", "t:1: bad name '{{.a}}'" },
		{ "{{a.}}", "t:1: bad name '{{a.}}'" },
		{ "{{a/b}}", "t:1: bad name '{{a/b}}'" },
		{ "{{<script>}}", "t:1: bad name '{{<script>}}'" },
		{ "{{a.b.c.d.e.f.g.h.i}}", "t:1: bad name '{{a.b.c.d.e.f.g.h.i}}'" },
		{ "{{#if}}{{/if}}", "t:1: '{{#if}}' needs a name" },
		{ "{{#each a b}}{{/each}}", "t:1: '{{#each}}' needs a name" },
		{ "{{>}}", "t:1: '{{>}}' needs a template name" },
		{ "{{> a b}}", "t:1: bad template name in '{{>'" },
		/* Newlines inside a tag count for the lines after it. */
		{ "{{!\n\n}}\n{{/if}}", "t:4: '{{/if}}' closes nothing" },
	};
	for (size_t i = 0; i < NELEM(cases); i++)
		ck_assert_str_eq(parse_error(cases[i].text), cases[i].want);
	/* Too deep nesting is refused, not a stack overflow. */
	struct buf b;
	buf_init(&b, &A);
	for (int i = 0; i < 30; i++)
		buf_puts(&b, "{{#if x}}");
	ck_assert_str_eq(parse_error(b.p), "t:1: sections nested too deeply");
	/* A long bad tag is quoted shortened. */
	buf_init(&b, &A);
	buf_puts(&b, "{{#");
	for (int i = 0; i < 100; i++)
		buf_putc(&b, 'z');
	buf_puts(&b, "}}");
	ck_assert_int_lt(strlen(parse_error(b.p)), 80);
	/* tmpl_set_add reports the same way. */
	ck_assert_int_eq(tmpl_set_add(&S, "broken.html", "ok\n{{#if x}}", err, sizeof(err)), -1);
	ck_assert_str_eq(err, "broken.html:2: '{{#if}}' is never closed");
}
END_TEST

START_TEST(unknown_partial_reported_by_link)
{
	add("page.html", "line one\n{{#if x}}\n{{> partials/nope}}{{/if}}");
	ck_assert_int_eq(tmpl_set_link(&S, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "page.html:3: unknown partial 'partials/nope'");
}
END_TEST

START_TEST(runaway_recursion_refused)
{
	add("self", "x{{> self}}");
	add("a", "{{#if on}}{{> b}}{{/if}}");
	add("b", "{{#each xs}}{{> a}}{{/each}}");
	ck_assert_int_eq(tmpl_set_link(&S, err, sizeof(err)), 0);
	struct tv *ctx = tv_new_obj(&A);
	tv_setb(ctx, "on", true);
	tv_push(tv_list(ctx, "xs"));
	struct buf b;
	buf_init(&b, &A);
	ck_assert_int_eq(tmpl_render(&S, "self", NULL, ctx, &b), -1);
	buf_init(&b, &A);
	ck_assert_int_eq(tmpl_render(&S, "a", NULL, ctx, &b), -1);
	/* A layout that yields itself. */
	add("lay", "{{yield}}");
	buf_init(&b, &A);
	ck_assert_int_eq(tmpl_render(&S, "lay", "lay", ctx, &b), -1);
}
END_TEST

START_TEST(load_directory)
{
	/* The repository's own templates load and link. */
	ck_assert_msg(tmpl_set_load(&S, "templates", err, sizeof(err)) == 0, "templates/: %s", err);
	ck_assert(tmpl_exists(&S, "layout"));
	ck_assert(tmpl_exists(&S, "errors/error"));
	ck_assert(tmpl_exists(&S, "email/password-reset"));
	ck_assert_uint_gt(S.count, 5);
}
END_TEST

START_TEST(load_reports_file_and_line)
{
	unit_tmpdir(TMP, sizeof(TMP));
	char path[1024];
	snprintf(path, sizeof(path), "%s/area", TMP);
	ck_assert_int_eq(mkdir(path, 0700), 0);
	snprintf(path, sizeof(path), "%s/area/good.html", TMP);
	unit_write_file(path, "<p>{{x}}</p>\n", 0600);
	snprintf(path, sizeof(path), "%s/area/bad.html", TMP);
	unit_write_file(path, "<p>\n{{#each xs}}\n", 0600);
	ck_assert_int_eq(tmpl_set_load(&S, TMP, err, sizeof(err)), -1);
	char want[1200];
	snprintf(want, sizeof(want), "%s/area/bad.html:2: '{{#each}}' is never closed", TMP);
	ck_assert_str_eq(err, want);

	/* An unknown partial is reported with the directory. */
	tmpl_set_free(&S);
	memset(&S, 0, sizeof(S));
	unit_write_file(path, "<p>\n{{> partials/gone}}\n", 0600);
	ck_assert_int_eq(tmpl_set_load(&S, TMP, err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "%s/area/bad.html:2: unknown partial 'partials/gone'", TMP);
	ck_assert_str_eq(err, want);
}
END_TEST

/* tmpl_set_link indexes the templates by name: each of many is found (a name that is a
 * prefix of another too), an unknown one is not, and one added after the link is found
 * (the index is dropped and built again by the next link). */
START_TEST(many_templates_found_by_name)
{
	char name[32], text[32];
	for (int i = 0; i < 300; i++) {
		snprintf(name, sizeof(name), "dir/page%d.html", i);
		snprintf(text, sizeof(text), "page %d", i);
		add(name, text);
	}
	ck_assert_str_eq(render("dir/page0", NULL, NULL), "page 0");
	ck_assert_ptr_nonnull(S.index);
	for (int i = 0; i < 300; i++) {
		struct buf b;
		buf_init(&b, &A);
		snprintf(name, sizeof(name), "dir/page%d", i);
		snprintf(text, sizeof(text), "page %d", i);
		ck_assert_int_eq(tmpl_render(&S, name, NULL, NULL, &b), 0);
		ck_assert_str_eq(b.p, text);
		ck_assert(tmpl_exists(&S, name));
	}
	ck_assert(!tmpl_exists(&S, "dir/page300"));
	ck_assert(!tmpl_exists(&S, "dir/page"));
	ck_assert(!tmpl_exists(&S, ""));
	add("late.html", "late");
	ck_assert_ptr_null(S.index);
	ck_assert(tmpl_exists(&S, "late"));
	ck_assert_str_eq(render("late", NULL, NULL), "late");
	ck_assert_ptr_nonnull(S.index);
	ck_assert_str_eq(render("dir/page299", NULL, NULL), "page 299");
}
END_TEST

UNIT_MAIN("tmpl",
	unit_case("render", setup, teardown, UNIT_TESTS(escapes_html, raw_is_verbatim, text_mode_replaces_controls,
	    values_of_each_kind, if_unless_else, each_with_else_and_scopes, with_scope, dotted_paths_and_missing,
	    partials_and_yield, comments_and_whitespace, runaway_recursion_refused, many_templates_found_by_name)),
	unit_case("errors", setup, teardown, UNIT_TESTS(malformed_templates, unknown_partial_reported_by_link,
	    load_directory, load_reports_file_and_line)))
