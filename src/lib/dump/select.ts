// `--section` selection with the MetaProtocol listener filter wired in, so `metaprotocol` shows the Aeraki
// routes together with only the listeners that use them.

import {asConfigDump, type DumpInput} from './input.js'
import {listenerEntryHasMetaProtocol} from './listeners.js'
import type {ConfigDump} from './parse.js'
import {selectSections as selectRawSections, type DumpSection} from './sections.js'

export function selectSections(input: DumpInput, section: DumpSection): ConfigDump {
  return selectRawSections(asConfigDump(input), section, listenerEntryHasMetaProtocol)
}
