/* wlc.c - VWLC and AWLC: MSUs per machine, summed over a qualified sysplex, priced once by tier. */
#include "rules/wlc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules/subcap.h"
#include "rules/svc.h"
#include "rules/sysplex.h"
#include "rules/tiers.h"
#include "rules/timing.h"
#include "rules/transition.h"

static int fmt_tier(char *buf, size_t n, const tier_part *t)
{
  char up[32], fx[32];
  money_format(up, t->unit_price, 4);
  money_format(fx, t->fixed_price, 4);
  if(t->to_qty < 0)
    return snprintf(buf, n, "%ld+ MSUs: %ld x %s + base %s", t->from_qty, t->qty, up, fx);
  return snprintf(buf, n, "%ld-%ld MSUs: %ld x %s + base %s", t->from_qty, t->to_qty, t->qty, up, fx);
}

/* "1-3 MSUs: 3 x 10.0000 + base 0.0000; 4-45 MSUs: ..." (malloc'd, NULL on ENOMEM) */
static char *tiers_text(const charge_line *cl)
{
  size_t len = 1, k = 0;
  for(int i = 0; i < cl->ntiers; i++)
    len += (size_t)fmt_tier(NULL, 0, &cl->tiers[i]) + 2;
  char *s = malloc(len);
  if(!s)
    return NULL;
  s[0] = '\0';
  for(int i = 0; i < cl->ntiers; i++) {
    if(i)
      k += (size_t)snprintf(s + k, len - k, "; ");
    k += (size_t)fmt_tier(s + k, len - k, &cl->tiers[i]);
  }
  return s;
}

int wlc_price_line(const rule_ctx *ctx, const license *ref, charge_type ct, const char *component, long qty,
                   charge_line *cl, invoice *inv, rule_set *rules, diag_list *d)
{
  const price *book;
  size_t n;
  money exact, rounded;
  char date[11];
  int rc;
  if(catalog_price_book(ctx->cat, ref->product_id, ct, component, ctx->cd->cust.currency, ctx->price_date,
                        &book, &n))
    return diag_add(d, ctx->licenses_file, ref->line, ref->product_col, ctx->cd->cust.id,
                    "no price for %s %s (component '%s') in %s effective on %s in prices.csv, expected a price "
                    "row (R-W1)", ref->product_id, charge_type_name(ct), component, ctx->cd->cust.currency,
                    date_format(date, ctx->price_date));
  if(invoice_line_tiers(cl, n))
    return LB_ENOMEM;
  rc = tiers_price(book, n, qty, &exact, cl->tiers, &cl->ntiers);
  if(rc || money_round_cent(&rounded, exact))
    return diag_add(d, ctx->licenses_file, ref->line, ref->product_col, ctx->cd->cust.id,
                    "charge for %ld MSUs of %s overflows, expected a price that fits", qty, ref->product_id);
  /* R-W1: one step naming every tier reached */
  char *tiers = tiers_text(cl);
  if(!tiers)
    return LB_ENOMEM;
  rc = invoice_audit(inv, cl->line, R_W1, REFS(REF_BOOK(book[0].line, book[0].effective_from)),
                     AV_MONEY(exact, 4), "tiered price of %ld MSUs, %s %s %s price book effective %s: %s", qty,
                     ref->product_id, charge_type_name(ct), ctx->cd->cust.currency,
                     date_format(date, book[0].effective_from), tiers);
  free(tiers);
  if(rc)
    return rc;
  rule_set_add(rules, R_W1);
  /* the line is rounded once, half away from zero to the cent */
  rc = invoice_audit(inv, cl->line, R_0_1, NO_REFS, AV_MONEY(rounded, 2),
                     "line amount rounded half away from zero to the cent");
  if(rc)
    return rc;
  cl->amount = rounded;
  cl->quantity = qty;
  int used = 0;
  money single = 0;
  for(int i = 0; i < cl->ntiers; i++)
    if(cl->tiers[i].qty > 0 || cl->tiers[i].fixed_price) {
      used++;
      single = cl->tiers[i].unit_price;
      if(cl->tiers[i].fixed_price)
        used++;
    }
  cl->has_unit_price = used <= 1;
  cl->unit_price = used <= 1 ? single : 0;
  return LB_OK;
}

int wlc_price_ct(const rule_ctx *ctx, charge_type ct, const wlc_opts *o, invoice *inv, diag_list *d)
{
  const cust_data *cd = ctx->cd;
  lic_groups gs;
  input_ref *plex = NULL;
  int rc, bad = 0;
  /* R-W8: the month's licenses (ctx->own, R-T4/R-T5 applied by the engine) by product and sysplex */
  if((rc = sysplex_groups(ctx, ct, o->aggregate, "", &gs, d)))
    return rc;
  if(gs.n && !(plex = calloc(ctx->nown, sizeof(*plex)))) {
    rc = LB_ENOMEM;
    goto out;
  }
  for(size_t k = 0; k < gs.n && !bad; k++) {
    const lic_group *g = &gs.v[k];
    rule_set rules = {0};
    long sum = 0;
    charge_line *cl = invoice_add_line(inv);
    if(!cl) {
      rc = LB_ENOMEM;
      goto out;
    }
    rule_set_add(&rules, R_T4);
    rc = invoice_audit(inv, cl->line, R_T4, REFS(REF(SRC_LICENSES, g->lic[0]->line)), AV_TEXT("charged"),
                       "%s %s is charged for the whole month (installed before the month, not discontinued "
                       "before it; R-T5)", charge_type_name(ct), g->product_id);
    if(rc)
      goto out;
    for(int i = 0; i < g->n; i++) {
      long msus = 0;
      int e = o->msus ? o->msus(ctx, g->lic[i], inv, cl->line, &msus, &rules, d)
                      : subcap_license_msus(ctx, g->lic[i], inv, cl->line, &msus, &rules, d);
      /* R-S1..R-S3: Single Version Charging, per machine before aggregation */
      if(!e)
        e = svc_adjust(ctx, g->lic[i], inv, cl->line, &msus, &rules, d);
      if(e && e != LB_EINPUT) {
        rc = e;
        goto out;
      }
      if(e) {
        bad = 1;
        break;
      }
      sum += msus;
    }
    if(bad)
      break;
    if(g->n > 1) {
      /* R-W8: one tiered price over the sysplex sum */
      for(int i = 0; i < g->n; i++)
        plex[i] = REF(SRC_MACHINES, cust_machine(cd, g->lic[i]->serial)->line);
      rule_set_add(&rules, R_W8);
      rc = invoice_audit_v(inv, cl->line, R_W8, plex, (size_t)g->n, AV_QTY(sum, "MSUs"),
                           "%s aggregated over the %d machines of sysplex %s", g->product_id, g->n, g->sysplex);
      if(rc)
        goto out;
    }
    /* R-W8: a sysplex line only when summed */
    if(sysplex_group_line(ctx, g, ct, cl) || !(cl->unit = strdup("MSUs"))) {
      rc = LB_ENOMEM;
      goto out;
    }
    int e = wlc_price_line(ctx, g->lic[0], ct, o->component ? o->component : "monthly", sum, cl, inv, &rules, d);
    if(e && e != LB_EINPUT) {
      rc = e;
      goto out;
    }
    if(e) {
      bad = 1;
      break;
    }
    rule_set_add(&rules, R_0_1);
    cl->rules = rules;
  }
  rc = bad ? LB_EINPUT : LB_OK;
out:
  free(plex);
  lic_groups_clear(&gs);
  return rc;
}

static const wlc_opts wlc_default = {"monthly", 1, NULL};

int wlc_price_vwlc(const rule_ctx *ctx, invoice *inv, diag_list *d)
{
  size_t first = inv->nlines;
  int rc = wlc_price_ct(ctx, CT_VWLC, &wlc_default, inv, d);
  /* R-W11: transition charges of sysplexes with AWLC-eligible machines */
  return rc ? rc : transition_apply(ctx, inv, first, d);
}

int wlc_validate_awlc(const rule_ctx *ctx, diag_list *d)
{
  int bad = 0;
  for(size_t i = 0; i < ctx->nown; i++) {
    const license *l = ctx->own[i];
    const machine *m = cust_machine(ctx->cd, l->serial);
    if(m && !m->awlc_eligible) {
      diag_add(d, ctx->licenses_file, l->line, l->ct_col, ctx->cd->cust.id,
               "AWLC license %s (%s) on machine %s, which is not AWLC-eligible (awlc_eligible no, machines.csv "
               "line %ld), expected VWLC or another charge type for this machine, or awlc_eligible yes: AWLC "
               "is for programs used on an Eligible Machine (R-W20)", l->license_id, l->product_id, m->serial,
               m->line);
      bad = 1;
    }
  }
  return bad ? LB_EINPUT : LB_OK;
}

int wlc_price_awlc(const rule_ctx *ctx, invoice *inv, diag_list *d)
{
  return wlc_price_ct(ctx, CT_AWLC, &wlc_default, inv, d);
}
