// Add or edit an SSH host. Secrets are write-only: editing leaves them alone unless replaced, and
// a new host can reuse another host's stored login without it ever reaching the browser.
import { hostAddressSchema, portSchema, sshUsernameSchema } from "@lvs-panel/lvs";
import { type ChangeEvent, type FormEvent, useState } from "react";
import { useCreateHostMutation, useHostsQuery, useUpdateHostMutation } from "../../api/hosts.ts";
import type { AuthType, Host, HostAuth } from "../../api/types.ts";
import { Button } from "../../components/Button.tsx";
import { Dialog, DialogActions } from "../../components/Dialog.tsx";
import { FormError, SelectField, TextAreaField, TextField } from "../../components/Field.tsx";
import { collect, parseNumber, useFormErrors, validate } from "../../forms/formErrors.ts";

const FIELDS = [
  "name",
  "address",
  "port",
  "username",
  "auth",
  "auth.type",
  "auth.privateKey",
  "auth.passphrase",
  "auth.password",
  "jumpHostId",
  "credentialsFromHostId",
] as const;

const MAX_KEY_BYTES = 16_384;

function keyError(key: string, required: boolean): string | undefined {
  const trimmed = key.trim();
  if (trimmed === "") return required ? "is required" : undefined;
  if (trimmed.length > MAX_KEY_BYTES) return "is too long for an SSH private key";
  if (!trimmed.startsWith("-----BEGIN") && !trimmed.startsWith("PuTTY-User-Key-File")) {
    return "does not look like a private key (expected -----BEGIN … PRIVATE KEY-----)";
  }
  return undefined;
}

export function HostDialog({
  host,
  onClose,
  onCreated,
}: {
  host?: Host;
  onClose: () => void;
  /** A new host was saved: the guided setup (key, Test login) takes over from here. */
  onCreated?: (host: Host) => void;
}) {
  const hosts = useHostsQuery();
  const create = useCreateHostMutation();
  const update = useUpdateHostMutation();
  const mutation = host ? update : create;
  const errors = useFormErrors(FIELDS);

  const [name, setName] = useState(host?.name ?? "");
  const [address, setAddress] = useState(host?.address ?? "");
  const [port, setPort] = useState(String(host?.port ?? 22));
  const [username, setUsername] = useState(host?.username ?? "root");
  const [authType, setAuthType] = useState<AuthType>(host?.authType ?? "key");
  const [privateKey, setPrivateKey] = useState("");
  const [passphrase, setPassphrase] = useState("");
  const [password, setPassword] = useState("");
  const [jumpHostId, setJumpHostId] = useState(host?.jumpHostId ?? "");
  const [credentialsFrom, setCredentialsFrom] = useState("");

  const others = (hosts.data ?? []).filter((h) => h.id !== host?.id);
  const credentialSources = others.filter((h) => h.hasSecret);
  const source = credentialSources.find((h) => h.id === credentialsFrom);
  const chooseCredentials = (id: string) => {
    setCredentialsFrom(id);
    const from = credentialSources.find((h) => h.id === id);
    // The copied login comes with its user and jump host; both stay editable here.
    if (from) {
      setUsername(from.username);
      setJumpHostId(from.jumpHostId ?? "");
      errors.clearField("auth.privateKey");
      errors.clearField("auth.password");
    }
  };

  // A new host, or a switch of method, needs a secret; otherwise an empty field keeps the stored one.
  const secretRequired = !source && (!host || host.authType !== authType || !host.hasSecret);
  const keepHint = secretRequired ? undefined : "Leave empty to keep the stored secret.";

  const onKeyFile = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    if (!file) return;
    if (file.size > MAX_KEY_BYTES) {
      errors.check({ "auth.privateKey": "the file is too large to be an SSH private key" });
      return;
    }
    setPrivateKey(await file.text());
    errors.clearField("auth.privateKey");
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const portValue = parseNumber(port);
    const ok = errors.check(
      collect({
        name: name.trim() === "" ? "is required" : undefined,
        address: validate(hostAddressSchema, address),
        port: validate(portSchema, portValue),
        username: validate(sshUsernameSchema, username),
        "auth.privateKey":
          !source && authType === "key" ? keyError(privateKey, secretRequired) : undefined,
        "auth.password":
          !source && authType === "password" && secretRequired && password === ""
            ? "is required"
            : undefined,
      }),
    );
    if (!ok) return;

    let auth: HostAuth | undefined;
    if (source) auth = undefined;
    else if (authType === "key" && privateKey.trim() !== "") {
      auth = { type: "key", privateKey: `${privateKey.trim()}\n` };
      if (passphrase !== "") auth.passphrase = passphrase;
    } else if (authType === "password" && password !== "") {
      auth = { type: "password", password };
    }
    const input = {
      name: name.trim(),
      address: address.trim(),
      port: portValue as number,
      username: username.trim(),
      jumpHostId: jumpHostId === "" ? null : jumpHostId,
    };
    const onError = errors.showError;
    if (host) {
      update.mutate(
        { id: host.id, ...input, ...(auth ? { auth } : {}) },
        { onSuccess: onClose, onError },
      );
      return;
    }
    const created = { onSuccess: (saved: Host) => (onCreated ?? onClose)(saved), onError };
    if (source) create.mutate({ ...input, credentialsFromHostId: source.id }, created);
    // Otherwise secretRequired holds, so the checks above demanded a secret.
    else if (auth) create.mutate({ ...input, auth }, created);
  };

  return (
    <Dialog
      title={host ? `Edit host ${host.name}` : "Add host"}
      description="How the panel reaches this machine over SSH. Secrets are encrypted at rest and never shown again."
      onClose={onClose}
      size="lg"
    >
      <form onSubmit={onSubmit} noValidate className="space-y-4">
        <FormError message={errors.form} />
        <TextField
          label="Name"
          name="name"
          autoFocus
          placeholder="director-1"
          value={name}
          onChange={(e) => setName(e.target.value)}
          error={errors.fields.name}
        />
        <div className="grid gap-4 sm:grid-cols-[1fr_6rem_10rem]">
          <TextField
            label="Address"
            name="address"
            placeholder="192.0.2.1 or lb1.example.net"
            spellCheck={false}
            value={address}
            onChange={(e) => setAddress(e.target.value)}
            error={errors.fields.address}
          />
          <TextField
            label="Port"
            name="port"
            inputMode="numeric"
            value={port}
            onChange={(e) => setPort(e.target.value)}
            error={errors.fields.port}
          />
          <TextField
            label="Username"
            name="username"
            spellCheck={false}
            autoComplete="off"
            value={username}
            onChange={(e) => setUsername(e.target.value)}
            error={errors.fields.username}
          />
        </div>
        {!host && credentialSources.length > 0 ? (
          <SelectField
            label="Credentials"
            name="credentialsFrom"
            value={credentialsFrom}
            onChange={(e) => chooseCredentials(e.target.value)}
            hint={
              source
                ? `Logs in as ${username || source.username} with ${source.name}'s stored ${source.authType === "key" ? "private key" : "password"}; it is copied on the server and never shown.`
                : "Reuse the login of a host already added, e.g. the director's, instead of pasting the key again."
            }
            error={errors.fields.credentialsFromHostId}
          >
            <option value="">Enter a key or password</option>
            {credentialSources.map((h) => (
              <option key={h.id} value={h.id}>
                Same credentials as {h.name}
              </option>
            ))}
          </SelectField>
        ) : null}
        {source ? null : (
          <>
            <SelectField
              label="Authentication"
              name="authType"
              value={authType}
              onChange={(e) => setAuthType(e.target.value as AuthType)}
              error={errors.fields.auth ?? errors.fields["auth.type"]}
            >
              <option value="key">SSH private key</option>
              <option value="password">Password</option>
            </SelectField>
            {authType === "key" ? (
              <div className="space-y-4 rounded-lg bg-slate-50 p-4 ring-1 ring-inset ring-slate-200">
                <TextAreaField
                  label="Private key"
                  name="privateKey"
                  rows={6}
                  spellCheck={false}
                  autoComplete="off"
                  placeholder={
                    secretRequired
                      ? "-----BEGIN OPENSSH PRIVATE KEY-----\n…\n-----END OPENSSH PRIVATE KEY-----"
                      : "Stored. Paste a new key to replace it."
                  }
                  value={privateKey}
                  onChange={(e) => setPrivateKey(e.target.value)}
                  hint={keepHint ?? "Paste the key, or load it from a file below."}
                  error={errors.fields["auth.privateKey"]}
                />
                <div className="flex flex-wrap items-end gap-4">
                  <KeyFileInput onChange={onKeyFile} />
                  <TextField
                    label="Passphrase"
                    name="passphrase"
                    type="password"
                    autoComplete="new-password"
                    className="min-w-48 flex-1"
                    placeholder={host?.hasPassphrase ? "Stored" : "None"}
                    value={passphrase}
                    onChange={(e) => setPassphrase(e.target.value)}
                    error={errors.fields["auth.passphrase"]}
                  />
                </div>
              </div>
            ) : (
              <TextField
                label="Password"
                name="password"
                type="password"
                autoComplete="new-password"
                placeholder={secretRequired ? "" : "Stored"}
                value={password}
                onChange={(e) => setPassword(e.target.value)}
                hint={keepHint}
                error={errors.fields["auth.password"]}
              />
            )}
          </>
        )}
        <SelectField
          label="Jump host"
          name="jumpHostId"
          value={jumpHostId}
          onChange={(e) => setJumpHostId(e.target.value)}
          hint="Optional: reach this host through another one (ssh -J), e.g. a realserver only the director can reach."
          error={errors.fields.jumpHostId}
        >
          <option value="">Direct connection</option>
          {others.map((h) => (
            <option key={h.id} value={h.id}>
              {h.name} ({h.address})
            </option>
          ))}
        </SelectField>
        <DialogActions>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" pending={mutation.isPending}>
            Save
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}

function KeyFileInput({ onChange }: { onChange: (event: ChangeEvent<HTMLInputElement>) => void }) {
  return (
    <div>
      <label htmlFor="host-key-file" className="mb-1.5 block text-sm font-medium text-slate-700">
        Key file
      </label>
      <input
        id="host-key-file"
        type="file"
        onChange={onChange}
        className="block text-sm text-slate-600 file:mr-3 file:h-9 file:rounded-md file:border-0 file:bg-white file:px-3 file:text-sm file:font-medium file:text-slate-700 file:shadow-sm file:ring-1 file:ring-inset file:ring-slate-300 hover:file:bg-slate-50"
      />
    </div>
  );
}
