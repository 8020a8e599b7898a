-- wrk script for bench/run: the demo case worker sends referral after referral through
-- POST /referrals/new, each with a form token of its own (a reused one would be taken for
-- a double-clicked Send and create nothing).
--
-- Environment, set by bench/run:
--   CAIRN_SESSION     the case worker's session token (the cairn_session cookie)
--   CAIRN_CSRF        the CSRF token of a form rendered in that session
--   CAIRN_ORDER_DATE  a recent date, dd/mm/yyyy, for "date the order was imposed"
--   CAIRN_RUN         a few letters or digits that make this run's form tokens its own
--   CAIRN_ACK_DIR     optional: each thread appends the Location of every referral that
--                     was answered 303 (acknowledged) to ack-N there, flushed at once,
--                     and every other status to other-N; the durability check reads them

local session = os.getenv("CAIRN_SESSION")
local csrf = os.getenv("CAIRN_CSRF")
local order_date = os.getenv("CAIRN_ORDER_DATE")
local run = os.getenv("CAIRN_RUN") or "run"
local ack_dir = os.getenv("CAIRN_ACK_DIR")

local threads = {}

function setup(thread)
   table.insert(threads, thread)
   thread:set("id", #threads)
end

local counter = 0
local ack, other

local function urlencode(s)
   return (s:gsub("[^%w%-%._~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

local fixed

function init(args)
   local fields = {
      csrf_token = csrf,
      first_name = "Jamie",
      last_name = "O'Neill",
      date_of_birth = "14/02/1990",
      mobile = "07700 900123",
      case_reference = "CF1234567",
      order_reference = "SC/2026/BENCH",
      order_date = order_date,
      unpaid_hours = "120",
      activity_hours = "",
      complete_by = "",
      access_needs = "Has only a phone.",
      group_notes = "",
      consent = "yes",
   }
   local parts = {}
   for k, v in pairs(fields) do
      table.insert(parts, k .. "=" .. urlencode(v))
   end
   fixed = table.concat(parts, "&")
   if ack_dir then
      ack = io.open(ack_dir .. "/ack-" .. id, "a")
      other = io.open(ack_dir .. "/other-" .. id, "a")
   end
end

local headers = {
   ["Content-Type"] = "application/x-www-form-urlencoded",
   ["Cookie"] = "cairn_session=" .. (session or ""),
}

function request()
   counter = counter + 1
   -- 43 base64url characters, unique across threads and runs.
   local token = string.format("%s%02d%010d", run, id, counter)
   token = token .. string.rep("a", 43 - #token)
   local email = string.format("bench.%s.%d.%d@example.org", run, id, counter)
   local body = fixed .. "&form_token=" .. token .. "&email=" .. urlencode(email)
   return wrk.format("POST", "/referrals/new", headers, body)
end

if ack_dir then
   function response(status, hdrs, body)
      if status == 303 then
         ack:write(hdrs["Location"] or "?", "\n")
         ack:flush()
      else
         other:write(status, "\n")
         other:flush()
      end
   end
end
