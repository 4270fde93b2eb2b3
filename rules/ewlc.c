/* ewlc.c - EWLC: MSUs per machine as for WLC, logical models of z/OS.e machines (R-W13, R-W14), priced by tier. */
#include "rules/ewlc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules/lmodel.h"
#include "rules/subcap.h"
#include "rules/timing.h"
#include "rules/wlc.h"

#define ZOSE_MIN_MSU 3 /* R-W13: z/OS.e MSUs are never reduced below this */

static int charged(const rule_ctx *ctx, const license *l)
{
  return timing_month_charged(ctx->month, l->installed_on, l->discontinued_on, l->notice_received_on);
}

/* the operating system of one of the logical models (z/OS.e, or z/OS, z/TPF, z/VSE) */
static int model_os(const product *p)
{
  return p->is_os && p->family != FAMILY_NONE;
}

/* The program is charged at full capacity this month (not elected, not
 * started, lost, R-W7): mirrors subcap_license_msus. */
static int at_full(const rule_ctx *ctx, const license *l)
{
  const machine_state *st = subcap_state(ctx, l->serial);
  const product *p = catalog_product(ctx->cat, l->product_id);
  return !st->subcap || l->pricing == PRICING_FULL || (p->family == FAMILY_ZOS && st->zos_full);
}

/* R-W13: the reported MSUs of EWLC operating-system license l (*msus on
 * entry) after the z/OS.e and non-z/OS.e logical models of its machine are
 * brought within the machine's capacity: z/OS.e first, never below 3 MSUs,
 * then the other model. Licenses are reduced in file order. */
static int reduce_to_capacity(const rule_ctx *ctx, const license *l, invoice *inv, int line, long *msus,
                              rule_set *rules, diag_list *d)
{
  const cust_data *cd = ctx->cd;
  const machine_state *st = subcap_state(ctx, l->serial);
  const machine *m = st->m;
  invoice scratch; /* the other licenses' steps are written on their own lines */
  long *v = NULL, z = 0, o = 0;
  int nz = 0, no = 0, rc = LB_OK;
  memset(&scratch, 0, sizeof(scratch));
  v = malloc(cd->nlicenses * sizeof(*v));
  if(!v)
    return LB_ENOMEM;
  for(size_t k = 0; k < cd->nlicenses; k++) {
    const license *x = &cd->licenses[k];
    const product *p = catalog_product(ctx->cat, x->product_id);
    rule_set tmp = {0};
    v[k] = -1;
    if(x->ct != CT_EWLC || x->feature_of || strcmp(x->serial, l->serial) || !model_os(p) || !charged(ctx, x))
      continue;
    if(x == l)
      v[k] = *msus;
    else if(at_full(ctx, x) && lmodel_split(m))
      rc = lmodel_capacity(ctx, x, &scratch, 0, &v[k], &tmp, d); /* R-W14 */
    else
      rc = subcap_license_msus(ctx, x, &scratch, 0, &v[k], &tmp, d);
    if(rc)
      goto out;
    if(lmodel_is_zose(p)) {
      z += v[k];
      nz++;
    } else {
      o += v[k];
      no++;
    }
  }
  if(!nz || !no)
    goto out; /* one logical model: nothing to compare */
  if(m->full_capacity_msu == MSU_UNRATED) {
    rc = diag_add(d, ctx->machines_file, m->line, 0, cd->cust.id,
                  "machine %s has no full_capacity_msu, expected its rated MSUs to check the MSUs reported for "
                  "its z/OS.e and non-z/OS.e logical models against it (R-W13)", m->serial);
    goto out;
  }
  long full = (long)m->full_capacity_msu, excess = z + o - full;
  if(excess <= 0)
    goto out;
  long cut_z = z - ZOSE_MIN_MSU > 0 ? (excess < z - ZOSE_MIN_MSU ? excess : z - ZOSE_MIN_MSU) : 0;
  long cut_o = excess - cut_z < o ? excess - cut_z : o;
  long rz = cut_z, ro = cut_o, before = *msus;
  for(size_t k = 0; k < cd->nlicenses; k++) {
    if(v[k] < 0)
      continue;
    long *rem = lmodel_is_zose(catalog_product(ctx->cat, cd->licenses[k].product_id)) ? &rz : &ro;
    long take = *rem < v[k] ? *rem : v[k];
    *rem -= take;
    if(&cd->licenses[k] == l)
      *msus = v[k] - take;
  }

  rule_set_add(rules, R_W13);
  rc = invoice_audit(inv, line, R_W13, REFS(REF(SRC_MACHINES, m->line), REF_SCRT(st->report_name ? st->report_name : "", 0)), AV_QTY(*msus, "MSUs"),
                     "the z/OS.e logical model reports %ld MSUs and the non-z/OS.e model %ld, together %ld, above "
                     "the %ld MSUs of machine %s: z/OS.e MSUs reduced by %ld (never below %d), non-z/OS.e MSUs by "
                     "%ld; %s goes from %ld to %ld MSUs", z, o, z + o, full, m->serial, cut_z, ZOSE_MIN_MSU, cut_o,
                     l->product_id, before, *msus);
  if(!rc && *msus != before)
    rc = lmodel_note(inv, line, "Reported %ld MSUs reduced to %ld: the z/OS.e and non-z/OS.e logical models "
                     "reported more than the machine's %ld MSUs", before, *msus, full);
out:
  invoice_clear(&scratch);
  free(v);
  return rc;
}

/* MSUs of EWLC license l on its machine (wlc_opts.msus). */
static int ewlc_msus(const rule_ctx *ctx, const license *l, invoice *inv, int line, long *msus, rule_set *rules, diag_list *d)
{
  int rc;
  if(l->feature_of) {
    /* R-W6: EWLC features have the MSUs of their program, adjusted as the program is */
    const license *base = cust_license(ctx->cd, l->feature_of);

    if((rc = ewlc_msus(ctx, base, inv, line, msus, rules, d)))
      return rc;
    rule_set_add(rules, R_W6);
    return invoice_audit(inv, line, R_W6, REFS(REF(SRC_LICENSES, l->line), REF(SRC_LICENSES, base->line)), AV_QTY(*msus, "MSUs"), "feature %s (%s) takes the MSUs of its program %s (%s)",
                         l->product_id, l->license_id, base->product_id, base->license_id);
  }
  if((rc = subcap_license_msus(ctx, l, inv, line, msus, rules, d)))
    return rc;
  const machine *m = cust_machine(ctx->cd, l->serial);
  if(at_full(ctx, l))
    /* R-W14: at full capacity a split machine charges each logical model its own capacity
     * (002 §5.16.13 3.F.e.iii.g: "EWLC at Full Logical Model Capacity") */
    return lmodel_split(m) ? lmodel_capacity(ctx, l, inv, line, msus, rules, d) : LB_OK;
  if(model_os(catalog_product(ctx->cat, l->product_id)))
    return reduce_to_capacity(ctx, l, inv, line, msus, rules, d); /* R-W13 */
  return LB_OK;
}

int ewlc_validate(const rule_ctx *ctx, diag_list *d)
{
  int bad = 0, rc;
  /* R-W14 */
  if((rc = lmodel_validate(ctx, CT_EWLC, d)) == LB_ENOMEM)
    return rc;
  bad |= rc != 0;
  rc = lmodel_exclusive(ctx, CT_EWLC,
                        1u << CT_AWLC | 1u << CT_VWLC | 1u << CT_PSLC | 1u << CT_TWLC | 1u << CT_ZELC,
                        "(002 §5.16.13 3.F.c)", d);
  bad |= rc != 0;
  return bad ? LB_EINPUT : LB_OK;
}

int ewlc_price(const rule_ctx *ctx, invoice *inv, diag_list *d)
{
  /* never aggregated across machines (002 §5.16.13 3.F.b) */
  static const wlc_opts o = {"monthly", 0, ewlc_msus};
  return wlc_price_ct(ctx, CT_EWLC, &o, inv, d);
}
