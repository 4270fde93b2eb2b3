/* registry.c - the rule-module table: adding a charge type is one file and one row here. */
#include "registry.h"

#include <stdio.h>
#include <string.h>

#include "fwlc.h"
#include "ipla.h"
#include "otc.h"
#include "wlc.h"

const rule_module rule_modules[] = {
  {
    CT_AWLC,                                             /* ct */
    "R-W1;R-W2;R-W3;R-W4;R-W5;R-W6;R-W7;R-W8;R-W18",   /* rule_ids */
    "monthly",                                           /* component */
    NULL,                                                /* validate */
    wlc_price_awlc,                                      /* price */
    RM_MONTHLY | RM_SUBCAP,                              /* flags */
  },
  {
    CT_VWLC,                                             /* ct */
    "R-W1;R-W2;R-W3;R-W4;R-W5;R-W6;R-W7;R-W8;R-W18",   /* rule_ids */
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
    CT_OTC,                                              /* ct */
    "R-0.1",                                             /* rule_ids */
    "one_time",                                          /* component */
    NULL,                                                /* validate */
    otc_price,                                           /* price */
    0,                                                   /* flags */
  },
  {
    CT_IPLA,                                             /* ct */
    "R-I1;R-I2;R-I3;R-I4;R-I5;R-I6;R-I7;R-I8",           /* rule_ids */
    "license",                                           /* component */
    ipla_validate,                                       /* validate */
    ipla_price,                                          /* price */
    RM_SUBCAP,                                           /* flags */
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
