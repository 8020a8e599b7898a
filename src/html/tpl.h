/* tpl: the template runtime. Templates are the .html and .txt files under templates/,
 * built into the binary and compiled once at start.
 *
 * Tags:  {{name}}            the value, escaped for HTML (in .txt templates: as is)
 *        {{url name}}        the value, percent-encoded for a URL component
 *        {{raw name}}        the value unescaped: only for HTML Cairn itself made; grep "raw "
 *        {{#if name}} .. {{else}} .. {{/if}}     set and non-empty (a list: has items)
 *        {{#unless name}} .. {{/unless}}
 *        {{#each name}} .. {{/each}}           once per item of a list; names are looked
 *                                              up in the item first, then outwards
 *        {{> name}}          another template (without its extension), same variables
 *        {{yield}}           in a layout: the page being rendered
 *        {{! comment}}
 */
#ifndef CAIRN_TPL_H
#define CAIRN_TPL_H
#include <stdarg.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/pool.h"

struct tpl_vars;

/* A scope of variables, allocated from (and freed with) the pool. */
struct tpl_vars *tpl_vars_new(struct pool *pool);
/* value must live as long as the pool (a literal or pool memory); NULL unsets. */
void tpl_set(struct tpl_vars *v, const char *name, const char *value);
void tpl_setf(struct tpl_vars *v, const char *name, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void tpl_set_int(struct tpl_vars *v, const char *name, long long n);
/* Sets name to "1" when on, unsets it when off. */
void tpl_set_bool(struct tpl_vars *v, const char *name, int on);
/* Appends a new item, a scope of its own, to the list called name. */
struct tpl_vars *tpl_add(struct tpl_vars *v, const char *name);

/* Compiles every embedded template; -1 with the file and line of the first error. */
int tpl_load(struct err *e);
/* Compiles one template from text (tests and fuzzing); frees nothing until tpl_unload. */
int tpl_load_text(const char *name, const char *text, size_t len, struct err *e);
void tpl_unload(void);

/* Renders a template by name (without extension) into out; -1 if there is no such template. */
int tpl_render(const char *name, struct tpl_vars *v, struct buf *out);
/* Renders layout with page at its {{yield}}. */
int tpl_render_page(const char *layout, const char *page, struct tpl_vars *v, struct buf *out);

#endif
