/* nalc.c - NALC: a monthly charge that follows the capacity of the NALC machine (002 §5.16.9 a). */
#include "rules/nalc.h"

#include <stdio.h>

#include "rules/subcap.h"
#include "rules/timing.h"
#include "rules/wlc.h"

int nalc_validate(const rule_ctx *ctx, diag_list *d)
{
  int bad = 0;
  for(size_t i = 0; i < ctx->nown; i++) {
    const license *l = ctx->own[i];
    if(l->pricing != PRICING_SUBCAP)
      continue;
    diag_add(d, ctx->licenses_file, l->line, l->pricing_col, ctx->cd->cust.id,
             "NALC license %s asks for sub-capacity pricing, but NALC is charged on the machine's capacity "
             "(no sub-capacity terms), expected 'full' or an empty cell (R-W2)", l->license_id);
    bad = 1;
  }
  return bad ? LB_EINPUT : LB_OK;
}

/* wlc_opts.msus for NALC: the machine's Full Capacity MSUs. "Upgrades to an
 * eligible processor will result in an increase in the New Application
 * License Charges. Downgrades ... a decrease" (§5.16.9 a). */
static int nalc_msus(const rule_ctx *ctx, const license *l, invoice *inv, int line, long *msus, rule_set *rules, diag_list *d)
{
  const machine *m = cust_machine(ctx->cd, l->serial);

  if(m->full_capacity_msu == MSU_UNRATED)
    return diag_add(d, ctx->machines_file, m->line, m->full_msu_col, ctx->cd->cust.id,
                    "machine %s has no full_capacity_msu, but NALC license %s is charged on the machine's "
                    "capacity, expected the machine's rated MSUs (R-W2)", m->serial, l->license_id);
  /* R-T10: a capacity raised inside the month is billed for the month */
  int rc = subcap_t10_audit(ctx, m, inv, line, rules);
  if(rc)
    return rc;
  *msus = (long)m->full_capacity_msu;
  rule_set_add(rules, R_W2);
  return invoice_audit(inv, line, R_W2, REFS(REF(SRC_LICENSES, l->line), REF(SRC_MACHINES, m->line)), AV_QTY(*msus, "MSUs"),
                       "NALC %s (%s) on %s: Full Capacity MSUs of the machine; NALC has no sub-capacity terms and "
                       "follows the capacity of the processor", l->product_id, l->license_id, m->serial);
}

int nalc_price(const rule_ctx *ctx, invoice *inv, diag_list *d)
{
  /* §5.16.9 a names no sysplex aggregation for NALC: one line per machine */
  static const wlc_opts o = {"monthly", 0, nalc_msus};
  return wlc_price_ct(ctx, CT_NALC, &o, inv, d);
}
