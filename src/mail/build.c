/* build.c — RFC 5322 messages (mail.h): headers that cannot be injected, an encoded
 * Subject, CRLF line ends and wrapped lines. */
#include "mail/mail.h"

#include <sodium.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "base/syntax.h"
#include "base/util.h"

#define LINE_MAX_BYTES 900	/* RFC 5322 allows 998; long lines are wrapped below that */

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

/* The body with CRLF line ends, lines wrapped (at a space when possible) before 900 bytes. */
static void
put_body(struct buf *b, const char *body)
{
	const char *p = body;
	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		if (len > 0 && p[len - 1] == '\r')
			len--;
		while (len > LINE_MAX_BYTES) {
			size_t cut = LINE_MAX_BYTES;
			while (cut > 600 && p[cut] != ' ')
				cut--;
			bool at_space = p[cut] == ' ';
			if (!at_space) {
				cut = LINE_MAX_BYTES;
				while (cut > LINE_MAX_BYTES - 4 && ((unsigned char)p[cut] & 0xC0) == 0x80)
					cut--;
				if (((unsigned char)p[cut] & 0xC0) == 0x80)
					cut = LINE_MAX_BYTES;	/* not UTF-8: cut anywhere, but progress */
			}
			buf_add(b, p, cut);
			buf_puts(b, "\r\n");
			size_t skip = cut + (at_space ? 1 : 0);
			p += skip;
			len -= skip;
		}
		buf_add(b, p, len);
		buf_puts(b, "\r\n");
		if (nl == NULL)
			break;
		p = nl + 1;
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
	if (!email_valid(to) || strpbrk(subject, "\r\n") != NULL || strpbrk(cfg->mail_from, "\r\n") != NULL)
		return NULL;
	unsigned char rnd[12];
	randombytes_buf(rnd, sizeof(rnd));
	struct buf b;
	buf_init(&b, a);
	buf_printf(&b, "From: %s\r\n", cfg->mail_from);
	buf_printf(&b, "To: %s\r\n", to);
	buf_puts(&b, "Subject: ");
	encode_subject(&b, subject);
	buf_puts(&b, "\r\n");
	buf_printf(&b, "Date: %s\r\n", fmt_rfc5322(a, now));
	buf_printf(&b, "Message-ID: <%s.%lld@%s>\r\n", hex_encode(a, rnd, sizeof(rnd)), (long long)now,
	    from_domain(a, cfg->mail_from));
	buf_puts(&b, "MIME-Version: 1.0\r\n"
	    "Content-Type: text/plain; charset=utf-8\r\n"
	    "Content-Transfer-Encoding: 8bit\r\n"
	    "Auto-Submitted: auto-generated\r\n"
	    "\r\n");
	put_body(&b, body);
	return b.failed ? NULL : b.p;
}
