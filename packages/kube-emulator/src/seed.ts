// The cluster the emulator starts with: the usual namespaces, one node and the kubernetes Service.
import type {Cluster} from './cluster.js'

export function seedCluster(cluster: Cluster): void {
  const ns = cluster.type('', 'namespaces')
  for (const name of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) cluster.create(ns, undefined, {metadata: {name}})
  cluster.create(cluster.type('', 'nodes'), undefined, {
    metadata: {name: 'playground-node', labels: {'kubernetes.io/hostname': 'playground-node', 'kubernetes.io/os': 'linux', 'node-role.kubernetes.io/control-plane': ''}},
    spec: {podCIDR: '10.244.0.0/16'},
    status: {conditions: [{type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status'}], addresses: [{type: 'InternalIP', address: '172.18.0.2'}], nodeInfo: {kubeletVersion: 'v1.32.0', containerRuntimeVersion: 'containerd://1.7.18', osImage: 'aerakictl playground', architecture: 'amd64', operatingSystem: 'linux'}},
  }, {keepStatus: true})
  cluster.create(cluster.type('', 'services'), 'default', {
    metadata: {name: 'kubernetes', labels: {component: 'apiserver', provider: 'kubernetes'}},
    spec: {clusterIP: '10.96.0.1', ports: [{name: 'https', port: 443, targetPort: 6443}]},
  })
}
