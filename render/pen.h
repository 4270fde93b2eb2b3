/* pen.h - drawing text and rules on a libharu page, shared by the invoice and evidence renderers. */
#ifndef LB_PEN_H
#define LB_PEN_H

#include <hpdf.h>
#include <stddef.h>

#define PEN_ELLIPSIS "\u2026"

/* The page being drawn and the text state set on it, so that font, size and
 * gray are only emitted when they change (smaller, deterministic PDFs). */
typedef struct pen {
  HPDF_Page page;
  int in_text;    /* inside BT..ET */
  int turned;     /* that text object holds turned text (pen_put_turned) */
  HPDF_Font tf;   /* font of the current text object */
  float tsize;
  float tgray;
  int tmode;      /* text render mode set: 0 fill, 2 fill and stroke (synthetic bold), -1 unknown */
  float sgray, swidth; /* stroke gray and line width the synthetic bold last set; < 0 unknown */
  float grid;     /* > 0: every coordinate drawn is rounded to a multiple of it */
  char tmp[2048]; /* NUL-terminated copy of the span being drawn */
} pen;

/* Bytes of the UTF-8 sequence starting at p (1 for a stray byte). */
size_t pen_u8len(const char *p);
/* Width in points of s[0..n) / of s in font f at size. */
float pen_text_w(HPDF_Font f, float size, const char *s, size_t n);
float pen_str_w(HPDF_Font f, float size, const char *s);
/* v rounded to the pen's grid (v itself when the grid is 0). A grid of a
 * power of two such as 0.25 pt keeps coordinates exact in float, so the
 * page's numbers stay short and repeat, which deflate rewards. */
float pen_snap(const pen *p, float v);
/* Close an open text object (before drawing lines or shapes): the stroke
 * state the synthetic bold relies on is then unknown. */
void pen_text_end(pen *p);
/* Draw on page from now on, a fresh page or one drawn before (its text and
 * stroke state taken as unknown). */
void pen_set_page(pen *p, HPDF_Page page);
void pen_hline(pen *p, float xa, float xb, float y, float width, float gray);
void pen_fill_rect(pen *p, float x, float y, float w, float h, float gray);
/* Draw s[0..n) with its baseline at y, starting at x (align 0) or ending at
 * x (align 1); `ell` appends an ellipsis. Over-long text is cut on a UTF-8
 * boundary. f may be a synthetic bold (font_doc_fake_bold): drawn with its
 * base font, filled and stroked in the same gray. */
void pen_put(pen *p, HPDF_Font f, float size, float gray, float x, float y, const char *s, size_t n, int ell,
             int align);

/* Draw s turned a quarter left (reading upwards), starting at (x, y),
 * filled only: the amounts over a chart's bars. Turned texts drawn one
 * after another share a text object. */
void pen_put_turned(pen *p, HPDF_Font f, float size, float gray, float x, float y, const char *s);

/* Draw s across the page at 45°, centred on (cx, cy), in its own text
 * object: the DRAFT mark of a preview, drawn first so the page's text
 * stays on top. */
void pen_stamp(pen *p, HPDF_Font f, float size, float gray, float cx, float cy, const char *s);

#define PEN_WRAP_MAX 64

/* One wrapped line: s[0..n), and whether an ellipsis follows it. */
typedef struct pen_span {
  const char *s;
  size_t n;
  int ell;
} pen_span;

typedef struct pen_wrapped {
  pen_span l[PEN_WRAP_MAX];
  int n;
} pen_wrapped;

/* Wrap `text` to `width` points into w, appending at most max lines (breaks
 * at '\n', spaces and after any character of break_after; a longer word is
 * cut between characters); when text is left over the last line is shortened
 * and marked for an ellipsis. Lines point into text. */
void pen_wrap(HPDF_Font f, float size, float width, const char *text, int max, const char *break_after,
              pen_wrapped *w);

#endif
