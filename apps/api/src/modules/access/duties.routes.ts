// The duty table over HTTP: everyone signed in may read it (it holds no personal data and the
// screens explain refusals with it); a global administrator edits it, audited.
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Db } from '../../db/client.js';
import { actorOf } from '../../plugins/auth.js';
import * as svc from './duties.service.js';

export const dutyRoutes = (db: Db): FastifyPluginAsyncTypebox => async (app) => {
  const tags = ['access'];
  app.get('/duties', { config: { signedIn: true }, schema: { tags, summary: '职责权限表 Duties and the roles that hold them' } },
    async () => svc.listDuties(db));
  app.put('/duties/:key', {
    config: { duty: 'duties.manage' },
    schema: { tags, summary: '设置持有某职责的角色（留痕） Set the roles of a duty (audited)',
      params: Type.Object({ key: Type.String({ maxLength: 60, pattern: '^[a-z0-9.]+$' }) }),
      body: Type.Object({ roles: Type.Array(Type.String({ maxLength: 40 }), { maxItems: 30 }) }) },
  }, async (req) => svc.setDutyRoles(db, actorOf(req), req.params.key, req.body.roles));
};
