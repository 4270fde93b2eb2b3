/* manifest.c - hashes a month folder into a MANIFEST and reads one back, strictly. */
#include "output/manifest.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <nettle/sha2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/spill.h"
#include "core/xsort.h"

#define HASH_BUF (64 * 1024)
#define MAX_DEPTH 16

void manifest_init(manifest *m)
{
  memset(m, 0, sizeof(*m));
  m->month = MONTH_NONE;
  m->prev_month = MONTH_NONE;
  memcpy(m->prev_sha256, MANIFEST_NO_PREVIOUS, 65);
}

void manifest_clear(manifest *m)
{
  if(!m)
    return;
  for(size_t i = 0; i < m->n; i++)
    free(m->v[i].path);
  free(m->v);
  lb_month mon = m->month, pm = m->prev_month;
  char ps[65], ver[sizeof(m->version)], rb[65];
  memcpy(ps, m->prev_sha256, 65);
  memcpy(ver, m->version, sizeof(ver));
  memcpy(rb, m->rulebook_sha256, 65);
  manifest_init(m);
  memcpy(m->version, ver, sizeof(ver));
  memcpy(m->rulebook_sha256, rb, 65);
  /* the header is not the entries: keep it, so a re-scan can reuse it */
  m->month = mon;
  m->prev_month = pm;
  memcpy(m->prev_sha256, ps, 65);
}

static void hex(const uint8_t *h, size_t n, char *out)
{
  static const char d[] = "0123456789abcdef";
  for(size_t i = 0; i < n; i++) {
    out[2 * i] = d[h[i] >> 4];
    out[2 * i + 1] = d[h[i] & 15];
  }
  out[2 * n] = '\0';
}

int manifest_hash_file(const char *path, char sha[65], uint64_t *size)
{
  struct sha256_ctx ctx;
  uint8_t h[SHA256_DIGEST_SIZE];
  uint64_t total = 0;
  int rc = LB_EIO;
  unsigned char *buf = malloc(HASH_BUF);
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if(!buf || fd < 0) {
    rc = buf ? LB_EIO : LB_ENOMEM;
    goto out;
  }
  sha256_init(&ctx);
  for(;;) {
    ssize_t n = read(fd, buf, HASH_BUF);
    if(n < 0 && errno == EINTR)
      continue;
    if(n < 0)
      goto out;
    if(n == 0)
      break;
    sha256_update(&ctx, (size_t)n, buf);
    total += (uint64_t)n;
  }
  sha256_digest(&ctx, sizeof(h), h);
  hex(h, sizeof(h), sha);
  if(size)
    *size = total;
  rc = LB_OK;
out:
  if(fd >= 0) {
    int e = errno;
    close(fd);
    errno = e;
  }
  free(buf);
  return rc;
}

int manifest_add(manifest *m, const char *path, const char sha[65], uint64_t size)
{
  if(m->n == m->cap) {
    size_t ncap = m->cap ? m->cap * 2 : 32;
    manifest_entry *nv = realloc(m->v, ncap * sizeof(*nv));
    if(!nv)
      return LB_ENOMEM;
    m->v = nv;
    m->cap = ncap;
  }
  manifest_entry *e = &m->v[m->n];
  e->path = strdup(path);
  if(!e->path)
    return LB_ENOMEM;
  memcpy(e->sha256, sha, 64);
  e->sha256[64] = '\0';
  e->size = size;
  m->n++;
  return LB_OK;
}

static int by_path(const void *a, const void *b)
{
  return strcmp(((const manifest_entry *)a)->path, ((const manifest_entry *)b)->path);
}

void manifest_sort(manifest *m)
{
  if(m->n > 1)
    qsort(m->v, m->n, sizeof(*m->v), by_path);
}

const manifest_entry *manifest_find(const manifest *m, const char *path)
{
  if(!m->n)
    return NULL;
  manifest_entry key;
  key.path = (char *)(uintptr_t)path;
  return bsearch(&key, m->v, m->n, sizeof(*m->v), by_path);
}

/* A walk's record: the path, its NUL, the sha256 (64 hex digits) and the size. */
static int sort_failed(diag_list *d)
{
  diag_add(d, spill_dir(), 0, 0, NULL, "cannot sort a folder's files in a temporary file there: %s", strerror(errno));
  return LB_EIO;
}

static int walk_add(xsort *x, const char *path, const char sha[65], uint64_t size, diag_list *d)
{
  size_t lp = strlen(path) + 1, n = lp + 64 + sizeof(size);
  char *rec = malloc(n);
  int rc;
  if(!rec)
    return LB_ENOMEM;
  memcpy(rec, path, lp);
  memcpy(rec + lp, sha, 64);
  memcpy(rec + lp + 64, &size, sizeof(size));
  rc = xsort_add(x, rec, n);
  free(rec);
  return rc == LB_EIO ? sort_failed(d) : rc;
}

static int by_path_rec(const void *a, size_t an, const void *b, size_t bn)
{
  (void)an;
  (void)bn;
  return strcmp(a, b);
}

/* Walk dir/rel (rel "" at the top) adding its files to x. */
static int scan_dir(xsort *m, const char *dir, const char *rel, int depth, diag_list *d)
{
  char *full = NULL;
  DIR *dh = NULL;
  int rc = LB_OK;
  if(asprintf(&full, "%s%s%s", dir, *rel ? "/" : "", rel) < 0)
    return LB_ENOMEM;
  if(depth > MAX_DEPTH) {
    rc = diag_add(d, full, 0, 0, NULL, "folders nested more than %d deep; expected a month folder as licbill "
                  "writes it", MAX_DEPTH);
    goto out;
  }
  dh = opendir(full);
  if(!dh) {
    diag_add(d, full, 0, 0, NULL, "cannot read the folder: %s", strerror(errno));
    rc = LB_EIO;
    goto out;
  }
  for(;;) {
    errno = 0;
    struct dirent *de = readdir(dh);
    if(!de) {
      if(errno) {
        diag_add(d, full, 0, 0, NULL, "cannot read the folder: %s", strerror(errno));
        rc = LB_EIO;
      }
      break;
    }
    const char *name = de->d_name;
    if(name[0] == '.')
      continue; /* ".", "..", and temporaries of atomic.h */
    if(!*rel && !strcmp(name, MANIFEST_NAME))
      continue;
    char *sub = NULL, *path = NULL;
    struct stat st;
    if(asprintf(&sub, "%s%s%s", rel, *rel ? "/" : "", name) < 0) {
      rc = LB_ENOMEM;
      break;
    }
    if(asprintf(&path, "%s/%s", dir, sub) < 0) {
      free(sub);
      rc = LB_ENOMEM;
      break;
    }
    int r = LB_OK;
    if(strchr(name, '\n'))
      r = diag_add(d, path, 0, 0, NULL, "a file name with a newline cannot be listed in a MANIFEST; expected "
                   "only the files licbill writes");
    else if(lstat(path, &st) != 0) {
      diag_add(d, path, 0, 0, NULL, "cannot stat: %s", strerror(errno));
      r = LB_EIO;
    } else if(S_ISDIR(st.st_mode))
      r = scan_dir(m, dir, sub, depth + 1, d);
    else if(S_ISREG(st.st_mode)) {
      char sha[65];
      uint64_t size;
      if(manifest_hash_file(path, sha, &size)) {
        diag_add(d, path, 0, 0, NULL, "cannot read: %s", strerror(errno));
        r = LB_EIO;
      } else
        r = walk_add(m, sub, sha, size, d);
    } else
      r = diag_add(d, path, 0, 0, NULL, "not a regular file (a link or device); expected only the files "
                   "licbill writes in a month folder");
    free(sub);
    free(path);
    if(r == LB_ENOMEM || r == LB_EIO) {
      rc = r;
      break;
    }
    if(r)
      rc = r;
  }
out:
  if(dh)
    closedir(dh);
  free(full);
  return rc;
}

int manifest_walk(const char *dir, manifest_fn fn, void *ctx, diag_list *d)
{
  xsort *x = NULL;
  const void *rec;
  size_t n;
  int rc = xsort_new(&x, by_path_rec, 0);
  if(!rc)
    rc = scan_dir(x, dir, "", 0, d);
  while(!rc) {
    int r = xsort_next(x, &rec, &n);
    if(r <= 0) {
      rc = r == LB_EIO ? sort_failed(d) : r;
      break;
    }
    const char *path = rec;
    size_t lp = strlen(path) + 1;
    char sha[65];
    uint64_t size;
    memcpy(sha, path + lp, 64);
    sha[64] = '\0';
    memcpy(&size, path + lp + 64, sizeof(size));
    rc = fn(ctx, path, sha, size);
  }
  xsort_free(x);
  return rc;
}

static int add_entry(void *ctx, const char *path, const char sha[65], uint64_t size)
{
  return manifest_add(ctx, path, sha, size);
}

int manifest_scan(manifest *m, const char *dir, diag_list *d)
{
  manifest_clear(m);
  int rc = manifest_walk(dir, add_entry, m, d);
  if(rc)
    manifest_clear(m);
  return rc;
}

int manifest_format_head(const manifest *m, char **text, size_t *len)
{
  char *buf = NULL, mon[8], pmon[8];
  size_t n = 0;
  FILE *fp = open_memstream(&buf, &n);
  if(!fp)
    return LB_ENOMEM;
  fprintf(fp, "%s\nmonth %s\nprevious %s %s\n", MANIFEST_MAGIC,
          m->month != MONTH_NONE ? month_format(mon, m->month) : "none",
          m->prev_month != MONTH_NONE ? month_format(pmon, m->prev_month) : "none", m->prev_sha256);
  if(m->version[0])
    fprintf(fp, "licbill %s\nrulebook %s\n", m->version, m->rulebook_sha256);
  if(fclose(fp) || !buf) {
    free(buf);
    return LB_ENOMEM;
  }
  *text = buf;
  *len = n;
  return LB_OK;
}

int manifest_format_file(const char *path, const char sha[65], uint64_t size, char **text, size_t *len)
{
  int n = asprintf(text, "file %s %" PRIu64 " %s\n", sha, size, path);
  if(n < 0) {
    *text = NULL;
    return LB_ENOMEM;
  }
  *len = (size_t)n;
  return LB_OK;
}

int manifest_format(const manifest *m, char **text, size_t *len)
{
  char *buf = NULL, *part = NULL;
  size_t n = 0, pn;
  FILE *fp = open_memstream(&buf, &n);
  int rc = fp ? manifest_format_head(m, &part, &pn) : LB_ENOMEM;
  for(size_t i = 0; !rc; i++) {
    if(fwrite(part, 1, pn, fp) != pn)
      rc = LB_ENOMEM;
    free(part);
    part = NULL;
    if(rc || i == m->n)
      break;
    rc = manifest_format_file(m->v[i].path, m->v[i].sha256, m->v[i].size, &part, &pn);
  }
  if(fp && fclose(fp))
    rc = LB_ENOMEM;
  if(rc || !buf) {
    free(buf);
    return LB_ENOMEM;
  }
  *text = buf;
  *len = n;
  return LB_OK;
}

static int is_sha(const char *s, size_t n)
{
  if(n != 64)
    return 0;
  for(size_t i = 0; i < 64; i++)
    if(!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
      return 0;
  return 1;
}

static int bad_path(const char *p, size_t n)
{
  if(!n || p[0] == '/' || p[n - 1] == '/')
    return 1;
  for(size_t i = 0; i < n;) {
    size_t j = i;
    while(j < n && p[j] != '/')
      j++;
    if(j == i || (j - i == 1 && p[i] == '.') || (j - i == 2 && p[i] == '.' && p[i + 1] == '.'))
      return 1;
    i = j + 1;
  }
  return memchr(p, '\0', n) != NULL;
}

int manifest_parse(manifest *m, const char *text, size_t len, const char *name, diag_list *d)
{
  long lineno = 0;
  size_t pos = 0;
  int rc = LB_OK;
  manifest_clear(m);
  manifest_init(m);
  while(pos < len) {
    const char *line = text + pos, *nl = memchr(line, '\n', len - pos);
    size_t n = nl ? (size_t)(nl - line) : len - pos;
    pos += n + (nl ? 1 : 0);
    lineno++;
    if(!nl) {
      rc = diag_add(d, name, lineno, (long)n + 1, NULL, "the last line has no newline; expected a complete "
                    "MANIFEST (was it cut short?)");
      break;
    }
    if(lineno == 1) {
      if(n != strlen(MANIFEST_MAGIC) || memcmp(line, MANIFEST_MAGIC, n)) {
        rc = diag_add(d, name, 1, 1, NULL, "not a licbill MANIFEST; expected the first line \"%s\"",
                      MANIFEST_MAGIC);
        break;
      }
      continue;
    }
    if(lineno == 2) {
      size_t ep;
      if(n < 6 || memcmp(line, "month ", 6) || month_parse(&m->month, line + 6, n - 6, &ep)) {
        rc = diag_add(d, name, 2, 1, NULL, "expected \"month YYYY-MM\"");
        break;
      }
      continue;
    }
    if(lineno == 3) {
      size_t ep;
      const char *sp = n > 9 ? memchr(line + 9, ' ', n - 9) : NULL;
      if(n < 9 || memcmp(line, "previous ", 9) || !sp || !is_sha(sp + 1, (size_t)(line + n - sp - 1))) {
        rc = diag_add(d, name, 3, 1, NULL, "expected \"previous YYYY-MM SHA256\" or \"previous none %s\"",
                      MANIFEST_NO_PREVIOUS);
        break;
      }
      size_t ml = (size_t)(sp - line - 9);
      if(ml == 4 && !memcmp(line + 9, "none", 4)) {
        m->prev_month = MONTH_NONE;
        if(memcmp(sp + 1, MANIFEST_NO_PREVIOUS, 64)) {
          rc = diag_add(d, name, 3, 15, NULL, "\"previous none\" with a hash; expected %s", MANIFEST_NO_PREVIOUS);
          break;
        }
      } else if(month_parse(&m->prev_month, line + 9, ml, &ep)) {
        rc = diag_add(d, name, 3, 10, NULL, "expected the previous month as YYYY-MM or none");
        break;
      }
      memcpy(m->prev_sha256, sp + 1, 64);
      m->prev_sha256[64] = '\0';
      continue;
    }
    /* licbill <version> and rulebook <sha256>, right after previous (absent before 0.2.0) */
    if(lineno == 4 && n > 8 && !memcmp(line, "licbill ", 8)) {
      if(n - 8 >= sizeof(m->version) || memchr(line + 8, ' ', n - 8)) {
        rc = diag_add(d, name, 4, 9, NULL, "expected \"licbill VERSION\" with a version of at most %zu characters",
                      sizeof(m->version) - 1);
        break;
      }
      memcpy(m->version, line + 8, n - 8);
      m->version[n - 8] = '\0';
      continue;
    }
    if(m->version[0] && !m->rulebook_sha256[0]) {
      if(n != 9 + 64 || memcmp(line, "rulebook ", 9) || !is_sha(line + 9, 64)) {
        rc = diag_add(d, name, lineno, 1, NULL, "expected \"rulebook SHA256\" after the licbill line");
        break;
      }
      memcpy(m->rulebook_sha256, line + 9, 64);
      m->rulebook_sha256[64] = '\0';
      continue;
    }
    /* file <sha256> <size> <path> */
    if(n < 5 + 64 + 3 || memcmp(line, "file ", 5) || !is_sha(line + 5, 64) || line[69] != ' ') {
      rc = diag_add(d, name, lineno, 1, NULL, "expected \"file SHA256 SIZE PATH\" with 64 lowercase hex digits");
      break;
    }
    const char *p = line + 70, *end = line + n;
    uint64_t size = 0;
    if(p >= end || *p < '0' || *p > '9') {
      rc = diag_add(d, name, lineno, 71, NULL, "expected the size in bytes");
      break;
    }
    while(p < end && *p >= '0' && *p <= '9') {
      if(size > (UINT64_MAX - 9) / 10) {
        rc = diag_add(d, name, lineno, 71, NULL, "size out of range");
        break;
      }
      size = size * 10 + (uint64_t)(*p++ - '0');
    }
    if(rc)
      break;
    if(p >= end || *p != ' ' || bad_path(p + 1, (size_t)(end - p - 1))) {
      rc = diag_add(d, name, lineno, (long)(p - line) + 2, NULL,
                    "expected a relative path without empty, \".\" or \"..\" parts after the size");
      break;
    }
    char *path = strndup(p + 1, (size_t)(end - p - 1));
    char sha[65];
    if(!path) {
      rc = LB_ENOMEM;
      break;
    }
    memcpy(sha, line + 5, 64);
    sha[64] = '\0';
    if(m->n && strcmp(m->v[m->n - 1].path, path) >= 0) {
      rc = diag_add(d, name, lineno, 71, NULL, "\"%s\" is out of order or listed twice; expected paths in byte "
                    "order, each once", path);
      free(path);
      break;
    }
    rc = manifest_add(m, path, sha, size);
    free(path);
    if(rc)
      break;
  }
  if(!rc && lineno < 3)
    rc = diag_add(d, name, lineno + 1, 1, NULL, "the MANIFEST ends after %ld lines; expected the header lines "
                  "magic, month and previous", lineno);
  if(!rc && m->version[0] && !m->rulebook_sha256[0])
    rc = diag_add(d, name, lineno + 1, 1, NULL, "the MANIFEST ends after its licbill line; expected \"rulebook "
                  "SHA256\" next");
  if(rc) {
    manifest_clear(m);
    manifest_init(m);
  }
  return rc;
}

int manifest_read(manifest *m, const char *path, diag_list *d)
{
  FILE *fp = fopen(path, "rb");
  char *buf = NULL;
  size_t n = 0, cap = 0;
  int rc;
  if(!fp) {
    diag_add(d, path, 0, 0, NULL, "cannot open: %s", strerror(errno));
    return LB_EIO;
  }
  for(;;) {
    if(n + 4096 > cap) {
      size_t ncap = cap ? cap * 2 : 16384;
      char *nb = realloc(buf, ncap);
      if(!nb) {
        free(buf);
        fclose(fp);
        return LB_ENOMEM;
      }
      buf = nb;
      cap = ncap;
    }
    size_t got = fread(buf + n, 1, cap - n, fp);
    n += got;
    if(got == 0)
      break;
  }
  if(ferror(fp)) {
    diag_add(d, path, 0, 0, NULL, "cannot read: %s", strerror(errno));
    rc = LB_EIO;
  } else
    rc = manifest_parse(m, buf ? buf : "", n, path, d);
  free(buf);
  fclose(fp);
  return rc;
}
