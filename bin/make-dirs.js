// `mkdir -p` that always ends. Node's own (fs.mkdirSync with recursive: true, node::fs::MKDirpSync in
// src/node_file.cc) takes an ENOENT for "the parent is missing", makes the parent, and tries again; where the parent
// exists but answers ENOENT for any child (a path under /proc, as XDG_CACHE_HOME=/proc/x) that loops for ever at
// 100% CPU (Node 20.20; nodejs/node#27198 was the same loop on Windows). Here each missing level is made once, from
// the top, and the first error other than "already there" is final.
// CommonJS in bin/ because bin/load-bundle.js needs it before any bundle is loaded; src/ imports it too.
'use strict'
const {mkdirSync, statSync} = require('node:fs')
const {dirname} = require('node:path')

/** Creates `dir` and its missing parents (`mode` for the ones it makes); throws the first real error. */
function makeDirs(dir, mode = 0o777) {
  const missing = []
  for (let d = dir; ; d = dirname(d)) {
    let stat
    try {
      stat = statSync(d)
    } catch (e) {
      if (e.code !== 'ENOENT') throw e
    }
    if (stat?.isDirectory()) break
    if (stat) throw Object.assign(new Error(`ENOTDIR: not a directory, mkdir '${d}'`), {code: 'ENOTDIR', syscall: 'mkdir', path: d})
    missing.push(d)
    if (dirname(d) === d) break
  }
  for (const d of missing.reverse()) {
    try {
      mkdirSync(d, {mode})
    } catch (e) {
      if (e.code !== 'EEXIST') throw e
    }
  }
}

module.exports = {makeDirs}
