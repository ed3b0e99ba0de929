-- Headless Neovim as an LSP client: list MLOps-Adapt code actions, resolve one, apply it, write the buffer.
-- Usage: nvim --clean --headless -l code_action.lua PYTHON SCRIPT OUT TASK INIT_OPTIONS_JSON
local python, script, out, task, init_json = arg[1], arg[2], arg[3], arg[4], arg[5]

local function fail(message)
  io.stderr:write("nvim-lsp-test: " .. message .. "\n")
  os.exit(1)
end

local ok, err = pcall(function()
  vim.cmd.edit(vim.fn.fnameescape(script))
  local buf = vim.api.nvim_get_current_buf()
  local client_id = vim.lsp.start({
    name = "mlops-adapt",
    cmd = { python, "-m", "mlops_adapt.server" },
    root_dir = vim.fs.dirname(script),
    init_options = vim.json.decode(init_json),
  }, { bufnr = buf })
  if not client_id then fail("the server did not start") end
  local client = vim.lsp.get_client_by_id(client_id)
  if not vim.wait(20000, function() return client.initialized and vim.lsp.buf_is_attached(buf, client_id) end, 20) then
    fail("the server did not initialize")
  end

  local params = {
    textDocument = { uri = vim.uri_from_bufnr(buf) },
    range = { start = { line = 0, character = 0 }, ["end"] = { line = 0, character = 0 } },
    context = { diagnostics = {}, only = { "refactor.rewrite.mlops" } },
  }
  local listed, list_err = client:request_sync("textDocument/codeAction", params, 20000, buf)
  if not listed or listed.err then fail("codeAction failed: " .. vim.inspect(list_err or listed.err)) end
  local chosen
  for _, action in ipairs(listed.result or {}) do
    if action.kind == "refactor.rewrite.mlops." .. task then chosen = action end
  end
  if not chosen then fail("no " .. task .. " action in " .. vim.inspect(listed.result)) end
  if chosen.edit then fail("the listed action already carries an edit") end

  local resolved, resolve_err = client:request_sync("codeAction/resolve", chosen, 60000, buf)
  if not resolved or resolved.err then fail("resolve failed: " .. vim.inspect(resolve_err or resolved.err)) end
  local edit = resolved.result.edit
  if not edit or not edit.documentChanges then fail("resolve gave no versioned edit") end
  vim.lsp.util.apply_workspace_edit(edit, client.offset_encoding)
  vim.cmd("write! " .. vim.fn.fnameescape(out))
  io.stdout:write("title: " .. resolved.result.title .. "\n")
  client:stop(true)
end)
if not ok then fail(tostring(err)) end
vim.cmd("qall!")
