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
    cmocka_unit_test(sha256_matches_the_standard_vector),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
