/**
 * Characters that can act on a terminal or hide what a line says: C0
 * controls (ESC, BEL, CR, LF, TAB, ...), DEL, C1 controls (CSI and OSC among
 * them), the line and paragraph separators, zero-width spaces and marks,
 * Unicode's bidirectional embeddings, overrides and isolates, the byte order
 * mark, and surrogates without their other half.
 */
const unsafe =
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  /[\u0000-\u001f\u007f-\u009f\u061c\u200b\u200e\u200f\u2028-\u202e\u2060-\u206f\ufeff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g

const escaped = (character: string): string => {
  const code = character.charCodeAt(0)
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`
}

/**
 * The longest piece of text from a user or a server that one line shows:
 * long enough for any Riot ID, match id or Riot status message, short enough
 * that a hostile one cannot flood a terminal or a log.
 *
 * @internal
 */
export const maxUntrustedLength = 200

/**
 * Text that came from a user or a server, made safe to show inside one line
 * of a terminal or a log: every character of {@link unsafe} is shown as an
 * escape (`\x1b`, `\u202e`) instead of acting, and the text is cut to
 * `maxLength` code points, the cut marked with `…`.
 *
 * @internal
 */
export const untrusted = (text: string, maxLength: number = maxUntrustedLength): string => {
  const safe = text.replace(unsafe, escaped)
  const codePoints = Array.from(safe)
  return codePoints.length <= maxLength ? safe : codePoints.slice(0, maxLength - 1).join("") + "…"
}

/**
 * Text made of lines, some of which may carry text from a user or a server
 * (a usage error from @effect/cli names the argument it rejects): each line
 * made safe by {@link untrusted}, the line breaks kept.
 *
 * @internal
 */
export const untrustedLines = (text: string, maxLineLength: number = 2 * maxUntrustedLength): string =>
  text.split(/\r?\n/).map((line) => untrusted(line, maxLineLength)).join("\n")
