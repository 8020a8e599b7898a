/* replay: runs a fuzz harness as a plain program, so `make check` exercises each harness on
 * its seed corpus (and on crash reproducers added there) without libFuzzer. Each argument is
 * a file or a folder of files; a few edge inputs built in here run first. */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static size_t replay_count;

/* Feeds the harness a heap copy of exactly n bytes, as libFuzzer does, so AddressSanitizer
 * sees any read past the end. */
static void replay_bytes(const void *data, size_t n)
{
	uint8_t *copy = malloc(n ? n : 1);
	if (copy == NULL) {
		fprintf(stderr, "replay: out of memory\n");
		exit(1);
	}
	if (n)
		memcpy(copy, data, n);
	LLVMFuzzerTestOneInput(copy, n);
	free(copy);
	replay_count++;
}

static void replay_repeated(const char *unit, size_t total)
{
	size_t ulen = strlen(unit);
	char *b = malloc(total ? total : 1);
	if (b == NULL) {
		fprintf(stderr, "replay: out of memory\n");
		exit(1);
	}
	for (size_t i = 0; i < total; i++)
		b[i] = unit[i % ulen];
	replay_bytes(b, total);
	free(b);
}

static void replay_builtin(void)
{
	replay_bytes("", 0);
	replay_bytes("%", 1);
	replay_bytes("\0", 1);
	replay_bytes("\xff", 1);
	replay_bytes("{{", 2);
	replay_repeated("a", 64 * 1024);
	replay_repeated("%", 64 * 1024);
	replay_repeated("%41", 64 * 1024);
	replay_repeated("a=b&", 64 * 1024);
	replay_repeated("a=b; ", 64 * 1024);
	replay_repeated("|", 64 * 1024);
	replay_repeated("{{#if a}}", 16 * 1024);
	replay_repeated("\xc3\xa9", 64 * 1024);
}

static int replay_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (f == NULL) {
		perror(path);
		return -1;
	}
	size_t cap = 4096, n = 0;
	char *b = malloc(cap);
	for (;;) {
		if (b == NULL) {
			fclose(f);
			fprintf(stderr, "replay: out of memory\n");
			return -1;
		}
		n += fread(b + n, 1, cap - n, f);
		if (n < cap)
			break;
		cap *= 2;
		b = realloc(b, cap);
	}
	int bad = ferror(f);
	fclose(f);
	if (bad) {
		perror(path);
		free(b);
		return -1;
	}
	replay_bytes(b, n);
	free(b);
	return 0;
}

/* Replays every regular file in dir, in name order so runs are reproducible. */
static int replay_dir(const char *dir)
{
	struct dirent **names;
	int n = scandir(dir, &names, NULL, alphasort);
	if (n < 0) {
		perror(dir);
		return -1;
	}
	int rc = 0;
	for (int i = 0; i < n; i++) {
		char path[4096];
		struct stat st;
		int len = snprintf(path, sizeof(path), "%s/%s", dir, names[i]->d_name);
		if (names[i]->d_name[0] != '.' && len > 0 && (size_t)len < sizeof(path) &&
		    stat(path, &st) == 0 && S_ISREG(st.st_mode) && replay_file(path) != 0)
			rc = -1;
		free(names[i]);
	}
	free(names);
	return rc;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: %s CORPUS-FOLDER-OR-FILE...\n", argv[0]);
		return 2;
	}
	replay_builtin();
	int rc = 0;
	for (int i = 1; i < argc; i++) {
		struct stat st;
		if (stat(argv[i], &st) != 0) {
			perror(argv[i]);
			rc = 1;
		} else if (S_ISDIR(st.st_mode) ? replay_dir(argv[i]) : replay_file(argv[i])) {
			rc = 1;
		}
	}
	printf("%s: %zu inputs ran\n", argv[0], replay_count);
	return rc;
}
