/* run.c - the month-end driver: shared files once, then customers streamed through pricing, rendering and output. */
#include "batch/run.h"

#include <dirent.h>
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
#include <nettle/sha2.h>

#include "batch/plan.h"
#include "core/about.h"
#include "core/spill.h"
#include "input/catalog.h"
#include "input/custindex.h"
#include "input/customer.h"
#include "input/scrt.h"
#include "input/scrtdir.h"
#include "output/archive.h"
#include "output/atomic.h"
#include "output/digest.h"
#include "output/ledger.h"
#include "output/manifest.h"
#include "output/reports.h"
#include "output/snapshot.h"
#include "render/evidence_pdf.h"
#include "render/invoice_pdf.h"
#include "render/template.h"
#include "rules/engine.h"
#include "rules/monthconf.h"
#include "rules/registry.h"
#include "rules/timing.h"

/* What the run shares, read-only once customers are being priced (the ledger
 * connection is serialized by SQLite). */
typedef struct shared {
  const run_opts *o;
  catalog cat;
  cust_index ix;
  scrt_dir sd;
  lb_template *tpl;
  ledger *lg;               /* NULL for check and dry-run */
  ledger *seen;             /* what was issued, read: lg, or for check and dry-run a copy of the ledger (or NULL) */
  atomic_file verdicts;     /* dry-run: DIR/dry-run/YYYY-MM/verdicts.csv */
  size_t nverdict[4];       /* dry-run: new, unchanged, correction, rejected */
  long long run_id;
  lb_date period_start, period_end;
  lb_date issue_date;       /* of the documents this run issues */
  lb_month filed_in;        /* the month folder written: the month billed, or the first open one after it */
  unsigned char *rejected;  /* customers with errors from the shared phase: a bit per customer index */
  char *monthdir, *invdir, *evdir;
  /* a month on several machines (README, "More machines") */
  char *plandir;            /* plan, render, seal: OUTPUT/.parts/YYYY-MM */
  plan_head plan;           /* plan: the documents planned so far; render, seal: the PLAN read */
  atomic_file *partfiles;   /* plan: part-K-of-N.plan being written, K = 1..N */
  char *partpath;           /* render: this part's file */
  plan_part part;           /* render: its entries, read one by one as their customers are priced */
  size_t nentries;
  dmap docs;                /* seal: the plan's documents by number, with what their parts drew */
  spill receipt;            /* render: the receipt's lines, what the part drew, in order */
  size_t nreceipt;
  int grouped;              /* run: PDFs written without fsync, synced with the ledger group that records them */
  int numbered_state;       /* what number_slot leaves a numbered slot in: SLOT_RESERVED when grouped */
  /* run: each document's CSV rows written as the ledger records it (month_rows); the numbers written, in order */
  int rows_live;
  struct sha256_ctx rows_seq;
  size_t nrows_docs;
} shared;

/* Where a customer is in the pipeline: priced by a worker, numbered by the
 * main thread in customer order (so numbers do not depend on --jobs),
 * rendered by a worker, finished by the main thread. */
enum { SLOT_EMPTY, SLOT_PRICED, SLOT_NUMBERED, SLOT_RENDERING, SLOT_RENDERED, SLOT_RESERVED };
/* SLOT_RESERVED: numbered in the ledger transaction still open; drawn once it is committed (a number is durable
 * before its documents exist) */
enum { ACT_NONE, ACT_NEW, ACT_SAME, ACT_CORRECT };
/* What a dry-run says a run would do for a customer. */
enum { V_NEW, V_UNCHANGED, V_CORRECTION, V_REJECTED };
static const char *const verdict_names[] = {"new", "unchanged", "correction", "rejected"};

typedef struct result {
  int state;
  int status;        /* LB_OK priced/issued, LB_EINPUT rejected, LB_EIO/LB_ENOMEM failure */
  int action;        /* ACT_*: what the ledger says to do with the priced invoice */
  size_t k;          /* customer index */
  char *id;          /* its customer_id, NULL when the index could not give it (then status is LB_EIO) */
  plan_entry *entry; /* render: its entry of the part (owned) */
  invoice inv;
  ledger_doc doc;
  char content_sha[65];
  char sha[65];      /* of the PDF */
  char ev_sha[65];   /* of the evidence PDF (run, render) */
  char *plan_text;   /* plan: the invoice's entry of its part file */
  char *correction;   /* ACT_CORRECT: the line printed when issued (what changed, which numbers) */
  int verdict;        /* dry-run: V_* */
  char *verdict_text; /* dry-run: the number it concerns and what changed */
  scrt_report **reports; /* the customer's SCRT reports, kept for the evidence */
  size_t nreports;
  struct capacity {
    char *serial;
    long msus;           /* Full Capacity MSUs this month, -1 unrated */
  } *caps;
  size_t ncaps;
  char *files[2];     /* run: the invoice and evidence PDFs written but not yet fsynced (made durable before the
                        ledger records them) */
  int reserved_only;  /* the number was reserved by a run that did not finish: a file under it was never issued */
  diag_list d;
} result;

static void result_clear(result *r)
{
  plan_entry_clear(r->entry);
  free(r->entry);
  free(r->id);
  free(r->correction);
  free(r->verdict_text);
  free(r->plan_text);
  free(r->files[0]);
  free(r->files[1]);
  for(size_t i = 0; i < r->nreports; i++)
    scrt_free(r->reports[i]);
  free(r->reports);
  for(size_t i = 0; r->caps && i < r->ncaps; i++)
    free(r->caps[i].serial);
  free(r->caps);
  invoice_clear(&r->inv);
  diag_clear(&r->d);
  memset(r, 0, sizeof(*r));
}

static int is_dir(const char *p)
{
  struct stat st;
  return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/* R-M8: an issued invoice is never overwritten. Same bytes: nothing to do. */
static int write_pdf(const char *path, const unsigned char *pdf, size_t len, const char *cust, int draft, int sync,
                     diag_list *d)
{
  struct stat st;
  if(!draft && stat(path, &st) == 0) { /* a draft (dry-run) is nobody's document: replaced */
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
                    "a different file already has this invoice's name; issued invoices are never overwritten "
                    "(R-M8), expected the output folder to hold only what the ledger issued");
  }
  if(sync ? atomic_write(path, pdf, len) : atomic_write_unsynced(path, pdf, len)) {
    diag_add(d, path, 0, 0, cust, "cannot write the invoice: %s", strerror(errno));
    return LB_EIO;
  }
  return LB_OK;
}

/* A draft (dry-run) is nobody's document, and neither is a planned one before seal issues it: a part
 * rendered again replaces its files (the plan lists only documents still to be issued). */
static int replaceable(const shared *s) { return s->o->dry_run || s->o->phase == RUN_RENDER; }

/* What was billed, by its identity (invoice_identity): the basis for "did the inputs change?" (R-M8).
 * 0 or LB_ENOMEM. */
static int content_hash(const invoice *inv, char out[65])
{
  char *id = invoice_identity(inv);
  if(!id)
    return LB_ENOMEM;
  digest_sha256_hex(id, strlen(id), out);
  free(id);
  return LB_OK;
}

/* A worker's copy of what the plan read from the ledger's carried state (owned as ledger_carried's). */
static int carried_copy(const plan_entry *e, ledger_history_set *h)
{
  carried *v = calloc(e->ncarried + 1, sizeof(*v));
  if(!v)
    return LB_ENOMEM;
  h->v = v;
  for(size_t i = 0; i < e->ncarried; i++) {
    v[i] = e->carried[i];
    v[i].subject = strdup(e->carried[i].subject);
    h->n = i + 1;
    if(!v[i].subject)
      return LB_ENOMEM;
  }
  return LB_OK;
}

static int price_customer(shared *s, size_t k, result *r, lb_date issue_date)
{
  ledger_history_set hist = {0};
  cust_data cd;
  rule_ctx ctx;
  machine_state *ms = NULL;
  scrt_report **reports = NULL;
  scrt_cust sc;             /* what scrt/ holds for its machines */
  usage_window uw = {s->period_start, s->period_end}; /* R-T3: the measurements that count */
  int rc;
  memset(&ctx, 0, sizeof(ctx));
  memset(&cd, 0, sizeof(cd));
  memset(&sc, 0, sizeof(sc));
  r->k = k;
  rc = cust_load(&cd, &s->ix, k, &s->cat, &uw, &r->d);
  if(cd.id && !(r->id = strdup(cd.id)))
    rc = LB_ENOMEM;
  if(!cd.id && rc == LB_EIO)
    diag_add(&r->d, spill_dir(), 0, 0, NULL, "cannot read back the customer index from its temporary file there: "
             "%s", strerror(errno));
  if(rc == LB_OK || rc == LB_EINPUT) {
    /* R-T10: the machines as configured for the month (reported too when other rows were bad) */
    int e = monthconf_resolve(&cd, s->o->month, s->ix.paths[CF_MACHINES], &r->d);
    if(e && rc == LB_OK)
      rc = e;
  }
  if(rc)
    goto out;
  if(s->rejected[k / 8] & (1u << (k % 8))) {
    rc = LB_EINPUT;
    goto out;
  }
  /* what earlier months carried, read once: the rules never query the ledger; a worker of a part is given
   * it by the plan, with the date its number was reserved with */
  if(r->entry) {
    if((rc = carried_copy(r->entry, &hist)))
      goto out;
    issue_date = r->entry->issue_date;
  } else if(s->seen && (rc = ledger_carried(s->seen, cd.cust.id, s->o->month, &hist))) {
    if(rc == LB_EIO)
      diag_add(&r->d, ledger_path(s->seen), 0, 0, cd.cust.id, "cannot read what earlier months carried: %s",
               ledger_errmsg(s->seen));
    goto out;
  }
  ms = calloc(cd.nmachines + 1, sizeof(*ms));
  reports = calloc(cd.nmachines + 1, sizeof(*reports));
  if(!ms || !reports) {
    rc = LB_ENOMEM;
    goto out;
  }
  if((rc = scrt_dir_customer(&s->sd, k, &sc))) {
    if(rc == LB_EIO)
      diag_add(&r->d, spill_dir(), 0, 0, cd.cust.id, "cannot read back the SCRT index from its temporary file "
               "there: %s", strerror(errno));
    goto out;
  }
  for(size_t i = 0; i < cd.nmachines; i++) {
    const scrt_held *h = scrt_cust_find(&sc, cd.machines[i].serial);
    const scrt_entry *e = h ? h->report : NULL;
    ms[i].m = &cd.machines[i];
    ms[i].rcpt = h ? h->rcpt : NULL;
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
  ctx.issue_date = issue_date;
  ctx.ms = ms;
  ctx.customers_file = s->ix.paths[CF_CUSTOMERS];
  ctx.licenses_file = s->ix.paths[CF_LICENSES];
  ctx.machines_file = s->ix.paths[CF_MACHINES];
  ctx.usage_file = s->ix.paths[CF_USAGE];
  ctx.support_file = s->ix.paths[CF_SUPPORT];
  ctx.hist = &hist;
  rc = engine_price_customer(&ctx, &r->inv, &r->d);
  if(rc == LB_EOVERFLOW)
    rc = diag_add(&r->d, ctx.licenses_file, 0, 0, cd.cust.id, "an amount of the invoice overflows, expected "
                  "amounts below 92,233,720,368,547 in the currency");
  if(rc || (rc = content_hash(&r->inv, r->content_sha)))
    goto out;
  /* the evidence draws the reports and the machines' capacities */
  r->caps = calloc(cd.nmachines + 1, sizeof(*r->caps));
  if(!r->caps) {
    rc = LB_ENOMEM;
    goto out;
  }
  r->ncaps = cd.nmachines;
  for(size_t i = 0; i < cd.nmachines; i++) {
    if(!(r->caps[i].serial = strdup(cd.machines[i].serial))) {
      rc = LB_ENOMEM;
      goto out;
    }
    r->caps[i].msus = cd.machines[i].full_capacity_msu == MSU_UNRATED ? -1 : (long)cd.machines[i].full_capacity_msu;
  }
  r->reports = reports;
  r->nreports = cd.nmachines;
  reports = NULL;
out:
  if(reports)
    for(size_t i = 0; i < cd.nmachines; i++)
      scrt_free(reports[i]);
  scrt_cust_clear(&sc);
  free(reports);
  free(ms);
  ledger_history_set_clear(&hist);
  cust_data_clear(&cd);
  if(rc)
    invoice_clear(&r->inv);
  r->status = rc;
  return rc;
}

/* The renderers one thread draws with. */
typedef struct renderers {
  invoice_pdf *inv;
  evidence_pdf *ev;
} renderers;

static int renderers_new(renderers *rd, const lb_template *t)
{
  memset(rd, 0, sizeof(*rd));
  if(invoice_pdf_new(&rd->inv, t) || evidence_pdf_new(&rd->ev, t))
    return LB_ENOMEM;
  return LB_OK;
}

static void renderers_free(renderers *rd)
{
  invoice_pdf_free(rd->inv);
  evidence_pdf_free(rd->ev);
  memset(rd, 0, sizeof(*rd));
}

/* Full Capacity MSUs of the machines of line cl in month m: this month's
 * from caps, an earlier month's from the ledger's hist; -1 when any is unknown. */
static long capacity_of(const charge_line *cl, const struct capacity *caps, size_t ncaps, const ledger_capacity *hist,
                        size_t nhist, lb_month m)
{
  long sum = 0;
  for(size_t k = 0; k < cl->nmachines; k++) {
    const char *serial = cl->machines[k].serial;
    long v = -1;
    for(size_t i = 0; caps && i < ncaps && v < 0; i++)
      if(!strcmp(caps[i].serial, serial))
        v = caps[i].msus;
    for(size_t i = 0; hist && i < nhist && v < 0; i++)
      if(hist[i].month == m && !strcmp(hist[i].serial, serial))
        v = hist[i].msus;
    if(v < 0)
      return -1;
    sum += v;
  }
  return sum;
}

/* The last 12 months of every line for the evidence charts: 11 from the ledger, this one from the invoice. */
static int build_series(shared *s, const result *r, evidence_series **series, evidence_history **store)
{
  const invoice *inv = &r->inv;
  ledger_line_hist *lines = NULL;
  ledger_capacity *caps = NULL;
  size_t nlines = 0, ncaps = 0;
  const plan_entry *pe = r->entry;
  (void)s;
  int rc = LB_OK;
  *series = calloc(inv->nlines + 1, sizeof(**series));
  *store = calloc((inv->nlines + 1) * 12, sizeof(**store));
  if(!*series || !*store)
    return LB_ENOMEM;
  if(pe) { /* a worker of a part: the plan read them from the ledger */
    lines = pe->lines;
    nlines = pe->nlines;
    caps = pe->caps;
    ncaps = pe->ncaps;
  } else if(s->seen && (rc = ledger_history(s->seen, inv->customer_id, inv->month - 11, inv->month - 1, &lines,
                                            &nlines, &caps, &ncaps)))
    return rc;
  for(size_t i = 0; i < inv->nlines; i++) {
    const charge_line *c = &inv->lines[i];
    evidence_series *se = &(*series)[i];
    evidence_history *h = &(*store)[i * 12];
    size_t n = 0;
    for(int k = 11; k >= 1; k--) {
      lb_month m = inv->month - k;
      for(size_t j = 0; j < nlines; j++)
        if(lines[j].month == m && !strcmp(lines[j].serial, c->serial) && !strcmp(lines[j].product_id, c->product_id)) {
          h[n].month = m;
          h[n].msus = lines[j].quantity;
          h[n].amount = lines[j].amount;
          h[n].capacity = capacity_of(c, NULL, 0, caps, ncaps, m); /* the same machines: the same serial list */
          n++;
          break;
        }
    }
    h[n].month = inv->month;
    h[n].msus = strcmp(c->unit, "MSUs") ? -1 : c->quantity;
    h[n].amount = c->amount;
    h[n].capacity = capacity_of(c, r->caps, r->ncaps, NULL, 0, inv->month);
    n++;
    se->serial = c->serial;
    se->product_id = c->product_id;
    se->months = h;
    se->nmonths = n;
  }
  if(!pe)
    ledger_history_free(lines, nlines, caps, ncaps);
  return LB_OK;
}

/* Render the (numbered) invoice and its evidence and make both durable, or, in a run that groups (s->grouped),
 * write both and name them in r->files for the main thread to fsync before the ledger records them.
 * r gives the reports and history for the evidence (NULL for a credit note, which is made durable at once). */
static int render_invoice(shared *s, renderers *rd, invoice *inv, result *r, char sha[65], char ev_sha[65],
                          diag_list *d)
{
  int sync = !(s->grouped && r), again = r && r->reserved_only;
  unsigned char *pdf = NULL;
  size_t len = 0;
  char *path = NULL;
  evidence_series *series = NULL;
  evidence_history *store = NULL;
  int rc = invoice_pdf_draw(rd->inv, inv, &pdf, &len);
  if(rc) {
    diag_add(d, "render", 0, 0, inv->customer_id, "cannot render the PDF of %s (code %d)", inv->number, rc);
    return LB_EIO;
  }
  digest_sha256_hex(pdf, len, sha);
  if(asprintf(&path, "%s/%s.pdf", s->invdir, inv->number) < 0) {
    free(pdf);
    return LB_ENOMEM;
  }
  rc = write_pdf(path, pdf, len, inv->customer_id, replaceable(s) || again, sync, d);
  if(!rc && !sync)
    r->files[0] = path;
  else
    free(path);
  free(pdf);
  pdf = NULL;
  path = NULL;
  if(rc)
    return rc;
  ledger_crash_point("after an invoice PDF is written");
  /* the auditors' evidence of the same document */
  evidence_input in = {.inv = inv, .invoice_sha256 = sha};
  if(r) {
    rc = build_series(s, r, &series, &store);
    if(rc)
      goto out;
    in.series = series;
    in.nseries = inv->nlines;
    in.reports = (const scrt_report *const *)r->reports;
    in.nreports = r->nreports;
  }
  rc = evidence_pdf_draw(rd->ev, &in, &pdf, &len);
  if(rc) {
    diag_add(d, "render", 0, 0, inv->customer_id, "cannot render the evidence of %s (code %d)", inv->number, rc);
    rc = LB_EIO;
    goto out;
  }
  if(asprintf(&path, "%s/%s-audit.pdf", s->evdir, inv->number) < 0) {
    rc = LB_ENOMEM;
    goto out;
  }
  if(ev_sha)
    digest_sha256_hex(pdf, len, ev_sha);
  rc = write_pdf(path, pdf, len, inv->customer_id, replaceable(s) || again, sync, d);
  if(!rc && !sync) {
    r->files[1] = path;
    path = NULL;
  }
  if(!rc)
    ledger_crash_point("after an evidence PDF is written");
out:
  free(path);
  free(pdf);
  free(series);
  free(store);
  return rc;
}

/* ---- workers: customers priced and rendered in parallel, numbered and finished in order ---- */

/* Whether a phase draws invoices in its workers (plan and seal leave that to the parts). */
static int draws(const run_opts *o)
{
  return !o->check_only && (o->phase == RUN_WHOLE || o->phase == RUN_RENDER);
}

/* plan: the invoice's entry of its part file, with what the ledger says about the customer's earlier months
 * (the carried state it was priced with, the history of its evidence charts), so that its worker never opens
 * the ledger. */
static int plan_entry_of(shared *s, result *r)
{
  ledger_history_set hist = {0};
  ledger_line_hist *lines = NULL;
  ledger_capacity *caps = NULL;
  size_t nlines = 0, ncaps = 0;
  int rc = ledger_carried(s->lg, r->inv.customer_id, s->o->month, &hist);
  if(!rc)
    rc = ledger_history(s->lg, r->inv.customer_id, s->o->month - 11, s->o->month - 1, &lines, &nlines, &caps,
                        &ncaps);
  if(!rc)
    rc = plan_entry_format(&r->plan_text, r->inv.customer_id, r->inv.number, r->inv.replaces, r->inv.issue_date,
                           r->content_sha, &hist, lines, nlines, caps, ncaps, &r->d);
  if(rc == LB_EIO)
    diag_add(&r->d, ledger_path(s->lg), 0, 0, r->inv.customer_id, "cannot read what earlier months carried: %s",
             ledger_errmsg(s->lg));
  ledger_history_free(lines, nlines, caps, ncaps);
  ledger_history_set_clear(&hist);
  return rc == LB_EINPUT ? LB_EIO : rc;
}

/* seal: the invoice as its part drew it. The plan must have priced it exactly so (the same inputs and
 * ledger), and its files were checked against the part's receipt before anything was issued. */
static int take_part(shared *s, result *r)
{
  plan_doc doc, *p = &doc;
  int found = dmap_get(&s->docs, r->inv.number, &doc, NULL);
  if(found < 0)
    return diag_add(&r->d, spill_dir(), 0, 0, r->inv.customer_id, "cannot read back the plan's documents from "
                    "their temporary file there: %s", strerror(errno));
  if(!found || strcmp(p->customer_id, r->inv.customer_id))
    return diag_add(&r->d, s->plandir, 0, 0, r->inv.customer_id, "customer %s would be issued %s, which the plan "
                    "does not list: the ledger changed since the plan, expected `licbill plan` again",
                    r->inv.customer_id, r->inv.number);
  if(strcmp(p->content_sha, r->content_sha))
    return diag_add(&r->d, s->plandir, 0, 0, r->inv.customer_id, "invoice %s of customer %s prices differently "
                    "from the plan: the inputs or the ledger changed since, expected `licbill plan` again",
                    r->inv.number, r->inv.customer_id);
  memcpy(r->sha, p->inv_sha, sizeof(r->sha));
  memcpy(r->ev_sha, p->ev_sha, sizeof(r->ev_sha));
  return LB_OK;
}

/* What a worker does with a numbered invoice: draw it (run, render), write its plan entry (plan), or take
 * the drawing its part made (seal). */
static int produce(shared *s, renderers *rd, result *r)
{
  switch(s->o->phase) {
  case RUN_PLAN: return plan_entry_of(s, r);
  case RUN_SEAL: return take_part(s, r) == LB_OK ? LB_OK : LB_EIO;
  default: return render_invoice(s, rd, &r->inv, r, r->sha, r->ev_sha, &r->d);
  }
}

/* Customers in flight (priced, numbered, drawn, not yet finished) a renderer. While the main thread commits a
 * round (its PDFs fsynced, its ledger transaction), the renderers draw what earlier rounds numbered and price ahead:
 * with 8 a renderer they ran out of work during commits (1,000 customers, --jobs 2, medians of 4 runs side by side:
 * 4.7 s with 8, 4.3 s with 64, 4.4 s with 96), for about 45 KB of memory a customer in flight. */
#define WINDOW_PER_JOB 64

static int part_next(shared *s, result *r, size_t *k);

typedef struct pool {
  shared *s;
  size_t ntodo;       /* customers to price: every customer in order, or a part's (its entries, in order) */
  size_t next;        /* next todo index to price */
  size_t done;        /* todo indexes finished so far */
  size_t window;
  result *slots;
  int failed;         /* a worker could not start a renderer */
  pthread_mutex_t mu;
  pthread_cond_t cv;
} pool;

static void *worker(void *arg)
{
  pool *p = arg;
  renderers rd;
  memset(&rd, 0, sizeof(rd));
  if(draws(p->s->o) && renderers_new(&rd, p->s->tpl)) {
    renderers_free(&rd);
    pthread_mutex_lock(&p->mu);
    p->failed = 1;
    pthread_cond_broadcast(&p->cv);
    pthread_mutex_unlock(&p->mu);
    return NULL;
  }
  pthread_mutex_lock(&p->mu);
  for(;;) {
    result *job = NULL;
    size_t i = 0;
    /* rendering first: it unblocks the ordered finish */
    for(size_t j = p->done; j < p->next && !job; j++)
      if(p->slots[j % p->window].state == SLOT_NUMBERED)
        job = &p->slots[j % p->window];
    if(job) {
      job->state = SLOT_RENDERING;
      pthread_mutex_unlock(&p->mu);
      int rc = produce(p->s, &rd, job);
      pthread_mutex_lock(&p->mu);
      if(rc)
        job->status = rc;
      job->state = SLOT_RENDERED;
      pthread_cond_broadcast(&p->cv);
      continue;
    }
    if(p->failed || p->next >= p->ntodo) {
      if(p->failed || p->done >= p->ntodo)
        break;
      pthread_cond_wait(&p->cv, &p->mu);
      continue;
    }
    if(p->next >= p->done + p->window) {
      pthread_cond_wait(&p->cv, &p->mu);
      continue;
    }
    i = p->next++;
    result *r = &p->slots[i % p->window];
    size_t k = i;
    /* a part's next entry is read here, under the lock, so that entries and slots keep one order */
    int rc = p->s->o->phase == RUN_RENDER ? part_next(p->s, r, &k) : LB_OK;
    pthread_mutex_unlock(&p->mu);
    if(rc)
      r->status = rc;
    else
      price_customer(p->s, k, r, p->s->issue_date);
    pthread_mutex_lock(&p->mu);
    r->state = SLOT_PRICED;
    pthread_cond_broadcast(&p->cv);
  }
  pthread_mutex_unlock(&p->mu);
  renderers_free(&rd);
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

/* One line per notice (cron mails stderr); notices.csv holds the same. */
static void print_notices(const invoice *inv)
{
  for(size_t i = 0; i < inv->nnotices; i++) {
    const invoice_notice *n = &inv->notices[i];
    char b[32], c[32], x[32];
    money diff;
    fprintf(stderr, "licbill: notice: customer %s, %s: machine %s", inv->customer_id, inv->number ? inv->number : "",
            n->serial);
    if(n->rule == R_T2)
      fprintf(stderr, " billed at full capacity (R-T2)");
    fprintf(stderr, ": %s; subtotal %s %s", n->reason, money_format(b, n->billed, 2), inv->currency);
    if(n->has_compared && !money_sub(&diff, n->billed, n->compared))
      fprintf(stderr, ", %s %s with the report taken (%s %s)", money_format(c, n->compared, 2), inv->currency,
              money_format(x, diff < 0 ? -diff : diff, 2), diff < 0 ? "less" : "more");
    else if(n->rule == R_T2)
      fprintf(stderr, ", no report to compare with");
    fputc('\n', stderr);
  }
}

/* A customer's pricing or rendering failed for a reason outside the inputs. */
static int env_failed(int status) { return status != LB_OK && status != LB_EINPUT; }

/* Say what ran out where (the details, such as a file that could not be read, are reported already). */
static void env_failure(diag_list *d, const char *cust, int status, const char *phase)
{
  const char *what = status == LB_ENOMEM ? "out of memory" : status == LB_EIO ? "an input or output error"
                     : status == LB_EBUG ? "an internal error" : "a failure";
  diag_add(d, "licbill", 0, 0, cust, "%s while %s customer %s: the run stops here, no later customer was "
           "issued a number (a run when the cause is fixed bills them in the same order)", what, phase, cust);
}

static void print_diags(const diag_list *d)
{
  diag_print(d, stderr);
}

/* Mark customers named by errors of the shared phase. LB_OK, or LB_EIO when the index cannot be read back. */
static int mark_rejected(shared *s, const diag_list *d)
{
  for(size_t i = 0; i < d->n; i++)
    if(d->v[i].customer_id) {
      long k = cust_index_find(&s->ix, d->v[i].customer_id);
      if(k == LB_EIO)
        return LB_EIO;
      if(k >= 0)
        s->rejected[k / 8] |= (unsigned char)(1u << (k % 8));
    }
  return LB_OK;
}

/* Lock DIR/NAME (the output folder's .lock; a part's own lock for a worker). Exit code. */
static int lock_output(const char *dir, const char *name, int *fd_out)
{
  char *path = NULL;
  if(asprintf(&path, "%s/%s", dir, name) < 0)
    return EXIT_IO;
  int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if(fd < 0) {
    fprintf(stderr, "licbill: cannot create the lock %s: %s\n", path, strerror(errno));
    free(path);
    return EXIT_IO;
  }
  if(flock(fd, LOCK_EX | LOCK_NB) < 0) {
    fprintf(stderr, "licbill: another run holds the lock %s; try again when it has finished\n", path);
    close(fd);
    free(path);
    return EXIT_LOCKED;
  }
  free(path);
  *fd_out = fd; /* released by the kernel if the process dies */
  return EXIT_ALL_INVOICED;
}

/* R-M8: a credit note cancelling an issued invoice: its lines and taxes
 * negated, each line with the steps that derived it; `now` is the invoice
 * the inputs give today, whose differences the credit note states. */
static int make_credit_note(const invoice *old, const invoice *now, const ledger_doc *doc, invoice *cn)
{

  memset(cn, 0, sizeof(*cn));
  cn->number = strdup(doc->number);
  cn->customer_id = strdup(old->customer_id);
  cn->customer_name = strdup(old->customer_name);
  cn->customer_address = strdup(old->customer_address);
  cn->country = strdup(old->country);
  cn->customer_class = strdup(old->customer_class);
  cn->contract_number = strdup(old->contract_number);
  cn->currency = strdup(old->currency);
  cn->contact = strdup(old->contact);
  cn->corrects = strdup(old->number);
  if(!cn->number || !cn->customer_id || !cn->customer_name || !cn->customer_address || !cn->country ||
     !cn->customer_class || !cn->contract_number || !cn->currency || !cn->contact || !cn->corrects)
    return LB_ENOMEM;
  cn->is_credit_note = 1;
  cn->corrects_issued = old->issue_date;
  cn->month = old->month;
  cn->issue_date = doc->issue_date; /* the day it is issued, not the invoice's */
  cn->period_start = old->period_start;
  cn->period_end = old->period_end;
  cn->due_date = DATE_NONE;         /* nothing to pay */
  for(size_t i = 0; i < old->nlines; i++) {
    const charge_line *o = &old->lines[i];
    charge_line *c = invoice_add_line(cn);
    if(!c || invoice_line_machines_of(c, o))
      return LB_ENOMEM;
    c->sysplex = o->sysplex ? strdup(o->sysplex) : NULL;
    c->product_id = strdup(o->product_id);
    c->product_name = strdup(o->product_name);
    c->ct = o->ct;
    c->order_number = o->order_number ? strdup(o->order_number) : NULL;
    c->unit = strdup(o->unit);
    c->rules = o->rules; /* the original derivation, then the credit */
    rule_set_add(&c->rules, R_M8);
    if(!c->product_id || !c->product_name || !c->unit)
      return LB_ENOMEM;
    c->quantity = o->quantity;
    c->has_unit_price = o->has_unit_price;
    c->unit_price = o->unit_price;
    c->amount = -o->amount;
    /* the evidence shows how the credited amount was derived: the original line's steps, as issued */
    for(size_t k = 0; k < old->naudit; k++) {
      const audit_step *a = &old->audit[k];
      if(a->line == o->line &&
         invoice_audit_v(cn, c->line, a->rule, a->refs, a->nrefs, a->value, "invoice %s: %s", old->number,
                         a->detail ? a->detail : ""))
        return LB_ENOMEM;
    }
    if(invoice_audit(cn, c->line, R_M8, REFS(REF_DOC(old->number)), AV_MONEY(c->amount, 2),
                     "credit for line %d of invoice %s (%s %s): its amount negated", o->line, old->number, line_charge_type(o),
                     o->product_id))
      return LB_ENOMEM;
  }
  for(size_t i = 0; i < old->ntaxes; i++) {
    tax_line *t = invoice_add_tax(cn);
    if(!t || !(t->name = strdup(old->taxes[i].name)))
      return LB_ENOMEM;
    t->rate_pct = old->taxes[i].rate_pct;
    t->base = -old->taxes[i].base;
    t->amount = -old->taxes[i].amount;
  }
  cn->subtotal = -old->subtotal;
  cn->discount = -old->discount;
  cn->tax = -old->tax;
  cn->total = -old->total;
  char *what = invoice_changes(old, now);
  if(!what)
    return LB_ENOMEM;
  int rc = invoice_audit(cn, 0, R_M8, REFS(REF_DOC(old->number)), AV_MONEY(cn->total, 2),
                         "credit note cancelling invoice %s, whose inputs changed after it was issued: %s; the issued "
                         "invoice stays as it is and a new invoice follows", old->number, what);
  free(what);
  return rc ? LB_ENOMEM : LB_OK;
}

/* Issue a credit note for `old`, loaded as prev (main thread); its number into cn_number. */
static int issue_credit_note(shared *s, renderers *rd, const ledger_doc *old, const invoice *prev,
                             const invoice *now, diag_list *d, char cn_number[64])
{
  invoice cn;
  ledger_doc cd;
  char sha[65], csha[65];
  int rc;
  memset(&cn, 0, sizeof(cn));
  ledger_new n = {old->customer_id, old->month, DOC_CREDIT_NOTE, old->number, NULL, s->issue_date, s->filed_in,
                   s->run_id};
  rc = ledger_reserve(s->lg, &n, &cd);
  if(rc)
    goto out;
  snprintf(cn_number, 64, "%s", cd.number);
  rc = make_credit_note(prev, now, &cd, &cn);
  if(rc)
    goto out;
  rc = render_invoice(s, rd, &cn, NULL, sha, NULL, d);
  if(rc || (rc = content_hash(&cn, csha)))
    goto out;
  rc = ledger_issue(s->lg, &cd, &cn, csha, sha);
out:
  invoice_clear(&cn);
  return rc;
}

/* "invoice N (T CUR) credited by CN, replaced by NEW: what changed" for the correction line. */
static int describe_correction(result *r, const invoice *prev, const char *cn_number)
{
  char *what = invoice_changes(prev, &r->inv), t[32], m[8];
  if(!what)
    return LB_ENOMEM;
  free(r->correction);
  int n = asprintf(&r->correction, "customer %s, %s: invoice %s (%s %s) is credited by %s and replaced by %s: %s",
                   r->inv.customer_id, month_format(m, r->inv.month), prev->number, money_format(t, prev->total, 2),
                   prev->currency, cn_number, r->doc.number, what);
  free(what);
  if(n < 0) {
    r->correction = NULL;
    return LB_ENOMEM;
  }
  return LB_OK;
}

/* A number reserved by a run that did not finish keeps the issue date it was
 * reserved with: the customer is priced again with it (main thread), so
 * that the resumed run gives what the uninterrupted one would have. */
static int price_again(shared *s, result *r, lb_date issue_date)
{
  size_t k = r->k;
  result_clear(r);
  int rc = price_customer(s, k, r, issue_date);
  r->state = SLOT_PRICED;
  return rc == LB_EINPUT ? LB_EBUG : rc; /* the same inputs priced a moment ago */
}

/* What a run would do for the customer (dry-run): new, unchanged, or a correction of the issued invoice. */
static int preview_verdict(shared *s, result *r)
{
  ledger_doc cur;
  int rc = ledger_current_invoice(s->seen, r->inv.customer_id, s->o->month, &cur);
  if(rc < 0)
    return rc;
  r->verdict = V_NEW;
  if(rc == 1 && cur.status == DOC_ISSUED) {
    if(!strcmp(cur.content_sha, r->content_sha)) {
      r->verdict = V_UNCHANGED;
      return (r->verdict_text = strdup(cur.number)) ? LB_OK : LB_ENOMEM;
    }
    invoice prev;
    ledger_doc pd;
    if((rc = ledger_load(s->seen, cur.number, &prev, &pd))) {
      invoice_clear(&prev);
      return rc;
    }
    char *what = invoice_changes(&prev, &r->inv);
    r->verdict = V_CORRECTION;
    rc = what && asprintf(&r->verdict_text, "%s: %s", cur.number, what) >= 0 ? LB_OK : LB_ENOMEM;
    if(rc)
      r->verdict_text = NULL;
    free(what);
    invoice_clear(&prev);
  }
  return rc;
}

/* One verdict: a row of verdicts.csv; corrections and rejections also on stdout. */
static void record_verdict(shared *s, const char *customer_id, int verdict, const char *text)
{
  FILE *fp = s->verdicts.fp;
  s->nverdict[verdict]++;
  if(fp) {
    reports_field(fp, customer_id, 0);
    reports_field(fp, verdict_names[verdict], 0);
    reports_field(fp, text ? text : "", 1);
  }
  if(verdict == V_CORRECTION || verdict == V_REJECTED)
    printf("%s: %s%s%s\n", customer_id, verdict == V_CORRECTION ? "correction of " : "rejected",
           verdict == V_REJECTED && text ? ": " : "", text ? text : "");
}

/* seal: a customer the plan did not number (a new number or a correction now): the inputs or the ledger
 * changed since the plan. Rejects nothing silently: the seal stops. */
static int seal_unplanned(shared *s, result *r)
{
  diag_add(&r->d, s->plandir, 0, 0, r->inv.customer_id, "customer %s would be issued a document the plan did not "
           "number: the inputs or the ledger changed since the plan, expected `licbill plan` again",
           r->inv.customer_id);
  r->status = LB_EIO;
  r->state = SLOT_RENDERED;
  return LB_OK;
}

/* Decide, in customer order, what happens to a priced invoice, and number it. */
static int number_slot(shared *s, result *r, renderers *rd)
{
  const run_opts *o = s->o;
  char mbuf[8];
  ledger_doc cur;
  int rc;
  if(r->status != LB_OK) {
    r->state = SLOT_RENDERED;
    return LB_OK;
  }
  if(o->phase == RUN_RENDER) {
    /* a worker of a part: the number the plan reserved, for the invoice the plan priced */
    const plan_entry *e = r->entry;
    if(strcmp(e->content_sha, r->content_sha)) {
      diag_add(&r->d, s->plandir, 0, 0, e->customer_id, "invoice %s of customer %s prices differently from the "
               "plan, expected the input set the plan read: plan the month again", e->number, e->customer_id);
      r->status = LB_EIO;
      r->state = SLOT_RENDERED;
      return LB_OK;
    }
    if(!(r->inv.number = strdup(e->number)) || (e->replaces && !(r->inv.replaces = strdup(e->replaces))))
      return LB_ENOMEM;
    r->action = e->replaces ? ACT_CORRECT : ACT_NEW;
    r->state = s->numbered_state;
    return LB_OK;
  }
  if(!s->lg) {
    /* check and dry-run: a draft number, no ledger written; the verdict from what was issued */
    if(asprintf(&r->inv.number, "DRAFT-%s-%s", month_format(mbuf, o->month), r->inv.customer_id) < 0) {
      r->inv.number = NULL;
      return LB_ENOMEM;
    }
    r->inv.is_draft = 1; /* every page of a preview says so */
    r->action = ACT_NEW;
    r->state = o->check_only ? SLOT_RENDERED : SLOT_NUMBERED;
    if(o->check_only && o->priced && (rc = o->priced(o->priced_ctx, &r->inv)))
      return rc;
    return s->seen ? preview_verdict(s, r) : LB_OK;
  }
  rc = ledger_current_invoice(s->lg, r->inv.customer_id, o->month, &cur);
  if(rc < 0)
    return rc;
  if(o->phase == RUN_SEAL && (rc != 1 || (cur.status == DOC_ISSUED && strcmp(cur.content_sha, r->content_sha))))
    return seal_unplanned(s, r);
  if(rc == 1 && cur.status == DOC_ISSUED) {
    if(!strcmp(cur.content_sha, r->content_sha)) {
      r->action = ACT_SAME; /* re-run with unchanged inputs: nothing changes */
      if(!(r->inv.number = strdup(cur.number)))
        return LB_ENOMEM;
      r->state = SLOT_RENDERED;
      return LB_OK;
    }
    invoice prev;
    ledger_doc pd;
    char cn_number[64];
    if((rc = ledger_load(s->lg, cur.number, &prev, &pd))) {
      invoice_clear(&prev);
      return rc;
    }
    if(o->no_corrections) {
      char *what = invoice_changes(&prev, &r->inv), t[32];
      cust_entry ce;
      long line = cust_index_entry(&s->ix, r->k, &ce) ? 0 : ce.line; /* read when it was loaded: 0 at worst */
      cust_entry_clear(&ce);
      diag_add(&r->d, s->ix.paths[CF_CUSTOMERS], line, 0, r->inv.customer_id,
               "inputs changed since invoice %s (%s %s) was issued for %s: %s; it stays as issued (R-M8) and, "
               "because of --no-corrections, no credit note or new invoice was made, expected unchanged inputs or a "
               "run without --no-corrections", cur.number, money_format(t, prev.total, 2), prev.currency,
               month_format(mbuf, o->month), what ? what : "(out of memory)");
      free(what);
      invoice_clear(&prev);
      r->status = LB_EINPUT;
      r->state = SLOT_RENDERED;
      return LB_OK;
    }
    /* R-M8: the issued invoice stays; a credit note cancels it and a new invoice follows */
    rc = issue_credit_note(s, rd, &cur, &prev, &r->inv, &r->d, cn_number);
    if(!rc) {
      r->action = ACT_CORRECT;
      ledger_new n = {r->inv.customer_id, o->month, DOC_INVOICE, NULL, cur.number, s->issue_date, s->filed_in,
                      s->run_id};
      rc = ledger_reserve(s->lg, &n, &r->doc);
    }
    if(!rc)
      rc = describe_correction(r, &prev, cn_number);
    invoice_clear(&prev);
  } else if(rc == 1) {
    /* reserved by a run that did not finish: the same number again, with its date */
    rc = cur.issue_date != r->inv.issue_date ? price_again(s, r, cur.issue_date) : LB_OK;
    r->doc = cur;
    r->reserved_only = 1; /* never issued: what a crash left under its number may be replaced */
    r->action = cur.replaces[0] ? ACT_CORRECT : ACT_NEW;
    if(!rc && cur.replaces[0]) {
      invoice prev;
      ledger_doc pd;
      if(!(rc = ledger_load(s->lg, cur.replaces, &prev, &pd)))
        rc = describe_correction(r, &prev, pd.superseded_by);
      invoice_clear(&prev);
    }
  } else {
    ledger_new n = {r->inv.customer_id, o->month, DOC_INVOICE, NULL, NULL, s->issue_date, s->filed_in, s->run_id};
    rc = ledger_reserve(s->lg, &n, &r->doc);
    r->action = ACT_NEW;
  }
  if(rc)
    return rc;
  if(!(r->inv.number = strdup(r->doc.number)) || (r->doc.replaces[0] && !(r->inv.replaces = strdup(r->doc.replaces))))
    return LB_ENOMEM;
  r->state = s->numbered_state;
  return LB_OK;
}

/* End a round of the main loop (run_month): fsync the PDFs it wrote and their folders, then commit its ledger
 * transaction; on a failure, roll it back (nothing whose PDF may not be durable is recorded). LB_OK or LB_EIO. */
static int round_commit(shared *s, char **files, size_t nfiles, diag_list *d)
{
  int rc = LB_OK;
  for(size_t f = 0; f < nfiles && !rc; f++)
    if((rc = atomic_sync(files[f])))
      diag_add(d, files[f], 0, 0, NULL, "cannot make the document durable: %s", strerror(errno));
  if(nfiles && !rc && ((rc = atomic_sync(s->invdir)) || (rc = atomic_sync(s->evdir))))
    diag_add(d, s->monthdir, 0, 0, NULL, "cannot make the documents' folders durable: %s", strerror(errno));
  if(rc) {
    ledger_group_rollback(s->lg);
    return LB_EIO;
  }
  if(ledger_group_commit(s->lg)) {
    diag_add(d, ledger_path(s->lg), 0, 0, NULL, "cannot record the invoices just finished: %s", ledger_errmsg(s->lg));
    return LB_EIO;
  }
  return LB_OK;
}

/* plan: the invoice goes to part (idx - 1) % N + 1 of the plan, in customer order. */
static int plan_add(shared *s, result *r)
{
  int part, rc = plan_head_add(&s->plan, r->inv.number, r->inv.customer_id, r->content_sha, &part);
  if(rc)
    return rc;
  FILE *fp = s->partfiles[part - 1].fp;
  return fputs(r->plan_text, fp) < 0 ? LB_EIO : LB_OK;
}

/* render: the part's receipt lists what it drew, with both files' sha256. */
static int receipt_add(shared *s, result *r)
{
  int rc = plan_receipt_row(&s->receipt, r->inv.number, r->sha, r->ev_sha);
  if(!rc)
    s->nreceipt++;
  return rc;
}

/* Finish a customer in order: record what was issued. */
/* Record a finished customer: its documents in the ledger (or the plan, or the part's receipt), what it carries, and
 * in a first run of the month its CSV rows. LB_OK, or a failure with its reason in d. */
static int finish_slot(shared *s, result *r, month_reports *rep, int reports_open, diag_list *d)
{
  int rc = LB_OK, parts = s->o->phase == RUN_PLAN || s->o->phase == RUN_RENDER;
  if(r->status != LB_OK)
    return LB_OK;
  if(s->o->phase == RUN_PLAN)
    rc = r->plan_text ? plan_add(s, r) : LB_OK; /* the ledger records it when the month is sealed */
  else if(s->o->phase == RUN_RENDER)
    rc = receipt_add(s, r);
  else {
    if(s->lg && r->action != ACT_SAME && r->action != ACT_NONE) {
      rc = ledger_issue(s->lg, &r->doc, &r->inv, r->content_sha, r->sha);
      ledger_crash_point("after an invoice is recorded");
    }
    /* what the rules carry into later months (rule_carried) */
    if(!rc && s->lg)
      for(size_t i = 0; i < r->inv.ncarry && !rc; i++)
        rc = ledger_carry(s->lg, r->inv.customer_id, s->o->month, &r->inv.carry[i]);
    /* the capacities of the month, for later months' evidence charts */
    if(!rc && s->lg && r->action != ACT_SAME)
      for(size_t i = 0; i < r->ncaps && !rc; i++)
        if(r->caps[i].msus >= 0) {
          carry_item c = {CARRY_CAPACITY, r->caps[i].serial, {MONTH_NONE, r->caps[i].msus}};
          rc = ledger_carry(s->lg, r->inv.customer_id, s->o->month, &c);
        }
  }
  if(rc) {
    if(s->lg)
      diag_add(d, ledger_path(s->lg), 0, 0, r->inv.customer_id, "cannot record invoice %s: %s",
               r->inv.number ? r->inv.number : "", ledger_errmsg(s->lg));
    else
      diag_add(d, s->monthdir, 0, 0, r->inv.customer_id, "cannot record invoice %s: %s",
               r->inv.number ? r->inv.number : "", strerror(errno));
    return rc;
  }
  if(parts || !reports_open || (s->lg && (!s->rows_live || r->action == ACT_SAME || r->action == ACT_NONE)))
    return LB_OK;
  /* its CSV rows: a dry-run's, or a first run's as the ledger records the document (month_rows) */
  errno = 0;
  rc = reports_add_invoice(rep, &r->inv, r->sha);
  if(rc) {
    diag_add(d, s->monthdir, 0, 0, r->inv.customer_id, "cannot write the rows of invoice %s to the month's CSV "
             "files: %s", r->inv.number ? r->inv.number : "", rc == LB_EOVERFLOW ? "an amount out of range" :
             rc == LB_ENOMEM ? "out of memory" : errno ? strerror(errno) : "write error");
    return rc;
  }
  if(s->lg) {
    sha256_update(&s->rows_seq, strlen(r->inv.number) + 1, (const uint8_t *)r->inv.number);
    s->nrows_docs++;
  }
  return LB_OK;
}

typedef struct csv_ctx {
  ledger *lg;
  month_reports *rep;
} csv_ctx;

static int add_doc_rows(void *ctx, const ledger_doc *doc)
{
  csv_ctx *c = ctx;
  invoice inv;
  ledger_doc d;
  int rc = ledger_load(c->lg, doc->number, &inv, &d);
  if(!rc)
    rc = reports_add_invoice(c->rep, &inv, d.pdf_sha);
  invoice_clear(&inv);
  return rc;
}

typedef struct seq_ctx {
  struct sha256_ctx c;
  size_t n;
} seq_ctx;

static int add_doc_number(void *ctx, const ledger_doc *doc)
{
  seq_ctx *q = ctx;
  sha256_update(&q->c, strlen(doc->number) + 1, (const uint8_t *)doc->number);
  q->n++;
  return LB_OK;
}

/* The month's charges, invoices, audit and notices CSV files hold what the ledger holds for the month (errors.csv
 * is added after). A first run of a month wrote each document's rows as the ledger recorded it (finish_slot): when
 * the month's documents in the ledger are exactly those, in the same order, the files are complete; otherwise (a
 * re-run, a correction, documents of other runs filed in the month) they are written again from the ledger, every
 * document loaded back. Both give the same bytes for the same documents (tests/e2e). LB_OK or LB_EIO/LB_ENOMEM. */
static int month_rows(shared *s, month_reports *rep)
{
  if(s->rows_live) {
    seq_ctx q;
    uint8_t want[SHA256_DIGEST_SIZE], got[SHA256_DIGEST_SIZE];
    sha256_init(&q.c);
    q.n = 0;
    int rc = ledger_each_doc(s->lg, s->filed_in, add_doc_number, &q);
    if(rc)
      return rc;
    sha256_digest(&q.c, sizeof(got), got);
    sha256_digest(&s->rows_seq, sizeof(want), want);
    if(q.n == s->nrows_docs && !memcmp(want, got, sizeof(got)))
      return LB_OK;
    /* start again from the ledger */
    reports_abort(rep);
    if(reports_open(rep, s->monthdir))
      return LB_EIO;
  }
  csv_ctx c = {s->lg, rep};
  return ledger_each_doc(s->lg, s->filed_in, add_doc_rows, &c);
}

/* The documents a run issued, for delivery (mail, EDI): OUT/issued/run-N.csv. */
typedef struct issued_list {
  FILE *fp;
  size_t n;
} issued_list;

static int add_issued_row(void *ctx, const ledger_doc *d)
{
  issued_list *il = ctx;
  char path[200], m[8], f[8], day[11], t[32];
  snprintf(path, sizeof(path), "%s/invoices/%s.pdf", month_format(f, d->filed_in), d->number);
  reports_field(il->fp, path, 0);
  reports_field(il->fp, d->kind == DOC_CREDIT_NOTE ? "credit_note" : "invoice", 0);
  reports_field(il->fp, d->number, 0);
  reports_field(il->fp, d->customer_id, 0);
  reports_field(il->fp, month_format(m, d->month), 0);
  reports_field(il->fp, date_format(day, d->issue_date), 0);
  reports_field(il->fp, money_format(t, d->total, 2), 0);
  reports_field(il->fp, d->currency, 0);
  reports_field(il->fp, d->corrects, 0);
  reports_field(il->fp, d->replaces, 1);
  il->n++;
  return LB_OK;
}

/* Every issued document no earlier list named (this run's, or those of a run that died before its list):
 * written only when there is one, named by the ledger's run id so that no run overwrites another's list.
 * 0, or LB_EIO. */
static int write_issued_list(shared *s)
{
  char *path = NULL, *dir = NULL;
  atomic_file af;
  issued_list il = {NULL, 0};
  int rc;
  if(asprintf(&dir, "%s/issued", s->o->output) < 0 || asprintf(&path, "%s/run-%06lld.csv", dir, s->run_id) < 0) {
    free(dir);
    return LB_ENOMEM;
  }
  rc = atomic_mkdirs(dir) || atomic_open(&af, path) ? LB_EIO : LB_OK;
  if(!rc) {
    il.fp = af.fp;
    fputs("path,kind,number,customer_id,month,issue_date,total,currency,corrects,replaces\n", il.fp);
    rc = ledger_each_unlisted(s->lg, add_issued_row, &il);
    if(rc || !il.n)
      atomic_abort(&af);
    else if(!(rc = atomic_commit(&af) ? LB_EIO : LB_OK))
      rc = ledger_mark_listed(s->lg, s->run_id);
  }
  free(path);
  free(dir);
  return rc;
}

/* The month's copy of its input set, made while the month is drawn: copying and fsyncing a few thousand files is
 * mostly waiting on the disk, so a thread of its own does it beside the renderers, under a temporary name that no
 * MANIFEST lists (output/snapshot.h). The tail installs it once the input set is found unchanged. */
typedef struct input_copy {
  pthread_t th;
  int running;        /* the thread was started and not joined yet */
  int made;           /* snapshot_copy ran (in the thread or in the tail) */
  const char *src, *want;
  char *tmp, *dst;
  diag_list d;
  int rc;
} input_copy;

static void *copy_inputs(void *arg)
{
  input_copy *c = arg;
  c->rc = snapshot_copy(c->src, c->tmp, c->want, &c->d);
  return NULL;
}

/* Begin the copy (when the thread cannot start, input_copy_end makes it). LB_OK or LB_ENOMEM. */
static int input_copy_begin(input_copy *c, const shared *s, const char *want)
{
  diag_init(&c->d);
  c->src = s->o->input;
  c->want = want;
  if(asprintf(&c->dst, "%s/" SNAPSHOT_INPUT, s->monthdir) < 0) {
    c->dst = NULL;
    return LB_ENOMEM;
  }
  if(!(c->tmp = snapshot_temp_name(c->dst)))
    return LB_ENOMEM;
  c->running = pthread_create(&c->th, NULL, copy_inputs, c) == 0;
  c->made = c->running;
  return LB_OK;
}

/* Wait for the copy; with install, check the input set is still what the run hashed when it began and put the
 * copy in place of MONTH/input/, else drop it. LB_OK or a code, reason in d. */
static int input_copy_end(input_copy *c, int install, diag_list *d)
{
  int rc = LB_OK;
  if(c->running) {
    pthread_join(c->th, NULL);
    c->running = 0;
  }
  if(!c->tmp)
    return LB_OK;
  if(install && !c->made) {
    c->made = 1;
    c->rc = snapshot_copy(c->src, c->tmp, c->want, &c->d);
  }
  if(install) {
    rc = c->rc;
    if(!rc)
      rc = snapshot_unchanged(c->src, c->want, &c->d);
    if(!rc)
      rc = snapshot_install(c->tmp, c->dst, &c->d);
  }
  if(!install || rc)
    snapshot_discard(c->tmp, &c->d);
  if(d)
    diag_move(d, &c->d);
  diag_clear(&c->d);
  free(c->tmp);
  free(c->dst);
  c->tmp = c->dst = NULL;
  return rc;
}

/* The month folder's input/ (copied while the month was drawn: input_copy), template/, rulebook/rules.md and
 * ABOUT (output/snapshot.h), written before the month is sealed by the run that bills the folder's own month (a
 * run of a closed month whose documents are filed in a later folder leaves that folder's copy as its own month's
 * run wrote it). The input set must still be what the run hashed when it began (the plan's digest for seal).
 * LB_OK or a code, reason in d. */
static int snapshot_month(shared *s, input_copy *c, const char *want, diag_list *d)
{
  char *tp = NULL, tsha[65];
  int rc = input_copy_end(c, 1, d);
  if(rc)
    return rc;
  if(asprintf(&tp, "%s/" SNAPSHOT_TEMPLATE, s->monthdir) < 0) {
    diag_add(d, s->monthdir, 0, 0, NULL, "out of memory while copying the month's template");
    return LB_ENOMEM;
  }
  rc = snapshot_tree(s->o->template_dir, tp, s->o->phase == RUN_SEAL ? s->plan.template_sha : NULL, d);
  if(!rc && (rc = digest_sha256_tree(tp, tsha)))
    diag_add(d, tp, 0, 0, NULL, "cannot read back: %s", strerror(errno));
  if(!rc)
    rc = snapshot_about(s->monthdir, s->filed_in, want, tsha, d);
  free(tp);
  return rc;
}

/* The inputs' hash for the run record: every file of the input set, in name order. */
static int inputs_hash(const char *dir, char out[65])
{
  return digest_sha256_tree(dir, out);
}

/* Where this run's documents go, before anything is numbered: billing
 * month M closes every month before it (their files and archives are
 * final); if M itself is closed, its new documents (corrections, late
 * customers) are filed in the first open month. Numbers follow issue
 * dates: none may be dated before the ledger's latest document. Exit code. */
static int settle_filing(shared *s, diag_list *d)
{
  const run_opts *o = s->o;
  lb_date latest;
  int closed = 0, rc;
  char a[11], b[11], m1[8], m2[8];
  if((rc = ledger_latest_issue(s->lg, &latest)))
    goto io;
  if(latest != DATE_NONE && o->issue_date < latest) {
    fprintf(stderr, "licbill: the issue date %s is before the ledger's latest document (%s), expected %s or "
            "later: numbers follow issue dates\n", date_format(a, o->issue_date), date_format(b, latest),
            date_format(b, latest));
    return EXIT_USAGE;
  }
  if((rc = ledger_month_closed(s->lg, o->month, &closed)))
    goto io;
  if(closed) {
    if((rc = ledger_first_open(s->lg, &s->filed_in)))
      goto io;
    if(o->verbose)
      fprintf(stderr, "licbill: %s is closed: its new documents are filed in %s\n", month_format(m1, o->month),
              month_format(m2, s->filed_in));
  } else if(!o->dry_run && (rc = ledger_close_through(s->lg, o->month - 1, s->run_id))) {
    if(rc == LB_EINPUT) {
      fprintf(stderr, "licbill: %s\n", ledger_errmsg(s->lg));
      return EXIT_USAGE;
    }
    goto io;
  }
  return 0;
io:
  diag_add(d, ledger_path(s->lg), 0, 0, NULL, "cannot read or record which months are closed: %s",
           ledger_errmsg(s->lg));
  return EXIT_IO;
}

/* check and dry-run: read (a copy of) the ledger when there is one, for what earlier months carried and the
 * verdicts; nothing is written to it. Exit code. */
static int open_seen(shared *s, diag_list *d)
{
  const run_opts *o = s->o;
  char *path = NULL;
  struct stat st;
  int rc = LB_OK;
  if(o->ledger_path)
    path = strdup(o->ledger_path);
  else if(!o->output || asprintf(&path, "%s/ledger.db", o->output) < 0)
    path = NULL;
  if(path && stat(path, &st) == 0)
    rc = ledger_open_copy(&s->seen, path, d);
  free(path);
  return rc == LB_OK ? 0 : rc == LB_ENOMEM ? EXIT_IO : EXIT_IO;
}

int run_close(const char *output, const char *ledger_path, lb_month m)
{
  ledger *lg = NULL;
  diag_list d;
  char *path = NULL;
  int code = EXIT_ALL_INVOICED, rc;
  diag_init(&d);
  if(!ledger_path && asprintf(&path, "%s/ledger.db", output) < 0)
    return EXIT_IO;
  rc = ledger_open(&lg, ledger_path ? ledger_path : path, &d);
  if(!rc && (rc = ledger_close_through(lg, m, 0))) {
    fprintf(stderr, "licbill: %s\n", ledger_errmsg(lg));
    code = rc == LB_EINPUT ? EXIT_USAGE : EXIT_IO;
  } else if(rc)
    code = EXIT_IO;
  print_diags(&d);
  diag_clear(&d);
  ledger_close(lg);
  free(path);
  return code;
}

/* ---- a month on several machines: the plan's files (batch/plan.c) around the same pipeline ---- */

/* Whether a phase writes the month's CSV files, MANIFEST and archive. */
static int writes_month(const run_opts *o)
{
  return !o->check_only && (o->phase == RUN_WHOLE || o->phase == RUN_SEAL);
}

/* Remove what an earlier plan of the month left (its parts, receipts, seal mark). 0 or -1. */
static int plan_sweep(const char *dir)
{
  DIR *dp = opendir(dir);
  struct dirent *e;
  int rc = 0;
  if(!dp)
    return errno == ENOENT ? 0 : -1;
  while((e = readdir(dp))) {
    if(strncmp(e->d_name, "part-", 5) && strcmp(e->d_name, "SEALED") && strcmp(e->d_name, "PLAN"))
      continue;
    char *path = NULL;
    if(asprintf(&path, "%s/%s", dir, e->d_name) < 0 || unlink(path) < 0)
      rc = -1;
    free(path);
  }
  closedir(dp);
  return rc;
}

/* plan: a fresh plan folder with its N part files open. Exit code. */
static int plan_begin(shared *s, const char *inputs_sha)
{
  const run_opts *o = s->o;
  int n = o->part_n > 0 ? o->part_n : 1;
  if(atomic_mkdirs(s->plandir) || plan_sweep(s->plandir)) {
    fprintf(stderr, "licbill: cannot prepare the plan folder %s: %s\n", s->plandir, strerror(errno));
    return EXIT_IO;
  }
  s->plan.nparts = n;
  s->plan.month = o->month;
  s->plan.filed_in = s->filed_in;
  s->plan.issue_date = s->issue_date;
  s->plan.run_id = s->run_id;
  s->plan.no_corrections = o->no_corrections;
  snprintf(s->plan.inputs_sha, sizeof(s->plan.inputs_sha), "%s", inputs_sha);
  snprintf(s->plan.version, sizeof(s->plan.version), "%s", licbill_version);
  s->plan.part_sha = calloc((size_t)n, sizeof(*s->plan.part_sha));
  s->partfiles = calloc((size_t)n, sizeof(*s->partfiles));
  if(!s->plan.part_sha || !s->partfiles || digest_sha256_tree(o->template_dir, s->plan.template_sha)) {
    fprintf(stderr, "licbill: cannot read the template folder %s\n", o->template_dir);
    return EXIT_IO;
  }
  for(int k = 1; k <= n; k++) {
    char *path = plan_part_path(s->plandir, k, n, "plan");
    if(!path || atomic_open(&s->partfiles[k - 1], path)) {
      fprintf(stderr, "licbill: cannot write the plan under %s: %s\n", s->plandir, strerror(errno));
      free(path);
      return EXIT_IO;
    }
    free(path);
    fputs("licbill-plan-part 1\n", s->partfiles[k - 1].fp);
  }
  return EXIT_ALL_INVOICED;
}

/* plan: the parts made durable, then the PLAN that names their digests (a plan exists only complete). */
static int plan_end(shared *s)
{
  int n = s->plan.nparts;
  for(int k = 1; k <= n; k++) {
    char *path = plan_part_path(s->plandir, k, n, "plan");
    int rc = !path || atomic_commit(&s->partfiles[k - 1]) || manifest_hash_file(path, s->plan.part_sha[k - 1], NULL);
    free(path);
    if(rc) {
      fprintf(stderr, "licbill: cannot write the plan under %s: %s\n", s->plandir, strerror(errno));
      return EXIT_IO;
    }
  }
  if(plan_head_write(s->plandir, &s->plan)) {
    fprintf(stderr, "licbill: cannot write the plan %s/PLAN: %s\n", s->plandir, strerror(errno));
    return EXIT_IO;
  }
  return EXIT_ALL_INVOICED;
}

/* Is the plan sealed already (DIR/SEALED names its id)? */
static int plan_sealed(const shared *s)
{
  char *path = NULL, got[65] = "";
  if(asprintf(&path, "%s/SEALED", s->plandir) < 0)
    return 0;
  FILE *fp = fopen(path, "r");
  free(path);
  if(!fp)
    return 0;
  int ok = fscanf(fp, "%64s", got) == 1;
  fclose(fp);
  return ok && !strcmp(got, s->plan.id);
}

/* seal: a document of the PLAN, kept by its number. */
static int keep_doc(void *ctx, const plan_doc *doc)
{
  int rc = dmap_put(ctx, doc->number, doc, NULL, NULL);
  return rc == 1 ? LB_EIO : rc; /* a number planned twice: a damaged plan */
}

/* render, seal: read the PLAN and check that it is this month's, made by this licbill from this input set;
 * take its issue date, filing month and --no-corrections. The seal keeps its documents (in a spilled map). Exit
 * code. */
static int plan_load(shared *s, run_opts *oc, diag_list *d)
{
  char ihash[65], a[8], b[8];
  dmap_init(&s->docs, sizeof(plan_doc));
  size_t mark = d->n;
  int rc = plan_head_read(s->plandir, &s->plan, oc->phase == RUN_SEAL ? keep_doc : NULL, &s->docs, d);
  if(rc) {
    if(rc == LB_EIO && d->n == mark)
      diag_add(d, s->plandir, 0, 0, NULL, "the plan lists a document twice, or its documents cannot be kept in a "
               "temporary file under %s, expected what `licbill plan` wrote", spill_dir());
    return EXIT_IO;
  }
  if(s->plan.month != oc->month) {
    fprintf(stderr, "licbill: %s/PLAN is the plan of %s, expected one of %s\n", s->plandir,
            month_format(a, s->plan.month), month_format(b, oc->month));
    return EXIT_IO;
  }
  if(strcmp(s->plan.version, licbill_version)) {
    fprintf(stderr, "licbill: the plan of %s was made by licbill %s, this is %s: expected the same licbill on "
            "every machine of a month\n", month_format(a, oc->month), s->plan.version, licbill_version);
    return EXIT_IO;
  }
  if(inputs_hash(oc->input, ihash)) {
    fprintf(stderr, "licbill: cannot read the input set %s\n", oc->input);
    return EXIT_IO;
  }
  if(strcmp(ihash, s->plan.inputs_sha)) {
    fprintf(stderr, "licbill: the input set %s is not the one the plan of %s was made from (sha256 %s, expected "
            "%s): plan the month again after changing inputs\n", oc->input, month_format(a, oc->month), ihash,
            s->plan.inputs_sha);
    return EXIT_IO;
  }
  oc->issue_date = s->plan.issue_date;
  oc->no_corrections = s->plan.no_corrections;
  s->issue_date = s->plan.issue_date;
  s->filed_in = s->plan.filed_in;
  return EXIT_ALL_INVOICED;
}

/* render: this part's entries, checked against the PLAN, and the customers they are for. Exit code. */
static int part_load(shared *s, diag_list *d)
{
  const run_opts *o = s->o;
  char sha[65], tsha[65];
  if(digest_sha256_tree(o->template_dir, tsha) || strcmp(tsha, s->plan.template_sha)) {
    fprintf(stderr, "licbill: the template folder %s is not the one the plan was made with, expected the same "
            "template on every machine of a month\n", o->template_dir);
    return EXIT_IO;
  }
  /* the whole part read once, checked (its digest, each customer once and in the input set), then again entry
   * by entry as its customers are priced */
  unsigned char *seen = calloc(s->ix.n / 8 + 1, 1);
  char *stray = NULL;       /* the first customer not in the input set or twice in the part */
  int twice = 0;
  plan_entry e;
  int rc = (s->partpath = plan_part_path(s->plandir, o->part_k, o->part_n, "plan")) && seen ? LB_OK : LB_ENOMEM;
  if(!rc)
    rc = plan_part_open(&s->part, s->partpath, d);
  while(!rc && (rc = plan_part_next(&s->part, &e, sha, d)) == 1) {
    long k = cust_index_find(&s->ix, e.customer_id);
    rc = LB_OK;
    if(k == LB_EIO)
      rc = LB_EIO;
    else if(k < 0 || (seen[k / 8] & (1u << (k % 8)))) {
      if(!stray) {
        if(!(stray = strdup(e.customer_id)))
          rc = LB_ENOMEM;
        twice = k >= 0;
      }
    } else {
      seen[k / 8] |= (unsigned char)(1u << (k % 8));
      s->nentries++;
    }
    plan_entry_clear(&e);
  }
  free(seen);
  plan_part_close(&s->part);
  if(!rc && strcmp(sha, s->plan.part_sha[o->part_k - 1])) {
    diag_add(d, s->partpath, 0, 0, NULL, "this part of the plan is damaged: sha256 %s, expected %s as the PLAN says: "
             "plan the month again", sha, s->plan.part_sha[o->part_k - 1]);
    rc = LB_EIO;
  }
  if(!rc && stray) {
    fprintf(stderr, "licbill: customer %s of the plan is %s, expected the plan's input set\n", stray,
            twice ? "in the part twice" : "not in the input set");
    rc = LB_EINPUT;
  }
  free(stray);
  if(!rc)
    rc = plan_part_open(&s->part, s->partpath, d);
  return rc ? EXIT_IO : EXIT_ALL_INVOICED;
}

/* render: the customer of the part's next entry (its entry into r->entry), in the part's order. */
static int part_next(shared *s, result *r, size_t *k)
{
  char sha[65];
  diag_list *d = &r->d;
  if(!(r->entry = calloc(1, sizeof(*r->entry))))
    return LB_ENOMEM;
  int rc = plan_part_next(&s->part, r->entry, sha, d);
  if(rc == 1) {
    long found = cust_index_find(&s->ix, r->entry->customer_id);
    if(found >= 0) {
      *k = (size_t)found;
      return LB_OK;
    }
    rc = LB_EIO;
  }
  if(rc >= 0 || rc == LB_EIO) /* the part is shorter, or no longer the one checked */
    diag_add(d, s->partpath, 0, 0, NULL, "this part of the plan changed while it was rendered, expected the file "
             "`licbill plan` wrote");
  return rc < 0 ? rc : LB_EIO;
}

/* seal: the customers of the plan's documents, each seen once. */
typedef struct seen_docs {
  shared *s;
  unsigned char *seen;   /* a bit per customer index */
} seen_docs;

static int check_doc(void *ctx, const char *number, const void *val)
{
  seen_docs *sd = ctx;
  plan_doc doc;
  (void)number;
  memcpy(&doc, val, sizeof(doc));
  long k = cust_index_find(&sd->s->ix, doc.customer_id);
  if(k == LB_EIO)
    return LB_EIO;
  if(k < 0 || (sd->seen[k / 8] & (1u << (k % 8)))) {
    fprintf(stderr, "licbill: customer %s of the plan is %s, expected the plan's input set\n", doc.customer_id,
            k < 0 ? "not in the input set" : "planned twice");
    return LB_EINPUT;
  }
  sd->seen[k / 8] |= (unsigned char)(1u << (k % 8));
  return LB_OK;
}

/* seal: every part's receipt and files as the plan wants them, before anything is issued; else the list of
 * what is missing or damaged and exit 4. Then the planned document of each customer. Exit code. */
static int parts_check(shared *s)
{
  diag_list pd;
  long problems = 0;
  int bad_parts = 0;
  char m[8];
  diag_init(&pd);
  for(int k = 1; k <= s->plan.nparts; k++) {
    long n = plan_receipt_check(&s->plan, &s->docs, s->plandir, s->monthdir, k, &pd);
    if(n < 0) {
      diag_clear(&pd);
      return EXIT_IO;
    }
    problems += n;
    bad_parts += n > 0;
  }
  if(problems) {
    diag_print(&pd, stderr);
    fprintf(stderr, "licbill: seal of %s refused: %ld problem%s in %d of %d parts, listed above; nothing was "
            "issued. Render the parts named again (`licbill render ... --part K/%d`), then seal\n",
            month_format(m, s->plan.month), problems, problems == 1 ? "" : "s", bad_parts, s->plan.nparts,
            s->plan.nparts);
    diag_clear(&pd);
    return EXIT_IO;
  }
  diag_clear(&pd);
  /* each planned document for a customer of the input set, each customer once */
  seen_docs sd = {s, calloc(s->ix.n / 8 + 1, 1)};
  int rc = sd.seen ? dmap_each(&s->docs, check_doc, &sd) : LB_ENOMEM;
  free(sd.seen);
  return rc ? EXIT_IO : EXIT_ALL_INVOICED;
}

/* seal: mark the plan sealed, so that a part rendered again afterwards does nothing. 0 or -1. */
static int plan_mark_sealed(shared *s)
{
  char *path = NULL;
  if(asprintf(&path, "%s/SEALED", s->plandir) < 0)
    return -1;
  char line[80];
  int n = snprintf(line, sizeof(line), "%s\n", s->plan.id);
  int rc = atomic_write(path, line, (size_t)n) ? -1 : 0;
  free(path);
  return rc;
}

int run_month(const run_opts *opts)
{
  run_opts oc = *opts;      /* render and seal take the issue date and --no-corrections from the plan */
  const run_opts *o = &oc;
  shared s;
  diag_list d;
  month_reports rep;
  pool p;
  int code = EXIT_ALL_INVOICED, lockfd = -1, rc, reports_open_ok = 0;
  char err[256], mbuf[8];
  size_t invoiced = 0, rejected = 0;
  pthread_t *threads = NULL;
  int nthreads = 0;
  renderers own;            /* the main thread's renderers, for credit notes */
  input_copy copy;          /* MONTH/input/, made while the month is drawn */

  memset(&s, 0, sizeof(s));
  memset(&p, 0, sizeof(p));
  memset(&own, 0, sizeof(own));
  memset(&copy, 0, sizeof(copy));
  diag_init(&d);
  s.o = o;
  if(o->phase != RUN_WHOLE && !o->check_only && !(s.plandir = plan_dir(o->output, o->month)))
    return EXIT_IO;
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
    if(o->phase == RUN_RENDER) {
      /* a part never takes the output folder's lock (the parts run together); one copy of a part at a time */
      char name[64];
      snprintf(name, sizeof(name), ".part-%d-of-%d.lock", o->part_k, o->part_n);
      code = atomic_mkdirs(s.plandir) ? EXIT_IO : lock_output(s.plandir, name, &lockfd);
    } else
      code = lock_output(o->output, ".lock", &lockfd);
    if(code) {
      free(s.plandir);
      return code;
    }
  }
  /* shared files: a problem here rejects the run (exit 3) */
  rc = catalog_load(&s.cat, o->input, &d);
  if(rc == LB_ENOMEM || rc == LB_EIO) {
    code = rc == LB_EIO ? EXIT_INPUT_UNUSABLE : EXIT_IO;
    goto fail;
  }
  int shared_bad = rc != 0;
  rc = cust_index_build(&s.ix, o->input, &d);
  if(rc == LB_ENOMEM || s.ix.tmp_failed) {
    code = EXIT_IO;
    goto fail;
  }
  if(rc || shared_bad) {
    code = EXIT_INPUT_UNUSABLE;
    goto fail;
  }
  timing_report_period(o->month, &s.period_start, &s.period_end);
  s.issue_date = o->issue_date;
  s.filed_in = o->month;
  rc = scrt_dir_load(&s.sd, o->input, s.period_end, &s.ix, &d);
  if(rc) {
    code = rc == LB_EINPUT ? EXIT_INPUT_UNUSABLE : EXIT_IO;
    goto fail;
  }
  s.rejected = calloc(s.ix.n / 8 + 1, 1);
  if(!s.rejected) {
    code = EXIT_IO;
    goto fail;
  }
  if(mark_rejected(&s, &d)) {
    diag_add(&d, spill_dir(), 0, 0, NULL, "cannot read back the customer index from its temporary file there: %s",
             strerror(errno));
    code = EXIT_IO;
    goto fail;
  }
  if(o->phase == RUN_RENDER || o->phase == RUN_SEAL) {
    if((code = plan_load(&s, &oc, &d)))
      goto fail;
    if(o->phase == RUN_RENDER && o->part_n != s.plan.nparts) {
      fprintf(stderr, "licbill: --part %d/%d: the plan of this month has %d parts, expected --part K/%d\n",
              o->part_k, o->part_n, s.plan.nparts, s.plan.nparts);
      code = EXIT_USAGE;
      goto fail;
    }
    if(o->phase == RUN_RENDER && plan_sealed(&s)) {
      fprintf(stderr, "licbill: the plan of %s is sealed already: part %d/%d has nothing to do\n",
              month_format(mbuf, o->month), o->part_k, o->part_n);
      goto out;
    }
    if(o->phase == RUN_RENDER && (code = part_load(&s, &d)))
      goto fail;
    if(o->phase == RUN_SEAL) {
      /* every part complete and intact, or nothing is issued */
      if(asprintf(&s.monthdir, "%s/%s", o->output, month_format(mbuf, s.filed_in)) < 0) {
        s.monthdir = NULL;
        code = EXIT_IO;
        goto fail;
      }
      code = parts_check(&s);
      free(s.monthdir);
      s.monthdir = NULL;
      if(code)
        goto fail;
    }
  }
  char ihash[65] = "";
  if(!o->check_only) {
    if(o->phase != RUN_SEAL) { /* seal draws nothing: the parts drew the invoices, plan the credit notes */
      diag_list td;
      diag_init(&td);
      if(tpl_load(&s.tpl, o->template_dir, &td)) {
        print_diags(&td);
        diag_clear(&td);
        code = EXIT_IO;
        goto fail;
      }
      diag_clear(&td);
      if(renderers_new(&own, s.tpl)) {
        code = EXIT_IO;
        goto fail;
      }
    }
    const char *base = o->output;
    char *dry = NULL;
    if(o->dry_run) {
      if(asprintf(&dry, "%s/dry-run", o->output) < 0)
        dry = NULL;
      base = dry;
      if((code = open_seen(&s, &d)))
        goto fail;
    } else if(o->phase != RUN_RENDER) { /* a part never opens the ledger: the plan holds what it needs */
      /* the ledger: numbers, issued documents, history */
      char *lpath = NULL;
      ledger_numbering want, *wantp = NULL;
      if(o->number_prefix || o->number_width || o->number_year >= 0) {
        snprintf(want.prefix, sizeof(want.prefix), "%s", o->number_prefix ? o->number_prefix : "INV-");
        want.width = o->number_width ? o->number_width : 6;
        want.with_year = o->number_year != 0;
        wantp = &want;
      }
      if(!o->ledger_path && asprintf(&lpath, "%s/ledger.db", o->output) < 0)
        lpath = NULL;
      rc = ledger_open(&s.lg, o->ledger_path ? o->ledger_path : lpath, &d);
      if(!rc)
        rc = ledger_numbering_use(s.lg, wantp, NULL, &d);
      if(rc) {
        free(lpath);
        /* a numbering other than the ledger's is the caller's mistake; anything else is the environment */
        code = rc == LB_EINPUT ? EXIT_USAGE : EXIT_IO;
        goto fail;
      }
      free(lpath);
      if(o->phase == RUN_SEAL)
        s.run_id = s.plan.run_id; /* the run the plan began: its numbers, its delivery list */
      else if(inputs_hash(o->input, ihash) || ledger_run_begin(s.lg, o->month, ihash, &s.run_id)) {
        fprintf(stderr, "licbill: cannot record the run in the ledger\n");
        code = EXIT_IO;
        goto fail;
      }
      code = settle_filing(&s, &d);
      if(code)
        goto fail;
      if(o->phase == RUN_SEAL && s.filed_in != s.plan.filed_in) {
        fprintf(stderr, "licbill: the plan files %s's documents in %s, but the ledger now says %s: expected "
                "`licbill plan` again\n", month_format(mbuf, o->month), month_format(err, s.plan.filed_in),
                month_format(err + 8, s.filed_in));
        code = EXIT_IO;
        goto fail;
      }
      if(o->phase != RUN_SEAL && ledger_run_about(s.lg, s.run_id, licbill_version, rulebook_sha256, o->issue_date)) {
        fprintf(stderr, "licbill: cannot record the run in the ledger\n");
        code = EXIT_IO;
        goto fail;
      }
      s.seen = s.lg;
    }
    if(!base || asprintf(&s.monthdir, "%s/%s", base, month_format(mbuf, s.filed_in)) < 0 ||
       asprintf(&s.invdir, "%s/invoices", s.monthdir) < 0 || atomic_mkdirs(s.invdir) ||
       asprintf(&s.evdir, "%s/evidence", s.monthdir) < 0 || atomic_mkdirs(s.evdir) ||
       (writes_month(o) && reports_open(&rep, s.monthdir))) {
      fprintf(stderr, "licbill: cannot create the month folder under %s: %s\n", base ? base : o->output,
              strerror(errno));
      free(dry);
      code = EXIT_IO;
      goto fail;
    }
    free(dry);
    reports_open_ok = writes_month(o);
    if(reports_open_ok && s.lg && s.filed_in == o->month &&
       input_copy_begin(&copy, &s, o->phase == RUN_SEAL ? s.plan.inputs_sha : ihash)) {
      code = EXIT_IO;
      goto fail;
    }
    if(o->phase == RUN_PLAN && (code = plan_begin(&s, ihash)))
      goto fail;
    if(o->dry_run) {
      char *vpath = NULL;
      if(asprintf(&vpath, "%s/verdicts.csv", s.monthdir) < 0 || atomic_open(&s.verdicts, vpath)) {
        free(vpath);
        code = EXIT_IO;
        goto fail;
      }
      free(vpath);
      fputs("customer_id,verdict,detail\n", s.verdicts.fp);
    }
  } else if((code = open_seen(&s, &d)))
    goto fail; /* check prices with what earlier months carried, too */

  /* the customers, in customers.csv order; a part's, in the plan's order */
  p.ntodo = o->phase == RUN_RENDER ? s.nentries : s.ix.n;
  p.s = &s;
  p.window = (size_t)(o->jobs > 0 ? o->jobs : 1) * WINDOW_PER_JOB;
  p.slots = calloc(p.window, sizeof(result));
  pthread_mutex_init(&p.mu, NULL);
  pthread_cond_init(&p.cv, NULL);
  if(!p.slots) {
    code = EXIT_IO;
    goto fail;
  }
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
  /* number in order as customers are priced; finish in order as they are rendered; on the first failure of
   * the environment number nobody after it, finish those before it, and stop */
  size_t numbered = 0;
  int stopping = 0;
  /* Rounds: number every customer priced so far, finish every one drawn so far (at most GROUP_MAX), then commit
   * it all as one ledger transaction. In a run (s.grouped) the round's PDFs, written without fsync, are fsynced
   * first (the ledger records a document only once it is durable), and the numbers it reserved become drawable
   * only after the commit (a number is durable before its documents exist). One journal commit and one WAL fsync
   * a round instead of several a customer. */
  s.grouped = s.lg && o->phase == RUN_WHOLE && !o->dry_run;
  s.rows_live = s.lg && reports_open_ok && o->phase == RUN_WHOLE;
  sha256_init(&s.rows_seq);
  s.numbered_state = s.grouped ? SLOT_RESERVED : SLOT_NUMBERED;
  int grouped = 0;
  size_t nfiles = 0, capfiles = 0, npend = 0;
  char **files = NULL;
  size_t *pend = calloc(p.window, sizeof(*pend));
  if(!pend)
    code = EXIT_IO;
#define GROUP_MAX 64
  pthread_mutex_lock(&p.mu);
  while(p.done < p.ntodo && !p.failed && code != EXIT_IO) {
    int moved = 0;
    if(stopping && p.done == numbered)
      break; /* everyone before the failed customer is finished */
    while(!stopping && code != EXIT_IO && numbered < p.next && p.slots[numbered % p.window].state == SLOT_PRICED) {
      result *r = &p.slots[numbered % p.window];
      if(env_failed(r->status)) {
        /* no later customer gets a number: a re-run numbers them as an uninterrupted run would */
        env_failure(&d, r->id ? r->id : "?", r->status, "pricing");
        stopping = 1;
        break;
      }
      pthread_mutex_unlock(&p.mu);
      rc = LB_OK;
      if(s.lg && !grouped) {
        if((rc = ledger_group_begin(s.lg)) == LB_OK)
          grouped = 1;
      }
      if(!rc)
        rc = number_slot(&s, r, &own);
      pthread_mutex_lock(&p.mu);
      if(rc) {
        if(s.lg)
          diag_add(&d, ledger_path(s.lg), 0, 0, r->inv.customer_id, "cannot record the invoice number in the "
                   "ledger: %s", ledger_errmsg(s.lg));
        else
          diag_add(&d, "run", 0, 0, r->inv.customer_id, "cannot number the invoice (code %d)", rc);
        code = EXIT_IO;
        break;
      }
      if(r->state == SLOT_RESERVED)
        pend[npend++] = numbered % p.window;
      numbered++;
      moved = 1;
    }
    for(size_t nfin = 0; code != EXIT_IO && nfin < GROUP_MAX && p.done < numbered &&
                         p.slots[p.done % p.window].state == SLOT_RENDERED; nfin++) {
      result *fin = &p.slots[p.done % p.window];
      moved = 1;
      pthread_mutex_unlock(&p.mu);
      if(fin->status == LB_OK && s.lg && !grouped) {
        if(ledger_group_begin(s.lg)) {
          diag_add(&d, ledger_path(s.lg), 0, 0, fin->inv.customer_id, "cannot start recording invoices: %s",
                   ledger_errmsg(s.lg));
          code = EXIT_IO;
          pthread_mutex_lock(&p.mu);
          break;
        }
        grouped = 1;
      }
      if(fin->status == LB_OK) {
        /* its PDFs, fsynced before the round is committed */
        for(int f = 0; f < 2; f++)
          if(fin->files[f]) {
            if(nfiles == capfiles) {
              size_t nc = capfiles ? 2 * capfiles : 64;
              char **nf = realloc(files, nc * sizeof(*files));
              if(!nf) {
                code = EXIT_IO;
                break;
              }
              files = nf;
              capfiles = nc;
            }
            files[nfiles++] = fin->files[f];
            fin->files[f] = NULL;
          }
        if(code == EXIT_IO)
          diag_add(&d, "licbill", 0, 0, fin->inv.customer_id, "out of memory while recording invoices");
        else if(finish_slot(&s, fin, &rep, reports_open_ok, &d))
          code = EXIT_IO;
        else
          invoiced++;
        /* said once per month: by run, or by plan (where numbers and credit notes are made) */
        int tells = o->phase == RUN_WHOLE || o->phase == RUN_PLAN;
        if(tells && fin->action == ACT_CORRECT && fin->correction && code != EXIT_IO)
          fprintf(stderr, "licbill: correction: %s\n", fin->correction); /* never silent (R-M8) */
        if(o->dry_run)
          record_verdict(&s, fin->inv.customer_id, fin->verdict, fin->verdict_text);
        if(tells)
          print_notices(&fin->inv);
        if(o->verbose)
          fprintf(stderr, "licbill: %s %s as %s\n", fin->inv.customer_id,
                  fin->action == ACT_SAME ? "unchanged, already invoiced" :
                  fin->action == ACT_CORRECT ? "corrected, invoiced" : "invoiced", fin->inv.number ? fin->inv.number : "");
      } else if(fin->status == LB_EINPUT) {
        rejected++;
        if(o->dry_run) {
          char why[64];
          snprintf(why, sizeof(why), "%zu error%s in errors.csv", fin->d.n, fin->d.n == 1 ? "" : "s");
          record_verdict(&s, fin->id, V_REJECTED, why);
        }
        if(o->verbose)
          fprintf(stderr, "licbill: customer %s rejected for the month\n", fin->id);
      } else {
        diag_move(&d, &fin->d);
        env_failure(&d, fin->id ? fin->id : "?", fin->status, "rendering");
        code = EXIT_IO;
      }
      diag_move(&d, &fin->d);
      result_clear(fin);
      pthread_mutex_lock(&p.mu);
      p.done++;
      progress(o, p.done, p.ntodo);
    }
    /* the round: its PDFs durable, then its ledger transaction, then its numbers drawable */
    if(grouped) {
      grouped = 0;
      pthread_mutex_unlock(&p.mu);
      int gc = round_commit(&s, files, nfiles, &d);
      pthread_mutex_lock(&p.mu);
      if(gc)
        code = EXIT_IO; /* no crash point here: how many rounds a run takes depends on timing, and the crash test
                           counts points */
    }
    for(size_t f = 0; f < nfiles; f++)
      free(files[f]);
    nfiles = 0;
    if(code != EXIT_IO)
      for(size_t i = 0; i < npend; i++)
        p.slots[pend[i]].state = SLOT_NUMBERED;
    npend = 0;
    if(moved) {
      pthread_cond_broadcast(&p.cv);
      continue;
    }
    pthread_cond_wait(&p.cv, &p.mu);
  }
  if(grouped) { /* a failure inside a round: what it finished stays recorded once its PDFs are durable */
    pthread_mutex_unlock(&p.mu);
    if(round_commit(&s, files, nfiles, &d))
      code = EXIT_IO;
    pthread_mutex_lock(&p.mu);
  }
  for(size_t f = 0; f < nfiles; f++)
    free(files[f]);
  free(files);
  free(pend);
#undef GROUP_MAX
  if((p.failed || stopping) && code == EXIT_ALL_INVOICED)
    code = EXIT_IO;
  if(stopping)
    code = EXIT_IO;
  p.failed |= code == EXIT_IO;
  pthread_cond_broadcast(&p.cv);
  pthread_mutex_unlock(&p.mu);
  for(int t = 0; t < nthreads; t++)
    pthread_join(threads[t], NULL);
  if(o->phase == RUN_RENDER && rejected && code != EXIT_IO) {
    /* the plan priced them: the same inputs cannot reject them now */
    fprintf(stderr, "licbill: part %d/%d: %zu customer%s of the plan rejected now, expected the input set the plan "
            "read: plan the month again\n", o->part_k, o->part_n, rejected, rejected == 1 ? "" : "s");
    code = EXIT_IO;
  }
  if(code != EXIT_IO && o->phase == RUN_PLAN)
    code = plan_end(&s) ? EXIT_IO : code;
  if(code != EXIT_IO && o->phase == RUN_RENDER) {
    /* the receipt, once every document of the part is durable: what seal checks */
    char *path = plan_part_path(s.plandir, o->part_k, o->part_n, "done");
    if(!path || plan_receipt_write(path, s.plan.id, o->part_k, o->part_n, &s.receipt, s.nreceipt)) {
      fprintf(stderr, "licbill: cannot write the receipt of part %d/%d under %s: %s\n", o->part_k, o->part_n,
              s.plandir, strerror(errno));
      code = EXIT_IO;
    }
    free(path);
  }
  if(reports_open_ok) {
    if(code != EXIT_IO && s.lg && month_rows(&s, &rep))
      code = EXIT_IO; /* the month's files are what the ledger holds for the month */
    if(code != EXIT_IO && (reports_add_errors(&rep, &d, o->input, o->output) || reports_commit(&rep))) {
      fprintf(stderr, "licbill: cannot write the month's CSV files in %s: %s\n", s.monthdir, strerror(errno));
      code = EXIT_IO;
    }
    ledger_crash_point("after the month's CSV files");
    if(code == EXIT_IO)
      reports_abort(&rep);
    reports_open_ok = 0;
    /* what the month was computed from, sealed with it: the input set and template as read, the rule book */
    if(code != EXIT_IO && s.lg && s.filed_in == o->month &&
       snapshot_month(&s, &copy, o->phase == RUN_SEAL ? s.plan.inputs_sha : ihash, &d))
      code = EXIT_IO;
    /* the month sealed: MANIFEST (chained to the previous month's) and the archive, read back */
    if(code != EXIT_IO && s.lg) {
      int sr = archive_seal_month(o->output, s.filed_in, &d);
      if(sr == LB_EIO || sr == LB_ENOMEM)
        code = EXIT_IO;
      else if(sr)
        code = EXIT_SOME_REJECTED;
      ledger_crash_point("after the month is sealed");
      if(code != EXIT_IO && write_issued_list(&s)) {
        fprintf(stderr, "licbill: cannot write the list of issued documents under %s/issued\n", o->output);
        code = EXIT_IO;
      }
      if(code != EXIT_IO && o->phase == RUN_SEAL && plan_mark_sealed(&s)) {
        fprintf(stderr, "licbill: cannot mark the plan sealed under %s\n", s.plandir);
        code = EXIT_IO;
      }
    }
  }
  if(o->dry_run && s.verdicts.fp) {
    if(code != EXIT_IO && atomic_commit(&s.verdicts))
      code = EXIT_IO;
    else if(code != EXIT_IO)
      printf("licbill: preview of %s: %zu new, %zu unchanged, %zu corrections, %zu rejected; each customer's "
             "verdict in %s/verdicts.csv\n", month_format(mbuf, o->month), s.nverdict[V_NEW],
             s.nverdict[V_UNCHANGED], s.nverdict[V_CORRECTION], s.nverdict[V_REJECTED], s.monthdir);
  }
  print_diags(&d);
  if(code == EXIT_ALL_INVOICED && (rejected || d.n))
    code = EXIT_SOME_REJECTED;
  if(s.lg)
    ledger_run_end(s.lg, s.run_id, code == EXIT_IO ? "failed" : o->phase == RUN_PLAN ? "planned" :
                   code == EXIT_ALL_INVOICED ? "all invoiced" : "some rejected", (long)invoiced, (long)rejected);
  if(o->verbose || (code == EXIT_SOME_REJECTED))
    fprintf(stderr, "licbill: %s: %zu invoiced, %zu rejected, %zu errors\n", month_format(mbuf, o->month),
            invoiced, rejected, d.n);
  if(code == EXIT_IO)
    fprintf(stderr, "licbill: the run failed (I/O or environment); nothing half-written is under a final name; "
            "run it again when the cause is fixed\n");
  goto out;
fail:
  print_diags(&d);
  if(code == EXIT_INPUT_UNUSABLE)
    fprintf(stderr, "licbill: the input set is unusable, nothing was written\n");
out:
  input_copy_end(&copy, 0, NULL); /* a run that failed: its copy is dropped */
  if(reports_open_ok)
    reports_abort(&rep);
  if(p.slots) {
    for(size_t i = 0; i < p.window; i++)
      result_clear(&p.slots[i]);
    pthread_mutex_destroy(&p.mu);
    pthread_cond_destroy(&p.cv);
  }
  renderers_free(&own);
  if(s.verdicts.fp)
    atomic_abort(&s.verdicts);
  for(int k = 0; s.partfiles && k < s.plan.nparts; k++)
    if(s.partfiles[k].fp)
      atomic_abort(&s.partfiles[k]);
  free(s.partfiles);
  spill_clear(&s.receipt);
  plan_part_close(&s.part);
  free(s.partpath);
  dmap_clear(&s.docs);
  plan_head_clear(&s.plan);
  free(s.plandir);
  if(s.seen != s.lg)
    ledger_close(s.seen);
  ledger_close(s.lg);
  free(threads);
  free(p.slots);
  free(s.rejected);
  free(s.monthdir);
  free(s.invdir);
  free(s.evdir);
  tpl_free(s.tpl);
  scrt_dir_clear(&s.sd);
  cust_index_clear(&s.ix);
  catalog_clear(&s.cat);
  diag_clear(&d);
  if(lockfd >= 0)
    close(lockfd);
  return code;
}
