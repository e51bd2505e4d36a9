#!/usr/bin/env bash
# ops/new-bus-key: a secret file (0600, one seed line) and its public key,
# which libsodium derives from the seed too (PyNaCl here, not openssl: the
# two must agree or no program would start); it never overwrites; and a
# whole deployment with --keys-file/--secrets-dir.
. "$CCHC_SRC/tests/lib.sh"
nbk="$CCHC_SRC/ops/new-bus-key"
# pub_of FILE: the public key libsodium derives from a secret file's seed.
pub_of() {
    /usr/bin/python3 -c '
import sys, nacl.bindings as s
seed = [l.strip() for l in open(sys.argv[1]) if l.strip() and not l.startswith("#")]
assert len(seed) == 1 and len(seed[0]) == 64, seed
print(s.crypto_sign_seed_keypair(bytes.fromhex(seed[0]))[0].hex())' "$1"
}

pub=$("$nbk" dossier "$T/d/dossier.secret")
[[ $pub =~ ^[0-9a-f]{64}$ ]] || fail "not a public key: $pub"
[ "$(stat -c %a "$T/d/dossier.secret")" = 600 ] || fail "mode $(stat -c %a "$T/d/dossier.secret")"
[ "$(pub_of "$T/d/dossier.secret")" = "$pub" ] || fail "libsodium derives another public key"
cp "$T/d/dossier.secret" "$T/before"
if "$nbk" dossier "$T/d/dossier.secret" 2>"$T/err"; then fail "overwrote a secret"; fi
grep -q "exists; not overwritten" "$T/err" || fail "no reason: $(cat "$T/err")"
cmp -s "$T/before" "$T/d/dossier.secret" || fail "the secret changed"
[ "$("$nbk" dossier "$T/d/other.secret")" != "$pub" ] || fail "the same key twice"
if "$nbk" 'bad/name' "$T/d/x.secret" 2>/dev/null; then fail "took a bad name"; fi
if "$nbk" 2>/dev/null; then fail "ran without arguments"; fi

"$nbk" --keys-file "$T/deploy/bus.keys" --secrets-dir "$T/deploy/secrets" 2>/dev/null
[ "$(stat -c %a "$T/deploy/secrets")" = 700 ] || fail "secrets folder mode"
n=0
while read -r role name key rest; do
    [ "$role" = publisher ] || [ "$role" = subscriber ] || continue
    f="$T/deploy/secrets/$name.secret"
    [ "$(stat -c %a "$f")" = 600 ] || fail "$f: mode"
    [ "$(pub_of "$f")" = "$key" ] || fail "$name: its line's key is not its secret's"
    n=$((n + 1))
done <"$T/deploy/bus.keys"
[ $n = 6 ] || fail "$n lines, want 6"
grep -q "^subscriber aggregator [0-9a-f]\{64\} durable$" "$T/deploy/bus.keys" || fail "aggregator line"
grep -q "^subscriber tap [0-9a-f]\{64\} reader$" "$T/deploy/bus.keys" || fail "tap line"
if grep -qi "$(sed -n '/^[0-9a-f]\{64\}$/p' "$T/deploy/secrets/tap.secret")" "$T/deploy/bus.keys"; then
    fail "a seed in the public keys file"
fi
if "$nbk" --keys-file "$T/deploy/bus.keys" --secrets-dir "$T/deploy/s2" 2>/dev/null; then
    fail "overwrote a keys file"
fi
echo "new_bus_key: ok; secrets 0600 whose public keys libsodium derives alike, $n lines of a deployment"
