// Progress on a terminal: an ink view with one live line per component (spinner while working, ✔/✘ when done).
// Only ever imported lazily, and only when the progress stream is a TTY (ink 6 ignores isTTY; see toolchain §7.5).
import {useEffect, useState, useSyncExternalStore} from 'react'
import {Box, Text, render} from 'ink'
import type {ProgressModel, StatusLine} from './model.js'
import type {Renderer} from './plain.js'

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏']

function useFrame(active: boolean): number {
  const [frame, setFrame] = useState(0)
  useEffect(() => {
    if (!active) return
    const t = setInterval(() => setFrame(f => (f + 1) % FRAMES.length), 80)
    return () => clearInterval(t)
  }, [active])
  return frame
}

function Line({line, width, frame, color}: {line: StatusLine; width: number; frame: number; color: boolean}) {
  const sym = line.status === 'done' ? '✔' : line.status === 'failed' ? '✘' : line.status === 'working' ? FRAMES[frame] : line.status === 'skipped' ? '·' : ' '
  const tint = !color ? undefined : line.status === 'done' ? 'green' : line.status === 'failed' ? 'red' : line.status === 'working' ? 'cyan' : undefined
  return (
    <Box>
      <Text wrap="truncate-end">
        <Text color={tint}>{sym} </Text>
        {line.label.padEnd(width)}  <Text dimColor={color && line.status === 'pending'}>{line.detail}</Text>
      </Text>
    </Box>
  )
}

function ProgressView({model, color}: {model: ProgressModel; color: boolean}) {
  const lines = useSyncExternalStore(model.subscribe, model.snapshot)
  const frame = useFrame(lines.some(l => l.status === 'working'))
  const width = Math.max(0, ...lines.map(l => l.label.length))
  return (
    <Box flexDirection="column">
      {lines.map(l => <Line key={l.key} line={l} width={width} frame={frame} color={color} />)}
    </Box>
  )
}

export function startInkRenderer(model: ProgressModel, stream: NodeJS.WriteStream, color: boolean): Renderer {
  const app = render(<ProgressView model={model} color={color} />, {stdout: stream, exitOnCtrlC: false, patchConsole: false})
  return {
    async stop() {
      // The live view gives way to the report (stdout), which repeats every line in its final state: render
      // nothing (ink's unmount repaints the last frame), then unmount.
      app.rerender(<></>)
      await new Promise(r => setTimeout(r, 20))
      app.unmount()
      await app.waitUntilExit()
    },
  }
}
