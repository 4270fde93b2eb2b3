/* digest.c - SHA-256 through nettle; no hand-written hashing. */
#include "output/digest.h"

#include <nettle/sha2.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/diag.h"
#include "core/xsort.h"

void digest_sha256_hex(const void *data, size_t len, char out[65])
{
  struct sha256_ctx ctx;
  unsigned char d[SHA256_DIGEST_SIZE];
  sha256_init(&ctx);
  sha256_update(&ctx, len, data);
  sha256_digest(&ctx, sizeof(d), d);
  for(int i = 0; i < SHA256_DIGEST_SIZE; i++)
    snprintf(out + 2 * i, 3, "%02x", d[i]);
}

static int cmp_str(const void *a, size_t an, const void *b, size_t bn)
{
  (void)an;
  (void)bn;
  return strcmp(a, b);
}

/* Collect file names below dir/rel, recursively, into x (each with its NUL). */
static int collect(const char *dir, const char *rel, xsort *x)
{
  char *path = NULL;
  DIR *dp;
  struct dirent *de;
  int rc = LB_OK;
  if(asprintf(&path, "%s%s%s", dir, *rel ? "/" : "", rel) < 0)
    return LB_ENOMEM;
  dp = opendir(path);
  free(path);
  if(!dp)
    return LB_EIO;
  while(!rc && (de = readdir(dp))) {
    char *sub = NULL;
    struct stat st;
    if(de->d_name[0] == '.')
      continue;
    if(asprintf(&sub, "%s%s%s", rel, *rel ? "/" : "", de->d_name) < 0)
      return closedir(dp), LB_ENOMEM;
    char *full = NULL;
    if(asprintf(&full, "%s/%s", dir, sub) < 0) {
      free(sub);
      return closedir(dp), LB_ENOMEM;
    }
    if(stat(full, &st) == 0 && S_ISDIR(st.st_mode))
      rc = collect(dir, sub, x);
    else if(S_ISREG(st.st_mode))
      rc = xsort_add(x, sub, strlen(sub) + 1);
    free(sub);
    free(full);
  }
  closedir(dp);
  return rc;
}

int digest_sha256_tree(const char *dir, char out[65])
{
  xsort *x = NULL;
  struct sha256_ctx ctx;
  unsigned char d[SHA256_DIGEST_SIZE], buf[65536];
  const void *rec;
  size_t n;
  int rc = xsort_new(&x, cmp_str, 0);
  if(!rc)
    rc = collect(dir, "", x);
  sha256_init(&ctx);
  while(!rc && (rc = xsort_next(x, &rec, &n)) == 1) {
    const char *name = rec;
    char *full = NULL;
    FILE *fp;
    size_t r;
    rc = LB_OK;
    if(asprintf(&full, "%s/%s", dir, name) < 0) {
      rc = LB_ENOMEM;
      break;
    }
    fp = fopen(full, "rb");
    free(full);
    if(!fp) {
      rc = LB_EIO;
      break;
    }
    sha256_update(&ctx, strlen(name) + 1, (const uint8_t *)name);
    while((r = fread(buf, 1, sizeof(buf), fp)) > 0)
      sha256_update(&ctx, r, buf);
    if(ferror(fp))
      rc = LB_EIO;
    fclose(fp);
  }
  xsort_free(x);
  if(rc)
    return rc;
  sha256_digest(&ctx, sizeof(d), d);
  for(int i = 0; i < SHA256_DIGEST_SIZE; i++)
    snprintf(out + 2 * i, 3, "%02x", d[i]);
  return LB_OK;
}
