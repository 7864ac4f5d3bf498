import {dump} from 'js-yaml'

export function renderYaml(value: unknown): string {
  const plain = JSON.parse(JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? v.toString() : v)))
  return dump(plain, {noRefs: true, lineWidth: 120})
}
