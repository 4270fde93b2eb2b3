/* test_unlicensed.c - R-W19 end to end: a program on an SCRT report that nobody licensed, through `licbill run`. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tests/support/e2e.h"

#define MONTH "2026-11"

static char *tmp;

static int setup(void **state)
{
  (void)state;
  return (tmp = e2e_mkdtemp("unlicensed")) ? 0 : -1;
}

static int teardown(void **state)
{
  (void)state;
  e2e_rm_tree(tmp);
  free(tmp);
  return 0;
}

/* IMS on C1001's AWLC machine 82-C5DC8 (report line 18), which licenses no IMS: the invoices are those of the
 * sample, to the cent; notices.csv, stderr and the ledger name the report row with the decision (R-W19). */
static void an_unlicensed_program_on_a_report_is_a_notice_naming_its_row_R_W19(void **state)
{
  (void)state;
  char *out = NULL, *in = e2e_path(tmp, "in"), *rep = NULL;
  assert_int_equal(e2e_sh(&out, "cp -a sample %s", in), 0);
  free(out);
  assert_true(asprintf(&rep, "%s/scrt/82-C5DC8-2026-10-01.csv", in) > 0);
  assert_int_equal(e2e_patch_file(rep, "\"z/OS DFSMSdss\",\"5650-ZDS\",\"412\",\"\",\"\",\"\"\r\n",
                                  "\"z/OS DFSMSdss\",\"5650-ZDS\",\"412\",\"\",\"\",\"\"\r\n"
                                  "\"IMS V15\",\"5635-A06\",\"75\",\"\",\"\",\"\"\r\n"), 0);
  assert_int_equal(e2e_sh(&out, "sed -n 18p %s", rep), 0);
  assert_string_equal(out, "\"IMS V15\",\"5635-A06\",\"75\",\"\",\"\",\"\"\r\n");
  free(out);
  free(rep);
  /* the sample as it is, to compare with: by the release build (test_golden bills it under the sanitizers) */
  assert_int_equal(e2e_sh(&out, "%s run --input sample --output %s/base --month " MONTH " --issue-date 2026-12-01 "
                                ">/dev/null 2>&1", e2e_licbill_rel(), tmp), 0);
  free(out);
  assert_int_equal(e2e_sh(&out, "%s run --input %s --output %s/new --month " MONTH " --issue-date 2026-12-01 "
                                "2>%s/new.err >/dev/null", e2e_licbill(), in, tmp, tmp), 0);
  free(out);
  /* nothing billed for it: every charge and every invoice as in the sample */
  assert_int_equal(e2e_sh(&out, "cd %s && diff base/" MONTH "/charges.csv new/" MONTH "/charges.csv && "
                                "diff base/" MONTH "/invoices.csv new/" MONTH "/invoices.csv", tmp), 0);
  free(out);
  static const char reason[] =
    "5635-A06 on SCRT report scrt/82-C5DC8-2026-10-01.csv line 18 (75 MSUs) has no license for customer C1001: "
    "not billed until licenses.csv records it: under the AWLC terms a report showing a new Program is an order "
    "placed by the customer (002 §5.16.1 4.b) (R-W19)";
  /* notices.csv: the row of C1001 (the first invoice), subtotal as billed, nothing to compare with */
  assert_int_equal(e2e_sh(&out, "cd %s && diff base/" MONTH "/notices.csv new/" MONTH "/notices.csv", tmp), 1);
  assert_non_null(strstr(out, "> INV-2026-000001,C1001,82-C5DC8,R-W19,"));
  assert_non_null(strstr(out, reason));
  free(out);
  /* stderr, as cron mails it */
  assert_int_equal(e2e_sh(&out, "grep R-W19 %s/new.err", tmp), 0);
  assert_non_null(strstr(out, "licbill: notice: customer C1001, INV-2026-000001: machine 82-C5DC8: "));
  assert_non_null(strstr(out, reason));
  free(out);
  /* the ledger's notices table */
  assert_int_equal(e2e_sh(&out, "sqlite3 %s/new/ledger.db \"select number, rule, serial, reason from notices where "
                                "rule = 'R-W19'\"", tmp), 0);
  assert_non_null(strstr(out, "INV-2026-000001|R-W19|82-C5DC8|5635-A06 on SCRT report "
                              "scrt/82-C5DC8-2026-10-01.csv line 18 (75 MSUs)"));
  free(out);
  /* the audit trail: a step on the invoice (line 0) pointing at the report row */
  assert_int_equal(e2e_sh(&out, "grep ',R-W19,' %s/new/" MONTH "/audit.csv", tmp), 0);
  assert_non_null(strstr(out, "INV-2026-000001,0,"));
  assert_non_null(strstr(out, "scrt/82-C5DC8-2026-10-01.csv:18"));
  free(out);
  free(in);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(an_unlicensed_program_on_a_report_is_a_notice_naming_its_row_R_W19),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
