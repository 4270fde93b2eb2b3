/* engine.h - prices one customer's month: rule modules, then totals, taxes and payment terms (R-X2..R-X4). */
#ifndef LB_ENGINE_H
#define LB_ENGINE_H

#include "rules/registry.h"
#include "rules/rule.h"

/* R-X4: billing-questions phone number by customer class (001). */
const char *engine_contact(cust_class cls);

/* Price the customer of ctx into inv (cleared first; the caller sets
 * inv->number). ctx->ms must hold one state per machine with report and
 * receipt set. Pure: no I/O. Returns LB_OK, LB_EINPUT after reporting the
 * customer's problems in d (the invoice must not be issued), LB_ENOMEM. */
int engine_price_customer(rule_ctx *ctx, invoice *inv, diag_list *d);

/* The same with another rule-module table (tests). Also LB_EBUG when a
 * module writes a line without an audit step (R-X5; reported in d). */
int engine_price_with(const rule_module *rows, rule_ctx *ctx, invoice *inv, diag_list *d);

#endif
