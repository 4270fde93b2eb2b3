/* csvfile.c - feeds libcsv one physical line at a time so that every row and
 * field can be pointed at; libcsv itself reports no positions. */
#include "input/csvfile.h"
#include "core/utf8.h"

#include <csv.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define BLOCK (64 * 1024)

typedef struct buf {
  char *p;
  size_t n, cap;
} buf;

static int buf_put(buf *b, const void *s, size_t n)
{
  if(b->n + n + 1 > b->cap) {
    size_t ncap = b->cap ? b->cap : 256;
    while(ncap < b->n + n + 1)
      ncap *= 2;
    char *np = realloc(b->p, ncap);
    if(!np)
      return LB_ENOMEM;
    b->p = np;
    b->cap = ncap;
  }
  if(n)
    memcpy(b->p + b->n, s, n);
  b->n += n;
  b->p[b->n] = '\0';
  return LB_OK;
}

struct csvf {
  char *path;
  int fd;                 /* -1 when reading from mem */
  char *mem;              /* whole (converted) file when latin1_fallback */
  size_t memlen;
  int latin1;
  int64_t pos, end;       /* next absolute offset to read; end of range */
  char *block;            /* BLOCK bytes, malloc'd: read into before they are read, so not zeroed */
  size_t blen, bpos;      /* bytes in block, cursor */
  int64_t block_off;      /* absolute offset of block[0] */
  int eof;
  struct csv_parser parser;
  char delim;
  /* current row being assembled */
  buf fieldtext;          /* NUL-separated field bytes */
  size_t *offs, *lens;
  char **ptrs;
  size_t nf, fcap;
  int oom;
  buf raw;                /* raw bytes of the row so far (for positions) */
  long line;              /* line number of the next chunk */
  long row_line;          /* line where the current row starts */
  int64_t row_off;        /* offset where the current row starts */
  int row_done;           /* cb2 fired during the last feed */
  int cr_pending;         /* the last chunk ended with CR: an LF opening the next one ends the same line */
  csv_row row;            /* the row handed out */
  buf outraw;             /* raw bytes of the handed-out row */
  buf outtext;
  long out_line;
};

static void cb_field(void *s, size_t len, void *data)
{
  csvf *f = data;
  if(f->nf == f->fcap) {
    size_t ncap = f->fcap ? f->fcap * 2 : 32;
    size_t *no = realloc(f->offs, ncap * sizeof(*no));
    if(!no) {
      f->oom = 1;
      return;
    }
    f->offs = no;
    size_t *nl = realloc(f->lens, ncap * sizeof(*nl));
    if(!nl) {
      f->oom = 1;
      return;
    }
    f->lens = nl;
    char **np = realloc(f->ptrs, ncap * sizeof(*np));
    if(!np) {
      f->oom = 1;
      return;
    }
    f->ptrs = np;
    f->fcap = ncap;
  }
  f->offs[f->nf] = f->fieldtext.n;
  f->lens[f->nf] = len;
  if(buf_put(&f->fieldtext, s ? s : "", s ? len : 0) || buf_put(&f->fieldtext, "", 0)) {
    f->oom = 1;
    return;
  }
  f->fieldtext.n++; /* keep the NUL as separator */
  f->nf++;
}

static void cb_row(int c, void *data)
{
  (void)c;
  csvf *f = data;
  f->row_done = 1;
}

static int load_whole(csvf *f, diag_list *d)
{
  struct stat st;
  if(fstat(f->fd, &st) < 0)
    return diag_add(d, f->path, 0, 0, NULL, "cannot stat: %s", strerror(errno)), LB_EIO;
  size_t n = (size_t)st.st_size;
  char *m = malloc(n + 1);
  if(!m)
    return LB_ENOMEM;
  size_t got = 0;
  while(got < n) {
    ssize_t r = pread(f->fd, m + got, n - got, (off_t)got);
    if(r < 0 && errno == EINTR)
      continue;
    if(r <= 0) {
      free(m);
      diag_add(d, f->path, 0, 0, NULL, "cannot read: %s", r < 0 ? strerror(errno) : "short read");
      return LB_EIO;
    }
    got += (size_t)r;
  }
  size_t bad;
  if(!utf8_valid(m, n, &bad)) {
    /* ISO-8859-1: every byte is one code point; expand to UTF-8 */
    char *u = malloc(n * 2 + 1);
    size_t k = 0;
    if(!u) {
      free(m);
      return LB_ENOMEM;
    }
    for(size_t i = 0; i < n; i++) {
      unsigned char c = (unsigned char)m[i];
      if(c < 0x80)
        u[k++] = (char)c;
      else {
        u[k++] = (char)(0xC0 | (c >> 6));
        u[k++] = (char)(0x80 | (c & 0x3F));
      }
    }
    free(m);
    m = u;
    n = k;
    f->latin1 = 1;
  }
  f->mem = m;
  f->memlen = n;
  f->end = (int64_t)n;
  return LB_OK;
}

static int fill_block(csvf *f, diag_list *d)
{
  size_t want = BLOCK;
  if(f->end >= 0 && f->pos + (int64_t)want > f->end)
    want = (size_t)(f->end - f->pos);
  f->block_off = f->pos;
  f->bpos = 0;
  f->blen = 0;
  if(want == 0) {
    f->eof = 1;
    return LB_OK;
  }
  if(f->mem) {
    memcpy(f->block, f->mem + f->pos, want);
    f->blen = want;
  } else {
    ssize_t r;
    do
      r = pread(f->fd, f->block, want, (off_t)f->pos);
    while(r < 0 && errno == EINTR);
    if(r < 0) {
      diag_add(d, f->path, 0, 0, NULL, "cannot read: %s", strerror(errno));
      return LB_EIO;
    }
    if(r == 0) {
      f->eof = 1;
      return LB_OK;
    }
    f->blen = (size_t)r;
  }
  f->pos += (int64_t)f->blen;
  return LB_OK;
}

int csvf_open(csvf **out, const char *path, const csvf_opts *opts, diag_list *d)
{
  csvf *f = calloc(1, sizeof(*f));
  int rc = LB_ENOMEM;
  if(!f)
    goto out;
  f->fd = -1;
  f->path = strdup(path);
  f->block = malloc(BLOCK);
  if(!f->path || !f->block)
    goto out;
  f->fd = open(path, O_RDONLY | O_CLOEXEC);
  if(f->fd < 0) {
    rc = diag_add(d, path, 0, 0, NULL, "cannot open: %s", strerror(errno));
    rc = LB_EIO;
    goto out;
  }
  f->pos = opts ? opts->start : 0;
  f->end = opts ? opts->end : -1;
  f->line = opts && opts->first_line > 0 ? opts->first_line : 1;
  if(opts && opts->latin1_fallback) {
    rc = load_whole(f, d);
    if(rc)
      goto out;
  }
  if(csv_init(&f->parser, CSV_STRICT | CSV_STRICT_FINI)) {
    rc = LB_ENOMEM;
    goto out;
  }
  f->delim = opts && opts->delim ? opts->delim : ',';
  rc = fill_block(f, d);
  if(rc) {
    csv_free(&f->parser);
    goto out;
  }
  /* BOM */
  if(f->block_off == 0 && f->blen >= 3 && memcmp(f->block, "\xEF\xBB\xBF", 3) == 0)
    f->bpos = 3;
  if(opts && opts->delim == 0) {
    /* detect: count separators outside quotes on the first line that has any
     * (a line ends at LF or at a CR, for files with CR-only line ends) */
    int inq = 0, commas = 0, semis = 0, tabs = 0;
    for(size_t i = f->bpos; i < f->blen; i++) {
      char c = f->block[i];
      if(c == '"')
        inq = !inq;
      else if(!inq && c == ',')
        commas++;
      else if(!inq && c == ';')
        semis++;
      else if(!inq && c == '\t')
        tabs++;
      else if(!inq && (c == '\n' || c == '\r') && (commas || semis || tabs))
        break;
    }
    f->delim = semis > commas ? ';' : ',';
    if(tabs > commas && tabs > semis)
      f->delim = '\t';
  }
  csv_set_delim(&f->parser, (unsigned char)f->delim);
  f->row_off = f->block_off + (int64_t)f->bpos;
  f->row_line = f->line;
  *out = f;
  f = NULL;
  rc = LB_OK;
out:
  if(f) {
    if(f->fd >= 0)
      close(f->fd);
    free(f->mem);
    free(f->path);
    free(f->block);
    free(f);
  }
  return rc;
}

/* 1 if raw[i] ends a physical line: LF, or a CR not followed by LF (CR-only files). */
static int ends_line(const char *raw, size_t len, size_t i)
{
  return raw[i] == '\n' || (raw[i] == '\r' && (i + 1 >= len || raw[i + 1] != '\n'));
}

/* Column (1-based, in characters) of raw[pos] within its physical line.
 * raw is UTF-8 also when the file was ISO-8859-1 (converted on load), so
 * characters are counted as UTF-8 lead bytes either way. */
static long col_at(const char *raw, size_t len, size_t pos)
{
  size_t ls = pos;
  while(ls > 0 && !ends_line(raw, len, ls - 1))
    ls--;
  long col = 1;
  for(size_t i = ls; i < pos; i++)
    if(((unsigned char)raw[i] & 0xC0) != 0x80)
      col++;
  return col;
}

static long line_at(const char *raw, size_t len, size_t pos, long first)
{
  long l = first;
  for(size_t i = 0; i < pos; i++)
    if(ends_line(raw, len, i))
      l++;
  return l;
}

/* Byte offset in raw where field i starts (quote-aware scan). */
static size_t field_start(const char *raw, size_t len, char delim, size_t want)
{
  size_t field = 0, i = 0;
  int inq = 0, at_start = 1;
  if(want == 0)
    return 0;
  for(; i < len; i++) {
    char c = raw[i];
    if(inq) {
      if(c == '"') {
        if(i + 1 < len && raw[i + 1] == '"')
          i++;
        else
          inq = 0;
      }
      continue;
    }
    if(c == '"' && at_start) {
      inq = 1;
      at_start = 0;
    } else if(c == delim) {
      if(++field == want)
        return i + 1;
      at_start = 1;
    } else if(c == '\r' || c == '\n') {
      return i;
    } else if(c != ' ' && c != '\t')
      at_start = 0;
  }
  return len;
}

void csvf_pos(const csvf *f, size_t i, long *line, long *col)
{
  const char *raw = f->outraw.p ? f->outraw.p : "";
  size_t at = field_start(raw, f->outraw.n, f->delim, i);
  *line = line_at(raw, f->outraw.n, at, f->out_line);
  *col = col_at(raw, f->outraw.n, at);
}

static int all_empty(const csvf *f)
{
  for(size_t i = 0; i < f->nf; i++)
    if(f->lens[i])
      return 0;
  return 1;
}

/* Hand the assembled row out: swap buffers so that raw/text stay valid. */
static int emit_row(csvf *f, int64_t end_off)
{
  buf t = f->outraw;
  f->outraw = f->raw;
  f->raw = t;
  f->raw.n = 0;
  t = f->outtext;
  f->outtext = f->fieldtext;
  f->fieldtext = t;
  f->fieldtext.n = 0;
  f->out_line = f->row_line;
  for(size_t i = 0; i < f->nf; i++)
    f->ptrs[i] = f->outtext.p + f->offs[i];
  f->row.nfields = f->nf;
  f->row.fields = f->ptrs;
  f->row.lens = f->lens;
  f->row.line = f->row_line;
  f->row.offset = f->row_off;
  f->row.end = end_off;
  return 1;
}

static int parse_error(csvf *f, size_t raw_err, diag_list *d, const char *what)
{
  long line = line_at(f->raw.p, f->raw.n, raw_err, f->row_line);
  long col = col_at(f->raw.p, f->raw.n, raw_err);
  diag_add(d, f->path, line, col, NULL, "%s", what);
  f->eof = 1;
  return LB_EINPUT;
}

int csvf_next(csvf *f, const csv_row **row, diag_list *d)
{
  int rc;
  /* the previous row's field arrays are reused: reset counts */
  f->nf = 0;
  f->fieldtext.n = 0;
  for(;;) {
    if(f->bpos >= f->blen) {
      if(f->eof)
        break;
      rc = fill_block(f, d);
      if(rc)
        return rc;
      if(f->eof)
        break;
    }
    /* one chunk: one physical line, up to and including its LF, CR LF or
     * lone CR. libcsv ends a row at a CR as well as at an LF; a chunk that
     * held several CR-ended lines would hand out their fields as one row. */
    char *start = f->block + f->bpos;
    size_t avail = f->blen - f->bpos, clen = avail;
    int eol = 0;
    for(size_t i = 0; i < avail; i++)
      if(start[i] == '\n' || start[i] == '\r') {
        clen = i + 1;
        if(start[i] == '\r' && i + 1 < avail && start[i + 1] == '\n')
          clen++;
        eol = 1;
        break;
      }
    /* the LF of a CR LF split across two blocks ends the line already counted */
    int same_line = f->cr_pending && clen == 1 && start[0] == '\n';
    f->cr_pending = eol && start[clen - 1] == '\r';
    size_t raw_before = f->raw.n;
    if(buf_put(&f->raw, start, clen))
      return LB_ENOMEM;
    f->row_done = 0;
    size_t used = csv_parse(&f->parser, start, clen, cb_field, cb_row, f);
    f->bpos += clen;
    if(eol && !same_line)
      f->line++;
    if(f->oom)
      return LB_ENOMEM;
    if(used < clen) {
      if(csv_error(&f->parser) == CSV_ENOMEM)
        return LB_ENOMEM;
      return parse_error(f, raw_before + used, d,
                         "misplaced quote: a '\"' may only open a field or close a quoted field "
                         "(write it as \"\" inside a quoted field)");
    }
    if(f->row_done) {
      int64_t end_off = f->block_off + (int64_t)f->bpos;
      if(all_empty(f)) {
        f->nf = 0;
        f->fieldtext.n = 0;
        f->raw.n = 0;
        f->row_off = end_off;
        f->row_line = f->line;
        continue;
      }
      emit_row(f, end_off);
      f->row_off = end_off;
      f->row_line = f->line;
      *row = &f->row;
      return 1;
    }
    if(f->parser.pstate == 0 && f->nf == 0) {
      /* a blank line: the row has not begun */
      f->raw.n = 0;
      f->row_off = f->block_off + (int64_t)f->bpos;
      f->row_line = f->line;
    }
  }
  /* end of input: finish a last row without terminator */
  f->row_done = 0;
  if(csv_fini(&f->parser, cb_field, cb_row, f) != 0) {
    /* unterminated quote: point at the quote that opened the last field */
    size_t at = 0;
    /* find the opening quote: the last quote that starts a field */
    int inq = 0, at_start = 1;
    for(size_t i = 0; i < f->raw.n; i++) {
      char c = f->raw.p[i];
      if(inq) {
        if(c == '"') {
          if(i + 1 < f->raw.n && f->raw.p[i + 1] == '"')
            i++;
          else
            inq = 0;
        }
        continue;
      }
      if(c == '"' && at_start) {
        inq = 1;
        at = i;
      }
      at_start = (c == f->delim || c == '\n' || c == '\r');
    }
    f->nf = 0;
    return parse_error(f, at, d,
                       "unterminated quoted field: this '\"' is never closed before the end "
                       "of the file, expected a closing '\"'");
  }
  if(f->oom)
    return LB_ENOMEM;
  if(f->row_done && !all_empty(f)) {
    int64_t end_off = f->block_off + (int64_t)f->bpos;
    emit_row(f, end_off);
    f->row_done = 0;
    f->raw.n = 0;
    *row = &f->row;
    return 1;
  }
  return 0;
}

int csvf_is_latin1(const csvf *f) { return f->latin1; }
char csvf_delim(const csvf *f) { return f->delim; }
const char *csvf_path(const csvf *f) { return f->path; }

void csvf_close(csvf *f)
{
  if(!f)
    return;
  csv_free(&f->parser);
  if(f->fd >= 0)
    close(f->fd);
  free(f->mem);
  free(f->path);
  free(f->block);
  free(f->fieldtext.p);
  free(f->raw.p);
  free(f->outraw.p);
  free(f->outtext.p);
  free(f->offs);
  free(f->lens);
  free(f->ptrs);
  free(f);
}
