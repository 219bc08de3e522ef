import { isIP } from 'node:net';

/**
 * Whether the API's listen address keeps it to this machine: `localhost`, 127.0.0.0/8 or ::1
 * (also as an IPv4-mapped address). A wildcard (`0.0.0.0`, `::`) or any other address opens the
 * port to the network, where access control and the outbound URL policy apply.
 */
export function isLoopbackBind(host: string): boolean {
  const name = host.trim().toLowerCase().replace(/^\[(.*)\]$/, '$1');
  if (name === 'localhost') return true;
  if (isIP(name) === 4) return name.startsWith('127.');
  if (isIP(name) === 6) return name === '::1' || /^::ffff:127\./.test(name) || /^(0{1,4}:){7}0{0,3}1$/.test(name);
  return false;
}
