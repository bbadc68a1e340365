/* unit.h — shared by the Check suites in tests/unit/ (each test_*.c is its own binary,
 * linked against build/libportal.a). */
#ifndef UNIT_H
#define UNIT_H

#include <check.h>
#include <stdlib.h>

#include "app.h"

/* The process-wide settings and templates; main.c and portalctl.c define it for the
 * programs, each unit binary here. */
struct app app;

/* Runs one suite; the exit status is the number of failures (0 = all passed). */
static inline int
unit_run(Suite *s)
{
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

#endif
