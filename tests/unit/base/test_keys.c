/* test_keys.c — the key file: creation, permissions, loading and rotation (keys.c). */
#include "unit.h"

#include <sodium.h>

static char tmpdir[512], path[1024], err[512];

static void
setup(void)
{
	ck_assert_int_ge(sodium_init(), 0);
	unit_tmpdir(tmpdir, sizeof(tmpdir));
	snprintf(path, sizeof(path), "%s/secret.keys", tmpdir);
	err[0] = '\0';
}

static void
teardown(void)
{
	unit_rmtree(tmpdir);
}

/* The state word of key id in the file, or "" when absent. */
static const char *
state_in_file(uint32_t id)
{
	static char state[32];
	char text[8192];
	state[0] = '\0';
	ck_assert_int_gt(unit_read_file(path, text, sizeof(text)), 0);
	for (char *line = strtok(text, "\n"); line != NULL; line = strtok(NULL, "\n")) {
		unsigned kid;
		char st[32], hex[80];
		if (line[0] != '#' && sscanf(line, "%u %31s %79s", &kid, st, hex) == 3 && kid == id) {
			ck_assert_uint_eq(strlen(hex), 64);
			snprintf(state, sizeof(state), "%s", st);
		}
	}
	return state;
}

START_TEST(create_is_private)
{
	mode_t old = umask(0);		/* even with a permissive umask */
	ck_assert_int_eq(keys_create(path, err, sizeof(err)), 1);
	umask(old);
	struct stat st;
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0600);
	ck_assert_str_eq(state_in_file(1), "current");
	/* A second call keeps the existing file. */
	char before[8192], after[8192];
	unit_read_file(path, before, sizeof(before));
	ck_assert_int_eq(keys_create(path, err, sizeof(err)), 0);
	unit_read_file(path, after, sizeof(after));
	ck_assert_str_eq(before, after);
	/* No temporary file left behind. */
	char tmp[1100];
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	ck_assert_int_ne(access(tmp, F_OK), 0);
	/* It loads, and its key derives. */
	ck_assert_msg(keys_load(path, err, sizeof(err)) == 0, "%s", err);
	ck_assert_uint_eq(keys_current(), 1);
	unsigned char k1[32], k2[32];
	ck_assert_int_eq(keys_derive(1, "linktokn", k1), 0);
	ck_assert_int_eq(keys_derive(1, "csrf-tok", k2), 0);
	ck_assert(memcmp(k1, k2, 32) != 0);		/* one key per purpose */
	ck_assert_int_eq(keys_derive(2, "linktokn", k1), -1);
}
END_TEST

START_TEST(two_files_differ)
{
	char other[1100], a[8192], b[8192];
	snprintf(other, sizeof(other), "%s/other.keys", tmpdir);
	ck_assert_int_eq(keys_create(path, err, sizeof(err)), 1);
	ck_assert_int_eq(keys_create(other, err, sizeof(err)), 1);
	unit_read_file(path, a, sizeof(a));
	unit_read_file(other, b, sizeof(b));
	ck_assert_str_ne(a, b);
}
END_TEST

START_TEST(load_refuses_readable_file)
{
	ck_assert_int_eq(keys_create(path, err, sizeof(err)), 1);
	static const mode_t modes[] = { 0640, 0604, 0644, 0660, 0666, 0610 };
	for (size_t i = 0; i < NELEM(modes); i++) {
		ck_assert_int_eq(chmod(path, modes[i]), 0);
		err[0] = '\0';
		ck_assert_msg(keys_load(path, err, sizeof(err)) == -1, "mode %o accepted", (unsigned)modes[i]);
		ck_assert_ptr_nonnull(strstr(err, "chmod 600"));
	}
	ck_assert_int_eq(chmod(path, 0400), 0);
	ck_assert_msg(keys_load(path, err, sizeof(err)) == 0, "%s", err);
	ck_assert_int_eq(chmod(path, 0600), 0);
	ck_assert_msg(keys_load(path, err, sizeof(err)) == 0, "%s", err);
}
END_TEST

START_TEST(load_refuses_malformed)
{
	static const char *const bad[] = {
		"",							/* no current key */
		"1 valid 00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff\n",
		"1 current 00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff\n"
		"2 current 00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff\n",
		"1 current 0011\n",					/* short key */
		"1 current zz112233445566778899aabbccddeeff00112233445566778899aabbccddeeff\n",
		"1 sparkling 00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff\n",
		"0 current 00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff\n",
		"one current 00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff\n",
		"1 current\n",
	};
	for (size_t i = 0; i < NELEM(bad); i++) {
		unit_write_file(path, bad[i], 0600);
		err[0] = '\0';
		ck_assert_msg(keys_load(path, err, sizeof(err)) == -1, "accepted: %s", bad[i]);
		ck_assert_msg(err[0] != '\0', "no message for: %s", bad[i]);
	}
	/* A missing file says how to make one. */
	unlink(path);
	ck_assert_int_eq(keys_load(path, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "portalctl init"));
	/* Comments and blank lines are fine. */
	unit_write_file(path, "# keys\n\n3 current 00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff\n", 0600);
	ck_assert_msg(keys_load(path, err, sizeof(err)) == 0, "%s", err);
	ck_assert_uint_eq(keys_current(), 3);
}
END_TEST

START_TEST(rotate)
{
	ck_assert_int_eq(keys_create(path, err, sizeof(err)), 1);
	ck_assert_int_eq(keys_load(path, err, sizeof(err)), 0);
	unsigned char before[32], after[32];
	ck_assert_int_eq(keys_derive(1, "linktokn", before), 0);

	uint32_t kid = 0;
	ck_assert_msg(keys_rotate(path, 1, &kid, err, sizeof(err)) == 0, "%s", err);
	ck_assert_uint_eq(kid, 2);
	ck_assert_uint_eq(keys_current(), 2);
	ck_assert_str_eq(state_in_file(1), "valid");
	ck_assert_str_eq(state_in_file(2), "current");
	/* The previous key still works and is unchanged. */
	ck_assert_int_eq(keys_derive(1, "linktokn", after), 0);
	ck_assert(memcmp(before, after, 32) == 0);
	ck_assert_int_eq(keys_derive(2, "linktokn", after), 0);
	ck_assert(memcmp(before, after, 32) != 0);

	/* The next rotation retires key 1 (only one previous key is kept valid). */
	ck_assert_msg(keys_rotate(path, 1, &kid, err, sizeof(err)) == 0, "%s", err);
	ck_assert_uint_eq(kid, 3);
	ck_assert_str_eq(state_in_file(1), "retired");
	ck_assert_str_eq(state_in_file(2), "valid");
	ck_assert_str_eq(state_in_file(3), "current");
	ck_assert_int_eq(keys_derive(1, "linktokn", after), -1);
	ck_assert_int_eq(keys_derive(2, "linktokn", after), 0);
	/* The file stays private, and loads back to the same state. */
	struct stat st;
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0600);
	ck_assert_int_eq(keys_load(path, err, sizeof(err)), 0);
	ck_assert_uint_eq(keys_current(), 3);
	ck_assert_int_eq(keys_derive(1, "linktokn", after), -1);

	/* keep_valid = 2 keeps two previous keys. */
	ck_assert_int_eq(keys_rotate(path, 2, &kid, err, sizeof(err)), 0);
	ck_assert_str_eq(state_in_file(2), "valid");
	ck_assert_str_eq(state_in_file(3), "valid");
	ck_assert_str_eq(state_in_file(4), "current");
}
END_TEST

START_TEST(test_key_install_is_idempotent)
{
	/* Installing the test key again and again never leaves the table without a current key. */
	for (int i = 0; i < 3 * KEYS_MAX; i++)
		unit_key_install();
	ck_assert_uint_eq(keys_current(), UNIT_KID);
	unsigned char k[32];
	ck_assert_int_eq(keys_derive(UNIT_KID, "linktokn", k), 0);
	static const unsigned char other[32] = { 1 };
	keys_set_for_test(UNIT_KID + 1, other);
	ck_assert_uint_eq(keys_current(), UNIT_KID + 1);
	ck_assert_int_eq(keys_derive(UNIT_KID, "linktokn", k), 0);	/* the older one stays valid */
	unit_key_install();
	ck_assert_uint_eq(keys_current(), UNIT_KID);
}
END_TEST

UNIT_MAIN("keys",
	unit_case("keys", setup, teardown, UNIT_TESTS(create_is_private, two_files_differ, load_refuses_readable_file,
	    load_refuses_malformed, rotate, test_key_install_is_idempotent)))
