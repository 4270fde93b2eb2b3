/* elc.c - R-L1: ELC on the machine's MSUs: base charge for 80 MSUs plus a per-MSU charge above 80. */
#include "rules/elc.h"

#include <stdio.h>

#include "rules/legacy.h"
#include "rules/licline.h"
#include "rules/subcap.h"

/* R-L1: MSUs ELC is charged on: the machine's rating, or for an unrated
 * machine twice the highest rating of its vendor's product group in the
 * price list's machine table. 0, or -1 with the reason in err. */
static int elc_msus(const rule_ctx *ctx, const machine *m, long *msus, input_ref in[3], size_t *nin, char *why,
                    size_t wsize, char *err, size_t esize)
{
  if(m->full_capacity_msu != MSU_UNRATED) {
    *msus = (long)m->full_capacity_msu;
    in[0] = REF(SRC_MACHINES, m->line);
    *nin = 1;
    snprintf(why, wsize, "machine %s (%s) is rated %ld MSUs", m->serial, m->type_model, *msus);
    return 0;
  }
  const machine_model *mm = catalog_machine_model(ctx->cat, m->type_model);
  if(!mm) {
    snprintf(err, esize, "machine %s has no MSU rating and its type_model %s is not in machine_models.csv, "
             "expected full_capacity_msu or a machine_models.csv row naming its product group (R-L1)",
             m->serial, m->type_model);
    return -1;
  }
  const machine_model *top = catalog_model_highest(ctx->cat, mm->product_group);
  if(!top) {
    snprintf(err, esize, "machine %s has no MSU rating and no model of its product group '%s' has an "
             "msu_rating in machine_models.csv, expected a rated model in the group (R-L1)", m->serial,
             mm->product_group);
    return -1;
  }
  *msus = 2 * (long)top->msu_rating;
  in[0] = REF(SRC_MACHINES, m->line);
  in[1] = REF(SRC_MACHINE_MODELS, mm->line);
  in[2] = REF(SRC_MACHINE_MODELS, top->line);
  *nin = 3;
  snprintf(why, wsize, "machine %s (%s) has no MSU rating: twice the highest rating of product group '%s' "
           "(%s, %lld MSUs)", m->serial, m->type_model, mm->product_group, top->type_model,
           (long long)top->msu_rating);
  return 0;
}

int elc_validate(const rule_ctx *ctx, diag_list *d)
{
  int bad = 0;
  for(size_t i = 0; i < ctx->nown; i++) {
    const license *l = ctx->own[i];
    const machine *m;
    char why[256], err[320];
    input_ref in[3];
    size_t nin;
    long msus;
    m = cust_machine(ctx->cd, l->serial);
    if(elc_msus(ctx, m, &msus, in, &nin, why, sizeof(why), err, sizeof(err))) {
      diag_add(d, ctx->licenses_file, l->line, l->ct_col, ctx->cd->cust.id, "ELC license %s (%s): %s",
               l->license_id, l->product_id, err);
      bad = 1;
    } else if(msus <= ELC_BASE_MSUS) {
      /* R-L1: only machines with a capacity greater than 80 MSUs */
      diag_add(d, ctx->licenses_file, l->line, l->ct_col, ctx->cd->cust.id,
               "ELC license %s (%s) on machine %s of %ld MSUs (machines.csv line %ld), expected a machine "
               "above %d MSUs: ELC applies only to machines with a capacity greater than %d MSUs (R-L1)",
               l->license_id, l->product_id, m->serial, msus, m->line, ELC_BASE_MSUS, ELC_BASE_MSUS);
      bad = 1;
    }
  }
  return bad ? LB_EINPUT : LB_OK;
}

/* One ELC line for license l. */
static int elc_line(const rule_ctx *ctx, const license *l, invoice *inv, diag_list *d)
{
  const machine *m = cust_machine(ctx->cd, l->serial);
  const price *base = legacy_one_row(ctx, l, CT_ELC, "base"), *per = legacy_one_row(ctx, l, CT_ELC, "per_msu");
  rule_set rules = {0};
  char why[256], err[320], b[32], u[32], date[11];
  input_ref in[3];
  size_t nin;
  long msus;
  money above, exact;
  int rc;
  if(!base || !per || !base->has_fixed_price || !per->has_unit_price)
    return diag_add(d, ctx->licenses_file, l->line, l->product_col, ctx->cd->cust.id,
                    "no ELC price for %s in %s effective on %s in prices.csv, expected one row with component "
                    "'base' and fixed_price (the charge for %d MSUs) and one with component 'per_msu' and "
                    "unit_price (R-L1)", l->product_id, ctx->cd->cust.currency,
                    date_format(date, ctx->price_date), ELC_BASE_MSUS);
  if(elc_msus(ctx, m, &msus, in, &nin, why, sizeof(why), err, sizeof(err)))
    return diag_add(d, ctx->licenses_file, l->line, l->ct_col, ctx->cd->cust.id, "%s", err);
  if(money_mul_int(&above, per->unit_price, msus - ELC_BASE_MSUS) || money_add(&exact, base->fixed_price, above))
    return diag_add(d, ctx->licenses_file, l->line, l->product_col, ctx->cd->cust.id,
                    "ELC charge for %ld MSUs of %s overflows, expected a price that fits", msus, l->product_id);
  charge_line *cl = licline_add(ctx, l, CT_ELC, l->order_number, "MSUs", msus, NULL, NULL, inv);
  if(!cl || legacy_audit_month(inv, cl, l, &rules))
    return LB_ENOMEM;
  /* R-T10: a capacity raised inside the month is billed for the whole month */
  if((rc = subcap_t10_audit(ctx, m, inv, cl->line, &rules)))
    return rc;
  /* R-L1 */
  rule_set_add(&rules, R_L1);
  if(invoice_audit_v(inv, cl->line, R_L1, in, nin, AV_QTY(msus, "MSUs"), "%s", why))
    return LB_ENOMEM;
  if(invoice_audit(inv, cl->line, R_L1, REFS(REF_BOOK(base->line, base->effective_from), REF_BOOK(per->line, per->effective_from)), AV_MONEY(exact, 4),
                   "base charge for %d MSUs %s + %ld MSUs above %d x %s per MSU (%s ELC %s price book effective "
                   "%s)", ELC_BASE_MSUS, money_format(b, base->fixed_price, 4), msus - ELC_BASE_MSUS,
                   ELC_BASE_MSUS, money_format(u, per->unit_price, 4), l->product_id, ctx->cd->cust.currency,
                   date_format(date, base->effective_from)))
    return LB_ENOMEM;
  /* the printed breakdown: the 80-MSU base, then the MSUs above it */
  if(invoice_line_tiers(cl, 2))
    return LB_ENOMEM;
  cl->tiers[0] = (tier_part){1, ELC_BASE_MSUS, ELC_BASE_MSUS, 0, base->fixed_price};
  cl->tiers[1] = (tier_part){ELC_BASE_MSUS + 1, -1, msus - ELC_BASE_MSUS, per->unit_price, 0};
  cl->ntiers = 2;
  cl->has_unit_price = 0;
  return legacy_close_line(inv, cl, exact, &rules);
}

int elc_price(const rule_ctx *ctx, invoice *inv, diag_list *d)
{
  for(size_t i = 0; i < ctx->nown; i++) {
    const license *l = ctx->own[i];
    int rc = elc_line(ctx, l, inv, d);
    if(rc)
      return rc;
  }
  return LB_OK;
}
