/* spill.c - a byte store in memory while small, in an unlinked temporary file past its limit. */
#include "core/spill.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/errors.h"

const char *spill_dir(void)
{
  const char *d = getenv("TMPDIR");
  return d && *d ? d : "/tmp";
}

void spill_init(spill *s, size_t mem_max)
{
  memset(s, 0, sizeof(*s));
  s->mem_max = mem_max;
}

void spill_clear(spill *s)
{
  if(!s)
    return;
  free(s->mem);
  if(s->file)
    close(s->fd);
  spill_init(s, s->mem_max);
}

static int fail(spill *s)
{
  if(!s->err)
    s->err = errno ? errno : EIO;
  errno = s->err;
  return LB_EIO;
}

static int pwrite_all(int fd, const void *p, size_t n, uint64_t off)
{
  const unsigned char *b = p;
  while(n) {
    ssize_t w = pwrite(fd, b, n, (off_t)off);
    if(w < 0 && errno == EINTR)
      continue;
    if(w <= 0) {
      if(w == 0)
        errno = ENOSPC;
      return -1;
    }
    b += w;
    n -= (size_t)w;
    off += (uint64_t)w;
  }
  return 0;
}

static int pread_all(int fd, void *p, size_t n, uint64_t off)
{
  unsigned char *b = p;
  while(n) {
    ssize_t r = pread(fd, b, n, (off_t)off);
    if(r < 0 && errno == EINTR)
      continue;
    if(r <= 0) {
      if(r == 0)
        errno = EIO; /* our own file, shorter than written */
      return -1;
    }
    b += r;
    n -= (size_t)r;
    off += (uint64_t)r;
  }
  return 0;
}

/* A file nobody else can open: O_TMPFILE where the file system has it, else a name unlinked at once. */
static int make_file(void)
{
  const char *dir = spill_dir();
  int fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
  if(fd >= 0 || (errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL))
    return fd;
  char *path = NULL;
  if(asprintf(&path, "%s/.licbill-spill-XXXXXX", dir) < 0)
    return -1;
  fd = mkostemp(path, O_CLOEXEC);
  if(fd >= 0)
    unlink(path);
  free(path);
  return fd;
}

/* The bytes in memory go to a new temporary file; mem becomes the tail buffer. */
static int to_file(spill *s)
{
  int fd = make_file();
  if(fd < 0)
    return fail(s);
  if(s->size && pwrite_all(fd, s->mem, (size_t)s->size, 0)) {
    int e = errno;
    close(fd);
    errno = e;
    return fail(s);
  }
  s->fd = fd;
  s->file = 1;
  s->fsize = s->size;
  if(s->cap < SPILL_TAIL) {
    unsigned char *m = realloc(s->mem, SPILL_TAIL);
    if(!m)
      return LB_ENOMEM; /* the spill stays usable: the tail is empty and can be written directly */
    s->mem = m;
    s->cap = SPILL_TAIL;
  }
  return LB_OK;
}

/* Write the tail buffer to the file. */
static int flush_tail(spill *s)
{
  if(s->size > s->fsize && pwrite_all(s->fd, s->mem, (size_t)(s->size - s->fsize), s->fsize))
    return fail(s);
  s->fsize = s->size;
  return LB_OK;
}

/* Room in memory for `need` bytes (in memory mode); LB_EIO/LB_ENOMEM, or 1 when the spill must move to a file. */
static int reserve(spill *s, uint64_t need)
{
  if(need <= s->cap)
    return LB_OK;
  size_t max = s->mem_max ? s->mem_max : SPILL_MEM_MAX;
  if(need > max)
    return 1;
  size_t ncap = s->cap ? s->cap : 4096;
  while(ncap < need)
    ncap *= 2;
  if(ncap > max)
    ncap = max;
  unsigned char *m = realloc(s->mem, ncap);
  if(!m)
    return LB_ENOMEM;
  s->mem = m;
  s->cap = ncap;
  return LB_OK;
}

int spill_write(spill *s, uint64_t off, const void *p, size_t n)
{
  const unsigned char *b = p;
  uint64_t end = off + n;
  int rc;
  if(s->err) {
    errno = s->err;
    return LB_EIO;
  }
  if(off > s->size) {
    errno = EINVAL;
    return fail(s);
  }
  if(!s->file) {
    rc = reserve(s, end);
    if(rc < 0)
      return rc;
    if(rc == 0) {
      memcpy(s->mem + off, b, n);
      if(end > s->size)
        s->size = end;
      return LB_OK;
    }
    if((rc = to_file(s)))
      return rc;
  }
  /* below the tail: straight to the file */
  if(off < s->fsize) {
    size_t k = end <= s->fsize ? n : (size_t)(s->fsize - off);
    if(pwrite_all(s->fd, b, k, off))
      return fail(s);
    b += k;
    n -= k;
    off += k;
  }
  if(!n)
    return LB_OK;
  /* in the tail: buffered while it fits */
  if(end - s->fsize <= s->cap) {
    memcpy(s->mem + (off - s->fsize), b, n);
    if(end > s->size)
      s->size = end;
    return LB_OK;
  }
  if((rc = flush_tail(s)))
    return rc;
  if(pwrite_all(s->fd, b, n, off))
    return fail(s);
  if(end > s->size)
    s->size = end;
  s->fsize = s->size;
  return LB_OK;
}

int spill_append(spill *s, const void *p, size_t n, uint64_t *off)
{
  uint64_t at = s->size;
  int rc = spill_write(s, at, p, n);
  if(!rc && off)
    *off = at;
  return rc;
}

int spill_grow(spill *s, uint64_t size)
{
  static const unsigned char zeros[4096];
  if(s->err) {
    errno = s->err;
    return LB_EIO;
  }
  if(size <= s->size)
    return LB_OK;
  if(!s->file) {
    int rc = reserve(s, size);
    if(rc < 0)
      return rc;
    if(rc == 0) {
      memset(s->mem + s->size, 0, (size_t)(size - s->size));
      s->size = size;
      return LB_OK;
    }
    if((rc = to_file(s)))
      return rc;
  }
  if(size - s->size <= sizeof(zeros))
    return spill_write(s, s->size, zeros, (size_t)(size - s->size));
  int rc = flush_tail(s);
  if(rc)
    return rc;
  if(ftruncate(s->fd, (off_t)size))
    return fail(s);
  s->size = s->fsize = size;
  return LB_OK;
}

int spill_read(const spill *s, uint64_t off, void *p, size_t n)
{
  unsigned char *b = p;
  if(off > s->size || n > s->size - off) {
    errno = EINVAL;
    return LB_EIO;
  }
  if(!s->file) {
    memcpy(b, s->mem + off, n);
    return LB_OK;
  }
  if(off < s->fsize) {
    size_t k = off + n <= s->fsize ? n : (size_t)(s->fsize - off);
    if(pread_all(s->fd, b, k, off))
      return LB_EIO;
    b += k;
    n -= k;
    off += k;
  }
  if(n)
    memcpy(b, s->mem + (off - s->fsize), n);
  return LB_OK;
}
