/* rulefix.h - in-process rule-test fixture: a small input set in a temp dir, SCRT reports, customer C1 priced. */
#ifndef LB_TEST_RULEFIX_H
#define LB_TEST_RULEFIX_H

#include "core/diag.h"
#include "core/date.h"
#include "core/invoice.h"
#include "core/money.h"
#include "rules/rule.h"

/* Headers of the per-customer files. The *_COLS forms have no newline, so
 * that a test can append optional columns: RULEFIX_LICENSES_COLS ",quantity\n". */
#define RULEFIX_CUSTOMERS_HDR                                                                                   \
  "customer_id,name,class,address,country,tax_region,currency,contract_number,billing_cycle,"                 \
  "payment_terms_days,prompt_pay_pct,prompt_pay_days,tsad\n"
/* customer C1 of every rule test: German, monthly, TSAD sent, no prompt-payment discount */
#define RULEFIX_CUSTOMER_C1 "C1,Acme,commercial,Somewhere,DE,DE,EUR,K-1,monthly,30,,,yes\n"
#define RULEFIX_MACHINES_COLS                                                                                   \
  "customer_id,serial,type_model,full_capacity_msu,engines,sysplex,awlc_eligible,processor_group,"            \
  "golc_category,zelc_category,twlc_tier,subcap_start"
#define RULEFIX_MACHINES_HDR RULEFIX_MACHINES_COLS "\n"
/* with the optional z/OS.e engines, PR/SM and dated-configuration columns */
#define RULEFIX_MACHINES_HDR_DATED RULEFIX_MACHINES_COLS ",zose_engines,prsm,effective_from\n"
#define RULEFIX_LICENSES_COLS                                                                                   \
  "customer_id,license_id,serial,product_id,charge_type,feature_of,installed_on,discontinued_on,"             \
  "notice_received_on,order_number,subcap_terms,entitled_msu,replaces,secure_support,pricing"
#define RULEFIX_LICENSES_HDR RULEFIX_LICENSES_COLS "\n"
#define RULEFIX_SUPPORT_COLS "customer_id,license_id,period_start,period_end,annual_charge,reinstated_on,offering"
#define RULEFIX_SUPPORT_HDR RULEFIX_SUPPORT_COLS "\n"
#define RULEFIX_PRICES_HDR                                                                                      \
  "product_id,charge_type,component,from_qty,to_qty,unit_price,fixed_price,currency,effective_from\n"

/* The tiered test book of product p, charge type ct (prices.csv rows):
 * 1-3 MSUs @ 10, 4-45 @ 5, 46+ @ 1; rulefix_book() is its price. */
#define RULEFIX_TIERED(p, ct)                                                                                   \
  p "," ct ",monthly,1,3,10,,EUR,2024-01-01\n" p "," ct ",monthly,4,45,5,,EUR,2024-01-01\n" p "," ct          \
    ",monthly,46,,1,,EUR,2024-01-01\n"

/* The temp dir of one input set. A test file keeps one, static. */
typedef struct rulefix {
  char dir[100]; /* "$TMPDIR/lb-TAG-XXXXXX" (e2e_tmpdir) once written */
} rulefix;

/* What to write. Every text is a whole file unless said otherwise; NULL
 * takes the default given. Not owned: read during rulefix_write only. */
typedef struct rulefix_set {
  const char *tag;          /* temp dir name part; NULL: "rules" */
  const char *products;     /* products.csv (required) */
  const char *prices;       /* prices.csv (required) */
  const char *value_units;  /* NULL: the header only */
  const char *taxes;        /* NULL: the header and DE USt 19 % */
  const char *customers;    /* NULL: RULEFIX_CUSTOMERS_HDR RULEFIX_CUSTOMER_C1 */
  const char *machines_hdr; /* NULL: RULEFIX_MACHINES_HDR; "" when `machines` brings its own */
  const char *machines;     /* machines.csv rows */
  const char *licenses_hdr; /* NULL: RULEFIX_LICENSES_HDR */
  const char *licenses;     /* licenses.csv rows */
  const char *support_hdr;  /* NULL: RULEFIX_SUPPORT_HDR */
  const char *support;      /* support.csv rows; NULL: none */
  const char *usage;        /* usage.csv; NULL: the header only */
  const char *models;       /* machine_models.csv; NULL: not written */
} rulefix_set;

/* Create a fresh temp dir in fx->dir with the files of s, an scrt/ folder
 * and an empty scrt/received.csv. Fails the test on any error. */
void rulefix_write(rulefix *fx, const rulefix_set *s);

/* Create or overwrite file `name` (relative to fx->dir) with text. */
void rulefix_put(rulefix *fx, const char *name, const char *text);

/* One SCRT report of the period 2 Sep .. 1 Oct 2026 (drives November 2026). */
typedef struct rulefix_report {
  const char *serial;
  const char *type_model; /* NULL: "3931-609" */
  long rated;             /* Machine Rated Capacity (MSUs) */
  const char *e5;         /* PRODUCT SUMMARY rows */
  const char *n5;         /* NULL: the N5 table with only the CPC row at `cpc`; "": no N5 section;
                           * else the text that follows the "==N5==" line */
  long cpc;               /* the CPC's highest 4HRA MSUs when n5 is NULL */
  const char *received;   /* scrt/received.csv date; NULL: "2026-10-05" (on time) */
  int extension;          /* scrt/received.csv extension granted */
} rulefix_report;

/* The report's text (malloc'd, caller frees). */
char *rulefix_scrt_text(const rulefix_report *r);

/* Write scrt/SERIAL-2026-10-01.csv and append its row to scrt/received.csv. */
void rulefix_add_report(rulefix *fx, const rulefix_report *r);

/* Price customer C1 of fx->dir for `month` in-process (catalog, customer
 * index, SCRT folder, customer data, machine states with their reports,
 * engine_price_customer) with history hist (NULL: none). *inv is zeroed
 * first; the caller clears it. The dir is removed unless keep. Returns the
 * engine's code (or cust_load's when the customer does not load). */
typedef struct rulefix_hist rulefix_hist;
int rulefix_price(rulefix *fx, lb_month month, const rulefix_hist *hist, int keep, invoice *inv, diag_list *d);

/* rulefix_price for November 2026, no history, the dir removed. */
int rulefix_price_nov(rulefix *fx, invoice *inv, diag_list *d);

/* Remove fx->dir (after prices that kept it). */
void rulefix_drop(rulefix *fx);

/* A fake ledger: states end at key NULL. state_get answers the value of
 * the latest state of the key set before the month asked about. */
typedef struct rulefix_state {
  const char *key, *value;
  lb_month set_in; /* RULEFIX_MONTH_BEFORE: the month before the one asked about */
} rulefix_state;
#define RULEFIX_MONTH_BEFORE MONTH_NONE

/* A history reading states (not copied: they must outlive its use);
 * rulefix_price gives the rules what they carry into its month. Keys are
 * "kind:subject" of core/carry.h ("graduated_group:L1"), values as the
 * ledger stores them. */
struct rulefix_hist {
  const rulefix_state *states;
};
rulefix_hist rulefix_history(const rulefix_state *states);

/* Price of n MSUs on the RULEFIX_TIERED book, in money units. */
money rulefix_book(long n);

/* The nth (0-based) line matching product pid, charge type ct and unit
 * (NULL: any), or NULL. */
const charge_line *rulefix_find_line(const invoice *inv, const char *pid, const char *ct, const char *unit, int nth);

/* rulefix_find_line, failing the test when there is none. */
const charge_line *rulefix_line(const invoice *inv, const char *pid, const char *ct, const char *unit, int nth);

/* The nth (0-based) audit step of `rule` on invoice line `line` whose detail
 * contains needle (NULL: any), or NULL. */
const audit_step *rulefix_step(const invoice *inv, int line, const char *rule, const char *needle, int nth);

/* 1 if line `line` has a step of `rule`. */
int rulefix_has_step(const invoice *inv, int line, const char *rule);

/* 1 if a message of d contains needle. */
int rulefix_has_error(const diag_list *d, const char *needle);

/* The first error whose message contains needle; fails the test if none. */
const diag *rulefix_error_with(const diag_list *d, const char *needle);

/* The error containing needle must sit at file:line:col for customer C1;
 * fails the test (listing d) otherwise. */
void rulefix_expect_error(const diag_list *d, const char *file, long line, long col, const char *needle);

/* The value the invoice carries for key ("kind:subject"), as the ledger
 * would store it, or NULL (a static buffer, valid until the next call). */
const char *rulefix_state_of(const invoice *inv, const char *key);

/* Text forms for assertions (static buffers, valid until the next call of
 * the same function): a line's rule ids "R-W1;R-0.1", a step's value and
 * inputs as audit.csv writes them, the i-th carried key "kind:subject". */
const char *rulefix_rules(const charge_line *l);
const char *rulefix_value(const audit_step *a);
const char *rulefix_inputs(const audit_step *a);
const char *rulefix_carry_key(const invoice *inv, size_t i);

/* 1-based column of field `field` (0-based) of a CSV row without quotes. */
long rulefix_col_of(const char *row, int field);

#endif
