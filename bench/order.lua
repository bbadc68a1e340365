-- bench/order.lua — wrk script for bench/side.sh: POST /customers/N/order, placing a new
-- subscription with every request (each carries an order key of its own, so none is the
-- "same form again"). Arguments after --: PATH CSRF RESELLER MPN OFFER PREFIX (PREFIX makes
-- the keys of one run unique against every other run).
local counter = 0
local tid = 0
function setup(thread)
   thread:set("tid", tid)
   tid = tid + 1
end
function init(args)
   path, csrf, reseller, mpn, offer, prefix = args[1], args[2], args[3], args[4], args[5], args[6]
   fixed = "csrf=" .. csrf .. "&reseller=" .. reseller .. "&mpn_id=" .. mpn .. "&offer=" .. offer ..
      "&quantity=1&order_key=" .. prefix .. "t" .. tid .. "n"
   wrk.method = "POST"
   wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
end
function request()
   counter = counter + 1
   local key = string.format("%08d", counter)
   return wrk.format("POST", path, nil, fixed .. key)
end
