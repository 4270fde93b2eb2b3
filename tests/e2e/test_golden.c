/* test_golden.c - the sample month end to end: amounts in charges.csv, PDF text and validity, determinism, re-runs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tests/support/e2e.h"

static char *tmp;

static int setup(void **state)
{
  (void)state;
  tmp = e2e_mkdtemp("golden");
  assert_non_null(tmp);
  char *out = NULL;
  int rc = e2e_sh(&out, "%s run --input sample --output %s/out --month 2026-11 --issue-date 2026-12-01", e2e_licbill(), tmp);
  if(rc != 0)
    fprintf(stderr, "%s", out);
  free(out);
  return rc;
}

static int teardown(void **state)
{
  (void)state;
  int rc = e2e_sh(NULL, "rm -rf %s", tmp);
  free(tmp);
  return rc;
}

/* What a run of the sample prints: its three notices (README "notices.csv"),
 * with the numbers the documents got; nothing else when all went well. */
static char *sample_notices(const char *inv2, const char *inv3, const char *inv7)
{
  char *s = NULL;
  assert_true(asprintf(&s,
    "licbill: notice: customer C1002, %s: machine 51-A1B2C billed at full capacity (R-T2): SCRT report received "
    "2026-10-12, after the due date 2026-10-09, without an extension; subtotal 28852.50 CAD, 16432.50 CAD with the "
    "report taken (12420.00 more)\n"
    "licbill: notice: customer C1003, %s: machine 02-77F10: 5698-DB2 (license L1003-03) is not on SCRT report "
    "scrt/02-77F10-2026-10-01.csv: charged at its minimum of 5 MSUs (R-W5); subtotal 47495.95 USD\n"
    "licbill: notice: customer C1007, %s: machine E1-2098V: 5697-F42 (license L1007-03) is not on SCRT report "
    "scrt/E1-2098V-2026-10-01.csv: charged at its minimum of 2 MSUs (R-W5); subtotal 4328.00 EUR\n",
    inv2, inv3, inv7) > 0);
  return s;
}

static void expect_sample_notices(const char *out)
{
  char *want = sample_notices("INV-2026-000002", "INV-2026-000003", "INV-2026-000007");
  assert_string_equal(out, want);
  free(want);
}

/* R-T2: the late report of C1002's machine is named with what it costs; R-W5: the programs charged at their
 * minimum because their report lacks them. notices.csv says what stderr said, and so does the ledger. */
static void machines_billed_on_a_fallback_are_named_with_the_difference_R_T2_R_W5(void **state)
{
  (void)state;
  char path[160];
  snprintf(path, sizeof(path), "%s/out/2026-11/notices.csv", tmp);
  char *c = e2e_read_file(path, NULL);
  assert_non_null(c);
  assert_string_equal(c,
    "invoice_number,customer_id,serial,rule,reason,billed_subtotal,subtotal_with_report,difference,currency\n"
    "INV-2026-000002,C1002,51-A1B2C,R-T2,\"SCRT report received 2026-10-12, after the due date 2026-10-09, without an "
    "extension\",28852.50,16432.50,12420.00,CAD\n"
    "INV-2026-000003,C1003,02-77F10,R-W5,5698-DB2 (license L1003-03) is not on SCRT report "
    "scrt/02-77F10-2026-10-01.csv: charged at its minimum of 5 MSUs (R-W5),47495.95,,,USD\n"
    "INV-2026-000007,C1007,E1-2098V,R-W5,5697-F42 (license L1007-03) is not on SCRT report "
    "scrt/E1-2098V-2026-10-01.csv: charged at its minimum of 2 MSUs (R-W5),4328.00,,,EUR\n");
  free(c);
  /* 16,432.50 is C1002 billed on its late report: z/OS at 200 MSUs and CICS at 90 instead of 400 each (AWLC, CAD) */
  char *out = NULL;
  assert_int_equal(e2e_sh(&out, "sqlite3 %s/out/ledger.db \"select number, rule, serial, billed, compared from notices "
                                "order by number, idx\"", tmp), 0);
  assert_string_equal(out, "INV-2026-000002|R-T2|51-A1B2C|288525000|164325000\n"
                           "INV-2026-000003|R-W5|02-77F10|474959500|\n"
                           "INV-2026-000007|R-W5|E1-2098V|43280000|\n");
  free(out);
}

/* R-X5: every license is in the audit trail, charged or not, with the rule that left it out: R-T4 (installed
 * after the 1st: charged from next month), R-T5 (discontinued: last charged before). No license of the sample
 * is left to the catch-all step. */
static void every_license_is_traced_charged_or_not_R_X5_R_T4_R_T5(void **state)
{
  (void)state;
  char *out = NULL, path[200];
  snprintf(path, sizeof(path), "%s/out/2026-11/audit.csv", tmp);
  char *a = e2e_read_file(path, NULL);
  assert_non_null(a);
  assert_null(strstr(a, ",R-X5,"));
  free(a);
  assert_int_equal(e2e_sh(&out, "cp -a sample %s/trace && sed -i "
                                "-e 's/^C1001,L1001-03,82-C5DC8,5698-DB2,AWLC,,2020-02-01,/C1001,L1001-03,82-C5DC8,"
                                "5698-DB2,AWLC,,2026-11-15,/' "
                                "-e 's/^C1001,L1001-07,82-C5DC9,5698-DB2,AWLC,,2020-02-01,,/C1001,L1001-07,82-C5DC9,"
                                "5698-DB2,AWLC,,2020-02-01,2026-09-30,/' %s/trace/licenses.csv && "
                                "%s run --input %s/trace --output %s/trace-out --month 2026-11 --issue-date 2026-12-01 --dry-run >/dev/null "
                                "2>&1; grep -E ',R-T4,licenses.csv:4,|,R-T5,licenses.csv:8,|,R-X5,' "
                                "%s/trace-out/dry-run/2026-11/audit.csv",
                          tmp, tmp, e2e_licbill(), tmp, tmp, tmp), 0);
  assert_string_equal(out, "DRAFT-2026-11-C1001,0,1,R-T4,licenses.csv:4,\"AWLC 5698-DB2 (license L1001-03) installed on "
                           "2026-11-15: charged from 2026-12, not in this month\",not charged\n"
                           "DRAFT-2026-11-C1001,0,2,R-T5,licenses.csv:8,\"AWLC 5698-DB2 (license L1001-07) discontinued "
                           "or given notice: last charged in 2026-09, not in this month\",not charged\n");
  free(out);
}

/* Issue 14: what decides "changed" is the billing substance. An upgrade that words the invoice differently
 * (a template label, the contact phone, product names, rule-id lists and their order, line numbers, audit
 * texts) and an older identity version in the ledger: the same inputs issue nothing. */
static void an_upgrade_that_only_words_things_differently_issues_nothing_R_M8(void **state)
{
  (void)state;
  char *out = NULL;
  assert_int_equal(e2e_sh(&out, "cp -a %s/out %s/upg && cp -a templates/default %s/tpl && sed -i "
                                "'s/^label.invoice_date = .*/label.invoice_date = Date of invoice/' %s/tpl/template.conf && "
                                "sqlite3 %s/upg/ledger.db \"update documents set contact = '1-800-000-0000', "
                                "identity_version = 1; update lines set product_name = product_name || ' (old wording)', "
                                "rules = 'R-0.1', line = line + 100; update audit set detail = 'old words', "
                                "line = line + 100 where line > 0\"",
                          tmp, tmp, tmp, tmp, tmp), 0);
  free(out);
  assert_int_equal(e2e_sh(&out, "%s run --input sample --output %s/upg --month 2026-11 --issue-date 2026-12-02 "
                                "--template %s/tpl", e2e_licbill(), tmp, tmp), 0);
  expect_sample_notices(out); /* and no correction */
  free(out);
  assert_int_equal(e2e_sh(&out, "sqlite3 %s/upg/ledger.db \"select count(*), sum(kind = 'credit_note'), "
                                "min(identity_version) from documents\"", tmp), 0);
  assert_string_equal(out, "17|0|2\n");
  free(out);
}

/* Issue 14: a document is dated the day it is issued; a month that has not ended is not billed (exit 2) unless
 * asked for a preview; nothing is dated after today or before the ledger's latest document. */
static void documents_are_dated_the_day_they_are_issued_and_open_months_wait(void **state)
{
  (void)state;
  char *out = NULL;
  assert_int_equal(e2e_sh(&out, "%s run --input sample --output %s/dates --month 2026-11 --issue-date 2026-11-30",
                          e2e_licbill(), tmp), 2);
  assert_non_null(strstr(out, "licbill: month 2026-11 has not ended by the issue date 2026-11-30, expected a month "
                              "that ended before it (--allow-open-month bills it anyway, for a preview)\n"));
  free(out);
  assert_int_equal(e2e_sh(&out, "%s run --input sample --output %s/dates --month 2026-11 --issue-date 2999-01-01",
                          e2e_licbill(), tmp), 2);
  assert_non_null(strstr(out, "--issue-date 2999-01-01 is after today"));
  free(out);
  /* the ledger of out has documents of 2026-12-01: October billed on 15 November would put numbers out of date
   * order */
  assert_int_equal(e2e_sh(&out, "cp -a %s/out %s/dates && %s run --input sample --output %s/dates --month 2026-10 "
                                "--issue-date 2026-11-15", tmp, tmp, e2e_licbill(), tmp), 2);
  assert_non_null(strstr(out, "licbill: the issue date 2026-11-15 is before the ledger's latest document (2026-12-01), "
                              "expected 2026-12-01 or later: numbers follow issue dates\n"));
  free(out);
  /* due dates follow the issue date: C1001 pays in 30 days, and 2 % off within 10 */
  char path[200];
  snprintf(path, sizeof(path), "%s/out/2026-11/invoices.csv", tmp);
  char *c = e2e_read_file(path, NULL);
  assert_non_null(strstr(c, "INV-2026-000001,C1001,2026-11,2026-12-01,"));
  free(c);
  assert_int_equal(e2e_sh(&out, "pdftotext -layout %s/out/2026-11/invoices/INV-2026-000001.pdf - 2>/dev/null | "
                                "grep -E 'Invoice date|Due date|Pay by'", tmp), 0);
  assert_non_null(strstr(out, "Invoice date         1 Dec 2026"));
  assert_non_null(strstr(out, "Due date             31 Dec 2026"));
  assert_non_null(strstr(out, "Pay by 11 Dec 2026"));
  free(out);
}

/* Issue 14: the README's cron line bills the previous month whatever the day (test-slow: every day of 2027 and
 * 2028; make test: the 1st, 15th and 28th-31st of each month). */
static void the_cron_line_bills_the_previous_month_on_every_day(void **state)
{
  (void)state;
  char *out = NULL;
  assert_int_equal(e2e_sh(&out, "sh tests/e2e/cron_line.sh%s", getenv("LICBILL_SLOW") ? " all" : ""), 0);
  assert_string_equal(out, "");
  free(out);
}

static void sample_month_charges_are_exact_R_W1_R_W2_R_W8(void **state)
{
  (void)state;
  char path[256];
  snprintf(path, sizeof(path), "%s/out/2026-11/charges.csv", tmp);
  char *c = e2e_read_file(path, NULL);
  assert_non_null(c);
  /* z/OS over sysplex PLEXDE: 412 + 300 MSUs, price book of 2026-01-01:
   * 3x104 + 42x62.40 + 130x41.60 + 140x26 + 397x15.60 = 18,174.00 */
  assert_non_null(strstr(c, "INV-2026-000001,C1001,2,82-C5DC8+82-C5DC9,5650-ZOS,AWLC,712,MSUs,,18174.00,EUR,"
                            "R-T4;R-W2;R-W8;R-W1;R-0.1\n"));
  /* Db2: override 150 (explained, R-T2a) + 100 = 250 */
  assert_non_null(strstr(c, ",5698-DB2,AWLC,250,MSUs,,7740.00,EUR,R-T4;R-W2;R-T2a;R-W8;R-W1;R-0.1\n"));
  /* the feature DFSMSdss takes z/OS's 412 MSUs on its machine (R-W6) */
  assert_non_null(strstr(c, "INV-2026-000001,C1001,1,82-C5DC8,5650-ZDS,AWLC,412,MSUs,,1297.50,EUR,"));
  /* late report without extension: full capacity 400 (R-T2), CAD = 1.5 x EUR book */
  assert_non_null(strstr(c, "INV-2026-000002,C1002,1,51-A1B2C,5650-ZOS,AWLC,400,MSUs,,19192.50,CAD,R-T4;R-T2;R-W1;R-0.1\n"));
  /* Db2 missing from its report: minimum 5 MSUs (R-W5): VWLC USD 3x137.50 + 2x82.50 */
  assert_non_null(strstr(c, "INV-2026-000003,C1003,3,02-77F10,5698-DB2,VWLC,5,MSUs,,467.50,USD,R-T4;R-W5;R-W1;R-0.1\n"));
  /* R-W3: 0A-9D002 has no sub-capacity start, and its first report (2 Sep - 1 Oct, received 2 Oct, on time)
   * drives November, which is billed on it: 100 MSUs, VWLC USD 3 x 137.50 + 42 x 82.50 + 55 x 55.00 = 6,902.50
   * (it used to be the 250 MSUs of full capacity: ... + 130 x 55.00 + 75 x 34.375 = 13,605.63) */
  assert_non_null(strstr(c, "INV-2026-000004,C1004,3,0A-9D002,5650-ZOS,VWLC,100,MSUs,,6902.50,USD,R-T4;R-W3;R-W2;R-W1;"
                            "R-0.1\n"));
  /* late with extension stays sub-capacity; Db2 first charged at z/OS MSUs (R-W4) */
  assert_non_null(strstr(c, "INV-2026-000005,C1005,1,3C-11AB2,5650-ZOS,AWLC,280,MSUs,,11070.80,EUR,R-T4;R-W2;R-W1;R-0.1\n"));
  assert_non_null(strstr(c, "INV-2026-000005,C1005,3,3C-11AB2,5698-DB2,AWLC,280,MSUs,,8340.00,EUR,R-T4;R-W2;R-W4;R-W1;R-0.1\n"));
  assert_non_null(strstr(c, "INV-2026-000005,C1005,4,3C-11AB2,5655-EC6,FWLC,1,month,1850.00,1850.00,EUR,R-T4;R-W10;R-0.1\n"));
  assert_non_null(strstr(c, "INV-2026-000005,C1005,5,3C-11AB2,5697-V61,OTC,1,license,12400.00,12400.00,EUR,R-0.1\n"));
  free(c);
  snprintf(path, sizeof(path), "%s/out/2026-11/invoices.csv", tmp);
  c = e2e_read_file(path, NULL);
  /* Quebec: GST 5 % and QST 9.975 % of 28,852.50 = 1,442.63 + 2,878.04 */
  assert_non_null(strstr(c, "INV-2026-000002,C1002,2026-11,2026-12-01,CAD,28852.50,0.00,4320.67,33173.17,"));
  /* discount: the prompt-payment discount offered (R-X2), 2 % of 39,664.49 = 793.29; not deducted from total */
  assert_non_null(strstr(c, "INV-2026-000001,C1001,2026-11,2026-12-01,EUR,33331.50,793.29,6332.99,39664.49,"));
  /* C1004 (federal, no tax): 8,002.50 + 1,918.13 + 6,902.50 (R-W3) = 16,823.13, prompt payment 1.50 % = 252.35
   * (it was 23,526.26 and 352.89 with 0A-9D002 at full capacity) */
  assert_non_null(strstr(c, "INV-2026-000004,C1004,2026-11,2026-12-01,USD,16823.13,252.35,0.00,16823.13,"));
  /* Swiss VAT: the rate effective latest (8.1 %, not 7.7 %) */
  assert_non_null(strstr(c, "INV-2026-000005,C1005,2026-11,2026-12-01,EUR,37170.80,0.00,3010.83,40181.63,"));
  free(c);
  snprintf(path, sizeof(path), "%s/out/2026-11/errors.csv", tmp);
  c = e2e_read_file(path, NULL);
  assert_string_equal(c, "file,line,column,customer_id,message\n");
  free(c);
}

/* Every charge type of the rule catalogue prices the sample month (customers C1006..C1017); the amounts
 * were worked out by hand from the sample's price books (see the README's notes on the rules). */
static void every_charge_type_prices_the_sample_month(void **state)
{
  (void)state;
  char path[256];
  snprintf(path, sizeof(path), "%s/out/2026-11/charges.csv", tmp);
  char *c = e2e_read_file(path, NULL);
  assert_non_null(c);
  /* EWLC with a z/OS.e logical model over capacity: z/OS.e reduced first (R-W13) */
  assert_non_null(strstr(c, "INV-2026-000006,C1006,3,E1-2086A,5694-A01,EWLC,45,MSUs,,2970.00,USD,R-T4;R-W2;R-W13;R-W1;R-0.1\n"));
  /* TWLC on Full Logical Model Capacity (R-W14, R-W15) */
  assert_non_null(strstr(c, "INV-2026-000006,C1006,4,E1-2086A,5694-RMF,TWLC,43,MSUs,,650.00,USD,R-T4;R-W14;R-W15;R-W1;R-0.1\n"));
  /* zELC by the logical model category (R-W16) */
  assert_non_null(strstr(c, "INV-2026-000006,C1006,5,E1-2086A,5655-M15,ZELC,1,month,1150.00,1150.00,USD,R-T4;R-W16;R-0.1\n"));
  /* z/VSE V3 licensed: MWLC at full capacity (R-W17) */
  assert_non_null(strstr(c, "INV-2026-000007,C1007,4,E1-2098W,5609-ZV3,MWLC,25,MSUs,,944.00,EUR,R-T4;R-W17;R-W1;R-0.1\n"));
  /* zNALC 150 MSUs capped to the 520-MSU peak less 420 WLC z/OS MSUs: 3x40 + 42x24 + 55x16 (R-W12) */
  assert_non_null(strstr(c, "INV-2026-000008,C1008,2,N1-10001,5650-ZOS,ZNALC,100,MSUs,,2008.00,EUR,R-T4;R-W12;R-W2;R-W1;R-0.1\n"));
  /* NALC on the machine capacity, raised from 150 to 180 MSUs on 12 Nov and lowered again on 26 Nov. An
   * alteration after the 1st begins on the 1st of the month after (002 §5.12, R-T10): November is billed on
   * its 1 Nov configuration, 150 MSUs, and December will be at 180. 5655-W65: 45 x 20 + 105 x 8 = 1,740.00
   * (it was 180: 45 x 20 + 135 x 8 = 1,980.00); z/OS 3 x 30 + 42 x 18 + 105 x 12 = 2,106.00 (it was
   * 3 x 30 + 42 x 18 + 135 x 12 = 2,466.00) */
  assert_non_null(strstr(c, "INV-2026-000008,C1008,4,N1-10002,5655-W65,NALC,150,MSUs,,1740.00,EUR,R-T4;R-W2;R-W1;"
                            "R-0.1\n"));
  assert_non_null(strstr(c, "INV-2026-000008,C1008,3,N1-10002,5650-ZOS,NALC,150,MSUs,,2106.00,EUR,R-T4;R-W2;R-W1;"
                            "R-0.1\n"));
  /* PSLC coupled over the sysplex (R-L3, R-W8) */
  assert_non_null(strstr(c, "INV-2026-000011,C1011,4,G1-P0001+G1-P0002,5655-B01,PSLC,552,MSUs,,16667.00,EUR,R-T4;R-L3;R-W8;R-W1;R-0.1\n"));
  /* ELC of an unrated machine: twice the group highest rating, 9,500 + 374 x 42.50 (R-L1) */
  assert_non_null(strstr(c, "INV-2026-000010,C1010,2,G1-E0002,5655-B01,ELC,454,MSUs,,25395.00,EUR,R-T4;R-L1;R-0.1\n"));
  /* IMLC of an unrated machine: 200 MSUs (R-L2) */
  assert_non_null(strstr(c, "INV-2026-000010,C1010,4,G1-E0002,5697-B82,IMLC,200,MSUs,,4900.00,EUR,R-T4;R-L2;R-W1;R-0.1\n"));
  /* group upgrade: the difference of the two current prices, once (R-L4) */
  assert_non_null(strstr(c, "INV-2026-000010,C1010,6,G1-E0003,5688-235,GMLC,1,upgrade,235.00,235.00,EUR,R-L4;R-0.1\n"));
  /* GOLC without a price for the category: the basic group charge (R-L5) */
  assert_non_null(strstr(c, "INV-2026-000011,C1011,6,G1-P0004,5688-235,GOLC,1,month,1120.00,1120.00,EUR,R-T4;R-L5;R-L4;R-0.1\n"));
  /* MOSP reduced graduated charge (R-L6) */
  assert_non_null(strstr(c, "INV-2026-000011,C1011,8,G1-P0005,5648-A25,MOSP,1,month,715.00,715.00,EUR,R-T4;R-L6;R-L4;R-0.1\n"));
  /* MULC: fourth-highest day of summed versions picks a band (R-U1..R-U4) */
  assert_non_null(strstr(c, "INV-2026-000012,C1012,2,U1-A0001,5695-DB2,MULC,1,band,4200.00,4200.00,USD,R-T4;R-U3;R-U1;R-U2;R-U4;R-0.1\n"));
  /* Usage Pricing band (R-U4) */
  assert_non_null(strstr(c, "INV-2026-000012,C1012,3,U1-A0001,5655-N02,UPC,1,band,5175.50,5175.50,USD,R-T4;R-U1;R-U2;R-U4;R-0.1\n"));
  /* SALC 50 MSUs = Base 1 1,250 + 10 A x 310 + 33 B x 145 + 6 C x 72.50 (R-U5) */
  assert_non_null(strstr(c, "INV-2026-000012,C1012,4,U1-A0001,5697-P43,SALC,50,MSUs,,9570.00,USD,R-T4;R-U1;R-U2;R-U4;R-U5;R-0.1\n"));
  /* IBM-initiated order for the Value Unit shortfall (R-I2, R-I5, R-I6) */
  assert_non_null(strstr(c, "INV-2026-000013,C1013,5,I1-A0001+I1-A0002+I1-A0003,5655-DAT,IPLA,21,VUs,300.00,6300.00,USD,R-W2;R-I2;R-I5;R-I6;R-0.1\n"));
  /* S&S of 1,000.00 a year in shares (R-T9): November is month 11 of 12, round(1000 x 11/12) - round(1000 x 10/12)
   * = 916.67 - 833.33 = 83.34, so that the twelve months add up to 1,000.00 (each alone: 83.33) */
  assert_non_null(strstr(c, "INV-2026-000016,C1016,10,M1-Z0001,5655-DT1,SS,1,month,83.34,83.34,USD,R-T9;R-M1;R-0.1\n"));
  /* the 11.0 % Secure Support uplift of the renewal 3,600.00 is 396.00, shared like it: November, month 12 of
   * 12, 396.00 - round(396.00 x 11/12) = 396.00 - 363.00 = 33.00 (R-M4) */
  assert_non_null(strstr(c, "INV-2026-000016,C1016,4,M1-Z0001,5655-FA1,SS,1,uplift,33.00,33.00,USD,R-M4;R-0.2;R-T9;R-0.1\n"));
  /* SWMA from 20 Nov on thirty-day months: days 20..30, 11 of 360: round(4800 x 11/360) = 146.67 (R-T6) */
  assert_non_null(strstr(c, "INV-2026-000017,C1017,2,M1-P0002,5770-SS1,SWMA,1,month,146.67,146.67,USD,R-T9;R-T6;R-M1;R-M2;R-0.1\n"));
  /* S&S resumption fee for the lapsed months (R-M3) */
  assert_non_null(strstr(c, "INV-2026-000016,C1016,8,M1-Z0001,5655-AP1,SS,1,charge,2850.00,2850.00,USD,R-T9;R-M3;R-0.1\n"));
  /* After License Fee, 3-month lapse: 74 % off 2,400.00 (R-M2) */
  assert_non_null(strstr(c, "INV-2026-000017,C1017,1,M1-P0002,5770-SS1,SWMA,1,license,2400.00,624.00,USD,R-T9;R-M2;R-0.2\n"));
  /* PLC on the Date of Installation (R-T8) */
  assert_non_null(strstr(c, "INV-2026-000016,C1016,13,M1-Z0001,5668-AL1,PLC,1,license,8000.00,8000.00,USD,R-T8;R-0.1\n"));
  /* ILC on the first MLC invoice (R-T7) */
  assert_non_null(strstr(c, "INV-2026-000016,C1016,14,M1-Z0001,5655-NV1,ILC,1,license,15000.00,15000.00,USD,R-T7;R-0.1\n"));
  /* R-W11: 41 % eligible share -> 3.0 % off the VWLC charges of the sysplex: the aggregated 19,655.63 + 1,692.00
   * and 5655-YA1 on N1-20002 alone, 6,459.06 (a program of the qualifying sysplex on one machine) = 27,806.69:
   * 834.2007 -> 834.20 (it was 3.0 % of 21,347.63 = 640.43 without 5655-YA1) */
  assert_non_null(strstr(c, "INV-2026-000009,C1009,4,N1-20001+N1-20002,,VWLC,41,%,,-834.20,USD,R-W11;R-0.2\n"));
  /* R-S2: the replacement on min(predecessor + replacement, cap) */
  assert_non_null(strstr(c, "INV-2026-000009,C1009,3,N1-20002,5655-YA1,VWLC,230,MSUs,,6459.06,USD,R-T4;R-W2;R-S2;R-W1;R-0.1\n"));
  /* every charge type an input may name appears on some line (ILC and PLC ride on ALC/MLC licenses) */
  static const char *const types[] = {",AWLC,", ",VWLC,", ",FWLC,", ",EWLC,", ",TWLC,", ",ZELC,", ",MWLC,",
                                      ",ZNALC,", ",NALC,", ",PSLC,", ",ELC,", ",IMLC,", ",GMLC,", ",GOLC,",
                                      ",MOSP,", ",MULC,", ",UPC,", ",SALC,", ",IPLA,", ",SWMA,", ",SS,", ",OTC,",
                                      ",PLC,", ",ILC,"};
  for(size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
    assert_non_null(strstr(c, types[i]));
  free(c);
  snprintf(path, sizeof(path), "%s/out/2026-11/invoices.csv", tmp);
  c = e2e_read_file(path, NULL);
  assert_non_null(c);
  /* totals; C1013 Ontario HST 13 %, C1015 British Columbia GST 5 % + PST 7 % (R-X3) */
  assert_non_null(strstr(c, "INV-2026-000006,C1006,2026-11,2026-12-01,USD,6925.00,0.00,367.03,7292.03,"));
  assert_non_null(strstr(c, "INV-2026-000007,C1007,2026-11,2026-12-01,EUR,4328.00,0.00,822.32,5150.32,"));
  /* C1008: 20,072.80 - (1,980.00 - 1,740.00) - (2,466.00 - 2,106.00) = 20,072.80 - 600.00 = 19,472.80 (R-T10);
   * 19 % = 3,699.832 -> 3,699.83; total 23,172.63 (it was 20,072.80, 3,813.83, 23,886.63) */
  assert_non_null(strstr(c, "INV-2026-000008,C1008,2026-11,2026-12-01,EUR,19472.80,0.00,3699.83,23172.63,"));
  /* C1009: 27,806.69 - 834.20 (R-W11) = 26,972.49; Virginia 5.3 % = 1,429.54; total 28,402.03 (it was 27,166.26,
   * 1,439.81, 28,606.07) */
  assert_non_null(strstr(c, "INV-2026-000009,C1009,2026-11,2026-12-01,USD,26972.49,0.00,1429.54,28402.03,"));
  assert_non_null(strstr(c, "INV-2026-000010,C1010,2026-11,2026-12-01,EUR,50875.00,0.00,9666.25,60541.25,"));
  assert_non_null(strstr(c, "INV-2026-000011,C1011,2026-11,2026-12-01,EUR,67649.70,0.00,5479.63,73129.33,"));
  assert_non_null(strstr(c, "INV-2026-000012,C1012,2026-11,2026-12-01,USD,28042.50,0.00,0.00,28042.50,"));
  /* prompt payment 1 % of 53,552.23 = 535.52 (R-X2) */
  assert_non_null(strstr(c, "INV-2026-000013,C1013,2026-11,2026-12-01,USD,47391.35,535.52,6160.88,53552.23,"));
  assert_non_null(strstr(c, "INV-2026-000014,C1014,2026-11,2026-12-01,EUR,28570.26,0.00,5428.35,33998.61,"));
  assert_non_null(strstr(c, "INV-2026-000015,C1015,2026-11,2026-12-01,USD,5200.00,0.00,624.00,5824.00,"));
  assert_non_null(strstr(c, "INV-2026-000016,C1016,2026-11,2026-12-01,USD,50447.27,0.00,0.00,50447.27,"));
  /* prompt payment 2 % of the base without the lapse-discounted line and its tax (R-M2): 2 % of 154.45 = 3.09 */
  assert_non_null(strstr(c, "INV-2026-000017,C1017,2026-11,2026-12-01,USD,770.67,3.09,40.85,811.52,"));
  free(c);
  /* R-M2 + R-X2: C1017's prompt-payment discount leaves the After License Fee and its tax out:
   * 2 % of (811.52 - 624.00 - 33.07) = 3.0890 -> 3.09, pay 808.43 */
  char *out = NULL;
  assert_int_equal(e2e_sh(&out, "pdftotext -layout %s/out/2026-11/invoices/INV-2026-000017.pdf - 2>/dev/null", tmp), 0);
  /* R-M2: the band in seed 003's words (ordered in the third started month of the lapse) */
  assert_non_null(strstr(out, "After License Fee, lapse of at least 2 months, but less than 3 months: 74 % off"));
  /* R-X2: the amount shown, and its base without line 1 (the After License Fee) and its tax */
  assert_non_null(strstr(out, "Pay by 11 Dec 2026 and deduct $3.09: pay $808.43"));
  assert_non_null(strstr(out, "Prompt payment discount 2.00 % of $154.45 (the total less line 1 and its taxes, R-M2) "
                              "= $3.09"));
  free(out);
  assert_int_equal(e2e_sh(&out, "pdftotext -layout %s/out/2026-11/invoices/INV-2026-000015.pdf - 2>/dev/null", tmp), 0);
  assert_non_null(strstr(out, "GST 5.000 %"));
  assert_non_null(strstr(out, "PST 7.000 %"));
  free(out);
}

static void invoice_pdfs_are_valid_and_say_what_finance_needs_R_X1_R_X4(void **state)
{
  (void)state;
  char *out = NULL;
  for(int i = 1; i <= 5; i++) {
    assert_int_equal(e2e_sh(&out, "qpdf --check %s/out/2026-11/invoices/INV-2026-%06d.pdf", tmp, i), 0);
    assert_non_null(strstr(out, "No syntax or stream encoding errors"));
    free(out);
  }
  assert_int_equal(e2e_sh(&out, "pdftotext -layout %s/out/2026-11/invoices/INV-2026-000001.pdf -", tmp), 0);
  assert_non_null(strstr(out, "Müller Versicherung AG"));
  assert_non_null(strstr(out, "Königinstraße 28"));
  assert_non_null(strstr(out, "INV-2026-000001"));
  assert_non_null(strstr(out, "DE-MLC-2019-0042"));
  assert_non_null(strstr(out, "ORD-401177"));
  assert_non_null(strstr(out, "82-C5DC8"));
  assert_non_null(strstr(out, "3931-609"));
  assert_non_null(strstr(out, "18,174.00"));
  assert_non_null(strstr(out, "€39,664.49"));
  assert_non_null(strstr(out, "€38,871.20")); /* R-X2: 2 % prompt payment */
  assert_non_null(strstr(out, "1-877-426-6006"));
  assert_non_null(strstr(out, "Page 1 of 1"));
  free(out);
  assert_int_equal(e2e_sh(&out, "pdftotext -layout %s/out/2026-11/invoices/INV-2026-000002.pdf -", tmp), 0);
  assert_non_null(strstr(out, "Québec"));
  assert_non_null(strstr(out, "GST"));
  assert_non_null(strstr(out, "QST 9.975"));
  assert_non_null(strstr(out, "2,878.04"));
  free(out);
  assert_int_equal(e2e_sh(&out, "pdftotext -layout %s/out/2026-11/invoices/INV-2026-000004.pdf -", tmp), 0);
  assert_non_null(strstr(out, "1-800-333-6705")); /* federal */
  free(out);
  assert_int_equal(e2e_sh(&out, "pdftotext -layout %s/out/2026-11/invoices/INV-2026-000005.pdf -", tmp), 0);
  assert_non_null(strstr(out, "1-800-426-9990")); /* business partner */
  assert_non_null(strstr(out, "Zürcher"));
  free(out);
}

/* R-X5: every amount on an invoice can be traced in the audit trail to input rows and rule ids. */
static void every_amount_traces_to_input_rows_and_rule_ids_R_X5(void **state)
{
  (void)state;
  char path[256];
  snprintf(path, sizeof(path), "%s/out/2026-11/audit.csv", tmp);
  char *a = e2e_read_file(path, NULL);
  /* the sysplex z/OS line: both machines' SCRT rows, the aggregation and the price book row */
  assert_non_null(strstr(a, "INV-2026-000001,2,2,R-W2,licenses.csv:2;scrt/82-C5DC8-2026-10-01.csv:14;"
                            "scrt/received.csv:2,"));
  assert_non_null(strstr(a, "INV-2026-000001,2,3,R-W2,licenses.csv:6;scrt/82-C5DC9-2026-10-01.csv:14;"
                            "scrt/received.csv:3,"));
  assert_non_null(strstr(a, "INV-2026-000001,2,4,R-W8,"));
  assert_non_null(strstr(a, ",712 MSUs\n"));
  assert_non_null(strstr(a, "INV-2026-000001,2,6,R-0.1,,line amount rounded half away from zero to the cent,18174.00\n"));
  assert_non_null(strstr(a, "R-T2a,licenses.csv:4;scrt/82-C5DC8-2026-10-01.csv:16;scrt/received.csv:2,"));
  assert_non_null(strstr(a, ",R-X3,taxes.csv:4;customers.csv:3,"));
  /* R-W3: the month 0A-9D002's first on-time report drives is billed on it, and the trail says so */
  assert_non_null(strstr(a, "INV-2026-000004,3,2,R-W3,licenses.csv:18;scrt/0A-9D002-2026-10-01.csv:4;scrt/received.csv:7,"
                            "\"machine 0A-9D002: its first SCRT report (period ending 2026-10-01, received 2026-10-02, on "
                            "time) has been processed, so sub-capacity starts with this month"));
  free(a);
  /* explain prints the same trail */
  char *out = NULL;
  assert_int_equal(e2e_sh(&out, "%s explain --output %s/out --invoice INV-2026-000001 --line 2", e2e_licbill(), tmp), 0);
  assert_non_null(strstr(out, "R-W8"));
  assert_non_null(strstr(out, "scrt/82-C5DC9-2026-10-01.csv:14"));
  assert_null(strstr(out, "line 3 "));
  assert_non_null(strstr(out, "machines.csv:2;machines.csv:3"));
  free(out);
}

static void the_same_inputs_give_byte_identical_outputs(void **state)
{
  (void)state;
  char *out = NULL;
  assert_int_equal(e2e_sh(&out, "%s run --input sample --output %s/again --month 2026-11 --issue-date 2026-12-01 --jobs 2", e2e_licbill(), tmp), 0);
  free(out);
  assert_int_equal(e2e_sh(&out, "diff -r %s/out/2026-11 %s/again/2026-11", tmp, tmp), 0);
  assert_string_equal(out, "");
  free(out);
  /* a re-run into the same folder is quiet, succeeds and changes nothing; its CSV files are written from the ledger
   * (every document loaded back), the first run's as each document was recorded: the same bytes */
  assert_int_equal(e2e_sh(&out, "cp -a %s/out %s/before && %s run --input sample --output %s/out --month 2026-11 --issue-date 2026-12-01 "
                            "&& diff -r %s/before/2026-11 %s/out/2026-11", tmp, tmp, e2e_licbill(), tmp, tmp, tmp), 0);
  expect_sample_notices(out);
  free(out);
}

static void changed_inputs_give_a_credit_note_and_a_new_invoice_never_an_edit_R_M8(void **state)
{
  (void)state;
  char *out = NULL, path[256];
  assert_int_equal(e2e_sh(NULL, "cp -a %s/out %s/corr && cp -a sample %s/in && sed -i 's/^5655-EC6,FWLC,monthly,,,,1850.00,EUR/"
                            "5655-EC6,FWLC,monthly,,,,1900.00,EUR/' %s/in/prices.csv", tmp, tmp, tmp, tmp), 0);
  snprintf(path, sizeof(path), "%s/corr/2026-11/invoices/INV-2026-000005.pdf", tmp);
  char *before = e2e_read_file(path, NULL);
  /* --no-corrections: the difference is reported, nothing is issued */
  assert_int_equal(e2e_sh(&out, "%s run --input %s/in --output %s/corr --month 2026-11 --issue-date 2026-12-01 --no-corrections", e2e_licbill(), tmp,
                      tmp), 1);
  assert_non_null(strstr(out, "inputs changed since invoice INV-2026-000005 (40181.63 EUR) was issued for 2026-11: "
                              "changed FWLC 5655-EC6 on 3C-11AB2, amount 1850.00 -> 1900.00 (licenses.csv:22, "
                              "licenses.csv:19, prices.csv:157); total 40181.63 -> 40235.68 EUR; it stays as issued "
                              "(R-M8) and, because of --no-corrections, no credit note or new invoice was made"));
  free(out);
  assert_int_equal(e2e_sh(&out, "ls %s/corr/2026-11/invoices | wc -l", tmp), 0);
  assert_string_equal(out, "17\n");
  free(out);
  /* a correction, issued on 3 December: credit note 18 cancels invoice 5, invoice 19 replaces it; 5 is untouched;
   * one line on stderr says so (never silent) */
  assert_int_equal(e2e_sh(&out, "%s run --input %s/in --output %s/corr --month 2026-11 --issue-date 2026-12-03", e2e_licbill(), tmp, tmp), 0);
  assert_non_null(strstr(out, "licbill: correction: customer C1005, 2026-11: invoice INV-2026-000005 (40181.63 EUR) is "
                              "credited by INV-2026-000018 and replaced by INV-2026-000019: changed FWLC 5655-EC6 on "
                              "3C-11AB2, amount 1850.00 -> 1900.00 (licenses.csv:22, licenses.csv:19, prices.csv:157); "
                              "total 40181.63 -> 40235.68 EUR\n"));
  free(out);
  /* the run's list of what it issued, for delivery */
  assert_int_equal(e2e_sh(&out, "cat $(ls %s/corr/issued/run-*.csv | tail -1)", tmp), 0);
  assert_string_equal(out, "path,kind,number,customer_id,month,issue_date,total,currency,corrects,replaces\n"
                           "2026-11/invoices/INV-2026-000018.pdf,credit_note,INV-2026-000018,C1005,2026-11,2026-12-03,"
                           "-40181.63,EUR,INV-2026-000005,\n"
                           "2026-11/invoices/INV-2026-000019.pdf,invoice,INV-2026-000019,C1005,2026-11,2026-12-03,"
                           "40235.68,EUR,,INV-2026-000005\n");
  free(out);
  char *after = e2e_read_file(path, NULL);
  assert_string_equal(before, after);
  free(before);
  free(after);
  snprintf(path, sizeof(path), "%s/corr/2026-11/invoices.csv", tmp);
  char *c = e2e_read_file(path, NULL);
  assert_non_null(strstr(c, "INV-2026-000005,C1005,2026-11,2026-12-01,EUR,37170.80,0.00,3010.83,40181.63,"));
  assert_non_null(strstr(c, "INV-2026-000018,C1005,2026-11,2026-12-03,EUR,-37170.80,0.00,-3010.83,-40181.63,"));
  /* FWLC 1,900.00 instead of 1,850.00: +50.00, MWST 8.1 % of 37,220.80 = 3,014.88 */
  assert_non_null(strstr(c, "INV-2026-000019,C1005,2026-11,2026-12-03,EUR,37220.80,0.00,3014.88,40235.68,"));
  /* invoices.csv tells a credit note from an invoice and links them both ways */
  assert_non_null(strstr(c, ",credit_note,INV-2026-000005,\n"));
  assert_non_null(strstr(c, ",invoice,,INV-2026-000005\n"));
  free(c);
  snprintf(path, sizeof(path), "%s/corr/2026-11/charges.csv", tmp);
  c = e2e_read_file(path, NULL);
  assert_non_null(strstr(c, "INV-2026-000018,C1005,4,3C-11AB2,5655-EC6,FWLC,1,month,1850.00,-1850.00,EUR,R-T4;R-W10;R-0.1;R-M8\n"));
  assert_non_null(strstr(c, "INV-2026-000019,C1005,4,3C-11AB2,5655-EC6,FWLC,1,month,1900.00,1900.00,EUR,R-T4;R-W10;R-0.1\n"));
  free(c);
  assert_int_equal(e2e_sh(&out, "pdftotext -layout %s/corr/2026-11/invoices/INV-2026-000018.pdf -", tmp), 0);
  /* a credit note says what it is, which invoice of which day it credits, and asks for nothing */
  assert_non_null(strstr(out, "Credit note"));
  assert_non_null(strstr(out, "Credit note number     INV-2026-000018"));
  assert_non_null(strstr(out, "Credits invoice        INV-2026-000005 of 1 Dec"));
  assert_non_null(strstr(out, "Credit note date       3 Dec 2026"));
  assert_non_null(strstr(out, "-€40,181.63"));
  assert_non_null(strstr(out, "No payment is due on a credit note"));
  assert_non_null(strstr(out, "Questions about this credit note? Call"));
  assert_null(strstr(out, "Invoice number"));
  assert_null(strstr(out, "Due date"));
  assert_null(strstr(out, "Payment terms"));
  assert_null(strstr(out, "Please pay"));
  assert_null(strstr(out, "deduct"));
  free(out);
  /* the invoice after it says which it replaces, and is an invoice like any other */
  assert_int_equal(e2e_sh(&out, "pdftotext -layout %s/corr/2026-11/invoices/INV-2026-000019.pdf -", tmp), 0);
  assert_non_null(strstr(out, "Invoice number       INV-2026-000019"));
  assert_non_null(strstr(out, "Replaces invoice     INV-2026-000005"));
  assert_non_null(strstr(out, "Payment terms: net 30 days"));
  free(out);
  /* the credit note's evidence: the original derivation of each line, then the credit, and what changed */
  assert_int_equal(e2e_sh(&out, "pdftotext -layout %s/corr/2026-11/evidence/INV-2026-000018-audit.pdf - | tr -s ' \\n' ' '",
                          tmp), 0);
  assert_non_null(strstr(out, "Credits invoice INV-2026-000005 of 1 Dec 2026"));
  assert_non_null(strstr(out, "invoice INV-2026-000005:"));
  assert_non_null(strstr(out, "-1850.00"));
  free(out);
  snprintf(path, sizeof(path), "%s/corr/2026-11/audit.csv", tmp);
  c = e2e_read_file(path, NULL);
  assert_non_null(strstr(c, "\nINV-2026-000018,4,1,R-T4,licenses.csv:22,\"invoice INV-2026-000005: FWLC 5655-EC6 is charged "
                            "for the whole month (R-T4, R-T5)\",charged\n"));
  assert_non_null(strstr(c, "\nINV-2026-000018,4,4,R-M8,INV-2026-000005,credit for line 4 of invoice INV-2026-000005 "
                            "(FWLC 5655-EC6): its amount negated,-1850.00\n"));
  assert_non_null(strstr(c, "\nINV-2026-000018,0,1,R-M8,INV-2026-000005,\"credit note cancelling invoice INV-2026-000005, "
                            "whose inputs changed after it was issued: changed FWLC 5655-EC6 on 3C-11AB2, amount "
                            "1850.00 -> 1900.00 (licenses.csv:22, licenses.csv:19, prices.csv:157); total 40181.63 -> "
                            "40235.68 EUR; the issued invoice stays as it is and a new invoice follows\",-40181.63\n"));
  free(c);
  assert_int_equal(e2e_sh(&out, "qpdf --check %s/corr/2026-11/invoices/INV-2026-000018.pdf && "
                          "qpdf --check %s/corr/2026-11/evidence/INV-2026-000018-audit.pdf", tmp, tmp), 0);
  free(out);
  /* running the corrected month again changes nothing */
  assert_int_equal(e2e_sh(&out, "cp -a %s/corr %s/corr2 && %s run --input %s/in --output %s/corr --month 2026-11 --issue-date 2026-12-04 && "
                            "diff -r %s/corr/2026-11 %s/corr2/2026-11", tmp, tmp, e2e_licbill(), tmp, tmp, tmp, tmp), 0);
  expect_sample_notices(out);
  free(out);
  /* the ledger says the same, for an auditor with the sqlite3 shell */
  assert_int_equal(e2e_sh(&out, "sqlite3 %s/corr/ledger.db \"select number, kind, total, corrects, superseded_by from issued "
                            "where customer_id = 'C1005'\"", tmp), 0);
  assert_string_equal(out, "INV-2026-000005|invoice|40181.63||INV-2026-000018\n"
                           "INV-2026-000018|credit_note|-40181.63|INV-2026-000005|\n"
                           "INV-2026-000019|invoice|40235.68||\n");
  free(out);
  assert_int_equal(e2e_sh(&out, "sqlite3 %s/corr/ledger.db \"select number, replaces, replaced_by from documents where "
                                "customer_id = 'C1005' order by number\"", tmp), 0);
  assert_string_equal(out, "INV-2026-000005||INV-2026-000019\nINV-2026-000018||\nINV-2026-000019|INV-2026-000005|\n");
  free(out);
}

/* Issue 14: a preview says what a run would do for each customer (new, unchanged, correction with what
 * changed, rejected), reads the ledger without writing it, and prices with what earlier months carried. */
static void a_dry_run_gives_each_customer_its_verdict_and_leaves_the_ledger_alone(void **state)
{
  (void)state;
  char *out = NULL;
  assert_int_equal(e2e_sh(&out, "cp -a %s/out %s/prev && cp -a sample %s/previn && sed -i "
                                "'s/^5655-EC6,FWLC,monthly,,,,1850.00,EUR/5655-EC6,FWLC,monthly,,,,1900.00,EUR/' "
                                "%s/previn/prices.csv && sha256sum %s/prev/ledger.db > %s/prev.sha && "
                                "%s run --input %s/previn --output %s/prev --month 2026-11 --issue-date 2026-12-04 "
                                "--dry-run 2>/dev/null && sha256sum -c --quiet %s/prev.sha && "
                                "grep -c ',unchanged,INV-2026-0000' %s/prev/dry-run/2026-11/verdicts.csv",
                          tmp, tmp, tmp, tmp, tmp, tmp, e2e_licbill(), tmp, tmp, tmp, tmp), 0);
  const char *want = "C1005: correction of INV-2026-000005: changed FWLC 5655-EC6 on 3C-11AB2, amount 1850.00 "
                     "-> 1900.00 (licenses.csv:22, licenses.csv:19, prices.csv:157); total 40181.63 -> 40235.68 EUR\n"
                     "licbill: preview of 2026-11: 0 new, 16 unchanged, 1 corrections, 0 rejected; each "
                     "customer's verdict in ";
  if(strncmp(out, want, strlen(want)) || !strstr(out, "/prev/dry-run/2026-11/verdicts.csv\n16\n"))
    fail_msg("the preview said:\n%s", out);
  free(out);
}

static void a_dry_run_previews_without_numbers_or_ledger(void **state)
{
  (void)state;
  char *out = NULL;
  assert_int_equal(e2e_sh(&out, "%s run --input sample --output %s/dry --month 2026-11 --issue-date 2026-12-01 --dry-run && ls %s/dry "
                            "%s/dry/dry-run/2026-11/invoices", e2e_licbill(), tmp, tmp, tmp), 0);
  assert_non_null(strstr(out, "DRAFT-2026-11-C1001.pdf"));
  assert_null(strstr(out, "ledger.db"));
  free(out);
  /* every page of a draft says so: the line at the top, the mark across it (its own text object), and the
   * evidence likewise */
  assert_int_equal(e2e_sh(&out, "d=%s/dry/dry-run/2026-11; qpdf --check $d/invoices/DRAFT-2026-11-C1001.pdf >/dev/null && "
                                "pdftotext -raw $d/invoices/DRAFT-2026-11-C1001.pdf - && echo ==== && "
                                "pdftotext -raw $d/evidence/DRAFT-2026-11-C1001-audit.pdf -", tmp), 0);
  assert_non_null(strstr(out, "Draft for review: not issued, no number reserved, not payable"));
  char *ev = strstr(out, "====");
  assert_non_null(ev);
  *ev = '\0';
  /* the mark is drawn at 45 degrees: pdftotext -raw gives it a letter a line */
  assert_non_null(strstr(out, "D\nR\nA\nF\nT\n"));
  assert_non_null(strstr(ev + 1, "D\nR\nA\nF\nT\n"));
  assert_non_null(strstr(ev + 1, "a preview: not issued, no number reserved"));
  free(out);
}

static void each_invoice_has_evidence_and_the_month_is_sealed_and_verifies(void **state)
{
  (void)state;
  char *out = NULL;
  for(int i = 1; i <= 5; i++) {
    assert_int_equal(e2e_sh(&out, "qpdf --check %s/out/2026-11/evidence/INV-2026-%06d-audit.pdf", tmp, i), 0);
    free(out);
  }
  assert_int_equal(e2e_sh(&out, "pdftotext -layout %s/out/2026-11/evidence/INV-2026-000001-audit.pdf - 2>/dev/null",
                          tmp), 0);
  const char *want[] = {"R-W2", "R-W8", "R-W1", "R-0.1", "R-T2a", "R-W6", "18,174.00", "7,740.00", "1,297.50",
                        "scrt/82-C5DC8-2026-10-01.csv", "39,664.49"};
  for(size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
    if(!strstr(out, want[i]))
      fail_msg("evidence of INV-2026-000001 lacks '%s'", want[i]);
  free(out);
  assert_int_equal(e2e_sh(&out, "%s verify --output %s/out", e2e_licbill(), tmp), 0);
  free(out);
  /* the archive restored with the system tar equals the month folder */
  assert_int_equal(e2e_sh(&out, "mkdir %s/restore && tar -m -xzf %s/out/archive/2026-11.tar.gz -C %s/restore && "
                                "diff -r %s/restore/2026-11 %s/out/2026-11", tmp, tmp, tmp, tmp, tmp), 0);
  assert_string_equal(out, "");
  free(out);
}

/* Regression: libharu failed (HPDF_INVALID_OBJECT) to save the evidence of a
 * generated customer when the subset fonts had no hinting. */
static void regression_evidence_renders_with_the_shipped_subset_fonts(void **state)
{
  (void)state;
  char *out = NULL;
  /* only C000171 drawn: the last of 171 parts (--shard 171/171 --dry-run until --shard was retired). The set and
   * its plan are the fixture, made by the release build (gen and plan are tested under the sanitizers in
   * test_gen and test_parts); the drawing is the sanitizer build's */
  assert_int_equal(e2e_sh(&out, "%s gen --output %s/g171 --customers 171 --seed 1 && %s plan --input %s/g171 "
                                "--output %s/o171 --month 2026-11 --issue-date 2026-12-01 --parts 171 2>/dev/null; "
                                "%s render --input %s/g171 --output %s/o171 --month 2026-11 --part 171/171 && "
                                "ls %s/o171/2026-11/evidence",
                          e2e_licbill_rel(), tmp, e2e_licbill_rel(), tmp, tmp, e2e_licbill(), tmp, tmp, tmp), 0);
  assert_string_equal(out, "INV-2026-000171-audit.pdf\n");
  free(out);
}

static void check_validates_without_writing(void **state)
{
  (void)state;
  char *out = NULL;
  /* nothing new appears anywhere below the working folder, and success is quiet */
  assert_int_equal(e2e_sh(NULL, "touch %s/marker && sleep 1", tmp), 0);
  assert_int_equal(e2e_sh(&out, "%s check --input sample --month 2026-11 --issue-date 2026-12-01", e2e_licbill()), 0);
  char *want = sample_notices("DRAFT-2026-11-C1002", "DRAFT-2026-11-C1003", "DRAFT-2026-11-C1007");
  assert_string_equal(out, want);
  free(want);
  free(out);
  /* the input set, the working folder itself and the scratch folder */
  assert_int_equal(e2e_sh(&out, "{ find sample %s -newer %s/marker -type f; find . -maxdepth 1 -newer %s/marker "
                                "-type f; } | grep -v '%s/marker' || true", tmp, tmp, tmp, tmp), 0);
  assert_string_equal(out, "");
  free(out);
}

static void a_second_run_on_a_locked_output_exits_75(void **state)
{
  (void)state;
  char path[256], *out = NULL;
  snprintf(path, sizeof(path), "%s/out/.lock", tmp);
  int fd = open(path, O_RDWR | O_CREAT, 0644);
  assert_true(fd >= 0);
  assert_int_equal(flock(fd, LOCK_EX | LOCK_NB), 0);
  assert_int_equal(e2e_sh(&out, "%s run --input sample --output %s/out --month 2026-11 --issue-date 2026-12-01", e2e_licbill(), tmp), 75);
  assert_non_null(strstr(out, "another run holds the lock"));
  free(out);
  close(fd);
}

static void usage_errors_exit_2(void **state)
{
  (void)state;
  char *out = NULL;
  assert_int_equal(e2e_sh(&out, "%s run --input sample --month 2026-13 --output %s/x", e2e_licbill(), tmp), 2);
  assert_non_null(strstr(out, "--month '2026-13': expected YYYY-MM"));
  free(out);
  assert_int_equal(e2e_sh(&out, "%s frobnicate", e2e_licbill()), 2);
  free(out);
  assert_int_equal(e2e_sh(&out, "%s run --help", e2e_licbill()), 0);
  assert_null(strstr(out, "--shard"));
  free(out);
  /* the version, and the digest of the rule book it was built with: the same as docs/rules.md's */
  assert_int_equal(e2e_sh(&out, "%s --version | grep -F \"licbill $(cat VERSION) (rule book sha256 "
                                "$(sha256sum docs/rules.md | cut -c1-64))\"", e2e_licbill()), 0);
  free(out);
  /* every run records them in the ledger */
  assert_int_equal(e2e_sh(&out, "sqlite3 %s/out/ledger.db \"select licbill_version, rulebook_sha256, issue_date "
                                "from runs where id = 1\" | grep -F \"$(cat VERSION)|$(sha256sum docs/rules.md | "
                                "cut -c1-64)|2026-12-01\"", tmp), 0);
  free(out);
  assert_int_equal(e2e_sh(&out, "%s --version", e2e_licbill()), 0);
  assert_non_null(strstr(out, "licbill "));
  free(out);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(sample_month_charges_are_exact_R_W1_R_W2_R_W8),
    cmocka_unit_test(machines_billed_on_a_fallback_are_named_with_the_difference_R_T2_R_W5),
    cmocka_unit_test(every_license_is_traced_charged_or_not_R_X5_R_T4_R_T5),
    cmocka_unit_test(an_upgrade_that_only_words_things_differently_issues_nothing_R_M8),
    cmocka_unit_test(documents_are_dated_the_day_they_are_issued_and_open_months_wait),
    cmocka_unit_test(the_cron_line_bills_the_previous_month_on_every_day),
    cmocka_unit_test(every_charge_type_prices_the_sample_month),
    cmocka_unit_test(invoice_pdfs_are_valid_and_say_what_finance_needs_R_X1_R_X4),
    cmocka_unit_test(every_amount_traces_to_input_rows_and_rule_ids_R_X5),
    cmocka_unit_test(the_same_inputs_give_byte_identical_outputs),
    cmocka_unit_test(each_invoice_has_evidence_and_the_month_is_sealed_and_verifies),
    cmocka_unit_test(regression_evidence_renders_with_the_shipped_subset_fonts),
    cmocka_unit_test(check_validates_without_writing),
    cmocka_unit_test(a_second_run_on_a_locked_output_exits_75),
    cmocka_unit_test(usage_errors_exit_2),
    cmocka_unit_test(changed_inputs_give_a_credit_note_and_a_new_invoice_never_an_edit_R_M8),
    cmocka_unit_test(a_dry_run_previews_without_numbers_or_ledger),
    cmocka_unit_test(a_dry_run_gives_each_customer_its_verdict_and_leaves_the_ledger_alone),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
