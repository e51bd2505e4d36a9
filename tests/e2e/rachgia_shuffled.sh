#!/usr/bin/env bash
# The same records in another order (resolutions before their dossiers, older
# snapshots after newer ones) give the same figures, every form.
. "$CCHC_SRC/tests/lib.sh"
. "$CCHC_SRC/tests/e2e/rachgia_expect.sh"

start_redis
for s in dossier staffing finance egov; do start_service $s; done
start_aggregator
cchc-loadgen rachgia-2022 --out "$T/data" --shuffle 20221214 >/dev/null
import_rachgia_2022 "$T/data"
wait_caught_up
check_rachgia_2022_all
echo "rachgia_shuffled: ok"
