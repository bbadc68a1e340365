-- mix.lua — the saturation run's requests: signed-in pages, a public page, the health check.
local paths = { "/", "/settings/roles", "/find-a-provider", "/account", "/healthz", "/settings/users" }
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i % #paths) + 1])
end
