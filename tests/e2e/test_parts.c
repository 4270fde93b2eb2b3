/* test_parts.c - a month on several machines (plan, render --part K/N, seal) gives exactly what one `licbill run`
 * gives: the same files, bytes, numbers and ledger, for any number of parts; a part killed or run twice changes
 * nothing; a missing or damaged part stops the seal with the list (exit 4) until it is rendered again; a month
 * planned again after an input fix keeps its numbers; the carried state is in the one ledger only. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "tests/support/e2e.h"

#define MONTH "2026-11"
#define ISSUE "2026-12-01"

static char *tmp;  /* scratch; tmp/ref is the sample billed by one `licbill run` (the release build's: the
                    * reference the parts are compared with; test_golden bills the sample under the sanitizers) */
static char *bin;  /* licbill, absolute */
static char cwd[4096]; /* the repository (sample/, tests/) */

/* The shell's helpers: bill OUT with N parts run side by side (exit codes "plan render... seal" on stdout). */
#define PARTS_SH                                                                                               \
  "parts() { in=$1 out=$2 m=$3 day=$4 n=$5; shift 5; "                                                      \
  "%s plan --input $in --output $out --month $m --issue-date $day --parts $n \"$@\" 2>/dev/null; p=$?; "      \
  "k=1; pids=''; while [ $k -le $n ]; do %s render --input $in --output $out --month $m --part $k/$n "       \
  "2>/dev/null & pids=\"$pids $!\"; k=$((k + 1)); done; r=''; for j in $pids; do wait $j; r=\"$r$?\"; done; " \
  "%s seal --input $in --output $out --month $m 2>/dev/null; echo \"$p $r $?\"; }; "

static int setup(void **state)
{
  (void)state;
  char *rel;
  if(!getcwd(cwd, sizeof(cwd)) || !(tmp = e2e_mkdtemp("parts")) || !(bin = realpath(e2e_licbill(), NULL)) ||
     !(rel = realpath(e2e_licbill_rel(), NULL)))
    return -1;
  int rc = e2e_sh(NULL, "%s run --input sample --output %s/ref --month " MONTH " --issue-date " ISSUE " 2>/dev/null",
                  rel, tmp);
  free(rel);
  return rc;
}

static int teardown(void **state)
{
  (void)state;
  e2e_rm_tree(tmp);
  free(tmp);
  free(bin);
  return 0;
}

static void parts_give_the_single_run_byte_for_byte_for_1_2_and_5_parts(void **state)
{
  (void)state;
  char *out = NULL;
  /* two parts in the fast suite; one and five too in the slow one */
  int slow = getenv("LICBILL_SLOW") != NULL;
  for(int n = slow ? 1 : 2; n <= (slow ? 5 : 2); n += n == 1 ? 1 : 3) {
    char want[32];
    snprintf(want, sizeof(want), "0 %.*s 0\n", n, "00000");
    assert_int_equal(e2e_sh(&out, PARTS_SH "parts sample %s/p%d " MONTH " " ISSUE " %d", bin, bin, bin, tmp, n, n),
                     0);
    assert_string_equal(out, want);
    free(out);
    assert_int_equal(e2e_sh(&out, "sh tests/e2e/same_month.sh %s/ref %s/p%d " MONTH, tmp, tmp, n), 0);
    assert_string_equal(out, "");
    free(out);
    /* and what verify checks of a month holds */
    assert_int_equal(e2e_sh(&out, "%s verify --output %s/p%d >/dev/null", bin, tmp, n), 0);
    free(out);
  }
}

/* Two generated months, the second priced with what the first carried (IPLA VUs, graduated groups, usage bases,
 * ILC/PLC...): by parts as by single runs, with the ledger out of reach while the parts render. */
static void a_generated_month_and_its_carried_state_bill_as_one_run_does(void **state)
{
  (void)state;
  char *out = NULL;
  if(!getenv("LICBILL_SLOW"))
    skip();
  assert_int_equal(e2e_sh(&out, "cd %s && %s gen --output g10 --customers 30 --month 2026-10 && %s gen --output g11 "
                                "--customers 30 --month 2026-11 && "
                                "%s run --input g10 --output one --month 2026-10 --issue-date 2026-11-01 2>/dev/null && "
                                "%s run --input g11 --output one --month 2026-11 --issue-date 2026-12-01 2>/dev/null",
                          tmp, bin, bin, bin, bin), 0);
  free(out);
  /* the parts of October render with the ledger moved away: they never open it */
  assert_int_equal(e2e_sh(&out, "cd %s && %s plan --input g10 --output many --month 2026-10 --issue-date 2026-11-01 "
                                "--parts 2 2>/dev/null && mv many/ledger.db many/ledger.away && "
                                "%s render --input g10 --output many --month 2026-10 --part 1/2 && "
                                "%s render --input g10 --output many --month 2026-10 --part 2/2 --jobs 2 && "
                                "find many -name '*.db*' && mv many/ledger.away many/ledger.db && "
                                "%s seal --input g10 --output many --month 2026-10",
                          tmp, bin, bin, bin, bin), 0);
  assert_string_equal(out, "");
  free(out);
  assert_int_equal(e2e_sh(&out, PARTS_SH "cd %s && parts g11 many 2026-11 2026-12-01 3 --jobs 2", bin, bin, bin, tmp),
                   0);
  assert_string_equal(out, "0 000 0\n");
  free(out);
  assert_int_equal(e2e_sh(&out, "cd %s && sqlite3 many/ledger.db \"select count(*) > 10 from carried where month = "
                                "'2026-10' and kind != 'capacity'\" && sh %s/tests/e2e/same_month.sh one many 2026-10 "
                                "&& sh %s/tests/e2e/same_month.sh one many 2026-11",
                          tmp, cwd, cwd), 0);
  assert_string_equal(out, "1\n");
  free(out);
}

static void a_part_killed_or_run_twice_changes_nothing(void **state)
{
  (void)state;
  char *out = NULL;
  assert_int_equal(e2e_sh(&out, "%s plan --input sample --output %s/k --month " MONTH " --issue-date " ISSUE
                                " --parts 2 2>/dev/null", bin, tmp), 0);
  free(out);
  /* killed (SIGKILL) after its second invoice: no receipt, so the seal refuses and issues nothing */
  assert_int_equal(e2e_sh(&out, "LICBILL_CRASH_AT=3 %s render --input sample --output %s/k --month " MONTH
                                " --part 1/2", bin, tmp), 128 + 9);
  free(out);
  assert_int_equal(e2e_sh(&out, "%s seal --input sample --output %s/k --month " MONTH, bin, tmp), 4);
  assert_non_null(strstr(out, "part 1/2 has not finished (9 documents): no receipt"));
  assert_non_null(strstr(out, "part 2/2 has not finished (8 documents): no receipt"));
  assert_non_null(strstr(out, "seal of 2026-11 refused: 2 problems in 2 of 2 parts"));
  free(out);
  assert_int_equal(e2e_sh(&out, "sqlite3 %s/k/ledger.db \"select status, count(*) from documents group by status\"",
                          tmp), 0);
  assert_string_equal(out, "pending|17\n");
  free(out);
  /* each part twice, the killed one too: the same files and receipts */
  assert_int_equal(e2e_sh(&out, "cd %s/k && for k in 1 2; do %s render --input %s/sample --output . --month " MONTH
                                " --part $k/2 || exit 1; done && find 2026-11 .parts -type f | sort | xargs sha256sum "
                                "> ../k1.sum && for k in 2 1; do %s render --input %s/sample --output . --month " MONTH
                                " --part $k/2 --jobs 2 || exit 1; done && find 2026-11 .parts -type f | sort | "
                                "xargs sha256sum | diff ../k1.sum -",
                          tmp, bin, cwd, bin, cwd), 0);
  assert_string_equal(out, "");
  free(out);
  assert_int_equal(e2e_sh(&out, "%s seal --input sample --output %s/k --month " MONTH " 2>/dev/null && "
                                "sh tests/e2e/same_month.sh %s/ref %s/k " MONTH, bin, tmp, tmp, tmp), 0);
  assert_string_equal(out, "");
  free(out);
  /* a part run after the seal does nothing, and says so */
  assert_int_equal(e2e_sh(&out, "%s render --input sample --output %s/k --month " MONTH " --part 2/2 && "
                                "sh tests/e2e/same_month.sh %s/ref %s/k " MONTH, bin, tmp, tmp, tmp), 0);
  assert_string_equal(out, "licbill: the plan of 2026-11 is sealed already: part 2/2 has nothing to do\n");
  free(out);
}

static void a_missing_or_damaged_part_stops_the_seal_with_the_list_until_rendered_again(void **state)
{
  (void)state;
  char *out = NULL;
  assert_int_equal(e2e_sh(&out, "cd %s && %s plan --input %s/sample --output d --month " MONTH " --issue-date " ISSUE
                                " --parts 3 2>/dev/null && for k in 1 3; do %s render --input %s/sample --output d "
                                "--month " MONTH " --part $k/3 || exit 1; done && "
                                "printf x >> d/" MONTH "/evidence/INV-2026-000003-audit.pdf && "
                                "rm d/" MONTH "/invoices/INV-2026-000006.pdf",
                          tmp, bin, cwd, bin, cwd), 0);
  free(out);
  assert_int_equal(e2e_sh(&out, "cd %s && { %s seal --input %s/sample --output d --month " MONTH " 2>&1; "
                                "echo \"exit $?\"; } | sed 's/sha256 [0-9a-f]*, expected [0-9a-f]*/sha256 X, expected Y/; "
                                "'", tmp, bin, cwd), 0);
  assert_string_equal(out,
    "d/.parts/2026-11/part-2-of-3.done: part 2/3 has not finished (6 documents): no receipt, expected `licbill "
    "render --part 2/3` to have run to its end\n"
    "d/2026-11/evidence/INV-2026-000003-audit.pdf: INV-2026-000003 of part 3/3 is damaged: sha256 X, expected Y as "
    "the part's receipt says\n"
    "d/2026-11/invoices/INV-2026-000006.pdf: INV-2026-000006 of part 3/3 is missing (No such file or directory), "
    "expected the file the part's receipt names\n"
    "licbill: seal of 2026-11 refused: 3 problems in 2 of 3 parts, listed above; nothing was issued. Render the "
    "parts named again (`licbill render ... --part K/3`), then seal\n"
    "exit 4\n");
  free(out);
  assert_int_equal(e2e_sh(&out, "sqlite3 %s/d/ledger.db \"select count(*) from documents where status = 'issued'\"; "
                                "test ! -e %s/d/" MONTH "/MANIFEST", tmp, tmp), 0);
  assert_string_equal(out, "0\n");
  free(out);
  /* the parts named, rendered again: the seal completes the month as one run would have */
  assert_int_equal(e2e_sh(&out, "cd %s && for k in 2 3; do %s render --input %s/sample --output d --month " MONTH
                                " --part $k/3 || exit 1; done && %s seal --input %s/sample --output d --month " MONTH
                                " 2>/dev/null && cd %s && sh tests/e2e/same_month.sh %s/ref %s/d " MONTH,
                          tmp, bin, cwd, bin, cwd, cwd, tmp, tmp), 0);
  assert_string_equal(out, "");
  free(out);
}

/* A customer rejected by the plan, fixed, and the month planned again: every number reserved before is kept,
 * the fixed customer gets the next one, as two runs would have given; no number twice, none skipped. */
static void the_month_planned_again_after_an_input_fix_keeps_its_numbers(void **state)
{
  (void)state;
  char *out = NULL;
  assert_int_equal(e2e_sh(&out, "cd %s && cp -a %s/sample fix && sed -i 's/^C1005,\\(.*\\),EUR,BP-CH/C1005,\\1,XYZ,BP-CH/' "
                                "fix/customers.csv && grep -c XYZ fix/customers.csv", tmp, cwd), 0);
  assert_string_equal(out, "1\n");
  free(out);
  assert_int_equal(e2e_sh(&out, "cd %s && %s plan --input fix --output re --month " MONTH " --issue-date " ISSUE
                                " --parts 2 >/dev/null 2>&1; echo $?; %s run --input fix --output two --month " MONTH
                                " --issue-date " ISSUE " >/dev/null 2>&1; echo $?", tmp, bin, bin), 0);
  assert_string_equal(out, "1\n1\n");
  free(out);
  /* rendered from the first plan, the parts are stale once the month is planned again */
  assert_int_equal(e2e_sh(&out, "cd %s && %s render --input fix --output re --month " MONTH " --part 1/2 && "
                                "sed -i 's/,XYZ,BP-CH/,EUR,BP-CH/' fix/customers.csv && "
                                "%s render --input fix --output re --month " MONTH " --part 2/2", tmp, bin, bin), 4);
  assert_non_null(strstr(out, "is not the one the plan of 2026-11 was made from"));
  free(out);
  assert_int_equal(e2e_sh(&out, PARTS_SH "cd %s && parts fix re " MONTH " " ISSUE " 2 && "
                                "%s run --input fix --output two --month " MONTH " --issue-date " ISSUE " 2>/dev/null",
                          bin, bin, bin, tmp, bin), 0);
  assert_string_equal(out, "0 00 0\n");
  free(out);
  assert_int_equal(e2e_sh(&out, "cd %s && q='select number, customer_id, kind, status, total, issue_date from documents "
                                "order by number' && test \"$(sqlite3 re/ledger.db \"$q\")\" = \"$(sqlite3 two/ledger.db "
                                "\"$q\")\" && diff -r two/" MONTH " re/" MONTH " && cmp two/archive/" MONTH ".tar.gz "
                                "re/archive/" MONTH ".tar.gz && sqlite3 re/ledger.db \"select count(*), count(distinct "
                                "number), count(distinct customer_id), max(seq) from documents\" && "
                                "sqlite3 re/ledger.db \"select number from documents where customer_id = 'C1005'\"",
                          tmp), 0);
  assert_string_equal(out, "17|17|17|17\nINV-2026-000017\n");
  free(out);
}

static void usage_of_the_phases_and_the_retired_shard(void **state)
{
  (void)state;
  char *out = NULL;
  assert_int_equal(e2e_sh(&out, "%s run --input sample --output %s/x --month " MONTH " --shard 1/2", bin, tmp), 2);
  assert_non_null(strstr(out, "--shard 1/2 is retired"));
  assert_non_null(strstr(out, "`licbill plan --parts N`, then `licbill render --part K/N` on each machine"));
  free(out);
  assert_int_equal(e2e_sh(&out, "%s render --input sample --output %s/x --month " MONTH, bin, tmp), 2);
  assert_non_null(strstr(out, "--part K/N is required"));
  free(out);
  assert_int_equal(e2e_sh(&out, "%s render --input sample --output %s/x --month " MONTH " --part 3/2", bin, tmp), 2);
  free(out);
  assert_int_equal(e2e_sh(&out, "%s render --input sample --output %s/x --month " MONTH " --part 1/2 --ledger l.db",
                          bin, tmp), 2);
  assert_non_null(strstr(out, "never opens the ledger"));
  free(out);
  assert_int_equal(e2e_sh(&out, "%s seal --input sample --output %s/x --month " MONTH " --issue-date " ISSUE, bin,
                          tmp), 2);
  free(out);
  assert_int_equal(e2e_sh(&out, "%s plan --input sample --output %s/x --month " MONTH " --issue-date " ISSUE
                                " --dry-run", bin, tmp), 2);
  assert_non_null(strstr(out, "a preview is `licbill run --dry-run`"));
  free(out);
  /* a month never planned: render and seal say so, exit 4 */
  assert_int_equal(e2e_sh(&out, "%s seal --input sample --output %s/x --month " MONTH, bin, tmp), 4);
  assert_non_null(strstr(out, "expected `licbill plan` for this month first"));
  free(out);
  /* --part of another number of parts than the plan's */
  assert_int_equal(e2e_sh(&out, "%s render --input sample --output %s/p2 --month " MONTH " --part 1/3", bin, tmp), 2);
  assert_non_null(out);
  assert_non_null(strstr(out, "the plan of this month has 2 parts"));
  free(out);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(parts_give_the_single_run_byte_for_byte_for_1_2_and_5_parts),
    cmocka_unit_test(a_generated_month_and_its_carried_state_bill_as_one_run_does),
    cmocka_unit_test(a_part_killed_or_run_twice_changes_nothing),
    cmocka_unit_test(a_missing_or_damaged_part_stops_the_seal_with_the_list_until_rendered_again),
    cmocka_unit_test(the_month_planned_again_after_an_input_fix_keeps_its_numbers),
    cmocka_unit_test(usage_of_the_phases_and_the_retired_shard),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
