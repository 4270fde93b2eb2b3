/* test_archive.c - sealed months: MANIFEST chain, deterministic tar.gz that system tar restores, verify catching damage, prune. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "batch/verify.h"
#include "output/archive.h"
#include "output/manifest.h"
#include "tests/support/e2e.h"

/* Two months of the sample billed by the licbill binary, then sealed: the
 * state every test starts from (each on its own copy). November is billed by
 * the release build, as test_golden bills it under the sanitizers; December,
 * priced with what November carried, by the sanitizer build. */
typedef struct fx {
  char *root;   /* scratch folder */
  char *base;   /* root/base: the sealed output folder */
} fx;

static lb_month NOV, DEC;

static int run_licbill(const char *out, const char *month)
{
  /* issued the day after each month; December is billed ahead of the calendar */
  int dec = strcmp(month, "2026-12") == 0;
  const char *argv[] = {dec ? e2e_licbill() : e2e_licbill_rel(), "run", "--input", "sample", "--output", out,
                        "--month", month, "--issue-date", dec ? "2027-01-01" : "2026-12-01",
                        dec ? "--allow-open-month" : NULL, NULL};
  e2e_result r;
  if(e2e_run(&r, NULL, argv) || (r.code != 0 && r.code != 1)) {
    fprintf(stderr, "licbill run %s exited %d: %s\n", month, r.code, r.err);
    e2e_result_clear(&r);
    return -1;
  }
  e2e_result_clear(&r);
  return 0;
}

static int seal(const char *out, lb_month m)
{
  diag_list d;
  diag_init(&d);
  int rc = archive_seal_month(out, m, &d);
  if(rc)
    diag_print(&d, stderr);
  diag_clear(&d);
  return rc;
}

static int setup(void **state)
{
  fx *f = calloc(1, sizeof(*f));
  NOV = month_from_ym(2026, 11);
  DEC = month_from_ym(2026, 12);
  if(!f || !(f->root = e2e_mkdtemp("archive")) || !(f->base = e2e_path(f->root, "base")))
    return -1;
  if(run_licbill(f->base, "2026-11") || seal(f->base, NOV) || run_licbill(f->base, "2026-12") || seal(f->base, DEC))
    return -1;
  *state = f;
  return 0;
}

static int teardown(void **state)
{
  fx *f = *state;
  e2e_rm_tree(f->root);
  free(f->root);
  free(f->base);
  free(f);
  return 0;
}

/* A fresh copy of the sealed output; caller frees. */
static char *copy(fx *f, const char *name)
{
  char *dir = e2e_path(f->root, name);
  assert_non_null(dir);
  e2e_rm_tree(dir);
  assert_int_equal(e2e_copy_tree(f->base, dir), 0);
  return dir;
}

static char *path2(const char *a, const char *b)
{
  char *p = e2e_path(a, b);
  assert_non_null(p);
  return p;
}

/* verify_run's exit code, its report in *out (caller frees). */
static int verify(const char *dir, const char *month, char **out)
{
  size_t n = 0;
  FILE *fp = open_memstream(out, &n);
  assert_non_null(fp);
  int code = verify_run(dir, month, fp);
  fclose(fp);
  return code;
}

static void sha_of(const char *path, char sha[65])
{
  assert_int_equal(manifest_hash_file(path, sha, NULL), LB_OK);
}

static void flip_byte(const char *path, size_t at)
{
  size_t len = 0;
  char *b = e2e_read_file(path, &len);
  assert_non_null(b);
  assert_true(at < len);
  b[at] ^= 0x5A;
  assert_int_equal(e2e_write_file(path, b, len), 0);
  free(b);
}

static char *sh(const char *cmd)
{
  const char *argv[] = {"/bin/sh", "-c", cmd, NULL};
  e2e_result r;
  assert_int_equal(e2e_run(&r, NULL, argv), 0);
  if(r.code)
    fprintf(stderr, "%s: %s\n", cmd, r.err);
  assert_int_equal(r.code, 0);
  char *out = r.out;
  r.out = NULL;
  e2e_result_clear(&r);
  return out;
}

/* ---- MANIFEST ------------------------------------------------------------ */

static void seal_writes_a_manifest_of_every_file_with_sha256_and_size(void **state)
{
  fx *f = *state;
  manifest m, scan;
  diag_list d;
  manifest_init(&m);
  manifest_init(&scan);
  diag_init(&d);
  char *mdir = path2(f->base, "2026-11"), *mp = path2(mdir, MANIFEST_NAME);
  assert_int_equal(manifest_read(&m, mp, &d), LB_OK);
  assert_int_equal(m.month, NOV);
  assert_int_equal(m.prev_month, MONTH_NONE); /* the first month of the chain */
  assert_string_equal(m.prev_sha256, MANIFEST_NO_PREVIOUS);
  assert_int_equal(manifest_scan(&scan, mdir, &d), LB_OK);
  assert_int_equal(m.n, scan.n);
  assert_true(m.n >= 9); /* 4 CSV files and 5 invoices at least */
  for(size_t i = 0; i < m.n; i++) {
    char *p = path2(mdir, m.v[i].path), sha[65];
    uint64_t size;
    assert_int_equal(manifest_hash_file(p, sha, &size), LB_OK);
    assert_string_equal(sha, m.v[i].sha256);
    assert_int_equal(size, m.v[i].size);
    if(i)
      assert_true(strcmp(m.v[i - 1].path, m.v[i].path) < 0);
    free(p);
  }
  assert_non_null(manifest_find(&m, "invoices/INV-2026-000001.pdf"));
  assert_non_null(manifest_find(&m, "charges.csv"));
  assert_null(manifest_find(&m, MANIFEST_NAME));
  manifest_clear(&m);
  manifest_clear(&scan);
  diag_clear(&d);
  free(mdir);
  free(mp);
}

static void manifest_links_each_month_to_the_sha256_of_the_previous_manifest(void **state)
{
  fx *f = *state;
  manifest m;
  diag_list d;
  char sha[65];
  manifest_init(&m);
  diag_init(&d);
  char *mp = path2(f->base, "2026-12/MANIFEST"), *prev = path2(f->base, "2026-11/MANIFEST");
  assert_int_equal(manifest_read(&m, mp, &d), LB_OK);
  assert_int_equal(m.prev_month, NOV);
  sha_of(prev, sha);
  assert_string_equal(m.prev_sha256, sha);
  manifest_clear(&m);
  diag_clear(&d);
  free(mp);
  free(prev);
}

static void manifest_parse_points_at_the_bad_line(void **state)
{
  (void)state;
  manifest m;
  diag_list d;
  manifest_init(&m);
  diag_init(&d);
  const char *bad = "licbill-manifest 1\nmonth 2026-11\nprevious none " MANIFEST_NO_PREVIOUS "\n"
                    "file 55ba0f831c899709f9967b02a16d4ee7897c2bb70b111ec0989d7963d2e0594a 17 b.csv\n"
                    "file 55ba0f831c899709f9967b02a16d4ee7897c2bb70b111ec0989d7963d2e0594a 17 a.csv\n";
  assert_int_equal(manifest_parse(&m, bad, strlen(bad), "M", &d), LB_EINPUT);
  assert_int_equal(d.n, 1);
  assert_int_equal(d.v[0].line, 5); /* out of order */
  assert_int_equal(m.n, 0);
  diag_clear(&d);
  const char *dots = "licbill-manifest 1\nmonth 2026-11\nprevious none " MANIFEST_NO_PREVIOUS "\n"
                     "file 55ba0f831c899709f9967b02a16d4ee7897c2bb70b111ec0989d7963d2e0594a 17 ../etc/passwd\n";
  assert_int_equal(manifest_parse(&m, dots, strlen(dots), "M", &d), LB_EINPUT);
  assert_int_equal(d.v[0].line, 4);
  diag_clear(&d);
  const char *cut = "licbill-manifest 1\nmonth 2026-11\nprevious none";
  assert_int_equal(manifest_parse(&m, cut, strlen(cut), "M", &d), LB_EINPUT);
  diag_clear(&d);
  manifest_clear(&m);
}

/* ---- the archive ----------------------------------------------------------- */

static void archive_restored_with_system_tar_equals_the_originals(void **state)
{
  fx *f = *state;
  manifest m;
  diag_list d;
  char cmd[1024];
  manifest_init(&m);
  diag_init(&d);
  char *dest = path2(f->root, "restored");
  e2e_rm_tree(dest);
  snprintf(cmd, sizeof(cmd), "mkdir -p '%s' && tar -xzf '%s/archive/2026-11.tar.gz' -C '%s'", dest, f->base, dest);
  free(sh(cmd));
  char *mp = path2(f->base, "2026-11/MANIFEST");
  assert_int_equal(manifest_read(&m, mp, &d), LB_OK);
  for(size_t i = 0; i <= m.n; i++) {
    const char *rel = i < m.n ? m.v[i].path : MANIFEST_NAME;
    char a[512], b[512];
    size_t la = 0, lb = 0;
    snprintf(a, sizeof(a), "%s/2026-11/%s", f->base, rel);
    snprintf(b, sizeof(b), "%s/2026-11/%s", dest, rel);
    char *x = e2e_read_file(a, &la), *y = e2e_read_file(b, &lb);
    if(!y)
      fail_msg("%s was not restored", rel);
    assert_int_equal(la, lb);
    assert_memory_equal(x, y, la);
    free(x);
    free(y);
  }
  /* and nothing else came out of it */
  snprintf(cmd, sizeof(cmd), "find '%s' -type f | wc -l", dest);
  char *count = sh(cmd);
  assert_int_equal(atoi(count), (int)m.n + 1);
  free(count);
  /* owners, modes and times as promised */
  snprintf(cmd, sizeof(cmd), "tar -tvzf '%s/archive/2026-11.tar.gz'", f->base);
  char *list = sh(cmd);
  assert_non_null(strstr(list, "-rw-r--r-- 0/0"));
  assert_non_null(strstr(list, "drwxr-xr-x 0/0"));
  assert_non_null(strstr(list, "2026-11-30 00:00 2026-11/MANIFEST"));
  assert_null(strstr(list, "root"));
  free(list);
  manifest_clear(&m);
  diag_clear(&d);
  e2e_rm_tree(dest);
  free(dest);
  free(mp);
}

static void archive_is_byte_identical_when_sealed_again_elsewhere_later(void **state)
{
  fx *f = *state;
  char *dir = copy(f, "again"), cmd[1024];
  /* other file times, a second later: the archive may not notice */
  snprintf(cmd, sizeof(cmd), "touch '%s/2026-11/charges.csv' && rm '%s/archive/2026-11.tar.gz'", dir, dir);
  free(sh(cmd));
  sleep(1);
  assert_int_equal(seal(dir, NOV), LB_OK);
  char *a = path2(f->base, "archive/2026-11.tar.gz"), *b = path2(dir, "archive/2026-11.tar.gz");
  size_t la = 0, lb = 0;
  unsigned char *x = (unsigned char *)e2e_read_file(a, &la), *y = (unsigned char *)e2e_read_file(b, &lb);
  assert_non_null(x);
  assert_non_null(y);
  assert_int_equal(la, lb);
  assert_memory_equal(x, y, la);
  /* gzip header: deflate, no flags (no name, no comment), no timestamp */
  assert_int_equal(x[0], 0x1f);
  assert_int_equal(x[1], 0x8b);
  assert_int_equal(x[2], 8);
  assert_int_equal(x[3], 0);
  assert_int_equal(x[4] | x[5] | x[6] | x[7], 0);
  /* the .sha256 beside it is what sha256sum says */
  char sha[65];
  sha_of(a, sha);
  char *sp = path2(f->base, "archive/2026-11.tar.gz.sha256");
  char *sum = e2e_read_file(sp, NULL);
  assert_non_null(sum);
  assert_memory_equal(sum, sha, 64);
  assert_string_equal(sum + 64, "  2026-11.tar.gz\n");
  free(sum);
  free(sp);
  free(x);
  free(y);
  free(a);
  free(b);
  e2e_rm_tree(dir);
  free(dir);
}

static void seal_refuses_new_files_in_a_month_a_later_month_links_to(void **state)
{
  fx *f = *state;
  char *dir = copy(f, "reseal");
  char *extra = path2(dir, "2026-11/late.csv"), *mp = path2(dir, "2026-11/MANIFEST"), before[65], after[65];
  sha_of(mp, before);
  assert_int_equal(e2e_write_file(extra, "x\n", 2), 0);
  diag_list d;
  diag_init(&d);
  assert_int_equal(archive_seal_month(dir, NOV, &d), LB_EINPUT);
  assert_true(d.n >= 1);
  assert_non_null(strstr(d.v[0].message, "2026-12 links to its MANIFEST"));
  diag_clear(&d);
  sha_of(mp, after);
  assert_string_equal(before, after); /* nothing changed */
  /* unchanged files: sealing again is harmless and gives the same bytes */
  unlink(extra);
  assert_int_equal(seal(dir, NOV), LB_OK);
  sha_of(mp, after);
  assert_string_equal(before, after);
  e2e_rm_tree(dir);
  free(dir);
  free(extra);
  free(mp);
}

/* ---- verify ------------------------------------------------------------------ */

/* Issue 14: billing December closed November. November's inputs then change: the credit note and the new
 * invoice are issued, dated the day they are issued, and filed in December's folder, CSVs and archive;
 * November's folder and archive stay byte for byte; every month verifies. */
static void a_correction_of_a_closed_month_is_filed_in_the_open_one(void **state)
{
  fx *f = *state;
  char *dir = copy(f, "closed"), *out = NULL, *nov = path2(dir, "2026-11"), *before = path2(f->root, "nov-before");
  assert_int_equal(e2e_sh(&out, "sqlite3 %s/ledger.db \"select month from months order by month\"", dir), 0);
  assert_string_equal(out, "2026-10\n2026-11\n");
  free(out);
  assert_int_equal(e2e_sh(NULL, "cp -a %s %s && cp %s/archive/2026-11.tar.gz %s.tar.gz && cp -a sample %s/in && "
                                "sed -i 's/^5655-EC6,FWLC,monthly,,,,1850.00,EUR/5655-EC6,FWLC,monthly,,,,1900.00,EUR/' "
                                "%s/in/prices.csv", nov, before, dir, before, f->root, f->root), 0);
  assert_int_equal(e2e_sh(&out, "%s run --input %s/in --output %s --month 2026-11 --issue-date 2027-01-03 "
                                "--allow-open-month 2>&1 | grep correction", e2e_licbill(), f->root, dir), 0);
  assert_non_null(strstr(out, "invoice INV-2026-000005 (40181.63 EUR) is credited by INV-2027-000016 and replaced by "
                              "INV-2027-000017"));
  free(out);
  assert_int_equal(e2e_sh(&out, "diff -r %s %s && cmp %s.tar.gz %s/archive/2026-11.tar.gz && grep -c ',C1005,2026-11,' "
                                "%s/2026-12/invoices.csv && ls %s/2026-12/invoices | grep -c 'INV-2027-00001[67]'",
                          before, nov, before, dir, dir, dir), 0);
  assert_string_equal(out, "2\n2\n");
  free(out);
  assert_int_equal(verify(dir, NULL, &out), VERIFY_OK);
  free(out);
  /* licbill close: December closed too; a closed month's re-run issues nothing new into it */
  assert_int_equal(e2e_sh(&out, "%s close --output %s --month 2026-12 && sqlite3 %s/ledger.db \"select month from "
                                "months order by month\"", e2e_licbill(), dir, dir), 0);
  assert_string_equal(out, "2026-10\n2026-11\n2026-12\n");
  free(out);
  free(dir);
  free(nov);
  free(before);
}

static void verify_passes_quietly_on_sealed_output(void **state)
{
  fx *f = *state;
  char *out = NULL;
  assert_int_equal(verify(f->base, NULL, &out), VERIFY_OK);
  assert_string_equal(out, ""); /* quiet for cron */
  free(out);
  assert_int_equal(verify(f->base, "2026-12", &out), VERIFY_OK);
  free(out);
  assert_int_equal(verify(f->base, "2026-13", &out), VERIFY_USAGE);
  free(out);
  assert_int_equal(verify(f->base, "2027-05", &out), VERIFY_MISMATCH); /* no such month */
  free(out);
}

static void verify_catches_a_flipped_byte_in_an_archive_with_both_hashes(void **state)
{
  fx *f = *state;
  char *dir = copy(f, "flip"), *a = path2(dir, "archive/2026-11.tar.gz"), *out = NULL, before[65], after[65];
  size_t len = 0;
  free(e2e_read_file(a, &len));
  sha_of(a, before);
  flip_byte(a, len / 2);
  sha_of(a, after);
  assert_int_equal(verify(dir, NULL, &out), VERIFY_MISMATCH);
  assert_non_null(strstr(out, "archive/2026-11.tar.gz: sha256 of the archive differs"));
  assert_non_null(strstr(out, before)); /* expected */
  assert_non_null(strstr(out, after));  /* actual */
  /* and the gzip check itself saw it: a CRC, a length or the deflate data */
  assert_true(strstr(out, "CRC32") || strstr(out, "deflate") || strstr(out, "differs from the MANIFEST"));
  free(out);
  /* the same flip in the gzip header's time field: only the file hash sees it */
  free(copy(f, "flip"));
  flip_byte(a, 5);
  assert_int_equal(verify(dir, "2026-11", &out), VERIFY_MISMATCH);
  assert_non_null(strstr(out, "sha256 of the archive differs"));
  free(out);
  e2e_rm_tree(dir);
  free(dir);
  free(a);
}

static void verify_catches_a_truncated_archive(void **state)
{
  fx *f = *state;
  char *dir = copy(f, "trunc"), *a = path2(dir, "archive/2026-12.tar.gz"), *out = NULL;
  size_t len = 0;
  char *b = e2e_read_file(a, &len);
  assert_int_equal(e2e_write_file(a, b, len / 2), 0);
  free(b);
  assert_int_equal(verify(dir, NULL, &out), VERIFY_MISMATCH);
  assert_non_null(strstr(out, "archive/2026-12.tar.gz: truncated"));
  assert_non_null(strstr(out, "is missing from the archive, expected sha256 "));
  assert_null(strstr(out, "2026-11.tar.gz")); /* the other month is fine */
  free(out);
  e2e_rm_tree(dir);
  free(dir);
  free(a);
}

static void verify_catches_a_deleted_month_by_the_chain_and_the_ledger(void **state)
{
  fx *f = *state;
  char *dir = copy(f, "deleted"), cmd[1024], *out = NULL, sha[65];
  char *mp = path2(dir, "2026-11/MANIFEST");
  sha_of(mp, sha);
  snprintf(cmd, sizeof(cmd), "rm -r '%s/2026-11' '%s/archive/2026-11.tar.gz' '%s/archive/2026-11.tar.gz.sha256'", dir,
           dir, dir);
  free(sh(cmd));
  assert_int_equal(verify(dir, NULL, &out), VERIFY_MISMATCH);
  assert_non_null(strstr(out, "chain: the previous month 2026-11 is gone"));
  assert_non_null(strstr(out, sha)); /* the MANIFEST hash the link expected */
  assert_non_null(strstr(out, "INV-2026-000001.pdf: an issued document is missing"));
  free(out);
  e2e_rm_tree(dir);
  free(dir);
  free(mp);
}

static void verify_catches_an_edited_invoice_with_expected_and_actual_hashes(void **state)
{
  fx *f = *state;
  char *dir = copy(f, "edited"), *pdf = path2(dir, "2026-11/invoices/INV-2026-000002.pdf"), *out = NULL;
  char before[65], after[65];
  sha_of(pdf, before);
  flip_byte(pdf, 1000);
  sha_of(pdf, after);
  assert_int_equal(verify(dir, NULL, &out), VERIFY_MISMATCH);
  char want[400];
  snprintf(want, sizeof(want), "2026-11/invoices/INV-2026-000002.pdf: differs from the MANIFEST, expected sha256 %s",
           before);
  assert_non_null(strstr(out, want));
  snprintf(want, sizeof(want), "actual sha256 %s", after);
  assert_non_null(strstr(out, want));
  assert_non_null(strstr(out, "differs from what the ledger issued"));
  free(out);
  e2e_rm_tree(dir);
  free(dir);
  free(pdf);
}

/* ---- prune --------------------------------------------------------------------- */

static void prune_removes_only_months_whose_archive_verifies(void **state)
{
  fx *f = *state;
  char *dir = copy(f, "prune"), *out = NULL, *nov = path2(dir, "2026-11"), *dec = path2(dir, "2026-12");
  char *a = path2(dir, "archive/2026-12.tar.gz");
  size_t len = 0, n = 0;
  free(e2e_read_file(a, &len));
  flip_byte(a, len / 3);
  FILE *fp = open_memstream(&out, &n);
  /* both months are more than 0 months before January */
  assert_int_equal(verify_prune(dir, 0, month_from_ym(2027, 1), fp), VERIFY_MISMATCH);
  fclose(fp);
  assert_false(e2e_exists(nov));
  assert_true(e2e_exists(dec));
  assert_non_null(strstr(out, "pruned "));
  assert_non_null(strstr(out, "kept "));
  free(out);
  /* the pruned month still verifies, from its archive */
  assert_int_equal(verify(dir, "2026-11", &out), VERIFY_OK);
  free(out);
  /* a month within N months stays, whatever its archive */
  fp = open_memstream(&out, &n);
  assert_int_equal(verify_prune(dir, 1, month_from_ym(2027, 1), fp), VERIFY_OK);
  fclose(fp);
  assert_true(e2e_exists(dec));
  free(out);
  fp = open_memstream(&out, &n);
  assert_int_equal(verify_prune(dir, -1, MONTH_NONE, fp), VERIFY_USAGE);
  fclose(fp);
  free(out);
  e2e_rm_tree(dir);
  free(dir);
  free(nov);
  free(dec);
  free(a);
}

static void prune_keeps_a_folder_holding_a_file_its_archive_lacks(void **state)
{
  fx *f = *state;
  char *dir = copy(f, "prune2"), *out = NULL, *nov = path2(dir, "2026-11"), *late = path2(dir, "2026-11/late.txt");
  size_t n = 0;
  assert_int_equal(e2e_write_file(late, "not archived\n", 13), 0);
  FILE *fp = open_memstream(&out, &n);
  assert_int_equal(verify_prune(dir, 0, MONTH_NONE, fp), VERIFY_MISMATCH); /* latest month: 2026-12 */
  fclose(fp);
  assert_true(e2e_exists(late));
  assert_non_null(strstr(out, "late.txt: a file the MANIFEST does not list"));
  free(out);
  e2e_rm_tree(dir);
  free(dir);
  free(nov);
  free(late);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(seal_writes_a_manifest_of_every_file_with_sha256_and_size),
    cmocka_unit_test(manifest_links_each_month_to_the_sha256_of_the_previous_manifest),
    cmocka_unit_test(manifest_parse_points_at_the_bad_line),
    cmocka_unit_test(archive_restored_with_system_tar_equals_the_originals),
    cmocka_unit_test(archive_is_byte_identical_when_sealed_again_elsewhere_later),
    cmocka_unit_test(a_correction_of_a_closed_month_is_filed_in_the_open_one),
    cmocka_unit_test(seal_refuses_new_files_in_a_month_a_later_month_links_to),
    cmocka_unit_test(verify_passes_quietly_on_sealed_output),
    cmocka_unit_test(verify_catches_a_flipped_byte_in_an_archive_with_both_hashes),
    cmocka_unit_test(verify_catches_a_truncated_archive),
    cmocka_unit_test(verify_catches_a_deleted_month_by_the_chain_and_the_ledger),
    cmocka_unit_test(verify_catches_an_edited_invoice_with_expected_and_actual_hashes),
    cmocka_unit_test(prune_removes_only_months_whose_archive_verifies),
    cmocka_unit_test(prune_keeps_a_folder_holding_a_file_its_archive_lacks),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
