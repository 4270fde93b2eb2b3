/* registry.c - the rule-module table: adding a charge type is one file and one row here. */
#include "registry.h"

#include <stdio.h>
#include <string.h>

#include "alc.h"
#include "elc.h"
#include "ewlc.h"
#include "fwlc.h"
#include "golc.h"
#include "graduated.h"
#include "ilc.h"
#include "imlc.h"
#include "ipla.h"
#include "maint.h"
#include "mosp.h"
#include "mulc.h"
#include "mwlc.h"
#include "nalc.h"
#include "otc.h"
#include "pslc.h"
#include "salc.h"
#include "twlc.h"
#include "usage.h"
#include "wlc.h"
#include "zelc.h"
#include "znalc.h"

/* The ILC (R-T7) has no charge type of its own: it rides on the MLC
 * licenses of every charge type. It runs with the ALC row, the other
 * System z one-time license charge (PLC, R-T8). */
static int alc_and_ilc_price(const rule_ctx *ctx, invoice *inv, diag_list *d)
{
  int rc = alc_price(ctx, inv, d);
  return rc ? rc : ilc_price(ctx, inv, d);
}

const rule_module rule_modules[] = {
  {
    CT_AWLC,                                             /* ct */
    "R-W1;R-W2;R-W3;R-W4;R-W5;R-W6;R-W7;R-W8;R-W18;R-S1;R-S2;R-S3", /* rule_ids */
    "monthly",                                           /* component */
    NULL,                                                /* validate */
    wlc_price_awlc,                                      /* price */
    RM_MONTHLY | RM_SUBCAP,                              /* flags */
  },
  {
    CT_VWLC,                                             /* ct */
    "R-W1;R-W2;R-W3;R-W4;R-W5;R-W6;R-W7;R-W8;R-W11;R-W18;R-S1;R-S2;R-S3", /* rule_ids */
    "monthly",                                           /* component */
    NULL,                                                /* validate */
    wlc_price_vwlc,                                      /* price */
    RM_MONTHLY | RM_SUBCAP,                              /* flags */
  },
  {
    CT_FWLC,                                             /* ct */
    "R-W10",                                             /* rule_ids */
    "monthly",                                           /* component */
    fwlc_validate,                                       /* validate */
    fwlc_price,                                          /* price */
    RM_MONTHLY,                                          /* flags */
  },
  {
    CT_EWLC,                                             /* ct */
    "R-W1;R-W2;R-W3;R-W4;R-W5;R-W6;R-W7;R-W13;R-W14;R-W18", /* rule_ids */
    "monthly",                                           /* component */
    ewlc_validate,                                       /* validate */
    ewlc_price,                                          /* price */
    RM_MONTHLY | RM_SUBCAP,                              /* flags */
  },
  {
    CT_TWLC,                                             /* ct */
    "R-W1;R-W14;R-W15;R-T10",                            /* rule_ids */
    "monthly",                                           /* component */
    twlc_validate,                                       /* validate */
    twlc_price,                                          /* price */
    RM_MONTHLY,                                          /* flags */
  },
  {
    CT_ZELC,                                             /* ct */
    "R-W16;R-T10",                                       /* rule_ids */
    "zelc_category",                                     /* component: the machine's zELC category */
    zelc_validate,                                       /* validate */
    zelc_price,                                          /* price */
    RM_MONTHLY,                                          /* flags */
  },
  {
    CT_MWLC,                                             /* ct */
    "R-W1;R-W2;R-W3;R-W4;R-W5;R-W6;R-W17;R-W18",         /* rule_ids */
    "monthly",                                           /* component */
    mwlc_validate,                                       /* validate */
    mwlc_price,                                          /* price */
    RM_MONTHLY | RM_SUBCAP,                              /* flags */
  },
  {
    CT_ZNALC,                                            /* ct */
    "R-W12;R-W1;R-W2;R-W3;R-W6;R-W8;R-T2;R-T10",         /* rule_ids */
    "monthly",                                           /* component */
    znalc_validate,                                      /* validate */
    znalc_price,                                         /* price */
    RM_MONTHLY | RM_SUBCAP,                              /* flags */
  },
  {
    CT_NALC,                                             /* ct */
    "R-W1;R-W2;R-T10",                                   /* rule_ids */
    "monthly",                                           /* component */
    nalc_validate,                                       /* validate */
    nalc_price,                                          /* price */
    RM_MONTHLY,                                          /* flags */
  },
  {
    CT_PSLC,                                             /* ct */
    "R-L3;R-W1;R-W8;R-W9;R-T10",                         /* rule_ids */
    "monthly",                                           /* component */
    pslc_validate,                                       /* validate */
    pslc_price,                                          /* price */
    RM_MONTHLY,                                          /* flags */
  },
  {
    CT_ELC,                                              /* ct */
    "R-L1;R-T10",                                        /* rule_ids */
    "base;per_msu",                                      /* component */
    elc_validate,                                        /* validate */
    elc_price,                                           /* price */
    RM_MONTHLY,                                          /* flags */
  },
  {
    CT_IMLC,                                             /* ct */
    "R-L2;R-W1;R-T10",                                   /* rule_ids */
    "monthly",                                           /* component */
    imlc_validate,                                       /* validate */
    imlc_price,                                          /* price */
    RM_MONTHLY,                                          /* flags */
  },
  {
    CT_GMLC,                                             /* ct */
    "R-L4;R-T10",                                        /* rule_ids */
    "group",                                             /* component */
    graduated_validate,                                  /* validate */
    graduated_price,                                     /* price */
    RM_MONTHLY,                                          /* flags */
  },
  {
    CT_GOLC,                                             /* ct */
    "R-L5;R-L4;R-T10",                                   /* rule_ids */
    "H30;H50;H70",                                       /* component: the machine's GOLC category */
    golc_validate,                                       /* validate */
    golc_price,                                          /* price */
    RM_MONTHLY,                                          /* flags */
  },
  {
    CT_MOSP,                                             /* ct */
    "R-L6;R-L4;R-T10",                                   /* rule_ids */
    "group",                                             /* component */
    mosp_validate,                                       /* validate */
    mosp_price,                                          /* price */
    RM_MONTHLY,                                          /* flags */
  },
  {
    CT_MULC,                                             /* ct */
    "R-U1;R-U2;R-U3;R-U4",                               /* rule_ids */
    "band",                                              /* component */
    usage_validate,                                      /* validate: every usage.csv row (MULC, UPC, SALC) */
    mulc_price,                                          /* price */
    RM_MONTHLY,                                          /* flags */
  },
  {
    CT_UPC,                                              /* ct */
    "R-U1;R-U2;R-U3;R-U4",                               /* rule_ids */
    "band",                                              /* component */
    NULL,                                                /* validate */
    upc_price,                                           /* price */
    RM_MONTHLY,                                          /* flags */
  },
  {
    CT_SALC,                                             /* ct */
    "R-U1;R-U2;R-U3;R-U4;R-U5",                          /* rule_ids */
    "base1",                                             /* component */
    salc_validate,                                       /* validate */
    salc_price,                                          /* price */
    RM_MONTHLY,                                          /* flags */
  },
  {
    CT_IPLA,                                             /* ct */
    "R-I1;R-I2;R-I3;R-I4;R-I5;R-I6;R-I7;R-I8",           /* rule_ids */
    "license",                                           /* component */
    ipla_validate,                                       /* validate */
    ipla_price,                                          /* price */
    RM_SUBCAP,                                           /* flags */
  },
  {
    CT_SWMA,                                             /* ct */
    "R-T9;R-M1;R-M2;R-M5;R-M6;R-M7",                     /* rule_ids */
    "after_license",                                     /* component: R-M2 fee; R-M7 reads "license" */
    maint_validate,                                      /* validate: every support row, SWMA and S&S */
    maint_price_swma,                                    /* price */
    0,                                                   /* flags */
  },
  {
    CT_SS,                                               /* ct */
    "R-T9;R-M1;R-M3;R-M4;R-M5;R-M6;R-M7",                /* rule_ids */
    "license",                                           /* component: R-M7 excess licenses */
    NULL,                                                /* validate: done by maint_validate (SWMA row) */
    maint_price_ss,                                      /* price */
    0,                                                   /* flags */
  },
  {
    CT_OTC,                                              /* ct */
    "R-0.1",                                             /* rule_ids */
    "one_time",                                          /* component */
    NULL,                                                /* validate */
    otc_price,                                           /* price */
    0,                                                   /* flags */
  },
  {
    CT_ALC,                                              /* ct */
    "R-T8;R-T7;R-T4;R-T5",                               /* rule_ids */
    "plc",                                               /* component: PLC; also "annual", and "ilc" (R-T7) */
    NULL,                                                /* validate */
    alc_and_ilc_price,                                   /* price: ALC licenses, then every MLC license's ILC */
    0,                                                   /* flags */
  },
  {CT__COUNT, NULL, NULL, NULL, NULL, 0},
};

int registry_check(const rule_module *rows, char *err, size_t n)
{
  int seen[CT__COUNT] = {0};
  for(const rule_module *m = rows; m->ct != CT__COUNT; m++) {
    if((unsigned)m->ct >= CT__COUNT) {
      snprintf(err, n, "rule table row %d: charge type out of range", (int)(m - rows));
      return -1;
    }
    if(seen[m->ct]++) {
      snprintf(err, n, "rule table: charge type %s appears twice", charge_type_names[m->ct]);
      return -1;
    }
    if(!m->rule_ids || !m->component || !m->price) {
      snprintf(err, n, "rule table: %s lacks a required slot (rule_ids, component, price)",
               charge_type_names[m->ct]);
      return -1;
    }
  }
  return 0;
}

const rule_module *registry_find(charge_type ct)
{
  for(const rule_module *m = rule_modules; m->ct != CT__COUNT; m++)
    if(m->ct == ct)
      return m;
  return NULL;
}

char *registry_names(char *buf, size_t n)
{
  size_t k = 0;
  buf[0] = '\0';
  for(const rule_module *m = rule_modules; m->ct != CT__COUNT && k < n; m++)
    k += (size_t)snprintf(buf + k, n - k, "%s%s", k ? ", " : "", charge_type_names[m->ct]);
  return buf;
}
