/* sender.c — the portal's mail sender thread (issue 17, the order POST): a request's
 * messages are delivered by this thread, not by the worker thread that answered it. Delivery
 * (a synced spool file, or sendmail) took the worker as long again as the action itself,
 * and the worker answered no other request meanwhile. The messages are in the outbox
 * already (committed with the action), so this queue holds only their ids: when it is full,
 * or no sender runs (portalctl, unit tests), the caller delivers them itself as before. */
#include "mail/mail.h"

#include <pthread.h>
#include <stdbool.h>

#include "base/log.h"

#define SENDER_QUEUE 1024	/* ids; a full queue makes the workers deliver (back-pressure) */
#define SENDER_BATCH 64		/* ids taken from the queue at once */

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wake = PTHREAD_COND_INITIALIZER;
static int64_t queue[SENDER_QUEUE];
static int head, count;		/* under lock */
static bool running, stopping;	/* under lock: the thread was started; it is to stop */
static bool ready;		/* under lock: its connection is open (it takes ids) */
static pthread_t thread;
static const struct config *sender_cfg;
static struct store *sender_store;

static void *
sender_main(void *arg)
{
	const char *path = arg;
	/* Opened here, not before the workers start: a restarted worker answers sooner (each
	 * connection prepares every statement). Until it is open the queue takes nothing. */
	char err[512];
	if (store_open(&sender_store, path, false, err, sizeof(err)) < 0) {
		log_msg("mail: the sender thread could not open the database (requests deliver their own mail): %s", err);
		return NULL;
	}
	pthread_mutex_lock(&lock);
	ready = true;
	for (;;) {
		while (count == 0 && !stopping)
			pthread_cond_wait(&wake, &lock);
		if (count == 0)		/* stopping, and everything queued is delivered */
			break;
		/* everything queued meanwhile, spooled together (transport.c) */
		int64_t ids[SENDER_BATCH];
		int n = 0;
		while (count > 0 && n < SENDER_BATCH) {
			ids[n++] = queue[head];
			head = (head + 1) % SENDER_QUEUE;
			count--;
		}
		pthread_mutex_unlock(&lock);
		mail_deliver_many(sender_cfg, sender_store, ids, n, NULL);
		pthread_mutex_lock(&lock);
	}
	ready = false;
	pthread_mutex_unlock(&lock);
	store_close(sender_store);
	sender_store = NULL;
	return NULL;
}

int
mail_sender_start(const struct config *cfg, const char *db_path)
{
	pthread_mutex_lock(&lock);
	sender_cfg = cfg;
	head = count = 0;
	stopping = ready = false;
	running = pthread_create(&thread, NULL, sender_main, (void *)db_path) == 0;
	pthread_mutex_unlock(&lock);
	return running ? 0 : -1;
}

int
mail_sender_queue(const int64_t *ids, int n)
{
	pthread_mutex_lock(&lock);
	bool ok = ready && !stopping && SENDER_QUEUE - count >= n;
	for (int i = 0; ok && i < n; i++)
		queue[(head + count++) % SENDER_QUEUE] = ids[i];
	if (ok)
		pthread_cond_signal(&wake);
	pthread_mutex_unlock(&lock);
	return ok ? 0 : -1;
}

void
mail_sender_stop(void)
{
	pthread_mutex_lock(&lock);
	if (!running) {
		pthread_mutex_unlock(&lock);
		return;
	}
	stopping = true;
	pthread_cond_signal(&wake);
	int left = count;
	pthread_mutex_unlock(&lock);
	if (left > 0)
		log_msg("mail: delivering the %d queued message(s) before stopping", left);
	pthread_join(thread, NULL);
	pthread_mutex_lock(&lock);
	running = false;
	pthread_mutex_unlock(&lock);
}
