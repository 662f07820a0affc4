/**
 * Run, Run from here, Run to here, Retry failed, Cancel: save, validate (problems go to the nodes),
 * start the run, then follow it over the WebSocket into the run store.
 */
import { useCallback } from "react";
import { ApiError } from "../api/client";
import { useCancelRun } from "../api/queries/use-cancel-run";
import { useStartRun } from "../api/queries/use-start-run";
import { useValidateWorkflow } from "../api/queries/use-validate-workflow";
import { openRunSocket } from "../api/runSocket";
import type { RunOptions } from "../api/types";
import { useRunStore } from "../store/runStore";
import { useUiStore } from "../store/uiStore";
import { useValidationStore } from "../store/validationStore";
import { useEnsureSaved } from "./useWorkflowSession";

let closeSocket: (() => void) | null = null;

/** Follow run `runId` (one socket at a time). */
export function followRun(runId: number): void {
  closeSocket?.();
  closeSocket = openRunSocket(runId, { onEvents: (events) => useRunStore.getState().applyEvents(events) });
}

const message = (err: unknown): string => (err instanceof Error ? err.message : String(err));

export function useRunActions() {
  const ensureSaved = useEnsureSaved();
  const validate = useValidateWorkflow();
  const start = useStartRun();
  const cancel = useCancelRun();
  const toast = useUiStore((s) => s.showToast);

  const run = useCallback(async (options: RunOptions = {}) => {
    try {
      const id = await ensureSaved();
      const result = await validate.mutateAsync(id);
      useValidationStore.getState().setResult(result.errors, result.schemas);
      if (!result.valid) {
        const n = result.errors.length;
        toast(`${n} problem${n === 1 ? "" : "s"} to fix first: see the marked nodes.`, "error");
        return;
      }
      const started = await start.mutateAsync({ id, ...options, use_cache: options.use_cache ?? useUiStore.getState().useCache });
      useRunStore.getState().startRun(started);
      followRun(started.id);
      toast(`Run ${started.id} started.`);
    } catch (err) {
      if (err instanceof ApiError && err.body.errors) {
        useValidationStore.getState().setResult(err.body.errors, null);
      }
      toast(`Could not start the run: ${message(err)}`, "error");
    }
  }, [ensureSaved, validate, start, toast]);

  const cancelRun = useCallback(async () => {
    const runId = useRunStore.getState().runId;
    if (runId === null) return;
    try {
      await cancel.mutateAsync(runId);
      toast("Cancelling: queued nodes will not start; running ones stop at their next check.");
    } catch (err) {
      toast(`Could not cancel: ${message(err)}`, "error");
    }
  }, [cancel, toast]);

  return {
    run: () => run(),
    runFrom: (node: string) => run({ from_node: node }),
    runTo: (node: string) => run({ to_node: node }),
    /** Nodes that succeeded come back from the cache; only failed and downstream nodes rerun. */
    retryFailed: () => run({ use_cache: true }),
    cancel: cancelRun,
    starting: validate.isPending || start.isPending,
  };
}
