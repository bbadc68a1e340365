/* mail.c — see mail.h. */
#include "mail/mail.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "web/app.h"
#include "store/db.h"
#include "web/form.h"
#include "web/http.h"
#include "base/log.h"
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

int64_t
mail_enqueue(struct db *db, struct arena *a, const struct tmpl_set *ts, const struct config *cfg,
    const char *to, const char *tmpl, struct tv *ctx)
{
	tv_set(ctx, "base_url", cfg->base_url);
	tv_set(ctx, "product", cfg->product);
	tv_set(ctx, "vendor", cfg->vendor);
	tv_set(ctx, "program", cfg->program);
	tv_set(ctx, "agreement_name", cfg->agreement);
	struct buf text;
	buf_init(&text, a);
	const char *name = arena_printf(a, "email/%s", tmpl);
	if (tmpl_render(ts, name, NULL, ctx, &text) < 0 || text.failed || text.p == NULL ||
	    !str_has_prefix(text.p, "Subject: ")) {
		log_msg("mail: template %s is missing or has no Subject line", name);
		return -1;
	}
	const char *nl = strchr(text.p, '\n');
	if (nl == NULL)
		return -1;
	char *subject = arena_strndup(a, text.p + 9, (size_t)(nl - text.p - 9));
	const char *body = nl + 1;
	while (*body == '\n')
		body++;
	int64_t now = now_sec();
	char *msg = mail_build(a, cfg, to, subject, body, now);
	if (msg == NULL) {
		log_msg("mail: refused to build a message to an unusable address");
		return -1;
	}
	if (db_run(db, Q_OUTBOX_INSERT, QI(now), QT(to), QT(subject), QT(tmpl), QB(msg, strlen(msg))) != 1)
		return -1;
	return db_last_id(db);
}

int
mail_queue(struct req *r, const char *to, const char *tmpl, struct tv *ctx)
{
	if (!r->db->in_tx || r->nmail == REQ_MAX_MAIL)
		return -1;
	int64_t id = mail_enqueue(r->db, r->a, &app.tmpl, &app.cfg, to, tmpl, ctx);
	if (id < 0)
		return -1;
	r->mail[r->nmail++] = id;
	return 0;
}

static int
write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* One file per message, named by its outbox id: a second delivery of the same message
 * replaces the file instead of duplicating it. Written to a temporary name, synced, renamed. */
static int
deliver_spool(const struct config *cfg, int64_t id, const char *msg, size_t len, char *err, size_t errlen)
{
	char tmp[1200], path[1200];
	unsigned char rnd[6];
	randombytes_buf(rnd, sizeof(rnd));
	snprintf(path, sizeof(path), "%s/%08lld.eml", cfg->mail_dir, (long long)id);
	snprintf(tmp, sizeof(tmp), "%s/.tmp-%08lld-%02x%02x%02x%02x", cfg->mail_dir, (long long)id, rnd[0], rnd[1], rnd[2], rnd[3]);
	int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
	if (fd < 0) {
		snprintf(err, errlen, "spool: %s", strerror(errno));
		return -1;
	}
	if (write_all(fd, msg, len) < 0 || fsync(fd) < 0) {
		snprintf(err, errlen, "spool write: %s", strerror(errno));
		close(fd);
		unlink(tmp);
		return -1;
	}
	close(fd);
	if (rename(tmp, path) < 0) {
		snprintf(err, errlen, "spool rename: %s", strerror(errno));
		unlink(tmp);
		return -1;
	}
	return 0;
}

static int
deliver_sendmail(const struct config *cfg, const char *msg, char *err, size_t errlen)
{
	/* A sendmail that exits without reading everything must not kill this process with
	 * SIGPIPE (portalctl does not ignore it): block it while writing, then discard one
	 * raised by our own writes; the failed write and the exit status report the error. */
	sigset_t pipe_set, old;
	sigemptyset(&pipe_set);
	sigaddset(&pipe_set, SIGPIPE);
	sigset_t pending;
	sigemptyset(&pending);
	sigpending(&pending);
	bool was_pending = sigismember(&pending, SIGPIPE);
	pthread_sigmask(SIG_BLOCK, &pipe_set, &old);
	FILE *p = popen(cfg->sendmail, "we");
	if (p == NULL) {
		snprintf(err, errlen, "sendmail: %s", strerror(errno));
		pthread_sigmask(SIG_SETMASK, &old, NULL);
		return -1;
	}
	/* sendmail expects local line ends. */
	for (const char *s = msg; *s; s++)
		if (!(s[0] == '\r' && s[1] == '\n') && fputc(*s, p) == EOF)
			break;
	int st = pclose(p);
	struct timespec zero = { 0, 0 };
	if (!was_pending)
		while (sigtimedwait(&pipe_set, NULL, &zero) == SIGPIPE)
			;
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (st == -1 || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		snprintf(err, errlen, "sendmail exited with status %d", st == -1 ? -1 : WEXITSTATUS(st));
		return -1;
	}
	return 0;
}

int
mail_deliver(const struct config *cfg, struct db *db, int64_t id)
{
	sqlite3_stmt *st = db_q(db, Q_OUTBOX_GET, QI(id));
	if (db_step(st) != SQLITE_ROW) {
		sqlite3_reset(st);
		return 0;		/* already delivered (by a retry elsewhere) */
	}
	size_t len = (size_t)sqlite3_column_bytes(st, 1);
	char *msg = malloc(len + 1);
	if (msg == NULL) {
		sqlite3_reset(st);
		return -1;
	}
	memcpy(msg, sqlite3_column_blob(st, 1), len);
	msg[len] = '\0';
	sqlite3_reset(st);
	char err[256] = "";
	int rc = strcmp(cfg->mail, "sendmail") == 0 ? deliver_sendmail(cfg, msg, err, sizeof(err))
	    : deliver_spool(cfg, id, msg, len, err, sizeof(err));
	free(msg);
	if (db_begin(db) == 0) {
		if (rc == 0)
			db_run(db, Q_OUTBOX_SENT, QI(now_sec()), QI(id));
		else
			db_run(db, Q_OUTBOX_FAILED, QT(err), QI(id));
		db_commit(db);
	}
	if (rc < 0)
		log_msg("mail: message %lld kept in the outbox: %s", (long long)id, err);
	return rc;
}

int
mail_deliver_pending(const struct config *cfg, struct db *db, int *sent)
{
	int64_t ids[256];
	int n = 0, failed = 0;
	*sent = 0;
	sqlite3_stmt *st = db_q0(db, Q_OUTBOX_UNSENT);
	while (n < (int)NELEM(ids) && db_step(st) == SQLITE_ROW)
		ids[n++] = db_i64(st, 0);
	sqlite3_reset(st);
	for (int i = 0; i < n; i++) {
		if (mail_deliver(cfg, db, ids[i]) == 0)
			(*sent)++;
		else
			failed++;
	}
	return failed;
}
