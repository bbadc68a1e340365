/* build.c — RFC 5322 messages (mail.h): headers that cannot be injected, an encoded
 * Subject, CRLF line ends and lines wrapped at MAIL_WRAP characters. */
#include "mail/mail.h"

#include <sodium.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "base/syntax.h"
#include "base/util.h"

#define LINE_MAX_BYTES 900	/* RFC 5322 allows 998; a longer word is cut below that */

static bool
ascii_only(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p >= 0x80)
			return false;
	return true;
}

/* RFC 2047 "B" encoding in words of at most 45 input bytes, never splitting a character. */
static void
encode_subject(struct buf *b, const char *s)
{
	if (ascii_only(s)) {
		buf_puts(b, s);
		return;
	}
	size_t n = strlen(s), i = 0;
	bool first = true;
	while (i < n) {
		size_t full = n - i > 45 ? 45 : n - i, take = full;
		while (take > 1 && i + take < n && ((unsigned char)s[i + take] & 0xC0) == 0x80)
			take--;
		if (take == 1 && i + take < n && ((unsigned char)s[i + take] & 0xC0) == 0x80)
			take = full;		/* not UTF-8 at all: any split will do */
		char enc[128];
		sodium_bin2base64(enc, sizeof(enc), (const unsigned char *)s + i, take, sodium_base64_VARIANT_ORIGINAL);
		buf_printf(b, "%s=?UTF-8?B?%s?=", first ? "" : "\r\n ", enc);
		first = false;
		i += take;
	}
}

/* Characters (UTF-8 lead bytes) in p[0..len). */
static size_t
nchars(const char *p, size_t len)
{
	size_t n = 0;
	for (size_t i = 0; i < len; i++)
		n += ((unsigned char)p[i] & 0xC0) != 0x80;
	return n;
}

/* Where a word of len bytes may be cut so that a piece stays under max bytes: at a character
 * boundary (anywhere in bytes that are not UTF-8, so that the builder always moves on). */
static size_t
piece_len(const char *p, size_t len, size_t max)
{
	if (len <= max)
		return len;
	size_t cut = max;
	while (cut > max - 4 && ((unsigned char)p[cut] & 0xC0) == 0x80)
		cut--;
	return ((unsigned char)p[cut] & 0xC0) == 0x80 ? max : cut;
}

/* The part of a line that its wrapped continuation lines repeat: the indentation, and a
 * quote mark ("| ", "> ") as such or a list mark ("- ", "* ") as spaces. *first: the bytes
 * of the first line's lead; cont gets the continuation's (at most 40 bytes). */
static size_t
line_lead(const char *p, size_t len, char cont[static 48], size_t *first)
{
	size_t i = 0;
	while (i < len && i < 32 && p[i] == ' ')
		i++;
	memset(cont, ' ', i);
	size_t n = i;
	if (i + 2 <= len && p[i + 1] == ' ') {
		if (p[i] == '|' || p[i] == '>') {
			cont[n++] = p[i];
			cont[n++] = ' ';
			i += 2;
		} else if (p[i] == '-' || p[i] == '*') {
			cont[n++] = ' ';
			cont[n++] = ' ';
			i += 2;
		}
	}
	cont[n] = '\0';
	*first = i;
	return n;
}

/* Whether p[0..n) is a clock time, "9:05" or "14:03": a time and its zone ("14:03 CET",
 * "14:03 GMT+9") are one word to the wrapper, so a zone never starts a line (issue 15). */
static bool
is_clock(const char *p, size_t n)
{
	if (n != 4 && n != 5)
		return false;
	for (size_t i = 0; i < n; i++)
		if (i == n - 3 ? p[i] != ':' : (p[i] < '0' || p[i] > '9'))
			return false;
	return true;
}

/* One line of text, wrapped at spaces to MAIL_WRAP characters. A word longer than that (a
 * link, an address) stays whole on a line of its own, so links are never broken; only a
 * word past the RFC 5322 limit (LINE_MAX_BYTES) is cut, at a character boundary. */
static void
put_line(struct buf *b, const char *p, size_t len, struct buf *carry)
{
	if (len <= LINE_MAX_BYTES && nchars(p, len) <= MAIL_WRAP) {
		buf_add(b, p, len);
		buf_puts(b, "\r\n");
		return;
	}
	char cont[48];
	size_t lead;
	size_t ncont = line_lead(p, len, cont, &lead);
	buf_add(b, p, lead);
	size_t col = nchars(p, lead);
	bool empty = true;	/* no word on the current output line yet */
	bool wrapped = false;
	size_t last = b->len;	/* where the current output line starts */
	const char *q = p + lead, *end = p + len;
	while (q < end) {
		const char *gap = q;	/* the spaces between two words are kept on one line */
		while (q < end && *q == ' ')
			q++;
		if (q == end)
			break;
		size_t ngap = (size_t)(q - gap);
		const char *w = q;
		while (w < end && *w != ' ')
			w++;
		if (is_clock(q, (size_t)(w - q)) && w + 1 < end && w[1] != ' ')
			for (w++; w < end && *w != ' ';)
				w++;
		size_t wbytes = (size_t)(w - q), wchars = nchars(q, wbytes);
		if (!empty && col + ngap + wchars > MAIL_WRAP) {
			buf_puts(b, "\r\n");
			wrapped = true;
			last = b->len;
			buf_add(b, cont, ncont);
			col = ncont;
			empty = true;
		}
		if (!empty) {
			buf_add(b, gap, ngap);
			col += ngap;
		}
		while (wbytes > LINE_MAX_BYTES - ncont - 1) {
			size_t cut = piece_len(q, wbytes, LINE_MAX_BYTES - ncont - 1);
			buf_add(b, q, cut);
			buf_puts(b, "\r\n");
			wrapped = true;
			last = b->len;
			buf_add(b, cont, ncont);
			q += cut;
			wbytes -= cut;
			col = ncont;
		}
		buf_add(b, q, wbytes);
		col += nchars(q, wbytes);
		empty = false;
		q = w;
	}
	if (carry != NULL && wrapped && !b->failed && b->len > last) {
		/* The words that overflowed go on at the start of the paragraph's next line. */
		buf_add(carry, b->p + last, b->len - last);
		b->len = last;
		b->p[last] = '\0';
		return;
	}
	buf_puts(b, "\r\n");
}

/* A line of running text: not empty, not indented, not a list item, quote or the signature
 * mark, and not a field ("Country:       Austria", "Reason: ...": a label and its colon
 * early in the line, or columns aligned with spaces). Overflowing words move on into the
 * next such line of the same paragraph. */
static bool
running_text(const char *p, size_t len)
{
	if (len == 0 || p[0] == ' ' || (len >= 2 && p[0] == '-' && p[1] == '-'))
		return false;
	if (len >= 2 && p[1] == ' ' && strchr("-*|>", p[0]) != NULL)
		return false;
	for (size_t i = 0; i + 1 < len; i++)
		if (p[i] == ' ' && p[i + 1] == ' ')
			return false;
	for (size_t i = 0; i + 1 < len && i < 32 && p[i] != '.'; i++)
		if (p[i] == ':' && p[i + 1] == ' ')
			return false;
	return true;
}

/* Whether the words that overflowed line (p, len) may move into the next line (n, nlen):
 * both running text, and the next not a link alone (a link keeps its own line). */
static bool
carries_into(const char *p, size_t len, const char *n, size_t nlen)
{
	if (!running_text(p, len) || !running_text(n, nlen))
		return false;
	if (memchr(n, ' ', nlen) != NULL)
		return true;
	for (size_t i = 0; i + 3 <= nlen; i++)
		if (memcmp(n + i, "://", 3) == 0)
			return false;
	return true;
}

/* The next line of body at p: its length without the line end; *next: the line after it
 * (NULL at the end). */
static size_t
next_line(const char *p, const char **next)
{
	const char *nl = strchr(p, '\n');
	size_t len = nl ? (size_t)(nl - p) : strlen(p);
	*next = nl && nl[1] ? nl + 1 : NULL;
	return len > 0 && p[len - 1] == '\r' ? len - 1 : len;
}

/* The body with CRLF line ends, each line wrapped by put_line: in a paragraph of running
 * text the words that overflow a line start the next one (so a long name does not leave a
 * line of one word behind); indented lines, lists and quotes wrap under their own lead. */
static void
put_body(struct buf *b, const char *body)
{
	struct buf carry, line;
	buf_init(&carry, b->a);
	const char *p = *body ? body : NULL;
	while (p != NULL) {
		const char *next;
		size_t len = next_line(p, &next);
		const char *text = p;
		size_t tlen = len;
		if (carry.len > 0) {
			/* carry.len > 0 only when this line takes it (see below) */
			buf_init(&line, b->a);
			buf_add(&line, carry.p, carry.len);
			buf_putc(&line, ' ');
			buf_add(&line, p, len);
			text = line.p ? line.p : p;
			tlen = line.p ? line.len : len;
			buf_init(&carry, b->a);
		}
		const char *after = NULL;
		size_t nlen = next ? next_line(next, &after) : 0;
		put_line(b, text, tlen, next != NULL && carries_into(text, tlen, next, nlen) ? &carry : NULL);
		p = next;
	}
}

static const char *
from_domain(struct arena *a, const char *from)
{
	const char *at = strrchr(from, '@');
	if (at == NULL)
		return "localhost";
	const char *end = strchr(at, '>');
	return arena_strndup(a, at + 1, end ? (size_t)(end - at - 1) : strlen(at + 1));
}

char *
mail_build(struct arena *a, const struct config *cfg, const char *to, const char *subject,
    const char *body, int64_t now)
{
	return mail_build_reply(a, cfg, to, NULL, subject, body, now);
}

char *
mail_build_reply(struct arena *a, const struct config *cfg, const char *to, const char *reply_to,
    const char *subject, const char *body, int64_t now)
{
	return mail_build_lang(a, cfg, to, reply_to, subject, body, now, NULL);
}

char *
mail_build_lang(struct arena *a, const struct config *cfg, const char *to, const char *reply_to,
    const char *subject, const char *body, int64_t now, const char *lang)
{
	if (!email_valid(to) || strpbrk(subject, "\r\n") != NULL || strpbrk(cfg->mail_from, "\r\n") != NULL)
		return NULL;
	if (reply_to != NULL && !email_valid(reply_to))
		return NULL;
	unsigned char rnd[12];
	randombytes_buf(rnd, sizeof(rnd));
	struct buf b;
	buf_init(&b, a);
	buf_printf(&b, "From: %s\r\n", cfg->mail_from);
	buf_printf(&b, "To: %s\r\n", to);
	if (reply_to != NULL)
		buf_printf(&b, "Reply-To: %s\r\n", reply_to);
	buf_puts(&b, "Subject: ");
	encode_subject(&b, subject);
	buf_puts(&b, "\r\n");
	buf_printf(&b, "Date: %s\r\n", fmt_rfc5322(a, now));
	buf_printf(&b, "Message-ID: <%s.%lld@%s>\r\n", hex_encode(a, rnd, sizeof(rnd)), (long long)now,
	    from_domain(a, cfg->mail_from));
	if (lang != NULL && *lang && strspn(lang, "abcdefghijklmnopqrstuvwxyz") == strlen(lang))
		buf_printf(&b, "Content-Language: %s\r\n", lang);	/* issue 18 */
	buf_puts(&b, "MIME-Version: 1.0\r\n"
	    "Content-Type: text/plain; charset=utf-8\r\n"
	    "Content-Transfer-Encoding: 8bit\r\n"
	    "Auto-Submitted: auto-generated\r\n"
	    "\r\n");
	put_body(&b, body);
	return b.failed ? NULL : b.p;
}
