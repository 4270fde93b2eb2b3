/* ruleid.c - rule ids from core/rules.def: text, title, parsing, and ordered sets. */
#include "core/ruleid.h"

#include <string.h>

static const struct {
  const char *text, *title;
} RULES[RULE__COUNT] = {
#define RULE(id, text, title) {text, title},
#include "core/rules.def"
#undef RULE
};

/* the longest id ("R-T10", "R-0.1") fits the RULE_SET_TEXT_MAX arithmetic */
_Static_assert(RULE__COUNT < 256, "rule ids must fit a rule_set's bytes");

const char *rule_id_text(rule_id id) { return (unsigned)id < RULE__COUNT ? RULES[id].text : "?"; }
const char *rule_id_title(rule_id id) { return (unsigned)id < RULE__COUNT ? RULES[id].title : ""; }

int rule_id_parse(rule_id *out, const char *s, size_t len)
{
  for(int i = 0; i < RULE__COUNT; i++)
    if(strlen(RULES[i].text) == len && !memcmp(RULES[i].text, s, len)) {
      *out = (rule_id)i;
      return 0;
    }
  return -1;
}

int rule_set_has(const rule_set *s, rule_id id)
{
  for(unsigned i = 0; i < s->n; i++)
    if(s->id[i] == id)
      return 1;
  return 0;
}

void rule_set_add(rule_set *s, rule_id id)
{
  if((unsigned)id >= RULE__COUNT || rule_set_has(s, id))
    return;
  s->id[s->n++] = (uint8_t)id;
}

char *rule_set_format(const rule_set *s, char *buf, size_t n)
{
  size_t k = 0;
  buf[0] = '\0';
  for(unsigned i = 0; i < s->n; i++) {
    const char *t = RULES[s->id[i]].text;
    size_t tl = strlen(t);
    if(k + tl + 2 > n)
      break; /* n >= RULE_SET_TEXT_MAX never gets here */
    if(i)
      buf[k++] = ';';
    memcpy(buf + k, t, tl + 1);
    k += tl;
  }
  return buf;
}

int rule_set_parse(rule_set *s, const char *text, size_t *bad)
{
  const char *p = text;
  memset(s, 0, sizeof(*s));
  while(*p) {
    size_t n = strcspn(p, ";");
    rule_id id;
    if(rule_id_parse(&id, p, n) || rule_set_has(s, id)) {
      if(bad)
        *bad = (size_t)(p - text);
      return -1;
    }
    s->id[s->n++] = (uint8_t)id;
    p += n;
    if(*p == ';' && *++p == '\0') {
      if(bad)
        *bad = (size_t)(p - text);
      return -1;
    }
  }
  return 0;
}
