-- goalpost's language server in Neovim 0.7 (Debian 12's), as the README gives it: one
-- client for every YAML buffer, keys for definition, hover, references and quick fixes,
-- and diagnostics updated while typing. tests/cli/nvim.rs runs Neovim with this file.
local goalpost_client

vim.api.nvim_create_autocmd('FileType', {
  pattern = 'yaml',
  callback = function()
    if not goalpost_client then
      goalpost_client = vim.lsp.start_client({
        name = 'goalpost',
        cmd = { 'goalpost', 'lsp' },
        -- goalpost finds the project root from here (goalpost.toml, else .git).
        root_dir = vim.fn.expand('%:p:h'),
      })
    end
    vim.lsp.buf_attach_client(0, goalpost_client)
    local opts = { buffer = 0 }
    vim.keymap.set('n', 'gd', vim.lsp.buf.definition, opts)
    vim.keymap.set('n', 'K', vim.lsp.buf.hover, opts)
    vim.keymap.set('n', 'gr', vim.lsp.buf.references, opts)
    vim.keymap.set('n', '<leader>a', vim.lsp.buf.code_action, opts)
    vim.bo.omnifunc = 'v:lua.vim.lsp.omnifunc'
  end,
})

-- Underline while typing, not only after leaving insert mode.
vim.diagnostic.config({ update_in_insert = true })
