/* znalc.c - R-W12: zNALC z/OS on the MSUs of the zNALC LPARs, reduced to the machine's peak. */
#include "rules/znalc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules/subcap.h"
#include "rules/timing.h"
#include "rules/wlc.h"

static int charged(const rule_ctx *ctx, const license *l)
{
  return timing_month_charged(ctx->month, l->installed_on, l->discontinued_on, l->notice_received_on);
}

static int is_zose(const product *p)
{
  return p->is_os && p->family == FAMILY_ZOS && strstr(p->name, "z/OS.e") != NULL;
}

/* z/OS proper: the only Eligible Operating System of zNALC (§5.16.9 b.1) */
static int is_zos(const product *p)
{
  return p->is_os && p->family == FAMILY_ZOS && !subcap_is_legacy_os(p) && !is_zose(p);
}

/* R-W12 */
int znalc_is_lpar(const scrt_lpar *lp)
{
  return strncmp(lp->name, "ZNAL", 4) == 0 || lp->license_znalc;
}

/* What may not share a machine with z/OS under zNALC (§5.16.9 b.3.4, b.3.5). */
static int check_neighbours(const rule_ctx *ctx, const license *l, diag_list *d)
{
  const cust_data *cd = ctx->cd;
  const machine *m = cust_machine(cd, l->serial);
  int bad = 0;
  if(m->zose_engines > 0) {
    diag_add(d, ctx->licenses_file, l->line, l->ct_col, cd->cust.id,
             "zNALC license %s on machine %s, but z/OS.e runs there (zose_engines %lld, machines.csv line %ld), "
             "expected no z/OS.e on a machine with zNALC z/OS (R-W12)", l->license_id, l->serial,
             (long long)m->zose_engines, m->line);
    bad = 1;
  }
  for(size_t i = 0; i < cd->nlicenses; i++) {
    const license *o = &cd->licenses[i];
    const product *p = catalog_product(ctx->cat, o->product_id);
    const char *what = NULL;
    if(o == l || strcmp(o->serial, l->serial) || !charged(ctx, o))
      continue;
    if(subcap_is_legacy_os(p))
      what = "OS/390 or MVS";
    else if(is_zose(p))
      what = "z/OS.e";
    else if(is_zos(p) && o->ct == CT_NALC)
      what = "z/OS with NALC";
    if(what) {
      diag_add(d, ctx->licenses_file, l->line, l->ct_col, cd->cust.id,
               "zNALC license %s on machine %s, but %s is licensed there too (license %s, line %ld), expected "
               "no %s on a machine with zNALC z/OS (R-W12)", l->license_id, l->serial, what, o->license_id,
               o->line, what);
      bad = 1;
    }
  }
  return bad;
}

int znalc_validate(const rule_ctx *ctx, diag_list *d)
{
  const cust_data *cd = ctx->cd;
  int bad = 0;
  for(size_t i = 0; i < ctx->nown; i++) {
    const license *l = ctx->own[i];
    const product *p = catalog_product(ctx->cat, l->product_id);
    if(l->feature_of) {
      /* a feature has the MSUs of its zNALC z/OS (R-W6), so its program must be one */
      const license *base = cust_license(cd, l->feature_of);
      if(base->ct != CT_ZNALC) {
        diag_add(d, ctx->licenses_file, l->line, l->feature_of_col, cd->cust.id,
                 "zNALC feature %s belongs to license %s, which is %s, expected a feature of a zNALC z/OS "
                 "license (R-W12)", l->license_id, base->license_id, charge_type_name(base->ct));
        bad = 1;
      }
      continue;
    }
    if(!is_zos(p)) {
      diag_add(d, ctx->licenses_file, l->line, l->product_col, cd->cust.id,
               "zNALC license %s is for %s (%s), but zNALC applies only to z/OS, expected a z/OS product or a "
               "feature of a zNALC z/OS license (R-W12)", l->license_id, l->product_id, p->name);
      bad = 1;
      continue;
    }
    bad |= check_neighbours(ctx, l, d);
  }
  return bad ? LB_EINPUT : LB_OK;
}

/* The z/OS license with sub-capacity WLC or EWLC charges on the machine, or NULL. */
static const license *wlc_zos(const rule_ctx *ctx, const char *serial)
{
  for(size_t i = 0; i < ctx->cd->nlicenses; i++) {
    const license *o = &ctx->cd->licenses[i];
    const product *p = catalog_product(ctx->cat, o->product_id);
    if(!strcmp(o->serial, serial) && is_zos(p) && !o->feature_of &&
       (o->ct == CT_AWLC || o->ct == CT_VWLC || o->ct == CT_EWLC) && o->pricing == PRICING_SUBCAP &&
       charged(ctx, o))
      return o;
  }
  return NULL;
}

/* Full Capacity MSUs because the report cannot show the license yet. */
static int full_first_month(const rule_ctx *ctx, const license *l, const machine_state *st, invoice *inv,
                            int line, long *msus, rule_set *rules, diag_list *d)
{
  const machine *m = st->m;
  if(m->full_capacity_msu == MSU_UNRATED)
    return diag_add(d, ctx->machines_file, m->line, m->full_msu_col, ctx->cd->cust.id,
                    "machine %s has no full_capacity_msu, but zNALC license %s is first charged this month at Full "
                    "Capacity MSUs, expected the machine's rated MSUs (R-W12)", m->serial, l->license_id);
  int rc = subcap_t10_audit(ctx, m, inv, line, rules);
  if(rc)
    return rc;
  *msus = (long)m->full_capacity_msu;
  return invoice_audit(inv, line, R_W12, REFS(REF(SRC_LICENSES, l->line), REF(SRC_MACHINES, m->line), REF_SCRT(st->report_name, 0)), AV_QTY(*msus, "MSUs"),
                       "first monthly charge of zNALC %s (%s) and no zNALC LPAR in the N5 section of %s: Full "
                       "Capacity MSUs until a report shows its LPARs", l->product_id, l->license_id,
                       st->report_name);
}

/* R-W12: the cap at the machine's peak when WLC/EWLC z/OS runs beside zNALC z/OS. */
static int cap_at_peak(const rule_ctx *ctx, const license *l, const machine_state *st, invoice *inv, int line,
                       long *msus, rule_set *rules, diag_list *d)
{
  const scrt_report *r = st->report;
  const product *p = catalog_product(ctx->cat, l->product_id);
  const license *o = wlc_zos(ctx, l->serial);
  long w = 0;
  if(!o)
    return LB_OK;
  int rc = subcap_license_msus(ctx, o, inv, line, &w, rules, d);
  if(rc)
    return rc;
  if(r->cpc_msu < 0)
    return diag_add(d, r->path, r->n5_line, 1, ctx->cd->cust.id,
                    "N5 DETAIL LPAR DATA of machine %s has no CPC row, expected the machine's peak rolling 4-hour "
                    "average to cap zNALC plus %s z/OS MSUs (R-W12)", l->serial, charge_type_name(o->ct));
  long peak = (long)r->cpc_msu, z = *msus;
  if(z + w <= peak) {
    return invoice_audit(inv, line, R_W12, REFS(REF(SRC_LICENSES, l->line), REF(SRC_LICENSES, o->line), REF_SCRT(st->report_name, r->cpc_line), REF(SRC_PRODUCTS, p->line)), AV_QTY(z, "MSUs"),
                         "zNALC %ld + %s z/OS %ld = %ld MSUs do not exceed the machine's peak of %ld MSUs (N5 CPC "
                         "row): no reduction", z, charge_type_name(o->ct), w, z + w, peak);
  }
  if(p->min_msu <= 0)
    return diag_add(d, ctx->licenses_file, l->line, l->product_col, ctx->cd->cust.id,
                    "zNALC MSUs of %s on %s must be reduced to the machine's peak, but products.csv gives no min_msu "
                    "for %s, expected the zNALC minimum MSUs (R-W12)", l->product_id, l->serial, l->product_id);
  long reduced = peak - w;
  const char *why = "reduced so that the total equals the peak";
  if(reduced < p->min_msu) {
    reduced = (long)p->min_msu;
    why = "reduced, but not below the zNALC minimum";
  }
  *msus = reduced;
  return invoice_audit(inv, line, R_W12, REFS(REF(SRC_LICENSES, l->line), REF(SRC_LICENSES, o->line), REF_SCRT(st->report_name, r->cpc_line), REF(SRC_PRODUCTS, p->line)), AV_QTY(reduced, "MSUs"),
                       "zNALC %ld + %s z/OS %ld = %ld MSUs exceed the machine's peak of %ld MSUs (N5 CPC row): "
                       "zNALC %s (minimum %lld MSUs)", z, charge_type_name(o->ct), w, z + w, peak, why,
                       (long long)p->min_msu);
}

/* R-W12: the zNALC quantity is the peak of the zNALC LPARs running concurrently (§5.16.9 b.4.1), but N5 gives
 * each LPAR's own peak and the CPC total, no concurrent figure for a set of LPARs (tests/data/scrt/README.md).
 * The sum of the LPAR peaks is the concurrent peak when they all peaked in the same interval; otherwise it may
 * over-state it: a notice names the LPARs and their rows. The sum never exceeds the machine's peak (N5 CPC row):
 * LPARs running together never use more than the machine (open question 7). */
static int concurrent_bound(const rule_ctx *ctx, const license *l, const machine_state *st, invoice *inv, int line,
                            long *msus, int n, const char *lpars)
{
  const scrt_report *r = st->report;
  const scrt_lpar *first = NULL;
  int same = 1;
  char rows[200] = "";
  size_t k = 0;
  for(size_t i = 0; i < r->nlpars; i++) {
    const scrt_lpar *lp = &r->lpars[i];
    if(!znalc_is_lpar(lp))
      continue;
    if(!first)
      first = lp;
    else if(!*lp->when || !*first->when || strcmp(lp->when, first->when))
      same = 0;
    if(k < sizeof(rows))
      k += (size_t)snprintf(rows + k, sizeof(rows) - k, "%s%ld", k ? ", " : "", lp->line);
  }
  if(n >= 2 && !same) {
    char why[700];
    snprintf(why, sizeof(why), "zNALC %s (license %s) is charged on the sum of %d zNALC LPAR peaks (%s; N5 rows %s "
             "of %s) that did not peak at the same time: the sum may over-state their concurrent peak, which the "
             "report does not give (R-W12)", l->product_id, l->license_id, n, lpars, rows, st->report_name);
    if(invoice_notice_add(inv, R_W12, l->serial, 0, 0, 0, why))
      return LB_ENOMEM;
  }
  if(r->cpc_msu < 0 || *msus <= (long)r->cpc_msu)
    return LB_OK;
  long sum = *msus;
  *msus = (long)r->cpc_msu;
  (void)ctx;
  return invoice_audit(inv, line, R_W12, REFS(REF(SRC_LICENSES, l->line), REF_SCRT(st->report_name, r->cpc_line)),
                       AV_QTY(*msus, "MSUs"),
                       "the zNALC LPAR peaks add up to %ld MSUs, more than the machine's peak of %lld MSUs (N5 CPC "
                       "row): LPARs running concurrently cannot exceed it, so zNALC %s is charged on %lld MSUs",
                       sum, (long long)r->cpc_msu, l->product_id, (long long)r->cpc_msu);
}

/* wlc_opts.msus for zNALC licenses. */
static int znalc_msus(const rule_ctx *ctx, const license *l, invoice *inv, int line, long *msus, rule_set *rules, diag_list *d)
{
  const machine_state *st = subcap_state(ctx, l->serial);
  const product *p = catalog_product(ctx->cat, l->product_id);
  int rc;
  rule_set_add(rules, R_W12);
  if(l->feature_of) {
    /* R-W6: eligible features of zNALC z/OS have its MSUs */
    const license *base = cust_license(ctx->cd, l->feature_of);
    rc = znalc_msus(ctx, base, inv, line, msus, rules, d);
    if(rc)
      return rc;
    rule_set_add(rules, R_W6);
    return invoice_audit(inv, line, R_W6, REFS(REF(SRC_LICENSES, l->line), REF(SRC_LICENSES, base->line)), AV_QTY(*msus, "MSUs"), "zNALC feature %s (%s) takes the MSUs of z/OS %s (%s)",
                         l->product_id, l->license_id, base->product_id, base->license_id);
  }
  if(!st->subcap || l->pricing == PRICING_FULL)
    /* no sub-capacity: Full Capacity MSUs, with the reason (R-W2, R-W3, R-T2) */
    return subcap_license_msus(ctx, l, inv, line, msus, rules, d);
  /* R-W3: "initially charged at Full Capacity MSUs until IBM has processed the initial Sub-Capacity Report on
   * that Eligible Machine" (§5.16.9 b.4.1.b): the month the first report drives is billed on it */
  if((rc = subcap_start_audit(ctx, st, l, inv, line, rules)))
    return rc;
  const scrt_report *r = st->report;
  if(!r->n5_line)
    return diag_add(d, r->path, 0, 0, ctx->cd->cust.id,
                    "SCRT report for machine %s has no N5 DETAIL LPAR DATA section, expected the LPAR rows that "
                    "show the zNALC LPARs of license %s (R-W12)", l->serial, l->license_id);
  long sum = 0;
  int n = 0;
  input_ref *in = calloc(r->nlpars + 1, sizeof(*in));
  char *lpars = NULL;
  size_t nl = 0;
  FILE *fp = in ? open_memstream(&lpars, &nl) : NULL;
  if(!fp) {
    free(in);
    return LB_ENOMEM;
  }
  in[0] = REF(SRC_LICENSES, l->line);
  for(size_t i = 0; i < r->nlpars; i++) {
    const scrt_lpar *lp = &r->lpars[i];
    if(!znalc_is_lpar(lp))
      continue;
    sum += (long)lp->msu;
    n++;
    in[n] = REF_SCRT(st->report_name, lp->line);
    fprintf(fp, "%s%s %lld%s", n > 1 ? " + " : "", lp->name, (long long)lp->msu,
            lp->license_znalc ? " (LICENSE=ZNALC)" : "");
  }
  if(fclose(fp) || !lpars) {
    free(in);
    free(lpars);
    return LB_ENOMEM;
  }
  if(!n) {
    free(in);
    free(lpars);
    if(ctx->month == timing_first_month(l->installed_on))
      return full_first_month(ctx, l, st, inv, line, msus, rules, d);
    /* §5.16.9 b.4.1.c: missing from a later report: the zNALC minimum */
    if(p->min_msu <= 0)
      return diag_add(d, ctx->licenses_file, l->line, l->product_col, ctx->cd->cust.id,
                      "no zNALC LPAR (name beginning ZNAL or LICENSE=ZNALC) in the N5 section of %s and "
                      "products.csv gives no min_msu for %s, expected the zNALC minimum MSUs (R-W12)",
                      st->report_name, l->product_id);
    *msus = (long)p->min_msu;
    return invoice_audit(inv, line, R_W12, REFS(REF(SRC_LICENSES, l->line), REF(SRC_PRODUCTS, p->line), REF_SCRT(st->report_name, r->n5_line)), AV_QTY(*msus, "MSUs"),
                         "no zNALC LPAR (name beginning ZNAL or LICENSE=ZNALC) in the N5 section of %s: zNALC %s "
                         "charged at its minimum MSUs", st->report_name, l->product_id);
  }
  *msus = sum;
  rc = invoice_audit_v(inv, line, R_W12, in, (size_t)n + 1, AV_QTY(sum, "MSUs"),
                       "sub-capacity zNALC %s on %s: highest rolling 4-hour averages of its zNALC LPARs in the N5 "
                       "section of %s: %s", l->product_id, l->serial, st->report_name, lpars);
  if(!rc)
    rc = concurrent_bound(ctx, l, st, inv, line, msus, n, lpars);
  free(in);
  free(lpars);
  if(rc)
    return rc;
  return cap_at_peak(ctx, l, st, inv, line, msus, rules, d);
}

int znalc_price(const rule_ctx *ctx, invoice *inv, diag_list *d)
{
  /* §5.16.9 b.4.3: zNALC allows Parallel Sysplex aggregation (R-W8) */
  static const wlc_opts o = {"monthly", 1, znalc_msus};
  return wlc_price_ct(ctx, CT_ZNALC, &o, inv, d);
}
