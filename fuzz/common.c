/* common.c - scratch folder, file writing and the result checks shared by the harnesses. */
#include "fuzz/common.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char scratch[4096];

static void fail(const char *what, const char *path)
{
  fprintf(stderr, "fuzz harness: %s %s: %s\n", what, path ? path : "", strerror(errno));
  abort();
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
  (void)st;
  (void)flag;
  (void)ftw;
  remove(path);
  return 0;
}

static void rm_scratch(void)
{
  if(scratch[0])
    nftw(scratch, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

const char *fz_dir(void)
{
  if(scratch[0])
    return scratch;
  const char *base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : getenv("TMPDIR");
  if(!base || !*base)
    base = "/tmp";
  snprintf(scratch, sizeof(scratch), "%s/licbill-fuzz-XXXXXX", base);
  if(!mkdtemp(scratch))
    fail("cannot make a scratch folder", scratch);
  atexit(rm_scratch);
  return scratch;
}

char *fz_str(const char *fmt, ...)
{
  char *p;
  va_list ap;
  va_start(ap, fmt);
  if(vasprintf(&p, fmt, ap) < 0)
    fail("out of memory", NULL);
  va_end(ap);
  return p;
}

char *fz_path(const char *name) { return fz_str("%s/%s", fz_dir(), name); }

void fz_write(const char *path, const uint8_t *data, size_t n)
{
  /* a new file: writing through a link to a file of the checkout would overwrite it */
  if(unlink(path) && errno != ENOENT)
    fail("cannot remove", path);
  int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if(fd < 0)
    fail("cannot create", path);
  while(n) {
    ssize_t w = write(fd, data, n);
    if(w < 0 && errno == EINTR)
      continue;
    if(w <= 0)
      fail("cannot write", path);
    data += w;
    n -= (size_t)w;
  }
  if(close(fd))
    fail("cannot close", path);
}

void fz_copy(const char *src, const char *dst)
{
  FILE *fp = fopen(src, "rb");
  char *buf = NULL;
  size_t cap = 0, n = 0, got;
  if(!fp)
    fail("cannot open", src);
  do {
    if(n == cap) {
      cap = cap ? cap * 2 : 65536;
      buf = realloc(buf, cap);
      if(!buf)
        fail("out of memory", NULL);
    }
    got = fread(buf + n, 1, cap - n, fp);
    n += got;
  } while(got);
  if(ferror(fp))
    fail("cannot read", src);
  fclose(fp);
  fz_write(dst, (const uint8_t *)buf, n);
  free(buf);
}

void fz_link(const char *target, const char *link)
{
  if(unlink(link) && errno != ENOENT && rmdir(link))
    fail("cannot remove", link);
  if(symlink(target, link))
    fail("cannot link", link);
}

void fz_require(int ok, const char *what)
{
  if(ok)
    return;
  fprintf(stderr, "fuzz harness: %s\n", what);
  abort();
}

size_t fz_pick(const uint8_t **data, size_t *size, const char *const *names, size_t n)
{
  const uint8_t *nl = *size ? memchr(*data, '\n', *size) : NULL;
  if(nl) {
    size_t len = (size_t)(nl - *data);
    for(size_t i = 0; i < n; i++)
      if(strlen(names[i]) == len && memcmp(names[i], *data, len) == 0) {
        *size -= len + 1;
        *data = nl + 1;
        return i;
      }
  }
  return *size ? (*data)[0] % n : 0;
}

/* The byte length of each line of data, its terminator left out: lens[0 .. *nlines-1]. The last line is
 * the bytes after the last terminator (empty when the data ends with one). The caller frees. */
static size_t *line_lengths(const uint8_t *data, size_t size, enum fz_lines mode, long *nlines)
{
  size_t n = 0, cap = 64, from = 0, *v = malloc(cap * sizeof(*v));
  if(!v)
    fail("out of memory", NULL);
  for(size_t i = 0; i <= size; i++) {
    int end = i == size || data[i] == '\n' || (mode == FZ_LINES_CSV && data[i] == '\r');
    if(!end)
      continue;
    if(n == cap && !(v = realloc(v, (cap *= 2) * sizeof(*v))))
      fail("out of memory", NULL);
    v[n++] = i - from;
    if(mode == FZ_LINES_CSV && i < size && data[i] == '\r' && i + 1 < size && data[i + 1] == '\n')
      i++;
    from = i + 1;
  }
  *nlines = (long)n;
  return v;
}

void fz_check(int rc, const diag_list *d, const char *path, const uint8_t *data, size_t size, enum fz_lines lines)
{
  size_t *lens = NULL;
  long nlines = 0;
  if(rc != LB_OK && rc != LB_EINPUT && rc != LB_ENOMEM && rc != LB_EIO) {
    fprintf(stderr, "fuzz harness: return code %d is not one of LB_OK, LB_EINPUT, LB_ENOMEM, LB_EIO\n", rc);
    abort();
  }
  if((rc == LB_EINPUT || rc == LB_EIO) && d->n == 0) {
    fprintf(stderr, "fuzz harness: return code %d without an error record (a silent rejection)\n", rc);
    abort();
  }
  for(size_t i = 0; i < d->n; i++) {
    const diag *e = &d->v[i];
    if(!e->file || !e->message || !e->message[0]) {
      fprintf(stderr, "fuzz harness: error record %zu without a file or a message\n", i);
      abort();
    }
    if(e->line < 0 || e->col < 0) {
      diag_print_one(e, stderr);
      fprintf(stderr, "fuzz harness: negative line or column\n");
      abort();
    }
    if(!path || strcmp(e->file, path) != 0 || e->line == 0)
      continue;
    if(!lens)
      lens = line_lengths(data, size, lines, &nlines);
    if(e->line > nlines || (size_t)e->col > lens[e->line - 1] + 1) {
      diag_print_one(e, stderr);
      fprintf(stderr, "fuzz harness: position outside the file (%ld lines", nlines);
      if(e->line <= nlines)
        fprintf(stderr, "; line %ld has %zu bytes", e->line, lens[e->line - 1]);
      fprintf(stderr, ")\n");
      abort();
    }
  }
  free(lens);
}
