/* ruleid.h - the rule ids of the rule book, declared once in core/rules.def, and ordered sets of them. */
#ifndef LB_RULEID_H
#define LB_RULEID_H

#include <stddef.h>
#include <stdint.h>

typedef enum rule_id {
#define RULE(id, text, title) R_##id,
#include "core/rules.def"
#undef RULE
  RULE__COUNT
} rule_id;

/* "R-W8", and the rule in a few plain words. */
const char *rule_id_text(rule_id id);
const char *rule_id_title(rule_id id);
/* The id written s[0..len) ("R-W8"); 0 found, -1 unknown. */
int rule_id_parse(rule_id *out, const char *s, size_t len);

/* The rule ids a charge line applied, each once, in the order first
 * applied (charges.csv writes them ';'-separated). It holds every id at
 * most once, so it cannot overflow. */
typedef struct rule_set {
  uint8_t n;
  uint8_t id[RULE__COUNT];
} rule_set;

/* A set written in place: RULES(R_T8, R_0_1) (ids distinct, in order). */
#define RULES(...) (&(const rule_set){sizeof((const uint8_t[]){__VA_ARGS__}), {__VA_ARGS__}})

/* Add id unless present. */
void rule_set_add(rule_set *s, rule_id id);
/* 1 if id is in the set. */
int rule_set_has(const rule_set *s, rule_id id);
/* "R-W1;R-W2" into buf (n >= RULE_SET_TEXT_MAX); returns buf. */
#define RULE_SET_TEXT_MAX (RULE__COUNT * 7 + 1)
char *rule_set_format(const rule_set *s, char *buf, size_t n);
/* Parse "R-W1;R-W2" (empty = no ids) into *s: 0, or -1 at the first
 * unknown or repeated id, with *bad (may be NULL) set to its offset. */
int rule_set_parse(rule_set *s, const char *text, size_t *bad);

#endif
