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

static char tmp[64];

static void write_tmp(const char *bytes, size_t n)
{
  strcpy(tmp, "/tmp/lb-scrt-XXXXXX");
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

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(csv_rows_end_at_a_lone_cr_as_at_an_lf),
    cmocka_unit_test(a_crlf_split_between_two_read_blocks_ends_one_line),
    cmocka_unit_test(a_tab_separated_file_is_detected_and_keeps_its_columns),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
