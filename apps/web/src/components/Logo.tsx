// The product mark: one director fanning out to three realservers.
export function Logo({ className = "size-8" }: { className?: string }) {
  return (
    <svg className={className} viewBox="0 0 32 32" aria-hidden="true">
      <rect width="32" height="32" rx="7" fill="#4f46e5" />
      <circle cx="9" cy="16" r="3.5" fill="#fff" />
      <circle cx="23" cy="8.5" r="3" fill="#c7d2fe" />
      <circle cx="23" cy="16" r="3" fill="#c7d2fe" />
      <circle cx="23" cy="23.5" r="3" fill="#c7d2fe" />
      <path d="M12 16h8M12 15l8-6M12 17l8 6" stroke="#fff" strokeWidth="1.6" fill="none" />
    </svg>
  );
}
