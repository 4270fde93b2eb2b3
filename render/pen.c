/* pen.c - text and rules on a libharu page with the text state kept between calls. */
#include "render/pen.h"

#include "render/font.h"

#include <math.h>
#include <string.h>

size_t pen_u8len(const char *p)
{
  unsigned char ch = (unsigned char)*p;
  size_t n = ch < 0xC0 ? 1 : ch < 0xE0 ? 2 : ch < 0xF0 ? 3 : 4;
  for(size_t i = 1; i < n; i++)
    if(!p[i] || ((unsigned char)p[i] & 0xC0) != 0x80)
      return i;
  return n;
}

float pen_text_w(HPDF_Font f, float size, const char *s, size_t n)
{
  if(!n)
    return 0;
  return (float)font_text_width(f, s, n) * size / 1000.0f;
}

float pen_str_w(HPDF_Font f, float size, const char *s) { return pen_text_w(f, size, s, strlen(s)); }

float pen_snap(const pen *p, float v) { return p->grid > 0 ? roundf(v / p->grid) * p->grid : v; }

void pen_text_end(pen *p)
{
  if(p->in_text) {
    HPDF_Page_EndText(p->page);
    p->in_text = 0;
  }
  p->turned = 0;
  p->sgray = p->swidth = -1;
}

/* Font, size and fill gray of the open text object, each set only when it changes. */
static void text_state(pen *p, HPDF_Font f, float size, float gray)
{
  if(p->tf != f || p->tsize != size) {
    HPDF_Page_SetFontAndSize(p->page, f, size);
    p->tf = f;
    p->tsize = size;
  }
  if(p->tgray != gray) {
    HPDF_Page_SetGrayFill(p->page, gray);
    p->tgray = gray;
  }
}

/* Text drawn filled only, as the text outside pen_put is. */
static void text_fill_only(pen *p)
{
  if(p->tmode != 0) {
    HPDF_Page_SetTextRenderingMode(p->page, HPDF_FILL);
    p->tmode = 0;
  }
}

void pen_set_page(pen *p, HPDF_Page page)
{
  pen_text_end(p);
  p->page = page;
  p->tf = NULL;
  p->tgray = -1;
  p->tmode = -1;
}

/* The stroke that makes the synthetic bold, in em: about the difference
 * between DejaVu Sans Bold's stems and the regular's, halved by the
 * stroke's two sides and kept on the light side. */
#define FAKE_BOLD_EM 0.065f

void pen_hline(pen *p, float xa, float xb, float y, float width, float gray)
{
  pen_text_end(p);
  HPDF_Page_SetGrayStroke(p->page, gray);
  HPDF_Page_SetLineWidth(p->page, width);
  HPDF_Page_MoveTo(p->page, pen_snap(p, xa), pen_snap(p, y));
  HPDF_Page_LineTo(p->page, pen_snap(p, xb), pen_snap(p, y));
  HPDF_Page_Stroke(p->page);
}

void pen_fill_rect(pen *p, float x, float y, float w, float h, float gray)
{
  pen_text_end(p);
  HPDF_Page_SetGrayFill(p->page, gray);
  p->tgray = gray;
  if(p->grid > 0) { /* both edges on the grid, so neighbouring boxes meet */
    float sx = pen_snap(p, x), sy = pen_snap(p, y);
    w = pen_snap(p, x + w) - sx;
    h = pen_snap(p, y + h) - sy;
    x = sx;
    y = sy;
  }
  HPDF_Page_Rectangle(p->page, x, y, w, h);
  HPDF_Page_Fill(p->page);
}

void pen_put(pen *p, HPDF_Font f, float size, float gray, float x, float y, const char *s, size_t n, int ell,
             int align)
{
  size_t room = sizeof(p->tmp) - sizeof(PEN_ELLIPSIS);
  if(n > room) {
    n = room;
    while(n && ((unsigned char)s[n] & 0xC0) == 0x80)
      n--; /* never split a UTF-8 sequence */
  }
  memcpy(p->tmp, s, n);
  p->tmp[n] = '\0';
  if(ell)
    strcat(p->tmp, PEN_ELLIPSIS);
  if(!p->tmp[0])
    return;
  if(align)
    x -= pen_str_w(f, size, p->tmp);
  HPDF_Font base = font_fake_bold_base(f);
  int mode = base ? 2 : 0;
  if(base)
    f = base;
  if(p->turned)
    pen_text_end(p); /* Td moves from the line's start: not from a turned text's */
  if(!p->in_text) {
    HPDF_Page_BeginText(p->page);
    p->in_text = 1;
    p->tf = NULL;
  }
  text_state(p, f, size, gray);
  if(p->tmode != mode) {
    HPDF_Page_SetTextRenderingMode(p->page, mode ? HPDF_FILL_THEN_STROKE : HPDF_FILL);
    p->tmode = mode;
  }
  if(mode) {
    float sw = roundf(size * FAKE_BOLD_EM * 100) / 100;
    if(p->sgray != gray) {
      HPDF_Page_SetGrayStroke(p->page, gray);
      p->sgray = gray;
    }
    if(p->swidth != sw) {
      HPDF_Page_SetLineWidth(p->page, sw);
      p->swidth = sw;
    }
  }
  HPDF_Page_TextOut(p->page, pen_snap(p, x), pen_snap(p, y), p->tmp);
}

/* Break at spaces and after the characters of break_after; cut a longer word between characters. */
void pen_wrap(HPDF_Font f, float size, float width, const char *text, int max, const char *break_after,
              pen_wrapped *w)
{
  const char *p = text;
  int limit = w->n + max < PEN_WRAP_MAX ? w->n + max : PEN_WRAP_MAX;
  while(*p && w->n < limit) {
    while(*p == ' ')
      p++;
    if(*p == '\n') {
      p++;
      continue;
    }
    if(!*p)
      break;
    const char *start = p, *brk = NULL, *next = NULL, *end;
    float x = 0;
    for(;;) {
      if(!*p || *p == '\n') {
        end = p;
        break;
      }
      size_t cl = pen_u8len(p);
      float cw = pen_text_w(f, size, p, cl);
      if(*p == ' ') {
        brk = p;
        next = p + 1;
      }
      if(x + cw > width && p > start) {
        if(brk) {
          end = brk;
          p = next;
        } else
          end = p;
        break;
      }
      x += cw;
      p += cl;
      if(strchr(break_after, p[-1])) {
        brk = p;
        next = p;
      }
    }
    while(end > start && end[-1] == ' ')
      end--;
    w->l[w->n].s = start;
    w->l[w->n].n = (size_t)(end - start);
    w->l[w->n].ell = 0;
    w->n++;
  }
  while(*p == ' ' || *p == '\n')
    p++;
  if(*p && w->n > 0) {
    pen_span *last = &w->l[w->n - 1];
    float ew = pen_text_w(f, size, PEN_ELLIPSIS, strlen(PEN_ELLIPSIS));
    while(last->n && pen_text_w(f, size, last->s, last->n) + ew > width) {
      last->n--;
      while(last->n && ((unsigned char)last->s[last->n] & 0xC0) == 0x80)
        last->n--;
    }
    last->ell = 1;
  }
}

void pen_put_turned(pen *p, HPDF_Font f, float size, float gray, float x, float y, const char *s)
{
  HPDF_Font base = font_fake_bold_base(f);
  if(base)
    f = base;
  if(!p->turned) { /* a text object of turned texts: each places itself (Tm), none moves from another (Td) */
    pen_text_end(p);
    HPDF_Page_BeginText(p->page);
    p->in_text = 1;
    p->turned = 1;
    p->tf = NULL;
    text_fill_only(p);
  }
  text_state(p, f, size, gray);
  HPDF_Page_SetTextMatrix(p->page, 0, 1, -1, 0, pen_snap(p, x), pen_snap(p, y));
  HPDF_Page_ShowText(p->page, s);
}

void pen_stamp(pen *p, HPDF_Font f, float size, float gray, float cx, float cy, const char *s)
{
  /* a quarter turn's half: cos 45° = sin 45° */
  const float k = 0.70710678f;
  float w = pen_str_w(f, size, s), h = size * 0.7f; /* cap height, about */
  pen_text_end(p);
  HPDF_Page_BeginText(p->page);
  text_fill_only(p);
  HPDF_Page_SetFontAndSize(p->page, font_fake_bold_base(f) ? font_fake_bold_base(f) : f, size);
  HPDF_Page_SetGrayFill(p->page, gray);
  /* the text's centre (w/2, h/2) in its own space lands on (cx, cy) */
  HPDF_Page_SetTextMatrix(p->page, k, k, -k, k, cx - k * (w / 2 - h / 2), cy - k * (w / 2 + h / 2));
  HPDF_Page_ShowText(p->page, s);
  HPDF_Page_EndText(p->page);
  p->tf = NULL;
  p->tgray = -1;
}
