/* main.c — portal.fcgi: start-up, the supervisor, the worker threads, clean shutdown.
 *
 * The parent checks everything first (settings, keys, templates, database schema) and
 * opens the FastCGI socket (mode 0660). It then forks the worker process and restarts it
 * within a second whenever it dies (Debian's libfcgi aborts on some malformed records;
 * the socket stays open meanwhile, so nginx's connections queue instead of failing).
 * The worker blocks signals, starts PORTAL_THREADS threads (one FCGX_Request and one
 * SQLite connection each) and a housekeeping thread, then waits in sigwait. On SIGTERM
 * it calls FCGX_ShutdownPending, shuts the listening socket down so every accept()
 * returns, joins the threads and closes the databases. */
#include <errno.h>
#include <fcgiapp.h>
#include <grp.h>
#include <malloc.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "base/portal.h"
#include "base/password.h"
#include "domain/access.h"
#include "domain/accounts.h"
#include "domain/session.h"
#include "web/dispatch.h"
#include "web/lifecycle.h"
#include "base/i18n.h"
#include "base/log.h"
#include "mail/mail.h"
#include "mail/webhook.h"
#include "domain/setup.h"
#include "base/util.h"
#include "domain/words.h"

/* The process's settings and templates: read-only once the workers run. */
static struct portal portal;

#define HOUSEKEEPING_EVERY 60	/* seconds: mail retry, session purge, WAL checkpoint */

static void
usage(FILE *out)
{
	fprintf(out,
	    "usage: portal.fcgi [--help | --check]\n"
	    "\n"
	    "The csp-portal FastCGI application. Run it behind nginx (see nginx.conf); it listens\n"
	    "on a unix socket (or, with PORTAL_LISTEN=HOST:PORT, on TCP at that one address, for\n"
	    "nodes on other machines than nginx) and serves every page of the partner portal.\n"
	    "\n"
	    "  --help    this text\n"
	    "  --check   check settings, keys, templates and the database, then exit\n"
	    "\n"
	    "On start it creates the data directory, the key file and the database if they are\n"
	    "missing, and applies pending schema migrations. SIGTERM or SIGINT stops it cleanly.\n"
	    "\n");
	config_help(out);
}

/* ---- worker process ---- */

static int listen_fd = -1;
static pthread_mutex_t hk_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t hk_cond = PTHREAD_COND_INITIALIZER;
static int stopping;

/* Ends a request and, without fastcgi_keep_conn, its connection. libfcgi's own close
 * shuts the sending side down and then sleeps in poll() until nginx closes its end (up to
 * 2 s, PERF-NOTES pitfall 2), so that a close with unread input never resets the
 * connection: one more sleep and wake-up of the thread per request (issue 17: the largest
 * single item of the worker's kernel time, 13% of its samples on the Overview). Here the
 * input is read to its end first (nginx has sent all of it: the empty FCGI_STDIN record
 * ends every request; a POST's body is already read), so nothing unread is left and a
 * plain close() is what the wait was for; the answer (END_REQUEST included) is written by
 * FCGX_Finish_r before the close, as before. A connection nginx keeps (keep_conn) is not
 * closed at all, as before. */
static void
finish_request(FCGX_Request *fr)
{
	if (fr->in != NULL && !fr->keepConnection) {
		char rest[512];
		while (FCGX_GetStr(rest, (int)sizeof(rest), fr->in) > 0)
			;
		fr->detached = 1;	/* libfcgi: close without its shutdown-and-wait */
	}
	FCGX_Finish_r(fr);
}

static void *
worker_main(void *arg)
{
	struct worker *w = arg;
	FCGX_Request fr;
	if (FCGX_InitRequest(&fr, listen_fd, 0) != 0) {
		log_msg("FCGX_InitRequest failed");
		return NULL;
	}
	while (FCGX_Accept_r(&fr) >= 0) {
		dispatch(&fr, w);
		finish_request(&fr);
	}
	FCGX_Free(&fr, 1);
	return NULL;
}

static void *
housekeeping_main(void *arg)
{
	struct store *s = arg;
	/* issue 13: delegated admin steps due while no node ran (a restart, a moved clock) at once */
	if (da_lifecycle_run(&portal, s, now_sec()) < 0)
		log_msg("housekeeping: delegated admin lifecycle failed");
	pthread_mutex_lock(&hk_lock);
	while (!stopping) {
		struct timespec until;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += HOUSEKEEPING_EVERY;
		while (!stopping && pthread_cond_timedwait(&hk_cond, &hk_lock, &until) != ETIMEDOUT)
			;
		if (stopping)
			break;
		pthread_mutex_unlock(&hk_lock);
		int sent = 0, failed = mail_deliver_pending(&portal.cfg, s, &sent);
		if (sent || failed)
			log_msg("housekeeping: mail retry: %d sent, %d still queued", sent, failed);
		sessions_purge(s, now_sec());
		signup_requests_purge(s, now_sec());
		if (da_lifecycle_run(&portal, s, now_sec()) < 0)
			log_msg("housekeeping: delegated admin lifecycle failed");
		store_checkpoint(s);
		store_clear_failure(s);
		pthread_mutex_lock(&hk_lock);
	}
	pthread_mutex_unlock(&hk_lock);
	return NULL;
}

/* The webhook sender (issue 14): a thread and a connection of its own, so no request waits
 * on a webhook; a pass every PORTAL_WEBHOOK_POLL seconds over the deliveries that are due. */
static void *
webhooks_main(void *arg)
{
	struct store *s = arg;
	pthread_mutex_lock(&hk_lock);
	while (!stopping) {
		struct timespec until;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += portal.cfg.webhook_poll_s;
		while (!stopping && pthread_cond_timedwait(&hk_cond, &hk_lock, &until) != ETIMEDOUT)
			;
		if (stopping)
			break;
		pthread_mutex_unlock(&hk_lock);
		int sent = 0, failed = webhook_deliver_pending(&portal.cfg, s, &sent);
		if (sent || failed)
			log_msg("webhooks: %d sent, %d failed", sent, failed);
		store_clear_failure(s);
		pthread_mutex_lock(&hk_lock);
	}
	pthread_mutex_unlock(&hk_lock);
	return NULL;
}

static int
worker_process(void)
{
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	/* Blocked before any thread starts, so only sigwait below ever sees them. */
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);

	/* Issue 17: a fixed mmap threshold. Memory above it (a long page's or a download's arena
	 * blocks) is mapped for the request and unmapped when the arena is reset. glibc's default
	 * threshold is dynamic: the first such block freed raises it to that block's size (up to
	 * 32 MiB), after which each thread keeps its largest bodies in its own heap for good (on
	 * the large database the worker grew to 90-100 MiB; 8 threads each holding a few MiB). */
	mallopt(M_MMAP_THRESHOLD, 256 * 1024);
	/* Fixing the mmap threshold also fixes the trim threshold at glibc's 128 KiB: a thread's
	 * heap gave back (madvise) whatever lay free above that after each free. SQLite frees a
	 * connection's whole page cache when another connection has written and allocates it
	 * again page by page, so under writes every thread's heap shrank and grew again with
	 * each request: madvise, page faults and sysmalloc were 15 % of the worker's CPU on the
	 * order POST (perf). Up to 1 MiB free stays with each heap. */
	mallopt(M_TRIM_THRESHOLD, 1024 * 1024);
	int n = portal.cfg.nthreads;
	route_table_init();
	struct worker *workers = aligned_alloc(WORKER_ALIGN, (size_t)n * sizeof(*workers));
	if (workers != NULL)
		memset(workers, 0, (size_t)n * sizeof(*workers));
	pthread_t *threads = calloc((size_t)n, sizeof(*threads));
	struct store *hk_store;
	char err[512];
	if (workers == NULL || threads == NULL)
		return 3;
	for (int i = 0; i < n; i++) {
		workers[i].portal = &portal;
		if (store_open(&workers[i].store, portal.cfg.db_path, false, err, sizeof(err)) < 0) {
			log_msg("worker: %s", err);
			return 2;
		}
		arena_init(&workers[i].arena, 64u << 20);
	}
	if (store_open(&hk_store, portal.cfg.db_path, false, err, sizeof(err)) < 0) {
		log_msg("worker: %s", err);
		return 2;
	}
	struct store *wh_store;
	if (webhook_sender_init() < 0 || store_open(&wh_store, portal.cfg.db_path, false, err, sizeof(err)) < 0) {
		log_msg("worker: webhooks: %s", err);
		return 2;
	}
	/* issue 17: the requests' mail is delivered by a thread of its own (mail/sender.c); without
	 * it, each request delivers its own */
	if (mail_sender_start(&portal.cfg, portal.cfg.db_path) < 0)
		log_msg("worker: no mail sender thread: requests deliver their own mail");
	pthread_t hk, wh;
	pthread_create(&hk, NULL, housekeeping_main, hk_store);
	pthread_create(&wh, NULL, webhooks_main, wh_store);
	for (int i = 0; i < n; i++)
		pthread_create(&threads[i], NULL, worker_main, &workers[i]);
	log_msg("portal: worker %d serving %s with %d threads", (int)getpid(),
	    *portal.cfg.listen ? portal.cfg.listen : portal.cfg.socket_path, n);

	int sig = 0;
	while (sigwait(&set, &sig) == 0 && sig == SIGHUP)
		;
	log_msg("portal: signal %d, stopping", sig);
	FCGX_ShutdownPending();
	shutdown(listen_fd, SHUT_RDWR);
	pthread_mutex_lock(&hk_lock);
	stopping = 1;
	pthread_cond_broadcast(&hk_cond);
	pthread_mutex_unlock(&hk_lock);
	unsigned long total = 0;
	for (int i = 0; i < n; i++) {
		pthread_join(threads[i], NULL);
		total += workers[i].requests;
		store_close(workers[i].store);
		arena_free(&workers[i].arena);
	}
	mail_sender_stop();	/* after the workers: what they queued is delivered */
	pthread_join(hk, NULL);
	store_close(hk_store);
	pthread_join(wh, NULL);
	store_close(wh_store);
	free(workers);
	free(threads);
	log_msg("portal: stopped after %lu requests", total);
	return 0;
}

/* ---- socket ---- */

/* PORTAL_LISTEN: a TCP listener bound to the one address given (a name is resolved once, at
 * start; the first address that binds is used). */
static int
open_tcp(char *err, size_t errlen)
{
	struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM,
	    .ai_flags = AI_PASSIVE | AI_NUMERICSERV }, *res = NULL;
	char port[16];
	snprintf(port, sizeof(port), "%d", portal.cfg.listen_port);
	int rc = getaddrinfo(portal.cfg.listen_host, port, &hints, &res);
	if (rc != 0) {
		snprintf(err, errlen, "PORTAL_LISTEN %s: %s", portal.cfg.listen, gai_strerror(rc));
		return -1;
	}
	int fd = -1, e = 0;
	for (struct addrinfo *ai = res; ai != NULL && fd < 0; ai = ai->ai_next) {
		fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
		if (fd < 0) {
			e = errno;
			continue;
		}
		int one = 1;
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		if (ai->ai_family == AF_INET6)
			setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
		if (bind(fd, ai->ai_addr, ai->ai_addrlen) != 0 || listen(fd, 256) != 0) {
			e = errno;
			close(fd);
			fd = -1;
		}
	}
	freeaddrinfo(res);
	if (fd < 0)
		snprintf(err, errlen, "PORTAL_LISTEN %s: cannot listen: %s", portal.cfg.listen, strerror(e));
	return fd;
}

static int
open_socket(char *err, size_t errlen)
{
	const char *path = portal.cfg.socket_path;
	char dir[1024];
	snprintf(dir, sizeof(dir), "%s", path);
	char *slash = strrchr(dir, '/');
	if (slash != NULL && slash != dir) {
		*slash = '\0';
		if (mkdir(dir, 0750) != 0 && errno != EEXIST) {
			snprintf(err, errlen, "%s: %s", dir, strerror(errno));
			return -1;
		}
	}
	struct stat st;
	if (lstat(path, &st) == 0) {
		if (!S_ISSOCK(st.st_mode)) {
			snprintf(err, errlen, "%s exists and is not a socket", path);
			return -1;
		}
		/* A live socket means another portal serves it; a dead one is left from a crash. */
		int probe = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
		struct sockaddr_un sa = { .sun_family = AF_UNIX };
		snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
		int live = probe >= 0 && connect(probe, (struct sockaddr *)&sa, sizeof(sa)) == 0;
		if (probe >= 0)
			close(probe);
		if (live) {
			snprintf(err, errlen, "%s: another portal is already listening", path);
			return -1;
		}
		unlink(path);
	}
	mode_t old = umask(0117);		/* created 0660, never wider even for a moment */
	int fd = FCGX_OpenSocket(path, 256);
	umask(old);
	if (fd < 0) {
		snprintf(err, errlen, "%s: cannot listen", path);
		return -1;
	}
	if (*portal.cfg.socket_group) {
		struct group *g = getgrnam(portal.cfg.socket_group);
		if (g == NULL || chown(path, (uid_t)-1, g->gr_gid) != 0) {
			snprintf(err, errlen, "%s: cannot give the socket to group %s", path, portal.cfg.socket_group);
			return -1;
		}
	}
	chmod(path, 0660);
	return fd;
}

/* ---- supervisor ---- */

static volatile sig_atomic_t sup_stop;
static volatile pid_t sup_child;

static void
sup_signal(int sig)
{
	sup_stop = 1;
	if (sup_child > 0)
		kill(sup_child, sig == SIGINT ? SIGTERM : sig);
}

static int
supervise(void)
{
	struct sigaction sa = { .sa_handler = sup_signal };
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	int64_t recent[5] = { 0 };
	int rc = 0;
	while (!sup_stop) {
		pid_t pid = fork();
		if (pid < 0) {
			log_msg("supervisor: fork: %s", strerror(errno));
			sleep(1);
			continue;
		}
		if (pid == 0) {
			signal(SIGTERM, SIG_DFL);
			signal(SIGINT, SIG_DFL);
			int wrc = worker_process();
			tmpl_set_free(&portal.tmpl);
			exit(wrc);
		}
		sup_child = pid;
		if (sup_stop)
			kill(pid, SIGTERM);
		int status;
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
		sup_child = 0;
		if (sup_stop)
			break;
		if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
			break;
		if (WIFEXITED(status) && WEXITSTATUS(status) == 2) {
			log_msg("supervisor: worker cannot start; giving up");
			rc = 1;
			break;
		}
		log_msg("supervisor: worker %d %s %d; restarting", (int)pid,
		    WIFSIGNALED(status) ? "killed by signal" : "exited with", WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
		/* Restart at once, but not more than five times in five seconds. */
		int64_t now = mono_usec();
		if (recent[0] && now - recent[0] < 5000000)
			sleep(1);
		memmove(recent, recent + 1, sizeof(recent) - sizeof(recent[0]));
		recent[4] = now;
	}
	return rc;
}

int
main(int argc, char **argv)
{
	bool check = false;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			usage(stdout);
			return 0;
		} else if (strcmp(argv[i], "--check") == 0) {
			check = true;
		} else {
			usage(stderr);
			return 2;
		}
	}
	char err[1024];
	if (config_load(&portal.cfg, err, sizeof(err)) < 0) {
		fprintf(stderr, "portal.fcgi: %s\n", err);
		return 2;
	}
	/* A key file named by PORTAL_KEY_FILE is the one every node shares: a node that made
	 * its own would sign links and forms no other node accepts. */
	if (*portal.cfg.key_file && access(portal.cfg.keys_path, F_OK) != 0) {
		fprintf(stderr, "portal.fcgi: PORTAL_KEY_FILE %s does not exist: copy the key file of the first node "
		    "(portalctl init creates it there)\n", portal.cfg.keys_path);
		return 1;
	}
	words_configure(&portal.cfg);
	if (password_init() < 0 || password_warm() < 0) {
		fprintf(stderr, "portal.fcgi: cannot initialize libsodium\n");
		return 1;
	}
	if (setup_data_dir(&portal.cfg, err, sizeof(err)) < 0) {
		fprintf(stderr, "portal.fcgi: %s\n", err);
		return 1;
	}
	if (tmpl_set_load(&portal.tmpl, portal.cfg.templates, err, sizeof(err)) < 0) {
		fprintf(stderr, "portal.fcgi: template error: %s\n", err);
		return 1;
	}
	/* issue 18: the catalogs and one locale object per language, before any thread */
	int nlang = i18n_init(portal.cfg.localedir);
	if (nlang < LANG__COUNT - 1)
		fprintf(stderr, "portal.fcgi: %d of %d languages have no locale (install locales-all): they are shown in English\n",
		    LANG__COUNT - 1 - nlang, LANG__COUNT - 1);
	if (check) {
		printf("ok: settings, keys, %zu templates and the database schema are in order\n", portal.tmpl.count);
		tmpl_set_free(&portal.tmpl);
		return 0;
	}
	FCGX_Init();
	listen_fd = *portal.cfg.listen ? open_tcp(err, sizeof(err)) : open_socket(err, sizeof(err));
	if (listen_fd < 0) {
		fprintf(stderr, "portal.fcgi: %s\n", err);
		return 1;
	}
	/* Issue 17: what start-up freed (the check of every statement in setup_data_dir, the
	 * templates' parse) back to the kernel before the fork, so the worker does not start with
	 * those pages resident (4-5 MiB of the parent's heap). */
	malloc_trim(0);
	int rc = str_eq(portal.cfg.supervise, "0") ? worker_process() : supervise();
	close(listen_fd);
	if (!*portal.cfg.listen)
		unlink(portal.cfg.socket_path);
	tmpl_set_free(&portal.tmpl);
	return rc;
}
