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

static char tmp[64];

static int setup(void **state)
{
  (void)state;
  strcpy(tmp, "/tmp/lb-ledger-XXXXXX");
  assert_non_null(mkdtemp(tmp));
  return 0;
}

static int teardown(void **state)
{
  (void)state;
  /* a failed test may have left its mounts behind */
  e2e_sh(NULL, "umount %s/full %s/ro 2>/dev/null; true", tmp, tmp);
  return e2e_sh(NULL, "rm -rf %s", tmp);
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
  assert_int_equal(ledger_reserve(l, "C1", month_from_ym(2026, 11), DOC_INVOICE, NULL, run, &a), 0);
  assert_int_equal(ledger_reserve(l, "C2", month_from_ym(2026, 12), DOC_INVOICE, NULL, run, &b), 0);
  assert_int_equal(ledger_reserve(l, "C1", month_from_ym(2027, 1), DOC_INVOICE, NULL, run, &c), 0);
  assert_string_equal(a.number, "INV-2026-000001");
  assert_string_equal(b.number, "INV-2026-000002");
  assert_string_equal(c.number, "INV-2027-000001"); /* the year restarts the sequence */
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
  char path[128], v[32];
  ledger *l = NULL;
  diag_list d;
  lb_month set_in;
  diag_init(&d);
  snprintf(path, sizeof(path), "%s/state.db", tmp);
  assert_int_equal(ledger_open(&l, path, &d), 0);
  assert_int_equal(ledger_state_set(l, "C1", "subcap_start:M1", month_from_ym(2026, 11), "2026-12"), 0);
  assert_int_equal(ledger_state_get(l, "C1", "subcap_start:M1", month_from_ym(2026, 11), v, sizeof(v), NULL), 0);
  assert_int_equal(ledger_state_get(l, "C1", "subcap_start:M1", month_from_ym(2026, 12), v, sizeof(v), &set_in), 1);
  assert_string_equal(v, "2026-12");
  assert_int_equal(set_in, month_from_ym(2026, 11));
  ledger_close(l);
  diag_clear(&d);
}

/* R-T10 needs last month's MSUs: the ledger gives them back from the issued lines. */
static void last_months_msus_are_read_back_for_R_T10(void **state)
{
  (void)state;
  char *out = NULL, path[128];
  ledger *l = NULL;
  diag_list d;
  long msus = -1;
  diag_init(&d);
  assert_int_equal(e2e_sh(&out, "%s run --input sample --output %s/t10 --month 2026-11", e2e_licbill(), tmp), 0);
  free(out);
  snprintf(path, sizeof(path), "%s/t10/ledger.db", tmp);
  assert_int_equal(ledger_open(&l, path, &d), 0);
  /* a sysplex line: either serial finds the summed MSUs */
  assert_int_equal(ledger_billed_msus(l, "C1001", month_from_ym(2026, 11), "82-C5DC9", "5650-ZOS", "AWLC", &msus), 1);
  assert_int_equal(msus, 712);
  assert_int_equal(ledger_billed_msus(l, "C1002", month_from_ym(2026, 11), "51-A1B2C", "5655-YA1", "AWLC", &msus), 1);
  assert_int_equal(msus, 400);
  assert_int_equal(ledger_billed_msus(l, "C1002", month_from_ym(2026, 10), "51-A1B2C", "5655-YA1", "AWLC", &msus), 0);
  assert_int_equal(ledger_billed_msus(l, "C1001", month_from_ym(2026, 11), "82-C5DC", "5650-ZOS", "AWLC", &msus), 0);
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
  assert_string_equal(out, "1\nwal\n");
  free(out);
  assert_int_equal(e2e_sh(NULL, "sqlite3 %s \"update meta set value = '99' where key = 'schema_version'\"", path), 0);
  l = NULL;
  assert_int_equal(ledger_open(&l, path, &d), LB_EIO);
  assert_null(l);
  assert_non_null(strstr(d.v[0].message, "ledger schema version 99 is newer than this licbill understands"));
  diag_clear(&d);
}

/* Kill the run at every crash point in turn; each re-run must give the
 * uninterrupted run's files byte for byte and numbers without gap or twin. */
static void a_run_killed_at_any_point_completes_identically_on_rerun(void **state)
{
  (void)state;
  char *out = NULL;
  int points = 0;
  assert_int_equal(e2e_sh(&out, "%s gen --output %s/in --customers 15 --seed 7 && "
                            "%s run --input %s/in --output %s/ref --month 2026-11", e2e_licbill(), tmp, e2e_licbill(), tmp, tmp), 0);
  free(out);
  assert_int_equal(e2e_sh(&out, "sqlite3 %s/ref/ledger.db \"select count(*) from documents\"", tmp), 0);
  int docs = atoi(out);
  free(out);
  assert_true(docs >= 14);
  for(int k = 1; k < 500; k++) {
    int rc = e2e_sh(&out, "rm -rf %s/k && LICBILL_CRASH_AT=%d %s run --input %s/in --output %s/k --month 2026-11", tmp, k,
                e2e_licbill(), tmp, tmp);
    if(rc == 0) {
      free(out);
      break; /* past the last crash point */
    }
    if(rc != 128 + 9)
      fail_msg("crash point %d: expected SIGKILL, got status %d: %s", k, rc, out);
    assert_non_null(strstr(out, "crash point"));
    free(out);
    points++;
    rc = e2e_sh(&out, "%s run --input %s/in --output %s/k --month 2026-11", e2e_licbill(), tmp, tmp);
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
  print_message("crash points exercised: %d\n", points);
  assert_true(points >= 50);
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
  assert_int_equal(e2e_sh(NULL, "mkdir -p %s/full && mount -t tmpfs -o size=150k tmpfs %s/full", tmp, tmp), 0);
  int rc = e2e_sh(&out, "%s run --input sample --output %s/full/out --month 2026-11", e2e_licbill(), tmp);
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
  assert_int_equal(e2e_sh(&out, "%s run --input sample --output %s/ro/out --month 2026-11", e2e_licbill(), tmp), 4);
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
    cmocka_unit_test(last_months_msus_are_read_back_for_R_T10),
    cmocka_unit_test(a_run_killed_at_any_point_completes_identically_on_rerun),
    cmocka_unit_test(a_full_disk_exits_4_and_leaves_no_half_file),
    cmocka_unit_test(a_read_only_output_exits_4_with_a_message),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
