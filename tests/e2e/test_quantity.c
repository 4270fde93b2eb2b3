/* test_quantity.c - R-0.5 end to end: licenses.csv quantity through `licbill run` and `licbill check` on the sample. */
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
  return (tmp = e2e_mkdtemp("quantity")) ? 0 : -1;
}

static int teardown(void **state)
{
  (void)state;
  e2e_rm_tree(tmp);
  free(tmp);
  return 0;
}

/* Put qty into the empty quantity cell of the dir/licenses.csv row that reads row_head (every cell before the
 * quantity's), the quantity cell, then tail (the accepted_on cell with its comma); sales_channel is empty. */
static void set_quantity(const char *dir, const char *row_head, const char *tail, const char *qty)
{
  char *path = e2e_path(dir, "licenses.csv"), from[200], to[200];
  snprintf(from, sizeof(from), "%s,%s,\n", row_head, tail);
  snprintf(to, sizeof(to), "%s,%s%s,\n", row_head, qty, tail);
  assert_int_equal(e2e_patch_file(path, from, to), 0);
  free(path);
}

/* The sample billed as it is and with several licenses on the rows of charges per license: only those
 * lines change, each by its quantity; every other line, and every other customer, is billed the same. */
static void rows_of_several_licenses_bill_each_license_R_0_5(void **state)
{
  (void)state;
  char *out = NULL, *in = e2e_path(tmp, "in");
  assert_int_equal(e2e_sh(&out, "cp -a sample %s", in), 0);
  free(out);
  set_quantity(in, "C1005,L1005-04,3C-11AB2,5655-EC6,FWLC,,2025-05-01,,,ORD-CH-1140,,,,no,", ",", "2");
  set_quantity(in, "C1005,L1005-05,3C-11AB2,5697-V61,OTC,,2026-11-05,,,ORD-CH-1192,,,,no,", ",", "3");
  set_quantity(in, "C1006,L1006-05,E1-2086A,5655-M15,ZELC,,2024-05-01,,,ORD-VA-6103,,,,no,", ",", "2");
  set_quantity(in, "C1010,L1010-05,G1-E0003,5688-235,GMLC,,2020-07-01,,,ORD-HH-0412,,,,no,", ",", "2");
  set_quantity(in, "C1011,L1011-05,G1-P0004,5655-B01,GOLC,,2021-03-01,,,ORD-JU-0102,,,,no,", ",", "2");
  set_quantity(in, "C1011,L1011-09,G1-P0005,5688-235,MOSP,,2016-03-01,,,ORD-JU-0053,,,,no,", ",2026-09-14", "2");
  set_quantity(in, "C1015,L1015-02,M1-P0001,5770-WDS,OTC,,2026-11-10,,,ORD-IBMI-5602,,,,no,", ",", "4");
  set_quantity(in, "C1016,L1016-03,M1-Z0001,5668-AL1,ALC,,2026-11-09,,,ORD-DLA-3322,,,,no,", ",", "2");
  /* the sample as it is, to compare with: by the release build (test_golden bills it under the sanitizers) */
  assert_int_equal(e2e_sh(&out, "%s run --input sample --output %s/base --month " MONTH " --issue-date 2026-12-01 "
                                ">/dev/null 2>&1", e2e_licbill_rel(), tmp), 0);
  free(out);
  assert_int_equal(e2e_sh(&out, "%s run --input %s --output %s/qty --month " MONTH " --issue-date 2026-12-01 "
                                ">/dev/null 2>&1", e2e_licbill(), in, tmp), 0);
  free(out);
  /* each changed line: quantity x the unit price, which is the price of one license as before */
  assert_int_equal(e2e_sh(&out, "cd %s && diff base/" MONTH "/charges.csv qty/" MONTH "/charges.csv", tmp), 1);
  assert_string_equal(out,
    "19,20c19,20\n"
    "< INV-2026-000005,C1005,4,3C-11AB2,5655-EC6,FWLC,1,month,1850.00,1850.00,EUR,R-T4;R-W10;R-0.1\n"
    "< INV-2026-000005,C1005,5,3C-11AB2,5697-V61,OTC,1,license,12400.00,12400.00,EUR,R-0.1\n"
    "---\n"
    "> INV-2026-000005,C1005,4,3C-11AB2,5655-EC6,FWLC,2,licenses,1850.00,3700.00,EUR,R-T4;R-W10;R-0.5;R-0.1\n"
    "> INV-2026-000005,C1005,5,3C-11AB2,5697-V61,OTC,3,licenses,12400.00,37200.00,EUR,R-0.5;R-0.1\n"
    "25c25\n"
    "< INV-2026-000006,C1006,5,E1-2086A,5655-M15,ZELC,1,month,1150.00,1150.00,USD,R-T4;R-W16;R-0.1\n"
    "---\n"
    "> INV-2026-000006,C1006,5,E1-2086A,5655-M15,ZELC,2,licenses,1150.00,2300.00,USD,R-T4;R-W16;R-0.5;R-0.1\n"
    "45,46c45,46\n"
    "< INV-2026-000010,C1010,5,G1-E0003,5688-235,GMLC,1,month,845.00,845.00,EUR,R-T4;R-L4;R-0.1\n"
    "< INV-2026-000010,C1010,6,G1-E0003,5688-235,GMLC,1,upgrade,235.00,235.00,EUR,R-L4;R-0.1\n"
    "---\n"
    "> INV-2026-000010,C1010,5,G1-E0003,5688-235,GMLC,2,licenses,845.00,1690.00,EUR,R-T4;R-L4;R-0.5;R-0.1\n"
    "> INV-2026-000010,C1010,6,G1-E0003,5688-235,GMLC,2,licenses,235.00,470.00,EUR,R-L4;R-0.5;R-0.1\n"
    "51c51\n"
    "< INV-2026-000011,C1011,5,G1-P0004,5655-B01,GOLC,1,month,4350.00,4350.00,EUR,R-T4;R-L5;R-0.1\n"
    "---\n"
    "> INV-2026-000011,C1011,5,G1-P0004,5655-B01,GOLC,2,licenses,4350.00,8700.00,EUR,R-T4;R-L5;R-0.5;R-0.1\n"
    "53c53\n"
    "< INV-2026-000011,C1011,7,G1-P0005,5688-235,MOSP,1,month,630.00,630.00,EUR,R-T4;R-L6;R-L4;R-0.1\n"
    "---\n"
    "> INV-2026-000011,C1011,7,G1-P0005,5688-235,MOSP,2,licenses,630.00,1260.00,EUR,R-T4;R-L6;R-L4;R-0.5;R-0.1\n"
    "73c73\n"
    "< INV-2026-000015,C1015,1,M1-P0001,5770-WDS,OTC,1,license,5200.00,5200.00,USD,R-0.1\n"
    "---\n"
    "> INV-2026-000015,C1015,1,M1-P0001,5770-WDS,OTC,4,licenses,5200.00,20800.00,USD,R-0.5;R-0.1\n"
    "86c86\n"
    "< INV-2026-000016,C1016,13,M1-Z0001,5668-AL1,PLC,1,license,8000.00,8000.00,USD,R-T8;R-0.1\n"
    "---\n"
    "> INV-2026-000016,C1016,13,M1-Z0001,5668-AL1,PLC,2,licenses,8000.00,16000.00,USD,R-T8;R-0.5;R-0.1\n");
  free(out);
  /* the invoices of those customers (customer, subtotal, tax, total), the others unchanged:
   * C1005 37,170.80 + 1,850.00 + 2 x 12,400.00 = 63,820.80, Swiss VAT 8.1 % = 5,169.4848 -> 5,169.48;
   * C1006 6,925.00 + 1,150.00 = 8,075.00, Virginia 5.3 % = 427.975 -> 427.98;
   * C1010 50,875.00 + 845.00 + 235.00 = 51,955.00, 19 % = 9,871.45;
   * C1011 67,649.70 + 4,350.00 + 630.00 = 72,629.70, 8.1 % = 5,883.0057 -> 5,883.01;
   * C1015 5,200.00 + 3 x 5,200.00 = 20,800.00, GST 5 % + PST 7 % = 1,040.00 + 1,456.00 = 2,496.00;
   * C1016 50,447.27 + 8,000.00 = 58,447.27, no tax (U.S. federal) */
  assert_int_equal(e2e_sh(&out, "cd %s && diff base/" MONTH "/invoices.csv qty/" MONTH "/invoices.csv | "
                                "grep '^[<>]' | sed 's/^\\(.\\) [^,]*,/\\1 /' | cut -d, -f1,5,7,8", tmp), 0);
  assert_string_equal(out, "< C1005,37170.80,3010.83,40181.63\n"
                           "< C1006,6925.00,367.03,7292.03\n"
                           "> C1005,63820.80,5169.48,68990.28\n"
                           "> C1006,8075.00,427.98,8502.98\n"
                           "< C1010,50875.00,9666.25,60541.25\n"
                           "< C1011,67649.70,5479.63,73129.33\n"
                           "> C1010,51955.00,9871.45,61826.45\n"
                           "> C1011,72629.70,5883.01,78512.71\n"
                           "< C1015,5200.00,624.00,5824.00\n"
                           "< C1016,50447.27,0.00,50447.27\n"
                           "> C1015,20800.00,2496.00,23296.00\n"
                           "> C1016,58447.27,0.00,58447.27\n");
  free(out);
  /* the audit trail says what was multiplied */
  assert_int_equal(e2e_sh(&out, "cd %s && grep ',R-0.5,' qty/" MONTH "/audit.csv | grep L1005-05", tmp), 0);
  assert_string_equal(out, "INV-2026-000005,5,1,R-0.5,licenses.csv:23,\"3 licenses on the row of license L1005-05 "
                           "(licenses.csv quantity), each charged: 3 x 12400.00 = 37200.00\",37200.0000\n");
  free(out);
  free(in);
}

/* A quantity on a charge measured on the machine (AWLC: the SCRT MSUs of every copy there) is an error at the
 * quantity cell; the customer is rejected, the others invoiced. */
static void a_quantity_on_an_msu_charge_rejects_its_customer_R_0_5(void **state)
{
  (void)state;
  char *out = NULL, *in = e2e_path(tmp, "rej");
  assert_int_equal(e2e_sh(&out, "cp -a sample %s", in), 0);
  free(out);
  set_quantity(in, "C1001,L1001-02,82-C5DC8,5655-YA1,AWLC,,2019-04-01,,,ORD-401177,,,,no,subcap", ",", "2");
  const char *const argv[] = {e2e_licbill(), "check", "--input", "rej", "--month", MONTH, "--issue-date",
                              "2026-12-01", NULL};
  e2e_result r = {0};
  assert_int_equal(e2e_run(&r, tmp, argv), 0);
  assert_int_equal(r.code, 1);
  /* column 77: the quantity cell of "C1001,L1001-02,82-C5DC8,5655-YA1,AWLC,,2019-04-01,,,ORD-401177,,,,no,subcap,2," */
  assert_non_null(strstr(r.err, "rej/licenses.csv:3:77: quantity 2 on AWLC license L1001-02, but its charge is "
                                "measured on the machine (MSUs, capacity or usage of every copy there), not counted "
                                "per license, expected 1 or empty (R-0.5)\n"));
  assert_non_null(strstr(r.err, "16 invoiced, 1 rejected"));
  e2e_result_clear(&r);
  free(in);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(rows_of_several_licenses_bill_each_license_R_0_5),
    cmocka_unit_test(a_quantity_on_an_msu_charge_rejects_its_customer_R_0_5),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
