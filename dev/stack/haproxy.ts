/**
 * The one address clients of the local cluster use, in front of its API processes: HAProxy from
 * Debian's package (scripts/cluster-setup.sh), as a deployment would have (docs/operations.md), with
 * its configuration written from the cluster's ports at each start. Round robin; a process that
 * refuses connections is left out until it accepts them again. A request
 * goes to another process only when the connection failed, so it never reached an API; a process
 * that dies with the request in flight answers 502, and the client decides whether to send it
 * again (it may have been carried out).
 */

export const HAPROXY_BIN = '/usr/sbin/haproxy';

/**
 * Connection checks this often; two refused in a row take a process out, one accepted puts it back.
 * Not an HTTP check: the API logs every request, and the terminal would fill with probes.
 */
const CHECK_EVERY = '1s';

export function haproxyConfig(opts: { port: number; apiPorts: number[] }): string {
  return `# Written by dev/stack/haproxy.ts at each start of the cluster; edits are lost.
global
  log stdout format raw local0 notice
  maxconn 4096

defaults
  mode http
  log global
  option httplog
  # Only failures reach the log (a process going down or up, a 502): normal traffic stays quiet.
  option dontlog-normal
  option forwardfor
  timeout connect 2s
  # An update may wait on its workflow for a while; the API's own limits answer long before this.
  timeout client 5m
  timeout server 5m
  timeout http-keep-alive 60s
  # Send again only what never reached an API (the default retry-on: a connection that failed),
  # each time to another process.
  retries 2
  option redispatch 1

frontend api
  bind 127.0.0.1:${opts.port}
  default_backend api_processes

backend api_processes
  balance roundrobin
  default-server check inter ${CHECK_EVERY} fall 2 rise 1
${opts.apiPorts.map((p, i) => `  server api-${i + 1} 127.0.0.1:${p}`).join('\n')}
`;
}
