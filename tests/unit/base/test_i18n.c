/* test_i18n.c — the languages (issue 18, base/i18n.c): choosing one from Accept-Language,
 * plural forms from the compiled catalogs (build/locale, `make locale`), the templates'
 * {{_ ...}} marker with its escaping, and one language per thread. */
#include "unit.h"

#include "base/i18n.h"
#include "base/tmpl.h"

#include <pthread.h>

static struct tmpl_set S;
static char err[512];

static void
setup(void)
{
	unit_setup();
	memset(&S, 0, sizeof(S));
	arena_init(&S.a, 0);
	const char *dir = getenv("PORTAL_LOCALEDIR");
	ck_assert_int_eq(i18n_init(dir && *dir ? dir : "build/locale"), 3);
	i18n_use(LANG_EN);
}

static void
teardown(void)
{
	i18n_use(LANG_EN);
	tmpl_set_free(&S);
	unit_teardown();
}

/* Renders text (an .html template unless name ends in .txt) with ctx in lang. */
static const char *
render_in(enum lang lang, const char *name, const char *text, const struct tv *ctx)
{
	if (tmpl_set_add(&S, name, text, err, sizeof(err)) != 0)
		ck_abort_msg("tmpl_set_add: %s", err);
	ck_assert_int_eq(tmpl_set_link(&S, err, sizeof(err)), 0);
	size_t n = strlen(name);
	char base[64];
	snprintf(base, sizeof(base), "%.*s", (int)(n - (strstr(name, ".txt") ? 4 : 5)), name);
	struct buf b;
	buf_init(&b, &A);
	enum lang was = i18n_use(lang);
	ck_assert_int_eq(tmpl_render(&S, base, NULL, ctx, &b), 0);
	i18n_use(was);
	return b.p ? b.p : "";
}

START_TEST(negotiates_accept_language)
{
	ck_assert_int_eq(i18n_negotiate(NULL), LANG_EN);
	ck_assert_int_eq(i18n_negotiate(""), LANG_EN);
	ck_assert_int_eq(i18n_negotiate("pl"), LANG_PL);
	ck_assert_int_eq(i18n_negotiate("pl-PL,pl;q=0.9,en-US;q=0.8,en;q=0.7"), LANG_PL);
	ck_assert_int_eq(i18n_negotiate("en-US,en;q=0.9,pl;q=0.8"), LANG_EN);
	/* the highest q wins, wherever it stands */
	ck_assert_int_eq(i18n_negotiate("de-DE, sv;q=0.5, ru;q=0.7"), LANG_RU);
	ck_assert_int_eq(i18n_negotiate("sv;q=0.3 , ru ; q=0.2,pl;q=0.25"), LANG_SV);
	/* on a tie the earlier entry */
	ck_assert_int_eq(i18n_negotiate("sv;q=0.5,pl;q=0.5"), LANG_SV);
	/* q=0 means "not this one"; unknown languages and "*" are passed over */
	ck_assert_int_eq(i18n_negotiate("pl;q=0, sv"), LANG_SV);
	ck_assert_int_eq(i18n_negotiate("fr-FR,fr;q=0.9,de;q=0.8"), LANG_EN);
	ck_assert_int_eq(i18n_negotiate("*"), LANG_EN);
	ck_assert_int_eq(i18n_negotiate("RU-ru"), LANG_RU);
	/* a malformed q-value drops its entry only */
	ck_assert_int_eq(i18n_negotiate("pl;q=abc, ru;q=0.1"), LANG_RU);
	ck_assert_int_eq(i18n_negotiate("pl;q=1.5"), LANG_EN);
	ck_assert_int_eq(i18n_negotiate("pl;q=0.12345"), LANG_EN);
	ck_assert_int_eq(i18n_negotiate(",,;;,pl-"), LANG_PL);
	ck_assert_int_eq(i18n_negotiate("polish, plx, p"), LANG_EN);
}
END_TEST

START_TEST(parses_codes)
{
	ck_assert_int_eq(i18n_parse("pl"), LANG_PL);
	ck_assert_int_eq(i18n_parse("pl-PL"), LANG_PL);
	ck_assert_int_eq(i18n_parse("SV_se"), LANG_SV);
	ck_assert_int_eq(i18n_parse("en"), LANG_EN);
	ck_assert_int_eq(i18n_parse("de"), -1);
	ck_assert_int_eq(i18n_parse(""), -1);
	ck_assert_int_eq(i18n_parse(NULL), -1);
	ck_assert_str_eq(i18n_code(LANG_RU), "ru");
	ck_assert_str_eq(i18n_name(LANG_PL), "Polski");
	/* no such language: English, never a crash */
	i18n_use((enum lang)99);
	ck_assert_int_eq(i18n_current(), LANG_EN);
	ck_assert_str_eq(_("Sign in"), "Sign in");
}
END_TEST

/* Polish and Russian have three plural forms: 1; 2-4, 22-24 (not 12-14); 5-21, 25... */
START_TEST(plural_forms)
{
	static const unsigned long n[] = { 1, 2, 5, 22, 25 };
	static const char *pl[] = { "Wpisz najwyżej 1 znak.", "Wpisz najwyżej 2 znaki.", "Wpisz najwyżej 5 znaków.",
		"Wpisz najwyżej 22 znaki.", "Wpisz najwyżej 25 znaków." };
	static const char *ru[] = { "Максимум 1 символ.", "Максимум 2 символа.", "Максимум 5 символов.",
		"Максимум 22 символа.", "Максимум 25 символов." };
	static const char *sv[] = { "Skriv högst 1 tecken.", "Skriv högst 2 tecken.", "Skriv högst 5 tecken.",
		"Skriv högst 22 tecken.", "Skriv högst 25 tecken." };
	static const char *en[] = { "Use at most 1 character.", "Use at most 2 characters.", "Use at most 5 characters.",
		"Use at most 22 characters.", "Use at most 25 characters." };
	char got[128];
	for (size_t i = 0; i < NELEM(n); i++) {
		i18n_use(LANG_PL);
		snprintf(got, sizeof(got), ngettext("Use at most %zu character.", "Use at most %zu characters.", n[i]), (size_t)n[i]);
		ck_assert_str_eq(got, pl[i]);
		i18n_use(LANG_RU);
		snprintf(got, sizeof(got), ngettext("Use at most %zu character.", "Use at most %zu characters.", n[i]), (size_t)n[i]);
		ck_assert_str_eq(got, ru[i]);
		i18n_use(LANG_SV);
		snprintf(got, sizeof(got), ngettext("Use at most %zu character.", "Use at most %zu characters.", n[i]), (size_t)n[i]);
		ck_assert_str_eq(got, sv[i]);
		i18n_use(LANG_EN);
		snprintf(got, sizeof(got), ngettext("Use at most %zu character.", "Use at most %zu characters.", n[i]), (size_t)n[i]);
		ck_assert_str_eq(got, en[i]);
	}
}
END_TEST

/* A message with a context: the same English words as a plural entry ("indirect reseller" /
 * "indirect resellers", the Overview's count) have an entry of their own inside a sentence. */
START_TEST(context_messages)
{
	static const char *key = NC_("inside a sentence", "indirect reseller");
	i18n_use(LANG_PL);
	ck_assert_str_eq(C_(key), "odsprzedawca pośredni");
	ck_assert_str_eq(ngettext("indirect reseller", "indirect resellers", 5), "odsprzedawców pośrednich");
	i18n_use(LANG_RU);
	ck_assert_str_eq(C_(key), "непрямой торговый посредник");
	i18n_use(LANG_EN);
	ck_assert_str_eq(C_(key), "indirect reseller");
	/* a key the catalogs do not have: its words, without the context */
	i18n_use(LANG_SV);
	ck_assert_str_eq(C_(NC_("no such context", "no such words")), "no such words");
	i18n_use(LANG_EN);
}
END_TEST

/* {{_n}} in a template: the count from the scope chooses the form, and fills {name}. */
START_TEST(template_plurals)
{
	static const long long n[] = { 1, 2, 5, 22, 25 };
	static const char *pl[] = {
		"Jesteś też zalogowany na 1 innym urządzeniu lub w przeglądarce.",
		"Jesteś też zalogowany na 2 innych urządzeniach lub w przeglądarkach.",
		"Jesteś też zalogowany na 5 innych urządzeniach lub w przeglądarkach.",
		"Jesteś też zalogowany na 22 innych urządzeniach lub w przeglądarkach.",
		"Jesteś też zalogowany na 25 innych urządzeniach lub w przeglądarkach.",
	};
	static const char *ru[] = {
		"Вы также вошли на 1 другом устройстве или в браузере.",
		"Вы также вошли на 2 других устройствах или в браузерах.",
		"Вы также вошли на 5 других устройствах или в браузерах.",
		"Вы также вошли на 22 других устройствах или в браузерах.",
		"Вы также вошли на 25 других устройствах или в браузерах.",
	};
	const char *text = "{{_n \"You are also signed in on {other_sessions} other device or browser.\"\n"
	    "  \"You are also signed in on {other_sessions} other devices or browsers.\" other_sessions}}";
	ck_assert_int_eq(tmpl_set_add(&S, "p.html", text, err, sizeof(err)), 0);
	ck_assert_int_eq(tmpl_set_link(&S, err, sizeof(err)), 0);
	for (size_t i = 0; i < NELEM(n); i++) {
		struct tv *ctx = tv_new_obj(&A);
		tv_seti(ctx, "other_sessions", n[i]);
		struct buf b;
		buf_init(&b, &A);
		i18n_use(LANG_PL);
		ck_assert_int_eq(tmpl_render(&S, "p", NULL, ctx, &b), 0);
		ck_assert_str_eq(b.p, pl[i]);
		buf_init(&b, &A);
		i18n_use(LANG_RU);
		ck_assert_int_eq(tmpl_render(&S, "p", NULL, ctx, &b), 0);
		ck_assert_str_eq(b.p, ru[i]);
		buf_init(&b, &A);
		i18n_use(LANG_EN);
		ck_assert_int_eq(tmpl_render(&S, "p", NULL, ctx, &b), 0);
		ck_assert_str_eq(b.p, n[i] == 1 ? "You are also signed in on 1 other device or browser."
		    : arena_printf(&A, "You are also signed in on %lld other devices or browsers.", n[i]));
	}
}
END_TEST

/* A translated sentence: its own text and the values put into it are escaped like {{x}} in
 * an .html template; in an email (.txt) values lose their control characters only. */
START_TEST(marker_escapes)
{
	struct tv *ctx = tv_new_obj(&A);
	tv_set(ctx, "product", "<b>P&Q</b>");
	tv_set(ctx, "vendor", "\"V\"");
	tv_set(ctx, "program", "it's");
	const char *tmpl = "<p>{{_ \"{product} for the {vendor} {program}.\"}}</p>";
	ck_assert_str_eq(render_in(LANG_EN, "a.html", tmpl, ctx),
	    "<p>&lt;b&gt;P&amp;Q&lt;/b&gt; for the &quot;V&quot; it&#39;s.</p>");
	ck_assert_str_eq(render_in(LANG_PL, "b.html", tmpl, ctx),
	    "<p>&lt;b&gt;P&amp;Q&lt;/b&gt; dla programu it&#39;s firmy &quot;V&quot;.</p>");
	tv_set(ctx, "product", "<b>P\r\nQ</b>");
	ck_assert_str_eq(render_in(LANG_EN, "c.txt", "{{_ \"{product} for the {vendor} {program}.\"}}", ctx),
	    "<b>P  Q</b> for the \"V\" it's.");
	/* a template's text wraps: white space runs are one space, as the extractor reads it */
	ck_assert_str_eq(render_in(LANG_PL, "d.html", "{{_ \"  Sign\n     in \"}}", ctx), "Zaloguj się");
	/* an unknown placeholder renders nothing */
	ck_assert_str_eq(render_in(LANG_EN, "e.html", "{{_ \"a {nothing} b\"}}", ctx), "a  b");
}
END_TEST

static const char *
parse_error(const char *text)
{
	err[0] = '\0';
	struct tmpl *t = tmpl_parse(&A, "t", text, strlen(text), false, err, sizeof(err));
	ck_assert_msg(t == NULL, "\"%s\" should not parse", text);
	return err;
}

START_TEST(marker_errors)
{
	ck_assert_ptr_nonnull(strstr(parse_error("{{_ \"\"}}"), "translated text"));
	ck_assert_ptr_nonnull(strstr(parse_error("{{_ \"open\"}}{{_ \"x\" y}}"), "takes one text"));
	ck_assert_ptr_nonnull(strstr(parse_error("{{_ \"a {bad name} b\"}}"), "translated text"));
	ck_assert_ptr_nonnull(strstr(parse_error("{{_ \"a {b\"}}"), "translated text"));
	ck_assert_ptr_nonnull(strstr(parse_error("{{_n \"one\" \"many\"}}"), "count's name"));
	ck_assert_ptr_nonnull(strstr(parse_error("{{_n \"one\"}}"), "two texts"));
	ck_assert_ptr_nonnull(strstr(parse_error("{{_ Sign in}}"), "translated text"));
}
END_TEST

/* Each thread its own language (uselocale), at the same time. */
struct runner {
	enum lang lang;
	const char *want;
	int wrong;
};

static void *
run_thread(void *arg)
{
	struct runner *r = arg;
	i18n_use(r->lang);
	for (int i = 0; i < 20000; i++)
		if (strcmp(_("Sign in"), r->want) != 0)
			r->wrong++;
	return NULL;
}

START_TEST(one_language_per_thread)
{
	struct runner rs[] = { { LANG_PL, "Zaloguj się", 0 }, { LANG_RU, "Войти", 0 }, { LANG_SV, "Logga in", 0 },
		{ LANG_EN, "Sign in", 0 } };
	pthread_t t[NELEM(rs)];
	for (size_t i = 0; i < NELEM(rs); i++)
		ck_assert_int_eq(pthread_create(&t[i], NULL, run_thread, &rs[i]), 0);
	for (size_t i = 0; i < NELEM(rs); i++) {
		pthread_join(t[i], NULL);
		ck_assert_int_eq(rs[i].wrong, 0);
	}
	/* this thread was never switched */
	ck_assert_str_eq(_("Sign in"), "Sign in");
}
END_TEST

UNIT_MAIN("i18n",
	unit_case("languages", setup, teardown, UNIT_TESTS(negotiates_accept_language, parses_codes, plural_forms,
	    template_plurals, marker_escapes, marker_errors, one_language_per_thread, context_messages)))
