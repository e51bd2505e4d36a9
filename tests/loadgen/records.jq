# Each NDJSON record (jq -r) to one tab-separated row: R (a dossier received),
# X (a dossier resolved), F (feedback), or E (what is wrong with the record).
# Times are checked apart from this, by the shell, with one regular expression.
def want: {
    received: ["at", "channel", "dossier", "due", "field", "id", "procedure", "type", "unit"],
    resolved: ["at", "dossier", "id", "return_channel", "type", "unit"],
    feedback: ["at", "id", "status", "type", "unit"]
  };
def err($m): "E\t\(input_line_number): \($m)";

if type != "object" then err("not a JSON object")
else . as $r
  | (if ($r.type | type) == "string" then want[$r.type] else null end) as $k
  | if $k == null then err("type \($r.type | tojson) is not received, resolved or feedback")
    elif ($r | keys) != $k then err("keys \($r | keys | join(",")), want \($k | join(","))")
    elif any($k[]; ($r[.] | type) != "string" or $r[.] == "") then err("a field is not a non-empty string")
    elif ($r.unit | startswith("kg.rachgia") | not) then err("unit \($r.unit) is not in Rach Gia")
    elif $r.type == "received" then
      if ($r.channel | IN("direct", "online", "postal") | not) then err("channel \($r.channel)")
      else ["R", $r.dossier, $r.unit, $r.at, $r.due, $r.channel, $r.id] | @tsv end
    elif $r.type == "resolved" then
      if ($r.return_channel | IN("direct", "online", "postal") | not) then err("return_channel \($r.return_channel)")
      else ["X", $r.dossier, $r.unit, $r.at, $r.return_channel, $r.id] | @tsv end
    elif ($r.status | IN("received", "resolved") | not) then err("status \($r.status)")
    else ["F", $r.status, $r.at, $r.id] | @tsv
    end
end
