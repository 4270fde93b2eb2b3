/* diag.c - collecting and printing input errors. */
#include "core/diag.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

void diag_init(diag_list *d) { memset(d, 0, sizeof(*d)); }

void diag_clear(diag_list *d)
{
  if(!d)
    return;
  for(size_t i = 0; i < d->n; i++) {
    free(d->v[i].file);
    free(d->v[i].customer_id);
    free(d->v[i].message);
  }
  free(d->v);
  memset(d, 0, sizeof(*d));
}

void diag_truncate(diag_list *d, size_t n)
{
  while(d->n > n) {
    d->n--;
    free(d->v[d->n].file);
    free(d->v[d->n].customer_id);
    free(d->v[d->n].message);
  }
}

static char *dupstr(const char *s) { return s ? strdup(s) : NULL; }

int diag_add(diag_list *d, const char *file, long line, long col, const char *customer_id,
             const char *fmt, ...)
{
  va_list ap;
  char *msg = NULL;
  diag e;
  if(d->n == d->cap) {
    size_t ncap = d->cap ? d->cap * 2 : 16;
    diag *nv = realloc(d->v, ncap * sizeof(*nv));
    if(!nv) {
      d->oom = 1;
      return LB_EINPUT;
    }
    d->v = nv;
    d->cap = ncap;
  }
  va_start(ap, fmt);
  if(vasprintf(&msg, fmt, ap) < 0)
    msg = NULL;
  va_end(ap);
  e.file = dupstr(file ? file : "");
  e.customer_id = dupstr(customer_id);
  e.message = msg;
  e.line = line;
  e.col = col;
  if(!e.file || !e.message || (customer_id && !e.customer_id)) {
    free(e.file);
    free(e.customer_id);
    free(e.message);
    d->oom = 1;
    return LB_EINPUT;
  }
  d->v[d->n++] = e;
  return LB_EINPUT;
}

void diag_move(diag_list *dst, diag_list *src)
{
  for(size_t i = 0; i < src->n; i++) {
    diag *e = &src->v[i];
    if(dst->n == dst->cap) {
      size_t ncap = dst->cap ? dst->cap * 2 : 16;
      diag *nv = realloc(dst->v, ncap * sizeof(*nv));
      if(!nv) {
        dst->oom = 1;
        free(e->file);
        free(e->customer_id);
        free(e->message);
        continue;
      }
      dst->v = nv;
      dst->cap = ncap;
    }
    dst->v[dst->n++] = *e;
  }
  dst->oom |= src->oom;
  free(src->v);
  memset(src, 0, sizeof(*src));
}

void diag_print_one(const diag *e, FILE *fp)
{
  if(e->line > 0 && e->col > 0)
    fprintf(fp, "%s:%ld:%ld: %s\n", e->file, e->line, e->col, e->message);
  else if(e->line > 0)
    fprintf(fp, "%s:%ld: %s\n", e->file, e->line, e->message);
  else
    fprintf(fp, "%s: %s\n", e->file, e->message);
}

void diag_print(const diag_list *d, FILE *fp)
{
  for(size_t i = 0; i < d->n; i++)
    diag_print_one(&d->v[i], fp);
  if(d->oom)
    fprintf(fp, "licbill: some errors could not be recorded (out of memory)\n");
}
