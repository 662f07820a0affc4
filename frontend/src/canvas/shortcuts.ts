/** The keyboard shortcuts, listed once: the help overlay shows this list, useShortcuts acts on it. */

export interface Shortcut {
  id: string;
  keys: string;
  label: string;
}

export const SHORTCUTS: Shortcut[] = [
  { id: "search", keys: "Double-click canvas · Ctrl K", label: "Quick search: add a component" },
  { id: "undo", keys: "Ctrl Z", label: "Undo" },
  { id: "redo", keys: "Ctrl Shift Z · Ctrl Y", label: "Redo" },
  { id: "copy", keys: "Ctrl C · Ctrl X · Ctrl V", label: "Copy, cut, paste (also between workflows)" },
  { id: "duplicate", keys: "Ctrl D", label: "Duplicate the selection" },
  { id: "selectAll", keys: "Ctrl A", label: "Select every node" },
  { id: "delete", keys: "Delete · Backspace", label: "Delete the selection" },
  { id: "box", keys: "Shift drag", label: "Box select" },
  { id: "layout", keys: "L", label: "Auto-layout" },
  { id: "fit", keys: "F", label: "Zoom to fit" },
  { id: "run", keys: "Ctrl Enter", label: "Run the workflow" },
  { id: "help", keys: "?", label: "Show or hide this help" },
  { id: "escape", keys: "Esc", label: "Close dialogs, clear the selection" },
];

/** True when the key event belongs to a text field (then canvas shortcuts stay out of the way). */
export function isTyping(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el || typeof el.tagName !== "string") return false;
  return el.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(el.tagName);
}
