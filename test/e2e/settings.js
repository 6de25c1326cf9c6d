// The user settings every end-to-end run starts from (run.sh for code-server, electron-runner.js
// for desktop VS Code): a quiet, predictable workbench in which only the extension under test
// reports problems.
'use strict';

module.exports = {
  'workbench.startupEditor': 'none',
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'workbench.enableExperiments': false,
  'workbench.tips.enabled': false,
  'files.autoSave': 'off',
  'chat.commandCenter.enabled': false,
  'chat.disableAIFeatures': true,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  // One Explorer row per folder, so the driver can expand paths segment by segment.
  'explorer.compactFolders': false,
  // Long lines wrap instead of scrolling the editor sideways when the cursor lands at the end of
  // a finding (screenshots show the whole statement).
  'editor.wordWrap': 'on',
  'git.enabled': false,
  // Keep the Problems panel and squiggles to the extension under test (the built-in TypeScript
  // checker would flag unresolved imports in a copied sample app).
  'typescript.validate.enable': false,
  'javascript.validate.enable': false,
};
