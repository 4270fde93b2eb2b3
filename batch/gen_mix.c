/* gen_mix.c - writes the archetype templates as fresh customers, dates moved to the billing month. */
#include "batch/gen_mix.h"

#include <stdio.h>
#include <string.h>

#include "core/diag.h"

static const char *const scrt_months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                          "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

int gen_mix_month_ok(lb_month month)
{
  if(gen_narchetypes <= 0)
    return 0;
  int64_t delta = (int64_t)month - gen_arch_month;
  return gen_arch_first + delta >= month_from_ym(1900, 1) && gen_arch_last + delta <= month_from_ym(9999, 12);
}

int gen_mix_pick(long ci, uint64_t seed, lb_month month)
{
  if(ci < 0 || ci % GEN_MIX_EVERY != GEN_MIX_OFFSET || !gen_mix_month_ok(month))
    return -1;
  uint64_t n = (uint64_t)gen_narchetypes;
  return (int)(((uint64_t)(ci / GEN_MIX_EVERY) % n + seed % n) % n);
}

int gen_mix_machines(int a)
{
  return gen_archetypes[a].nserials;
}

/* A date moved by `delta` months. The last day of a month stays the last
 * day, so that a period ending at a month's end still meets the next one
 * starting on the 1st; other days clamp to the end of a shorter month
 * (R-0.4, date_add_months). */
static lb_date shift_date(lb_date d, int delta)
{
  lb_month mo = month_of(d);
  if(d == month_last_day(mo))
    return month_last_day(mo + delta);
  return date_add_months(d, delta);
}

/* Index of column `name` in the archetype columns of file f, or -1. */
static int arch_col(enum gen_arch_file f, const char *name, size_t len)
{
  for(int i = 0; i < gen_arch_ncols[f]; i++)
    if(strlen(gen_arch_cols[f][i]) == len && !memcmp(gen_arch_cols[f][i], name, len))
      return i;
  return -1;
}

int gen_mix_init(gen_mix *m, const char *const headers[GA__N], lb_month month, FILE *log)
{
  int rc = LB_EINPUT;
  memset(m, 0, sizeof(*m));
  gen_sink_init(&m->cell);
  m->month = month;
  m->delta = (int)(month - gen_arch_month);
  m->log = log;
  for(int f = 0; f < GA__N; f++) {
    const char *h = headers[f];
    int used[GEN_MIX_MAX_COLS] = {0};
    if(gen_arch_ncols[f] > GEN_MIX_MAX_COLS) {
      gen_sink_log(log, "archetype file %d has %d columns, more than %d", f, gen_arch_ncols[f], GEN_MIX_MAX_COLS);
      goto out;
    }
    while(*h) {
      const char *end = strchr(h, ',');
      size_t len = end ? (size_t)(end - h) : strlen(h);
      if(m->ncols[f] == GEN_MIX_MAX_COLS) {
        gen_sink_log(log, "header '%s' has more than %d columns", headers[f], GEN_MIX_MAX_COLS);
        goto out;
      }
      int c = arch_col((enum gen_arch_file)f, h, len);
      m->map[f][m->ncols[f]++] = (signed char)c;
      if(c >= 0)
        used[c] = 1;
      h += len + (end != NULL);
    }
    for(int i = 0; i < gen_arch_ncols[f]; i++)
      if(!used[i]) {
        gen_sink_log(log, "the archetypes have a column '%s' that '%s' lacks, expected only columns licbill "
                     "reads (scripts/gen_archetypes.py)", gen_arch_cols[f][i], headers[f]);
        goto out;
      }
  }
  rc = LB_OK;
out:
  return rc;
}

void gen_mix_clear(gen_mix *m)
{
  gen_sink_close(&m->cell, NULL);
}

static int bad_template(gen_mix *m, const char *t)
{
  gen_sink_log(m->log, "malformed archetype template near '%.24s' (build/gen/batch/gen_archetypes.c, made from sample/)", t);
  return LB_EINPUT;
}

/* The date of a placeholder (10 characters at t), moved; DATE_NONE when malformed. */
static lb_date moved(const gen_mix *m, const char *t)
{
  lb_date d;
  size_t ep;
  if(strnlen(t, 10) < 10 || date_parse(&d, t, 10, &ep))
    return DATE_NONE;
  return shift_date(d, m->delta);
}

/* Append template t to `out`, its placeholders filled in. id and serials
 * may be NULL for shared rows (then \001C, \001c and \001S are malformed). */
static int expand(gen_mix *m, gen_sink *out, const char *t, const char *id, const char *const *serials,
                  int nserials)
{
  char buf[32];
  while(*t) {
    const char *e = strchr(t, '\001');
    if(!e) {
      gen_sink_puts(out, t);
      break;
    }
    gen_sink_put(out, t, (size_t)(e - t));
    t = e + 1;
    switch(*t) {
    case 'C':
    case 'c':
      if(!id)
        return bad_template(m, e);
      gen_sink_puts(out, *t == 'C' ? id : id + 1);
      t++;
      break;
    case 'S': {
      int k = t[1] - '0';
      if(!serials || k < 0 || k >= nserials)
        return bad_template(m, e);
      gen_sink_puts(out, serials[k]);
      t += 2;
      break;
    }
    case 'D': {
      lb_date d = moved(m, t + 1);
      if(d == DATE_NONE)
        return bad_template(m, e);
      gen_sink_puts(out, date_format(buf, d));
      t += 11;
      break;
    }
    case 'T': {
      int y, mo, dd;
      lb_date d = moved(m, t + 1);
      if(d == DATE_NONE)
        return bad_template(m, e);
      date_to_ymd(d, &y, &mo, &dd);
      snprintf(buf, sizeof(buf), "%d %s, %04d", dd, scrt_months[mo - 1], y);
      gen_sink_puts(out, buf);
      t += 11;
      break;
    }
    case 'N': {
      lb_date a = moved(m, t + 1), b = a == DATE_NONE ? DATE_NONE : moved(m, t + 11);
      if(b == DATE_NONE)
        return bad_template(m, e);
      snprintf(buf, sizeof(buf), "%ld", (long)(b - a) + 1);
      gen_sink_puts(out, buf);
      t += 21;
      break;
    }
    case 'M': {
      lb_month mo;
      size_t ep;
      if(strnlen(t + 1, 7) < 7 || month_parse(&mo, t + 1, 7, &ep))
        return bad_template(m, e);
      gen_sink_puts(out, month_format(buf, mo + m->delta));
      t += 8;
      break;
    }
    default:
      return bad_template(m, e);
    }
  }
  return LB_OK;
}

/* One field of `s` from template t. */
static int field(gen_mix *m, gen_sink *s, const char *t, const char *id, const char *const *serials, int nserials)
{
  if(!strchr(t, '\001')) {
    gen_sink_field(s, t);
    return LB_OK;
  }
  m->cell.n = 0;
  int rc = expand(m, &m->cell, t, id, serials, nserials);
  gen_sink_put(&m->cell, "", 1);
  if(rc)
    return rc;
  if(m->cell.err)
    return m->cell.err;
  gen_sink_field(s, m->cell.p);
  return LB_OK;
}

/* Rows of file f from `rows`, in the output file's column order. */
static int write_rows(gen_mix *m, gen_sink *s, enum gen_arch_file f, const gen_arch_rows *rows, const char *id,
                      const char *const *serials, int nserials, const gen_mix_own *own)
{
  int nc = gen_arch_ncols[f];
  int cp = -1, cc = -1, ck = -1, cu = -1;
  if(own) {
    const char *key = f == GA_VALUE_UNITS ? "vue" : f == GA_TAXES ? "tax_region" : "product_id";
    cp = arch_col(f, key, strlen(key));
    cc = arch_col(f, "charge_type", 11);
    ck = arch_col(f, "component", 9);
    cu = arch_col(f, "currency", 8);
  }
  for(int r = 0; r < rows->nrows; r++) {
    const char *const *row = rows->cells + (size_t)r * (size_t)nc;
    if(own && cp >= 0) {
      int skip = 0;
      if(f == GA_PRODUCTS)
        skip = own->product(row[cp]);
      else if(f == GA_PRICES && cc >= 0 && ck >= 0 && cu >= 0)
        skip = own->book(row[cp], row[cc], row[ck], row[cu]);
      else if(f == GA_VALUE_UNITS)
        skip = own->vue(row[cp]);
      else if(f == GA_TAXES)
        skip = own->tax_region(row[cp]);
      if(skip)
        continue;
    }
    for(int j = 0; j < m->ncols[f]; j++) {
      int c = m->map[f][j];
      int rc = field(m, s, c >= 0 ? row[c] : "", id, serials, nserials);
      if(rc)
        return rc;
    }
    gen_sink_end_row(s);
  }
  return LB_OK;
}

int gen_mix_shared(gen_mix *m, gen_sink *s, enum gen_arch_file f, const gen_mix_own *own)
{
  if(f < GA__CUSTOMER_FILES || f >= GA__N || !gen_mix_month_ok(m->month))
    return LB_OK;
  return write_rows(m, s, f, &gen_arch_shared[f - GA__CUSTOMER_FILES], NULL, NULL, 0, f == GA_MODELS ? NULL : own);
}

int gen_mix_customer(gen_mix *m, int a, const char *id, const char *const *serials,
                     gen_sink *const files[GA__CUSTOMER_FILES], gen_sink *scrt, const char *outdir)
{
  const gen_archetype *ar = &gen_archetypes[a];
  int rc = LB_OK;
  for(int f = 0; f < GA__CUSTOMER_FILES; f++)
    if((rc = write_rows(m, files[f], (enum gen_arch_file)f, &ar->rows[f], id, serials, ar->nserials, NULL)))
      goto out;
  for(int i = 0; i < ar->nreports; i++) {
    const gen_arch_report *rp = &ar->reports[i];
    m->cell.n = 0;
    if((rc = expand(m, &m->cell, rp->name, id, serials, ar->nserials)))
      goto out;
    gen_sink_put(&m->cell, "", 1);
    if((rc = m->cell.err))
      goto out;
    if(snprintf(scrt->path, sizeof(scrt->path), "%s/scrt/%s", outdir, m->cell.p) >= (int)sizeof(scrt->path)) {
      gen_sink_log(m->log, "%s/scrt: path too long", outdir);
      rc = LB_EIO;
      goto out;
    }
    scrt->n = 0;
    scrt->col = 0;
    if((rc = expand(m, scrt, rp->text, id, serials, ar->nserials)) || (rc = gen_sink_save(scrt, m->log)))
      goto out;
  }
out:
  return rc;
}
