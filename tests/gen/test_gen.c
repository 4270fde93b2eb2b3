/* test_gen.c - the synthetic input set is deterministic and obeys the contract and R-W/R-T rules. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <dirent.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "batch/gen.h"
#include "batch/gen_mix.h"
#include "batch/run.h"
#include "core/utf8.h"
#include "input/csvfile.h"
#include "input/customer.h"
#include "core/diag.h"
#include "rules/registry.h"
#include "tests/support/e2e.h"

#define SEED 42
#define CUSTOMERS 50

/* ---- helpers ---------------------------------------------------------------- */

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
  (void)st, (void)flag, (void)ftw;
  return remove(path);
}

static void rm_tree(const char *dir)
{
  nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* A fresh scratch directory (e2e_tmpdir); the caller frees and removes it. */
static char *make_tmp(void)
{
  char *dir = e2e_mkdtemp("gen");
  assert_non_null(dir);
  return dir;
}

static char *path_of(const char *dir, const char *name)
{
  char *p = NULL;
  assert_true(asprintf(&p, "%s/%s", dir, name) > 0);
  return p;
}

static char *slurp(const char *path, size_t *len)
{
  FILE *fp = fopen(path, "rb");
  assert_non_null(fp);
  assert_int_equal(fseek(fp, 0, SEEK_END), 0);
  long n = ftell(fp);
  assert_true(n >= 0);
  rewind(fp);
  char *p = malloc((size_t)n + 1);
  assert_non_null(p);
  assert_int_equal(fread(p, 1, (size_t)n, fp), (size_t)n);
  p[n] = '\0';
  fclose(fp);
  *len = (size_t)n;
  return p;
}

/* Sorted names of the regular files in dir. */
static int list_files(const char *dir, struct dirent ***names)
{
  int n = scandir(dir, names, NULL, alphasort);
  assert_true(n >= 0);
  return n;
}

static void free_list(struct dirent **names, int n)
{
  for(int i = 0; i < n; i++)
    free(names[i]);
  free(names);
}

/* 1 if every file of a and b (top level and scrt/) has the same name and bytes. */
static int same_dir(const char *a, const char *b)
{
  struct dirent **na, **nb;
  int n = list_files(a, &na), m = list_files(b, &nb), same = n == m;
  for(int i = 0; same && i < n; i++) {
    same = strcmp(na[i]->d_name, nb[i]->d_name) == 0;
    if(!same || na[i]->d_name[0] == '.')
      continue;
    char *pa = path_of(a, na[i]->d_name), *pb = path_of(b, nb[i]->d_name);
    struct stat st;
    assert_int_equal(stat(pa, &st), 0);
    if(S_ISDIR(st.st_mode)) {
      same = same_dir(pa, pb);
    } else {
      size_t la, lb;
      char *ca = slurp(pa, &la), *cb = slurp(pb, &lb);
      same = la == lb && memcmp(ca, cb, la) == 0;
      free(ca);
      free(cb);
    }
    free(pa);
    free(pb);
  }
  free_list(na, n);
  free_list(nb, m);
  return same;
}

/* A whole CSV file in memory: rows of strdup'ed fields, row 0 = header. */
typedef struct csv_table {
  size_t nrows;
  size_t *nf;
  char ***rows;
} csv_table;

static void table_load(csv_table *t, const char *path, int scrt)
{
  csvf_opts opts = {scrt ? 0 : ',', scrt, 0, -1, 1};
  diag_list d;
  csvf *f = NULL;
  const csv_row *row;
  int rc;
  memset(t, 0, sizeof(*t));
  diag_init(&d);
  assert_int_equal(csvf_open(&f, path, &opts, &d), LB_OK);
  while((rc = csvf_next(f, &row, &d)) == 1) {
    t->rows = realloc(t->rows, (t->nrows + 1) * sizeof(*t->rows));
    t->nf = realloc(t->nf, (t->nrows + 1) * sizeof(*t->nf));
    assert_non_null(t->rows);
    assert_non_null(t->nf);
    char **r = calloc(row->nfields ? row->nfields : 1, sizeof(*r));
    assert_non_null(r);
    for(size_t i = 0; i < row->nfields; i++)
      assert_non_null(r[i] = strdup(row->fields[i]));
    t->rows[t->nrows] = r;
    t->nf[t->nrows++] = row->nfields;
  }
  if(rc)
    diag_print(&d, stderr);
  assert_int_equal(rc, 0);
  csvf_close(f);
  diag_clear(&d);
}

static void table_free(csv_table *t)
{
  for(size_t i = 0; i < t->nrows; i++) {
    for(size_t j = 0; j < t->nf[i]; j++)
      free(t->rows[i][j]);
    free(t->rows[i]);
  }
  free(t->rows);
  free(t->nf);
}

static size_t col(const csv_table *t, const char *name)
{
  for(size_t j = 0; j < t->nf[0]; j++)
    if(!strcmp(t->rows[0][j], name))
      return j;
  fail_msg("no column %s", name);
  return 0;
}

static void load(csv_table *t, const char *dir, const char *name)
{
  char *p = path_of(dir, name);
  table_load(t, p, 0);
  free(p);
}

/* Strict whole number >= 0; -1 when not one. */
static long whole(const char *s)
{
  long v = 0;
  if(!*s)
    return -1;
  for(; *s; s++) {
    if(*s < '0' || *s > '9')
      return -1;
    v = v * 10 + (*s - '0');
  }
  return v;
}

/* Decimal text to 1/10000 units, for comparing prices without floats. */
static long long units(const char *s)
{
  long long v = 0;
  int places = -1;
  for(; *s; s++) {
    if(*s == '.') {
      places = 0;
      continue;
    }
    v = v * 10 + (*s - '0');
    if(places >= 0)
      places++;
  }
  for(places = places < 0 ? 0 : places; places < 4; places++)
    v *= 10;
  return v;
}

/* 1 when customer `id` (C000001 ...) is one of gen's own in a set made
 * with `seed` for `month`, 0 when it is a clone of a sample archetype. */
static int own_customer(const char *id, uint64_t seed, lb_month month)
{
  long n = strtol(id + 1, NULL, 10);
  assert_true(id[0] == 'C' && n >= 1);
  return gen_mix_pick(n - 1, seed, month) < 0;
}

/* 1 when `serial` is in machines.csv (table m) for one of gen's own customers. */
static int own_serial(const csv_table *m, const char *serial, uint64_t seed, lb_month month)
{
  size_t ms = col(m, "serial"), mc = col(m, "customer_id");
  for(size_t i = 1; i < m->nrows; i++)
    if(!strcmp(m->rows[i][ms], serial))
      return own_customer(m->rows[i][mc], seed, month);
  fail_msg("serial %s is in no machines.csv row", serial);
  return 0;
}

/* The header row licbill reads for a per-customer file: all its columns. */
static void full_header(char *buf, size_t cap, cust_file f)
{
  int n;
  const col_spec *cols = cust_file_columns(f, &n);
  size_t k = 0;
  buf[0] = '\0';
  for(int i = 0; i < n; i++)
    k += (size_t)snprintf(buf + k, cap - k, "%s%s", i ? "," : "", cols[i].name);
  assert_true(k < cap);
}

/* licbill check on a set, in process: the exit code (0 = every customer priced). */
static int check_set(const char *dir, lb_month month)
{
  run_opts o;
  memset(&o, 0, sizeof(o));
  o.input = dir;
  o.month = month;
  o.check_only = 1;
  o.jobs = 1;
  o.number_year = -1;
  o.issue_date = month_last_day(month) + 1;
  return run_month(&o);
}

#define NOV_2026 month_from_ym(2026, 11)

static char *g_dir; /* the shared set: CUSTOMERS customers, SEED, 2026-11 */

static int set_up(void **state)
{
  (void)state;
  g_dir = make_tmp();
  return gen_write(g_dir, CUSTOMERS, SEED, month_from_ym(2026, 11), stderr);
}

static int tear_down(void **state)
{
  (void)state;
  rm_tree(g_dir);
  free(g_dir);
  return 0;
}

/* ---- determinism ---------------------------------------------------------- */

static void gen_writes_byte_identical_files_for_the_same_seed(void **state)
{
  (void)state;
  char *again = make_tmp();
  assert_int_equal(gen_write(again, CUSTOMERS, SEED, month_from_ym(2026, 11), stderr), LB_OK);
  assert_true(same_dir(g_dir, again));
  rm_tree(again);
  free(again);
}

static void gen_writes_different_files_for_a_different_seed(void **state)
{
  (void)state;
  char *other = make_tmp();
  assert_int_equal(gen_write(other, CUSTOMERS, SEED + 1, month_from_ym(2026, 11), stderr), LB_OK);
  assert_false(same_dir(g_dir, other));
  const char *names[] = {"customers.csv", "machines.csv", "licenses.csv"};
  for(size_t i = 0; i < 3; i++) {
    char *pa = path_of(g_dir, names[i]), *pb = path_of(other, names[i]);
    size_t la, lb;
    char *a = slurp(pa, &la), *b = slurp(pb, &lb);
    assert_false(la == lb && !memcmp(a, b, la));
    free(a), free(b), free(pa), free(pb);
  }
  rm_tree(other);
  free(other);
}

static void gen_writes_the_same_first_customers_whatever_the_set_size(void **state)
{
  (void)state;
  char *small = make_tmp();
  assert_int_equal(gen_write(small, 10, SEED, month_from_ym(2026, 11), NULL), LB_OK);
  const char *names[] = {"customers.csv", "machines.csv", "licenses.csv", "scrt/received.csv"};
  for(size_t i = 0; i < 4; i++) {
    char *pa = path_of(g_dir, names[i]), *pb = path_of(small, names[i]);
    size_t la, lb;
    char *a = slurp(pa, &la), *b = slurp(pb, &lb);
    assert_true(lb < la);
    assert_memory_equal(a, b, lb);
    free(a), free(b), free(pa), free(pb);
  }
  rm_tree(small);
  free(small);
}

/* ---- the contract's columns --------------------------------------------------- */

/* The per-customer files carry every column licbill reads (the contract's
 * first, then the optional ones the archetypes fill), gen's own rows padded. */
static void gen_writes_the_contract_header_row_first_in_every_file(void **state)
{
  (void)state;
  char full[CF__COUNT][512];
  for(int f = 0; f < CF__COUNT; f++)
    full_header(full[f], sizeof(full[f]), (cust_file)f);
  const char *const want[][2] = {
    {"customers.csv", "customer_id,name,class,address,country,tax_region,currency,contract_number,"
                      "billing_cycle,payment_terms_days,prompt_pay_pct,prompt_pay_days,tsad,"},
    {"machines.csv", "customer_id,serial,type_model,full_capacity_msu,engines,sysplex,awlc_eligible,"
                     "processor_group,golc_category,zelc_category,twlc_tier,subcap_start,"},
    {"licenses.csv", "customer_id,license_id,serial,product_id,charge_type,feature_of,installed_on,"
                     "discontinued_on,notice_received_on,order_number,subcap_terms,entitled_msu,replaces,"
                     "secure_support,pricing,"},
    {"products.csv", "product_id,name,family,is_os,version,min_msu,vue,parent_product"},
    {"prices.csv", "product_id,charge_type,component,from_qty,to_qty,unit_price,fixed_price,currency,"
                   "effective_from"},
    {"value_units.csv", "vue,from_msu,to_msu,vu_per_msu"},
    {"support.csv", "customer_id,license_id,period_start,period_end,annual_charge,reinstated_on,offering,"},
    {"usage.csv", "customer_id,serial,product_id,version,hour,value,test_period"},
    {"taxes.csv", "tax_region,tax_name,rate_pct,effective_from"},
    {"machine_models.csv", "type_model,product_group,msu_rating"},
    {"scrt/received.csv", "serial,period_end,received_on,extension"},
    {"customers.csv", full[CF_CUSTOMERS]},
    {"machines.csv", full[CF_MACHINES]},
    {"licenses.csv", full[CF_LICENSES]},
    {"support.csv", full[CF_SUPPORT]},
    {"usage.csv", full[CF_USAGE]},
  };
  for(size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
    char *p = path_of(g_dir, want[i][0]);
    size_t len, hl = strlen(want[i][1]);
    char *text = slurp(p, &len);
    assert_true(len >= hl + 2);
    assert_memory_equal(text, want[i][1], hl);
    if(want[i][1][hl - 1] != ',') /* the whole row, not its start */
      assert_memory_equal(text + hl, "\r\n", 2);
    free(text);
    free(p);
  }
  /* every row has as many cells as its header */
  static const char *const files[] = {"customers.csv", "machines.csv", "licenses.csv", "support.csv", "usage.csv"};
  for(size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
    csv_table t;
    load(&t, g_dir, files[i]);
    for(size_t r = 1; r < t.nrows; r++)
      assert_int_equal(t.nf[r], t.nf[0]);
    table_free(&t);
  }
}

/* Archetype clones get fresh serials too; a serial shows twice only as two
 * dated configurations of one machine (R-T10). */
static void gen_gives_every_machine_a_unique_well_formed_serial(void **state)
{
  (void)state;
  csv_table t;
  load(&t, g_dir, "machines.csv");
  size_t cs = col(&t, "serial"), cc = col(&t, "customer_id"), ce = col(&t, "effective_from");
  int clones = 0;
  assert_true(t.nrows > CUSTOMERS);
  for(size_t i = 1; i < t.nrows; i++) {
    const char *s = t.rows[i][cs];
    assert_int_equal(strlen(s), 8);
    assert_true(s[0] >= '0' && s[0] <= '9' && s[1] >= '0' && s[1] <= '9' && s[2] == '-');
    for(int k = 3; k < 8; k++)
      assert_non_null(strchr("0123456789ABCDEF", s[k]));
    clones += !own_customer(t.rows[i][cc], SEED, NOV_2026);
    for(size_t j = 1; j < i; j++) {
      if(strcmp(s, t.rows[j][cs]))
        continue;
      assert_string_equal(t.rows[i][cc], t.rows[j][cc]);
      assert_true(t.rows[i][ce][0] && t.rows[j][ce][0]);
      assert_string_not_equal(t.rows[i][ce], t.rows[j][ce]);
    }
  }
  assert_true(clones > 0);
  table_free(&t);
}

/* 1 when one of gen's own customers licenses `product` (table l = licenses.csv). */
static int own_product(const csv_table *l, const char *product_id)
{
  size_t lc = col(l, "customer_id"), lp = col(l, "product_id");
  for(size_t i = 1; i < l->nrows; i++)
    if(!strcmp(l->rows[i][lp], product_id) && own_customer(l->rows[i][lc], SEED, NOV_2026))
      return 1;
  return 0;
}

/* R-W1: tiers from 1 MSU, each starting one above the last, the last open;
 * per-MSU price falling tier by tier (gen's own books; the archetypes'
 * come from the hand-checked sample and are checked by catalog.c). */
static void gen_prices_every_wlc_product_with_contiguous_tiers_r_w1(void **state)
{
  (void)state;
  csv_table t, lic;
  load(&t, g_dir, "prices.csv");
  load(&lic, g_dir, "licenses.csv");
  size_t cp = col(&t, "product_id"), cc = col(&t, "charge_type"), ccur = col(&t, "currency"),
         ce = col(&t, "effective_from"), cf = col(&t, "from_qty"), ct = col(&t, "to_qty"),
         cu = col(&t, "unit_price"), cm = col(&t, "component");
  int sets = 0;
  for(size_t i = 1; i < t.nrows; i++) {
    char **r = t.rows[i];
    if((strcmp(r[cc], "AWLC") && strcmp(r[cc], "VWLC")) || !own_product(&lic, r[cp]))
      continue;
    assert_string_equal(r[cm], "monthly");
    char **prev = i > 1 ? t.rows[i - 1] : NULL;
    int first = !prev || strcmp(prev[cp], r[cp]) || strcmp(prev[cc], r[cc]) || strcmp(prev[ccur], r[ccur]) ||
                strcmp(prev[ce], r[ce]);
    if(first) {
      assert_int_equal(whole(r[cf]), 1);
      sets++;
    } else {
      assert_true(prev[ct][0]); /* an open tier ends its set */
      assert_int_equal(whole(r[cf]), whole(prev[ct]) + 1);
      assert_true(units(r[cu]) < units(prev[cu]));
    }
    char **next = i + 1 < t.nrows ? t.rows[i + 1] : NULL;
    int last = !next || strcmp(next[cp], r[cp]) || strcmp(next[cc], r[cc]) || strcmp(next[ccur], r[ccur]) ||
               strcmp(next[ce], r[ce]);
    if(last)
      assert_string_equal(r[ct], "");
    else
      assert_true(whole(r[ct]) >= whole(r[cf]));
  }
  assert_true(sets >= 4 * 2 * 19); /* 4 currencies x AWLC/VWLC x the MSU-priced products */
  table_free(&t);
  table_free(&lic);
}

static void gen_prices_every_license_in_its_customer_currency(void **state)
{
  (void)state;
  csv_table cus, lic, pr;
  load(&cus, g_dir, "customers.csv");
  load(&lic, g_dir, "licenses.csv");
  load(&pr, g_dir, "prices.csv");
  size_t kid = col(&cus, "customer_id"), kcur = col(&cus, "currency");
  size_t lc = col(&lic, "customer_id"), lp = col(&lic, "product_id"), lt = col(&lic, "charge_type");
  size_t pp = col(&pr, "product_id"), pt = col(&pr, "charge_type"), pc = col(&pr, "currency");
  assert_int_equal(cus.nrows, CUSTOMERS + 1);
  for(size_t i = 1; i < lic.nrows; i++) {
    const char *cur = NULL;
    if(!own_customer(lic.rows[i][lc], SEED, NOV_2026))
      continue; /* a sample archetype: licbill check prices it (gen_mix_... below) */
    for(size_t k = 1; k < cus.nrows && !cur; k++)
      if(!strcmp(cus.rows[k][kid], lic.rows[i][lc]))
        cur = cus.rows[k][kcur];
    assert_non_null(cur);
    int found = 0;
    for(size_t k = 1; k < pr.nrows && !found; k++)
      found = !strcmp(pr.rows[k][pp], lic.rows[i][lp]) && !strcmp(pr.rows[k][pt], lic.rows[i][lt]) &&
              !strcmp(pr.rows[k][pc], cur);
    if(!found)
      fail_msg("no price for %s %s %s", lic.rows[i][lp], lic.rows[i][lt], cur);
  }
  table_free(&cus);
  table_free(&lic);
  table_free(&pr);
}

/* R-W9, R-W10, R-W18: one workload charge type for the z/OS family per
 * machine, z/OS always licensed, FWLC only beside it, one pricing. */
static void gen_keeps_one_wlc_type_and_zos_on_every_machine_r_w9_r_w10(void **state)
{
  (void)state;
  csv_table mac, lic;
  load(&mac, g_dir, "machines.csv");
  load(&lic, g_dir, "licenses.csv");
  size_t ms = col(&mac, "serial"), ma = col(&mac, "awlc_eligible"), msub = col(&mac, "subcap_start");
  size_t ls = col(&lic, "serial"), lp = col(&lic, "product_id"), lt = col(&lic, "charge_type"),
         lpr = col(&lic, "pricing"), lf = col(&lic, "feature_of"), lid = col(&lic, "license_id");
  size_t mc = col(&mac, "customer_id");
  int own = 0;
  for(size_t i = 1; i < mac.nrows; i++) {
    const char *serial = mac.rows[i][ms];
    /* an archetype's machine may run z/VSE, z/TPF or IBM i, or license PSLC */
    if(!own_customer(mac.rows[i][mc], SEED, NOV_2026))
      continue;
    own++;
    const char *wlc = !strcmp(mac.rows[i][ma], "yes") ? "AWLC" : "VWLC";
    const char *pricing = mac.rows[i][msub][0] ? "subcap" : "full";
    int zos = 0;
    for(size_t k = 1; k < lic.nrows; k++) {
      char **l = lic.rows[k];
      if(strcmp(l[ls], serial))
        continue;
      if(!strcmp(l[lt], "AWLC") || !strcmp(l[lt], "VWLC")) {
        assert_string_equal(l[lt], wlc);
        assert_string_equal(l[lpr], pricing);
      } else {
        assert_string_equal(l[lpr], "full");
      }
      zos += !strcmp(l[lp], "5650-ZOS");
      if(l[lf][0]) { /* a feature names a license of the same machine */
        int same = 0;
        for(size_t j = 1; j < lic.nrows; j++)
          same |= !strcmp(lic.rows[j][lid], l[lf]) && !strcmp(lic.rows[j][ls], serial);
        assert_true(same);
      }
    }
    assert_int_equal(zos, 1);
  }
  assert_true(own > CUSTOMERS / 2);
  table_free(&mac);
  table_free(&lic);
}

/* ---- SCRT reports ------------------------------------------------------------ */

typedef struct scrt_stats {
  int files, semicolon, latin1, blank_quoted, crlf, lf, overrides;
} scrt_stats;

/* Check one report: MSUs whole, within the rated capacity, CPC >= LPARs,
 * z/OS = CPC >= every product; an override is lower and explained (R-T2a). */
static void check_report(const char *path, scrt_stats *st, char *serial_out, size_t cap)
{
  csv_table t;
  table_load(&t, path, 1);
  long rated = -1, cpc = -1, zos = -1, max_lpar = -1, max_product = -1;
  char sec[3] = "";
  int in_units = 0;
  serial_out[0] = '\0';
  for(size_t i = 0; i < t.nrows; i++) {
    char **r = t.rows[i];
    size_t n = t.nf[i];
    if(!strncmp(r[0], "==", 2)) {
      snprintf(sec, sizeof(sec), "%.2s", r[0] + 2);
      in_units = 0;
      continue;
    }
    if(!strcmp(sec, "B5") && n == 2) {
      if(!strcmp(r[0], "Machine Rated Capacity (MSUs)"))
        rated = whole(r[1]);
      if(!strcmp(r[0], "Machine Serial Number"))
        snprintf(serial_out, cap, "%s", r[1]);
    } else if(!strcmp(sec, "E5") && n == 6) {
      if(!strcmp(r[0], "Product Name")) {
        in_units = !strcmp(r[2], "Tool Units");
        continue;
      }
      if(in_units)
        continue;
      long tool = whole(r[2]);
      assert_true(tool >= 0);
      if(!strcmp(r[1], "5650-ZOS"))
        zos = tool;
      if(tool > max_product)
        max_product = tool;
      if(r[3][0]) {
        assert_true(whole(r[3]) < tool);
        assert_true(r[4][0] != '\0');
        st->overrides++;
      }
    } else if(!strcmp(sec, "N5") && n == 3 && strcmp(r[0], "LPAR Name")) {
      long v = whole(r[1]);
      assert_true(v >= 0);
      if(!strcmp(r[0], "CPC"))
        cpc = v;
      else if(v > max_lpar)
        max_lpar = v;
    }
  }
  assert_true(rated >= 50 && rated <= 2500);
  assert_true(cpc >= 1);
  assert_true(cpc <= rated);
  assert_true(max_lpar <= cpc);
  assert_int_equal(zos, cpc);
  assert_true(max_product <= zos);
  table_free(&t);

  size_t len;
  char *raw = slurp(path, &len);
  size_t bad;
  st->files++;
  st->latin1 += !utf8_valid(raw, len, &bad);
  st->crlf += strstr(raw, "\r\n") != NULL;
  st->lf += strstr(raw, "\r\n") == NULL;
  st->semicolon += strstr(raw, "Customer Number\";\"") != NULL || strstr(raw, "Customer Number;") != NULL;
  st->blank_quoted += strstr(raw, "\n\"\"\r\n") != NULL || strstr(raw, "\n\"\"\n") != NULL;
  free(raw);
}

/* The value of a "key","value" row of an SCRT report, or NULL. */
static const char *report_value(const csv_table *t, const char *key)
{
  for(size_t j = 0; j < t->nrows; j++)
    if(t->nf[j] == 2 && !strcmp(t->rows[j][0], key))
      return t->rows[j][1];
  return NULL;
}

/* gen's own reports obey check_report; a clone's report names its own
 * customer and machine; every report is named after its machine and
 * period, and its rated capacity is the inventory's. */
static void gen_never_reports_scrt_msus_above_the_rated_capacity(void **state)
{
  (void)state;
  csv_table rec, mac;
  scrt_stats st = {0};
  char *dir = path_of(g_dir, "scrt");
  load(&rec, g_dir, "scrt/received.csv");
  load(&mac, g_dir, "machines.csv");
  size_t rs = col(&rec, "serial"), rp = col(&rec, "period_end");
  size_t ms = col(&mac, "serial"), mr = col(&mac, "full_capacity_msu"), msub = col(&mac, "subcap_start"),
         mc = col(&mac, "customer_id");

  /* one received row per own machine with sub-capacity, and no other */
  size_t subcap = 0, own_receipts = 0;
  for(size_t i = 1; i < mac.nrows; i++)
    subcap += mac.rows[i][msub][0] != '\0' && own_customer(mac.rows[i][mc], SEED, NOV_2026);
  for(size_t i = 1; i < rec.nrows; i++)
    own_receipts += own_serial(&mac, rec.rows[i][rs], SEED, NOV_2026);
  assert_int_equal(own_receipts, subcap);

  struct dirent **names;
  int n = list_files(dir, &names);
  int reports = 0, clones = 0;
  for(int i = 0; i < n; i++) {
    const char *nm = names[i]->d_name;
    if(nm[0] == '.' || !strcmp(nm, "received.csv"))
      continue;
    char *p = path_of(dir, nm), serial[32];
    csv_table t;
    table_load(&t, p, 1);
    const char *sv = report_value(&t, "Machine Serial Number");
    assert_non_null(sv);
    snprintf(serial, sizeof(serial), "%s", sv);
    if(own_serial(&mac, serial, SEED, NOV_2026)) {
      check_report(p, &st, serial, sizeof(serial));
      reports++;
      /* the file is named after its machine and period */
      char want[64];
      int found = 0;
      for(size_t k = 1; k < rec.nrows && !found; k++)
        if(!strcmp(rec.rows[k][rs], serial)) {
          snprintf(want, sizeof(want), "%s-%s.csv", serial, rec.rows[k][rp]);
          assert_string_equal(nm, want);
          found = 1;
        }
      assert_true(found);
    } else {
      /* a clone: its file name, customer number and serial were filled in together */
      clones++;
      assert_int_equal(strlen(nm), strlen(serial) + 1 + 10 + 4);
      assert_memory_equal(nm, serial, strlen(serial));
      assert_string_equal(nm + strlen(nm) - 4, ".csv");
      for(size_t k = 1; k < mac.nrows; k++)
        if(!strcmp(mac.rows[k][ms], serial))
          assert_string_equal(report_value(&t, "Customer Number"), mac.rows[k][mc]);
    }
    for(size_t k = 1; k < mac.nrows; k++)
      if(!strcmp(mac.rows[k][ms], serial))
        assert_string_equal(report_value(&t, "Machine Rated Capacity (MSUs)"), mac.rows[k][mr]);
    table_free(&t);
    free(p);
  }
  assert_int_equal(reports, (int)own_receipts);
  assert_true(clones > 0);
  free_list(names, n);
  /* the house styles real SCRT files come in all occur */
  assert_true(st.semicolon > 0 && st.semicolon < st.files);
  assert_true(st.latin1 > 0);
  assert_true(st.crlf > 0 && st.lf > 0);
  assert_true(st.blank_quoted > 0);
  table_free(&rec);
  table_free(&mac);
  free(dir);
}

/* R-T3: November is charged from 2 Sep .. 1 Oct; a leap February counts 29
 * days. The archetype clones' reports are moved to the period too, their
 * day count recomputed. */
static void gen_writes_the_reporting_period_that_drives_the_billing_month_r_t3(void **state)
{
  (void)state;
  static const struct {
    int y, m;
    const char *period_end, *text;
  } cases[] = {
    {2026, 11, "2026-10-01", "2 Sep, 2026 - 1 Oct, 2026 inclusive (30 days)"},
    {2024, 4, "2024-03-01", "2 Feb, 2024 - 1 Mar, 2024 inclusive (29 days)"},
    {2027, 1, "2026-12-01", "2 Nov, 2026 - 1 Dec, 2026 inclusive (30 days)"},
    {2026, 3, "2026-02-01", "2 Jan, 2026 - 1 Feb, 2026 inclusive (31 days)"},
  };
  for(size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
    char *dir = make_tmp();
    lb_month month = month_from_ym(cases[c].y, cases[c].m);
    long n = GEN_MIX_EVERY * gen_narchetypes + 2; /* every archetype once */
    assert_int_equal(gen_write(dir, n, SEED, month, stderr), LB_OK);
    csv_table rec, mac;
    int clones = 0;
    load(&rec, dir, "scrt/received.csv");
    load(&mac, dir, "machines.csv");
    assert_true(rec.nrows > 1);
    for(size_t i = 1; i < rec.nrows; i++) {
      if(!own_serial(&mac, rec.rows[i][0], SEED, month)) {
        if(strcmp(rec.rows[i][1], cases[c].period_end))
          continue; /* a clone's receipt for another period, moved likewise */
        clones++;
      }
      assert_string_equal(rec.rows[i][1], cases[c].period_end);
      /* due between the 2nd and the 9th (R-T2), a few late */
      assert_memory_equal(rec.rows[i][2], cases[c].period_end, 8);
      long day = whole(rec.rows[i][2] + 8);
      assert_true(day >= 2 && day <= 20);
      char name[64];
      snprintf(name, sizeof(name), "scrt/%s-%s.csv", rec.rows[i][0], cases[c].period_end);
      char *p = path_of(dir, name);
      csv_table t;
      table_load(&t, p, 1);
      int seen = 0;
      for(size_t j = 0; j < t.nrows; j++)
        if(t.nf[j] == 2 && !strcmp(t.rows[j][0], "Reporting Period")) {
          assert_string_equal(t.rows[j][1], cases[c].text);
          seen = 1;
        }
      assert_true(seen);
      table_free(&t);
      free(p);
    }
    assert_true(clones > 0);
    table_free(&rec);
    table_free(&mac);
    rm_tree(dir);
    free(dir);
  }
}

/* ---- the sample's archetypes -------------------------------------------------- */

/* A set with every archetype at least once: GEN_MIX_EVERY customers per archetype. */
static char *archetype_set(lb_month month)
{
  char *dir = make_tmp();
  assert_int_equal(gen_write(dir, GEN_MIX_EVERY * gen_narchetypes + 2, SEED, month, stderr), LB_OK);
  return dir;
}

/* Every charge type of chargetype.h that a rule module prices is licensed
 * somewhere in the set, and licbill check prices every customer of it. */
static void gen_licenses_every_charge_type_and_check_accepts_the_set(void **state)
{
  (void)state;
  assert_true(gen_narchetypes > 0);
  char *dir = archetype_set(NOV_2026);
  csv_table lic;
  int seen[CT__COUNT] = {0};
  load(&lic, dir, "licenses.csv");
  size_t lt = col(&lic, "charge_type");
  for(size_t i = 1; i < lic.nrows; i++)
    for(int ct = 0; ct < CT__COUNT; ct++)
      seen[ct] += charge_type_names[ct] && !strcmp(lic.rows[i][lt], charge_type_names[ct]);
  /* every charge type an input may name (the derived ILC and PLC are billed by licbill itself) */
  for(int ct = 0; ct < CT__COUNT; ct++)
    if(!(charge_type_flags((charge_type)ct) & CTF_DERIVED) && !seen[ct])
      fail_msg("no license of charge type %s in the generated set", charge_type_names[ct]);
  table_free(&lic);
  assert_int_equal(check_set(dir, NOV_2026), EXIT_ALL_INVOICED);
  rm_tree(dir);
  free(dir);
}

/* Moved to other billing months (a leap February, a year end, far back),
 * the archetypes still price without an error. */
static void gen_sets_of_other_months_price_without_errors(void **state)
{
  (void)state;
  static const int months[][2] = {{2024, 4}, {2027, 2}, {2026, 12}, {2027, 1}, {1950, 1}, {2100, 3}};
  for(size_t i = 0; i < sizeof(months) / sizeof(months[0]); i++) {
    lb_month m = month_from_ym(months[i][0], months[i][1]);
    char *dir = archetype_set(m);
    int rc = check_set(dir, m);
    if(rc != EXIT_ALL_INVOICED)
      fail_msg("licbill check of the set for %04d-%02d exited %d", months[i][0], months[i][1], rc);
    rm_tree(dir);
    free(dir);
  }
}

/* What the clone of a cell of the 2026-11 set must be in the set of a month
 * `delta` months later: dates and months moved, a month's last day kept
 * the last day (periods keep meeting), everything else unchanged.
 * *month_end counts last days that plain clamping would have moved
 * off the month's end. */
static void expect_moved(char *out, size_t cap, const char *v, int delta, int *month_end)
{
  lb_date d;
  lb_month m;
  size_t ep, n = strlen(v);
  char buf[16];
  if((n == 10 || (n == 13 && v[10] == 'T')) && date_parse(&d, v, 10, &ep) == 0) {
    lb_date moved = date_add_months(d, delta);
    if(d == month_last_day(month_of(d))) {
      if(moved != month_last_day(month_of(moved)))
        (*month_end)++;
      moved = month_last_day(month_of(d) + delta);
    }
    snprintf(out, cap, "%s%s", date_format(buf, moved), v + 10);
  } else if(n == 7 && month_parse(&m, v, 7, &ep) == 0) {
    snprintf(out, cap, "%s", month_format(buf, m + delta));
  } else {
    snprintf(out, cap, "%s", v);
  }
}

/* The clones in the set for February 2027 are those of November 2026 with
 * every date three months later: same ids, serials and amounts. */
static void gen_moves_the_archetypes_dates_to_the_billing_month(void **state)
{
  (void)state;
  lb_month feb = month_from_ym(2027, 2);
  char *nov_dir = archetype_set(NOV_2026), *feb_dir = archetype_set(feb);
  static const char *const files[] = {"customers.csv", "machines.csv", "licenses.csv", "support.csv", "usage.csv",
                                      "scrt/received.csv"};
  int month_end = 0, dates = 0;
  csv_table nmac;
  load(&nmac, nov_dir, "machines.csv");
  for(size_t f = 0; f < sizeof(files) / sizeof(files[0]); f++) {
    csv_table a, b;
    load(&a, nov_dir, files[f]);
    load(&b, feb_dir, files[f]);
    int received = !strcmp(files[f], "scrt/received.csv");
    size_t key = col(&a, received ? "serial" : "customer_id");
    size_t ia = 1, ib = 1;
    for(;;) {
      /* the next clone row of each set */
      while(ia < a.nrows && (received ? own_serial(&nmac, a.rows[ia][key], SEED, NOV_2026)
                                      : own_customer(a.rows[ia][key], SEED, NOV_2026)))
        ia++;
      while(ib < b.nrows && (received ? own_serial(&nmac, b.rows[ib][key], SEED, NOV_2026)
                                      : own_customer(b.rows[ib][key], SEED, feb)))
        ib++;
      if(ia >= a.nrows || ib >= b.nrows)
        break;
      assert_int_equal(a.nf[ia], b.nf[ib]);
      for(size_t c = 0; c < a.nf[ia]; c++) {
        char want[64];
        expect_moved(want, sizeof(want), a.rows[ia][c], 3, &month_end);
        dates += strcmp(want, a.rows[ia][c]) != 0;
        if(strcmp(want, b.rows[ib][c]))
          fail_msg("%s: clone cell '%s' became '%s', expected '%s'", files[f], a.rows[ia][c], b.rows[ib][c], want);
      }
      ia++, ib++;
    }
    assert_true(ia >= a.nrows && ib >= b.nrows); /* as many clone rows in both */
    table_free(&a);
    table_free(&b);
  }
  assert_true(dates > 0);
  assert_true(month_end > 0); /* e.g. 30 Sep 2026 + 3 months: 31 Dec, not 30 Dec */
  table_free(&nmac);
  rm_tree(nov_dir);
  rm_tree(feb_dir);
  free(nov_dir);
  free(feb_dir);
}

/* Archetypes are left out only where a moved date would leave 1900..9999. */
static void gen_uses_archetypes_wherever_their_dates_can_move(void **state)
{
  (void)state;
  lb_month lo = month_from_ym(1900, 1) + (gen_arch_month - gen_arch_first);
  lb_month hi = month_from_ym(9999, 12) - (gen_arch_last - gen_arch_month);
  assert_true(gen_mix_month_ok(NOV_2026));
  assert_true(gen_mix_month_ok(lo));
  assert_false(gen_mix_month_ok(lo - 1));
  assert_true(gen_mix_month_ok(hi));
  assert_false(gen_mix_month_ok(hi + 1));
  assert_true(gen_mix_pick(GEN_MIX_OFFSET, SEED, NOV_2026) >= 0);
  assert_int_equal(gen_mix_pick(GEN_MIX_OFFSET, SEED, lo - 1), -1);
  assert_int_equal(gen_mix_pick(0, SEED, NOV_2026), -1); /* C000001 is always gen's own */
}

/* ---- arguments and the output directory ------------------------------------------ */

static void gen_refuses_an_scrt_directory_that_is_not_empty(void **state)
{
  (void)state;
  char *dir = make_tmp();
  assert_int_equal(gen_write(dir, 2, SEED, month_from_ym(2026, 11), NULL), LB_OK);
  assert_int_equal(gen_write(dir, 2, SEED, month_from_ym(2026, 11), NULL), LB_EINPUT);
  rm_tree(dir);
  free(dir);
}

static void gen_creates_missing_parent_directories(void **state)
{
  (void)state;
  char *dir = make_tmp();
  char *deep = path_of(dir, "a/b/c");
  assert_int_equal(gen_write(deep, 1, SEED, month_from_ym(2026, 11), NULL), LB_OK);
  char *p = path_of(deep, "customers.csv");
  assert_int_equal(access(p, R_OK), 0);
  free(p);
  free(deep);
  rm_tree(dir);
  free(dir);
}

static void gen_rejects_counts_and_months_out_of_range(void **state)
{
  (void)state;
  char *dir = make_tmp();
  assert_int_equal(gen_write(dir, -1, SEED, month_from_ym(2026, 11), NULL), LB_EINPUT);
  assert_int_equal(gen_write(dir, GEN_MAX_CUSTOMERS + 1, SEED, month_from_ym(2026, 11), NULL), LB_EINPUT);
  assert_int_equal(gen_write(dir, 1, SEED, month_from_ym(1900, 1), NULL), LB_EINPUT);
  assert_int_equal(gen_write(NULL, 1, SEED, month_from_ym(2026, 11), NULL), LB_EINPUT);
  assert_int_equal(gen_write("", 1, SEED, month_from_ym(2026, 11), NULL), LB_EINPUT);
  rm_tree(dir);
  free(dir);
}

static void gen_reports_a_file_in_place_of_the_directory_as_an_io_error(void **state)
{
  (void)state;
  char *dir = make_tmp();
  char *file = path_of(dir, "plain");
  FILE *fp = fopen(file, "w");
  assert_non_null(fp);
  fclose(fp);
  assert_int_equal(gen_write(file, 1, SEED, month_from_ym(2026, 11), NULL), LB_EIO);
  free(file);
  rm_tree(dir);
  free(dir);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(gen_writes_byte_identical_files_for_the_same_seed),
    cmocka_unit_test(gen_writes_different_files_for_a_different_seed),
    cmocka_unit_test(gen_writes_the_same_first_customers_whatever_the_set_size),
    cmocka_unit_test(gen_writes_the_contract_header_row_first_in_every_file),
    cmocka_unit_test(gen_gives_every_machine_a_unique_well_formed_serial),
    cmocka_unit_test(gen_prices_every_wlc_product_with_contiguous_tiers_r_w1),
    cmocka_unit_test(gen_prices_every_license_in_its_customer_currency),
    cmocka_unit_test(gen_keeps_one_wlc_type_and_zos_on_every_machine_r_w9_r_w10),
    cmocka_unit_test(gen_never_reports_scrt_msus_above_the_rated_capacity),
    cmocka_unit_test(gen_writes_the_reporting_period_that_drives_the_billing_month_r_t3),
    cmocka_unit_test(gen_licenses_every_charge_type_and_check_accepts_the_set),
    cmocka_unit_test(gen_sets_of_other_months_price_without_errors),
    cmocka_unit_test(gen_moves_the_archetypes_dates_to_the_billing_month),
    cmocka_unit_test(gen_uses_archetypes_wherever_their_dates_can_move),
    cmocka_unit_test(gen_refuses_an_scrt_directory_that_is_not_empty),
    cmocka_unit_test(gen_creates_missing_parent_directories),
    cmocka_unit_test(gen_rejects_counts_and_months_out_of_range),
    cmocka_unit_test(gen_reports_a_file_in_place_of_the_directory_as_an_io_error),
  };
  return cmocka_run_group_tests(tests, set_up, tear_down);
}
