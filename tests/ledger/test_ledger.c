/* test_ledger.c - the ledger: gapless numbers, schema, state; crash safety under SIGKILL; failing storage. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tests/support/e2e.h"

#include "output/ledger.h"

static char *tmp;

static int setup(void **state)
{
  (void)state;
  tmp = e2e_mkdtemp("ledger");
  assert_non_null(tmp);
  return 0;
}

static int teardown(void **state)
{
  (void)state;
  /* a failed test may have left its mounts behind */
  e2e_sh(NULL, "umount %s/full %s/ro 2>/dev/null; true", tmp, tmp);
  int rc = e2e_sh(NULL, "rm -rf %s", tmp);
  free(tmp);
  return rc;
}

static void numbers_are_gapless_per_year_and_pending_rows_are_reused(void **state)
{
  (void)state;
  char path[128];
  ledger *l = NULL;
  diag_list d;
  ledger_doc a, b, c, cur;
  long long run;
  ledger_numbering got;
  diag_init(&d);
  snprintf(path, sizeof(path), "%s/unit.db", tmp);
  assert_int_equal(ledger_open(&l, path, &d), 0);
  assert_int_equal(ledger_numbering_use(l, NULL, &got, &d), 0);
  assert_string_equal(got.prefix, "INV-");
  assert_int_equal(got.width, 6);
  assert_int_equal(ledger_run_begin(l, month_from_ym(2026, 11), "00", &run), 0);
  /* the number's year is the issue date's: December billed on 2 January is numbered in 2027 */
  ledger_new na = {"C1", month_from_ym(2026, 11), DOC_INVOICE, NULL, NULL, date_from_ymd(2026, 12, 1),
                   month_from_ym(2026, 11), run};
  ledger_new nb = {"C2", month_from_ym(2026, 11), DOC_INVOICE, NULL, NULL, date_from_ymd(2026, 12, 2),
                   month_from_ym(2026, 11), run};
  ledger_new nc = {"C1", month_from_ym(2026, 12), DOC_INVOICE, NULL, NULL, date_from_ymd(2027, 1, 2),
                   month_from_ym(2026, 12), run};
  assert_int_equal(ledger_reserve(l, &na, &a), 0);
  assert_int_equal(ledger_reserve(l, &nb, &b), 0);
  assert_int_equal(ledger_reserve(l, &nc, &c), 0);
  assert_string_equal(a.number, "INV-2026-000001");
  assert_string_equal(b.number, "INV-2026-000002");
  assert_string_equal(c.number, "INV-2027-000001"); /* the year restarts the sequence */
  lb_date latest;
  assert_int_equal(ledger_latest_issue(l, &latest), 0);
  assert_int_equal(latest, date_from_ymd(2027, 1, 2));
  /* a reserved number is the customer's current (pending) invoice: a re-run takes it again */
  assert_int_equal(ledger_current_invoice(l, "C1", month_from_ym(2026, 11), &cur), 1);
  assert_string_equal(cur.number, "INV-2026-000001");
  assert_int_equal(cur.status, DOC_PENDING);
  assert_int_equal(ledger_current_invoice(l, "C3", month_from_ym(2026, 11), &cur), 0);
  /* the numbering cannot change once the ledger exists */
  ledger_numbering other = {"BILL-", 0, 8};
  assert_int_equal(ledger_numbering_use(l, &other, NULL, &d), LB_EINPUT);
  assert_non_null(strstr(d.v[0].message, "this ledger numbers documents as prefix 'INV-', with year, 6 digits"));
  ledger_close(l);
  diag_clear(&d);
}

static void state_is_read_from_earlier_months_only(void **state)
{
  (void)state;
  char path[128];
  ledger *l = NULL;
  diag_list d;
  ledger_history_set h;
  diag_init(&d);
  snprintf(path, sizeof(path), "%s/state.db", tmp);
  assert_int_equal(ledger_open(&l, path, &d), 0);
  carry_item c = {CARRY_SUBCAP_START, "M1", {month_from_ym(2026, 12), 0}};
  assert_int_equal(ledger_carry(l, "C1", month_from_ym(2026, 11), &c), 0);
  assert_int_equal(ledger_carried(l, "C1", month_from_ym(2026, 11), &h), 0);
  assert_int_equal(h.n, 0);
  ledger_history_set_clear(&h);
  assert_int_equal(ledger_carried(l, "C1", month_from_ym(2026, 12), &h), 0);
  assert_int_equal(h.n, 1);
  const carried *got = carry_find(&h, CARRY_SUBCAP_START, "M1");
  assert_non_null(got);
  assert_int_equal(got->value.month, month_from_ym(2026, 12));
  assert_int_equal(got->set_in, month_from_ym(2026, 11));
  ledger_history_set_clear(&h);
  ledger_close(l);
  diag_clear(&d);
}

/* What an earlier month carried is read back typed; a value that is not what its kind stores (a hand-edited
 * or damaged ledger) is refused with the reason, never read as a zero, a month or a guess (R-I6, R-U4, R-S1). */
static void a_damaged_carried_value_stops_the_run_not_a_guess(void **state)
{
  (void)state;
  static const struct {
    const char *kind, *subject, *value;
  } bad[] = {{"iio_vu", "FA4", "nine"}, {"usage_basis", "MULC:M1:DB2", "lots"}, {"svc_start", "L2", "Dec 2025"}};
  for(size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
    char path[128], *out = NULL, msg[256];
    ledger *l = NULL;
    diag_list d;
    ledger_history_set h;
    diag_init(&d);
    snprintf(path, sizeof(path), "%s/damaged-%zu.db", tmp, i);
    assert_int_equal(ledger_open(&l, path, &d), 0);
    ledger_close(l);
    assert_int_equal(e2e_sh(&out, "sqlite3 %s \"INSERT INTO carried VALUES('C1', '%s', '%s', '2026-10', '%s')\"", path,
                            bad[i].kind, bad[i].subject, bad[i].value), 0);
    free(out);
    assert_int_equal(ledger_open(&l, path, &d), 0);
    assert_int_equal(ledger_carried(l, "C1", month_from_ym(2026, 11), &h), LB_EIO);
    snprintf(msg, sizeof(msg), "carried state %s %s of customer C1 set in '2026-10' is '%s', expected what licbill "
             "records for that kind", bad[i].kind, bad[i].subject, bad[i].value);
    assert_string_equal(ledger_errmsg(l), msg);
    assert_int_equal(h.n, 0);
    ledger_close(l);
    diag_clear(&d);
  }
}

/* A sysplex line names each of its machines exactly: either serial finds it, a prefix of one does not (the
 * ledger keeps the printed list; the machines are read back through the one codec). */
static void a_sysplex_line_is_read_back_with_each_of_its_machines(void **state)
{
  (void)state;
  char *out = NULL, path[128];
  ledger *l = NULL;
  diag_list d;
  invoice inv;
  ledger_doc doc;
  diag_init(&d);
  /* the ledger is read here, in this process; the release build writes it (test_golden bills the sample under
   * the sanitizers) */
  assert_int_equal(e2e_sh(&out, "%s run --input sample --output %s/t10 --month 2026-11 --issue-date 2026-12-01", e2e_licbill_rel(), tmp), 0);
  free(out);
  snprintf(path, sizeof(path), "%s/t10/ledger.db", tmp);
  assert_int_equal(ledger_open(&l, path, &d), 0);
  assert_int_equal(ledger_load(l, "INV-2026-000001", &inv, &doc), 0);
  const charge_line *zos = NULL;
  for(size_t i = 0; i < inv.nlines && !zos; i++)
    if(!strcmp(inv.lines[i].product_id, "5650-ZOS"))
      zos = &inv.lines[i];
  assert_non_null(zos);
  assert_int_equal(zos->nmachines, 2);
  assert_true(invoice_line_has_serial(zos, "82-C5DC9"));
  assert_true(invoice_line_has_serial(zos, "82-C5DC8"));
  assert_false(invoice_line_has_serial(zos, "82-C5DC"));
  assert_int_equal(zos->quantity, 712);
  assert_string_equal(zos->serial, "82-C5DC8+82-C5DC9");
  invoice_clear(&inv);
  ledger_close(l);
  diag_clear(&d);
}

static void a_newer_schema_is_refused_and_migrations_record_the_version(void **state)
{
  (void)state;
  char *out = NULL;
  char path[128];
  ledger *l = NULL;
  diag_list d;
  diag_init(&d);
  snprintf(path, sizeof(path), "%s/schema.db", tmp);
  assert_int_equal(ledger_open(&l, path, &d), 0);
  ledger_close(l);
  assert_int_equal(e2e_sh(&out, "sqlite3 %s \"select value from meta where key = 'schema_version'; "
                            "pragma journal_mode;\"", path), 0);
  assert_string_equal(out, "4\nwal\n");
  free(out);
  assert_int_equal(e2e_sh(NULL, "sqlite3 %s \"update meta set value = '99' where key = 'schema_version'\"", path), 0);
  l = NULL;
  assert_int_equal(ledger_open(&l, path, &d), LB_EIO);
  assert_null(l);
  assert_non_null(strstr(d.v[0].message, "ledger schema version 99 is newer than this licbill understands"));
  diag_clear(&d);
}

/* A ledger of schema 1 (an earlier licbill billed the sample month) is migrated on open: the audit steps it
 * holds become typed and read back byte for byte, and the migration issues nothing. Since that ledger was
 * written, the shares of annual charges round cumulatively (R-T9, R-0.1): C1016's S&S month 11 of 12 of
 * 1,000.00 is 83.34, no longer 83.33, and its uplift lines name R-T9 and; C1017's SWMA share names R-T6
 * (same amount). Billing the month again therefore corrects exactly the invoices billed differently, each with
 * a credit note and a new invoice (R-M8), and leaves the others as issued. */
static void a_schema_1_ledger_is_migrated_and_only_invoices_billed_differently_are_corrected_R_M8(void **state)
{
  (void)state;
  char *out = NULL, *before = NULL, *after = NULL;
  assert_int_equal(e2e_sh(&out, "mkdir -p %s/v1 && sqlite3 %s/v1/ledger.db < tests/data/ledger-v1/sample-2026-11.sql && "
                                "%s run --input sample --output %s/v1 --month 2026-11 --issue-date 2026-12-01", tmp, tmp, e2e_licbill(), tmp), 0);
  free(out);
  assert_int_equal(e2e_sh(&out, "sqlite3 %s/v1/ledger.db \"select value from meta where key = 'schema_version'; "
                                "select count(*), sum(kind = 'credit_note') from documents; select count(*) from runs; "
                                "select customer_id, corrects from documents where kind = 'credit_note' order by number; "
                                "select count(*) from documents where superseded_by is not null\"",
                          tmp), 0);
  /* C1016's S&S share is now 83.34 (cumulative shares): corrected. C1004's 0A-9D002 had its start recorded as
   * December by the old licbill; billing November again finds no start before it, and its first report drives
   * November, so it is billed on it (R-W3): VWLC 100 MSUs 6,902.50, not 250 MSUs 13,605.63: corrected.
   * C1009's transition reduction now covers 5655-YA1 on one machine of its sysplex too (R-W11): -834.20, not
   * -640.43: corrected. C1008's NALC machine N1-10002, raised to 180 MSUs on 12 Nov and lowered on 26 Nov,
   * is billed on its 1 Nov configuration of 150 MSUs (R-T10: the increase begins on 1 Dec), subtotal
   * 19,472.80, not 20,072.80: corrected. C1017's SWMA line only gained a rule id (R-T6): wording is not identity
   * (INVOICE_IDENTITY_VERSION), so it stays as issued */
  assert_string_equal(out, "4\n25|4\n2\nC1004|INV-2026-000004\nC1008|INV-2026-000008\nC1009|INV-2026-000009\n"
                           "C1016|INV-2026-000016\n4\n");
  free(out);
  /* every issued document's trail reads back as it was written; the corrections follow it */
  before = e2e_read_file("tests/data/ledger-v1/audit-2026-11.csv", NULL);
  char path[160];
  snprintf(path, sizeof(path), "%s/v1/2026-11/audit.csv", tmp);
  after = e2e_read_file(path, NULL);
  assert_non_null(before);
  assert_non_null(after);
  assert_true(strlen(after) > strlen(before));
  assert_memory_equal(after, before, strlen(before));
  assert_non_null(strstr(after + strlen(before), "round(1000.00 x 11/12) - round(1000.00 x 10/12) = 916.67 - 833.33 = 83.34"));
  free(before);
  free(after);
}

/* The families of crash points (ledger_crash_point): the first five come once per document, in an order the
 * worker threads decide; the last two once per run, at its end. */
static const char *const crash_families[] = {
  "reserve: inside the transaction", "after an invoice PDF is written", "after an evidence PDF is written",
  "after an invoice is recorded",    "issue: inside the transaction",   "after the month's CSV files",
  "after the month is sealed",
};
#define NFAMILIES (sizeof(crash_families) / sizeof(crash_families[0]))

/* Kill the run of tmp/in into tmp/k at crash point k, with the release build: up to there it goes the way the
 * uninterrupted run under the sanitizers went. Returns the index of k's family, -1 when the run completed (k is
 * past the last point). */
static int kill_at(int k)
{
  char *out = NULL, *at;
  int rc = e2e_sh(&out, "rm -rf %s/k && LICBILL_CRASH_AT=%d %s run --input %s/in --output %s/k --month 2026-11 "
                        "--issue-date 2026-12-01", tmp, k, e2e_licbill_rel(), tmp, tmp);
  if(rc == 0) {
    free(out);
    return -1;
  }
  if(rc != 128 + 9)
    fail_msg("crash point %d: expected SIGKILL, got status %d: %s", k, rc, out);
  at = strstr(out, "crash point");
  at = at ? strstr(at, "reached (") : NULL;
  for(size_t f = 0; at && f < NFAMILIES; f++) {
    size_t n = strlen(crash_families[f]);
    if(!strncmp(at + 9, crash_families[f], n) && at[9 + n] == ')') {
      free(out);
      return (int)f;
    }
  }
  fail_msg("crash point %d of no family listed in crash_families: %s", k, out);
  return -2;
}

/* Run again, under the sanitizers, what kill_at(k) killed: the uninterrupted run's files byte for byte, and
 * its `docs` numbers without gap or twin. */
static void rerun_completes_identically(int k, int docs)
{
  char *out = NULL;
  int rc = e2e_sh(&out, "%s run --input %s/in --output %s/k --month 2026-11 --issue-date 2026-12-01", e2e_licbill(), tmp, tmp);
  if(rc != 0)
    fail_msg("crash point %d: the re-run exited %d: %s", k, rc, out);
  free(out);
  rc = e2e_sh(&out, "diff -r %s/ref/2026-11 %s/k/2026-11", tmp, tmp);
  if(rc != 0)
    fail_msg("crash point %d: outputs differ from the uninterrupted run: %s", k, out);
  free(out);
  /* gapless, no twin, all issued, one invoice per customer */
  assert_int_equal(e2e_sh(&out, "sqlite3 %s/k/ledger.db \"select count(*), count(distinct number), min(seq), max(seq), "
                            "sum(status = 'issued'), count(distinct customer_id) from documents\"", tmp), 0);
  char want[64];
  snprintf(want, sizeof(want), "%d|%d|1|%d|%d|%d\n", docs, docs, docs, docs, docs);
  if(strcmp(out, want))
    fail_msg("crash point %d: ledger %s, expected %s", k, out, want);
  free(out);
}

/* Kill the run at crash point k (kill_at) and, under test-slow or the first time k's family is reached, run it
 * again (rerun_completes_identically). Returns k's family, -1 past the last point. */
static int visit(int k, int docs, int slow, int *seen, int *points)
{
  int f = kill_at(k);
  if(f >= 0 && (slow || !seen[f])) {
    rerun_completes_identically(k, docs);
    (*points)++;
  }
  if(f >= 0)
    seen[f]++;
  return f;
}

/* Kill the run at crash points; each re-run must give the uninterrupted run's files byte for byte and numbers
 * without gap or twin. make test-slow (LICBILL_SLOW=1): every point. make test: the first point of each of the
 * seven families (other kills, which only find the points, are not run again). */
static void a_run_killed_at_any_point_completes_identically_on_rerun(void **state)
{
  (void)state;
  char *out = NULL;
  int points = 0, seen[NFAMILIES] = {0}, last = 0, k, f;
  assert_int_equal(e2e_sh(&out, "%s gen --output %s/in --customers 15 --seed 7 && "
                            "%s run --input %s/in --output %s/ref --month 2026-11 --issue-date 2026-12-01", e2e_licbill(), tmp, e2e_licbill(), tmp, tmp), 0);
  free(out);
  assert_int_equal(e2e_sh(&out, "sqlite3 %s/ref/ledger.db \"select count(*) from documents\"", tmp), 0);
  int docs = atoi(out);
  free(out);
  assert_true(docs >= 14);
  int slow = getenv("LICBILL_SLOW") != NULL;
  /* going up from the first point: all of them (test-slow), or until the five per-document families are in */
  size_t per_doc = 0;
  for(k = 1; k < 500 && (slow || per_doc < 5); k++) {
    if((f = visit(k, docs, slow, seen, &points)) < 0)
      break; /* past the last point */
    per_doc += seen[f] == 1 && f < 5;
    last = k;
  }
  /* make test: the last two points (the month's CSV files, the seal) come once per run, at its end; the last
   * point is found by halving the range between a point that kills and one that does not (kills only) */
  if(!slow && per_doc == 5) {
    int hi = 500;
    assert_true(kill_at(hi) < 0);
    while(hi - last > 1) {
      int mid = last + (hi - last) / 2;
      if(kill_at(mid) < 0)
        hi = mid;
      else
        last = mid;
    }
    for(k = last; k > last - 2 && k > 0; k--)
      visit(k, docs, slow, seen, &points);
  }
  for(f = 0; f < (int)NFAMILIES; f++)
    if(!seen[f])
      fail_msg("no crash point of family '%s' was reached", crash_families[f]);
  print_message("crash points exercised: %d of %d\n", points, last);
  assert_true(points >= (slow ? 50 : (int)NFAMILIES));
}

/* Storage that fails: a full disk (small tmpfs) and a read-only folder. */
static int can_mount(void)
{
  return e2e_sh(NULL, "mkdir -p %s/probe && mount -t tmpfs -o size=1m tmpfs %s/probe && umount %s/probe", tmp, tmp, tmp) == 0;
}

static void a_full_disk_exits_4_and_leaves_no_half_file(void **state)
{
  (void)state;
  char *out = NULL;
  if(!can_mount()) {
    print_message("cannot mount a tmpfs here (not root?): skipped\n");
    skip();
  }
  assert_int_equal(e2e_sh(NULL, "mkdir -p %s/full && mount -t tmpfs -o size=600k tmpfs %s/full", tmp, tmp), 0);
  int rc = e2e_sh(&out, "%s run --input sample --output %s/full/out --month 2026-11 --issue-date 2026-12-01", e2e_licbill(), tmp);
  if(rc != 4 || (!strstr(out, "No space left on device") && !strstr(out, "database or disk is full")))
    fail_msg("expected exit 4 and a full-disk message, got %d: %s", rc, out);
  free(out);
  /* whatever exists under a final name is whole: every PDF checks, no temporary is left */
  assert_int_equal(e2e_sh(&out, "cd %s/full/out/2026-11 && for f in $(ls invoices); do qpdf --check invoices/$f >/dev/null "
                            "|| echo BAD $f; done; find . -name '.*.tmp'", tmp), 0);
  assert_string_equal(out, "");
  free(out);
  assert_int_equal(e2e_sh(NULL, "umount %s/full", tmp), 0);
}

static void a_read_only_output_exits_4_with_a_message(void **state)
{
  (void)state;
  char *out = NULL;
  if(!can_mount()) {
    print_message("cannot mount a tmpfs here (not root?): skipped\n");
    skip();
  }
  assert_int_equal(e2e_sh(NULL, "mkdir -p %s/ro && mount -t tmpfs -o size=1m tmpfs %s/ro && mkdir %s/ro/out && "
                            "mount -o remount,ro %s/ro", tmp, tmp, tmp, tmp), 0);
  assert_int_equal(e2e_sh(&out, "%s run --input sample --output %s/ro/out --month 2026-11 --issue-date 2026-12-01", e2e_licbill(), tmp), 4);
  assert_non_null(strstr(out, "Read-only file system"));
  free(out);
  assert_int_equal(e2e_sh(NULL, "umount %s/ro", tmp), 0);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(numbers_are_gapless_per_year_and_pending_rows_are_reused),
    cmocka_unit_test(state_is_read_from_earlier_months_only),
    cmocka_unit_test(a_newer_schema_is_refused_and_migrations_record_the_version),
    cmocka_unit_test(a_sysplex_line_is_read_back_with_each_of_its_machines),
    cmocka_unit_test(a_damaged_carried_value_stops_the_run_not_a_guess),
    cmocka_unit_test(a_schema_1_ledger_is_migrated_and_only_invoices_billed_differently_are_corrected_R_M8),
    cmocka_unit_test(a_run_killed_at_any_point_completes_identically_on_rerun),
    cmocka_unit_test(a_full_disk_exits_4_and_leaves_no_half_file),
    cmocka_unit_test(a_read_only_output_exits_4_with_a_message),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
