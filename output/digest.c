/* digest.c - SHA-256 through nettle; no hand-written hashing. */
#include "output/digest.h"

#include <nettle/sha2.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/diag.h"

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

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* Collect file names below dir/rel, recursively. */
static int collect(const char *dir, const char *rel, char ***names, size_t *n, size_t *cap)
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
      rc = collect(dir, sub, names, n, cap);
    else if(S_ISREG(st.st_mode)) {
      if(*n == *cap) {
        size_t ncap = *cap ? *cap * 2 : 64;
        char **nn = realloc(*names, ncap * sizeof(*nn));
        if(!nn)
          rc = LB_ENOMEM;
        else {
          *names = nn;
          *cap = ncap;
        }
      }
      if(!rc) {
        (*names)[(*n)++] = sub;
        sub = NULL;
      }
    }
    free(sub);
    free(full);
  }
  closedir(dp);
  return rc;
}

int digest_sha256_tree(const char *dir, char out[65])
{
  char **names = NULL;
  size_t n = 0, cap = 0;
  struct sha256_ctx ctx;
  unsigned char d[SHA256_DIGEST_SIZE], buf[65536];
  int rc = collect(dir, "", &names, &n, &cap);
  if(!rc && n)
    qsort(names, n, sizeof(char *), cmp_str);
  sha256_init(&ctx);
  for(size_t i = 0; !rc && i < n; i++) {
    char *full = NULL;
    FILE *fp;
    size_t r;
    if(asprintf(&full, "%s/%s", dir, names[i]) < 0) {
      rc = LB_ENOMEM;
      break;
    }
    fp = fopen(full, "rb");
    free(full);
    if(!fp) {
      rc = LB_EIO;
      break;
    }
    sha256_update(&ctx, strlen(names[i]) + 1, (const uint8_t *)names[i]);
    while((r = fread(buf, 1, sizeof(buf), fp)) > 0)
      sha256_update(&ctx, r, buf);
    if(ferror(fp))
      rc = LB_EIO;
    fclose(fp);
  }
  for(size_t i = 0; i < n; i++)
    free(names[i]);
  free(names);
  if(rc)
    return rc;
  sha256_digest(&ctx, sizeof(d), d);
  for(int i = 0; i < SHA256_DIGEST_SIZE; i++)
    snprintf(out + 2 * i, 3, "%02x", d[i]);
  return LB_OK;
}
