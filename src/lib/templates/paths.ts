// Where the package's templates are, apart from the catalog so that a reader of these paths (the embedded demo)
// does not load the catalog's YAML parser.
import {fileURLToPath} from 'node:url'

export const PACKAGE_ROOT = fileURLToPath(new URL('../../../', import.meta.url))
export const TEMPLATES_DIR = `${PACKAGE_ROOT}templates/`
export const METAROUTER_TEMPLATES_DIR = `${TEMPLATES_DIR}metarouter/`
export const DEMO_DIR = `${TEMPLATES_DIR}demo/`
