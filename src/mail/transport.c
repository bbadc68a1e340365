/* transport.c — delivering outbox messages (mail.h): one .eml file per message in the
 * spool directory, or a pipe to sendmail. A failed delivery stays queued. */
#include "mail/mail.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdbool.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

#include "base/log.h"
#include "base/util.h"

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

/* The spool: one file per message, named by its outbox id, so a second delivery of the
 * same message replaces the file instead of duplicating it. Each is written to a temporary
 * name, synced, renamed, and the directory synced (the name is on disk before the message is
 * marked sent).
 * Issue 17 (the order POST): the sender thread takes the messages queued meanwhile and
 * spools them together: one sync of the filesystem's data for all their files (syncfs; a
 * single message: its own fsync), then the renames, then one sync of the directory. Each
 * file's own fsync was the bound of the whole order POST: on this machine's ext4 (no journal)
 * every one writes the file and its inode block apart, 1.2-1.8 ms per message one by one,
 * 0.2-0.6 ms in batches of 8-64 (measured with a small C program writing 3 KB files).
 * syncfs also writes whatever else of that filesystem is dirty: the database's own pages,
 * which its checkpoints sync anyway. */
struct spooled {
	int64_t id;
	int fd;			/* the temporary file, written; -1 once closed */
	int rc;			/* 0 so far, -1 failed (err) */
	char tmp[1100], path[1100], err[256];
};

/* Writes msg to a temporary file of the spool; f->fd stays open. */
static void
spool_write(const struct config *cfg, struct spooled *f, const char *msg, size_t len)
{
	unsigned char rnd[4];
	randombytes_buf(rnd, sizeof(rnd));
	snprintf(f->path, sizeof(f->path), "%s/%08lld.eml", cfg->mail_dir, (long long)f->id);
	snprintf(f->tmp, sizeof(f->tmp), "%s/.tmp-%08lld-%02x%02x%02x%02x", cfg->mail_dir, (long long)f->id,
	    rnd[0], rnd[1], rnd[2], rnd[3]);
	f->fd = open(f->tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
	if (f->fd < 0) {
		snprintf(f->err, sizeof(f->err), "spool: %s", strerror(errno));
		f->rc = -1;
		return;
	}
	if (write_all(f->fd, msg, len) < 0) {
		snprintf(f->err, sizeof(f->err), "spool write: %s", strerror(errno));
		close(f->fd);
		f->fd = -1;
		unlink(f->tmp);
		f->rc = -1;
	}
}

/* Fails every file of v still on its way with why. */
static void
spool_fail_all(struct spooled *v, int n, const char *why)
{
	for (int i = 0; i < n; i++)
		if (v[i].rc == 0) {
			v[i].rc = -1;
			snprintf(v[i].err, sizeof(v[i].err), "%s", why);
		}
}

/* Syncs the written files of v (one syncfs for several, an fsync for one), closes and
 * renames them, then syncs the directory once. */
static void
spool_finish(const struct config *cfg, struct spooled *v, int n)
{
	int written = 0, any = -1;
	for (int i = 0; i < n; i++)
		if (v[i].fd >= 0) {
			written++;
			any = v[i].fd;
		}
	if (written > 0 && (written == 1 ? fsync(any) : syncfs(any)) < 0) {
		char why[200];
		snprintf(why, sizeof(why), "spool sync: %s", strerror(errno));
		spool_fail_all(v, n, why);
	}
	int renamed = 0;
	for (int i = 0; i < n; i++) {
		struct spooled *f = &v[i];
		if (f->fd < 0)
			continue;
		close(f->fd);
		f->fd = -1;
		if (f->rc == 0 && rename(f->tmp, f->path) < 0) {
			snprintf(f->err, sizeof(f->err), "spool rename: %s", strerror(errno));
			f->rc = -1;
		}
		if (f->rc < 0)
			unlink(f->tmp);
		else
			renamed++;
	}
	if (renamed == 0)
		return;
	int dir = open(cfg->mail_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dir >= 0 && fsync(dir) == 0) {
		close(dir);
		return;
	}
	/* the files are there, but whether their names survive a power cut is unknown: kept
	 * queued (a second delivery replaces the same file) */
	char why[200];
	snprintf(why, sizeof(why), "spool directory sync: %s", strerror(errno));
	if (dir >= 0)
		close(dir);
	spool_fail_all(v, n, why);
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
	/* The command runs under /bin/sh as popen's would, but the child keeps only the pipe as
	 * its standard input: every other descriptor of this process is closed in it (a
	 * FastCGI connection accepted by another thread is not close-on-exec; a sendmail holding
	 * it kept nginx waiting for the connection's end until sendmail exited). */
	int fds[2];
	if (pipe2(fds, O_CLOEXEC) < 0) {
		snprintf(err, errlen, "sendmail: %s", strerror(errno));
		pthread_sigmask(SIG_SETMASK, &old, NULL);
		return -1;
	}
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, fds[0], 0);
	posix_spawn_file_actions_addclosefrom_np(&fa, 3);
	char *argv[] = { "sh", "-c", (char *)cfg->sendmail, NULL };
	pid_t pid;
	int rc = posix_spawn(&pid, "/bin/sh", &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(fds[0]);
	FILE *p = rc == 0 ? fdopen(fds[1], "w") : NULL;
	if (p == NULL) {
		snprintf(err, errlen, "sendmail: %s", strerror(rc != 0 ? rc : errno));
		close(fds[1]);
		if (rc == 0)
			while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
				;
		pthread_sigmask(SIG_SETMASK, &old, NULL);
		return -1;
	}
	/* sendmail expects local line ends. */
	for (const char *c = msg; *c; c++)
		if (!(c[0] == '\r' && c[1] == '\n') && fputc(*c, p) == EOF)
			break;
	fclose(p);
	int st;
	while ((rc = waitpid(pid, &st, 0)) < 0 && errno == EINTR)
		;
	if (rc < 0)
		st = -1;
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

/* The claimant is made once per thread and process (issue 17: gethostname and getpid, two
 * system calls per message, 1 % of the order POST's CPU): a fork (the supervisor's worker)
 * counts a new generation in the child, and a thread's copy of an older one is made again.
 * It also stays the same for the process's life if the host is renamed meanwhile, so the
 * process still knows its own claims. */
static unsigned claimant_forks;
static pthread_once_t claimant_once = PTHREAD_ONCE_INIT;
static __thread unsigned claimant_gen;	/* claimant_forks + 1 when made; 0: never */
static __thread char claimant_text[160];

static void
claimant_forked(void)
{
	claimant_forks++;	/* in the child, its only thread */
}

static void
claimant_init(void)
{
	pthread_atfork(NULL, NULL, claimant_forked);
}

void
mail_claimant(char *out, size_t outlen)
{
	pthread_once(&claimant_once, claimant_init);
	if (claimant_gen != claimant_forks + 1) {
		char host[128] = "";
		if (gethostname(host, sizeof(host) - 1) != 0 || host[0] == '\0')
			snprintf(host, sizeof(host), "localhost");
		host[sizeof(host) - 1] = '\0';
		snprintf(claimant_text, sizeof(claimant_text), "%s:%d", host, (int)getpid());
		claimant_gen = claimant_forks + 1;
	}
	snprintf(out, outlen, "%s", claimant_text);
}

/* The message id for this process to deliver: its own (claimed when its action queued it,
 * mail_enqueue_claimed: no claim transaction), or claimed now in a transaction of its own,
 * committed before anything is sent: whoever's UPDATE changed the row delivers, every other
 * process leaves the message alone. 1 (*msg to free), 0 not this process's, -1. */
static int
take(struct store *s, int64_t id, const char *by, int64_t now, char **msg, size_t *len)
{
	int found = st_outbox_own_message(s, id, by, now, msg, len);
	store_clear_failure(s);
	if (found != 0)
		return found;
	int claimed = -1;
	if (store_begin_write(s) == 0) {
		claimed = st_outbox_claim(s, id, by, now, now + MAIL_CLAIM_SECONDS);
		if (store_commit(s) < 0)
			claimed = -1;
	}
	store_clear_failure(s);
	if (claimed <= 0)
		return claimed;
	found = st_outbox_message(s, id, msg, len);
	store_clear_failure(s);
	return found;
}

/* Records what became of the taken messages v[0..n) (sent, or failed and kept queued) in
 * one transaction. Bookkeeping: lost on a power cut, a message is delivered again (the spool
 * file is replaced, sendmail gets it twice), as when this process dies right here. */
static void
record(struct store *s, const char *by, const struct spooled *v, int n)
{
	if (n == 0)
		return;
	if (store_begin_write(s) == 0) {
		int64_t now = now_sec();
		for (int i = 0; i < n; i++)
			if (v[i].rc == 0)
				st_outbox_sent(s, v[i].id, by, now);
			else
				st_outbox_failed(s, v[i].id, by, v[i].err);
		store_commit_nosync(s);
	}
	store_clear_failure(s);	/* the delivery's bookkeeping belongs to no request */
	for (int i = 0; i < n; i++)
		if (v[i].rc < 0)
			log_msg("mail: message %lld kept in the outbox: %s", (long long)v[i].id, v[i].err);
}

/* At most this many messages are spooled together (and open at once). */
#define SPOOL_BATCH 64

/* Delivers ids[0..n) (n <= SPOOL_BATCH): each one this process takes is delivered and
 * recorded. Adds the delivered to *sent; returns how many failed (kept in the outbox). */
static int
deliver_batch(const struct config *cfg, struct store *s, const int64_t *ids, int n, int *sent)
{
	char by[160];
	mail_claimant(by, sizeof(by));
	struct spooled *v = calloc((size_t)n, sizeof(*v));
	if (v == NULL)
		return n;
	bool spool = strcmp(cfg->mail, "sendmail") != 0;
	int64_t now = now_sec();
	int k = 0, failed = 0;
	for (int i = 0; i < n; i++) {
		char *msg = NULL;
		size_t len = 0;
		int found = take(s, ids[i], by, now, &msg, &len);
		if (found < 0)
			failed++;
		if (found <= 0)
			continue;
		struct spooled *f = &v[k++];
		f->id = ids[i];
		f->fd = -1;
		if (spool)
			spool_write(cfg, f, msg, len);
		else
			f->rc = deliver_sendmail(cfg, msg, f->err, sizeof(f->err));
		free(msg);
	}
	if (spool)
		spool_finish(cfg, v, k);
	record(s, by, v, k);
	for (int i = 0; i < k; i++)
		if (v[i].rc == 0)
			(*sent)++;
		else
			failed++;
	free(v);
	return failed;
}

int
mail_deliver_many(const struct config *cfg, struct store *s, const int64_t *ids, int n, int *sent)
{
	int failed = 0, here = 0;
	for (int i = 0; i < n; i += SPOOL_BATCH)
		failed += deliver_batch(cfg, s, ids + i, n - i < SPOOL_BATCH ? n - i : SPOOL_BATCH, &here);
	if (sent != NULL)
		*sent = here;
	return failed;
}

int
mail_deliver(const struct config *cfg, struct store *s, int64_t id)
{
	return mail_deliver_many(cfg, s, &id, 1, NULL) > 0 ? -1 : 0;
}

int
mail_deliver_pending(const struct config *cfg, struct store *s, int *sent)
{
	int64_t ids[256];
	int n = st_outbox_unsent(s, now_sec(), ids, (int)NELEM(ids));
	store_clear_failure(s);
	return mail_deliver_many(cfg, s, ids, n, sent);
}
