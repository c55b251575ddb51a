/**
 * The client's `Chrystoki.conf` as `get-client-configuration` writes it for a Luna SA client
 * (5.3 layout by default): a pure function of the client's name, its trusted servers, its HA groups
 * and its HA settings. The planner renders the file it expects and compares it with the observed
 * one; the emulator renders the file it writes with the same function, so both always agree.
 *
 * The file depends only on the sets given, never on the order things were added: servers are
 * listed by address and groups by label (a group's members keep their order, since the first
 * member names the virtual token).
 */

/** Luna client software version; it decides the install paths. */
export type LunaClientVersion = '5.1' | '5.3';

/** NTLS port of the appliances (`ServerPortNN`). */
export const NTLS_PORT = 1792;

/** Install directory of the Luna client, by version. */
export const LUNA_CLIENT_DIR: Record<LunaClientVersion, string> = {
  '5.3': '/usr/safenet/lunaclient',
  '5.1': '/usr/lunasa',
};

/** One HA group (virtual token) in the client's configuration. */
export interface ChrystokiGroup {
  /** HAPG label (`VirtualTokenNNLabel`, and the `HASynchronize` key). */
  label: string;
  /** Virtual-token serial: `1` followed by the first member's partition serial. */
  serial: string;
  /** Member partition serials, in member order; a group with none is left out of the file. */
  members: string[];
}

/** The HA settings that make up `HAConfiguration` (a subset of `HaSettings`). */
export interface ChrystokiHa {
  /** Whether autoRecovery is enabled; when disabled `reconnAtt` is 0. */
  autoRecovery: boolean;
  /** Retry count (`reconnAtt`): -1 (infinite) or 0..500. */
  retry: number;
  /** Seconds between recovery attempts (`AutoReconnectInterval`). */
  interval: number;
}

/** Everything `Chrystoki.conf` is made of. */
export interface ChrystokiInput {
  /** Client instance name (names its certificate files). */
  clientName: string;
  /** ENI IPs of the trusted servers (`vtl addServer`); duplicates are ignored. */
  servers: string[];
  /** The HA groups the client is registered to. */
  groups: ChrystokiGroup[];
  ha: ChrystokiHa;
  /** Defaults to `5.3`. */
  clientVersion?: LunaClientVersion;
}

/** Path of the client certificate `vtl createCert -n NAME` writes. */
export function clientCertificatePath(clientName: string, version: LunaClientVersion = '5.3'): string {
  return `${LUNA_CLIENT_DIR[version]}/cert/client/${clientName}.pem`;
}

/** Directory `get-client-configuration --cert-directory` puts the server certificates in. */
export function serverCertificateDir(version: LunaClientVersion = '5.3'): string {
  return `${LUNA_CLIENT_DIR[version]}/cert/server`;
}

/** Renders `Chrystoki.conf`, ending with a newline. */
export function renderChrystokiConf(input: ChrystokiInput): string {
  return (
    renderChrystokiConfWithoutHa(input) +
    section('HAConfiguration', [
      `reconnAtt = ${input.ha.autoRecovery ? input.ha.retry : 0}`,
      `AutoReconnectInterval = ${input.ha.interval}`,
      'HAOnly = 1',
    ])
  );
}

/**
 * `Chrystoki.conf` without its `HAConfiguration` section: exactly
 * `withoutHaConfiguration(renderChrystokiConf(input))`, at less cost (what the planner compares).
 */
export function renderChrystokiConfWithoutHa(input: Omit<ChrystokiInput, 'ha'>): string {
  const version = input.clientVersion ?? '5.3';
  const dir = LUNA_CLIENT_DIR[version];
  const servers = sortAddresses([...new Set(input.servers)]);
  const groups = input.groups.filter((g) => g.members.length > 0).sort((a, b) => compareText(a.label, b.label));

  const sections: string[] = [
    fixedSections(version),
    section('LunaSA Client', [
      'ReceiveTimeout = 20000',
      `SSLConfigFile = ${dir}/bin/openssl.cnf`,
      `ClientPrivKeyFile = ${dir}/cert/client/${input.clientName}Key.pem`,
      `ClientCertFile = ${clientCertificatePath(input.clientName, version)}`,
      `ServerCAFile = ${serverCertificateDir(version)}/CAFile.pem`,
      'NetClient = 1',
      ...servers.flatMap((ip, i) => [`ServerName${nn(i)} = ${ip}`, `ServerPort${nn(i)} = ${NTLS_PORT}`, `ServerHtl${nn(i)} = 0`]),
    ]),
  ];
  if (groups.length > 0) {
    sections.push(
      section(
        'VirtualToken',
        groups.flatMap((g, i) => [
          `VirtualToken${nn(i)}Label = ${g.label}`,
          `VirtualToken${nn(i)}SN = ${g.serial}`,
          `VirtualToken${nn(i)}Members = ${g.members.join(',')}`,
        ]),
      ),
      section('HASynchronize', groups.map((g) => `${g.label} = 1`)),
    );
  }
  return `${sections.join('\n')}\n`;
}

/** The sections that are the same in every client's file of a version, rendered once. */
const fixed = new Map<LunaClientVersion, string>();
function fixedSections(version: LunaClientVersion): string {
  let text = fixed.get(version);
  if (text !== undefined) return text;
  const libDir = version === '5.3' ? `${LUNA_CLIENT_DIR[version]}/lib` : '/usr/lib';
  text = [
    section('Chrystoki2', [`LibUNIX = ${libDir}/libCryptoki2.so`, `LibUNIX64 = ${libDir}/libCryptoki2_64.so`]),
    section('Luna', [
      'DefaultTimeOut = 500000',
      'PEDTimeout1 = 100000',
      'PEDTimeout2 = 200000',
      'PEDTimeout3 = 10000',
      'KeypairGenTimeOut = 2700000',
      'CloningCommandTimeOut = 300000',
    ]),
    section('CardReader', ['RemoteCommand = 1']),
  ].join('\n');
  fixed.set(version, text);
  return text;
}

/**
 * The file without its `HAConfiguration` section. That section belongs to `vtl haAdmin`
 * (`client.setAutoRecovery`), so the planner compares files with it left out.
 */
export function withoutHaConfiguration(conf: string): string {
  return conf.replace(/^HAConfiguration = \{\n(?:[^}\n]*\n)*?\}\n?/m, '');
}

function section(name: string, entries: string[]): string {
  return `${name} = {\n${entries.map((e) => `   ${e};\n`).join('')}}\n`;
}

function nn(i: number): string {
  return String(i).padStart(2, '0');
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** IPv4 addresses in numeric order; anything else after them, as text. */
function sortAddresses(addresses: string[]): string[] {
  // Each address is parsed once, not at every comparison.
  const keyed = addresses.map((text) => ({ text, ip: ipv4(text) }));
  keyed.sort((a, b) => {
    if (a.ip !== null && b.ip !== null) {
      for (let i = 0; i < 4; i++) if (a.ip[i] !== b.ip[i]) return a.ip[i]! - b.ip[i]!;
      return 0;
    }
    if (a.ip !== null) return -1;
    if (b.ip !== null) return 1;
    return compareText(a.text, b.text);
  });
  return keyed.map((k) => k.text);
}

function ipv4(text: string): number[] | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  return m === null ? null : m.slice(1).map(Number);
}
