#include "base/err.h"

const char *cchc_strerror(int err)
{
    switch (err) {
    case CCHC_OK:
        return "ok";
    case CCHC_EINVAL:
        return "invalid argument";
    case CCHC_EIO:
        return "input/output error";
    case CCHC_EPROTO:
        return "protocol error";
    case CCHC_ETOOBIG:
        return "too big";
    case CCHC_ENOTFOUND:
        return "not found";
    case CCHC_EREDIS:
        return "redis error";
    case CCHC_EBUS:
        return "bus error";
    case CCHC_ETIMEDOUT:
        return "timed out";
    case CCHC_ECORRUPT:
        return "corrupt data";
    case CCHC_ESTALE:
        return "stale position";
    }
    return "unknown error";
}
