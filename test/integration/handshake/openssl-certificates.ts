/**
 * Test certificates made with the openssl command line: a self-signed one valid for a year, and
 * CA-signed ones with chosen dates (`openssl ca -startdate/-enddate`: OpenSSL 3.0 has no
 * -not_before/-not_after on `req`/`x509`, and backdating needs no faketime this way).
 */
import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface CertificateFiles {
  certificate: string;
  key: string;
  /** SHA-1 thumbprint as openssl prints it, colons removed: the oracle the probe is checked against. */
  thumbprint: string;
  subject: string;
  notBefore: Date;
  notAfter: Date;
}

async function openssl(args: string[], cwd: string): Promise<string> {
  const { stdout } = await run('openssl', args, { cwd });
  return stdout;
}

/** ASN.1 GeneralizedTime for `openssl ca -startdate/-enddate`. */
export function generalizedTime(date: Date): string {
  return `${date.toISOString().replace(/[-:T]/g, '').slice(0, 14)}Z`;
}

async function describe(files: { certificate: string; key: string }, cwd: string): Promise<CertificateFiles> {
  const text = await openssl(['x509', '-in', files.certificate, '-noout', '-fingerprint', '-sha1', '-subject', '-startdate', '-enddate', '-nameopt', 'RFC2253'], cwd);
  const field = (name: string): string => {
    const match = new RegExp(`^${name}=(.*)$`, 'mi').exec(text);
    if (!match?.[1]) throw new Error(`openssl x509 printed no ${name}: ${text}`);
    return match[1].trim();
  };
  return {
    ...files,
    thumbprint: field('sha1 Fingerprint').replace(/:/g, '').toUpperCase(),
    subject: field('subject'),
    notBefore: new Date(field('notBefore')),
    notAfter: new Date(field('notAfter')),
  };
}

const CA_CONFIG = `[ ca ]
default_ca = test_ca
[ test_ca ]
dir = .
database = ./index.txt
new_certs_dir = .
serial = ./serial
default_md = sha256
policy = any
unique_subject = no
copy_extensions = none
[ any ]
commonName = supplied
`;

export class TestCertificateAuthority {
  private constructor(private readonly dir: string) {}

  static async create(dir: string): Promise<TestCertificateAuthority> {
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, 'ca.cnf'), CA_CONFIG);
    await writeFile(path.join(dir, 'index.txt'), '');
    await writeFile(path.join(dir, 'serial'), '1000\n');
    await openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-subj', '/CN=RDP Health Test CA', '-days', '3650'], dir);
    return new TestCertificateAuthority(dir);
  }

  /** A leaf certificate signed by this CA, valid between the two dates. */
  async issue(name: string, notBefore: Date, notAfter: Date): Promise<CertificateFiles> {
    const key = path.join(this.dir, `${name}.key`);
    const csr = path.join(this.dir, `${name}.csr`);
    const certificate = path.join(this.dir, `${name}.pem`);
    await openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', csr, '-subj', `/CN=${name}.rdp-health.test`], this.dir);
    await openssl(
      ['ca', '-batch', '-config', 'ca.cnf', '-cert', 'ca.pem', '-keyfile', 'ca.key', '-in', csr, '-out', certificate, '-notext',
        '-startdate', generalizedTime(notBefore), '-enddate', generalizedTime(notAfter)],
      this.dir,
    );
    return describe({ certificate, key }, this.dir);
  }
}

/** A self-signed certificate, like the one Windows makes for Remote Desktop. */
export async function selfSignedCertificate(dir: string, name: string, days: number, subjectAltName?: string): Promise<CertificateFiles> {
  await mkdir(dir, { recursive: true });
  const key = path.join(dir, `${name}.key`);
  const certificate = path.join(dir, `${name}.pem`);
  const san = subjectAltName ? ['-addext', `subjectAltName=${subjectAltName}`] : [];
  await openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', certificate, '-subj', `/CN=${name}.rdp-health.test`, '-days', String(days), ...san], dir);
  return describe({ certificate, key }, dir);
}
