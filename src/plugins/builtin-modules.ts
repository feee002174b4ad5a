/**
 * Every built-in plugin's module, gathered in one place. They are always loaded together (the engine
 * needs every rule's appliesTo), so the bundled binary reads them as one file instead of one chunk
 * per plugin plus the chunks they share. Each plugin still imports its heavy dependencies (jose,
 * oauth4webapi, the AWS SDK, fast-xml-parser…) inside its rules, when the plugin applies.
 */
export * as http from '../../rules/http/index.ts';
export * as basic from '../../rules/basic/index.ts';
export * as apiKey from '../../rules/api-key/index.ts';
export * as oauth2 from '../../rules/oauth2/index.ts';
export * as awsSigv4 from '../../rules/aws-sigv4/index.ts';
export * as providers from '../../rules/providers/index.ts';
