#!/usr/bin/env bash
# Attack: clients without the right credentials. A client with no user (the
# default user is off) is refused every command, with NOAUTH; one with a
# wrong password is refused and counted (WRONGPASS, in ACL LOG); the
# aggregator's own user cannot wipe, list, script or reconfigure Redis, nor
# touch a key outside cchc:*. No figure changes.
. "$CCHC_SRC/tests/lib.sh"
. "$CCHC_SRC/tests/security/redis_common.bash"
redis_pipeline

# No user at all.
for a in PING "HGET cchc:v2:pos stamp" FLUSHALL "CONFIG GET dir" "HSET cchc:v2:pos stamp 0"; do
    read -ra argv <<<"$a"
    out=$(redis-cli -s "$REDIS_SOCK" "${argv[@]}" 2>&1 || true)
    out=${out%%$'\n'*}
    [[ $out == *NOAUTH* ]] || fail "a client without credentials ran '$a': $out"
done
[ "$(errors NOAUTH)" -ge 5 ] || fail "Redis did not count the NOAUTH refusals"

# A wrong password, for each user.
for user in aggregator reader admin; do
    out=$(REDISCLI_AUTH=guess redis-cli -s "$REDIS_SOCK" --user "$user" FLUSHALL 2>&1 || true)
    out=${out%%$'\n'*}
    [[ $out == *WRONGPASS* || $out == *NOAUTH* ]] || fail "$user with a wrong password: $out"
done
[ "$(rcli ACL LOG 100 | grep -c '^auth$')" -ge 1 ] || fail "ACL LOG shows no failed AUTH"
[ "$(errors WRONGPASS)" -ge 3 ] || fail "Redis did not count the WRONGPASS refusals"

# The aggregator's user: writes on cchc:* only, nothing dangerous.
before=$(errors NOPERM)
attacks=(FLUSHALL FLUSHDB "KEYS *" "CONFIG SET appendfsync no" "SET other 1" "HSET other a 1"
    "SCRIPT FLUSH" "SHUTDOWN NOSAVE" "ACL SETUSER aggregator +@all"
    "SWAPDB 0 1" "MOVE cchc:v2:pos 1" "RENAME cchc:v2:pos cchc:v2:x" "DEL cchc:v2:pos"
    "COPY cchc:v2:pos cchc:v2:pos DB 1" "HDEL cchc:v2:pos stamp" "EXPIRE cchc:v2:pos 1"
    "PEXPIREAT cchc:v2:pos 1" "SET cchc:v2:pos x PX 1" "GETDEL cchc:v2:pos" "PERSIST cchc:v2:pos"
    "EVAL return 1 0" "FUNCTION FLUSH")
for a in "${attacks[@]}"; do
    read -ra argv <<<"$a"
    out=$(rcli_as aggregator "${argv[@]}" 2>&1 || true)
    out=${out%%$'\n'*}
    [[ $out == *NOPERM* ]] || fail "the aggregator user ran '$a': $out"
done
[ "$(($(errors NOPERM) - ${before:-0}))" -ge ${#attacks[@]} ] || fail "NOPERM refusals not counted"

figures_dump "$T/after"
cmp -s "$T/before" "$T/after" || fail "a figure changed: $(diff "$T/before" "$T/after" | head)"
[ "$(rcli EXISTS other)" = 0 ] || fail "a key outside cchc:* was written"
expect "$(report "$W" 2022-01-01 2022-12-31)" 3.3.1 1
echo "redis_no_credentials: refused and counted; figures unchanged"
