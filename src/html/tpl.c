#include "html/tpl.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/embed.h"
#include "core/mem.h"
#include "html/escape.h"

/* ---- variables ---------------------------------------------------------------- */

struct tpl_entry {
	const char *name;
	uint32_t hash;               /* name_hash(name) */
	const char *value;           /* a string, or */
	struct tpl_vars *items;      /* the first item of a list */
	struct tpl_vars *last_item;
	struct tpl_entry *next;
};

struct tpl_vars {
	struct pool *pool;
	struct tpl_vars *parent;
	struct tpl_vars *next_item;  /* in the list this scope is an item of */
	struct tpl_entry *entries;
};

struct tpl_vars *tpl_vars_new(struct pool *pool)
{
	struct tpl_vars *v = pool_alloc(pool, sizeof(*v));
	v->pool = pool;
	return v;
}

/* A name's length and a few of its bytes, packed: entries and template tags carry it, and
 * a look-up compares it before the names. A page of a list looks names up thousands of
 * times (set and rendered), and one strcmp for the name that matches, after a compare of
 * two integers for the others, halved rendering My referrals (callgrind, bench/profile);
 * the bytes rather than a hash of all of them, because the hash cost as much again. */
static uint32_t name_hash(const char *name, size_t *len)
{
	size_t n = strlen(name);
	*len = n;
	if (n == 0)
		return 0;
	return (uint32_t)(n & 0xff) | (uint32_t)(unsigned char)name[0] << 8 |
	       (uint32_t)(unsigned char)name[n / 2] << 16 | (uint32_t)(unsigned char)name[n - 1] << 24;
}

static struct tpl_entry *entry_find(struct tpl_vars *v, const char *name, uint32_t hash)
{
	for (struct tpl_entry *e = v->entries; e; e = e->next)
		if (e->hash == hash && strcmp(e->name, name) == 0)
			return e;
	return NULL;
}

static struct tpl_entry *entry_get(struct tpl_vars *v, const char *name)
{
	size_t len;
	uint32_t hash = name_hash(name, &len);
	struct tpl_entry *e = entry_find(v, name, hash);
	if (e)
		return e;
	/* The entry and its name in one allocation. */
	e = pool_alloc(v->pool, sizeof(*e) + len + 1);
	char *copy = (char *)(e + 1);
	memcpy(copy, name, len + 1);
	e->name = copy;
	e->hash = hash;
	e->next = v->entries;
	v->entries = e;
	return e;
}

void tpl_set(struct tpl_vars *v, const char *name, const char *value)
{
	struct tpl_entry *e = entry_get(v, name);
	e->value = value;
	e->items = e->last_item = NULL;
}

void tpl_setf(struct tpl_vars *v, const char *name, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	tpl_set(v, name, pool_vprintf(v->pool, fmt, ap));
	va_end(ap);
}

void tpl_set_int(struct tpl_vars *v, const char *name, long long n)
{
	/* Without printf, whose format parsing costs more than the digits (one per row). */
	char digits[24];
	size_t i = sizeof(digits);
	unsigned long long u = n < 0 ? 0ULL - (unsigned long long)n : (unsigned long long)n;
	digits[--i] = '\0';
	do {
		digits[--i] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (n < 0)
		digits[--i] = '-';
	tpl_set(v, name, pool_strndup(v->pool, digits + i, sizeof(digits) - 1 - i));
}

void tpl_set_bool(struct tpl_vars *v, const char *name, int on)
{
	tpl_set(v, name, on ? "1" : NULL);
}

struct tpl_vars *tpl_add(struct tpl_vars *v, const char *name)
{
	struct tpl_entry *e = entry_get(v, name);
	struct tpl_vars *item = tpl_vars_new(v->pool);
	item->parent = v;
	e->value = NULL;
	if (e->last_item)
		e->last_item->next_item = item;
	else
		e->items = item;
	e->last_item = item;
	return item;
}

static struct tpl_entry *lookup(struct tpl_vars *v, const char *name, uint32_t hash)
{
	for (; v; v = v->parent) {
		struct tpl_entry *e = entry_find(v, name, hash);
		if (e)
			return e;
	}
	return NULL;
}

/* ---- compiled templates -------------------------------------------------------- */

enum node_kind { N_TEXT, N_VAR, N_URL, N_RAW, N_IF, N_UNLESS, N_EACH, N_PARTIAL, N_YIELD };

struct node {
	enum node_kind kind;
	const char *text; /* N_TEXT: points into the template's source */
	size_t len;
	char *name;
	uint32_t hash; /* name_hash(name) */
	struct node *body, *alt; /* children; alt is the {{else}} branch */
	size_t nbody, nalt;
};

struct template {
	char *name;
	int text_mode; /* .txt: no HTML escaping */
	char *source;
	struct node *nodes;
	size_t nnodes;
};

static struct template *templates;
static size_t ntemplates;

struct parser {
	const char *file;
	const char *src, *p, *end;
	struct err *e;
};

static int parse_fail(struct parser *ps, const char *what)
{
	int line = 1;
	for (const char *q = ps->src; q < ps->p && q < ps->end; q++)
		if (*q == '\n')
			line++;
	return err_set(ps->e, "%s:%d: %s", ps->file, line, what);
}

static void push(struct node **nodes, size_t *n, size_t *cap, struct node node)
{
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 8;
		*nodes = mem_realloc(*nodes, *cap * sizeof(**nodes));
	}
	(*nodes)[(*n)++] = node;
}

static int valid_name(const char *s, size_t n)
{
	if (n == 0 || n > 63)
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '_' || c == '-' || c == '/'))
			return 0;
	}
	return 1;
}

static void free_nodes(struct node *nodes, size_t n);

/* Parses nodes until end of input or a closing tag; *closer gets that tag's text. On
 * failure the nodes parsed so far are left in *out for the caller to free. */
static int parse_nodes(struct parser *ps, struct node **out, size_t *nout, const char **closer,
		       size_t *closer_len)
{
	size_t cap = 0;
	*out = NULL;
	*nout = 0;
	*closer = NULL;
	while (ps->p < ps->end) {
		const char *open = strstr(ps->p, "{{");
		if (open == NULL || open >= ps->end)
			open = ps->end;
		if (open > ps->p) {
			struct node t = {.kind = N_TEXT, .text = ps->p, .len = (size_t)(open - ps->p)};
			push(out, nout, &cap, t);
		}
		ps->p = open;
		if (open == ps->end)
			break;
		const char *close = strstr(open + 2, "}}");
		if (close == NULL)
			return parse_fail(ps, "unclosed {{");
		const char *tag = open + 2;
		size_t tlen = (size_t)(close - tag);
		while (tlen && *tag == ' ') {
			tag++;
			tlen--;
		}
		while (tlen && tag[tlen - 1] == ' ')
			tlen--;
		ps->p = close + 2;
		struct node n = {0};
		if (tlen && tag[0] == '!')
			continue;
		if (tlen && (tag[0] == '/' || (tlen == 4 && memcmp(tag, "else", 4) == 0))) {
			*closer = tag;
			*closer_len = tlen;
			return 0;
		}
		const char *arg = NULL;
		size_t alen = 0;
		const char *sp = memchr(tag, ' ', tlen);
		if (sp) {
			arg = sp + 1;
			alen = tlen - (size_t)(arg - tag);
			while (alen && *arg == ' ') {
				arg++;
				alen--;
			}
		}
		size_t wlen = sp ? (size_t)(sp - tag) : tlen;
		if (tlen == 5 && memcmp(tag, "yield", 5) == 0) {
			n.kind = N_YIELD;
			push(out, nout, &cap, n);
			continue;
		}
		int block = -1;
		if (wlen == 3 && memcmp(tag, "#if", 3) == 0)
			block = N_IF;
		else if (wlen == 7 && memcmp(tag, "#unless", 7) == 0)
			block = N_UNLESS;
		else if (wlen == 5 && memcmp(tag, "#each", 5) == 0)
			block = N_EACH;
		else if (wlen == 1 && tag[0] == '>')
			n.kind = N_PARTIAL;
		else if (wlen == 3 && memcmp(tag, "url", 3) == 0 && arg)
			n.kind = N_URL;
		else if (wlen == 3 && memcmp(tag, "raw", 3) == 0 && arg)
			n.kind = N_RAW;
		else if (!sp) {
			n.kind = N_VAR;
			arg = tag;
			alen = tlen;
		} else
			return parse_fail(ps, "unknown tag");
		if (!arg || !valid_name(arg, alen))
			return parse_fail(ps, "a tag needs a name of letters, digits, _ - or /");
		n.name = mem_strndup(arg, alen);
		size_t name_len;
		n.hash = name_hash(n.name, &name_len);
		if (block >= 0) {
			n.kind = (enum node_kind)block;
			const char *end_tag;
			size_t end_len;
			int rc = parse_nodes(ps, &n.body, &n.nbody, &end_tag, &end_len);
			if (rc == 0 && end_tag && end_len == 4 && memcmp(end_tag, "else", 4) == 0 &&
			    block != N_EACH)
				rc = parse_nodes(ps, &n.alt, &n.nalt, &end_tag, &end_len);
			const char *want = block == N_IF ? "/if" : block == N_UNLESS ? "/unless" : "/each";
			int closed = end_tag && end_len == strlen(want) &&
				     memcmp(end_tag, want, end_len) == 0;
			if (rc == 0 && !closed)
				rc = parse_fail(ps, "a block is not closed by its matching tag");
			if (rc != 0) {
				/* This node is not pushed yet, so it is ours to free. */
				free(n.name);
				free_nodes(n.body, n.nbody);
				free_nodes(n.alt, n.nalt);
				return -1;
			}
		}
		push(out, nout, &cap, n);
	}
	return 0;
}

static void free_nodes(struct node *nodes, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(nodes[i].name);
		free_nodes(nodes[i].body, nodes[i].nbody);
		free_nodes(nodes[i].alt, nodes[i].nalt);
	}
	free(nodes);
}

int tpl_load_text(const char *name, const char *text, size_t len, struct err *e)
{
	const char *dot = strrchr(name, '.');
	struct template t = {0};
	t.name = dot ? mem_strndup(name, (size_t)(dot - name)) : mem_strdup(name);
	t.text_mode = dot && strcmp(dot, ".txt") == 0;
	t.source = mem_strndup(text, len);
	struct parser ps = {.file = name, .src = t.source, .p = t.source, .end = t.source + len, .e = e};
	const char *closer;
	size_t closer_len;
	if (parse_nodes(&ps, &t.nodes, &t.nnodes, &closer, &closer_len) != 0 ||
	    (closer && parse_fail(&ps, "a closing tag without its block") != 0)) {
		free_nodes(t.nodes, t.nnodes);
		free(t.name);
		free(t.source);
		return -1;
	}
	templates = mem_realloc(templates, (ntemplates + 1) * sizeof(*templates));
	templates[ntemplates++] = t;
	return 0;
}

int tpl_load(struct err *e)
{
	for (size_t i = 0; i < embed_count; i++) {
		const struct embed_file *f = &embed_files[i];
		if (strncmp(f->name, "templates/", 10) != 0)
			continue;
		if (tpl_load_text(f->name + 10, (const char *)f->data, f->len, e) != 0)
			return -1;
	}
	return 0;
}

void tpl_unload(void)
{
	for (size_t i = 0; i < ntemplates; i++) {
		free_nodes(templates[i].nodes, templates[i].nnodes);
		free(templates[i].name);
		free(templates[i].source);
	}
	free(templates);
	templates = NULL;
	ntemplates = 0;
}

static const struct template *find(const char *name)
{
	for (size_t i = 0; i < ntemplates; i++)
		if (strcmp(templates[i].name, name) == 0)
			return &templates[i];
	return NULL;
}

/* ---- rendering ------------------------------------------------------------------ */

#define RENDER_DEPTH_MAX 16

struct render {
	struct buf *out;
	const struct template *page; /* for {{yield}} */
	int depth;
	const struct template *active[RENDER_DEPTH_MAX]; /* the templates being rendered */
};

static void render_nodes(struct render *r, const struct template *t, const struct node *nodes,
			 size_t n, struct tpl_vars *v);

/* buf_append without its call when there is room: a page is hundreds of appends. */
static inline void put(struct buf *b, const char *s, size_t n)
{
	if (b->cap > b->len + n) {
		memcpy(b->data + b->len, s, n);
		b->len += n;
		b->data[b->len] = '\0';
	} else {
		buf_append(b, s, n);
	}
}

/* Room for a page at once, instead of doubling up to it from 256 bytes. */
#define RENDER_RESERVE 16384

static void reserve(struct buf *b)
{
	if (b->cap >= RENDER_RESERVE)
		return;
	b->data = mem_realloc(b->data, RENDER_RESERVE);
	if (b->len == 0)
		b->data[0] = '\0';
	b->cap = RENDER_RESERVE;
}

static int truthy(const struct tpl_entry *e)
{
	return e && ((e->value && e->value[0]) || e->items);
}

static void render_template(struct render *r, const struct template *t, struct tpl_vars *v)
{
	/* Partials may include each other; a loop is a template bug, not a crash. A template
	 * already being rendered is skipped rather than bounded by depth alone: a template
	 * that includes itself k times would otherwise render k^depth times. */
	if (t == NULL || r->depth >= RENDER_DEPTH_MAX)
		return;
	for (int i = 0; i < r->depth; i++)
		if (r->active[i] == t)
			return;
	r->active[r->depth++] = t;
	render_nodes(r, t, t->nodes, t->nnodes, v);
	r->depth--;
}

static void render_nodes(struct render *r, const struct template *t, const struct node *nodes,
			 size_t n, struct tpl_vars *v)
{
	for (size_t i = 0; i < n; i++) {
		const struct node *nd = &nodes[i];
		struct tpl_entry *e;
		switch (nd->kind) {
		case N_TEXT:
			put(r->out, nd->text, nd->len);
			break;
		case N_VAR:
			e = lookup(v, nd->name, nd->hash);
			if (e && e->value) {
				if (t->text_mode)
					buf_puts(r->out, e->value);
				else
					escape_html(r->out, e->value, strlen(e->value));
			}
			break;
		case N_URL:
			e = lookup(v, nd->name, nd->hash);
			if (e && e->value)
				escape_url_component(r->out, e->value, strlen(e->value));
			break;
		case N_RAW:
			e = lookup(v, nd->name, nd->hash);
			if (e && e->value)
				buf_puts(r->out, e->value);
			break;
		case N_IF:
		case N_UNLESS: {
			int on = truthy(lookup(v, nd->name, nd->hash));
			if (nd->kind == N_UNLESS)
				on = !on;
			if (on)
				render_nodes(r, t, nd->body, nd->nbody, v);
			else
				render_nodes(r, t, nd->alt, nd->nalt, v);
			break;
		}
		case N_EACH:
			e = lookup(v, nd->name, nd->hash);
			for (struct tpl_vars *item = e ? e->items : NULL; item; item = item->next_item)
				render_nodes(r, t, nd->body, nd->nbody, item);
			break;
		case N_PARTIAL:
			render_template(r, find(nd->name), v);
			break;
		case N_YIELD:
			if (r->page && r->page != t)
				render_template(r, r->page, v);
			break;
		}
	}
}

int tpl_render(const char *name, struct tpl_vars *v, struct buf *out)
{
	const struct template *t = find(name);
	if (t == NULL)
		return -1;
	struct render r = {.out = out};
	render_template(&r, t, v);
	return 0;
}

int tpl_render_page(const char *layout, const char *page, struct tpl_vars *v, struct buf *out)
{
	const struct template *l = find(layout), *p = find(page);
	if (l == NULL || p == NULL)
		return -1;
	struct render r = {.out = out, .page = p};
	reserve(out);
	render_template(&r, l, v);
	return 0;
}
