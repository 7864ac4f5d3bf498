#!/usr/bin/env node
// NO_COLOR must win before any colour library reads the environment (chalk 5 ignores NO_COLOR on a TTY),
// so set FORCE_COLOR=0 first and only then load oclif and the commands.
if (process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '') process.env.FORCE_COLOR = '0'
const {execute} = await import('@oclif/core')
await execute({dir: import.meta.url})
