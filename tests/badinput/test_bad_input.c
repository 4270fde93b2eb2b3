/* test_bad_input.c - one broken thing per case in a copy of the sample: exit code, exact FILE:LINE:COLUMN, errors.csv, who is billed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "input/csvfile.h"
#include "core/diag.h"
#include "tests/support/e2e.h"

/* Which half of the cases this program runs (0: even, 1: odd); test_bad_input_b.c sets 1. */
#ifndef BAD_INPUT_HALF
#define BAD_INPUT_HALF 0
#endif

/* Every case runs `licbill check` and `licbill run` on its own copy of
 * sample/ (tests run from the repo root), with the copy at DIR/in and the
 * output at DIR/out, from DIR: licbill prints files as "in/NAME". Expected
 * columns were counted by hand in the bytes each case writes; the count is
 * spelled out next to each one, so that an off-by-one shows twice. */

#define SAMPLE "sample"
#define DATA "tests/data/bad"
#define MONTH "2026-11"

static const char *const customers[] = {"C1001", "C1002", "C1003", "C1004", "C1005", "C1006", "C1007", "C1008",
                                         "C1009", "C1010", "C1011", "C1012", "C1013", "C1014", "C1015", "C1016", "C1017"};
#define NCUSTOMERS (sizeof(customers) / sizeof(customers[0]))

typedef struct fx {
  char *root;      /* scratch folder of the case */
  char *in;        /* root/in: the input set, broken by the case */
  e2e_result r;    /* the last run, stderr without the notices */
  char *notices;   /* the notice lines of the last run's stderr */
  int full;        /* make test runs this case through `licbill run` too (F() in main) */
  void *owned[64]; /* freed by teardown, so that a failed assertion leaks nothing */
  int nowned;
} fx;

/* One expected error: how licbill prints it and writes it to errors.csv. */
typedef struct want {
  const char *file;     /* as printed: "in/licenses.csv" */
  long line, col;       /* 0 = not given (a whole file or a whole line) */
  const char *customer; /* customer_id in errors.csv; NULL = nobody's */
  const char *message;
} want;

/* ---- fixture -------------------------------------------------------------- */

/* p is freed with the fixture; returns p (asserted non-NULL). */
static void *own(fx *f, void *p)
{
  assert_non_null(p);
  assert_true(f->nowned < (int)(sizeof(f->owned) / sizeof(f->owned[0])));
  f->owned[f->nowned++] = p;
  return p;
}

static int setup(void **state)
{
  fx *f = calloc(1, sizeof(*f));
  if(!f)
    return -1;
  f->root = e2e_mkdtemp("badinput");
  f->in = f->root ? e2e_path(f->root, "in") : NULL;
  if(!f->in || e2e_copy_tree(SAMPLE, f->in)) {
    fprintf(stderr, "cannot copy %s/ into a scratch folder (run from the repo root)\n", SAMPLE);
    e2e_rm_tree(f->root);
    free(f->in);
    free(f->root);
    free(f);
    return -1;
  }
  *state = f;
  return 0;
}

/* setup() for a case make test also runs through `licbill run` */
static int setup_full(void **state)
{
  int rc = setup(state);
  if(!rc)
    ((fx *)*state)->full = 1;
  return rc;
}

static int teardown(void **state)
{
  fx *f = *state;
  e2e_rm_tree(f->root);
  e2e_result_clear(&f->r);
  free(f->notices);
  for(int i = 0; i < f->nowned; i++)
    free(f->owned[i]);
  free(f->in);
  free(f->root);
  free(f);
  return 0;
}

/* ---- breaking one thing --------------------------------------------------- */

/* Replace the one occurrence of `from` in in/REL with `to`. */
static void patch(fx *f, const char *rel, const char *from, const char *to)
{
  if(e2e_patch_file(own(f, e2e_path(f->in, rel)), from, to))
    fail_msg("patch of %s: '%s' does not occur exactly once", rel, from);
}

/* Delete the lines of in/REL starting with `prefix`; exactly n must go. */
static void delete_lines(fx *f, const char *rel, const char *prefix, int n)
{
  assert_int_equal(e2e_delete_lines(own(f, e2e_path(f->in, rel)), prefix), n);
}

/* patch() for bytes a C string cannot hold (a NUL): `from` must occur exactly once. */
static void patch_bytes(fx *f, const char *rel, const char *from, const char *to, size_t tolen)
{
  char *path = own(f, e2e_path(f->in, rel));
  size_t len, flen = strlen(from);
  char *data = own(f, e2e_read_file(path, &len));
  char *at = memmem(data, len, from, flen);
  assert_non_null(at);
  assert_null(memmem(at + 1, len - (size_t)(at - data) - 1, from, flen));
  char *out = own(f, malloc(len - flen + tolen + 1));
  size_t head = (size_t)(at - data);
  memcpy(out, data, head);
  memcpy(out + head, to, tolen);
  memcpy(out + head + tolen, at + flen, len - head - flen);
  assert_int_equal(e2e_write_file(path, out, len - flen + tolen), 0);
}

static void append(fx *f, const char *rel, const char *text)
{
  assert_int_equal(e2e_append_file(own(f, e2e_path(f->in, rel)), text, strlen(text)), 0);
}

/* Put tests/data/bad/NAME into the input set as REL (overwriting). */
static void put_data(fx *f, const char *name, const char *rel)
{
  char *src = own(f, e2e_path(DATA, name)), *dst = own(f, e2e_path(f->in, rel));
  size_t len;
  char *data = e2e_read_file(src, &len);
  if(!data)
    fail_msg("cannot read %s", src);
  own(f, data);
  assert_int_equal(e2e_write_file(dst, data, len), 0);
}

/* ---- running and checking ------------------------------------------------- */

/* The sample's notices (README "notices.csv"): one per customer here, printed
 * whenever that customer is invoiced, whatever a case breaks elsewhere. */
static const struct {
  const char *customer, *text;
} sample_notices[] = {
  {"C1002", "machine 51-A1B2C billed at full capacity (R-T2): SCRT report received 2026-10-12, after the due date "
            "2026-10-09, without an extension; subtotal 28852.50 CAD, 16432.50 CAD with the report taken (12420.00 "
            "more)\n"},
  {"C1003", "machine 02-77F10: 5698-DB2 (license L1003-03) is not on SCRT report scrt/02-77F10-2026-10-01.csv: "
            "charged at its minimum of 5 MSUs (R-W5); subtotal 47495.95 USD\n"},
  {"C1007", "machine E1-2098V: 5697-F42 (license L1007-03) is not on SCRT report scrt/E1-2098V-2026-10-01.csv: "
            "charged at its minimum of 2 MSUs (R-W5); subtotal 4328.00 EUR\n"},
};
#define NOTICE_PREFIX "licbill: notice: customer "

/* Run licbill; the notice lines leave f->r.err for f->notices. */
static void run_licbill(fx *f, int check)
{
  const char *const run_argv[] = {e2e_licbill(), "run", "--input", "in", "--output", "out", "--month", MONTH,
                                  "--issue-date", "2026-12-01", NULL};
  const char *const check_argv[] = {e2e_licbill(), "check", "--input", "in", "--month", MONTH, "--issue-date",
                                    "2026-12-01", NULL};
  e2e_result_clear(&f->r);
  free(f->notices);
  f->notices = NULL;
  if(e2e_run(&f->r, f->root, check ? check_argv : run_argv))
    fail_msg("cannot start %s (set LICBILL or build it: make build/licbill-san)", e2e_licbill());
  size_t n = strlen(f->r.err), o = 0, k = 0;
  char *rest = malloc(n + 1), *notes = malloc(n + 1);
  assert_non_null(rest);
  assert_non_null(notes);
  for(const char *p = f->r.err; *p;) {
    const char *e = strchr(p, '\n');
    size_t len = e ? (size_t)(e - p) + 1 : strlen(p);
    int note = strncmp(p, NOTICE_PREFIX, strlen(NOTICE_PREFIX)) == 0;
    memcpy(note ? notes + k : rest + o, p, len);
    *(note ? &k : &o) += len;
    p += len;
  }
  rest[o] = notes[k] = '\0';
  free(f->r.err);
  f->r.err = rest;
  f->notices = notes;
}

/* The notices of every invoiced sample customer with one, and nothing else
 * (the invoice number depends on who was rejected: it is not compared). */
static void expect_notices(fx *f, const char *rejected, int code)
{
  const char *p = f->notices;
  for(size_t i = 0; i < sizeof(sample_notices) / sizeof(sample_notices[0]); i++) {
    if(code == 3 || (rejected && !strcmp(rejected, sample_notices[i].customer)))
      continue;
    char head[64];
    snprintf(head, sizeof(head), NOTICE_PREFIX "%s, ", sample_notices[i].customer);
    assert_true(strncmp(p, head, strlen(head)) == 0);
    const char *colon = strstr(p, ": machine ");
    assert_non_null(colon);
    assert_true(strncmp(colon + 2, sample_notices[i].text, strlen(sample_notices[i].text)) == 0);
    p = colon + 2 + strlen(sample_notices[i].text);
  }
  assert_string_equal(p, "");
}

/* stderr as it must be, byte for byte */
static char *expected_stderr(fx *f, int code, const want *w, size_t nw, size_t invoiced, size_t rejected)
{
  char *s = NULL;
  size_t n = 0;
  FILE *fp = open_memstream(&s, &n);
  assert_non_null(fp);
  for(size_t i = 0; i < nw; i++) {
    /* as diag_print_one prints it */
    if(w[i].line > 0 && w[i].col > 0)
      fprintf(fp, "%s:%ld:%ld: %s\n", w[i].file, w[i].line, w[i].col, w[i].message);
    else if(w[i].line > 0)
      fprintf(fp, "%s:%ld: %s\n", w[i].file, w[i].line, w[i].message);
    else
      fprintf(fp, "%s: %s\n", w[i].file, w[i].message);
  }
  if(code == 1)
    fprintf(fp, "licbill: %s: %zu invoiced, %zu rejected, %zu errors\n", MONTH, invoiced, rejected, nw);
  else if(code == 3)
    fprintf(fp, "licbill: the input set is unusable, nothing was written\n");
  fclose(fp);
  return own(f, s);
}

/* The data rows of a CSV file the program wrote, read with the project's
 * reader, one line per row: every field (field < 0) or just one, joined by
 * " | ". NULL when the file is missing or does not parse. */
static char *dump_csv(fx *f, const char *path, int field)
{
  csvf *c = NULL;
  const csv_row *row;
  diag_list d;
  char *s = NULL;
  size_t n = 0;
  int rc;
  FILE *fp = open_memstream(&s, &n);
  assert_non_null(fp);
  diag_init(&d);
  rc = csvf_open(&c, path, NULL, &d);
  if(!rc && csvf_next(c, &row, &d) != 1) /* the header */
    rc = -1;
  while(!rc && (rc = csvf_next(c, &row, &d)) > 0) {
    rc = 0;
    for(size_t i = 0; i < row->nfields; i++)
      if(field < 0 || (size_t)field == i)
        fprintf(fp, "%s%s", field < 0 && i ? " | " : "", row->fields[i]);
    fputc('\n', fp);
  }
  csvf_close(c);
  fclose(fp);
  rc = rc || d.n;
  diag_clear(&d);
  if(rc) {
    free(s);
    return NULL;
  }
  return own(f, s);
}

static char *file_head(fx *f, const char *path, size_t n)
{
  char *s = e2e_read_file(path, NULL);
  if(!s)
    return NULL;
  own(f, s);
  if(strlen(s) > n)
    s[n] = '\0';
  return s;
}

/* The whole outcome of a case, for check and for run:
 * - code 0: everyone invoiced, nothing on stderr;
 * - code 1: the errors `w` exactly, every customer but `rejected` (NULL:
 *   nobody) invoiced, the same records in errors.csv (its files relative
 *   to the input set);
 * - code 3: the errors `w` exactly, and run writes no month folder. */
static void expect_outcome(fx *f, int code, const char *rejected, const want *w, size_t nw)
{
  size_t nids = 0;
  char *ids = NULL, *errs = NULL;
  size_t idlen = 0, errlen = 0;
  FILE *fi = open_memstream(&ids, &idlen), *fe = open_memstream(&errs, &errlen);
  assert_non_null(fi);
  assert_non_null(fe);
  for(size_t i = 0; i < NCUSTOMERS; i++)
    if(!rejected || strcmp(customers[i], rejected)) {
      fprintf(fi, "%s\n", customers[i]);
      nids++;
    }
  /* errors.csv names files relative to the input set (stderr as given: "in/...") */
  for(size_t i = 0; i < nw; i++)
    fprintf(fe, "%s | %ld | %ld | %s | %s\n", strncmp(w[i].file, "in/", 3) ? w[i].file : w[i].file + 3, w[i].line,
            w[i].col, w[i].customer ? w[i].customer : "", w[i].message);
  fclose(fi);
  fclose(fe);
  own(f, ids);
  own(f, errs);
  char *want_err = expected_stderr(f, code, w, nw, nids, NCUSTOMERS - nids);
  char *outdir = own(f, e2e_path(f->root, "out"));
  char *monthdir = own(f, e2e_path(outdir, MONTH));

  /* check: validates and prices, writes nothing */
  run_licbill(f, 1);
  assert_string_equal(f->r.err, want_err);
  expect_notices(f, rejected, code);
  assert_string_equal(f->r.out, "");
  assert_int_equal(f->r.code, code);
  assert_false(e2e_exists(outdir));

  /* run: the same errors and verdicts, and the files to show for them. It draws every invoice and its
   * evidence, the cost of this suite: make test runs it for the cases marked F() in main, one of each outcome
   * (the check above for every case), make test-slow (LICBILL_SLOW=1) for every case */
  if(!getenv("LICBILL_SLOW") && !f->full)
    return;
  run_licbill(f, 0);
  assert_string_equal(f->r.err, want_err);
  expect_notices(f, rejected, code);
  assert_string_equal(f->r.out, "");
  assert_int_equal(f->r.code, code);
  if(code == 3) {
    assert_false(e2e_exists(monthdir)); /* nothing written */
    return;
  }
  char *errors_csv = own(f, e2e_path(monthdir, "errors.csv"));
  char *invoices_csv = own(f, e2e_path(monthdir, "invoices.csv"));
  const char *errors_head = "file,line,column,customer_id,message\n";
  const char *invoices_head = "invoice_number,customer_id,month,";
  char *head = file_head(f, errors_csv, strlen(errors_head));
  assert_non_null(head);
  assert_string_equal(head, errors_head);
  head = file_head(f, invoices_csv, strlen(invoices_head));
  assert_non_null(head);
  assert_string_equal(head, invoices_head);
  char *got = dump_csv(f, errors_csv, -1);
  assert_non_null(got);
  assert_string_equal(got, errs);
  got = dump_csv(f, invoices_csv, 1);
  assert_non_null(got);
  assert_string_equal(got, ids);
  /* numbers are gapless: one PDF per invoiced customer, none for the rejected one */
  size_t billed = 0, pdfs = 0;
  for(size_t i = 0; i < NCUSTOMERS; i++)
    billed += !rejected || strcmp(customers[i], rejected);
  DIR *dp = opendir(own(f, e2e_path(monthdir, "invoices")));
  assert_non_null(dp);
  for(struct dirent *de; (de = readdir(dp));)
    pdfs += strstr(de->d_name, ".pdf") != NULL;
  closedir(dp);
  assert_int_equal(pdfs, billed);
}

/* One customer rejected for one error; the other four invoiced. */
static void expect_rejected(fx *f, const char *customer, want w)
{
  w.customer = customer;
  expect_outcome(f, 1, customer, &w, 1);
}

/* The input set is unusable: exit 3, these errors, nothing written. */
#define expect_unusable(f, ...)                                                                               \
  do {                                                                                                        \
    const want w_[] = {__VA_ARGS__};                                                                          \
    expect_outcome((f), 3, NULL, w_, sizeof(w_) / sizeof(w_[0]));                                             \
  } while(0)

#define W(file, line, col, msg) ((want){(file), (line), (col), NULL, (msg)})

/* ---- the cases ------------------------------------------------------------ */

static void untouched_sample_copy_checks_and_runs_clean(void **state)
{
  expect_outcome(*state, 0, NULL, NULL, 0);
}

/* Dates (CONTRACT: YYYY-MM-DD; a date that does not parse is an error, not a guess). */

static void impossible_date_2026_02_30_rejects_the_customer(void **state)
{
  fx *f = *state;
  /* licenses.csv line 10: "C1002," 1-6, "L1002-02," 7-15, "51-A1B2C," 16-24, "5655-YA1," 25-33,
   * "AWLC," 34-38, "," 39 (feature_of empty): installed_on starts at 40 */
  patch(f, "licenses.csv", "C1002,L1002-02,51-A1B2C,5655-YA1,AWLC,,2021-06-01,",
        "C1002,L1002-02,51-A1B2C,5655-YA1,AWLC,,2026-02-30,");
  expect_rejected(f, "C1002",
                  W("in/licenses.csv", 10, 40,
                    "column 'installed_on': '2026-02-30' is not a calendar date, expected a real date YYYY-MM-DD"));
}

static void date_written_2026_slash_11_slash_01_rejects_the_customer(void **state)
{
  fx *f = *state;
  /* same cell as above: line 10, column 40 */
  patch(f, "licenses.csv", "C1002,L1002-02,51-A1B2C,5655-YA1,AWLC,,2021-06-01,",
        "C1002,L1002-02,51-A1B2C,5655-YA1,AWLC,,2026/11/01,");
  expect_rejected(f, "C1002",
                  W("in/licenses.csv", 10, 40, "column 'installed_on': '2026/11/01' is not a date, expected YYYY-MM-DD"));
}

static void empty_required_date_rejects_the_customer(void **state)
{
  fx *f = *state;
  /* support.csv line 2: "C1005," 1-6, "L1005-05," 7-15: period_start (now empty) at 16 */
  patch(f, "support.csv", "C1005,L1005-05,2026-11-05,", "C1005,L1005-05,,");
  expect_rejected(f, "C1005",
                  W("in/support.csv", 2, 16, "column 'period_start' is empty, expected a date YYYY-MM-DD"));
}

static void support_period_ending_before_it_starts_rejects_the_customer_R_M1(void **state)
{
  fx *f = *state;
  /* support.csv line 2: "C1005," 1-6, "L1005-05," 7-15, "2026-11-05," 16-26: period_end at 27 */
  patch(f, "support.csv", "2026-11-05,2027-11-04,", "2026-11-05,2026-11-04,");
  expect_rejected(f, "C1005",
                  W("in/support.csv", 2, 27,
                    "support period ends before it starts, expected period_end on or after period_start (R-M1)"));
}

static void received_on_2026_10_32_rejects_the_machine_owner_R_T2(void **state)
{
  fx *f = *state;
  /* scrt/received.csv line 3: "82-C5DC9," 1-9, "2026-10-01," 10-20: received_on at 21 */
  patch(f, "scrt/received.csv", "82-C5DC9,2026-10-01,2026-10-05,", "82-C5DC9,2026-10-01,2026-10-32,");
  expect_rejected(f, "C1001",
                  W("in/scrt/received.csv", 3, 21,
                    "column 'received_on': '2026-10-32' is not a calendar date, expected a real date YYYY-MM-DD"));
}

/* SCRT reports: MSU figures (CONTRACT: negative or above capacity is an error). */

static void negative_tool_msus_in_scrt_report_rejects_the_customer_R_W2(void **state)
{
  fx *f = *state;
  /* line 15 (CRLF file): "\"CICS TS for z/OS V6\"," is 22 characters (19 + 2 quotes + comma),
   * "\"5655-YA1\"," 23-33: the Tool MSUs cell opens at 34 */
  patch(f, "scrt/51-A1B2C-2026-10-01.csv", "\"5655-YA1\",\"90\"", "\"5655-YA1\",\"-90\"");
  expect_rejected(f, "C1002",
                  W("in/scrt/51-A1B2C-2026-10-01.csv", 15, 34,
                    "Tool MSUs '-90' for 5655-YA1 is not a whole number, expected MSUs as digits, 0 or more"));
}

static void decimal_comma_in_tool_msus_rejects_the_customer_R_W2(void **state)
{
  fx *f = *state;
  /* semicolon file, line 15: "CICS TS for z/OS V6;" 1-20, "5655-YA1;" 21-29: Tool MSUs at 30 */
  patch(f, "scrt/82-C5DC9-2026-10-01.csv", "5655-YA1;120;", "5655-YA1;12,5;");
  expect_rejected(f, "C1001",
                  W("in/scrt/82-C5DC9-2026-10-01.csv", 15, 30,
                    "Tool MSUs '12,5' for 5655-YA1 is not a whole number, expected MSUs as digits, 0 or more"));
}

static void tool_msus_above_machine_capacity_rejects_the_customer(void **state)
{
  fx *f = *state;
  /* 51-A1B2C has 400 MSUs (machines.csv line 4); the cell is at line 15, column 34 as above */
  patch(f, "scrt/51-A1B2C-2026-10-01.csv", "\"5655-YA1\",\"90\"", "\"5655-YA1\",\"401\"");
  expect_rejected(f, "C1002",
                  W("in/scrt/51-A1B2C-2026-10-01.csv", 15, 34,
                    "Tool MSUs 401 for 5655-YA1 exceed the full capacity of machine 51-A1B2C (400 MSUs, "
                    "machines.csv line 4), expected at most 400"));
}

static void lpar_peak_above_machine_capacity_rejects_the_customer(void **state)
{
  fx *f = *state;
  /* semicolon file, line 21: "SYSC;" 1-5: the MSUs at 6; 82-C5DC9 has 900 MSUs */
  patch(f, "scrt/82-C5DC9-2026-10-01.csv", "SYSC;300;", "SYSC;901;");
  expect_rejected(f, "C1001",
                  W("in/scrt/82-C5DC9-2026-10-01.csv", 21, 6,
                    "LPAR SYSC peak of 901 MSUs exceeds the full capacity of machine 82-C5DC9 (900 MSUs), "
                    "expected at most 900"));
}

static void override_without_comment_rejects_the_customer_R_T2a(void **state)
{
  fx *f = *state;
  /* line 16: "\"Db2 13 for z/OS\"," 1-18, "\"5698-DB2\"," 19-29, "\"190\"," 30-35: Customer MSUs at 36 */
  patch(f, "scrt/82-C5DC8-2026-10-01.csv",
        "\"190\",\"150\",\"Runaway test workload in SYSB excluded, change CHG0042117\"", "\"190\",\"150\",\"\"");
  expect_rejected(f, "C1001",
                  W("in/scrt/82-C5DC8-2026-10-01.csv", 16, 36,
                    "Customer MSUs 150 for 5698-DB2 override Tool MSUs 190 without an explanation, expected a "
                    "Customer Comment explaining the override (R-T2a)"));
}

static void scrt_report_for_a_machine_nobody_owns_is_an_error_and_the_others_are_billed(void **state)
{
  fx *f = *state;
  /* line 4: "Machine Serial Number," is 22 characters: the serial at 23 */
  put_data(f, "scrt-unowned-machine.csv", "scrt/0A-9D099-2026-10-01.csv");
  const want w = W("in/scrt/0A-9D099-2026-10-01.csv", 4, 23,
                   "SCRT report for machine 0A-9D099, which no customer owns (not in machines.csv), expected a "
                   "report for a known machine");
  expect_outcome(f, 1, NULL, &w, 1);
}

static void scrt_report_without_receipt_rejects_the_customer_R_T2(void **state)
{
  fx *f = *state;
  delete_lines(f, "scrt/received.csv", "82-C5DC9,2026-10-01,", 1);
  /* line 4: "Machine Serial Number;" is 22 characters: the serial is at 23 */
  expect_rejected(f, "C1001",
                  W("in/scrt/82-C5DC9-2026-10-01.csv", 4, 23,
                    "SCRT report for machine 82-C5DC9 has no receipt in scrt/received.csv, expected a row with "
                    "serial 82-C5DC9, period_end 2026-10-01 and the date it was received (R-T2)"));
}

static void reporting_period_with_wrong_day_count_rejects_the_machine_owner_R_T1(void **state)
{
  fx *f = *state;
  /* regression: the owner used to be billed at full capacity as if no report had come.
   * line 7: "Reporting Period;" is 17 characters: the value opens at 18 */
  patch(f, "scrt/82-C5DC9-2026-10-01.csv", "inclusive (30 days)", "inclusive (31 days)");
  expect_rejected(f, "C1001",
                  W("in/scrt/82-C5DC9-2026-10-01.csv", 7, 18,
                    "Reporting Period '2 Sep, 2026 - 1 Oct, 2026 inclusive (31 days)' cannot be read, expected "
                    "'2 Jun, 2026 - 1 Jul, 2026 inclusive (30 days)'"));
}

static void reporting_period_in_iso_dates_rejects_the_machine_owner_R_T1(void **state)
{
  fx *f = *state;
  /* line 7: "\"Reporting Period\";" is 19 characters: the value opens at 20 */
  patch(f, "scrt/02-77F10-2026-10-01.csv", "\"2 Sep, 2026 - 1 Oct, 2026 inclusive (30 days)\"",
        "\"2026-09-02 - 2026-10-01\"");
  expect_rejected(f, "C1003",
                  W("in/scrt/02-77F10-2026-10-01.csv", 7, 20,
                    "Reporting Period '2026-09-02 - 2026-10-01' cannot be read, expected '2 Jun, 2026 - 1 Jul, "
                    "2026 inclusive (30 days)'"));
}

static void second_scrt_report_for_a_machine_rejects_the_owner(void **state)
{
  fx *f = *state;
  put_data(f, "scrt-82-C5DC9-resent.csv", "scrt/82-C5DC9-resent.csv");
  expect_rejected(f, "C1001",
                  W("in/scrt/82-C5DC9-resent.csv", 4, 23,
                    "a second SCRT report for machine 82-C5DC9 and the same reporting period (also "
                    "in/scrt/82-C5DC9-2026-10-01.csv), expected one report per machine and period"));
}

/* Prices and charge types (CONTRACT: a missing price or an unknown charge type is an error). */

static void missing_price_rejects_the_customer_R_W1(void **state)
{
  fx *f = *state;
  /* only C1003 (USD) licenses Db2 under VWLC; all 15 rows of those books go */
  delete_lines(f, "prices.csv", "5698-DB2,VWLC,", 15);
  /* licenses.csv line 13: "C1003," 1-6, "L1003-03," 7-15, "02-77F10," 16-24: product_id at 25 */
  expect_rejected(f, "C1003",
                  W("in/licenses.csv", 13, 25,
                    "no price for 5698-DB2 VWLC (component 'monthly') in USD effective on 2026-11-01 in "
                    "prices.csv, expected a price row (R-W1)"));
}

static void unknown_charge_type_rejects_the_customer(void **state)
{
  fx *f = *state;
  /* line 10: charge_type after "5655-YA1," which ends at 33: column 34 */
  patch(f, "licenses.csv", "C1002,L1002-02,51-A1B2C,5655-YA1,AWLC,", "C1002,L1002-02,51-A1B2C,5655-YA1,XWLC,");
  expect_rejected(f, "C1002",
                  W("in/licenses.csv", 10, 34,
                    "column 'charge_type': unknown value 'XWLC', expected one of: AWLC, VWLC, FWLC, EWLC, TWLC, "
                    "ZELC, MWLC, ZNALC, NALC, PSLC, ELC, IMLC, GMLC, GOLC, MOSP, MULC, UPC, SALC, IPLA, SWMA, SS, "
                    "OTC, ALC"));
}

static void value_unit_exhibit_with_a_gap_rejects_the_customers_using_it_R_I5(void **state)
{
  fx *f = *state;
  /* value_units.csv line 3: "VUE007," 1-7, from_msu at 8; VUE007 is C1013's exhibit (C1014 uses VUE008) */
  patch(f, "value_units.csv", "VUE007,4,45,0.45\n", "VUE007,5,45,0.45\n");
  expect_rejected(f, "C1013",
                  W("in/value_units.csv", 3, 8,
                    "gap between tiers: previous tier (line 2) ends at 3 MSUs, this one starts at 5 in Value Unit "
                    "Exhibit VUE007, expected it to start at 4 (R-I5); IPLA license L1013-07 (5655-Q38, licenses.csv "
                    "line 70) is priced with it"));
}

static void usage_of_a_program_without_a_usage_priced_license_rejects_the_customer_R_U1(void **state)
{
  fx *f = *state;
  /* usage.csv line 2: "C1012," 1-6, "U1-A0001," 7-15: product_id at 16; z/OS is licensed there, but AWLC */
  patch(f, "usage.csv", "C1012,U1-A0001,5695-DB2,6.1,2026-09-21T00,", "C1012,U1-A0001,5650-ZOS,6.1,2026-09-21T00,");
  expect_rejected(f, "C1012",
                  W("in/usage.csv", 2, 16,
                    "usage of 5650-ZOS on machine U1-A0001, but the customer has no MULC, UPC or SALC license of it "
                    "on that machine, expected measurements only for usage-priced licenses (R-U1)"));
}

static void znalc_on_a_program_that_is_not_zos_rejects_the_customer_R_W12(void **state)
{
  fx *f = *state;
  /* line 17: "C1004," 1-6, "L1004-02," 7-15, "0A-9D001," 16-24: product_id at 25 */
  patch(f, "licenses.csv", "C1004,L1004-02,0A-9D001,5655-MQ9,VWLC,", "C1004,L1004-02,0A-9D001,5655-MQ9,ZNALC,");
  expect_rejected(f, "C1004",
                  W("in/licenses.csv", 17, 25,
                    "zNALC license L1004-02 is for 5655-MQ9 (IBM MQ for z/OS V9), but zNALC applies only to z/OS, "
                    "expected a z/OS product or a feature of a zNALC z/OS license (R-W12)"));
}

static void awlc_on_a_machine_that_is_not_eligible_rejects_the_customer_R_W20(void **state)
{
  fx *f = *state;
  /* 0A-9D001 has awlc_eligible no (machines.csv line 7). licenses.csv line 17: "C1004," 1-6, "L1004-02," 7-15,
   * "0A-9D001," 16-24, "5655-MQ9," 25-33: charge_type at 34 */
  patch(f, "licenses.csv", "C1004,L1004-02,0A-9D001,5655-MQ9,VWLC,", "C1004,L1004-02,0A-9D001,5655-MQ9,AWLC,");
  expect_rejected(f, "C1004",
                  W("in/licenses.csv", 17, 34,
                    "AWLC license L1004-02 (5655-MQ9) on machine 0A-9D001, which is not AWLC-eligible (awlc_eligible "
                    "no, machines.csv line 7), expected VWLC or another charge type for this machine, or "
                    "awlc_eligible yes: AWLC is for programs used on an Eligible Machine (R-W20)"));
}

static void price_book_with_a_gap_makes_the_input_set_unusable_R_W1(void **state)
{
  fx *f = *state;
  patch(f, "prices.csv", "5650-ZOS,AWLC,monthly,46,175,40.0000,,EUR,", "5650-ZOS,AWLC,monthly,47,175,40.0000,,EUR,");
  /* "5650-ZOS,AWLC,monthly," is 22 characters: from_qty is at 23 */
  expect_unusable(f, W("in/prices.csv", 4, 23,
                       "gap between tiers: previous tier (line 3) ends at 45, this one starts at 47 in price book "
                       "5650-ZOS AWLC monthly EUR from 2024-01-01, expected it to start at 46 (R-W1)"));
}

static void price_book_with_an_overlap_makes_the_input_set_unusable_R_W1(void **state)
{
  fx *f = *state;
  patch(f, "prices.csv", "5650-ZOS,AWLC,monthly,46,175,40.0000,,EUR,", "5650-ZOS,AWLC,monthly,45,175,40.0000,,EUR,");
  /* "5650-ZOS,AWLC,monthly," is 22 characters: from_qty is at 23 */
  expect_unusable(f, W("in/prices.csv", 4, 23,
                       "tier starting at 45 overlaps the tier on line 3 of price book 5650-ZOS AWLC monthly EUR "
                       "from 2024-01-01, expected tiers without overlap (R-W1)"));
}

static void price_with_more_than_4_decimal_places_makes_the_input_set_unusable_R_0_1(void **state)
{
  fx *f = *state;
  /* regression: the rejected row also showed as a bogus "starts at 4 MSUs" R-W1 error.
   * line 2: "5650-ZOS," 1-9, "AWLC," 10-14, "monthly," 15-22, "1," 23-24, "3," 25-26: unit_price at 27 */
  patch(f, "prices.csv", "5650-ZOS,AWLC,monthly,1,3,100.0000,,EUR,", "5650-ZOS,AWLC,monthly,1,3,100.00001,,EUR,");
  expect_unusable(f, W("in/prices.csv", 2, 27,
                       "column 'unit_price': '100.00001' has more than 4 decimal places, expected at most 4"));
}

static void negative_price_makes_the_input_set_unusable(void **state)
{
  fx *f = *state;
  /* same cell: line 2, column 27 */
  patch(f, "prices.csv", "5650-ZOS,AWLC,monthly,1,3,100.0000,,EUR,", "5650-ZOS,AWLC,monthly,1,3,-100.0000,,EUR,");
  expect_unusable(f, W("in/prices.csv", 2, 27, "negative price, expected 0 or more"));
}

static void tax_rate_above_100_percent_makes_the_input_set_unusable_R_X3(void **state)
{
  fx *f = *state;
  /* taxes.csv line 2: "DE," 1-3, "USt," 4-7: rate_pct at 8 */
  patch(f, "taxes.csv", "DE,USt,19,", "DE,USt,119,");
  expect_unusable(f, W("in/taxes.csv", 2, 8, "tax rate out of range, expected 0 to 100 (percent)"));
}

static void tax_region_without_rates_rejects_the_customer_R_X3(void **state)
{
  fx *f = *state;
  delete_lines(f, "taxes.csv", "CA-ON,", 1);
  /* customers.csv line 14: "C1013," 1-6, "Lakeshore Freight Systems Inc.," 7-37, "commercial," 38-48,
   * "200 Queens Quay West / Toronto ON M5J 2Y5," 49-90, "CA," 91-93: tax_region at 94 */
  expect_rejected(f, "C1013",
                  W("in/customers.csv", 14, 94,
                    "tax_region 'CA-ON' has no rates in taxes.csv, expected at least one tax row for the region "
                    "(R-X3)"));
}

/* Workload license rules checked on the inventory. */

static void fwlc_without_awlc_or_vwlc_zos_rejects_the_customer_R_W10(void **state)
{
  fx *f = *state;
  /* z/OS on 3C-11AB2 discontinued before November: the FWLC row (line 22) has no WLC z/OS.
   * line 22: "C1005," 1-6, "L1005-04," 7-15, "3C-11AB2," 16-24, "5655-EC6," 25-33: charge_type at 34 */
  patch(f, "licenses.csv", "C1005,L1005-01,3C-11AB2,5650-ZOS,AWLC,,2022-03-01,,",
        "C1005,L1005-01,3C-11AB2,5650-ZOS,AWLC,,2022-03-01,2026-09-30,");
  expect_rejected(f, "C1005",
                  W("in/licenses.csv", 22, 34,
                    "FWLC license L1005-04 (5655-EC6) on machine 3C-11AB2, but z/OS there has neither AWLC nor "
                    "VWLC this month, expected z/OS with AWLC or VWLC on the machine (R-W10)"));
}

static void subcap_and_full_pricing_mixed_on_one_machine_rejects_the_customer_R_W18(void **state)
{
  fx *f = *state;
  /* line 4: "C1001,L1001-03,82-C5DC8,5698-DB2,AWLC,,2020-02-01,,,ORD-402310,,,,no," is 69 characters:
   * 6 + 9 + 9 + 9 + 5 + 1 + 11 + 1 + 1 + 11 + 1 + 1 + 1 + 3; pricing at 70 */
  patch(f, "licenses.csv", "ORD-402310,,,,no,subcap,,,\nC1001,L1001-04", "ORD-402310,,,,no,full,,,\nC1001,L1001-04");
  expect_rejected(f, "C1001",
                  W("in/licenses.csv", 4, 70,
                    "license L1001-03 is priced 'full' but license L1001-01 (line 2) of the same zos family on "
                    "machine 82-C5DC8 is 'subcap', expected one pricing for all programs of an OS family on a "
                    "machine: sub-capacity is all or nothing (R-W18)"));
}

static void machine_in_two_sysplexes_rejects_the_customer_R_W8(void **state)
{
  fx *f = *state;
  /* a second row for 82-C5DC8 (sysplex PLEXUS) as line 4; "C1001," 1-6: serial at 7 */
  patch(f, "machines.csv", "C1001,82-C5DC9,3931-607,900,7,PLEXDE,yes,,,,,2024-01,,,\n",
        "C1001,82-C5DC9,3931-607,900,7,PLEXDE,yes,,,,,2024-01,,,\n"
        "C1001,82-C5DC8,3931-609,1200,9,PLEXUS,yes,,,,,2024-01,,,\n");
  expect_rejected(f, "C1001",
                  W("in/machines.csv", 4, 7,
                    "machine 82-C5DC8 is listed twice (first on line 2), expected one row per machine with at "
                    "most one sysplex (R-W8), or rows with different effective_from dates for its "
                    "configurations (R-T10)"));
}

static void feature_of_naming_no_license_rejects_the_customer_R_W6(void **state)
{
  fx *f = *state;
  /* line 5: "C1001," 1-6, "L1001-04," 7-15, "82-C5DC8," 16-24, "5650-ZDS," 25-33, "AWLC," 34-38:
   * feature_of at 39 */
  patch(f, "licenses.csv", "AWLC,L1001-01,", "AWLC,L1001-99,");
  expect_rejected(f, "C1001",
                  W("in/licenses.csv", 5, 39,
                    "feature_of 'L1001-99' is not a license of this customer on machine 82-C5DC8, expected the "
                    "license_id of the program the feature belongs to (R-W6)"));
}

/* References between the per-customer files. */

static void license_on_a_machine_the_customer_does_not_have_rejects_the_customer(void **state)
{
  fx *f = *state;
  /* 82-C5DC8 is C1001's. line 10: "C1002," 1-6, "L1002-02," 7-15: serial at 16 */
  patch(f, "licenses.csv", "C1002,L1002-02,51-A1B2C,", "C1002,L1002-02,82-C5DC8,");
  expect_rejected(f, "C1002",
                  W("in/licenses.csv", 10, 16,
                    "machine 82-C5DC8 is not in machines.csv for customer C1002, expected one of the customer's "
                    "machines"));
}

static void unknown_product_rejects_the_customer(void **state)
{
  fx *f = *state;
  /* line 17: "C1004," 1-6, "L1004-02," 7-15, "0A-9D001," 16-24: product_id at 25 */
  patch(f, "licenses.csv", "C1004,L1004-02,0A-9D001,5655-MQ9,", "C1004,L1004-02,0A-9D001,5655-MQ8,");
  expect_rejected(f, "C1004",
                  W("in/licenses.csv", 17, 25, "product '5655-MQ8' is not in products.csv, expected a known product_id"));
}

static void support_row_naming_no_license_rejects_the_customer(void **state)
{
  fx *f = *state;
  /* regression: reported without a column. line 2: "C1005," 1-6: license_id at 7 */
  patch(f, "support.csv", "C1005,L1005-05,", "C1005,L1005-55,");
  expect_rejected(f, "C1005",
                  W("in/support.csv", 2, 7,
                    "license_id 'L1005-55' is not a license of customer C1005, expected one from licenses.csv"));
}

static void duplicate_customer_id_rejects_that_customer(void **state)
{
  fx *f = *state;
  /* line 19, a second C1002; customer_id at column 1 */
  append(f, "customers.csv",
         "C1002,Banque Populaire de Qu\xC3\xA9" "bec,commercial,\"1 rue X / Qu\xC3\xA9" "bec\",CA,CA-QC,CAD,"
         "CA-QC-2021-0008,monthly,30,,,yes\n");
  expect_rejected(f, "C1002",
                  W("in/customers.csv", 19, 1,
                    "customer_id 'C1002' appears twice (first on line 3), expected each customer once"));
}

static void license_row_of_an_unknown_customer_is_an_error_and_everyone_is_billed(void **state)
{
  fx *f = *state;
  append(f, "licenses.csv", "C9999,L9999-01,82-C5DC8,5650-ZOS,AWLC,,2019-04-01,,,,,,,no,subcap,,,\n");
  const want w = W("in/licenses.csv", 90, 1, "customer_id 'C9999' is not in customers.csv, expected a known customer");
  expect_outcome(f, 1, NULL, &w, 1);
}

/* Field formats. */

static void flag_true_instead_of_yes_or_no_rejects_the_customer(void **state)
{
  fx *f = *state;
  /* regression: the licenses on the machine were also reported as naming an unknown machine.
   * machines.csv line 7: "C1004," 1-6, "0A-9D001," 7-15, "8562-GT2," 16-24, "250," 25-28, "2," 29-30,
   * "," 31 (no sysplex): awlc_eligible at 32 */
  patch(f, "machines.csv", "C1004,0A-9D001,8562-GT2,250,2,,no,", "C1004,0A-9D001,8562-GT2,250,2,,true,");
  expect_rejected(f, "C1004",
                  W("in/machines.csv", 7, 32, "column 'awlc_eligible': unknown value 'true', expected one of: no, yes"));
}

static void rejected_program_license_is_not_reported_again_by_its_feature_R_W6(void **state)
{
  fx *f = *state;
  /* regression: feature L1001-04 was also reported as naming no license.
   * line 2: installed_on at 40 (6 + 9 + 9 + 9 + 5 + 1 = 39 characters before it) */
  patch(f, "licenses.csv", "C1001,L1001-01,82-C5DC8,5650-ZOS,AWLC,,2019-04-01,",
        "C1001,L1001-01,82-C5DC8,5650-ZOS,AWLC,,2019-04-31,");
  expect_rejected(f, "C1001",
                  W("in/licenses.csv", 2, 40,
                    "column 'installed_on': '2019-04-31' is not a calendar date, expected a real date YYYY-MM-DD"));
}

static void iso_8859_1_byte_in_licenses_rejects_the_customer(void **state)
{
  fx *f = *state;
  /* line 22: "C1005," 1-6, "L1005-04," 7-15, "3C-11AB2," 16-24, "5655-EC6," 25-33, "FWLC," 34-38,
   * "," 39, "2025-05-01," 40-50, "," 51, "," 52: order_number at 53; 0xDC is its 6th byte */
  patch(f, "licenses.csv", "ORD-CH-1140", "ORD-Z\xDCR-1140");
  expect_rejected(f, "C1005",
                  W("in/licenses.csv", 22, 53,
                    "invalid UTF-8 (byte 0xDC at byte 6 of the field), expected UTF-8 text"));
}

/* Row shapes and quoting (RFC 4180). */

static void row_with_too_few_fields_rejects_the_customer(void **state)
{
  fx *f = *state;
  /* line 10 loses ",subcap,,,": the row is 68 characters (39 + "2021-06-01," 11 + ",," 2 + "ORD-510032," 11
   * + ",,," 3 + "no" 2), its end is column 69 */
  patch(f, "licenses.csv", "C1002,L1002-02,51-A1B2C,5655-YA1,AWLC,,2021-06-01,,,ORD-510032,,,,no,subcap,,,\n",
        "C1002,L1002-02,51-A1B2C,5655-YA1,AWLC,,2021-06-01,,,ORD-510032,,,,no\n");
  expect_rejected(f, "C1002",
                  W("in/licenses.csv", 10, 69,
                    "row has 14 fields, expected 18 as in the header row (missing fields at the end)"));
}

static void row_with_too_few_fields_leaves_the_customer_named_on_the_errors_after_it(void **state)
{
  fx *f = *state;
  /* regression (found by make fuzz, custfiles): after a row with the wrong number of fields, the errors of
   * the customer's later rows had no customer_id in errors.csv. Line 9 loses ",subcap,,,": 68 characters,
   * its end at column 69; line 10's installed_on at 40 (6 + 9 + 9 + 9 + 5 + 1 = 39 characters before it) */
  patch(f, "licenses.csv", "C1002,L1002-01,51-A1B2C,5650-ZOS,AWLC,,2021-06-01,,,ORD-510032,,,,no,subcap,,,\n",
        "C1002,L1002-01,51-A1B2C,5650-ZOS,AWLC,,2021-06-01,,,ORD-510032,,,,no\n");
  patch(f, "licenses.csv", "C1002,L1002-02,51-A1B2C,5655-YA1,AWLC,,2021-06-01,",
        "C1002,L1002-02,51-A1B2C,5655-YA1,AWLC,,2021-06-31,");
  const want w[] = {
    {"in/licenses.csv", 9, 69, "C1002", "row has 14 fields, expected 18 as in the header row (missing fields at the end)"},
    {"in/licenses.csv", 10, 40, "C1002",
     "column 'installed_on': '2021-06-31' is not a calendar date, expected a real date YYYY-MM-DD"},
  };
  expect_outcome(f, 1, "C1002", w, 2);
}

static void thousands_separator_gives_too_many_fields_and_rejects_the_customer(void **state)
{
  fx *f = *state;
  /* support.csv line 2 becomes C1005,L1005-05,2026-11-05,2027-11-04,2,480.00,,SS,,,,,:
   * 6 + 9 + 11 + 11 + "2," 2 + "480.00," 7 + "," 1 + "SS," 3 + ",,,," 4 = 54 characters before the
   * 13th field, at 55 */
  patch(f, "support.csv", ",2480.00,", ",2,480.00,");
  expect_rejected(f, "C1005",
                  W("in/support.csv", 2, 55, "row has 13 fields, expected 12 as in the header row (extra field here)"));
}

static void misplaced_quote_makes_the_input_set_unusable(void **state)
{
  fx *f = *state;
  /* customers.csv line 4: "C1003," 1-6, "Commonwealth of Virginia " 7-31: the quote at 32.
   * The rest of the file cannot be read, so nobody's rows can be told apart: exit 3. */
  patch(f, "customers.csv", "Commonwealth of Virginia IT Agency", "Commonwealth of Virginia \"IT\" Agency");
  expect_unusable(f, W("in/customers.csv", 4, 32,
                       "misplaced quote: a '\"' may only open a field or close a quoted field (write it as \"\" "
                       "inside a quoted field)"));
}

static void unterminated_quote_at_end_of_licenses_makes_the_input_set_unusable(void **state)
{
  fx *f = *state;
  /* new line 90: "C1005," 1-6, "L1005-06," 7-15, "3C-11AB2," 16-24, "5697-V61," 25-33, "OTC," 34-37,
   * "," 38, "2026-11-05," 39-49, "," 50, "," 51: the opening quote at 52 */
  append(f, "licenses.csv", "C1005,L1005-06,3C-11AB2,5697-V61,OTC,,2026-11-05,,,\"ORD-CH-1193,,,,no,\n");
  expect_unusable(f, W("in/licenses.csv", 90, 52,
                       "unterminated quoted field: this '\"' is never closed before the end of the file, expected "
                       "a closing '\"'"));
}

static void unterminated_quote_at_end_of_scrt_report_rejects_the_machine_owner(void **state)
{
  fx *f = *state;
  /* last line 21 (CRLF): "\"CPC\"," 1-6, "\"200\"," 7-12: the unclosed quote at 13 */
  patch(f, "scrt/51-A1B2C-2026-10-01.csv", "\"CPC\",\"200\",\"25 Sep, 2026 14:00\"\r\n",
        "\"CPC\",\"200\",\"25 Sep, 2026 14:00\r\n");
  expect_rejected(f, "C1002",
                  W("in/scrt/51-A1B2C-2026-10-01.csv", 21, 13,
                    "unterminated quoted field: this '\"' is never closed before the end of the file, expected "
                    "a closing '\"'"));
}

/* Headers (CONTRACT: unknown or missing required columns are errors; exit 3). */

static void unknown_column_in_licenses_header_makes_the_input_set_unusable(void **state)
{
  fx *f = *state;
  /* header: customer_id, 1-12, license_id, 13-23, serial, 24-30, product_id, 31-41, charge_type, 42-53,
   * feature_of, 54-64, installed_on, 65-77, discontinued_on, 78-93, notice_received_on, 94-112,
   * order_number, 113-125, subcap_terms, 126-138, entitled_msu, 139-151, replaces, 152-160,
   * secure_support, 161-175: the last column at 176 */
  patch(f, "licenses.csv", ",secure_support,pricing,", ",secure_support,pricng,");
  expect_unusable(f, W("in/licenses.csv", 1, 176,
                       "unknown column 'pricng', expected one of: customer_id, license_id, serial, product_id, "
                       "charge_type, feature_of, installed_on, discontinued_on, notice_received_on, order_number, "
                       "subcap_terms, entitled_msu, replaces, secure_support, pricing, quantity, accepted_on, "
                       "logical_model, sales_channel"));
}

static void missing_required_column_in_products_makes_the_input_set_unusable(void **state)
{
  fx *f = *state;
  put_data(f, "products-without-min_msu.csv", "products.csv");
  expect_unusable(f, W("in/products.csv", 1, 0, "missing required column 'min_msu' in the header row"));
}

static void misspelt_column_in_customers_header_is_reported_once_not_for_every_row(void **state)
{
  fx *f = *state;
  /* regression: every row of machines, licenses and support was also reported as naming an unknown
   * customer. Header: customer_id, name, class, address, country, tax_region, currency,
   * contract_number, billing_cycle, payment_terms_days, prompt_pay_pct, prompt_pay_days, = 12 + 5 + 6
   * + 8 + 8 + 11 + 9 + 16 + 14 + 19 + 15 + 16 = 139 characters: tsad at 140 */
  patch(f, "customers.csv", ",prompt_pay_days,tsad\n", ",prompt_pay_days,tsad_sent\n");
  expect_unusable(f,
                  W("in/customers.csv", 1, 140,
                    "unknown column 'tsad_sent', expected one of: customer_id, name, class, address, country, "
                    "tax_region, currency, contract_number, billing_cycle, payment_terms_days, prompt_pay_pct, "
                    "prompt_pay_days, tsad, tsad_full_capacity"),
                  W("in/customers.csv", 1, 0, "missing required column 'tsad' in the header row"));
}

/* Text an invoice carries (issue: control bytes, long fields, echoed values). */

static void nul_inside_an_order_number_rejects_the_customer(void **state)
{
  fx *f = *state;
  /* licenses.csv line 4: order_number opens at 53 ("C1001,L1001-03,82-C5DC8,5698-DB2,AWLC,,2020-02-01,,," is
   * 52 characters); a NUL after "ORD-40" would print "ORD-40" for "ORD-402310" */
  patch_bytes(f, "licenses.csv", "L1001-03,82-C5DC8,5698-DB2,AWLC,,2020-02-01,,,ORD-402310,",
              "L1001-03,82-C5DC8,5698-DB2,AWLC,,2020-02-01,,,ORD-40\0002310,", 58);
  expect_rejected(f, "C1001", W("in/licenses.csv", 4, 53,
                                "control character U+0000 (NUL) at character 7 of the field, expected printable text"));
}

static void escape_sequence_in_a_customer_name_rejects_the_customer(void **state)
{
  fx *f = *state;
  patch(f, "customers.csv", "C1001,Müller Versicherung AG,", "C1001,Müller\033[31m Versicherung AG,");
  expect_rejected(f, "C1001", W("in/customers.csv", 2, 7,
                                "control character U+001B (ESC) at character 7 of the field, expected printable text"));
}

static void line_break_outside_an_address_rejects_the_customer(void **state)
{
  fx *f = *state;
  /* contract_number opens at 84 on line 2; a quoted line break is allowed in the address only */
  patch(f, "customers.csv", ",DE-MLC-2019-0042,", ",\"DE-MLC\n2019-0042\",");
  expect_rejected(f, "C1001", W("in/customers.csv", 2, 84,
                                "control character U+000A (LF) at character 7 of the field, expected printable text "
                                "(a line break is allowed only in an address)"));
}

static void a_300_character_order_number_rejects_the_customer(void **state)
{
  fx *f = *state;
  char big[360] = "L1001-03,82-C5DC8,5698-DB2,AWLC,,2020-02-01,,,ORD-";
  size_t n = strlen(big);
  memset(big + n, '9', 296);
  strcpy(big + n + 296, ",");
  patch(f, "licenses.csv", "L1001-03,82-C5DC8,5698-DB2,AWLC,,2020-02-01,,,ORD-402310,", big);
  expect_rejected(f, "C1001", W("in/licenses.csv", 4, 53, "a field of 300 characters, expected at most 255"));
}

static void a_long_bad_value_is_quoted_to_80_characters_with_its_length(void **state)
{
  fx *f = *state;
  char big[200] = "C1001,L1001-03,82-C5DC8,5698-DB2,AWLC,,";
  size_t n = strlen(big);
  memset(big + n, 'x', 120);
  strcpy(big + n + 120, ",");
  /* installed_on opens at 40 on line 4 */
  patch(f, "licenses.csv", "C1001,L1001-03,82-C5DC8,5698-DB2,AWLC,,2020-02-01,", big);
  expect_rejected(f, "C1001", W("in/licenses.csv", 4, 40,
                                "column 'installed_on': 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
                                "xxxxxxxxxxxxxxxxx...' (120 characters) is not a date, expected YYYY-MM-DD"));
}

static void nul_in_an_scrt_comment_rejects_the_machine_owner(void **state)
{
  fx *f = *state;
  /* line 16: the comment opens at 42 (its quote); the NUL follows "Runaway" */
  patch_bytes(f, "scrt/82-C5DC8-2026-10-01.csv", "Runaway test", "Runaway\000test", 12);
  expect_rejected(f, "C1001", W("in/scrt/82-C5DC8-2026-10-01.csv", 16, 42,
                                "NUL byte at byte 8 of the cell, expected a text file in UTF-8 or ISO-8859-1 (not UTF-16)"));
}

/* Shared rows that disagree, or repeat: no row silently wins (exit 3). */

static void two_rates_for_one_tax_and_date_make_the_input_set_unusable_R_X3(void **state)
{
  fx *f = *state;
  /* taxes.csv has 11 lines: the new row is line 12, effective_from opens at 11 ("DE,USt,16," is 10) */
  append(f, "taxes.csv", "DE,USt,16,2007-01-01\n");
  expect_unusable(f, W("in/taxes.csv", 12, 11,
                       "a second rate of USt in region DE from 2007-01-01 (16.0 %, line 2 has 19.0 %), expected one "
                       "rate per region, tax and date (R-X3)"));
}

static void an_identical_price_row_twice_makes_the_input_set_unusable_R_W1(void **state)
{
  fx *f = *state;
  /* prices.csv has 264 lines: the copy is line 265; from_qty opens at 23 */
  append(f, "prices.csv", "5650-ZOS,AWLC,monthly,1,3,100.0000,,EUR,2024-01-01\n");
  expect_unusable(f, W("in/prices.csv", 265, 23,
                       "a second row for the tier from 1 of price book 5650-ZOS AWLC monthly EUR from 2024-01-01 "
                       "(also line 2), expected one row per tier (R-W1)"));
}

/* Facts that cannot be true. */

static void cpc_peak_above_machine_capacity_rejects_the_customer(void **state)
{
  fx *f = *state;
  /* line 22: "CPC;" is 4 characters: the peak is at 5 */
  patch(f, "scrt/82-C5DC9-2026-10-01.csv", "CPC;300;", "CPC;901;");
  expect_rejected(f, "C1001", W("in/scrt/82-C5DC9-2026-10-01.csv", 22, 5,
                                "CPC peak of 901 MSUs exceeds the full capacity of machine 82-C5DC9 (900 MSUs, "
                                "machines.csv line 3), expected at most 900"));
}

static void receipt_before_the_period_ended_rejects_the_machine_owner_R_T2(void **state)
{
  fx *f = *state;
  /* received.csv line 3: received_on opens at 21 */
  patch(f, "scrt/received.csv", "82-C5DC9,2026-10-01,2026-10-05,", "82-C5DC9,2026-10-01,2026-09-30,");
  expect_rejected(f, "C1001", W("in/scrt/received.csv", 3, 21,
                                "received_on 2026-09-30 is not after the reporting period ended (2026-10-01), "
                                "expected a date from the day after it"));
}

static void licenses_that_replace_each_other_reject_the_customer_R_S1(void **state)
{
  fx *f = *state;
  /* L1009-04 replaces L1009-03; now L1009-03 replaces L1009-04 too: replaces opens at 67 on lines 42 and 43 */
  patch(f, "licenses.csv", "L1009-03,N1-20002,5655-Y04,VWLC,,2023-01-01,,,ORD-US-9101,,,,",
        "L1009-03,N1-20002,5655-Y04,VWLC,,2023-01-01,,,ORD-US-9101,,,L1009-04,");
  const want w[] = {
    {"in/licenses.csv", 42, 67, "C1009", "license L1009-03 replaces L1009-04, whose chain of predecessors leads "
                                         "back to L1009-03, expected a chain that ends at a first license (R-S1, R-I8)"},
    {"in/licenses.csv", 43, 67, "C1009", "license L1009-04 replaces L1009-03, whose chain of predecessors leads "
                                         "back to L1009-04, expected a chain that ends at a first license (R-S1, R-I8)"},
  };
  expect_outcome(f, 1, "C1009", w, 2);
}

static void a_feature_of_a_feature_rejects_the_customer_R_W6(void **state)
{
  fx *f = *state;
  /* line 3: feature_of opens at 39 */
  patch(f, "licenses.csv", "C1001,L1001-02,82-C5DC8,5655-YA1,AWLC,,", "C1001,L1001-02,82-C5DC8,5655-YA1,AWLC,L1001-04,");
  expect_rejected(f, "C1001", W("in/licenses.csv", 3, 39,
                                "feature_of 'L1001-04' names a license that is itself a feature (of 'L1001-01'), "
                                "expected the license_id of the program the feature belongs to (R-W6)"));
}

static void products_that_are_each_others_parent_make_the_input_set_unusable_R_I2(void **state)
{
  fx *f = *state;
  /* 5655-DAT's parent is 5698-DB2 (line 33, parent_product at 71); now 5698-DB2's is 5655-DAT (line 5, at 39) */
  patch(f, "products.csv", "5698-DB2,Db2 13 for z/OS,zos,no,13,5,,\n", "5698-DB2,Db2 13 for z/OS,zos,no,13,5,,5655-DAT\n");
  expect_unusable(f,
                  W("in/products.csv", 33, 71, "parent_product of 5655-DAT leads back to 5655-DAT, expected a chain of "
                                               "parents that ends at a product without one (R-I2)"),
                  W("in/products.csv", 5, 39, "parent_product of 5698-DB2 leads back to 5698-DB2, expected a chain of "
                                              "parents that ends at a product without one (R-I2)"));
}

int main(void)
{
  /* T: checked (`licbill check`) in make test, also run (`licbill run`) in test-slow. F: run in make test too:
   * one case of each outcome, what the run writes for it (errors.csv, invoices.csv, the PDFs, or nothing):
   * everyone billed; one customer rejected; nobody rejected (an error no customer owns: an SCRT report, a
   * license row); two errors; control characters and a line break in a message; the input set unusable with
   * one error and with two. Both halves get some. */
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
#define F(fn) cmocka_unit_test_setup_teardown(fn, setup_full, teardown)
  const struct CMUnitTest tests[] = {
    F(untouched_sample_copy_checks_and_runs_clean),
    F(impossible_date_2026_02_30_rejects_the_customer),
    T(date_written_2026_slash_11_slash_01_rejects_the_customer),
    T(empty_required_date_rejects_the_customer),
    T(support_period_ending_before_it_starts_rejects_the_customer_R_M1),
    T(received_on_2026_10_32_rejects_the_machine_owner_R_T2),
    T(negative_tool_msus_in_scrt_report_rejects_the_customer_R_W2),
    T(decimal_comma_in_tool_msus_rejects_the_customer_R_W2),
    T(tool_msus_above_machine_capacity_rejects_the_customer),
    T(lpar_peak_above_machine_capacity_rejects_the_customer),
    T(override_without_comment_rejects_the_customer_R_T2a),
    F(scrt_report_for_a_machine_nobody_owns_is_an_error_and_the_others_are_billed),
    T(scrt_report_without_receipt_rejects_the_customer_R_T2),
    T(reporting_period_with_wrong_day_count_rejects_the_machine_owner_R_T1),
    T(reporting_period_in_iso_dates_rejects_the_machine_owner_R_T1),
    T(second_scrt_report_for_a_machine_rejects_the_owner),
    T(missing_price_rejects_the_customer_R_W1),
    T(unknown_charge_type_rejects_the_customer),
    T(znalc_on_a_program_that_is_not_zos_rejects_the_customer_R_W12),
    T(awlc_on_a_machine_that_is_not_eligible_rejects_the_customer_R_W20),
    T(usage_of_a_program_without_a_usage_priced_license_rejects_the_customer_R_U1),
    T(value_unit_exhibit_with_a_gap_rejects_the_customers_using_it_R_I5),
    F(price_book_with_a_gap_makes_the_input_set_unusable_R_W1),
    T(price_book_with_an_overlap_makes_the_input_set_unusable_R_W1),
    T(price_with_more_than_4_decimal_places_makes_the_input_set_unusable_R_0_1),
    T(negative_price_makes_the_input_set_unusable),
    T(tax_rate_above_100_percent_makes_the_input_set_unusable_R_X3),
    T(tax_region_without_rates_rejects_the_customer_R_X3),
    T(fwlc_without_awlc_or_vwlc_zos_rejects_the_customer_R_W10),
    T(subcap_and_full_pricing_mixed_on_one_machine_rejects_the_customer_R_W18),
    T(machine_in_two_sysplexes_rejects_the_customer_R_W8),
    T(feature_of_naming_no_license_rejects_the_customer_R_W6),
    T(license_on_a_machine_the_customer_does_not_have_rejects_the_customer),
    T(unknown_product_rejects_the_customer),
    T(support_row_naming_no_license_rejects_the_customer),
    T(duplicate_customer_id_rejects_that_customer),
    F(license_row_of_an_unknown_customer_is_an_error_and_everyone_is_billed),
    T(flag_true_instead_of_yes_or_no_rejects_the_customer),
    T(rejected_program_license_is_not_reported_again_by_its_feature_R_W6),
    T(iso_8859_1_byte_in_licenses_rejects_the_customer),
    T(row_with_too_few_fields_rejects_the_customer),
    F(row_with_too_few_fields_leaves_the_customer_named_on_the_errors_after_it),
    T(thousands_separator_gives_too_many_fields_and_rejects_the_customer),
    T(misplaced_quote_makes_the_input_set_unusable),
    T(unterminated_quote_at_end_of_licenses_makes_the_input_set_unusable),
    T(unterminated_quote_at_end_of_scrt_report_rejects_the_machine_owner),
    T(unknown_column_in_licenses_header_makes_the_input_set_unusable),
    T(missing_required_column_in_products_makes_the_input_set_unusable),
    T(misspelt_column_in_customers_header_is_reported_once_not_for_every_row),
    T(nul_inside_an_order_number_rejects_the_customer),
    F(escape_sequence_in_a_customer_name_rejects_the_customer),
    F(line_break_outside_an_address_rejects_the_customer),
    T(a_300_character_order_number_rejects_the_customer),
    T(a_long_bad_value_is_quoted_to_80_characters_with_its_length),
    T(nul_in_an_scrt_comment_rejects_the_machine_owner),
    T(two_rates_for_one_tax_and_date_make_the_input_set_unusable_R_X3),
    T(an_identical_price_row_twice_makes_the_input_set_unusable_R_W1),
    T(cpc_peak_above_machine_capacity_rejects_the_customer),
    T(receipt_before_the_period_ended_rejects_the_machine_owner_R_T2),
    T(licenses_that_replace_each_other_reject_the_customer_R_S1),
    T(a_feature_of_a_feature_rejects_the_customer_R_W6),
    F(products_that_are_each_others_parent_make_the_input_set_unusable_R_I2),
  };
#undef T
#undef F
  /* the cases are run in two halves, by two programs (test_bad_input, test_bad_input_b: the same file), so
   * that `make test`, two programs at a time, is not waiting on this one */
  struct CMUnitTest half[sizeof(tests) / sizeof(tests[0])];
  size_t n = 0;
  for(size_t i = BAD_INPUT_HALF; i < sizeof(tests) / sizeof(tests[0]); i += 2)
    half[n++] = tests[i];
  return _cmocka_run_group_tests(BAD_INPUT_HALF ? "bad input, second half" : "bad input, first half", half, n, NULL,
                                 NULL);
}
