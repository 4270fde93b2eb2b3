/* monthconf.c - R-T10: a machine's configuration for the billing month, raised values held for the whole month. */
#include "rules/monthconf.h"

#include <stdio.h>
#include <string.h>

/* a > b for a group, category or tier name ("H50" > "H30", "40" > "32"); NULL is lowest */
static int higher(const char *a, const char *b)
{
  return a && (!b || strverscmp(a, b) > 0);
}

/* R-T10: note that `what` (`label value`, from machines.csv line `line`)
 * raised the month's value: in the flags the rules test, and in the words
 * of the audit step (the arena keeps them; no length is cut). */
static int t10_raise(cust_data *cd, machine *m, unsigned what, const char *label, const char *value, long line)
{
  const char *was = m->t10_what ? m->t10_what : "";
  size_t n = strlen(was) + strlen(label) + strlen(value) + 4;
  char *s = arena_alloc(&cd->mem, n);
  if(!s)
    return LB_ENOMEM;
  snprintf(s, n, "%s%s%s %s", was, *was ? ", " : "", label, value);
  m->t10_what = s;
  m->t10_raised |= what;
  m->t10_line = line;
  return LB_OK;
}

/* R-T10: resolve each machine to billing month `month`. An alteration after
 * the 1st of a month takes effect on the 1st of the month after (002 §5.12),
 * and an increase stays in effect for at least one month (§5.16.1 item 7):
 * the month is billed on the configuration in effect on its 1st, raised to
 * any higher capacity, processor group, category or tier of a configuration
 * that took effect from the 2nd to the last day of the month before (it
 * starts on this month's 1st and holds for the whole month, even if it was
 * undone before then). A machine with no configuration on the 1st (first
 * configured during the month) is billed on the one in effect on the last
 * day, raised by any other configuration of the month. */
int monthconf_resolve(cust_data *cd, lb_month month, const char *file, diag_list *d)
{
  lb_date first = month_first_day(month), last = month_last_day(month);
  lb_date prev_first = month_first_day(month - 1);
  int bad = 0;
  for(size_t i = 0; i < cd->nmachines; i++) {
    machine *m = &cd->machines[i];
    machine *cur = NULL, *on_first = NULL, *on_last = NULL;
    const machine *prev = NULL; /* R-L4: the configuration the month before was billed on (in effect on its 1st) */
    /* candidates: the row itself and its dated configurations */
    size_t n = 1 + cd->nmhist;
    for(size_t j = 0; j < n; j++) {
      machine *c = j == 0 ? m : &cd->mhist[j - 1];
      if(j && strcmp(c->serial, m->serial))
        continue;
      if(c->effective_from <= first && (!on_first || c->effective_from > on_first->effective_from))
        on_first = c;
      if(c->effective_from <= last && (!on_last || c->effective_from > on_last->effective_from))
        on_last = c;
      if(c->effective_from <= prev_first && (!prev || c->effective_from > prev->effective_from))
        prev = c;
    }
    cur = on_first ? on_first : on_last;
    if(!cur) {
      char date[11];
      diag_add(d, file, m->line, m->effective_col, cd->cust.id, "machine %s has no configuration in effect in the month (first "
               "effective_from %s), expected a row effective on or before %s", m->serial,
               date_format(date, m->effective_from), date_format(date, last));
      bad = 1;
      continue;
    }
    machine month_m = *cur;
    month_m.t10_line = 0;
    month_m.t10_what = NULL;
    month_m.t10_raised = 0;
    month_m.had_prev = prev != NULL;
    month_m.prev_processor_group = prev ? prev->processor_group : NULL;
    month_m.prev_pgroup_line = prev ? prev->pgroup_line : 0;
    month_m.prev_pgroup_col = prev ? prev->pgroup_col : 0;
    for(size_t j = 0; j < n; j++) {
      machine *c = j == 0 ? m : &cd->mhist[j - 1];
      if(j && strcmp(c->serial, m->serial))
        continue;
      /* an increase taking effect from the 2nd to the last day of the month before starts on this month's
       * 1st; without a configuration on the 1st, every configuration of the month counts */
      int raises = c->effective_from != DATE_NONE &&
                   (on_first ? c->effective_from > prev_first && c->effective_from < first
                             : c->effective_from >= first && c->effective_from <= last);
      if(c == cur || !raises)
        continue;
      if(c->full_capacity_msu > month_m.full_capacity_msu && month_m.full_capacity_msu != MSU_UNRATED) {
        char msus[32];
        snprintf(msus, sizeof(msus), "%lld MSUs", (long long)c->full_capacity_msu);
        if(t10_raise(cd, &month_m, T10_CAPACITY, "capacity", msus, c->line))
          return LB_ENOMEM;
        month_m.full_capacity_msu = c->full_capacity_msu;
      }
      if(higher(c->processor_group, month_m.processor_group)) {
        if(t10_raise(cd, &month_m, T10_PGROUP, "processor group", c->processor_group, c->line))
          return LB_ENOMEM;
        month_m.processor_group = c->processor_group;
        month_m.pgroup_line = c->pgroup_line;
        month_m.pgroup_col = c->pgroup_col;
      }
      const struct {
        unsigned what;
        const char *label, **month_value, *value;
      } named[] = {{T10_GOLC, "GOLC category", &month_m.golc_category, c->golc_category},
                   {T10_ZELC, "zELC category", &month_m.zelc_category, c->zelc_category},
                   {T10_TWLC, "TWLC tier", &month_m.twlc_tier, c->twlc_tier}};
      for(size_t f = 0; f < sizeof(named) / sizeof(named[0]); f++)
        if(higher(named[f].value, *named[f].month_value)) {
          if(t10_raise(cd, &month_m, named[f].what, named[f].label, named[f].value, c->line))
            return LB_ENOMEM;
          *named[f].month_value = named[f].value;
        }
    }
    /* the history of R-W3 is the machine's, whichever row carries it */
    if(month_m.subcap_start == MONTH_NONE)
      month_m.subcap_start = m->subcap_start;
    *m = month_m;
  }
  if(!bad)
    cd->resolved = month;
  return bad ? LB_EINPUT : LB_OK;
}
