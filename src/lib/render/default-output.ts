// The format a command prints when -o is not given: tables for people on a terminal, JSON for the program a
// pipe or file feeds (the bash aerakictl printed raw JSON, and scripts pipe it into jq or fx).
export function defaultOutput(stream: {isTTY?: boolean}): 'table' | 'json' {
  return stream.isTTY ? 'table' : 'json'
}
