// Checks an uploaded private key the way the connection will use it (ssh2's parser), so a bad key
// is reported at upload with a message a person can act on, not later as an auth failure.
import ssh2 from "ssh2";
import { KeyFormatError } from "./errors.ts";

// ssh2 is CommonJS: Node's ESM loader exposes `utils` only on the default export.
const { utils } = ssh2;

export type PrivateKeyCheck = { ok: true; keyType: string } | { ok: false; message: string };

/** Types OpenSSH servers still accept by default; DSA is disabled since 7.0 and removed in 10.0. */
const SUPPORTED_TYPES = new Set([
  "ssh-ed25519",
  "ssh-rsa",
  "ecdsa-sha2-nistp256",
  "ecdsa-sha2-nistp384",
  "ecdsa-sha2-nistp521",
]);

export function checkPrivateKey(privateKey: string, passphrase?: string): PrivateKeyCheck {
  if (privateKey.trim() === "") return { ok: false, message: "the key is empty" };
  // An empty passphrase field in a form means "none"; ssh2 would treat "" as a real passphrase.
  const parsed = utils.parseKey(privateKey, passphrase === "" ? undefined : passphrase);
  if (parsed instanceof Error) return { ok: false, message: explainParseError(parsed.message) };
  const key = Array.isArray(parsed) ? parsed[0] : parsed;
  if (key === undefined) return { ok: false, message: "the file holds no key" };
  if (key.getPrivatePEM() === null) {
    return { ok: false, message: "this is a public key; upload the private key file instead" };
  }
  if (!SUPPORTED_TYPES.has(key.type)) {
    return {
      ok: false,
      message: `unsupported key type ${key.type}; use an ed25519, ECDSA or RSA key`,
    };
  }
  return { ok: true, keyType: key.type };
}

/** Same check, as a typed error for code paths that must not continue with a bad key. */
export function assertPrivateKey(privateKey: string, passphrase?: string): string {
  const check = checkPrivateKey(privateKey, passphrase);
  if (!check.ok) throw new KeyFormatError(`private key: ${check.message}`, { field: "privateKey" });
  return check.keyType;
}

function explainParseError(raw: string): string {
  if (/no passphrase given/i.test(raw)) {
    return "the key is encrypted; enter its passphrase";
  }
  if (/bad passphrase|bad decrypt|integrity check failed/i.test(raw)) {
    return "wrong passphrase (the key could not be decrypted)";
  }
  const type = /Unsupported OpenSSH private key type: (.*)$/.exec(raw);
  if (type) return `unsupported key type ${type[1]}; use an ed25519, ECDSA or RSA key`;
  if (/Unsupported (cipher|kdf)/i.test(raw)) {
    return `the key is encrypted in a way that is not supported (${raw}); re-encrypt it with ssh-keygen -p`;
  }
  if (/Unsupported key format/i.test(raw)) {
    return "malformed or unrecognised key; expected an OpenSSH, PEM (RSA/EC) or PuTTY private key";
  }
  return `malformed key (${raw})`;
}
