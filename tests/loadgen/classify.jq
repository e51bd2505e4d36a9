# One row per dossier (jq -R): D, dossier, unit, received at, due, channel, and
# the resolution's unit, at and return channel or three empty fields; or a
# feedback row: F, status, at. Out: "GROUPS|FIGURES,", the groups the record
# counts in and the figures of the window [$from, $to) it adds one to, for
# sort | uniq -c. These are the pipeline's rules written a second time, apart
# from the generator's. Times compare as strings: the test admits one format,
# all at +07:00. Plain string building: jq 1.6 is slow with generators.
def inside($t): $t >= $from and $t < $to;

split("\t") as [$kind, $id, $unit, $at, $due, $ch, $xunit, $xat, $xch]
| if $kind == "F" then
    # F rows: $id is the status, $unit the time.
    (if inside($unit) then "pakn|feedback_\($id)," else empty end)
  else
    ($xat != "") as $done
    | if $done and $xunit != $unit then "ERROR|dossier \($id) received at \($unit), resolved at \($xunit)"
      elif $done and $xat < $at then "ERROR|dossier \($id) resolved \($xat), before its receipt \($at)"
      else
        # The city's district level or the wards, and the unit's own line in the report.
        (if $unit == "kg.rachgia.vpdkdd" then "city,vpdkdd"
         elif $unit == "kg.rachgia.mot-cua" then "city,mot-cua"
         elif ($unit | startswith("kg.rachgia.p-") or startswith("kg.rachgia.x-")) then "wards"
         else "city" end)
        + "|"
        # Pending when the window opens: carried over.
        + (if $at < $from and (($done | not) or $xat >= $from) then "carried_over,received_total,"
           else "" end)
        + (if inside($at) then "received_in_window,received_total,"
             + (if $ch == "online" then "online," else "new_direct_or_postal," end)
             + (if $ch == "postal" then "postal," else "" end)
           else "" end)
        + (if $at < $to and (($done | not) or $xat >= $to) then "pending_end," else "" end)
        # Late iff resolved strictly after due.
        + (if $done and inside($xat) then "resolved,"
             + (if $xat > $due then "late," else "on_time," end)
             + (if $ch == "postal" and $xch == "postal" then "returned_postal," else "" end)
           else "" end)
      end
  end
