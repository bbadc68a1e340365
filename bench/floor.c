/* floor.c — the stack's floor for bench/side.sh: a bare libfcgi program that answers every
 * request with one fixed HTML page of SIZE bytes (the Overview's size, measured by the bench)
 * and the same response headers the portal sends, from THREADS threads on the unix socket
 * PATH. Nothing else: no parsing, no database, no templates — what nginx + FastCGI cost.
 *
 *   floor PATH SIZE THREADS
 *
 * Stops on SIGTERM. */
#include <fcgiapp.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int listen_fd;
static char *page;
static size_t page_len;
static char head[1024];
static int head_len;

static void *
serve(void *arg)
{
	(void)arg;
	FCGX_Request r;
	if (FCGX_InitRequest(&r, listen_fd, 0) != 0)
		return NULL;
	while (FCGX_Accept_r(&r) >= 0) {
		FCGX_PutStr(head, head_len, r.out);
		FCGX_PutStr(page, (int)page_len, r.out);
		FCGX_Finish_r(&r);
	}
	return NULL;
}

int
main(int argc, char **argv)
{
	if (argc != 4) {
		fprintf(stderr, "usage: floor PATH SIZE THREADS\n");
		return 2;
	}
	page_len = strtoul(argv[2], NULL, 10);
	int n = atoi(argv[3]);
	if (page_len < 64 || page_len > 1 << 20 || n < 1 || n > 256) {
		fprintf(stderr, "floor: SIZE 64..1048576, THREADS 1..256\n");
		return 2;
	}
	page = malloc(page_len);
	if (page == NULL)
		return 1;
	static const char open[] = "<!doctype html><html lang=\"en\"><title>Floor</title><body><p>";
	static const char close[] = "</p></body></html>\n";
	memcpy(page, open, sizeof(open) - 1);
	memset(page + sizeof(open) - 1, 'x', page_len - (sizeof(open) - 1) - (sizeof(close) - 1));
	memcpy(page + page_len - (sizeof(close) - 1), close, sizeof(close) - 1);
	head_len = snprintf(head, sizeof(head),
	    "Status: 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: %zu\r\n"
	    "Cache-Control: no-store\r\n"
	    "Content-Security-Policy: default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; "
	    "font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; "
	    "object-src 'none'\r\n"
	    "X-Content-Type-Options: nosniff\r\nX-Frame-Options: DENY\r\nReferrer-Policy: no-referrer\r\n"
	    "Cross-Origin-Opener-Policy: same-origin\r\n"
	    "Permissions-Policy: camera=(), microphone=(), geolocation=()\r\n"
	    "X-Request-Id: 0123456789abcdef\r\n\r\n", page_len);
	FCGX_Init();
	signal(SIGTERM, SIG_DFL);	/* libfcgi's handler would only stop after the next request */
	mode_t old = umask(0117);
	listen_fd = FCGX_OpenSocket(argv[1], 256);
	umask(old);
	if (listen_fd < 0) {
		fprintf(stderr, "floor: %s: cannot listen\n", argv[1]);
		return 1;
	}
	pthread_t *t = calloc((size_t)n, sizeof(*t));
	for (int i = 0; i < n; i++)
		pthread_create(&t[i], NULL, serve, NULL);
	for (int i = 0; i < n; i++)
		pthread_join(t[i], NULL);
	return 0;
}
