/* One error convention for all of cchc: functions return int, 0 is OK, a
 * positive CCHC_E* code says what failed; results go through out-parameters.
 * Handles that talk to something (Redis, the bus, a journal) also keep the last
 * error's text in their own errstr, hiredis-style. */
#ifndef CCHC_ERR_H
#define CCHC_ERR_H

enum cchc_err {
    CCHC_OK = 0,
    CCHC_EINVAL,    /* bad argument, configuration or input */
    CCHC_EIO,       /* file or socket I/O failed */
    CCHC_EPROTO,    /* bytes that do not follow the wire format */
    CCHC_ETOOBIG,   /* over a size limit */
    CCHC_ENOTFOUND, /* no such unit, key, sequence ... */
    CCHC_EREDIS,    /* Redis said no, or is unreachable */
    CCHC_EBUS,      /* nng failed */
    CCHC_ETIMEDOUT, /* a deadline passed */
    CCHC_ECORRUPT,  /* stored data fails its checksum */
    CCHC_ESTALE,    /* a position or epoch that is not the current one */
};

const char *cchc_strerror(int err);

#endif
