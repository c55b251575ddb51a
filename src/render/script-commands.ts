import type { DesiredFleet } from '../config/types.js';
import { clientCertificatePath, serverCertificateDir } from '../fleet/chrystoki.js';
import { shortId } from '../fleet/resolve.js';
import { PROTECT_TAG, PROTECT_VALUE } from '../fleet/tags.js';
import type { ActionKind, ActionOf } from '../reconcile/plan/types.js';

/**
 * The real commands behind each action kind, as an operator would type them against real devices:
 * the CloudHSM CLI and `vtl` on the client instance, `lunash` on an appliance over SSH. Values
 * known only after an earlier step, and every secret, are `<placeholders>`.
 */

/** Where a block of commands runs. */
export type Where = { on: 'admin' } | { on: 'client'; client: string } | { on: 'hsm'; hsm: string; host: string };

/** One block of commands for one place. */
export interface CommandBlock {
  where: Where;
  lines: string[];
}

/** Placeholders for values that are not known (or never shown). */
export const placeholder = {
  arn: (name: string) => `<${name}-arn>`,
  ip: (hsm: string) => `<${hsm}-ip>`,
  cloningDomain: (hsm: string) => `<cloning-domain:${hsm}>`,
  soPassword: (hsm: string) => `<so-password:${hsm}>`,
  partitionPassword: (hapg: string) => `<partition-password:${hapg}>`,
  /** `<hapg-id>_<hsm-serial>`, with the group's id when it exists. */
  partition: (hapg: string, hsm: string, hapgArn?: string) => `${hapgArn !== undefined ? shortId(hapgArn) : `<${hapg}-id>`}_<${hsm}-serial>`,
};

type Context = { desired: DesiredFleet };
type Builder<K extends ActionKind> = (a: ActionOf<K>['params'], ctx: Context) => CommandBlock[];

const admin = (...lines: string[]): CommandBlock => ({ where: { on: 'admin' }, lines });
const client = (name: string, ...lines: string[]): CommandBlock => ({ where: { on: 'client', client: name }, lines });
const lunash = (hsm: string, host: string | undefined, ...lines: string[]): CommandBlock => ({
  where: { on: 'hsm', hsm, host: host ?? placeholder.ip(hsm) },
  lines,
});

const hsmArn = (p: { hsmName: string; hsmArn?: string }) => p.hsmArn ?? placeholder.arn(p.hsmName);
const hapgArn = (p: { hapgLabel: string; hapgArn?: string }) => p.hapgArn ?? placeholder.arn(p.hapgLabel);
const clientArn = (p: { clientName: string; clientArn?: string }) => p.clientArn ?? placeholder.arn(p.clientName);
const hostOf = (p: { hsmName: string; host?: string }) => p.host ?? placeholder.ip(p.hsmName);

const addProtectTag = (arn: string) => `cloudhsm add-tags-to-resource --resource-arn ${arn} --tag-list Key=${PROTECT_TAG},Value=${PROTECT_VALUE}`;

function sshKeyFile(hsmName: string, ctx: Context): string {
  const ref = ctx.desired.hsms.find((h) => h.name === hsmName)?.sshPublicKey?.ref;
  return ref !== undefined && 'file' in ref ? ref.file : '<ssh-public-key-file>';
}

export const COMMANDS = {
  'hsm.create': (p, ctx) => [
    admin(
      `cloudhsm create-hsm --subnet-id ${p.subnetId ?? `<subnet-id:${p.availabilityZone}>`} --ssh-public-key-file ${sshKeyFile(p.hsmName, ctx)} --iam-role-arn <iam-role-arn>${p.syslogIp !== undefined ? ` --syslog-ip ${p.syslogIp}` : ''}`,
      `# note the HsmArn as ${placeholder.arn(p.hsmName)}; wait until describe-hsm reports RUNNING; its EniIp is ${placeholder.ip(p.hsmName)}`,
      `cloudhsm describe-hsm --hsm-arn ${placeholder.arn(p.hsmName)}`,
      // create-hsm takes no tags: a protected HSM is tagged right after it.
      ...(p.protect === true ? [addProtectTag(placeholder.arn(p.hsmName))] : []),
    ),
  ],
  'hsm.initialize': (p) => [
    admin(
      `cloudhsm initialize-hsm --hsm-arn ${hsmArn(p)} --label ${p.label} --cloning-domain ${placeholder.cloningDomain(p.hsmName)} --so-password ${placeholder.soPassword(p.hsmName)}`,
    ),
  ],
  'hsm.setProtection': (p) => [
    admin(p.protect ? addProtectTag(p.hsmArn) : `cloudhsm remove-tags-from-resource --resource-arn ${p.hsmArn} --tag-key-list ${PROTECT_TAG}`),
  ],
  'hsm.zeroize': (p) => [lunash(p.hsmName, p.host, 'hsm zeroize -force')],
  'hsm.delete': (p) => [admin(`cloudhsm delete-hsm --hsm-arn ${hsmArn(p)}`)],
  'client.create': (p) => [
    client(p.clientName, `vtl createCert -n ${p.clientName}`),
    admin(
      `cloudhsm create-client --certificate-file ${clientCertificatePath(p.clientName)}`,
      `# note the ClientARN as ${placeholder.arn(p.clientName)}`,
    ),
  ],
  'client.delete': (p) => [admin(`cloudhsm delete-client --client-arn ${clientArn(p)}`)],
  'client.addServer': (p) => [
    client(p.clientName, `scp manager@${hostOf(p)}:server.pem server.pem`, `vtl addServer -n ${hostOf(p)} -c server.pem`),
  ],
  'client.deleteServer': (p) => [client(p.clientName, `vtl deleteServer -n ${p.host}`)],
  'hsm.registerClient': (p) => [
    client(p.clientName, `scp ${clientCertificatePath(p.clientName)} manager@${hostOf(p)}:`),
    lunash(p.hsmName, p.host, `client register -client ${p.clientName} -hostname ${p.hostname}`),
  ],
  'hsm.deregisterClient': (p) => [lunash(p.hsmName, p.host, `client delete -client ${p.clientName}`)],
  'partition.assign': (p) => [
    lunash(p.hsmName, p.host, `client assignPartition -client ${p.clientName} -partition ${p.partitionName ?? placeholder.partition(p.hapgLabel, p.hsmName, p.hapgArn)}`),
  ],
  'partition.revoke': (p) => [lunash(p.hsmName, p.host, `client revokePartition -client ${p.clientName} -partition ${p.partitionName}`)],
  'hapg.create': (p) => [admin(`cloudhsm create-hapg --group-label ${p.hapgLabel}`, `# note the HapgArn as ${placeholder.arn(p.hapgLabel)}`)],
  'hapg.delete': (p) => [admin(`cloudhsm delete-hapg --hapg-arn ${hapgArn(p)}`)],
  'hapg.addMember': (p) => [
    admin(
      `cloudhsm add-hsm-to-hapg --hsm-arn ${hsmArn(p)} --hapg-arn ${hapgArn(p)} --cloning-domain ${placeholder.cloningDomain(p.hsmName)} --partition-password ${placeholder.partitionPassword(p.hapgLabel)} --so-password ${placeholder.soPassword(p.hsmName)}`,
    ),
  ],
  'hapg.removeMember': (p) => [admin(`cloudhsm remove-hsm-from-hapg --hsm-arn ${hsmArn(p)} --hapg-arn ${hapgArn(p)}`)],
  'hapg.registerClient': (p) => [admin(`cloudhsm register-client-to-hapg --client-arn ${clientArn(p)} --hapg-arn ${hapgArn(p)}`)],
  'hapg.deregisterClient': (p) => [admin(`cloudhsm deregister-client-from-hapg --client-arn ${clientArn(p)} --hapg-arn ${hapgArn(p)}`)],
  'client.writeConfig': (p) => [
    admin(
      `cloudhsm get-client-configuration --client-arn ${clientArn(p)}${p.hapgLabels.map((g) => ` --hapg-arn ${p.hapgArns[g] ?? placeholder.arn(g)}`).join('')} --cert-directory ${serverCertificateDir()} --config-directory /etc/`,
    ),
  ],
  'client.setAutoRecovery': (p) => [
    client(p.clientName, p.autoRecovery ? `vtl haAdmin -autoRecovery -retry ${p.retry} -interval ${p.interval}` : 'vtl haAdmin -autoRecovery -disable'),
  ],
  'hapg.recoverMember': (p) => [client(p.clientName, `vtl haAdmin -recover -group ${p.hapgLabel} -serial ${p.hsmSerial}`)],
} satisfies { [K in ActionKind]: Builder<K> };
