/* tmpl-pot — the templates' translated texts as a PO template (issue 18, `make update-po`).
 *
 *   tmpl-pot templates/a.html templates/email/b.txt ... > build/po/templates.pot
 *
 * Reads each file's {{_ "text"}} and {{_n "one" "many" count}} (base/tmpl.h) and writes
 * one entry per text with the places it stands ("#: file:line"); xgettext's entries for the
 * C code are merged with these by msgcat. The text is what the renderer looks up: every run
 * of white space one space, none at either end. A marker it cannot read is an error naming
 * the place (the portal would refuse the template at start-up too). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The quoted text at *p (after white space): its words into out (every run of white space one
 * space); *p moves past the closing quote, *line counts the newlines. 0, or -1. */
static int
quoted(const char **p, int *line, char *out, size_t outlen)
{
	const char *s = *p;
	while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
		*line += *s++ == '\n';
	if (*s != '"')
		return -1;
	s++;
	size_t o = 0;
	for (; *s && *s != '"'; s++) {
		int ws = *s == ' ' || *s == '\t' || *s == '\n' || *s == '\r';
		*line += *s == '\n';
		if (ws && (o == 0 || out[o - 1] == ' '))
			continue;
		if (o + 2 >= outlen)
			return -1;
		out[o++] = ws ? ' ' : *s;
	}
	if (*s != '"')
		return -1;
	while (o > 0 && out[o - 1] == ' ')
		o--;
	out[o] = '\0';
	*p = s + 1;
	return o > 0 ? 0 : -1;
}

/* A PO string: backslashes and quotes escaped. */
static void
po_string(const char *keyword, const char *s)
{
	printf("%s \"", keyword);
	for (; *s; s++) {
		if (*s == '\\' || *s == '"')
			putchar('\\');
		putchar(*s);
	}
	printf("\"\n");
}

static int
scan(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (f == NULL) {
		perror(path);
		return -1;
	}
	static char text[1 << 20];
	size_t n = fread(text, 1, sizeof(text) - 1, f);
	fclose(f);
	text[n] = '\0';
	int line = 1, rc = 0;
	for (const char *p = text; *p; p++) {
		if (*p == '\n') {
			line++;
			continue;
		}
		if (p[0] != '{' || p[1] != '{')
			continue;
		const char *q = p + 2;
		int at = line;
		while (*q == ' ' || *q == '\t' || *q == '\n')
			line += *q++ == '\n';
		int plural = q[0] == '_' && q[1] == 'n' && (q[2] == ' ' || q[2] == '\n');
		if (!(q[0] == '_' && (q[1] == ' ' || q[1] == '\n')) && !plural) {
			line = at;
			continue;
		}
		q += plural ? 2 : 1;
		static char one[8192], many[8192];
		if (quoted(&q, &line, one, sizeof(one)) < 0 || (plural && quoted(&q, &line, many, sizeof(many)) < 0)) {
			fprintf(stderr, "%s:%d: cannot read this translated text\n", path, at);
			rc = -1;
			line = at;
			continue;
		}
		printf("#: %s:%d\n", path, at);
		po_string("msgid", one);
		if (plural) {
			po_string("msgid_plural", many);
			printf("msgstr[0] \"\"\nmsgstr[1] \"\"\n\n");
		} else {
			printf("msgstr \"\"\n\n");
		}
		p = q - 1;
	}
	return rc;
}

int
main(int argc, char **argv)
{
	int rc = 0;
	printf("msgid \"\"\nmsgstr \"\"\n\"Content-Type: text/plain; charset=UTF-8\\n\"\n\n");
	for (int i = 1; i < argc; i++)
		if (scan(argv[i]) < 0)
			rc = 1;
	return rc;
}
