// Route configuration names (`<host>_<port>`, or `inbound|<port>||` for inline inbound configs): the routing
// helpers in src/lib/routing/names.ts, which are pure like this library.
export {parseRouteTableName, routeTableName} from '../routing/names.js'
