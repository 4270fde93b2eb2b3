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

#include "support/e2e.h"

static char tmp[64];

static int setup(void **state)
{
  (void)state;
  strcpy(tmp, "/tmp/lb-golden-XXXXXX");
  assert_non_null(mkdtemp(tmp));
  char *out = NULL;
  int rc = e2e_sh(&out, "%s run --input sample --output %s/out --month 2026-11", e2e_licbill(), tmp);
  if(rc != 0)
    fprintf(stderr, "%s", out);
  free(out);
  return rc;
}

static int teardown(void **state)
{
  (void)state;
  return e2e_sh(NULL, "rm -rf %s", tmp);
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
  /* sub-capacity not started: full capacity 250 (R-W3) */
  assert_non_null(strstr(c, "INV-2026-000004,C1004,3,0A-9D002,5650-ZOS,VWLC,250,MSUs,,13605.63,USD,R-T4;R-W3;R-W1;R-0.1\n"));
  /* late with extension stays sub-capacity; Db2 first charged at z/OS MSUs (R-W4) */
  assert_non_null(strstr(c, "INV-2026-000005,C1005,1,3C-11AB2,5650-ZOS,AWLC,280,MSUs,,11070.80,EUR,R-T4;R-W2;R-W1;R-0.1\n"));
  assert_non_null(strstr(c, "INV-2026-000005,C1005,3,3C-11AB2,5698-DB2,AWLC,280,MSUs,,8340.00,EUR,R-T4;R-W2;R-W4;R-W1;R-0.1\n"));
  assert_non_null(strstr(c, "INV-2026-000005,C1005,4,3C-11AB2,5655-EC6,FWLC,1,month,1850.00,1850.00,EUR,R-T4;R-W10;R-0.1\n"));
  assert_non_null(strstr(c, "INV-2026-000005,C1005,5,3C-11AB2,5697-V61,OTC,1,license,12400.00,12400.00,EUR,R-0.1\n"));
  free(c);
  snprintf(path, sizeof(path), "%s/out/2026-11/invoices.csv", tmp);
  c = e2e_read_file(path, NULL);
  /* Quebec: GST 5 % and QST 9.975 % of 28,852.50 = 1,442.63 + 2,878.04 */
  assert_non_null(strstr(c, "INV-2026-000002,C1002,2026-11,2026-11-30,CAD,28852.50,0.00,4320.67,33173.17,"));
  assert_non_null(strstr(c, "INV-2026-000001,C1001,2026-11,2026-11-30,EUR,33331.50,0.00,6332.99,39664.49,"));
  /* Swiss VAT: the rate effective latest (8.1 %, not 7.7 %) */
  assert_non_null(strstr(c, "INV-2026-000005,C1005,2026-11,2026-11-30,EUR,37170.80,0.00,3010.83,40181.63,"));
  free(c);
  snprintf(path, sizeof(path), "%s/out/2026-11/errors.csv", tmp);
  c = e2e_read_file(path, NULL);
  assert_string_equal(c, "file,line,column,customer_id,message\n");
  free(c);
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
  assert_int_equal(e2e_sh(&out, "%s run --input sample --output %s/again --month 2026-11 --jobs 2", e2e_licbill(), tmp), 0);
  free(out);
  assert_int_equal(e2e_sh(&out, "diff -r %s/out/2026-11 %s/again/2026-11", tmp, tmp), 0);
  assert_string_equal(out, "");
  free(out);
  /* a re-run into the same folder is quiet, succeeds and changes nothing */
  assert_int_equal(e2e_sh(&out, "cp -a %s/out %s/before && %s run --input sample --output %s/out --month 2026-11 "
                            "&& diff -r %s/before/2026-11 %s/out/2026-11", tmp, tmp, e2e_licbill(), tmp, tmp, tmp), 0);
  assert_string_equal(out, "");
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
  assert_int_equal(e2e_sh(&out, "%s run --input %s/in --output %s/corr --month 2026-11 --no-corrections", e2e_licbill(), tmp,
                      tmp), 1);
  assert_non_null(strstr(out, "inputs changed since invoice INV-2026-000005 was issued for 2026-11; it stays as issued "
                              "(R-M8) and, because of --no-corrections, no credit note or new invoice was made"));
  free(out);
  assert_int_equal(e2e_sh(&out, "ls %s/corr/2026-11/invoices | wc -l", tmp), 0);
  assert_string_equal(out, "5\n");
  free(out);
  /* a correction: credit note 6 cancels invoice 5, invoice 7 replaces it; 5 is untouched */
  assert_int_equal(e2e_sh(&out, "%s run --input %s/in --output %s/corr --month 2026-11", e2e_licbill(), tmp, tmp), 0);
  assert_string_equal(out, "");
  free(out);
  char *after = e2e_read_file(path, NULL);
  assert_string_equal(before, after);
  free(before);
  free(after);
  snprintf(path, sizeof(path), "%s/corr/2026-11/invoices.csv", tmp);
  char *c = e2e_read_file(path, NULL);
  assert_non_null(strstr(c, "INV-2026-000005,C1005,2026-11,2026-11-30,EUR,37170.80,0.00,3010.83,40181.63,"));
  assert_non_null(strstr(c, "INV-2026-000006,C1005,2026-11,2026-11-30,EUR,-37170.80,0.00,-3010.83,-40181.63,"));
  /* FWLC 1,900.00 instead of 1,850.00: +50.00, MWST 8.1 % of 37,220.80 = 3,014.88 */
  assert_non_null(strstr(c, "INV-2026-000007,C1005,2026-11,2026-11-30,EUR,37220.80,0.00,3014.88,40235.68,"));
  free(c);
  snprintf(path, sizeof(path), "%s/corr/2026-11/charges.csv", tmp);
  c = e2e_read_file(path, NULL);
  assert_non_null(strstr(c, "INV-2026-000006,C1005,4,3C-11AB2,5655-EC6,FWLC,1,month,1850.00,-1850.00,EUR,R-M8\n"));
  assert_non_null(strstr(c, "INV-2026-000007,C1005,4,3C-11AB2,5655-EC6,FWLC,1,month,1900.00,1900.00,EUR,R-T4;R-W10;R-0.1\n"));
  free(c);
  assert_int_equal(e2e_sh(&out, "pdftotext -layout %s/corr/2026-11/invoices/INV-2026-000006.pdf -", tmp), 0);
  assert_non_null(strstr(out, "Credit note"));
  assert_non_null(strstr(out, "Cancels invoice"));
  assert_non_null(strstr(out, "-€40,181.63"));
  free(out);
  /* running the corrected month again changes nothing */
  assert_int_equal(e2e_sh(&out, "cp -a %s/corr %s/corr2 && %s run --input %s/in --output %s/corr --month 2026-11 && "
                            "diff -r %s/corr/2026-11 %s/corr2/2026-11", tmp, tmp, e2e_licbill(), tmp, tmp, tmp, tmp), 0);
  assert_string_equal(out, "");
  free(out);
  /* the ledger says the same, for an auditor with the sqlite3 shell */
  assert_int_equal(e2e_sh(&out, "sqlite3 %s/corr/ledger.db \"select number, kind, total, corrects, superseded_by from issued "
                            "where customer_id = 'C1005'\"", tmp), 0);
  assert_string_equal(out, "INV-2026-000005|invoice|40181.63||INV-2026-000006\n"
                           "INV-2026-000006|credit_note|-40181.63|INV-2026-000005|\n"
                           "INV-2026-000007|invoice|40235.68||\n");
  free(out);
}

static void a_dry_run_previews_without_numbers_or_ledger(void **state)
{
  (void)state;
  char *out = NULL;
  assert_int_equal(e2e_sh(&out, "%s run --input sample --output %s/dry --month 2026-11 --dry-run && ls %s/dry "
                            "%s/dry/dry-run/2026-11/invoices", e2e_licbill(), tmp, tmp, tmp), 0);
  assert_non_null(strstr(out, "DRAFT-2026-11-C1001.pdf"));
  assert_null(strstr(out, "ledger.db"));
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
  assert_int_equal(e2e_sh(&out, "%s gen --output %s/g171 --customers 171 --seed 1 && %s run --input %s/g171 "
                                "--output %s/o171 --month 2026-11 --shard 171/171 --dry-run && ls %s/o171/dry-run/2026-11/evidence",
                          e2e_licbill(), tmp, e2e_licbill(), tmp, tmp, tmp), 0);
  assert_string_equal(out, "DRAFT-2026-11-C000171-audit.pdf\n");
  free(out);
}

static void check_validates_without_writing(void **state)
{
  (void)state;
  char *out = NULL;
  /* nothing new appears anywhere below the working folder, and success is quiet */
  assert_int_equal(e2e_sh(NULL, "touch %s/marker && sleep 1", tmp), 0);
  assert_int_equal(e2e_sh(&out, "%s check --input sample --month 2026-11", e2e_licbill()), 0);
  assert_string_equal(out, "");
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
  assert_int_equal(e2e_sh(&out, "%s run --input sample --output %s/out --month 2026-11", e2e_licbill(), tmp), 75);
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
  assert_non_null(strstr(out, "--shard K/N"));
  free(out);
  assert_int_equal(e2e_sh(&out, "%s --version", e2e_licbill()), 0);
  assert_non_null(strstr(out, "licbill "));
  free(out);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(sample_month_charges_are_exact_R_W1_R_W2_R_W8),
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
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
