/* test_unlicensed.c - R-W19: a program on an SCRT report that the customer does not license (MLC side). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules/engine.h"
#include "tests/support/rulefix.h"

static rulefix fx;

static const char *PRODUCTS =
  "product_id,name,family,is_os,version,min_msu,vue,parent_product\n"
  "ZOS,z/OS V3,zos,yes,3,3,,\n"
  "CICS,CICS TS V6,zos,no,6,3,,\n"
  "DB2,Db2 13,zos,no,13,3,,\n"
  "FA4,Fault Analyzer (IPLA),zos,no,4,,ZOS-VUE,\n";

static const char *PRICES =
  RULEFIX_PRICES_HDR
  RULEFIX_TIERED("ZOS", "AWLC")
  RULEFIX_TIERED("CICS", "AWLC")
  RULEFIX_TIERED("DB2", "AWLC")
  RULEFIX_TIERED("ZOS", "VWLC")
  RULEFIX_TIERED("CICS", "VWLC");

#define M1 "C1,M1,3931-609,1200,9,,yes,,,,,2024-01,,,\n"
#define M2 "C1,M2,3931-609,1200,9,,yes,,,,,2024-01,,,\n"
#define E5(name, id, n) "\"" name "\",\"" id "\",\"" n "\",\"\",\"\",\"\"\n"

static void set_up(const char *machines, const char *licenses)
{
  rulefix_write(&fx, &(rulefix_set){
                       .tag = "unlic",
                       .products = PRODUCTS,
                       .prices = PRICES,
                       .machines_hdr = RULEFIX_MACHINES_HDR_DATED,
                       .machines = machines,
                       .licenses = licenses,
                     });
}

static void add_report(const char *serial, const char *e5)
{
  rulefix_add_report(&fx, &(rulefix_report){.serial = serial, .rated = 1200, .e5 = e5, .n5 = NULL, .cpc = 500});
}

static int price_nov(invoice *inv, diag_list *d)
{
  return rulefix_price(&fx, month_from_ym(2026, 11), NULL, 0, inv, d);
}

static const invoice_notice *notice_of(const invoice *inv, const char *rule)
{
  for(size_t i = 0; i < inv->nnotices; i++)
    if(!strcmp(rule_id_text(inv->notices[i].rule), rule))
      return &inv->notices[i];
  return NULL;
}

/* AWLC terms: the report is an order placed by the customer (002 §5.16.1 4.b), yet nothing is billed for it until
 * licenses.csv records it; the invoice is that of the licensed programs alone, with a notice and an audit step */
static void an_unlicensed_program_on_an_awlc_report_is_a_notice_not_a_charge_R_W19(void **state)
{
  (void)state;
  invoice inv, base;
  diag_list d;
  diag_init(&d);
  set_up(M1, "C1,L1,M1,ZOS,AWLC,,2019-04-01,,,,,,,no,subcap\nC1,L2,M1,CICS,AWLC,,2019-04-01,,,,,,,no,subcap\n");
  add_report("M1", E5("z/OS", "ZOS", "400") E5("CICS", "CICS", "90"));
  assert_int_equal(price_nov(&base, &d), 0);
  assert_int_equal(base.nnotices, 0);
  set_up(M1, "C1,L1,M1,ZOS,AWLC,,2019-04-01,,,,,,,no,subcap\nC1,L2,M1,CICS,AWLC,,2019-04-01,,,,,,,no,subcap\n");
  add_report("M1", E5("z/OS", "ZOS", "400") E5("CICS", "CICS", "90") E5("Db2", "DB2", "120"));
  assert_int_equal(price_nov(&inv, &d), 0);
  assert_int_equal(d.n, 0);
  /* billed the same: z/OS at 400 MSUs and CICS at 90, nothing for Db2 */
  assert_int_equal(inv.nlines, base.nlines);
  assert_int_equal(inv.subtotal, base.subtotal);
  assert_int_equal(inv.subtotal, rulefix_book(400) + rulefix_book(90));
  assert_null(rulefix_find_line(&inv, "DB2", NULL, NULL, 0));
  assert_int_equal(inv.nnotices, 1);
  const invoice_notice *n = notice_of(&inv, "R-W19");
  assert_non_null(n);
  assert_string_equal(n->serial, "M1");
  assert_false(n->has_compared);
  assert_int_equal(n->billed, inv.subtotal);
  /* line 11 of the report: the third E5 product row */
  char want[512];
  const char *line = strstr(n->reason, " line ");
  assert_non_null(line);
  long at = strtol(line + 6, NULL, 10);
  assert_true(at > 0);
  snprintf(want, sizeof(want), "DB2 on SCRT report scrt/x.csv line %ld (120 MSUs) has no license for "
           "customer C1: not billed until licenses.csv records it: under the AWLC terms a report showing a new "
           "Program is an order placed by the customer (002 §5.16.1 4.b) (R-W19)", at);
  assert_string_equal(n->reason, want);
  /* the line named is the Db2 row of the report */
  char *text = rulefix_scrt_text(&(rulefix_report){.serial = "M1", .rated = 1200,
                                                    .e5 = E5("z/OS", "ZOS", "400") E5("CICS", "CICS", "90")
                                                          E5("Db2", "DB2", "120"), .n5 = NULL, .cpc = 500});
  const char *p = text;
  for(long k = 1; k < at; k++) {
    p = strchr(p, '\n');
    assert_non_null(p);
    p++;
  }
  assert_memory_equal(p, "\"Db2\",\"DB2\",\"120\"", 17);
  free(text);
  /* the audit trail has a step on the invoice, pointing at the report row */
  const audit_step *a = rulefix_step(&inv, 0, "R-W19", "DB2 (120 MSUs)", 0);
  assert_non_null(a);
  assert_int_equal(a->nrefs, 1);
  assert_int_equal(a->refs[0].line, at);
  invoice_clear(&inv);
  invoice_clear(&base);
  diag_clear(&d);
}

/* A Customer MSUs override is the figure named; WLC terms (no AWLC license on the machine): a report may not be
 * used to order a license (002 §5.16.12 3.4) */
static void on_a_vwlc_machine_the_report_orders_nothing_R_W19(void **state)
{
  (void)state;
  invoice inv;
  diag_list d;
  diag_init(&d);
  set_up(M1, "C1,L1,M1,ZOS,VWLC,,2019-04-01,,,,,,,no,subcap\n");
  add_report("M1", E5("z/OS", "ZOS", "400") "\"Db2\",\"DB2\",\"120\",\"80\",\"moved in on 30 Sep\",\"\"\n");
  assert_int_equal(price_nov(&inv, &d), 0);
  assert_int_equal(inv.subtotal, rulefix_book(400));
  const invoice_notice *n = notice_of(&inv, "R-W19");
  assert_non_null(n);
  assert_non_null(strstr(n->reason, "DB2 on SCRT report scrt/x.csv line "));
  assert_non_null(strstr(n->reason, " (80 MSUs) has no license for customer C1: not billed: a Sub-Capacity Report "
                                    "may not be used to order a license (002 §5.16.12 3.4) (R-W19)"));
  invoice_clear(&inv);
  diag_clear(&d);
}

/* Licensed on another machine only: still no license where the report shows it; IPLA rows are R-I6's (skipped) */
static void a_license_elsewhere_is_named_and_ipla_rows_are_left_to_r_i6_R_W19(void **state)
{
  (void)state;
  invoice inv;
  diag_list d;
  diag_init(&d);
  set_up(M1 M2, "C1,L1,M1,ZOS,AWLC,,2019-04-01,,,,,,,no,subcap\nC1,L2,M2,ZOS,AWLC,,2019-04-01,,,,,,,no,subcap\n"
                "C1,L3,M2,CICS,AWLC,,2019-04-01,,,,,,,no,subcap\n");
  add_report("M1", E5("z/OS", "ZOS", "400") E5("CICS", "CICS", "90") E5("Fault Analyzer", "FA4", "60"));
  add_report("M2", E5("z/OS", "ZOS", "300") E5("CICS", "CICS", "50"));
  assert_int_equal(price_nov(&inv, &d), 0);
  assert_int_equal(inv.nnotices, 2); /* CICS on M1 here, FA4 on M1 R-I6's */
  assert_non_null(strstr(notice_of(&inv, "R-I6")->reason, "FA4 on SCRT report scrt/x.csv line "));
  const invoice_notice *n = notice_of(&inv, "R-W19");
  assert_non_null(n);
  assert_string_equal(n->serial, "M1");
  assert_non_null(strstr(n->reason, "CICS on SCRT report scrt/x.csv line "));
  assert_non_null(strstr(n->reason, "(90 MSUs) has no license for customer C1: not billed until licenses.csv "
                                    "records it: under the AWLC terms a report showing a new Program is an order "
                                    "placed by the customer (002 §5.16.1 4.b); license L3 is for machine M2 "
                                    "(R-W19)"));
  assert_null(strstr(n->reason, "FA4"));
  invoice_clear(&inv);
  diag_clear(&d);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(an_unlicensed_program_on_an_awlc_report_is_a_notice_not_a_charge_R_W19),
    cmocka_unit_test(on_a_vwlc_machine_the_report_orders_nothing_R_W19),
    cmocka_unit_test(a_license_elsewhere_is_named_and_ipla_rows_are_left_to_r_i6_R_W19),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
