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
#include "input/csvfile.h"
#include "input/diag.h"

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

/* A fresh directory under /tmp; the caller frees and removes it. */
static char *make_tmp(void)
{
  char *dir = strdup("/tmp/test_gen_XXXXXX");
  assert_non_null(dir);
  assert_non_null(mkdtemp(dir));
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
typedef struct table {
  size_t nrows;
  size_t *nf;
  char ***rows;
} table;

static void table_load(table *t, const char *path, int scrt)
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

static void table_free(table *t)
{
  for(size_t i = 0; i < t->nrows; i++) {
    for(size_t j = 0; j < t->nf[i]; j++)
      free(t->rows[i][j]);
    free(t->rows[i]);
  }
  free(t->rows);
  free(t->nf);
}

static size_t col(const table *t, const char *name)
{
  for(size_t j = 0; j < t->nf[0]; j++)
    if(!strcmp(t->rows[0][j], name))
      return j;
  fail_msg("no column %s", name);
  return 0;
}

static void load(table *t, const char *dir, const char *name)
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

static void gen_writes_the_contract_header_row_first_in_every_file(void **state)
{
  (void)state;
  static const char *const want[][2] = {
    {"customers.csv", "customer_id,name,class,address,country,tax_region,currency,contract_number,"
                      "billing_cycle,payment_terms_days,prompt_pay_pct,prompt_pay_days,tsad"},
    {"machines.csv", "customer_id,serial,type_model,full_capacity_msu,engines,sysplex,awlc_eligible,"
                     "processor_group,golc_category,zelc_category,twlc_tier,subcap_start"},
    {"licenses.csv", "customer_id,license_id,serial,product_id,charge_type,feature_of,installed_on,"
                     "discontinued_on,notice_received_on,order_number,subcap_terms,entitled_msu,replaces,"
                     "secure_support,pricing"},
    {"products.csv", "product_id,name,family,is_os,version,min_msu,vue,parent_product"},
    {"prices.csv", "product_id,charge_type,component,from_qty,to_qty,unit_price,fixed_price,currency,"
                   "effective_from"},
    {"value_units.csv", "vue,from_msu,to_msu,vu_per_msu"},
    {"support.csv", "customer_id,license_id,period_start,period_end,annual_charge,reinstated_on,offering"},
    {"usage.csv", "customer_id,serial,product_id,version,hour,value,test_period"},
    {"taxes.csv", "tax_region,tax_name,rate_pct,effective_from"},
    {"scrt/received.csv", "serial,period_end,received_on,extension"},
  };
  for(size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
    char *p = path_of(g_dir, want[i][0]);
    size_t len, hl = strlen(want[i][1]);
    char *text = slurp(p, &len);
    assert_true(len >= hl + 2);
    assert_memory_equal(text, want[i][1], hl);
    assert_memory_equal(text + hl, "\r\n", 2);
    free(text);
    free(p);
  }
}

static void gen_gives_every_machine_a_unique_well_formed_serial(void **state)
{
  (void)state;
  table t;
  load(&t, g_dir, "machines.csv");
  size_t cs = col(&t, "serial");
  assert_true(t.nrows > CUSTOMERS);
  for(size_t i = 1; i < t.nrows; i++) {
    const char *s = t.rows[i][cs];
    assert_int_equal(strlen(s), 8);
    assert_true(s[0] >= '0' && s[0] <= '9' && s[1] >= '0' && s[1] <= '9' && s[2] == '-');
    for(int k = 3; k < 8; k++)
      assert_non_null(strchr("0123456789ABCDEF", s[k]));
    for(size_t j = 1; j < i; j++)
      assert_string_not_equal(s, t.rows[j][cs]);
  }
  table_free(&t);
}

/* R-W1: tiers from 1 MSU, each starting one above the last, the last open;
 * per-MSU price falling tier by tier. */
static void gen_prices_every_wlc_product_with_contiguous_tiers_r_w1(void **state)
{
  (void)state;
  table t;
  load(&t, g_dir, "prices.csv");
  size_t cp = col(&t, "product_id"), cc = col(&t, "charge_type"), ccur = col(&t, "currency"),
         ce = col(&t, "effective_from"), cf = col(&t, "from_qty"), ct = col(&t, "to_qty"),
         cu = col(&t, "unit_price"), cm = col(&t, "component");
  int sets = 0;
  for(size_t i = 1; i < t.nrows; i++) {
    char **r = t.rows[i];
    if(strcmp(r[cc], "AWLC") && strcmp(r[cc], "VWLC"))
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
}

static void gen_prices_every_license_in_its_customer_currency(void **state)
{
  (void)state;
  table cus, lic, pr;
  load(&cus, g_dir, "customers.csv");
  load(&lic, g_dir, "licenses.csv");
  load(&pr, g_dir, "prices.csv");
  size_t kid = col(&cus, "customer_id"), kcur = col(&cus, "currency");
  size_t lc = col(&lic, "customer_id"), lp = col(&lic, "product_id"), lt = col(&lic, "charge_type");
  size_t pp = col(&pr, "product_id"), pt = col(&pr, "charge_type"), pc = col(&pr, "currency");
  assert_int_equal(cus.nrows, CUSTOMERS + 1);
  for(size_t i = 1; i < lic.nrows; i++) {
    const char *cur = NULL;
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
  table mac, lic;
  load(&mac, g_dir, "machines.csv");
  load(&lic, g_dir, "licenses.csv");
  size_t ms = col(&mac, "serial"), ma = col(&mac, "awlc_eligible"), msub = col(&mac, "subcap_start");
  size_t ls = col(&lic, "serial"), lp = col(&lic, "product_id"), lt = col(&lic, "charge_type"),
         lpr = col(&lic, "pricing"), lf = col(&lic, "feature_of"), lid = col(&lic, "license_id");
  for(size_t i = 1; i < mac.nrows; i++) {
    const char *serial = mac.rows[i][ms];
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
  table t;
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

static void gen_never_reports_scrt_msus_above_the_rated_capacity(void **state)
{
  (void)state;
  table rec, mac;
  scrt_stats st = {0};
  char *dir = path_of(g_dir, "scrt");
  load(&rec, g_dir, "scrt/received.csv");
  load(&mac, g_dir, "machines.csv");
  size_t rs = col(&rec, "serial"), rp = col(&rec, "period_end");
  size_t ms = col(&mac, "serial"), mr = col(&mac, "full_capacity_msu"), msub = col(&mac, "subcap_start");

  /* one received row per machine with sub-capacity, and no other */
  size_t subcap = 0;
  for(size_t i = 1; i < mac.nrows; i++)
    subcap += mac.rows[i][msub][0] != '\0';
  assert_int_equal(rec.nrows - 1, subcap);

  struct dirent **names;
  int n = list_files(dir, &names);
  int reports = 0;
  for(int i = 0; i < n; i++) {
    const char *nm = names[i]->d_name;
    if(nm[0] == '.' || !strcmp(nm, "received.csv"))
      continue;
    char *p = path_of(dir, nm), serial[32];
    check_report(p, &st, serial, sizeof(serial));
    reports++;
    /* the file is named after its machine and period, and the rated capacity is the inventory's */
    char want[64];
    int found = 0;
    for(size_t k = 1; k < rec.nrows && !found; k++)
      if(!strcmp(rec.rows[k][rs], serial)) {
        snprintf(want, sizeof(want), "%s-%s.csv", serial, rec.rows[k][rp]);
        assert_string_equal(nm, want);
        found = 1;
      }
    assert_true(found);
    table t;
    table_load(&t, p, 1);
    for(size_t k = 1; k < mac.nrows; k++)
      if(!strcmp(mac.rows[k][ms], serial))
        for(size_t j = 0; j < t.nrows; j++)
          if(t.nf[j] == 2 && !strcmp(t.rows[j][0], "Machine Rated Capacity (MSUs)"))
            assert_string_equal(t.rows[j][1], mac.rows[k][mr]);
    table_free(&t);
    free(p);
  }
  assert_int_equal(reports, (int)(rec.nrows - 1));
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

/* R-T3: November is charged from 2 Sep .. 1 Oct; a leap February counts 29 days. */
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
    assert_int_equal(gen_write(dir, 5, SEED, month_from_ym(cases[c].y, cases[c].m), stderr), LB_OK);
    table rec;
    load(&rec, dir, "scrt/received.csv");
    assert_true(rec.nrows > 1);
    for(size_t i = 1; i < rec.nrows; i++) {
      assert_string_equal(rec.rows[i][1], cases[c].period_end);
      /* due between the 2nd and the 9th (R-T2), a few late */
      assert_memory_equal(rec.rows[i][2], cases[c].period_end, 8);
      long day = whole(rec.rows[i][2] + 8);
      assert_true(day >= 2 && day <= 20);
      char name[64];
      snprintf(name, sizeof(name), "scrt/%s-%s.csv", rec.rows[i][0], cases[c].period_end);
      char *p = path_of(dir, name);
      table t;
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
    table_free(&rec);
    rm_tree(dir);
    free(dir);
  }
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
    cmocka_unit_test(gen_refuses_an_scrt_directory_that_is_not_empty),
    cmocka_unit_test(gen_creates_missing_parent_directories),
    cmocka_unit_test(gen_rejects_counts_and_months_out_of_range),
    cmocka_unit_test(gen_reports_a_file_in_place_of_the_directory_as_an_io_error),
  };
  return cmocka_run_group_tests(tests, set_up, tear_down);
}
