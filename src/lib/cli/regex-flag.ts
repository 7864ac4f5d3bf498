import * as Flags from '@oclif/core/flags'
import {ENVOY_REGEX_PROGRAM_LIMIT, ISTIO_REGEX_PROGRAM_LIMIT} from '../routing/regex-limit.js'

/** `--regex-program-limit N`, for every command that judges regexes the way the proxy does. */
export function regexProgramLimitFlag() {
  return Flags.integer({
    min: 1,
    summary: `The proxy's RE2 program-size limit (re2.max_program_size.error_level): ${ISTIO_REGEX_PROGRAM_LIMIT} on Istio/Aeraki sidecars (the default, or a config dump's own), ${ENVOY_REGEX_PROGRAM_LIMIT} on a bare Envoy`,
  })
}
