/* test_output.c - atomic files and CSV fields as the README ("Outputs") writes them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "output/atomic.h"
#include "output/digest.h"
#include "output/reports.h"
#include "output/snapshot.h"
#include "tests/support/e2e.h"

static int count_entries(const char *dir)
{
  DIR *d = opendir(dir);
  struct dirent *e;
  int n = 0;
  while((e = readdir(d)))
    if(strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
      n++;
  closedir(d);
  return n;
}

static void a_file_appears_only_when_committed(void **state)
{
  (void)state;
  char *dir = e2e_mkdtemp("out"), path[300];
  atomic_file af;
  assert_non_null(dir);
  snprintf(path, sizeof(path), "%s/charges.csv", dir);
  assert_int_equal(atomic_open(&af, path), 0);
  fputs("half", af.fp);
  assert_int_equal(access(path, F_OK), -1); /* not under its final name yet */
  atomic_abort(&af);
  assert_int_equal(count_entries(dir), 0);  /* the temporary is gone too */
  assert_int_equal(atomic_write(path, "whole\n", 6), 0);
  FILE *fp = fopen(path, "r");
  char buf[16] = {0};
  assert_int_equal(fread(buf, 1, sizeof(buf), fp), 6);
  fclose(fp);
  assert_string_equal(buf, "whole\n");
  assert_int_equal(count_entries(dir), 1);
  unlink(path);
  rmdir(dir);
  free(dir);
}

static void writing_into_a_missing_folder_fails_cleanly(void **state)
{
  (void)state;
  assert_int_equal(atomic_write("/nonexistent-lb/x.csv", "x", 1), LB_EIO);
}

static void csv_fields_are_quoted_only_when_needed(void **state)
{
  (void)state;
  char *buf = NULL;
  size_t n = 0;
  FILE *fp = open_memstream(&buf, &n);
  reports_field(fp, "plain", 0);
  reports_field(fp, "a,b", 0);
  reports_field(fp, "say \"hi\"", 0);
  reports_field(fp, NULL, 1);
  fclose(fp);
  assert_string_equal(buf, "plain,\"a,b\",\"say \"\"hi\"\"\",\n");
  free(buf);
}

static void a_long_field_of_quotes_is_quoted_whole(void **state)
{
  (void)state;
  char *buf = NULL, field[1601], want[3300];
  size_t n = 0, w = 0;
  /* 1,600 characters, every fourth a quote: beyond the stack buffer, quoted through the heap */
  for(int i = 0; i < 1600; i++)
    field[i] = i % 4 == 3 ? '"' : (char)('a' + i % 26);
  field[1600] = '\0';
  want[w++] = '"';
  for(int i = 0; i < 1600; i++) {
    if(field[i] == '"')
      want[w++] = '"';
    want[w++] = field[i];
  }
  want[w++] = '"';
  want[w++] = '\n';
  want[w] = '\0';
  FILE *fp = open_memstream(&buf, &n);
  reports_field(fp, field, 1);
  fclose(fp);
  assert_int_equal(n, 2003); /* 1,600 + 400 doubled quotes + 2 quotes + newline */
  assert_string_equal(buf, want);
  free(buf);
}

static void put_file(const char *dir, const char *name, const char *text)
{
  char path[400];
  snprintf(path, sizeof(path), "%s/%s", dir, name);
  FILE *fp = fopen(path, "w");
  assert_non_null(fp);
  fputs(text, fp);
  fclose(fp);
}

static char *read_all(const char *path)
{
  FILE *fp = fopen(path, "r");
  static char buf[256];
  if(!fp)
    return NULL;
  size_t n = fread(buf, 1, sizeof(buf) - 1, fp);
  buf[n] = '\0';
  fclose(fp);
  return buf;
}

/* The month's copy of its inputs is made under a dot name while the month is drawn, then put in place only if the
 * input set is still what the run hashed when it began. */
static void the_input_copy_is_named_only_when_the_inputs_are_unchanged(void **state)
{
  (void)state;
  char *src = e2e_mkdtemp("src"), *out = e2e_mkdtemp("month"), dst[300], sub[300], path[400], sha[65];
  diag_list d;
  diag_init(&d);
  assert_non_null(src);
  assert_non_null(out);
  snprintf(sub, sizeof(sub), "%s/scrt", src);
  assert_int_equal(mkdir(sub, 0755), 0);
  put_file(src, "customers.csv", "customer_id\nC1\n");
  put_file(sub, "r.csv", "report\n");
  put_file(src, ".hidden", "not copied\n");
  assert_int_equal(digest_sha256_tree(src, sha), LB_OK);
  snprintf(dst, sizeof(dst), "%s/input", out);
  char *tmp = snapshot_temp_name(dst);
  assert_non_null(tmp);
  snprintf(path, sizeof(path), "%s/.input.copy", out);
  assert_string_equal(tmp, path);

  /* an older copy at dst stays until the new one is named */
  assert_int_equal(mkdir(dst, 0755), 0);
  put_file(dst, "stale.csv", "old\n");
  assert_int_equal(snapshot_copy(src, tmp, sha, &d), LB_OK);
  snprintf(path, sizeof(path), "%s/stale.csv", dst);
  assert_int_equal(access(path, F_OK), 0);
  snprintf(path, sizeof(path), "%s/scrt/r.csv", tmp);
  assert_string_equal(read_all(path), "report\n");
  snprintf(path, sizeof(path), "%s/.hidden", tmp);
  assert_int_equal(access(path, F_OK), -1);

  /* unchanged: named, the stale file gone, the temporary name gone */
  assert_int_equal(snapshot_unchanged(src, sha, &d), LB_OK);
  assert_int_equal(snapshot_install(tmp, dst, &d), LB_OK);
  assert_int_equal(d.n, 0);
  assert_int_equal(access(tmp, F_OK), -1);
  snprintf(path, sizeof(path), "%s/stale.csv", dst);
  assert_int_equal(access(path, F_OK), -1);
  snprintf(path, sizeof(path), "%s/customers.csv", dst);
  assert_string_equal(read_all(path), "customer_id\nC1\n");

  /* a file changed after the copy was made: the run must not name that copy */
  assert_int_equal(snapshot_copy(src, tmp, sha, &d), LB_OK);
  put_file(src, "customers.csv", "customer_id\nC2\n");
  assert_int_equal(snapshot_unchanged(src, sha, &d), LB_EINPUT);
  assert_int_equal(d.n, 1);
  assert_non_null(strstr(d.v[0].message, "the input set changed while the month ran"));
  assert_non_null(strstr(d.v[0].message, sha));
  assert_int_equal(snapshot_discard(tmp, &d), LB_OK);
  assert_int_equal(access(tmp, F_OK), -1);

  /* changed before the copy: the copy itself does not match the digest taken at the start */
  assert_int_equal(snapshot_copy(src, tmp, sha, &d), LB_EINPUT);
  assert_int_equal(d.n, 2);
  assert_int_equal(snapshot_discard(tmp, &d), LB_OK);
  free(tmp);
  diag_clear(&d);
  e2e_rm_tree(src);
  e2e_rm_tree(out);
  free(src);
  free(out);
}

static void sha256_matches_the_standard_vector(void **state)
{
  (void)state;
  char hex[65];
  digest_sha256_hex("abc", 3, hex);
  assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(a_file_appears_only_when_committed),
    cmocka_unit_test(writing_into_a_missing_folder_fails_cleanly),
    cmocka_unit_test(csv_fields_are_quoted_only_when_needed),
    cmocka_unit_test(a_long_field_of_quotes_is_quoted_whole),
    cmocka_unit_test(the_input_copy_is_named_only_when_the_inputs_are_unchanged),
    cmocka_unit_test(sha256_matches_the_standard_vector),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
