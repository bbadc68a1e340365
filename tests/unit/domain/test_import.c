/* test_import.c — the importers' scaffold (import.c), with a toy importer of "key,value"
 * files that writes into a table of its own: problems are numbered by physical line and
 * counted past the room for them, a bad row is not kept, any problem refuses the whole file
 * (nothing prepared, nothing written), the slow work runs outside the transaction and the
 * write inside one, and a failed write leaves nothing behind. The real importers' columns and
 * rules are in test_enroll.c (mpn_import) and test_customers.c (offers_import). */
#include "unit.h"

#include "domain/import.h"

/* The shared fixture, and the toy importer's own table. */
static void
setup(void)
{
	unit_db_setup();
	unit_sql_exec(DB.h, "CREATE TABLE toy (k TEXT PRIMARY KEY, v TEXT)");
}

/* What the toy importer saw and did. */
struct toy {
	int checked;			/* check_row calls */
	int together;			/* kept rows check_rows saw (-1: not called) */
	int prepared;			/* prepare calls */
	bool prepared_in_tx;
	int written;			/* rows write saw (-1: not called) */
	bool written_in_tx;
	bool fail_prepare, fail_write;
	const char *refuse_together;	/* a key check_rows refuses */
};

/* A key is 1-8 letters; a value one line. "dup" twice is refused by check_rows. */
static void
toy_check_row(struct import *im, struct import_row *r)
{
	struct toy *t = im->ctx;
	t->checked++;
	r->f[0] = str_lower_trim(im->a, r->f[0]);
	size_t n = strlen(r->f[0]);
	if (n == 0 || n > 8 || strspn(r->f[0], "abcdefghijklmnopqrstuvwxyz") != n)
		import_fail(im, r->line, arena_printf(im->a, "key must be 1 to 8 letters (found \"%s\")", r->f[0]));
	if (!import_one_line(r->f[1]))
		import_fail(im, r->line, "value must be one line");
}

static void
toy_check_rows(struct import *im)
{
	struct toy *t = im->ctx;
	t->together = im->n;
	for (int i = 0; i < im->n; i++)
		if (t->refuse_together != NULL && strcmp(im->rows[i].f[0], t->refuse_together) == 0)
			import_fail(im, im->rows[i].line, "refused together");
}

static int
toy_prepare(struct import *im)
{
	struct toy *t = im->ctx;
	t->prepared++;
	t->prepared_in_tx = !sqlite3_get_autocommit(DB.h);
	return t->fail_prepare ? -1 : 0;
}

static int
toy_write(struct import *im)
{
	struct toy *t = im->ctx;
	t->written = im->n;
	t->written_in_tx = !sqlite3_get_autocommit(DB.h);
	for (int i = 0; i < im->n; i++) {
		char *sql = sqlite3_mprintf("INSERT INTO toy VALUES (%Q, %Q)", im->rows[i].f[0], im->rows[i].f[1]);
		int rc = sqlite3_exec(DB.h, sql, NULL, NULL, NULL);
		sqlite3_free(sql);
		if (rc != SQLITE_OK)
			return -1;
	}
	return t->fail_write ? -1 : 0;
}

static const char *const toy_names[] = { "key", "value" };
static const struct importer toy_importer = {
	.table = { .names = toy_names, .ncols = 2, .columns = "key,value", .max_rows = 4, .too_many = "too many lines: at most 4" },
	.check_row = toy_check_row, .check_rows = toy_check_rows, .prepare = toy_prepare, .write = toy_write,
};

#define ROOM 3

static const char *errors[ROOM + 1];

/* Runs the toy importer over csv with room for `room` messages. */
static int
run(const char *csv, struct toy *t, struct import *im, int room)
{
	t->together = t->written = -1;
	for (int i = 0; i <= ROOM; i++)
		errors[i] = NULL;
	*im = (struct import){ .db = &DB, .a = &A, .ctx = t, .errors = errors, .max_errors = room };
	return import_run(im, &toy_importer, csv, strlen(csv));
}

static long long
toy_rows(void)
{
	return unit_sql_int(DB.h, "SELECT count(*) FROM toy");
}

/* A refused file: nothing prepared, nothing written. */
static void
assert_refused(const struct toy *t)
{
	ck_assert_int_eq(t->prepared, 0);
	ck_assert_int_eq(t->written, -1);
	ck_assert_int_eq(toy_rows(), 0);
}

/* Runs the toy importer over csv, which must be refused for one problem: msg. */
static void
expect_one_problem(const char *csv, struct toy *t, const char *msg)
{
	struct import im;
	ck_assert_int_eq(run(csv, t, &im, ROOM), 1);
	ck_assert_int_eq(im.nerrors, 1);
	ck_assert_str_eq(errors[0], msg);
	assert_refused(t);
}

START_TEST(a_good_file_is_prepared_then_written_in_one_transaction)
{
	UNIT_SQLITE_ONLY("uses sqlite3_* on DB.h");
	struct toy t = { 0 };
	struct import im;
	ck_assert_int_eq(run("Key,Value\r\nAlpha,one\r\n\r\nbeta,\"two, \"\"quoted\"\"\"\r\n", &t, &im, ROOM), 0);
	ck_assert_int_eq(im.nerrors, 0);
	ck_assert_int_eq(im.nread, 2);
	ck_assert_int_eq(t.checked, 2);
	ck_assert_int_eq(t.together, 2);
	ck_assert_int_eq(t.prepared, 1);
	ck_assert(!t.prepared_in_tx);
	ck_assert_int_eq(t.written, 2);
	ck_assert(t.written_in_tx);
	ck_assert(sqlite3_get_autocommit(DB.h));	/* committed: no transaction left open */
	/* The rows in file order, with their physical lines and the fields as check_row left them. */
	ck_assert_int_eq(im.rows[0].line, 2);
	ck_assert_str_eq(im.rows[0].f[0], "alpha");
	ck_assert_int_eq(im.rows[1].line, 4);
	ck_assert_str_eq(im.rows[1].f[1], "two, \"quoted\"");
	ck_assert_int_eq(toy_rows(), 2);
	ck_assert_int_eq(unit_sql_int(DB.h, "SELECT count(*) FROM toy WHERE k = 'alpha' AND v = 'one'"), 1);
}
END_TEST

START_TEST(problems_are_numbered_by_line_and_refuse_the_whole_file)
{
	struct toy t = { 0 };
	struct import im;
	const char *csv =
	    "key,value\n"		/* 1 */
	    "good,1\n"			/* 2 fine */
	    "bad key,2\n"		/* 3 key */
	    "only one field\n"		/* 4 columns */
	    "fine,\"3\n"		/* 5-6 a line break in a value */
	    "x\"\n"
	    "also,4\n";			/* 7 fine */
	ck_assert_int_eq(run(csv, &t, &im, ROOM), 1);
	ck_assert_int_eq(im.nerrors, 3);
	ck_assert_str_eq(errors[0], "line 3: key must be 1 to 8 letters (found \"bad key\")");
	ck_assert(strstr(errors[1], "line 4: expected 2 columns (key,value), found 1") == errors[1]);
	ck_assert_str_eq(errors[2], "line 5: value must be one line");
	ck_assert_int_eq(im.nread, 5);
	ck_assert_int_eq(t.checked, 4);	/* the row with the wrong column count never reaches the importer */
	/* Only the rows that are fine on their own are kept and checked together. */
	ck_assert_int_eq(im.n, 2);
	ck_assert_int_eq(t.together, 2);
	ck_assert_int_eq(im.rows[1].line, 7);
	assert_refused(&t);
}
END_TEST

START_TEST(problems_past_the_room_are_counted_not_kept)
{
	struct toy t = { 0 };
	struct import im;
	ck_assert_int_eq(run("key,value\n1,a\n2,b\n3,c\nok,d\n", &t, &im, 2), 1);
	ck_assert_int_eq(im.nerrors, 3);
	ck_assert(strstr(errors[0], "line 2: ") == errors[0]);
	ck_assert(strstr(errors[1], "line 3: ") == errors[1]);
	ck_assert_ptr_null(errors[2]);
	assert_refused(&t);
}
END_TEST

START_TEST(a_problem_among_the_rows_refuses_the_file)
{
	struct toy t = { .refuse_together = "dup" };
	expect_one_problem("key,value\nfirst,1\ndup,2\n", &t, "line 3: refused together");
	ck_assert_int_eq(t.together, 2);
}
END_TEST

START_TEST(the_file_itself_is_checked_before_any_row)
{
	struct toy t = { 0 };
	expect_one_problem("name,value\nkey,1\n", &t, "line 1: the header must be exactly: key,value");
	expect_one_problem("", &t, "line 1: the file is empty: the first line must be the header");
	expect_one_problem("key,value\n\xff,1\n", &t, "line 1: the file is not UTF-8 text");
	ck_assert_int_eq(t.checked, 0);
	ck_assert_int_eq(t.together, -1);
	/* The row past max_rows (4) is refused with the importer's own sentence. */
	expect_one_problem("key,value\na,1\nb,2\nc,3\nd,4\ne,5\n", &t, "line 6: too many lines: at most 4");
}
END_TEST

START_TEST(a_failed_prepare_or_write_leaves_nothing)
{
	UNIT_SQLITE_ONLY("injects a failing write through SQLite");
	struct toy t = { .fail_prepare = true };
	struct import im;
	ck_assert_int_eq(run("key,value\na,1\n", &t, &im, ROOM), -1);
	ck_assert_int_eq(t.prepared, 1);
	ck_assert_int_eq(t.written, -1);
	ck_assert_int_eq(im.nerrors, 0);
	t = (struct toy){ .fail_write = true };
	ck_assert_int_eq(run("key,value\na,1\nb,2\n", &t, &im, ROOM), -1);
	ck_assert_int_eq(t.written, 2);	/* both rows were written, then rolled back */
	ck_assert(sqlite3_get_autocommit(DB.h));
	ck_assert_int_eq(toy_rows(), 0);
	ck_assert_int_eq(im.nerrors, 0);
}
END_TEST

START_TEST(one_line_means_no_control_characters)
{
	ck_assert(import_one_line(""));
	ck_assert(import_one_line("Woodgrove Bank, Inc. — Ä"));
	ck_assert(!import_one_line("two\nlines"));
	ck_assert(!import_one_line("cr\r"));
	ck_assert(!import_one_line("tab\t"));
	ck_assert(!import_one_line("del\x7f"));
}
END_TEST

UNIT_MAIN("import",
	unit_case("scaffold", setup, unit_db_teardown, UNIT_TESTS(a_good_file_is_prepared_then_written_in_one_transaction,
	    problems_are_numbered_by_line_and_refuse_the_whole_file, problems_past_the_room_are_counted_not_kept,
	    a_problem_among_the_rows_refuses_the_file, the_file_itself_is_checked_before_any_row,
	    a_failed_prepare_or_write_leaves_nothing, one_line_means_no_control_characters)))
