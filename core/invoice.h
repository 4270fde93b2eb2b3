/* invoice.h - what pricing produces for one customer and month: lines, taxes, totals, typed audit steps. */
#ifndef LB_INVOICE_H
#define LB_INVOICE_H

#include <stddef.h>
#include <stdint.h>

#include "core/carry.h"
#include "core/chargetype.h"
#include "core/date.h"
#include "core/money.h"
#include "core/ruleid.h"

/* One tier's share of a tiered line (R-W1), for the printed breakdown. */
typedef struct tier_part {
  long from_qty, to_qty; /* to_qty < 0: open-ended */
  long qty;              /* MSUs of the line that fall in this tier */
  money unit_price;      /* per MSU, 1/10000 */
  money fixed_price;     /* tier base charge, 0 when none */
} tier_part;

/* A machine a line is charged on. */
typedef struct line_machine {
  char *serial;
  char *type_model;
} line_machine;

/* One invoice line. Strings and arrays are owned by the invoice (freed by invoice_clear). */
typedef struct charge_line {
  int line;              /* 1-based line number on the invoice */
  line_machine *machines; /* one, or the machines of an aggregated sysplex line, in order (R-W8) */
  size_t nmachines;
  char *serial;          /* the serials as printed, "S1+S2" (set with the machines, invoice_line_machines) */
  char *type_model;      /* likewise "3931-609+8561-T01" */
  char *sysplex;         /* sysplex name for aggregated lines, NULL otherwise */
  char *product_id;
  char *product_name;
  charge_type ct;        /* CT_VWLC, ..., or the derived CT_ILC / CT_PLC */
  char *order_number;    /* R-X1: order the line comes from, NULL when none */
  long quantity;         /* MSUs, months, licenses ... */
  char *unit;            /* "MSUs", "license", "months" */
  int has_unit_price;    /* 0 for tiered lines that span several tiers */
  money unit_price;      /* 1/10000 */
  money amount;          /* rounded to the cent */
  rule_set rules;        /* the rule ids applied, in order */
  char *note;            /* short plain-words note for the invoice, NULL when none */
  int sole_discount;     /* R-M2: the line carries a discount never combined with another, so the
                          * prompt-payment discount (R-X2) leaves it out */
  tier_part *tiers;      /* R-W1 parts, one per tier reached (invoice_line_tiers) */
  int ntiers;
} charge_line;

typedef struct tax_line {
  char *name;     /* "GST", "QST", "VAT" */
  money rate_pct; /* 1/10000 percent: 9.975 % == 99750 */
  money base;
  money amount;   /* rounded to the cent */
} tax_line;

/* ---- typed audit steps ---------------------------------------------------- */

/* Where an input of a step comes from. */
typedef enum src_kind {
  SRC_CUSTOMERS, SRC_MACHINES, SRC_LICENSES, SRC_PRODUCTS, SRC_PRICES, SRC_VALUE_UNITS, SRC_MACHINE_MODELS,
  SRC_SUPPORT, SRC_USAGE, SRC_TAXES, SRC_RECEIVED, /* files of the input set, by their fixed names */
  SRC_SCRT,     /* an SCRT report: name = "scrt/NAME" relative to the input set */
  SRC_CHARGES,  /* the month's charges.csv (the invoice's own lines) */
  SRC_LEDGER,   /* what an earlier month recorded: carried state (carry set), or the ledger as a whole */
  SRC_DOCUMENT, /* an issued document: name = its number */
  SRC__COUNT
} src_kind;

/* One input of a step: a row of a file (line 0 = the file as a whole). */
typedef struct input_ref {
  src_kind kind;
  long line;
  const char *name;   /* SRC_SCRT: the report's path; SRC_DOCUMENT: the number; else NULL */
  carry_kind state;   /* SRC_LEDGER: the carried state read, with its subject in name; CARRY__COUNT
                       * (and name NULL) for the ledger as a whole */
  lb_date effective;  /* SRC_PRICES: the effective_from of the price book the row belongs to, when the
                       * step prices from it; DATE_NONE otherwise */
} input_ref;

#define REF(kind, line) ((input_ref){(kind), (line), NULL, CARRY__COUNT, DATE_NONE})
#define REF_SCRT(name, line) ((input_ref){SRC_SCRT, (line), (name), CARRY__COUNT, DATE_NONE})
#define REF_BOOK(line, effective) ((input_ref){SRC_PRICES, (line), NULL, CARRY__COUNT, (effective)})
#define REF_STATE(kind, subject) ((input_ref){SRC_LEDGER, 0, (subject), (kind), DATE_NONE})
#define REF_LEDGER ((input_ref){SRC_LEDGER, 0, NULL, CARRY__COUNT, DATE_NONE})
#define REF_DOC(number) ((input_ref){SRC_DOCUMENT, 0, (number), CARRY__COUNT, DATE_NONE})

/* A list of refs for one call: REFS(REF(SRC_LICENSES, l->line), REF_SCRT(name, row)). */
typedef struct audit_refs {
  size_t n;
  const input_ref *v;
} audit_refs;
#define REFS(...)                                                                                              \
  (&(const audit_refs){sizeof((const input_ref[]){__VA_ARGS__}) / sizeof(input_ref),                          \
                       (const input_ref[]){__VA_ARGS__}})
#define NO_REFS ((const audit_refs *)NULL)

/* The value a step produced. */
typedef enum value_kind {
  VAL_NONE,  /* nothing (printed empty) */
  VAL_TEXT,  /* words: "charged", "no order", "group 40" */
  VAL_MONEY, /* an exact amount, printed with `places` (2 or 4) fraction digits */
  VAL_QTY,   /* a whole quantity with its unit: 412 MSUs, 21 VUs */
  VAL_DECIMAL, /* an exact measured quantity, printed without trailing zeros, with its unit when it has one:
                * "49.25 MSUs", "1500" */
  VAL_PERCENT  /* a percentage in 1/10000 %, printed with one decimal at least: "3.0 %", "4.5 %" */
} value_kind;

typedef struct audit_value {
  value_kind kind;
  int places;       /* VAL_MONEY */
  int64_t num;      /* VAL_MONEY and VAL_DECIMAL in 1/10000 units, VAL_QTY the count */
  const char *text; /* VAL_TEXT the words, VAL_QTY / VAL_DECIMAL the unit, NULL for none (owned once stored) */
} audit_value;

#define AV_NONE ((audit_value){VAL_NONE, 0, 0, NULL})
#define AV_TEXT(t) ((audit_value){VAL_TEXT, 0, 0, (t)})
#define AV_MONEY(m, places) ((audit_value){VAL_MONEY, (places), (m), NULL})
#define AV_QTY(n, unit) ((audit_value){VAL_QTY, 0, (n), (unit)})
#define AV_DECIMAL(m, unit) ((audit_value){VAL_DECIMAL, 4, (m), (unit)})
#define AV_PERCENT(p) ((audit_value){VAL_PERCENT, 4, (p), NULL})

/* One computation step of the audit trail (audit.csv, the evidence, explain). */
typedef struct audit_step {
  int line;           /* invoice line the step belongs to, 0 = invoice level */
  int step;           /* 1-based within the line */
  rule_id rule;
  input_ref *refs;    /* owned, names copied */
  size_t nrefs;
  audit_value value;  /* text owned */
  char *detail;       /* plain words */
} audit_step;

/* What a line, its tax or its state will carry into later months (the
 * ledger records it when the invoice is issued). */
typedef struct carry_item {
  carry_kind kind;
  char *subject;
  carry_value value;
} carry_item;

/* A fact about how the invoice was billed that the billing team must see
 * before sending it (notices.csv, one line on stderr): a machine billed at
 * full capacity because its SCRT report was late or missing or TSAD is not
 * sent (R-T2), a program charged at its minimum MSUs because it is not on
 * its machine's report (R-W5). */
typedef struct invoice_notice {
  rule_id rule;
  char *serial;       /* the machine */
  char *reason;       /* plain words */
  money billed;       /* the invoice's subtotal as billed (set when the invoice is closed) */
  money compared;     /* R-T2: the subtotal had the report been taken (has_compared) */
  int has_compared;   /* 0: nothing to compare with */
} invoice_notice;

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
  lb_date corrects_issued; /* the issue date of that invoice (printed "Credits invoice N of DATE") */
  char *replaces;         /* number of the cancelled invoice this one replaces (R-M8), NULL otherwise */
  int is_draft;           /* a preview (dry-run): no number reserved, never issued; every page says DRAFT */
  char **order_numbers;   /* distinct order numbers of the lines (R-X1) */
  size_t norders;

  charge_line *lines;
  size_t nlines, lines_cap;
  tax_line *taxes;
  size_t ntaxes, taxes_cap;
  audit_step *audit;
  size_t naudit, audit_cap;

  carry_item *carry;      /* state for later months, one per (kind, subject) */
  size_t ncarry, carry_cap;
  invoice_notice *notices; /* how it was billed that someone must see (not part of what is billed) */
  size_t nnotices, notices_cap;

  money subtotal;  /* sum of lines */
  money discount;  /* reductions shown apart from lines (0 for now) */
  money tax;       /* sum of tax lines */
  money total;     /* subtotal - discount + tax */
} invoice;

/* Free everything the invoice owns and zero it. NULL-safe. */
void invoice_clear(invoice *inv);

/* Append a zeroed line numbered nlines+1; returns it or NULL on ENOMEM. */
charge_line *invoice_add_line(invoice *inv);
tax_line *invoice_add_tax(invoice *inv);

/* Set the machines of line cl (copies; n >= 1) and its printed serial and
 * type-model lists, joined with '+'. This is the one place such lists are
 * made. 0 or LB_ENOMEM. */
int invoice_line_machines(charge_line *cl, const char *const *serials, const char *const *type_models, size_t n);
/* The same for a line on one machine. */
int invoice_line_machine(charge_line *cl, const char *serial, const char *type_model);
/* Split a printed list ("S1+S2") back into machines for cl, the inverse of
 * invoice_line_machines (loading an issued line). 0 or LB_ENOMEM. */
int invoice_line_machines_text(charge_line *cl, const char *serials, const char *type_models);
/* The machines of line `from` (copied) as those of cl. 0 or LB_ENOMEM. */
int invoice_line_machines_of(charge_line *cl, const charge_line *from);
/* 1 if one of the line's machines is `serial`. */
int invoice_line_has_serial(const charge_line *cl, const char *serial);
/* Room for n tier parts on cl (zeroed, ntiers = 0). 0 or LB_ENOMEM. */
int invoice_line_tiers(charge_line *cl, size_t n);

/* Append an audit step of `rule` to line `line` (0: the invoice) with its
 * inputs (refs, may be NO_REFS), its value and a printf-style detail.
 * Everything is copied. 0 or LB_ENOMEM. */
int invoice_audit(invoice *inv, int line, rule_id rule, const audit_refs *refs, audit_value value,
                  const char *fmt, ...) __attribute__((format(printf, 6, 7)));
/* The same with the refs as an array (lists built at run time). */
int invoice_audit_v(invoice *inv, int line, rule_id rule, const input_ref *refs, size_t nrefs, audit_value value,
                    const char *fmt, ...) __attribute__((format(printf, 7, 8)));

/* Record state for later months; a (kind, subject) already set is replaced. 0 or LB_ENOMEM. */
int invoice_carry(invoice *inv, carry_kind kind, const char *subject, carry_value value);

/* Add a notice; compared is the subtotal with the report taken, when
 * has_compared. The same rule, serial and reason again is not added twice.
 * Strings are copied. 0 or LB_ENOMEM. */
int invoice_notice_add(invoice *inv, rule_id rule, const char *serial, money billed, money compared,
                       int has_compared, const char *reason);

/* ---- identity: what decides that an issued document no longer matches (R-M8) ---- */

/* The version of invoice_identity's text. A ledger records it with each
 * document's identity hash; a ledger of an older version is migrated by
 * recomputing the hashes from the documents it holds. */
#define INVOICE_IDENTITY_VERSION 2

/* The billing substance of inv as text: the customer and the identifiers
 * printed for it, each line's charge type, product, machines, order,
 * quantity, unit, unit price and amount (lines in a canonical order, not
 * their numbers), the taxes, the discount and totals, the terms. Not the
 * number, dates, wording (product names, notes, rule ids, audit steps) or
 * the contact phone: an upgrade that only words things differently issues
 * nothing. Caller frees; NULL on ENOMEM. */
/* R-X2: the base of the prompt-payment discount: the total less `excluded`
 * (the lines whose own discount is never combined with another, R-M2) and
 * the taxes on it, each tax at its rate rounded under, as the engine
 * computes it and the invoice prints it. LB_OK or LB_EOVERFLOW. */
int invoice_prompt_pay_base(const invoice *inv, money excluded, money *base);

/* R-X2: 1 when invoice line `line` (1-based) was left out of the
 * prompt-payment base: it has an R-X2 audit step of its own. */
int invoice_line_out_of_prompt_pay(const invoice *inv, int line);

char *invoice_identity(const invoice *inv);

/* What differs between an issued invoice and the one its inputs give now,
 * in one line for people: each line added, removed or changed (quantity,
 * amount) with the input rows whose values changed, as file:line (the refs
 * of the audit steps whose values differ; all of the line's when none
 * does), then the totals. Caller frees; NULL on ENOMEM. */
char *invoice_changes(const invoice *old, const invoice *now);

/* ---- text forms (audit.csv, the ledger's readable columns, the evidence) ---- */

/* "licenses.csv", "scrt/received.csv", "scrt" (a report), "ledger.db",
 * "document", ... for a kind; src_kind_parse is its inverse (0, or -1). */
const char *src_file_name(src_kind kind);
int src_kind_parse(src_kind *out, const char *name);
/* One ref as written in audit.csv: "licenses.csv:12", "scrt/X.csv:40",
 * "ledger:graduated_group:L1", "ledger.db", "INV-2026-000001". Returns
 * the length it needs (snprintf style). */
int input_ref_format(char *buf, size_t n, const input_ref *r);
/* The step's refs, ';'-separated (malloc'd; NULL on ENOMEM). */
char *audit_inputs_text(const audit_step *a);
/* The value as written in audit.csv ("412 MSUs", "1234.50", "charged", "").
 * buf >= AUDIT_VALUE_MAX bytes; values longer are cut (never for the
 * values rules produce, whose text is at most a few words). Returns buf. */
#define AUDIT_VALUE_MAX 160
char *audit_value_format(char *buf, size_t n, const audit_value *v);
/* The inverses of the text forms, for text written before steps were
 * typed (a ledger of schema 1) and for tests: audit_refs_parse reads
 * "licenses.csv:12;scrt/X.csv:40;ledger:KIND:SUBJECT;ledger.db;NUMBER" into
 * *out (malloc'd, names owned: free with input_refs_free), giving price refs
 * the effective date `effective`; audit_value_parse reads a value as the
 * evidence has always classified it ("412 MSUs" a quantity, "1234.50" an
 * amount, other numbers a decimal, the rest words; *out's text is malloc'd,
 * the caller frees it). 0 or LB_ENOMEM. */
int audit_refs_parse(const char *text, lb_date effective, input_ref **out, size_t *n);
void input_refs_free(input_ref *refs, size_t n);
int audit_value_parse(const char *text, audit_value *out);

/* Charge type and rule ids of a line as charges.csv writes them. */
const char *line_charge_type(const charge_line *cl);

#endif
