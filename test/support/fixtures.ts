// Where the tests' data lives in the repository.
import {join} from 'node:path'
import {ROOT} from './cli.js'

/** Config dumps of the Thrift demo client's sidecar: invented values, true structure (see the README there). */
export const CONFIG_DUMPS = join(ROOT, 'test/fixtures/config-dumps')
/** Config dumps and route tables recorded from real sidecars, each with its source (see the README there). */
export const RECORDED = join(ROOT, 'test/fixtures/recorded')
