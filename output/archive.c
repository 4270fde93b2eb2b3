/* archive.c - deterministic month archives: tar by libarchive, gzip by our own zlib writer and reader, read back before kept. */
#include "output/archive.h"

/* libarchive's headers (angle brackets: not our archive.h beside this file) */
#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <nettle/sha2.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "core/about.h"
#include "core/spill.h"
#include "core/xsort.h"
#include "output/atomic.h"
#include "output/manifest.h"

#define IO_BUF (64 * 1024)

static void hex(const uint8_t *h, size_t n, char *out)
{
  static const char d[] = "0123456789abcdef";
  for(size_t i = 0; i < n; i++) {
    out[2 * i] = d[h[i] >> 4];
    out[2 * i + 1] = d[h[i] & 15];
  }
  out[2 * n] = '\0';
}

static int is_month_name(const char *s, size_t n, lb_month *m)
{
  size_t ep;
  return n == 7 && s[4] == '-' && !month_parse(m, s, 7, &ep);
}

char *archive_month_path(const char *output_dir, lb_month m)
{
  char mon[8], *p = NULL;
  if(asprintf(&p, "%s/" ARCHIVE_SUBDIR "/%s.tar.gz", output_dir, month_format(mon, m)) < 0)
    return NULL;
  return p;
}

/* ---- months present ------------------------------------------------------ */

static int add_month(lb_month **v, size_t *n, size_t *cap, lb_month m)
{
  if(*n == *cap) {
    size_t nc = *cap ? *cap * 2 : 16;
    lb_month *nv = realloc(*v, nc * sizeof(*nv));
    if(!nv)
      return LB_ENOMEM;
    *v = nv;
    *cap = nc;
  }
  (*v)[(*n)++] = m;
  return LB_OK;
}

static int cmp_month(const void *a, const void *b)
{
  lb_month x = *(const lb_month *)a, y = *(const lb_month *)b;
  return x < y ? -1 : x > y;
}

int archive_months(const char *output_dir, lb_month **months, size_t *count)
{
  lb_month *v = NULL, m;
  size_t n = 0, cap = 0;
  int rc = LB_OK;
  char *adir = NULL;
  DIR *dh = opendir(output_dir);
  if(!dh)
    return LB_EIO;
  struct dirent *de;
  while(!rc && (de = readdir(dh)) != NULL) {
    char *p = NULL;
    struct stat st;
    if(!is_month_name(de->d_name, strlen(de->d_name), &m))
      continue;
    if(asprintf(&p, "%s/%s", output_dir, de->d_name) < 0) {
      rc = LB_ENOMEM;
      break;
    }
    if(stat(p, &st) == 0 && S_ISDIR(st.st_mode))
      rc = add_month(&v, &n, &cap, m);
    free(p);
  }
  closedir(dh);
  if(!rc && asprintf(&adir, "%s/" ARCHIVE_SUBDIR, output_dir) < 0)
    rc = LB_ENOMEM;
  if(!rc && (dh = opendir(adir)) != NULL) {
    while(!rc && (de = readdir(dh)) != NULL) {
      size_t l = strlen(de->d_name);
      if(l == 14 && !strcmp(de->d_name + 7, ".tar.gz") && is_month_name(de->d_name, 7, &m))
        rc = add_month(&v, &n, &cap, m);
    }
    closedir(dh);
  }
  free(adir);
  if(rc) {
    free(v);
    return rc;
  }
  if(n)
    qsort(v, n, sizeof(*v), cmp_month);
  size_t k = 0;
  for(size_t i = 0; i < n; i++)
    if(!k || v[k - 1] != v[i])
      v[k++] = v[i];
  if(!k) {
    free(v);
    v = NULL;
  }
  *months = v;
  *count = k;
  return LB_OK;
}

/* ---- the read-back beside the writer ----------------------------------------- */

/* One member of the archive: a folder or a file of the month. */
typedef struct member {
  char *name;       /* "2026-11/invoices/X.pdf" or "2026-11/invoices/" style without the slash */
  char *disk;       /* path on disk (files only) */
  int is_dir;
  char sha[65];     /* files: expected sha256 */
  uint64_t size;
} member;

static void member_clear(member *x)
{
  free(x->name);
  free(x->disk);
  memset(x, 0, sizeof(*x));
}

/* The seal reads its archive back while it is being written (archive_seal_month): the writer flushes what it has
 * written and says how far (published), and queues each member before its header; the reader, a thread of its own,
 * reads the temporary file up to there, waits for more, and takes the members it expects from the queue. Some of the
 * members queued may still be inside zlib's buffers, so the writer never waits for the queue; it waits only when the
 * reader is FOLLOW_LAG bytes of the file behind, bytes that are there to read. That also bounds the queue: a member
 * is at least a 512-byte tar header. */
#define FOLLOW_STEP (256 * 1024) /* the writer publishes at least this often */
#define FOLLOW_LAG (8u << 20)

typedef struct follow {
  pthread_mutex_t mu;
  pthread_cond_t cv;        /* broadcast on any change */
  FILE *fp;                 /* the writer's */
  uint64_t written;         /* bytes the writer gave fp */
  uint64_t published;       /* of them, flushed to the file */
  uint64_t consumed;        /* of them, read by the reader */
  int done;                 /* the writer wrote its last byte (or gave up) */
  int members_done;         /* no member will be queued any more */
  int reader_gone;          /* the reader stopped: nothing is queued any more */
  member *q;                /* a ring of cap, count from head */
  size_t head, count, cap;
} follow;

/* Flush and publish what was written (the writer, follow unlocked). */
static void follow_publish(follow *f, int done)
{
  int ok = fflush(f->fp) == 0;
  pthread_mutex_lock(&f->mu);
  if(ok)
    f->published = f->written;
  if(done || !ok)
    f->done = 1;
  if(done)
    f->members_done = 1;
  pthread_cond_broadcast(&f->cv);
  /* a reader far behind catches up on bytes that are in the file */
  while(!f->done && !f->reader_gone && f->published - f->consumed > FOLLOW_LAG)
    pthread_cond_wait(&f->cv, &f->mu);
  pthread_mutex_unlock(&f->mu);
}

/* Queue a copy of the member the writer is about to write. LB_OK or LB_ENOMEM. */
static int follow_push(follow *f, const member *x)
{
  member c = {0};
  int rc = LB_OK;
  c.is_dir = x->is_dir;
  c.size = x->size;
  memcpy(c.sha, x->sha, sizeof(c.sha));
  if(!(c.name = strdup(x->name)) || (x->disk && !(c.disk = strdup(x->disk)))) {
    member_clear(&c);
    return LB_ENOMEM;
  }
  pthread_mutex_lock(&f->mu);
  if(!f->reader_gone && f->count == f->cap) {
    size_t nc = f->cap ? 2 * f->cap : 256;
    member *nq = malloc(nc * sizeof(*nq));
    if(!nq)
      rc = LB_ENOMEM;
    else {
      for(size_t i = 0; i < f->count; i++)
        nq[i] = f->q[(f->head + i) % f->cap];
      free(f->q);
      f->q = nq;
      f->head = 0;
      f->cap = nc;
    }
  }
  if(f->reader_gone || rc)
    member_clear(&c);
  else {
    f->q[(f->head + f->count) % f->cap] = c;
    f->count++;
    pthread_cond_broadcast(&f->cv);
  }
  pthread_mutex_unlock(&f->mu);
  return rc;
}

/* The next member written, into *x (cleared first): 1, or 0 when the writer queues no more. */
static int follow_pop(follow *f, member *x)
{
  member_clear(x);
  pthread_mutex_lock(&f->mu);
  while(!f->count && !f->members_done)
    pthread_cond_wait(&f->cv, &f->mu);
  int got = f->count > 0;
  if(got) {
    *x = f->q[f->head];
    memset(&f->q[f->head], 0, sizeof(f->q[0]));
    f->head = (f->head + 1) % f->cap;
    f->count--;
  }
  pthread_mutex_unlock(&f->mu);
  return got;
}

/* The reader has read `have` bytes: told to a writer that may be waiting for it. With wait (the reader found the end
 * of the file): 1 when the writer has published more since, 0 when it is done and there is no more. */
static int follow_read(follow *f, uint64_t have, int wait)
{
  pthread_mutex_lock(&f->mu);
  f->consumed = have;
  pthread_cond_broadcast(&f->cv);
  while(wait && !f->done && f->published <= have)
    pthread_cond_wait(&f->cv, &f->mu);
  int more = f->published > have;
  pthread_mutex_unlock(&f->mu);
  return more;
}

static void follow_reader_gone(follow *f)
{
  pthread_mutex_lock(&f->mu);
  f->reader_gone = 1;
  for(; f->count; f->count--, f->head = (f->head + 1) % f->cap)
    member_clear(&f->q[f->head]);
  pthread_cond_broadcast(&f->cv);
  pthread_mutex_unlock(&f->mu);
}

/* ---- reading: our gzip reader under libarchive's tar reader --------------- */

enum { G_HEADER, G_BODY, G_DONE, G_FAILED };

typedef struct gzr {
  int fd;
  unsigned char *in, *out;
  size_t in_pos, in_len;
  int eof;
  z_stream zs;
  int zinit;
  int state;
  int member;          /* gzip members started so far */
  uLong crc;           /* of the current member's output */
  uint64_t isize;      /* bytes of the current member's output */
  uint64_t consumed;   /* compressed bytes read from the file */
  struct sha256_ctx sha;
  const archive_visitor *v;
  int problems;
  int io_errno;
  char *name;          /* the member being read */
  follow *fw;          /* the archive is still being written: wait for its bytes (NULL: a finished file) */
} gzr;

static void gzr_problem(gzr *g, const char *what, const char *expected, const char *actual)
{
  g->problems++;
  g->v->problem(g->v->ctx, what, expected, actual);
}

/* Make input available; 0 at end of file, -1 on a read error. */
static int gzr_fill(gzr *g)
{
  if(g->in_pos < g->in_len)
    return 1;
  if(g->eof)
    return 0;
  for(;;) {
    ssize_t n = read(g->fd, g->in, IO_BUF);
    if(n < 0 && errno == EINTR)
      continue;
    if(n < 0) {
      g->io_errno = errno;
      return -1;
    }
    if(n == 0) {
      if(g->fw && follow_read(g->fw, g->consumed, 1)) {
        /* published bytes are in the file; none there would be the writer's failure, which it reports */
        if((n = read(g->fd, g->in, IO_BUF)) < 0 && errno == EINTR)
          continue;
        if(n < 0) {
          g->io_errno = errno;
          return -1;
        }
      }
      if(n == 0) {
        g->eof = 1;
        return 0;
      }
    }
    sha256_update(&g->sha, (size_t)n, g->in);
    g->consumed += (uint64_t)n;
    if(g->fw && g->consumed % (1u << 20) < (uint64_t)n) /* passed a MiB mark */
      follow_read(g->fw, g->consumed, 0);
    g->in_pos = 0;
    g->in_len = (size_t)n;
    return 1;
  }
}

static int gzr_byte(gzr *g)
{
  int r = gzr_fill(g);
  if(r <= 0)
    return -1;
  return g->in[g->in_pos++];
}

static int gzr_skip_string(gzr *g)
{
  int c;
  while((c = gzr_byte(g)) > 0)
    ;
  return c; /* 0 at the terminator, -1 at end of file */
}

/* Read a member header (RFC 1952). 1 when a member starts, 0 at a clean end
 * of file, -1 on a problem (reported). */
static int gzr_header(gzr *g)
{
  char what[160];
  int c = gzr_byte(g);
  if(c < 0) {
    if(g->io_errno)
      return -1;
    if(!g->member) {
      gzr_problem(g, "empty file: not a gzip archive", "a gzip member", "0 bytes");
      return -1;
    }
    return 0;
  }
  int c2 = gzr_byte(g);
  if(c != 0x1f || c2 != 0x8b) {
    if(g->member) {
      snprintf(what, sizeof(what), "bytes after gzip member %d (at byte %" PRIu64 ")", g->member,
               g->consumed - g->in_len + g->in_pos);
      gzr_problem(g, what, "end of file", "more data");
    } else
      gzr_problem(g, "not a gzip file", "1f8b", "other bytes");
    return -1;
  }
  int cm = gzr_byte(g), flg = gzr_byte(g);
  for(int i = 0; i < 6; i++)
    if(gzr_byte(g) < 0)
      goto cut;
  if(cm != 8 || flg < 0 || (flg & 0xE0)) {
    snprintf(what, sizeof(what), "gzip member %d: unsupported header (method %d, flags 0x%02x)", g->member + 1,
             cm, flg);
    gzr_problem(g, what, "deflate, no reserved flags", NULL);
    return -1;
  }
  if(flg & 4) { /* FEXTRA */
    int lo = gzr_byte(g), hi = gzr_byte(g);
    if(lo < 0 || hi < 0)
      goto cut;
    for(int n = lo | hi << 8; n > 0; n--)
      if(gzr_byte(g) < 0)
        goto cut;
  }
  if((flg & 8) && gzr_skip_string(g) < 0) /* FNAME */
    goto cut;
  if((flg & 16) && gzr_skip_string(g) < 0) /* FCOMMENT */
    goto cut;
  if((flg & 2) && (gzr_byte(g) < 0 || gzr_byte(g) < 0)) /* FHCRC */
    goto cut;
  g->member++;
  g->crc = crc32(0L, Z_NULL, 0);
  g->isize = 0;
  if(!g->zinit) {
    if(inflateInit2(&g->zs, -MAX_WBITS) != Z_OK)
      return -1;
    g->zinit = 1;
  } else
    inflateReset(&g->zs);
  return 1;
cut:
  if(g->io_errno)
    return -1;
  snprintf(what, sizeof(what), "truncated: the file ends inside the header of gzip member %d", g->member + 1);
  gzr_problem(g, what, "a complete gzip header", NULL);
  return -1;
}

/* The member's trailer: CRC32 and ISIZE, little-endian. */
static int gzr_trailer(gzr *g)
{
  unsigned char t[8];
  char what[128], exp[32], act[32];
  for(int i = 0; i < 8; i++) {
    int c = gzr_byte(g);
    if(c < 0) {
      if(g->io_errno)
        return -1;
      snprintf(what, sizeof(what), "truncated: gzip member %d has no complete CRC32/length trailer", g->member);
      gzr_problem(g, what, "8 trailer bytes", NULL);
      return -1;
    }
    t[i] = (unsigned char)c;
  }
  uint32_t crc = (uint32_t)t[0] | (uint32_t)t[1] << 8 | (uint32_t)t[2] << 16 | (uint32_t)t[3] << 24;
  uint32_t isz = (uint32_t)t[4] | (uint32_t)t[5] << 8 | (uint32_t)t[6] << 16 | (uint32_t)t[7] << 24;
  if(crc != (uint32_t)g->crc) {
    snprintf(what, sizeof(what), "gzip member %d: CRC32 of the data does not match its trailer", g->member);
    snprintf(exp, sizeof(exp), "crc32 %08" PRIx32, crc);
    snprintf(act, sizeof(act), "crc32 %08" PRIx32, (uint32_t)g->crc);
    gzr_problem(g, what, exp, act);
  }
  if(isz != (uint32_t)g->isize) {
    snprintf(what, sizeof(what), "gzip member %d: length of the data does not match its trailer", g->member);
    snprintf(exp, sizeof(exp), "%" PRIu32 " bytes (mod 2^32)", isz);
    snprintf(act, sizeof(act), "%" PRIu32 " bytes (mod 2^32)", (uint32_t)g->isize);
    gzr_problem(g, what, exp, act);
  }
  return 0;
}

/* The next piece of the tar stream: >0 bytes at *buf, 0 at its end, -1 on failure. */
static ssize_t gzr_next(gzr *g, const void **buf)
{
  char what[200];
  for(;;) {
    switch(g->state) {
    case G_DONE:
      return 0;
    case G_FAILED:
      return -1;
    case G_HEADER: {
      int r = gzr_header(g);
      g->state = r > 0 ? G_BODY : r == 0 ? G_DONE : G_FAILED;
      continue;
    }
    case G_BODY: {
      int f = gzr_fill(g);
      if(f < 0) {
        g->state = G_FAILED;
        continue;
      }
      if(f == 0) {
        snprintf(what, sizeof(what), "truncated: the file ends inside gzip member %d after %" PRIu64
                 " bytes of data", g->member, g->isize);
        gzr_problem(g, what, "the member's end-of-stream mark, CRC32 and length", "end of file");
        g->state = G_FAILED;
        continue;
      }
      g->zs.next_in = g->in + g->in_pos;
      g->zs.avail_in = (uInt)(g->in_len - g->in_pos);
      g->zs.next_out = g->out;
      g->zs.avail_out = IO_BUF;
      int zr = inflate(&g->zs, Z_NO_FLUSH);
      size_t produced = IO_BUF - g->zs.avail_out;
      g->in_pos = (size_t)(g->zs.next_in - g->in);
      g->crc = crc32(g->crc, g->out, (uInt)produced);
      g->isize += produced;
      if(zr == Z_STREAM_END) {
        if(gzr_trailer(g)) {
          g->state = G_FAILED;
          if(!produced)
            continue;
        } else
          g->state = G_HEADER;
      } else if(zr != Z_OK && !(zr == Z_BUF_ERROR && produced == 0)) {
        snprintf(what, sizeof(what), "gzip member %d: damaged deflate data after %" PRIu64 " bytes (zlib: %s)",
                 g->member, g->isize, g->zs.msg ? g->zs.msg : "error");
        gzr_problem(g, what, "valid deflate data", NULL);
        g->state = G_FAILED;
        if(!produced)
          continue;
      }
      if(produced) {
        *buf = g->out;
        return (ssize_t)produced;
      }
      continue;
    }
    }
  }
}

static la_ssize_t la_read(struct archive *a, void *ctx, const void **buf)
{
  gzr *g = ctx;
  ssize_t n = gzr_next(g, buf);
  if(n < 0)
    archive_set_error(a, g->io_errno ? g->io_errno : EINVAL, "the gzip stream is damaged");
  return n;
}

static int walk(const char *path, const archive_visitor *v, char file_sha[65], follow *fw)
{
  gzr g;
  struct archive *a = NULL;
  struct archive_entry *e;
  int rc = LB_OK, stopped = 0;
  uint8_t h[SHA256_DIGEST_SIZE];
  memset(&g, 0, sizeof(g));
  g.fd = -1;
  if(file_sha)
    file_sha[0] = '\0';
  g.v = v;
  g.fw = fw;
  sha256_init(&g.sha);
  g.in = malloc(IO_BUF);
  g.out = malloc(IO_BUF);
  a = archive_read_new();
  if(!g.in || !g.out || !a) {
    rc = LB_ENOMEM;
    goto out;
  }
  g.fd = open(path, O_RDONLY | O_CLOEXEC);
  if(g.fd < 0) {
    g.io_errno = errno;
    rc = LB_EIO;
    goto out;
  }
  archive_read_support_format_tar(a);
  if(archive_read_open(a, &g, NULL, la_read, NULL) != ARCHIVE_OK) {
    if(g.io_errno) {
      rc = LB_EIO;
      goto out;
    }
    if(!g.problems)
      gzr_problem(&g, "not a tar archive inside the gzip data", "a tar stream", archive_error_string(a));
    goto drain;
  }
  for(;;) {
    int r = archive_read_next_header(a, &e);
    if(r == ARCHIVE_EOF)
      break;
    if(r != ARCHIVE_OK && r != ARCHIVE_WARN) {
      if(g.io_errno) {
        rc = LB_EIO;
        goto out;
      }
      if(!g.problems)
        gzr_problem(&g, "the tar stream is damaged", "a tar member header", archive_error_string(a));
      break;
    }
    const char *raw = archive_entry_pathname(e);
    int is_dir = archive_entry_filetype(e) == AE_IFDIR;
    /* tar writes folders as "name/": hand them on without the slash */
    size_t nl = raw ? strlen(raw) : 0;
    char *name = malloc(nl + 1);
    if(!name) {
      rc = LB_ENOMEM;
      goto out;
    }
    memcpy(name, raw ? raw : "", nl + 1);
    while(nl > 1 && name[nl - 1] == '/')
      name[--nl] = '\0';
    free(g.name);
    g.name = name;
    uint64_t size = archive_entry_size_is_set(e) && archive_entry_size(e) > 0 ? (uint64_t)archive_entry_size(e) : 0;
    int b = v->begin(v->ctx, name, is_dir, size);
    if(b < 0) {
      rc = b;
      goto out;
    }
    if(b > 0) {
      stopped = 1;
      goto out;
    }
    struct sha256_ctx ms;
    uint64_t got = 0;
    int damaged = 0;
    sha256_init(&ms);
    for(;;) {
      const void *buf;
      size_t len;
      la_int64_t off;
      int dr = archive_read_data_block(a, &buf, &len, &off);
      if(dr == ARCHIVE_EOF)
        break;
      if(dr != ARCHIVE_OK && dr != ARCHIVE_WARN) {
        if(g.io_errno) {
          rc = LB_EIO;
          goto out;
        }
        if(!g.problems) {
          char what[600];
          snprintf(what, sizeof(what), "member %s cannot be read to its end", name);
          gzr_problem(&g, what, NULL, archive_error_string(a));
        }
        damaged = 1;
        break;
      }
      sha256_update(&ms, len, buf);
      got += len;
      if(v->data && (rc = v->data(v->ctx, buf, len)) != 0)
        goto out;
    }
    if(damaged)
      break;
    char sha[65];
    sha256_digest(&ms, sizeof(h), h);
    hex(h, sizeof(h), sha);
    if(v->end && (rc = v->end(v->ctx, sha, got)) != 0)
      goto out;
  }
drain:
  /* past the tar end: the rest of the last member (padding) and its trailer */
  if(g.state != G_FAILED && g.state != G_DONE) {
    const void *buf;
    while(gzr_next(&g, &buf) > 0)
      ;
  }
  if(g.io_errno) {
    rc = LB_EIO;
    goto out;
  }
  if(g.state == G_DONE) {
    /* the whole file was read: its hash is final */
    sha256_digest(&g.sha, sizeof(h), h);
    if(file_sha)
      hex(h, sizeof(h), file_sha);
  }
out:
  if(!rc && !stopped && g.problems)
    rc = LB_EINPUT;
  if(a)
    archive_read_free(a);
  if(g.zinit)
    inflateEnd(&g.zs);
  if(g.fd >= 0)
    close(g.fd);
  free(g.in);
  free(g.out);
  free(g.name);
  if(g.io_errno)
    errno = g.io_errno; /* what the caller reports for LB_EIO */
  return rc;
}

int archive_walk(const char *path, const archive_visitor *v, char file_sha[65])
{
  return walk(path, v, file_sha, NULL);
}

/* ---- one member's bytes --------------------------------------------------- */

/* Where a MANIFEST's bytes go as they are read: kept (all of them, or the first `limit`), hashed, or both. */
typedef struct sink {
  int keep, hash;
  size_t limit;             /* keep at most this many bytes, 0 = all */
  char *buf;
  size_t len, cap;
  struct sha256_ctx c;
} sink;

static int sink_put(sink *k, const void *p, size_t n)
{
  if(k->hash)
    sha256_update(&k->c, n, p);
  if(!k->keep)
    return 0;
  if(k->limit && k->len + n > k->limit)
    n = k->limit > k->len ? k->limit - k->len : 0;
  if(k->len + n + 1 > k->cap) {
    size_t nc = k->cap ? k->cap * 2 : 8192;
    while(nc < k->len + n + 1)
      nc *= 2;
    char *nb = realloc(k->buf, nc);
    if(!nb)
      return LB_ENOMEM;
    k->buf = nb;
    k->cap = nc;
  }
  memcpy(k->buf + k->len, p, n);
  k->len += n;
  k->buf[k->len] = '\0';
  return 0;
}

typedef struct grab {
  const char *want;
  int found, in;
  sink *k;
} grab;

static int grab_begin(void *ctx, const char *name, int is_dir, uint64_t size)
{
  grab *g = ctx;
  (void)size;
  if(g->found)
    return 1; /* members are in name order: nothing more to read */
  g->in = !is_dir && !strcmp(name, g->want);
  return 0;
}

static int grab_data(void *ctx, const void *buf, size_t n)
{
  grab *g = ctx;
  return g->in ? sink_put(g->k, buf, n) : 0;
}

static int grab_end(void *ctx, const char sha[65], uint64_t size)
{
  grab *g = ctx;
  (void)sha;
  (void)size;
  if(g->in) {
    g->found = 1;
    g->in = 0;
    if(g->k->keep && !g->k->buf && !(g->k->buf = calloc(1, 1)))
      return LB_ENOMEM;
  }
  return 0;
}

static void grab_problem(void *ctx, const char *what, const char *exp, const char *act)
{
  (void)ctx;
  (void)what;
  (void)exp;
  (void)act;
}

/* Month m's MANIFEST into k, from its folder (*where = 1) or its archive (*where = 2): LB_OK, 1 when neither
 * has one, LB_EIO / LB_ENOMEM. */
static int month_manifest(const char *output_dir, lb_month m, sink *k, int *where)
{
  char mon[8], *path = NULL, *want = NULL;
  int rc;
  *where = 0;
  month_format(mon, m);
  if(asprintf(&path, "%s/%s/" MANIFEST_NAME, output_dir, mon) < 0)
    return LB_ENOMEM;
  FILE *fp = fopen(path, "rb");
  free(path);
  if(fp) {
    char chunk[8192];
    size_t got;
    rc = LB_OK;
    while(!rc && (got = fread(chunk, 1, sizeof(chunk), fp)) > 0)
      rc = sink_put(k, chunk, got);
    if(!rc && ferror(fp))
      rc = LB_EIO;
    fclose(fp);
    if(!rc && k->keep && !k->buf && !(k->buf = calloc(1, 1)))
      rc = LB_ENOMEM;
    if(!rc)
      *where = 1;
    return rc;
  }
  path = archive_month_path(output_dir, m);
  if(!path || asprintf(&want, "%s/" MANIFEST_NAME, mon) < 0) {
    free(path);
    return LB_ENOMEM;
  }
  grab g = {want, 0, 0, k};
  archive_visitor v = {&g, grab_begin, grab_data, grab_end, grab_problem};
  rc = archive_walk(path, &v, NULL);
  free(path);
  free(want);
  if(rc == LB_ENOMEM)
    return rc;
  if(!g.found)
    return rc == LB_EIO && errno != ENOENT ? LB_EIO : 1;
  *where = 2;
  return LB_OK;
}

int archive_month_manifest(const char *output_dir, lb_month m, char **text, size_t *len, int *where)
{
  sink k;
  memset(&k, 0, sizeof(k));
  k.keep = 1;
  *text = NULL;
  *len = 0;
  int rc = month_manifest(output_dir, m, &k, where);
  if(rc) {
    free(k.buf);
    return rc;
  }
  *text = k.buf;
  *len = k.len;
  return LB_OK;
}

int archive_previous_link(const char *output_dir, lb_month m, lb_month *prev, char sha[65])
{
  lb_month *months = NULL;
  size_t n = 0;
  int rc = archive_months(output_dir, &months, &n);
  *prev = MONTH_NONE;
  memcpy(sha, MANIFEST_NO_PREVIOUS, 65);
  if(rc)
    return rc;
  for(size_t i = n; i-- > 0;) {
    if(months[i] >= m)
      continue;
    /* hashed as it is read: a MANIFEST of any size costs no memory */
    sink k;
    int where;
    memset(&k, 0, sizeof(k));
    k.hash = 1;
    sha256_init(&k.c);
    rc = month_manifest(output_dir, months[i], &k, &where);
    if(rc < 0)
      break;
    if(rc == 1) {
      rc = LB_OK;
      continue; /* a month never sealed is not part of the chain */
    }
    uint8_t h[SHA256_DIGEST_SIZE];
    sha256_digest(&k.c, sizeof(h), h);
    hex(h, sizeof(h), sha);
    *prev = months[i];
    break;
  }
  free(months);
  return rc;
}

/* ---- writing -------------------------------------------------------------- */

/* The members, sorted in core/xsort.h's bounded memory: each record is the kind, size, sha256, then the name. */
#define MR_SIZE 1
#define MR_SHA (MR_SIZE + 8)
#define MR_NAME (MR_SHA + 65)

typedef struct members {
  xsort *x;
  size_t n;
  const char *monthdir;
  size_t mon_len;   /* of the month folder's name, which starts every member's name */
} members;

/* Folders sort before what they hold: names compare as if each folder's
 * name ended in '/'. */
static int member_char(const char *name, int is_dir, size_t i, size_t len)
{
  if(i < len)
    return (unsigned char)name[i];
  return i == len && is_dir ? '/' : -1;
}

static int member_cmp(const void *a, size_t an, const void *b, size_t bn)
{
  const char *x = (const char *)a + MR_NAME, *y = (const char *)b + MR_NAME;
  int dx = ((const unsigned char *)a)[0], dy = ((const unsigned char *)b)[0];
  size_t lx = an - MR_NAME, ly = bn - MR_NAME;
  for(size_t i = 0;; i++) {
    int cx = member_char(x, dx, i, lx), cy = member_char(y, dy, i, ly);
    if(cx != cy)
      return cx < cy ? -1 : 1;
    if(cx < 0)
      return 0;
  }
}

static int members_add(members *ms, const char *name, int is_dir, const char *sha, uint64_t size)
{
  size_t ln = strlen(name), n = MR_NAME + ln;
  unsigned char *rec = calloc(1, n);
  int rc;
  if(!rec)
    return LB_ENOMEM;
  rec[0] = (unsigned char)is_dir;
  memcpy(rec + MR_SIZE, &size, sizeof(size));
  if(sha)
    memcpy(rec + MR_SHA, sha, 65);
  memcpy(rec + MR_NAME, name, ln);
  rc = xsort_add(ms->x, rec, n);
  free(rec);
  if(!rc)
    ms->n++;
  return rc;
}

/* The next member in name order into *x (cleared first): 1, 0 after the last, or a code. */
static int members_next(members *ms, member *x)
{
  const void *rec;
  size_t n;
  member_clear(x);
  int rc = xsort_next(ms->x, &rec, &n);
  if(rc != 1)
    return rc;
  const unsigned char *p = rec;
  x->is_dir = p[0];
  memcpy(&x->size, p + MR_SIZE, sizeof(x->size));
  memcpy(x->sha, p + MR_SHA, 65);
  x->name = strndup((const char *)p + MR_NAME, n - MR_NAME);
  if(!x->name)
    return LB_ENOMEM;
  /* a file's name is the month folder's, '/', and its path in the folder */
  if(!x->is_dir && asprintf(&x->disk, "%s/%s", ms->monthdir, x->name + ms->mon_len + 1) < 0) {
    x->disk = NULL;
    return LB_ENOMEM;
  }
  return 1;
}

/* What the members are made of as the MANIFEST is written: the folders on the way to each file, each once. */
typedef struct folders {
  char **v;         /* few: a list will do */
  size_t n;
} folders;

static void folders_clear(folders *f)
{
  for(size_t k = 0; k < f->n; k++)
    free(f->v[k]);
  free(f->v);
  memset(f, 0, sizeof(*f));
}

/* The member of file rel (of the month folder mon) and of its folders not yet added. */
static int add_file_member(members *ms, folders *fs, const char *mon, const char *rel, const char *sha, uint64_t size)
{
  char *name = NULL;
  int rc = LB_OK;
  for(const char *s = strchr(rel, '/'); !rc && s; s = strchr(s + 1, '/')) {
    if(asprintf(&name, "%s/%.*s", mon, (int)(s - rel), rel) < 0)
      return LB_ENOMEM;
    int seen = 0;
    for(size_t k = fs->n; k-- > 0 && !seen;)
      seen = !strcmp(fs->v[k], name);
    if(!seen) {
      char **nd = realloc(fs->v, (fs->n + 1) * sizeof(*nd));
      if(!nd) {
        free(name);
        return LB_ENOMEM;
      }
      fs->v = nd;
      fs->v[fs->n++] = name;
      rc = members_add(ms, name, 1, NULL, 0);
    } else
      free(name);
    name = NULL;
  }
  if(rc)
    return rc;
  if(asprintf(&name, "%s/%s", mon, rel) < 0)
    return LB_ENOMEM;
  rc = members_add(ms, name, 0, sha, size);
  free(name);
  return rc;
}

/* The gzip stream under the tar writer: one gzip member, deflated with
 * zlib at a level chosen per tar member. PDFs are mostly deflated streams
 * already (fonts, pages, profile): re-deflating them cost ~7 ms a customer
 * for a few per cent, so they go in as stored blocks (level 0; CRC32 and
 * length still cover every byte), the CSV files and the MANIFEST at the
 * level the archive always had. deflateParams between members ends the
 * current block; the same files always give the same bytes. */
#define GZ_LEVEL_TEXT 6
#define GZ_LEVEL_STORED 0

typedef struct gzw {
  FILE *fp;
  z_stream zs;
  int zinit;
  int level;
  uLong crc;
  uint64_t isize;
  unsigned char *out;
  int failed;         /* errno of a failed write, or -1 for a zlib failure */
  follow *fw;         /* the read-back beside the writer, or NULL */
  uint64_t written, told; /* bytes given to fp; of them, published to fw */
} gzw;

/* n bytes of the file given to fp: counted, and published to the reader now and then. */
static void gzw_wrote(gzw *g, size_t n)
{
  g->written += n;
  if(g->fw) {
    pthread_mutex_lock(&g->fw->mu);
    g->fw->written = g->written;
    pthread_mutex_unlock(&g->fw->mu);
    if(g->written - g->told >= FOLLOW_STEP) {
      follow_publish(g->fw, 0);
      g->told = g->written;
    }
  }
}

static int gzw_drain(gzw *g)
{
  size_t n = IO_BUF - g->zs.avail_out;
  if(n && fwrite(g->out, 1, n, g->fp) != n) {
    g->failed = errno ? errno : EIO;
    return -1;
  }
  gzw_wrote(g, n);
  g->zs.next_out = g->out;
  g->zs.avail_out = IO_BUF;
  return 0;
}

static int gzw_open(gzw *g, FILE *fp, follow *fw)
{
  /* RFC 1952 header: deflate, no name, no timestamp, no extra flags, OS unix */
  static const unsigned char hdr[10] = {0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3};
  memset(g, 0, sizeof(g[0]));
  g->fp = fp;
  g->fw = fw;
  g->level = GZ_LEVEL_TEXT;
  g->crc = crc32(0L, Z_NULL, 0);
  g->out = malloc(IO_BUF);
  if(!g->out)
    return LB_ENOMEM;
  if(deflateInit2(&g->zs, g->level, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK)
    return LB_ENOMEM;
  g->zinit = 1;
  g->zs.next_out = g->out;
  g->zs.avail_out = IO_BUF;
  if(fwrite(hdr, 1, sizeof(hdr), fp) != sizeof(hdr)) {
    g->failed = errno ? errno : EIO;
    return LB_EIO;
  }
  gzw_wrote(g, sizeof(hdr));
  return LB_OK;
}

static int gzw_deflate(gzw *g, const void *buf, size_t n, int flush)
{
  g->zs.next_in = (Bytef *)(uintptr_t)buf;
  g->zs.avail_in = (uInt)n;
  for(;;) {
    int r = deflate(&g->zs, flush);
    if(r == Z_STREAM_ERROR) {
      g->failed = -1;
      return -1;
    }
    if(flush == Z_FINISH && r == Z_STREAM_END)
      return gzw_drain(g);
    if(g->zs.avail_out == 0) {
      if(gzw_drain(g))
        return -1;
      continue;
    }
    if(flush != Z_FINISH)
      return 0; /* room left in the output: all of the input was taken */
  }
}

/* The next bytes at `level`: what came before is finished at the old one. */
static int gzw_level(gzw *g, int level)
{
  if(level == g->level)
    return 0;
  for(;;) {
    int r = deflateParams(&g->zs, level, Z_DEFAULT_STRATEGY);
    if(r == Z_OK)
      break;
    if(r != Z_BUF_ERROR) {
      g->failed = -1;
      return -1;
    }
    if(gzw_drain(g)) /* out of room while finishing the block: make room, try again */
      return -1;
  }
  g->level = level;
  return 0;
}

static la_ssize_t gzw_write(struct archive *a, void *ctx, const void *buf, size_t n)
{
  gzw *g = ctx;
  g->crc = crc32(g->crc, buf, (uInt)n);
  g->isize += n;
  if(gzw_deflate(g, buf, n, Z_NO_FLUSH)) {
    archive_set_error(a, g->failed > 0 ? g->failed : EIO, "cannot write the gzip stream");
    return -1;
  }
  return (la_ssize_t)n;
}

static int gzw_close(gzw *g)
{
  unsigned char t[8];
  uint32_t crc = (uint32_t)g->crc, isz = (uint32_t)g->isize;
  if(gzw_deflate(g, "", 0, Z_FINISH))
    return LB_EIO;
  for(int i = 0; i < 4; i++) {
    t[i] = (unsigned char)(crc >> (8 * i));
    t[4 + i] = (unsigned char)(isz >> (8 * i));
  }
  if(fwrite(t, 1, 8, g->fp) != 8) {
    g->failed = errno ? errno : EIO;
    return LB_EIO;
  }
  gzw_wrote(g, 8);
  return LB_OK;
}

static void gzw_clear(gzw *g)
{
  if(g->zinit)
    deflateEnd(&g->zs);
  free(g->out);
}

/* Stored for what is compressed already, deflated for the rest. */
static int level_for(const member *x)
{
  size_t n = strlen(x->name);
  return !x->is_dir && n > 4 && !strcmp(x->name + n - 4, ".pdf") ? GZ_LEVEL_STORED : GZ_LEVEL_TEXT;
}

static int write_tar(FILE *fp, members *ms, lb_month m, diag_list *d, const char *apath, follow *fw)
{
  struct archive *a = archive_write_new();
  struct archive_entry *e = archive_entry_new();
  unsigned char *buf = malloc(IO_BUF);
  gzw gz;
  member cur;
  int rc = LB_OK, fd = -1, gz_open = 0, more;
  time_t mtime = (time_t)month_last_day(m) * 86400;
  memset(&gz, 0, sizeof(gz));
  memset(&cur, 0, sizeof(cur));
  if(!a || !e || !buf) {
    rc = LB_ENOMEM;
    goto out;
  }
  rc = gzw_open(&gz, fp, fw);
  gz_open = 1;
  if(rc)
    goto gzfail;
  /* pax-restricted: plain ustar unless a name or size needs an extension;
   * unblocked, so that each member's bytes reach gzw_write while its level is set */
  if(archive_write_set_format_pax_restricted(a) != ARCHIVE_OK || archive_write_set_bytes_per_block(a, 0) != ARCHIVE_OK ||
     archive_write_open(a, &gz, NULL, gzw_write, NULL) != ARCHIVE_OK)
    goto fail;
  while((more = members_next(ms, &cur)) == 1) {
    const member *x = &cur;
    if(fw && (rc = follow_push(fw, x)))
      goto out; /* out of memory */
    if(gzw_level(&gz, level_for(x)))
      goto gzfail;
    archive_entry_clear(e);
    archive_entry_set_pathname(e, x->name);
    archive_entry_set_mtime(e, mtime, 0);
    archive_entry_set_uid(e, 0);
    archive_entry_set_gid(e, 0);
    if(x->is_dir) {
      archive_entry_set_filetype(e, AE_IFDIR);
      archive_entry_set_perm(e, 0755);
      archive_entry_set_size(e, 0);
      if(archive_write_header(a, e) != ARCHIVE_OK)
        goto fail;
      continue;
    }
    struct stat st;
    fd = open(x->disk, O_RDONLY | O_CLOEXEC);
    if(fd < 0 || fstat(fd, &st) != 0) {
      diag_add(d, x->disk, 0, 0, NULL, "cannot read for the archive: %s", strerror(errno));
      rc = LB_EIO;
      goto out;
    }
    if((uint64_t)st.st_size != x->size) {
      rc = diag_add(d, x->disk, 0, 0, NULL, "changed while the month was being sealed (%" PRIu64 " bytes in "
                    "the MANIFEST, %lld now); expected the month's files to be final", x->size,
                    (long long)st.st_size);
      goto out;
    }
    archive_entry_set_filetype(e, AE_IFREG);
    archive_entry_set_perm(e, 0644);
    archive_entry_set_size(e, (la_int64_t)x->size);
    if(archive_write_header(a, e) != ARCHIVE_OK)
      goto fail;
    uint64_t left = x->size;
    while(left > 0) {
      ssize_t n = read(fd, buf, left < IO_BUF ? (size_t)left : IO_BUF);
      if(n < 0 && errno == EINTR)
        continue;
      if(n <= 0) {
        diag_add(d, x->disk, 0, 0, NULL, "cannot read for the archive: %s", n ? strerror(errno) : "file shrank");
        rc = LB_EIO;
        goto out;
      }
      if(archive_write_data(a, buf, (size_t)n) != n)
        goto fail;
      left -= (uint64_t)n;
    }
    close(fd);
    fd = -1;
  }
  if(more < 0) {
    if(more == LB_EIO)
      diag_add(d, spill_dir(), 0, 0, NULL, "cannot read back the sorted members of %s there: %s", apath,
               strerror(errno));
    rc = more;
    goto out;
  }
  /* the tar's end-of-archive blocks at the text level: zeros deflate to nothing */
  if(gzw_level(&gz, GZ_LEVEL_TEXT))
    goto gzfail;
  if(archive_write_close(a) != ARCHIVE_OK)
    goto fail;
  if(gzw_close(&gz))
    goto gzfail;
  rc = LB_OK;
  goto out;
gzfail:
  diag_add(d, apath, 0, 0, NULL, "cannot write the archive: %s",
           gz.failed > 0 ? strerror(gz.failed) : gz.failed < 0 ? "zlib failed" : "out of memory");
  rc = gz.failed ? LB_EIO : LB_ENOMEM;
  goto out;
fail:
  diag_add(d, apath, 0, 0, NULL, "cannot write the archive: %s", archive_error_string(a) ? archive_error_string(a)
           : strerror(errno));
  rc = LB_EIO;
out:
  if(fd >= 0)
    close(fd);
  if(a)
    archive_write_free(a);
  archive_entry_free(e);
  free(buf);
  member_clear(&cur);
  if(gz_open)
    gzw_clear(&gz);
  return rc;
}

/* Read-back: the members come in the order written, each file's bytes equal
 * to the file on disk and to the MANIFEST's hash. */
typedef struct readback {
  members *ms;
  size_t next;        /* members matched so far */
  member cur;         /* the member expected or being read */
  int fd;
  uint64_t off;
  int bad;
  unsigned char *buf;
  diag_list *d;
  const char *apath;
  follow *fw;         /* reading while the archive is written: the members come from the writer's queue */
} readback;

static int rb_begin(void *ctx, const char *name, int is_dir, uint64_t size)
{
  readback *r = ctx;
  int more = r->fw ? follow_pop(r->fw, &r->cur) : members_next(r->ms, &r->cur);
  if(more < 0)
    return more;
  if(!more || strcmp(r->cur.name, name) || r->cur.is_dir != is_dir) {
    r->bad = 1;
    diag_add(r->d, r->apath, 0, 0, NULL, "read back: member %s where %s was written", name,
             more ? r->cur.name : "the end of the archive");
    member_clear(&r->cur);
    return 1;
  }
  r->next++;
  if(is_dir)
    return 0;
  if(size != r->cur.size) {
    r->bad = 1;
    diag_add(r->d, r->apath, 0, 0, NULL, "read back: %s has %" PRIu64 " bytes, the file %" PRIu64, name, size,
             r->cur.size);
    return 1;
  }
  r->fd = open(r->cur.disk, O_RDONLY | O_CLOEXEC);
  r->off = 0;
  if(r->fd < 0) {
    diag_add(r->d, r->cur.disk, 0, 0, NULL, "cannot read back: %s", strerror(errno));
    return LB_EIO;
  }
  return 0;
}

static int rb_data(void *ctx, const void *buf, size_t n)
{
  readback *r = ctx;
  size_t done = 0;
  if(!r->cur.name || r->cur.is_dir) {
    r->bad = 1;
    return 0;
  }
  while(done < n) {
    size_t want = n - done < IO_BUF ? n - done : IO_BUF;
    ssize_t got = read(r->fd, r->buf, want);
    if(got < 0 && errno == EINTR)
      continue;
    if(got <= 0 || memcmp(r->buf, (const unsigned char *)buf + done, (size_t)got)) {
      r->bad = 1;
      diag_add(r->d, r->apath, 0, 0, NULL, "read back: member %s differs from %s at byte %" PRIu64, r->cur.name,
               r->cur.disk, r->off);
      return 1;
    }
    done += (size_t)got;
    r->off += (uint64_t)got;
  }
  return 0;
}

static int rb_end(void *ctx, const char sha[65], uint64_t size)
{
  readback *r = ctx;
  if(r->cur.name && !r->cur.is_dir) {
    if(size != r->cur.size || strcmp(sha, r->cur.sha)) {
      r->bad = 1;
      diag_add(r->d, r->apath, 0, 0, NULL, "read back: member %s has sha256 %s, the MANIFEST says %s", r->cur.name,
               sha, r->cur.sha);
    }
    close(r->fd);
    r->fd = -1;
  }
  return 0;
}

static void rb_problem(void *ctx, const char *what, const char *exp, const char *act)
{
  readback *r = ctx;
  r->bad = 1;
  diag_add(r->d, r->apath, 0, 0, NULL, "read back: %s (expected %s, found %s)", what, exp ? exp : "-", act ? act : "-");
}

/* The header of the MANIFEST of the first later month that has one (only its link is wanted: the first
 * NEXT_HEAD bytes are read, cut at their last line end); 1 when none. */
#define NEXT_HEAD (64 * 1024)

static int next_sealed(const char *output_dir, lb_month m, manifest *next, diag_list *d)
{
  lb_month *months = NULL;
  size_t n = 0;
  int rc = archive_months(output_dir, &months, &n);
  if(rc)
    return rc;
  rc = 1;
  for(size_t i = 0; i < n && rc == 1; i++) {
    sink k;
    int where;
    if(months[i] <= m)
      continue;
    memset(&k, 0, sizeof(k));
    k.keep = 1;
    k.limit = NEXT_HEAD;
    int r = month_manifest(output_dir, months[i], &k, &where);
    if(r == 1) {
      free(k.buf);
      continue;
    }
    if(r < 0) {
      free(k.buf);
      rc = r;
      break;
    }
    size_t len = k.len;
    if(len == NEXT_HEAD) /* more follows: the complete lines only */
      while(len && k.buf[len - 1] != '\n')
        len--;
    rc = manifest_parse(next, k.buf, len, MANIFEST_NAME, d);
    free(k.buf);
  }
  free(months);
  return rc;
}

/* The MANIFEST as it is written: to its temporary file, into its hash, and counted. */
typedef struct mwriter {
  atomic_file af;
  struct sha256_ctx c;
  uint64_t len;
  members *ms;
  folders fs;
  const char *mon;
} mwriter;

static int mw_put(mwriter *w, const char *text, size_t n)
{
  if(fwrite(text, 1, n, w->af.fp) != n)
    return LB_EIO;
  sha256_update(&w->c, n, (const uint8_t *)text);
  w->len += n;
  return LB_OK;
}

/* One file of the month: its MANIFEST line, and its member (with its folders). */
static int mw_file(void *ctx, const char *path, const char sha[65], uint64_t size)
{
  mwriter *w = ctx;
  char *line = NULL;
  size_t n;
  int rc = manifest_format_file(path, sha, size, &line, &n);
  if(!rc)
    rc = mw_put(w, line, n);
  free(line);
  if(!rc)
    rc = add_file_member(w->ms, &w->fs, w->mon, path, sha, size);
  return rc;
}

/* The read-back of an archive being written, in a thread of its own. */
typedef struct read_job {
  const char *path;
  archive_visitor v;
  follow *fw;
  int started, rc, errno_;
  char file_sha[65];
} read_job;

static void *read_back(void *arg)
{
  read_job *j = arg;
  j->started = 1;
  j->rc = walk(j->path, &j->v, j->file_sha, j->fw);
  j->errno_ = errno;
  follow_reader_gone(j->fw); /* the writer never waits for a reader that stopped */
  return NULL;
}

int archive_seal_month(const char *output_dir, lb_month m, diag_list *d)
{
  manifest mf, later;
  members ms;
  mwriter w;
  atomic_file af = {0};
  char mon[8], *monthdir = NULL, *mpath = NULL, *apath = NULL, *adir = NULL, *spath = NULL, *text = NULL;
  char sha[65], file_sha[65], prev_sha[65];
  size_t len = 0;
  int rc, af_open = 0, mw_open = 0;
  struct stat st;
  uint8_t h[SHA256_DIGEST_SIZE];
  readback rb;
  diag_list rd;             /* what the read-back found (its own thread's) */
  follow fw;
  read_job rj;
  pthread_t reader;
  int reading = 0, fw_init = 0;

  diag_init(&rd);
  memset(&rj, 0, sizeof(rj));
  manifest_init(&mf);
  manifest_init(&later);
  memset(&rb, 0, sizeof(rb));
  memset(&ms, 0, sizeof(ms));
  memset(&w, 0, sizeof(w));
  rb.fd = -1;
  month_format(mon, m);
  if(asprintf(&monthdir, "%s/%s", output_dir, mon) < 0 || asprintf(&mpath, "%s/" MANIFEST_NAME, monthdir) < 0 ||
     asprintf(&adir, "%s/" ARCHIVE_SUBDIR, output_dir) < 0 || !(apath = archive_month_path(output_dir, m)) ||
     asprintf(&spath, "%s" ARCHIVE_SUM_EXT, apath) < 0) {
    rc = LB_ENOMEM;
    goto out;
  }
  if(stat(monthdir, &st) != 0 || !S_ISDIR(st.st_mode)) {
    rc = diag_add(d, monthdir, 0, 0, NULL, "no month folder to seal; expected the folder the run of %s wrote", mon);
    goto out;
  }
  /* 1. the MANIFEST, streamed (to a temporary name, named once the chain allows it) with the members it lists */
  mf.month = m;
  rc = archive_previous_link(output_dir, m, &mf.prev_month, prev_sha);
  if(rc) {
    diag_add(d, output_dir, 0, 0, NULL, "cannot read the previous month's MANIFEST: %s", strerror(errno));
    goto out;
  }
  memcpy(mf.prev_sha256, prev_sha, 65);
  snprintf(mf.version, sizeof(mf.version), "%s", licbill_version);
  snprintf(mf.rulebook_sha256, sizeof(mf.rulebook_sha256), "%s", rulebook_sha256);
  ms.monthdir = monthdir;
  ms.mon_len = strlen(mon);
  if((rc = xsort_new(&ms.x, member_cmp, 0)) || (rc = members_add(&ms, mon, 1, NULL, 0)) ||
     (rc = manifest_format_head(&mf, &text, &len)))
    goto out;
  if(atomic_open(&w.af, mpath)) {
    diag_add(d, mpath, 0, 0, NULL, "cannot write: %s", strerror(errno));
    rc = LB_EIO;
    goto out;
  }
  mw_open = 1;
  w.ms = &ms;
  w.mon = mon;
  sha256_init(&w.c);
  if((rc = mw_put(&w, text, len)) == LB_OK)
    rc = manifest_walk(monthdir, mw_file, &w, d);
  if(rc == LB_EIO && ferror(w.af.fp))
    diag_add(d, mpath, 0, 0, NULL, "cannot write: %s", strerror(errno));
  if(rc)
    goto out;
  sha256_digest(&w.c, sizeof(h), h);
  hex(h, sizeof(h), sha);
  rc = next_sealed(output_dir, m, &later, d);
  if(rc < 0)
    goto out;
  if(rc == 0 && (later.prev_month != m || strcmp(later.prev_sha256, sha))) {
    char lm[8], pm[8];
    month_format(lm, later.month);
    if(later.prev_month == m)
      rc = diag_add(d, mpath, 0, 0, NULL, "%s is already sealed and %s links to its MANIFEST (sha256 %s), but the "
                    "month's files now give sha256 %s; a sealed month is not sealed again with other files, expected "
                    "the files as they were sealed", mon, lm, later.prev_sha256, sha);
    else
      rc = diag_add(d, mpath, 0, 0, NULL, "%s is already sealed with its link to %s; sealing %s now would leave it "
                    "out of the chain, expected months to be sealed in order",
                    lm, later.prev_month == MONTH_NONE ? "none" : month_format(pm, later.prev_month), mon);
    goto out;
  }
  mw_open = 0;
  if(atomic_commit(&w.af)) {
    diag_add(d, mpath, 0, 0, NULL, "cannot write: %s", strerror(errno));
    rc = LB_EIO;
    goto out;
  }

  /* 2. the archive, to a temporary name */
  char mname[sizeof(mon) + sizeof(MANIFEST_NAME) + 1];
  snprintf(mname, sizeof(mname), "%s/%s", mon, MANIFEST_NAME);
  if((rc = members_add(&ms, mname, 0, sha, w.len)))
    goto out;
  if(atomic_mkdirs(adir) || atomic_open(&af, apath)) {
    diag_add(d, apath, 0, 0, NULL, "cannot create: %s", strerror(errno));
    rc = LB_EIO;
    goto out;
  }
  af_open = 1;
  /* 3. read back while it is written (a thread of its own; in turn when it cannot start), before it gets its name */
  rb.ms = &ms;
  rb.d = &rd;
  rb.apath = apath;
  rb.buf = malloc(IO_BUF);
  if(!rb.buf) {
    rc = LB_ENOMEM;
    goto out;
  }
  memset(&fw, 0, sizeof(fw));
  pthread_mutex_init(&fw.mu, NULL);
  pthread_cond_init(&fw.cv, NULL);
  fw.fp = af.fp;
  fw_init = 1;
  rj.path = af.tmp;
  rj.v = (archive_visitor){&rb, rb_begin, rb_data, rb_end, rb_problem};
  rj.fw = &fw;
  rb.fw = &fw;
  reading = pthread_create(&reader, NULL, read_back, &rj) == 0;
  if(!reading)
    rb.fw = NULL;
  rc = write_tar(af.fp, &ms, m, d, apath, reading ? &fw : NULL);
  if(!rc && fflush(af.fp)) {
    diag_add(d, apath, 0, 0, NULL, "cannot write: %s", strerror(errno));
    rc = LB_EIO;
  }
  if(reading) {
    follow_publish(&fw, 1); /* the last bytes, or a writer that gave up: the reader stops at the end either way */
    pthread_join(reader, NULL);
    reading = 0;
  }
  if(rc) /* what the reader found in a file cut short is the writer's failure, said already */
    goto out;
  if(rj.started)
    rc = rj.rc;
  else if(!(rc = xsort_rewind(ms.x))) {
    rc = walk(af.tmp, &rj.v, rj.file_sha, NULL);
    rj.errno_ = errno;
  }
  memcpy(file_sha, rj.file_sha, sizeof(file_sha));
  diag_move(d, &rd);
  if(rc == LB_EIO)
    diag_add(d, af.tmp, 0, 0, NULL, "cannot read back: %s", strerror(rj.errno_));
  if(!rc && (rb.bad || rb.next != ms.n || !file_sha[0])) {
    if(!rb.bad)
      diag_add(d, apath, 0, 0, NULL, "read back: %zu of %zu members found", rb.next, ms.n);
    rc = LB_EINPUT;
  }
  if(rc) {
    if(rc != LB_EIO && rc != LB_ENOMEM)
      rc = LB_EINPUT;
    goto out;
  }
  af_open = 0;
  if(atomic_commit(&af)) {
    diag_add(d, apath, 0, 0, NULL, "cannot write: %s", strerror(errno));
    rc = LB_EIO;
    goto out;
  }
  /* 4. its hash beside it */
  char line[128];
  int ln = snprintf(line, sizeof(line), "%s  %s.tar.gz\n", file_sha, mon);
  if(atomic_write(spath, line, (size_t)ln)) {
    diag_add(d, spath, 0, 0, NULL, "cannot write: %s", strerror(errno));
    rc = LB_EIO;
    goto out;
  }
  rc = LB_OK;
out:
  if(fw_init) {
    follow_reader_gone(&fw); /* frees what is left in the queue */
    free(fw.q);
    pthread_mutex_destroy(&fw.mu);
    pthread_cond_destroy(&fw.cv);
  }
  diag_clear(&rd);
  if(mw_open)
    atomic_abort(&w.af);
  if(af_open)
    atomic_abort(&af);
  if(rb.fd >= 0)
    close(rb.fd);
  free(rb.buf);
  member_clear(&rb.cur);
  folders_clear(&w.fs);
  xsort_free(ms.x);
  manifest_clear(&mf);
  manifest_clear(&later);
  free(text);
  free(monthdir);
  free(mpath);
  free(apath);
  free(adir);
  free(spath);
  return rc;
}
