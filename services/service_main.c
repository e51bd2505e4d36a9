/* main of cchc-dossier, cchc-staffing, cchc-finance and cchc-egov: the
 * service of the library it is linked with (services/service.h), run by
 * ingest_main. */
#include "service.h"

int main(int argc, char **argv)
{
    struct ingest_service *svc = cchc_service_new();
    int rc = ingest_main(argc, argv, svc);
    cchc_service_free(svc);
    return rc;
}
