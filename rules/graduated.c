/* graduated.c - R-L4: the lowest program group at or above the machine's processor group, and the Group Upgrade Charge. */
#include "rules/graduated.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules/legacy.h"
#include "rules/licline.h"
#include "rules/subcap.h"
#include "rules/timing.h"

int graduated_parse(const char *s, long *group)
{
  long v = 0;
  if(!s) {
    *group = -1;
    return 0;
  }
  if(!*s)
    return -1;
  for(const char *p = s; *p; p++) {
    if(*p < '0' || *p > '9' || v > 1000000)
      return -1;
    v = v * 10 + (*p - '0');
  }
  if(v < 1 || v > 1000000)
    return -1;
  *group = v;
  return 0;
}

/* R-L4 */
int graduated_pick(const rule_ctx *ctx, const license *l, charge_type book_ct, long pgroup, const price **row,
                   char *err, size_t esize)
{
  const price *book;
  size_t n;
  char date[11];
  if(catalog_price_book(ctx->cat, l->product_id, book_ct, GRADUATED_COMPONENT, ctx->cd->cust.currency,
                        ctx->price_date, &book, &n)) {
    snprintf(err, esize, "no %s price for %s (component '%s') in %s effective on %s in prices.csv, expected one "
             "row per program group with to_qty = the group and fixed_price = its monthly charge (R-L4)",
             charge_type_name(book_ct), l->product_id, GRADUATED_COMPONENT, ctx->cd->cust.currency,
             date_format(date, ctx->price_date));
    return -1;
  }
  for(size_t i = 0; i < n; i++)
    if(book[i].to_qty < 0 || !book[i].has_fixed_price) {
      snprintf(err, esize, "prices.csv line %ld of the %s %s '%s' book gives no to_qty (the program group) or "
               "no fixed_price (its monthly charge), expected both (R-L4)", book[i].line, l->product_id,
               charge_type_name(book_ct), GRADUATED_COMPONENT);
      return -1;
    }
  if(pgroup < 0) {
    *row = &book[n - 1]; /* a machine not listed: the highest group */
    return 0;
  }
  /* rows are contiguous tiers sorted by from_qty: the first whose group reaches pgroup is the lowest one */
  for(size_t i = 0; i < n; i++)
    if(book[i].to_qty >= pgroup) {
      *row = &book[i];
      return 0;
    }
  snprintf(err, esize, "processor group %ld is above every program group of %s %s (the highest is %lld, "
           "prices.csv line %ld), expected a program group equal to or above it (R-L4)", pgroup, l->product_id,
           charge_type_name(book_ct), (long long)book[n - 1].to_qty, book[n - 1].line);
  return -1;
}

/* R-L4: the month's processor group of l's machine and its program group row. */
static int month_group(const rule_ctx *ctx, const license *l, charge_type book_ct, long *pg, const price **row,
                       diag_list *d)
{
  const machine *m = cust_machine(ctx->cd, l->serial);
  char err[400];
  if(graduated_parse(m->processor_group, pg))
    return diag_add(d, ctx->machines_file, m->pgroup_line, m->pgroup_col, ctx->cd->cust.id,
                    "processor_group '%s' of machine %s is not a whole number, expected a processor group like "
                    "32, or empty for a machine not listed in a group (R-L4)", m->processor_group, m->serial);
  if(graduated_pick(ctx, l, book_ct, *pg, row, err, sizeof(err)))
    return diag_add(d, ctx->licenses_file, l->line, l->product_col, ctx->cd->cust.id, "%s license %s (%s) on "
                    "machine %s: %s", charge_type_name(l->ct), l->license_id, l->product_id, m->serial, err);
  return LB_OK;
}

/* R-L4: the program group l was billed on before the month: the one the
 * ledger recorded, else (l charged last month) the one the machine's
 * configuration before the month gives. 1 found (*old is its row in the
 * current book, src and *from say where it came from), 0 none, LB_EINPUT after
 * reporting. */
static int previous_group(const rule_ctx *ctx, const license *l, charge_type book_ct, long *prev,
                          const price **old, char *src, size_t ssize, input_ref *from, diag_list *d)
{
  const machine *m = cust_machine(ctx->cd, l->serial);
  char err[400], mon[8];
  long pg;
  const carried *c = rule_carried(ctx, CARRY_GRADUATED_GROUP, l->license_id);
  if(c) {
    *prev = (long)c->value.num;
    snprintf(src, ssize, "program group %ld billed in %s (ledger)", *prev, month_format(mon, c->set_in));
    *from = REF_STATE(CARRY_GRADUATED_GROUP, l->license_id);
  } else {
    if(!m->had_prev || !timing_month_charged(ctx->month - 1, l->installed_on, l->discontinued_on,
                                             l->notice_received_on))
      return 0;
    if(graduated_parse(m->prev_processor_group, &pg))
      return diag_add(d, ctx->machines_file, m->prev_pgroup_line, m->prev_pgroup_col, ctx->cd->cust.id,
                      "processor_group '%s' of machine %s is not a whole number, expected a processor group like "
                      "32, or empty for a machine not listed in a group (R-L4)", m->prev_processor_group,
                      m->serial);
    if(graduated_pick(ctx, l, book_ct, pg, old, err, sizeof(err)))
      return diag_add(d, ctx->licenses_file, l->line, l->product_col, ctx->cd->cust.id,
                      "%s license %s (%s), the machine's configuration before the month: %s",
                      charge_type_name(l->ct), l->license_id, l->product_id, err);
    *prev = (long)(*old)->to_qty;
    if(pg < 0)
      snprintf(src, ssize, "program group %ld: machine not listed in a processor group before the month", *prev);
    else
      snprintf(src, ssize, "program group %ld: processor group %ld before the month", *prev, pg);
    *from = REF(SRC_MACHINES, m->prev_pgroup_line);
    return 1;
  }
  /* the old group at today's prices: the lowest program group at or above it in the current book */
  if(graduated_pick(ctx, l, book_ct, *prev, old, err, sizeof(err)))
    return diag_add(d, ctx->licenses_file, l->line, l->product_col, ctx->cd->cust.id,
                    "%s license %s (%s), the program group billed before: %s", charge_type_name(l->ct),
                    l->license_id, l->product_id, err);
  return 1;
}

int graduated_check(const rule_ctx *ctx, const license *l, charge_type book_ct, diag_list *d)
{
  const price *row, *old;
  long pg, prev;
  char src[200];
  input_ref from;
  int rc = month_group(ctx, l, book_ct, &pg, &row, d);
  if(rc)
    return rc;
  rc = previous_group(ctx, l, book_ct, &prev, &old, src, sizeof(src), &from, d);
  return rc < 0 ? rc : LB_OK;
}

/* R-L4: the one-time Group Upgrade Charge line. */
static int upgrade_line(const rule_ctx *ctx, const license *l, const price *row, const price *old, long prev,
                        money delta, const char *src, const input_ref *from, invoice *inv)
{
  const machine *m = cust_machine(ctx->cd, l->serial);
  rule_set rules = {0};
  char a[32], b[32], note[128];
  int rc;
  charge_line *ul = licline_add(ctx, l, l->ct, l->order_number, "upgrade", 1, NULL, NULL, inv);
  if(!ul)
    return LB_ENOMEM;
  if((rc = subcap_t10_audit(ctx, m, inv, ul->line, &rules)))
    return rc;
  rule_set_add(&rules, R_L4);
  if(invoice_audit(inv, ul->line, R_L4, REFS(REF(SRC_PRICES, row->line), REF(SRC_PRICES, old->line), *from), AV_MONEY(delta, 4),
                   "Group Upgrade Charge of %s (%s) on %s: program group %ld to %lld, the difference of the two "
                   "current prices %s - %s (before: %s)", l->product_id, l->license_id, m->serial, prev,
                   (long long)row->to_qty, money_format(a, row->fixed_price, 4), money_format(b, old->fixed_price, 4),
                   src))
    return LB_ENOMEM;
  snprintf(note, sizeof(note), "Group Upgrade Charge, program group %ld to %lld", prev, (long long)row->to_qty);
  if(!(ul->note = strdup(note)))
    return LB_ENOMEM;
  ul->has_unit_price = 1;
  ul->unit_price = delta;
  /* the Group Upgrade Charge of each license or feature on the row */
  money exact;
  if((rc = licline_per_license(l, ul, delta, &exact, &rules, inv)))
    return rc;
  return legacy_close_line(inv, ul, exact, &rules);
}

int graduated_bill(const rule_ctx *ctx, const license *l, charge_type book_ct, const graduated_basis *basis,
                   invoice *inv, diag_list *d)
{
  const machine *m = cust_machine(ctx->cd, l->serial);
  const price *row, *old = NULL;
  long pg, prev = 0;
  money delta = 0;
  rule_set rules = {0};
  char val[48], src[200] = "", date[11], price_txt[32], note[96];
  int rc = month_group(ctx, l, book_ct, &pg, &row, d);
  if(rc)
    return rc;
  input_ref from = REF_LEDGER;
  int have_prev = previous_group(ctx, l, book_ct, &prev, &old, src, sizeof(src), &from, d);
  if(have_prev < 0)
    return have_prev;
  long group = (long)row->to_qty;
  if(have_prev && group > prev && money_sub(&delta, row->fixed_price, old->fixed_price))
    return LB_EOVERFLOW;

  charge_line *cl = licline_add(ctx, l, l->ct, l->order_number, "month", 1, NULL, NULL, inv);
  if(!cl || legacy_audit_month(inv, cl, l, &rules))
    return LB_ENOMEM;
  /* R-T10: a group raised inside the month is billed for the whole month */
  if((rc = subcap_t10_audit(ctx, m, inv, cl->line, &rules)))
    return rc;
  if(basis) {
    rule_set_add(&rules, basis->rule);
    if(invoice_audit_v(inv, cl->line, basis->rule, basis->refs, basis->nrefs, AV_TEXT(charge_type_name(book_ct)),
                       "%s", basis->why))
      return LB_ENOMEM;
  }
  /* R-L4 */
  rule_set_add(&rules, R_L4);
  snprintf(val, sizeof(val), "group %ld", group);
  money_format(price_txt, row->fixed_price, 4);
  if(pg < 0)
    rc = invoice_audit(inv, cl->line, R_L4, REFS(REF(SRC_MACHINES, m->pgroup_line ? m->pgroup_line : m->line), REF_BOOK(row->line, row->effective_from)), AV_TEXT(val),
                       "machine %s (%s) is not listed in a processor group: the highest program group, %ld, of "
                       "the %s %s book effective %s applies: %s a month", m->serial, m->type_model, group,
                       l->product_id, charge_type_name(book_ct), date_format(date, row->effective_from),
                       price_txt);
  else
    rc = invoice_audit(inv, cl->line, R_L4, REFS(REF(SRC_MACHINES, m->pgroup_line ? m->pgroup_line : m->line), REF_BOOK(row->line, row->effective_from)), AV_TEXT(val),
                       "processor group %ld of machine %s: the lowest program group equal to or above it is %ld "
                       "in the %s %s book effective %s: %s a month", pg, m->serial, group, l->product_id,
                       charge_type_name(book_ct), date_format(date, row->effective_from), price_txt);
  if(rc)
    return LB_ENOMEM;
  if(have_prev && group < prev &&
     invoice_audit(inv, cl->line, R_L4, REFS(from), AV_TEXT("no refund"),
                   "moved down from program group %ld to %ld (before: %s): charges due or paid for the higher "
                   "group are not adjusted or refunded", prev, group, src))
    return LB_ENOMEM;
  if(have_prev && group > prev && delta <= 0 &&
     invoice_audit(inv, cl->line, R_L4, REFS(from), AV_TEXT("no upgrade charge"),
                   "program group rose from %ld to %ld (before: %s) but the current price of group %ld is not "
                   "higher: no Group Upgrade Charge", prev, group, src, group))
    return LB_ENOMEM;
  snprintf(note, sizeof(note), "program group %ld", group);
  if(!(cl->note = strdup(note)))
    return LB_ENOMEM;
  cl->has_unit_price = 1;
  cl->unit_price = row->fixed_price;
  /* the charge of each license or feature on the row */
  money exact;
  if((rc = licline_per_license(l, cl, row->fixed_price, &exact, &rules, inv)) ||
     (rc = legacy_close_line(inv, cl, exact, &rules)))
    return rc;
  if(have_prev && group > prev && delta > 0 &&
     (rc = upgrade_line(ctx, l, row, old, prev, delta, src, &from, inv)))
    return rc;
  /* carried into later months: the group billed now */
  return invoice_carry(inv, CARRY_GRADUATED_GROUP, l->license_id, (carry_value){MONTH_NONE, group});
}

int graduated_validate(const rule_ctx *ctx, diag_list *d)
{
  int bad = 0;
  for(size_t i = 0; i < ctx->nown; i++) {
    const license *l = ctx->own[i];
    int rc = graduated_check(ctx, l, CT_GMLC, d);
    if(rc == LB_ENOMEM || rc == LB_EIO)
      return rc;
    if(rc)
      bad = 1;
  }
  return bad ? LB_EINPUT : LB_OK;
}

int graduated_price(const rule_ctx *ctx, invoice *inv, diag_list *d)
{
  for(size_t i = 0; i < ctx->nown; i++) {
    const license *l = ctx->own[i];
    int rc = graduated_bill(ctx, l, CT_GMLC, NULL, inv, d);
    if(rc)
      return rc;
  }
  return LB_OK;
}
