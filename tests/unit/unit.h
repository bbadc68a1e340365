/* unit.h — shared by the Check suites in tests/unit/ (each test_*.c is its own binary,
 * linked against build/libportal.a): the Check header, the process-wide `app` the
 * library refers to, and a main() that runs one suite and exits non-zero on failure. */
#ifndef UNIT_H
#define UNIT_H

#include <check.h>
#include <stdlib.h>

#include "app.h"

/* The process-wide settings and templates; main.c and portalctl.c define it for the
 * programs, each unit binary here (a tentative definition: a suite may repeat it). */
struct app app;

/* Runs one suite; EXIT_SUCCESS when every test passed. */
static inline int
unit_run(Suite *s)
{
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

#define UNIT_MAIN(make_suite) \
	int main(void) { return unit_run(make_suite()); }

#endif
