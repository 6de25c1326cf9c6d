#!/usr/bin/env node
// `vibeguard-lsp [--stdio]`: the language server for editors other than VS Code, the same as
// `vibeguard lsp --stdio` (LSP over stdin/stdout).
'use strict';
process.argv.splice(2, 0, 'lsp');
require('./vibeguard.js');
