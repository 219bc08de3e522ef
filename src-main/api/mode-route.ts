import type { FastifyInstance } from 'fastify';
import type { ModeReport } from '../../src-shared/mode-report';
import type { ProfileMode, ProfileModeSource } from '../profiles/profile-mode';

/** The mode on the wire: snake_case, as every v1 answer. */
export function modeReport({ id, name, environment, color, readOnly, reason }: ProfileMode): ModeReport {
  return { id, name, environment, color, read_only: readOnly, reason };
}

/** `GET /api/v1/mode`: the active profile and whether changing verbs are refused now (read per request). */
export function modeRoute(source: ProfileModeSource) {
  return async (app: FastifyInstance): Promise<void> => {
    app.get('/api/v1/mode', async (): Promise<ModeReport> => modeReport(source.current()));
  };
}
