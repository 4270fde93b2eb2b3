/* test_csv_scrt.c - the CSV reader's positions and encodings, and the SCRT reader on real layouts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/utf8.h"
#include "input/csvfile.h"
#include "input/scrt.h"
#include "tests/support/e2e.h"

static char path[256];

static void write_bytes(const char *bytes, size_t n)
{
  snprintf(path, sizeof(path), "%s/lb-csv-XXXXXX", e2e_tmpdir());
  int fd = mkstemp(path);
  assert_true(fd >= 0);
  assert_int_equal(write(fd, bytes, n), (ssize_t)n);
  close(fd);
}

static void csv_rows_know_their_line_and_columns(void **state)
{
  (void)state;
  const char text[] = "\xEF\xBB\xBF" "a,b,c\r\n\r\n\"x\",\"multi\nline\",z\n\"\",\"\"\nÄbc,d,\"e\"\"f\"";
  csvf *f;
  const csv_row *r;
  diag_list d;
  long line, col;
  diag_init(&d);
  write_bytes(text, sizeof(text) - 1);
  assert_int_equal(csvf_open(&f, path, NULL, &d), 0);
  assert_int_equal(csvf_next(f, &r, &d), 1);
  assert_int_equal(r->nfields, 3);
  assert_string_equal(r->fields[0], "a"); /* BOM skipped */
  assert_int_equal(r->line, 1);
  assert_int_equal(csvf_next(f, &r, &d), 1);
  assert_int_equal(r->line, 3); /* blank line skipped */
  assert_string_equal(r->fields[1], "multi\nline");
  csvf_pos(f, 2, &line, &col);
  assert_int_equal(line, 4); /* the third field starts after the embedded newline */
  assert_int_equal(col, 7);
  assert_int_equal(csvf_next(f, &r, &d), 1); /* the "","" row is blank and skipped */
  assert_int_equal(r->line, 6);
  assert_string_equal(r->fields[2], "e\"f");
  csvf_pos(f, 1, &line, &col);
  assert_int_equal(col, 5); /* Ä is one character */
  assert_int_equal(csvf_next(f, &r, &d), 0);
  assert_int_equal(d.n, 0);
  csvf_close(f);
  unlink(path);
}

static void a_misplaced_quote_is_pointed_at(void **state)
{
  (void)state;
  const char text[] = "a,b\nxy,p\"q\n";
  csvf *f;
  const csv_row *r;
  diag_list d;
  diag_init(&d);
  write_bytes(text, sizeof(text) - 1);
  assert_int_equal(csvf_open(&f, path, NULL, &d), 0);
  assert_int_equal(csvf_next(f, &r, &d), 1);
  assert_int_equal(csvf_next(f, &r, &d), LB_EINPUT);
  assert_int_equal(d.n, 1);
  assert_int_equal(d.v[0].line, 2);
  assert_int_equal(d.v[0].col, 5);
  assert_non_null(strstr(d.v[0].message, "misplaced quote"));
  csvf_close(f);
  diag_clear(&d);
  unlink(path);
}

static void an_unterminated_quote_points_at_its_opening(void **state)
{
  (void)state;
  const char text[] = "a,b\nx,\"open\nmore\n";
  csvf *f;
  const csv_row *r;
  diag_list d;
  diag_init(&d);
  write_bytes(text, sizeof(text) - 1);
  assert_int_equal(csvf_open(&f, path, NULL, &d), 0);
  assert_int_equal(csvf_next(f, &r, &d), 1);
  assert_int_equal(csvf_next(f, &r, &d), LB_EINPUT);
  assert_int_equal(d.v[0].line, 2);
  assert_int_equal(d.v[0].col, 3);
  assert_non_null(strstr(d.v[0].message, "unterminated quoted field"));
  csvf_close(f);
  diag_clear(&d);
  unlink(path);
}

/* regression (found by make fuzz: table, scrt, scrtdir): in a file read as ISO-8859-1 every byte of its
 * UTF-8 conversion was counted as a column, so a column after an accented letter was too far right */
static void latin1_file_columns_count_characters_not_converted_bytes(void **state)
{
  (void)state;
  /* line 2: Ä 1, Ö 2, ',' 3, x 4, the misplaced quote 5 */
  const char text[] = "a,b\n\xC4\xD6,x\"y\n";
  csvf_opts o = {.delim = ',', .latin1_fallback = 1, .start = 0, .end = -1, .first_line = 1};
  csvf *f;
  const csv_row *r;
  diag_list d;
  long line, col;
  diag_init(&d);
  write_bytes(text, sizeof(text) - 1);
  assert_int_equal(csvf_open(&f, path, &o, &d), 0);
  assert_int_equal(csvf_next(f, &r, &d), 1);
  assert_int_equal(csvf_next(f, &r, &d), LB_EINPUT);
  assert_true(csvf_is_latin1(f));
  assert_int_equal(d.n, 1);
  assert_int_equal(d.v[0].line, 2);
  assert_int_equal(d.v[0].col, 5);
  assert_non_null(strstr(d.v[0].message, "misplaced quote"));
  csvf_close(f);
  diag_clear(&d);
  unlink(path);

  /* a field's position: "\xC4\xD6\xDC,x": x at 5 */
  const char text2[] = "a,b\n\xC4\xD6\xDC,x\n";
  write_bytes(text2, sizeof(text2) - 1);
  assert_int_equal(csvf_open(&f, path, &o, &d), 0);
  assert_int_equal(csvf_next(f, &r, &d), 1);
  assert_int_equal(csvf_next(f, &r, &d), 1);
  assert_string_equal(r->fields[0], "\xC3\x84\xC3\x96\xC3\x9C"); /* ÄÖÜ in UTF-8 */
  csvf_pos(f, 1, &line, &col);
  assert_int_equal(line, 2);
  assert_int_equal(col, 5);
  assert_int_equal(d.n, 0);
  csvf_close(f);
  unlink(path);

  /* the same in an SCRT report: the Tool MSUs cell after "Zürich ÄÖ" (quote 1, Zürich 2-7, space 8,
   * ÄÖ 9-10, quote 11, ',' 12, "5650-ZOS" 13-22, ',' 23) starts at 24 */
  const char text3[] = "\"==B5===\"\n\"Machine Serial Number\",\"X1\"\n"
                       "\"Reporting Period\",\"2 Sep, 2026 - 1 Oct, 2026 inclusive (30 days)\"\n"
                       "\"==E5===\"\n\"Product Name\",\"Product ID\",\"Tool MSUs\",\"Customer MSUs\",\"Customer Comment\"\n"
                       "\"Z\xFCrich \xC4\xD6\",\"5650-ZOS\",\"abc\",\"\",\"\"\n";
  scrt_report *rep = NULL;
  write_bytes(text3, sizeof(text3) - 1);
  assert_int_equal(scrt_read(&rep, path, 0, &d), LB_EINPUT);
  assert_null(rep);
  assert_int_equal(d.n, 1);
  assert_int_equal(d.v[0].line, 6);
  assert_int_equal(d.v[0].col, 24);
  assert_non_null(strstr(d.v[0].message, "Tool MSUs 'abc' for 5650-ZOS is not a whole number"));
  diag_clear(&d);
  unlink(path);
}

static void utf8_validation_finds_the_bad_byte(void **state)
{
  (void)state;
  size_t bad = 0;
  assert_true(utf8_valid("M\xC3\xBCller", 7, &bad));
  assert_false(utf8_valid("M\xFCller", 6, &bad));
  assert_int_equal(bad, 1);
  assert_false(utf8_valid("\xE2\x82", 2, &bad)); /* truncated € */
  assert_false(utf8_valid("\xC0\xAF", 2, &bad)); /* overlong */
  assert_true(utf8_valid("\xE2\x82\xAC", 3, &bad));
}

static void scrt_reads_the_comma_variant_with_override_and_units_table(void **state)
{
  (void)state;
  scrt_report *r = NULL;
  diag_list d;
  diag_init(&d);
  assert_int_equal(scrt_read(&r, "sample/scrt/82-C5DC8-2026-10-01.csv", 0, &d), 0);
  assert_string_equal(r->serial, "82-C5DC8");
  assert_string_equal(r->type_model, "3931-609");
  assert_string_equal(r->customer_name, "Müller Versicherung AG");
  assert_int_equal(r->rated_msu, 1200);
  assert_int_equal(r->period_start, date_from_ymd(2026, 9, 2));
  assert_int_equal(r->period_end, date_from_ymd(2026, 10, 1));
  assert_int_equal(r->period_days, 30);
  assert_int_equal(r->delim, ',');
  const scrt_product *db2 = scrt_find_product(r, "5698-DB2");
  assert_non_null(db2);
  assert_int_equal(db2->tool_msu, 190);
  assert_int_equal(db2->customer_msu, 150);
  assert_non_null(strstr(db2->comment, "CHG0042117"));
  assert_int_equal(db2->line, 16);
  assert_null(scrt_find_product(r, "5655-AV9")); /* the Tool Units table is not MSUs */
  assert_int_equal(r->nlpars, 2);
  assert_int_equal(r->cpc_msu, 412);
  scrt_free(r);
}

static void scrt_reads_semicolons_latin1_blank_rows_and_skips_unknown_sections(void **state)
{
  (void)state;
  scrt_report *r = NULL;
  diag_list d;
  diag_init(&d);
  assert_int_equal(scrt_read(&r, "sample/scrt/82-C5DC9-2026-10-01.csv", 0, &d), 0);
  assert_int_equal(r->delim, ';');
  assert_int_equal(scrt_find_product(r, "5650-ZOS")->tool_msu, 300);
  scrt_free(r);
  assert_int_equal(scrt_read(&r, "sample/scrt/3C-11AB2-2026-10-01.csv", 0, &d), 0);
  assert_true(r->latin1);
  assert_string_equal(r->customer_name, "Zürcher Rechenzentrum Partner GmbH");
  assert_int_equal(scrt_find_product(r, "5655-YA1")->tool_msu, 150);
  assert_int_equal(r->cpc_msu, 280);
  scrt_free(r);
  assert_int_equal(d.n, 0);
}

static void scrt_period_strings_are_checked(void **state)
{
  (void)state;
  lb_date a, b;
  int n;
  assert_int_equal(scrt_parse_period("2 Jun, 2026 - 1 Jul, 2026 inclusive (30 days)", &a, &b, &n), 0);
  assert_int_equal(n, 30);
  assert_int_equal(a, date_from_ymd(2026, 6, 2));
  assert_int_equal(scrt_parse_period("2 Jun, 2026 - 1 Jul, 2026 inclusive (31 days)", &a, &b, &n), -1);
  assert_int_equal(scrt_parse_period("2 Foo, 2026 - 1 Jul, 2026", &a, &b, &n), -1);
  assert_int_equal(scrt_parse_period("2 Jul, 2026 - 1 Jun, 2026", &a, &b, &n), -1);
}

static void scrt_bad_msus_are_reported_at_their_cell(void **state)
{
  (void)state;
  const char text[] = "\"==B5===\"\n\"Machine Serial Number\",\"X1\"\n"
                      "\"Reporting Period\",\"2 Sep, 2026 - 1 Oct, 2026 inclusive (30 days)\"\n"
                      "\"==E5===\"\n\"Product Name\",\"Product ID\",\"Tool MSUs\",\"Customer MSUs\",\"Customer Comment\"\n"
                      "\"z/OS\",\"5650-ZOS\",\"-4\",\"\",\"\"\n\"CICS\",\"5655-YA1\",\"abc\",\"\",\"\"\n";
  scrt_report *r = NULL;
  diag_list d;
  diag_init(&d);
  write_bytes(text, sizeof(text) - 1);
  assert_int_equal(scrt_read(&r, path, 0, &d), LB_EINPUT);
  assert_null(r);
  assert_int_equal(d.n, 2);
  assert_int_equal(d.v[0].line, 6);
  assert_int_equal(d.v[0].col, 19);
  assert_non_null(strstr(d.v[0].message, "Tool MSUs '-4' for 5650-ZOS is not a whole number"));
  assert_int_equal(d.v[1].line, 7);
  assert_int_equal(d.v[1].col, 19);
  diag_clear(&d);
  unlink(path);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(csv_rows_know_their_line_and_columns),
    cmocka_unit_test(a_misplaced_quote_is_pointed_at),
    cmocka_unit_test(an_unterminated_quote_points_at_its_opening),
    cmocka_unit_test(latin1_file_columns_count_characters_not_converted_bytes),
    cmocka_unit_test(utf8_validation_finds_the_bad_byte),
    cmocka_unit_test(scrt_reads_the_comma_variant_with_override_and_units_table),
    cmocka_unit_test(scrt_reads_semicolons_latin1_blank_rows_and_skips_unknown_sections),
    cmocka_unit_test(scrt_period_strings_are_checked),
    cmocka_unit_test(scrt_bad_msus_are_reported_at_their_cell),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
