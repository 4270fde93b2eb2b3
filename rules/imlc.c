/* imlc.c - R-L2: IMLC on the machine's MSUs, 200 MSUs for an unrated machine, priced by tier. */
#include "rules/imlc.h"

#include <stdio.h>

#include "rules/elc.h"
#include "rules/legacy.h"
#include "rules/subcap.h"
#include "rules/wlc.h"

/* R-L2 */
static long imlc_machine_msus(const machine *m)
{
  return m->full_capacity_msu == MSU_UNRATED ? IMLC_UNRATED_MSUS : (long)m->full_capacity_msu;
}

int imlc_validate(const rule_ctx *ctx, diag_list *d)
{
  int bad = 0;
  for(size_t i = 0; i < ctx->nown; i++) {
    const license *l = ctx->own[i];
    const machine *m = cust_machine(ctx->cd, l->serial);
    long msus = imlc_machine_msus(m);
    if(msus <= ELC_BASE_MSUS) {
      /* R-L2: only machines with a capacity greater than 80 MSUs */
      diag_add(d, ctx->licenses_file, l->line, l->ct_col, ctx->cd->cust.id,
               "IMLC license %s (%s) on machine %s of %ld MSUs (machines.csv line %ld), expected a machine "
               "above %d MSUs: IMLC applies only to machines with a capacity greater than %d MSUs (R-L2)",
               l->license_id, l->product_id, m->serial, msus, m->line, ELC_BASE_MSUS, ELC_BASE_MSUS);
      bad = 1;
    }
  }
  return bad ? LB_EINPUT : LB_OK;
}

/* wlc_opts.msus: the machine's MSUs (R-L2), audited on the line. */
static int imlc_msus(const rule_ctx *ctx, const license *l, invoice *inv, int line, long *msus, rule_set *rules, diag_list *d)
{
  const machine *m = cust_machine(ctx->cd, l->serial);

  int rc;
  (void)d;
  /* R-T10: a capacity raised inside the month is billed for the whole month */
  if((rc = subcap_t10_audit(ctx, m, inv, line, rules)))
    return rc;
  *msus = imlc_machine_msus(m);
  rule_set_add(rules, R_L2);
  if(m->full_capacity_msu == MSU_UNRATED)
    return invoice_audit(inv, line, R_L2, REFS(REF(SRC_LICENSES, l->line), REF(SRC_MACHINES, m->line)), AV_QTY(*msus, "MSUs"),
                         "machine %s (%s) has no MSU rating: IMLC is charged for %d MSUs", m->serial,
                         m->type_model, IMLC_UNRATED_MSUS);
  return invoice_audit(inv, line, R_L2, REFS(REF(SRC_LICENSES, l->line), REF(SRC_MACHINES, m->line)), AV_QTY(*msus, "MSUs"), "IMLC on the total capacity of machine %s (%s)",
                       m->serial, m->type_model);
}

int imlc_price(const rule_ctx *ctx, invoice *inv, diag_list *d)
{
  static const wlc_opts o = {"monthly", 0, imlc_msus};
  return wlc_price_ct(ctx, CT_IMLC, &o, inv, d);
}
