// `sidecar-config -i`: the fx step built in. An ink view of the (redacted) dump as a collapsible tree, drawn on the
// terminal's alternate screen (as fx and less do) and left when it quits. The keys and what they do are the pure
// reducer in state.ts, fed ink's keys; this file draws rows, the JSONPath and a status line.
// Only ever imported lazily, and only when stdin and stdout are terminals (the command checks).
import {useEffect, useReducer} from 'react'
import {Box, Text, render, useApp, useInput} from 'ink'
import {initialState, onKeys, selectedPath} from './state.js'
import {summary, type Row} from './tree.js'

/** Lines around the tree: the title, the JSONPath and the status line. */
const CHROME = 3

function RowLine({row, selected, width, color}: {row: Row; selected: boolean; width: number; color: boolean}) {
  const marker = selected ? '>' : ' '
  const fold = row.expandable ? (row.expanded ? '▾ ' : '▸ ') : '  '
  const key = typeof row.key === 'number' ? `[${row.key}]` : JSON.stringify(row.key)
  const text = `${marker} ${'  '.repeat(row.depth)}${fold}${key}: ${summary(row)}`
  const line = text.length > width ? `${text.slice(0, Math.max(0, width - 1))}…` : text
  if (!color) return <Text>{line}</Text>
  return <Text inverse={selected} color={row.expandable ? undefined : 'green'}>{line}</Text>
}

function Viewer({root, title, color, stdout, onQuit}: {root: unknown; title: string; color: boolean; stdout: NodeJS.WriteStream; onQuit: (interrupted: boolean) => void}) {
  const {exit} = useApp()
  const height = () => Math.max(1, (stdout.rows || 24) - CHROME - 1)
  const [s, dispatch] = useReducer(onKeys, undefined, () => initialState(root, height()))
  useEffect(() => {
    const onResize = () => dispatch({type: 'resize', height: height()})
    stdout.on('resize', onResize)
    // SIGINT (Ctrl-C while the terminal is not in raw mode, or kill -INT) and SIGTERM quit as Ctrl-C does, so the
    // terminal is restored.
    const onSignal = () => dispatch({type: 'interrupt'})
    process.on('SIGINT', onSignal)
    process.on('SIGTERM', onSignal)
    return () => {
      stdout.off('resize', onResize)
      process.off('SIGINT', onSignal)
      process.off('SIGTERM', onSignal)
    }
  }, [stdout])
  useEffect(() => {
    if (!s.quit) return
    onQuit(s.interrupted)
    exit()
  }, [s.quit])
  // Keys go through the reducer, which reads the mode of the state they arrive in (not of the last render):
  // "/sayHello⏎" typed fast arrives before any re-render.
  useInput((input, key) => dispatch({type: 'keys', input, key}))
  const width = Math.max(20, (stdout.columns || 80) - 1)
  const shown = s.rows.slice(s.top, s.top + s.height)
  const status = s.mode === 'search' ? `/${s.query}` : s.message
  const clip = (t: string) => (t.length > width ? `${t.slice(0, width - 1)}…` : t)
  return (
    <Box flexDirection="column">
      <Text bold={color}>{clip(`${title}  (${s.cursor + 1}/${s.rows.length})`)}</Text>
      {shown.map((row, i) => <RowLine key={s.top + i} row={row} selected={s.top + i === s.cursor} width={width} color={color} />)}
      <Text color={color ? 'cyan' : undefined}>{clip(`path: ${selectedPath(s)}`)}</Text>
      <Text dimColor={color && s.mode !== 'search'}>{clip(status)}</Text>
    </Box>
  )
}

const ENTER_ALT_SCREEN = '\u001b[?1049h\u001b[H'
const LEAVE_ALT_SCREEN = '\u001b[?1049l'

/** Shows the viewer until q or Ctrl-C (then `interrupted`); the terminal is as it was afterwards. */
export async function runViewer(root: unknown, opts: {title: string; color: boolean; stdout?: NodeJS.WriteStream; stdin?: NodeJS.ReadStream}): Promise<{interrupted: boolean}> {
  const stdout = opts.stdout ?? process.stdout
  let interrupted = false
  stdout.write(ENTER_ALT_SCREEN)
  const app = render(<Viewer root={root} title={opts.title} color={opts.color} stdout={stdout} onQuit={(i) => { interrupted = i }} />, {stdout, stdin: opts.stdin ?? process.stdin, exitOnCtrlC: false, patchConsole: false})
  try {
    await app.waitUntilExit()
  } finally {
    app.cleanup()
    stdout.write(LEAVE_ALT_SCREEN)
  }
  return {interrupted}
}
