// Every regular expression a user types (app-log --include/--exclude and its APP pattern, analyze --suppress)
// runs on RE2 semantics through re2js (a port of RE2/J: linear time, no backreferences or lookaround), as stern's
// Go regexp does, so no pattern can make a line take exponential time. Unanchored search, like RegExp#test.
import {RE2JS} from 're2js'
import {InputError} from '../resources/errors.js'

export interface UserPattern {
  readonly source: string
  test(text: string): boolean
}

/** Compiles a user pattern; a syntax error is bad input naming the flag (the pattern itself is not quoted back). */
export function userPattern(source: string, flag: string): UserPattern {
  let re: RE2JS
  try {
    re = RE2JS.compile(source)
  } catch (e) {
    const why = ((e as Error).message || 'invalid syntax').split(':')[0]
    throw new InputError(`not a valid regular expression in RE2 syntax (${why}); RE2 has no backreferences or lookaround`, flag)
  }
  return {source, test: (text) => re.test(text)}
}

/** A glob (`*` any run of characters) as an anchored RE2 pattern, for names like `meta-thrift/*`. */
export function globPattern(glob: string, flag: string): UserPattern {
  const source = `^${glob.split('*').map((s) => RE2JS.quote(s)).join('.*')}$`
  return userPattern(source, flag)
}
