export { parseCurlArgs, parseCurlCommand, curlEscape, matchesNoProxy, CURL_COMPRESSED_ACCEPT_ENCODING } from './curl.ts';
export type { CurlParseOptions, CurlRequestSpec } from './curl.ts';
export { tokenizeCommand } from './tokenize.ts';
export type { Env } from './tokenize.ts';
export { loadHarFile, harToExchange, parseHarDate, HAR_BODY_LIMIT } from './har.ts';
export type { HarSelection } from './har.ts';
export { looksLikeAuthFailure } from './auth-failure.ts';
export type { ResponseLike } from './auth-failure.ts';
export { detectSanitizedHeaders, isPlaceholderValue, isChromeSanitizedExport, placeholderHeaders } from './har-sanitized.ts';
