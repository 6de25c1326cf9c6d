// Per-resource settings: the editor's `vibeguard.*` settings (read through
// workspace/configuration for each document) layered over the workspace's .vibeguard.json.
// Nothing here outlives a configuration change: callers drop the caches on
// didChangeConfiguration and on file events for .vibeguard.json.
import * as path from 'path';
import { URI } from 'vscode-uri';
import type { Connection } from 'vscode-languageserver';
import { CONFIG_FILE, DEFAULT_CONFIG, loadConfigFile, type Config, type ConfigProblem } from './config';
import { allRules } from '../../rules/index';
import { DEFAULT_SETTINGS, type BaselineMode, type ClientSettings } from './protocol';

const BASELINE_MODES: readonly BaselineMode[] = ['dim', 'hide', 'show'];

// The rule registry, not engine.ts: the protocol thread never loads the engine (the analysis threads do).
const RULE_IDS: ReadonlySet<string> = new Set(allRules.map((r) => r.id));

export interface Effective {
  settings: ClientSettings;
  config: Config;
  workspaceRoot?: string;
}

export class SettingsStore {
  private perDoc = new Map<string, Promise<ClientSettings>>();
  /**
   * Settings the client sends itself (initializationOptions, didChangeConfiguration): all that
   * editors without workspace/configuration have, and the base under what it answers.
   */
  private pushed: Partial<ClientSettings> = {};
  private fileConfigs = new Map<string, { config: Config; problems: ConfigProblem[] }>();
  private reported = new Set<string>();
  workspaceFolders: string[] = [];

  constructor(private connection: Connection, private hasConfigurationCapability: () => boolean, private onProblems: (p: ConfigProblem[]) => void) {}

  clearSettings(): void { this.perDoc.clear(); }

  /** Takes `{ vibeguard: {...} }` or the section itself; anything else leaves the settings as they are. */
  setPushed(raw: unknown): void {
    const section = settingsSection(raw);
    if (!section) return;
    this.pushed = section;
    this.perDoc.clear();
  }

  clearConfigFiles(): void {
    this.fileConfigs.clear();
    this.reported.clear();
  }

  forget(uri: string): void { this.perDoc.delete(uri); }

  /** The workspace folder holding a file (longest match), else the file's own folder. */
  rootFor(file: string): string | undefined {
    let best: string | undefined;
    for (const f of this.workspaceFolders) {
      if ((file === f || file.startsWith(f + path.sep)) && (!best || f.length > best.length)) best = f;
    }
    return best;
  }

  async effective(uri: string): Promise<Effective> {
    const file = URI.parse(uri).fsPath;
    const workspaceRoot = this.rootFor(file);
    const settings = await this.clientSettings(uri);
    const fileConfig = workspaceRoot ? this.fileConfig(workspaceRoot) : undefined;
    const config: Config = structuredClone(fileConfig ?? DEFAULT_CONFIG);
    // Editor settings win over the shared file: they are the user's own choice on this machine.
    for (const [id, sev] of Object.entries(settings.rules ?? {})) {
      if (!RULE_IDS.has(id) || !['error', 'warning', 'info', 'off'].includes(sev)) continue;
      config.rules[id] = { ...config.rules[id], severity: sev as Config['rules'][string]['severity'] };
    }
    if (settings.unsafeFixes) config.unsafeFixes = true;
    config.root = workspaceRoot;
    return { settings, config, workspaceRoot };
  }

  private clientSettings(uri: string): Promise<ClientSettings> {
    if (!this.hasConfigurationCapability()) return Promise.resolve(normalise(this.pushed));
    let p = this.perDoc.get(uri);
    if (!p) {
      p = this.connection.workspace.getConfiguration({ scopeUri: uri, section: 'vibeguard' })
        .then((raw: Partial<ClientSettings> | null) => normalise({ ...this.pushed, ...(isObject(raw) ? raw : {}) }))
        .catch(() => normalise(this.pushed));
      this.perDoc.set(uri, p);
    }
    return p;
  }

  private fileConfig(root: string): Config {
    let entry = this.fileConfigs.get(root);
    if (!entry) {
      const loaded = loadConfigFile(path.join(root, CONFIG_FILE), RULE_IDS);
      entry = { config: loaded.config, problems: loaded.problems };
      this.fileConfigs.set(root, entry);
    }
    if (entry.problems.length && !this.reported.has(root)) {
      this.reported.add(root);
      this.onProblems(entry.problems);
    }
    return entry.config;
  }
}

function normalise(raw: Partial<ClientSettings> | null | undefined): ClientSettings {
  const r = raw ?? {};
  const num = (v: unknown, d: number) => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : d);
  return {
    enable: typeof r.enable === 'boolean' ? r.enable : DEFAULT_SETTINGS.enable,
    rules: r.rules && typeof r.rules === 'object' ? (r.rules as Record<string, string>) : {},
    unsafeFixes: r.unsafeFixes === true,
    acceptedCode: {
      minLines: num(r.acceptedCode?.minLines, DEFAULT_SETTINGS.acceptedCode.minLines),
      minChars: num(r.acceptedCode?.minChars, DEFAULT_SETTINGS.acceptedCode.minChars),
    },
    debounceMs: num(r.debounceMs, DEFAULT_SETTINGS.debounceMs),
    baseline: { mode: BASELINE_MODES.includes(r.baseline?.mode as BaselineMode) ? r.baseline!.mode : DEFAULT_SETTINGS.baseline.mode },
  };
}

const SETTING_KEYS = new Set(Object.keys(DEFAULT_SETTINGS));

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function settingsSection(raw: unknown): Partial<ClientSettings> | undefined {
  if (!isObject(raw)) return undefined;
  if (isObject(raw.vibeguard)) return raw.vibeguard as Partial<ClientSettings>;
  return Object.keys(raw).some((k) => SETTING_KEYS.has(k)) ? raw as Partial<ClientSettings> : undefined;
}
