/* salc.c - R-U5: SALC usage rounded up to whole MSUs, charged as Base 1 plus one Level A..D feature per further MSU. */
#include "rules/salc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules/subcap.h"
#include "rules/timing.h"
#include "rules/usage.h"

#define USAGE_UNIT "MSUs"

/* R-U5, 002 §5.16.14: the usage levels and their ranges in MSUs */
static const struct level {
  const char *component; /* prices.csv component */
  const char *name;
  long from, to;         /* to < 0: open */
} LEVELS[5] = {
  {"base1", "Base 1", 1, 1},
  {"level_a", "Level A", 2, 11},
  {"level_b", "Level B", 12, 44},
  {"level_c", "Level C", 45, 78},
  {"level_d", "Level D", 79, -1},
};

void salc_features(long msus, long features[5])
{
  /* R-U5: usage <= 1 MSU is the Base 1 feature alone */
  if(msus < 1)
    msus = 1;
  for(int i = 0; i < 5; i++) {
    long top = LEVELS[i].to < 0 || msus < LEVELS[i].to ? msus : LEVELS[i].to;
    features[i] = top >= LEVELS[i].from ? top - LEVELS[i].from + 1 : 0;
  }
}

/* R-U5: z/OS with WLC or EWLC charged on the machine this month, NULL when none. */
static const license *zos_wlc(const rule_ctx *ctx, const char *serial)
{
  for(size_t i = 0; i < ctx->cd->nlicenses; i++) {
    const license *o = &ctx->cd->licenses[i];
    const product *p = catalog_product(ctx->cat, o->product_id);
    if(!strcmp(o->serial, serial) && p->is_os && p->family == FAMILY_ZOS && !subcap_is_legacy_os(p) &&
       (o->ct == CT_AWLC || o->ct == CT_VWLC || o->ct == CT_EWLC) &&
       timing_month_charged(ctx->month, o->installed_on, o->discontinued_on, o->notice_received_on))
      return o;
  }
  return NULL;
}

int salc_validate(const rule_ctx *ctx, diag_list *d)
{
  int bad = 0;
  for(size_t i = 0; i < ctx->nown; i++) {
    const license *l = ctx->own[i];
    if(!zos_wlc(ctx, l->serial)) {
      diag_add(d, ctx->licenses_file, l->line, l->ct_col, ctx->cd->cust.id,
               "SALC license %s (%s) on machine %s, but z/OS there has neither WLC (AWLC, VWLC) nor EWLC this "
               "month, expected z/OS with WLC or EWLC on the same machine (R-U5)", l->license_id, l->product_id,
               l->serial);
      bad = 1;
    }
  }
  return bad ? LB_EINPUT : LB_OK;
}

/* The price of one feature of `lv`: a single prices.csv row with unit_price. */
static int feature_price(const rule_ctx *ctx, const license *ref, const struct level *lv, const price **out,
                         diag_list *d)
{
  const price *book;
  size_t n;
  char date[11];
  if(catalog_price_book(ctx->cat, ref->product_id, CT_SALC, lv->component, ctx->cd->cust.currency,
                        ctx->price_date, &book, &n) ||
     n != 1 || !book->has_unit_price || book->has_fixed_price || book->from_qty >= 0)
    return diag_add(d, ctx->licenses_file, ref->line, ref->product_col, ctx->cd->cust.id,
                    "no %s feature price for %s SALC in %s effective on %s in prices.csv, expected one row with "
                    "component '%s', no from_qty/to_qty and the monthly charge of one feature in unit_price "
                    "(R-U5)", lv->name, ref->product_id, ctx->cd->cust.currency,
                    date_format(date, ctx->price_date), lv->component);
  *out = book;
  return LB_OK;
}

/* Price group g's features on line cl: tiers, amount, unit price, note, steps. */
static int price_features(const rule_ctx *ctx, const usage_group *g, money billed, charge_line *cl, invoice *inv,
                          rule_set *rules, diag_list *d)
{
  const license *ref = g->lic[0];
  long features[5], msus = usage_ceil(billed);
  money exact = 0, part, rounded;
  char u[32], up[32], range[40], list[160] = "", note[240];
  int rc, used = 0;
  if(invoice_line_tiers(cl, 5))
    return LB_ENOMEM;

  /* R-U5, R-0.3: rounded up to the nearest whole MSU */
  salc_features(msus, features);
  if(msus < 1)
    msus = 1;
  if((rc = invoice_audit(inv, cl->line, R_U5, NO_REFS, AV_QTY(msus, "MSUs"),
                         "SALC usage %s MSUs rounded up to a whole MSU%s", usage_format(u, billed),
                         usage_ceil(billed) < 1 ? "; usage <= 1 MSU is charged as 1 MSU, the Base 1 feature" : "")))
    return rc;
  for(int i = 0; i < 5; i++) {
    const price *book = NULL;
    if(!features[i])
      continue;
    if((rc = feature_price(ctx, ref, &LEVELS[i], &book, d)))
      return rc;
    if(money_mul_int(&part, book->unit_price, features[i]) || money_add(&exact, exact, part))
      return diag_add(d, ctx->licenses_file, ref->line, ref->product_col, ctx->cd->cust.id,
                      "SALC charge for %ld MSUs of %s overflows, expected a price that fits", msus, ref->product_id);
    tier_part *t = &cl->tiers[cl->ntiers++];
    t->from_qty = LEVELS[i].from;
    t->to_qty = LEVELS[i].to < 0 ? -1 : LEVELS[i].to;
    t->qty = features[i];
    t->unit_price = book->unit_price;
    t->fixed_price = 0;
    money_format(up, book->unit_price, 4);
    if(LEVELS[i].to == LEVELS[i].from)
      snprintf(range, sizeof(range), "MSU %ld", LEVELS[i].from);
    else if(LEVELS[i].to < 0)
      snprintf(range, sizeof(range), "MSUs %ld and up", LEVELS[i].from);
    else
      snprintf(range, sizeof(range), "MSUs %ld to %ld", LEVELS[i].from, LEVELS[i].to);
    if((rc = invoice_audit(inv, cl->line, R_U5, REFS(REF(SRC_PRICES, book->line)), AV_MONEY(part, 4), "%ld %s feature%s (one per MSU, %s) x %s",
                           features[i], LEVELS[i].name, features[i] == 1 ? "" : "s", range, up)))
      return rc;
    size_t k = strlen(list);
    snprintf(list + k, sizeof(list) - k, "%s%ld %s", k ? " + " : "", features[i], LEVELS[i].name);
    used++;
    cl->unit_price = book->unit_price;
  }
  if(money_round_cent(&rounded, exact))
    return LB_EOVERFLOW;
  if((rc = invoice_audit(inv, cl->line, R_0_1, NO_REFS, AV_MONEY(rounded, 2), "line amount rounded half away from zero to the cent")))
    return rc;
  rule_set_add(rules, R_U5);
  rule_set_add(rules, R_0_1);
  snprintf(note, sizeof(note), "%s feature%s; usage of the billing period %s MSUs", list,
           features[0] + features[1] + features[2] + features[3] + features[4] == 1 ? "" : "s",
           usage_format(u, billed));
  cl->quantity = msus;
  cl->has_unit_price = used == 1;
  if(used != 1)
    cl->unit_price = 0;
  cl->amount = rounded;
  cl->unit = strdup(USAGE_UNIT);
  cl->note = strdup(note);
  cl->rules = *rules;
  return cl->unit && cl->note ? LB_OK : LB_ENOMEM;
}

int salc_price(const rule_ctx *ctx, invoice *inv, diag_list *d)
{
  lic_groups gs;
  /* SALC is part of the Usage Pricing terms (002 §5.16.14): summed over the sysplex, two initial months */
  int rc = usage_groups(ctx, CT_SALC, 1, &gs, d);
  if(rc)
    return rc;
  for(size_t k = 0; k < gs.n; k++) {
    const usage_group *g = &gs.v[k];
    rule_set rules = {0};
    money usage, billed;
    charge_line *cl = invoice_add_line(inv);
    if(!cl) {
      rc = LB_ENOMEM;
      goto out;
    }
    if((rc = usage_line_fields(ctx, g, CT_SALC, cl)))
      goto out;
    rule_set_add(&rules, R_T4);
    if((rc = invoice_audit(inv, cl->line, R_T4, REFS(REF(SRC_LICENSES, g->lic[0]->line)), AV_TEXT("charged"),
                           "SALC %s is charged for the whole month (installed before the month, not discontinued "
                           "before it; R-T5)", g->product_id)) ||
       (rc = usage_monthly(ctx, g, USAGE_UNIT, inv, cl->line, &usage, &rules, d)) ||
       (rc = usage_billed(ctx, CT_SALC, g, usage, 2, USAGE_UNIT, inv, cl->line, &billed, &rules, d)) ||
       (rc = price_features(ctx, g, billed, cl, inv, &rules, d)))
      goto out;
  }
out:
  lic_groups_clear(&gs);
  return rc;
}
