/* custfiles.c - names and column specs of the per-customer files (README, "Input set"). */
#include "input/custfiles.h"

#include <stddef.h>

const char *const cust_file_names[CF__COUNT] = {"customers.csv", "machines.csv", "licenses.csv",
                                                "support.csv", "usage.csv"};

static const col_spec customer_cols[C__N] = {
  {"customer_id", 1}, {"name", 1}, {"class", 1}, {"address", 1}, {"country", 1},
  {"tax_region", 1}, {"currency", 1}, {"contract_number", 1}, {"billing_cycle", 1},
  {"payment_terms_days", 1}, {"prompt_pay_pct", 1}, {"prompt_pay_days", 1}, {"tsad", 1}};
static const col_spec machine_cols[M__N] = {
  {"customer_id", 1}, {"serial", 1}, {"type_model", 1}, {"full_capacity_msu", 1}, {"engines", 1},
  {"sysplex", 1}, {"awlc_eligible", 1}, {"processor_group", 1}, {"golc_category", 1},
  {"zelc_category", 1}, {"twlc_tier", 1}, {"subcap_start", 0}, {"zose_engines", 0}, {"prsm", 0},
  {"effective_from", 0}};
static const col_spec license_cols[L__N] = {
  {"customer_id", 1}, {"license_id", 1}, {"serial", 1}, {"product_id", 1}, {"charge_type", 1},
  {"feature_of", 1}, {"installed_on", 1}, {"discontinued_on", 1}, {"notice_received_on", 1},
  {"order_number", 1}, {"subcap_terms", 1}, {"entitled_msu", 1}, {"replaces", 1},
  {"secure_support", 1}, {"pricing", 0}, {"quantity", 0}, {"accepted_on", 0}, {"logical_model", 0}};

static const col_spec support_cols[S__N] = {
  {"customer_id", 1}, {"license_id", 1}, {"period_start", 1}, {"period_end", 1},
  {"annual_charge", 1}, {"reinstated_on", 1}, {"offering", 1}, {"kind", 0}, {"order_number", 0},
  {"expired_on", 0}, {"funded_on", 0}, {"quantity", 0}};
static const col_spec usage_cols[U__N] = {
  {"customer_id", 1}, {"serial", 1}, {"product_id", 1}, {"version", 1}, {"hour", 1}, {"value", 1},
  {"test_period", 1}};

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
