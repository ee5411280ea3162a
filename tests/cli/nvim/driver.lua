-- Test driver (tests/cli/nvim.rs): after init.lua has attached goalpost to the opened goal
-- file, records what the editor received into $GOALPOST_NVIM_OUT, one fact a line, and
-- quits. Every wait is bounded.
local out = {}
local function log(s) table.insert(out, (s:gsub('\n', ' | '))) end

local function line_of(text)
  for i, l in ipairs(vim.api.nvim_buf_get_lines(0, 0, -1, false)) do
    local c = l:find(text, 1, true)
    if c then return i - 1, c - 1 end
  end
  error('not in the buffer: ' .. text)
end

local function errors()
  return vim.diagnostic.get(0, { severity = vim.diagnostic.severity.ERROR })
end

local function request(method, line, col)
  local params = {
    textDocument = vim.lsp.util.make_text_document_params(),
    position = { line = line, character = col },
  }
  return vim.lsp.buf_request_sync(0, method, params, 20000) or {}
end

-- 1. The broken file as opened.
local ok = vim.wait(30000, function() return #errors() > 0 end, 50)
log('opened ' .. tostring(ok))
for _, d in ipairs(errors()) do
  log(('error %d:%d %s %s'):format(d.lnum + 1, d.col + 1, tostring(d.code), d.message))
end

-- 2. Fixed in the buffer, unsaved: the error goes.
local l = line_of('parent: company/activaton')
vim.api.nvim_buf_set_lines(0, l, l + 1, false, { '    parent: company/activation' })
ok = vim.wait(30000, function() return #errors() == 0 end, 50)
log('fixed ' .. tostring(ok))

-- 3. Hover on a key result's id.
local hl, hc = line_of('id: support-tickets')
for _, r in pairs(request('textDocument/hover', hl, hc + 5)) do
  if r.result then log('hover ' .. r.result.contents.value) end
end

-- 4. Definition of the parent.
local pl, pc = line_of('parent: company/activation')
for _, r in pairs(request('textDocument/definition', pl, pc + 12)) do
  for _, loc in ipairs(r.result or {}) do
    log(('definition %s %d'):format(loc.uri, loc.range.start.line + 1))
  end
end

-- 5. Completion of KPIs.
local kl, kc = line_of('kpi: growth/d7-retention')
for _, r in pairs(request('textDocument/completion', kl, kc + 5)) do
  local items = r.result and (r.result.items or r.result) or {}
  for _, item in ipairs(items) do log('completion ' .. item.label) end
end

vim.fn.writefile(out, vim.env.GOALPOST_NVIM_OUT)
vim.cmd('qa!')
