// Modal dialog on the native <dialog>: focus trap, Escape and the inert background come free.
import { type ReactNode, useEffect, useId, useRef } from "react";

export interface DialogProps {
  title: string;
  description?: ReactNode;
  onClose: () => void;
  children: ReactNode;
  size?: "md" | "lg" | "xl";
  /** Kept in view below the scrolling body (long content such as a plan). */
  footer?: ReactNode;
}

const widths = { md: "max-w-lg", lg: "max-w-2xl", xl: "max-w-5xl" };

/** Render it only while open; it opens itself as a modal when mounted. */
export function Dialog({
  title,
  description,
  onClose,
  children,
  size = "md",
  footer,
}: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const descriptionId = useId();

  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => dialog?.close();
  }, []);

  const heading = (
    <>
      <h2 id={titleId} className="text-base font-semibold text-slate-900">
        {title}
      </h2>
      {description ? (
        <div id={descriptionId} className="mt-1 text-sm text-slate-500">
          {description}
        </div>
      ) : null}
    </>
  );

  return (
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      aria-describedby={description ? descriptionId : undefined}
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
      className={`m-auto w-[calc(100%-2rem)] ${widths[size]} rounded-xl bg-white p-0 text-slate-900 shadow-xl ring-1 ring-slate-900/10 backdrop:bg-slate-900/40 backdrop:backdrop-blur-[1px]`}
    >
      {footer ? (
        <div className="flex max-h-[calc(100dvh-3rem)] flex-col">
          <div className="border-b border-slate-200 px-6 pt-5 pb-4">{heading}</div>
          <div className="min-h-0 flex-1 overflow-y-auto px-6 py-5">{children}</div>
          <div className="flex flex-wrap items-center justify-end gap-2 border-t border-slate-200 bg-slate-50 px-6 py-3">
            {footer}
          </div>
        </div>
      ) : (
        <div className="max-h-[calc(100dvh-4rem)] overflow-y-auto p-6">
          {heading}
          <div className="mt-5">{children}</div>
        </div>
      )}
    </dialog>
  );
}

/**
 * The row of buttons at the bottom of a dialog form. It sticks to the bottom of the dialog while
 * a tall form scrolls under it, so Save is always in view. It reaches the dialog's edges over the
 * body's padding (p-6), and sticks that far below the padded edge (sticky offsets count from
 * inside the scroller's padding), so nothing shows through below it.
 */
export function DialogActions({ children }: { children: ReactNode }) {
  return (
    <div className="sticky -bottom-6 z-10 -mx-6 -mb-6 mt-6 flex flex-wrap justify-end gap-2 rounded-b-xl border-t border-slate-200 bg-white px-6 py-4">
      {children}
    </div>
  );
}
