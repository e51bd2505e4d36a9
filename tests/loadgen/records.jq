# Each NDJSON record of the dossier files (jq -r) to one tab-separated row: R
# (a dossier received: dossier unit at due channel procedure field id), X (a
# dossier resolved), F (feedback), J (a procedure or survey record: type, id;
# items.jq checks those), or E (what is wrong with the record). The shell
# checks the rest: no field empty, times in one format at +07:00.
# Written for jq 1.6's speed: any(), IN() and user functions over 300k lines
# cost seconds, plain comparisons do not.
def err($m): "E\t\(input_line_number): \($m)";

if type != "object" then err("not a JSON object")
elif .type == "received" then
  if keys != ["at", "channel", "dossier", "due", "field", "id", "procedure", "type", "unit"] then
    err("received with keys \(keys | join(","))")
  elif (.id | type) == "string" and (.unit | type) == "string" and (.at | type) == "string"
       and (.dossier | type) == "string" and (.procedure | type) == "string"
       and (.field | type) == "string" and (.due | type) == "string"
       and {"direct": 1, "online": 1, "postal": 1}[.channel | tostring] != null then
    ["R", .dossier, .unit, .at, .due, .channel, .procedure, .field, .id] | @tsv
  else err("received: a field is not a string, or channel is not direct, online or postal") end
elif .type == "resolved" then
  if keys != ["at", "dossier", "id", "return_channel", "type", "unit"] then
    err("resolved with keys \(keys | join(","))")
  elif (.id | type) == "string" and (.unit | type) == "string" and (.at | type) == "string"
       and (.dossier | type) == "string"
       and {"direct": 1, "online": 1, "postal": 1}[.return_channel | tostring] != null then
    ["X", .dossier, .unit, .at, .return_channel, .id] | @tsv
  else err("resolved: a field is not a string, or return_channel is not direct, online or postal") end
elif .type == "feedback" then
  if keys != ["at", "id", "status", "type", "unit"] then
    err("feedback with keys \(keys | join(","))")
  elif (.id | type) == "string" and (.unit | type) == "string" and (.at | type) == "string"
       and (.status == "received" or .status == "resolved") then
    ["F", .status, .at, .id] | @tsv
  else err("feedback: a field is not a string, or status is not received or resolved") end
elif .type == "procedure" or .type == "survey" then ["J", .type, .id] | @tsv
else err("type \(.type | tojson) is not received, resolved, feedback, procedure or survey")
end
