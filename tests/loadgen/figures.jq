# All records (jq -n, NDJSON on input) to the form 3 figures of the window
# [$from, $to) per group, counted from the records alone: the pipeline's rules
# written a second time, independently of the generator. Times compare as
# strings, which holds because validate.jq lets through only one format, +07:00.
def inside($t): $t >= $from and $t < $to;
def zero: {received_total: 0, received_in_window: 0, carried_over: 0, online: 0,
           new_direct_or_postal: 0, postal: 0, returned_postal: 0, resolved: 0, on_time: 0,
           late: 0, pending_end: 0};
# The groups a unit counts in: the city's district level or the wards, and its own line.
def groups_of:
  (if test("^kg\\.rachgia\\.[px]-") then "wards" else "city" end),
  (if . == "kg.rachgia.vpdkdd" then "vpdkdd" elif . == "kg.rachgia.mot-cua" then "mot-cua"
   else empty end);
# The figures one dossier adds to; $x is its resolution [unit, at, return_channel] or null.
def figures_of($at; $due; $ch; $x):
  (if $at < $from and ($x == null or $x[1] >= $from) then "carried_over", "received_total"
   else empty end),
  (if inside($at) then "received_in_window", "received_total",
     (if $ch == "online" then "online" else "new_direct_or_postal" end),
     (if $ch == "postal" then "postal" else empty end)
   else empty end),
  (if $at < $to and ($x == null or $x[1] >= $to) then "pending_end" else empty end),
  (if $x != null and inside($x[1]) then "resolved",
     (if $x[1] > $due then "late" else "on_time" end),
     (if $ch == "postal" and $x[2] == "postal" then "returned_postal" else empty end)
   else empty end);

# One flat object keyed by dossier: jq 1.6 copies a nested object on every
# update (quadratic here), a top-level key it updates in place.
reduce inputs as $r ({};
  if $r.type == "received" then .[$r.dossier] += {unit: $r.unit, at: $r.at, due: $r.due, ch: $r.channel}
  elif $r.type == "resolved" then .[$r.dossier] += {x: [$r.unit, $r.at, $r.return_channel]}
  elif inside($r.at) then .["#feedback_\($r.status)"] += 1
  else . end)
| . as $s
| [to_entries[] | select(.key | startswith("#") | not)] as $all
| [$all[]
   | .key as $id | .value as $d
   | if $d.at == null then "resolution of unknown dossier \($id)"
     elif $d.x != null and $d.x[0] != $d.unit then "dossier \($id) received at \($d.unit), resolved at \($d.x[0])"
     elif $d.x != null and $d.x[1] < $d.at then "dossier \($id) resolved \($d.x[1]) before its receipt \($d.at)"
     else empty end] as $errors
| reduce ($all[].value | select(.at != null)) as $d ({city: zero, wards: zero, vpdkdd: zero, "mot-cua": zero};
    reduce ($d.unit | groups_of) as $g (.;
      reduce figures_of($d.at; $d.due; $d.ch; $d.x) as $k (.; .[$g][$k] += 1)))
| . + {errors: $errors, feedback_received: ($s["#feedback_received"] // 0),
       feedback_resolved: ($s["#feedback_resolved"] // 0)}
