import type { StatusParams } from '../../../shared/protocol';
import type { Project } from './project';

/** Longest stretch of re-checking dependents before the server reads its next message. */
const RECHECK_SLICE_MS = 15;

/** What the scheduler needs from the server. */
export interface SchedulerHost {
  publish(project: Project, file: string): void;
  status(state: StatusParams['state']): void;
  logError(what: string, e: unknown): void;
}

/**
 * Runs the units an edit or a file event left pending, in slices of about RECHECK_SLICE_MS between the server's
 * messages (a keystroke is answered while dependents are re-checked), publishing each file as its units finish, and
 * says `idle` when no project has work left.
 */
export class SliceScheduler {
  private readonly draining = new Set<Project>();

  constructor(private readonly host: SchedulerHost) {}

  /** Runs the pending units of a project in slices of about RECHECK_SLICE_MS, publishing as they finish. */
  drain(project: Project): void {
    if (this.draining.has(project)) return;
    if (!project.engine.hasPending) {
      if (!this.draining.size) this.host.status('idle');
      return;
    }
    this.draining.add(project);
    const step = (): void => {
      let result: ReturnType<typeof project.engine.runPending>;
      try {
        result = project.engine.runPending({ budgetMs: RECHECK_SLICE_MS });
      } catch (e) {
        this.host.logError('re-check', e);
        this.draining.delete(project);
        return;
      }
      const { touched, done } = result;
      for (const f of touched) this.host.publish(project, f);
      if (!done) {
        setImmediate(step);
        return;
      }
      this.draining.delete(project);
      if (!this.draining.size) this.host.status('idle');
    };
    setImmediate(step);
  }
}
