/* gen_sink.h - the output buffers of `licbill gen`: CSV fields quoted as RFC 4180 asks, flushed to a file as they fill. */
#ifndef LB_GEN_SINK_H
#define LB_GEN_SINK_H

#include <limits.h>
#include <stddef.h>
#include <stdio.h>

#define GEN_SINK_FLUSH_AT (256 * 1024)
#define GEN_SINK_EOL "\r\n" /* RFC 4180 line break of the inventory files */

/* A growing buffer that becomes CSV rows. With fd >= 0 it is flushed to the
 * file as it fills; with fd < 0 it holds one whole file (an SCRT report)
 * until gen_sink_save. Errors are sticky: the first one is kept in
 * err/err_no and reported once by gen_sink_close or gen_sink_save. The
 * buffer is reused row after row: memory stays at the largest file's
 * (fd < 0) or GEN_SINK_FLUSH_AT plus one row (fd >= 0). */
typedef struct gen_sink {
  int fd;
  char *p;
  size_t n, cap;
  int err;          /* 0, LB_ENOMEM or LB_EIO */
  int err_no;       /* errno of an LB_EIO */
  char delim;       /* ',' or ';' */
  int quote_all;    /* 1: every field quoted; 0: only where RFC 4180 needs it */
  const char *eol;  /* "\r\n" or "\n" */
  int col;          /* fields written on the current row */
  char path[PATH_MAX];
} gen_sink;

/* An empty sink without a file: ',' separated, fields quoted only where
 * needed, CRLF. */
void gen_sink_init(gen_sink *s);

/* Init, create or truncate dir/name and write `header` (column names
 * joined by ',', never quoted) as its first row. A failure is kept in the
 * sink and also returned (LB_EIO), so that gen_sink_close reports it once. */
int gen_sink_open(gen_sink *s, const char *dir, const char *name, const char *header);

/* Raw bytes and strings, as they are. */
void gen_sink_put(gen_sink *s, const char *v, size_t n);
void gen_sink_puts(gen_sink *s, const char *v);

/* One field of the current row, separated and quoted as the sink's style
 * asks ('"' doubled inside). */
void gen_sink_field(gen_sink *s, const char *v);
void gen_sink_fieldf(gen_sink *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* End the row (flushing to the file when the buffer is full enough). */
void gen_sink_end_row(gen_sink *s);

/* Write what is buffered to the file (fd >= 0 only). */
void gen_sink_flush(gen_sink *s);

/* Flush, close and free; logs ("licbill gen: PATH: why") and returns the
 * sink's first error, once. Safe on a sink never opened and on one
 * already closed. `log` may be NULL. */
int gen_sink_close(gen_sink *s, FILE *log);

/* Write the whole buffer of a sink without a file to s->path (created or
 * truncated) and empty the buffer; the sink keeps its memory for the next
 * file. Returns LB_OK, the sink's sticky error or LB_EIO, logged. */
int gen_sink_save(gen_sink *s, FILE *log);

/* "licbill gen: " + the message + newline on log; nothing when log is NULL. */
void gen_sink_log(FILE *log, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
