/* lmodel.c - R-W14: the z/OS.e and other logical models of a machine, their capacities, and the checks of their inputs. */
#include "rules/lmodel.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules/subcap.h"
#include "rules/timing.h"

static int charged(const rule_ctx *ctx, const license *l)
{
  return timing_month_charged(ctx->month, l->installed_on, l->discontinued_on, l->notice_received_on);
}

int lmodel_is_zose(const product *p)
{
  return p->is_os && p->family == FAMILY_ZOS && strstr(p->name, "z/OS.e") != NULL;
}

/* an operating system that runs in the non-z/OS.e model (002 §5.16.13 4.7.e) */
static int other_os(const product *p)
{
  return p->is_os && p->family != FAMILY_NONE && !lmodel_is_zose(p);
}

int lmodel_split(const machine *m)
{
  return m->zose_engines > 0 && m->zose_engines < m->engines;
}

/* R-W14: MSUs / engines x z/OS.e engines, half up: floor((2 x MSUs x e + engines) / (2 x engines)) */
long lmodel_zose_capacity(const machine *m)
{
  int64_t num = 2 * m->full_capacity_msu * m->zose_engines + m->engines;
  return (long)(num / (2 * m->engines));
}

int lmodel_of(const rule_ctx *ctx, const license *l, logical_model *out, diag_list *d)
{
  const license *root = l;
  if(l->feature_of && cust_license(ctx->cd, l->feature_of))
    root = cust_license(ctx->cd, l->feature_of); /* R-W6: a feature runs where its program runs */
  const machine *m = cust_machine(ctx->cd, root->serial);
  const product *p = catalog_product(ctx->cat, root->product_id);
  if(!lmodel_split(m))
    *out = LMODEL_BOTH;
  else if(lmodel_is_zose(p))
    *out = LMODEL_ZOSE;
  else if(other_os(p))
    *out = LMODEL_OTHER;
  else if(root->lmodel != LMODEL_UNSET)
    *out = root->lmodel;
  else
    return diag_add(d, ctx->licenses_file, root->line, root->lmodel_col, ctx->cd->cust.id,
                    "license %s (%s): machine %s has two logical models (z/OS.e on %lld of its %lld engines) and "
                    "%s is not an operating system, so where it runs cannot be told, expected logical_model "
                    "zose, other or both (R-W14)", root->license_id, root->product_id, m->serial,
                    (long long)m->zose_engines, (long long)m->engines, root->product_id);
  return LB_OK;
}

int lmodel_capacity(const rule_ctx *ctx, const license *l, invoice *inv, int line, long *msus, rule_set *rules, diag_list *d)
{
  const machine *m = cust_machine(ctx->cd, l->serial);
  logical_model k;

  int rc = lmodel_of(ctx, l, &k, d);
  if(rc)
    return rc;
  if(m->full_capacity_msu == MSU_UNRATED)
    return diag_add(d, ctx->machines_file, m->line, 0, ctx->cd->cust.id,
                    "machine %s has no full_capacity_msu but %s %s is charged on its Full Logical Model Capacity, "
                    "expected the machine's rated MSUs (R-W14)", m->serial, l->product_id, l->license_id);
  /* R-T10: a capacity raised inside the month is billed for the whole month */
  if((m->t10_raised & T10_CAPACITY) && !rule_set_has(rules, R_T10)) {
    rc = subcap_t10_audit(ctx, m, inv, line, rules);
    if(rc)
      return rc;
  }
  long full = (long)m->full_capacity_msu, ze = lmodel_zose_capacity(m);
  rule_set_add(rules, R_W14);
  /* R-W14 */
  if(k == LMODEL_BOTH) {
    *msus = full;
    if(lmodel_note(inv, line, "Full Logical Model Capacity: %s", lmodel_split(m) ? "both logical models"
                                                                                 : "the whole machine"))
      return LB_ENOMEM;
    return invoice_audit(inv, line, R_W14, REFS(REF(SRC_LICENSES, l->line), REF(SRC_MACHINES, m->line)), AV_QTY(*msus, "MSUs"),
                         lmodel_split(m) ? "%s runs in both logical models of %s: Full Logical Model Capacity is "
                                           "the machine's %ld MSUs"
                                         : "%s: machine %s has one logical model, the machine itself: Full "
                                           "Logical Model Capacity is its %ld MSUs",
                         l->product_id, m->serial, full);
  }
  if(k == LMODEL_ZOSE) {
    *msus = ze;
    if(lmodel_note(inv, line, "Full Logical Model Capacity of the z/OS.e logical model (%lld of %lld engines)",
                   (long long)m->zose_engines, (long long)m->engines))
      return LB_ENOMEM;
    return invoice_audit(inv, line, R_W14, REFS(REF(SRC_LICENSES, l->line), REF(SRC_MACHINES, m->line)), AV_QTY(*msus, "MSUs"),
                         "%s runs in the z/OS.e logical model of %s: %ld MSUs / %lld engines x %lld engines = "
                         "%lld/%lld, rounded half up to %ld MSUs", l->product_id, m->serial, full,
                         (long long)m->engines, (long long)m->zose_engines,
                         (long long)full * m->zose_engines, (long long)m->engines, ze);
  }
  *msus = full - ze;
  if(lmodel_note(inv, line, "Full Logical Model Capacity of the non-z/OS.e logical model (%lld of %lld engines)",
                 (long long)(m->engines - m->zose_engines), (long long)m->engines))
    return LB_ENOMEM;
  return invoice_audit(inv, line, R_W14, REFS(REF(SRC_LICENSES, l->line), REF(SRC_MACHINES, m->line)), AV_QTY(*msus, "MSUs"),
                       "%s runs in the non-z/OS.e logical model of %s: the machine's %ld MSUs less the z/OS.e "
                       "model's %ld (%ld x %lld / %lld engines, half up) = %ld MSUs", l->product_id, m->serial,
                       full, ze, full, (long long)m->zose_engines, (long long)m->engines, *msus);
}

static int first_lmodel_ct(const rule_ctx *ctx, const machine *m)
{
  int first = CT__COUNT;
  for(size_t i = 0; i < ctx->cd->nlicenses; i++) {
    const license *l = &ctx->cd->licenses[i];
    if(!strcmp(l->serial, m->serial) && (l->ct == CT_EWLC || l->ct == CT_TWLC || l->ct == CT_ZELC) &&
       (int)l->ct < first && charged(ctx, l))
      first = (int)l->ct;
  }
  return first;
}

/* R-W14 */
int lmodel_validate(const rule_ctx *ctx, charge_type ct, diag_list *d)
{
  const cust_data *cd = ctx->cd;
  const char *cust = cd->cust.id;
  int bad = 0;
  for(size_t i = 0; i < cd->nmachines; i++) {
    const machine *m = &cd->machines[i];
    const license *ze = NULL, *os = NULL;
    if(first_lmodel_ct(ctx, m) != (int)ct)
      continue;
    for(size_t k = 0; k < cd->nlicenses; k++) {
      const license *l = &cd->licenses[k];
      const product *p = catalog_product(ctx->cat, l->product_id);
      if(strcmp(l->serial, m->serial) || !charged(ctx, l))
        continue;
      if(!ze && lmodel_is_zose(p))
        ze = l;
      if(!os && other_os(p))
        os = l;
      if(l->lmodel == LMODEL_UNSET || (l->ct != CT_EWLC && l->ct != CT_TWLC && l->ct != CT_ZELC))
        continue;
      if(lmodel_is_zose(p) && l->lmodel != LMODEL_ZOSE) {
        diag_add(d, ctx->licenses_file, l->line, l->lmodel_col, cust,
                 "license %s: %s is z/OS.e, which runs in the z/OS.e logical model, but logical_model is '%s', "
                 "expected zose or empty (R-W14)", l->license_id, l->product_id, logical_model_names[l->lmodel]);
        bad = 1;
      } else if(other_os(p) && l->lmodel != LMODEL_OTHER) {
        diag_add(d, ctx->licenses_file, l->line, l->lmodel_col, cust,
                 "license %s: %s is an operating system that may not run in the z/OS.e logical model "
                 "(002 §5.16.13 4.7.e), but logical_model is '%s', expected other or empty (R-W14)",
                 l->license_id, l->product_id, logical_model_names[l->lmodel]);
        bad = 1;
      }
    }
    if(m->zose_engines > 0 && !ze) {
      diag_add(d, ctx->machines_file, m->line, m->zose_col, cust,
               "zose_engines is %lld but no z/OS.e is licensed to machine %s this month, expected 0 or empty when "
               "the machine does not run z/OS.e (R-W14)", (long long)m->zose_engines, m->serial);
      bad = 1;
    } else if(ze && os && !lmodel_split(m)) {
      diag_add(d, ctx->machines_file, m->line, m->zose_col, cust,
               "machine %s runs z/OS.e (license %s) and %s (license %s), so it has two logical models, but "
               "zose_engines is %lld, expected the engines of the z/OS.e logical model, 1 to %lld (R-W14)",
               m->serial, ze->license_id, os->product_id, os->license_id, (long long)m->zose_engines,
               (long long)m->engines - 1);
      bad = 1;
    }
  }
  return bad ? LB_EINPUT : LB_OK;
}

int lmodel_has_price(const rule_ctx *ctx, const char *product_id, charge_type ct, const char *component)
{
  const price *book;
  size_t n;
  return catalog_price_book(ctx->cat, product_id, ct, component, ctx->cd->cust.currency, ctx->price_date, &book,
                            &n) == 0;
}

int lmodel_exclusive(const rule_ctx *ctx, charge_type ct, unsigned covered, const char *cite, diag_list *d)
{
  const cust_data *cd = ctx->cd;
  const char *name = charge_type_name(ct);
  int bad = 0;
  for(size_t i = 0; i < cd->nmachines; i++) {
    const machine *m = &cd->machines[i];
    const license *sel = NULL;
    for(size_t k = 0; k < cd->nlicenses && !sel; k++)
      if(cd->licenses[k].ct == ct && !strcmp(cd->licenses[k].serial, m->serial) && charged(ctx, &cd->licenses[k]))
        sel = &cd->licenses[k];
    const char *component = ct == CT_ZELC ? m->zelc_category : "monthly";
    if(!sel || !component)
      continue;
    for(size_t k = 0; k < cd->nlicenses; k++) {
      const license *o = &cd->licenses[k];
      if(strcmp(o->serial, m->serial) || !(covered & (1u << o->ct)) || !charged(ctx, o) ||
         !lmodel_has_price(ctx, o->product_id, ct, component))
        continue;
      diag_add(d, ctx->licenses_file, o->line, o->ct_col, cd->cust.id,
               "license %s (%s) on machine %s has %s, but %s charges are available for %s (prices.csv) and "
               "license %s on the machine has %s, expected %s for every program with a %s price on a machine "
               "where %s is selected %s", o->license_id, o->product_id, m->serial, charge_type_name(o->ct), name,
               o->product_id, sel->license_id, name, name, name, name, cite);
      bad = 1;
    }
  }
  return bad ? LB_EINPUT : LB_OK;
}

int lmodel_note(invoice *inv, int line, const char *fmt, ...)
{
  char *note = NULL;
  va_list ap;
  if(line < 1 || (size_t)line > inv->nlines)
    return LB_OK; /* a scratch computation without a line */
  va_start(ap, fmt);
  int n = vasprintf(&note, fmt, ap);
  va_end(ap);
  if(n < 0)
    return LB_ENOMEM;
  free(inv->lines[line - 1].note);
  inv->lines[line - 1].note = note;
  return LB_OK;
}
