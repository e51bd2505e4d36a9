/* Rates as the forms print them (services/DOMAIN.md, "Rounding, as the forms do it"):
 * a percentage with two decimals, rounded half up, except that a share
 * strictly between 0 and 100 % is never shown as 0.00 or 100.00. Computed
 * exactly in integers, in basis points (hundredths of a percent), so 93.56 %
 * is 9356 and no floating point ever decides a printed digit. */
#ifndef CCHC_RATE_H
#define CCHC_RATE_H

#include <stdint.h>

/* Room for any basis-point value cchc_rate_format prints: sign, 17 digits,
 * separator, 2 decimals and the NUL fit in 22 bytes. */
#define CCHC_RATE_LEN 24

/* num/den as basis points into *bp. CCHC_ENOTFOUND when den is 0 (the forms
 * print nothing, not 0), CCHC_EINVAL for a negative input, CCHC_ETOOBIG when
 * the result does not fit int64_t (num over 922 trillion times den). num > den
 * is allowed (revenue 114.58 % of its estimate) and is not clamped. *bp is
 * only written on success. */
int cchc_rate_bp(int64_t num, int64_t den, int64_t *bp);

/* bp with exactly two decimals: 9356 -> "93.56", 10000 -> "100.00", 0 ->
 * "0.00". sep is the decimal separator: '.' for JSON, ',' for Vietnamese text
 * ("93,56"). */
void cchc_rate_format(int64_t bp, char sep, char out[CCHC_RATE_LEN]);

#endif
