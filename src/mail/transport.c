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

void
mail_claimant(char *out, size_t outlen)
{
	char host[128] = "";
	if (gethostname(host, sizeof(host) - 1) != 0 || host[0] == '\0')
		snprintf(host, sizeof(host), "localhost");
	host[sizeof(host) - 1] = '\0';
	snprintf(out, outlen, "%s:%d", host, (int)getpid());
}

/* Claims, delivers and records message id. 1 delivered by this call, 0 nothing to do (sent
 * already, or another process holds it), -1 failed (kept in the outbox, claim released). */
static int
deliver_one(const struct config *cfg, struct store *s, int64_t id)
{
	char by[160];
	mail_claimant(by, sizeof(by));
	int64_t now = now_sec();
	char *msg = NULL;
	size_t len = 0;
	/* A message this process claimed when its action queued it (mail_enqueue_claimed):
	 * delivered without a claim transaction. */
	int found = st_outbox_own_message(s, id, by, now, &msg, &len);
	store_clear_failure(s);
	if (found < 0)
		return -1;
	if (found == 0) {
		/* The claim is a transaction of its own, committed before anything is sent: whoever's
		 * UPDATE changed the row delivers, every other process leaves the message alone. */
		int claimed = -1;
		if (store_begin_write(s) == 0) {
			claimed = st_outbox_claim(s, id, by, now, now + MAIL_CLAIM_SECONDS);
			if (store_commit(s) < 0)
				claimed = -1;
		}
		store_clear_failure(s);
		if (claimed <= 0)
			return claimed;
		found = st_outbox_message(s, id, &msg, &len);
		store_clear_failure(s);
		if (found <= 0)
			return found;
	}
	char err[256] = "";
	int rc = strcmp(cfg->mail, "sendmail") == 0 ? deliver_sendmail(cfg, msg, err, sizeof(err))
	    : deliver_spool(cfg, id, msg, len, err, sizeof(err));
	free(msg);
	if (store_begin_write(s) == 0) {
		if (rc == 0)
			st_outbox_sent(s, id, by, now_sec());
		else
			st_outbox_failed(s, id, by, err);
		/* Bookkeeping: lost on a power cut, the message is delivered again (the spool file
		 * is replaced, sendmail gets it twice), as when this process dies right here. */
		store_commit_nosync(s);
	}
	store_clear_failure(s);	/* the delivery's bookkeeping belongs to no request */
	if (rc < 0)
		log_msg("mail: message %lld kept in the outbox: %s", (long long)id, err);
	return rc < 0 ? -1 : 1;
}

int
mail_deliver(const struct config *cfg, struct store *s, int64_t id)
{
	return deliver_one(cfg, s, id) < 0 ? -1 : 0;
}

int
mail_deliver_pending(const struct config *cfg, struct store *s, int *sent)
{
	int64_t ids[256];
	int failed = 0;
	*sent = 0;
	int n = st_outbox_unsent(s, now_sec(), ids, (int)NELEM(ids));
	store_clear_failure(s);
	for (int i = 0; i < n; i++) {
		int rc = deliver_one(cfg, s, ids[i]);
		if (rc > 0)
			(*sent)++;
		else if (rc < 0)
			failed++;
	}
	return failed;
}
