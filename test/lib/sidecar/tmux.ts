// A pseudo-terminal for interactive commands: a private tmux server (its own socket, no user config) with one
// pane of a fixed size running the built CLI. Tests send keys and wait for the screen to show something (never for
// a fixed time); the pane stays after the CLI exits, with its exit status printed below.
import {execFile} from 'node:child_process'
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {promisify} from 'node:util'
import {BIN, ROOT} from '../../support/cli.js'
import {until} from '../../support/wait.js'

const run = promisify(execFile)
const EXITED = /^\[exited with (\d+)\]$/m

export interface Pane {
  /** The screen as text (with `escapes`, its SGR colour and style codes too). */
  screen(escapes?: boolean): Promise<string>
  /** Waits until the screen satisfies `fn`; fails with the last screen. */
  waitFor(fn: (screen: string) => boolean, what: string, ms?: number): Promise<string>
  /** tmux key names (Enter, Up, Escape) or, with `literal`, text typed as is. */
  keys(keys: string[], literal?: boolean): Promise<void>
  /** The CLI's exit status once it has exited. */
  exited(ms?: number): Promise<number>
  close(): Promise<void>
}

/** Runs `node bin/run.js ...args` in a `cols`×`rows` terminal with `env` (on top of the test's environment). */
export async function startPane(args: string[], env: Record<string, string | undefined>, cols = 110, rows = 30): Promise<Pane> {
  const dir = mkdtempSync(join(tmpdir(), 'aerakictl-tmux-'))
  const socket = join(dir, 'tmux.sock')
  const conf = join(dir, 'tmux.conf')
  writeFileSync(conf, 'set -g status off\nset -g default-terminal xterm-256color\n')
  const tmux = (...a: string[]) => run('tmux', ['-S', socket, '-f', conf, ...a], {cwd: ROOT})
  // tmux runs the pane's command through the shell: argv is quoted here (our own paths and fixed words). The shell
  // survives a SIGINT to the terminal's process group (trap), prints the CLI's status and keeps the pane (and the
  // screen as the CLI left it) until close(): tmux 3.3 may blank a pane that dies (remain-on-exit), status and all.
  const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`
  // Through env(1) rather than tmux -e: tmux sets the pane's TERM itself (default-terminal) after -e.
  // A name with `undefined` is taken out of the environment (`env -u`): CI exports NO_COLOR=1 for the whole run.
  // env(1) takes its options before the assignments.
  const entries = Object.entries(env)
  const envWords = [...entries.filter(([, v]) => v === undefined).flatMap(([k]) => ['-u', k]), ...entries.filter(([, v]) => v !== undefined).map(([k, v]) => `${k}=${v}`)]
  await tmux('new-session', '-d', '-s', 'cli', '-x', String(cols), '-y', String(rows), `trap : INT; ${['env', ...envWords, process.execPath, BIN, ...args].map(quote).join(' ')}; echo "[exited with $?]"; read keep`)
  let last = ''
  const screen = async (escapes = false) => (last = (await tmux('capture-pane', '-p', ...(escapes ? ['-e'] : []), '-t', 'cli')).stdout)
  const pane: Pane = {
    screen,
    async waitFor(fn, what, ms = 30_000) {
      try {
        return await until(async () => { const s = await screen(); return fn(s) ? s : undefined }, what, ms, 50)
      } catch {
        throw new Error(`${what}: not on the screen within ${ms} ms; the screen:\n${last}`)
      }
    },
    async keys(keys, literal = false) {
      await tmux('send-keys', '-t', 'cli', ...(literal ? ['-l'] : []), ...keys)
    },
    async exited(ms = 30_000) {
      const s = await pane.waitFor((x) => EXITED.test(x), 'the CLI to exit', ms)
      return Number(EXITED.exec(s)![1])
    },
    async close() {
      await tmux('kill-server').catch(() => undefined)
      rmSync(dir, {recursive: true, force: true})
    },
  }
  return pane
}
