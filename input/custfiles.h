/* custfiles.h - the per-customer files of an input set: their names and columns, shared by the index and the reader. */
#ifndef LB_CUSTFILES_H
#define LB_CUSTFILES_H

#include "input/table.h"

/* The per-customer files, in the order they are indexed. */
typedef enum { CF_CUSTOMERS, CF_MACHINES, CF_LICENSES, CF_SUPPORT, CF_USAGE, CF__COUNT } cust_file;
extern const char *const cust_file_names[CF__COUNT];

/* Columns of the per-customer files (spec indexes). customer_id is 0 in each. */
enum { C_ID, C_NAME, C_CLASS, C_ADDRESS, C_COUNTRY, C_TAX_REGION, C_CURRENCY, C_CONTRACT, C_CYCLE,
       C_TERMS, C_PP_PCT, C_PP_DAYS, C_TSAD, C_TSAD_FULL, C__N };
enum { M_CUSTOMER, M_SERIAL, M_TYPE_MODEL, M_FULL_MSU, M_ENGINES, M_SYSPLEX, M_AWLC, M_PGROUP,
       M_GOLC, M_ZELC, M_TWLC, M_SUBCAP_START, M_ZOSE_ENGINES, M_PRSM, M_EFFECTIVE, M__N };
enum { L_CUSTOMER, L_LICENSE, L_SERIAL, L_PRODUCT, L_CT, L_FEATURE_OF, L_INSTALLED, L_DISCONTINUED,
       L_NOTICE, L_ORDER, L_TERMS, L_ENTITLED, L_REPLACES, L_SECURE, L_PRICING, L_QUANTITY, L_ACCEPTED,
       L_LMODEL, L_CHANNEL, L__N };
enum { S_CUSTOMER, S_LICENSE, S_START, S_END, S_ANNUAL, S_REINSTATED, S_OFFERING, S_KIND, S_ORDER,
       S_EXPIRED, S_FUNDED, S_QUANTITY, S__N };
enum { U_CUSTOMER, U_SERIAL, U_PRODUCT, U_VERSION, U_HOUR, U_VALUE, U_TEST, U__N };

/* Column specs of a per-customer file; *n gets the count. */
const col_spec *cust_file_columns(cust_file f, int *n);

#endif
