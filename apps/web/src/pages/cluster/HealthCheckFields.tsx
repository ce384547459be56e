// The service dialog's keepalived section: how a realserver is checked, what its failure does,
// and the sorry server. Shown on the keepalived engine only; what it means in one line below it.

import { SelectField, TextField } from "../../components/Field.tsx";
import type { FieldErrors } from "../../forms/formErrors.ts";
import {
  detectionLine,
  type HealthCheckFormValues,
  isHttpCheck,
} from "../../forms/healthCheckForm.ts";

export function HealthCheckFields({
  values,
  onChange,
  errors,
}: {
  values: HealthCheckFormValues;
  onChange: (change: Partial<HealthCheckFormValues>) => void;
  errors: FieldErrors;
}) {
  const checking = values.type !== "none";
  const http = isHttpCheck(values.type);
  const consequence = detectionLine(values);
  const error = (field: string) => errors[`healthCheck.${field}`];
  return (
    <fieldset className="space-y-4 border-t border-slate-100 pt-4">
      <legend className="sr-only">Health check</legend>
      <div className="grid gap-4 sm:grid-cols-2">
        <SelectField
          label="Health check"
          name="healthCheck.type"
          value={values.type}
          onChange={(e) => onChange({ type: e.target.value })}
          error={error("type") ?? errors.healthCheck}
          hint="How keepalived decides that a realserver is alive."
        >
          <option value="tcp">TCP connect</option>
          <option value="http">HTTP GET</option>
          <option value="https">HTTPS GET</option>
          <option value="none">None (never taken out)</option>
        </SelectField>
        {checking ? (
          <TextField
            label="Check port"
            name="healthCheck.port"
            inputMode="numeric"
            placeholder="Realserver's port"
            value={values.port}
            onChange={(e) => onChange({ port: e.target.value })}
            hint="Empty: each realserver's port (a realserver's own check port wins)."
            error={error("port")}
          />
        ) : null}
      </div>
      {http ? (
        <div className="grid gap-4 sm:grid-cols-[1fr_8rem_1fr]">
          <TextField
            label="Path"
            name="healthCheck.path"
            placeholder="/"
            spellCheck={false}
            value={values.path}
            onChange={(e) => onChange({ path: e.target.value })}
            hint="Empty: /"
            error={error("path")}
          />
          <TextField
            label="Expected status"
            name="healthCheck.expectStatus"
            inputMode="numeric"
            placeholder="2xx"
            value={values.expectStatus}
            onChange={(e) => onChange({ expectStatus: e.target.value })}
            hint="Empty: any 2xx."
            error={error("expectStatus")}
          />
          <TextField
            label="Host header"
            name="healthCheck.host"
            placeholder="Optional"
            spellCheck={false}
            value={values.host}
            onChange={(e) => onChange({ host: e.target.value })}
            hint="e.g. www.example.com"
            error={error("host")}
          />
        </div>
      ) : null}
      {checking ? (
        <div className="grid gap-4 sm:grid-cols-3">
          <TextField
            label="Interval (seconds)"
            name="healthCheck.intervalSeconds"
            inputMode="numeric"
            value={values.intervalSeconds}
            onChange={(e) => onChange({ intervalSeconds: e.target.value })}
            hint="Between checks."
            error={error("intervalSeconds")}
          />
          <TextField
            label="Timeout (seconds)"
            name="healthCheck.timeoutSeconds"
            inputMode="numeric"
            value={values.timeoutSeconds}
            onChange={(e) => onChange({ timeoutSeconds: e.target.value })}
            hint="For an answer."
            error={error("timeoutSeconds")}
          />
          <TextField
            label="Retries"
            name="healthCheck.retries"
            inputMode="numeric"
            value={values.retries}
            onChange={(e) => onChange({ retries: e.target.value })}
            hint="Failures after the first before it is down."
            error={error("retries")}
          />
        </div>
      ) : null}
      {consequence ? <p className="text-sm text-slate-700">{consequence}</p> : null}
      {checking ? (
        <div className="grid gap-4 sm:grid-cols-[1fr_1fr_7rem]">
          <SelectField
            label="On failure"
            name="onFailure"
            value={values.onFailure}
            onChange={(e) => onChange({ onFailure: e.target.value })}
            error={errors.onFailure}
          >
            <option value="quiesce">Quiesce (weight 0, connections finish)</option>
            <option value="remove">Remove from the table</option>
          </SelectField>
          <TextField
            label="Sorry server address"
            name="sorryServer.address"
            placeholder="Optional"
            spellCheck={false}
            value={values.sorryAddress}
            onChange={(e) => onChange({ sorryAddress: e.target.value })}
            hint="Takes new connections while every realserver is down."
            error={errors["sorryServer.address"] ?? errors.sorryServer}
          />
          <TextField
            label="Sorry server port"
            name="sorryServer.port"
            inputMode="numeric"
            value={values.sorryPort}
            onChange={(e) => onChange({ sorryPort: e.target.value })}
            error={errors["sorryServer.port"]}
          />
        </div>
      ) : null}
    </fieldset>
  );
}
