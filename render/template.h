/* template.h - the invoice template: issuer, labels, number format, fonts, page size, read from DIR/template.conf. */
#ifndef LB_TEMPLATE_H
#define LB_TEMPLATE_H

#include "core/diag.h"

/* A loaded template. Every key has a value: the one set in template.conf,
 * or the built-in default. Read-only after tpl_load, so one template can be
 * shared by any number of renderers and threads. */
typedef struct lb_template lb_template;

/* Read DIR/template.conf: UTF-8 `key = value` lines, `#` comment lines,
 * blank lines. A value may be put in double quotes to keep leading or
 * trailing spaces. Keys the file leaves out keep their built-in defaults.
 * Every problem (unknown key, line without '=', invalid UTF-8, a label whose
 * %d/%s placeholders do not match, unreadable font file, a colour profile
 * that is not a readable ICC v2 RGB profile, bad page size or separator,
 * duplicate key) is added to d as FILE:LINE:COLUMN, and reading
 * goes on so that one run reports them all.
 * Font and colour profile paths that are not absolute are taken relative to DIR.
 * Returns LB_OK with *out set; LB_EINPUT (problems in d), LB_EIO (the file
 * cannot be read; also in d) or LB_ENOMEM, leaving *out untouched.
 * Ownership: the caller frees *out with tpl_free. */
int tpl_load(lb_template **out, const char *dir, diag_list *d);

/* Free the template. NULL-safe. */
void tpl_free(lb_template *t);

/* The value of `key` ("label.total", "currency.EUR", ...), the built-in
 * default when the file does not set it; NULL for a key the template does
 * not know (and for a currency.XXX without file value or built-in symbol).
 * The string is owned by the template and lives until tpl_free. */
const char *tpl_get(const lb_template *t, const char *key);

/* The symbol printed for an ISO 4217 code: currency.CODE from the template,
 * else the code itself. Owned by the template or by the caller's `code`. */
const char *tpl_currency_symbol(const lb_template *t, const char *code);

/* Path of the template file read ("DIR/template.conf"), for messages. */
const char *tpl_path(const lb_template *t);

#endif
