# One row per dossier (jq -R): "D", dossier, unit, received at, due, channel,
# then the resolution's unit, at, return channel or three empty fields; or a
# feedback row "F", status, at. Out: "GROUPS|FIGURES", the groups the record
# counts in and the figures of the window [$from, $to) it adds one to, for
# sort | uniq -c. These are the pipeline's rules written a second time, apart
# from the generator's. Times compare as strings: the test admits only one
# format, all at +07:00.
def inside($t): $t >= $from and $t < $to;
# The city's district level or the wards, and the unit's own line in the report.
def groups_of:
  (if test("^kg\\.rachgia\\.[px]-") then "wards" else "city" end),
  (if . == "kg.rachgia.vpdkdd" then "vpdkdd" elif . == "kg.rachgia.mot-cua" then "mot-cua"
   else empty end);
def figures_of($at; $due; $ch; $done; $xat; $xch):
  (if $at < $from and (($done | not) or $xat >= $from) then "carried_over", "received_total"
   else empty end),
  (if inside($at) then "received_in_window", "received_total",
     (if $ch == "online" then "online" else "new_direct_or_postal" end),
     (if $ch == "postal" then "postal" else empty end)
   else empty end),
  (if $at < $to and (($done | not) or $xat >= $to) then "pending_end" else empty end),
  (if $done and inside($xat) then "resolved",
     (if $xat > $due then "late" else "on_time" end),
     (if $ch == "postal" and $xch == "postal" then "returned_postal" else empty end)
   else empty end);

split("\t") as $f
| if $f[0] == "F" then
    (if inside($f[2]) then "pakn|feedback_\($f[1])" else empty end)
  else
    $f as [$kind, $id, $unit, $at, $due, $ch, $xunit, $xat, $xch]
    | ($xat != "") as $done
    | if $done and $xunit != $unit then "ERROR|dossier \($id) received at \($unit), resolved at \($xunit)"
      elif $done and $xat < $at then "ERROR|dossier \($id) resolved \($xat), before its receipt \($at)"
      else ([$unit | groups_of] | join(",")) + "|" + ([figures_of($at; $due; $ch; $done; $xat; $xch)] | join(","))
      end
  end
