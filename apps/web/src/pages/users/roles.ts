// How roles are named and explained on screen.
import type { Role } from "../../api/types.ts";

export const ROLE_OPTIONS: { value: Role; label: string; description: string }[] = [
  { value: "viewer", label: "Viewer", description: "see everything, change nothing" },
  {
    value: "operator",
    label: "Operator",
    description: "edit clusters and hosts, plan and apply",
  },
  { value: "admin", label: "Admin", description: "can do everything, including managing users" },
];

export function roleLabel(role: string): string {
  return ROLE_OPTIONS.find((option) => option.value === role)?.label ?? role;
}

/** Same rule as the API: 2-32 lowercase letters, digits, _ . - starting with a letter. */
export function usernameError(username: string): string | undefined {
  if (username.trim() === "") return "is required";
  return /^[a-z][a-z0-9_.-]{1,31}$/.test(username.trim())
    ? undefined
    : "must be 2-32 lowercase letters, digits, _ . - starting with a letter";
}

export function passwordError(password: string, required: boolean): string | undefined {
  if (password === "") return required ? "is required" : undefined;
  if (password.length < 8) return "must be at least 8 characters";
  if (password.length > 1024) return "must be at most 1024 characters";
  return undefined;
}
