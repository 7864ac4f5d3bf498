// Text from clusters, dumps and files printed as data, never as terminal commands (issue 12 §5): a route named
// with ESC sequences, or a binary/UTF-16 file quoted in a message, must not move the cursor, clear the screen,
// retitle the window or write the clipboard (OSC 52). C0 controls except tab and newline, DEL and C1 controls
// (U+0080–U+009F, which some terminals take as 8-bit CSI/OSC) are shown as \u00XX: inside a JSON string that is the
// same value, so JSON documents stay valid and equal. With colour on, the SGR sequences (ESC [ … m) our palette
// writes are kept; they only change colours.

// eslint-disable-next-line no-control-regex
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/
// eslint-disable-next-line no-control-regex
const CONTROLS = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/g
// eslint-disable-next-line no-control-regex
const SGR_OR_CONTROL = /\x1b\[[0-9;]*m|[\x00-\x08\x0b-\x1f\x7f-\x9f]/g

const escape = (c: string) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`

/** `text` with every control character but tab and newline escaped; `keepSgr` keeps colour sequences. */
export function escapeControls(text: string, keepSgr = false): string {
  if (!CONTROL.test(text)) return text
  return keepSgr ? text.replace(SGR_OR_CONTROL, m => (m.length > 1 ? m : escape(m))) : text.replace(CONTROLS, escape)
}
