/* catalog.c - reading and checking the shared files; an error here rejects the run. */
#include "input/catalog.h"
#include "core/invoice.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "input/table.h"

const char *const cust_class_names[] = {"commercial", "state_local", "federal", "business_partner", NULL};
const char *const billing_cycle_names[] = {"monthly", "quarterly", NULL};
const char *const os_family_names[] = {"zos", "ztpf", "zvse", "none", NULL};
const char *const subcap_terms_names[] = {"execution", "reference", "zos", NULL};
const char *const pricing_mode_names[] = {"full", "subcap", NULL};
const char *const support_kind_names[] = {"period", "renewal", "reinstatement", "upgrade", "anniversary",
                                          "excess", NULL};

/* grow an array by one element; returns the new element or NULL */
static void *push(void **v, size_t *n, size_t *cap, size_t sz)
{
  if(*n == *cap) {
    size_t ncap = *cap ? *cap * 2 : 64;
    void *nv = realloc(*v, ncap * sz);
    if(!nv)
      return NULL;
    *v = nv;
    *cap = ncap;
  }
  void *e = (char *)*v + (*n)++ * sz;
  memset(e, 0, sz);
  return e;
}

static char *path_join(const char *dir, const char *name)
{
  char *p = NULL;
  if(asprintf(&p, "%s/%s", dir, name) < 0)
    return NULL;
  return p;
}

/* ---- products.csv ---- */
enum { P_ID, P_NAME, P_FAMILY, P_IS_OS, P_VERSION, P_MIN_MSU, P_VUE, P_PARENT, P__N };
static const col_spec product_cols[P__N] = {
  {"product_id", 1, 0}, {"name", 1, 0}, {"family", 1, 0}, {"is_os", 1, 0},
  {"version", 1, 0}, {"min_msu", 1, 0}, {"vue", 1, 0}, {"parent_product", 1, 0}};

static int cmp_product(const void *a, const void *b)
{
  return strcmp(((const product *)a)->product_id, ((const product *)b)->product_id);
}

/* A product that is its own parent, directly or through others, has no
 * parent to measure (R-I2): the price book is unusable. */
static int parent_loops(const catalog *c, const char *path, diag_list *d)
{
  int bad = 0;
  for(size_t i = 0; i < c->nproducts; i++) {
    const product *start = &c->products[i], *p = start;
    for(size_t steps = 0; p && p->parent_product && steps < c->nproducts; steps++) {
      p = catalog_product(c, p->parent_product);
      if(p == start) {
        diag_add(d, path, start->line, start->parent_col, NULL, "parent_product of %s leads back to %s, "
                 "expected a chain of parents that ends at a product without one (R-I2)", start->product_id,
                 start->product_id);
        bad = 1;
        break;
      }
    }
  }
  return bad;
}

static int load_products(catalog *c, const char *path, diag_list *d)
{
  table t;
  size_t cap = 0;
  int rc = table_open(&t, path, product_cols, P__N, NULL, NULL, d), bad = 0;
  if(rc)
    return rc;
  while((rc = table_next(&t)) > 0) {
    if(t.row_bad) {
      bad = 1;
      continue;
    }
    product *p = push((void **)&c->products, &c->nproducts, &cap, sizeof(*p));
    int fam = FAMILY_NONE, is_os = 0;
    int64_t min_msu = 0;
    const char *id, *name, *ver, *vue, *parent;
    if(!p) {
      rc = LB_ENOMEM;
      goto out;
    }
    tbl_text(&t, P_ID, 1, &id);
    tbl_text(&t, P_NAME, 1, &name);
    tbl_enum(&t, P_FAMILY, 1, os_family_names, &fam);
    tbl_flag(&t, P_IS_OS, 1, &is_os);
    tbl_text(&t, P_VERSION, 0, &ver);
    tbl_int(&t, P_MIN_MSU, 0, 0, 100000, &min_msu);
    tbl_text(&t, P_VUE, 0, &vue);
    tbl_text(&t, P_PARENT, 0, &parent);
    int e = tbl_failed(&t);
    if(e) {
      bad = 1;
      c->nproducts--;
      continue;
    }
    p->product_id = arena_strdup(&c->mem, id);
    p->name = arena_strdup(&c->mem, name);
    p->version = arena_strdup(&c->mem, ver);
    p->vue = arena_strdup(&c->mem, vue);
    p->parent_product = arena_strdup(&c->mem, parent);
    p->family = (os_family)fam;
    p->is_os = is_os;
    p->min_msu = min_msu;
    p->line = t.row->line;
    tbl_pos(&t, P_PARENT, &(long){0}, &p->parent_col);
    if(!p->product_id || !p->name) {
      rc = LB_ENOMEM;
      goto out;
    }
  }
  if(rc < 0)
    goto out;
  if(c->nproducts)
    qsort(c->products, c->nproducts, sizeof(product), cmp_product);
  for(size_t i = 1; i < c->nproducts; i++)
    if(strcmp(c->products[i].product_id, c->products[i - 1].product_id) == 0) {
      diag_add(d, path, c->products[i].line, 1, NULL,
               "product_id '%s' is defined twice (also on line %ld), expected each product once",
               c->products[i].product_id, c->products[i - 1].line);
      bad = 1;
    }
  if(!bad)
    bad = parent_loops(c, path, d);
  rc = bad ? LB_EINPUT : LB_OK;
out:
  table_close(&t);
  return rc;
}

/* ---- prices.csv ---- */
enum { R_PRODUCT, R_CT, R_COMPONENT, R_FROM, R_TO, R_UNIT, R_FIXED, R_CURRENCY, R_EFFECTIVE, R__N };
static const col_spec price_cols[R__N] = {
  {"product_id", 1, 0}, {"charge_type", 1, 0}, {"component", 1, 0}, {"from_qty", 1, 0}, {"to_qty", 1, 0},
  {"unit_price", 1, 0}, {"fixed_price", 1, 0}, {"currency", 1, 0}, {"effective_from", 1, 0}};

static int same_book(const price *a, const price *b)
{
  return strcmp(a->product_id, b->product_id) == 0 && a->ct == b->ct &&
         strcmp(a->component, b->component) == 0 && strcmp(a->currency, b->currency) == 0 &&
         a->effective_from == b->effective_from;
}

static int cmp_price(const void *pa, const void *pb)
{
  const price *a = pa, *b = pb;
  int r = strcmp(a->product_id, b->product_id);
  if(r)
    return r;
  if(a->ct != b->ct)
    return a->ct < b->ct ? -1 : 1;
  if((r = strcmp(a->component, b->component)))
    return r;
  if((r = strcmp(a->currency, b->currency)))
    return r;
  if(a->effective_from != b->effective_from)
    return a->effective_from < b->effective_from ? -1 : 1;
  if(a->from_qty != b->from_qty)
    return a->from_qty < b->from_qty ? -1 : 1;
  return a->line < b->line ? -1 : (a->line > b->line);
}

static int valid_currency(const char *s)
{
  return strlen(s) == 3 && s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'A' && s[1] <= 'Z' && s[2] >= 'A' &&
         s[2] <= 'Z';
}

/* R-W1: tiers of one price book must be contiguous, without gap or overlap. */
static int check_book(const price *b, size_t n, const char *path, diag_list *d)
{
  char eff[11];
  int bad = 0;
  date_format(eff, b[0].effective_from);
  if(n == 1 && b[0].from_qty < 0)
    return 0; /* a flat price without tiers */
  /* rows sort by from_qty: a flat row (-1) comes first */
  for(size_t i = 0; i < n; i++) {
    const price *p = &b[i];
    if(i > 0 && p->from_qty == b[i - 1].from_qty) {
      /* identical or not, two rows for one tier leave no single price */
      diag_add(d, path, p->line, p->from_col, NULL,
               "a second row for the tier from %lld of price book %s %s %s %s from %s (also line %ld), "
               "expected one row per tier (R-W1)", (long long)(p->from_qty < 0 ? 0 : p->from_qty),
               p->product_id, charge_type_names[p->ct], p->component, p->currency, eff, b[i - 1].line);
      bad = 1;
      continue;
    }
    if(p->from_qty < 0) {
      diag_add(d, path, p->line, p->from_col, NULL,
               "price book %s %s %s %s from %s mixes a row without from_qty with tiered rows, "
               "expected every row to give from_qty (R-W1)",
               p->product_id, charge_type_names[p->ct], p->component, p->currency, eff);
      return 1;
    }
    if(i == 0 && p->from_qty > 1) {
      diag_add(d, path, p->line, p->from_col, NULL,
               "price book %s %s %s %s from %s starts at %lld MSUs, expected the first tier to start "
               "at 0 or 1 (R-W1)",
               p->product_id, charge_type_names[p->ct], p->component, p->currency, eff,
               (long long)p->from_qty);
      bad = 1;
    }
    if(i > 0) {
      const price *q = &b[i - 1];
      if(q->to_qty < 0 || p->from_qty <= q->to_qty) {
        diag_add(d, path, p->line, p->from_col, NULL,
                 "tier starting at %lld overlaps the tier on line %ld of price book %s %s %s %s from %s, "
                 "expected tiers without overlap (R-W1)",
                 (long long)p->from_qty, q->line, p->product_id, charge_type_names[p->ct], p->component,
                 p->currency, eff);
        bad = 1;
      } else if(p->from_qty != q->to_qty + 1) {
        diag_add(d, path, p->line, p->from_col, NULL,
                 "gap between tiers: previous tier (line %ld) ends at %lld, this one starts at %lld "
                 "in price book %s %s %s %s from %s, expected it to start at %lld (R-W1)",
                 q->line, (long long)q->to_qty, (long long)p->from_qty, p->product_id,
                 charge_type_names[p->ct], p->component, p->currency, eff, (long long)q->to_qty + 1);
        bad = 1;
      }
    }
  }
  return bad;
}

static int load_prices(catalog *c, const char *path, diag_list *d)
{
  table t;
  size_t cap = 0;
  int rc = table_open(&t, path, price_cols, R__N, NULL, NULL, d), bad = 0;
  if(rc)
    return rc;
  while((rc = table_next(&t)) > 0) {
    if(t.row_bad) {
      bad = 1;
      continue;
    }
    price *p = push((void **)&c->prices, &c->nprices, &cap, sizeof(*p));
    const char *prod, *comp, *cur;
    int ct = 0;
    int64_t from = -1, to = -1;
    money unit = 0, fixed = 0;
    lb_date eff;
    if(!p) {
      rc = LB_ENOMEM;
      goto out;
    }
    tbl_text(&t, R_PRODUCT, 1, &prod);
    tbl_enum(&t, R_CT, 1, charge_type_names, &ct);
    tbl_text(&t, R_COMPONENT, 1, &comp);
    tbl_int(&t, R_FROM, 0, 0, 1000000, &from);
    tbl_int(&t, R_TO, 0, 0, 1000000, &to);
    tbl_decimal(&t, R_UNIT, 0, 4, &unit);
    tbl_decimal(&t, R_FIXED, 0, 4, &fixed);
    tbl_text(&t, R_CURRENCY, 1, &cur);
    tbl_date(&t, R_EFFECTIVE, 1, &eff);
    int e = tbl_failed(&t);
    if(!e && !valid_currency(cur))
      e = tbl_error(&t, R_CURRENCY, "column 'currency': '%s' is not a currency code, expected ISO 4217 "
                    "like EUR", cur);
    if(!e && !tbl_given(&t, R_UNIT) && !tbl_given(&t, R_FIXED))
      e = tbl_error(&t, R_UNIT, "price row gives neither unit_price nor fixed_price, expected at least one");
    if(!e && (unit < 0 || fixed < 0))
      e = tbl_error(&t, unit < 0 ? R_UNIT : R_FIXED, "negative price, expected 0 or more");
    if(!e && tbl_given(&t, R_TO) && (!tbl_given(&t, R_FROM) || to < from))
      e = tbl_error(&t, R_TO, "to_qty %lld is below from_qty or from_qty is empty, expected from_qty <= "
                    "to_qty", (long long)to);
    if(e) {
      bad = 1;
      c->nprices--;
      continue;
    }
    p->product_id = arena_strdup(&c->mem, prod);
    p->component = arena_strdup(&c->mem, comp);
    p->currency = arena_strdup(&c->mem, cur);
    if(!p->product_id || !p->component || !p->currency) {
      rc = LB_ENOMEM;
      goto out;
    }
    p->ct = (charge_type)ct;
    p->from_qty = tbl_given(&t, R_FROM) ? from : -1;
    p->to_qty = tbl_given(&t, R_TO) ? to : -1;
    p->unit_price = unit;
    p->fixed_price = fixed;
    p->has_unit_price = tbl_given(&t, R_UNIT);
    p->has_fixed_price = tbl_given(&t, R_FIXED);
    p->effective_from = eff;
    p->line = t.row->line;
    tbl_pos(&t, R_FROM, &(long){0}, &p->from_col);
  }
  if(rc < 0)
    goto out;
  if(c->nprices)
    qsort(c->prices, c->nprices, sizeof(price), cmp_price);
  /* R-W1 once every row could be read: a rejected row would show as a gap */
  int rows_bad = bad;
  for(size_t i = 0; i < c->nprices && !rows_bad;) {
    size_t j = i + 1;
    while(j < c->nprices && same_book(&c->prices[i], &c->prices[j]))
      j++;
    bad |= check_book(&c->prices[i], j - i, path, d);
    i = j;
  }
  rc = bad ? LB_EINPUT : LB_OK;
out:
  table_close(&t);
  return rc;
}

/* ---- value_units.csv ---- */
enum { V_VUE, V_FROM, V_TO, V_PER, V__N };
static const col_spec vu_cols[V__N] = {{"vue", 1, 0}, {"from_msu", 1, 0}, {"to_msu", 1, 0}, {"vu_per_msu", 1, 0}};

static int cmp_vu(const void *pa, const void *pb)
{
  const vu_tier *a = pa, *b = pb;
  int r = strcmp(a->vue, b->vue);
  if(r)
    return r;
  if(a->from_msu != b->from_msu)
    return a->from_msu < b->from_msu ? -1 : 1;
  return a->line < b->line ? -1 : (a->line > b->line);
}

/* R-I5: the tiers of one Value Unit Exhibit are graduated like R-W1: they
 * start at 0 or 1 MSU and follow each other without gap or overlap. The
 * first defect is kept on the exhibit's first tier. 0, or LB_ENOMEM. */
static int check_exhibit(catalog *c, vu_tier *v, size_t n)
{
  char *msg = NULL;
  const vu_tier *at = NULL;
  if(v[0].from_msu > 1) {
    at = &v[0];
    if(asprintf(&msg, "Value Unit Exhibit %s starts at %lld MSUs, expected the first tier to start at 0 or 1 (R-I5)",
                v[0].vue, (long long)v[0].from_msu) < 0)
      msg = NULL;
  }
  for(size_t i = 1; i < n && !at; i++) {
    const vu_tier *p = &v[i], *q = &v[i - 1];
    if(q->to_msu < 0 || p->from_msu <= q->to_msu) {
      at = p;
      if(asprintf(&msg, "tier starting at %lld MSUs overlaps the tier on line %ld of Value Unit Exhibit %s, "
                  "expected tiers without overlap (R-I5)", (long long)p->from_msu, q->line, p->vue) < 0)
        msg = NULL;
    } else if(p->from_msu != q->to_msu + 1) {
      at = p;
      if(asprintf(&msg, "gap between tiers: previous tier (line %ld) ends at %lld MSUs, this one starts at %lld in "
                  "Value Unit Exhibit %s, expected it to start at %lld (R-I5)", q->line, (long long)q->to_msu,
                  (long long)p->from_msu, p->vue, (long long)q->to_msu + 1) < 0)
        msg = NULL;
    }
  }
  if(!at)
    return LB_OK;
  v[0].defect = msg ? arena_strdup(&c->mem, msg) : NULL;
  free(msg);
  if(!v[0].defect)
    return LB_ENOMEM;
  v[0].defect_line = at->line;
  v[0].defect_col = at->from_col;
  return LB_OK;
}

static int load_value_units(catalog *c, const char *path, diag_list *d)
{
  table t;
  size_t cap = 0;
  int rc = table_open(&t, path, vu_cols, V__N, NULL, NULL, d), bad = 0;
  if(rc)
    return rc;
  while((rc = table_next(&t)) > 0) {
    if(t.row_bad) {
      bad = 1;
      continue;
    }
    vu_tier *v = push((void **)&c->vus, &c->nvus, &cap, sizeof(*v));
    const char *vue;
    int64_t from = 0, to = -1;
    money per = 0;
    if(!v) {
      rc = LB_ENOMEM;
      goto out;
    }
    tbl_text(&t, V_VUE, 1, &vue);
    tbl_int(&t, V_FROM, 1, 0, 1000000, &from);
    tbl_int(&t, V_TO, 0, 0, 1000000, &to);
    tbl_decimal(&t, V_PER, 1, 4, &per);
    int e = tbl_failed(&t);
    if(e) {
      bad = 1;
      c->nvus--;
      continue;
    }
    v->vue = arena_strdup(&c->mem, vue);
    if(!v->vue) {
      rc = LB_ENOMEM;
      goto out;
    }
    if(tbl_given(&t, V_TO) && to < from) {
      tbl_error(&t, V_TO, "to_msu %lld is below from_msu %lld, expected from_msu <= to_msu (R-I5)",
                (long long)to, (long long)from);
      bad = 1;
      c->nvus--;
      continue;
    }
    if(per < 0) {
      tbl_error(&t, V_PER, "negative vu_per_msu, expected 0 or more Value Units per MSU (R-I5)");
      bad = 1;
      c->nvus--;
      continue;
    }
    v->from_msu = from;
    v->to_msu = tbl_given(&t, V_TO) ? to : -1;
    v->vu_per_msu = per;
    v->line = t.row->line;
    {
      long line;
      tbl_pos(&t, V_FROM, &line, &v->from_col);
    }
  }
  if(rc < 0)
    goto out;
  if(c->nvus)
    qsort(c->vus, c->nvus, sizeof(vu_tier), cmp_vu);
  /* R-I5 once every row could be read: a rejected row would show as a gap */
  for(size_t i = 0; i < c->nvus && !bad;) {
    size_t j = i + 1;
    while(j < c->nvus && strcmp(c->vus[i].vue, c->vus[j].vue) == 0)
      j++;
    if((rc = check_exhibit(c, &c->vus[i], j - i)))
      goto out;
    i = j;
  }
  if(!(c->vu_path = arena_strdup(&c->mem, path))) {
    rc = LB_ENOMEM;
    goto out;
  }
  rc = bad ? LB_EINPUT : LB_OK;
out:
  table_close(&t);
  return rc;
}

/* ---- taxes.csv ---- */
enum { X_REGION, X_NAME, X_RATE, X_EFFECTIVE, X__N };
static const col_spec tax_cols[X__N] = {
  {"tax_region", 1, 0}, {"tax_name", 1, 0}, {"rate_pct", 1, 0}, {"effective_from", 1, 0}};

static int cmp_tax(const void *pa, const void *pb)
{
  const tax_rate *a = pa, *b = pb;
  int r = strcmp(a->tax_region, b->tax_region);
  if(r)
    return r;
  if((r = strcmp(a->tax_name, b->tax_name)))
    return r;
  if(a->effective_from != b->effective_from)
    return a->effective_from < b->effective_from ? -1 : 1;
  return a->line < b->line ? -1 : (a->line > b->line);
}

static int load_taxes(catalog *c, const char *path, diag_list *d)
{
  table t;
  size_t cap = 0;
  int rc = table_open(&t, path, tax_cols, X__N, NULL, NULL, d), bad = 0;
  if(rc)
    return rc;
  while((rc = table_next(&t)) > 0) {
    if(t.row_bad) {
      bad = 1;
      continue;
    }
    tax_rate *x = push((void **)&c->taxes, &c->ntaxes, &cap, sizeof(*x));
    const char *region, *name;
    money rate = 0;
    lb_date eff;
    if(!x) {
      rc = LB_ENOMEM;
      goto out;
    }
    tbl_text(&t, X_REGION, 1, &region);
    tbl_text(&t, X_NAME, 1, &name);
    tbl_decimal(&t, X_RATE, 1, 4, &rate);
    tbl_date(&t, X_EFFECTIVE, 1, &eff);
    int e = tbl_failed(&t);
    if(!e && (rate < 0 || rate > 100 * MONEY_SCALE))
      e = tbl_error(&t, X_RATE, "tax rate out of range, expected 0 to 100 (percent)");
    if(e) {
      bad = 1;
      c->ntaxes--;
      continue;
    }
    x->tax_region = arena_strdup(&c->mem, region);
    x->tax_name = arena_strdup(&c->mem, name);
    if(!x->tax_region || !x->tax_name) {
      rc = LB_ENOMEM;
      goto out;
    }
    x->rate_pct = rate;
    x->effective_from = eff;
    x->line = t.row->line;
    tbl_pos(&t, X_EFFECTIVE, &(long){0}, &x->col);
  }
  if(rc < 0)
    goto out;
  if(c->ntaxes)
    qsort(c->taxes, c->ntaxes, sizeof(tax_rate), cmp_tax);
  for(size_t i = 1; i < c->ntaxes; i++) {
    const tax_rate *a = &c->taxes[i - 1], *x = &c->taxes[i];
    if(strcmp(a->tax_region, x->tax_region) || strcmp(a->tax_name, x->tax_name) ||
       a->effective_from != x->effective_from)
      continue;
    /* the later row must not silently win: which rate is meant is the price book owner's call */
    char eff[11], r1[32], r2[32];
    diag_add(d, path, x->line, x->col, NULL, "a second rate of %s in region %s from %s (%s, line %ld has %s), "
             "expected one rate per region, tax and date (R-X3)", x->tax_name, x->tax_region,
             date_format(eff, x->effective_from), audit_value_format(r2, sizeof(r2), &AV_PERCENT(x->rate_pct)),
             a->line, audit_value_format(r1, sizeof(r1), &AV_PERCENT(a->rate_pct)));
    bad = 1;
  }
  rc = bad ? LB_EINPUT : LB_OK;
out:
  table_close(&t);
  return rc;
}

/* ---- machine_models.csv (optional: the price list's machine table, R-L1, R-L3) ---- */
enum { MM_TYPE_MODEL, MM_GROUP, MM_MSU, MM__N };
static const col_spec model_cols[MM__N] = {{"type_model", 1, 0}, {"product_group", 1, 0}, {"msu_rating", 1, 0}};

static int cmp_model(const void *a, const void *b)
{
  return strcmp(((const machine_model *)a)->type_model, ((const machine_model *)b)->type_model);
}

static int load_models(catalog *c, const char *path, diag_list *d)
{
  table t;
  size_t cap = 0;
  struct stat st;
  if(stat(path, &st) != 0 && errno == ENOENT)
    return LB_OK; /* no machine table: every model is "not listed" */
  int rc = table_open(&t, path, model_cols, MM__N, NULL, NULL, d), bad = 0;
  if(rc)
    return rc;
  while((rc = table_next(&t)) > 0) {
    if(t.row_bad) {
      bad = 1;
      continue;
    }
    machine_model *m = push((void **)&c->models, &c->nmodels, &cap, sizeof(*m));
    const char *tm, *group;
    int64_t msu = MSU_UNRATED;
    if(!m) {
      rc = LB_ENOMEM;
      goto out;
    }
    tbl_text(&t, MM_TYPE_MODEL, 1, &tm);
    tbl_text(&t, MM_GROUP, 1, &group);
    tbl_int(&t, MM_MSU, 0, 1, 100000, &msu);
    int e = tbl_failed(&t);
    if(e) {
      bad = 1;
      c->nmodels--;
      continue;
    }
    m->type_model = arena_strdup(&c->mem, tm);
    m->product_group = arena_strdup(&c->mem, group);
    if(!m->type_model || !m->product_group) {
      rc = LB_ENOMEM;
      goto out;
    }
    m->msu_rating = tbl_given(&t, MM_MSU) ? msu : MSU_UNRATED;
    m->line = t.row->line;
  }
  if(rc < 0)
    goto out;
  if(c->nmodels)
    qsort(c->models, c->nmodels, sizeof(machine_model), cmp_model);
  for(size_t i = 1; i < c->nmodels; i++)
    if(strcmp(c->models[i].type_model, c->models[i - 1].type_model) == 0) {
      diag_add(d, path, c->models[i].line, 1, NULL,
               "type_model '%s' is listed twice (also on line %ld), expected each machine model once",
               c->models[i].type_model, c->models[i - 1].line);
      bad = 1;
    }
  rc = bad ? LB_EINPUT : LB_OK;
out:
  table_close(&t);
  return rc;
}

int catalog_load(catalog *c, const char *dir, diag_list *d)
{
  static const char *const files[] = {"products.csv", "prices.csv", "value_units.csv", "taxes.csv",
                                      "machine_models.csv"};
  int (*const loaders[])(catalog *, const char *, diag_list *) = {load_products, load_prices,
                                                                   load_value_units, load_taxes, load_models};
  int rc = LB_OK;
  memset(c, 0, sizeof(*c));
  for(size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
    char *path = path_join(dir, files[i]);
    if(!path)
      return LB_ENOMEM;
    int r = loaders[i](c, path, d);
    free(path);
    if(r == LB_ENOMEM)
      return r;
    if(r && !rc)
      rc = r;
  }
  return rc;
}

void catalog_clear(catalog *c)
{
  free(c->products);
  free(c->prices);
  free(c->vus);
  free(c->taxes);
  free(c->models);
  arena_clear(&c->mem);
  memset(c, 0, sizeof(*c));
}

const product *catalog_product(const catalog *c, const char *product_id)
{
  product key = {.product_id = product_id};
  if(!c->nproducts)
    return NULL;
  return bsearch(&key, c->products, c->nproducts, sizeof(product), cmp_product);
}

int catalog_price_book(const catalog *c, const char *product_id, charge_type ct, const char *component,
                       const char *currency, lb_date on, const price **first, size_t *n)
{
  /* binary search for the first row of (product, ct, component, currency) */
  size_t lo = 0, hi = c->nprices;
  price key = {.product_id = product_id, .ct = ct, .component = component, .currency = currency,
               .effective_from = DATE_NONE, .from_qty = -2, .line = -1};
  while(lo < hi) {
    size_t mid = (lo + hi) / 2;
    if(cmp_price(&c->prices[mid], &key) < 0)
      lo = mid + 1;
    else
      hi = mid;
  }
  const price *best = NULL;
  size_t i = lo;
  while(i < c->nprices) {
    const price *p = &c->prices[i];
    if(strcmp(p->product_id, product_id) || p->ct != ct || strcmp(p->component, component) ||
       strcmp(p->currency, currency))
      break;
    size_t j = i + 1;
    while(j < c->nprices && same_book(p, &c->prices[j]))
      j++;
    if(p->effective_from <= on) {
      best = p;
      *n = j - i;
    }
    i = j;
  }
  if(!best)
    return -1;
  *first = best;
  return 0;
}

int catalog_sold_as(const catalog *c, const char *product_id, charge_type ct)
{
  /* the rows are sorted by product, then charge type: find the first of (product, ct) */
  size_t lo = 0, hi = c->nprices;
  while(lo < hi) {
    size_t mid = (lo + hi) / 2;
    const price *p = &c->prices[mid];
    int r = strcmp(p->product_id, product_id);
    if(r < 0 || (r == 0 && p->ct < ct))
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo < c->nprices && !strcmp(c->prices[lo].product_id, product_id) && c->prices[lo].ct == ct;
}

const machine_model *catalog_machine_model(const catalog *c, const char *type_model)
{
  machine_model key = {.type_model = type_model};
  if(!c->nmodels)
    return NULL;
  return bsearch(&key, c->models, c->nmodels, sizeof(machine_model), cmp_model);
}

const machine_model *catalog_model_highest(const catalog *c, const char *product_group)
{
  const machine_model *best = NULL;
  for(size_t i = 0; i < c->nmodels; i++) {
    const machine_model *m = &c->models[i];
    if(m->msu_rating == MSU_UNRATED || (product_group && strcmp(m->product_group, product_group)))
      continue;
    if(!best || m->msu_rating > best->msu_rating)
      best = m;
  }
  return best;
}

int catalog_vu_exhibit(const catalog *c, const char *vue, const vu_tier **first, size_t *n)
{
  size_t lo = 0, hi = c->nvus;
  while(lo < hi) {
    size_t mid = (lo + hi) / 2;
    if(strcmp(c->vus[mid].vue, vue) < 0)
      lo = mid + 1;
    else
      hi = mid;
  }
  size_t j = lo;
  while(j < c->nvus && strcmp(c->vus[j].vue, vue) == 0)
    j++;
  if(j == lo)
    return -1;
  *first = &c->vus[lo];
  *n = j - lo;
  return c->vus[lo].defect ? -2 : 0;
}

int catalog_taxes(const catalog *c, const char *region, lb_date on, const tax_rate **out, int max)
{
  int n = 0, any = 0;
  for(size_t i = 0; i < c->ntaxes; i++) {
    const tax_rate *x = &c->taxes[i];
    if(strcmp(x->tax_region, region))
      continue;
    any = 1;
    if(x->effective_from > on)
      continue;
    /* the latest row of this tax name in effect wins: rows are sorted by date */
    if(n > 0 && strcmp(out[n - 1]->tax_name, x->tax_name) == 0)
      out[n - 1] = x;
    else if(n < max)
      out[n++] = x;
  }
  return any ? n : -1;
}
