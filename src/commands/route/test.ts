import * as Flags from '@oclif/core/flags'
import {BaseCommand} from '../../lib/cli/base-command.js'
import {fromClusterFlags, fromClusterOption} from '../../lib/cli/cluster-flags.js'
import {outputFlag} from '../../lib/cli/output.js'
import {ExitCode} from '../../lib/cli/exit-codes.js'
import {regexProgramLimitFlag} from '../../lib/cli/regex-flag.js'
import {runRouteTest, type RouteTestRun} from '../../lib/routetest/command.js'
import {parseKeyValue} from '../../lib/dryrun/run.js'

export default class RouteTest extends BaseCommand {
  static summary = 'Run a suite of routing tests against MetaRouters, like Envoy\'s router_check_tool'

  static description = `Each test has test_name, input (host, port, attributes, random_value) and validate (route_name, cluster_name, subset, mirror_cluster, request_mutation, error); cluster_name: "" asserts that nothing matches. random_value defaults to 0, as in router_check_tool. Coverage counts every route, and every arm of a weighted route separately. A test file looks like this:

  tests:
    - test_name: sayHello goes to v1
      input: {host: thrift-sample-server, attributes: {method: sayHello}}
      validate: {route_name: v1, subset: v1}`

  static exitCodes = {0: 'all tests pass (and coverage meets --fail-under)', 3: 'a test failed or coverage is under --fail-under'}

  static examples = [
    `<%= config.bin %> route test --template method-route -t - <<'EOF'
tests:
  - test_name: sayHello goes to v1
    input: {host: thrift-sample-server, attributes: {method: sayHello}}
    validate: {route_name: v1, subset: v1}
EOF`,
    '<%= config.bin %> route test -t tests.yaml --template method-route',
    '<%= config.bin %> route test -t tests.yaml -f metarouters/ -f services.yaml --details --fail-under 100',
  ]

  static flags = {
    tests: Flags.string({char: 't', summary: 'Test file (YAML or JSON); - reads stdin', required: true}),
    filename: Flags.string({char: 'f', summary: 'Manifest file or folder; without -f the embedded Aeraki demos are used', multiple: true}),
    namespace: Flags.string({char: 'n', summary: 'Namespace for -f objects without one (as kubectl apply -n; default: default)'}),
    recursive: Flags.boolean({char: 'R', summary: 'Read the sub-folders of -f folders too (as kubectl -R)'}),
    template: Flags.string({summary: 'Add a built-in template to the inputs'}),
    set: Flags.string({summary: 'Template parameter KEY=VALUE', multiple: true, dependsOn: ['template']}),
    details: Flags.boolean({char: 'd', summary: 'Print every test, and the routes no test covers'}),
    'only-show-failures': Flags.boolean({summary: 'Print failing tests only'}),
    'fail-under': Flags.integer({summary: 'Fail when route coverage is under this percentage'}),
    covall: Flags.boolean({summary: 'A route counts as covered only when route_name, cluster_name (and mirror/mutation where present) are asserted'}),
    output: outputFlag(),
    'regex-program-limit': regexProgramLimitFlag(),
    ...fromClusterFlags('Test against the MetaRouters, DestinationRules and Services in the cluster (-f files on top)'),
  }

  async run(): Promise<RouteTestRun> {
    const {flags} = await this.parse(RouteTest)
    const result = await runRouteTest({
      testFile: flags.tests,
      files: flags.filename ?? [],
      template: flags.template,
      set: Object.fromEntries((flags.set ?? []).map(s => parseKeyValue(s, '--set'))),
      covall: flags.covall,
      namespace: flags.namespace,
      recursive: flags.recursive,
      failUnder: flags['fail-under'],
      regexProgramLimit: flags['regex-program-limit'],
      ...fromClusterOption(flags),
    })
    await this.print(flags.output, result, {table: async color =>
      (await import('../../lib/render/routetest-text.js')).renderRouteTestText(result, {details: flags.details, onlyFailures: flags['only-show-failures']}, color)})
    return this.done(result, result.failedRun ? ExitCode.CHECK_FAILED : ExitCode.OK)
  }
}
