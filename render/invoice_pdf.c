/* invoice_pdf.c - lays out an invoice on pages and draws it with libharu.
 *
 * Text goes through libharu's UTF-8 encoder into Type0 fonts built on
 * embedded TrueType files, so any BMP character the font has prints and
 * comes back out of text extraction: the codes are the Unicode values.
 * (libharu 2.3.0 writes the ToUnicode map with "begincidrange", which
 * poppler warns about on stderr but reads right for that reason.)
 * Layout is measure-then-draw: each block (an invoice line with its tier and
 * note rows, the totals) is laid out once without drawing to learn its
 * height, then drawn where it fits. That is what keeps a line with its tiers
 * and the totals block on one page. Footers are drawn last, when the page
 * count is known. The document is PDF/A-1b (pdfa.h): fonts embedded, XMP
 * metadata, an sRGB OutputIntent, and a /ID computed from the saved bytes. */
#include "render/invoice_pdf.h"
#include "render/pdfdoc.h"
#include "render/pen.h"

#include <hpdf.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/money.h"
#include "render/pdfa.h"

/* Page geometry in points (1/72 inch). */
#define MARGIN_X 42.0f
#define MARGIN_TOP 40.0f
#define FOOTER_Y 30.0f   /* baseline of the footer text */
#define CONTENT_BOT 62.0f /* nothing but the footer below this */

/* Type sizes and line heights. */
#define SZ_BODY 9.0f
#define SZ_TABLE 8.0f
#define LH_TABLE 10.0f
#define SZ_SMALL 7.0f
#define LH_SMALL 8.8f
#define ROW_PAD 3.5f
#define HEAD_H 16.0f /* table column header row */

/* Gray levels: 0 black .. 1 white. */
#define INK 0.0f
#define INK_SOFT 0.35f
#define RULE 0.75f
#define SHADE 0.92f

#define WRAP_MAX PEN_WRAP_MAX
#define CELL_LINES 6 /* wrapped lines per table cell; more become "…" */
#define NOTE_LINES 4
#define ELLIPSIS "\u2026"
#define EN_DASH "\u2013"

struct invoice_pdf {
  pdfdoc d;
};

/* ---- text primitives ---------------------------------------------------- */

typedef pen_span span;
typedef pen_wrapped wrapped;

enum { COL_NO, COL_MACHINE, COL_PRODUCT, COL_CHARGE, COL_QTY, COL_PRICE, COL_AMOUNT, NCOL };

typedef struct pdfctx {
  invoice_pdf *r;
  const lb_template *t;
  const invoice *inv;
  HPDF_Doc doc;
  HPDF_Font f, fb;        /* regular, bold */
  HPDF_PageSizes size;
  pen p;                  /* the page being drawn on and its text state */
  HPDF_Page *pages;
  size_t npages, pagecap;
  float pw, ph;           /* page size */
  float x0, x1;           /* left and right edge of the text area */
  float y;                /* top of the next block */
  char sep, dec;          /* thousands separator (0 = none), decimal mark */
  const char *sym;        /* currency symbol */
  int sym_after;
  float col[NCOL + 1];    /* column edges of the line table */
  money pp_base;          /* R-X2: the prompt-payment base, and the lines left out of it (R-M2) */
  char pp_lines[192];
  size_t pp_nl;
} pdfctx;

/* R-X2: the base the prompt-payment discount was computed on, from the
 * lines the engine left out of it (their R-X2 audit steps). */
static int prompt_pay_base(pdfctx *c)
{
  const invoice *inv = c->inv;
  money excluded = 0;
  c->pp_nl = 0;
  c->pp_lines[0] = '\0';
  for(size_t i = 0; i < inv->nlines; i++)
    if(invoice_line_out_of_prompt_pay(inv, inv->lines[i].line)) {
      if(money_add(&excluded, excluded, inv->lines[i].amount))
        return LB_EOVERFLOW;
      size_t o = strlen(c->pp_lines);
      snprintf(c->pp_lines + o, sizeof(c->pp_lines) - o, "%s%d", c->pp_nl++ ? ", " : "", inv->lines[i].line);
    }
  return invoice_prompt_pay_base(inv, excluded, &c->pp_base) ? LB_EOVERFLOW : LB_OK;
}

static const char *S(const char *s) { return s ? s : ""; }

static void stroke_rect(pdfctx *c, float x, float y, float w, float h, float gray)
{
  pen_text_end(&c->p);
  HPDF_Page_SetGrayStroke(c->p.page, gray);
  HPDF_Page_SetLineWidth(c->p.page, 0.6f);
  HPDF_Page_Rectangle(c->p.page, x, y, w, h);
  HPDF_Page_Stroke(c->p.page);
}

/* Draw s[0..n) with its baseline at y, starting at x (align 0), ending at x
 * (align 1). A span marked `ell` gets an ellipsis. */
static void puts_left(pdfctx *c, HPDF_Font f, float size, float gray, float x, float y,
                      const char *s)
{
  pen_put(&c->p, f, size, gray, x, y, s, strlen(s), 0, 0);
}

static void puts_right(pdfctx *c, HPDF_Font f, float size, float gray, float x, float y,
                       const char *s)
{
  pen_put(&c->p, f, size, gray, x, y, s, strlen(s), 0, 1);
}

/* Wrap `text` into w, breaking after + as well as at spaces (pen_wrap). */
static void wrap_add(HPDF_Font f, float size, float width, const char *text, int max, wrapped *w)
{
  pen_wrap(f, size, width, text, max, "+", w);
}

/* The size at which s fits in width, at most `size`: numbers are shrunk,
 * never cut. */
static float fit_size(HPDF_Font f, float size, float width, const char *s)
{
  float w = pen_str_w(f, size, s);
  return w <= width ? size : size * width / w;
}

/* w as the one unwrapped line s. */
static void one_line(wrapped *w, const char *s)
{
  w->l[0] = (span){s, strlen(s), 0};
  w->n = 1;
}

/* Draw the lines of w from baseline y down, every lh points. */
static void put_lines(pdfctx *c, const wrapped *w, int from, int to, HPDF_Font f, float size,
                      float gray, float x, float y, float lh, int align)
{
  for(int i = from; i < to; i++)
    pen_put(&c->p, f, size, gray, x, y - (float)(i - from) * lh, w->l[i].s, w->l[i].n, w->l[i].ell, align);
}

/* Replace the %d / %s placeholders of a template label, in order, with
 * args (already text). tpl_load checked the placeholders, so no printf with
 * a format string from a file. */
static void fill(char *out, size_t cap, const char *fmt, const char *const *args, int nargs)
{
  size_t o = 0;
  int k = 0;
  for(const char *p = fmt; *p && o + 1 < cap; p++) {
    const char *ins = NULL;
    char one[2] = {*p, 0};
    if(*p == '%' && p[1] == '%') {
      p++;
      ins = "%";
    } else if(*p == '%' && (p[1] == 'd' || p[1] == 's')) {
      p++;
      ins = k < nargs ? args[k++] : "";
    } else
      ins = one;
    size_t n = strlen(ins);
    if(o + n + 1 > cap) {
      n = cap - 1 - o;
      while(n && ((unsigned char)ins[n] & 0xC0) == 0x80)
        n--;
    }
    memcpy(out + o, ins, n);
    o += n;
  }
  /* a cut may not leave half a UTF-8 sequence */
  size_t b = o;
  while(b > 0 && ((unsigned char)out[b - 1] & 0xC0) == 0x80)
    b--;
  out[o] = '\0';
  if(b > 0 && (unsigned char)out[b - 1] >= 0xC0 && pen_u8len(out + b - 1) != o - (b - 1))
    o = b - 1;
  out[o] = '\0';
}

/* ---- numbers ------------------------------------------------------------ */

/* Amount with grouping and 2 places, through money_format_human. buf >= 40. */
static char *fmt_amount(const pdfctx *c, char *buf, money a)
{
  return money_format_human(buf, a, c->sep, c->dec);
}

/* A unit price: 2 places, or up to 4 when the price has fractions of a cent
 * (printing 0.12 for 0.1234 would not multiply out). buf >= 48. */
static char *fmt_price(const pdfctx *c, char *buf, money a)
{
  money_format_human(buf, a, c->sep, c->dec);
  unsigned sub = (unsigned)((a < 0 ? (uint64_t)0 - (uint64_t)a : (uint64_t)a) % MONEY_CENT);
  if(sub) {
    size_t n = strlen(buf);
    buf[n++] = (char)('0' + sub / 10);
    if(sub % 10)
      buf[n++] = (char)('0' + sub % 10);
    buf[n] = '\0';
  }
  return buf;
}

/* Amount with the currency symbol: "€1,234.56", "-€5.00", "CHF 12.00",
 * "1.234,56 €". buf >= 96. */
static char *fmt_money(const pdfctx *c, char *buf, size_t cap, money a)
{
  char num[48];
  money_format_human(num, a, c->sep, c->dec);
  const char *digits = num[0] == '-' ? num + 1 : num;
  const char *neg = num[0] == '-' ? "-" : "";
  size_t sl = strlen(c->sym);
  char last = sl ? c->sym[sl - 1] : 0;
  int letter = (last >= 'A' && last <= 'Z') || (last >= 'a' && last <= 'z');
  if(!sl)
    snprintf(buf, cap, "%s%s", neg, digits);
  else if(c->sym_after)
    snprintf(buf, cap, "%s%s %s", neg, digits, c->sym);
  else
    snprintf(buf, cap, "%s%s%s%s", neg, c->sym, letter ? " " : "", digits);
  return buf;
}

/* A percentage given in 1/10000 %, with at least `places` decimals:
 * 50000 -> "5.000" (places 3), 99750 -> "9.975", 20000 -> "2.00" (places 2). */
static char *fmt_pct(const pdfctx *c, char *buf, money v, int places)
{
  uint64_t m = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
  char frac[8];
  int nf = 4;
  snprintf(frac, sizeof(frac), "%04u", (unsigned)(m % 10000));
  while(nf > places && frac[nf - 1] == '0')
    nf--;
  frac[nf] = '\0';
  snprintf(buf, 40, "%s%llu%c%s", v < 0 ? "-" : "", (unsigned long long)(m / 10000), c->dec, frac);
  return buf;
}

/* A count with thousands grouping: 1234 -> "1,234". buf >= 32. */
static char *fmt_count(const pdfctx *c, char *buf, long q)
{
  char d[24];
  unsigned long m = q < 0 ? 0UL - (unsigned long)q : (unsigned long)q;
  int n = snprintf(d, sizeof(d), "%lu", m), o = 0;
  if(q < 0)
    buf[o++] = '-';
  for(int i = 0; i < n; i++) {
    if(c->sep && i > 0 && (n - i) % 3 == 0)
      buf[o++] = c->sep;
    buf[o++] = d[i];
  }
  buf[o] = '\0';
  return buf;
}

/* "5 Nov 2026" with the template's month names. buf >= 64. */
static char *fmt_date(const pdfctx *c, char *buf, lb_date d)
{
  int y, m, day;
  if(d == DATE_NONE)
    return strcpy(buf, EN_DASH);
  date_to_ymd(d, &y, &m, &day);
  /* the m-th space-separated word; tpl_load checked there are twelve */
  const char *p = tpl_get(c->t, "date.months");
  for(int i = 1;; i++) {
    while(*p == ' ' || *p == '\t')
      p++;
    size_t n = strcspn(p, " \t");
    if(i == m || !p[n]) {
      snprintf(buf, 64, "%d %.*s %d", day, (int)(n < 40 ? n : 40), p, y);
      return buf;
    }
    p += n;
  }
}

/* ---- pages -------------------------------------------------------------- */

static int add_page(pdfctx *c)
{
  pen_text_end(&c->p);
  if(c->npages == c->pagecap) {
    size_t ncap = c->pagecap ? c->pagecap * 2 : 4;
    HPDF_Page *np = realloc(c->pages, ncap * sizeof(*np));
    if(!np)
      return LB_ENOMEM;
    c->pages = np;
    c->pagecap = ncap;
  }
  HPDF_Page p = HPDF_AddPage(c->doc);
  if(!p)
    return pdfdoc_rc(&c->r->d) ? pdfdoc_rc(&c->r->d) : LB_EIO;
  HPDF_Page_SetSize(p, c->size, HPDF_PAGE_PORTRAIT);
  c->pages[c->npages++] = p;
  c->p.page = p;
  c->p.tgray = 0;
  c->pw = HPDF_Page_GetWidth(p);
  c->ph = HPDF_Page_GetHeight(p);
  c->x0 = MARGIN_X;
  c->x1 = c->pw - MARGIN_X;
  c->y = c->ph - MARGIN_TOP;
  if(c->inv->is_draft) { /* a preview: DRAFT across the page, under everything else, and said at the top */
    pen_stamp(&c->p, c->fb, 110, 0.88f, c->pw / 2, c->ph / 2, tpl_get(c->t, "label.draft"));
    puts_left(c, c->fb, 8, INK, c->x0, c->ph - 22, tpl_get(c->t, "label.draft_note"));
  }
  return pdfdoc_rc(&c->r->d);
}

/* "Invoice", or "Credit note" for a document that cancels an invoice (R-M8). */
static const char *doc_title(const lb_template *t, const invoice *inv)
{
  return tpl_get(t, inv->is_credit_note ? "label.title_credit_note" : "label.title");
}

/* Pages after the first repeat who and what the invoice is, small. */
static void continuation_header(pdfctx *c)
{
  char buf[512];
  const invoice *inv = c->inv;
  float y = c->y - 9;
  puts_left(c, c->fb, 9, INK, c->x0, y, tpl_get(c->t, "issuer.name"));
  snprintf(buf, sizeof(buf), "%s %s", doc_title(c->t, inv), S(inv->number));
  puts_right(c, c->fb, 9, INK, c->x1, y, buf);
  puts_right(c, c->f, 8, INK_SOFT, c->x1, y - 11, S(inv->customer_name));
  c->y -= 30;
}

static void table_header(pdfctx *c)
{
  static const char *const keys[NCOL] = {"label.col.line",       "label.col.machine",
                                         "label.col.product",    "label.col.charge_type",
                                         "label.col.quantity",   "label.col.unit_price",
                                         "label.col.amount"};
  float top = c->y;
  pen_fill_rect(&c->p, c->x0, top - HEAD_H, c->x1 - c->x0, HEAD_H, SHADE);
  for(int i = 0; i < NCOL; i++) {
    const char *s = tpl_get(c->t, keys[i]);
    float base = top - HEAD_H + 5.5f, size = 7.5f;
    float room = c->col[i + 1] - c->col[i] - 6, w = pen_str_w(c->fb, size, s);
    if(w > room)
      size = size * room / w < 5 ? 5 : size * room / w; /* a long translated heading */
    if(i >= COL_QTY)
      puts_right(c, c->fb, size, INK, c->col[i + 1] - 3, base, s);
    else
      puts_left(c, c->fb, size, INK, c->col[i] + 3, base, s);
  }
  c->y = top - HEAD_H;
}

/* Start a new page in the middle of the table (or before the totals). */
static int page_break(pdfctx *c, int with_table_header)
{
  int rc;
  puts_right(c, c->f, SZ_SMALL, INK_SOFT, c->x1, CONTENT_BOT - 10,
             tpl_get(c->t, "label.continued"));
  rc = add_page(c);
  if(rc)
    return rc;
  continuation_header(c);
  if(with_table_header)
    table_header(c);
  return pdfdoc_rc(&c->r->d);
}

/* ---- first page header -------------------------------------------------- */

static void first_page_header(pdfctx *c)
{
  const lb_template *t = c->t;
  const invoice *inv = c->inv;
  char d1[64], d2[64];
  wrapped w;
  float y = c->y, yl;

  /* issuer, top left; title, top right */
  const char *title = doc_title(t, inv);
  puts_right(c, c->fb, 20, INK, c->x1, y - 18, title);
  yl = y - 11;
  w.n = 0;
  wrap_add(c->fb, 12, c->x1 - c->x0 - pen_str_w(c->fb, 20, title) - 24, tpl_get(t, "issuer.name"), 2,
           &w);
  put_lines(c, &w, 0, w.n, c->fb, 12, INK, c->x0, yl, 14, 0);
  yl -= 14 * (float)(w.n ? w.n - 1 : 0) + 13;
  for(int i = 1; i <= 6; i++) {
    char key[32];
    snprintf(key, sizeof(key), "issuer.address.%d", i);
    const char *s = tpl_get(t, key);
    if(s && *s) {
      puts_left(c, c->f, 8, INK_SOFT, c->x0, yl, s);
      yl -= 10;
    }
  }
  if(*tpl_get(t, "issuer.tax_id")) {
    puts_left(c, c->f, 8, INK_SOFT, c->x0, yl, tpl_get(t, "issuer.tax_id"));
    yl -= 10;
  }

  /* customer block, left, where a window envelope shows it */
  float cw = (c->x1 - c->x0) * 0.48f;
  float ytop = yl - 22 < c->ph - 135 ? yl - 22 : c->ph - 135;
  float cy = ytop;
  puts_left(c, c->f, 7.5f, INK_SOFT, c->x0, cy, tpl_get(t, "label.bill_to"));
  cy -= 14;
  w.n = 0;
  wrap_add(c->fb, 10.5f, cw, S(inv->customer_name), 3, &w);
  put_lines(c, &w, 0, w.n, c->fb, 10.5f, INK, c->x0, cy, 13, 0);
  cy -= 13 * (float)w.n;
  w.n = 0;
  wrap_add(c->f, SZ_BODY, cw, S(inv->customer_address), 8, &w);
  put_lines(c, &w, 0, w.n, c->f, SZ_BODY, INK, c->x0, cy, 11.5f, 0);
  cy -= 11.5f * (float)w.n;

  /* header box with the R-X1 identifiers, right */
  float bw = (c->x1 - c->x0) * 0.46f, bx = c->x1 - bw, lw = 60, vx, vw;
  float by = c->y - 40, ry = by - 6;
  struct {
    const char *key, *val;
  } rows[12];
  size_t nr = 0;
  lb_date ps = inv->period_start, pe = inv->period_end;
  if(ps == DATE_NONE && inv->month != MONTH_NONE)
    ps = month_first_day(inv->month);
  if(pe == DATE_NONE && inv->month != MONTH_NONE)
    pe = month_last_day(inv->month);
  char period[160], idate[64], due[64], orders[1024];
  snprintf(period, sizeof(period), "%s " EN_DASH " %s", fmt_date(c, d1, ps), fmt_date(c, d2, pe));
  fmt_date(c, idate, inv->issue_date);
  fmt_date(c, due, inv->due_date);
  orders[0] = '\0';
  for(size_t i = 0, o = 0; i < inv->norders; i++) {
    const char *sep = i ? ", " : "";
    int n = snprintf(orders + o, sizeof(orders) - o, "%s%s", sep, S(inv->order_numbers[i]));
    if(n < 0 || (size_t)n >= sizeof(orders) - o - sizeof(", " ELLIPSIS)) {
      /* more than the box shows anyway; each line names its own order */
      snprintf(orders + o, sizeof(orders) - o, "%s" ELLIPSIS, sep);
      break;
    }
    o += (size_t)n;
  }
#define ROW(k, v) (rows[nr].key = (k), rows[nr].val = (v), nr++)
  /* R-M8: a credit note says which invoice of which day it credits and asks for nothing; the invoice after
   * it says which one it replaces */
  char credited[192], cdate[64];
  if(inv->corrects) {
    const char *a[2] = {inv->corrects, inv->corrects_issued == DATE_NONE ? EN_DASH : fmt_date(c, cdate, inv->corrects_issued)};
    fill(credited, sizeof(credited), tpl_get(t, "label.corrects_of"), a, 2);
  }
  ROW(inv->is_credit_note ? "label.credit_note_number" : "label.invoice_number", S(inv->number));
  if(inv->corrects)
    ROW("label.corrects", credited);
  if(inv->replaces)
    ROW("label.replaces", inv->replaces);
  ROW(inv->is_credit_note ? "label.credit_note_date" : "label.invoice_date", idate);
  ROW("label.customer_number", S(inv->customer_id));
  ROW("label.contract_number", inv->contract_number ? inv->contract_number : EN_DASH);
  ROW("label.billing_period", period);
  if(!inv->is_credit_note)
    ROW("label.due_date", due);
  if(orders[0])
    ROW("label.order_numbers", orders);
  ROW("label.currency", S(inv->currency));
#undef ROW
  for(size_t i = 0; i < nr; i++) {
    float lwi = pen_str_w(c->f, 7.5f, tpl_get(t, rows[i].key)) + 14;
    lw = lwi > lw ? lwi : lw;
  }
  lw = lw < bw * 0.5f ? lw : bw * 0.5f; /* values keep at least half the box */
  vx = bx + lw;
  vw = bw - lw - 6;
  for(size_t i = 0; i < nr; i++) {
    w.n = 0;
    wrap_add(c->fb, 8.5f, vw, rows[i].val, 6, &w);
    if(!w.n)
      w.l[w.n++] = (span){"", 0, 0};
    puts_left(c, c->f, 7.5f, INK_SOFT, bx + 6, ry - 8.5f, tpl_get(t, rows[i].key));
    put_lines(c, &w, 0, w.n, c->fb, 8.5f, INK, vx, ry - 8.5f, 10.5f, 0);
    ry -= 10.5f * (float)w.n + 3;
  }
  ry -= 4;
  stroke_rect(c, bx, ry, bw, by - ry, RULE);

  c->y = (cy < ry ? cy : ry) - 22;
}

/* ---- the line table ----------------------------------------------------- */

/* Lay out one invoice line with its tier rows and note; draw it when `draw`
 * is set. Returns the height it takes from c->y down. */
static float line_block(pdfctx *c, const charge_line *l, int draw)
{
  const lb_template *t = c->t;
  wrapped w[NCOL];
  char no[16], sysplex[256], order[256], qty[96], cnt[32], price[48], amount[48];
  float cwid[NCOL], size[NCOL];
  int n = 1;

  for(int i = 0; i < NCOL; i++) {
    cwid[i] = c->col[i + 1] - c->col[i] - 6;
    size[i] = SZ_TABLE;
    w[i].n = 0;
  }
  snprintf(no, sizeof(no), "%d", l->line);
  one_line(&w[COL_NO], no);
  size[COL_NO] = fit_size(c->f, SZ_TABLE, cwid[COL_NO], no);

  if(l->sysplex) {
    const char *a[1] = {l->sysplex};
    fill(sysplex, sizeof(sysplex), tpl_get(t, "label.sysplex"), a, 1);
    wrap_add(c->f, SZ_TABLE, cwid[COL_MACHINE], sysplex, 2, &w[COL_MACHINE]);
  }
  wrap_add(c->f, SZ_TABLE, cwid[COL_MACHINE], S(l->type_model), 2, &w[COL_MACHINE]);
  wrap_add(c->f, SZ_TABLE, cwid[COL_MACHINE], S(l->serial), CELL_LINES - w[COL_MACHINE].n,
           &w[COL_MACHINE]);

  wrap_add(c->f, SZ_TABLE, cwid[COL_PRODUCT], S(l->product_id), 1, &w[COL_PRODUCT]);
  wrap_add(c->f, SZ_TABLE, cwid[COL_PRODUCT], S(l->product_name), 3, &w[COL_PRODUCT]);
  if(l->order_number) {
    const char *a[1] = {l->order_number};
    fill(order, sizeof(order), tpl_get(t, "label.order"), a, 1);
    wrap_add(c->f, SZ_TABLE, cwid[COL_PRODUCT], order, 2, &w[COL_PRODUCT]);
  }
  wrap_add(c->f, SZ_TABLE, cwid[COL_CHARGE], line_charge_type(l), 2, &w[COL_CHARGE]);

  fmt_count(c, cnt, l->quantity);
  snprintf(qty, sizeof(qty), "%s %s", cnt, S(l->unit));
  if(pen_str_w(c->f, SZ_TABLE, qty) > cwid[COL_QTY]) {
    /* "1,234" over "MSUs" rather than a cut unit */
    one_line(&w[COL_QTY], cnt);
    size[COL_QTY] = fit_size(c->f, SZ_TABLE, cwid[COL_QTY], cnt);
    wrap_add(c->f, size[COL_QTY], cwid[COL_QTY], S(l->unit), 1, &w[COL_QTY]);
  } else
    one_line(&w[COL_QTY], qty);
  if(l->has_unit_price)
    fmt_price(c, price, l->unit_price);
  else if(l->ntiers)
    snprintf(price, sizeof(price), "%s", tpl_get(t, "label.tiered"));
  else
    price[0] = '\0'; /* e.g. a percentage reduction (R-W11): no unit price, no tiers */
  one_line(&w[COL_PRICE], price);
  size[COL_PRICE] = fit_size(c->f, SZ_TABLE, cwid[COL_PRICE], price);
  fmt_amount(c, amount, l->amount);
  one_line(&w[COL_AMOUNT], amount);
  size[COL_AMOUNT] = fit_size(c->fb, SZ_TABLE, cwid[COL_AMOUNT], amount);

  for(int i = 0; i < NCOL; i++)
    if(w[i].n > n)
      n = w[i].n;
  float h = ROW_PAD + LH_TABLE * (float)n;

  /* tier rows and the note span the columns from product to amount */
  float sx = c->col[COL_PRODUCT] + 3 + 8, sw = c->col[NCOL] - 3 - sx;
  int ntiers = l->ntiers < 0 ? 0 : l->ntiers;
  h += LH_SMALL * (float)ntiers;
  wrapped note;
  note.n = 0;
  if(l->note && *l->note)
    wrap_add(c->f, SZ_SMALL, sw, l->note, NOTE_LINES, &note);
  h += LH_SMALL * (float)note.n + ROW_PAD;

  if(!draw)
    return h;

  float base = c->y - ROW_PAD - 7;
  for(int i = 0; i < NCOL; i++) {
    HPDF_Font f = i == COL_AMOUNT ? c->fb : c->f;
    if(i >= COL_QTY)
      put_lines(c, &w[i], 0, w[i].n, f, size[i], INK, c->col[i + 1] - 3, base, LH_TABLE, 1);
    else
      put_lines(c, &w[i], 0, w[i].n, f, size[i], INK, c->col[i] + 3, base, LH_TABLE, 0);
  }
  float y = base - LH_TABLE * (float)(n - 1) - LH_SMALL;
  for(int k = 0; k < ntiers; k++, y -= LH_SMALL) {
    const tier_part *tp = &l->tiers[k];
    char from[32], to[32], q[32], up[48], fx[48], row[512];
    fmt_count(c, from, tp->from_qty);
    if(tp->to_qty < 0)
      snprintf(row, sizeof(row), "%s+ %s: %s \u00d7 %s", from, S(l->unit), fmt_count(c, q, tp->qty),
               fmt_price(c, up, tp->unit_price));
    else
      snprintf(row, sizeof(row), "%s" EN_DASH "%s %s: %s \u00d7 %s", from,
               fmt_count(c, to, tp->to_qty), S(l->unit), fmt_count(c, q, tp->qty),
               fmt_price(c, up, tp->unit_price));
    if(tp->fixed_price) {
      size_t o = strlen(row);
      snprintf(row + o, sizeof(row) - o, " + %s %s", fmt_price(c, fx, tp->fixed_price),
               tpl_get(t, "label.tier_base"));
    }
    puts_left(c, c->f, SZ_SMALL, INK_SOFT, sx, y, row);
  }
  put_lines(c, &note, 0, note.n, c->f, SZ_SMALL, INK_SOFT, sx, y, LH_SMALL, 0);
  pen_hline(&c->p, c->x0, c->x1, c->y - h, 0.4f, RULE);
  return h;
}

/* ---- totals ------------------------------------------------------------- */

/* R-M8: under a credit note's total, instead of payment terms and
 * instructions: that nothing is to be paid (credit_note.instructions).
 * Returns y below the text. */
static float credit_note_terms(pdfctx *c, float y, int draw)
{
  wrapped w;
  w.n = 0;
  wrap_add(c->f, SZ_BODY, c->x1 - c->x0, tpl_get(c->t, "credit_note.instructions"), 4, &w);
  if(draw)
    put_lines(c, &w, 0, w.n, c->f, SZ_BODY, INK, c->x0, y, 11.5f, 0);
  return y - 11.5f * (float)w.n;
}

/* Lay out (and with `draw`, draw) subtotal, discount, taxes, total, the
 * prompt-payment offer (R-X2), payment terms and payment instructions.
 * Returns the height of the block. */
static float totals_block(pdfctx *c, int draw)
{
  const lb_template *t = c->t;
  const invoice *inv = c->inv;
  char label[256], num[96], pct[40];
  float y = c->y - 10, lx = c->x1 - 230, rx = c->x1 - 3;

  if(draw) {
    puts_left(c, c->f, SZ_BODY, INK, lx, y - 9, tpl_get(t, "label.subtotal"));
    puts_right(c, c->f, SZ_BODY, INK, rx, y - 9, fmt_amount(c, num, inv->subtotal));
  }
  y -= 13;
  if(inv->discount) {
    if(draw) {
      puts_left(c, c->f, SZ_BODY, INK, lx, y - 9, tpl_get(t, "label.discount"));
      puts_right(c, c->f, SZ_BODY, INK, rx, y - 9, fmt_amount(c, num, -inv->discount));
    }
    y -= 13;
  }
  for(size_t i = 0; i < inv->ntaxes; i++) {
    const tax_line *tx = &inv->taxes[i];
    if(draw) {
      snprintf(label, sizeof(label), "%s %s %%", S(tx->name), fmt_pct(c, pct, tx->rate_pct, 3));
      puts_left(c, c->f, SZ_BODY, INK, lx, y - 9, label);
      puts_right(c, c->f, SZ_BODY, INK, rx, y - 9, fmt_amount(c, num, tx->amount));
    }
    y -= 13;
  }
  y -= 4;
  if(draw) {
    pen_hline(&c->p, lx, c->x1, y, 0.8f, INK);
    snprintf(label, sizeof(label), "%s %s", tpl_get(t, "label.total"), S(inv->currency));
    puts_left(c, c->fb, 11, INK, lx, y - 14, label);
    puts_right(c, c->fb, 11, INK, rx, y - 14, fmt_money(c, num, sizeof(num), inv->total));
  }
  y -= 30;

  if(inv->is_credit_note)
    return c->y - credit_note_terms(c, y, draw);
  wrapped w;
  char text[1024], d1[64], d2[64], days[16];
  float width = c->x1 - c->x0;
  if(inv->prompt_pay_pct > 0) {
    /* R-X2: "PROMPT PAYMENT DISCOUNT, IF APPLICABLE, SHALL BE SHOWN ON THE INVOICE" (002): the amount
     * to deduct, then how it was computed, with the lines left out of its base (R-M2) */
    char p2[48], amt[96], base_s[96], base_text[512];
    snprintf(p2, sizeof(p2), "%s %%", fmt_pct(c, pct, inv->prompt_pay_pct, 2));
    fmt_money(c, amt, sizeof(amt), inv->prompt_pay_discount);
    const char *a[3] = {fmt_date(c, d1, inv->prompt_pay_until), amt,
                        fmt_money(c, num, sizeof(num), inv->prompt_pay_total)};
    fill(text, sizeof(text), tpl_get(t, "label.prompt_pay"), a, 3);
    w.n = 0;
    wrap_add(c->fb, SZ_BODY, width, text, 3, &w);
    if(draw)
      put_lines(c, &w, 0, w.n, c->fb, SZ_BODY, INK, c->x0, y, 11.5f, 0);
    y -= 11.5f * (float)w.n + 2;
    fmt_money(c, base_s, sizeof(base_s), c->pp_base);
    if(c->pp_nl) {
      const char *b[2] = {base_s, c->pp_lines};
      fill(base_text, sizeof(base_text), tpl_get(t, "label.prompt_pay_less"), b, 2);
    } else
      snprintf(base_text, sizeof(base_text), "%s", base_s);
    const char *e[3] = {p2, base_text, amt};
    fill(text, sizeof(text), tpl_get(t, "label.prompt_pay_discount"), e, 3);
    w.n = 0;
    wrap_add(c->f, SZ_BODY, width, text, 3, &w);
    if(draw)
      put_lines(c, &w, 0, w.n, c->f, SZ_BODY, INK, c->x0, y, 11.5f, 0);
    y -= 11.5f * (float)w.n + 2;
  }
  snprintf(days, sizeof(days), "%d", inv->payment_terms_days);
  const char *a[2] = {days, fmt_date(c, d2, inv->due_date)};
  fill(text, sizeof(text), tpl_get(t, "label.payment_terms"), a, 2);
  w.n = 0;
  wrap_add(c->f, SZ_BODY, width, text, 3, &w);
  if(draw)
    put_lines(c, &w, 0, w.n, c->f, SZ_BODY, INK, c->x0, y, 11.5f, 0);
  y -= 11.5f * (float)w.n + 2;
  w.n = 0;
  wrap_add(c->f, 8.5f, width, tpl_get(t, "payment.instructions"), 4, &w);
  if(draw)
    put_lines(c, &w, 0, w.n, c->f, 8.5f, INK_SOFT, c->x0, y, 10.5f, 0);
  y -= 10.5f * (float)w.n;
  return c->y - y;
}

/* ---- footers ------------------------------------------------------------ */

static void footers(pdfctx *c)
{
  char buf[512], pn[24], pm[24], contact[512];
  const char *cont[1] = {S(c->inv->contact)};
  contact[0] = '\0';
  if(c->inv->contact && *c->inv->contact)
    fill(contact, sizeof(contact),
         tpl_get(c->t, c->inv->is_credit_note ? "label.contact_credit_note" : "label.contact"), cont, 1);
  snprintf(pm, sizeof(pm), "%zu", c->npages);
  for(size_t i = 0; i < c->npages; i++) {
    pen_text_end(&c->p);
    c->p.page = c->pages[i];
    c->p.tgray = -1; /* unknown on this page: set it again */
    pen_hline(&c->p, c->x0, c->x1, FOOTER_Y + 12, 0.5f, RULE);
    snprintf(pn, sizeof(pn), "%zu", i + 1);
    const char *a[2] = {pn, pm};
    fill(buf, sizeof(buf), tpl_get(c->t, "label.page"), a, 2);
    puts_right(c, c->f, 7.5f, INK_SOFT, c->x1, FOOTER_Y, buf);
    /* the contact may not overlap the page number */
    float room = c->x1 - c->x0 - pen_str_w(c->f, 7.5f, buf) - 12;
    wrapped w;
    w.n = 0;
    wrap_add(c->f, 7.5f, room, contact, 1, &w);
    put_lines(c, &w, 0, w.n, c->f, 7.5f, INK_SOFT, c->x0, FOOTER_Y, 9, 0);
  }
  pen_text_end(&c->p);
}

/* ---- the document ------------------------------------------------------- */

static void set_columns(pdfctx *c)
{
  /* fixed widths except the product column, which takes what is left */
  static const float fixed[NCOL] = {24, 90, 0, 58, 60, 62, 70};
  float sum = 0, x = c->x0;
  for(int i = 0; i < NCOL; i++)
    sum += fixed[i];
  for(int i = 0; i < NCOL; i++) {
    c->col[i] = x;
    x += i == COL_PRODUCT ? (c->x1 - c->x0) - sum : fixed[i];
  }
  c->col[NCOL] = c->x1;
}

/* Info and XMP metadata, OutputIntent and /ID placeholder: PDF/A-1b (pdfa.h).
 * Only the invoice's own issue date, never the clock. */
static int set_info(pdfctx *c)
{
  const invoice *inv = c->inv;
  char title[256], subject[768], keywords[256], mon[8];
  pdfa_info in;
  snprintf(title, sizeof(title), "%s %s", doc_title(c->t, inv), S(inv->number));
  snprintf(subject, sizeof(subject), "%s %s for %s (customer %s), billing month %s", doc_title(c->t, inv),
           S(inv->number), S(inv->customer_name), S(inv->customer_id),
           inv->month != MONTH_NONE ? month_format(mon, inv->month) : "");
  snprintf(keywords, sizeof(keywords), "%s; %s; %s", S(inv->number), S(inv->customer_id),
           inv->month != MONTH_NONE ? month_format(mon, inv->month) : "");
  memset(&in, 0, sizeof(in));
  in.title = title;
  in.author = *tpl_get(c->t, "issuer.name") ? tpl_get(c->t, "issuer.name") : NULL;
  in.subject = subject;
  in.keywords = keywords;
  in.creator = "licbill";
  in.created = inv->issue_date;
  int rc = pdfa_prepare(c->doc, c->r->d.icc, &in);
  return rc ? rc : pdfdoc_rc(&c->r->d);
}

static int layout(pdfctx *c)
{
  const invoice *inv = c->inv;
  int rc = add_page(c);
  if(rc)
    return rc;
  set_columns(c);
  first_page_header(c);
  table_header(c);
  for(size_t i = 0; i < inv->nlines; i++) {
    const charge_line *l = &inv->lines[i];
    float h = line_block(c, l, 0);
    if(c->y - h < CONTENT_BOT) {
      rc = page_break(c, 1);
      if(rc)
        return rc;
    }
    line_block(c, l, 1);
    c->y -= h;
  }
  if(inv->prompt_pay_pct > 0 && (rc = prompt_pay_base(c)))
    return rc;
  float h = totals_block(c, 0);
  if(c->y - h < CONTENT_BOT) {
    rc = page_break(c, 0);
    if(rc)
      return rc;
  }
  totals_block(c, 1);
  footers(c);
  return pdfdoc_rc(&c->r->d);
}

int invoice_pdf_new(invoice_pdf **out, const lb_template *t)
{
  invoice_pdf *r = calloc(1, sizeof(*r));
  if(!r)
    return LB_ENOMEM;
  pdfdoc_init(&r->d, t);
  *out = r;
  return LB_OK;
}

void invoice_pdf_free(invoice_pdf *r)
{
  if(!r)
    return;
  pdfdoc_clear(&r->d);
  free(r);
}

int invoice_pdf_draw(invoice_pdf *r, const invoice *inv, unsigned char **pdf, size_t *len)
{
  int rc;
  pdfctx c;
  memset(&c, 0, sizeof(c));

  rc = pdfdoc_begin(&r->d);
  if(rc)
    goto out;
  c.r = r;
  c.t = r->d.t;
  c.inv = inv;
  c.doc = r->d.doc;
  c.size = !strcmp(tpl_get(c.t, "page.size"), "Letter") ? HPDF_PAGE_SIZE_LETTER : HPDF_PAGE_SIZE_A4;
  c.sep = tpl_get(c.t, "number.thousands_sep")[0];
  c.dec = tpl_get(c.t, "number.decimal_mark")[0];
  c.sym = tpl_currency_symbol(c.t, inv->currency);
  c.sym_after = !strcmp(tpl_get(c.t, "currency.position"), "after");

  HPDF_SetCompressionMode(c.doc, HPDF_COMP_ALL);
  rc = pdfdoc_fonts(&r->d, &c.f, &c.fb);
  if(rc)
    goto out;
  rc = set_info(&c);
  if(rc)
    goto out;
  rc = layout(&c);
  if(rc)
    goto out;
  rc = pdfdoc_end(&r->d, pdf, len);
out:
  free(c.pages);
  if(rc)
    pdfdoc_discard(&r->d);
  return rc;
}

int invoice_pdf_render(const lb_template *t, const invoice *inv, unsigned char **pdf, size_t *len)
{
  invoice_pdf *r = NULL;
  int rc = invoice_pdf_new(&r, t);
  if(rc)
    return rc;
  rc = invoice_pdf_draw(r, inv, pdf, len);
  invoice_pdf_free(r);
  return rc;
}
