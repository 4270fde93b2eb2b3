/* pdfcs.c - a page's content stream rewritten shorter: rounded numbers, no repeated state, joined text objects. */
#include "render/pdfcs.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

#define MAX_ARGS 16
#define MAX_DEPTH 32 /* q nesting followed; deeper, the state is forgotten */
#define DASH_MAX 64

typedef struct tok {
  const unsigned char *s;
  size_t n;
  int is_num;
  double v;
} tok;

/* The graphics state the rewriter follows; UNSET where unknown. */
#define UNSET INT64_MIN
typedef struct gstate {
  int64_t g, G, w; /* hundredths */
  const unsigned char *font; /* name token of the font in effect, NULL: unknown */
  size_t font_n;
  int64_t fsize;
  char dash[DASH_MAX]; /* "[3 2 ] 0" as written; "" unknown */
} gstate;

typedef struct writer {
  unsigned char *o;
  size_t len, cap;
  int full;
} writer;

static void put(writer *w, const void *p, size_t n)
{
  if(w->full || w->len + n > w->cap) {
    w->full = 1;
    return;
  }
  memcpy(w->o + w->len, p, n);
  w->len += n;
}

static int is_ws(unsigned char c) { return c == 0 || c == '\t' || c == '\n' || c == '\f' || c == '\r' || c == ' '; }
static int is_delim(unsigned char c) { return strchr("()<>[]{}/%", c) && c; }

static int64_t hundredths(double v) { return (int64_t)llround(v * 100.0); }

static void put_tok(writer *w, const tok *t)
{
  put(w, t->s, t->n);
  put(w, " ", 1);
}

/* m / 10^k as the shortest decimal: 0, 5, .35, -.5, 813.89 */
static void put_scaled(writer *w, int64_t m, int k)
{
  char buf[40], *e = buf + sizeof(buf), *p = e;
  int neg = m < 0;
  uint64_t u = neg ? (uint64_t)0 - (uint64_t)m : (uint64_t)m;
  while(k > 0 && u % 10 == 0) {
    u /= 10;
    k--;
  }
  for(int i = 0; i < k; i++, u /= 10)
    *--p = (char)('0' + u % 10);
  if(k)
    *--p = '.';
  if(u || !k)
    do {
      *--p = (char)('0' + u % 10);
      u /= 10;
    } while(u);
  if(neg && m)
    *--p = '-';
  put(w, p, (size_t)(e - p));
}

static void put_h(writer *w, int64_t h) { put_scaled(w, h, 2); }

/* A PDF number: [+-]digits[.digits] or [+-].digits. */
static int parse_num(const unsigned char *s, size_t n, double *v)
{
  size_t i = 0;
  int neg = 0, digits = 0;
  double x = 0, scale = 1;
  if(i < n && (s[i] == '+' || s[i] == '-'))
    neg = s[i++] == '-';
  for(; i < n && s[i] >= '0' && s[i] <= '9'; i++, digits++)
    x = x * 10 + (s[i] - '0');
  if(i < n && s[i] == '.')
    for(i++; i < n && s[i] >= '0' && s[i] <= '9'; i++, digits++)
      x += (s[i] - '0') * (scale /= 10);
  if(i != n || !digits)
    return 0;
  *v = neg ? -x : x;
  return 1;
}

/* The token at in[*i]; 0 at the end, -1 on one the rewriter does not read. */
static int next_tok(const unsigned char *in, size_t n, size_t *i, tok *t)
{
  size_t p = *i;
  while(p < n && is_ws(in[p]))
    p++;
  if(p >= n)
    return 0;
  size_t b = p;
  unsigned char c = in[p];
  if(c == '(') {
    int depth = 0;
    for(; p < n; p++) {
      if(in[p] == '\\')
        p++;
      else if(in[p] == '(')
        depth++;
      else if(in[p] == ')' && --depth == 0)
        break;
    }
    if(p >= n)
      return -1;
    p++;
  } else if(c == '[') {
    for(p++; p < n && in[p] != ']'; p++)
      if(in[p] == '(') {
        size_t q = p;
        tok inner;
        if(next_tok(in, n, &q, &inner) != 1)
          return -1;
        p = q - 1;
      } else if(in[p] == '[' || (in[p] == '<' && p + 1 < n && in[p + 1] == '<'))
        return -1;
    if(p >= n)
      return -1;
    p++;
  } else if(c == '<') {
    if(p + 1 < n && in[p + 1] == '<')
      return -1; /* a dictionary: inline image or marked content, not libharu's */
    while(p < n && in[p] != '>')
      p++;
    if(p >= n)
      return -1;
    p++;
  } else if(c == '/') {
    for(p++; p < n && !is_ws(in[p]) && !is_delim(in[p]); p++)
      ;
  } else if(is_delim(c)) {
    return -1;
  } else {
    while(p < n && !is_ws(in[p]) && !is_delim(in[p]))
      p++;
  }
  t->s = in + b;
  t->n = p - b;
  t->is_num = parse_num(t->s, t->n, &t->v);
  *i = p;
  return 1;
}

static int op_is(const tok *t, const char *name) { return t->n == strlen(name) && !memcmp(t->s, name, t->n); }

/* The operands, numbers rounded (round) or as written, then the operator. */
static void put_op(writer *w, const tok *args, int na, const tok *op, int round)
{
  for(int k = 0; k < na; k++) {
    if(round && args[k].is_num) {
      put_h(w, hundredths(args[k].v));
      put(w, " ", 1);
    } else
      put_tok(w, &args[k]);
  }
  put(w, op->s, op->n);
  put(w, "\n", 1);
}

/* Operators whose operands are coordinates, widths or grays: rounded. */
static int rounds(const tok *op)
{
  static const char *const names[] = {"m", "l", "c", "v", "y", "re", "w", "g", "G", NULL};
  for(int k = 0; names[k]; k++)
    if(op_is(op, names[k]))
      return 1;
  return 0;
}

/* Operators that change nothing the rewriter follows, allowed anywhere. */
static int plain(const tok *op)
{
  static const char *const names[] = {"m", "l", "c", "v", "y", "re", "h", "S", "s", "f", "F", "f*", "B", "B*", "b",
                                      "b*", "n", "W", "W*", "rg", "RG", "k", "K", "J", "j", "M", "i", "Tj", "TJ",
                                      "Tc", "Tw", "Tz", "Tr", "Ts", "Do", "sh", "ri", NULL};
  for(int k = 0; names[k]; k++)
    if(op_is(op, names[k]))
      return 1;
  return 0;
}

static const gstate unknown_state = {UNSET, UNSET, UNSET, NULL, 0, UNSET, ""};

size_t pdfcs_compact(const unsigned char *in, size_t n, unsigned char *out)
{
  writer w = {out, 0, pdfcs_bound(n), 0};
  gstate st = unknown_state, stack[MAX_DEPTH];
  int depth = 0, lost = 0;    /* lost: q deeper than MAX_DEPTH */
  int in_text = 0, need_abs = 0; /* inside BT..ET; joined to the one before, no Td or Tm yet */
  size_t et_at = SIZE_MAX;    /* where the last "ET\n" was written, while only state follows it */
  tok args[MAX_ARGS], t;
  int na = 0, r;
  size_t i = 0;
  while((r = next_tok(in, n, &i, &t)) == 1) {
    if(t.is_num || t.s[0] == '(' || t.s[0] == '[' || t.s[0] == '<' || t.s[0] == '/') {
      if(na == MAX_ARGS)
        goto verbatim;
      args[na++] = t;
      continue;
    }
    int state_op = 0; /* the op only sets state: an ET before it may still be joined */
    if(op_is(&t, "BT")) {
      if(na || in_text)
        goto verbatim;
      if(et_at != SIZE_MAX) { /* ET, state, BT: the state inside the one text object */
        memmove(out + et_at, out + et_at + 3, w.len - et_at - 3);
        w.len -= 3;
        need_abs = 1;
      } else
        put(&w, "BT\n", 3);
      in_text = 1;
      et_at = SIZE_MAX;
      na = 0;
      continue;
    } else if(op_is(&t, "ET")) {
      if(na || !in_text)
        goto verbatim;
      et_at = w.len;
      put(&w, "ET\n", 3);
      in_text = need_abs = 0;
      continue;
    } else if(op_is(&t, "Td") || op_is(&t, "Tm")) {
      if(!in_text)
        goto verbatim;
      if(need_abs && t.s[1] == 'd' && na == 2) { /* the first move of a joined text object: from the origin */
        put(&w, "1 0 0 1 ", 8);
        put_tok(&w, &args[0]);
        put_tok(&w, &args[1]);
        put(&w, "Tm\n", 3);
      } else {
        if(need_abs && t.s[1] == 'd')
          put(&w, "1 0 0 1 0 0 Tm\n", 15);
        put_op(&w, args, na, &t, 0);
      }
      need_abs = 0;
    } else if((op_is(&t, "g") || op_is(&t, "G") || op_is(&t, "w")) && na == 1 && args[0].is_num) {
      int64_t v = hundredths(args[0].v), *cur = t.s[0] == 'g' ? &st.g : t.s[0] == 'G' ? &st.G : &st.w;
      state_op = 1;
      if(*cur != v) {
        *cur = v;
        put_op(&w, args, na, &t, 1);
      }
    } else if(op_is(&t, "Tf") && na == 2 && args[0].s[0] == '/' && args[1].is_num) {
      int64_t v = hundredths(args[1].v);
      state_op = 1;
      if(!st.font || st.font_n != args[0].n || memcmp(st.font, args[0].s, args[0].n) || st.fsize != v) {
        st.font = args[0].s;
        st.font_n = args[0].n;
        st.fsize = v;
        put_op(&w, args, na, &t, 0);
      }
    } else if(op_is(&t, "d") && na == 2) {
      char d[DASH_MAX];
      state_op = 1;
      if(args[0].n + args[1].n + 2 > sizeof(d)) {
        st.dash[0] = '\0';
        put_op(&w, args, na, &t, 0);
      } else {
        memcpy(d, args[0].s, args[0].n);
        d[args[0].n] = ' ';
        memcpy(d + args[0].n + 1, args[1].s, args[1].n);
        d[args[0].n + 1 + args[1].n] = '\0';
        if(strcmp(d, st.dash)) {
          strcpy(st.dash, d);
          put_op(&w, args, na, &t, 0);
        }
      }
    } else if(op_is(&t, "q") && !na && !in_text) {
      if(depth < MAX_DEPTH)
        stack[depth] = st;
      else
        lost++;
      depth++;
      put_op(&w, args, 0, &t, 0);
    } else if(op_is(&t, "Q") && !na && !in_text) {
      if(!depth)
        goto verbatim;
      depth--;
      if(lost) {
        lost--;
        st = unknown_state;
      } else
        st = stack[depth];
      put_op(&w, args, 0, &t, 0);
    } else if(op_is(&t, "cm") && !in_text) {
      put_op(&w, args, na, &t, 0);
    } else if(plain(&t)) {
      if(need_abs && t.s[0] == 'T') { /* text shown before any move: at the origin */
        put(&w, "1 0 0 1 0 0 Tm\n", 15);
        need_abs = 0;
      }
      put_op(&w, args, na, &t, rounds(&t));
    } else
      goto verbatim; /* T*, ', ", BI, gs, BDC, ...: not libharu's page content */
    if(!state_op)
      et_at = SIZE_MAX;
    na = 0;
  }
  if(r < 0 || na || w.full)
    goto verbatim;
  return w.len;
verbatim:
  memcpy(out, in, n);
  return n;
}
