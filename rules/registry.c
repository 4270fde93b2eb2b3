/* registry.c - the rule-module table: adding a charge type is one file and one row here. */
#include "rules/registry.h"

#include <stdio.h>
#include <string.h>

#include "core/ruleid.h"
#include "rules/alc.h"
#include "rules/elc.h"
#include "rules/ewlc.h"
#include "rules/fwlc.h"
#include "rules/golc.h"
#include "rules/graduated.h"
#include "rules/ilc.h"
#include "rules/imlc.h"
#include "rules/ipla.h"
#include "rules/maint.h"
#include "rules/mosp.h"
#include "rules/mulc.h"
#include "rules/mwlc.h"
#include "rules/nalc.h"
#include "rules/otc.h"
#include "rules/pslc.h"
#include "rules/salc.h"
#include "rules/twlc.h"
#include "rules/usage.h"
#include "rules/wlc.h"
#include "rules/zelc.h"
#include "rules/znalc.h"

const rule_module rule_modules[] = {
  {
    CT_AWLC,                                             /* ct */
    "R-W1;R-W2;R-W3;R-W4;R-W5;R-W6;R-W7;R-W8;R-W18;R-W20;R-S1;R-S2;R-S3", /* rule_ids */
    "monthly",                                           /* component */
    wlc_validate_awlc,                                   /* validate */
    wlc_price_awlc,                                      /* price */
  },
  {
    CT_VWLC,                                             /* ct */
    "R-W1;R-W2;R-W3;R-W4;R-W5;R-W6;R-W7;R-W8;R-W11;R-W18;R-S1;R-S2;R-S3", /* rule_ids */
    "monthly",                                           /* component */
    NULL,                                                /* validate */
    wlc_price_vwlc,                                      /* price */
  },
  {
    CT_FWLC,                                             /* ct */
    "R-W10;R-0.5",                                       /* rule_ids */
    "monthly",                                           /* component */
    fwlc_validate,                                       /* validate */
    fwlc_price,                                          /* price */
  },
  {
    CT_EWLC,                                             /* ct */
    "R-W1;R-W2;R-W3;R-W4;R-W5;R-W6;R-W7;R-W13;R-W14;R-W18", /* rule_ids */
    "monthly",                                           /* component */
    ewlc_validate,                                       /* validate */
    ewlc_price,                                          /* price */
  },
  {
    CT_TWLC,                                             /* ct */
    "R-W1;R-W14;R-W15;R-T10",                            /* rule_ids */
    "monthly",                                           /* component */
    twlc_validate,                                       /* validate */
    twlc_price,                                          /* price */
  },
  {
    CT_ZELC,                                             /* ct */
    "R-W16;R-T10;R-0.5",                                 /* rule_ids */
    "zelc_category",                                     /* component: the machine's zELC category */
    zelc_validate,                                       /* validate */
    zelc_price,                                          /* price */
  },
  {
    CT_MWLC,                                             /* ct */
    "R-W1;R-W2;R-W3;R-W4;R-W5;R-W6;R-W17;R-W18",         /* rule_ids */
    "monthly",                                           /* component */
    mwlc_validate,                                       /* validate */
    mwlc_price,                                          /* price */
  },
  {
    CT_ZNALC,                                            /* ct */
    "R-W12;R-W1;R-W2;R-W3;R-W6;R-W8;R-T2;R-T10",         /* rule_ids */
    "monthly",                                           /* component */
    znalc_validate,                                      /* validate */
    znalc_price,                                         /* price */
  },
  {
    CT_NALC,                                             /* ct */
    "R-W1;R-W2;R-T10",                                   /* rule_ids */
    "monthly",                                           /* component */
    nalc_validate,                                       /* validate */
    nalc_price,                                          /* price */
  },
  {
    CT_PSLC,                                             /* ct */
    "R-L3;R-W1;R-W8;R-W9;R-T10",                         /* rule_ids */
    "monthly",                                           /* component */
    pslc_validate,                                       /* validate */
    pslc_price,                                          /* price */
  },
  {
    CT_ELC,                                              /* ct */
    "R-L1;R-T10",                                        /* rule_ids */
    "base;per_msu",                                      /* component */
    elc_validate,                                        /* validate */
    elc_price,                                           /* price */
  },
  {
    CT_IMLC,                                             /* ct */
    "R-L2;R-W1;R-T10",                                   /* rule_ids */
    "monthly",                                           /* component */
    imlc_validate,                                       /* validate */
    imlc_price,                                          /* price */
  },
  {
    CT_GMLC,                                             /* ct */
    "R-L4;R-T10;R-0.5",                                  /* rule_ids */
    "group",                                             /* component */
    graduated_validate,                                  /* validate */
    graduated_price,                                     /* price */
  },
  {
    CT_GOLC,                                             /* ct */
    "R-L5;R-L4;R-T10;R-0.5",                             /* rule_ids */
    "H30;H50;H70",                                       /* component: the machine's GOLC category */
    golc_validate,                                       /* validate */
    golc_price,                                          /* price */
  },
  {
    CT_MOSP,                                             /* ct */
    "R-L6;R-L4;R-T10;R-0.5",                             /* rule_ids */
    "group",                                             /* component */
    mosp_validate,                                       /* validate */
    mosp_price,                                          /* price */
  },
  {
    CT_MULC,                                             /* ct */
    "R-U1;R-U2;R-U3;R-U4",                               /* rule_ids */
    "band",                                              /* component */
    usage_validate,                                      /* validate: every usage.csv row (MULC, UPC, SALC) */
    mulc_price,                                          /* price */
  },
  {
    CT_UPC,                                              /* ct */
    "R-U1;R-U2;R-U3;R-U4",                               /* rule_ids */
    "band",                                              /* component */
    NULL,                                                /* validate */
    upc_price,                                           /* price */
  },
  {
    CT_SALC,                                             /* ct */
    "R-U1;R-U2;R-U3;R-U4;R-U5",                          /* rule_ids */
    "base1",                                             /* component */
    salc_validate,                                       /* validate */
    salc_price,                                          /* price */
  },
  {
    CT_IPLA,                                             /* ct */
    "R-I1;R-I2;R-I3;R-I4;R-I5;R-I6;R-I7;R-I8",           /* rule_ids */
    "license",                                           /* component */
    ipla_validate,                                       /* validate */
    ipla_price,                                          /* price */
  },
  {
    CT_SWMA,                                             /* ct */
    "R-T9;R-T6;R-M1;R-M2;R-M5;R-M6;R-M7",                /* rule_ids */
    "after_license",                                     /* component: R-M2 fee; R-M7 reads "license" */
    maint_validate,                                      /* validate: every support row, SWMA and S&S */
    maint_price_swma,                                    /* price */
  },
  {
    CT_SS,                                               /* ct */
    "R-T9;R-M1;R-M3;R-M4;R-M5;R-M6;R-M7",                /* rule_ids */
    "license",                                           /* component: R-M7 excess licenses */
    NULL,                                                /* validate: done by maint_validate (SWMA row) */
    maint_price_ss,                                      /* price */
  },
  {
    CT_OTC,                                              /* ct */
    "R-0.1;R-0.5",                                       /* rule_ids */
    "one_time",                                          /* component */
    NULL,                                                /* validate */
    otc_price,                                           /* price */
  },
  {
    CT_ALC,                                              /* ct */
    "R-T8;R-T4;R-T5;R-0.5",                              /* rule_ids */
    "plc;annual",                                        /* component: the PLC (R-T8) and the annual charge */
    NULL,                                                /* validate */
    alc_price,                                           /* price */
  },
  {
    CT_ILC,                                              /* ct: the MLC licenses of the month */
    "R-T7;R-0.5",                                        /* rule_ids */
    "ilc",                                               /* component, in the book of the license's type */
    NULL,                                                /* validate */
    ilc_price,                                           /* price */
  },
  {CT__COUNT, NULL, NULL, NULL, NULL},
};

/* ';'-separated tokens of [A-Za-z0-9_], none empty */
static int components_ok(const char *c)
{
  int len = 0;
  for(; *c; c++) {
    if(*c == ';') {
      if(!len)
        return 0;
      len = 0;
    } else if((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') || *c == '_')
      len++;
    else
      return 0;
  }
  return len > 0;
}

int registry_check(const rule_module *rows, char *err, size_t n)
{
  int seen[CT__COUNT] = {0};
  if(charge_type_check(err, n))
    return -1;
  for(const rule_module *m = rows; m->ct != CT__COUNT; m++) {
    rule_set ids;
    size_t bad = 0;
    if((unsigned)m->ct >= CT__COUNT) {
      snprintf(err, n, "rule table row %d: charge type out of range", (int)(m - rows));
      return -1;
    }
    const char *name = charge_type_name(m->ct);
    if(seen[m->ct]++) {
      snprintf(err, n, "rule table: charge type %s appears twice", name);
      return -1;
    }
    if(charge_type_flags(m->ct) & CTF_NO_ROW) {
      snprintf(err, n, "rule table: %s is priced inside another module (CTF_NO_ROW) but has a row", name);
      return -1;
    }
    if(!m->rule_ids || !m->component || !m->price) {
      snprintf(err, n, "rule table: %s lacks a required slot (rule_ids, component, price)", name);
      return -1;
    }
    if(!*m->rule_ids || rule_set_parse(&ids, m->rule_ids, &bad)) {
      snprintf(err, n, "rule table: %s names '%.*s', which is not a rule id of core/rules.def (or is repeated), "
               "expected ids like R-W1 separated by ';'", name, (int)strcspn(m->rule_ids + bad, ";"),
               m->rule_ids + bad);
      return -1;
    }
    if(!components_ok(m->component)) {
      snprintf(err, n, "rule table: %s has component '%s', expected prices.csv component names separated by ';'",
               name, m->component);
      return -1;
    }
  }
  for(int ct = 0; ct < CT__COUNT; ct++)
    if(!seen[ct] && !(charge_type_flags((charge_type)ct) & CTF_NO_ROW)) {
      snprintf(err, n, "rule table: charge type %s is declared in core/chargetypes.def but has no row, expected "
               "one row per charge type", charge_type_name((charge_type)ct));
      return -1;
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
