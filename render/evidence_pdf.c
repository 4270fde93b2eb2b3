/* evidence_pdf.c - lays out the audit evidence of an invoice (derivations, charts, contents) and draws it with libharu.
 *
 * The derivation of a line is built once as text (sources, steps with what
 * each changed, price elements, arithmetic) and then either laid out on
 * pages or printed for a terminal, so both say the same. All arithmetic is
 * on money (int64, 1/10000) with the checked functions of rules/money.h;
 * floats appear only as drawing coordinates. Layout is measure-then-draw
 * like the invoice: every row is measured before it is drawn, so a row is
 * never cut by a page break. The contents pages are reserved first (their
 * size is known from the number of machines and lines) and filled in last,
 * when every page number is known, as are the "Page n of m" footers. */
#include "render/evidence_pdf.h"
#include "render/pdfdoc.h"
#include "render/pen.h"

#include <hpdf.h>
#include <hpdf_objects.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/money.h"
#include "render/pdfa.h"

/* Page geometry in points. */
#define MARGIN_X 42.0f
#define TOP_Y 50.0f       /* distance of the first content line from the top edge */
#define HEADER_Y 28.0f    /* baseline of the running header, from the top edge */
#define FOOTER_Y 26.0f
#define CONTENT_BOT 48.0f

#define SZ_H1 13.0f
#define SZ_H2 10.0f
#define PAD 3.0f

#define INK 0.0f
#define INK_SOFT 0.35f
#define RULE 0.75f
#define SHADE 0.9f

#define GRID 0.25f /* every coordinate on a quarter point: short numbers that repeat compress well */
#define WRAP_MAX PEN_WRAP_MAX
#define HIST 12 /* months per chart */
#define ELLIPSIS "\u2026"
#define EN_DASH "\u2013"
#define ARROW "\u2192"
#define TIMES "\u00d7"

struct evidence_pdf {
  pdfdoc d;
};

static const char *S(const char *s) { return s ? s : ""; }

/* ---- numbers -------------------------------------------------------------- */

typedef struct fmtopt {
  char sep, dec;          /* grouping (0: none) and decimal mark */
  const char *sym;        /* currency symbol */
  int sym_after;
  const char *months;     /* twelve names separated by spaces */
} fmtopt;

static char *fmt_count(const fmtopt *o, char *buf, long q)
{
  char d[24];
  unsigned long m = q < 0 ? 0UL - (unsigned long)q : (unsigned long)q;
  int n = snprintf(d, sizeof(d), "%lu", m), k = 0;
  if(q < 0)
    buf[k++] = '-';
  for(int i = 0; i < n; i++) {
    if(o->sep && i > 0 && (n - i) % 3 == 0)
      buf[k++] = o->sep;
    buf[k++] = d[i];
  }
  buf[k] = '\0';
  return buf;
}

/* 2 places, grouped. buf >= 48. */
static char *fmt2(const fmtopt *o, char *buf, money a) { return money_format_human(buf, a, o->sep, o->dec); }

/* All 4 places (exact intermediate values), grouped. buf >= 48. */
static char *fmt4(const fmtopt *o, char *buf, money a)
{
  uint64_t m = a < 0 ? (uint64_t)0 - (uint64_t)a : (uint64_t)a;
  char whole[32];
  long long w = (long long)(m / MONEY_SCALE);
  fmt_count(o, whole, (long)w);
  snprintf(buf, 48, "%s%s%c%04u", a < 0 ? "-" : "", whole, o->dec, (unsigned)(m % MONEY_SCALE));
  return buf;
}

/* A price: 2 places, more when it has fractions of a cent. buf >= 48. */
static char *fmt_price(const fmtopt *o, char *buf, money a)
{
  uint64_t m = a < 0 ? (uint64_t)0 - (uint64_t)a : (uint64_t)a;
  if(m % MONEY_CENT == 0)
    return fmt2(o, buf, a);
  fmt4(o, buf, a);
  size_t n = strlen(buf);
  if(buf[n - 1] == '0')
    buf[n - 1] = '\0';
  return buf;
}

/* With the currency symbol. buf >= 96. */
static char *fmt_money(const fmtopt *o, char *buf, money a)
{
  char num[48];
  fmt2(o, num, a);
  const char *digits = num[0] == '-' ? num + 1 : num, *neg = num[0] == '-' ? "-" : "";
  size_t sl = strlen(S(o->sym));
  char last = sl ? o->sym[sl - 1] : 0;
  int letter = (last >= 'A' && last <= 'Z') || (last >= 'a' && last <= 'z');
  if(!sl)
    snprintf(buf, 96, "%s%s", neg, digits);
  else if(o->sym_after)
    snprintf(buf, 96, "%s%s %s", neg, digits, o->sym);
  else
    snprintf(buf, 96, "%s%s%s%s", neg, o->sym, letter ? " " : "", digits);
  return buf;
}

/* A percentage in 1/10000 %, 3 places at least: 190000 -> "19.000". buf >= 40. */
static char *fmt_pct(const fmtopt *o, char *buf, money v)
{
  uint64_t m = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
  char frac[8];
  int nf = 4;
  snprintf(frac, sizeof(frac), "%04u", (unsigned)(m % 10000));
  while(nf > 3 && frac[nf - 1] == '0')
    nf--;
  frac[nf] = '\0';
  snprintf(buf, 40, "%s%llu%c%s", v < 0 ? "-" : "", (unsigned long long)(m / 10000), o->dec, frac);
  return buf;
}

/* The n-th (1-based) month name of the template. buf >= 48. */
static char *month_name(const fmtopt *o, char *buf, int n)
{
  const char *p = o->months;
  for(int i = 1;; i++) {
    while(*p == ' ' || *p == '\t')
      p++;
    size_t len = strcspn(p, " \t");
    if(i == n || !p[len]) {
      snprintf(buf, 48, "%.*s", (int)(len < 40 ? len : 40), p);
      return buf;
    }
    p += len;
  }
}

/* "5 Nov 2026"; an en dash for no date. buf >= 64. */
static char *fmt_date(const fmtopt *o, char *buf, lb_date d)
{
  int y, m, day;
  char mn[48];
  if(d == DATE_NONE)
    return strcpy(buf, EN_DASH);
  date_to_ymd(d, &y, &m, &day);
  snprintf(buf, 64, "%d %s %d", day, month_name(o, mn, m), y);
  return buf;
}

/* ---- the derivation as text ------------------------------------------------ */

/* A growing list of strings owned by the list. */
typedef struct strs {
  char **v;
  size_t n, cap;
  int oom;
} strs;

static void strs_add(strs *l, const char *s)
{
  if(l->oom)
    return;
  if(l->n == l->cap) {
    size_t nc = l->cap ? l->cap * 2 : 8;
    char **nv = realloc(l->v, nc * sizeof(*nv));
    if(!nv) {
      l->oom = 1;
      return;
    }
    l->v = nv;
    l->cap = nc;
  }
  if(!(l->v[l->n] = strdup(s)))
    l->oom = 1;
  else
    l->n++;
}

static void strs_clear(strs *l)
{
  for(size_t i = 0; i < l->n; i++)
    free(l->v[i]);
  free(l->v);
  memset(l, 0, sizeof(*l));
}

static int strs_has(const strs *l, const char *s)
{
  for(size_t i = 0; i < l->n; i++)
    if(!strcmp(l->v[i], s))
      return 1;
  return 0;
}

/* A step's value as the steps table compares it: a count with its unit, a
 * decimal, or words (from the value's type, never from its text). */
typedef struct val {
  int kind;      /* 0 none, 1 count with unit, 2 decimal, 3 word */
  long count;
  money dec;
  char unit[24];
} val;

static val val_of(const audit_value *a)
{
  val v;
  memset(&v, 0, sizeof(v));
  switch(a->kind) {
  case VAL_QTY:
    v.kind = 1;
    v.count = (long)a->num;
    snprintf(v.unit, sizeof(v.unit), "%s", S(a->text));
    break;
  case VAL_DECIMAL:
    /* a whole measured quantity with a unit is a count; a fraction with a unit reads as words */
    if(a->text && a->num % MONEY_SCALE == 0) {
      v.kind = 1;
      v.count = (long)(a->num / MONEY_SCALE);
      snprintf(v.unit, sizeof(v.unit), "%s", a->text);
    } else if(a->text)
      v.kind = 3;
    else {
      v.kind = 2;
      v.dec = a->num;
    }
    break;
  case VAL_PERCENT:
    if(a->num % MONEY_SCALE == 0) {
      v.kind = 1;
      v.count = (long)(a->num / MONEY_SCALE);
      snprintf(v.unit, sizeof(v.unit), "%%");
    } else
      v.kind = 3;
    break;
  case VAL_MONEY:
    v.kind = 2;
    v.dec = a->num;
    break;
  case VAL_TEXT: v.kind = 3; break;
  case VAL_NONE:
  default: break;
  }
  return v;
}

/* One audit step as the steps table shows it. */
typedef struct step_view {
  const audit_step *a;
  char value[AUDIT_VALUE_MAX]; /* the value as audit.csv writes it */
  char *inputs;                /* the refs as audit.csv writes them (owned) */
  val v;
  char change[2 * AUDIT_VALUE_MAX + 40]; /* what the step changed, in words */
} step_view;

/* The view of step a: its value and refs rendered, its value classified. LB_OK or LB_ENOMEM. */
static int step_view_init(step_view *sv, const audit_step *a)
{
  sv->a = a;
  audit_value_format(sv->value, sizeof(sv->value), &a->value);
  sv->v = val_of(&a->value);
  return (sv->inputs = audit_inputs_text(a)) ? LB_OK : LB_ENOMEM;
}

/* One row of the arithmetic: "3 MSUs × 104.0000" = "312.0000". */
typedef struct arith_row {
  char left[200];
  char right[96];
  int strong; /* the result row */
} arith_row;

/* Everything said about one invoice line. */
typedef struct deriv {
  const charge_line *l;
  strs src;          /* where the quantity came from */
  strs inputs;       /* every input reference of the steps, in order, once */
  step_view *steps;
  size_t nsteps;
  char book[400];    /* the price book used, "" when the steps name none */
  arith_row *ar;     /* room for the line's tiers and six more rows */
  size_t nar;
  size_t ntier_rows; /* the first rows of ar, one per tier (0 when not all could be computed) */
  char check[300];   /* a recomputation that disagrees with the invoice, "" when it agrees */
} deriv;

static void deriv_clear(deriv *d)
{
  strs_clear(&d->src);
  strs_clear(&d->inputs);
  for(size_t i = 0; d->steps && i < d->nsteps; i++)
    free(d->steps[i].inputs);
  free(d->steps);
  free(d->ar);
  memset(d, 0, sizeof(*d));
}

static int val_eq(const val *a, const val *b, const char *sa, const char *sb)
{
  if(a->kind != b->kind)
    return 0;
  if(a->kind == 1)
    return a->count == b->count && !strcmp(a->unit, b->unit);
  if(a->kind == 2)
    return a->dec == b->dec;
  return !strcmp(S(sa), S(sb));
}

/* The first SCRT report a step's inputs name ("scrt/X.csv"); NULL when none. */
static const char *step_report(const audit_step *a)
{
  for(size_t i = 0; i < a->nrefs; i++)
    if(a->refs[i].kind == SRC_SCRT && a->refs[i].name && *a->refs[i].name)
      return a->refs[i].name;
  return NULL;
}

/* 1 when steps a and b take their figures from two different SCRT reports (two machines). */
static int other_machine(const audit_step *a, const audit_step *b)
{
  const char *ra = step_report(a), *rb = step_report(b);
  return ra && rb && strcmp(ra, rb);
}

/* What each step changed: derived from the values the steps produced, with
 * a sum spelled out where the value is the sum of the per-machine figures
 * just before it (R-W8). */
static void describe_changes(deriv *d)
{
  const char *prev = NULL;
  val pv;
  memset(&pv, 0, sizeof(pv));
  for(size_t i = 0; i < d->nsteps; i++) {
    const audit_step *a = d->steps[i].a;
    const char *value = d->steps[i].value;
    char *out = d->steps[i].change;
    size_t cap = sizeof(d->steps[i].change);
    val v = d->steps[i].v;
    out[0] = '\0';
    if(!*value) {
      snprintf(out, cap, EN_DASH);
      continue;
    }
    if(v.kind == 1 && i >= 2) {
      /* the counts with the same unit directly before this step */
      long sum = 0;
      size_t k = i, parts = 0;
      while(k > 0) {
        const val *pk = &d->steps[k - 1].v;
        if(pk->kind != 1 || strcmp(pk->unit, v.unit))
          break;
        sum += pk->count;
        parts++;
        k--;
      }
      if(parts >= 2 && sum == v.count && (a->rule == R_W8 || parts == 2)) {
        size_t o = 0;
        for(size_t j = k; j < i && o < cap; j++)
          o += (size_t)snprintf(out + o, cap - o, "%s%ld", j > k ? " + " : "", d->steps[j].v.count);
        if(o < cap)
          snprintf(out + o, cap - o, " = %ld %s", v.count, v.unit);
        prev = value;
        pv = v;
        continue;
      }
    }
    if(!prev || (pv.kind == 3 && v.kind != 3))
      snprintf(out, cap, "sets %s", value);
    else if(v.kind == 1 && pv.kind == 1 && other_machine(d->steps[i - 1].a, a))
      snprintf(out, cap, "sets %s for another machine", value);
    else if(val_eq(&pv, &v, prev, value))
      snprintf(out, cap, "no change (%s)", value);
    else if(pv.kind == 1 && v.kind == 1)
      snprintf(out, cap, "%s " ARROW " %s", prev, value);
    else if(pv.kind == 1 && v.kind == 2)
      snprintf(out, cap, "prices %s: %s", prev, value);
    else if(pv.kind == 2 && v.kind == 2)
      snprintf(out, cap, "%s " ARROW " %s", prev, value);
    else
      snprintf(out, cap, ARROW " %s", value);
    prev = value;
    pv = v;
  }
}

/* The report whose path ends with `file` ("scrt/X.csv"), or NULL. */
static const scrt_report *find_report(const evidence_input *in, const char *file, size_t flen)
{
  for(size_t i = 0; i < in->nreports; i++) {
    const scrt_report *r = in->reports ? in->reports[i] : NULL;
    if(!r || !r->path)
      continue;
    size_t pl = strlen(r->path);
    if(pl >= flen && !memcmp(r->path + pl - flen, file, flen) && (pl == flen || r->path[pl - flen - 1] == '/'))
      return r;
  }
  return NULL;
}

/* "section E5 (PRODUCT SUMMARY INFORMATION)" for a line of the report. */
static const char *section_of(const scrt_report *r, long line)
{
  long e5 = r->e5_line, n5 = r->n5_line;
  int in_e5 = e5 && line > e5 && !(n5 > e5 && line > n5);
  int in_n5 = n5 && line > n5 && !(e5 > n5 && line > e5);
  return in_e5 ? "section E5 (PRODUCT SUMMARY INFORMATION)" : in_n5 ? "section N5 (DETAIL LPAR DATA)" : "";
}

/* Sentences about one SCRT reference "scrt/X.csv:N" (or the whole file). */
/* The SCRT reports whose facts (machine, capacity, period, LPAR peaks) a
 * document has shown, each with the invoice line under which it did: the
 * facts are said once, later lines point there. */
typedef struct shown_report {
  const scrt_report *r;
  int line;
} shown_report;

typedef struct shown_reports {
  shown_report *v;
  size_t n, cap;
  int oom;
} shown_reports;

static void shown_clear(shown_reports *s)
{
  free(s->v);
  memset(s, 0, sizeof(*s));
}

/* The line under which r's facts were shown, 0 when not yet (then r is
 * recorded as shown under `line`). */
static int shown_at(shown_reports *s, const scrt_report *r, int line)
{
  for(size_t i = 0; i < s->n; i++)
    if(s->v[i].r == r)
      return s->v[i].line;
  if(s->n == s->cap) {
    size_t nc = s->cap ? 2 * s->cap : 8;
    shown_report *nv = realloc(s->v, nc * sizeof(*nv));
    if(!nv) {
      s->oom = 1;
      return 0;
    }
    s->v = nv;
    s->cap = nc;
  }
  s->v[s->n++] = (shown_report){r, line};
  return 0;
}

static void describe_scrt(const evidence_input *in, const fmtopt *o, const char *file, size_t flen, long line,
                          const audit_step *a, shown_reports *shown, deriv *d)
{
  char buf[2048], d1[64], d2[64], cnt[32];
  const scrt_report *r = find_report(in, file, flen);
  size_t n = 0;
  if(!r) {
    if(line > 0)
      snprintf(buf, sizeof(buf), "SCRT report %.*s, row %ld, as step %d (%s) names it: %s", (int)flen, file, line,
               a->step, rule_id_text(a->rule), S(a->detail));
    else
      snprintf(buf, sizeof(buf), "SCRT report %.*s as a whole, as step %d (%s) names it: %s", (int)flen, file,
               a->step, rule_id_text(a->rule), S(a->detail));
    strs_add(&d->src, buf);
    return;
  }
  if(line > 0) {
    const scrt_product *p = NULL;
    for(size_t i = 0; i < r->nproducts; i++)
      if(r->products[i].line == line)
        p = &r->products[i];
    const char *sec = section_of(r, line);
    n = (size_t)snprintf(buf, sizeof(buf), "SCRT report %.*s, row %ld%s%s", (int)flen, file, line, *sec ? ", " : "",
                         sec);
    if(p && n < sizeof(buf)) {
      char cu[48];
      if(p->customer_msu >= 0)
        snprintf(cu, sizeof(cu), "%s", fmt_count(o, cnt, (long)p->customer_msu));
      else
        snprintf(cu, sizeof(cu), "none");
      n += (size_t)snprintf(buf + n, sizeof(buf) - n, ": product %s \u201c%s\u201d, Tool %s %s, Customer %s %s",
                            S(p->product_id), S(p->name), p->is_units ? "Units" : "MSUs",
                            fmt_count(o, cnt, (long)p->tool_msu), p->is_units ? "Units" : "MSUs", cu);
      if(p->customer_msu >= 0 && p->comment && *p->comment && n < sizeof(buf))
        n += (size_t)snprintf(buf + n, sizeof(buf) - n, " (comment: \u201c%s\u201d)", p->comment);
    } else if(!p) {
      for(size_t i = 0; i < r->nlpars; i++)
        if(r->lpars[i].line == line && n < sizeof(buf))
          n += (size_t)snprintf(buf + n, sizeof(buf) - n, ": LPAR %s, %s MSUs at %s", S(r->lpars[i].name),
                                fmt_count(o, cnt, (long)r->lpars[i].msu), S(r->lpars[i].when));
      if(r->cpc_line == line && n < sizeof(buf))
        n += (size_t)snprintf(buf + n, sizeof(buf) - n, ": machine peak (CPC) %s MSUs",
                              fmt_count(o, cnt, (long)r->cpc_msu));
    }
  } else
    n = (size_t)snprintf(buf, sizeof(buf), "SCRT report %.*s as a whole (%s)", (int)flen, file, S(a->detail));

  /* the report's facts and LPAR peaks, once per document (or per line for a terminal) */
  int at = shown_at(shown, r, d->l->line);
  if(at && at != d->l->line && n < sizeof(buf))
    snprintf(buf + n, sizeof(buf) - n, "; the report's machine, capacity, period and LPAR peaks are under line %d", at);
  strs_add(&d->src, buf);
  if(at)
    return;
  n = (size_t)snprintf(buf, sizeof(buf), "Report %.*s: machine %s (%s)", (int)flen, file, S(r->serial),
                       S(r->type_model));
  if(r->rated_msu >= 0 && n < sizeof(buf))
    n += (size_t)snprintf(buf + n, sizeof(buf) - n, ", rated capacity %s MSUs", fmt_count(o, cnt, (long)r->rated_msu));
  if(r->period_start != DATE_NONE && n < sizeof(buf))
    n += (size_t)snprintf(buf + n, sizeof(buf) - n, ", reporting period %s " EN_DASH " %s (%d days)",
                          fmt_date(o, d1, r->period_start), fmt_date(o, d2, r->period_end), r->period_days);
  if(r->tool_release && n < sizeof(buf))
    n += (size_t)snprintf(buf + n, sizeof(buf) - n, ", SCRT release %s", r->tool_release);
  if(r->run_datetime && n < sizeof(buf))
    n += (size_t)snprintf(buf + n, sizeof(buf) - n, ", run %s", r->run_datetime);
  strs_add(&d->src, buf);
  if(r->nlpars || r->cpc_msu >= 0) {
    if(r->n5_line)
      n = (size_t)snprintf(buf, sizeof(buf), "LPAR peaks (section N5 DETAIL LPAR DATA from row %ld, highest rolling "
                           "4-hour average): ", r->n5_line);
    else
      n = (size_t)snprintf(buf, sizeof(buf), "LPAR peaks (highest rolling 4-hour average): ");
    for(size_t i = 0; i < r->nlpars && n < sizeof(buf); i++)
      n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s%s %s MSUs at %s", i ? "; " : "", S(r->lpars[i].name),
                            fmt_count(o, cnt, (long)r->lpars[i].msu), S(r->lpars[i].when));
    if(r->cpc_msu >= 0 && n < sizeof(buf))
      n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%smachine peak (CPC) %s MSUs (row %ld)", r->nlpars ? "; " : "",
                            fmt_count(o, cnt, (long)r->cpc_msu), r->cpc_line);
    strs_add(&d->src, buf);
  }
}

/* Build the derivation of line l. LB_OK or LB_ENOMEM. */
static int deriv_build(deriv *d, const evidence_input *in, const fmtopt *o, const charge_line *l,
                       shown_reports *shown)
{
  const invoice *inv = in->inv;
  strs seen_refs = {0};
  shown_reports mine = {0};
  if(!shown)
    shown = &mine;
  char buf[512], a1[48], a2[48], a3[48];
  memset(d, 0, sizeof(*d));
  d->l = l;
  for(size_t i = 0; i < inv->naudit; i++)
    if(inv->audit[i].line == l->line)
      d->nsteps++;
  d->steps = calloc(d->nsteps + 1, sizeof(*d->steps));
  d->ar = calloc((size_t)(l->ntiers > 0 ? l->ntiers : 0) + 6, sizeof(*d->ar));
  if(!d->steps || !d->ar)
    return LB_ENOMEM;
  d->nsteps = 0;
  for(size_t i = 0; i < inv->naudit; i++) {
    const audit_step *a = &inv->audit[i];
    if(a->line != l->line)
      continue;
    if(step_view_init(&d->steps[d->nsteps++], a))
      return LB_ENOMEM;
    /* references, each once, and what the SCRT ones point at */
    for(size_t k = 0; k < a->nrefs; k++) {
      const input_ref *f = &a->refs[k];
      char ref[256];
      input_ref_format(ref, sizeof(ref), f);
      if(*ref && !strs_has(&seen_refs, ref)) {
        strs_add(&seen_refs, ref);
        strs_add(&d->inputs, ref);
        if(f->kind == SRC_SCRT)
          describe_scrt(in, o, f->name, strlen(f->name), f->line, a, shown, d);
      }
      /* the price book: the first step that prices from a prices.csv row */
      if(f->kind == SRC_PRICES && !d->book[0]) {
        char eff[16];
        if(f->effective != DATE_NONE)
          date_format(eff, f->effective);
        snprintf(d->book, sizeof(d->book), "price book row %s: %s %s %s%s%s", ref, S(l->product_id),
                 line_charge_type(l), S(inv->currency), f->effective != DATE_NONE ? ", effective " : "",
                 f->effective != DATE_NONE ? eff : "");
      }
    }
  }
  int oom = shown->oom;
  shown_clear(&mine);
  strs_clear(&seen_refs);
  if(oom)
    return LB_ENOMEM;
  if(!d->src.n && !d->src.oom) {
    /* no SCRT row: say where the quantity came from as the first quantity step says */
    for(size_t i = 0; i < d->nsteps; i++) {
      if(d->steps[i].v.kind == 1) {
        snprintf(buf, sizeof(buf), "No SCRT row: step %d (%s) gives %s: %s", d->steps[i].a->step,
                 rule_id_text(d->steps[i].a->rule), d->steps[i].value, S(d->steps[i].a->detail));
        strs_add(&d->src, buf);
        break;
      }
    }
    if(!d->src.n) {
      snprintf(buf, sizeof(buf), "No SCRT report: %s %s %s as the license and price book give it", fmt_count(o, a1, l->quantity),
               S(l->unit), l->has_unit_price ? "at a fixed price" : "");
      strs_add(&d->src, buf);
    }
  }
  describe_changes(d);

  /* the arithmetic, exact, in money units */
  money sum = 0, t;
  int ok = 1;
  int ntiers = l->ntiers < 0 ? 0 : l->ntiers;
  if(ntiers > 0) {
    for(int k = 0; k < ntiers && ok; k++) {
      const tier_part *tp = &l->tiers[k];
      arith_row *r = &d->ar[d->nar++];
      char from[32], to[32];
      fmt_count(o, from, tp->from_qty);
      char cnt[32];
      if(tp->to_qty < 0)
        snprintf(to, sizeof(to), "+");
      else
        snprintf(to, sizeof(to), EN_DASH "%s", fmt_count(o, cnt, tp->to_qty));
      ok = !money_mul_int(&t, tp->unit_price, tp->qty);
      if(ok && tp->fixed_price)
        ok = !money_add(&t, t, tp->fixed_price);
      if(tp->fixed_price)
        snprintf(r->left, sizeof(r->left), "tier %s%s %s: %s %s " TIMES " %s + base %s", from, to, S(l->unit),
                 fmt_count(o, a1, tp->qty), S(l->unit), fmt_price(o, a2, tp->unit_price),
                 fmt_price(o, a3, tp->fixed_price));
      else
        snprintf(r->left, sizeof(r->left), "tier %s%s %s: %s %s " TIMES " %s", from, to, S(l->unit),
                 fmt_count(o, a1, tp->qty), S(l->unit), fmt_price(o, a2, tp->unit_price));
      if(ok) {
        fmt4(o, r->right, t);
        ok = !money_add(&sum, sum, t);
      }
    }
    if(ok) {
      d->ntier_rows = d->nar;
      arith_row *r = &d->ar[d->nar++];
      snprintf(r->left, sizeof(r->left), "sum over the tiers (%s %s)", fmt_count(o, a1, l->quantity), S(l->unit));
      fmt4(o, r->right, sum);
    }
  } else if(l->has_unit_price) {
    arith_row *r = &d->ar[d->nar++];
    ok = !money_mul_int(&sum, l->unit_price, l->quantity);
    snprintf(r->left, sizeof(r->left), "%s %s " TIMES " %s", fmt_count(o, a1, l->quantity), S(l->unit),
             fmt_price(o, a2, l->unit_price));
    if(ok)
      fmt4(o, r->right, sum);
  } else
    ok = 0;
  if(ok) {
    money rounded;
    arith_row *r = &d->ar[d->nar++];
    ok = !money_round_cent(&rounded, sum);
    snprintf(r->left, sizeof(r->left), "rounded half away from zero to the cent (R-0.1)");
    if(ok) {
      fmt2(o, r->right, rounded);
      if(rounded != l->amount)
        snprintf(d->check, sizeof(d->check), "Recomputing from the price elements gives %s, the invoice line says %s: "
                 "the steps above (caps, minimums, reductions) explain the difference.", fmt2(o, a1, rounded),
                 fmt2(o, a2, l->amount));
    }
  }
  if(!ok && !d->nar) {
    arith_row *r = &d->ar[d->nar++];
    snprintf(r->left, sizeof(r->left), "amount as the steps above give it");
    fmt2(o, r->right, l->amount);
  }
  arith_row *r = &d->ar[d->nar++];
  snprintf(r->left, sizeof(r->left), "line %d amount (%s)", l->line, S(inv->currency));
  fmt_money(o, r->right, l->amount);
  r->strong = 1;
  return d->src.oom || d->inputs.oom ? LB_ENOMEM : LB_OK;
}

/* ---- machines: the invoice lines grouped as the contents lists them -------- */

typedef struct group {
  const char *serial;     /* the lines' serial string */
  size_t first;           /* index of its first line */
  size_t *lines;          /* indexes into inv->lines */
  size_t n;
  int page;               /* page index where it starts */
} group;

static int make_groups(const invoice *inv, group **out, size_t *n)
{
  group *g = calloc(inv->nlines + 1, sizeof(*g));
  size_t ng = 0;
  if(!g)
    return LB_ENOMEM;
  for(size_t i = 0; i < inv->nlines; i++) {
    const char *s = S(inv->lines[i].serial);
    size_t k = 0;
    while(k < ng && strcmp(g[k].serial, s))
      k++;
    if(k == ng) {
      g[ng].serial = s;
      g[ng].first = i;
      g[ng].lines = calloc(inv->nlines, sizeof(size_t));
      if(!g[ng].lines) {
        for(size_t j = 0; j < ng; j++)
          free(g[j].lines);
        free(g);
        return LB_ENOMEM;
      }
      ng++;
    }
    g[k].lines[g[k].n++] = i;
  }
  *out = g;
  *n = ng;
  return LB_OK;
}

static void free_groups(group *g, size_t n)
{
  for(size_t i = 0; g && i < n; i++)
    free(g[i].lines);
  free(g);
}

/* "Machine 82-C5DC8 (3931-609)" or "Sysplex PLEXDE: 82-C5DC8 + 82-C5DC9". */
static void group_title(const invoice *inv, const group *g, char *buf, size_t cap)
{
  const charge_line *l = &inv->lines[g->first];
  if(l->sysplex && strchr(S(l->serial), '+')) {
    size_t o = (size_t)snprintf(buf, cap, "Sysplex %s: ", l->sysplex);
    for(const char *p = S(l->serial); *p && o + 4 < cap; p++) {
      if(*p == '+')
        o += (size_t)snprintf(buf + o, cap - o, " + ");
      else
        buf[o++] = *p;
    }
    buf[o < cap ? o : cap - 1] = '\0';
    if(o < cap)
      snprintf(buf + o, cap - o, " (%s)", S(l->type_model));
  } else
    snprintf(buf, cap, "Machine %s (%s)", S(l->serial), S(l->type_model));
}

/* ---- history for the charts ------------------------------------------------ */

typedef struct hpoint {
  int have;       /* billed that month */
  long msus;
  long cap;       /* < 0 unknown */
  money amount;
} hpoint;

static int unit_is_msus(const charge_line *l) { return l->unit && !strcmp(l->unit, "MSUs"); }

/* The rated capacity the reports give for the serials of a line ("A+B" sums), -1 when unknown. */
static long reported_capacity(const evidence_input *in, const char *serials)
{
  long sum = 0;
  const char *p = S(serials);
  while(*p) {
    size_t n = strcspn(p, "+");
    long found = -1;
    for(size_t i = 0; i < in->nreports && found < 0; i++) {
      const scrt_report *r = in->reports ? in->reports[i] : NULL;
      if(r && r->serial && strlen(r->serial) == n && !memcmp(r->serial, p, n) && r->rated_msu >= 0)
        found = (long)r->rated_msu;
    }
    if(found < 0)
      return -1;
    sum += found;
    p += n;
    if(*p == '+')
      p++;
  }
  return sum;
}

static void line_history(const evidence_input *in, const charge_line *l, hpoint h[HIST])
{
  lb_month m0 = in->inv->month - (HIST - 1);
  memset(h, 0, sizeof(hpoint) * HIST);
  for(int i = 0; i < HIST; i++)
    h[i].cap = -1;
  for(size_t s = 0; in->series && s < in->nseries; s++) {
    const evidence_series *se = &in->series[s];
    if(strcmp(S(se->serial), S(l->serial)) || strcmp(S(se->product_id), S(l->product_id)))
      continue;
    for(size_t k = 0; k < se->nmonths; k++) {
      const evidence_history *e = &se->months[k];
      if(e->month < m0 || e->month > in->inv->month)
        continue;
      hpoint *p = &h[e->month - m0];
      if(e->msus >= 0) {
        p->have = 1;
        p->msus = e->msus;
        p->amount = e->amount;
      }
      if(e->capacity >= 0)
        p->cap = e->capacity;
    }
  }
  /* this month is the invoice itself */
  hpoint *cur = &h[HIST - 1];
  cur->have = 1;
  cur->msus = l->quantity;
  cur->amount = l->amount;
  if(cur->cap < 0)
    cur->cap = reported_capacity(in, l->serial);
}

/* ---- drawing primitives ---------------------------------------------------- */

typedef pen_span span;
typedef pen_wrapped wrapped;

/* An entry of the contents. */
typedef struct toc_entry {
  int level;          /* 0 machine / totals, 1 line */
  char title[400];
  char right[96];     /* amount of a line, "" otherwise */
  int page;           /* page index */
  float y;            /* top of its heading on that page */
} toc_entry;

typedef struct ectx {
  evidence_pdf *r;
  const lb_template *t;
  const evidence_input *in;
  const invoice *inv;
  fmtopt o;
  HPDF_Doc doc;
  HPDF_Font f, fb;
  HPDF_PageSizes size;
  pen p;                  /* the page being drawn on and its text state */
  HPDF_Page *pages;
  size_t npages, pagecap;
  size_t cur;             /* index of c->p.page */
  float pw, ph, x0, x1, y;
  char cont[256];         /* what a page break repeats at the top ("Line 2 ... (continued)") */
  int table;              /* 1: the steps table is open, its header is repeated after a break */
  toc_entry *toc;
  size_t ntoc;
  shown_reports shown;    /* the SCRT reports whose facts are shown, and where */
  rule_set cited;         /* the rules the document cites: the last section says each in words */
} ectx;

/* A coordinate on the page's grid (GRID). */
#define Q(v) pen_snap(&c->p, (v))

static void puts_at(ectx *c, HPDF_Font f, float size, float gray, float x, float y, const char *s, int align)
{
  pen_put(&c->p, f, size, gray, x, y, s, strlen(s), 0, align);
}

/* Wrap `text` into w, breaking after +/;, as well as at spaces (pen_wrap). */
static void wrap_add(HPDF_Font f, float size, float width, const char *text, int max, wrapped *w)
{
  pen_wrap(f, size, width, text, max, "+/;,", w);
}

/* One cell of a row: text wrapped in [x, x+w). */
typedef struct cell {
  const char *s;
  HPDF_Font f;
  float size, lh, gray;
  float x, w;
  int right;   /* right-aligned */
  int max;     /* most lines, 0: as many as needed */
  wrapped wr;
} cell;

/* Draw the first wrapped line of a measured cell at baseline y. */
static void put_first(ectx *c, const cell *cs, float x, float y, int align)
{
  if(cs->wr.n)
    pen_put(&c->p, cs->f, cs->size, cs->gray, x, y, cs->wr.l[0].s, cs->wr.l[0].n, cs->wr.l[0].ell, align);
}

/* Height of a row of cells (wraps them). */
static float row_measure(cell *cs, int n)
{
  float h = 0;
  for(int i = 0; i < n; i++) {
    cs[i].wr.n = 0;
    wrap_add(cs[i].f, cs[i].size, cs[i].w, S(cs[i].s), cs[i].max ? cs[i].max : WRAP_MAX, &cs[i].wr);
    float hi = cs[i].lh * (float)(cs[i].wr.n ? cs[i].wr.n : 1);
    if(hi > h)
      h = hi;
  }
  return h + 2 * PAD;
}

static void row_draw(ectx *c, cell *cs, int n, float top)
{
  for(int i = 0; i < n; i++)
    for(int k = 0; k < cs[i].wr.n; k++) {
      float y = top - PAD - cs[i].size * 0.85f - cs[i].lh * (float)k;
      const span *sp = &cs[i].wr.l[k];
      pen_put(&c->p, cs[i].f, cs[i].size, cs[i].gray, cs[i].right ? cs[i].x + cs[i].w : cs[i].x, y, sp->s, sp->n, sp->ell,
          cs[i].right);
    }
}

/* ---- pages ------------------------------------------------------------------ */

static void running_header(ectx *c)
{
  char buf[512];
  snprintf(buf, sizeof(buf), "Audit evidence \u00b7 %s %s", c->inv->is_credit_note ? "credit note" : "invoice",
           S(c->inv->number));
  puts_at(c, c->fb, 7.5f, INK_SOFT, c->x0, c->ph - HEADER_Y, buf, 0);
  cell cs = {S(c->inv->customer_name), c->f, 7.5f, 9, INK_SOFT, c->x0 + (c->x1 - c->x0) * 0.45f,
             (c->x1 - c->x0) * 0.55f, 1, 1, {{{0}}, 0}};
  row_measure(&cs, 1);
  for(int k = 0; k < cs.wr.n; k++)
    pen_put(&c->p, c->f, 7.5f, INK_SOFT, c->x1, c->ph - HEADER_Y, cs.wr.l[k].s, cs.wr.l[k].n, cs.wr.l[k].ell, 1);
  pen_hline(&c->p, c->x0, c->x1, c->ph - HEADER_Y - 4, 0.4f, RULE);
}

static int add_page(ectx *c)
{
  pen_text_end(&c->p);
  if(c->npages == c->pagecap) {
    size_t nc = c->pagecap ? c->pagecap * 2 : 8;
    HPDF_Page *np = realloc(c->pages, nc * sizeof(*np));
    if(!np)
      return LB_ENOMEM;
    c->pages = np;
    c->pagecap = nc;
  }
  HPDF_Page p = HPDF_AddPage(c->doc);
  if(!p)
    return pdfdoc_rc(&c->r->d) ? pdfdoc_rc(&c->r->d) : LB_EIO;
  HPDF_Page_SetSize(p, c->size, HPDF_PAGE_PORTRAIT);
  c->cur = c->npages;
  c->pages[c->npages++] = p;
  pen_set_page(&c->p, p);
  c->p.tgray = 0; /* a fresh page: black fill, text filled */
  c->p.tmode = 0;
  c->pw = HPDF_Page_GetWidth(p);
  c->ph = HPDF_Page_GetHeight(p);
  c->x0 = MARGIN_X;
  c->x1 = c->pw - MARGIN_X;
  c->y = c->ph - TOP_Y;
  if(c->inv->is_draft) /* a preview: DRAFT across the page, under everything else */
    pen_stamp(&c->p, c->fb, 110, 0.88f, c->pw / 2, c->ph / 2, "DRAFT");
  running_header(c);
  return pdfdoc_rc(&c->r->d);
}

static void steps_header(ectx *c);

/* Room for h points below c->y, else a new page that repeats what is open. */
static int need(ectx *c, float h)
{
  if(c->y - h >= CONTENT_BOT)
    return LB_OK;
  int rc = add_page(c);
  if(rc)
    return rc;
  if(c->cont[0]) {
    puts_at(c, c->fb, 8, INK_SOFT, c->x0, c->y - 8, c->cont, 0);
    c->y -= 14;
  }
  if(c->table)
    steps_header(c);
  return pdfdoc_rc(&c->r->d);
}

/* A heading band across the page. */
static float band_h(void) { return 18; }

static void band(ectx *c, const char *left, const char *right, float size)
{
  float h = band_h();
  pen_fill_rect(&c->p, c->x0, c->y - h, c->x1 - c->x0, h, SHADE);
  float rw = right ? pen_str_w(c->fb, size, right) + 12 : 0;
  cell cs = {left, c->fb, size, size + 2, INK, c->x0 + 5, c->x1 - c->x0 - 10 - rw, 0, 1, {{{0}}, 0}};
  row_measure(&cs, 1);
  for(int k = 0; k < cs.wr.n; k++)
    pen_put(&c->p, c->fb, size, INK, c->x0 + 5, c->y - h + 5.5f, cs.wr.l[k].s, cs.wr.l[k].n, cs.wr.l[k].ell, 0);
  if(right)
    puts_at(c, c->fb, size, INK, c->x1 - 5, c->y - h + 5.5f, right, 1);
  c->y -= h + 6;
}

/* A small section title: "2. Rules applied, in order". */
static int subhead(ectx *c, const char *s, float keep)
{
  int rc = need(c, 16 + keep);
  if(rc)
    return rc;
  puts_at(c, c->fb, 8.5f, INK, c->x0, c->y - 10, s, 0);
  c->y -= 15;
  return LB_OK;
}

/* A paragraph of wrapped text, split over pages by line. */
static int para(ectx *c, HPDF_Font f, float size, float lh, float gray, float indent, const char *text)
{
  wrapped w;
  w.n = 0;
  wrap_add(f, size, c->x1 - c->x0 - indent, text, WRAP_MAX, &w);
  for(int k = 0; k < w.n; k++) {
    int rc = need(c, lh);
    if(rc)
      return rc;
    pen_put(&c->p, f, size, gray, c->x0 + indent, c->y - size * 0.9f, w.l[k].s, w.l[k].n, w.l[k].ell, 0);
    c->y -= lh;
  }
  c->y -= 2;
  return LB_OK;
}

/* ---- charts ----------------------------------------------------------------- */

/* The top of a scale of 4 equal steps, each step 1, 1.5, 2, 2.5, 3, 4, 5, 6
 * or 8 times a power of ten (whole numbers only), the top at least v. */
static int64_t scale_top(int64_t v)
{
  static const int tenths[] = {10, 15, 20, 25, 30, 40, 50, 60, 80, 100};
  int64_t need = v < 4 ? 1 : (v + 3) / 4, p = 1;
  while(p <= INT64_MAX / 1000 && p * 10 < need)
    p *= 10;
  for(size_t i = 0; i < sizeof(tenths) / sizeof(tenths[0]); i++)
    if((p * tenths[i]) % 10 == 0 && p * tenths[i] / 10 >= need)
      return 4 * (p * tenths[i] / 10);
  return 40 * p;
}

/* Frame, gridlines and month labels shared by both charts; returns the
 * plot area (px, py, pw, ph). */
static void chart_frame(ectx *c, float x, float top, float w, float h, const char *title, int64_t ymin,
                        int64_t ymax, const char *(*ylabel)(const ectx *, int64_t, char *), float *px, float *py,
                        float *pw, float *ph)
{
  char buf[64];
  puts_at(c, c->fb, 7.5f, INK, x, top - 8, title, 0);
  float left = x + 34, bottom = top - h + 16;
  *px = left;
  *py = bottom;
  *pw = x + w - left;
  *ph = top - 34 - bottom;
  /* 4 gridlines, light and thin: the bars and the line stay what the eye sees; the zero line black. One path
   * each, then the labels in one text object. */
  for(int zero = 0; zero < 2; zero++) {
    pen_text_end(&c->p);
    HPDF_Page_SetGrayStroke(c->p.page, zero ? INK : 0.8f);
    HPDF_Page_SetLineWidth(c->p.page, zero ? 0.7f : 0.3f);
    for(int k = 0; k <= 4; k++) {
      float gy = Q(bottom + *ph * (float)k / 4.0f);
      if((ymin + (ymax - ymin) / 4 * k == 0) == zero) {
        HPDF_Page_MoveTo(c->p.page, Q(left), gy);
        HPDF_Page_LineTo(c->p.page, Q(left + *pw), gy);
      }
    }
    HPDF_Page_Stroke(c->p.page);
  }
  for(int k = 0; k <= 4; k++)
    puts_at(c, c->f, 5.5f, INK_SOFT, left - 3, bottom + *ph * (float)k / 4.0f - 2,
            ylabel(c, ymin + (ymax - ymin) / 4 * k, buf), 1);
  /* months: the name, and the year under January and the first month */
  float sw = *pw / HIST;
  for(int i = 0; i < HIST; i++) {
    lb_month m = c->inv->month - (HIST - 1) + i;
    char mn[48], yr[8];
    float cx = left + sw * ((float)i + 0.5f);
    month_name(&c->o, mn, month_number(m));
    float tw = pen_str_w(c->f, 5.5f, mn);
    puts_at(c, c->f, 5.5f, INK, cx - tw / 2, bottom - 7, mn, 0);
    if(i == 0 || month_number(m) == 1) {
      snprintf(yr, sizeof(yr), "%d", month_year(m));
      tw = pen_str_w(c->f, 5.5f, yr);
      puts_at(c, c->f, 5.5f, INK_SOFT, cx - tw / 2, bottom - 13, yr, 0);
    }
  }
}

/* Axis labels: MSUs, or whole currency units. */
static const char *ylabel_count(const ectx *c, int64_t v, char *buf) { return fmt_count(&c->o, buf, (long)v); }

/* Bars of the billable MSUs per month, the rated capacity as a dashed line
 * with square markers: grey, black and a dash pattern read in black and white. */
static void chart_msus(ectx *c, float x, float top, float w, float h, const hpoint *hp)
{
  char buf[48];
  int64_t max = 1;
  for(int i = 0; i < HIST; i++) {
    if(hp[i].have && hp[i].msus > max)
      max = hp[i].msus;
    if(hp[i].cap > max)
      max = hp[i].cap;
  }
  int64_t ymax = scale_top(max + max / 10 + 1);
  float px, py, pw, ph;
  chart_frame(c, x, top, w, h, "Billable MSUs, last 12 months", 0, ymax, ylabel_count, &px, &py, &pw, &ph);
  /* legend */
  float ly = top - 19, lx = x;
  pen_text_end(&c->p);
  HPDF_Page_SetGrayFill(c->p.page, 0.6f);
  HPDF_Page_SetGrayStroke(c->p.page, INK);
  HPDF_Page_SetLineWidth(c->p.page, 0.5f);
  HPDF_Page_Rectangle(c->p.page, Q(lx), Q(ly - 1), 7, 6);
  HPDF_Page_FillStroke(c->p.page);
  c->p.tgray = -1;
  puts_at(c, c->f, 6, INK, lx + 10, ly, "billable MSUs (this month black)", 0);
  lx += 10 + pen_str_w(c->f, 6, "billable MSUs (this month black)") + 10;
  static const HPDF_UINT16 dash[] = {3, 2};
  pen_text_end(&c->p);
  HPDF_Page_SetDash(c->p.page, dash, 2, 0);
  pen_hline(&c->p, lx, lx + 14, ly + 2, 1.1f, INK);
  HPDF_Page_SetDash(c->p.page, NULL, 0, 0);
  puts_at(c, c->f, 6, INK, lx + 17, ly, "rated capacity", 0);

  /* the earlier months' bars grey in one path, this month's black, then their figures in one text object */
  float sw = pw / HIST, bw = sw * 0.6f;
  pen_text_end(&c->p);
  HPDF_Page_SetGrayStroke(c->p.page, INK);
  HPDF_Page_SetLineWidth(c->p.page, 0.5f);
  for(int now = 0; now < 2; now++) {
    int any = 0;
    for(int i = now ? HIST - 1 : 0; i < (now ? HIST : HIST - 1); i++) {
      if(!hp[i].have)
        continue;
      float bh = ph * (float)hp[i].msus / (float)ymax, bx = px + sw * (float)i + (sw - bw) / 2;
      if(!any)
        HPDF_Page_SetGrayFill(c->p.page, now ? INK : 0.6f); /* before the path: not inside it */
      HPDF_Page_Rectangle(c->p.page, Q(bx), Q(py), Q(bw), bh > 0.5f ? Q(bh) : 0.5f);
      any = 1;
    }
    if(any)
      HPDF_Page_FillStroke(c->p.page);
  }
  c->p.tgray = -1;
  for(int i = 0; i < HIST; i++) {
    if(!hp[i].have)
      continue;
    float bh = ph * (float)hp[i].msus / (float)ymax, bx = px + sw * (float)i + (sw - bw) / 2;
    fmt_count(&c->o, buf, hp[i].msus);
    float tw = pen_str_w(c->f, 5.5f, buf);
    puts_at(c, c->f, 5.5f, INK, bx + bw / 2 - tw / 2, py + bh + 2, buf, 0);
  }
  /* capacity: dashed segments between known months, a square on each */
  static const HPDF_UINT16 cdash[] = {3, 2};
  pen_text_end(&c->p);
  HPDF_Page_SetDash(c->p.page, cdash, 2, 0);
  HPDF_Page_SetGrayStroke(c->p.page, INK);
  HPDF_Page_SetLineWidth(c->p.page, 1.1f);
  int open = 0;
  for(int i = 0; i < HIST; i++) {
    float cx = px + sw * ((float)i + 0.5f);
    if(hp[i].cap < 0) {
      if(open)
        HPDF_Page_Stroke(c->p.page);
      open = 0;
      continue;
    }
    float cy = py + ph * (float)hp[i].cap / (float)ymax;
    if(!open)
      HPDF_Page_MoveTo(c->p.page, Q(cx), Q(cy));
    else
      HPDF_Page_LineTo(c->p.page, Q(cx), Q(cy));
    open = 1;
  }
  if(open)
    HPDF_Page_Stroke(c->p.page);
  HPDF_Page_SetDash(c->p.page, NULL, 0, 0);
  HPDF_Page_SetLineWidth(c->p.page, 0.6f);
  HPDF_Page_SetGrayFill(c->p.page, 1);
  long lastcap = -1;
  for(int i = 0; i < HIST; i++) {
    if(hp[i].cap < 0)
      continue;
    float cx = px + sw * ((float)i + 0.5f), cy = py + ph * (float)hp[i].cap / (float)ymax;
    HPDF_Page_Rectangle(c->p.page, Q(cx) - 1.75f, Q(cy) - 1.75f, 3.5f, 3.5f);
    lastcap = hp[i].cap;
  }
  if(lastcap >= 0)
    HPDF_Page_FillStroke(c->p.page); /* the squares, one path */
  c->p.tgray = -1;
  if(lastcap >= 0) {
    char lab[64];
    snprintf(lab, sizeof(lab), "capacity %s", fmt_count(&c->o, buf, lastcap));
    puts_at(c, c->f, 5.5f, INK, px + pw, py + ph * (float)lastcap / (float)ymax + 3.5f, lab, 1);
  }
}

/* Bars of the charge per month, white with a black outline (this month
 * hatched), the amount written upwards over each bar. */
static void chart_amounts(ectx *c, float x, float top, float w, float h, const hpoint *hp)
{
  char title[128];
  money max = 0, min = 0;
  for(int i = 0; i < HIST; i++) {
    if(hp[i].have && hp[i].amount > max)
      max = hp[i].amount;
    if(hp[i].have && hp[i].amount < min)
      min = hp[i].amount; /* a credit note's line */
  }
  /* the scale in whole currency units; room above the bars for the labels; with a negative amount the zero
   * line goes to the middle and the scale is the same both ways */
  if(min < 0 && -min > max)
    max = -min;
  int64_t units = max / MONEY_SCALE + 1;
  int64_t ymax = scale_top(units + units / 10 + 1), ymin = min < 0 ? -ymax : 0;
  float px, py, pw, ph;
  snprintf(title, sizeof(title), "Charge per month (%s)", S(c->inv->currency));
  chart_frame(c, x, top, w, h, title, ymin, ymax, ylabel_count, &px, &py, &pw, &ph);
  py += ph * (float)(-ymin) / (float)(ymax - ymin); /* the zero line */
  ph = ph * (float)ymax / (float)(ymax - ymin);
  puts_at(c, c->f, 6, INK, x, top - 19, "line amount of each month's invoice", 0);
  /* drawing only: an amount becomes a bar height, never a number again */
  float sw = pw / HIST, bw = sw * 0.6f, bx[HIST], by[HIST], bh[HIST];
  for(int i = 0; i < HIST; i++) {
    float frac = (float)(hp[i].amount < 0 ? -hp[i].amount : hp[i].amount) / ((float)ymax * (float)MONEY_SCALE);
    bh[i] = ph * frac;
    bx[i] = px + sw * (float)i + (sw - bw) / 2;
    by[i] = hp[i].amount < 0 ? py - bh[i] : py; /* a negative amount hangs below the zero line */
  }
  /* the bars in one path */
  pen_text_end(&c->p);
  HPDF_Page_SetGrayFill(c->p.page, 1);
  HPDF_Page_SetGrayStroke(c->p.page, INK);
  HPDF_Page_SetLineWidth(c->p.page, 0.6f);
  for(int i = 0; i < HIST; i++)
    if(hp[i].have)
      HPDF_Page_Rectangle(c->p.page, Q(bx[i]), Q(by[i]), Q(bw), bh[i] > 0.5f ? Q(bh[i]) : 0.5f);
  HPDF_Page_FillStroke(c->p.page); /* this month always has a bar */
  /* this month's hatched, clipped to the bar */
  int n = HIST - 1;
  HPDF_Page_GSave(c->p.page);
  HPDF_Page_Rectangle(c->p.page, Q(bx[n]), Q(by[n]), Q(bw), Q(bh[n]));
  HPDF_Page_Clip(c->p.page);
  HPDF_Page_EndPath(c->p.page);
  HPDF_Page_SetLineWidth(c->p.page, 0.5f);
  for(float d = -bw; d < bh[n]; d += 3) {
    HPDF_Page_MoveTo(c->p.page, Q(bx[n]), Q(by[n] + d));
    HPDF_Page_LineTo(c->p.page, Q(bx[n] + bw), Q(by[n] + d + bw));
  }
  HPDF_Page_Stroke(c->p.page);
  HPDF_Page_GRestore(c->p.page);
  /* the amount inside a tall bar (this month's on white), else above it: all in one text object */
  char lab[HIST][48];
  float ly[HIST];
  for(int i = 0; i < HIST; i++) {
    fmt2(&c->o, lab[i], hp[i].amount);
    float lw = pen_str_w(c->f, 5.5f, lab[i]);
    ly[i] = bh[i] >= lw + 6 ? by[i] + 3 : hp[i].amount < 0 ? by[i] - lw - 2 : by[i] + bh[i] + 2;
    if(i == n && ly[i] >= by[i] && ly[i] < by[i] + bh[i]) {
      HPDF_Page_SetGrayFill(c->p.page, 1);
      HPDF_Page_Rectangle(c->p.page, Q(bx[i] + bw / 2 - 3.5f), Q(ly[i] - 1), 7, Q(lw + 2));
      HPDF_Page_Fill(c->p.page);
    }
  }
  c->p.tgray = -1;
  for(int i = 0; i < HIST; i++)
    if(hp[i].have)
      pen_put_turned(&c->p, c->f, 5.5f, INK, bx[i] + bw / 2 + 2, ly[i], lab[i]);
  pen_text_end(&c->p);
}

/* ---- the document's parts ---------------------------------------------------- */

/* The steps table's columns: left edges as fractions of the text width. The
 * rule column holds only the id; the last section says each rule in words. */
static const float step_at[] = {0, 0.035f, 0.105f, 0.50f, 0.70f, 0.82f, 1};

static void steps_header(ectx *c)
{
  float w = c->x1 - c->x0;
  pen_fill_rect(&c->p, c->x0, c->y - 12, w, 12, SHADE);
  static const char *const heads[] = {"#", "Rule", "What was done", "Inputs (file:line)", "Result", "What it changed"};
  for(int i = 0; i < 6; i++)
    puts_at(c, c->fb, 6.5f, INK, c->x0 + 2 + w * step_at[i], c->y - 8.5f, heads[i], 0);
  c->y -= 12;
}

static int steps_table(ectx *c, const deriv *d)
{
  float w = c->x1 - c->x0;
  int rc = need(c, 12 + 30);
  if(rc)
    return rc;
  steps_header(c);
  c->table = 1;
  for(size_t i = 0; i < d->nsteps; i++) {
    const audit_step *a = d->steps[i].a;
    char no[16];
    snprintf(no, sizeof(no), "%d", a->step);
    rule_set_add(&c->cited, a->rule);
#define COL(k) c->x0 + 2 + w * step_at[k], w * (step_at[(k) + 1] - step_at[k]) - 4
    cell cs[6] = {
      {no, c->f, 7, 8.6f, INK, COL(0), 0, 1, {{{0}}, 0}},
      {rule_id_text(a->rule), c->fb, 7, 8.6f, INK, COL(1), 0, 1, {{{0}}, 0}},
      {S(a->detail), c->f, 7, 8.6f, INK, COL(2), 0, 0, {{{0}}, 0}},
      {d->steps[i].inputs, c->f, 6.5f, 8, INK_SOFT, COL(3), 0, 0, {{{0}}, 0}},
      {d->steps[i].value, c->fb, 7, 8.6f, INK, COL(4), 0, 0, {{{0}}, 0}},
      {d->steps[i].change, c->f, 7, 8.6f, INK, COL(5), 0, 0, {{{0}}, 0}},
    };
#undef COL
    float h = row_measure(cs, 6);
    rc = need(c, h);
    if(rc)
      return rc;
    row_draw(c, cs, 6, c->y);
    c->y -= h;
    pen_hline(&c->p, c->x0, c->x1, c->y, 0.3f, RULE);
  }
  c->table = 0;
  c->y -= 6;
  return pdfdoc_rc(&c->r->d);
}

/* The tiers with the amount of each (the arithmetic's tier rows), so the
 * price elements and the arithmetic are one table. */
static int tiers_table(ectx *c, const charge_line *l, const deriv *d)
{
  float w = c->x1 - c->x0;
  char a[4][64];
  int ntiers = l->ntiers < 0 ? 0 : l->ntiers;
  static const char *const heads[] = {"Tier (MSUs)", "MSUs in the tier", "Price per MSU", "Base charge", "Amount"};
  static const float at[] = {0.03f, 0.3f, 0.44f, 0.58f, 0.72f}; /* left edge, then right edges */
  int rc = need(c, 12 + 10 * (float)(ntiers < 3 ? ntiers : 3));
  if(rc)
    return rc;
  pen_fill_rect(&c->p, c->x0 + w * 0.02f, c->y - 11, w * 0.71f, 11, SHADE);
  for(int i = 0; i < 5; i++)
    puts_at(c, c->fb, 6.5f, INK, c->x0 + w * at[i], c->y - 8, heads[i], i ? 1 : 0);
  c->y -= 11;
  for(int k = 0; k < ntiers; k++) {
    const tier_part *tp = &l->tiers[k];
    rc = need(c, 10);
    if(rc)
      return rc;
    fmt_count(&c->o, a[0], tp->from_qty);
    if(tp->to_qty < 0)
      strcat(a[0], " and more");
    else {
      strcat(a[0], " " EN_DASH " ");
      fmt_count(&c->o, a[0] + strlen(a[0]), tp->to_qty);
    }
    fmt_count(&c->o, a[1], tp->qty);
    fmt_price(&c->o, a[2], tp->unit_price);
    fmt_price(&c->o, a[3], tp->fixed_price);
    for(int i = 0; i < 4; i++)
      puts_at(c, i == 1 ? c->fb : c->f, 7, INK, c->x0 + w * at[i], c->y - 7.5f, a[i], i ? 1 : 0);
    if((size_t)k < d->ntier_rows)
      puts_at(c, c->f, 7, INK, c->x0 + w * at[4], c->y - 7.5f, d->ar[k].right, 1);
    c->y -= 10;
  }
  c->y -= 4;
  return pdfdoc_rc(&c->r->d);
}

/* The arithmetic from row `from` on (the rows before are in the tiers table). */
static int arith_block(ectx *c, const deriv *d, size_t from)
{
  float w = c->x1 - c->x0, rx = c->x0 + w * 0.72f;
  float h = 10.5f * (float)(d->nar - from) + 6;
  int rc = need(c, h < 200 ? h : 40);
  if(rc)
    return rc;
  for(size_t i = from; i < d->nar; i++) {
    const arith_row *r = &d->ar[i];
    rc = need(c, 11);
    if(rc)
      return rc;
    if(r->strong) {
      pen_hline(&c->p, c->x0 + w * 0.3f, rx, c->y - 1, 0.6f, INK);
      c->y -= 3;
    }
    HPDF_Font f = r->strong ? c->fb : c->f;
    float size = r->strong ? 8.5f : 7.5f;
    cell cs = {r->left, f, size, 10, INK, c->x0 + w * 0.03f, w * 0.5f, 1, 1, {{{0}}, 0}};
    row_measure(&cs, 1);
    for(int k = 0; k < cs.wr.n; k++)
      pen_put(&c->p, f, size, INK, rx - w * 0.17f, c->y - 8.5f, cs.wr.l[k].s, cs.wr.l[k].n, cs.wr.l[k].ell, 1);
    puts_at(c, f, size, INK, rx - w * 0.14f, c->y - 8.5f, "=", 0);
    puts_at(c, f, size, INK, rx, c->y - 8.5f, r->right, 1);
    c->y -= r->strong ? 13 : 10.5f;
  }
  if(d->check[0]) {
    rc = para(c, c->fb, 7.5f, 9.5f, INK, 0, d->check);
    if(rc)
      return rc;
  }
  c->y -= 4;
  return pdfdoc_rc(&c->r->d);
}

static int toc_add(ectx *c, int level, const char *title, const char *right)
{
  toc_entry *e = &c->toc[c->ntoc++];
  e->level = level;
  snprintf(e->title, sizeof(e->title), "%s", title);
  snprintf(e->right, sizeof(e->right), "%s", right ? right : "");
  e->page = (int)c->cur;
  e->y = c->y;
  return LB_OK;
}

static int line_section(ectx *c, const charge_line *l)
{
  deriv d;
  char title[400], amt[96], qty[96], cnt[32], buf[1024];
  hpoint hp[HIST];
  int rc = deriv_build(&d, c->in, &c->o, l, &c->shown);
  if(rc)
    goto out;
  snprintf(title, sizeof(title), "Line %d \u00b7 %s %s \u00b7 %s", l->line, S(l->product_id), S(l->product_name),
           line_charge_type(l));
  fmt_money(&c->o, amt, l->amount);
  /* the heading stays with the charts */
  int msus = unit_is_msus(l), earlier = 0;
  line_history(c->in, l, hp);
  for(int i = 0; i < HIST - 1; i++)
    earlier |= hp[i].have || hp[i].cap >= 0; /* a month before this one to chart */
  float chart_h = 96;
  rc = need(c, band_h() + 16 + (earlier ? chart_h : 0) + 20);
  if(rc)
    goto out;
  toc_add(c, 1, title, amt);
  band(c, title, amt, 9);
  snprintf(qty, sizeof(qty), "%s %s", fmt_count(&c->o, cnt, l->quantity), S(l->unit));
  char rules[RULE_SET_TEXT_MAX];
  snprintf(buf, sizeof(buf), "Machine %s (%s)%s%s \u00b7 quantity %s \u00b7 %s%s \u00b7 rules %s", S(l->serial),
           S(l->type_model), l->sysplex ? ", sysplex " : "", S(l->sysplex), qty,
           l->has_unit_price ? "unit price " : l->ntiers ? "priced over tiers" : "no unit price",
           l->has_unit_price ? fmt_price(&c->o, cnt, l->unit_price) : "",
           rule_set_format(&l->rules, rules, sizeof(rules)));
  for(int k = 0; k < l->rules.n; k++)
    rule_set_add(&c->cited, (rule_id)l->rules.id[k]);
  rc = para(c, c->f, 7.5f, 9.5f, INK_SOFT, 0, buf);
  if(rc)
    goto out;
  if(l->order_number) {
    snprintf(buf, sizeof(buf), "Order %s", l->order_number);
    rc = para(c, c->f, 7.5f, 9.5f, INK_SOFT, 0, buf);
    if(rc)
      goto out;
  }
  if(l->note && *l->note) {
    rc = para(c, c->f, 7.5f, 9.5f, INK_SOFT, 0, l->note);
    if(rc)
      goto out;
  }
  snprintf(c->cont, sizeof(c->cont), "Line %d \u00b7 %s \u00b7 %s (continued)", l->line, S(l->product_id),
           line_charge_type(l));

  /* charts: when the ledger has an earlier month to show; this month alone is a sentence */
  if(earlier) {
    rc = need(c, chart_h + 6);
    if(rc)
      goto out;
    float w = c->x1 - c->x0, gap = 18;
    if(msus) {
      chart_msus(c, c->x0, c->y, (w - gap) / 2, chart_h, hp);
      chart_amounts(c, c->x0 + (w - gap) / 2 + gap, c->y, (w - gap) / 2, chart_h, hp);
    } else
      chart_amounts(c, c->x0, c->y, (w - gap) / 2, chart_h, hp);
    c->y -= chart_h + 8;
  } else if(msus) {
    char cap[64], a1[32];
    const hpoint *cur = &hp[HIST - 1];
    if(cur->cap >= 0)
      snprintf(cap, sizeof(cap), ", rated capacity %s MSUs", fmt_count(&c->o, a1, cur->cap));
    else
      cap[0] = '\0';
    snprintf(buf, sizeof(buf), "Billable MSUs and charge per month, last 12 months: the ledger has only this month "
             "(%s MSUs%s, charge %s), so there are no charts.", fmt_count(&c->o, cnt, cur->msus), cap, amt);
    rc = para(c, c->f, 7.5f, 9.5f, INK_SOFT, 0, buf);
    if(rc)
      goto out;
  }

  /* 1. sources */
  rc = subhead(c, "1. Where the quantity came from", 20);
  if(rc)
    goto out;
  for(size_t i = 0; i < d.src.n; i++) {
    rc = para(c, c->f, 7.5f, 9.5f, INK, 8, d.src.v[i]);
    if(rc)
      goto out;
  }
  /* 2. rules */
  rc = subhead(c, "2. Rules applied, in order, and what each changed", 40);
  if(rc)
    goto out;
  rc = steps_table(c, &d);
  if(rc)
    goto out;

  /* 3. price elements and the arithmetic */
  rc = subhead(c, "3. Price elements and arithmetic", 24);
  if(rc)
    goto out;
  if(d.book[0]) {
    char pb[600];
    snprintf(pb, sizeof(pb), "From the %s.", d.book);
    rc = para(c, c->f, 7.5f, 9.5f, INK, 8, pb);
  } else
    rc = para(c, c->f, 7.5f, 9.5f, INK, 8, "No price book row is named by the steps of this line.");
  if(rc)
    goto out;
  size_t from = 0;
  if(l->ntiers > 0) {
    rc = tiers_table(c, l, &d);
    from = d.ntier_rows;
  } else if(l->has_unit_price) {
    char p[64];
    snprintf(buf, sizeof(buf), "Unit price %s per %s.", fmt_price(&c->o, p, l->unit_price), S(l->unit));
    rc = para(c, c->f, 7.5f, 9.5f, INK, 8, buf);
  }
  if(rc)
    goto out;
  rc = arith_block(c, &d, from);
  if(rc)
    goto out;
  c->cont[0] = '\0';
  c->y -= 8;
out:
  deriv_clear(&d);
  c->cont[0] = '\0';
  c->table = 0;
  return rc ? rc : pdfdoc_rc(&c->r->d);
}

/* The invoice-level part: lines, subtotal, taxes with their arithmetic, total. */
static int totals_section(ectx *c)
{
  const invoice *inv = c->inv;
  char a[96], b[96], p[48], buf[512];
  int rc = need(c, band_h() + 60);
  if(rc)
    return rc;
  toc_add(c, 0, "Invoice totals and taxes", "");
  band(c, "Invoice totals and taxes", NULL, 10);
  snprintf(c->cont, sizeof(c->cont), "Invoice totals and taxes (continued)");
  float w = c->x1 - c->x0, rx = c->x0 + w * 0.72f;
  for(size_t i = 0; i < inv->nlines; i++) {
    const charge_line *l = &inv->lines[i];
    rc = need(c, 10);
    if(rc)
      return rc;
    snprintf(buf, sizeof(buf), "line %d \u00b7 %s \u00b7 %s \u00b7 %s", l->line, S(l->serial), S(l->product_id),
             line_charge_type(l));
    cell cs = {buf, c->f, 7.5f, 10, INK, c->x0 + w * 0.03f, w * 0.52f, 0, 1, {{{0}}, 0}};
    row_measure(&cs, 1);
    put_first(c, &cs, cs.x, c->y - 8, 0);
    puts_at(c, c->f, 7.5f, INK, rx, c->y - 8, fmt2(&c->o, a, l->amount), 1);
    c->y -= 10;
  }
  rc = need(c, 14);
  if(rc)
    return rc;
  pen_hline(&c->p, c->x0 + w * 0.3f, rx, c->y - 1, 0.6f, INK);
  snprintf(buf, sizeof(buf), "subtotal: sum of the %zu rounded lines (R-0.1)", inv->nlines);
  puts_at(c, c->fb, 8, INK, c->x0 + w * 0.03f, c->y - 9.5f, buf, 0);
  puts_at(c, c->fb, 8, INK, rx, c->y - 9.5f, fmt2(&c->o, a, inv->subtotal), 1);
  c->y -= 14;
  if(inv->discount) {
    rc = need(c, 11);
    if(rc)
      return rc;
    puts_at(c, c->f, 8, INK, c->x0 + w * 0.03f, c->y - 9, "discount", 0);
    puts_at(c, c->f, 8, INK, rx, c->y - 9, fmt2(&c->o, a, -inv->discount), 1);
    c->y -= 11;
  }
  for(size_t i = 0; i < inv->ntaxes; i++) {
    const tax_line *t = &inv->taxes[i];
    /* exact product in 1/10000, to show what the rounding did (R-0.2) */
    __int128 ex = (__int128)t->base * (__int128)t->rate_pct;
    __int128 q = ex / 1000000, rem = ex % 1000000;
    money exact = (money)q;
    rc = need(c, 11);
    if(rc)
      return rc;
    snprintf(buf, sizeof(buf), "%s: %s " TIMES " %s %% = %s%s, rounded half away from zero (R-0.2)", S(t->name),
             fmt2(&c->o, a, t->base), fmt_pct(&c->o, p, t->rate_pct), fmt4(&c->o, b, exact), rem ? ELLIPSIS : "");
    cell cs = {buf, c->f, 7.5f, 10, INK, c->x0 + w * 0.03f, w * 0.6f, 0, 2, {{{0}}, 0}};
    float h = row_measure(&cs, 1) - 2 * PAD;
    rc = need(c, h);
    if(rc)
      return rc;
    for(int k = 0; k < cs.wr.n; k++)
      pen_put(&c->p, c->f, 7.5f, INK, cs.x, c->y - 8 - 10 * (float)k, cs.wr.l[k].s, cs.wr.l[k].n, cs.wr.l[k].ell, 0);
    puts_at(c, c->f, 8, INK, rx, c->y - 8, fmt2(&c->o, a, t->amount), 1);
    c->y -= h + 1;
  }
  rc = need(c, 16);
  if(rc)
    return rc;
  pen_hline(&c->p, c->x0 + w * 0.3f, rx, c->y - 1, 0.9f, INK);
  snprintf(buf, sizeof(buf), "total %s: subtotal %s discount + taxes", S(inv->currency), EN_DASH);
  puts_at(c, c->fb, 9, INK, c->x0 + w * 0.03f, c->y - 11, buf, 0);
  puts_at(c, c->fb, 9, INK, rx, c->y - 11, fmt_money(&c->o, a, inv->total), 1);
  c->y -= 18;
  if(inv->prompt_pay_pct > 0) {
    char d1[64];
    snprintf(buf, sizeof(buf), "Prompt payment (R-X2): paid by %s, %s %% less: %s off, %s to pay.",
             fmt_date(&c->o, d1, inv->prompt_pay_until), fmt_pct(&c->o, p, inv->prompt_pay_pct),
             fmt2(&c->o, a, inv->prompt_pay_discount), fmt_money(&c->o, b, inv->prompt_pay_total));
    rc = para(c, c->f, 7.5f, 9.5f, INK, 0, buf);
    if(rc)
      return rc;
  }
  /* the invoice-level steps */
  deriv d;
  memset(&d, 0, sizeof(d));
  for(size_t i = 0; i < inv->naudit; i++)
    if(inv->audit[i].line == 0)
      d.nsteps++;
  if(d.nsteps) {
    d.steps = calloc(d.nsteps, sizeof(*d.steps));
    if(!d.steps)
      return LB_ENOMEM;
    d.nsteps = 0;
    for(size_t i = 0; i < inv->naudit && !rc; i++)
      if(inv->audit[i].line == 0)
        rc = step_view_init(&d.steps[d.nsteps++], &inv->audit[i]);
    for(size_t i = 0; i < d.nsteps && !rc; i++)
      snprintf(d.steps[i].change, sizeof(d.steps[i].change), "computes %s", d.steps[i].value);
    if(!rc)
      rc = subhead(c, "Invoice-level steps", 40);
    if(!rc)
      rc = steps_table(c, &d);
    deriv_clear(&d);
    if(rc)
      return rc;
  }
  c->cont[0] = '\0';
  return pdfdoc_rc(&c->r->d);
}

/* Each rule the document cites, in the rule book's order, in a few words. */
static int rules_section(ectx *c)
{
  float w = c->x1 - c->x0;
  /* the arithmetic and the taxes name these two */
  rule_set_add(&c->cited, R_0_1);
  if(c->inv->ntaxes)
    rule_set_add(&c->cited, R_0_2);
  int rc = need(c, band_h() + 40);
  if(rc)
    return rc;
  c->y -= 8;
  toc_add(c, 0, "Rules cited", "");
  band(c, "Rules cited", NULL, 10);
  snprintf(c->cont, sizeof(c->cont), "Rules cited (continued)");
  for(int id = 0; id < RULE__COUNT; id++) {
    if(!rule_set_has(&c->cited, (rule_id)id))
      continue;
    cell cs[2] = {{rule_id_text((rule_id)id), c->fb, 7, 8.6f, INK, c->x0 + 2, w * 0.07f - 4, 0, 1, {{{0}}, 0}},
                  {rule_id_title((rule_id)id), c->f, 7, 8.6f, INK, c->x0 + 2 + w * 0.07f, w * 0.93f - 4, 0, 0,
                   {{{0}}, 0}}};
    float h = row_measure(cs, 2) - 2 * PAD + 1;
    rc = need(c, h);
    if(rc)
      return rc;
    row_draw(c, cs, 2, c->y + PAD);
    c->y -= h;
  }
  c->cont[0] = '\0';
  return pdfdoc_rc(&c->r->d);
}

/* ---- cover and contents --------------------------------------------------- */

#define TOC_LH 12.0f

static void cover(ectx *c)
{
  const invoice *inv = c->inv;
  char buf[512], a[96], m[8], d1[64];
  puts_at(c, c->fb, 20, INK, c->x0, c->y - 20, "Audit evidence", 0);
  snprintf(buf, sizeof(buf), "%s %s", inv->is_credit_note ? "Credit note" : "Invoice", S(inv->number));
  puts_at(c, c->fb, SZ_H1, INK, c->x1, c->y - 20, buf, 1);
  c->y -= 36;
  struct {
    const char *k;
    char v[400];
  } rows[12];
  int n = 0;
#define ROW(key, ...) (rows[n].k = (key), snprintf(rows[n].v, sizeof(rows[n].v), __VA_ARGS__), n++)
  ROW("Customer", "%s (%s)", S(inv->customer_name), S(inv->customer_id));
  if(inv->corrects) {
    char d2[64];
    ROW("Credits invoice", "%s of %s", inv->corrects,
        inv->corrects_issued != DATE_NONE ? fmt_date(&c->o, d2, inv->corrects_issued) : EN_DASH);
  }
  if(inv->replaces)
    ROW("Replaces invoice", "%s", inv->replaces);
  if(inv->is_draft)
    ROW("Draft", "%s", "a preview: not issued, no number reserved");
  ROW("Billing month", "%s", inv->month != MONTH_NONE ? month_format(m, inv->month) : EN_DASH);
  ROW(inv->is_credit_note ? "Credit note date" : "Invoice date", "%s", fmt_date(&c->o, d1, inv->issue_date));
  ROW("Currency", "%s", S(inv->currency));
  ROW("Lines", "%zu", inv->nlines);
  ROW("Subtotal", "%s", fmt2(&c->o, a, inv->subtotal));
  ROW("Taxes", "%s", fmt2(&c->o, a, inv->tax));
  ROW("Total", "%s", fmt_money(&c->o, a, inv->total));
  if(c->in->invoice_sha256)
    ROW("Invoice PDF sha256", "%s", c->in->invoice_sha256);
#undef ROW
  float w = c->x1 - c->x0;
  for(int i = 0; i < n; i++) {
    cell cs[2] = {{rows[i].k, c->f, 8, 10, INK_SOFT, c->x0, w * 0.2f, 0, 1, {{{0}}, 0}},
                  {rows[i].v, c->fb, 8.5f, 10.5f, INK, c->x0 + w * 0.2f, w * 0.8f, 0, 3, {{{0}}, 0}}};
    float h = row_measure(cs, 2) - 2 * PAD + 2;
    row_draw(c, cs, 2, c->y + PAD);
    c->y -= h;
  }
  c->y -= 8;
  para(c, c->f, 8, 10.5f, INK, 0,
       "For every line of the invoice this document shows where the quantity came from (the SCRT report with its "
       "section, row, product and the LPAR and machine peaks), the rules applied in the order the engine applied "
       "them and what each changed, the price elements used (price book row and effective date, tiers), and the "
       "arithmetic that ends in the line's amount; then the totals and taxes. Rule ids such as R-W1 refer to the "
       "rule book (docs/rules.md of licbill), and the last section says each rule cited in a few words; inputs are named as file:line of the month's input set. The charts show the last "
       "12 months of each machine and product from the ledger.");
  c->y -= 6;
  puts_at(c, c->fb, SZ_H2, INK, c->x0, c->y - 10, "Contents", 0);
  c->y -= 18;
}

/* Draw the contents rows on the reserved pages, with links and bookmarks. */
static int draw_toc(ectx *c, size_t first_page, float first_y)
{
  size_t pi = first_page;
  float y = first_y;
  char pg[16];
  HPDF_Outline parent = NULL;
  for(size_t i = 0; i < c->ntoc; i++) {
    const toc_entry *e = &c->toc[i];
    pen_text_end(&c->p);
    if(y - TOC_LH < CONTENT_BOT) {
      pi++;
      y = c->ph - TOP_Y;
    }
    pen_set_page(&c->p, c->pages[pi]);
    float indent = e->level ? 14 : 0, size = e->level ? 7.5f : 8.5f;
    HPDF_Font f = e->level ? c->f : c->fb;
    snprintf(pg, sizeof(pg), "%d", e->page + 1);
    float right = c->x1 - 24;
    float tw = c->x1 - c->x0 - indent - 24 - (e->right[0] ? 90 : 0);
    cell cs = {e->title, f, size, TOC_LH, INK, c->x0 + indent, tw, 0, 1, {{{0}}, 0}};
    row_measure(&cs, 1);
    put_first(c, &cs, cs.x, y - 9, 0);
    if(e->right[0])
      puts_at(c, f, size, INK, right - 8, y - 9, e->right, 1);
    puts_at(c, f, size, INK, c->x1, y - 9, pg, 1);
    /* a link to the page, printable as PDF/A-1 wants annotations */
    HPDF_Destination dst = HPDF_Page_CreateDestination(c->pages[e->page]);
    if(dst)
      HPDF_Destination_SetFitH(dst, e->y + 4);
    HPDF_Rect rect = {c->x0 + indent, y - TOC_LH + 1, c->x1, y + 1};
    HPDF_Annotation an = dst ? HPDF_Page_CreateLinkAnnot(c->p.page, rect, dst) : NULL;
    if(an) {
      HPDF_LinkAnnot_SetBorderStyle(an, 0, 0, 0);
      HPDF_Dict_AddNumber(an, "F", 4); /* Print */
    }
    /* bookmarks: machines at the top level, their lines under them; the link's destination serves both */
    HPDF_Outline ol = HPDF_CreateOutline(c->doc, e->level ? parent : NULL, "-", NULL);
    if(ol) {
      void *t = pdfa_text_object(c->doc, e->title);
      if(!t)
        return LB_ENOMEM;
      HPDF_Dict_Add(ol, "Title", t);
      HPDF_Dict_RemoveElement(ol, "Type"); /* an outline item has none; libharu writes the root's */
      if(dst)
        HPDF_Outline_SetDestination(ol, dst);
      if(!e->level) {
        parent = ol;
        HPDF_Outline_SetOpened(ol, HPDF_TRUE);
      }
    }
    y -= TOC_LH;
  }
  pen_text_end(&c->p);
  return pdfdoc_rc(&c->r->d);
}

static void footers(ectx *c)
{
  char buf[128], left[256];
  snprintf(left, sizeof(left), "Audit evidence for %s \u00b7 rule ids as in docs/rules.md \u00b7 amounts in %s",
           S(c->inv->number), S(c->inv->currency));
  for(size_t i = 0; i < c->npages; i++) {
    pen_text_end(&c->p);
    pen_set_page(&c->p, c->pages[i]);
    pen_hline(&c->p, c->x0, c->x1, FOOTER_Y + 10, 0.4f, RULE);
    snprintf(buf, sizeof(buf), "Page %zu of %zu", i + 1, c->npages);
    puts_at(c, c->f, 7, INK_SOFT, c->x1, FOOTER_Y, buf, 1);
    cell cs = {left, c->f, 7, 9, INK_SOFT, c->x0, c->x1 - c->x0 - pen_str_w(c->f, 7, buf) - 12, 0, 1, {{{0}}, 0}};
    row_measure(&cs, 1);
    put_first(c, &cs, c->x0, FOOTER_Y, 0);
  }
  pen_text_end(&c->p);
}

static int layout(ectx *c)
{
  const invoice *inv = c->inv;
  group *g = NULL;
  size_t ng = 0;
  char title[300];
  int rc = make_groups(inv, &g, &ng);
  if(rc)
    return rc;
  c->toc = calloc(ng + inv->nlines + 3, sizeof(*c->toc));
  if(!c->toc) {
    rc = LB_ENOMEM;
    goto out;
  }
  rc = add_page(c);
  if(rc)
    goto out;
  cover(c);
  /* reserve the contents: one row per machine, line, the totals and the rules */
  size_t rows = ng + inv->nlines + 2;
  float first_y = c->y;
  float room = first_y - CONTENT_BOT;
  size_t fit = room > TOC_LH ? (size_t)(room / TOC_LH) : 0;
  size_t per_page = (size_t)((c->ph - TOP_Y - CONTENT_BOT) / TOC_LH);
  size_t extra = rows > fit ? (rows - fit + per_page - 1) / per_page : 0;
  for(size_t i = 0; i < extra; i++) {
    rc = add_page(c);
    if(rc)
      goto out;
  }
  for(size_t k = 0; k < ng; k++) {
    rc = add_page(c);
    if(rc)
      goto out;
    group_title(inv, &g[k], title, sizeof(title));
    toc_add(c, 0, title, "");
    band(c, title, NULL, 10.5f);
    for(size_t j = 0; j < g[k].n; j++) {
      rc = line_section(c, &inv->lines[g[k].lines[j]]);
      if(rc)
        goto out;
    }
  }
  rc = add_page(c);
  if(rc)
    goto out;
  rc = totals_section(c);
  if(rc)
    goto out;
  rc = rules_section(c);
  if(rc)
    goto out;
  rc = draw_toc(c, 0, first_y);
  if(rc)
    goto out;
  footers(c);
  rc = pdfdoc_rc(&c->r->d);
out:
  free_groups(g, ng);
  return rc;
}

static int set_info(ectx *c)
{
  const invoice *inv = c->inv;
  char title[256], subject[768], keywords[256], mon[8];
  pdfa_info in;
  const char *kind = inv->is_credit_note ? "credit note" : "invoice";
  snprintf(title, sizeof(title), "Audit evidence for %s %s", kind, S(inv->number));
  snprintf(subject, sizeof(subject), "Audit evidence for %s %s of %s (customer %s), billing month %s", kind,
           S(inv->number), S(inv->customer_name), S(inv->customer_id),
           inv->month != MONTH_NONE ? month_format(mon, inv->month) : "");
  snprintf(keywords, sizeof(keywords), "%s; %s; %s; audit", S(inv->number), S(inv->customer_id),
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

/* ---- the renderer ---------------------------------------------------------- */

int evidence_pdf_new(evidence_pdf **out, const lb_template *t)
{
  evidence_pdf *r = calloc(1, sizeof(*r));
  if(!r)
    return LB_ENOMEM;
  pdfdoc_init(&r->d, t);
  *out = r;
  return LB_OK;
}

void evidence_pdf_free(evidence_pdf *r)
{
  if(!r)
    return;
  pdfdoc_clear(&r->d);
  free(r);
}

static void opts_of(const lb_template *t, const invoice *inv, fmtopt *o)
{
  o->sep = tpl_get(t, "number.thousands_sep")[0];
  o->dec = tpl_get(t, "number.decimal_mark")[0];
  o->sym = tpl_currency_symbol(t, inv->currency);
  o->sym_after = !strcmp(tpl_get(t, "currency.position"), "after");
  o->months = tpl_get(t, "date.months");
}

int evidence_pdf_draw(evidence_pdf *r, const evidence_input *in, unsigned char **pdf, size_t *len)
{
  int rc;
  ectx c;
  memset(&c, 0, sizeof(c));
  if(!in || !in->inv)
    return LB_EINPUT;
  rc = pdfdoc_begin(&r->d);
  if(rc)
    goto out;
  c.r = r;
  c.t = r->d.t;
  c.in = in;
  c.inv = in->inv;
  c.doc = r->d.doc;
  c.p.grid = GRID;
  c.size = !strcmp(tpl_get(c.t, "page.size"), "Letter") ? HPDF_PAGE_SIZE_LETTER : HPDF_PAGE_SIZE_A4;
  opts_of(c.t, in->inv, &c.o);
  HPDF_SetCompressionMode(c.doc, HPDF_COMP_ALL);
  HPDF_SetPageMode(c.doc, HPDF_PAGE_MODE_USE_OUTLINE);
  rc = pdfdoc_fonts_fake_bold(&r->d, &c.f, &c.fb);
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
  free(c.toc);
  shown_clear(&c.shown);
  if(rc)
    pdfdoc_discard(&r->d);
  return rc;
}

int evidence_pdf_render(const lb_template *t, const evidence_input *in, unsigned char **pdf, size_t *len)
{
  evidence_pdf *r = NULL;
  int rc = evidence_pdf_new(&r, t);
  if(rc)
    return rc;
  rc = evidence_pdf_draw(r, in, pdf, len);
  evidence_pdf_free(r);
  return rc;
}

/* ---- the same for a terminal ------------------------------------------------ */

static void text_steps(FILE *fp, const deriv *d)
{
  for(size_t i = 0; i < d->nsteps; i++) {
    const audit_step *a = d->steps[i].a;
    fprintf(fp, "    %2d. %-6s %s\n", a->step, rule_id_text(a->rule), S(a->detail));
    if(*rule_id_title(a->rule))
      fprintf(fp, "               rule: %s\n", rule_id_title(a->rule));
    if(*d->steps[i].inputs)
      fprintf(fp, "               from: %s\n", d->steps[i].inputs);
    if(*d->steps[i].value)
      fprintf(fp, "               result: %s; %s\n", d->steps[i].value, d->steps[i].change);
  }
}

int evidence_pdf_write_text(FILE *fp, const evidence_input *in, int line)
{
  const invoice *inv = in->inv;
  fmtopt o = {',', '.', inv->currency, 1, "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec"};
  char a[96], b[96], p[48], m[8];
  int found = 0;
  fprintf(fp, "Audit evidence for %s %s, customer %s (%s), month %s, total %s\n",
          inv->is_credit_note ? "credit note" : "invoice", S(inv->number), S(inv->customer_name), S(inv->customer_id),
          inv->month != MONTH_NONE ? month_format(m, inv->month) : "-", fmt_money(&o, a, inv->total));
  for(size_t i = 0; i < inv->nlines; i++) {
    const charge_line *l = &inv->lines[i];
    deriv d;
    if(line > 0 && l->line != line)
      continue;
    found = 1;
    if(deriv_build(&d, in, &o, l, NULL)) {
      deriv_clear(&d);
      return LB_ENOMEM;
    }
    fprintf(fp, "\nLine %d: %s %s, %s, machine %s (%s), %ld %s, amount %s\n", l->line, S(l->product_id),
            S(l->product_name), line_charge_type(l), S(l->serial), S(l->type_model), l->quantity, S(l->unit),
            fmt_money(&o, a, l->amount));
    fprintf(fp, "  1. Where the quantity came from\n");
    for(size_t k = 0; k < d.src.n; k++)
      fprintf(fp, "    - %s\n", d.src.v[k]);
    fprintf(fp, "  2. Rules applied, in order, and what each changed\n");
    text_steps(fp, &d);
    fprintf(fp, "  3. Price elements\n    %s\n", d.book[0] ? d.book : "no price book row named by the steps");
    for(int k = 0; k < l->ntiers; k++) {
      const tier_part *tp = &l->tiers[k];
      char to[32];
      if(tp->to_qty < 0)
        snprintf(to, sizeof(to), "+");
      else
        snprintf(to, sizeof(to), "-%ld", tp->to_qty);
      fprintf(fp, "    tier %ld%s: %ld MSUs at %s, base %s\n", tp->from_qty, to, tp->qty, fmt_price(&o, a, tp->unit_price),
              fmt_price(&o, b, tp->fixed_price));
    }
    fprintf(fp, "  4. Arithmetic\n");
    for(size_t k = 0; k < d.nar; k++) {
      /* pad by characters, not bytes: the rows hold × and – */
      size_t chars = 0;
      for(const char *q = d.ar[k].left; *q; q++)
        chars += ((unsigned char)*q & 0xC0) != 0x80;
      fprintf(fp, "    %s%*s = %s\n", d.ar[k].left, chars < 60 ? (int)(60 - chars) : 0, "", d.ar[k].right);
    }
    if(d.check[0])
      fprintf(fp, "    %s\n", d.check);
    deriv_clear(&d);
  }
  if(line > 0 && !found)
    return LB_EINPUT;
  if(line <= 0) {
    fprintf(fp, "\nTotals\n  subtotal %s\n", fmt2(&o, a, inv->subtotal));
    for(size_t i = 0; i < inv->ntaxes; i++)
      fprintf(fp, "  %s %s %% of %s = %s\n", S(inv->taxes[i].name), fmt_pct(&o, p, inv->taxes[i].rate_pct),
              fmt2(&o, a, inv->taxes[i].base), fmt2(&o, b, inv->taxes[i].amount));
    fprintf(fp, "  total %s\n", fmt_money(&o, a, inv->total));
  }
  return ferror(fp) ? LB_EIO : LB_OK;
}
