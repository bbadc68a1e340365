/* unit.h — what every Check suite shares: the Check header and a main() that runs one
 * suite and exits non-zero when a test failed. */
#ifndef UNIT_H
#define UNIT_H

#include <check.h>
#include <stdlib.h>

#define UNIT_MAIN(make_suite)                                           \
	int main(void)                                                  \
	{                                                               \
		SRunner *sr_ = srunner_create(make_suite());            \
		srunner_run_all(sr_, CK_NORMAL);                        \
		int failed_ = srunner_ntests_failed(sr_);               \
		srunner_free(sr_);                                      \
		return failed_ == 0 ? EXIT_SUCCESS : EXIT_FAILURE;      \
	}

#endif
