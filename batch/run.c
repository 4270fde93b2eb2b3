/* run.c - the month-end driver: shared files once, then customers streamed through pricing, rendering and output. */
#include "run.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../input/catalog.h"
#include "../input/custindex.h"
#include "../input/customer.h"
#include "../input/scrt.h"
#include "../input/scrtdir.h"
#include "../output/atomic.h"
#include "../output/digest.h"
#include "../output/reports.h"
#include "../render/invoice_pdf.h"
#include "../render/template.h"
#include "../rules/engine.h"
#include "../rules/registry.h"
#include "../rules/timing.h"

/* What the run shares, read-only once customers are being priced. */
typedef struct shared {
  const run_opts *o;
  catalog cat;
  cust_index ix;
  scrt_dir sd;
  lb_template *tpl;
  lb_date period_start, period_end;
  unsigned char *rejected; /* customers with errors from the shared phase */
  char *monthdir, *invdir;
} shared;

/* The outcome for one customer. */
typedef struct result {
  int ready;
  int status;      /* LB_OK invoiced, LB_EINPUT rejected, LB_EIO/LB_ENOMEM failure */
  invoice inv;
  char sha[65];
  diag_list d;
} result;

static int is_dir(const char *p)
{
  struct stat st;
  return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/* Invoice number: stable across re-runs of the same month and inputs. */
static char *invoice_number(lb_month m, const char *customer_id)
{
  char *s = NULL;
  if(asprintf(&s, "INV-%04d%02d-%s", month_year(m), month_number(m), customer_id) < 0)
    return NULL;
  return s;
}

/* R-M8: an issued invoice is never overwritten. Same bytes: nothing to do. */
static int write_pdf(const char *path, const unsigned char *pdf, size_t len, const char *cust, diag_list *d)
{
  struct stat st;
  if(stat(path, &st) == 0) {
    FILE *fp = fopen(path, "rb");
    unsigned char *old = fp ? malloc((size_t)st.st_size + 1) : NULL;
    int same = old && fread(old, 1, (size_t)st.st_size, fp) == (size_t)st.st_size &&
               (size_t)st.st_size == len && memcmp(old, pdf, len) == 0;
    free(old);
    if(fp)
      fclose(fp);
    if(same)
      return LB_OK;
    return diag_add(d, path, 0, 0, cust,
                    "invoice already issued with different content; issued invoices are never overwritten "
                    "(R-M8), expected unchanged inputs for an invoiced month");
  }
  if(atomic_write(path, pdf, len)) {
    diag_add(d, path, 0, 0, cust, "cannot write the invoice: %s", strerror(errno));
    return LB_EIO;
  }
  return LB_OK;
}

static int price_customer(shared *s, size_t k, invoice_pdf *renderer, result *r)
{
  cust_data cd;
  rule_ctx ctx;
  machine_state *ms = NULL;
  scrt_report **reports = NULL;
  int rc;
  memset(&ctx, 0, sizeof(ctx));
  rc = cust_load(&cd, &s->ix, k, &s->cat, &r->d);
  if(rc)
    goto out;
  if(s->rejected[k]) {
    rc = LB_EINPUT;
    goto out;
  }
  ms = calloc(cd.nmachines + 1, sizeof(*ms));
  reports = calloc(cd.nmachines + 1, sizeof(*reports));
  if(!ms || !reports) {
    rc = LB_ENOMEM;
    goto out;
  }
  for(size_t i = 0; i < cd.nmachines; i++) {
    const scrt_entry *e = scrt_dir_report(&s->sd, cd.machines[i].serial);
    ms[i].m = &cd.machines[i];
    ms[i].rcpt = scrt_dir_receipt(&s->sd, cd.machines[i].serial);
    if(!e)
      continue;
    if(e->bad) {
      rc = LB_EINPUT;
      goto out;
    }
    int e2 = scrt_read(&reports[i], e->path, 0, &r->d);
    if(e2) {
      for(size_t j = 0; j < r->d.n; j++)
        if(!r->d.v[j].customer_id)
          r->d.v[j].customer_id = strdup(cd.cust.id);
      rc = e2;
      goto out;
    }
    ms[i].report = reports[i];
    /* the audit trail names the report relative to the input set */
    ms[i].report_name = strstr(e->path, "scrt/") ? strstr(e->path, "scrt/") : e->path;
  }
  ctx.cat = &s->cat;
  ctx.cd = &cd;
  ctx.month = s->o->month;
  ctx.period_start = s->period_start;
  ctx.period_end = s->period_end;
  ctx.price_date = month_first_day(s->o->month);
  ctx.ms = ms;
  ctx.customers_file = s->ix.paths[CF_CUSTOMERS];
  ctx.licenses_file = s->ix.paths[CF_LICENSES];
  ctx.machines_file = s->ix.paths[CF_MACHINES];
  rc = engine_price_customer(&ctx, &r->inv, &r->d);
  if(rc == LB_EOVERFLOW)
    rc = diag_add(&r->d, ctx.licenses_file, 0, 0, cd.cust.id, "an amount of the invoice overflows, expected "
                  "amounts below 92,233,720,368,547 in the currency");
  if(rc)
    goto out;
  r->inv.number = invoice_number(s->o->month, cd.cust.id);
  if(!r->inv.number) {
    rc = LB_ENOMEM;
    goto out;
  }
  if(s->o->check_only)
    goto out;
  {
    unsigned char *pdf = NULL;
    size_t len = 0;
    char *path = NULL;
    rc = invoice_pdf_draw(renderer, &r->inv, &pdf, &len);
    if(rc) {
      diag_add(&r->d, "render", 0, 0, cd.cust.id, "cannot render the invoice PDF (code %d)", rc);
      goto out;
    }
    digest_sha256_hex(pdf, len, r->sha);
    if(asprintf(&path, "%s/%s.pdf", s->invdir, r->inv.number) < 0) {
      free(pdf);
      rc = LB_ENOMEM;
      goto out;
    }
    rc = write_pdf(path, pdf, len, cd.cust.id, &r->d);
    free(path);
    free(pdf);
  }
out:
  if(reports)
    for(size_t i = 0; i < cd.nmachines; i++)
      scrt_free(reports[i]);
  free(reports);
  free(ms);
  cust_data_clear(&cd);
  if(rc)
    invoice_clear(&r->inv);
  r->status = rc;
  return rc;
}

/* ---- workers: customers priced in parallel, written in order ---- */

#define WINDOW_PER_JOB 8

typedef struct pool {
  shared *s;
  size_t *todo;       /* customer indexes of this shard, in order */
  size_t ntodo;
  size_t next;        /* next todo index to claim */
  size_t done;        /* todo indexes written so far */
  size_t window;
  result *slots;
  int failed;         /* a worker could not start a renderer */
  pthread_mutex_t mu;
  pthread_cond_t cv;
} pool;

static void *worker(void *arg)
{
  pool *p = arg;
  invoice_pdf *renderer = NULL;
  if(!p->s->o->check_only && invoice_pdf_new(&renderer, p->s->tpl)) {
    pthread_mutex_lock(&p->mu);
    p->failed = 1;
    pthread_cond_broadcast(&p->cv);
    pthread_mutex_unlock(&p->mu);
    return NULL;
  }
  for(;;) {
    pthread_mutex_lock(&p->mu);
    while(p->next < p->ntodo && p->next >= p->done + p->window && !p->failed)
      pthread_cond_wait(&p->cv, &p->mu);
    if(p->next >= p->ntodo || p->failed) {
      pthread_mutex_unlock(&p->mu);
      break;
    }
    size_t i = p->next++;
    pthread_mutex_unlock(&p->mu);
    result *r = &p->slots[i % p->window];
    price_customer(p->s, p->todo[i], renderer, r);
    pthread_mutex_lock(&p->mu);
    r->ready = 1;
    pthread_cond_broadcast(&p->cv);
    pthread_mutex_unlock(&p->mu);
  }
  invoice_pdf_free(renderer);
  return NULL;
}

static void progress(const run_opts *o, size_t done, size_t total)
{
  if(!o->progress || total == 0)
    return;
  if(done != total && done % 64)
    return;
  int w = 40, fill = (int)(done * (size_t)w / total);
  fprintf(stderr, "\r[%.*s%*s] %zu/%zu customers", fill, "########################################",
          w - fill, "", done, total);
  if(done == total)
    fputc('\n', stderr);
}

static void print_diags(const diag_list *d)
{
  diag_print(d, stderr);
}

/* Mark customers named by errors of the shared phase. */
static void mark_rejected(shared *s, const diag_list *d)
{
  for(size_t i = 0; i < d->n; i++)
    if(d->v[i].customer_id) {
      long k = cust_index_find(&s->ix, d->v[i].customer_id);
      if(k >= 0)
        s->rejected[k] = 1;
    }
}

static int lock_output(const char *dir, int *fd_out)
{
  char *path = NULL;
  if(asprintf(&path, "%s/.lock", dir) < 0)
    return EXIT_IO;
  int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if(fd < 0) {
    fprintf(stderr, "licbill: cannot create the lock %s: %s\n", path, strerror(errno));
    free(path);
    return EXIT_IO;
  }
  if(flock(fd, LOCK_EX | LOCK_NB) < 0) {
    fprintf(stderr, "licbill: another run holds the lock %s on this output folder; try again when it "
            "has finished\n", path);
    close(fd);
    free(path);
    return EXIT_LOCKED;
  }
  free(path);
  *fd_out = fd; /* released by the kernel if the process dies */
  return EXIT_ALL_INVOICED;
}

int run_month(const run_opts *o)
{
  shared s;
  diag_list d;
  month_reports rep;
  pool p;
  int code = EXIT_ALL_INVOICED, lockfd = -1, rc, reports_open_ok = 0;
  char err[256], mbuf[8];
  size_t invoiced = 0, rejected = 0;
  pthread_t *threads = NULL;
  int nthreads = 0;

  memset(&s, 0, sizeof(s));
  memset(&p, 0, sizeof(p));
  diag_init(&d);
  s.o = o;
  if(registry_check(rule_modules, err, sizeof(err))) {
    fprintf(stderr, "licbill: internal error: %s\n", err);
    return EXIT_IO;
  }
  if(!is_dir(o->input)) {
    fprintf(stderr, "licbill: %s: not a folder, expected the input set (--input DIR)\n", o->input);
    return EXIT_INPUT_UNUSABLE;
  }
  if(!o->check_only) {
    if(atomic_mkdirs(o->output)) {
      fprintf(stderr, "licbill: cannot create %s: %s\n", o->output, strerror(errno));
      return EXIT_IO;
    }
    code = lock_output(o->output, &lockfd);
    if(code)
      return code;
  }
  /* shared files: a problem here rejects the run (exit 3) */
  rc = catalog_load(&s.cat, o->input, &d);
  if(rc == LB_ENOMEM || rc == LB_EIO) {
    code = rc == LB_EIO ? EXIT_INPUT_UNUSABLE : EXIT_IO;
    goto fail;
  }
  int shared_bad = rc != 0;
  rc = cust_index_build(&s.ix, o->input, &d);
  if(rc == LB_ENOMEM) {
    code = EXIT_IO;
    goto fail;
  }
  if(rc || shared_bad) {
    code = EXIT_INPUT_UNUSABLE;
    goto fail;
  }
  timing_report_period(o->month, &s.period_start, &s.period_end);
  rc = scrt_dir_load(&s.sd, o->input, s.period_end, &s.ix, &d);
  if(rc) {
    code = rc == LB_EINPUT ? EXIT_INPUT_UNUSABLE : EXIT_IO;
    goto fail;
  }
  s.rejected = calloc(s.ix.n + 1, 1);
  if(!s.rejected) {
    code = EXIT_IO;
    goto fail;
  }
  mark_rejected(&s, &d);
  if(!o->check_only) {
    diag_list td;
    diag_init(&td);
    if(tpl_load(&s.tpl, o->template_dir, &td)) {
      print_diags(&td);
      diag_clear(&td);
      code = EXIT_IO;
      goto fail;
    }
    diag_clear(&td);
    const char *base = o->output;
    char *dry = NULL;
    if(o->dry_run) {
      if(asprintf(&dry, "%s/dry-run", o->output) < 0)
        dry = NULL;
      base = dry;
    }
    if(!base || asprintf(&s.monthdir, "%s/%s", base, month_format(mbuf, o->month)) < 0 ||
       asprintf(&s.invdir, "%s/invoices", s.monthdir) < 0 || atomic_mkdirs(s.invdir) ||
       reports_open(&rep, s.monthdir)) {
      fprintf(stderr, "licbill: cannot create the month folder under %s: %s\n", base ? base : o->output,
              strerror(errno));
      free(dry);
      code = EXIT_IO;
      goto fail;
    }
    free(dry);
    reports_open_ok = 1;
  }

  /* the customers of this shard, in customers.csv order */
  p.todo = malloc((s.ix.n + 1) * sizeof(size_t));
  if(!p.todo) {
    code = EXIT_IO;
    goto fail;
  }
  for(size_t k = 0; k < s.ix.n; k++)
    if(o->shard_n <= 1 || (int)(k % (size_t)o->shard_n) == o->shard_k - 1)
      p.todo[p.ntodo++] = k;
  p.s = &s;
  p.window = (size_t)(o->jobs > 0 ? o->jobs : 1) * WINDOW_PER_JOB;
  p.slots = calloc(p.window, sizeof(result));
  pthread_mutex_init(&p.mu, NULL);
  pthread_cond_init(&p.cv, NULL);
  if(!p.slots) {
    code = EXIT_IO;
    goto fail;
  }
  if(o->check_only)
    s.tpl = NULL;
  nthreads = o->jobs > 0 ? o->jobs : 1;
  threads = calloc((size_t)nthreads, sizeof(*threads));
  if(!threads) {
    code = EXIT_IO;
    goto fail;
  }
  for(int t = 0; t < nthreads; t++)
    if(pthread_create(&threads[t], NULL, worker, &p)) {
      nthreads = t;
      p.failed = 1;
      break;
    }
  /* write results in customer order as they become ready */
  for(size_t i = 0; i < p.ntodo; i++) {
    result *r = &p.slots[i % p.window];
    pthread_mutex_lock(&p.mu);
    while(!r->ready && !p.failed)
      pthread_cond_wait(&p.cv, &p.mu);
    pthread_mutex_unlock(&p.mu);
    if(!r->ready) {
      code = EXIT_IO;
      break;
    }
    if(r->status == LB_OK) {
      invoiced++;
      if(reports_open_ok && reports_add_invoice(&rep, &r->inv, r->sha))
        code = EXIT_IO;
      if(o->verbose)
        fprintf(stderr, "licbill: %s invoiced as %s\n", r->inv.customer_id, r->inv.number);
    } else if(r->status == LB_EINPUT) {
      rejected++;
      if(o->verbose)
        fprintf(stderr, "licbill: customer %s rejected for the month\n", s.ix.v[p.todo[i]].id);
    } else
      code = EXIT_IO;
    diag_move(&d, &r->d);
    invoice_clear(&r->inv);
    memset(r, 0, sizeof(*r));
    pthread_mutex_lock(&p.mu);
    p.done = i + 1;
    pthread_cond_broadcast(&p.cv);
    pthread_mutex_unlock(&p.mu);
    progress(o, i + 1, p.ntodo);
  }
  if(p.failed && code == EXIT_ALL_INVOICED)
    code = EXIT_IO;
  pthread_mutex_lock(&p.mu);
  p.failed |= code == EXIT_IO;
  pthread_cond_broadcast(&p.cv);
  pthread_mutex_unlock(&p.mu);
  for(int t = 0; t < nthreads; t++)
    pthread_join(threads[t], NULL);
  if(reports_open_ok) {
    if(code != EXIT_IO && (reports_add_errors(&rep, &d) || reports_commit(&rep))) {
      fprintf(stderr, "licbill: cannot write the month's CSV files in %s: %s\n", s.monthdir, strerror(errno));
      code = EXIT_IO;
    }
    if(code == EXIT_IO)
      reports_abort(&rep);
    reports_open_ok = 0;
  }
  print_diags(&d);
  if(code == EXIT_ALL_INVOICED && (rejected || d.n))
    code = EXIT_SOME_REJECTED;
  if(o->verbose || (code == EXIT_SOME_REJECTED))
    fprintf(stderr, "licbill: %s: %zu invoiced, %zu rejected, %zu errors\n", month_format(mbuf, o->month),
            invoiced, rejected, d.n);
  goto out;
fail:
  print_diags(&d);
  if(code == EXIT_INPUT_UNUSABLE)
    fprintf(stderr, "licbill: the input set is unusable, nothing was written\n");
out:
  if(reports_open_ok)
    reports_abort(&rep);
  if(p.slots) {
    for(size_t i = 0; i < p.window; i++) {
      invoice_clear(&p.slots[i].inv);
      diag_clear(&p.slots[i].d);
    }
    pthread_mutex_destroy(&p.mu);
    pthread_cond_destroy(&p.cv);
  }
  free(threads);
  free(p.slots);
  free(p.todo);
  free(s.rejected);
  free(s.monthdir);
  free(s.invdir);
  tpl_free(s.tpl);
  scrt_dir_clear(&s.sd);
  cust_index_clear(&s.ix);
  catalog_clear(&s.cat);
  diag_clear(&d);
  if(lockfd >= 0)
    close(lockfd);
  return code;
}
