-- Driven by test/neovim.test.ts in a headless Neovim (Debian's, 0.7: no pull diagnostics, so the
-- server must push them): open the file, start `vibeguard lsp --stdio` with plain vim.lsp, wait
-- for the pushed diagnostics, pick the quick fix through vim.lsp.buf.code_action() as a user
-- would (vim.ui.select answered by title), save, wait for the diagnostics to be pushed again.
-- Writes what happened as JSON to $VG_RESULT and quits. Every wait is on a condition.
local env = vim.env
local result = { pushes = 0, diagnostics = {}, offered = {}, after = {} }

local function finish(err)
  result.error = err
  local f = assert(io.open(env.VG_RESULT, 'w'))
  f:write(vim.fn.json_encode(result))
  f:close()
  vim.cmd('qa!')
end

local function summary(bufnr)
  return vim.tbl_map(function(d)
    return { line = d.lnum + 1, message = d.message, source = d.source, code = d.user_data and d.user_data.lsp.code }
  end, vim.diagnostic.get(bufnr))
end

local ok, err = pcall(function()
  local timeout = tonumber(env.VG_WAIT_MS)
  local publish = vim.lsp.handlers['textDocument/publishDiagnostics']
  vim.lsp.handlers['textDocument/publishDiagnostics'] = function(e, params, ctx, config)
    result.pushes = result.pushes + 1
    return publish(e, params, ctx, config)
  end

  vim.cmd('edit ' .. vim.fn.fnameescape(env.VG_FILE))
  local bufnr = vim.api.nvim_get_current_buf()
  local client_id = vim.lsp.start_client({
    name = 'vibeguard',
    cmd = { env.VG_NODE, env.VG_CLI, 'lsp', '--stdio' },
    root_dir = env.VG_ROOT,
    init_options = vim.fn.json_decode(env.VG_INIT_OPTIONS),
  })
  assert(client_id, 'the language server did not start')
  vim.lsp.buf_attach_client(bufnr, client_id)

  if not vim.wait(timeout, function() return #vim.diagnostic.get(bufnr) > 0 end, 20) then
    error('no diagnostics arrived')
  end
  result.diagnostics = summary(bufnr)
  result.capabilities = vim.lsp.get_client_by_id(client_id).server_capabilities

  local wanted = env.VG_FIX_TITLE
  vim.ui.select = function(items, _, on_choice)
    for i, item in ipairs(items) do table.insert(result.offered, item[2].title) end
    for i, item in ipairs(items) do
      if item[2].title == wanted then return on_choice(item, i) end
    end
    on_choice(nil)
  end
  local first = vim.diagnostic.get(bufnr)[1]
  vim.api.nvim_win_set_cursor(0, { first.lnum + 1, first.col })
  local before = vim.b.changedtick
  vim.lsp.buf.code_action()
  if not vim.wait(timeout, function() return vim.b.changedtick ~= before end, 20) then
    error('the code action changed nothing (offered: ' .. table.concat(result.offered, ', ') .. ')')
  end
  vim.cmd('write')
  if not vim.wait(timeout, function() return #vim.diagnostic.get(bufnr) < #result.diagnostics end, 20) then
    error('the diagnostics were not pushed again after the fix')
  end
  result.after = summary(bufnr)
  vim.lsp.stop_client(client_id)
end)
finish(not ok and tostring(err) or nil)
