import { useEffect, useRef, type ReactNode } from 'react';

interface Props {
  labelledBy: string;
  /** Escape or the close button; the owner decides whether closing is allowed right now. */
  onDismiss: () => void;
  children: ReactNode;
  busy?: boolean;
}

/** A modal <dialog>: the browser traps focus and handles Escape; shown while mounted. */
export function Dialog({ labelledBy, onDismiss, children, busy = false }: Props) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => dialog?.close();
  }, []);
  return (
    <dialog
      ref={ref}
      className="dialog"
      aria-labelledby={labelledBy}
      aria-busy={busy}
      onCancel={(event) => {
        event.preventDefault();
        onDismiss();
      }}
    >
      {children}
    </dialog>
  );
}
