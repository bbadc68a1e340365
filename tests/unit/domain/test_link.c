/* test_link.c — emailed single-use links on a :memory: database (link.c). */
#include "unit.h"

#include <sodium.h>

#include "domain/link.h"

/* Issues a link in its own transaction. */
static char *
issue(enum token_purpose p, int64_t subject, int64_t ttl)
{
	ck_assert_int_eq(db_begin(&DB), 0);
	char *t = link_issue(&DB, &A, p, subject, ttl);
	ck_assert_ptr_nonnull(t);
	ck_assert_int_eq(db_commit(&DB), 0);
	return t;
}

/* Consumes a link in its own transaction; true when this call used it. */
static bool
use(const struct token *t)
{
	ck_assert_int_eq(db_begin(&DB), 0);
	bool ok = link_use(&DB, t);
	ck_assert_int_eq(db_commit(&DB), 0);
	return ok;
}

/* A password-reset link for subject 5, valid for ttl, that checks out: its text; its
 * token in *t. */
static char *
working_link(int64_t ttl, struct token *t)
{
	char *text = issue(TP_PASSWORD_RESET, 5, ttl);
	int64_t subject = 0;
	ck_assert_ptr_null(link_check(&DB, text, TP_PASSWORD_RESET, &subject, t));
	ck_assert_int_eq(subject, 5);
	return text;
}

START_TEST(issue_check_use_once)
{
	struct token t;
	char *text = working_link(3600, &t);
	int64_t subject;
	/* Checking changes nothing: check again, then use. */
	ck_assert_ptr_null(link_check(&DB, text, TP_PASSWORD_RESET, &subject, &t));
	ck_assert(use(&t));
	ck_assert(!use(&t));
	const char *msg = link_check(&DB, text, TP_PASSWORD_RESET, &subject, &t);
	ck_assert_ptr_nonnull(msg);
	ck_assert_ptr_nonnull(strstr(msg, "already been used"));
	ck_assert_int_eq(unit_sql_int(DB.h, "SELECT count(*) FROM link_tokens WHERE used_at IS NOT NULL"), 1);
}
END_TEST

START_TEST(use_rolled_back_can_be_used_again)
{
	struct token t;
	working_link(3600, &t);
	/* The action failed after consuming: its rollback gives the link back. */
	ck_assert_int_eq(db_begin(&DB), 0);
	ck_assert(link_use(&DB, &t));
	db_rollback(&DB);
	ck_assert(use(&t));
}
END_TEST

START_TEST(resend_replaces_first)
{
	char *first = issue(TP_PASSWORD_RESET, 5, 3600);
	char *second = issue(TP_PASSWORD_RESET, 5, 3600);
	ck_assert_str_ne(first, second);
	int64_t subject;
	struct token t1, t2;
	const char *msg = link_check(&DB, first, TP_PASSWORD_RESET, &subject, &t1);
	ck_assert_ptr_nonnull(msg);
	ck_assert_ptr_nonnull(strstr(msg, "replaced"));
	ck_assert_ptr_null(link_check(&DB, second, TP_PASSWORD_RESET, &subject, &t2));
	/* The first cannot be used even though its MAC is fine. */
	ck_assert_int_eq(token_open(first, TP_PASSWORD_RESET, now_sec(), &t1), TOKEN_OK);
	ck_assert(!use(&t1));
	ck_assert(use(&t2));
	/* Another subject's link and another purpose's link are untouched by a resend. */
	char *other = issue(TP_PASSWORD_RESET, 6, 3600);
	char *verify = issue(TP_VERIFY_CONTACT, 5, 3600);
	issue(TP_PASSWORD_RESET, 5, 3600);
	ck_assert_ptr_null(link_check(&DB, other, TP_PASSWORD_RESET, &subject, &t1));
	ck_assert_int_eq(subject, 6);
	ck_assert_ptr_null(link_check(&DB, verify, TP_VERIFY_CONTACT, &subject, &t1));
	ck_assert_int_eq(subject, 5);
}
END_TEST

START_TEST(expiry_mismatch)
{
	char *text = issue(TP_PASSWORD_RESET, 5, 3600);
	struct token t;
	ck_assert_int_eq(token_open(text, TP_PASSWORD_RESET, now_sec(), &t), TOKEN_OK);
	/* A validly signed token for the same row with another expiry: not this row's link. */
	char *longer = token_make(&A, TP_PASSWORD_RESET, t.row, t.expires + 86400);
	int64_t subject = 0;
	struct token t2;
	const char *msg = link_check(&DB, longer, TP_PASSWORD_RESET, &subject, &t2);
	ck_assert_ptr_nonnull(msg);
	ck_assert_int_eq(subject, 0);
	ck_assert(!use(&t2));
	/* The real one still works. */
	ck_assert(use(&t));
}
END_TEST

START_TEST(wrong_purpose_row)
{
	char *text = issue(TP_PASSWORD_RESET, 5, 3600);
	struct token t;
	ck_assert_int_eq(token_open(text, TP_PASSWORD_RESET, now_sec(), &t), TOKEN_OK);
	/* A token of another purpose naming this row finds no row of its purpose. */
	char *forged = token_make(&A, TP_SET_PASSWORD, t.row, t.expires);
	int64_t subject = 0;
	struct token t2;
	ck_assert_ptr_nonnull(link_check(&DB, forged, TP_SET_PASSWORD, &subject, &t2));
	ck_assert_int_eq(subject, 0);
	ck_assert_int_eq(token_open(forged, TP_SET_PASSWORD, now_sec(), &t2), TOKEN_OK);
	ck_assert(!use(&t2));
	/* And the password-reset token is refused on a set-password page. */
	const char *msg = link_check(&DB, text, TP_SET_PASSWORD, &subject, &t2);
	ck_assert_str_eq(msg, token_error_text(TOKEN_WRONG_PURPOSE));
	/* A row id that does not exist. */
	char *ghost = token_make(&A, TP_PASSWORD_RESET, 999, t.expires);
	ck_assert_ptr_nonnull(link_check(&DB, ghost, TP_PASSWORD_RESET, &subject, &t2));
	ck_assert(use(&t));
}
END_TEST

START_TEST(expired_link)
{
	struct token t;
	char *text = working_link(60, &t);
	int64_t subject;
	util_time_offset = 61;
	ck_assert_str_eq(link_check(&DB, text, TP_PASSWORD_RESET, &subject, &t), token_error_text(TOKEN_EXPIRED));
	/* Even with a token opened before expiry, the UPDATE refuses an expired row. */
	ck_assert(!use(&t));
}
END_TEST

START_TEST(missing_or_garbage)
{
	int64_t subject;
	struct token t;
	const char *msg = link_check(&DB, NULL, TP_PASSWORD_RESET, &subject, &t);
	ck_assert_ptr_nonnull(msg);
	ck_assert_ptr_nonnull(strstr(msg, "email"));
	ck_assert_str_eq(link_check(&DB, "invalid", TP_PASSWORD_RESET, &subject, &t), token_error_text(TOKEN_MALFORMED));
}
END_TEST

UNIT_MAIN("link",
	unit_case("link", unit_db_setup, unit_db_teardown, UNIT_TESTS(issue_check_use_once,
	    use_rolled_back_can_be_used_again, resend_replaces_first, expiry_mismatch, wrong_purpose_row,
	    expired_link, missing_or_garbage)))
