/* date.h - calendar dates and billing months without time zones. */
#ifndef LB_DATE_H
#define LB_DATE_H

#include <stddef.h>
#include <stdint.h>

/* A calendar date as days since 1970-01-01 (proleptic Gregorian). 0 is a
 * valid date; DATE_NONE marks "not given". */
typedef int32_t lb_date;
#define DATE_NONE INT32_MIN

/* A billing month as year*12 + (month-1). */
typedef int32_t lb_month;
#define MONTH_NONE INT32_MIN

#define DATE_OK 0
#define DATE_ESYNTAX (-1)
#define DATE_ERANGE (-2)

lb_date date_from_ymd(int y, int m, int d);
void date_to_ymd(lb_date dt, int *y, int *m, int *d);
int date_days_in_month(int y, int m);
/* 1 if y-m-d is a real calendar date with 1900 <= y <= 9999. */
int date_valid(int y, int m, int d);

/* Strict YYYY-MM-DD. *out written only on success; *errpos gets the byte
 * offset of the first bad character (or len when too short). */
int date_parse(lb_date *out, const char *s, size_t len, size_t *errpos);
/* Strict YYYY-MM. */
int month_parse(lb_month *out, const char *s, size_t len, size_t *errpos);

/* add n months, clamping the day to the end of the target month
 * (31 Jan + 1 = 28/29 Feb; 30 Sep + 1 = 30 Oct). */
lb_date date_add_months(lb_date dt, int n);

lb_month month_of(lb_date dt);
lb_date month_first_day(lb_month m);
lb_date month_last_day(lb_month m);
int month_year(lb_month m);
int month_number(lb_month m); /* 1..12 */
lb_month month_from_ym(int y, int m);

/* "2026-11-05" into buf (>= 11 bytes); "" for DATE_NONE. Returns buf. */
char *date_format(char *buf, lb_date dt);
/* "2026-11" into buf (>= 8 bytes). */
char *month_format(char *buf, lb_month m);
/* "5 Nov 2026" into buf (>= 16 bytes). */
char *date_format_long(char *buf, lb_date dt);

#endif
