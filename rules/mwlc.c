/* mwlc.c - R-W17: MWLC for z/VSE, sub-capacity as WLC, Full Capacity MSUs where z/VSE V3 or older is licensed. */
#include "rules/mwlc.h"

#include <stdio.h>
#include <string.h>

#include "rules/lmodel.h"
#include "rules/subcap.h"
#include "rules/timing.h"
#include "rules/wlc.h"

#define ZVSE_ELIGIBLE 4 /* z/VSE V4 and later are MWLC's Eligible Operating Systems */

static int charged(const rule_ctx *ctx, const license *l)
{
  return timing_month_charged(ctx->month, l->installed_on, l->discontinued_on, l->notice_received_on);
}

/* Major version of a products.csv version ("3", "4.3", "V5R1"): 0, or -1 when it has none. */
static int major_version(const char *v, long *out)
{
  long n = 0;
  int digits = 0;
  if(!v)
    return -1;
  if(*v == 'V' || *v == 'v')
    v++;
  for(; *v >= '0' && *v <= '9' && n < 100000; v++, digits++)
    n = n * 10 + (*v - '0');
  if(!digits || (*v && *v != '.' && *v != 'R' && *v != 'r'))
    return -1;
  *out = n;
  return 0;
}

static int is_zvse_os(const product *p)
{
  return p->is_os && p->family == FAMILY_ZVSE;
}

/* The first z/VSE operating system licensed to the machine this month that
 * is eligible (V4+, eligible = 1) or V3 or older (eligible = 0). Versions
 * were checked by mwlc_validate. */
static const license *zvse_os(const rule_ctx *ctx, const char *serial, int eligible)
{
  for(size_t i = 0; i < ctx->cd->nlicenses; i++) {
    const license *o = &ctx->cd->licenses[i];
    const product *p = catalog_product(ctx->cat, o->product_id);
    long v;
    if(strcmp(o->serial, serial) || !is_zvse_os(p) || !charged(ctx, o) || major_version(p->version, &v))
      continue;
    if(eligible ? v >= ZVSE_ELIGIBLE : v < ZVSE_ELIGIBLE)
      return o;
  }
  return NULL;
}

/* The first MWLC license charged this month on machine m, NULL when none. */
static const license *first_mwlc(const rule_ctx *ctx, const machine *m)
{
  for(size_t i = 0; i < ctx->cd->nlicenses; i++) {
    const license *l = &ctx->cd->licenses[i];
    if(l->ct == CT_MWLC && !strcmp(l->serial, m->serial) && charged(ctx, l))
      return l;
  }
  return NULL;
}

/* R-W17 */
int mwlc_validate(const rule_ctx *ctx, diag_list *d)
{
  const cust_data *cd = ctx->cd;
  const char *cust = cd->cust.id;
  int bad = 0, rc;
  for(size_t i = 0; i < cd->nlicenses; i++) {
    const license *l = &cd->licenses[i];
    const product *p = catalog_product(ctx->cat, l->product_id);
    if(l->ct == CT_MWLC && charged(ctx, l) && p->family != FAMILY_ZVSE) {
      diag_add(d, ctx->licenses_file, l->line, l->product_col, cust,
               "license %s has MWLC but %s is of the %s family (products.csv line %ld), expected a program "
               "running under z/VSE, family zvse (R-W17)", l->license_id, l->product_id, os_family_names[p->family],
               p->line);
      bad = 1;
    }
  }
  for(size_t i = 0; i < cd->nmachines; i++) {
    const machine *m = &cd->machines[i];
    const license *first = first_mwlc(ctx, m);
    int unreadable = 0;
    if(!first)
      continue;
    /* z/VSE versions on the machine must be readable to apply R-W17 */
    for(size_t k = 0; k < cd->nlicenses; k++) {
      const license *o = &cd->licenses[k];
      const product *op = catalog_product(ctx->cat, o->product_id);
      long v;
      if(strcmp(o->serial, m->serial) || !is_zvse_os(op) || !charged(ctx, o) || !major_version(op->version, &v))
        continue;
      diag_add(d, ctx->licenses_file, o->line, o->product_col, cust,
               "z/VSE %s (license %s) has version '%s' in products.csv line %ld, expected a version number such "
               "as 4.3, to tell whether z/VSE V3 or older is licensed to machine %s (R-W17)", o->product_id,
               o->license_id, op->version ? op->version : "", op->line, m->serial);
      bad = unreadable = 1;
    }
    if(!unreadable && !zvse_os(ctx, m->serial, 1)) {
      diag_add(d, ctx->licenses_file, first->line, first->ct_col, cust,
               "license %s (%s) has MWLC, but no eligible operating system is licensed to machine %s this month, "
               "expected z/VSE V4 or later licensed there (R-W17, 002 MWLC terms, Charges 1)", first->license_id,
               first->product_id, m->serial);
      bad = 1;
    }
  }
  rc = lmodel_exclusive(ctx, CT_MWLC,
                        1u << CT_AWLC | 1u << CT_VWLC | 1u << CT_PSLC | 1u << CT_EWLC | 1u << CT_TWLC | 1u << CT_ZELC,
                        "(R-W17, 002 MWLC terms, Charges 2)", d);
  bad |= rc != 0;
  return bad ? LB_EINPUT : LB_OK;
}

/* MSUs of MWLC license l on its machine (wlc_opts.msus). */
static int mwlc_msus(const rule_ctx *ctx, const license *l, invoice *inv, int line, long *msus, rule_set *rules, diag_list *d)
{
  const license *v3 = zvse_os(ctx, l->serial, 0);
  if(!v3)
    return subcap_license_msus(ctx, l, inv, line, msus, rules, d); /* R-W2..R-W6 */
  /* R-W17: z/VSE V3 or older on the machine: MWLC at Full Capacity MSUs */
  const machine *m = cust_machine(ctx->cd, l->serial);
  const product *p = catalog_product(ctx->cat, v3->product_id);

  if(m->full_capacity_msu == MSU_UNRATED)
    return diag_add(d, ctx->machines_file, m->line, 0, ctx->cd->cust.id,
                    "machine %s has no full_capacity_msu but MWLC %s must be charged at Full Capacity MSUs "
                    "because z/VSE %s is licensed there, expected the machine's rated MSUs (R-W17)", m->serial,
                    l->product_id, p->version);
  if(m->t10_line && strstr(m->t10_what, "capacity")) {
    int rc = subcap_t10_audit(ctx, m, inv, line, rules);
    if(rc)
      return rc;
  }
  *msus = (long)m->full_capacity_msu;
  rule_set_add(rules, R_W17);
  if(lmodel_note(inv, line, "Full Capacity MSUs: z/VSE %s is licensed to the machine", p->version))
    return LB_ENOMEM;
  return invoice_audit(inv, line, R_W17, REFS(REF(SRC_LICENSES, l->line), REF(SRC_LICENSES, v3->line), REF(SRC_PRODUCTS, p->line), REF(SRC_MACHINES, m->line)), AV_QTY(*msus, "MSUs"),
                       "%s %s on %s: z/VSE %s version %s (license %s) is licensed to the machine, so MWLC there is "
                       "at Full Capacity MSUs", l->product_id, l->license_id, m->serial, v3->product_id, p->version,
                       v3->license_id);
}

int mwlc_price(const rule_ctx *ctx, invoice *inv, diag_list *d)
{
  static const wlc_opts o = {"monthly", 0, mwlc_msus};
  return wlc_price_ct(ctx, CT_MWLC, &o, inv, d);
}
