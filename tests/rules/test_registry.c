/* test_registry.c - the rule-module table is the contract: checked at start-up against the declarations, and a
 * line without an audit step stops the run (R-X5). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "core/chargetype.h"
#include "core/ruleid.h"
#include "rules/engine.h"
#include "rules/registry.h"

/* A copy of the real table (with room for a changed row) and its row count. */
static size_t copy_table(rule_module *out, size_t cap)
{
  size_t n = 0;
  while(rule_modules[n].ct != CT__COUNT)
    n++;
  assert_true(n + 1 <= cap);
  memcpy(out, rule_modules, (n + 1) * sizeof(*out));
  return n;
}

static void the_table_of_this_build_passes_the_start_up_check(void **state)
{
  (void)state;
  char err[256] = "";
  assert_int_equal(registry_check(rule_modules, err, sizeof(err)), 0);
  assert_string_equal(err, "");
  /* every charge type an input may name has its module */
  for(int ct = 0; ct < CT__COUNT; ct++)
    if(!(charge_type_flags((charge_type)ct) & CTF_NO_ROW))
      assert_non_null(registry_find((charge_type)ct));
}

static void a_declared_charge_type_without_a_row_fails_start_up(void **state)
{
  (void)state;
  rule_module t[64];
  char err[256];
  size_t n = copy_table(t, 64);
  /* drop the NALC row */
  size_t k = 0;
  while(t[k].ct != CT_NALC)
    k++;
  memmove(&t[k], &t[k + 1], (n - k) * sizeof(t[0]));
  assert_int_equal(registry_check(t, err, sizeof(err)), -1);
  assert_string_equal(err, "rule table: charge type NALC is declared in core/chargetypes.def but has no row, "
                           "expected one row per charge type");
}

static void an_unknown_rule_id_in_a_row_fails_start_up(void **state)
{
  (void)state;
  rule_module t[64];
  char err[256];
  copy_table(t, 64);
  t[0].rule_ids = "R-W1;R-W81;R-W2"; /* a typo of R-W8 */
  assert_int_equal(registry_check(t, err, sizeof(err)), -1);
  assert_string_equal(err, "rule table: AWLC names 'R-W81', which is not a rule id of core/rules.def (or is "
                           "repeated), expected ids like R-W1 separated by ';'");
  t[0].rule_ids = "R-W1;R-W1";
  assert_int_equal(registry_check(t, err, sizeof(err)), -1);
  t[0].rule_ids = "";
  assert_int_equal(registry_check(t, err, sizeof(err)), -1);
}

static void a_bad_component_or_a_missing_slot_fails_start_up(void **state)
{
  (void)state;
  rule_module t[64];
  char err[256];
  copy_table(t, 64);
  t[1].component = "monthly;";
  assert_int_equal(registry_check(t, err, sizeof(err)), -1);
  assert_string_equal(err, "rule table: VWLC has component 'monthly;', expected prices.csv component names "
                           "separated by ';'");
  copy_table(t, 64);
  t[2].price = NULL;
  assert_int_equal(registry_check(t, err, sizeof(err)), -1);
  assert_string_equal(err, "rule table: FWLC lacks a required slot (rule_ids, component, price)");
  copy_table(t, 64);
  t[3] = t[2];
  assert_int_equal(registry_check(t, err, sizeof(err)), -1);
  assert_string_equal(err, "rule table: charge type FWLC appears twice");
}

static void the_declarations_are_sound(void **state)
{
  (void)state;
  char err[256];
  assert_int_equal(charge_type_check(err, sizeof(err)), 0);
  /* derived types are billed by licbill: never a name an input may use */
  assert_null(charge_type_names[CT_ILC]);
  assert_string_equal(charge_type_name(CT_ILC), "ILC");
  assert_string_equal(charge_type_name(CT_PLC), "PLC");
  rule_id id;
  assert_int_equal(rule_id_parse(&id, "R-T2a", 5), 0);
  assert_string_equal(rule_id_text(id), "R-T2a");
  assert_int_equal(rule_id_parse(&id, "R-W81", 5), -1);
}

/* a module that writes a line and says nothing about it */
static int silent_price(const rule_ctx *ctx, invoice *inv, diag_list *d)
{
  (void)ctx;
  (void)d;
  charge_line *cl = invoice_add_line(inv);
  if(!cl)
    return LB_ENOMEM;
  cl->ct = CT_OTC;
  cl->amount = 100 * MONEY_SCALE;
  return LB_OK;
}

static void a_line_without_an_audit_step_stops_the_run_R_X5(void **state)
{
  (void)state;
  const rule_module rows[] = {{CT_OTC, "R-0.1", "one_time", NULL, silent_price}, {CT__COUNT, NULL, NULL, NULL, NULL}};
  catalog cat;
  cust_data cd;
  rule_ctx ctx;
  invoice inv;
  diag_list d;
  memset(&cat, 0, sizeof(cat));
  memset(&cd, 0, sizeof(cd));
  memset(&ctx, 0, sizeof(ctx));
  diag_init(&d);
  cd.cust = (customer){.id = "C1", .name = "Acme", .address = "Here", .country = "DE", .tax_region = "DE",
                       .currency = "EUR", .contract_number = "K-1"};
  ctx.month = month_from_ym(2026, 11);
  ctx.issue_date = month_last_day(ctx.month) + 1;
  cd.resolved = ctx.month;
  ctx.cat = &cat;
  ctx.cd = &cd;
  assert_int_equal(engine_price_with(rows, &ctx, &inv, &d), LB_EBUG);
  assert_int_equal(d.n, 1);
  assert_string_equal(d.v[0].message, "internal error: the OTC rule module wrote invoice line 1 without an audit "
                                       "step, expected every amount traced to its inputs and rules (R-X5)");
  invoice_clear(&inv);
  diag_clear(&d);
}

static void machines_not_resolved_to_the_month_stop_the_run_R_T10(void **state)
{
  (void)state;
  catalog cat;
  cust_data cd;
  rule_ctx ctx;
  invoice inv;
  diag_list d;
  memset(&cat, 0, sizeof(cat));
  memset(&cd, 0, sizeof(cd));
  memset(&ctx, 0, sizeof(ctx));
  diag_init(&d);
  cd.cust = (customer){.id = "C1"};
  cd.resolved = MONTH_NONE;
  ctx.month = month_from_ym(2026, 11);
  ctx.issue_date = month_last_day(ctx.month) + 1;
  ctx.cat = &cat;
  ctx.cd = &cd;
  assert_int_equal(engine_price_customer(&ctx, &inv, &d), LB_EBUG);
  assert_non_null(strstr(d.v[0].message, "were not resolved to the billing month before pricing (R-T10)"));
  invoice_clear(&inv);
  diag_clear(&d);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(the_table_of_this_build_passes_the_start_up_check),
    cmocka_unit_test(a_declared_charge_type_without_a_row_fails_start_up),
    cmocka_unit_test(an_unknown_rule_id_in_a_row_fails_start_up),
    cmocka_unit_test(a_bad_component_or_a_missing_slot_fails_start_up),
    cmocka_unit_test(the_declarations_are_sound),
    cmocka_unit_test(a_line_without_an_audit_step_stops_the_run_R_X5),
    cmocka_unit_test(machines_not_resolved_to_the_month_stop_the_run_R_T10),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
