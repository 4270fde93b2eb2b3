/* rulefix.c - in-process rule-test fixture: a small input set in a temp dir, SCRT reports, customer C1 priced. */
#include "tests/support/rulefix.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "tests/support/e2e.h"
#include "input/catalog.h"
#include "input/custindex.h"
#include "input/customer.h"
#include "input/scrt.h"
#include "input/scrtdir.h"
#include "rules/engine.h"
#include "rules/monthconf.h"
#include "rules/timing.h"

#define RULEFIX_MACHINES 8 /* machine states one priced customer may have */

/* Write name (relative to fx->dir) as head followed by body. */
static void put2(rulefix *fx, const char *name, const char *head, const char *body)
{
  char path[256];
  snprintf(path, sizeof(path), "%s/%s", fx->dir, name);
  FILE *fp = fopen(path, "w");
  assert_non_null(fp);
  fputs(head, fp);
  fputs(body, fp);
  assert_int_equal(fclose(fp), 0);
}

void rulefix_put(rulefix *fx, const char *name, const char *text)
{
  put2(fx, name, text, "");
}

/* text when set, else the default */
static const char *text_or(const char *text, const char *dflt)
{
  return text ? text : dflt;
}

void rulefix_write(rulefix *fx, const rulefix_set *s)
{
  char scrt[128];
  snprintf(fx->dir, sizeof(fx->dir), "%s/lb-%s-XXXXXX", e2e_tmpdir(), text_or(s->tag, "rules"));
  assert_non_null(mkdtemp(fx->dir));
  snprintf(scrt, sizeof(scrt), "%s/scrt", fx->dir);
  assert_int_equal(mkdir(scrt, 0777), 0);
  rulefix_put(fx, "products.csv", s->products);
  rulefix_put(fx, "prices.csv", s->prices);
  if(s->models)
    rulefix_put(fx, "machine_models.csv", s->models);
  rulefix_put(fx, "value_units.csv", text_or(s->value_units, "vue,from_msu,to_msu,vu_per_msu\n"));
  rulefix_put(fx, "taxes.csv",
              text_or(s->taxes, "tax_region,tax_name,rate_pct,effective_from\nDE,USt,19,2007-01-01\n"));
  rulefix_put(fx, "customers.csv", text_or(s->customers, RULEFIX_CUSTOMERS_HDR RULEFIX_CUSTOMER_C1));
  put2(fx, "machines.csv", text_or(s->machines_hdr, RULEFIX_MACHINES_HDR), s->machines);
  put2(fx, "licenses.csv", text_or(s->licenses_hdr, RULEFIX_LICENSES_HDR), s->licenses);
  put2(fx, "support.csv", text_or(s->support_hdr, RULEFIX_SUPPORT_HDR), text_or(s->support, ""));
  rulefix_put(fx, "usage.csv", text_or(s->usage, "customer_id,serial,product_id,version,hour,value,test_period\n"));
  rulefix_put(fx, "scrt/received.csv", "serial,period_end,received_on,extension\n");
}

char *rulefix_scrt_text(const rulefix_report *r)
{
  char *s = NULL, cpc[160] = "";
  const char *n5 = r->n5;
  if(!n5) {
    snprintf(cpc, sizeof(cpc),
             "\"LPAR Name\",\"Highest 4HRA MSUs\",\"Date/Time of Highest\"\n\"CPC\",\"%ld\",\"14 Sep, 2026 10:00\"\n",
             r->cpc);
    n5 = cpc;
  }
  assert_true(asprintf(&s,
                       "\"==B5========= SCRT SUB-CAPACITY REPORT ====\"\n"
                       "\"Customer Number\",\"C1\"\n\"Machine Serial Number\",\"%s\"\n"
                       "\"Machine Type and Model\",\"%s\"\n\"Machine Rated Capacity (MSUs)\",\"%ld\"\n"
                       "\"Reporting Period\",\"2 Sep, 2026 - 1 Oct, 2026 inclusive (30 days)\"\n"
                       "\"==E5==========\"\n\"PRODUCT SUMMARY INFORMATION\"\n"
                       "\"Product Name\",\"Product ID\",\"Tool MSUs\",\"Customer MSUs\",\"Customer Comment\","
                       "\"Footnotes\"\n%s%s%s",
                       r->serial, text_or(r->type_model, "3931-609"), r->rated, r->e5,
                       *n5 ? "\"==N5==========\"\n" : "", n5) > 0);
  return s;
}

void rulefix_add_report(rulefix *fx, const rulefix_report *r)
{
  char name[64], path[256];
  char *t = rulefix_scrt_text(r);
  snprintf(name, sizeof(name), "scrt/%s-2026-10-01.csv", r->serial);
  rulefix_put(fx, name, t);
  free(t);
  snprintf(path, sizeof(path), "%s/scrt/received.csv", fx->dir);
  FILE *fp = fopen(path, "a");
  assert_non_null(fp);
  fprintf(fp, "%s,2026-10-01,%s,%s\n", r->serial, text_or(r->received, "2026-10-05"), r->extension ? "yes" : "no");
  assert_int_equal(fclose(fp), 0);
}

/* What the states carry into `month`: the latest of each key set before it, typed (core/carry.h). */
static size_t history_for(const rulefix_state *states, lb_month month, carried *out, size_t cap)
{
  size_t n = 0;
  for(const rulefix_state *s = states; s && s->key; s++) {
    lb_month in = s->set_in == RULEFIX_MONTH_BEFORE ? month - 1 : s->set_in;
    const char *colon = strchr(s->key, ':');
    carry_kind kind;
    carry_value v;
    if(in >= month)
      continue;
    assert_non_null(colon);
    assert_int_equal(carry_kind_parse(&kind, s->key, (size_t)(colon - s->key)), 0);
    assert_int_equal(carry_parse(&v, kind, s->value), 0);
    size_t k = 0;
    while(k < n && !(out[k].kind == kind && !strcmp(out[k].subject, colon + 1)))
      k++;
    if(k < n && out[k].set_in > in)
      continue;
    assert_true(k < cap);
    out[k] = (carried){kind, colon + 1, in, v};
    if(k == n)
      n++;
  }
  return n;
}

int rulefix_price(rulefix *fx, lb_month month, const rulefix_hist *hist, int keep, invoice *inv, diag_list *d)
{
  carried carry[64];
  carry_history h = {carry, history_for(hist ? hist->states : NULL, month, carry, 64)};
  catalog cat;
  cust_index ix;
  scrt_dir sd;
  cust_data cd;
  rule_ctx ctx;
  machine_state ms[RULEFIX_MACHINES];
  scrt_report *reports[RULEFIX_MACHINES] = {0};
  int rc;
  memset(&ctx, 0, sizeof(ctx));
  memset(ms, 0, sizeof(ms));
  memset(inv, 0, sizeof(*inv));
  assert_int_equal(catalog_load(&cat, fx->dir, d), 0);
  assert_int_equal(cust_index_build(&ix, fx->dir, d), 0);
  timing_report_period(month, &ctx.period_start, &ctx.period_end);
  assert_int_equal(scrt_dir_load(&sd, fx->dir, ctx.period_end, &ix, d), 0);
  usage_window uw = {ctx.period_start, ctx.period_end};
  scrt_cust sc;
  memset(&sc, 0, sizeof(sc));
  rc = cust_load(&cd, &ix, 0, &cat, &uw, d);
  if(rc == 0)
    rc = monthconf_resolve(&cd, month, "machines.csv", d);
  if(rc == 0) {
    assert_true(cd.nmachines <= RULEFIX_MACHINES);
    assert_int_equal(scrt_dir_customer(&sd, 0, &sc), 0);
    for(size_t i = 0; i < cd.nmachines; i++) {
      const scrt_held *held = scrt_cust_find(&sc, cd.machines[i].serial);
      const scrt_entry *e = held ? held->report : NULL;
      ms[i].rcpt = held ? held->rcpt : NULL;
      if(e) {
        assert_int_equal(scrt_read(&reports[i], e->path, 0, d), 0);
        ms[i].report = reports[i];
        ms[i].report_name = "scrt/x.csv";
      }
    }
    ctx.cat = &cat;
    ctx.cd = &cd;
    ctx.month = month;
    ctx.price_date = month_first_day(month);
    ctx.issue_date = month_last_day(month) + 1;
    ctx.ms = ms;
    ctx.customers_file = "customers.csv";
    ctx.licenses_file = "licenses.csv";
    ctx.machines_file = "machines.csv";
    ctx.usage_file = "usage.csv";
    ctx.support_file = "support.csv";
    ctx.hist = &h;
    rc = engine_price_customer(&ctx, inv, d);
  }
  for(int i = 0; i < RULEFIX_MACHINES; i++)
    scrt_free(reports[i]);
  scrt_cust_clear(&sc);
  cust_data_clear(&cd);
  scrt_dir_clear(&sd);
  cust_index_clear(&ix);
  catalog_clear(&cat);
  if(!keep)
    rulefix_drop(fx);
  return rc;
}

int rulefix_price_nov(rulefix *fx, invoice *inv, diag_list *d)
{
  return rulefix_price(fx, month_from_ym(2026, 11), NULL, 0, inv, d);
}

void rulefix_drop(rulefix *fx)
{
  assert_int_equal(e2e_rm_tree(fx->dir), 0);
}

rulefix_hist rulefix_history(const rulefix_state *states)
{
  rulefix_hist h = {states};
  return h;
}

money rulefix_book(long n)
{
  money a = 0;
  a += (n < 3 ? n : 3) * 100000;
  if(n > 3)
    a += ((n < 45 ? n : 45) - 3) * 50000;
  if(n > 45)
    a += (n - 45) * 10000;
  return a;
}

const charge_line *rulefix_find_line(const invoice *inv, const char *pid, const char *ct, const char *unit, int nth)
{
  for(size_t i = 0; i < inv->nlines; i++) {
    const charge_line *l = &inv->lines[i];
    if((!pid || !strcmp(l->product_id, pid)) && (!ct || !strcmp(line_charge_type(l), ct)) &&
       (!unit || !strcmp(l->unit, unit)) && nth-- == 0)
      return l;
  }
  return NULL;
}

const charge_line *rulefix_line(const invoice *inv, const char *pid, const char *ct, const char *unit, int nth)
{
  const charge_line *l = rulefix_find_line(inv, pid, ct, unit, nth);
  if(!l)
    fail_msg("no line %d of product %s, charge type %s, unit %s", nth, pid ? pid : "(any)", ct ? ct : "(any)",
             unit ? unit : "(any)");
  return l;
}

const audit_step *rulefix_step(const invoice *inv, int line, const char *rule, const char *needle, int nth)
{
  for(size_t i = 0; i < inv->naudit; i++) {
    const audit_step *s = &inv->audit[i];
    if(s->line == line && !strcmp(rule_id_text(s->rule), rule) && (!needle || strstr(s->detail, needle)) && nth-- == 0)
      return s;
  }
  return NULL;
}

int rulefix_has_step(const invoice *inv, int line, const char *rule)
{
  return rulefix_step(inv, line, rule, NULL, 0) != NULL;
}

int rulefix_has_error(const diag_list *d, const char *needle)
{
  for(size_t i = 0; i < d->n; i++)
    if(strstr(d->v[i].message, needle))
      return 1;
  return 0;
}

const diag *rulefix_error_with(const diag_list *d, const char *needle)
{
  for(size_t i = 0; i < d->n; i++)
    if(strstr(d->v[i].message, needle))
      return &d->v[i];
  fail_msg("no error containing '%s'", needle);
  return NULL;
}

void rulefix_expect_error(const diag_list *d, const char *file, long line, long col, const char *needle)
{
  for(size_t i = 0; i < d->n; i++)
    if(strstr(d->v[i].message, needle)) {
      assert_string_equal(d->v[i].file, file);
      assert_int_equal(d->v[i].line, line);
      assert_int_equal(d->v[i].col, col);
      assert_string_equal(d->v[i].customer_id, "C1");
      return;
    }
  for(size_t i = 0; i < d->n; i++)
    fprintf(stderr, "  %s:%ld:%ld: %s\n", d->v[i].file, d->v[i].line, d->v[i].col, d->v[i].message);
  fail_msg("no error containing '%s'", needle);
}

const char *rulefix_state_of(const invoice *inv, const char *key)
{
  static char text[CARRY_TEXT_MAX];
  const char *colon = strchr(key, ':');
  carry_kind kind;
  if(!colon || carry_kind_parse(&kind, key, (size_t)(colon - key)))
    return NULL;
  for(size_t i = 0; i < inv->ncarry; i++)
    if(inv->carry[i].kind == kind && !strcmp(inv->carry[i].subject, colon + 1))
      return carry_format(text, sizeof(text), kind, &inv->carry[i].value);
  return NULL;
}

long rulefix_col_of(const char *row, int field)
{
  long col = 1;
  for(const char *p = row; field > 0 && *p; p++, col++)
    if(*p == ',')
      field--;
  return col;
}

const char *rulefix_rules(const charge_line *l)
{
  static char text[RULE_SET_TEXT_MAX];
  return rule_set_format(&l->rules, text, sizeof(text));
}

const char *rulefix_value(const audit_step *a)
{
  static char text[AUDIT_VALUE_MAX];
  return audit_value_format(text, sizeof(text), &a->value);
}

const char *rulefix_inputs(const audit_step *a)
{
  static char text[1024];
  char *s = audit_inputs_text(a);
  assert_non_null(s);
  snprintf(text, sizeof(text), "%s", s);
  free(s);
  return text;
}

const char *rulefix_carry_key(const invoice *inv, size_t i)
{
  static char text[256];
  snprintf(text, sizeof(text), "%s:%s", carry_name(inv->carry[i].kind), inv->carry[i].subject);
  return text;
}
