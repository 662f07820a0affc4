/**
 * Which run the canvas shows, and following it live: one WebSocket at a time, catching up with
 * `?after=<last applied seq>` on every reconnect. Finished runs are shown from REST alone.
 */
import { fetchRun, fetchRuns } from "../api/queries/use-list-runs";
import { keys } from "../api/queries/keys";
import { queryClient } from "../api/queryClient";
import { openRunSocket } from "../api/runSocket";
import type { Run } from "../api/types";
import { isRunActive, useRunStore } from "../store/runStore";
import { useUiStore } from "../store/uiStore";

let closeSocket: (() => void) | null = null;

export function stopFollowing(): void {
  closeSocket?.();
  closeSocket = null;
}

/** Follow run `runId` over its WebSocket into the run store. */
export function followRun(runId: number, workflowId?: number): void {
  stopFollowing();
  const runs = useRunStore.getState;
  closeSocket = openRunSocket(runId, {
    after: () => (runs().runId === runId ? runs().lastSeq : 0),
    onEvents: (events) => {
      runs().applyEvents(events);
      if (workflowId !== undefined && events.some((e) => e.type === "run.finished")) {
        void queryClient.invalidateQueries({ queryKey: keys.runs(workflowId) });
      }
    },
    onStateChange: (state, detail) => {
      runs().setSocket(state);
      if (state === "refused") useUiStore.getState().showToast(`Live updates stopped: ${detail}.`, "error");
    },
  });
}

/** Show `run` on the canvas (statuses, outputs), following it live while it is unfinished. */
export function showRun(run: Run): void {
  useRunStore.getState().startRun(run);
  if (isRunActive(run)) followRun(run.id, run.workflow);
  else stopFollowing();
}

export async function showRunById(runId: number): Promise<void> {
  showRun(await fetchRun(runId));
}

/** On opening a workflow: show its latest run, if any (so a finished run's results are there). */
export async function showLatestRun(workflowId: number): Promise<void> {
  const page = await fetchRuns(workflowId, 1);
  const latest = page.results[0];
  if (latest && useRunStore.getState().runId === null) await showRunById(latest.id);
}
