/* twlc.c - R-W15: TWLC, the EWLC price structure by tier on Full Logical Model Capacity, never sub-capacity. */
#include "rules/twlc.h"

#include <stdio.h>
#include <string.h>

#include "rules/licline.h"
#include "rules/lmodel.h"
#include "rules/subcap.h"
#include "rules/svc.h"
#include "rules/timing.h"
#include "rules/wlc.h"

#define DEFAULT_PRODUCT "OTHER" /* prices.csv product_id of the machine's default ("Other") charge */

/* R-W15 */
int twlc_validate(const rule_ctx *ctx, diag_list *d)
{
  const cust_data *cd = ctx->cd;
  int bad = 0, rc;
  for(size_t i = 0; i < ctx->nown; i++) {
    const license *l = ctx->own[i];
    const machine *m = cust_machine(cd, l->serial);
    if(l->pricing == PRICING_SUBCAP) {
      diag_add(d, ctx->licenses_file, l->line, l->pricing_col, cd->cust.id,
               "license %s (%s) has TWLC with pricing 'subcap', but TWLC has no sub-capacity pricing, expected "
               "'full' or empty (R-W15)", l->license_id, l->product_id);
      bad = 1;
    }
    if(!m->twlc_tier) {
      diag_add(d, ctx->machines_file, m->line, m->twlc_col, cd->cust.id,
               "machine %s has TWLC license %s but no twlc_tier, expected the TWLC tier the machine is placed in "
               "(\"TWLC\" and the tier in the Group column, 002 §5.16.13 3.E.a) (R-W15)", m->serial,
               l->license_id);
      bad = 1;
    }
  }
  /* R-W14 */
  if((rc = lmodel_validate(ctx, CT_TWLC, d)) == LB_ENOMEM)
    return rc;
  bad |= rc != 0;
  rc = lmodel_exclusive(ctx, CT_TWLC, 1u << CT_AWLC | 1u << CT_VWLC | 1u << CT_PSLC | 1u << CT_ZELC,
                        "(R-W15, 002 §5.16.13 3.E.c)", d);
  bad |= rc != 0;
  return bad ? LB_EINPUT : LB_OK;
}

static int price_one(const rule_ctx *ctx, const license *l, invoice *inv, diag_list *d)
{
  const machine *m = cust_machine(ctx->cd, l->serial);
  charge_line *cl;
  rule_set rules = {0};
  long msus = 0;
  int rc;
  if(!(cl = licline_add(ctx, l, CT_TWLC, l->order_number, "MSUs", 0, NULL, NULL, inv)))
    return LB_ENOMEM;
  rule_set_add(&rules, R_T4);
  if(invoice_audit(inv, cl->line, R_T4, REFS(REF(SRC_LICENSES, l->line)), AV_TEXT("charged"),
                   "TWLC %s is charged for the whole month (installed before the month, not discontinued before "
                   "it; R-T5)", l->product_id))
    return LB_ENOMEM;
  /* R-T10: a raised tier is billed for the whole month (a raised capacity: lmodel_capacity) */
  if((m->t10_raised & T10_TWLC) && (rc = subcap_t10_audit(ctx, m, inv, cl->line, &rules)))
    return rc;
  /* R-W14 */
  if((rc = lmodel_capacity(ctx, l, inv, cl->line, &msus, &rules, d)))
    return rc;
  /* R-S1..R-S3: Single Version Charging, as for every monthly workload charge */
  if((rc = svc_adjust(ctx, l, inv, cl->line, &msus, &rules, d)))
    return rc;
  /* R-W15: the program's TWLC book, else the machine's default ("Other") charge */
  license on = *l;
  int other = !lmodel_has_price(ctx, l->product_id, CT_TWLC, "monthly");
  if(other)
    on.product_id = DEFAULT_PRODUCT;
  if(other && !lmodel_has_price(ctx, DEFAULT_PRODUCT, CT_TWLC, "monthly")) {
    char date[11];
    return diag_add(d, ctx->licenses_file, l->line, l->product_col, ctx->cd->cust.id,
                    "no TWLC price for %s in %s effective on %s and no default (\"Other\") TWLC price, expected "
                    "prices.csv rows for %s or for product_id %s with charge_type TWLC, component 'monthly' (R-W15)",
                    l->product_id, ctx->cd->cust.currency, date_format(date, ctx->price_date), l->product_id,
                    DEFAULT_PRODUCT);
  }
  rule_set_add(&rules, R_W15);
  if(other ? invoice_audit(inv, cl->line, R_W15, REFS(REF(SRC_LICENSES, l->line), REF(SRC_MACHINES, m->line)), AV_QTY(msus, "MSUs"),
                           "TWLC on machine %s (tier %s), no sub-capacity: %ld MSUs of Full Logical Model Capacity; "
                           "%s has no TWLC price, so the machine's default (\"Other\") charge applies, prices.csv "
                           "product %s", m->serial, m->twlc_tier, msus, l->product_id, DEFAULT_PRODUCT)
           : invoice_audit(inv, cl->line, R_W15, REFS(REF(SRC_LICENSES, l->line), REF(SRC_MACHINES, m->line)), AV_QTY(msus, "MSUs"),
                           "TWLC on machine %s (tier %s), no sub-capacity: %ld MSUs of Full Logical Model Capacity "
                           "priced by tier", m->serial, m->twlc_tier, msus))
    return LB_ENOMEM;
  if(lmodel_note(inv, cl->line, "%s, TWLC tier %s%s", cl->note ? cl->note : "", m->twlc_tier,
                 other ? ", default (Other) charge" : ""))
    return LB_ENOMEM;
  if((rc = wlc_price_line(ctx, &on, CT_TWLC, "monthly", msus, cl, inv, &rules, d)))
    return rc;
  rule_set_add(&rules, R_0_1);
  cl->rules = rules;
  return LB_OK;
}

int twlc_price(const rule_ctx *ctx, invoice *inv, diag_list *d)
{
  for(size_t i = 0; i < ctx->nown; i++) {
    const license *l = ctx->own[i];
    int rc;
    if((rc = price_one(ctx, l, inv, d)))
      return rc;
  }
  return LB_OK;
}
