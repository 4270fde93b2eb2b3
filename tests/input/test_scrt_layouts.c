/* test_scrt_layouts.c - SCRT reports as customers really send them (tests/data/scrt/), and their errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "input/csvfile.h"
#include "input/scrt.h"
#include "tests/support/e2e.h"

static char tmp[256];

static void write_tmp(const char *bytes, size_t n)
{
  snprintf(tmp, sizeof(tmp), "%s/lb-scrt-XXXXXX", e2e_tmpdir());
  int fd = mkstemp(tmp);
  assert_true(fd >= 0);
  assert_int_equal(write(fd, bytes, n), (ssize_t)n);
  close(fd);
}

/* Open tmp with separator detection, as the SCRT reader does. */
static csvf *open_detect(diag_list *d)
{
  csvf_opts o = {.delim = 0, .latin1_fallback = 1, .start = 0, .end = -1, .first_line = 1};
  csvf *f = NULL;
  assert_int_equal(csvf_open(&f, tmp, &o, d), LB_OK);
  return f;
}

static void csv_rows_end_at_a_lone_cr_as_at_an_lf(void **state)
{
  (void)state;
  const char text[] = "\"a\",\"b\"\r\"c\",\"multi\rline\"\r\rlast,x";
  diag_list d;
  const csv_row *r;
  long line, col;
  diag_init(&d);
  write_tmp(text, sizeof(text) - 1);
  csvf *f = open_detect(&d);
  assert_int_equal(csvf_next(f, &r, &d), 1);
  assert_int_equal(r->nfields, 2);
  assert_int_equal(r->line, 1);
  assert_string_equal(r->fields[1], "b");
  assert_int_equal(csvf_next(f, &r, &d), 1);
  assert_int_equal(r->line, 2);
  assert_int_equal(r->nfields, 2);
  assert_string_equal(r->fields[1], "multi\rline");
  assert_int_equal(csvf_next(f, &r, &d), 1);
  assert_int_equal(r->line, 5); /* the quoted CR ends line 3, line 4 is blank */
  csvf_pos(f, 1, &line, &col);
  assert_int_equal(line, 5);
  assert_int_equal(col, 6);
  assert_int_equal(csvf_next(f, &r, &d), 0);
  assert_int_equal(d.n, 0);
  csvf_close(f);
  unlink(tmp);
}

static void a_crlf_split_between_two_read_blocks_ends_one_line(void **state)
{
  (void)state;
  /* csvfile reads 64 KiB blocks: put the CR of a CR LF on the last byte of the first */
  size_t n = 64 * 1024 + 16;
  char *text = malloc(n);
  diag_list d;
  const csv_row *r;
  assert_non_null(text);
  memset(text, 'x', n);
  text[0] = 'a';
  text[1] = ',';
  text[64 * 1024 - 1] = '\r';
  text[64 * 1024] = '\n';
  memcpy(text + 64 * 1024 + 1, "next,row\r\nend,", 14);
  text[n - 1] = 'z';
  diag_init(&d);
  write_tmp(text, n);
  free(text);
  csvf *f = open_detect(&d);
  assert_int_equal(csvf_next(f, &r, &d), 1);
  assert_int_equal(r->nfields, 2);
  assert_int_equal(csvf_next(f, &r, &d), 1);
  assert_int_equal(r->line, 2);
  assert_string_equal(r->fields[0], "next");
  assert_int_equal(csvf_next(f, &r, &d), 1);
  assert_int_equal(r->line, 3);
  assert_int_equal(csvf_next(f, &r, &d), 0);
  csvf_close(f);
  unlink(tmp);
}

static void a_tab_separated_file_is_detected_and_keeps_its_columns(void **state)
{
  (void)state;
  const char text[] = "\"==B5===\"\nCustomer Name\tAcme, Inc.\t\t\nkey\t\"quoted\tvalue\"\tlast\n";
  diag_list d;
  const csv_row *r;
  long line, col;
  diag_init(&d);
  write_tmp(text, sizeof(text) - 1);
  csvf *f = open_detect(&d);
  assert_int_equal(csvf_delim(f), '\t');
  assert_int_equal(csvf_next(f, &r, &d), 1);
  assert_int_equal(csvf_next(f, &r, &d), 1);
  assert_int_equal(r->nfields, 4);
  assert_string_equal(r->fields[1], "Acme, Inc.");
  assert_int_equal(csvf_next(f, &r, &d), 1);
  assert_string_equal(r->fields[1], "quoted\tvalue");
  csvf_pos(f, 2, &line, &col);
  assert_int_equal(col, 20);
  csvf_close(f);
  unlink(tmp);
}

#define DATA "tests/data/scrt/"

static scrt_report *read_ok(const char *path)
{
  scrt_report *r = NULL;
  diag_list d;
  diag_init(&d);
  int rc = scrt_read(&r, path, 0, &d);
  if(rc)
    diag_print(&d, stderr);
  assert_int_equal(rc, LB_OK);
  assert_int_equal(d.n, 0);
  assert_non_null(r);
  diag_clear(&d);
  return r;
}

static void expect_product(const scrt_report *r, size_t i, const char *id, enum scrt_table table, int64_t tool,
                           int64_t customer)
{
  assert_true(i < r->nproducts);
  const scrt_product *p = &r->products[i];
  assert_string_equal(p->product_id, id);
  assert_int_equal(p->table, table);
  assert_int_equal(p->is_units, table == SCRT_TABLE_UNITS);
  assert_int_equal(p->tool_msu, tool);
  assert_int_equal(p->customer_msu, customer);
}

static void expect_period(const scrt_report *r)
{
  assert_int_equal(r->period_start, date_from_ymd(2026, 9, 2));
  assert_int_equal(r->period_end, date_from_ymd(2026, 10, 1));
  assert_int_equal(r->period_days, 30);
}

static void expect_lpar(const scrt_report *r, size_t i, const char *name, int64_t msu, int64_t msu2)
{
  assert_true(i < r->nlpars);
  assert_string_equal(r->lpars[i].name, name);
  assert_int_equal(r->lpars[i].msu, msu);
  assert_int_equal(r->lpars[i].msu2, msu2);
}

/* The facts of a_e5_real.csv, which b, c, d, g and h carry in other forms. */
static void expect_real_layout(const scrt_report *r, const char *serial)
{
  assert_string_equal(r->serial, serial);
  assert_int_equal(r->multiplex, 0);
  assert_int_equal(r->nmachines, 1);
  assert_string_equal(r->type_model, "3931-609");
  assert_int_equal(r->rated_msu, 1200);
  assert_string_equal(r->customer_name, "M\xC3\xBCller Versicherung AG");
  expect_period(r);
  assert_string_equal(r->tool_release, "30.1.2");
  assert_int_equal(r->period_line, 15 + (r->delim == ';' && r->latin1)); /* the Excel re-save has a sep= line */
  assert_true(r->c5_line > 0 && r->c5_line < r->period_line);
  assert_int_equal(r->nproducts, 5);
  expect_product(r, 0, "5650-ZOS", SCRT_TABLE_MLC, 412, -1);
  expect_product(r, 1, "5655-YA1", SCRT_TABLE_MLC, 240, -1);
  expect_product(r, 2, "5698-DB2", SCRT_TABLE_MLC, 190, 150);
  expect_product(r, 3, "5655-FA6", SCRT_TABLE_IPLA, 300, -1);
  expect_product(r, 4, "5655-HZ1", SCRT_TABLE_UNITS, 1, -1);
  assert_string_equal(r->products[4].footnotes, "(n2)");
  assert_non_null(strstr(r->products[2].comment, "unaway test workload in SYSB excluded"));
  assert_int_equal(r->zos_unreduced_msu, 430);
  assert_null(scrt_find_product(r, "(All)"));
  assert_null(scrt_find_product(r, "5655-HZ1")); /* units, not MSUs */
  assert_int_equal(scrt_find_product(r, "5655-FA6")->tool_msu, 300);
  assert_int_equal(r->nlpars, 2);
  expect_lpar(r, 0, "SYSA", 300, 288);
  expect_lpar(r, 1, "SYSB", 140, 133);
  assert_int_equal(r->cpc_msu, 412);
  assert_int_equal(r->cpc_msu2, 398);
}

static void the_e5_layout_has_mlc_ipla_and_non_msu_tables_and_a_zos_unreduced_total(void **state)
{
  (void)state;
  scrt_report *r = read_ok(DATA "a_e5_real.csv");
  expect_real_layout(r, "82-E5A01");
  assert_int_equal(r->serial_line, 4);
  assert_int_equal(r->serial_col, 25);
  assert_int_equal(r->e5_line, 19);
  assert_int_equal(r->n5_line, 40);
  assert_int_equal(r->zos_unreduced_line, 30);
  assert_int_equal(r->zos_unreduced_col, 26);
  assert_int_equal(r->products[0].line, 24);
  assert_int_equal(r->products[0].tool_col, 22);
  assert_string_equal(r->lpars[0].when, "14 Sep 2026 - 10:00");
  assert_string_equal(r->lpars[0].when2, "22 Sep 2026 - 11:00");
  assert_int_equal(r->lpars[0].line, 45);
  assert_int_equal(r->lpars[0].col, 8);
  assert_int_equal(r->delim, ',');
  scrt_free(r);
}

static void an_excel_resave_with_semicolons_no_quotes_and_padding_reads_the_same(void **state)
{
  (void)state;
  scrt_report *r = read_ok(DATA "b_excel_resave.csv");
  expect_real_layout(r, "82-E5B02");
  assert_int_equal(r->delim, ';');
  assert_true(r->latin1);
  assert_string_equal(r->lpars[1].when, "21/09/2026 11:00"); /* as Excel re-wrote it */
  assert_int_equal(r->products[0].line, 25);
  assert_int_equal(r->products[0].tool_col, 18);
  scrt_free(r);
}

static void single_quoted_values_are_unwrapped(void **state)
{
  (void)state;
  scrt_report *r = read_ok(DATA "c_single_quotes.csv");
  expect_real_layout(r, "82-E5C03");
  assert_string_equal(r->customer_number, "C1001");
  assert_string_equal(r->products[2].comment, "Customer's runaway test workload in SYSB excluded");
  assert_string_equal(r->type_model, "3931-609"); /* not the remark beside it */
  scrt_free(r);
}

static void lines_packed_into_one_field_are_re_split_with_their_physical_columns(void **state)
{
  (void)state;
  scrt_report *r = read_ok(DATA "d_packed_lines.csv");
  expect_real_layout(r, "82-E5D04");
  assert_true(r->packed);
  /* """Machine Serial Number"",""82-E5D04""": the inner cell opens at the doubled quote in column 28 */
  assert_int_equal(r->serial_line, 4);
  assert_int_equal(r->serial_col, 28);
  /* """z/OS V3"",""5650-ZOS"",412,...: the bare 412 is in column 27 */
  assert_int_equal(r->products[0].tool_col, 27);
  assert_int_equal(r->zos_unreduced_col, 31);
  scrt_free(r);
}

static void an_older_release_is_read_by_its_section_titles_with_the_period_in_tool_information(void **state)
{
  (void)state;
  scrt_report *r = read_ok(DATA "e_c5_titles_only.csv");
  assert_string_equal(r->serial, "82-E5E05");
  assert_int_equal(r->rated_msu, 600);
  expect_period(r);
  assert_int_equal(r->c5_line, 9);
  assert_int_equal(r->period_line, 10);
  assert_string_equal(r->tool_release, "24.10.0");
  assert_int_equal(r->e5_line, 14);
  assert_int_equal(r->n5_line, 19);
  assert_int_equal(r->nproducts, 2); /* PRODUCT MAX CONTRIBUTORS rows are no products */
  expect_product(r, 0, "5650-ZOS", SCRT_TABLE_MLC, 280, -1);
  expect_product(r, 1, "5655-Y04", SCRT_TABLE_MLC, 150, -1);
  assert_int_equal(r->zos_unreduced_msu, -1);
  assert_int_equal(r->nlpars, 2);
  expect_lpar(r, 0, "ZRH1", 180, -1);
  expect_lpar(r, 1, "ZRH2", 120, -1);
  assert_string_equal(r->lpars[1].when, "19 Sep 2026 - 10:00");
  assert_int_equal(r->cpc_msu, 280);
  assert_int_equal(r->cpc_line, 23);
  scrt_free(r);
}

static void n5_gives_both_peaks_and_n7_p5_q5_h4_are_skipped(void **state)
{
  (void)state;
  scrt_report *r = read_ok(DATA "f_n5_p5_n7.csv");
  assert_string_equal(r->serial, "82-E5F06");
  assert_int_equal(r->rated_msu, 900);
  expect_period(r);
  assert_int_equal(r->nproducts, 5); /* P5 and Q5 have Product Name/ID headers too */
  expect_product(r, 1, "5655-YA1", SCRT_TABLE_MLC, 240, -1);
  assert_int_equal(r->nlpars, 3); /* N7's usage rows are no peaks */
  expect_lpar(r, 0, "SYSA", 300, 288);
  expect_lpar(r, 1, "ZNAL1", 60, 58);
  expect_lpar(r, 2, "SYSB", 140, -1); /* no second peak */
  assert_string_equal(r->lpars[2].when2, "");
  assert_string_equal(r->lpars[1].when2, "29 Sep 2026 - 14:00");
  assert_int_equal(r->cpc_msu, 412); /* not N7's CPC row */
  assert_int_equal(r->cpc_msu2, 398);
  assert_int_equal(r->cpc_line, 48);
  scrt_free(r);
}

static void a_txt_file_and_an_upper_case_csv_name_read_alike(void **state)
{
  (void)state;
  scrt_report *r = read_ok(DATA "g_text_file.txt");
  expect_real_layout(r, "82-E5G07");
  scrt_free(r);
  r = read_ok(DATA "g_upper_case.CSV");
  expect_real_layout(r, "82-E5G08");
  scrt_free(r);
}

static void a_tab_separated_report_reads_alike(void **state)
{
  (void)state;
  scrt_report *r = read_ok(DATA "h_tab_separated.txt");
  expect_real_layout(r, "82-E5H09");
  assert_int_equal(r->delim, '\t');
  assert_int_equal(r->products[0].tool_col, 18);
  scrt_free(r);
}

static void a_report_with_cr_only_line_ends_keeps_its_line_numbers(void **state)
{
  (void)state;
  scrt_report *r = read_ok(DATA "h_cr_only.csv");
  expect_real_layout(r, "82-E5H10");
  assert_int_equal(r->products[2].line, 26);
  assert_int_equal(r->cpc_line, 47);
  scrt_free(r);
}

static void a_multiplex_report_names_every_machine_and_bills_none(void **state)
{
  (void)state;
  scrt_report *r = NULL;
  diag_list d;
  static const char *serials[] = {"82-E5I11", "82-E5I12", "0A-E5I13"};
  static const long cols[] = {37, 48, 59};
  char want[512];
  diag_init(&d);
  assert_int_equal(scrt_read(&r, DATA "i_multiplex.csv", 0, &d), LB_EINPUT);
  assert_non_null(r);
  assert_true(r->multiplex);
  assert_string_equal(r->serial, "");
  assert_int_equal(r->nmachines, 3);
  assert_int_equal(d.n, 3);
  for(size_t i = 0; i < 3; i++) {
    assert_string_equal(r->machines[i].serial, serials[i]);
    assert_int_equal(r->machines[i].line, 11);
    assert_int_equal(r->machines[i].col, cols[i]);
    assert_int_equal(d.v[i].line, 11);
    assert_int_equal(d.v[i].col, cols[i]);
    snprintf(want, sizeof(want), "machine %s is one of 3 machines this report lists (82-E5I11, 82-E5I12, "
             "0A-E5I13): a multiplex report gives no product MSUs per machine, expected a single-machine "
             "Sub-Capacity Report for each machine", serials[i]);
    assert_string_equal(d.v[i].message, want);
  }
  assert_string_equal(r->machines[0].id, "M1C1");
  assert_string_equal(r->machines[2].type_model, "8562-GT2");
  assert_int_equal(r->machines[1].rated_msu, 900);
  expect_period(r);
  scrt_free(r);
  diag_clear(&d);
  /* the header-only scan that indexes the scrt folder sees the same */
  assert_int_equal(scrt_read(&r, DATA "i_multiplex.csv", 1, &d), LB_EINPUT);
  assert_non_null(r);
  assert_int_equal(r->nmachines, 3);
  assert_int_equal(d.n, 3);
  scrt_free(r);
  diag_clear(&d);
}

static void our_own_earlier_layout_still_reads(void **state)
{
  (void)state;
  scrt_report *r = read_ok(DATA "j_old_layout.csv");
  assert_string_equal(r->serial, "82-E5J14");
  expect_period(r);
  assert_string_equal(r->tool_release, "29.1.0");
  assert_int_equal(r->nproducts, 5);
  expect_product(r, 0, "5650-ZOS", SCRT_TABLE_MSU, 412, -1);
  expect_product(r, 2, "5698-DB2", SCRT_TABLE_MSU, 190, 150);
  expect_product(r, 3, "5650-ZDS", SCRT_TABLE_MSU, 412, -1);
  expect_product(r, 4, "5655-AV9", SCRT_TABLE_UNITS, 12, -1);
  assert_int_equal(r->zos_unreduced_msu, -1);
  expect_lpar(r, 0, "SYSA", 300, -1);
  expect_lpar(r, 1, "SYSB", 140, -1);
  assert_string_equal(r->lpars[1].when, "21 Sep, 2026 11:00");
  assert_int_equal(r->cpc_msu, 412);
  assert_int_equal(r->cpc_msu2, -1);
  scrt_free(r);
}

static void a_header_only_read_stops_at_e5_with_the_facts(void **state)
{
  (void)state;
  scrt_report *r = NULL;
  diag_list d;
  diag_init(&d);
  assert_int_equal(scrt_read(&r, DATA "d_packed_lines.csv", 1, &d), LB_OK);
  assert_string_equal(r->serial, "82-E5D04");
  expect_period(r);
  assert_int_equal(r->e5_line, 19);
  assert_int_equal(r->nproducts, 0);
  scrt_free(r);
  assert_int_equal(scrt_read(&r, DATA "e_c5_titles_only.csv", 1, &d), LB_OK);
  assert_string_equal(r->serial, "82-E5E05");
  expect_period(r); /* TOOL INFORMATION comes before the product section */
  scrt_free(r);
  assert_int_equal(d.n, 0);
}

/* Read a report that must fail; its diagnostics stay in d. */
static void read_bad(const char *path, diag_list *d)
{
  scrt_report *r = (scrt_report *)1;
  diag_init(d);
  assert_int_equal(scrt_read(&r, path, 0, d), LB_EINPUT);
  assert_null(r);
}

static void expect_diag(const diag_list *d, size_t i, long line, long col, const char *message)
{
  assert_true(i < d->n);
  assert_int_equal(d->v[i].line, line);
  assert_int_equal(d->v[i].col, col);
  assert_string_equal(d->v[i].message, message);
}

/* Reading the report at path gives exactly one error, at line:col, with this message. */
static void expect_only_error(const char *path, long line, long col, const char *message)
{
  diag_list d;
  read_bad(path, &d);
  assert_int_equal(d.n, 1);
  expect_diag(&d, 0, line, col, message);
  diag_clear(&d);
}

static void an_e5_section_without_a_product_table_is_an_error(void **state)
{
  (void)state;
  diag_list d;
  read_bad(DATA "bad_e5_without_product_table.csv", &d);
  assert_int_equal(d.n, 2);
  expect_diag(&d, 0, 21, 1, "row with values in section E5 before any product table header, expected a header row "
              "('... Product Name', '... Product ID', 'Tool MSUs', ...) above it");
  expect_diag(&d, 1, 19, 1, "section E5 PRODUCT SUMMARY INFORMATION has no product table, expected a header row "
              "naming '... Product Name', '... Product ID' and 'Tool MSUs' columns (with or without an MLC or IPLA "
              "prefix)");
  diag_clear(&d);
}

static void product_tables_with_only_the_zos_unreduced_total_are_an_error(void **state)
{
  (void)state;
  expect_only_error(DATA "bad_e5_without_product_rows.csv", 22, 1,
                    "the product tables of section E5 have no product rows (only the 'z/OS Unreduced' "
                    "total), expected at least one row with a Product ID and Tool MSUs");
}

static void all_is_no_product_id_on_any_other_row(void **state)
{
  (void)state;
  expect_only_error(DATA "bad_all_on_another_row.csv", 23, 17,
                    "'(All)' is not a product id (row 'Db2 Unreduced'), expected a product id like "
                    "5655-YA1; only the 'z/OS Unreduced' row carries '(All)'");
}

static void a_product_header_without_a_tool_column_is_an_error(void **state)
{
  (void)state;
  expect_only_error(DATA "bad_header_without_tool_column.csv", 21, 1,
                    "product table header has no 'Tool MSUs' or 'Tool Units' column, expected the E5 "
                    "PRODUCT SUMMARY layout ('... Product Name', '... Product ID', 'Tool MSUs', 'Customer MSUs', ...)");
}

static void a_long_field_is_quoted_to_80_characters_with_its_length(void **state)
{
  (void)state;
  expect_only_error(DATA "bad_tool_msus_long_text.csv", 22, 22,
                    "Tool MSUs 'four hundred and twelve MSUs, as agreed with the account team in the "
                    "meeting of ...' (92 characters) for 5650-ZOS is not a whole number, expected MSUs as digits, 0 or "
                    "more");
}

static void a_bad_second_highest_peak_is_reported_at_its_cell(void **state)
{
  (void)state;
  expect_only_error(DATA "bad_second_highest.csv", 46, 40,
                    "LPAR 'SYSB': second-highest '13x' is not a whole number of MSUs, expected digits or "
                    "an empty cell");
}

static void two_reports_in_one_file_are_a_multiplex_listing(void **state)
{
  (void)state;
  scrt_report *r = NULL;
  diag_list d;
  diag_init(&d);
  assert_int_equal(scrt_read(&r, DATA "bad_two_reports_in_one_file.csv", 0, &d), LB_EINPUT);
  assert_non_null(r);
  assert_true(r->multiplex);
  assert_int_equal(d.n, 2);
  expect_diag(&d, 0, 4, 25, "machine 82-E5X03 is one of 2 machines this report lists (82-E5X03, 82-E5X04): a "
              "multiplex report gives no product MSUs per machine, expected a single-machine Sub-Capacity Report "
              "for each machine");
  assert_int_equal(d.v[1].line, 51);
  scrt_free(r);
  diag_clear(&d);
}

static void a_second_differing_zos_unreduced_figure_is_an_error(void **state)
{
  (void)state;
  const char text[] = "\"==B5===\"\n\"Machine Serial Number\",\"82-E5X05\"\n"
                      "\"Reporting Period\",\"2 Sep, 2026 - 1 Oct, 2026 inclusive (30 days)\"\n\"==E5===\"\n"
                      "\"MLC Product Name\",\"MLC Product ID\",\"Tool MSUs\",\"Customer MSUs\"\n"
                      "\"z/OS Unreduced\",\"(All)\",430\n\"z/OS V3\",\"5650-ZOS\",412,\"\"\n"
                      "\"IPLA Product Name\",\"IPLA Product ID\",\"Tool MSUs\",\"Customer MSUs\"\n"
                      "\"z/OS Unreduced\",\"(All)\",431\n";
  diag_list d;
  write_tmp(text, sizeof(text) - 1);
  read_bad(tmp, &d);
  assert_int_equal(d.n, 1);
  expect_diag(&d, 0, 9, 26, "a second 'z/OS Unreduced' row with 431 MSUs (the one at line 6 has 430), expected one "
              "figure per report");
  diag_clear(&d);
  unlink(tmp);
}

static void a_footnote_split_by_an_unquoted_comma_is_still_a_footnote(void **state)
{
  (void)state;
  const char text[] = "==B5====\nMachine Serial Number,82-E5X06,,,,\n"
                      "Reporting Period,\"2 Sep, 2026 - 1 Oct, 2026 inclusive (30 days)\",,,,\n==E5====,,,,,\n"
                      "IPLA Product Name,IPLA Product ID,Tool MSUs,Customer MSUs,"
                      "Customer Comments (255 chars max),Footnotes\n"
                      "IBM Fault Analyzer for z/OS V16,5655-FA6,300,,,(n1)\n"
                      "Footnotes:,,,,,\n(n1) Product ran in SYSA, SYSB and SYSC,,,,\n";
  write_tmp(text, sizeof(text) - 1);
  scrt_report *r = read_ok(tmp);
  assert_int_equal(r->nproducts, 1);
  expect_product(r, 0, "5655-FA6", SCRT_TABLE_IPLA, 300, -1);
  assert_string_equal(r->products[0].footnotes, "(n1)");
  scrt_free(r);
  unlink(tmp);
}

static void a_second_e5_section_for_the_same_machine_is_an_error(void **state)
{
  (void)state;
  const char text[] = "\"==B5===\"\n\"Machine Serial Number\",\"82-E5X07\"\n"
                      "\"Reporting Period\",\"2 Sep, 2026 - 1 Oct, 2026 inclusive (30 days)\"\n\"==E5===\"\n"
                      "\"MLC Product Name\",\"MLC Product ID\",\"Tool MSUs\",\"Customer MSUs\"\n"
                      "\"z/OS V3\",\"5650-ZOS\",412,\"\"\n\"==E5===\"\n"
                      "\"MLC Product Name\",\"MLC Product ID\",\"Tool MSUs\",\"Customer MSUs\"\n"
                      "\"z/OS V3\",\"5650-ZOS\",300,\"\"\n";
  diag_list d;
  write_tmp(text, sizeof(text) - 1);
  read_bad(tmp, &d);
  assert_int_equal(d.n, 1);
  expect_diag(&d, 0, 7, 1, "a second E5 PRODUCT SUMMARY INFORMATION section (the first is at line 4), expected one "
              "report per file");
  diag_clear(&d);
  unlink(tmp);
}

/* regression (found by make fuzz, scrt): a cell after a quoted cell holding a line break was reported on the
 * row's first line, at its column on a later line (past the end of the first) */
static void a_cell_after_a_line_break_in_a_quoted_cell_is_reported_on_its_own_line(void **state)
{
  (void)state;
  /* line 6 opens the comment, line 7: "two\"," is 5 characters, the Tool MSUs cell at 6 */
  const char text[] = "\"==B5===\"\n\"Machine Serial Number\",\"82-E5X07\"\n"
                      "\"Reporting Period\",\"2 Sep, 2026 - 1 Oct, 2026 inclusive (30 days)\"\n\"==E5===\"\n"
                      "\"Product Name\",\"Product ID\",\"Customer Comment\",\"Tool MSUs\"\n"
                      "\"z/OS V3\",\"5650-ZOS\",\"one\ntwo\",\"abc\"\n";
  /* the same lines packed into one field each; line 7: two 1-3, "" 4-5, ',' 6: the cell's quotes at 7 */
  const char packed[] = "\"\"\"==B5===\"\"\"\n\"\"\"Machine Serial Number\"\",\"\"82-E5X07\"\"\"\n"
                        "\"\"\"Reporting Period\"\",\"\"2 Sep, 2026 - 1 Oct, 2026 inclusive (30 days)\"\"\"\n"
                        "\"\"\"==E5===\"\"\"\n"
                        "\"\"\"Product Name\"\",\"\"Product ID\"\",\"\"Customer Comment\"\",\"\"Tool MSUs\"\"\"\n"
                        "\"\"\"z/OS V3\"\",\"\"5650-ZOS\"\",\"\"one\ntwo\"\",\"\"abc\"\"\"\n";
  diag_list d;
  write_tmp(text, sizeof(text) - 1);
  read_bad(tmp, &d);
  assert_int_equal(d.n, 1);
  expect_diag(&d, 0, 7, 6, "Tool MSUs 'abc' for 5650-ZOS is not a whole number, expected MSUs as digits, 0 or more");
  diag_clear(&d);
  unlink(tmp);
  write_tmp(packed, sizeof(packed) - 1);
  read_bad(tmp, &d);
  assert_int_equal(d.n, 1);
  expect_diag(&d, 0, 7, 7, "Tool MSUs 'abc' for 5650-ZOS is not a whole number, expected MSUs as digits, 0 or more");
  diag_clear(&d);
  unlink(tmp);
}

/* regression (found by make fuzz, scrt: a SEGV): an E5 row whose one filled cell began with a NUL byte
 * was counted filled but read empty, and the search for its filled cell ran past the end of the row */
static void a_nul_byte_is_reported_once_at_its_cell_and_never_read_past(void **state)
{
  (void)state;
  const char text[] = "\"==B5===\"\n\"Machine Serial Number\",\"82-E5X07\"\n"
                      "\"Reporting Period\",\"2 Sep, 2026 - 1 Oct, 2026 inclusive (30 days)\"\n\"==E5===\"\n"
                      "\"Product Name\",\"Product ID\",\"Tool MSUs\"\n\"z/OS V3\",\"5650-ZOS\",412\n"
                      "\0\0,,\n\"CICS\",\"5655-YA1\",2\0\n";
  diag_list d;
  write_tmp(text, sizeof(text) - 1);
  read_bad(tmp, &d);
  assert_int_equal(d.n, 1); /* the second NUL, on line 8, is not reported again */
  expect_diag(&d, 0, 7, 1, "NUL byte at byte 1 of the cell, expected a text file in UTF-8 or ISO-8859-1 (not UTF-16)");
  diag_clear(&d);
  unlink(tmp);
}

/* regression (found by make fuzz, scrt: "a report read without error names no machine"): a machine matrix
 * whose 'Machine identifier' row was not followed by a 'Machine Serial Number' row was read, header only, as
 * the report of a machine with no serial */
static void a_machine_matrix_without_a_serial_row_is_an_error(void **state)
{
  (void)state;
  const char text[] = "\"==B5===\"\n\"Machine identifier\",\"\",\"M1C1\"\n\"Customer Number\",\"\",\"C1003\"\n\"\"\n"
                      "\"Reporting Period\",\"2 Sep, 2026 - 1 Oct, 2026 inclusive (30 days)\"\n\"==E5===\"\n"
                      "\"Product Name\",\"Product ID\",\"Tool MSUs\"\n\"z/OS V3\",\"5650-ZOS\",412\n";
  const char *message = "machine M1C1 has no 'Machine Serial Number' row, expected one among the rows that follow "
                        "the 'Machine identifier' row";
  write_tmp(text, sizeof(text) - 1);
  for(int header_only = 0; header_only < 2; header_only++) {
    scrt_report *r = (scrt_report *)1;
    diag_list d;
    diag_init(&d);
    assert_int_equal(scrt_read(&r, tmp, header_only, &d), LB_EINPUT);
    assert_null(r);
    assert_int_equal(d.n, 1);
    expect_diag(&d, 0, 2, 25, message);
    diag_clear(&d);
  }
  unlink(tmp);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(csv_rows_end_at_a_lone_cr_as_at_an_lf),
    cmocka_unit_test(a_crlf_split_between_two_read_blocks_ends_one_line),
    cmocka_unit_test(a_tab_separated_file_is_detected_and_keeps_its_columns),
    cmocka_unit_test(the_e5_layout_has_mlc_ipla_and_non_msu_tables_and_a_zos_unreduced_total),
    cmocka_unit_test(an_excel_resave_with_semicolons_no_quotes_and_padding_reads_the_same),
    cmocka_unit_test(single_quoted_values_are_unwrapped),
    cmocka_unit_test(lines_packed_into_one_field_are_re_split_with_their_physical_columns),
    cmocka_unit_test(an_older_release_is_read_by_its_section_titles_with_the_period_in_tool_information),
    cmocka_unit_test(n5_gives_both_peaks_and_n7_p5_q5_h4_are_skipped),
    cmocka_unit_test(a_txt_file_and_an_upper_case_csv_name_read_alike),
    cmocka_unit_test(a_tab_separated_report_reads_alike),
    cmocka_unit_test(a_report_with_cr_only_line_ends_keeps_its_line_numbers),
    cmocka_unit_test(a_multiplex_report_names_every_machine_and_bills_none),
    cmocka_unit_test(our_own_earlier_layout_still_reads),
    cmocka_unit_test(a_header_only_read_stops_at_e5_with_the_facts),
    cmocka_unit_test(an_e5_section_without_a_product_table_is_an_error),
    cmocka_unit_test(product_tables_with_only_the_zos_unreduced_total_are_an_error),
    cmocka_unit_test(all_is_no_product_id_on_any_other_row),
    cmocka_unit_test(a_product_header_without_a_tool_column_is_an_error),
    cmocka_unit_test(a_long_field_is_quoted_to_80_characters_with_its_length),
    cmocka_unit_test(a_bad_second_highest_peak_is_reported_at_its_cell),
    cmocka_unit_test(two_reports_in_one_file_are_a_multiplex_listing),
    cmocka_unit_test(a_second_differing_zos_unreduced_figure_is_an_error),
    cmocka_unit_test(a_footnote_split_by_an_unquoted_comma_is_still_a_footnote),
    cmocka_unit_test(a_second_e5_section_for_the_same_machine_is_an_error),
    cmocka_unit_test(a_cell_after_a_line_break_in_a_quoted_cell_is_reported_on_its_own_line),
    cmocka_unit_test(a_nul_byte_is_reported_once_at_its_cell_and_never_read_past),
    cmocka_unit_test(a_machine_matrix_without_a_serial_row_is_an_error),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
