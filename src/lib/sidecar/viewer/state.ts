// What a key does in `sidecar-config -i`, as a pure reducer over the viewer's state (the ink view feeds it keys
// and draws the result): moving, folding, search with n/N, the jump to the MetaProtocol routes, quitting.
import {ancestorIds, jsonPathOf, metaProtocolRoutesPath, pathId, search, visibleRows, type Path, type Row} from './tree.js'

export interface ViewerState {
  root: unknown
  expanded: ReadonlySet<string>
  rows: Row[]
  cursor: number
  /** First row shown. */
  top: number
  /** Rows the screen has for the tree. */
  height: number
  mode: 'browse' | 'search'
  /** The search being typed (mode search), or the last one. */
  query: string
  matches: Path[]
  match: number
  message: string
  quit: boolean
  /** Quit by Ctrl-C: the command exits 130, as everywhere else. */
  interrupted: boolean
}

export type Action =
  | {type: 'up' | 'down' | 'pageUp' | 'pageDown' | 'first' | 'last' | 'expand' | 'collapse' | 'toggle' | 'metaprotocol' | 'next' | 'previous' | 'quit' | 'interrupt' | 'startSearch' | 'submit' | 'cancel' | 'erase'}
  | {type: 'type'; text: string}
  | {type: 'resize'; height: number}

/** The keys of ink's useInput this viewer reads (a subset of ink's Key). */
export interface KeyFlags {
  upArrow?: boolean; downArrow?: boolean; leftArrow?: boolean; rightArrow?: boolean; pageUp?: boolean; pageDown?: boolean
  home?: boolean; end?: boolean; return?: boolean; escape?: boolean; backspace?: boolean; delete?: boolean; tab?: boolean
  ctrl?: boolean; meta?: boolean
}

/** What one key means in the current mode. */
export function actionFor(input: string, key: KeyFlags, searching: boolean): Action | undefined {
  if (key.ctrl && input === 'c') return {type: 'interrupt'}
  if (searching) {
    if (key.return) return {type: 'submit'}
    if (key.escape) return {type: 'cancel'}
    if (key.backspace || key.delete) return {type: 'erase'}
    if (input && !key.ctrl && !key.meta) return {type: 'type', text: input}
    return undefined
  }
  if (key.upArrow || input === 'k') return {type: 'up'}
  if (key.downArrow || input === 'j') return {type: 'down'}
  if (key.pageUp) return {type: 'pageUp'}
  if (key.pageDown || input === ' ') return {type: 'pageDown'}
  if (key.home || input === 'g') return {type: 'first'}
  if (key.end || input === 'G') return {type: 'last'}
  if (key.rightArrow || input === 'l') return {type: 'expand'}
  if (key.leftArrow || input === 'h') return {type: 'collapse'}
  if (key.return || key.tab) return {type: 'toggle'}
  if (input === '/') return {type: 'startSearch'}
  if (input === 'n') return {type: 'next'}
  if (input === 'N') return {type: 'previous'}
  if (input === 'm') return {type: 'metaprotocol'}
  if (input === 'q') return {type: 'quit'}
  if (key.escape) return {type: 'cancel'}
  return undefined
}

/** Control characters inside a chunk of typed text, as the keys they are. */
const CONTROL_CHARS: Record<string, KeyFlags> = {'\r': {return: true}, '\n': {return: true}, '\t': {tab: true}, '\u001b': {escape: true}, '\u007f': {backspace: true}, '\b': {backspace: true}}

/**
 * The reducer the view uses: `keys` is what ink read at once (several typed characters can arrive in one chunk:
 * each is taken in the mode the previous one left), `resize` passes through.
 */
export function onKeys(s: ViewerState, e: {type: 'keys'; input: string; key: KeyFlags} | {type: 'resize'; height: number} | {type: 'interrupt'}): ViewerState {
  if (e.type !== 'keys') return reduce(s, e)
  const k = e.key
  const special = Boolean(k.upArrow || k.downArrow || k.leftArrow || k.rightArrow || k.pageUp || k.pageDown || k.home || k.end || k.return || k.escape || k.backspace || k.delete || k.tab || k.ctrl || k.meta)
  if (special || e.input.length === 0) {
    const a = actionFor(e.input, k, s.mode === 'search')
    return a ? reduce(s, a) : s
  }
  for (const ch of e.input) {
    if (s.quit) break
    const a = actionFor(ch, CONTROL_CHARS[ch] ?? {}, s.mode === 'search')
    if (a) s = reduce(s, a)
  }
  return s
}

export const HELP = '↑↓ move  →/← open/close  / search  n/N next/previous  m MetaProtocol routes  q quit'

export function initialState(root: unknown, height: number): ViewerState {
  // The sections open, each labelled by its @type.
  const expanded = new Set([pathId(['configs'])])
  return {root, expanded, rows: visibleRows(root, expanded), cursor: 0, top: 0, height: Math.max(1, height), mode: 'browse', query: '', matches: [], match: 0, message: HELP, quit: false, interrupted: false}
}

export function selectedPath(s: ViewerState): string {
  const row = s.rows[s.cursor]
  return row ? jsonPathOf(row.path) : '$'
}

/** Keeps the cursor on screen. */
function scrolled(s: ViewerState): ViewerState {
  const cursor = Math.max(0, Math.min(s.cursor, s.rows.length - 1))
  let top = Math.min(s.top, cursor)
  if (cursor >= top + s.height) top = cursor - s.height + 1
  top = Math.max(0, Math.min(top, Math.max(0, s.rows.length - s.height)))
  return {...s, cursor, top}
}

function withExpanded(s: ViewerState, expanded: Set<string>, select?: Path): ViewerState {
  const rows = visibleRows(s.root, expanded)
  const keep = select ?? s.rows[s.cursor]?.path
  const id = keep ? pathId(keep) : undefined
  const cursor = id === undefined ? 0 : Math.max(0, rows.findIndex((r) => pathId(r.path) === id))
  return {...s, expanded, rows, cursor}
}

/** Opens every ancestor of `path` and selects it, placed a few rows from the top of the screen. */
function reveal(s: ViewerState, path: Path, message: string): ViewerState {
  const expanded = new Set(s.expanded)
  for (const id of ancestorIds(path)) expanded.add(id)
  const next = withExpanded(s, expanded, path)
  return scrolled({...next, top: Math.max(0, next.cursor - 2), message})
}

function goToMatch(s: ViewerState, index: number): ViewerState {
  if (s.matches.length === 0) return {...s, message: s.query ? `no match for "${s.query}"` : HELP}
  const i = ((index % s.matches.length) + s.matches.length) % s.matches.length
  return reveal({...s, match: i}, s.matches[i], `match ${i + 1} of ${s.matches.length}${s.matches.length >= 10_000 ? '+' : ''} for "${s.query}" (n/N: next/previous)`)
}

export function reduce(s: ViewerState, a: Action): ViewerState {
  if (a.type === 'resize') return scrolled({...s, height: Math.max(1, a.height)})
  if (a.type === 'interrupt') return {...s, quit: true, interrupted: true}
  if (s.mode === 'search') {
    switch (a.type) {
      case 'type': return {...s, query: s.query + a.text}
      case 'erase': return {...s, query: s.query.slice(0, -1)}
      case 'cancel': return {...s, mode: 'browse', message: HELP}
      case 'submit': {
        const found = search(s.root, s.query)
        return goToMatch({...s, mode: 'browse', matches: found.paths, match: 0}, 0)
      }
      default: return s
    }
  }
  const row = s.rows[s.cursor]
  switch (a.type) {
    case 'up': return scrolled({...s, cursor: s.cursor - 1})
    case 'down': return scrolled({...s, cursor: s.cursor + 1})
    case 'pageUp': return scrolled({...s, cursor: s.cursor - s.height, top: s.top - s.height})
    case 'pageDown': return scrolled({...s, cursor: s.cursor + s.height, top: s.top + s.height})
    case 'first': return scrolled({...s, cursor: 0, top: 0})
    case 'last': return scrolled({...s, cursor: s.rows.length - 1})
    case 'expand':
    case 'toggle': {
      if (!row?.expandable) return s
      if (row.expanded && a.type === 'expand') return scrolled({...s, cursor: s.cursor + 1})
      const expanded = new Set(s.expanded)
      if (row.expanded) expanded.delete(pathId(row.path))
      else expanded.add(pathId(row.path))
      return scrolled(withExpanded(s, expanded))
    }
    case 'collapse': {
      if (!row) return s
      if (row.expanded) {
        const expanded = new Set(s.expanded)
        expanded.delete(pathId(row.path))
        return scrolled(withExpanded(s, expanded))
      }
      // Already closed (or a value): to its parent.
      if (row.path.length <= 1) return s
      const parent = pathId(row.path.slice(0, -1))
      return scrolled({...s, cursor: Math.max(0, s.rows.findIndex((r) => pathId(r.path) === parent))})
    }
    case 'metaprotocol': {
      const path = metaProtocolRoutesPath(s.root)
      if (!path) return {...s, message: 'this dump has no MetaProtocol routes (no aeraki.meta_protocol_proxy.admin.v1alpha.RoutesConfigDump section)'}
      const expanded = new Set(s.expanded)
      expanded.add(pathId(path))
      return reveal({...s, expanded}, path, 'MetaProtocol routes (Aeraki\'s RoutesConfigDump)')
    }
    case 'startSearch': return {...s, mode: 'search', query: ''}
    case 'next': return goToMatch(s, s.match + 1)
    case 'previous': return goToMatch(s, s.match - 1)
    case 'quit': return {...s, quit: true}
    case 'cancel': return {...s, message: HELP}
    default: return s
  }
}
