/* test_rules.c - the rule modules priced in-process on small input sets written by each test. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "input/catalog.h"
#include "input/custindex.h"
#include "input/customer.h"
#include "input/scrt.h"
#include "input/scrtdir.h"
#include "rules/engine.h"
#include "rules/subcap.h"
#include "rules/timing.h"

static char dir[64];

static void put(const char *name, const char *text)
{
  char path[256];
  snprintf(path, sizeof(path), "%s/%s", dir, name);
  FILE *fp = fopen(path, "w");
  assert_non_null(fp);
  fputs(text, fp);
  fclose(fp);
}

static const char *PRODUCTS =
  "product_id,name,family,is_os,version,min_msu,vue,parent_product\n"
  "ZOS,z/OS V3,zos,yes,3,3,,\n"
  "CICS,CICS TS,zos,no,6,3,,\n"
  "DB2,Db2 13,zos,no,13,5,,\n"
  "DSS,DFSMSdss,zos,no,3,3,,\n"
  "CONN,z/OS Connect,zos,no,3,,,\n"
  "MVS,MVS/ESA,zos,yes,5,3,,\n";
/* every product: 1-3 @ 10, 4-45 @ 5, 46+ @ 1 (AWLC and VWLC alike); CONN FWLC 500 */
static const char *PRICES =
  "product_id,charge_type,component,from_qty,to_qty,unit_price,fixed_price,currency,effective_from\n"
  "ZOS,AWLC,monthly,1,3,10,,EUR,2024-01-01\nZOS,AWLC,monthly,4,45,5,,EUR,2024-01-01\nZOS,AWLC,monthly,46,,1,,EUR,2024-01-01\n"
  "ZOS,VWLC,monthly,1,3,10,,EUR,2024-01-01\nZOS,VWLC,monthly,4,45,5,,EUR,2024-01-01\nZOS,VWLC,monthly,46,,1,,EUR,2024-01-01\n"
  "CICS,AWLC,monthly,1,3,10,,EUR,2024-01-01\nCICS,AWLC,monthly,4,45,5,,EUR,2024-01-01\nCICS,AWLC,monthly,46,,1,,EUR,2024-01-01\n"
  "CICS,VWLC,monthly,1,3,10,,EUR,2024-01-01\nCICS,VWLC,monthly,4,45,5,,EUR,2024-01-01\nCICS,VWLC,monthly,46,,1,,EUR,2024-01-01\n"
  "DB2,AWLC,monthly,1,3,10,,EUR,2024-01-01\nDB2,AWLC,monthly,4,45,5,,EUR,2024-01-01\nDB2,AWLC,monthly,46,,1,,EUR,2024-01-01\n"
  "DSS,AWLC,monthly,1,3,10,,EUR,2024-01-01\nDSS,AWLC,monthly,4,45,5,,EUR,2024-01-01\nDSS,AWLC,monthly,46,,1,,EUR,2024-01-01\n"
  "MVS,AWLC,monthly,1,,1,,EUR,2024-01-01\n"
  "CONN,FWLC,monthly,,,,500.005,EUR,2024-01-01\n";
/* price of n MSUs on that book, in money units */
static money book(long n)
{
  money a = 0;
  a += (n < 3 ? n : 3) * 100000;
  if(n > 3)
    a += ((n < 45 ? n : 45) - 3) * 50000;
  if(n > 45)
    a += (n - 45) * 10000;
  return a;
}

static const char *CUSTOMERS =
  "customer_id,name,class,address,country,tax_region,currency,contract_number,billing_cycle,"
  "payment_terms_days,prompt_pay_pct,prompt_pay_days,tsad\n"
  "C1,Acme,commercial,Somewhere,DE,DE,EUR,K-1,monthly,30,2,10,yes\n";
static const char *MACHINES_HDR =
  "customer_id,serial,type_model,full_capacity_msu,engines,sysplex,awlc_eligible,processor_group,"
  "golc_category,zelc_category,twlc_tier,subcap_start\n";
#define MACHINES_HDR_DATED \
  "customer_id,serial,type_model,full_capacity_msu,engines,sysplex,awlc_eligible,processor_group," \
  "golc_category,zelc_category,twlc_tier,subcap_start,zose_engines,prsm,effective_from\n"
static const char *LICENSES_HDR =
  "customer_id,license_id,serial,product_id,charge_type,feature_of,installed_on,discontinued_on,"
  "notice_received_on,order_number,subcap_terms,entitled_msu,replaces,secure_support,pricing\n";

static char *scrt_text(const char *serial, long rated, const char *rows, long cpc)
{
  char *s = NULL;
  assert_true(asprintf(&s,
                       "\"==B5========= SCRT SUB-CAPACITY REPORT ====\"\n"
                       "\"Customer Number\",\"C1\"\n\"Machine Serial Number\",\"%s\"\n"
                       "\"Machine Type and Model\",\"3931-609\"\n\"Machine Rated Capacity (MSUs)\",\"%ld\"\n"
                       "\"Reporting Period\",\"2 Sep, 2026 - 1 Oct, 2026 inclusive (30 days)\"\n"
                       "\"==E5==========\"\n\"PRODUCT SUMMARY INFORMATION\"\n"
                       "\"Product Name\",\"Product ID\",\"Tool MSUs\",\"Customer MSUs\",\"Customer Comment\",\"Footnotes\"\n"
                       "%s\"==N5==========\"\n\"LPAR Name\",\"Highest 4HRA MSUs\",\"Date/Time of Highest\"\n"
                       "\"CPC\",\"%ld\",\"14 Sep, 2026 10:00\"\n",
                       serial, rated, rows, cpc) > 0);
  return s;
}

static void base_set(const char *machines, const char *licenses)
{
  char buf[8192];
  strcpy(dir, "/tmp/lb-rules-XXXXXX");
  assert_non_null(mkdtemp(dir));
  snprintf(buf, sizeof(buf), "%s/scrt", dir);
  mkdir(buf, 0777);
  put("products.csv", PRODUCTS);
  put("prices.csv", PRICES);
  put("value_units.csv", "vue,from_msu,to_msu,vu_per_msu\n");
  put("taxes.csv", "tax_region,tax_name,rate_pct,effective_from\nDE,USt,19,2007-01-01\n"
                   "CA-QC,GST,5,2008-01-01\nCA-QC,QST,9.975,2013-01-01\n");
  put("customers.csv", CUSTOMERS);
  /* a test may bring its own machines header (optional columns) */
  snprintf(buf, sizeof(buf), "%s%s", strncmp(machines, "customer_id", 11) ? MACHINES_HDR : "", machines);
  put("machines.csv", buf);
  snprintf(buf, sizeof(buf), "%s%s", LICENSES_HDR, licenses);
  put("licenses.csv", buf);
  put("support.csv", "customer_id,license_id,period_start,period_end,annual_charge,reinstated_on,offering\n");
  put("usage.csv", "customer_id,serial,product_id,version,hour,value,test_period\n");
  put("scrt/received.csv", "serial,period_end,received_on,extension\n");
}

static void add_report(const char *serial, long rated, const char *rows, long cpc, const char *received, int ext)
{
  char name[64], path[256], line[128];
  char *t = scrt_text(serial, rated, rows, cpc);
  snprintf(name, sizeof(name), "scrt/%s-2026-10-01.csv", serial);
  put(name, t);
  free(t);
  snprintf(path, sizeof(path), "%s/scrt/received.csv", dir);
  FILE *fp = fopen(path, "a");
  snprintf(line, sizeof(line), "%s,2026-10-01,%s,%s\n", serial, received, ext ? "yes" : "no");
  fputs(line, fp);
  fclose(fp);
}

/* Price customer C1 for November 2026 in-process. Returns the engine's code. */
static int price_c1(invoice *inv, diag_list *d)
{
  catalog cat;
  cust_index ix;
  scrt_dir sd;
  cust_data cd;
  rule_ctx ctx;
  machine_state ms[8];
  scrt_report *reports[8] = {0};
  lb_month nov = month_from_ym(2026, 11);
  int rc;
  memset(&ctx, 0, sizeof(ctx));
  memset(ms, 0, sizeof(ms));
  assert_int_equal(catalog_load(&cat, dir, d), 0);
  assert_int_equal(cust_index_build(&ix, dir, d), 0);
  timing_report_period(nov, &ctx.period_start, &ctx.period_end);
  assert_int_equal(scrt_dir_load(&sd, dir, ctx.period_end, &ix, d), 0);
  rc = cust_load(&cd, &ix, 0, &cat, nov, d);
  if(rc == 0) {
    for(size_t i = 0; i < cd.nmachines; i++) {
      const scrt_entry *e = scrt_dir_report(&sd, cd.machines[i].serial);
      ms[i].rcpt = scrt_dir_receipt(&sd, cd.machines[i].serial);
      if(e) {
        assert_int_equal(scrt_read(&reports[i], e->path, 0, d), 0);
        ms[i].report = reports[i];
        ms[i].report_name = "scrt/x.csv";
      }
    }
    ctx.cat = &cat;
    ctx.cd = &cd;
    ctx.month = nov;
    ctx.price_date = month_first_day(nov);
    ctx.ms = ms;
    ctx.customers_file = "customers.csv";
    ctx.licenses_file = "licenses.csv";
    ctx.machines_file = "machines.csv";
    rc = engine_price_customer(&ctx, inv, d);
  }
  for(int i = 0; i < 8; i++)
    scrt_free(reports[i]);
  cust_data_clear(&cd);
  scrt_dir_clear(&sd);
  cust_index_clear(&ix);
  catalog_clear(&cat);
  char cmd[128];
  snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
  assert_int_equal(system(cmd), 0);
  return rc;
}

static const charge_line *line_of(const invoice *inv, const char *pid)
{
  for(size_t i = 0; i < inv->nlines; i++)
    if(!strcmp(inv->lines[i].product_id, pid))
      return &inv->lines[i];
  fail_msg("no line for %s", pid);
  return NULL;
}

static int has_step(const invoice *inv, int line, const char *rule)
{
  for(size_t i = 0; i < inv->naudit; i++)
    if(inv->audit[i].line == line && !strcmp(inv->audit[i].rule, rule))
      return 1;
  return 0;
}

static int has_error(const diag_list *d, const char *needle)
{
  for(size_t i = 0; i < d->n; i++)
    if(strstr(d->v[i].message, needle))
      return 1;
  return 0;
}

#define M1 "C1,M1,3931-609,1200,9,,yes,,,,,2024-01\n"
#define OK_REPORT_M1(rows) add_report("M1", 1200, rows, 412, "2026-10-05", 0)

static void subcap_bills_the_scrt_msus_on_time_R_W2_R_T2(void **state)
{
  (void)state;
  invoice inv;
  diag_list d;
  diag_init(&d);
  base_set(M1, "C1,L1,M1,ZOS,AWLC,,2019-04-01,,,ORD-1,,,,no,subcap\n"
               "C1,L2,M1,CICS,AWLC,,2019-04-01,,,ORD-1,,,,no,subcap\n");
  OK_REPORT_M1("\"z/OS\",\"ZOS\",\"412\",\"\",\"\",\"\"\n\"CICS\",\"CICS\",\"240\",\"\",\"\",\"\"\n");
  assert_int_equal(price_c1(&inv, &d), 0);
  const charge_line *z = line_of(&inv, "ZOS"), *c = line_of(&inv, "CICS");
  assert_int_equal(z->quantity, 412);
  assert_int_equal(z->amount, book(412));
  assert_int_equal(c->quantity, 240);
  assert_int_equal(c->amount, book(240));
  assert_true(has_step(&inv, z->line, "R-W2"));
  assert_true(has_step(&inv, z->line, "R-W1"));
  assert_string_equal(z->rules, "R-T4;R-W2;R-W1;R-0.1");
  invoice_clear(&inv);
  diag_clear(&d);
}

static void a_late_report_without_extension_charges_full_capacity_R_T2(void **state)
{
  (void)state;
  invoice inv;
  diag_list d;
  diag_init(&d);
  base_set(M1, "C1,L1,M1,ZOS,AWLC,,2019-04-01,,,,,,,no,subcap\n");
  add_report("M1", 1200, "\"z/OS\",\"ZOS\",\"412\",\"\",\"\",\"\"\n", 412, "2026-10-10", 0);
  assert_int_equal(price_c1(&inv, &d), 0);
  assert_int_equal(line_of(&inv, "ZOS")->quantity, 1200);
  assert_true(has_step(&inv, 1, "R-T2"));
  invoice_clear(&inv);
  /* the same report with an extension stays sub-capacity */
  base_set(M1, "C1,L1,M1,ZOS,AWLC,,2019-04-01,,,,,,,no,subcap\n");
  add_report("M1", 1200, "\"z/OS\",\"ZOS\",\"412\",\"\",\"\",\"\"\n", 412, "2026-10-10", 1);
  assert_int_equal(price_c1(&inv, &d), 0);
  assert_int_equal(line_of(&inv, "ZOS")->quantity, 412);
  invoice_clear(&inv);
  /* no report at all: full capacity */
  base_set(M1, "C1,L1,M1,ZOS,AWLC,,2019-04-01,,,,,,,no,subcap\n");
  assert_int_equal(price_c1(&inv, &d), 0);
  assert_int_equal(line_of(&inv, "ZOS")->quantity, 1200);
  invoice_clear(&inv);
  diag_clear(&d);
}

static void tsad_not_sent_charges_full_capacity_R_T2(void **state)
{
  (void)state;
  invoice inv;
  diag_list d;
  diag_init(&d);
  base_set(M1, "C1,L1,M1,ZOS,AWLC,,2019-04-01,,,,,,,no,subcap\n");
  OK_REPORT_M1("\"z/OS\",\"ZOS\",\"412\",\"\",\"\",\"\"\n");
  char buf[1024];
  snprintf(buf, sizeof(buf), "%s", CUSTOMERS);
  buf[strlen(buf) - 4] = '\0';
  strcat(buf, "no\n");
  put("customers.csv", buf);
  assert_int_equal(price_c1(&inv, &d), 0);
  assert_int_equal(line_of(&inv, "ZOS")->quantity, 1200);
  assert_true(has_step(&inv, 1, "R-T2"));
  invoice_clear(&inv);
  diag_clear(&d);
}

static void os_is_full_capacity_until_subcap_started_R_W3(void **state)
{
  (void)state;
  invoice inv;
  diag_list d;
  diag_init(&d);
  base_set("C1,M1,3931-609,1200,9,,yes,,,,,\n", "C1,L1,M1,ZOS,AWLC,,2019-04-01,,,,,,,no,subcap\n");
  OK_REPORT_M1("\"z/OS\",\"ZOS\",\"412\",\"\",\"\",\"\"\n");
  assert_int_equal(price_c1(&inv, &d), 0);
  assert_int_equal(line_of(&inv, "ZOS")->quantity, 1200);
  assert_true(has_step(&inv, 1, "R-W3"));
  invoice_clear(&inv);
  /* started in a later month: still full capacity */
  base_set("C1,M1,3931-609,1200,9,,yes,,,,,2026-12\n", "C1,L1,M1,ZOS,AWLC,,2019-04-01,,,,,,,no,subcap\n");
  OK_REPORT_M1("\"z/OS\",\"ZOS\",\"412\",\"\",\"\",\"\"\n");
  assert_int_equal(price_c1(&inv, &d), 0);
  assert_int_equal(line_of(&inv, "ZOS")->quantity, 1200);
  invoice_clear(&inv);
  diag_clear(&d);
}

static void first_charge_of_a_program_uses_the_os_msus_R_W4(void **state)
{
  (void)state;
  invoice inv;
  diag_list d;
  diag_init(&d);
  /* installed 14 Oct: first charged in November (R-T4), at z/OS's 412 MSUs */
  base_set(M1, "C1,L1,M1,ZOS,AWLC,,2019-04-01,,,,,,,no,subcap\n"
               "C1,L2,M1,DB2,AWLC,,2026-10-14,,,,,,,no,subcap\n");
  OK_REPORT_M1("\"z/OS\",\"ZOS\",\"412\",\"\",\"\",\"\"\n");
  assert_int_equal(price_c1(&inv, &d), 0);
  const charge_line *l = line_of(&inv, "DB2");
  assert_int_equal(l->quantity, 412);
  assert_true(has_step(&inv, l->line, "R-W4"));
  invoice_clear(&inv);
  diag_clear(&d);
}

static void a_program_missing_from_the_report_pays_its_minimum_R_W5(void **state)
{
  (void)state;
  invoice inv;
  diag_list d;
  diag_init(&d);
  base_set(M1, "C1,L1,M1,ZOS,AWLC,,2019-04-01,,,,,,,no,subcap\n"
               "C1,L2,M1,DB2,AWLC,,2019-04-01,,,,,,,no,subcap\n");
  OK_REPORT_M1("\"z/OS\",\"ZOS\",\"412\",\"\",\"\",\"\"\n");
  assert_int_equal(price_c1(&inv, &d), 0);
  const charge_line *l = line_of(&inv, "DB2");
  assert_int_equal(l->quantity, 5); /* products.csv min_msu */
  assert_int_equal(l->amount, book(5));
  assert_true(has_step(&inv, l->line, "R-W5"));
  invoice_clear(&inv);
  diag_clear(&d);
}

static void a_feature_has_the_msus_of_its_program_R_W6(void **state)
{
  (void)state;
  invoice inv;
  diag_list d;
  diag_init(&d);
  base_set(M1, "C1,L1,M1,ZOS,AWLC,,2019-04-01,,,,,,,no,subcap\n"
               "C1,L2,M1,DSS,AWLC,L1,2019-04-01,,,,,,,no,subcap\n");
  OK_REPORT_M1("\"z/OS\",\"ZOS\",\"412\",\"\",\"\",\"\"\n\"DSS\",\"DSS\",\"17\",\"\",\"\",\"\"\n");
  assert_int_equal(price_c1(&inv, &d), 0);
  const charge_line *l = line_of(&inv, "DSS");
  assert_int_equal(l->quantity, 412);
  assert_true(has_step(&inv, l->line, "R-W6"));
  invoice_clear(&inv);
  diag_clear(&d);
}

static void os390_on_the_machine_puts_the_zos_family_at_full_capacity_R_W7(void **state)
{
  (void)state;
  invoice inv;
  diag_list d;
  diag_init(&d);
  base_set(M1, "C1,L1,M1,ZOS,AWLC,,2019-04-01,,,,,,,no,subcap\n"
               "C1,L2,M1,MVS,AWLC,,2019-04-01,,,,,,,no,subcap\n");
  OK_REPORT_M1("\"z/OS\",\"ZOS\",\"412\",\"\",\"\",\"\"\n\"MVS\",\"MVS\",\"12\",\"\",\"\",\"\"\n");
  assert_int_equal(price_c1(&inv, &d), 0);
  assert_int_equal(line_of(&inv, "ZOS")->quantity, 1200);
  assert_true(has_step(&inv, line_of(&inv, "ZOS")->line, "R-W7"));
  invoice_clear(&inv);
  diag_clear(&d);
}

static void a_sysplex_sums_msus_before_tiering_R_W8(void **state)
{
  (void)state;
  invoice inv;
  diag_list d;
  diag_init(&d);
  base_set("C1,M1,3931-609,1200,9,PLX,yes,,,,,2024-01\nC1,M2,3931-607,900,7,PLX,yes,,,,,2024-01\n",
           "C1,L1,M1,ZOS,AWLC,,2019-04-01,,,,,,,no,subcap\nC1,L2,M2,ZOS,AWLC,,2019-04-01,,,,,,,no,subcap\n");
  OK_REPORT_M1("\"z/OS\",\"ZOS\",\"30\",\"\",\"\",\"\"\n");
  add_report("M2", 900, "\"z/OS\",\"ZOS\",\"20\",\"\",\"\",\"\"\n", 300, "2026-10-05", 0);
  assert_int_equal(price_c1(&inv, &d), 0);
  assert_int_equal(inv.nlines, 1);
  const charge_line *l = line_of(&inv, "ZOS");
  assert_int_equal(l->quantity, 50);
  /* tiers apply once to 50 MSUs, not to 30 and 20 separately */
  assert_int_equal(l->amount, book(50));
  assert_true(book(50) != book(30) + book(20));
  assert_string_equal(l->serial, "M1+M2");
  assert_string_equal(l->sysplex, "PLX");
  assert_true(has_step(&inv, l->line, "R-W8"));
  invoice_clear(&inv);
  diag_clear(&d);
}

static void awlc_and_vwlc_are_never_aggregated_R_W8(void **state)
{
  (void)state;
  invoice inv;
  diag_list d;
  diag_init(&d);
  base_set("C1,M1,3931-609,1200,9,PLX,yes,,,,,2024-01\nC1,M2,3931-607,900,7,PLX,no,,,,,2024-01\n",
           "C1,L1,M1,ZOS,AWLC,,2019-04-01,,,,,,,no,subcap\nC1,L2,M2,ZOS,VWLC,,2019-04-01,,,,,,,no,subcap\n");
  OK_REPORT_M1("\"z/OS\",\"ZOS\",\"30\",\"\",\"\",\"\"\n");
  add_report("M2", 900, "\"z/OS\",\"ZOS\",\"20\",\"\",\"\",\"\"\n", 300, "2026-10-05", 0);
  assert_int_equal(price_c1(&inv, &d), 0);
  assert_int_equal(inv.nlines, 2);
  assert_int_equal(inv.lines[0].quantity + inv.lines[1].quantity, 50);
  assert_int_equal(inv.lines[0].amount + inv.lines[1].amount, book(30) + book(20));
  invoice_clear(&inv);
  diag_clear(&d);
}

static void fwlc_is_fixed_and_needs_wlc_zos_R_W10(void **state)
{
  (void)state;
  invoice inv;
  diag_list d;
  diag_init(&d);
  base_set(M1, "C1,L1,M1,ZOS,AWLC,,2019-04-01,,,,,,,no,subcap\nC1,L2,M1,CONN,FWLC,,2019-04-01,,,,,,,no,\n");
  OK_REPORT_M1("\"z/OS\",\"ZOS\",\"412\",\"\",\"\",\"\"\n");
  assert_int_equal(price_c1(&inv, &d), 0);
  const charge_line *l = line_of(&inv, "CONN");
  assert_int_equal(l->amount, 5000100); /* 500.005 rounds half away to 500.01 */
  assert_true(has_step(&inv, l->line, "R-W10"));
  invoice_clear(&inv);
  /* without z/OS on AWLC/VWLC: an input error quoting the rule */
  base_set(M1, "C1,L2,M1,CONN,FWLC,,2019-04-01,,,,,,,no,\n");
  assert_int_equal(price_c1(&inv, &d), LB_EINPUT);
  assert_true(has_error(&d, "(R-W10)"));
  invoice_clear(&inv);
  diag_clear(&d);
}

static void subcap_is_all_or_nothing_per_family_R_W18(void **state)
{
  (void)state;
  invoice inv;
  diag_list d;
  diag_init(&d);
  base_set(M1, "C1,L1,M1,ZOS,AWLC,,2019-04-01,,,,,,,no,subcap\nC1,L2,M1,CICS,AWLC,,2019-04-01,,,,,,,no,full\n");
  OK_REPORT_M1("\"z/OS\",\"ZOS\",\"412\",\"\",\"\",\"\"\n");
  assert_int_equal(price_c1(&inv, &d), LB_EINPUT);
  assert_true(has_error(&d, "sub-capacity is all or nothing (R-W18)"));
  assert_int_equal(d.v[0].line, 3);
  assert_int_equal(d.v[0].col, 41); /* the pricing column of line 3 */
  invoice_clear(&inv);
  diag_clear(&d);
}

static void an_explained_override_is_billed_and_an_unexplained_one_rejected_R_T2a(void **state)
{
  (void)state;
  invoice inv;
  diag_list d;
  diag_init(&d);
  base_set(M1, "C1,L1,M1,ZOS,AWLC,,2019-04-01,,,,,,,no,subcap\n");
  OK_REPORT_M1("\"z/OS\",\"ZOS\",\"412\",\"400\",\"runaway job excluded\",\"\"\n");
  assert_int_equal(price_c1(&inv, &d), 0);
  assert_int_equal(line_of(&inv, "ZOS")->quantity, 400);
  assert_true(has_step(&inv, 1, "R-T2a"));
  invoice_clear(&inv);
  base_set(M1, "C1,L1,M1,ZOS,AWLC,,2019-04-01,,,,,,,no,subcap\n");
  OK_REPORT_M1("\"z/OS\",\"ZOS\",\"412\",\"400\",\"\",\"\"\n");
  assert_int_equal(price_c1(&inv, &d), LB_EINPUT);
  assert_true(has_error(&d, "(R-T2a)"));
  assert_int_equal(d.v[0].line, 10);
  assert_int_equal(d.v[0].col, 20); /* the Customer MSUs cell */
  invoice_clear(&inv);
  diag_clear(&d);
}

static void msus_above_capacity_are_an_error_not_a_charge(void **state)
{
  (void)state;
  invoice inv;
  diag_list d;
  diag_init(&d);
  base_set(M1, "C1,L1,M1,ZOS,AWLC,,2019-04-01,,,,,,,no,subcap\n");
  OK_REPORT_M1("\"z/OS\",\"ZOS\",\"1201\",\"\",\"\",\"\"\n");
  assert_int_equal(price_c1(&inv, &d), LB_EINPUT);
  assert_true(has_error(&d, "exceed the full capacity of machine M1 (1200 MSUs"));
  invoice_clear(&inv);
  diag_clear(&d);
}

static void discontinued_and_new_programs_follow_whole_months_R_T4_R_T5(void **state)
{
  (void)state;
  invoice inv;
  diag_list d;
  diag_init(&d);
  base_set(M1, "C1,L1,M1,ZOS,AWLC,,2019-04-01,,,,,,,no,subcap\n"
               "C1,L2,M1,CICS,AWLC,,2019-04-01,2026-10-31,,,,,,no,subcap\n" /* ended in October */
               "C1,L3,M1,DB2,AWLC,,2026-11-02,,,,,,,no,subcap\n");          /* starts in December */
  OK_REPORT_M1("\"z/OS\",\"ZOS\",\"412\",\"\",\"\",\"\"\n\"CICS\",\"CICS\",\"10\",\"\",\"\",\"\"\n");
  assert_int_equal(price_c1(&inv, &d), 0);
  assert_int_equal(inv.nlines, 1);
  assert_string_equal(inv.lines[0].product_id, "ZOS");
  invoice_clear(&inv);
  diag_clear(&d);
}


/* R-X3: Canada's taxes are separate lines per tax of the customer's region: HST in Ontario, GST + PST in
 * British Columbia, GST + QST in Quebec; each rounded half away from zero to the cent. */
static void canadian_taxes_are_separate_lines_per_region_R_X3(void **state)
{
  (void)state;
  static const struct {
    const char *region;
    int n;
    const char *names[2];
    money amounts[2];
  } cases[] = {
    {"CA-ON", 1, {"HST", NULL}, {789100, 0}},            /* 13 % of 607.00 = 78.91 */
    {"CA-BC", 2, {"GST", "PST"}, {303500, 424900}},      /* 5 % = 30.35, 7 % = 42.49 */
    {"CA-QC", 2, {"GST", "QST"}, {303500, 605500}},      /* 9.975 % = 60.54825 -> 60.55 */
  };
  for(size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
    invoice inv;
    diag_list d;
    char cust[512];
    diag_init(&d);
    base_set(M1, "C1,L1,M1,ZOS,AWLC,,2019-04-01,,,,,,,no,subcap\n");
    OK_REPORT_M1("\"z/OS\",\"ZOS\",\"412\",\"\",\"\",\"\"\n");
    put("taxes.csv", "tax_region,tax_name,rate_pct,effective_from\nCA-ON,HST,13,2010-07-01\n"
                     "CA-BC,GST,5,2008-01-01\nCA-BC,PST,7,2013-04-01\nCA-QC,GST,5,2008-01-01\n"
                     "CA-QC,QST,9.975,2013-01-01\nCA-QC,QST,9.5,2012-01-01\n");
    snprintf(cust, sizeof(cust),
             "customer_id,name,class,address,country,tax_region,currency,contract_number,billing_cycle,"
             "payment_terms_days,prompt_pay_pct,prompt_pay_days,tsad\n"
             "C1,Acme,commercial,Somewhere,CA,%s,EUR,K-1,monthly,30,,,yes\n", cases[k].region);
    put("customers.csv", cust);
    assert_int_equal(price_c1(&inv, &d), 0);
    assert_int_equal(inv.subtotal, 6070000);
    assert_int_equal(inv.ntaxes, cases[k].n);
    money tax = 0;
    for(int i = 0; i < cases[k].n; i++) {
      assert_string_equal(inv.taxes[i].name, cases[k].names[i]);
      assert_int_equal(inv.taxes[i].amount, cases[k].amounts[i]);
      tax += cases[k].amounts[i];
    }
    assert_int_equal(inv.tax, tax);
    assert_int_equal(inv.total, 6070000 + tax);
    assert_int_equal(inv.prompt_pay_pct, 0);
    invoice_clear(&inv);
    diag_clear(&d);
  }
}

/* R-T10: a capacity raised on 10 Nov and lowered again on 25 Nov is billed at the higher value for
 * all of November; a configuration effective in December does not touch November. */
static void a_capacity_increase_stays_for_the_month_it_happened_R_T10(void **state)
{
  (void)state;
  invoice inv;
  diag_list d;
  diag_init(&d);
  base_set(MACHINES_HDR_DATED "C1,M1,3931-609,1000,9,,yes,,,,,2024-01,,,2025-01-01\n"
           "C1,M1,3931-609,1200,9,,yes,,,,,2024-01,,,2026-11-10\n"
           "C1,M1,3931-609,1000,9,,yes,,,,,2024-01,,,2026-11-25\n"
           "C1,M1,3931-609,1500,9,,yes,,,,,2024-01,,,2026-12-01\n",
           "C1,L1,M1,ZOS,AWLC,,2019-04-01,,,ORD-1,,,,no,full\n");
  OK_REPORT_M1("\"z/OS\",\"ZOS\",\"412\",\"\",\"\",\"\"\n");
  assert_int_equal(price_c1(&inv, &d), 0);
  const charge_line *z = line_of(&inv, "ZOS");
  assert_int_equal(z->quantity, 1200);
  assert_int_equal(z->amount, book(1200));
  assert_true(has_step(&inv, z->line, "R-T10"));
  assert_non_null(strstr(z->rules, "R-T10"));
  invoice_clear(&inv);
  diag_clear(&d);

  /* a lower value inside the month is not an increase: the month is billed at the higher one, no R-T10
   * when the month's own configuration is the highest */
  diag_init(&d);
  base_set(MACHINES_HDR_DATED "C1,M1,3931-609,1000,9,,yes,,,,,2024-01,,,2025-01-01\n"
           "C1,M1,3931-609,1100,9,,yes,,,,,2024-01,,,2026-11-15\n",
           "C1,L1,M1,ZOS,AWLC,,2019-04-01,,,ORD-1,,,,no,full\n");
  OK_REPORT_M1("\"z/OS\",\"ZOS\",\"412\",\"\",\"\",\"\"\n");
  assert_int_equal(price_c1(&inv, &d), 0);
  z = line_of(&inv, "ZOS");
  assert_int_equal(z->quantity, 1100);
  assert_int_equal(z->amount, book(1100));
  assert_false(has_step(&inv, z->line, "R-T10"));
  invoice_clear(&inv);
  diag_clear(&d);

  /* two undated rows of one machine are still a duplicate (R-W8) */
  diag_init(&d);
  base_set(MACHINES_HDR_DATED "C1,M1,3931-609,1000,9,,yes,,,,,2024-01,,,\nC1,M1,3931-609,1000,9,PLEX2,yes,,,,,2024-01,,,\n",
           "C1,L1,M1,ZOS,AWLC,,2019-04-01,,,ORD-1,,,,no,full\n");
  assert_int_equal(price_c1(&inv, &d), LB_EINPUT);
  assert_true(has_error(&d, "is listed twice"));
  invoice_clear(&inv);
  diag_clear(&d);
}

static void totals_taxes_prompt_payment_and_contact_R_X2_R_X3_R_X4(void **state)
{
  (void)state;
  invoice inv;
  diag_list d;
  diag_init(&d);
  base_set(M1, "C1,L1,M1,ZOS,AWLC,,2019-04-01,,,,,,,no,subcap\n");
  OK_REPORT_M1("\"z/OS\",\"ZOS\",\"412\",\"\",\"\",\"\"\n");
  assert_int_equal(price_c1(&inv, &d), 0);
  money sub = book(412); /* 3 x 10 + 42 x 5 + 367 x 1 = 607.00 */
  assert_int_equal(sub, 6070000);
  assert_int_equal(inv.subtotal, sub);
  assert_int_equal(inv.ntaxes, 1);
  assert_int_equal(inv.taxes[0].amount, 1153300); /* 19 % of 607.00 = 115.33 */
  assert_int_equal(inv.total, 7223300);
  assert_int_equal(inv.prompt_pay_discount, 144500); /* 2 % of 722.33 = 14.4466 -> 14.45 */
  assert_int_equal(inv.prompt_pay_total, 7223300 - 144500);
  assert_int_equal(inv.prompt_pay_until, date_from_ymd(2026, 12, 10));
  assert_int_equal(inv.due_date, date_from_ymd(2026, 12, 30));
  assert_string_equal(inv.contact, "1-877-426-6006");
  assert_string_equal(engine_contact(CLASS_STATE_LOCAL), "1-877-426-6006");
  assert_string_equal(engine_contact(CLASS_FEDERAL), "1-800-333-6705");
  assert_string_equal(engine_contact(CLASS_BUSINESS_PARTNER), "1-800-426-9990");
  invoice_clear(&inv);
  diag_clear(&d);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(subcap_bills_the_scrt_msus_on_time_R_W2_R_T2),
    cmocka_unit_test(a_late_report_without_extension_charges_full_capacity_R_T2),
    cmocka_unit_test(tsad_not_sent_charges_full_capacity_R_T2),
    cmocka_unit_test(os_is_full_capacity_until_subcap_started_R_W3),
    cmocka_unit_test(first_charge_of_a_program_uses_the_os_msus_R_W4),
    cmocka_unit_test(a_program_missing_from_the_report_pays_its_minimum_R_W5),
    cmocka_unit_test(a_feature_has_the_msus_of_its_program_R_W6),
    cmocka_unit_test(os390_on_the_machine_puts_the_zos_family_at_full_capacity_R_W7),
    cmocka_unit_test(a_sysplex_sums_msus_before_tiering_R_W8),
    cmocka_unit_test(awlc_and_vwlc_are_never_aggregated_R_W8),
    cmocka_unit_test(fwlc_is_fixed_and_needs_wlc_zos_R_W10),
    cmocka_unit_test(subcap_is_all_or_nothing_per_family_R_W18),
    cmocka_unit_test(an_explained_override_is_billed_and_an_unexplained_one_rejected_R_T2a),
    cmocka_unit_test(msus_above_capacity_are_an_error_not_a_charge),
    cmocka_unit_test(discontinued_and_new_programs_follow_whole_months_R_T4_R_T5),
    cmocka_unit_test(totals_taxes_prompt_payment_and_contact_R_X2_R_X3_R_X4),
    cmocka_unit_test(a_capacity_increase_stays_for_the_month_it_happened_R_T10),
    cmocka_unit_test(canadian_taxes_are_separate_lines_per_region_R_X3),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
