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

#define GROUP_MAX 8

typedef struct group {
  const char *product_id;
  const char *key;                 /* sysplex name or serial */
  const char *sysplex;             /* NULL when standalone */
  const license *lic[GROUP_MAX];   /* one license per machine */
  int n;
} group;

static int cmp_group(const void *a, const void *b)
{
  const group *x = a, *y = b;
  int r = strcmp(x->key, y->key);
  return r ? r : strcmp(x->product_id, y->product_id);
}

static char *join(const group *g, int type_model, const rule_ctx *ctx)
{
  size_t n = 1;
  char *s;
  for(int i = 0; i < g->n; i++) {
    const machine *m = cust_machine(ctx->cd, g->lic[i]->serial);
    n += strlen(type_model ? m->type_model : m->serial) + 1;
  }
  s = malloc(n);
  if(!s)
    return NULL;
  s[0] = '\0';
  for(int i = 0; i < g->n; i++) {
    const machine *m = cust_machine(ctx->cd, g->lic[i]->serial);
    if(i)
      strcat(s, "+");
    strcat(s, type_model ? m->type_model : m->serial);
  }
  return s;
}

static void fmt_tier(char *buf, size_t n, const tier_part *t)
{
  char up[32], fx[32];
  money_format(up, t->unit_price, 4);
  money_format(fx, t->fixed_price, 4);
  if(t->to_qty < 0)
    snprintf(buf, n, "%ld+ MSUs: %ld x %s + base %s", t->from_qty, t->qty, up, fx);
  else
    snprintf(buf, n, "%ld-%ld MSUs: %ld x %s + base %s", t->from_qty, t->to_qty, t->qty, up, fx);
}

int wlc_price_line(const rule_ctx *ctx, const license *ref, charge_type ct, const char *component, long qty,
                   charge_line *cl, invoice *inv, char *rules, size_t rsize, diag_list *d)
{
  const price *book;
  size_t n;
  money exact, rounded;
  char date[11], inputs[64], val[32], tiers[512];
  int rc;
  if(catalog_price_book(ctx->cat, ref->product_id, ct, component, ctx->cd->cust.currency, ctx->price_date,
                        &book, &n))
    return diag_add(d, ctx->licenses_file, ref->line, ref->product_col, ctx->cd->cust.id,
                    "no price for %s %s (component '%s') in %s effective on %s in prices.csv, expected a price "
                    "row (R-W1)", ref->product_id, charge_type_names[ct], component, ctx->cd->cust.currency,
                    date_format(date, ctx->price_date));
  rc = tiers_price(book, n, qty, &exact, cl->tiers, &cl->ntiers);
  if(rc || money_round_cent(&rounded, exact))
    return diag_add(d, ctx->licenses_file, ref->line, ref->product_col, ctx->cd->cust.id,
                    "charge for %ld MSUs of %s overflows, expected a price that fits", qty, ref->product_id);
  /* R-W1: one audit step per tier reached */
  snprintf(inputs, sizeof(inputs), "prices.csv:%ld", book[0].line);
  size_t k = 0;
  tiers[0] = '\0';
  for(int i = 0; i < cl->ntiers && k < sizeof(tiers); i++) {
    char one[160];
    fmt_tier(one, sizeof(one), &cl->tiers[i]);
    k += (size_t)snprintf(tiers + k, sizeof(tiers) - k, "%s%s", i ? "; " : "", one);
  }
  {
    char ex[32];
    money_format(ex, exact, 4);
    snprintf(val, sizeof(val), "%s", ex);
    rc = invoice_audit(inv, cl->line, "R-W1", inputs, val,
                       "tiered price of %ld MSUs, %s %s %s price book effective %s: %s", qty, ref->product_id,
                       charge_type_names[ct], ctx->cd->cust.currency, date_format(date, book[0].effective_from),
                       tiers);
    if(rc)
      return rc;
  }
  subcap_add_rule(rules, rsize, "R-W1");
  /* the line is rounded once, half away from zero to the cent */
  money_format(val, rounded, 2);
  rc = invoice_audit(inv, cl->line, "R-0.1", "", val, "line amount rounded half away from zero to the cent");
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
  group *groups = NULL;
  size_t ng = 0;
  int rc = LB_OK, bad = 0;
  if(cd->nlicenses) {
    groups = calloc(cd->nlicenses, sizeof(*groups));
    if(!groups)
      return LB_ENOMEM;
  }
  /* R-W8: group the month's licenses (ctx->own, R-T4/R-T5 applied by the engine) by product and sysplex */
  for(size_t i = 0; i < ctx->nown; i++) {
    const license *l = ctx->own[i];
    const machine *m = cust_machine(cd, l->serial);
    const char *plex = o->aggregate ? sysplex_coupled(ctx, m) : NULL;
    const char *key = plex ? plex : m->serial;
    group *g = NULL;
    for(size_t k = 0; k < ng; k++)
      if(!strcmp(groups[k].product_id, l->product_id) && !strcmp(groups[k].key, key))
        g = &groups[k];
    if(!g) {
      g = &groups[ng++];
      g->product_id = l->product_id;
      g->key = key;
      g->sysplex = plex;
    }
    for(int k = 0; k < g->n; k++)
      if(!strcmp(g->lic[k]->serial, l->serial)) {
        diag_add(d, ctx->licenses_file, l->line, l->product_col, cd->cust.id,
                 "%s is licensed twice for %s on machine %s (also license %s), expected one license per "
                 "program and machine", l->product_id, charge_type_names[ct], l->serial, g->lic[k]->license_id);
        bad = 1;
        g = NULL;
        break;
      }
    if(g && g->n == GROUP_MAX) {
      diag_add(d, ctx->licenses_file, l->line, l->product_col, cd->cust.id,
               "sysplex %s has more than %d machines licensed for %s, expected at most %d", key, GROUP_MAX,
               l->product_id, GROUP_MAX);
      bad = 1;
    } else if(g)
      g->lic[g->n++] = l;
  }
  if(ng)
    qsort(groups, ng, sizeof(*groups), cmp_group);
  for(size_t k = 0; k < ng && !bad; k++) {
    group *g = &groups[k];
    char rules[160] = "", inputs[64], val[32];
    long sum = 0;
    charge_line *cl = invoice_add_line(inv);
    const product *p = catalog_product(ctx->cat, g->product_id);
    if(!cl) {
      rc = LB_ENOMEM;
      goto out;
    }
    subcap_add_rule(rules, sizeof(rules), "R-T4");
    snprintf(inputs, sizeof(inputs), "licenses.csv:%ld", g->lic[0]->line);
    rc = invoice_audit(inv, cl->line, "R-T4", inputs, "charged",
                       "%s %s is charged for the whole month (installed before the month, not discontinued "
                       "before it; R-T5)", charge_type_names[ct], g->product_id);
    if(rc)
      goto out;
    for(int i = 0; i < g->n; i++) {
      long msus = 0;
      int e = o->msus ? o->msus(ctx, g->lic[i], inv, cl->line, &msus, rules, sizeof(rules), d)
                      : subcap_license_msus(ctx, g->lic[i], inv, cl->line, &msus, rules, sizeof(rules), d);
      /* R-S1..R-S3: Single Version Charging, per machine before aggregation */
      if(!e)
        e = svc_adjust(ctx, g->lic[i], inv, cl->line, &msus, rules, sizeof(rules), d);
      if(e == LB_ENOMEM) {
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
      char plex[160] = "";
      for(int i = 0; i < g->n; i++)
        snprintf(plex + strlen(plex), sizeof(plex) - strlen(plex), "%smachines.csv:%ld", i ? ";" : "",
                 cust_machine(ctx->cd, g->lic[i]->serial)->line);
      snprintf(val, sizeof(val), "%ld MSUs", sum);
      subcap_add_rule(rules, sizeof(rules), "R-W8");
      rc = invoice_audit(inv, cl->line, "R-W8", plex, val,
                         "%s aggregated over the %d machines of sysplex %s", g->product_id, g->n, g->sysplex);
      if(rc)
        goto out;
    }
    cl->serial = join(g, 0, ctx);
    cl->type_model = join(g, 1, ctx);
    cl->sysplex = g->n > 1 ? strdup(g->sysplex) : NULL; /* R-W8: a sysplex line only when summed */
    cl->product_id = strdup(g->product_id);
    cl->product_name = strdup(p->name);
    cl->charge_type = strdup(charge_type_names[ct]);
    cl->order_number = g->lic[0]->order_number ? strdup(g->lic[0]->order_number) : NULL;
    cl->unit = strdup("MSUs");
    if(!cl->serial || !cl->type_model || !cl->product_id || !cl->product_name || !cl->charge_type ||
       !cl->unit) {
      rc = LB_ENOMEM;
      goto out;
    }
    int e = wlc_price_line(ctx, g->lic[0], ct, o->component ? o->component : "monthly", sum, cl, inv, rules,
                           sizeof(rules), d);
    if(e == LB_ENOMEM) {
      rc = e;
      goto out;
    }
    if(e) {
      bad = 1;
      break;
    }
    subcap_add_rule(rules, sizeof(rules), "R-0.1");
    cl->rules = strdup(rules);
    if(!cl->rules) {
      rc = LB_ENOMEM;
      goto out;
    }
  }
  rc = bad ? LB_EINPUT : LB_OK;
out:
  free(groups);
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

int wlc_price_awlc(const rule_ctx *ctx, invoice *inv, diag_list *d)
{
  return wlc_price_ct(ctx, CT_AWLC, &wlc_default, inv, d);
}
