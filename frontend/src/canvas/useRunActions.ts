/**
 * Run, Run from here, Run to here, Retry failed, Cancel: save, validate (problems go to the nodes),
 * start the run, then follow it over the WebSocket into the run store.
 */
import { useCallback } from "react";
import { ApiError } from "../api/client";
import { useCancelRun } from "../api/queries/use-cancel-run";
import { useRetryRun, useStartRun } from "../api/queries/use-start-run";
import { validateGraph } from "../api/queries/use-validate-workflow";
import type { Run, RunOptions } from "../api/types";
import type { TableSchemas } from "../graph/types";
import { useRunStore } from "../store/runStore";
import { useUiStore } from "../store/uiStore";
import { useValidationStore } from "../store/validationStore";
import { showRun } from "./runFollow";
import { useEnsureSaved } from "./useWorkflowSession";

const message = (err: unknown): string => (err instanceof Error ? err.message : String(err));

export function useRunActions() {
  const ensureSaved = useEnsureSaved();
  const start = useStartRun();
  const retry = useRetryRun();
  const cancel = useCancelRun();
  const toast = useUiStore((s) => s.showToast);

  const launch = useCallback(async (how: (workflowId: number) => Promise<Run>) => {
    if (useUiStore.getState().viewing !== null) {
      toast("This is a past version: restore it, or go back to the current one, to run.", "error");
      return;
    }
    try {
      const id = await ensureSaved();
      const result = await validateGraph(id);
      useValidationStore.getState().setResult(result.errors, result.schemas as unknown as TableSchemas);
      if (!result.valid) {
        const n = result.errors.length;
        toast(`${n} problem${n === 1 ? "" : "s"} to fix first: see the marked nodes.`, "error");
        return;
      }
      const started = await how(id);
      showRun(started);
      toast(`Run ${started.id} started.`);
    } catch (err) {
      if (err instanceof ApiError && err.body.errors) useValidationStore.getState().setResult(err.body.errors, null);
      toast(`Could not start the run: ${message(err)}`, "error");
    }
  }, [ensureSaved, toast]);

  const run = useCallback((options: RunOptions = {}) => launch((id) =>
    start.mutateAsync({ id, ...options, use_cache: options.use_cache ?? useUiStore.getState().useCache })), [launch, start]);

  const retryFailed = useCallback(() => {
    const runId = useRunStore.getState().runId;
    return runId === null ? run({ use_cache: true }) : launch(() => retry.mutateAsync(runId));
  }, [launch, retry, run]);

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
    /** A new run of the same version: what succeeded comes from the cache, what failed reruns. */
    retryFailed,
    cancel: cancelRun,
    starting: start.isPending || retry.isPending,
  };
}
