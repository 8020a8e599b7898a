/* Fuzzes the template compiler and renderer: the input is one template, HTML or (when its
 * first byte is odd) plain text, rendered alone, as a layout, as a page and through a
 * partial, with variables and nested lists set. Never a crash, a leak or a hang; and in HTML
 * a variable's markup never reaches the output unescaped unless the template asks for raw. */
#include <string.h>

#include "core/buf.h"
#include "core/pool.h"
#include "fuzz.h"
#include "html/tpl.h"

/* Markup no template text below can contain unless the input itself does. */
#define MARKER "<zq\"'&>"

static void set_vars(struct tpl_vars *v)
{
	tpl_set(v, "name", MARKER);
	tpl_set(v, "a", "1");
	tpl_set(v, "b", "");
	tpl_set(v, "x", "x y/z?&=");
	tpl_set_int(v, "n", 42);
	for (int i = 0; i < 3; i++) {
		struct tpl_vars *item = tpl_add(v, "items");
		tpl_set_int(item, "i", i);
		if (i != 1)
			tpl_set(item, "name", MARKER);
		struct tpl_vars *sub = tpl_add(item, "sub");
		tpl_set(sub, "a", i == 2 ? "" : "sub");
	}
}

static int contains(const uint8_t *data, size_t size, const char *needle)
{
	size_t n = strlen(needle);
	for (size_t i = 0; i + n <= size; i++)
		if (memcmp(data + i, needle, n) == 0)
			return 1;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int text_mode = size > 0 && (data[0] & 1);
	const char *name = text_mode ? "fuzz.txt" : "fuzz.html";
	struct err e;
	/* Helpers the input may refer to by name. */
	static const char part[] = "[{{name}}{{#each items}}{{i}}{{/each}}{{> fuzz}}]";
	static const char layout[] = "<main>{{yield}}</main>{{> fuzz}}";
	FUZZ_CHECK(tpl_load_text("part.html", part, sizeof(part) - 1, &e) == 0);
	FUZZ_CHECK(tpl_load_text("layout.html", layout, sizeof(layout) - 1, &e) == 0);

	if (tpl_load_text(name, (const char *)data, size, &e) == 0) {
		struct pool *pool = pool_new();
		struct tpl_vars *v = tpl_vars_new(pool);
		set_vars(v);
		struct buf out;
		buf_init(&out);
		FUZZ_CHECK(tpl_render("fuzz", v, &out) == 0);
		if (!text_mode && !contains(data, size, "raw") && !contains(data, size, "<zq"))
			FUZZ_CHECK(out.data == NULL || strstr(out.data, "<zq") == NULL);
		buf_reset(&out);
		FUZZ_CHECK(tpl_render("part", v, &out) == 0);
		buf_reset(&out);
		FUZZ_CHECK(tpl_render_page("layout", "fuzz", v, &out) == 0);
		buf_reset(&out);
		FUZZ_CHECK(tpl_render_page("fuzz", "part", v, &out) == 0);
		buf_reset(&out);
		FUZZ_CHECK(tpl_render_page("fuzz", "fuzz", v, &out) == 0);
		buf_free(&out);
		pool_free(pool);
	} else {
		FUZZ_CHECK(strncmp(e.msg, name, strlen(name)) == 0);
	}
	tpl_unload();
	return 0;
}
