/* floor.c - the physical limit: licbill's own pages redrawn by a bare libharu program, nothing else.
 *
 * Usage: floor OUTDIR PDF...        redraw every page of the PDFs, write OUTDIR/N.pdf, print the timing
 *        floor OUTDIR -             the same, the PDFs' paths one a line on standard input
 *        floor --dump PDF PAGE      print page PAGE (1-based) of PDF as drawing operations (for peers.py)
 *
 * The operations of each page are read from the PDF licbill wrote (its
 * content streams inflated and tokenised, outside the timed part) and drawn
 * again through libharu's page API with the base-14 Helvetica fonts: the
 * same text at the same places, the same rules, boxes and charts, deflated
 * and saved as libharu does by default. No parsing of inputs, no rules, no
 * ledger, no layout, no embedded fonts, no PDF/A: what any program that
 * draws these pages with libharu must at least spend. Text outside
 * WinAnsi prints as '?', which costs the same. Prints "floor: D documents,
 * P pages, S seconds" with S the time of drawing, saving and writing only. */
#include <hpdf.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zlib.h>

enum { OP_BT, OP_ET, OP_TF, OP_TD, OP_TJ, OP_TM, OP_G, OP_GS, OP_W, OP_M, OP_L, OP_S, OP_RE, OP_F, OP_B, OP_N,
       OP_CLIP, OP_Q, OP_QR, OP_D };

typedef struct op {
  int kind;
  float a[6];
  int bold;    /* Tf: the second font resource */
  char *text;  /* Tj: WinAnsi bytes */
} op;

typedef struct page {
  op *ops;
  size_t n, cap;
} page;

static int dump_utf8; /* --dump: text as UTF-8 for the peers, not WinAnsi */

typedef struct doc {
  page *pages;
  size_t n;
} doc;

static double now(void)
{
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static unsigned char *slurp(const char *path, size_t *len)
{
  FILE *fp = fopen(path, "rb");
  if(!fp)
    return NULL;
  fseek(fp, 0, SEEK_END);
  long n = ftell(fp);
  rewind(fp);
  unsigned char *b = malloc((size_t)n + 1);
  if(b && fread(b, 1, (size_t)n, fp) != (size_t)n) {
    free(b);
    b = NULL;
  }
  fclose(fp);
  *len = (size_t)n;
  return b;
}

static unsigned char *inflate_all(const unsigned char *z, size_t zlen, size_t *outlen)
{
  size_t cap = zlen * 8 + 1024;
  unsigned char *out = malloc(cap);
  z_stream s;
  memset(&s, 0, sizeof(s));
  if(!out || inflateInit(&s) != Z_OK)
    return NULL;
  s.next_in = (Bytef *)(uintptr_t)z;
  s.avail_in = (uInt)zlen;
  for(;;) {
    s.next_out = out + s.total_out;
    s.avail_out = (uInt)(cap - s.total_out);
    int r = inflate(&s, Z_NO_FLUSH);
    if(r == Z_STREAM_END)
      break;
    if(r != Z_OK && r != Z_BUF_ERROR) {
      inflateEnd(&s);
      free(out);
      return NULL;
    }
    if(s.avail_out == 0) {
      cap *= 2;
      out = realloc(out, cap);
    } else if(r == Z_BUF_ERROR)
      break;
  }
  *outlen = s.total_out;
  inflateEnd(&s);
  return out;
}

static void add(page *p, op o)
{
  if(p->n == p->cap) {
    p->cap = p->cap ? p->cap * 2 : 256;
    p->ops = realloc(p->ops, p->cap * sizeof(op));
  }
  p->ops[p->n++] = o;
}

/* Tokenise one content stream as libharu writes them: numbers, names,
 * hex strings, dash arrays, operators. */
static void parse_content(const char *s, size_t n, page *pg)
{
  float num[8], dash[2] = {0, 0};
  int nn = 0, ndash = 0, bold = 0;
  char *text = NULL;
  size_t i = 0;
  while(i < n) {
    char c = s[i];
    if(c == ' ' || c == '\n' || c == '\r') {
      i++;
      continue;
    }
    if(c == '/') { /* a font resource: /F1, /F2 */
      size_t j = i + 1;
      while(j < n && s[j] != ' ' && s[j] != '\n')
        j++;
      bold = j - i > 2 && s[j - 1] == '2';
      i = j;
      continue;
    }
    if(c == '<') { /* 2-byte codes, the Unicode values: WinAnsi or '?' */
      size_t j = i + 1, k = 0;
      while(j < n && s[j] != '>')
        j++;
      free(text);
      text = malloc((j - i) / 4 * 3 + 2);
      for(size_t h = i + 1; h + 4 <= j; h += 4) {
        char hx[5] = {s[h], s[h + 1], s[h + 2], s[h + 3], 0};
        unsigned v = (unsigned)strtoul(hx, NULL, 16);
        if(!dump_utf8)
          text[k++] = (char)(v >= 32 && v < 256 ? v : '?');
        else if(v < 0x80)
          text[k++] = (char)v;
        else if(v < 0x800) {
          text[k++] = (char)(0xC0 | v >> 6);
          text[k++] = (char)(0x80 | (v & 63));
        } else {
          text[k++] = (char)(0xE0 | v >> 12);
          text[k++] = (char)(0x80 | (v >> 6 & 63));
          text[k++] = (char)(0x80 | (v & 63));
        }
      }
      text[k] = '\0';
      i = j + 1;
      continue;
    }
    if(c == '(') { /* a literal string: one byte for ASCII, two (0x8000 + n, a document's own) for others: '?' */
      size_t j = i + 1, k = 0;
      free(text);
      text = malloc(n - i + 1);
      while(j < n && s[j] != ')') {
        unsigned char b = (unsigned char)s[j++];
        if(b == '\\' && j < n) {
          char e = s[j++];
          b = e == 'n' ? '\n' : e == 'r' ? '\r' : (unsigned char)e;
        }
        if(b >= 0x80) { /* the second byte of the code, escaped or not */
          if(j < n && s[j] == '\\')
            j++;
          j++;
          b = '?';
        }
        text[k++] = (char)(b >= 32 ? b : '?');
      }
      text[k] = '\0';
      i = j + 1;
      continue;
    }
    if(c == '[') { /* a dash array: [3 2 ] or [] */
      size_t j = i + 1;
      ndash = 0;
      while(j < n && s[j] != ']') {
        if(s[j] != ' ' && ndash < 2)
          dash[ndash++] = strtof(s + j, NULL);
        while(j < n && s[j] != ' ' && s[j] != ']')
          j++;
        while(j < n && s[j] == ' ')
          j++;
      }
      i = j + 1;
      continue;
    }
    if((c >= '0' && c <= '9') || c == '-' || c == '.') {
      char *end;
      float v = strtof(s + i, &end);
      if(end == s + i) { /* a lone '-' or '.': not a number */
        i++;
        continue;
      }
      if(nn < 6)
        num[nn++] = v;
      i = (size_t)(end - s);
      continue;
    }
    size_t j = i;
    while(j < n && s[j] != ' ' && s[j] != '\n')
      j++;
    char w[4] = {0};
    memcpy(w, s + i, j - i < 3 ? j - i : 3);
    op o;
    memset(&o, 0, sizeof(o));
    memcpy(o.a, num, sizeof(o.a));
    o.kind = -1;
    if(!strcmp(w, "BT")) o.kind = OP_BT;
    else if(!strcmp(w, "ET")) o.kind = OP_ET;
    else if(!strcmp(w, "Tf")) { o.kind = OP_TF; o.bold = bold; }
    else if(!strcmp(w, "Td")) o.kind = OP_TD;
    else if(!strcmp(w, "Tj")) { o.kind = OP_TJ; o.text = text; text = NULL; }
    else if(!strcmp(w, "Tm")) o.kind = OP_TM;
    else if(!strcmp(w, "g")) o.kind = OP_G;
    else if(!strcmp(w, "G")) o.kind = OP_GS;
    else if(!strcmp(w, "w")) o.kind = OP_W;
    else if(!strcmp(w, "m")) o.kind = OP_M;
    else if(!strcmp(w, "l")) o.kind = OP_L;
    else if(!strcmp(w, "S")) o.kind = OP_S;
    else if(!strcmp(w, "re")) o.kind = OP_RE;
    else if(!strcmp(w, "f")) o.kind = OP_F;
    else if(!strcmp(w, "B")) o.kind = OP_B;
    else if(!strcmp(w, "n")) o.kind = OP_N;
    else if(!strcmp(w, "W")) o.kind = OP_CLIP;
    else if(!strcmp(w, "q")) o.kind = OP_Q;
    else if(!strcmp(w, "Q")) o.kind = OP_QR;
    else if(!strcmp(w, "d")) { /* a[0..1] the dash, a[5] its length; the phase is 0 in licbill's pages */
      o.kind = OP_D;
      o.a[0] = dash[0];
      o.a[1] = dash[1];
      o.a[5] = (float)ndash;
    }
    if(o.kind >= 0)
      add(pg, o);
    nn = 0;
    i = j;
  }
  free(text);
}

/* The pages of a PDF written by libharu: every deflated stream that draws. */
static int read_doc(const char *path, doc *d)
{
  size_t len, pos = 0;
  unsigned char *b = slurp(path, &len);
  memset(d, 0, sizeof(*d));
  if(!b)
    return -1;
  for(;;) {
    unsigned char *st = memmem(b + pos, len - pos, "stream\r\n", 8);
    size_t skip = 8;
    unsigned char *st2 = memmem(b + pos, len - pos, "stream\n", 7);
    if(st2 && (!st || st2 < st)) {
      st = st2;
      skip = 7;
    }
    if(!st)
      break;
    if(st > b + 3 && !memcmp(st - 3, "end", 3)) {
      pos = (size_t)(st - b) + skip;
      continue;
    }
    unsigned char *data = st + skip;
    unsigned char *end = memmem(data, len - (size_t)(data - b), "endstream", 9);
    if(!end)
      break;
    size_t zlen = (size_t)(end - data);
    while(zlen && (data[zlen - 1] == '\n' || data[zlen - 1] == '\r'))
      zlen--;
    size_t n;
    unsigned char *raw = inflate_all(data, zlen, &n);
    /* page content: text and paths; not a ToUnicode CMap, not binary font data */
    if(raw && n > 8 && memcmp(raw, "/CIDInit", 8) && (!memcmp(raw, "BT", 2) || memmem(raw, n, " Tf\n", 4))) {
      d->pages = realloc(d->pages, (d->n + 1) * sizeof(page));
      memset(&d->pages[d->n], 0, sizeof(page));
      parse_content((const char *)raw, n, &d->pages[d->n]);
      d->n++;
    }
    free(raw);
    pos = (size_t)(end - b) + 9;
  }
  free(b);
  return 0;
}

static void free_doc(doc *d)
{
  for(size_t i = 0; i < d->n; i++) {
    for(size_t k = 0; k < d->pages[i].n; k++)
      free(d->pages[i].ops[k].text);
    free(d->pages[i].ops);
  }
  free(d->pages);
}

static void on_error(HPDF_STATUS e, HPDF_STATUS detail, void *data)
{
  (void)data;
  fprintf(stderr, "floor: libharu error 0x%04X (%u)\n", (unsigned)e, (unsigned)detail);
  exit(1);
}

static void draw_page(HPDF_Doc pdf, HPDF_Font helv, HPDF_Font bold, const page *pg)
{
  HPDF_Page p = HPDF_AddPage(pdf);
  HPDF_Page_SetSize(p, HPDF_PAGE_SIZE_A4, HPDF_PAGE_PORTRAIT);
  for(size_t i = 0; i < pg->n; i++) {
    const op *o = &pg->ops[i];
    const float *a = o->a;
    switch(o->kind) {
    case OP_BT: HPDF_Page_BeginText(p); break;
    case OP_ET: HPDF_Page_EndText(p); break;
    case OP_TF: HPDF_Page_SetFontAndSize(p, o->bold ? bold : helv, a[0]); break;
    case OP_TD: HPDF_Page_MoveTextPos(p, a[0], a[1]); break;
    case OP_TJ: HPDF_Page_ShowText(p, o->text); break;
    case OP_TM: HPDF_Page_SetTextMatrix(p, a[0], a[1], a[2], a[3], a[4], a[5]); break;
    case OP_G: HPDF_Page_SetGrayFill(p, a[0]); break;
    case OP_GS: HPDF_Page_SetGrayStroke(p, a[0]); break;
    case OP_W: HPDF_Page_SetLineWidth(p, a[0]); break;
    case OP_M: HPDF_Page_MoveTo(p, a[0], a[1]); break;
    case OP_L: HPDF_Page_LineTo(p, a[0], a[1]); break;
    case OP_S: HPDF_Page_Stroke(p); break;
    case OP_RE: HPDF_Page_Rectangle(p, a[0], a[1], a[2], a[3]); break;
    case OP_F: HPDF_Page_Fill(p); break;
    case OP_B: HPDF_Page_FillStroke(p); break;
    case OP_N: HPDF_Page_EndPath(p); break;
    case OP_CLIP: HPDF_Page_Clip(p); break;
    case OP_Q: HPDF_Page_GSave(p); break;
    case OP_QR: HPDF_Page_GRestore(p); break;
    case OP_D: {
      HPDF_UINT16 dash[2] = {(HPDF_UINT16)a[0], (HPDF_UINT16)a[1]};
      HPDF_Page_SetDash(p, a[5] > 0 ? dash : NULL, a[5] > 0 ? 2 : 0, 0);
      break;
    }
    }
  }
}

/* Draw, save and write one document; returns its page count. */
static size_t redraw(HPDF_Doc pdf, const doc *d, const char *path)
{
  HPDF_NewDoc(pdf);
  HPDF_SetCompressionMode(pdf, HPDF_COMP_ALL);
  HPDF_Font helv = HPDF_GetFont(pdf, "Helvetica", "WinAnsiEncoding");
  HPDF_Font bold = HPDF_GetFont(pdf, "Helvetica-Bold", "WinAnsiEncoding");
  for(size_t i = 0; i < d->n; i++)
    draw_page(pdf, helv, bold, &d->pages[i]);
  HPDF_SaveToFile(pdf, path);
  return d->n;
}

static int dump(const char *path, int pageno)
{
  doc d;
  static const char *const names[] = {"BT", "ET", "Tf", "Td", "Tj", "Tm", "g", "G", "w", "m", "l", "S", "re", "f",
                                      "B", "n", "W", "q", "Q", "d"};
  if(read_doc(path, &d) || pageno < 1 || (size_t)pageno > d.n)
    return 1;
  const page *pg = &d.pages[pageno - 1];
  for(size_t i = 0; i < pg->n; i++) {
    const op *o = &pg->ops[i];
    printf("%s %g %g %g %g %g %g %d", names[o->kind], o->a[0], o->a[1], o->a[2], o->a[3], o->a[4], o->a[5], o->bold);
    if(o->kind == OP_TJ)
      printf(" %s", o->text);
    printf("\n");
  }
  free_doc(&d);
  return 0;
}

int main(int argc, char **argv)
{
  if(argc == 4 && !strcmp(argv[1], "--dump")) {
    dump_utf8 = 1;
    return dump(argv[2], atoi(argv[3]));
  }
  if(argc < 3) {
    fprintf(stderr, "usage: floor OUTDIR PDF... | floor --dump PDF PAGE\n");
    return 2;
  }
  HPDF_Doc pdf = HPDF_New(on_error, NULL);
  double spent = 0;
  size_t pages = 0, docs = 0;
  int from_stdin = argc == 3 && !strcmp(argv[2], "-");
  char line[4096];
  for(int i = 2; from_stdin || i < argc; i++) {
    doc d;
    char out[4096];
    const char *path = from_stdin ? line : argv[i];
    if(from_stdin) {
      if(!fgets(line, sizeof(line), stdin))
        break;
      line[strcspn(line, "\n")] = '\0';
      path = line;
    }
    if(read_doc(path, &d)) {
      fprintf(stderr, "floor: cannot read %s\n", path);
      return 1;
    }
    snprintf(out, sizeof(out), "%s/%d.pdf", argv[1], i - 1);
    double t0 = now();
    pages += redraw(pdf, &d, out);
    spent += now() - t0;
    docs++;
    free_doc(&d);
  }
  HPDF_Free(pdf);
  printf("floor: %zu documents, %zu pages, %.3f seconds\n", docs, pages, spent);
  return 0;
}
