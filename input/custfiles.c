/* custfiles.c - names and column specs of the per-customer files (README, "Input set"). */
#include "input/custfiles.h"

#include <stddef.h>

const char *const cust_file_names[CF__COUNT] = {"customers.csv", "machines.csv", "licenses.csv",
                                                "support.csv", "usage.csv"};

static const col_spec customer_cols[C__N] = {
  {"customer_id", 1, 0}, {"name", 1, 0}, {"class", 1, 0}, {"address", 1, 1}, {"country", 1, 0},
  {"tax_region", 1, 0}, {"currency", 1, 0}, {"contract_number", 1, 0}, {"billing_cycle", 1, 0},
  {"payment_terms_days", 1, 0}, {"prompt_pay_pct", 1, 0}, {"prompt_pay_days", 1, 0}, {"tsad", 1, 0},
  {"tsad_full_capacity", 0, 0}};
static const col_spec machine_cols[M__N] = {
  {"customer_id", 1, 0}, {"serial", 1, 0}, {"type_model", 1, 0}, {"full_capacity_msu", 1, 0}, {"engines", 1, 0},
  {"sysplex", 1, 0}, {"awlc_eligible", 1, 0}, {"processor_group", 1, 0}, {"golc_category", 1, 0},
  {"zelc_category", 1, 0}, {"twlc_tier", 1, 0}, {"subcap_start", 0, 0}, {"zose_engines", 0, 0}, {"prsm", 0, 0},
  {"effective_from", 0, 0}};
static const col_spec license_cols[L__N] = {
  {"customer_id", 1, 0}, {"license_id", 1, 0}, {"serial", 1, 0}, {"product_id", 1, 0}, {"charge_type", 1, 0},
  {"feature_of", 1, 0}, {"installed_on", 1, 0}, {"discontinued_on", 1, 0}, {"notice_received_on", 1, 0},
  {"order_number", 1, 0}, {"subcap_terms", 1, 0}, {"entitled_msu", 1, 0}, {"replaces", 1, 0},
  {"secure_support", 1, 0}, {"pricing", 0, 0}, {"quantity", 0, 0}, {"accepted_on", 0, 0}, {"logical_model", 0, 0},
  {"sales_channel", 0, 0}};

static const col_spec support_cols[S__N] = {
  {"customer_id", 1, 0}, {"license_id", 1, 0}, {"period_start", 1, 0}, {"period_end", 1, 0},
  {"annual_charge", 1, 0}, {"reinstated_on", 1, 0}, {"offering", 1, 0}, {"kind", 0, 0}, {"order_number", 0, 0},
  {"expired_on", 0, 0}, {"funded_on", 0, 0}, {"quantity", 0, 0}};
static const col_spec usage_cols[U__N] = {
  {"customer_id", 1, 0}, {"serial", 1, 0}, {"product_id", 1, 0}, {"version", 1, 0}, {"hour", 1, 0}, {"value", 1, 0},
  {"test_period", 1, 0}};

const col_spec *cust_file_columns(cust_file f, int *n)
{
  switch(f) {
  case CF_CUSTOMERS: *n = C__N; return customer_cols;
  case CF_MACHINES: *n = M__N; return machine_cols;
  case CF_LICENSES: *n = L__N; return license_cols;
  case CF_SUPPORT: *n = S__N; return support_cols;
  case CF_USAGE: *n = U__N; return usage_cols;
  default: *n = 0; return NULL;
  }
}
