/** The input options of `check` and `tui` (exactly one input: URL+flags, --curl, --har, --profile). */
export const INPUT_OPTIONS = [
  { name: 'curl', value: true, valueName: "'CMD'", description: 'a whole curl command to diagnose (quote it)' },
  { name: 'har', value: true, valueName: 'FILE', description: 'analyse a HAR capture offline (nothing is sent)' },
  { name: 'entry', value: true, valueName: 'N', description: 'which HAR entry (1-based; default: the first auth failure)' },
  { name: 'profile', value: true, valueName: 'NAME', description: 'a request profile from the config file' },
  { name: 'config', value: true, valueName: 'PATH', description: 'use this config file instead of searching' },
  { name: 'ca', value: true, valueName: 'FILE', description: 'trust this CA certificate (PEM) for TLS' },
] as const;
