import type { DialogContext } from 'botbuilder-dialogs';

/**
 * The running dialog's own state. botbuilder types `activeDialog` as optional, but inside a
 * dialog's begin/continue/resume it is always this dialog's instance; anything else is a bug.
 */
export function activeState<T>(dc: DialogContext): T {
  const active = dc.activeDialog;
  if (!active) throw new Error('no active dialog');
  return active.state as T;
}

export function setActiveState<T>(dc: DialogContext, state: T): void {
  const active = dc.activeDialog;
  if (!active) throw new Error('no active dialog');
  active.state = state;
}
