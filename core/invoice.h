/* invoice.h - what pricing produces for one customer and month: lines, taxes, totals, audit steps. */
#ifndef LB_INVOICE_H
#define LB_INVOICE_H

#include <stddef.h>

#include "core/date.h"
#include "core/money.h"

#define TIER_MAX 16

/* One tier's share of a tiered line (R-W1), for the printed breakdown. */
typedef struct tier_part {
  long from_qty, to_qty; /* to_qty < 0: open-ended */
  long qty;              /* MSUs of the line that fall in this tier */
  money unit_price;      /* per MSU, 1/10000 */
  money fixed_price;     /* tier base charge, 0 when none */
} tier_part;

/* One invoice line. Strings are owned by the invoice (freed by invoice_clear). */
typedef struct charge_line {
  int line;            /* 1-based line number on the invoice */
  char *serial;        /* machine serial, or "S1+S2" for an aggregated sysplex line */
  char *type_model;    /* "3931-609", or "3931-609+8561-T01" */
  char *sysplex;       /* sysplex name for aggregated lines, NULL otherwise */
  char *product_id;
  char *product_name;
  char *charge_type;   /* "VWLC", "AWLC", ... */
  char *order_number;  /* R-X1: order the line comes from, NULL when none */
  long quantity;       /* MSUs, months, licenses ... */
  char *unit;          /* "MSUs", "license", "months" */
  int has_unit_price;  /* 0 for tiered lines that span several tiers */
  money unit_price;    /* 1/10000 */
  money amount;        /* rounded to the cent */
  char *rules;         /* "R-W1;R-W2;R-W8" */
  char *note;          /* short plain-words note for the invoice, NULL when none */
  int sole_discount;   /* R-M2: the line carries a discount never combined with another, so the
                        * prompt-payment discount (R-X2) leaves it out */
  tier_part tiers[TIER_MAX];
  int ntiers;
} charge_line;

typedef struct tax_line {
  char *name;   /* "GST", "QST", "VAT" */
  money rate_pct; /* 1/10000 percent: 9.975 % == 99750 */
  money base;
  money amount; /* rounded to the cent */
} tax_line;

/* One computation step of the audit trail (audit.csv). */
typedef struct audit_step {
  int line;      /* invoice line the step belongs to, 0 = invoice level */
  int step;      /* 1-based within the line */
  char *rule;    /* "R-W8" */
  char *inputs;  /* "licenses.csv:12;scrt/x.csv:40" */
  char *detail;  /* plain words */
  char *value;   /* the value the step produced, as text */
} audit_step;

typedef struct invoice {
  char *number;           /* invoice number */
  char *customer_id;
  char *customer_name;
  char *customer_address; /* lines separated by '\n' */
  char *country;
  char *customer_class;   /* "commercial", "state_local", "federal", "business_partner" */
  char *contract_number;
  char *currency;         /* ISO 4217 */
  lb_month month;         /* billing month */
  lb_date issue_date;
  lb_date period_start, period_end; /* the billing period (the month) */
  lb_date due_date;       /* issue_date + payment_terms_days */
  int payment_terms_days;
  money prompt_pay_pct;   /* R-X2: 0 = no prompt-payment discount */
  lb_date prompt_pay_until;
  money prompt_pay_discount; /* amount of the discount */
  money prompt_pay_total;    /* total if paid by prompt_pay_until */
  char *contact;          /* R-X4: billing-questions phone number */
  int is_credit_note;     /* R-M8: a credit note cancelling `corrects` */
  char *corrects;         /* number of the invoice a credit note cancels, NULL otherwise */
  char **order_numbers;   /* distinct order numbers of the lines (R-X1) */
  size_t norders;

  charge_line *lines;
  size_t nlines, lines_cap;
  tax_line *taxes;
  size_t ntaxes, taxes_cap;
  audit_step *audit;
  size_t naudit, audit_cap;

  /* state to carry into later months (written to the ledger when the
   * invoice is issued, read back with rule_state_get): key/value pairs */
  char **state_keys, **state_values;
  size_t nstate;

  money subtotal;  /* sum of lines */
  money discount;  /* reductions shown apart from lines (0 for now) */
  money tax;       /* sum of tax lines */
  money total;     /* subtotal - discount + tax */
} invoice;

/* Free everything the invoice owns and zero it. NULL-safe. */
void invoice_clear(invoice *inv);

/* Append a zeroed line numbered nlines+1; returns it or NULL on ENOMEM. */
charge_line *invoice_add_line(invoice *inv);
/* Append an audit step; printf-style detail. Strings copied. Returns 0 or LB_ENOMEM. */
int invoice_audit(invoice *inv, int line, const char *rule, const char *inputs, const char *value,
                  const char *fmt, ...) __attribute__((format(printf, 6, 7)));
tax_line *invoice_add_tax(invoice *inv);
/* Record state for later months (key replaced if already set). 0 or LB_ENOMEM. */
int invoice_state(invoice *inv, const char *key, const char *value);

#endif
