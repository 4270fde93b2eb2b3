/* customer.c - reads one customer's rows from its spans and checks them against each other. */
#include "input/customer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const logical_model_names[] = {"zose", "other", "both", NULL};
const char *const sales_channel_names[] = {"direct", "passport_advantage", NULL};

/* Rows are counted first so that arrays live in the arena. */
static void *arena_array(arena *a, size_t n, size_t sz) { return n ? arena_alloc(a, n * sz) : NULL; }

/* Rows of the customer in file f, as the index counted them: the arrays are
 * sized by rows, never by bytes (a bound by bytes took 40 times the size
 * of a large usage.csv). */
static size_t span_rows(const cust_entry *e, cust_file f) { return (size_t)e->spans[f].rows + 1; }

/* Call row_fn for every row of the customer (e) in file f. */
typedef int (*row_fn)(cust_data *cd, table *t, const catalog *cat);

static int each_row(cust_data *cd, const cust_index *ix, const cust_entry *e, const char *id, cust_file f,
                    const catalog *cat, row_fn fn, diag_list *d)
{
  int ncols, bad = 0, rc = LB_OK, more;
  const col_spec *cols = cust_file_columns(f, &ncols);
  span_cursor c = e->spans[f];
  span sp;
  const span *s = &sp;
  while((more = cust_index_next_span(ix, &c, &sp)) == 1) {
    csvf_opts o = {.delim = ',', .start = s->start, .end = s->end, .first_line = s->line};
    table t;
    rc = table_open(&t, ix->paths[f], cols, ncols, &o, &ix->headers[f], d);
    if(rc)
      return rc;
    t.customer = id;
    uint64_t rows = 0;
    while((rc = table_next(&t)) > 0) {
      if(++rows > s->rows) {
        /* the arrays hold the rows the index counted: a file that grew since is not read on */
        diag_add(d, ix->paths[f], t.row->line, 0, id, "the file changed while the run read it, expected "
                 "the input set to stay as it is during a run");
        table_close(&t);
        return LB_EIO;
      }
      if(t.row_bad) {
        /* the row was reported without a customer: say whose it is */
        if(d->n && !d->v[d->n - 1].customer_id)
          d->v[d->n - 1].customer_id = strdup(id);
        bad = 1;
        continue;
      }
      int r = fn(cd, &t, cat);
      if(r == LB_ENOMEM) {
        table_close(&t);
        return r;
      }
      if(r)
        bad = 1;
    }
    table_close(&t);
    if(rc < 0)
      return rc;
  }
  if(more < 0)
    return more;
  return bad ? LB_EINPUT : LB_OK;
}

static int valid_currency(const char *s)
{
  return strlen(s) == 3 && s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'A' && s[1] <= 'Z' && s[2] >= 'A' &&
         s[2] <= 'Z';
}

static int read_customer(cust_data *cd, table *t, const catalog *cat)
{
  customer *c = &cd->cust;
  const char *id, *name, *addr, *country, *region, *cur, *contract;
  int cls = 0, cycle = 0, tsad = 1, tsad_full = 1;
  int64_t terms = 30, ppdays = 0;
  money pct = 0;
  (void)cat;
  tbl_text(t, C_ID, 1, &id);
  tbl_text(t, C_NAME, 1, &name);
  tbl_enum(t, C_CLASS, 1, cust_class_names, &cls);
  tbl_text(t, C_ADDRESS, 1, &addr);
  tbl_text(t, C_COUNTRY, 1, &country);
  tbl_text(t, C_TAX_REGION, 1, &region);
  tbl_text(t, C_CURRENCY, 1, &cur);
  tbl_text(t, C_CONTRACT, 1, &contract);
  tbl_enum(t, C_CYCLE, 1, billing_cycle_names, &cycle);
  tbl_int(t, C_TERMS, 1, 0, 365, &terms);
  tbl_decimal(t, C_PP_PCT, 0, 4, &pct);
  tbl_int(t, C_PP_DAYS, 0, 0, 365, &ppdays);
  tbl_flag(t, C_TSAD, 1, &tsad);
  tbl_flag(t, C_TSAD_FULL, 0, &tsad_full);
  int e = tbl_failed(t);
  if(e)
    return LB_EINPUT;
  if(!valid_currency(cur))
    return tbl_error(t, C_CURRENCY, "column 'currency': '%s' is not a currency code, expected ISO 4217 "
                     "like EUR", cur);
  if(pct < 0 || pct >= 100 * MONEY_SCALE)
    return tbl_error(t, C_PP_PCT, "prompt_pay_pct out of range, expected 0 to below 100 (percent)");
  if(pct > 0 && !tbl_given(t, C_PP_DAYS))
    return tbl_error(t, C_PP_DAYS, "column 'prompt_pay_days' is empty but prompt_pay_pct is given, "
                     "expected the days within which the discount applies (R-X2)");
  c->id = arena_strdup(&cd->mem, id);
  c->name = arena_strdup(&cd->mem, name);
  c->address = arena_strdup(&cd->mem, addr);
  c->country = arena_strdup(&cd->mem, country);
  c->tax_region = arena_strdup(&cd->mem, region);
  c->currency = arena_strdup(&cd->mem, cur);
  c->contract_number = arena_strdup(&cd->mem, contract);
  if(!c->id || !c->name || !c->address || !c->country || !c->tax_region || !c->currency ||
     !c->contract_number)
    return LB_ENOMEM;
  c->cls = (cust_class)cls;
  c->cycle = (billing_cycle)cycle;
  c->payment_terms_days = terms;
  c->prompt_pay_pct = pct;
  c->prompt_pay_days = ppdays;
  c->tsad = tsad;
  c->tsad_full = tsad_full;
  c->line = t->row->line;
  {
    long line;
    tbl_pos(t, C_TAX_REGION, &line, &c->tax_region_col);
  }
  return LB_OK;
}

static int read_machine(cust_data *cd, table *t, const catalog *cat)
{
  machine *m = &cd->machines[cd->nmachines];
  const char *serial, *tm, *plex, *pg, *golc, *zelc, *twlc;
  int64_t full = MSU_UNRATED, engines = 0, zose = 0;
  int awlc = 0, prsm = 0;
  lb_month start = MONTH_NONE;
  lb_date eff = DATE_NONE;
  (void)cat;
  tbl_text(t, M_SERIAL, 1, &serial);
  tbl_text(t, M_TYPE_MODEL, 1, &tm);
  tbl_int(t, M_FULL_MSU, 0, 1, 100000, &full);
  tbl_int(t, M_ENGINES, 1, 1, 1000, &engines);
  tbl_text(t, M_SYSPLEX, 0, &plex);
  tbl_flag(t, M_AWLC, 1, &awlc);
  tbl_text(t, M_PGROUP, 0, &pg);
  tbl_text(t, M_GOLC, 0, &golc);
  tbl_text(t, M_ZELC, 0, &zelc);
  tbl_text(t, M_TWLC, 0, &twlc);
  tbl_month(t, M_SUBCAP_START, 0, &start);
  tbl_int(t, M_ZOSE_ENGINES, 0, 0, 1000, &zose);
  tbl_flag(t, M_PRSM, 0, &prsm);
  tbl_date(t, M_EFFECTIVE, 0, &eff);
  int e = tbl_failed(t);
  if(e)
    return LB_EINPUT;
  if(zose > engines)
    return tbl_error(t, M_ZOSE_ENGINES, "zose_engines %lld is more than the machine's %lld engines, expected "
                     "at most the engines of the machine (R-W14)", (long long)zose, (long long)engines);
  for(size_t i = 0; i < cd->nmachines; i++)
    if(strcmp(cd->machines[i].serial, serial) == 0) {
      /* a dated configuration of a known machine (R-T10), or a duplicate */
      int dated = eff != DATE_NONE && cd->machines[i].effective_from != DATE_NONE;
      for(size_t j = 0; dated && j < cd->nmhist; j++)
        if(!strcmp(cd->mhist[j].serial, serial) && cd->mhist[j].effective_from == eff)
          dated = 0;
      if(!dated || cd->machines[i].effective_from == eff)
        /* also what a machine in two sysplexes looks like (R-W8) */
        return tbl_error(t, M_SERIAL, "machine %s is listed twice (first on line %ld), expected one row per "
                         "machine with at most one sysplex (R-W8), or rows with different effective_from "
                         "dates for its configurations (R-T10)", serial, cd->machines[i].line);
      m = &cd->mhist[cd->nmhist++];
      break;
    }
  m->serial = arena_strdup(&cd->mem, serial);
  m->type_model = arena_strdup(&cd->mem, tm);
  m->sysplex = arena_strdup(&cd->mem, plex);
  m->processor_group = arena_strdup(&cd->mem, pg);
  m->golc_category = arena_strdup(&cd->mem, golc);
  m->zelc_category = arena_strdup(&cd->mem, zelc);
  m->twlc_tier = arena_strdup(&cd->mem, twlc);
  if(!m->serial || !m->type_model)
    return LB_ENOMEM;
  m->full_capacity_msu = tbl_given(t, M_FULL_MSU) ? full : MSU_UNRATED;
  m->engines = engines;
  m->awlc_eligible = awlc;
  m->subcap_start = start;
  m->zose_engines = zose;
  m->prsm = prsm;
  m->effective_from = eff;
  m->line = t->row->line;
  {
    long line;
    tbl_pos(t, M_EFFECTIVE, &line, &m->effective_col);
    tbl_pos(t, M_PGROUP, &m->pgroup_line, &m->pgroup_col);
    tbl_pos(t, M_ZOSE_ENGINES, &line, &m->zose_col);
    tbl_pos(t, M_ZELC, &line, &m->zelc_col);
    tbl_pos(t, M_TWLC, &line, &m->twlc_col);
    tbl_pos(t, M_FULL_MSU, &line, &m->full_msu_col);
  }
  if(m == &cd->machines[cd->nmachines])
    cd->nmachines++;
  return LB_OK;
}

static int read_license(cust_data *cd, table *t, const catalog *cat)
{
  license *l = &cd->licenses[cd->nlicenses];
  const char *id, *serial, *prod, *feat, *order, *repl;
  int ct = 0, terms = TERMS_NONE, secure = 0, pricing = PRICING_FULL, lmodel = LMODEL_UNSET, channel = CHANNEL_DIRECT;
  int64_t entitled = -1, qty = 1;
  lb_date inst, disc = DATE_NONE, notice = DATE_NONE, accepted = DATE_NONE;
  long line, col;
  tbl_text(t, L_LICENSE, 1, &id);
  tbl_text(t, L_SERIAL, 1, &serial);
  tbl_text(t, L_PRODUCT, 1, &prod);
  tbl_enum(t, L_CT, 1, charge_type_names, &ct);
  tbl_text(t, L_FEATURE_OF, 0, &feat);
  tbl_date(t, L_INSTALLED, 1, &inst);
  tbl_date(t, L_DISCONTINUED, 0, &disc);
  tbl_date(t, L_NOTICE, 0, &notice);
  tbl_text(t, L_ORDER, 0, &order);
  tbl_enum(t, L_TERMS, 0, subcap_terms_names, &terms);
  tbl_int(t, L_ENTITLED, 0, 0, 1000000, &entitled);
  tbl_text(t, L_REPLACES, 0, &repl);
  tbl_flag(t, L_SECURE, 0, &secure);
  tbl_enum(t, L_PRICING, 0, pricing_mode_names, &pricing);
  tbl_int(t, L_QUANTITY, 0, 1, 1000000, &qty);
  tbl_date(t, L_ACCEPTED, 0, &accepted);
  tbl_enum(t, L_LMODEL, 0, logical_model_names, &lmodel);
  tbl_enum(t, L_CHANNEL, 0, sales_channel_names, &channel);
  int e = tbl_failed(t);
  if(e)
    return LB_EINPUT;
  if(!cust_machine(cd, serial)) {
    if(cd->rejected_rows & (1u << CF_MACHINES))
      return LB_EINPUT; /* the machine's row may be the rejected one: reported once, there */
    return tbl_error(t, L_SERIAL, "machine %s is not in machines.csv for customer %s, expected one of "
                     "the customer's machines", serial, cd->cust.id);
  }
  if(!catalog_product(cat, prod))
    return tbl_error(t, L_PRODUCT, "product '%s' is not in products.csv, expected a known product_id", prod);
  if(disc != DATE_NONE && disc < inst)
    return tbl_error(t, L_DISCONTINUED, "discontinued_on is before installed_on, expected a date on or "
                     "after the installation");
  if(cust_license(cd, id))
    return tbl_error(t, L_LICENSE, "license_id '%s' appears twice for customer %s, expected it once", id,
                     cd->cust.id);
  /* only a price per license or feature is charged once for each on the row */
  if(qty > 1 && !(charge_type_flags((charge_type)ct) & CTF_COUNTED))
    return tbl_error(t, L_QUANTITY, "quantity %lld on %s license %s, but %s, expected 1 or empty (R-0.5)",
                     (long long)qty, charge_type_name((charge_type)ct), id,
                     (charge_type)ct == CT_IPLA
                       ? "the quantity of an IPLA program acquired is its capacity, given in entitled_msu (R-I6)"
                       : "its charge is measured on the machine (MSUs, capacity or usage of every copy there), "
                         "not counted per license");
  l->license_id = arena_strdup(&cd->mem, id);
  l->serial = cust_machine(cd, serial)->serial;
  l->product_id = catalog_product(cat, prod)->product_id;
  l->feature_of = arena_strdup(&cd->mem, feat);
  l->order_number = arena_strdup(&cd->mem, order);
  l->replaces = arena_strdup(&cd->mem, repl);
  if(!l->license_id)
    return LB_ENOMEM;
  l->ct = (charge_type)ct;
  l->installed_on = inst;
  l->discontinued_on = disc;
  l->notice_received_on = notice;
  l->terms = (subcap_terms)terms;
  l->entitled_msu = tbl_given(t, L_ENTITLED) ? entitled : -1;
  l->secure_support = secure;
  l->pricing = (pricing_mode)pricing;
  l->quantity = qty;
  l->accepted_on = accepted;
  l->lmodel = (logical_model)lmodel;
  l->channel = (sales_channel)channel;
  l->line = t->row->line;
  tbl_pos(t, L_FEATURE_OF, &line, &col);
  l->feature_of_col = col;
  tbl_pos(t, L_PRODUCT, &line, &col);
  l->product_col = col;
  tbl_pos(t, L_CT, &line, &col);
  l->ct_col = col;
  tbl_pos(t, L_PRICING, &line, &col);
  l->pricing_col = col;
  tbl_pos(t, L_INSTALLED, &line, &col);
  l->installed_col = col;
  tbl_pos(t, L_ACCEPTED, &line, &col);
  l->accepted_col = col;
  tbl_pos(t, L_LMODEL, &line, &col);
  l->lmodel_col = col;
  tbl_pos(t, L_SERIAL, &line, &col);
  l->serial_col = col;
  tbl_pos(t, L_TERMS, &line, &col);
  l->terms_col = col;
  tbl_pos(t, L_ENTITLED, &line, &col);
  l->entitled_col = col;
  tbl_pos(t, L_REPLACES, &line, &col);
  l->replaces_col = col;
  tbl_pos(t, L_SECURE, &line, &col);
  l->secure_col = col;
  tbl_pos(t, L_CHANNEL, &line, &col);
  l->channel_col = col;
  cd->nlicenses++;
  return LB_OK;
}

/* Column of field c in the current row, 0 when the file has no such column. */
static long col_of(const table *t, int c)
{
  long line, col;
  if(t->map[c] < 0)
    return 0;
  tbl_pos(t, c, &line, &col);
  return col;
}

static int read_support(cust_data *cd, table *t, const catalog *cat)
{
  support_row *s = &cd->support[cd->nsupport];
  const char *lic, *offering, *order;
  lb_date start, end, reinst = DATE_NONE, expired = DATE_NONE, funded = DATE_NONE;
  money annual = 0;
  int kind = SUP_PERIOD;
  int64_t qty = 1;
  (void)cat;
  tbl_text(t, S_LICENSE, 1, &lic);
  tbl_date(t, S_START, 1, &start);
  tbl_date(t, S_END, 1, &end);
  tbl_decimal(t, S_ANNUAL, 1, 4, &annual);
  tbl_date(t, S_REINSTATED, 0, &reinst);
  tbl_text(t, S_OFFERING, 0, &offering);
  tbl_enum(t, S_KIND, 0, support_kind_names, &kind);
  tbl_text(t, S_ORDER, 0, &order);
  tbl_date(t, S_EXPIRED, 0, &expired);
  tbl_date(t, S_FUNDED, 0, &funded);
  tbl_int(t, S_QUANTITY, 0, 1, 1000000, &qty);
  int e = tbl_failed(t);
  if(e)
    return LB_EINPUT;
  if(end < start)
    return tbl_error(t, S_END, "support period ends before it starts, expected period_end on or after "
                     "period_start (R-M1)");
  if(annual < 0)
    return tbl_error(t, S_ANNUAL, "negative annual_charge, expected 0 or more");
  if(!cust_license(cd, lic)) {
    if(cd->rejected_rows & (1u << CF_LICENSES))
      return LB_EINPUT; /* the license's row may be the rejected one: reported once, there */
    return tbl_error(t, S_LICENSE, "license_id '%s' is not a license of customer %s, expected one from "
                     "licenses.csv", lic, cd->cust.id);
  }
  s->license_id = arena_strdup(&cd->mem, lic);
  s->offering = arena_strdup(&cd->mem, offering);
  s->order_number = arena_strdup(&cd->mem, order);
  if(!s->license_id)
    return LB_ENOMEM;
  s->kind = (support_kind)kind;
  s->expired_on = expired;
  s->funded_on = funded;
  s->quantity = qty;
  s->period_start = start;
  s->period_end = end;
  s->reinstated_on = reinst;
  s->annual_charge = annual;
  s->line = t->row->line;
  s->offering_col = col_of(t, S_OFFERING);
  s->kind_col = col_of(t, S_KIND);
  s->start_col = col_of(t, S_START);
  s->end_col = col_of(t, S_END);
  s->expired_col = col_of(t, S_EXPIRED);
  s->reinstated_col = col_of(t, S_REINSTATED);
  s->funded_col = col_of(t, S_FUNDED);
  cd->nsupport++;
  return LB_OK;
}

/* A machine and product measured outside the usage window. */
typedef struct usage_pair {
  const char *serial, *product_id; /* the machine's and the catalog's strings: compared as pointers */
} usage_pair;

/* 1 when the row of serial and prod on day is not kept (cust_data.window); 0 when it is, LB_ENOMEM. */
static int usage_dropped(cust_data *cd, lb_date day, const char *serial, const char *prod)
{
  const usage_window *w = cd->window;
  if(!w || (day >= w->from && day <= w->to))
    return 0;
  for(size_t i = 0; i < cd->noutside; i++)
    if(cd->outside[i].serial == serial && cd->outside[i].product_id == prod)
      return 1;
  if(cd->noutside == cd->outside_cap) {
    size_t nc = cd->outside_cap ? cd->outside_cap * 2 : 8;
    usage_pair *nv = arena_alloc(&cd->mem, nc * sizeof(*nv));
    if(!nv)
      return LB_ENOMEM;
    if(cd->noutside)
      memcpy(nv, cd->outside, cd->noutside * sizeof(*nv));
    cd->outside = nv;
    cd->outside_cap = nc;
  }
  cd->outside[cd->noutside++] = (usage_pair){serial, prod};
  return 0;
}

/* Room for one more usage row: the array doubles in the arena (the rows kept are not known before they are read). */
static int usage_room(cust_data *cd)
{
  if(cd->nusage < cd->usage_cap)
    return LB_OK;
  size_t nc = cd->usage_cap ? cd->usage_cap * 2 : 64;
  usage_row *nv = arena_alloc(&cd->mem, nc * sizeof(*nv));
  if(!nv)
    return LB_ENOMEM;
  if(cd->nusage)
    memcpy(nv, cd->usage, cd->nusage * sizeof(*nv));
  cd->usage = nv;
  cd->usage_cap = nc;
  return LB_OK;
}

static int read_usage(cust_data *cd, table *t, const catalog *cat)
{
  usage_row *u;
  const char *serial, *prod, *ver, *hour;
  money value = 0;
  int test = 0;
  lb_date day;
  size_t ep;
  long line;
  tbl_text(t, U_SERIAL, 1, &serial);
  tbl_text(t, U_PRODUCT, 1, &prod);
  tbl_text(t, U_VERSION, 0, &ver);
  tbl_text(t, U_HOUR, 1, &hour);
  tbl_decimal(t, U_VALUE, 1, 4, &value);
  tbl_flag(t, U_TEST, 0, &test);
  int e = tbl_failed(t);
  if(e)
    return LB_EINPUT;
  if(strlen(hour) != 13 || hour[10] != 'T' || hour[11] < '0' || hour[11] > '2' || hour[12] < '0' ||
     hour[12] > '9' || (hour[11] - '0') * 10 + (hour[12] - '0') > 23 || date_parse(&day, hour, 10, &ep))
    return tbl_error(t, U_HOUR, "column 'hour': '%s' is not an hour, expected YYYY-MM-DDTHH (00-23)", hour);
  if(value < 0)
    return tbl_error(t, U_VALUE, "negative usage value, expected 0 or more");
  if(!cust_machine(cd, serial))
    return tbl_error(t, U_SERIAL, "machine %s is not in machines.csv for customer %s, expected one of "
                     "the customer's machines", serial, cd->cust.id);
  if(!catalog_product(cat, prod))
    return tbl_error(t, U_PRODUCT, "product '%s' is not in products.csv, expected a known product_id", prod);
  serial = cust_machine(cd, serial)->serial;
  prod = catalog_product(cat, prod)->product_id;
  if((e = usage_dropped(cd, day, serial, prod)))
    return e == 1 ? LB_OK : e;
  if((e = usage_room(cd)))
    return e;
  u = &cd->usage[cd->nusage];
  u->serial = serial;
  u->product_id = prod;
  u->version = arena_strdup(&cd->mem, ver);
  u->day = day;
  u->hour = (hour[11] - '0') * 10 + (hour[12] - '0');
  u->value = value;
  u->test_period = test;
  u->line = t->row->line;
  tbl_pos(t, U_VERSION, &line, &u->version_col);
  tbl_pos(t, U_HOUR, &line, &u->hour_col);
  tbl_pos(t, U_PRODUCT, &line, &u->product_col);
  cd->nusage++;
  return LB_OK;
}

/* R-S1: `replaces` names the predecessor: another license of the customer, of
 * the same OS family, replaced by this license only. 1 when something was reported. */
static int check_replaces(const cust_data *cd, const catalog *cat, const char *file, diag_list *d)
{
  int bad = 0;
  for(size_t i = 0; i < cd->nlicenses; i++) {
    const license *l = &cd->licenses[i];
    if(!l->replaces)
      continue;
    const license *old = cust_license(cd, l->replaces);
    if(!old && (cd->rejected_rows & (1u << CF_LICENSES)))
      continue; /* the predecessor's row may be the rejected one: reported once, there */
    if(!old || old == l) {
      diag_add(d, file, l->line, l->replaces_col, cd->cust.id,
               "replaces '%s' is not another license of this customer, expected the license_id of the "
               "predecessor program or older version that license %s replaces (R-S1, R-I8)", l->replaces,
               l->license_id);
      bad = 1;
      continue;
    }
    const product *np = catalog_product(cat, l->product_id), *op = catalog_product(cat, old->product_id);
    if(np->family != op->family) {
      diag_add(d, file, l->line, l->replaces_col, cd->cust.id,
               "license %s (%s, %s family) replaces license %s (%s, %s family), expected a predecessor of the "
               "same product family (R-S1)", l->license_id, l->product_id, os_family_names[np->family],
               old->license_id, old->product_id, os_family_names[op->family]);
      bad = 1;
      continue;
    }
    /* the chain of predecessors ends: licenses that replace each other have no first version */
    const license *p = old;
    for(size_t steps = 0; p && p->replaces && steps < cd->nlicenses; steps++)
      if((p = cust_license(cd, p->replaces)) == l) {
        diag_add(d, file, l->line, l->replaces_col, cd->cust.id,
                 "license %s replaces %s, whose chain of predecessors leads back to %s, expected a chain that "
                 "ends at a first license (R-S1, R-I8)", l->license_id, l->replaces, l->license_id);
        bad = 1;
        break;
      }
    if(p == l)
      continue;
    for(size_t k = 0; k < i; k++)
      if(cd->licenses[k].replaces && !strcmp(cd->licenses[k].replaces, l->replaces)) {
        diag_add(d, file, l->line, l->replaces_col, cd->cust.id,
                 "license %s replaces %s, which license %s (line %ld) already replaces, expected one "
                 "replacement per predecessor license (R-S1)", l->license_id, l->replaces,
                 cd->licenses[k].license_id, cd->licenses[k].line);
        bad = 1;
        break;
      }
  }
  return bad;
}

int cust_load(cust_data *cd, const cust_index *ix, size_t k, const catalog *cat, const usage_window *window,
              diag_list *d)
{
  int rc, bad = 0;
  cust_entry e;
  const char *id;
  const char *file = ix->paths[CF_LICENSES];
  memset(cd, 0, sizeof(*cd));
  cd->resolved = MONTH_NONE;
  cd->window = window;
  if((rc = cust_index_entry(ix, k, &e)))
    return rc;
  id = arena_strdup(&cd->mem, e.id);
  free(e.id); /* e's spans are read below */
  e.id = NULL;
  if(!id)
    return LB_ENOMEM;
  cd->id = id;
  if(e.duplicate)
    bad = 1; /* reported by the index */
  size_t nm = span_rows(&e, CF_MACHINES), nl = span_rows(&e, CF_LICENSES), ns = span_rows(&e, CF_SUPPORT);
  cd->machines = arena_array(&cd->mem, nm, sizeof(machine));
  cd->mhist = arena_array(&cd->mem, nm, sizeof(machine));
  cd->licenses = arena_array(&cd->mem, nl, sizeof(license));
  cd->support = arena_array(&cd->mem, ns, sizeof(support_row));
  if(!cd->machines || !cd->mhist || !cd->licenses || !cd->support || usage_room(cd))
    return LB_ENOMEM;
  static const row_fn fns[CF__COUNT] = {read_customer, read_machine, read_license, read_support,
                                        read_usage};
  for(int f = 0; f < CF__COUNT; f++) {
    rc = each_row(cd, ix, &e, id, (cust_file)f, cat, fns[f], d);
    if(rc == LB_ENOMEM || rc == LB_EIO)
      return rc;
    if(rc) {
      bad = 1;
      cd->rejected_rows |= 1u << f;
    }
    if(f == CF_CUSTOMERS && rc)
      return LB_EINPUT; /* without the customer row nothing else can be checked */
  }
  /* R-W6: a feature names a program license on the same machine */
  for(size_t i = 0; i < cd->nlicenses; i++) {
    const license *l = &cd->licenses[i];
    if(!l->feature_of)
      continue;
    const license *base = cust_license(cd, l->feature_of);
    if(!base && (cd->rejected_rows & (1u << CF_LICENSES)))
      continue; /* the program's row may be the rejected one: reported once, there */
    if(!base || base == l || strcmp(base->serial, l->serial) != 0) {
      diag_add(d, file, l->line, l->feature_of_col, cd->cust.id,
               "feature_of '%s' is not a license of this customer on machine %s, expected the license_id "
               "of the program the feature belongs to (R-W6)", l->feature_of, l->serial);
      bad = 1;
    } else if(base->feature_of) {
      /* a feature of a feature has no program to take its MSUs from (and two can point at each other) */
      diag_add(d, file, l->line, l->feature_of_col, cd->cust.id,
               "feature_of '%s' names a license that is itself a feature (of '%s'), expected the license_id "
               "of the program the feature belongs to (R-W6)", l->feature_of, base->feature_of);
      bad = 1;
    }
  }
  bad |= check_replaces(cd, cat, file, d);
  return bad ? LB_EINPUT : LB_OK;
}

void cust_data_clear(cust_data *cd)
{
  arena_clear(&cd->mem);
  memset(cd, 0, sizeof(*cd));
}

const machine *cust_machine(const cust_data *cd, const char *serial)
{
  for(size_t i = 0; i < cd->nmachines; i++)
    if(strcmp(cd->machines[i].serial, serial) == 0)
      return &cd->machines[i];
  return NULL;
}

const license *cust_license(const cust_data *cd, const char *license_id)
{
  for(size_t i = 0; i < cd->nlicenses; i++)
    if(strcmp(cd->licenses[i].license_id, license_id) == 0)
      return &cd->licenses[i];
  return NULL;
}
