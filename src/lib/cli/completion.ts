// Shell completion: the scripts for bash, zsh and fish only collect the words typed so far and ask the CLI
// (`aerakictl __complete WORD…`, the last word being the one completed), as cobra's completion does
// (spf13/cobra, completions.go, __complete). So commands, flags, flag options, template names and, where a cluster
// is reachable, namespaces and app names come from one place: completeWords below.
import type {Config} from '@oclif/core/config'

export const SHELLS = ['bash', 'zsh', 'fish'] as const
export type Shell = (typeof SHELLS)[number]

export function completionScript(shell: Shell, bin: string): string {
  const fn = `_${bin.replace(/[^A-Za-z0-9_]/g, '_')}_complete`
  switch (shell) {
    case 'bash':
      return `# ${bin} completion for bash: source <(${bin} completion bash)
${fn}() {
  local IFS=$'\\n'
  local words=("\${COMP_WORDS[@]:1:COMP_CWORD}")
  COMPREPLY=($(${bin} __complete "\${words[@]}" 2>/dev/null))
  if [ \${#COMPREPLY[@]} -eq 0 ]; then compopt -o default 2>/dev/null; fi
}
complete -F ${fn} ${bin}
`
    case 'zsh':
      return `#compdef ${bin}
# ${bin} completion for zsh: source <(${bin} completion zsh)
${fn}() {
  local -a candidates
  candidates=("\${(@f)$(${bin} __complete "\${(@)words[2,CURRENT]}" 2>/dev/null)}")
  if (( \${#candidates[@]} == 0 )) || [[ -z "\${candidates[1]}" ]]; then _files; else compadd -- "\${candidates[@]}"; fi
}
compdef ${fn} ${bin}
`
    case 'fish':
      return `# ${bin} completion for fish: ${bin} completion fish | source
function ${fn}
  set -l words (commandline -opc)[2..-1] (commandline -ct)
  ${bin} __complete $words 2>/dev/null
end
complete -c ${bin} -f -a '(${fn})'
`
  }
}

interface Lists {
  templates(): Promise<string[]>
  namespaces(flags: Record<string, string>): Promise<string[]>
  apps(flags: Record<string, string>, namespace: string | undefined): Promise<string[]>
}

/** The candidates for the last of `words` (the words after the program name). */
export async function completeWords(config: Config, words: string[], lists: Lists): Promise<string[]> {
  const current = words.at(-1) ?? ''
  const before = words.slice(0, -1)
  const commands = config.commands.filter(c => !c.hidden)
  // The command: the longest run of leading words that names one.
  let id = ''
  let used = 0
  for (let n = 1; n <= before.length; n++) {
    if (before[n - 1].startsWith('-')) break
    const candidate = before.slice(0, n).join(':')
    if (commands.some(c => c.id === candidate)) { id = candidate; used = n }
  }
  const command = commands.find(c => c.id === id)
  const starts = (xs: string[]) => [...new Set(xs)].filter(x => x.startsWith(current)).sort()
  if (!command || (used === before.length && !current.startsWith('-') && commands.some(c => c.id.startsWith(`${id}:`)) && !Object.keys(command.args ?? {}).length)) {
    // Still naming the command: the next word of the ids that begin with the words so far.
    const typed = before.slice(0, command ? used : before.length)
    const next = commands.map(c => c.id.split(':')).filter(p => typed.every((w, i) => p[i] === w) && p.length > typed.length).map(p => p[typed.length])
    return starts(next)
  }
  const flags = command.flags ?? {}
  const given: Record<string, string> = {}
  const positional: string[] = []
  let pendingFlag: string | undefined
  for (const w of before.slice(used)) {
    if (pendingFlag) { given[pendingFlag] = w; pendingFlag = undefined; continue }
    if (w.startsWith('-')) {
      const [name, value] = w.replace(/^-+/, '').split('=', 2)
      const flag = Object.entries(flags).find(([n, f]) => n === name || f.char === name)
      if (flag && flag[1].type === 'option') {
        if (value === undefined) pendingFlag = flag[0]
        else given[flag[0]] = value
      }
      continue
    }
    positional.push(w)
  }
  if (pendingFlag) return starts(await valuesFor(pendingFlag, (flags[pendingFlag] as {options?: readonly string[]}).options, given, lists))
  if (current.startsWith('-')) {
    const names = Object.entries(flags).filter(([, f]) => !f.hidden).flatMap(([n, f]) => [`--${n}`, ...(f.char && current.length <= 2 && !current.startsWith('--') ? [`-${f.char}`] : [])])
    return starts([...names, '--help'])
  }
  const args = Object.entries(command.args ?? {})
  const arg = args[positional.length]
  if (!arg) return []
  const [name, def] = arg
  if (def.options?.length) return starts([...def.options])
  if (name === 'namespace') return starts(await lists.namespaces(given))
  if (name === 'template' || (command.id === 'templates:show' && name === 'name')) return starts(await lists.templates())
  if (name === 'app') return starts(await lists.apps(given, given.namespace ?? positional[1]))
  return []
}

async function valuesFor(flag: string, options: readonly string[] | undefined, given: Record<string, string>, lists: Lists): Promise<string[]> {
  if (options?.length) return [...options]
  if (flag === 'namespace') return lists.namespaces(given)
  if (flag === 'template') return lists.templates()
  return [] // files and free values: the shell's own completion
}
