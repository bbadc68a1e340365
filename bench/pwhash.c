/* pwhash.c — time of one Argon2id hash (crypto_pwhash_str, interactive limits), as the
 * portal computes it at sign-up and sign-in. Prints the median of N runs in ms. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double
ms_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int
cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

int
main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 9;
	if (sodium_init() < 0 || n < 1 || n > 1000)
		return 1;
	double t[1000];
	char out[crypto_pwhash_STRBYTES];
	const char *pw = "correct horse battery staple";
	for (int i = 0; i < n; i++) {
		double t0 = ms_now();
		if (crypto_pwhash_str(out, pw, strlen(pw), crypto_pwhash_OPSLIMIT_INTERACTIVE,
		    crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
			return 1;
		t[i] = ms_now() - t0;
	}
	qsort(t, (size_t)n, sizeof(t[0]), cmp);
	printf("%.1f\n", t[n / 2]);
	return 0;
}
