// The few line icons the UI uses (24px grid, stroke = currentColor). Decorative only.
import type { ReactNode } from "react";

function Icon({ className = "size-4", children }: { className?: string; children: ReactNode }) {
  return (
    <svg
      className={className}
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth="1.8"
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
    >
      {children}
    </svg>
  );
}

type P = { className?: string };

export const PlusIcon = ({ className }: P) => (
  <Icon className={className}>
    <path d="M12 5v14M5 12h14" />
  </Icon>
);
export const TrashIcon = ({ className }: P) => (
  <Icon className={className}>
    <path d="M4 7h16M10 11v6M14 11v6M6 7l1 12a2 2 0 0 0 2 2h6a2 2 0 0 0 2-2l1-12M9 7V4h6v3" />
  </Icon>
);
export const PencilIcon = ({ className }: P) => (
  <Icon className={className}>
    <path d="M4 20h4L19 9l-4-4L4 16v4zM13.5 6.5l4 4" />
  </Icon>
);
export const ClusterIcon = ({ className }: P) => (
  <Icon className={className}>
    <circle cx="6" cy="12" r="2.5" />
    <circle cx="18" cy="5" r="2.5" />
    <circle cx="18" cy="12" r="2.5" />
    <circle cx="18" cy="19" r="2.5" />
    <path d="M8.5 12h7M8.2 10.8l7.5-4.6M8.2 13.2l7.5 4.6" />
  </Icon>
);
export const ServerIcon = ({ className }: P) => (
  <Icon className={className}>
    <rect x="3" y="4" width="18" height="7" rx="1.5" />
    <rect x="3" y="13" width="18" height="7" rx="1.5" />
    <path d="M7 7.5h.01M7 16.5h.01" />
  </Icon>
);
export const ServiceIcon = ({ className }: P) => (
  <Icon className={className}>
    <circle cx="12" cy="12" r="8.5" />
    <path d="M3.5 12h17M12 3.5c2.5 2.3 3.5 5.2 3.5 8.5s-1 6.2-3.5 8.5c-2.5-2.3-3.5-5.2-3.5-8.5s1-6.2 3.5-8.5z" />
  </Icon>
);
export const AlertIcon = ({ className }: P) => (
  <Icon className={className}>
    <path d="M12 9v4M12 17h.01M10.3 3.9 2.4 18a2 2 0 0 0 1.7 3h15.8a2 2 0 0 0 1.7-3L13.7 3.9a2 2 0 0 0-3.4 0z" />
  </Icon>
);
export const CheckCircleIcon = ({ className }: P) => (
  <Icon className={className}>
    <circle cx="12" cy="12" r="9" />
    <path d="m8 12 3 3 5-6" />
  </Icon>
);
export const XCircleIcon = ({ className }: P) => (
  <Icon className={className}>
    <circle cx="12" cy="12" r="9" />
    <path d="m9 9 6 6M15 9l-6 6" />
  </Icon>
);
export const PlayIcon = ({ className }: P) => (
  <Icon className={className}>
    <path d="M7 4.5v15l12-7.5z" />
  </Icon>
);
export const ClipboardCheckIcon = ({ className }: P) => (
  <Icon className={className}>
    <path d="M9 4h6v3H9zM9 5.5H6.5A1.5 1.5 0 0 0 5 7v12.5A1.5 1.5 0 0 0 6.5 21h11a1.5 1.5 0 0 0 1.5-1.5V7a1.5 1.5 0 0 0-1.5-1.5H15M9 14l2 2 4-4" />
  </Icon>
);
export const CircleIcon = ({ className }: P) => (
  <Icon className={className}>
    <circle cx="12" cy="12" r="8" />
  </Icon>
);
export const MinusCircleIcon = ({ className }: P) => (
  <Icon className={className}>
    <circle cx="12" cy="12" r="9" />
    <path d="M8 12h8" />
  </Icon>
);
export const ChevronRightIcon = ({ className }: P) => (
  <Icon className={className}>
    <path d="m9 6 6 6-6 6" />
  </Icon>
);
export const RefreshIcon = ({ className }: P) => (
  <Icon className={className}>
    <path d="M20 11a8 8 0 0 0-14.6-4.5L4 8M4 4v4h4M4 13a8 8 0 0 0 14.6 4.5L20 16M20 20v-4h-4" />
  </Icon>
);
export const KeyIcon = ({ className }: P) => (
  <Icon className={className}>
    <circle cx="8" cy="15" r="4" />
    <path d="m10.8 12.2 8.7-8.7M16 7l2.5 2.5M14 9l2 2" />
  </Icon>
);
export const HistoryIcon = ({ className }: P) => (
  <Icon className={className}>
    <path d="M3 12a9 9 0 1 0 3-6.7L3 8M3 3v5h5M12 7v5l3 2" />
  </Icon>
);
export const CopyIcon = ({ className }: P) => (
  <Icon className={className}>
    <rect x="9" y="9" width="11" height="11" rx="2" />
    <path d="M5 15H4a1 1 0 0 1-1-1V4a1 1 0 0 1 1-1h10a1 1 0 0 1 1 1v1" />
  </Icon>
);
