/* mkman.c — fills the man page templates man/<page>.in from the tables portal.fcgi --help and
 * portalctl help print: src/base/config.def (every setting) and src/cli/commands.def
 * (every command), so the pages and --help cannot drift apart. A build tool, not part of
 * the portal: mkman TEMPLATE > PAGE replaces a line "@SETTINGS@" with the settings as an
 * mdoc tag list and a line "@COMMANDS@" with the commands; other lines are copied. Built
 * with the installed build's defaults (build/inst/paths.h), so the pages show the paths
 * the installed programs use. */
#include <stdio.h>
#include <string.h>

#include "base/config.h"

struct setting {
	const char *env, *def, *help;
};
static const struct setting settings[] = {
#define CONF(field, env, def, help) { env, def, help },
#include "base/config.def"
#undef CONF
};

struct command {
	const char *name, *args, *help;
};
static const struct command commands[] = {
#define CMD(name, args, help, fn, needs_db) { name, args, help },
#include "cli/commands.def"
#undef CMD
};

/* Text as mdoc text lines of at most 78 bytes (broken at spaces): backslashes escaped, a
 * leading dot or quote guarded. */
static void
text(const char *s)
{
	size_t col = 0;
	while (*s) {
		size_t w = strcspn(s, " ");
		if (col > 0 && col + 1 + w > 78) {
			putchar('\n');
			col = 0;
		} else if (col > 0) {
			putchar(' ');
			col++;
		}
		if (col == 0 && (*s == '.' || *s == '\''))
			fputs("\\&", stdout);
		for (size_t i = 0; i < w; i++) {
			if (s[i] == '\\')
				fputs("\\e", stdout);
			else
				putchar(s[i]);
		}
		col += w;
		s += w;
		while (*s == ' ')
			s++;
	}
}

static void
print_settings(void)
{
	printf(".Bl -tag -width Ds\n");
	for (size_t i = 0; i < sizeof(settings) / sizeof(settings[0]); i++) {
		printf(".It Ev %s\n", settings[i].env);
		text(settings[i].help);
		printf(".\n");
		if (*settings[i].def)
			printf("Default:\n.Ql \"%s\" .\n", settings[i].def);
		else
			printf("Default: empty.\n");
	}
	printf(".El\n");
}

static void
print_commands(void)
{
	printf(".Bl -tag -width Ds\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		printf(".It Cm \"%s\"", commands[i].name);
		if (*commands[i].args)
			printf(" Ar \"%s\"", commands[i].args);
		printf("\n");
		text(commands[i].help);
		printf(".\n");
	}
	printf(".El\n");
}

int
main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: mkman TEMPLATE > PAGE\n");
		return 2;
	}
	FILE *fp = fopen(argv[1], "r");
	if (fp == NULL) {
		perror(argv[1]);
		return 1;
	}
	char line[4096];
	while (fgets(line, sizeof(line), fp) != NULL) {
		if (strcmp(line, "@SETTINGS@\n") == 0)
			print_settings();
		else if (strcmp(line, "@COMMANDS@\n") == 0)
			print_commands();
		else
			fputs(line, stdout);
	}
	fclose(fp);
	return 0;
}
