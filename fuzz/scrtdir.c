/* scrtdir.c - libFuzzer harness of the scrt/ folder index (input/scrtdir.c). scrt/ holds the sample's
 * reports and received.csv, plus one entry made from the input: its first line is the entry's name (a
 * '/' at its end makes it a folder; any other '/' or a NUL becomes '_') and the rest is the file. An
 * input without a newline in its first 256 bytes is received.csv. An entry named like one of the
 * sample's replaces it. The customers are the sample's; the period is the one 2026-11 is billed on. */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz/common.h"
#include "input/custindex.h"
#include "input/scrtdir.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define NAME_MAX_BYTES 256

static char *dir, *scrt, *base;
static cust_index ix;

static void setup(void)
{
  diag_list d;
  DIR *dp;
  struct dirent *de;
  diag_init(&d);
  dir = fz_path("in");
  base = fz_path("base-scrt");
  scrt = fz_str("%s/scrt", dir);
  fz_require(mkdir(dir, 0700) == 0 && mkdir(scrt, 0700) == 0 && mkdir(base, 0700) == 0,
             "cannot make the input folder");
  dp = opendir(FUZZ_ROOT "/sample/scrt");
  fz_require(dp != NULL, "cannot read sample/scrt");
  while((de = readdir(dp))) {
    if(de->d_name[0] == '.')
      continue;
    char *src = fz_str("%s/sample/scrt/%s", FUZZ_ROOT, de->d_name);
    char *copy = fz_str("%s/%s", base, de->d_name), *link = fz_str("%s/%s", scrt, de->d_name);
    fz_copy(src, copy);
    fz_link(copy, link);
    free(src);
    free(copy);
    free(link);
  }
  closedir(dp);
  fz_require(cust_index_build(&ix, FUZZ_ROOT "/sample", &d) == LB_OK, "the sample's customers do not index");
  diag_clear(&d);
}

/* The entry's name from the input's first line; *data and *size move past it. */
static void entry_name(char name[NAME_MAX_BYTES + 1], int *folder, const uint8_t **data, size_t *size)
{
  const uint8_t *nl = memchr(*data, '\n', *size < NAME_MAX_BYTES ? *size : NAME_MAX_BYTES);
  size_t n;
  *folder = 0;
  if(!nl || nl == *data) {
    strcpy(name, "received.csv");
    return;
  }
  n = (size_t)(nl - *data);
  memcpy(name, *data, n);
  name[n] = '\0';
  *size -= n + 1;
  *data = nl + 1;
  if(name[n - 1] == '/') {
    *folder = 1;
    name[--n] = '\0';
  }
  for(size_t i = 0; i < n; i++)
    if(name[i] == '/' || name[i] == '\0')
      name[i] = '_';
  if(!n || !strcmp(name, ".") || !strcmp(name, ".."))
    strcpy(name, "received.csv");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  char name[NAME_MAX_BYTES + 1];
  char *path, *copy;
  int folder;
  scrt_dir sd;
  diag_list d;
  struct stat st;
  if(!dir)
    setup();
  entry_name(name, &folder, &data, &size);
  path = fz_str("%s/%s", scrt, name);
  copy = fz_str("%s/%s", base, name);
  if(folder) {
    if(unlink(path) && errno != ENOENT)
      fz_require(0, "cannot remove an entry of scrt/");
    fz_require(mkdir(path, 0700) == 0, "cannot make a folder in scrt/");
  } else
    fz_write(path, data, size);
  diag_init(&d);
  int rc = scrt_dir_load(&sd, dir, date_from_ymd(2026, 10, 1), &ix, &d);
  fz_check(rc, &d, folder ? NULL : path, data, size, FZ_LINES_CSV);
  /* every report and receipt kept is its machine owner's, found by its serial */
  size_t nrep = 0, nrcpt = 0;
  for(size_t k = 0; rc == LB_OK && k < ix.n; k++) {
    scrt_cust sc;
    fz_require(scrt_dir_customer(&sd, k, &sc) == LB_OK, "a customer's reports cannot be read back");
    for(size_t i = 0; i < sc.n; i++) {
      fz_require(cust_index_serial_owner(&ix, sc.v[i].serial) == (long)k, "a report or receipt of another's machine");
      fz_require(scrt_cust_find(&sc, sc.v[i].serial) == &sc.v[i], "a report or receipt indexed is not found");
      fz_require(!sc.v[i].report || sc.v[i].report->owner == (long)k, "a report without its owner");
      nrep += sc.v[i].report != NULL;
      nrcpt += sc.v[i].rcpt != NULL;
    }
    scrt_cust_clear(&sc);
  }
  fz_require(rc != LB_OK || (nrep <= sd.nreports && nrcpt <= sd.nreceipts), "more kept than found");
  scrt_dir_clear(&sd);
  diag_clear(&d);
  /* scrt/ as it was: the sample's entry back, or the new one gone */
  if(stat(copy, &st) == 0)
    fz_link(copy, path);
  else
    fz_require(folder ? rmdir(path) == 0 : unlink(path) == 0, "cannot remove the entry made in scrt/");
  free(path);
  free(copy);
  return 0;
}
