/** The help overlay: every keyboard shortcut (from the one list in canvas/shortcuts.ts). */
import { SHORTCUTS } from "../canvas/shortcuts";
import { useUiStore } from "../store/uiStore";

export function HelpOverlay() {
  const open = useUiStore((s) => s.helpOpen);
  const setOpen = useUiStore((s) => s.setHelpOpen);
  if (!open) return null;
  return (
    <div className="modal-backdrop" onMouseDown={() => setOpen(false)}>
      <div className="modal" role="dialog" aria-label="Keyboard shortcuts" onMouseDown={(e) => e.stopPropagation()}>
        <header className="modal-head">
          <h2>Keyboard shortcuts</h2>
          <button type="button" className="close" aria-label="Close" onClick={() => setOpen(false)}>×</button>
        </header>
        <table className="shortcuts">
          <tbody>
            {SHORTCUTS.map((s) => (
              <tr key={s.id}>
                <td className="keys">{s.keys.split(" · ").map((k) => <kbd key={k}>{k}</kbd>)}</td>
                <td>{s.label}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <p className="muted small">On a Mac, Cmd works wherever Ctrl is listed. Drag from an output port to an input port of a matching type to connect.</p>
      </div>
    </div>
  );
}
