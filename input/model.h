/* model.h - the rows of the input set (README, "Input set"), as the rules see them. */
#ifndef LB_MODEL_H
#define LB_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "core/chargetype.h"
#include "core/date.h"
#include "core/money.h"

#define MSU_UNRATED (-1)

/* R-T10: the values a configuration inside the month raised (machine.t10_raised). */
#define T10_CAPACITY 1u
#define T10_PGROUP 2u
#define T10_GOLC 4u
#define T10_ZELC 8u
#define T10_TWLC 16u

typedef enum { CLASS_COMMERCIAL, CLASS_STATE_LOCAL, CLASS_FEDERAL, CLASS_BUSINESS_PARTNER } cust_class;
typedef enum { CYCLE_MONTHLY, CYCLE_QUARTERLY } billing_cycle;
typedef enum { FAMILY_ZOS, FAMILY_ZTPF, FAMILY_ZVSE, FAMILY_NONE } os_family;
typedef enum { TERMS_NONE = -1, TERMS_EXECUTION, TERMS_REFERENCE, TERMS_ZOS } subcap_terms;
typedef enum { PRICING_FULL, PRICING_SUBCAP } pricing_mode;
/* R-W14: the logical model of a machine running z/OS.e in which a program runs */
typedef enum { LMODEL_UNSET = -1, LMODEL_ZOSE, LMODEL_OTHER, LMODEL_BOTH } logical_model;
/* R-M4: how a license was sold: outside Passport Advantage (under the schedule's own terms: MLC programs,
 * IPLA programs with Software Maintenance, 002 §5.15.12) or via IBM Passport Advantage (§5.15.13) */
typedef enum { CHANNEL_DIRECT, CHANNEL_PASSPORT_ADVANTAGE } sales_channel;

extern const char *const cust_class_names[];
extern const char *const billing_cycle_names[];
extern const char *const os_family_names[];
extern const char *const subcap_terms_names[];
extern const char *const pricing_mode_names[];
extern const char *const logical_model_names[];
extern const char *const sales_channel_names[];

typedef struct customer {
  const char *id, *name, *address, *country, *tax_region, *currency, *contract_number;
  cust_class cls;
  billing_cycle cycle;
  int64_t payment_terms_days;
  money prompt_pay_pct; /* 1/10000 %; 0 = none */
  int64_t prompt_pay_days;
  int tsad;             /* TSAD is being sent (R-T2) */
  int tsad_full;        /* R-T2: without TSAD, IBM charges full capacity ("may result", 002 §5.16.1 4.f);
                         * customers.csv tsad_full_capacity, empty = yes */
  long line;
  long tax_region_col;  /* for errors found while pricing (R-X3) */
} customer;

typedef struct machine {
  const char *serial, *type_model, *sysplex, *processor_group, *golc_category, *zelc_category,
      *twlc_tier;
  int64_t full_capacity_msu; /* MSU_UNRATED when empty */
  int64_t engines;
  int awlc_eligible;
  lb_month subcap_start;     /* history for R-W3: first month billed on an SCRT report; MONTH_NONE = not yet */
  int64_t zose_engines;      /* R-W14: engines of the z/OS.e logical model, 0 when none */
  int prsm;                  /* R-L6: PR/SM installed */
  lb_date effective_from;    /* configuration in effect from this date, DATE_NONE = always */
  long effective_col;
  long zose_col, zelc_col, twlc_col; /* columns of zose_engines, zelc_category, twlc_tier (R-W14..R-W16) */
  long full_msu_col;         /* column of full_capacity_msu, for errors found while pricing (R-W11) */
  /* R-T10: the month's values are the highest of the configurations in effect
   * during the month (rules/monthconf.c); t10_line is the row the raised
   * value came from (0 when no configuration changed inside the month),
   * t10_raised says which values (T10_*), t10_what names them in words */
  long t10_line;
  unsigned t10_raised;
  const char *t10_what; /* NULL when nothing was raised */
  /* R-L4: processor group of the configuration in effect before the month
   * (on the previous month's last day); NULL when the machine had none */
  const char *prev_processor_group;
  long prev_pgroup_line, prev_pgroup_col;
  int had_prev;          /* 1 when a configuration was in effect before the month */
  long pgroup_line, pgroup_col; /* where processor_group was read (R-L4 errors) */
  long line;
} machine;

typedef struct license {
  const char *license_id, *serial, *product_id, *feature_of, *order_number, *replaces;
  charge_type ct;
  lb_date installed_on, discontinued_on, notice_received_on;
  subcap_terms terms;
  int64_t entitled_msu; /* -1 when empty */
  int secure_support;
  pricing_mode pricing; /* sub-capacity elected (R-W2, R-W18) */
  int64_t quantity;     /* licenses (or features) on this row, 1 when empty (R-M7, SALC) */
  lb_date accepted_on;  /* order accepted (R-L6 MOSP, R-M3), DATE_NONE when empty */
  logical_model lmodel; /* R-W14: logical model the program runs in, LMODEL_UNSET when empty */
  sales_channel channel; /* R-M4: CHANNEL_DIRECT when empty */
  long line;
  /* columns of fields that rules point at in their errors */
  long feature_of_col, product_col, ct_col, pricing_col, installed_col, accepted_col, lmodel_col;
  long serial_col, terms_col, entitled_col, replaces_col; /* R-I1..R-I3, R-I6, R-I8, R-S1 */
  long secure_col, channel_col;                           /* R-M4 */
} license;

typedef struct product {
  const char *product_id, *name, *version, *vue, *parent_product;
  os_family family;
  int is_os;
  int64_t min_msu; /* R-W5 minimum MSUs; 0 when empty */
  long line;
  long parent_col;  /* of parent_product */
} product;

typedef struct price {
  const char *product_id, *component, *currency;
  charge_type ct;
  int64_t from_qty, to_qty; /* -1 when empty */
  money unit_price, fixed_price;
  int has_unit_price, has_fixed_price;
  lb_date effective_from;
  long line;
  long from_col;   /* of from_qty, for tier errors */
} price;

/* One row of the price list's machine table (machine_models.csv, optional):
 * R-L1 (twice the highest rating of the vendor's product group), R-L3
 * (PSLC/E: machines not listed, twice the highest rating listed). */
typedef struct machine_model {
  const char *type_model, *product_group;
  int64_t msu_rating; /* MSU_UNRATED when empty: listed, no MSUs established */
  long line;
} machine_model;

typedef struct vu_tier {
  const char *vue;
  int64_t from_msu, to_msu; /* to -1 = open */
  money vu_per_msu;
  long line, from_col;
  /* on the first tier of an exhibit with a gap, an overlap or a late start
   * (R-I5): what is wrong, where (value_units.csv line and column); NULL when
   * the exhibit is sound. Customers that use it are rejected, not the run. */
  const char *defect;
  long defect_line, defect_col;
} vu_tier;

typedef struct tax_rate {
  const char *tax_region, *tax_name;
  money rate_pct;
  lb_date effective_from;
  long line;
  long col;        /* of effective_from */
} tax_rate;

typedef enum { SUP_PERIOD, SUP_RENEWAL, SUP_REINSTATEMENT, SUP_UPGRADE, SUP_ANNIVERSARY, SUP_EXCESS } support_kind;
extern const char *const support_kind_names[];

typedef struct support_row {
  const char *license_id, *offering, *order_number;
  support_kind kind;    /* what the row records (R-M1..R-M7); SUP_PERIOD when empty */
  lb_date period_start, period_end, reinstated_on;
  lb_date expired_on;   /* R-M2/R-M3: the date coverage lapsed, DATE_NONE when empty */
  lb_date funded_on;    /* R-M1: date of the funded order, DATE_NONE when none */
  money annual_charge;
  int64_t quantity;     /* licenses covered, 1 when empty (R-M6, R-M7) */
  long line;
  /* columns of fields that rules point at in their errors (0 when the file lacks the column) */
  long offering_col, kind_col, start_col, end_col, expired_col, reinstated_col, funded_col;
} support_row;

typedef struct usage_row {
  const char *serial, *product_id, *version;
  lb_date day;
  int hour;
  money value;
  int test_period;
  long line;
  long version_col, hour_col, product_col; /* for errors found while pricing (R-U1, R-U3) */
} usage_row;

#endif
