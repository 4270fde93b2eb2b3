/* golc.c - R-L5: GOLC price of the machine's category, else the basic graduated charge of the category's group. */
#include "rules/golc.h"

#include <stdio.h>
#include <string.h>

#include "rules/graduated.h"
#include "rules/legacy.h"
#include "rules/licline.h"
#include "rules/subcap.h"

/* R-L5: the program group whose basic graduated charge is a category's default, 0 when none. */
static long golc_default_group(const char *category)
{
  static const struct {
    const char *category;
    long group;
  } defaults[] = {{"H30", 40}, {"H50", 50}, {"H70", 70}};
  for(size_t i = 0; i < sizeof(defaults) / sizeof(defaults[0]); i++)
    if(!strcmp(defaults[i].category, category))
      return defaults[i].group;
  return 0;
}

/* R-L5: the price row license l is charged: its GOLC price for the machine's
 * category (*dflt = 0), or the default group's basic graduated charge
 * (*dflt = the group). 0, or LB_EINPUT after reporting. */
static int golc_row(const rule_ctx *ctx, const license *l, const price **row, long *dflt, diag_list *d)
{
  const machine *m = cust_machine(ctx->cd, l->serial);
  char err[400], date[11];
  if(!m->golc_category)
    return diag_add(d, ctx->licenses_file, l->line, l->ct_col, ctx->cd->cust.id,
                    "GOLC license %s (%s) on machine %s, but the machine has no golc_category (machines.csv line "
                    "%ld), expected a machine listed with a GOLC category such as H30, H50 or H70 (R-L5)",
                    l->license_id, l->product_id, m->serial, m->line);
  *row = legacy_one_row(ctx, l, CT_GOLC, m->golc_category);
  if(*row) {
    if(!(*row)->has_fixed_price)
      return diag_add(d, ctx->licenses_file, l->line, l->product_col, ctx->cd->cust.id,
                      "the GOLC price of %s for category %s (prices.csv line %ld) has no fixed_price, expected the "
                      "monthly charge in fixed_price (R-L5)", l->product_id, m->golc_category, (*row)->line);
    *dflt = 0;
    return LB_OK;
  }
  *dflt = golc_default_group(m->golc_category);
  if(!*dflt)
    return diag_add(d, ctx->licenses_file, l->line, l->product_col, ctx->cd->cust.id,
                    "no GOLC price for %s in category %s (%s effective on %s) in prices.csv and the category has "
                    "no default group, expected a row with component '%s' or a category H30, H50 or H70 (R-L5)",
                    l->product_id, m->golc_category, ctx->cd->cust.currency, date_format(date, ctx->price_date),
                    m->golc_category);
  if(graduated_pick(ctx, l, CT_GMLC, *dflt, row, err, sizeof(err)))
    return diag_add(d, ctx->licenses_file, l->line, l->product_col, ctx->cd->cust.id,
                    "no GOLC price for %s in category %s and no default: %s (R-L5)", l->product_id,
                    m->golc_category, err);
  return LB_OK;
}

int golc_validate(const rule_ctx *ctx, diag_list *d)
{
  int bad = 0;
  for(size_t i = 0; i < ctx->nown; i++) {
    const license *l = ctx->own[i];
    const price *row;
    long dflt;
    if(golc_row(ctx, l, &row, &dflt, d))
      bad = 1;
  }
  return bad ? LB_EINPUT : LB_OK;
}

static int golc_line(const rule_ctx *ctx, const license *l, invoice *inv, diag_list *d)
{
  const machine *m = cust_machine(ctx->cd, l->serial);
  const price *row;
  long dflt;
  rule_set rules = {0};
  char date[11], note[96];
  int rc = golc_row(ctx, l, &row, &dflt, d);
  if(rc)
    return rc;
  charge_line *cl = licline_add(ctx, l, CT_GOLC, l->order_number, "month", 1, NULL, NULL, inv);
  if(!cl || legacy_audit_month(inv, cl, l, &rules))
    return LB_ENOMEM;
  /* R-T10: a category raised inside the month is billed for the whole month */
  if((rc = subcap_t10_audit(ctx, m, inv, cl->line, &rules)))
    return rc;
  /* R-L5 */
  rule_set_add(&rules, R_L5);
  if(dflt) {
    rule_set_add(&rules, R_L4);
    rc = invoice_audit(inv, cl->line, R_L5, REFS(REF(SRC_MACHINES, m->line), REF_BOOK(row->line, row->effective_from)), AV_MONEY(row->fixed_price, 4),
                       "%s has no GOLC price for category %s of machine %s: the default, the basic graduated "
                       "monthly charge of group %ld (program group %lld, GMLC book effective %s)", l->product_id,
                       m->golc_category, m->serial, dflt, (long long)row->to_qty,
                       date_format(date, row->effective_from));
    snprintf(note, sizeof(note), "GOLC category %s: default, basic charge of group %ld", m->golc_category, dflt);
  } else {
    rc = invoice_audit(inv, cl->line, R_L5, REFS(REF(SRC_MACHINES, m->line), REF_BOOK(row->line, row->effective_from)), AV_MONEY(row->fixed_price, 4),
                       "GOLC price of %s for category %s of machine %s (price book effective %s)", l->product_id,
                       m->golc_category, m->serial, date_format(date, row->effective_from));
    snprintf(note, sizeof(note), "GOLC category %s", m->golc_category);
  }
  if(rc || !(cl->note = strdup(note)))
    return LB_ENOMEM;
  cl->has_unit_price = 1;
  cl->unit_price = row->fixed_price;
  /* the charge of each license or feature on the row */
  money exact;
  if((rc = licline_per_license(l, cl, row->fixed_price, &exact, &rules, inv)))
    return rc;
  return legacy_close_line(inv, cl, exact, &rules);
}

int golc_price(const rule_ctx *ctx, invoice *inv, diag_list *d)
{
  for(size_t i = 0; i < ctx->nown; i++) {
    const license *l = ctx->own[i];
    int rc = golc_line(ctx, l, inv, d);
    if(rc)
      return rc;
  }
  return LB_OK;
}
