# One raw NDJSON line in, nothing out when it is a well-formed record, else
# "LINE: what is wrong". Run with jq -R.
def time_ok: type == "string" and test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\\+07:00$");
def keys_of: {
    received: ["at", "channel", "dossier", "due", "field", "id", "procedure", "type", "unit"],
    resolved: ["at", "dossier", "id", "return_channel", "type", "unit"],
    feedback: ["at", "id", "status", "type", "unit"]
  }[.] // null;
def bad($m): "\(input_line_number): \($m)";

(try fromjson catch null) as $r
| if ($r | type) != "object" then bad("not a JSON object")
  else ($r.type | if type == "string" then keys_of else null end) as $k
  | if $k == null then bad("no known type")
    elif ($r | keys) != $k then bad("keys \($r | keys), want \($k)")
    elif any($k[]; ($r[.] | type) != "string" or ($r[.] | length) == 0) then bad("a field is not a non-empty string")
    elif ($r.at | time_ok | not) then bad("at \($r.at)")
    elif ($r.unit | startswith("kg.rachgia") | not) then bad("unit \($r.unit)")
    elif $r.type == "received" and ($r.due | time_ok | not) then bad("due \($r.due)")
    elif $r.type == "received" and ($r.channel | IN("direct", "online", "postal") | not) then bad("channel")
    elif $r.type == "resolved" and ($r.return_channel | IN("direct", "online", "postal") | not) then bad("return_channel")
    elif $r.type == "feedback" and ($r.status | IN("received", "resolved") | not) then bad("status")
    else empty
    end
  end
