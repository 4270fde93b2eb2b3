/* ipla.c - R-I5..R-I8: Value Units required vs entitled, IBM-initiated orders and the S&S they add. */
#include "rules/ipla.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules/ipla_capacity.h"
#include "rules/maint.h"
#include "rules/prorate.h"
#include "rules/subcap.h"
#include "rules/valueunits.h"

char *ipla_order_number(char *buf, size_t n, const char *customer_id, lb_month m, const char *product_id)
{
  snprintf(buf, n, "IIO-%s-%04d%02d-%s", customer_id, month_year(m), month_number(m), product_id);
  return buf;
}

/* IBM initiates the order for the billing month: it is dated the month's
 * first day, the day the raised entitlement and its S&S start (R-I6, R-I7). */
static lb_date order_date(const rule_ctx *ctx)
{
  return month_first_day(ctx->month);
}

/* R-I6: a license acquired by the end of the billing month counts for the
 * entitlement, discontinued or not: entitled capacity is never reduced. */
static int acquired(const rule_ctx *ctx, const license *l)
{
  return l->ct == CT_IPLA && l->installed_on <= month_last_day(ctx->month);
}

/* R-I7: the S&S row (offering SS) in effect on the order date for a license of the product. */
static const support_row *ss_of(const rule_ctx *ctx, const char *product_id)
{
  lb_date on = order_date(ctx);
  for(size_t i = 0; i < ctx->cd->nsupport; i++) {
    const support_row *s = &ctx->cd->support[i];
    const license *l = cust_license(ctx->cd, s->license_id);
    if(s->offering && !strcmp(s->offering, "SS") && s->period_start <= on && on <= s->period_end && l &&
       l->ct == CT_IPLA && !strcmp(l->product_id, product_id))
      return s;
  }
  return NULL;
}

static const license *first_license(const rule_ctx *ctx, const char *product_id)
{
  for(size_t i = 0; i < ctx->cd->nlicenses; i++)
    if(ctx->cd->licenses[i].ct == CT_IPLA && !strcmp(ctx->cd->licenses[i].product_id, product_id))
      return &ctx->cd->licenses[i];
  return NULL;
}

/* 1 if an IPLA license before ctx->own[i] uses Value Unit Exhibit vue (its defect was reported there) */
static int exhibit_reported(const rule_ctx *ctx, size_t i, const char *vue)
{
  for(size_t j = 0; j < i; j++) {
    const license *o = ctx->own[j];
    const product *op = catalog_product(ctx->cat, o->product_id);
    if(op->vue && !strcmp(op->vue, vue))
      return 1;
  }
  return 0;
}

int ipla_validate(const rule_ctx *ctx, diag_list *d)
{
  const cust_data *cd = ctx->cd;
  const char *cust = cd->cust.id;
  int bad = 0, e;
  for(size_t i = 0; i < ctx->nown; i++) {
    const license *l = ctx->own[i];
    const product *p = catalog_product(ctx->cat, l->product_id);
    const vu_tier *t;
    size_t nt;
    if(l->terms == TERMS_NONE)
      bad = diag_add(d, ctx->licenses_file, l->line, l->terms_col, cust,
                     "IPLA license %s (%s) has no subcap_terms, expected execution, reference or zos (R-I1, R-I2, "
                     "R-I3)", l->license_id, l->product_id);
    if(l->entitled_msu < 0)
      bad = diag_add(d, ctx->licenses_file, l->line, l->entitled_col, cust,
                     "IPLA license %s (%s) has no entitled_msu, expected the license capacity acquired, in MSUs "
                     "(0 when the program's capacity was acquired on another row) (R-I6)", l->license_id,
                     l->product_id);
    /* R-I5 */
    if(!p->vue)
      bad = diag_add(d, ctx->licenses_file, l->line, l->product_col, cust,
                     "IPLA product %s has no vue in products.csv (line %ld), expected the id of its Value Unit "
                     "Exhibit in value_units.csv (R-I5)", p->product_id, p->line);
    else if((e = catalog_vu_exhibit(ctx->cat, p->vue, &t, &nt)) == -1)
      bad = diag_add(d, ctx->licenses_file, l->line, l->product_col, cust,
                     "IPLA product %s names Value Unit Exhibit '%s' (products.csv line %ld), but value_units.csv "
                     "has no tier for it, expected the exhibit's tiers (R-I5)", p->product_id, p->vue, p->line);
    else if(e == -2 && !exhibit_reported(ctx, i, p->vue))
      /* a defective exhibit rejects the customers that use it, not the run; said once per customer */
      bad = diag_add(d, ctx->cat->vu_path, t->defect_line, t->defect_col, cust,
                     "%s; IPLA license %s (%s, licenses.csv line %ld) is priced with it", t->defect, l->license_id,
                     p->product_id, l->line);
    for(size_t j = 0; j < i; j++) {
      const license *o = ctx->own[j];
      if(strcmp(o->product_id, l->product_id))
        continue;
      if(o->terms != l->terms && o->terms != TERMS_NONE && l->terms != TERMS_NONE)
        bad = diag_add(d, ctx->licenses_file, l->line, l->terms_col, cust,
                       "IPLA program %s has %s terms on license %s but %s terms on license %s (line %ld), expected "
                       "one type of sub-capacity terms per program (R-I1, R-I2, R-I3)", l->product_id,
                       subcap_terms_names[l->terms], l->license_id, subcap_terms_names[o->terms], o->license_id,
                       o->line);
      else if(l->terms != TERMS_REFERENCE && !strcmp(o->serial, l->serial) && ipla_runs(ctx, o) &&
              ipla_runs(ctx, l))
        bad = diag_add(d, ctx->licenses_file, l->line, l->product_col, cust,
                       "%s is licensed twice on machine %s (licenses %s and %s), expected one IPLA license per "
                       "program and machine, its capacity counted once (R-I1, R-I3)", l->product_id, l->serial,
                       o->license_id, l->license_id);
    }
    /* a `replaces` naming no license is rejected when the customer is read (input/customer.c) */
    if(!ipla_runs(ctx, l))
      continue;
    if(l->terms == TERMS_REFERENCE) {
      /* R-I2 */
      char ids[IPLA_PARENTS_MAX][32];
      int np = ipla_parent_ids(p, ids, IPLA_PARENTS_MAX), unknown = 0;
      if(!np)
        bad = diag_add(d, ctx->licenses_file, l->line, l->terms_col, cust,
                       "reference-based %s has no parent_product in products.csv (line %ld), expected the MLC "
                       "program it adds value to (R-I2)", p->product_id, p->line);
      for(int k = 0; k < np; k++)
        if(!catalog_product(ctx->cat, ids[k])) {
          bad = diag_add(d, ctx->licenses_file, l->line, l->product_col, cust,
                         "parent_product '%s' of %s (products.csv line %ld) is not in products.csv, expected the "
                         "product_id of the parent MLC program (R-I2)", ids[k], p->product_id, p->line);
          unknown = 1;
        }
      if(np && !unknown && !ipla_parent_in_environment(ctx, l))
        bad = diag_add(d, ctx->licenses_file, l->line, l->product_col, cust,
                       "reference-based %s (%s) adds value to its parent %s, but the parent is not licensed and "
                       "billable this month in its environment %s, expected a license of the parent there (R-I2)",
                       l->product_id, l->license_id, p->parent_product,
                       ipla_environment(ctx, cust_machine(cd, l->serial)));
    }
    if(l->terms == TERMS_ZOS && !ipla_zos_license(ctx, l->serial))
      bad = diag_add(d, ctx->licenses_file, l->line, l->terms_col, cust,
                     "z/OS-based %s (%s) runs on machine %s, but no z/OS license is charged there this month, "
                     "expected z/OS licensed to the machine (R-I3)", l->product_id, l->license_id, l->serial);
  }
  return bad ? LB_EINPUT : LB_OK;
}

/* ---- programs: products, linked as versions under R-I8 ---- */

typedef struct slot {
  const product *p;
  int into; /* R-I8: index of the newer version's slot, -1 for the newest */
  const support_row *ss;
} slot;

static int root(const slot *s, int i)
{
  while(s[i].into >= 0)
    i = s[i].into;
  return i;
}

static int find_slot(const slot *s, int n, const char *product_id)
{
  for(int i = 0; i < n; i++)
    if(!strcmp(s[i].p->product_id, product_id))
      return i;
  return -1;
}

static int cmp_program(const void *a, const void *b)
{
  return strcmp(((const ipla_program *)a)->versions[0]->product_id,
                ((const ipla_program *)b)->versions[0]->product_id);
}

/* The customer's IPLA programs, sorted by the product priced. *out is
 * malloc'd (caller frees). */
static int build_programs(const rule_ctx *ctx, ipla_program **out, size_t *nout, diag_list *d)
{
  const cust_data *cd = ctx->cd;
  slot *s = NULL;
  ipla_program *pg = NULL;
  int n = 0, rc = LB_OK;
  size_t npg = 0;
  *out = NULL;
  *nout = 0;
  if(!ctx->nown)
    return LB_OK;
  s = calloc(ctx->nown, sizeof(*s));
  pg = calloc(ctx->nown, sizeof(*pg));
  if(!s || !pg) {
    rc = LB_ENOMEM;
    goto out;
  }
  for(size_t i = 0; i < ctx->nown; i++) {
    const license *l = ctx->own[i];
    if((acquired(ctx, l) || ipla_runs(ctx, l)) && find_slot(s, n, l->product_id) < 0) {
      s[n].p = catalog_product(ctx->cat, l->product_id);
      s[n].into = -1;
      s[n].ss = ss_of(ctx, l->product_id);
      n++;
    }
  }
  /* R-I8: with S&S a new version's license names the one it replaces */
  for(size_t i = 0; i < ctx->nown; i++) {
    const license *l = ctx->own[i];
    const license *r = l->replaces ? cust_license(cd, l->replaces) : NULL;
    if(!r || r->ct != CT_IPLA || !strcmp(r->product_id, l->product_id))
      continue;
    int a = find_slot(s, n, l->product_id), b = find_slot(s, n, r->product_id);
    if(a < 0 || b < 0 || (!s[a].ss && !s[b].ss))
      continue;
    int ra = root(s, a), rb = root(s, b);
    if(ra != rb)
      s[rb].into = ra;
  }
  for(int i = 0; i < n; i++) {
    if(s[i].into >= 0)
      continue;
    ipla_program *g = &pg[npg++];
    for(int j = 0; j < n; j++) {
      if(root(s, j) != i)
        continue;
      if(g->nversions == IPLA_VERSIONS_MAX) {
        const license *l = first_license(ctx, s[j].p->product_id);
        rc = diag_add(d, ctx->licenses_file, l->line, l->replaces_col, cd->cust.id,
                      "more than %d versions of %s are linked by replaces, expected at most %d (R-I8)",
                      IPLA_VERSIONS_MAX, s[i].p->product_id, IPLA_VERSIONS_MAX);
        goto out;
      }
      /* the newest version first: it is the one ordered */
      if(j == i) {
        memmove(&g->versions[1], &g->versions[0], (size_t)g->nversions * sizeof(g->versions[0]));
        g->versions[0] = s[j].p;
      } else
        g->versions[g->nversions] = s[j].p;
      g->nversions++;
      if(!g->ss || j == i)
        g->ss = s[j].ss ? s[j].ss : g->ss;
    }
  }
  if(npg)
    qsort(pg, npg, sizeof(*pg), cmp_program);
  *out = pg;
  *nout = npg;
  pg = NULL;
out:
  free(s);
  free(pg);
  return rc;
}

/* ---- pricing ---- */

/* No order: the program's steps move to the invoice level (line 0), renumbered after its steps. */
static void to_invoice_level(invoice *inv, size_t from)
{
  int step = 0;
  for(size_t i = 0; i < from; i++)
    if(inv->audit[i].line == 0 && inv->audit[i].step > step)
      step = inv->audit[i].step;
  for(size_t i = from; i < inv->naudit; i++) {
    inv->audit[i].line = 0;
    inv->audit[i].step = ++step;
  }
}

/* The single price per Value Unit of (product, IPLA, component); errors point at license ref. */
static int vu_price(const rule_ctx *ctx, const product *p, const license *ref, const char *component,
                    const char *rule, const price **book, diag_list *d)
{
  size_t n;
  char date[11];
  if(catalog_price_book(ctx->cat, p->product_id, CT_IPLA, component, ctx->cd->cust.currency, ctx->price_date,
                        book, &n) || n != 1 || !(*book)->has_unit_price)
    return diag_add(d, ctx->licenses_file, ref->line, ref->product_col, ctx->cd->cust.id,
                    "no price per Value Unit for %s IPLA (component '%s') in %s effective on %s in prices.csv, "
                    "expected one row with charge_type IPLA, component '%s' and unit_price (%s)", p->product_id,
                    component, ctx->cd->cust.currency, date_format(date, ctx->price_date), component, rule);
  return LB_OK;
}

/* Copy the order line's machine, product and order into a new line. */
static int fill_line(charge_line *cl, const ipla_need *need, const product *p, charge_type ct, const char *order,
                     long qty, money unit_price, money amount, const rule_set *rules, const char *note)
{
  const char *serials[IPLA_MACHINES_MAX], *models[IPLA_MACHINES_MAX];
  for(int i = 0; i < need->nmachines; i++) {
    serials[i] = need->machines[i]->serial;
    models[i] = need->machines[i]->type_model;
  }
  if(invoice_line_machines(cl, serials, models, (size_t)need->nmachines))
    return LB_ENOMEM;
  cl->product_id = strdup(p->product_id);
  cl->product_name = strdup(p->name);
  cl->ct = ct;
  cl->order_number = strdup(order);
  cl->unit = strdup("VUs");
  cl->rules = *rules;
  cl->note = strdup(note);
  if(!cl->product_id || !cl->product_name || !cl->order_number || !cl->unit || !cl->note)
    return LB_ENOMEM;
  cl->quantity = qty;
  cl->has_unit_price = 1;
  cl->unit_price = unit_price;
  cl->amount = amount;
  return LB_OK;
}

/* R-M4: the program's license with secure_support=yes, NULL when none. */
static const license *secure_license(const rule_ctx *ctx, const ipla_program *pg)
{
  for(size_t i = 0; i < ctx->nown; i++) {
    const license *l = ctx->own[i];
    for(int v = 0; l->secure_support && v < pg->nversions; v++)
      if(!strcmp(l->product_id, pg->versions[v]->product_id))
        return l;
  }
  return NULL;
}

/* R-M4: Secure Support via U.S. citizens raises the IBM-initiated order's license charge and its first-year
 * S&S by 2.2 %, only while S&S is active: a line of its own after the line `of` it raises. */
static int secure_line(const ipla_program *pg, const ipla_need *need, const license *l, const char *order, int of,
                       invoice *inv)
{
  money base = inv->lines[of - 1].amount, up;
  const char *what = inv->lines[of - 1].ct == CT_SS ? "its first-year S&S" : "the order's license charge";
  char note[160], b[32];
  if(money_apply_pct(&up, base, MAINT_SECURE_FIRST_PCT))
    return LB_EOVERFLOW;
  charge_line *cl = invoice_add_line(inv);
  if(!cl)
    return LB_ENOMEM;
  snprintf(note, sizeof(note), "Secure Support via U.S. citizens: 2.2 %% of %s (line %d)", what, of);
  int rc = fill_line(cl, need, pg->versions[0], inv->lines[of - 1].ct, order, 1, up, up, RULES(R_M4, R_0_2), note);
  if(rc)
    return rc;
  free(cl->unit);
  if(!(cl->unit = strdup("uplift")))
    return LB_ENOMEM;
  money_format(b, base, 2);
  if(invoice_audit(inv, cl->line, R_M4, REFS(REF(SRC_LICENSES, l->line), REF(SRC_SUPPORT, pg->ss->line)), AV_MONEY(up, 2),
                   "Secure Support via U.S. citizens (license %s secure_support=yes, S&S active): 2.2 %% uplift on %s "
                   "of %s (line %d), rounded half away from zero to the cent (R-0.2)", l->license_id, what, b, of))
    return LB_ENOMEM;
  return LB_OK;
}

/* R-I7: S&S for the new capacity, prorated by days from the order date to the next anniversary (R-M6). */
static int ss_line(const rule_ctx *ctx, const ipla_program *pg, const ipla_need *need, const char *order, long vus,
                   invoice *inv, diag_list *d)
{
  const support_row *s = pg->ss;
  const license *sl = cust_license(ctx->cd, s->license_id);
  const product *p = pg->versions[0];
  const price *book;
  lb_date from = order_date(ctx), year_end = prorate_year_end(s->period_start);
  money annual, amount;
  char a[11], b[11], c[11], up[32], an[32], amt[32], note[256];
  int rc = vu_price(ctx, p, sl, "ss", "R-I7", &book, d);
  if(rc)
    return rc;
  if(money_mul_int(&annual, book->unit_price, vus) ||
     prorate_by_days(&amount, annual, from, s->period_end, s->period_start, year_end))
    return LB_EOVERFLOW;
  long days = prorate_days_between(from, s->period_end), year = prorate_days_between(s->period_start, year_end);
  charge_line *cl = invoice_add_line(inv);
  if(!cl)
    return LB_ENOMEM;
  date_format(a, from);
  date_format(b, s->period_end + 1);
  snprintf(note, sizeof(note), "S&S for the %ld new VUs from %s to the next anniversary %s: %ld/%ld days of the "
           "annual price per VU (R-I7)", vus, a, b, days, year);
  if((rc = fill_line(cl, need, p, CT_SS, order, vus, book->unit_price, amount, RULES(R_I7, R_M6, R_0_1), note)))
    return rc;
  /* prorated: quantity x the annual price per VU is not the amount, so no unit price is printed (the note and
   * the R-M6 step give the proration) */
  cl->has_unit_price = 0;
  snprintf(up, sizeof(up), "%ld VUs", vus);
  if(invoice_audit(inv, cl->line, R_I7, REFS(REF(SRC_SUPPORT, s->line), REF(SRC_LICENSES, sl->line)), AV_QTY(vus, "VUs"),
                   "the customer has S&S on %s (offering SS, %s to %s): S&S capacity must equal the entitled "
                   "capacity, so the IBM-initiated order adds S&S for the %ld new VUs", p->product_id,
                   date_format(c, s->period_start), date_format(a, s->period_end), vus))
    return LB_ENOMEM;
  money_format(up, book->unit_price, 4);
  money_format(an, annual, 4);
  money_format(amt, amount, 2);
  if(invoice_audit(inv, cl->line, R_M6, REFS(REF(SRC_PRICES, book->line), REF(SRC_SUPPORT, s->line)), AV_MONEY(amount, 2),
                   "S&S upgrade prorated by days to the next anniversary: %ld VUs x %s a year = %s, x %ld days (%s "
                   "to %s) / %ld days of the support year", vus, up, an, days, date_format(a, from),
                   date_format(c, s->period_end), year) ||
     invoice_audit(inv, cl->line, R_0_1, NO_REFS, AV_MONEY(amount, 2), "line amount rounded half away from zero to the cent"))
    return LB_ENOMEM;
  return LB_OK;
}

/* R-I6: VUs ordered by IBM-initiated orders in earlier months, per product. */
static long ordered_before(const rule_ctx *ctx, const char *product_id)
{
  const carried *c = rule_carried(ctx, CARRY_IIO_VU, product_id);
  return c ? (long)c->value.num : 0;
}

static int price_program(const rule_ctx *ctx, const ipla_program *pg, invoice *inv, diag_list *d)
{
  const cust_data *cd = ctx->cd;
  const product *p = pg->versions[0];
  const license *ref = first_license(ctx, p->product_id);
  const vu_tier *t;
  const price *book;
  size_t nt, mark = inv->naudit;
  int line = (int)inv->nlines + 1, rc;
  rule_set rules = {0};
  char detail[512], val[48], order[96], note[256], eff[11];
  input_ref *in = NULL;
  size_t nin = 0;
  ipla_need need;
  long req_vu = 0, lic_vu = 0, iio = 0, own = 0;
  int64_t ent_msu = 0;

  if((rc = ipla_required_msus(ctx, pg, inv, line, &need, &rules, d)))
    return rc;
  /* R-I5: required MSUs over the whole enterprise, converted once */
  if(catalog_vu_exhibit(ctx->cat, p->vue, &t, &nt))
    return diag_add(d, ctx->licenses_file, ref->line, ref->product_col, cd->cust.id,
                    "IPLA product %s has no Value Unit Exhibit, expected value_units.csv tiers for '%s' (R-I5)",
                    p->product_id, p->vue ? p->vue : "");
  rc = vu_convert(t, nt, need.msus, &req_vu, NULL, detail, sizeof(detail));
  if(rc == LB_EINPUT)
    return diag_add(d, ctx->licenses_file, ref->line, ref->product_col, cd->cust.id,
                    "%ld MSUs required for %s lie above the last tier of Value Unit Exhibit %s (value_units.csv "
                    "line %ld ends at %lld MSUs), expected an exhibit that covers them (R-I5)", need.msus,
                    p->product_id, p->vue, t[nt - 1].line, (long long)t[nt - 1].to_msu);
  if(rc)
    return rc;
  rule_set_add(&rules, R_I5);
  if(invoice_audit(inv, line, R_I5, REFS(REF(SRC_PRODUCTS, p->line), REF(SRC_VALUE_UNITS, t[0].line)), AV_QTY(req_vu, "VUs"),
                   "required capacity of %s over the enterprise: %ld MSUs; Value Unit Exhibit %s: %s, rounded up "
                   "to %ld VUs", p->product_id, need.msus, p->vue, detail, req_vu))
    return LB_ENOMEM;
  /* R-I6: entitled = licenses acquired (all versions) + earlier IBM-initiated orders */
  if(!(in = calloc(ctx->nown + 1, sizeof(*in))))
    return LB_ENOMEM;
  for(size_t i = 0; i < ctx->nown; i++) {
    const license *l = ctx->own[i];
    int mine = 0;
    for(int v = 0; v < pg->nversions; v++)
      mine |= !strcmp(l->product_id, pg->versions[v]->product_id);
    if(!mine || !acquired(ctx, l) || l->entitled_msu < 0)
      continue;
    ent_msu += l->entitled_msu;
    in[nin++] = REF(SRC_LICENSES, l->line);
  }
  rc = vu_convert(t, nt, (long)ent_msu, &lic_vu, NULL, detail, sizeof(detail));
  if(rc == LB_EINPUT) {
    free(in);
    return diag_add(d, ctx->licenses_file, ref->line, ref->entitled_col, cd->cust.id,
                    "%lld MSUs entitled for %s lie above the last tier of Value Unit Exhibit %s, expected an "
                    "exhibit that covers them (R-I5)", (long long)ent_msu, p->product_id, p->vue);
  }
  if(rc) {
    free(in);
    return rc;
  }
  for(int v = 0; v < pg->nversions; v++) {
    long got = ordered_before(ctx, pg->versions[v]->product_id);
    iio += got;
    if(v == 0)
      own = got;
  }
  long ent_vu = lic_vu + iio;
  rule_set_add(&rules, R_I6);
  rc = invoice_audit_v(inv, line, R_I6, in, nin, AV_QTY(ent_vu, "VUs"),
                   "entitled capacity of %s: %lld MSUs acquired on its licenses = %s, rounded up to %ld VUs, plus "
                       "%ld VUs of earlier IBM-initiated orders", p->product_id, (long long)ent_msu, detail, lic_vu,
                       iio);
  free(in);
  if(rc)
    return LB_ENOMEM;
  if(req_vu <= ent_vu) {
    if(invoice_audit(inv, line, R_I6, NO_REFS, AV_TEXT("no order"),
                     "required %ld VUs do not exceed entitled %ld VUs: no IBM-initiated order; the entitlement is "
                     "kept and nothing is credited", req_vu, ent_vu))
      return LB_ENOMEM;
    to_invoice_level(inv, mark);
    return LB_OK;
  }
  /* R-I6: the IBM-initiated order for the difference */
  long vus = req_vu - ent_vu;
  money amount, cost;
  if((rc = vu_price(ctx, p, ref, "license", "R-I6", &book, d)))
    return rc;
  if(money_mul_int(&cost, book->unit_price, vus) || money_round_cent(&amount, cost))
    return LB_EOVERFLOW;
  charge_line *cl = invoice_add_line(inv);
  if(!cl)
    return LB_ENOMEM;
  ipla_order_number(order, sizeof(order), cd->cust.id, ctx->month, p->product_id);
  snprintf(note, sizeof(note), "IBM-initiated order: required %ld VUs (%ld MSUs) exceed entitled %ld VUs (R-I6)",
           req_vu, need.msus, ent_vu);
  rule_set_add(&rules, R_0_1);
  if((rc = fill_line(cl, &need, p, CT_IPLA, order, vus, book->unit_price, amount, &rules, note)))
    return rc;
  if(invoice_audit(inv, cl->line, R_I6, REFS(REF_BOOK(book->line, book->effective_from)), AV_MONEY(cost, 4),
                   "IBM-initiated order %s: required %ld VUs exceed entitled %ld VUs by %ld VUs, x %s per VU "
                   "(price book effective %s); the entitlement rises to %ld VUs", order, req_vu, ent_vu, vus,
                   money_format(val, book->unit_price, 4), date_format(eff, book->effective_from), req_vu))
    return LB_ENOMEM;
  if(invoice_audit(inv, cl->line, R_0_1, NO_REFS, AV_MONEY(amount, 2), "line amount rounded half away from zero to the cent"))
    return LB_ENOMEM;
  /* carried into later months: the VUs ordered under this product so far */
  if(invoice_carry(inv, CARRY_IIO_VU, p->product_id, (carry_value){MONTH_NONE, own + vus}))
    return LB_ENOMEM;
  if(!pg->ss)
    return LB_OK;
  /* R-M4 on the order, then R-I7 and R-M4 on its S&S */
  const license *sec = secure_license(ctx, pg);
  int order_line = cl->line;
  if(sec && (rc = secure_line(pg, &need, sec, order, order_line, inv)))
    return rc;
  if((rc = ss_line(ctx, pg, &need, order, vus, inv, d)))
    return rc;
  return sec ? secure_line(pg, &need, sec, order, (int)inv->nlines, inv) : LB_OK;
}

/* ---- IPLA programs that a report shows running without a license ---- */

/* 1 when report row p is an IPLA program's: its table's header says IPLA, or the catalog has the product as an
 * IPLA program (a Value Unit Exhibit, R-I5, or an IPLA price). */
static int ipla_row(const rule_ctx *ctx, const scrt_product *p)
{
  const product *cp = catalog_product(ctx->cat, p->product_id);
  return p->ipla || p->table == SCRT_TABLE_IPLA || (cp && cp->vue) || catalog_sold_as(ctx->cat, p->product_id, CT_IPLA);
}

/* How the customer licenses product_id for machine m: 1 when a license covers m this period (any license of it on
 * m, an IPLA one running in the reporting period; or a reference-based IPLA license of it in m's environment, which
 * adds value wherever there it executes, R-I2); else 0 with *other = a license of it elsewhere, NULL when none. */
static int licensed_for(const rule_ctx *ctx, const char *product_id, const machine *m, const license **other)
{
  const char *env = ipla_environment(ctx, m);
  *other = NULL;
  for(size_t i = 0; i < ctx->cd->nlicenses; i++) {
    const license *l = &ctx->cd->licenses[i];
    if(strcmp(l->product_id, product_id))
      continue;
    if(l->ct != CT_IPLA ? !strcmp(l->serial, m->serial)
                        : ipla_runs(ctx, l) &&
                            (!strcmp(l->serial, m->serial) ||
                             (l->terms == TERMS_REFERENCE &&
                              !strcmp(ipla_environment(ctx, cust_machine(ctx->cd, l->serial)), env))))
      return 1;
    if(!*other)
      *other = l;
  }
  return 0;
}

/* Every IPLA row of the period's reports with no license of the customer behind it: a notice for the billing
 * team and a step in the audit trail, never a charge. 002 §5.16.15 makes the WLC and EWLC terms on reports
 * apply to IPLA programs, and both say "Sub-Capacity Reports may not be used to order or discontinue licenses"
 * (§5.16.12 3.4, §5.16.13 (iii)(d)); only "a changed Product LPAR Utilization Capacity" of a licensed program
 * is an order (R-I6). The "new Program" of §5.16.1 4 is the AWLC terms', which §5.16.15 does not bring in. */
static int unlicensed_rows(const rule_ctx *ctx, invoice *inv)
{
  const cust_data *cd = ctx->cd;
  for(size_t i = 0; i < cd->nmachines; i++) {
    const machine_state *st = &ctx->ms[i];
    const scrt_report *r = st->report;
    for(size_t k = 0; r && k < r->nproducts; k++) {
      const scrt_product *p = &r->products[k];
      const license *other;
      char why[512], qty[48];
      long long v = p->customer_msu >= 0 ? (long long)p->customer_msu : (long long)p->tool_msu;
      if(!*p->product_id || !ipla_row(ctx, p) || licensed_for(ctx, p->product_id, st->m, &other))
        continue;
      if(p->is_units)
        snprintf(qty, sizeof(qty), "%lld %s", v, v == 1 ? "unit" : "units");
      else
        snprintf(qty, sizeof(qty), "%lld MSUs", v);
      if(!other) {
        /* R-I6 */
        snprintf(why, sizeof(why), "%s on SCRT report %s line %ld (%s) has no license for customer %s: not "
                 "billed, a Sub-Capacity Report may not be used to order a license (002 §5.16.15, §5.16.12 3.4) "
                 "(R-I6)", p->product_id, st->report_name, p->line, qty, cd->cust.id);
        if(invoice_notice_add(inv, R_I6, st->m->serial, 0, 0, 0, why) ||
           invoice_audit(inv, 0, R_I6, REFS(REF_SCRT(st->report_name, p->line)), AV_TEXT("not billed"),
                         "%s (%s) on machine %s has no license of customer %s: a Sub-Capacity Report may not be "
                         "used to order a license (002 §5.16.15 with §5.16.12 3.4 and §5.16.13 (iii)(d)), so no "
                         "IBM-initiated order; a notice asks the billing team to have it licensed", p->product_id,
                         qty, st->m->serial, cd->cust.id))
          return LB_ENOMEM;
        continue;
      }
      /* licensed on other machines only: where it also runs is not counted (open question 23) */
      rule_id rule = other->ct != CT_IPLA || other->terms == TERMS_EXECUTION ? R_I1
                     : other->terms == TERMS_ZOS                              ? R_I3
                                                                              : R_I2;
      char where[160];
      if(strcmp(other->serial, st->m->serial))
        snprintf(where, sizeof(where), "license %s is on machine %s", other->license_id, other->serial);
      else
        snprintf(where, sizeof(where), "license %s there does not cover the reporting period", other->license_id);
      snprintf(why, sizeof(why), "%s on SCRT report %s line %ld (%s) has no license for customer %s: not counted "
               "in its required capacity on machine %s, %s (%s)", p->product_id, st->report_name, p->line, qty,
               cd->cust.id, st->m->serial, where, rule_id_text(rule));
      if(invoice_notice_add(inv, rule, st->m->serial, 0, 0, 0, why) ||
         invoice_audit(inv, 0, rule, REFS(REF_SCRT(st->report_name, p->line), REF(SRC_LICENSES, other->line)),
                       AV_TEXT("not counted"),
                       "%s (%s) on machine %s, where customer %s has no license of it for the reporting period "
                       "(%s): its MSUs there are not counted in the required capacity; a notice asks the billing "
                       "team to check where the program runs", p->product_id, qty, st->m->serial, cd->cust.id,
                       where))
        return LB_ENOMEM;
    }
  }
  return LB_OK;
}

int ipla_price(const rule_ctx *ctx, invoice *inv, diag_list *d)
{
  ipla_program *pg = NULL;
  size_t n = 0;
  int rc = build_programs(ctx, &pg, &n, d);
  for(size_t i = 0; i < n && !rc; i++)
    rc = price_program(ctx, &pg[i], inv, d);
  free(pg);
  return rc ? rc : unlicensed_rows(ctx, inv);
}
