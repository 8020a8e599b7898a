/* Unit tests for src/html: escaping and the template engine. */
#include <stdio.h>
#include <string.h>

#include "core/buf.h"
#include "core/pool.h"
#include "html/escape.h"
#include "html/tpl.h"
#include "unit.h"

/* Escapes s with fn into a static buffer the next call overwrites; a NULL fn frees it. */
static const char *escaped(void (*fn)(struct buf *, const char *, size_t), const char *s)
{
	static struct buf out;
	buf_free(&out);
	if (fn == NULL)
		return NULL;
	fn(&out, s, strlen(s));
	return out.data ? out.data : "";
}

static void test_escape_html(void)
{
	CHECK_STR(escaped(escape_html, ""), "");
	CHECK_STR(escaped(escape_html, "plain text"), "plain text");
	CHECK_STR(escaped(escape_html, "&"), "&amp;");
	CHECK_STR(escaped(escape_html, "<"), "&lt;");
	CHECK_STR(escaped(escape_html, ">"), "&gt;");
	CHECK_STR(escaped(escape_html, "\""), "&quot;");
	CHECK_STR(escaped(escape_html, "'"), "&#39;");
	CHECK_STR(escaped(escape_html, "<script>alert('x')</script>"),
		  "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;");
	CHECK_STR(escaped(escape_html, "\" onmouseover=\"x"), "&quot; onmouseover=&quot;x");
	CHECK_STR(escaped(escape_html, "a&amp;b"), "a&amp;amp;b");
	CHECK_STR(escaped(escape_html, "&&<<>>"), "&amp;&amp;&lt;&lt;&gt;&gt;");
	/* UTF-8 and whitespace pass through untouched. */
	CHECK_STR(escaped(escape_html, "Zo\xc3\xab \xe2\x82\xac \xf0\x9f\x98\x80"),
		  "Zo\xc3\xab \xe2\x82\xac \xf0\x9f\x98\x80");
	CHECK_STR(escaped(escape_html, "a\tb\nc"), "a\tb\nc");
	CHECK_STR(escaped(escape_html, "'; DROP TABLE clients;--"), "&#39;; DROP TABLE clients;--");

	/* Only n bytes are read. */
	struct buf out;
	buf_init(&out);
	escape_html(&out, "a<b", 2);
	CHECK_STR(out.data, "a&lt;");
	buf_free(&out);
}

static void test_escape_url(void)
{
	CHECK_STR(escaped(escape_url_component, ""), "");
	CHECK_STR(escaped(escape_url_component, "AZaz09-_.~"), "AZaz09-_.~");
	CHECK_STR(escaped(escape_url_component, "a b"), "a%20b");
	CHECK_STR(escaped(escape_url_component, "a+b&c=d/e?f#g%h"),
		  "a%2Bb%26c%3Dd%2Fe%3Ff%23g%25h");
	CHECK_STR(escaped(escape_url_component, "\"'<>"), "%22%27%3C%3E");
	CHECK_STR(escaped(escape_url_component, "\xc3\xa9"), "%C3%A9");
	CHECK_STR(escaped(escape_url_component, "\r\n"), "%0D%0A");
	CHECK_STR(escaped(escape_url_component, "javascript:alert(1)"),
		  "javascript%3Aalert%281%29");
}

/* Compiles text as template name; 0 or -1. The error message goes to e. */
static int load(const char *name, const char *text, struct err *e)
{
	return tpl_load_text(name, text, strlen(text), e);
}

/* Renders template name with v into a static buffer; NULL when it does not exist. A
 * NULL name frees the buffer. */
static const char *render(const char *name, struct tpl_vars *v)
{
	static struct buf out;
	buf_free(&out);
	if (name == NULL || tpl_render(name, v, &out) != 0)
		return NULL;
	return out.data ? out.data : "";
}

/* Compiles text as "t.html" (or the given name) and renders it with v, then unloads. */
static const char *once(const char *name, const char *text, struct tpl_vars *v)
{
	struct err e = {{0}};
	const char *r = NULL;
	if (load(name, text, &e) == 0) {
		const char *dot = strrchr(name, '.');
		char base[64];
		int blen = dot ? (int)(dot - name) : (int)strlen(name);
		snprintf(base, sizeof(base), "%.*s", blen, name);
		r = render(base, v);
	} else {
		fprintf(stderr, "compile error: %s\n", e.msg);
	}
	tpl_unload();
	return r;
}

static void test_tpl_vars(struct pool *pool)
{
	struct tpl_vars *v = tpl_vars_new(pool);
	tpl_set(v, "name", "<b>Ann & \"Bo\"</b>");
	tpl_set(v, "html", "<em>ours</em>");
	tpl_set(v, "q", "a b&c/d");
	tpl_set_int(v, "n", -42);
	tpl_setf(v, "f", "%s-%d", "x", 7);
	tpl_set_bool(v, "on", 1);
	tpl_set_bool(v, "off", 0);

	CHECK_STR(once("t.html", "", v), "");
	CHECK_STR(once("t.html", "just text", v), "just text");
	CHECK_STR(once("t.html", "Hi {{name}}!", v),
		  "Hi &lt;b&gt;Ann &amp; &quot;Bo&quot;&lt;/b&gt;!");
	CHECK_STR(once("t.html", "{{ name }}", v), "&lt;b&gt;Ann &amp; &quot;Bo&quot;&lt;/b&gt;");
	CHECK_STR(once("t.html", "<a title='{{name}}'>", v),
		  "<a title='&lt;b&gt;Ann &amp; &quot;Bo&quot;&lt;/b&gt;'>");
	CHECK_STR(once("t.html", "{{raw html}}", v), "<em>ours</em>");
	CHECK_STR(once("t.html", "{{html}}", v), "&lt;em&gt;ours&lt;/em&gt;");
	CHECK_STR(once("t.html", "/search?q={{url q}}", v), "/search?q=a%20b%26c%2Fd");
	CHECK_STR(once("t.html", "{{n}} {{f}} [{{on}}] [{{off}}] [{{missing}}]", v),
		  "-42 x-7 [1] [] []");
	/* Text outside tags is copied as is, braces included. */
	CHECK_STR(once("t.html", "a { b } {c} }} {", v), "a { b } {c} }} {");

	/* Setting again replaces; NULL unsets. */
	tpl_set(v, "name", "Cy");
	CHECK_STR(once("t.html", "{{name}}", v), "Cy");
	tpl_set(v, "name", NULL);
	CHECK_STR(once("t.html", "[{{name}}]", v), "[]");

	/* .txt templates are plain text: nothing is escaped. */
	tpl_set(v, "name", "<Ann & Bo>");
	CHECK_STR(once("mail.txt", "Dear {{name}},", v), "Dear <Ann & Bo>,");
	CHECK_STR(once("mail.txt", "{{url q}}", v), "a%20b%26c%2Fd");

	/* Comments vanish. */
	CHECK_STR(once("t.html", "a{{! a comment with {{name}} }}b", v), "a }}b");
	CHECK_STR(once("t.html", "a{{!comment}}b", v), "ab");
	CHECK_STR(once("t.html", "a{{! comment }}b", v), "ab");

	/* Rendering an unknown template fails. */
	CHECK(render("nowhere", v) == NULL);
}

static void test_tpl_blocks(struct pool *pool)
{
	struct tpl_vars *v = tpl_vars_new(pool);
	tpl_set(v, "yes", "1");
	tpl_set(v, "empty", "");
	tpl_set(v, "who", "<Ann>");
	tpl_add(v, "nobody"); /* a list with one empty item is still a list with items */

	CHECK_STR(once("t.html", "{{#if yes}}Y{{/if}}", v), "Y");
	CHECK_STR(once("t.html", "{{#if no}}Y{{/if}}", v), "");
	CHECK_STR(once("t.html", "{{#if empty}}Y{{else}}N{{/if}}", v), "N");
	CHECK_STR(once("t.html", "{{#if yes}}Y{{else}}N{{/if}}", v), "Y");
	CHECK_STR(once("t.html", "{{#if no}}Y{{ else }}N{{ /if }}", v), "N");
	CHECK_STR(once("t.html", "{{#unless yes}}U{{/unless}}", v), "");
	CHECK_STR(once("t.html", "{{#unless no}}U{{/unless}}", v), "U");
	CHECK_STR(once("t.html", "{{#unless no}}U{{else}}E{{/unless}}", v), "U");
	CHECK_STR(once("t.html", "{{#unless yes}}U{{else}}E{{/unless}}", v), "E");
	CHECK_STR(once("t.html", "{{#if nobody}}L{{/if}}", v), "L");
	CHECK_STR(once("t.html", "{{#if yes}}<p>{{who}}</p>{{/if}}", v), "<p>&lt;Ann&gt;</p>");

	/* Nested blocks. */
	CHECK_STR(once("t.html",
		       "{{#if yes}}a{{#if no}}b{{else}}c"
		       "{{#unless empty}}d{{/unless}}{{/if}}e{{/if}}",
		       v),
		  "acde");
	CHECK_STR(once("t.html",
		       "{{#if no}}{{#if yes}}x{{/if}}{{else}}{{#if yes}}y{{/if}}{{/if}}", v),
		  "y");
}

static void test_tpl_each(struct pool *pool)
{
	struct tpl_vars *v = tpl_vars_new(pool);
	tpl_set(v, "authority", "Fife & Angus");
	tpl_set(v, "name", "outer");
	const char *names[] = {"Ann", "<Bo>", "Cy"};
	for (int i = 0; i < 3; i++) {
		struct tpl_vars *item = tpl_add(v, "people");
		tpl_set(item, "name", names[i]);
		tpl_set_int(item, "i", i);
		if (i == 1) {
			tpl_set_bool(item, "flag", 1);
			struct tpl_vars *sub = tpl_add(item, "pets");
			tpl_set(sub, "pet", "cat");
			sub = tpl_add(item, "pets");
			tpl_set(sub, "pet", "dog");
		}
	}

	CHECK_STR(once("t.html", "{{#each people}}[{{i}}:{{name}}]{{/each}}", v),
		  "[0:Ann][1:&lt;Bo&gt;][2:Cy]");
	/* Names not in the item are looked up outwards. */
	CHECK_STR(once("t.html", "{{#each people}}{{name}}@{{authority}};{{/each}}", v),
		  "Ann@Fife &amp; Angus;&lt;Bo&gt;@Fife &amp; Angus;Cy@Fife &amp; Angus;");
	CHECK_STR(once("t.html",
		       "{{#each people}}{{#if flag}}*{{/if}}{{name}} {{/each}}{{name}}", v),
		  "Ann *&lt;Bo&gt; Cy outer");
	/* Nested lists, with the outer item and the top scope both visible. */
	CHECK_STR(once("t.html",
		       "{{#each people}}{{#each pets}}{{name}}:{{pet}}/{{authority}} "
		       "{{/each}}{{/each}}",
		       v),
		  "&lt;Bo&gt;:cat/Fife &amp; Angus &lt;Bo&gt;:dog/Fife &amp; Angus ");
	/* An empty or absent list renders nothing; a string is not a list. */
	CHECK_STR(once("t.html", "[{{#each nothing}}x{{/each}}]", v), "[]");
	CHECK_STR(once("t.html", "[{{#each authority}}x{{/each}}]", v), "[]");
	CHECK_STR(once("t.html", "{{#if people}}some{{/if}}{{#unless nothing}} none{{/unless}}", v),
		  "some none");
	/* A list is not printed as a value. */
	CHECK_STR(once("t.html", "[{{people}}]", v), "[]");

	/* Setting a list's name to a string replaces the list. */
	tpl_set(v, "people", "gone");
	CHECK_STR(once("t.html", "[{{#each people}}x{{/each}}]{{people}}", v), "[]gone");
}

static void test_tpl_partials_and_layout(struct pool *pool)
{
	struct err e = {{0}};
	struct tpl_vars *v = tpl_vars_new(pool);
	tpl_set(v, "title", "T<1>");
	tpl_set(v, "msg", "M&M");
	struct tpl_vars *item = tpl_add(v, "rows");
	tpl_set(item, "msg", "row");

	CHECK_INT(load("layout.html",
		       "<title>{{title}}</title><main>{{yield}}</main>{{> footer}}", &e),
		  0);
	CHECK_INT(load("footer.html", "<footer>{{msg}}</footer>", &e), 0);
	CHECK_INT(load("page.html", "<p>{{msg}}</p>{{#each rows}}{{> partials/row}}{{/each}}",
		       &e),
		  0);
	CHECK_INT(load("partials/row.html", "<i>{{msg}}</i>", &e), 0);
	CHECK_INT(load("loop.html", "[{{> loop}}]", &e), 0);
	CHECK_INT(load("ping.html", "a{{> pong}}", &e), 0);
	CHECK_INT(load("pong.html", "b{{> ping}}", &e), 0);

	CHECK_STR(render("footer", v), "<footer>M&amp;M</footer>");
	CHECK_STR(render("page", v), "<p>M&amp;M</p><i>row</i>");
	/* A partial that is not there renders as nothing. */
	CHECK_INT(load("holes.html", "a{{> nowhere}}b", &e), 0);
	CHECK_STR(render("holes", v), "ab");

	struct buf out;
	buf_init(&out);
	CHECK_INT(tpl_render_page("layout", "page", v, &out), 0);
	CHECK_STR(out.data,
		  "<title>T&lt;1&gt;</title><main><p>M&amp;M</p><i>row</i></main>"
		  "<footer>M&amp;M</footer>");
	buf_free(&out);
	CHECK_INT(tpl_render_page("layout", "nowhere", v, &out), -1);
	CHECK_INT(tpl_render_page("nowhere", "page", v, &out), -1);
	buf_free(&out);
	/* Without a page, {{yield}} renders nothing. */
	CHECK_STR(render("layout", v),
		  "<title>T&lt;1&gt;</title><main></main><footer>M&amp;M</footer>");

	/* A template that includes itself is a template bug, not a crash or a hang. */
	const char *r = render("loop", v);
	CHECK(r != NULL && r[0] == '[');
	r = render("ping", v);
	CHECK(r != NULL && r[0] == 'a');
	tpl_unload();

	/* Self-inclusion many times over must stay small rather than grow exponentially. */
	CHECK_INT(load("bomb.html",
		       "x{{> bomb}}{{> bomb}}{{> bomb}}{{> bomb}}{{> bomb}}{{> bomb}}", &e),
		  0);
	r = render("bomb", v);
	CHECK(r != NULL && strlen(r) < 100000);
	tpl_unload();

	/* A page that yields inside itself does not recurse. */
	CHECK_INT(load("l.html", "L({{yield}})", &e), 0);
	CHECK_INT(load("p.html", "P({{yield}})", &e), 0);
	buf_init(&out);
	CHECK_INT(tpl_render_page("l", "p", v, &out), 0);
	CHECK_STR(out.data, "L(P())");
	buf_free(&out);
	tpl_unload();

	/* After unloading, nothing is found; names can be loaded again. */
	CHECK(render("page", v) == NULL);
	CHECK_INT(load("page.html", "again", &e), 0);
	CHECK_STR(render("page", v), "again");
	tpl_unload();
}

/* 1 if text fails to compile with a message that contains want. */
static int fails(const char *text, const char *want)
{
	struct err e = {{0}};
	int rc = load("bad.html", text, &e);
	tpl_unload();
	if (rc == 0)
		return 0;
	if (strstr(e.msg, want) == NULL) {
		fprintf(stderr, "message \"%s\" lacks \"%s\"\n", e.msg, want);
		return 0;
	}
	return 1;
}

static void test_tpl_errors(void)
{
	CHECK(fails("{{#if a}}open", "not closed"));
	CHECK(fails("{{#each a}}open", "not closed"));
	CHECK(fails("{{#unless a}}open{{else}}more", "not closed"));
	CHECK(fails("{{#if a}}x{{/unless}}", "not closed"));
	CHECK(fails("{{#if a}}x{{/each}}", "not closed"));
	CHECK(fails("{{#each a}}x{{else}}y{{/each}}", "not closed"));
	CHECK(fails("{{#if a}}{{#each b}}x{{/if}}{{/each}}", "not closed"));
	CHECK(fails("{{#if a}}{{#if b}}x{{/if}}", "not closed"));
	CHECK(fails("text{{/if}}", "closing tag without its block"));
	CHECK(fails("{{else}}", "closing tag without its block"));
	CHECK(fails("a {{name", "unclosed {{"));
	CHECK(fails("a {{", "unclosed {{"));
	CHECK(fails("{{#if a}}{{name}", "unclosed {{"));
	CHECK(fails("{{bogus name}}", "unknown tag"));
	CHECK(fails("{{#for a}}x{{/for}}", "unknown tag"));
	CHECK(fails("{{}}", "name"));
	CHECK(fails("{{ }}", "name"));
	CHECK(fails("{{#if}}x{{/if}}", "name"));
	CHECK(fails("{{na<me}}", "name"));
	CHECK(fails("{{na.me}}", "name"));
	CHECK(fails("{{url a b}}", "name"));
	CHECK(fails("{{>}}", "name"));
	CHECK(fails("{{> }}", "name"));
	CHECK(fails("{{#if a b}}x{{/if}}", "name"));
	CHECK(fails("{{aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa}}", /* 64 characters */
		    "name"));

	/* The error names the file and line. */
	struct err e = {{0}};
	CHECK_INT(load("where.html", "line 1\nline 2\n{{#if a}}\n", &e), -1);
	CHECK(strstr(e.msg, "where.html:") == e.msg);
	CHECK_INT(load("where.html", "one\ntwo {{oops now}}", &e), -1);
	CHECK_STR(e.msg, "where.html:2: unknown tag");
	tpl_unload();

	/* A failed compile leaves nothing behind, and a good one after it works. */
	CHECK_INT(load("t.html", "{{#if a}}", &e), -1);
	CHECK_INT(load("t.html", "ok", &e), 0);
	CHECK_STR(render("t", NULL), "ok");
	tpl_unload();

	/* Names may hold letters, digits, _ - and /, up to 63 characters. */
	CHECK_INT(load("t.html",
		       "{{a_b-c/D9}}{{aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		       "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa}}", /* 63 characters */
		       &e),
		  0);
	tpl_unload();
	CHECK_INT(load("t.html", "{{raw}}", &e), 0); /* a variable called raw */
	tpl_unload();
}

/* Every template built into the binary compiles, and the emails are plain text. */
static void test_tpl_embedded(struct pool *pool)
{
	struct err e = {{0}};
	int rc = tpl_load(&e);
	CHECK_INT(rc, 0);
	if (rc != 0)
		fprintf(stderr, "tpl_load: %s\n", e.msg);
	struct tpl_vars *v = tpl_vars_new(pool);
	tpl_set(v, "first_name", "<Ann & Bo>");
	const char *r = render("email/invitation", v);
	CHECK(r != NULL && strstr(r, "<Ann & Bo>") != NULL);
	r = render("layout", v);
	CHECK(r != NULL && strstr(r, "<Ann & Bo>") == NULL);
	tpl_unload();
}

int main(void)
{
	struct pool *pool = pool_new();
	test_escape_html();
	test_escape_url();
	test_tpl_vars(pool);
	test_tpl_blocks(pool);
	test_tpl_each(pool);
	test_tpl_partials_and_layout(pool);
	test_tpl_errors();
	test_tpl_embedded(pool);
	pool_free(pool);
	/* Free the helpers' static buffers so leak checkers stay quiet. */
	escaped(NULL, NULL);
	render(NULL, NULL);
	return unit_finish("test_html");
}
