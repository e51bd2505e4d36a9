#!/usr/bin/env bash
# Attack: the reader user of ops/redis-users.acl (cchc-report, dashboards)
# tries to write, wipe, list and reconfigure Redis. Every command is refused
# with NOPERM, Redis counts each refusal (INFO errorstats, ACL LOG), no
# figure changes, and the records already acknowledged still read back.
. "$CCHC_SRC/tests/lib.sh"
. "$CCHC_SRC/tests/security/redis_common.bash"
redis_pipeline
before=$(errors NOPERM)

attacks=(
    "SET cchc:v2:pos x"
    "HSET cchc:v2:fig:$W:2022 received 999"
    "HINCRBY cchc:v2:fig:$W:2022 received 1"
    "DEL cchc:v2:pos"
    "UNLINK cchc:v2:fig:$W:2022"
    "ZADD cchc:v2:rank:x 1 y"
    "FLUSHALL"
    "FLUSHDB"
    "KEYS *"
    "CONFIG GET *"
    "CONFIG SET appendonly no"
    "EVAL return redis.call('flushall') 0"
    "SCRIPT FLUSH"
    "SHUTDOWN NOSAVE"
    "ACL SETUSER reader +@all"
    "CLIENT KILL TYPE normal"
    "MONITOR"
    "RENAME cchc:v2:pos cchc:v2:gone"
    "MIGRATE 127.0.0.1 1 cchc:v2:pos 0 10"
)
for a in "${attacks[@]}"; do
    read -ra argv <<<"$a"
    [ "${argv[0]}" = EVAL ] && argv=(EVAL "return redis.call('flushall')" 0)
    out=$(rcli_as reader "${argv[@]}" 2>&1 || true)
    out=${out%%$'\n'*}
    [[ $out == *NOPERM* ]] || fail "reader ran '$a': $out"
done
n=${#attacks[@]}
after=$(errors NOPERM)
[ "$((after - ${before:-0}))" -ge "$n" ] ||
    fail "Redis counted $((after - ${before:-0})) NOPERM refusals for $n attacks"
rcli ACL LOG 100 >"$T/acl.log"
grep -qx reader "$T/acl.log" || fail "ACL LOG names no refusal of the reader"

figures_dump "$T/after"
cmp -s "$T/before" "$T/after" || fail "a figure changed: $(diff "$T/before" "$T/after" | head)"
expect "$(report "$W" 2022-01-01 2022-12-31)" 3.3.1 1
echo "redis_reader: $n commands refused and counted; figures unchanged"
