/* test_mail.c — RFC 5322 messages, the outbox, spool and sendmail transports (mail.c). */
#include "unit.h"

#include <dirent.h>
#include <pthread.h>
#include <regex.h>
#include <sodium.h>
#include <sys/wait.h>

#include "mail/mail.h"

static struct config CFG;
static struct tmpl_set TS;

/* The settings and templates the mail code reads, as a process passes them. */
static const struct portal *
portal(void)
{
	static struct portal p;
	p.cfg = CFG;
	p.tmpl = TS;
	return &p;
}
static char maildir[600];
static const int64_t NOW = 1800000000;

static void
setup(void)
{
	unit_db_setup();
	unit_tmpdir(TMP, sizeof(TMP));
	snprintf(maildir, sizeof(maildir), "%s/mail", TMP);
	ck_assert_int_eq(mkdir(maildir, 0750), 0);
	memset(&CFG, 0, sizeof(CFG));
	CFG.mail = "spool";
	CFG.sendmail = "false";
	CFG.mail_from = "Partner Center <no-reply@partner-center.invalid>";
	CFG.base_url = "http://127.0.0.1:8080";
	CFG.product = "Partner Center";
	CFG.vendor = "Contoso";
	CFG.program = "Cloud Solution Provider program";
	CFG.agreement = "Partner Agreement";
	snprintf(CFG.mail_dir, sizeof(CFG.mail_dir), "%s", maildir);
	memset(&TS, 0, sizeof(TS));
	char err[256];
	ck_assert_int_eq(tmpl_set_add(&TS, "email/hello.txt",
	    "Subject: Hello {{name}}\n\nHi {{name}},\n\nopen {{base_url}}/signin to use {{product}}.\n", err, sizeof(err)), 0);
	ck_assert_int_eq(tmpl_set_add(&TS, "email/nosubject.txt", "Hi {{name}}\n", err, sizeof(err)), 0);
	ck_assert_int_eq(tmpl_set_add(&TS, "email/big.txt", "Subject: Big\n\n{{#each lines}}{{.}}\n{{/each}}", err, sizeof(err)), 0);
	ck_assert_int_eq(tmpl_set_link(&TS, err, sizeof(err)), 0);
}

static void
teardown(void)
{
	tmpl_set_free(&TS);
	unit_db_teardown();
}

/* The value of header name (unfolded), or NULL. */
static char *
header(const char *msg, const char *name)
{
	const char *end = strstr(msg, "\r\n\r\n");
	ck_assert_ptr_nonnull(end);
	size_t nl = strlen(name);
	for (const char *p = msg; p < end;) {
		const char *eol = strstr(p, "\r\n");
		if (strncmp(p, name, nl) == 0 && p[nl] == ':') {
			struct buf b;
			buf_init(&b, &A);
			const char *v = p + nl + 1;
			while (*v == ' ')
				v++;
			buf_add(&b, v, (size_t)(eol - v));
			/* Folded continuation lines start with a space. */
			while (eol < end && eol[2] == ' ') {
				const char *next = strstr(eol + 2, "\r\n");
				buf_add(&b, eol + 2, (size_t)(next - eol - 2));
				eol = next;
			}
			return b.p;
		}
		p = eol + 2;
	}
	return NULL;
}

static const char *
body_of(const char *msg)
{
	const char *end = strstr(msg, "\r\n\r\n");
	ck_assert_ptr_nonnull(end);
	return end + 4;
}

/* Every line ends in CRLF; no bare CR or LF; no line longer than 998 bytes. */
static void
assert_lines_ok(const char *msg)
{
	size_t len = 0;
	for (const char *p = msg; *p; p++) {
		if (*p == '\r') {
			ck_assert_msg(p[1] == '\n', "bare CR at %ld", (long)(p - msg));
			ck_assert_uint_le(len, 998);
			len = 0;
			p++;
		} else {
			ck_assert_msg(*p != '\n', "bare LF at %ld", (long)(p - msg));
			len++;
		}
	}
	ck_assert_uint_eq(len, 0);	/* ends with CRLF */
}

/* Decodes a Subject of RFC 2047 "B" words (or plain ASCII) back to UTF-8. */
static char *
decode_subject(const char *v)
{
	struct buf b;
	buf_init(&b, &A);
	buf_puts(&b, "");
	if (strncmp(v, "=?UTF-8?B?", 10) != 0)
		return arena_strdup(&A, v);
	const char *p = v;
	while (*p) {
		while (*p == ' ')
			p++;
		if (*p == '\0')
			break;
		ck_assert_msg(strncmp(p, "=?UTF-8?B?", 10) == 0, "not an encoded word: %s", p);
		const char *q = strstr(p + 10, "?=");
		ck_assert_ptr_nonnull(q);
		ck_assert_uint_le((size_t)(q + 2 - p), 75);	/* RFC 2047 word length */
		unsigned char out[128];
		size_t n = 0;
		ck_assert_int_eq(sodium_base642bin(out, sizeof(out), p + 10, (size_t)(q - p - 10), NULL, &n, NULL,
		    sodium_base64_VARIANT_ORIGINAL), 0);
		/* Each word holds whole characters. */
		ck_assert(utf8_valid((const char *)out, n));
		buf_add(&b, out, n);
		p = q + 2;
	}
	return b.p;
}

START_TEST(build_headers)
{
	char *m = mail_build(&A, &CFG, "ana@contoso.com", "Reset your password", "Hello\nWorld\n", NOW);
	ck_assert_ptr_nonnull(m);
	assert_lines_ok(m);
	ck_assert(str_has_prefix(m, "From: Partner Center <no-reply@partner-center.invalid>\r\n"));
	ck_assert_str_eq(header(m, "To"), "ana@contoso.com");
	ck_assert_str_eq(header(m, "Subject"), "Reset your password");
	ck_assert_str_eq(header(m, "MIME-Version"), "1.0");
	ck_assert_str_eq(header(m, "Content-Type"), "text/plain; charset=utf-8");
	ck_assert_str_eq(header(m, "Content-Transfer-Encoding"), "8bit");
	/* Date: RFC 5322, in UTC, for the given time. */
	const char *date = header(m, "Date");
	regex_t re;
	ck_assert_int_eq(regcomp(&re, "^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), [0-3][0-9] (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)"
	    " 20[0-9][0-9] [0-2][0-9]:[0-5][0-9]:[0-6][0-9] \\+0000$", REG_EXTENDED | REG_NOSUB), 0);
	ck_assert_msg(regexec(&re, date, 0, NULL, 0) == 0, "Date: %s", date);
	ck_assert_str_eq(date, "Fri, 15 Jan 2027 08:00:00 +0000");
	regfree(&re);
	/* Message-ID: <unique@sender's domain>. */
	const char *mid = header(m, "Message-ID");
	ck_assert_int_eq(regcomp(&re, "^<[0-9a-f]{24}\\.1800000000@partner-center\\.invalid>$", REG_EXTENDED | REG_NOSUB), 0);
	ck_assert_msg(regexec(&re, mid, 0, NULL, 0) == 0, "Message-ID: %s", mid);
	regfree(&re);
	char *m2 = mail_build(&A, &CFG, "ana@contoso.com", "Reset your password", "Hello\nWorld\n", NOW);
	ck_assert_str_ne(header(m2, "Message-ID"), mid);
	/* The body, with CRLF line ends. */
	ck_assert_str_eq(body_of(m), "Hello\r\nWorld\r\n");
	/* Already-CRLF input is not doubled; a last line without newline is ended. */
	m = mail_build(&A, &CFG, "ana@contoso.com", "x", "a\r\nb", NOW);
	ck_assert_str_eq(body_of(m), "a\r\nb\r\n");
}
END_TEST

START_TEST(build_encodes_non_ascii_subject)
{
	static const char *const subjects[] = {
		"Zurücksetzen",
		"Passwort zurücksetzen für Zoë — 日本語のテキストが続きます。もう少し長く、さらに長く🔑🔑🔑 end",
		"ééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééé",
	};
	for (size_t i = 0; i < NELEM(subjects); i++) {
		char *m = mail_build(&A, &CFG, "ana@contoso.com", subjects[i], "x\n", NOW);
		ck_assert_ptr_nonnull(m);
		assert_lines_ok(m);
		const char *raw = header(m, "Subject");
		ck_assert(str_has_prefix(raw, "=?UTF-8?B?"));
		/* Nothing but ASCII in the header block. */
		for (const char *p = m; p < body_of(m); p++)
			ck_assert_msg((unsigned char)*p < 0x80, "8-bit byte in the headers");
		ck_assert_str_eq(decode_subject(raw), subjects[i]);
	}
	/* An ASCII subject stays readable. */
	char *m = mail_build(&A, &CFG, "ana@contoso.com", "Plain = text ?", "x\n", NOW);
	ck_assert_str_eq(header(m, "Subject"), "Plain = text ?");
}
END_TEST

START_TEST(build_refuses_injection)
{
	ck_assert_ptr_null(mail_build(&A, &CFG, "ana@contoso.com\r\nBcc: evil@x.com", "s", "b", NOW));
	ck_assert_ptr_null(mail_build(&A, &CFG, "ana@contoso.com\nBcc: evil@x.com", "s", "b", NOW));
	ck_assert_ptr_null(mail_build(&A, &CFG, "ana@contoso.com, evil@x.com", "s", "b", NOW));
	ck_assert_ptr_null(mail_build(&A, &CFG, "Ana <ana@contoso.com>", "s", "b", NOW));
	ck_assert_ptr_null(mail_build(&A, &CFG, "", "s", "b", NOW));
	ck_assert_ptr_null(mail_build(&A, &CFG, "ana@contoso.com", "Hi\r\nBcc: evil@x.com", "b", NOW));
	ck_assert_ptr_null(mail_build(&A, &CFG, "ana@contoso.com", "Hi\nBcc: evil@x.com", "b", NOW));
	ck_assert_ptr_null(mail_build(&A, &CFG, "ana@contoso.com", "Hi\rBcc: evil@x.com", "b", NOW));
	CFG.mail_from = "x@y.com\r\nBcc: evil@x.com";
	ck_assert_ptr_null(mail_build(&A, &CFG, "ana@contoso.com", "s", "b", NOW));
}
END_TEST

START_TEST(build_wraps_long_lines)
{
	/* One long word, many words, and multibyte characters. */
	char *word = arena_alloc(&A, 3001);
	memset(word, 'x', 3000);
	struct buf words, multi;
	buf_init(&words, &A);
	buf_init(&multi, &A);
	for (int i = 0; i < 400; i++)
		buf_printf(&words, "%sword%d", i ? " " : "", i);
	for (int i = 0; i < 1000; i++)
		buf_puts(&multi, i % 2 ? "é" : "日");
	const char *bodies[] = { word, words.p, multi.p };
	for (size_t i = 0; i < NELEM(bodies); i++) {
		/* (paragraphs of their own: issue 15's wrapping carries overflow into a paragraph's next line) */
		char *m = mail_build(&A, &CFG, "ana@contoso.com", "s", arena_printf(&A, "before\n\n%s\n\nafter\n", bodies[i]), NOW);
		ck_assert_ptr_nonnull(m);
		assert_lines_ok(m);
		const char *b = body_of(m);
		ck_assert(str_has_prefix(b, "before\r\n\r\n"));
		/* Every line is whole UTF-8. */
		for (const char *p = b; *p;) {
			const char *eol = strstr(p, "\r\n");
			ck_assert(utf8_valid(p, (size_t)(eol - p)));
			p = eol + 2;
		}
		/* Nothing lost: joining the lines gives the text back (a wrap at a space eats the space). */
		struct buf j;
		buf_init(&j, &A);
		const char *p = strstr(b, "\r\n\r\n") + 4;
		const char *stop = strstr(b, "\r\nafter\r\n") - 2;
		ck_assert_ptr_nonnull(stop);
		while (p < stop) {
			const char *eol = strstr(p, "\r\n");
			if (j.len && i == 1)
				buf_putc(&j, ' ');
			buf_add(&j, p, (size_t)(eol - p));
			p = eol + 2;
		}
		ck_assert_str_eq(j.p, bodies[i]);
	}
}
END_TEST

/* The lines of a message body, in the arena: lines[i] without its CRLF; returns the count. */
static size_t
body_lines(const char *msg, const char **lines, size_t max)
{
	size_t n = 0;
	for (const char *p = body_of(msg); *p && n < max;) {
		const char *eol = strstr(p, "\r\n");
		ck_assert_ptr_nonnull(eol);
		lines[n++] = arena_strndup(&A, p, (size_t)(eol - p));
		p = eol + 2;
	}
	return n;
}

static size_t
u8len(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

/* issue 15, item 15: body lines wrapped at 72 characters, at spaces; words never cut, links
 * whole on their own line; a quote's continuation keeps its mark, a list item's its indent. */
START_TEST(build_wraps_at_72)
{
	const char *url = "https://portal.example/authorize?t=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
	const char *para = "Northwind Distribution (nora.north@northwind-distribution.example) of Northwind "
	    "Distribution invites your organization to authorize it as its indirect provider in the program.";
	const char *body = arena_printf(&A, "%s\n\nOpen this link: %s\n\n  | %s\n- %s\n\n%s\n-- \nshort line\n",
	    para, url, para, para, "éééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééé é");
	char *m = mail_build(&A, &CFG, "ana@contoso.com", "s", body, NOW);
	ck_assert_ptr_nonnull(m);
	assert_lines_ok(m);
	const char *l[64];
	size_t n = body_lines(m, l, 64);
	for (size_t i = 0; i < n; i++)
		ck_assert_msg(u8len(l[i]) <= 72 || (strchr(l[i], ' ') == NULL), "line %zu has %zu characters: %s", i, u8len(l[i]), l[i]);
	/* The paragraph: greedy lines that join back to the text. */
	size_t i = 0;
	struct buf j;
	buf_init(&j, &A);
	while (i < n && *l[i]) {
		if (j.len)
			buf_putc(&j, ' ');
		buf_puts(&j, l[i]);
		ck_assert_uint_le(u8len(l[i]), 72);
		/* greedy: the next line's first word would not have fitted */
		if (i + 1 < n && *l[i + 1]) {
			const char *sp = strchr(l[i + 1], ' ');
			size_t w = sp ? (size_t)(sp - l[i + 1]) : strlen(l[i + 1]);
			ck_assert_uint_gt(u8len(l[i]) + 1 + w, 72);
		}
		i++;
	}
	ck_assert_str_eq(j.p, para);
	ck_assert_uint_ge(i, 2);
	/* The link: its own line, whole. */
	ck_assert_str_eq(l[i + 1], "Open this link:");
	ck_assert_str_eq(l[i + 2], url);
	ck_assert_str_eq(l[i + 3], "");
	i += 4;
	/* The quote: every line starts with "  | ". */
	ck_assert(str_has_prefix(l[i], "  | Northwind"));
	ck_assert(str_has_prefix(l[i + 1], "  | "));
	while (str_has_prefix(l[i], "  | "))
		i++;
	/* The list item: "- " then lines indented by two spaces. */
	ck_assert(str_has_prefix(l[i], "- Northwind"));
	ck_assert(str_has_prefix(l[i + 1], "  ") && l[i + 1][2] != ' ');
	i++;
	while (str_has_prefix(l[i], "  "))
		i++;
	ck_assert_str_eq(l[i++], "");
	/* 72 two-byte characters are 72 characters: the word stays, the last one wraps. */
	ck_assert_uint_eq(u8len(l[i]), 72);
	ck_assert_str_eq(l[i + 1], "é");
	/* The signature mark keeps its space; short lines are untouched. */
	ck_assert_str_eq(l[i + 2], "-- ");
	ck_assert_str_eq(l[i + 3], "short line");
}
END_TEST

/* issue 15: a time and its zone stay on one line: "14:03" would fit at the end of the line
 * and "UTC" not, so both start the next; the same in an indented field line. */
START_TEST(build_wrap_keeps_time_and_zone)
{
	struct buf b;
	buf_init(&b, &A);
	for (int i = 0; i < 33; i++)
		buf_puts(&b, i ? " a" : "a");	/* 65 characters: " 14:03" ends at 71, " UTC" at 75 */
	const char *zones[] = { "UTC", "CEST", "GMT+9" };
	for (size_t z = 0; z < NELEM(zones); z++) {
		const char *body = arena_printf(&A, "%s 14:03 %s after.\n\n  %s 9:05 %s\n", b.p, zones[z], b.p, zones[z]);
		char *m = mail_build(&A, &CFG, "ana@contoso.com", "s", body, NOW);
		ck_assert_ptr_nonnull(m);
		assert_lines_ok(m);
		const char *l[16];
		size_t n = body_lines(m, l, 16);
		ck_assert_uint_ge(n, 5);
		ck_assert_str_eq(l[0], b.p);
		ck_assert_str_eq(l[1], arena_printf(&A, "14:03 %s after.", zones[z]));
		ck_assert_str_eq(l[3], arena_printf(&A, "  %s", b.p));
		ck_assert_str_eq(l[4], arena_printf(&A, "  9:05 %s", zones[z]));
	}
	/* Only a clock joins its next word: a number with a colon elsewhere wraps as before. */
	char *m = mail_build(&A, &CFG, "ana@contoso.com", "s", arena_printf(&A, "%s 1:2345 UTC\n", b.p), NOW);
	const char *l[16];
	size_t n = body_lines(m, l, 16);
	ck_assert_uint_ge(n, 2);
	ck_assert_str_eq(l[1], "UTC");
}
END_TEST

/* In a paragraph of running text, the words that overflow a line start the next line, so a
 * long value does not leave a one-word line behind; a link's line and an indented line are
 * never joined. */
START_TEST(build_wrap_carries_overflow)
{
	const char *body = "Ana Admin (ana.admin@a-very-long-organization-domain.example) tried to add\n"
	    "bo@b.example as a user of Org a-very-long-organization-domain.example on\n"
	    "Partner Center.\n"
	    "Open this one which is long enough to overflow the line at seventy-two chars:\n"
	    "https://portal.example/x\n"
	    "  Roles:    Admin agent, Helpdesk agent, Sales agent, User admin, Billing admin\n"
	    "  Duration: 30 days\n";
	char *m = mail_build(&A, &CFG, "ana@contoso.com", "s", body, NOW);
	ck_assert_ptr_nonnull(m);
	const char *l[32];
	size_t n = body_lines(m, l, 32);
	ck_assert_str_eq(l[0], "Ana Admin (ana.admin@a-very-long-organization-domain.example) tried to");
	ck_assert_str_eq(l[1], "add bo@b.example as a user of Org");
	ck_assert_str_eq(l[2], "a-very-long-organization-domain.example on Partner Center.");
	ck_assert_str_eq(l[3], "Open this one which is long enough to overflow the line at seventy-two");
	ck_assert_str_eq(l[4], "chars:");
	ck_assert_str_eq(l[5], "https://portal.example/x");
	ck_assert_str_eq(l[6], "  Roles:    Admin agent, Helpdesk agent, Sales agent, User admin,");
	ck_assert_str_eq(l[7], "  Billing admin");
	ck_assert_str_eq(l[8], "  Duration: 30 days");
	ck_assert_uint_eq(n, 9);
	/* Field lines (a label and its colon, aligned columns) are not running text: nothing
	 * moves into or out of them. */
	body = "Country:       Austria (Europe)\n"
	    "Accepted by    Ana Admin (ga@flowcust.example) on 01 Dec 2026, 09:33 UTC.\n"
	    "Delegated administration: yes\n";
	m = mail_build(&A, &CFG, "ana@contoso.com", "s", body, NOW);
	n = body_lines(m, l, 32);
	ck_assert_uint_eq(n, 4);
	/* issue 15: the time and its zone go on together (was "... 2026, 09:33" then "UTC."). */
	ck_assert_str_eq(l[1], "Accepted by    Ana Admin (ga@flowcust.example) on 01 Dec 2026,");
	ck_assert_str_eq(l[2], "09:33 UTC.");
	ck_assert_str_eq(l[3], "Delegated administration: yes");
}
END_TEST

/* issue 15, item 15: an invitation's Reply-To is the inviter's address, and only a plain one. */
START_TEST(build_reply_to)
{
	char *m = mail_build_reply(&A, &CFG, "ana@contoso.com", "nora@northwind.example", "s", "b\n", NOW);
	ck_assert_ptr_nonnull(m);
	assert_lines_ok(m);
	ck_assert_str_eq(header(m, "Reply-To"), "nora@northwind.example");
	ck_assert(str_has_prefix(header(m, "From"), "Partner Center <no-reply@"));
	ck_assert_ptr_null(header(mail_build(&A, &CFG, "ana@contoso.com", "s", "b\n", NOW), "Reply-To"));
	ck_assert_ptr_null(header(mail_build_reply(&A, &CFG, "ana@contoso.com", NULL, "s", "b\n", NOW), "Reply-To"));
	static const char *const bad[] = { "nora@northwind.example\r\nBcc: evil@x.com", "nora@northwind.example\nBcc: e@x.com",
	    "Nora <nora@northwind.example>", "nora@northwind.example, evil@x.com", "", "api:Robot" };
	for (size_t i = 0; i < NELEM(bad); i++)
		ck_assert_ptr_null(mail_build_reply(&A, &CFG, "ana@contoso.com", bad[i], "s", "b\n", NOW));
}
END_TEST

START_TEST(build_survives_invalid_utf8)
{
	/* Bodies and subjects come from templates; even bytes that are not UTF-8 must not
	 * hang or crash the builder. */
	char *junk = arena_alloc(&A, 2001);
	memset(junk, 0x80, 2000);
	char *m = mail_build(&A, &CFG, "ana@contoso.com", "s", junk, NOW);
	ck_assert_ptr_nonnull(m);
	assert_lines_ok(m);
	char *subj = arena_alloc(&A, 101);
	memset(subj, 0xbf, 100);
	m = mail_build(&A, &CFG, "ana@contoso.com", subj, "b\n", NOW);
	ck_assert_ptr_nonnull(m);
	assert_lines_ok(m);
}
END_TEST

/* ---- outbox and transports ---- */

static int
count_files(const char *dir, char *only, size_t n)
{
	DIR *d = opendir(dir);
	ck_assert_ptr_nonnull(d);
	int k = 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		k++;
		if (only)
			snprintf(only, n, "%s", e->d_name);
	}
	closedir(d);
	return k;
}

static int64_t
enqueue(const char *to, const char *name)
{
	struct tv *ctx = tv_new_obj(&A);
	tv_set(ctx, "name", name);
	ck_assert_int_eq(db_begin(&DB), 0);
	int64_t id = mail_enqueue(&DB, &A, portal(), to, "hello", ctx);
	ck_assert_int_eq(db_commit(&DB), 0);
	return id;
}

START_TEST(enqueue_and_spool)
{
	int64_t id = enqueue("ana@contoso.com", "Ana");
	ck_assert_int_gt(id, 0);
	char q[256], text[8192], only[256];
	snprintf(q, sizeof(q), "SELECT count(*) FROM outbox WHERE id = %lld AND sent_at IS NULL AND message IS NOT NULL"
	    " AND subject = 'Hello Ana' AND to_addr = 'ana@contoso.com' AND template = 'hello'", (long long)id);
	ck_assert_int_eq(unit_sql_int(DB.h, q), 1);

	ck_assert_int_eq(mail_deliver(&CFG, &DB, id), 0);
	ck_assert_int_eq(count_files(maildir, only, sizeof(only)), 1);	/* no temporary file left */
	char want[64];
	snprintf(want, sizeof(want), "%08lld.eml", (long long)id);
	ck_assert_str_eq(only, want);
	char path[1200];
	snprintf(path, sizeof(path), "%s/%s", maildir, only);
	ck_assert_int_gt(unit_read_file(path, text, sizeof(text)), 0);
	assert_lines_ok(text);
	ck_assert_str_eq(header(text, "To"), "ana@contoso.com");
	ck_assert_str_eq(header(text, "Subject"), "Hello Ana");
	ck_assert_str_eq(body_of(text), "Hi Ana,\r\n\r\nopen http://127.0.0.1:8080/signin to use Partner Center.\r\n");
	struct stat st;
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777 & ~0640, 0);

	/* Marked sent, body dropped. */
	snprintf(q, sizeof(q), "SELECT count(*) FROM outbox WHERE id = %lld AND sent_at IS NOT NULL AND message IS NULL"
	    " AND attempts = 1 AND last_error IS NULL", (long long)id);
	ck_assert_int_eq(unit_sql_int(DB.h, q), 1);
	/* A second delivery is a no-op. */
	ck_assert_int_eq(mail_deliver(&CFG, &DB, id), 0);
	ck_assert_int_eq(count_files(maildir, NULL, 0), 1);
	int sent = -1;
	ck_assert_int_eq(mail_deliver_pending(&CFG, &DB, &sent), 0);
	ck_assert_int_eq(sent, 0);
}
END_TEST

START_TEST(enqueue_refuses_bad_input)
{
	struct tv *ctx = tv_new_obj(&A);
	ck_assert_int_eq(db_begin(&DB), 0);
	ck_assert_int_eq(mail_enqueue(&DB, &A, portal(), "not an address", "hello", ctx), -1);
	ck_assert_int_eq(mail_enqueue(&DB, &A, portal(), "a@b.com\r\nBcc: c@d.com", "hello", ctx), -1);
	ck_assert_int_eq(mail_enqueue(&DB, &A, portal(), "ana@contoso.com", "missing", ctx), -1);
	ck_assert_int_eq(mail_enqueue(&DB, &A, portal(), "ana@contoso.com", "nosubject", ctx), -1);
	ck_assert_int_eq(db_commit(&DB), 0);
	ck_assert_int_eq(unit_sql_int(DB.h, "SELECT count(*) FROM outbox"), 0);
}
END_TEST

START_TEST(values_cannot_inject_headers)
{
	int64_t id = enqueue("ana@contoso.com", "Ana\r\nBcc: evil@x.com");
	ck_assert_int_gt(id, 0);
	ck_assert_int_eq(mail_deliver(&CFG, &DB, id), 0);
	char path[1200], text[8192];
	snprintf(path, sizeof(path), "%s/%08lld.eml", maildir, (long long)id);
	ck_assert_int_gt(unit_read_file(path, text, sizeof(text)), 0);
	ck_assert_ptr_null(header(text, "Bcc"));
	ck_assert_str_eq(header(text, "Subject"), "Hello Ana  Bcc: evil@x.com");
}
END_TEST

/* issue 15: a context's "reply_to" becomes the Reply-To header; one that is not a plain
 * address refuses the message (nothing queued) rather than injecting a header. */
START_TEST(enqueue_reply_to)
{
	struct tv *ctx = tv_new_obj(&A);
	tv_set(ctx, "name", "Ana");
	tv_set(ctx, "reply_to", "nora@northwind.example");
	ck_assert_int_eq(db_begin(&DB), 0);
	int64_t id = mail_enqueue(&DB, &A, portal(), "ana@contoso.com", "hello", ctx);
	ck_assert_int_gt(id, 0);
	tv_set(ctx, "reply_to", "nora@northwind.example\r\nBcc: evil@x.com");
	ck_assert_int_eq(mail_enqueue(&DB, &A, portal(), "ana@contoso.com", "hello", ctx), -1);
	ck_assert_int_eq(db_commit(&DB), 0);
	ck_assert_int_eq(mail_deliver(&CFG, &DB, id), 0);
	char path[1200], text[8192];
	snprintf(path, sizeof(path), "%s/%08lld.eml", maildir, (long long)id);
	ck_assert_int_gt(unit_read_file(path, text, sizeof(text)), 0);
	ck_assert_str_eq(header(text, "Reply-To"), "nora@northwind.example");
	ck_assert_ptr_null(header(text, "Bcc"));
	ck_assert_int_eq(unit_sql_int(DB.h, "SELECT count(*) FROM outbox"), 1);
}
END_TEST

START_TEST(failed_transport_keeps_message)
{
	int64_t id = enqueue("ana@contoso.com", "Ana");
	CFG.mail = "sendmail";
	CFG.sendmail = "false";
	ck_assert_int_eq(mail_deliver(&CFG, &DB, id), -1);
	char q[512], err[256];
	snprintf(q, sizeof(q), "SELECT count(*) FROM outbox WHERE id = %lld AND sent_at IS NULL AND message IS NOT NULL"
	    " AND attempts = 1", (long long)id);
	ck_assert_int_eq(unit_sql_int(DB.h, q), 1);
	unit_sql_text(DB.h, "SELECT last_error FROM outbox", err, sizeof(err));
	ck_assert_str_eq(err, "sendmail exited with status 1");
	int sent = -1;
	ck_assert_int_eq(mail_deliver_pending(&CFG, &DB, &sent), 1);
	ck_assert_int_eq(sent, 0);
	ck_assert_int_eq(unit_sql_int(DB.h, "SELECT attempts FROM outbox"), 2);

	/* A spool that cannot be written fails the same way. */
	CFG.mail = "spool";
	snprintf(CFG.mail_dir, sizeof(CFG.mail_dir), "%s/missing", TMP);
	ck_assert_int_eq(mail_deliver(&CFG, &DB, id), -1);
	unit_sql_text(DB.h, "SELECT last_error FROM outbox", err, sizeof(err));
	ck_assert_msg(str_has_prefix(err, "spool: "), "%s", err);

	/* A later retry with a working transport sends it. */
	snprintf(CFG.mail_dir, sizeof(CFG.mail_dir), "%s", maildir);
	ck_assert_int_eq(mail_deliver_pending(&CFG, &DB, &sent), 0);
	ck_assert_int_eq(sent, 1);
	snprintf(q, sizeof(q), "SELECT count(*) FROM outbox WHERE id = %lld AND sent_at IS NOT NULL AND message IS NULL"
	    " AND last_error IS NULL AND attempts = 4", (long long)id);
	ck_assert_int_eq(unit_sql_int(DB.h, q), 1);
	ck_assert_int_eq(count_files(maildir, NULL, 0), 1);
}
END_TEST

START_TEST(sendmail_that_stops_reading)
{
	/* A sendmail that exits without reading a large message: the write fails with EPIPE
	 * (never a SIGPIPE that kills the process) and the message stays queued. */
	struct tv *ctx = tv_new_obj(&A);
	struct tv *lines = tv_list(ctx, "lines");
	for (int i = 0; i < 3000; i++)
		tv_push_str(lines, "a line of the body that is long enough to fill the pipe quickly");
	ck_assert_int_eq(db_begin(&DB), 0);
	int64_t id = mail_enqueue(&DB, &A, portal(), "ana@contoso.com", "big", ctx);
	ck_assert_int_eq(db_commit(&DB), 0);
	ck_assert_int_gt(id, 0);
	CFG.mail = "sendmail";
	CFG.sendmail = "exec 0<&-; exit 75";
	ck_assert_int_eq(mail_deliver(&CFG, &DB, id), -1);
	char err[256];
	unit_sql_text(DB.h, "SELECT last_error FROM outbox", err, sizeof(err));
	ck_assert_str_eq(err, "sendmail exited with status 75");
	ck_assert_int_eq(unit_sql_int(DB.h, "SELECT count(*) FROM outbox WHERE sent_at IS NULL AND message IS NOT NULL"), 1);
}
END_TEST

START_TEST(sendmail_gets_local_line_ends)
{
	int64_t id = enqueue("ana@contoso.com", "Ana");
	char out[1200], cmd[1300], text[8192];
	snprintf(out, sizeof(out), "%s/piped.txt", TMP);
	snprintf(cmd, sizeof(cmd), "cat > '%s'", out);
	CFG.mail = "sendmail";
	CFG.sendmail = cmd;
	ck_assert_int_eq(mail_deliver(&CFG, &DB, id), 0);
	ck_assert_int_gt(unit_read_file(out, text, sizeof(text)), 0);
	ck_assert_ptr_null(strchr(text, '\r'));
	ck_assert_ptr_nonnull(strstr(text, "\nTo: ana@contoso.com\n"));
	ck_assert_ptr_nonnull(strstr(text, "\n\nHi Ana,\n"));
	ck_assert_int_eq(unit_sql_int(DB.h, "SELECT count(*) FROM outbox WHERE sent_at IS NOT NULL AND message IS NULL"), 1);
	ck_assert_int_eq(count_files(maildir, NULL, 0), 0);
}
END_TEST

/* Several nodes: only the process that wins a message's claim delivers it; a live claim of
 * another process keeps everyone else away, a lapsed one (its node died) does not. */
START_TEST(claims_decide_who_delivers)
{
	int64_t id = enqueue("ana@contoso.com", "Ana");
	int64_t now = now_sec();
	/* The claim itself: one UPDATE, the first caller wins, the second gets 0. */
	ck_assert_int_eq(db_begin(&DB), 0);
	ck_assert_int_eq(st_outbox_claim(&DB, id, "node-b:1", now, now + 300), 1);
	ck_assert_int_eq(st_outbox_claim(&DB, id, "node-c:2", now, now + 300), 0);
	ck_assert_int_eq(db_commit(&DB), 0);
	/* Held by node-b: this process neither delivers it nor lists it. */
	ck_assert_int_eq(mail_deliver(&CFG, &DB, id), 0);
	int sent = -1;
	ck_assert_int_eq(mail_deliver_pending(&CFG, &DB, &sent), 0);
	ck_assert_int_eq(sent, 0);
	ck_assert_int_eq(count_files(maildir, NULL, 0), 0);
	int64_t ids[4];
	ck_assert_int_eq(st_outbox_unsent(&DB, now, ids, 4), 0);
	/* node-b cannot record a result for a claim it no longer holds. */
	unit_sql_exec(DB.h, "UPDATE outbox SET claimed_by = 'node-c:2'");
	ck_assert_int_eq(st_outbox_sent(&DB, id, "node-b:1", now), 0);
	/* The claim lapses (node-c died mid-delivery): the next retry here takes and sends it. */
	unit_sql_exec(DB.h, "UPDATE outbox SET claimed_until = 1");
	ck_assert_int_eq(st_outbox_unsent(&DB, now, ids, 4), 1);
	ck_assert_int_eq(mail_deliver_pending(&CFG, &DB, &sent), 0);
	ck_assert_int_eq(sent, 1);
	ck_assert_int_eq(count_files(maildir, NULL, 0), 1);
	ck_assert_int_eq(unit_sql_int(DB.h, "SELECT count(*) FROM outbox WHERE sent_at IS NOT NULL AND claimed_by IS NULL"
	    " AND claimed_until IS NULL AND attempts = 1"), 1);
	/* A failed delivery releases the claim, so the next retry (anywhere) tries again. */
	int64_t id2 = enqueue("bo@contoso.com", "Bo");
	CFG.mail = "sendmail";
	CFG.sendmail = "false";
	ck_assert_int_eq(mail_deliver(&CFG, &DB, id2), -1);
	ck_assert_int_eq(unit_sql_int(DB.h, "SELECT count(*) FROM outbox WHERE sent_at IS NULL AND claimed_by IS NULL"
	    " AND claimed_until IS NULL AND attempts = 1"), 1);
}
END_TEST

/* Issue 17: a request's message is queued already claimed by its process, in the action's
 * transaction (page_mail), so its delivery right after the answer costs one transaction (the
 * sent mark, committed without a sync of its own) instead of two (claim, then sent); no
 * other process or retry takes it meanwhile; a failed delivery releases the claim. */
START_TEST(claimed_message_needs_no_claim_transaction)
{
	struct tv *ctx = tv_new_obj(&A);
	tv_set(ctx, "name", "Ana");
	ck_assert_int_eq(db_begin(&DB), 0);
	int64_t id = mail_enqueue_claimed(&DB, &A, portal(), "ana@contoso.com", "hello", ctx);
	ck_assert_int_eq(db_commit(&DB), 0);
	ck_assert_int_gt(id, 0);
	char me[160], q[400];
	mail_claimant(me, sizeof(me));
	snprintf(q, sizeof(q), "SELECT count(*) FROM outbox WHERE id = %lld AND claimed_by = '%s' AND claimed_until >= %lld",
	    (long long)id, me, (long long)(now_sec() + MAIL_CLAIM_SECONDS - 5));
	ck_assert_int_eq(unit_sql_int(DB.h, q), 1);
	/* Nobody lists it for delivery while the claim is live (another node's retry). */
	int64_t ids[4];
	ck_assert_int_eq(st_outbox_unsent(&DB, now_sec(), ids, 4), 0);
	uint64_t c0, s0, c1, s1;
	store_io_counts(&c0, &s0);
	ck_assert_int_eq(mail_deliver(&CFG, &DB, id), 0);
	store_io_counts(&c1, &s1);
	ck_assert_uint_eq(c1 - c0, 1);		/* the sent mark only */
	ck_assert_uint_eq(s1 - s0, 0);		/* and no sync of its own */
	ck_assert_int_eq(count_files(maildir, NULL, 0), 1);
	ck_assert_int_eq(unit_sql_int(DB.h, "SELECT count(*) FROM outbox WHERE sent_at IS NOT NULL AND message IS NULL"
	    " AND claimed_by IS NULL AND claimed_until IS NULL AND attempts = 1"), 1);
	/* Delivered once: a second call finds nothing to do. */
	ck_assert_int_eq(mail_deliver(&CFG, &DB, id), 0);
	ck_assert_int_eq(count_files(maildir, NULL, 0), 1);
	/* A failed delivery of a claimed message releases the claim for the retries. */
	ck_assert_int_eq(db_begin(&DB), 0);
	int64_t id2 = mail_enqueue_claimed(&DB, &A, portal(), "bo@contoso.com", "hello", ctx);
	ck_assert_int_eq(db_commit(&DB), 0);
	CFG.mail = "sendmail";
	CFG.sendmail = "false";
	ck_assert_int_eq(mail_deliver(&CFG, &DB, id2), -1);
	ck_assert_int_eq(st_outbox_unsent(&DB, now_sec(), ids, 4), 1);
	ck_assert_int_eq(ids[0], id2);
}
END_TEST

/* Issue 17: the sender thread's messages spooled together: each one this process takes is
 * written, synced and renamed (no temporary file left), another node's claim is left alone,
 * and the results are marked in one transaction (after a claim of each not claimed here). A
 * spool that cannot be written keeps every message of the batch queued, claims released. */
START_TEST(many_messages_spooled_together)
{
	struct tv *ctx = tv_new_obj(&A);
	tv_set(ctx, "name", "Ana");
	int64_t ids[6];
	ck_assert_int_eq(db_begin(&DB), 0);
	for (int i = 0; i < 3; i++)
		ids[i] = mail_enqueue_claimed(&DB, &A, portal(), "ana@contoso.com", "hello", ctx);
	ck_assert_int_eq(db_commit(&DB), 0);
	ids[3] = enqueue("bo@contoso.com", "Bo");		/* nobody's claim */
	ids[4] = enqueue("cy@contoso.com", "Cy");		/* node-b's */
	ids[5] = 999999;					/* no such message */
	char q[400];
	snprintf(q, sizeof(q), "UPDATE outbox SET claimed_by = 'node-b:1', claimed_until = %lld WHERE id = %lld",
	    (long long)(now_sec() + 300), (long long)ids[4]);
	unit_sql_exec(DB.h, q);
	uint64_t c0, s0, c1, s1;
	store_io_counts(&c0, &s0);
	int sent = -1;
	ck_assert_int_eq(mail_deliver_many(&CFG, &DB, ids, 6, &sent), 0);
	store_io_counts(&c1, &s1);
	ck_assert_int_eq(sent, 4);
	/* a claim tried for each message this process had not claimed (Bo's, won; Cy's and the
	 * missing one's, lost), then the four marks together */
	ck_assert_uint_eq(c1 - c0, 4);
	ck_assert_int_eq(count_files(maildir, NULL, 0), 4);
	for (int i = 0; i < 5; i++) {
		char path[1200];
		struct stat st;
		snprintf(path, sizeof(path), "%s/%08lld.eml", maildir, (long long)ids[i]);
		ck_assert_int_eq(stat(path, &st) == 0, i != 4);
	}
	ck_assert_int_eq(unit_sql_int(DB.h, "SELECT count(*) FROM outbox WHERE sent_at IS NOT NULL AND message IS NULL"
	    " AND claimed_by IS NULL AND attempts = 1"), 4);
	ck_assert_int_eq(unit_sql_int(DB.h, "SELECT count(*) FROM outbox WHERE sent_at IS NULL AND claimed_by = 'node-b:1'"
	    " AND attempts = 0"), 1);

	/* The spool directory is missing: both messages fail, kept, their claims released. */
	int64_t more[2];
	ck_assert_int_eq(db_begin(&DB), 0);
	for (int i = 0; i < 2; i++)
		more[i] = mail_enqueue_claimed(&DB, &A, portal(), "ana@contoso.com", "hello", ctx);
	ck_assert_int_eq(db_commit(&DB), 0);
	snprintf(CFG.mail_dir, sizeof(CFG.mail_dir), "%s/missing", TMP);
	ck_assert_int_eq(mail_deliver_many(&CFG, &DB, more, 2, &sent), 2);
	ck_assert_int_eq(sent, 0);
	snprintf(q, sizeof(q), "SELECT count(*) FROM outbox WHERE id IN (%lld, %lld) AND sent_at IS NULL AND message IS NOT NULL"
	    " AND claimed_by IS NULL AND attempts = 1 AND last_error LIKE 'spool: %%'", (long long)more[0], (long long)more[1]);
	ck_assert_int_eq(unit_sql_int(DB.h, q), 2);
	snprintf(CFG.mail_dir, sizeof(CFG.mail_dir), "%s", maildir);
	ck_assert_int_eq(mail_deliver_pending(&CFG, &DB, &sent), 0);
	ck_assert_int_eq(sent, 2);
	ck_assert_int_eq(count_files(maildir, NULL, 0), 6);
}
END_TEST

/* More than one batch (64) in one call: every message delivered once. */
START_TEST(more_than_one_batch)
{
	enum { N = 150 };
	int64_t ids[N];
	struct tv *ctx = tv_new_obj(&A);
	tv_set(ctx, "name", "Ana");
	ck_assert_int_eq(db_begin(&DB), 0);
	for (int i = 0; i < N; i++)
		ids[i] = mail_enqueue_claimed(&DB, &A, portal(), "ana@contoso.com", "hello", ctx);
	ck_assert_int_eq(db_commit(&DB), 0);
	int sent = -1;
	ck_assert_int_eq(mail_deliver_many(&CFG, &DB, ids, N, &sent), 0);
	ck_assert_int_eq(sent, N);
	ck_assert_int_eq(count_files(maildir, NULL, 0), N);
	ck_assert_int_eq(unit_sql_int(DB.h, "SELECT count(*) FROM outbox WHERE sent_at IS NOT NULL AND attempts = 1"), N);
}
END_TEST

/* The claimant names the host and the process; made once per thread, again in a forked
 * child (the supervisor's worker: its claims are its own, not its parent's). */
static void *
claimant_of_thread(void *out)
{
	mail_claimant(out, 160);
	return NULL;
}

START_TEST(claimant_per_process)
{
	char a[160], b[160], c[160], want[32];
	mail_claimant(a, sizeof(a));
	mail_claimant(b, sizeof(b));
	ck_assert_str_eq(a, b);
	snprintf(want, sizeof(want), ":%d", (int)getpid());
	ck_assert_str_eq(a + strlen(a) - strlen(want), want);
	pthread_t t;
	ck_assert_int_eq(pthread_create(&t, NULL, claimant_of_thread, c), 0);
	pthread_join(t, NULL);
	ck_assert_str_eq(c, a);
	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		char k[160], w[32];
		mail_claimant(k, sizeof(k));
		snprintf(w, sizeof(w), ":%d", (int)getpid());
		_exit(strcmp(k, a) != 0 && strcmp(k + strlen(k) - strlen(w), w) == 0 ? 0 : 1);
	}
	int st = 0;
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	ck_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0);
}
END_TEST

UNIT_MAIN("mail",
	unit_timeout(20, unit_case("build", setup, teardown, UNIT_TESTS(build_headers,
	    build_encodes_non_ascii_subject, build_refuses_injection, build_wraps_long_lines,
	    build_survives_invalid_utf8, build_wraps_at_72, build_wrap_carries_overflow, build_reply_to,
	    build_wrap_keeps_time_and_zone))),
	unit_timeout(20, unit_case("outbox", setup, teardown, UNIT_TESTS(enqueue_and_spool, enqueue_refuses_bad_input,
	    values_cannot_inject_headers, enqueue_reply_to, failed_transport_keeps_message, sendmail_that_stops_reading,
	    sendmail_gets_local_line_ends, claims_decide_who_delivers, claimed_message_needs_no_claim_transaction,
	    many_messages_spooled_together, more_than_one_batch, claimant_per_process))))
