/* gen_sink.c - buffered CSV writing for `licbill gen`, errors kept until the file is closed. */
#include "batch/gen_sink.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/diag.h"

void gen_sink_log(FILE *log, const char *fmt, ...)
{
  va_list ap;
  if(!log)
    return;
  va_start(ap, fmt);
  fputs("licbill gen: ", log);
  vfprintf(log, fmt, ap);
  fputc('\n', log);
  va_end(ap);
}

void gen_sink_init(gen_sink *s)
{
  memset(s, 0, sizeof(*s));
  s->fd = -1;
  s->delim = ',';
  s->eol = GEN_SINK_EOL;
}

static int write_all(int fd, const char *p, size_t n)
{
  while(n) {
    ssize_t w = write(fd, p, n);
    if(w < 0) {
      if(errno == EINTR)
        continue;
      return -1;
    }
    p += w;
    n -= (size_t)w;
  }
  return 0;
}

void gen_sink_flush(gen_sink *s)
{
  if(s->err || s->fd < 0 || !s->n)
    return;
  if(write_all(s->fd, s->p, s->n)) {
    s->err = LB_EIO;
    s->err_no = errno;
  }
  s->n = 0;
}

void gen_sink_put(gen_sink *s, const char *v, size_t n)
{
  if(s->err || !n)
    return;
  if(s->n + n > s->cap) {
    size_t ncap = s->cap ? s->cap : 4096;
    while(ncap < s->n + n)
      ncap *= 2;
    char *np = realloc(s->p, ncap);
    if(!np) {
      s->err = LB_ENOMEM;
      return;
    }
    s->p = np;
    s->cap = ncap;
  }
  memcpy(s->p + s->n, v, n);
  s->n += n;
}

void gen_sink_puts(gen_sink *s, const char *v)
{
  gen_sink_put(s, v, strlen(v));
}

void gen_sink_field(gen_sink *s, const char *v)
{
  if(s->col++)
    gen_sink_put(s, &s->delim, 1);
  int quote = s->quote_all;
  for(const char *c = v; !quote && *c; c++)
    quote = *c == s->delim || *c == '"' || *c == '\r' || *c == '\n';
  if(!quote) {
    gen_sink_puts(s, v);
    return;
  }
  gen_sink_put(s, "\"", 1);
  for(const char *c = v; *c; c++) {
    const char *q = strchr(c, '"');
    size_t n = q ? (size_t)(q - c) + 1 : strlen(c);
    gen_sink_put(s, c, n);
    if(q)
      gen_sink_put(s, "\"", 1);
    c += n - 1;
  }
  gen_sink_put(s, "\"", 1);
}

void gen_sink_fieldf(gen_sink *s, const char *fmt, ...)
{
  char buf[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(buf, sizeof(buf), fmt, ap);
  va_end(ap);
  gen_sink_field(s, buf);
}

void gen_sink_end_row(gen_sink *s)
{
  gen_sink_puts(s, s->eol);
  s->col = 0;
  if(s->n >= GEN_SINK_FLUSH_AT)
    gen_sink_flush(s);
}

int gen_sink_open(gen_sink *s, const char *dir, const char *name, const char *header)
{
  gen_sink_init(s);
  if(snprintf(s->path, sizeof(s->path), "%s/%s", dir, name) >= (int)sizeof(s->path)) {
    s->err = LB_EIO;
    s->err_no = ENAMETOOLONG;
    return s->err;
  }
  s->fd = open(s->path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  if(s->fd < 0) {
    s->err = LB_EIO;
    s->err_no = errno;
    return s->err;
  }
  gen_sink_puts(s, header);
  gen_sink_end_row(s);
  return LB_OK;
}

int gen_sink_close(gen_sink *s, FILE *log)
{
  int rc = LB_OK;
  gen_sink_flush(s);
  if(s->fd >= 0) {
    if(close(s->fd) && !s->err) {
      s->err = LB_EIO;
      s->err_no = errno;
    }
    s->fd = -1;
  }
  if(s->err == LB_EIO)
    gen_sink_log(log, "%s: %s", s->path, strerror(s->err_no));
  else if(s->err == LB_ENOMEM)
    gen_sink_log(log, "%s: out of memory", s->path);
  rc = s->err;
  s->err = 0;
  free(s->p);
  s->p = NULL;
  s->n = s->cap = 0;
  return rc;
}

int gen_sink_save(gen_sink *s, FILE *log)
{
  int fd = -1, rc = LB_EIO;
  if(s->err) {
    rc = s->err;
    goto out;
  }
  fd = open(s->path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  if(fd < 0 || write_all(fd, s->p, s->n))
    goto fail;
  int cfd = fd;
  fd = -1;
  if(close(cfd))
    goto fail;
  rc = LB_OK;
  goto out;
fail:
  gen_sink_log(log, "%s: %s", s->path, strerror(errno));
out:
  if(fd >= 0)
    close(fd);
  if(rc == LB_ENOMEM)
    gen_sink_log(log, "%s: out of memory", s->path);
  s->n = 0;
  s->col = 0;
  return rc;
}
