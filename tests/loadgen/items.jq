# Each record of a type other than received, resolved and feedback (jq -r) to
# one tab-separated row: its type, unit, at, its own fields in the order
# below, its id; or E and what is wrong with it. The keys must be exactly
# those of services/README.md (optional ones may be missing), the enums and
# types what it says. Written for jq 1.6's speed, as records.jq: plain
# comparisons, the common document record first.
def err($m): "E\t\(input_line_number): \($m)";
def keyset($optional): (keys - $optional) | join(",");
def nat: type == "number" and . >= 0 and . == floor;

if type != "object" then err("not a JSON object")
elif (.id | type) != "string" or (.unit | type) != "string" or (.at | type) != "string" then
  err("\(.type): id, unit and at must be strings")
elif .type == "document" then
  if keyset([]) != "at,direction,electronic,id,type,unit" then err("document with keys \(keys | join(","))")
  elif (.direction == "in" or .direction == "out") and (.electronic | type) == "boolean" then
    ["document", .unit, .at, .direction, .electronic, .id] | @tsv
  else err("document: direction not in/out or electronic not a boolean") end
elif .type == "procedure" then
  if keyset(["withdrawn"]) != "at,fee,field,id,inter_agency,online_payment,procedure,simplified,tier,type,unit" then
    err("procedure with keys \(keys | join(","))")
  elif (.procedure | type) == "string" and (.procedure | test("^[0-9]+(\\.[0-9]+)+$"))
       and (.field | type) == "string"
       and {"province": 1, "district": 1, "commune": 1}[.tier | tostring] != null
       and {"none": 1, "same_level": 1, "cross_level": 1}[.inter_agency | tostring] != null
       and (.simplified | type) == "boolean" and (.fee | type) == "boolean"
       and (.online_payment | type) == "boolean" and ((.withdrawn // false) | type) == "boolean" then
    ["procedure", .unit, .at, .procedure, .field, .tier, .simplified, .inter_agency, .fee,
     .online_payment, (.withdrawn // false), .id] | @tsv
  else err("procedure: a field has the wrong type or value") end
elif .type == "online_service" then
  if keyset(["offered", "tier"]) != "at,id,level,national_portal,payment,procedure,type,unit" then
    err("online_service with keys \(keys | join(","))")
  elif (.procedure | type) == "string" and (.procedure | test("^[0-9]+(\\.[0-9]+)+$"))
       and (.level == 3 or .level == 4) and (.payment | type) == "boolean"
       and (.national_portal | type) == "boolean" and ((.offered // true) | type) == "boolean"
       and {"district": 1, "commune": 1}[(.tier // "district") | tostring] != null then
    ["online_service", .unit, .at, .procedure, .level, .payment, .national_portal,
     (.offered // true), (.tier // "district"), .id] | @tsv
  else err("online_service: a field has the wrong type or value") end
elif .type == "survey" then
  if keyset([]) != "at,id,satisfied,type,unit" then err("survey with keys \(keys | join(","))")
  elif (.satisfied | type) == "boolean" then ["survey", .unit, .at, .satisfied, .id] | @tsv
  else err("survey: satisfied not a boolean") end
elif .type == "headcount" then
  if keyset(["qualified"]) != "at,category,id,present,quota,type,unit" then
    err("headcount with keys \(keys | join(","))")
  elif {"cong-chuc": 1, "hop-dong": 1, "vien-chuc": 1, "cbcc-xa": 1, "kct-xa": 1, "kct-ap": 1,
        "nhd-ap": 1}[.category | tostring] != null
       and (.quota | nat) and (.present | nat) and ((.qualified // 0) | nat) then
    ["headcount", .unit, .at, .category, .quota, .present, (.qualified // "-"), .id] | @tsv
  else err("headcount: a field has the wrong type or value") end
elif .type == "recruited" or .type == "transferred" or .type == "trained" or .type == "disciplined"
     or .type == "streamlined" then
  if keyset([]) != "at,category,count,id,type,unit" then err("\(.type) with keys \(keys | join(","))")
  elif {"cong-chuc": 1, "hop-dong": 1, "vien-chuc": 1, "cbcc-xa": 1, "kct-xa": 1, "kct-ap": 1,
        "nhd-ap": 1}[.category | tostring] != null and (.count | nat) then
    [.type, .unit, .at, .category, .count, .id] | @tsv
  else err("\(.type): a field has the wrong type or value") end
elif .type == "job_positions" then
  if keyset([]) != "approved,at,id,type,unit" then err("job_positions with keys \(keys | join(","))")
  elif (.approved | type) == "boolean" then ["job_positions", .unit, .at, .approved, .id] | @tsv
  else err("job_positions: approved not a boolean") end
elif .type == "indicator" then
  if keyset([]) != "at,form,id,row,type,unit,value" then err("indicator with keys \(keys | join(","))")
  elif (.form | nat) and .form >= 1 and .form <= 7 and (.row | type) == "string"
       and (.row | test("^[0-9]+(\\.[0-9a-z_]+)*$")) and (.value | type) == "number" and (.value == (.value | floor)) then
    ["indicator", .unit, .at, .form, .row, .value, .id] | @tsv
  else err("indicator: a field has the wrong type or value") end
elif .type == "revenue" or .type == "revenue_estimate" or .type == "investment_plan"
     or .type == "disbursement" or .type == "audit_due" or .type == "audit_paid" then
  if keyset([]) != "amount,at,id,type,unit" then err("\(.type) with keys \(keys | join(","))")
  elif (.amount | nat) then [.type, .unit, .at, .amount, .id] | @tsv
  else err("\(.type): amount not a whole number of đồng") end
elif .type == "autonomy" then
  if keyset([]) != "at,category,id,type,unit" then err("autonomy with keys \(keys | join(","))")
  elif {"tu-chu-chi-dau-tu": 1, "tu-chu-chi-thuong-xuyen": 1, "tu-chu-mot-phan-70-100": 1,
        "tu-chu-mot-phan-30-70": 1, "tu-chu-mot-phan-10-30": 1,
        "nha-nuoc-dam-bao": 1}[.category | tostring] != null then
    ["autonomy", .unit, .at, .category, .id] | @tsv
  else err("autonomy: category \(.category | tojson) unknown") end
elif .type == "portal_post" then
  if keyset([]) != "at,id,kind,type,unit" then err("portal_post with keys \(keys | join(","))")
  elif .kind == "news" or .kind == "image" or .kind == "document" then
    ["portal_post", .unit, .at, .kind, .id] | @tsv
  else err("portal_post: kind \(.kind | tojson) unknown") end
elif .type == "email_usage" then
  if keyset([]) != "at,id,staff,type,unit,users" then err("email_usage with keys \(keys | join(","))")
  elif (.users | nat) and (.staff | nat) and .users <= .staff then
    ["email_usage", .unit, .at, .users, .staff, .id] | @tsv
  else err("email_usage: users and staff must be counts, users <= staff") end
else err("type \(.type | tojson) unknown")
end
