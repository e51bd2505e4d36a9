/* English for the forms' Vietnamese texts (titles, row labels, units of
 * measure), for readers who ask for English (cchc-web). The Vietnamese text
 * is the key, as gettext's msgid: the forms stay the one owner of what each
 * row is, and a label used by several rows is translated once. */
#ifndef CCHC_REPORT_LABELS_H
#define CCHC_REPORT_LABELS_H

const char *report_en(const char *vi); /* NULL when the catalogue has no entry */

/* For the unit test: calls fn on every Vietnamese key of the catalogue. */
void report_en_each(void (*fn)(const char *vi, void *arg), void *arg);

#endif
