/* carry.c - the kinds of carried state and their one text codec each. */
#include "core/carry.h"

#include <stdio.h>
#include <string.h>

typedef enum { CV_MONTH, CV_INT, CV_USAGE, CV_USAGE_UNTIL } carry_type;

static const struct {
  const char *name;
  carry_type type;
} KINDS[CARRY__COUNT] = {
  [CARRY_SUBCAP_START] = {"subcap_start", CV_MONTH},
  [CARRY_CAPACITY] = {"capacity", CV_INT},
  [CARRY_GRADUATED_GROUP] = {"graduated_group", CV_INT},
  [CARRY_SVC_START] = {"svc_start", CV_MONTH},
  [CARRY_IIO_VU] = {"iio_vu", CV_INT},
  [CARRY_USAGE_FIRST] = {"usage_first", CV_USAGE},
  [CARRY_USAGE_BASIS] = {"usage_basis", CV_USAGE_UNTIL},
  [CARRY_USAGE_PEAK] = {"usage_peak", CV_USAGE_UNTIL},
  [CARRY_ILC] = {"ilc", CV_MONTH},
  [CARRY_PLC] = {"plc", CV_MONTH},
};

const char *carry_name(carry_kind kind) { return (unsigned)kind < CARRY__COUNT ? KINDS[kind].name : "?"; }

int carry_kind_parse(carry_kind *out, const char *s, size_t len)
{
  for(int i = 0; i < CARRY__COUNT; i++)
    if(strlen(KINDS[i].name) == len && !memcmp(KINDS[i].name, s, len)) {
      *out = (carry_kind)i;
      return 0;
    }
  return -1;
}

char *carry_format(char *buf, size_t n, carry_kind kind, const carry_value *v)
{
  char num[32], mon[8];
  switch((unsigned)kind < CARRY__COUNT ? KINDS[kind].type : CV_INT) {
  case CV_MONTH: snprintf(buf, n, "%s", month_format(mon, v->month)); break;
  case CV_INT: snprintf(buf, n, "%lld", (long long)v->num); break;
  case CV_USAGE: snprintf(buf, n, "%s", money_format(num, v->num, 4)); break;
  case CV_USAGE_UNTIL:
    snprintf(buf, n, "%s;%s", money_format(num, v->num, 4), month_format(mon, v->month));
    break;
  }
  return buf;
}

const carried *carry_find(const carry_history *h, carry_kind kind, const char *subject)
{
  for(size_t i = 0; h && i < h->n; i++)
    if(h->v[i].kind == kind && !strcmp(h->v[i].subject, subject))
      return &h->v[i];
  return NULL;
}

/* a whole number, digits only, at most 18 of them */
static int parse_count(int64_t *out, const char *s, size_t len)
{
  int64_t v = 0;
  if(!len || len > 18)
    return -1;
  for(size_t i = 0; i < len; i++) {
    if(s[i] < '0' || s[i] > '9')
      return -1;
    v = v * 10 + (s[i] - '0');
  }
  *out = v;
  return 0;
}

int carry_parse(carry_value *out, carry_kind kind, const char *text)
{
  carry_value v = {MONTH_NONE, 0};
  size_t len = strlen(text), ep;
  const char *semi = strchr(text, ';');
  if((unsigned)kind >= CARRY__COUNT)
    return -1;
  switch(KINDS[kind].type) {
  case CV_MONTH:
    if(month_parse(&v.month, text, len, &ep))
      return -1;
    break;
  case CV_INT:
    if(parse_count(&v.num, text, len))
      return -1;
    break;
  case CV_USAGE:
    if(semi || money_parse(&v.num, text, len, 4, &ep))
      return -1;
    break;
  case CV_USAGE_UNTIL:
    if(!semi || money_parse(&v.num, text, (size_t)(semi - text), 4, &ep) ||
       month_parse(&v.month, semi + 1, strlen(semi + 1), &ep))
      return -1;
    break;
  }
  *out = v;
  return 0;
}
